//! `--unsafe-fixes` end to end: without it an expression is never rewritten (the finding says
//! the option would, and the summaries count the hidden fixes); with it `--diff` and `--fix`
//! rewrite the expression into the passing literal and mark the fix unsafe, as JSON and SARIF
//! do (`applicability: "unsafe"`).

use std::path::Path;

use serde_json::Value;

mod common;
use common::{check, read, tree};

/// One site fixable safely (a literal `false`), one only unsafely (a conditional).
const MIXED: &str = r#"variable "environment" {
  default = "dev"
}

resource "azurerm_linux_web_app" "literal" {
  name                       = "literal"
  client_certificate_enabled = false
}

resource "azurerm_linux_web_app" "conditional" {
  name                       = "conditional"
  client_certificate_enabled = var.environment == "prod" ? true : false
}
"#;

fn project(text: &str) -> tempfile::TempDir {
    tree(&[("main.tf", text)])
}

fn main_tf(dir: &Path) -> String {
    read(dir, "main.tf")
}

fn fixed_safely() -> String {
    MIXED.replacen(
        "client_certificate_enabled = false",
        "client_certificate_enabled = true",
        1,
    )
}

fn fixed_unsafely() -> String {
    fixed_safely().replace("var.environment == \"prod\" ? true : false", "true")
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn diff_without_the_option_leaves_expressions_and_counts_the_hidden_fix() {
    let dir = project(MIXED);
    let output = check(dir.path()).arg("--diff").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let diff = stdout(&output);
    assert!(
        diff.contains("+  client_certificate_enabled = true\n"),
        "{diff}"
    );
    assert!(
        !diff.contains("-  client_certificate_enabled = var."),
        "{diff}"
    );
    let summary = stderr(&output);
    let mut lines = summary.lines();
    assert_eq!(
        lines.next(),
        Some(
            "certgate: --fix would fix 1 of 2 findings in 1 file (1 hidden fix can be enabled with --unsafe-fixes)"
        )
    );
    let reason = lines.next().unwrap();
    assert!(
        reason.starts_with(
            "  not fixable: client-cert-disabled `azurerm_linux_web_app.conditional`: `client_certificate_enabled` is computed by the expression"
        ) && reason.contains("only with --unsafe-fixes"),
        "{summary}"
    );
    assert_eq!(main_tf(dir.path()), MIXED);
}

#[test]
fn diff_with_the_option_rewrites_the_expression_and_marks_the_fix_unsafe() {
    let dir = project(MIXED);
    let output = check(dir.path())
        .args(["--diff", "--unsafe-fixes"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "the diff is not applied");
    let diff = stdout(&output);
    assert!(
        diff.contains(
            "-  client_certificate_enabled = var.environment == \"prod\" ? true : false\n+  client_certificate_enabled = true\n"
        ),
        "{diff}"
    );
    assert_eq!(
        stderr(&output),
        "certgate: --fix --unsafe-fixes would fix 2 of 2 findings (1 unsafe) in 1 file\n  unsafe fix: client-cert-disabled `azurerm_linux_web_app.conditional`: set `client_certificate_enabled = true` in place of `var.environment == \"prod\" ? true : false`\n"
    );
    assert_eq!(main_tf(dir.path()), MIXED, "--diff writes nothing");
}

#[test]
fn fix_never_rewrites_an_expression_by_default() {
    let dir = project(MIXED);
    let output = check(dir.path()).arg("--fix").output().unwrap();
    assert_eq!(output.status.code(), Some(1), "the conditional still fails");
    assert_eq!(main_tf(dir.path()), fixed_safely());
    let out = stdout(&output);
    assert!(
        out.contains("not fixed automatically: `client_certificate_enabled` is computed by"),
        "{out}"
    );
    assert!(
        out.ends_with(
            " Fixed 1 finding in 1 file. 1 hidden fix can be enabled with --unsafe-fixes.\n"
        ),
        "{out}"
    );
}

#[test]
fn fix_with_the_option_rewrites_the_expression_says_unsafe_and_is_idempotent() {
    let dir = project(MIXED);
    let output = check(dir.path())
        .args(["--fix", "--unsafe-fixes"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert_eq!(main_tf(dir.path()), fixed_unsafely());
    let out = stdout(&output);
    assert!(
        out.contains(
            "fixed main.tf:7:3: azurerm_linux_web_app.literal (client-cert-disabled): set `client_certificate_enabled = true`\n"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "fixed (unsafe) main.tf:12:3: azurerm_linux_web_app.conditional (client-cert-disabled): set `client_certificate_enabled = true` in place of `var.environment == \"prod\" ? true : false`\n"
        ),
        "{out}"
    );
    assert!(out.ends_with(" Fixed 2 findings in 1 file.\n"), "{out}");
    let again = check(dir.path())
        .args(["--fix", "--unsafe-fixes"])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(0));
    assert!(stdout(&again).ends_with(" Fixed 0 findings in 0 files.\n"));
    assert_eq!(main_tf(dir.path()), fixed_unsafely());
}

fn finding<'a>(json: &'a Value, address: &str) -> &'a Value {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["address"] == address)
        .unwrap_or_else(|| panic!("no finding for {address} in {json}"))
}

#[test]
fn json_marks_unsafe_fixes_and_lists_them_only_with_the_option() {
    let dir = project(MIXED);
    let output = check(dir.path())
        .args(["--format", "json"])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let hidden = finding(&json, "azurerm_linux_web_app.conditional");
    assert!(hidden.get("fix").is_none(), "{hidden}");
    assert!(
        hidden["fix_unavailable"]
            .as_str()
            .unwrap()
            .contains("--unsafe-fixes")
    );
    let safe = finding(&json, "azurerm_linux_web_app.literal");
    assert_eq!(safe["fix"]["applicability"], "changes-behaviour");

    let output = check(dir.path())
        .args(["--format", "json", "--unsafe-fixes"])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let fix = &finding(&json, "azurerm_linux_web_app.conditional")["fix"];
    assert_eq!(fix["applicability"], "unsafe");
    let edits = fix["edits"].as_array().unwrap();
    assert_eq!(edits.len(), 1);
    let (start, end) = (
        edits[0]["start"].as_u64().unwrap() as usize,
        edits[0]["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(
        &MIXED[start..end],
        "var.environment == \"prod\" ? true : false"
    );
    assert_eq!(edits[0]["replacement"], "true");
    assert_eq!(
        finding(&json, "azurerm_linux_web_app.literal")["fix"]["applicability"],
        "changes-behaviour"
    );
}

#[test]
fn sarif_fixes_carry_their_applicability() {
    let dir = project(MIXED);
    let sarif = |args: &[&str]| -> Value {
        let output = check(dir.path())
            .args(["--format", "sarif"])
            .args(args)
            .output()
            .unwrap();
        serde_json::from_slice(&output.stdout).unwrap()
    };
    let result = |log: &Value, address: &str| -> Value {
        log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["properties"]["address"] == address)
            .cloned()
            .unwrap_or_else(|| panic!("no result for {address}"))
    };
    let log = sarif(&[]);
    assert!(result(&log, "azurerm_linux_web_app.conditional")["fixes"].is_null());
    assert_eq!(
        result(&log, "azurerm_linux_web_app.literal")["fixes"][0]["properties"]["applicability"],
        "changes-behaviour"
    );
    let log = sarif(&["--unsafe-fixes"]);
    let fix = &result(&log, "azurerm_linux_web_app.conditional")["fixes"][0];
    assert_eq!(fix["properties"]["applicability"], "unsafe");
    let replacement = &fix["artifactChanges"][0]["replacements"][0];
    assert_eq!(replacement["insertedContent"]["text"], "true");
}

#[test]
fn a_reference_to_a_computed_local_is_replaced_only_with_the_option() {
    let text = "variable \"environment\" {\n  default = \"dev\"\n}\n\nlocals {\n  mtls = contains([\"prod\", \"live\"], var.environment)\n}\n\nresource \"azurerm_linux_web_app\" \"api\" {\n  name                       = \"api\"\n  client_certificate_enabled = local.mtls\n}\n";
    let dir = project(text);
    let output = check(dir.path()).arg("--fix").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(main_tf(dir.path()), text);
    assert!(
        stdout(&output).ends_with("1 hidden fix can be enabled with --unsafe-fixes.\n"),
        "{}",
        stdout(&output)
    );
    let output = check(dir.path()).arg("--diff").output().unwrap();
    assert!(
        stderr(&output).ends_with(
            "; change it by hand, or pass --unsafe-fixes to replace `local.mtls` with the literal\n"
        ),
        "{}",
        stderr(&output)
    );
    let output = check(dir.path())
        .args(["--fix", "--unsafe-fixes"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert_eq!(
        main_tf(dir.path()),
        text.replace("= local.mtls", "= true"),
        "the local stays; only the reference at the attribute changes"
    );
}
