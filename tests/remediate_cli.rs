//! `certgate remediate` from the command line: its arguments, its errors, and the script's
//! frame in both languages. (What it scripts per site kind is tested in `src/remediate/` and
//! on the export fixtures once the inventory front end reads them.)

mod common;
use common::bin;

const WEB: &str = "fixtures/remediate/web_app_and_slot";

/// `certgate remediate ARGS`: stdout, stderr and exit code.
fn remediate(args: &[&str]) -> (String, String, i32) {
    let output = bin()
        .args(["remediate", "--today", "2026-06-01", "--project-root", WEB])
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
        output.status.code().unwrap(),
    )
}

#[test]
fn remediate_without_an_export_is_a_usage_error() {
    let (out, err, code) = remediate(&[]);
    assert_eq!(code, 2, "{out}");
    assert!(err.contains("<EXPORT>"), "{err}");
}

#[test]
fn a_batch_that_does_not_exist_fails_without_a_script() {
    let (out, err, code) = remediate(&["--batch", "99", WEB]);
    assert_eq!(code, 2);
    assert_eq!(out, "");
    assert!(err.contains("error: there is no batch 99"), "{err}");
}

#[test]
fn the_bash_script_stops_on_errors_and_names_its_exports() {
    let (out, _, code) = remediate(&[WEB]);
    assert_eq!(code, 0);
    assert!(out.starts_with("#!/usr/bin/env bash\n"), "{out}");
    assert!(out.contains("\nset -euo pipefail\n"), "{out}");
    assert!(out.contains(&format!("# Read from: {WEB}.")), "{out}");
}

#[test]
fn the_powershell_script_stops_on_errors() {
    let (out, _, code) = remediate(&["--format", "pwsh", WEB]);
    assert_eq!(code, 0);
    assert!(out.contains("\n$ErrorActionPreference = 'Stop'\n"), "{out}");
    assert!(out.contains("throw ('certgate: PATCH '"), "{out}");
    assert!(!out.contains("set -euo"), "{out}");
}

#[test]
fn an_unknown_script_format_is_a_usage_error() {
    let (_, err, code) = remediate(&["--format", "cmd", WEB]);
    assert_eq!(code, 2);
    assert!(err.contains("invalid value 'cmd'"), "{err}");
}

#[test]
fn a_truncated_export_fails_naming_the_file_and_prints_no_script() {
    let dir = tempfile::tempdir().unwrap();
    let full = std::fs::read_to_string(format!("{WEB}/webapps.json")).unwrap();
    let cut = &full[..full.len() / 2];
    common::write(dir.path(), "webapps.json", cut);
    let root = dir.path().to_str().unwrap();
    let output = bin()
        .args(["remediate", "--project-root", root])
        .arg(dir.path().join("webapps.json"))
        .output()
        .unwrap();
    let out = String::from_utf8(output.stdout).unwrap();
    let err = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2), "{out}{err}");
    assert_eq!(out, "");
    assert!(
        err.contains("no script: the export scan had errors"),
        "{err}"
    );
    assert!(err.contains("webapps.json:"), "{err}");
}
