//! `editors/neovim/certgate.lua` in a real headless Neovim, as the client of the built
//! `certgate lsp`: the files are opened, the module starts the server, and the diagnostics
//! Neovim ends up holding (rule id, line, source) are checked, with the root directories and
//! how buffers share a server.
//!
//! Neovim is required: without `nvim` on PATH (or `CERTGATE_NVIM`) these tests fail, so they
//! never pass without having run. `CERTGATE_SKIP_NVIM=1` skips them on purpose, saying so.
//! `.ci/run` installs Debian's `neovim` (0.7.2 on bookworm, which takes the module's
//! `vim.lsp.start_client` path; 0.8+ takes `vim.lsp.start`) when it is missing.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// How long Neovim itself waits for the diagnostics (a debug build on a loaded machine).
const WAIT_MS: u64 = 30_000;
/// When the child is killed: a guard so the suite never hangs, not a measurement.
const KILL_AFTER: Duration = Duration::from_secs(90);

/// The Neovim to drive, or `None` when there is none.
fn nvim() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CERTGATE_NVIM") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("nvim"))
        .find(|candidate| candidate.is_file())
}

/// Neovim, or `None` when the tests are skipped on purpose; panics when there is none.
fn require_nvim() -> Option<PathBuf> {
    if std::env::var_os("CERTGATE_SKIP_NVIM").is_some_and(|v| v == "1") {
        eprintln!("SKIPPED: CERTGATE_SKIP_NVIM=1: editors/neovim/certgate.lua was not tested");
        return None;
    }
    Some(nvim().unwrap_or_else(|| {
        panic!(
            "no Neovim: install Debian's `neovim` (apt-get install neovim), set CERTGATE_NVIM \
             to one, or set CERTGATE_SKIP_NVIM=1 to skip these tests"
        )
    }))
}

/// Copies the fixture file `from` (relative to the repository) to `dir/to`.
fn copy_fixture(dir: &Path, from: &str, to: &str) {
    let target = dir.join(to);
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join(from), target).unwrap();
}

/// Opens `files` (relative to `dir`, one window each) in headless Neovim with the test init
/// file, waits until each of `expect` has certgate diagnostics, and returns what the init
/// file wrote. A run that hangs is killed; the panic then shows what Neovim printed.
fn run_nvim(nvim: &Path, dir: &Path, files: &[&str], expect: &[&str]) -> Value {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scratch = tempfile::tempdir().unwrap();
    let out = scratch.path().join("result.json");
    let (stdout_path, stderr_path) = (scratch.path().join("stdout"), scratch.path().join("stderr"));
    let mut command = Command::new(nvim);
    command
        .current_dir(dir)
        // `-n`: no swap files; `--clean`: no user configuration or plugins.
        .args(["--headless", "--clean", "-n", "-u"])
        .arg(repo.join("tests/data/neovim/init.lua"))
        .arg("-o")
        .args(files)
        .env("CERTGATE_TEST_MODULE_DIR", repo.join("editors/neovim"))
        .env("CERTGATE_TEST_BIN", env!("CARGO_BIN_EXE_certgate"))
        .env("CERTGATE_TEST_OUT", &out)
        .env("CERTGATE_TEST_EXPECT", expect.join(","))
        .env("CERTGATE_TEST_WAIT_MS", WAIT_MS.to_string());
    // Neovim's log, shada and state stay in the scratch directory, not the user's home.
    for var in [
        "XDG_CONFIG_HOME",
        "XDG_DATA_HOME",
        "XDG_STATE_HOME",
        "XDG_CACHE_HOME",
    ] {
        command.env(var, scratch.path().join(var));
    }
    let mut child = command
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout_path).unwrap())
        .stderr(std::fs::File::create(&stderr_path).unwrap())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", nvim.display()));
    let printed = || {
        format!(
            "stdout:\n{}\nstderr:\n{}",
            std::fs::read_to_string(&stdout_path).unwrap_or_default(),
            std::fs::read_to_string(&stderr_path).unwrap_or_default()
        )
    };
    let deadline = Instant::now() + KILL_AFTER;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "{} did not quit within {KILL_AFTER:?}; killed.\n{}",
                nvim.display(),
                printed()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let text = std::fs::read_to_string(&out)
        .unwrap_or_else(|e| panic!("no result from Neovim ({e}), {status}\n{}", printed()));
    let result: Value = serde_json::from_str(&text).unwrap();
    assert!(
        status.success() && result.get("error").is_none(),
        "Neovim failed ({status}): {text}\n{}",
        printed()
    );
    eprintln!(
        "Neovim {} ({}), waited for diagnostics: {}",
        result["nvim"], result["api"], result["waited"]
    );
    assert_eq!(
        result["waited"], true,
        "the diagnostics did not all arrive: {text}"
    );
    result
}

