//! Helpers the integration tests share: running the binary, writing a tree of files, reading
//! JSON output.
//!
//! Each test file is its own crate and uses only some of these, hence `dead_code` allowed.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

/// The certgate binary with reproducible output: no colour, 100 columns.
pub fn bin() -> Command {
    let mut cmd = Command::cargo_bin("certgate").unwrap();
    cmd.env("NO_COLOR", "1").env("COLUMNS", "100");
    cmd
}

/// [`bin`] run in `dir`.
pub fn certgate(dir: &Path) -> Command {
    let mut cmd = bin();
    cmd.current_dir(dir);
    cmd
}

/// `certgate check` run in `dir`; the caller adds the paths and options.
pub fn check(dir: &Path) -> Command {
    let mut cmd = certgate(dir);
    cmd.arg("check");
    cmd
}

/// `path` as certgate writes it in its output: `/`-separated on every OS (a Windows
/// `C:\Users\x\main.tf` is `C:/Users/x/main.tf`).
pub fn shown(path: &Path) -> String {
    let text = path.display().to_string();
    if cfg!(windows) {
        text.replace('\\', "/")
    } else {
        text
    }
}

/// Writes `dir/name`, creating the directories on the way.
pub fn write(dir: &Path, name: &str, text: impl AsRef<[u8]>) {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// A temporary directory holding `files` (relative path, contents).
pub fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        write(dir.path(), name, text);
    }
    dir
}

/// The text of `dir/name`.
pub fn read(dir: &Path, name: &str) -> String {
    fs::read_to_string(dir.join(name)).unwrap()
}

/// `output`'s standard output as JSON; when it is not JSON the panic shows both streams.
pub fn stdout_json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// Runs `cmd` with `--format json`: the parsed report and the exit code.
pub fn run_json(cmd: &mut Command) -> (Value, i32) {
    let output = cmd.args(["--format", "json"]).output().unwrap();
    (stdout_json(&output), output.status.code().unwrap())
}

/// Makes a FIFO at `path` (reading one blocks until a writer comes).
#[cfg(unix)]
pub fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

/// What one run printed and returned.
pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    /// Runs `cmd`: the run must exit (not be killed by a timeout or a signal), print UTF-8 and
    /// not panic.
    pub fn of(cmd: &mut Command) -> Outcome {
        let output = cmd.output().unwrap();
        let outcome = Outcome {
            code: output
                .status
                .code()
                .expect("exited, not killed (a hang or a crash)"),
            stdout: String::from_utf8(output.stdout).unwrap(),
            stderr: String::from_utf8(output.stderr).unwrap(),
        };
        assert!(!outcome.stderr.contains("panicked"), "{}", outcome.stderr);
        outcome
    }

    /// Standard output as JSON; when it is not JSON the panic shows both streams.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", self.stdout, self.stderr))
    }
}

/// `fixtures/<format>/<name>` for a folder `glob!` found, as the scan and the fix have always
/// been given it (relative to the package root, where the tests run): reports show paths as
/// given, so snapshots and messages name the fixture this way.
pub fn relative_fixture(found: &Path) -> PathBuf {
    let name = found.file_name().expect("a fixture folder");
    let format = found
        .parent()
        .and_then(Path::file_name)
        .expect("a format folder");
    Path::new("fixtures").join(format).join(name)
}

/// A repository for the tests of paths relative to its root: `dir/repo` with a `.git` folder
/// and `infra/main.tf` holding `main_tf`. Returns `dir/repo`.
pub fn repo_with_infra_main_tf(dir: &Path, main_tf: &str) -> PathBuf {
    let repo = dir.join("repo");
    fs::create_dir_all(repo.join("infra")).expect("dirs");
    fs::create_dir(repo.join(".git")).expect(".git");
    fs::write(repo.join("infra/main.tf"), main_tf).expect("main.tf");
    repo
}
