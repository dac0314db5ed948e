//! `--fail-on` and `fail-on` in certgate.toml: an unresolved value (a warning) can fail the
//! gate, which CI for this control should do.

use std::fs;
use std::path::Path;

use assert_cmd::Command;

mod common;
use common::tree;

/// `certgate check -q` in `dir`.
fn certgate(dir: &Path) -> Command {
    let mut cmd = common::check(dir);
    cmd.arg("-q");
    cmd
}

/// A project whose only finding is a warning: the enabled flag comes from a variable without
/// a value.
fn unresolved_project() -> tempfile::TempDir {
    tree(&[(
        "main.tf",
        r#"variable "mtls" {}
resource "azurerm_linux_web_app" "web" {
  client_certificate_enabled = var.mtls
  client_certificate_mode    = "Required"
}
"#,
    )])
}

#[test]
fn warnings_pass_by_default_and_fail_with_fail_on_warning() {
    let dir = unresolved_project();
    certgate(dir.path()).assert().code(0);
    certgate(dir.path())
        .args(["--fail-on", "warning"])
        .assert()
        .code(1);
    certgate(dir.path())
        .args(["--fail-on", "error"])
        .assert()
        .code(0);
}

#[test]
fn config_fail_on_warning_fails_the_run_and_the_flag_overrides_it() {
    let dir = unresolved_project();
    fs::write(dir.path().join("certgate.toml"), "fail-on = \"warning\"\n").unwrap();
    certgate(dir.path()).assert().code(1);
    certgate(dir.path())
        .args(["--fail-on", "error"])
        .assert()
        .code(0);
}

#[test]
fn config_fail_on_with_a_bad_value_is_a_config_error_naming_the_key() {
    let dir = unresolved_project();
    fs::write(dir.path().join("certgate.toml"), "fail-on = \"warnings\"\n").unwrap();
    let output = certgate(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let text = String::from_utf8_lossy(&output.stdout).to_string()
        + &String::from_utf8_lossy(&output.stderr);
    assert!(
        text.contains("`fail-on` must be \"error\" or \"warning\""),
        "{text}"
    );
}

#[test]
fn fail_on_rejects_an_unknown_severity() {
    let dir = unresolved_project();
    certgate(dir.path())
        .args(["--fail-on", "notice"])
        .assert()
        .code(2);
}

#[test]
fn fail_on_warning_still_passes_a_clean_project() {
    let dir = tree(&[(
        "main.tf",
        r#"resource "azurerm_linux_web_app" "web" {
  client_certificate_enabled = true
  client_certificate_mode    = "Required"
}
"#,
    )]);
    certgate(dir.path())
        .args(["--fail-on", "warning"])
        .assert()
        .code(0);
}

/// The JUnit XML of `certgate check` in `dir` with `args`, and its exit code.
fn junit(dir: &Path, args: &[&str]) -> (String, Option<i32>) {
    formatted(dir, "junit", args)
}

/// The output of `certgate check --format FORMAT` in `dir` with `args`, and its exit code.
fn formatted(dir: &Path, format: &str, args: &[&str]) -> (String, Option<i32>) {
    let output = certgate(dir)
        .args(["--format", format])
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        output.status.code(),
    )
}

#[test]
fn junit_fails_a_warnings_test_case_exactly_when_the_warning_fails_the_run() {
    // Azure Pipelines and GitLab show JUnit's verdicts: with `--fail-on warning` (the CI
    // templates' default) a warning that fails the gate must not show as a passed test.
    let dir = unresolved_project();
    let (xml, code) = junit(dir.path(), &["--fail-on", "warning"]);
    assert_eq!(code, Some(1));
    assert!(xml.contains("failures=\"1\""), "{xml}");
    assert!(
        xml.contains("<failure message=\"client-cert-unresolved: "),
        "{xml}"
    );
    fs::write(dir.path().join("certgate.toml"), "fail-on = \"warning\"\n").unwrap();
    let (from_config, code) = junit(dir.path(), &[]);
    assert_eq!(code, Some(1));
    assert!(from_config.contains("failures=\"1\""), "{from_config}");
    // Without it the warning passes the run, and its case passes with the warning in its
    // output.
    let (xml, code) = junit(dir.path(), &["--fail-on", "error"]);
    assert_eq!(code, Some(0));
    assert!(xml.contains("failures=\"0\""), "{xml}");
    assert!(!xml.contains("<failure"), "{xml}");
    assert!(
        xml.contains("<system-out>warning client-cert-unresolved: "),
        "{xml}"
    );
}

#[test]
fn the_summary_says_warnings_fail_the_run_when_they_do() {
    // "0 failing, 1 warning" and exit code 1 needs its reason on the same line.
    let dir = unresolved_project();
    let summary = |args: &[&str]| {
        let output = common::check(dir.path())
            .args(["--format", "concise"])
            .args(args)
            .output()
            .unwrap();
        let text = String::from_utf8(output.stdout).unwrap();
        let last = text.lines().last().unwrap_or_default().to_string();
        (last, output.status.code())
    };
    let (line, code) = summary(&["--fail-on", "warning"]);
    assert_eq!(code, Some(1));
    assert!(
        line.ends_with("0 failing, 1 warning, 0 passing. Warnings fail the run (fail-on warning)."),
        "{line}"
    );
    let (line, code) = summary(&[]);
    assert_eq!(code, Some(0));
    assert!(line.ends_with("0 failing, 1 warning, 0 passing."), "{line}");
}

#[test]
fn github_annotates_a_warning_as_an_error_exactly_when_it_fails_the_run() {
    // The job fails because of the warning: its annotation says so where it is.
    let dir = unresolved_project();
    let (out, code) = formatted(dir.path(), "github", &["--fail-on", "warning"]);
    assert_eq!(code, Some(1));
    assert!(out.starts_with("::error file="), "{out}");
    assert!(out.contains("title=client-cert-unresolved "), "{out}");
    let (out, code) = formatted(dir.path(), "github", &["--fail-on", "error"]);
    assert_eq!(code, Some(0));
    assert!(out.starts_with("::warning file="), "{out}");
    assert!(!out.contains("::error"), "{out}");
}
