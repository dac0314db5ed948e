//! Reports add up and are safe to show: counts derived from one list, errors counted apart
//! from files, every format's fingerprints, scenario tags and escaping, and the human report's
//! layout (errors last, one `explain` hint per rule, no internal jargon).

use std::path::Path;

use serde_json::Value;

mod common;
use common::{check, run_json, write};

/// Runs `certgate check . <args>` in `dir`: (exit code, stdout).
fn run(dir: &Path, args: &[&str]) -> (i32, String) {
    let output = check(dir).arg(".").args(args).output().unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

fn json(dir: &Path) -> (i32, Value) {
    let (report, code) = run_json(check(dir).arg("."));
    (code, report)
}

/// The value of `name="…"` attributes on the `<testsuite>` element.
fn junit_count(xml: &str, name: &str) -> usize {
    let suite = &xml[xml.find("<testsuite ").unwrap()..];
    let at = suite.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
    suite[at..suite[at..].find('"').unwrap() + at]
        .parse()
        .unwrap()
}

const DISABLED: &str = r#"resource "azurerm_linux_web_app" "api" {
  client_certificate_enabled = false
}
"#;

const SUPPRESSED: &str = r#"# certgate:ignore[client-cert-disabled] reason="legacy partner API"
resource "azurerm_linux_web_app" "api" {
  client_certificate_enabled = false
}
"#;

#[test]
fn summary_counts_add_up_when_two_files_declare_the_same_address() {
    let dir = tempfile::tempdir().unwrap();
    // The same address in two roots: one suppressed, one failing. Matching findings by
    // address counted the suppressed one as failing too.
    write(dir.path(), "a/main.tf", SUPPRESSED);
    write(dir.path(), "b/main.tf", DISABLED);
    let (code, report) = json(dir.path());
    assert_eq!(code, 1);
    let summary = &report["summary"];
    assert_eq!(summary["resources"], 2);
    assert_eq!(summary["failing"], 1, "{summary}");
    assert_eq!(summary["suppressed"], 1, "{summary}");
    let parts: u64 = ["failing", "warnings", "passing", "suppressed"]
        .iter()
        .map(|k| summary[k].as_u64().unwrap())
        .sum();
    assert_eq!(parts, 2);
    let statuses: Vec<(&str, &str)> = report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["path"].as_str().unwrap(), r["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        statuses,
        [("a/main.tf", "suppressed"), ("b/main.tf", "failing")]
    );
    // JUnit agrees with the summary.
    let (_, xml) = run(dir.path(), &["--format", "junit"]);
    assert_eq!(junit_count(&xml, "tests"), 2);
    assert_eq!(junit_count(&xml, "failures"), 1);
    let (_, human) = run(dir.path(), &[]);
    assert!(
        human.contains(
            "checked 2 App Service resources: 1 failing, 0 warnings, 0 passing, 1 suppressed."
        ),
        "{human}"
    );
}

const TWO_MALFORMED: &str = r#"# certgate:ignore[client-cert-disabled]
resource "azurerm_linux_web_app" "one" {
  client_certificate_enabled = false
}

# certgate:ignore[client-cert-disabled]
resource "azurerm_linux_web_app" "two" {
  client_certificate_enabled = false
}
"#;

#[test]
fn exception_findings_get_their_own_junit_cases_and_unique_fingerprints() {
    let dir = tempfile::tempdir().unwrap();
    // Two identical malformed exceptions (no reason) in one file.
    write(dir.path(), "main.tf", TWO_MALFORMED);
    let (_, report) = json(dir.path());
    assert_eq!(report["summary"]["exception_errors"], 2);
    assert_eq!(report["summary"]["failing"], 2);
    let (_, xml) = run(dir.path(), &["--format", "junit"]);
    // Two resources and two exception findings: four cases, four failures.
    assert_eq!(junit_count(&xml, "tests"), 4, "{xml}");
    assert_eq!(junit_count(&xml, "failures"), 4, "{xml}");
    assert!(
        xml.contains("<testcase name=\"invalid-exception at main.tf:1:"),
        "{xml}"
    );
    assert!(
        xml.contains("<testcase name=\"invalid-exception at main.tf:6:"),
        "{xml}"
    );
    assert!(!xml.contains("<testcase name=\"\""), "{xml}");

    let (_, gitlab) = run(dir.path(), &["--format", "gitlab"]);
    let issues: Value = serde_json::from_str(&gitlab).unwrap();
    let prints: std::collections::BTreeSet<&str> = issues
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(prints.len(), 4, "{gitlab}");

    let (_, sarif) = run(dir.path(), &["--format", "sarif"]);
    let log: Value = serde_json::from_str(&sarif).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    let prints: std::collections::BTreeSet<&str> = results
        .iter()
        .map(|r| r["partialFingerprints"]["certgate/v1"].as_str().unwrap())
        .collect();
    assert_eq!(results.len(), 4);
    assert_eq!(prints.len(), 4, "{sarif}");
}