/// The entry of `result["files"]` whose path ends with `name`.
fn file<'a>(result: &'a Value, name: &str) -> &'a Value {
    result["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with(name))
        .unwrap_or_else(|| panic!("{name} not among {}", result["files"]))
}

/// A file's diagnostics as (0-based line, rule id), after checking each came from certgate.
fn lines_and_rules(file: &Value) -> Vec<(u64, String)> {
    file["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            assert_eq!(d["source"], "certgate", "{d}");
            (
                d["lnum"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The root directories of the running certgate clients, sorted.
fn client_roots(result: &Value) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = result["clients"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["name"] == "certgate")
        .map(|c| PathBuf::from(c["root_dir"].as_str().unwrap()))
        .collect();
    roots.sort();
    roots
}

#[test]
fn neovim_shows_certgate_diagnostics_for_terraform_bicep_and_arm_files_with_one_server() {
    let Some(nvim) = require_nvim() else { return };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("certgate.toml"), "").unwrap();
    copy_fixture(
        dir.path(),
        "fixtures/terraform/fix_false/main.tf",
        "tf/main.tf",
    );
    copy_fixture(
        dir.path(),
        "fixtures/bicep/fix_missing/main.bicep",
        "bicep/main.bicep",
    );
    copy_fixture(
        dir.path(),
        "fixtures/arm/site_enabled_false/azuredeploy.json",
        "arm/azuredeploy.json",
    );
    let files = ["tf/main.tf", "bicep/main.bicep", "arm/azuredeploy.json"];
    let result = run_nvim(&nvim, dir.path(), &files, &files);

    let disabled = "client-cert-disabled".to_string();
    let tf = file(&result, "tf/main.tf");
    assert_eq!(tf["filetype"], "terraform");
    // `certgate check` reports 4:3 and 9:3; Neovim's lines are 0-based.
    assert_eq!(
        lines_and_rules(tf),
        [(3, disabled.clone()), (8, disabled.clone())]
    );
    let first = &tf["diagnostics"][0];
    assert_eq!(first["severity"], 1, "an error: {first}");
    assert!(
        first["message"]
            .as_str()
            .unwrap()
            .contains("`azurerm_windows_web_app.intranet` has client certificates disabled"),
        "{first}"
    );

    let bicep = file(&result, "bicep/main.bicep");
    assert_eq!(bicep["filetype"], "bicep");
    assert_eq!(
        lines_and_rules(bicep),
        [(1, disabled.clone()), (12, disabled.clone())]
    );

    let arm = file(&result, "arm/azuredeploy.json");
    assert_eq!(arm["filetype"], "json");
    assert_eq!(lines_and_rules(arm), [(10, disabled)]);

    // certgate.toml marks the root: the three buffers share one server.
    assert_eq!(
        client_roots(&result),
        [dir.path().canonicalize().unwrap()],
        "{}",
        result["clients"]
    );
}

#[test]
fn neovim_detects_bicepparam_and_starts_one_server_per_root() {
    let Some(nvim) = require_nvim() else { return };
    let dir = tempfile::tempdir().unwrap();
    // A repository (`.git` marks its root) and a loose directory with no marker above it.
    std::fs::create_dir_all(dir.path().join("repo/.git")).unwrap();
    for name in ["main.bicep", "main.bicepparam"] {
        copy_fixture(
            dir.path(),
            &format!("fixtures/bicep/fix_origin_bicepparam/{name}"),
            &format!("repo/infra/{name}"),
        );
    }
    copy_fixture(
        dir.path(),
        "fixtures/terraform/fix_false/main.tf",
        "loose/main.tf",
    );
    let result = run_nvim(
        &nvim,
        dir.path(),
        &[
            "repo/infra/main.bicepparam",
            "repo/infra/main.bicep",
            "loose/main.tf",
        ],
        &["repo/infra/main.bicep", "loose/main.tf"],
    );

    // Neovim 0.7 detects no file type for `.bicepparam`: the module sets `bicep`, as current
    // Neovim does.
    let params = file(&result, "repo/infra/main.bicepparam");
    assert_eq!(params["filetype"], "bicep");
    assert_eq!(params["attached"], serde_json::json!(["certgate"]));

    // The value comes from the open parameter file; the finding is on the template's line 8.
    let bicep = file(&result, "repo/infra/main.bicep");
    assert_eq!(
        lines_and_rules(bicep),
        [(7, "client-cert-optional".to_string())]
    );
    assert_eq!(lines_and_rules(file(&result, "loose/main.tf")).len(), 2);

    let root = dir.path().canonicalize().unwrap();
    assert_eq!(
        client_roots(&result),
        [root.join("loose"), root.join("repo")],
        "{}",
        result["clients"]
    );
}
