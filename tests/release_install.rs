//! The release-install step of `action.yml` and of the Azure Pipelines template, run for real
//! with bash against a fake release on disk (`CERTGATE_RELEASES=file://…`): it installs the
//! runner's binary, refuses an archive that does not match its `.sha256`, and names a release
//! that does not exist. No network: curl reads `file://` URLs.

use std::path::Path;

/// The templates that install a release, relative to the repository root.
const TEMPLATES: &[&str] = &["action.yml", "ci/azure-pipelines/certgate.yml"];

/// The block scalars (`run: |`, `bash: |`) of a YAML file, dedented.
fn block_scalars(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    let mut blocks = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if !line.trim_end().ends_with(": |") {
            continue;
        }
        // In a sequence item (`- bash: |`) the key sits after the dash.
        let key = indent(line)
            + if line.trim_start().starts_with("- ") {
                2
            } else {
                0
            };
        let body: Vec<&str> = lines[i + 1..]
            .iter()
            .take_while(|l| l.trim().is_empty() || indent(l) > key)
            .copied()
            .collect();
        let strip = body
            .iter()
            .find(|l| !l.trim().is_empty())
            .map_or(0, |l| indent(l));
        let text: Vec<&str> = body.iter().map(|l| l.get(strip..).unwrap_or("")).collect();
        blocks.push(text.join("\n") + "\n");
    }
    blocks
}

/// The one script of `template` that downloads from the releases.
fn install_script(template: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(template);
    let text = std::fs::read_to_string(&path).unwrap();
    let scripts: Vec<String> = block_scalars(&text)
        .into_iter()
        .filter(|b| b.contains("releases/download"))
        .collect();
    assert_eq!(scripts.len(), 1, "{template}: one release-install script");
    scripts.into_iter().next().unwrap()
}

/// The script without its comments: the copies differ only in which other file they name.
fn code(script: &str) -> Vec<&str> {
    script
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect()
}

#[test]
fn action_and_azure_template_run_the_same_install_script() {
    let action = install_script(TEMPLATES[0]);
    let azure = install_script(TEMPLATES[1]);
    assert_eq!(code(&action), code(&azure));
    for needle in [".sha256", "sha256sum", "shasum -a 256", "--version"] {
        assert!(action.contains(needle), "the install script lacks {needle}");
    }
}

#[cfg(unix)]
mod run {
    use super::*;
    use std::process::{Command, Output};

    /// The release target of the machine running the tests, as the script maps `uname`.
    fn host_target() -> &'static str {
        match (std::env::consts::OS, std::env::consts::ARCH) {
            ("linux", "x86_64") => "x86_64-unknown-linux-musl",
            ("linux", "aarch64") => "aarch64-unknown-linux-musl",
            ("macos", "x86_64") => "x86_64-apple-darwin",
            ("macos", "aarch64") => "aarch64-apple-darwin",
            other => panic!("no release target for {other:?}"),
        }
    }

    fn sh(dir: &Path, line: &str) {
        let status = Command::new("sh")
            .args(["-c", line])
            .current_dir(dir)
            .status()
            .unwrap();
        assert!(status.success(), "{line}");
    }

    /// A release `v0.2.0` laid out as cargo-dist publishes it: `certgate-TARGET.tar.xz` with a
    /// `certgate-TARGET/` root holding the binary (here a script that prints its version), and
    /// `certgate-TARGET.tar.xz.sha256` as `HASH *NAME` plus an empty line (cargo-dist's
    /// `write_checksum_file`). Returns the releases' base directory.
    fn fake_release(root: &Path) -> std::path::PathBuf {
        let target = host_target();
        let package = root.join("package").join(format!("certgate-{target}"));
        std::fs::create_dir_all(&package).unwrap();
        let binary = package.join("certgate");
        std::fs::write(&binary, "#!/bin/sh\necho 'certgate 0.2.0 (fake release)'\n").unwrap();
        sh(&package, "chmod +x certgate && echo notes > README.md");
        let releases = root.join("releases");
        let tag = releases.join("v0.2.0");
        std::fs::create_dir_all(&tag).unwrap();
        let archive = format!("certgate-{target}.tar.xz");
        sh(
            &tag,
            &format!(
                "tar -cJf {archive} -C ../../package certgate-{target} && \
                 {{ sha256sum -b {archive} 2>/dev/null || shasum -a 256 -b {archive}; }} > {archive}.sha256 && echo >> {archive}.sha256"
            ),
        );
        releases
    }

    fn install(template: &str, releases: &Path, version: &str, bin_root: &Path) -> Output {
        Command::new("bash")
            .args(["-c", &install_script(template)])
            .env("CERTGATE_VERSION", version)
            .env("BIN_ROOT", bin_root)
            .env(
                "CERTGATE_RELEASES",
                format!("file://{}", releases.display()),
            )
            .output()
            .unwrap()
    }

    #[test]
    fn install_script_puts_the_runner_s_release_binary_in_bin_root() {
        let root = tempfile::tempdir().unwrap();
        let releases = fake_release(root.path());
        for (i, template) in TEMPLATES.iter().enumerate() {
            let bin_root = root.path().join(format!("bin{i}"));
            // The version input may name the tag (v0.2.0) or the version (0.2.0).
            let version = if i == 0 { "v0.2.0" } else { "0.2.0" };
            let out = install(template, &releases, version, &bin_root);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "{template}: {stderr}");
            assert_eq!(
                String::from_utf8_lossy(&out.stdout),
                "certgate 0.2.0 (fake release)\n",
                "{template} runs the installed binary's --version"
            );
            assert!(bin_root.join("bin/certgate").is_file(), "{template}");
        }
    }

    #[test]
    fn install_script_refuses_an_archive_that_does_not_match_its_sha256() {
        let root = tempfile::tempdir().unwrap();
        let releases = fake_release(root.path());
        let sums = releases.join(format!("v0.2.0/certgate-{}.tar.xz.sha256", host_target()));
        let line = std::fs::read_to_string(&sums).unwrap();
        let (_, name) = line.split_once(' ').unwrap();
        std::fs::write(&sums, format!("{} {name}", "0".repeat(64))).unwrap();
        refused(
            root.path(),
            &releases,
            "v0.2.0",
            "does not match its .sha256",
        );
    }

    /// Each template's script fails to install `version`, says `why` on stderr, and leaves
    /// no binary behind.
    fn refused(root: &Path, releases: &Path, version: &str, why: &str) {
        for template in TEMPLATES {
            let bin_root = root.join("bin");
            let out = install(template, releases, version, &bin_root);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(!out.status.success(), "{template} installed {version}");
            assert!(stderr.contains(why), "{stderr}");
            assert!(!bin_root.join("bin/certgate").exists(), "{template}");
        }
    }

    #[test]
    fn install_script_names_a_release_that_does_not_exist() {
        let root = tempfile::tempdir().unwrap();
        let releases = fake_release(root.path());
        refused(root.path(), &releases, "v9.9.9", "(is v9.9.9 released?)");
    }
}