const TEMPLATE: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "mode": { "type": "string", "defaultValue": "Required" } },
  "resources": [
    {
      "type": "Microsoft.Web/sites",
      "apiVersion": "2022-09-01",
      "name": "NAME",
      "location": "westeurope",
      "properties": { "clientCertEnabled": true, "clientCertMode": "[parameters('mode')]" }
    }
  ]
}
"#;

const OPTIONAL_PARAMETERS: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "mode": { "value": "Optional" } }
}
"#;

/// An ARM template with a site named `name` whose mode comes from a parameter, and a
/// parameters file next to it (a scenario) that makes the mode `Optional`.
fn arm_site_with_parameters(dir: &Path, name: &str) {
    write(dir, "azuredeploy.json", TEMPLATE.replace("NAME", name));
    write(dir, "azuredeploy.parameters.json", OPTIONAL_PARAMETERS);
}

#[test]
fn github_and_gitlab_name_the_scenario_once() {
    let dir = tempfile::tempdir().unwrap();
    arm_site_with_parameters(dir.path(), "site");
    let (_, github) = run(dir.path(), &["--format", "github"]);
    assert_eq!(github.matches("[scenario ").count(), 1, "{github}");
    let (_, gitlab) = run(dir.path(), &["--format", "gitlab"]);
    assert_eq!(gitlab.matches("[scenario ").count(), 1, "{gitlab}");
}

#[test]
fn parameter_and_baseline_files_are_not_counted_as_scanned() {
    let dir = tempfile::tempdir().unwrap();
    arm_site_with_parameters(dir.path(), "site");
    write(dir.path(), "main.bicepparam", "using './main.bicep'\n");
    write(dir.path(), "certgate-baseline.json", "[]\n");
    write(dir.path(), "package.json", "{\"name\": \"x\"}\n");
    let (_, report) = json(dir.path());
    assert_eq!(
        report["summary"]["files_scanned"], 1,
        "{}",
        report["summary"]
    );
}

const TWICE: &str = r#"resource "azurerm_linux_web_app" "a" {
  client_certificate_enabled = true
  client_certificate_mode    = "Required"
}
resource "azurerm_linux_web_app" "a" {
  client_certificate_enabled = true
}
resource "azurerm_linux_web_app" "b" {
  client_certificate_enabled = true
  client_certificate_mode    = "Required"
}
resource "azurerm_linux_web_app" "b" {
  client_certificate_enabled = true
}
"#;

#[test]
fn errors_and_the_files_they_are_in_are_counted_separately() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", TWICE);
    let (code, report) = json(dir.path());
    assert_eq!(code, 2);
    assert_eq!(report["summary"]["errors"], 2);
    assert_eq!(report["summary"]["error_files"], 1);
    let (_, human) = run(dir.path(), &[]);
    assert!(human.contains("; 2 errors in 1 file."), "{human}");
    assert!(human.contains("2 errors in 1 file make the run exit with code 2:"));
    assert!(!human.contains("could not be scanned"), "{human}");
    // JUnit: one error case per error, each named by its place.
    let (_, xml) = run(dir.path(), &["--format", "junit"]);
    assert_eq!(junit_count(&xml, "errors"), 2, "{xml}");
    assert!(xml.contains("<testcase name=\"main.tf:5:1\""), "{xml}");
}

const TWICE_AND_FAILING: &str = r#"resource "azurerm_linux_web_app" "bad" {
  client_certificate_enabled = false
}
variable "x" {}
variable "x" {}
"#;

#[test]
fn an_unfixed_finding_next_to_a_duplicate_declaration_names_the_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", TWICE_AND_FAILING);
    let (_, report) = json(dir.path());
    let why = report["findings"][0]["fix_unavailable"].as_str().unwrap();
    assert!(why.contains("has an error to correct first"), "{why}");
    assert!(why.contains("variable `x` is declared twice"), "{why}");
    assert!(!why.contains("could not be read or parsed"), "{why}");
}

/// The characters of `out` that must never reach a terminal raw: control characters other
/// than the line feed, and the bidirectional embeddings and overrides (U+202A to U+202E).
fn raw_controls(out: &str) -> Vec<char> {
    out.chars()
        .filter(|&c| (c.is_control() && c != '\n') || ('\u{202A}'..='\u{202E}').contains(&c))
        .collect()
}

#[test]
fn control_characters_in_values_are_escaped_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    // ESC (a colour sequence), BEL, CR, a C1 CSI and a right-to-left override in the name.
    let name = r"evil\u001b[31m\u0007red\rover\u009b2J\u202eflip";
    arm_site_with_parameters(dir.path(), name);
    for format in ["human", "json", "sarif", "junit", "github", "gitlab"] {
        let (_, out) = run(dir.path(), &["--format", format]);
        assert!(
            out.contains("evil"),
            "{format}: the finding is reported\n{out}"
        );
        let raw = raw_controls(&out);
        assert!(
            raw.is_empty(),
            "{format} passes {raw:?} through raw:\n{out}"
        );
    }
    let (_, human) = run(dir.path(), &[]);
    assert!(human.contains(r"evil\u{1b}[31m\u{7}red\rover"), "{human}");
}

#[test]
fn a_tab_in_a_quoted_value_is_shown_as_an_escape_in_human_output() {
    let dir = tempfile::tempdir().unwrap();
    // The wrapper counts a raw tab as no column; the terminal draws up to eight.
    arm_site_with_parameters(dir.path(), r"tab\tbed");
    let (_, human) = run(dir.path(), &[]);
    assert!(human.contains(r"tab\tbed"), "{human}");
    assert!(!human.contains("tab\tbed"), "{human}");
}

#[test]
fn raw_control_characters_in_a_source_line_do_not_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    // Raw bytes in the file itself: the snippet under the message quotes this line.
    let text = "resource \"azurerm_linux_web_app\" \"x\" {\r\n  client_certificate_enabled = true\r\n  \
                client_certificate_mode = \"Opt\u{1b}[2J\u{7}ional\" # \u{202e}note\r\n}\r\n";
    write(dir.path(), "main.tf", text);
    for format in ["human", "github", "junit"] {
        let (_, out) = run(dir.path(), &["--format", format]);
        assert!(out.contains("client-cert-unresolved"), "{format}\n{out}");
        let raw = raw_controls(&out);
        assert!(
            raw.is_empty(),
            "{format} passes {raw:?} through raw:\n{out}"
        );
    }
}

#[test]
fn a_huge_value_is_cut_in_messages() {
    let dir = tempfile::tempdir().unwrap();
    let huge = "x".repeat(1_000_000);
    let template = TEMPLATE
        .replace("NAME", &huge)
        .replace("[parameters('mode')]", &format!("Mode{huge}"));
    write(dir.path(), "azuredeploy.json", template);
    // A Terraform variable name is quoted by the front end's own message.
    let terraform = format!(
        "resource \"azurerm_linux_web_app\" \"tf\" {{\n  client_certificate_enabled = var.{huge}\n}}\n"
    );
    write(dir.path(), "tf/main.tf", terraform);
    for format in ["human", "json", "github", "junit", "gitlab", "sarif"] {
        let (_, out) = run(dir.path(), &["--format", format]);
        assert!(
            out.contains('…'),
            "{format}: the value is cut with an ellipsis"
        );
        // JSON keeps the address as data (it identifies the resource) in `resources` and
        // `findings`, SARIF in the result's `address` and fingerprint; messages never repeat
        // the value whole.
        let whole = out.matches(huge.as_str()).count();
        let allowed = if matches!(format, "json" | "sarif") {
            2
        } else {
            0
        };
        assert!(whole <= allowed, "{format} repeats the value {whole} times");
    }
}

#[test]
fn human_output_lists_errors_last_and_explains_each_rule_once() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a/main.tf", DISABLED);
    write(dir.path(), "b/main.tf", DISABLED);
    write(
        dir.path(),
        "c/main.tf",
        "resource \"azurerm_linux_web_app\" \"x\" {\n",
    );
    arm_site_with_parameters(dir.path(), "site");
    let (code, human) = run(dir.path(), &[]);
    assert_eq!(code, 2);
    assert_eq!(
        human
            .matches("certgate explain client-cert-disabled")
            .count(),
        1,
        "{human}"
    );
    assert_eq!(
        human
            .matches("certgate explain client-cert-optional")
            .count(),
        1
    );
    let last_finding = human.rfind("client-cert-").unwrap();
    let error = human.find("input error").unwrap();
    let heading = human
        .find("1 error in 1 file makes the run exit with code 2:")
        .unwrap();
    assert!(last_finding < heading && heading < error, "{human}");
    assert!(
        human
            .trim_end()
            .lines()
            .last()
            .unwrap()
            .starts_with("Scanned ")
    );
    for jargon in ["certgate::input", "certgate::notice", "Advice: origin"] {
        assert!(!human.contains(jargon), "{jargon} in\n{human}");
    }
}

const SITE_AND_DUPLICATE_BUCKET: &str = r#"resource "azurerm_linux_web_app" "ok" {
  client_certificate_enabled = true
  client_certificate_mode    = "Required"
}
resource "aws_s3_bucket" "logs" {}
resource "aws_s3_bucket" "logs" {}
module "aws" {
  source = "./aws"
}
"#;

const AWS_ONLY_BAD_ESCAPE: &str = r#"terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}
resource "aws_s3_bucket" "b" {
  bucket = "bad \q escape"
}
"#;

#[test]
fn errors_that_cannot_affect_a_site_are_notices() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", SITE_AND_DUPLICATE_BUCKET);
    write(dir.path(), "aws/main.tf", AWS_ONLY_BAD_ESCAPE);
    let (code, report) = json(dir.path());
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["errors"].as_array().unwrap().len(), 0, "{report}");
    let notices: Vec<&str> = report["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["message"].as_str().unwrap())
        .collect();
    assert_eq!(notices.len(), 2, "{notices:?}");
    assert!(
        notices
            .iter()
            .any(|n| n.contains("`aws_s3_bucket.logs` is declared twice")
                && n.contains("cannot be a site"))
    );
    assert!(notices.iter().any(|n| n.contains("cannot declare a site")));
    // A site declared twice still fails the run.
    write(dir.path(), "twice/main.tf", TWICE);
    let (code, _) = json(dir.path());
    assert_eq!(code, 2);
}
