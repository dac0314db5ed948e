//! End-to-end tests of the `certgate` binary: exit codes, arguments and discovery (bad input
//! has its own suite, tests/bad_input.rs).

use assert_cmd::Command;

mod common;
use common::{bin, run_json, write};

const PASSING_TF: &str = r#"resource "azurerm_linux_web_app" "ok" {
  client_certificate_enabled = true
  client_certificate_mode    = "Required"
}
"#;

const FAILING_TF: &str = r#"resource "azurerm_linux_web_app" "bad" {
  client_certificate_enabled = false
}
"#;

const WARNING_TF: &str = r#"resource "azurerm_linux_web_app" "unknown" {
  client_certificate_enabled = var.mtls
}
"#;

#[test]
fn exit_code_is_0_when_clean_even_with_warnings() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a/main.tf", PASSING_TF);
    write(dir.path(), "b/main.tf", WARNING_TF);
    let (json, code) = run_json(bin().arg("check").arg(dir.path()));
    assert_eq!(code, 0);
    assert_eq!(json["summary"]["passing"], 1);
    assert_eq!(json["summary"]["warnings"], 1);
}

#[test]
fn exit_code_is_1_on_error_findings() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", FAILING_TF);
    bin().arg("check").arg(dir.path()).assert().code(1);
}

#[test]
fn exit_code_is_2_on_a_parse_error_and_other_files_are_still_scanned() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "broken/main.tf",
        "resource \"azurerm_linux_web_app\" \"x\" {\n  = \n",
    );
    write(dir.path(), "good/main.tf", FAILING_TF);
    let (json, code) = run_json(bin().arg("check").arg(dir.path()));
    assert_eq!(code, 2);
    assert_eq!(json["findings"][0]["address"], "azurerm_linux_web_app.bad");
    let error = &json["errors"][0];
    assert!(error["path"].as_str().unwrap().ends_with("broken/main.tf"));
    assert_eq!(error["line"], 2);
}

#[test]
fn exit_code_is_2_on_bad_arguments_and_missing_paths() {
    bin()
        .arg("check")
        .arg("--format")
        .arg("xml")
        .assert()
        .code(2);
    bin().arg("explain").arg("no-such-rule").assert().code(2);
    let output = bin().arg("check").arg("does/not/exist").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("does/not/exist: does not exist"), "{text}");
}

#[test]
fn gitignored_files_are_skipped_unless_named_explicitly() {
    let dir = tempfile::tempdir().unwrap();
    // No git repository: .gitignore is honoured anyway.
    write(dir.path(), ".gitignore", "ignored/\n");
    write(dir.path(), "ignored/main.tf", FAILING_TF);
    write(dir.path(), "kept/main.tf", PASSING_TF);
    write(dir.path(), ".terraform/modules/x/main.tf", FAILING_TF);
    let (json, code) = run_json(bin().arg("check").arg(dir.path()));
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["resources"].as_array().unwrap().len(), 1);

    let explicit = dir.path().join("ignored/main.tf");
    let (json, code) = run_json(bin().arg("check").arg(&explicit));
    assert_eq!(code, 1);
    assert_eq!(json["resources"][0]["address"], "azurerm_linux_web_app.bad");
}

#[test]
fn relative_paths_stay_relative_and_explicit_files_mix_with_directories() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "mod/main.tf", FAILING_TF);
    write(
        dir.path(),
        "arm/azuredeploy.json",
        r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "resources": [{"type": "Microsoft.Web/sites", "name": "s", "properties": {"clientCertEnabled": true}}]}"#,
    );
    let (json, _) = run_json(
        bin()
            .current_dir(dir.path())
            .arg("check")
            .arg("mod/main.tf")
            .arg("arm"),
    );
    let paths: Vec<&str> = json["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["arm/azuredeploy.json", "mod/main.tf"]);
}

/// The bad-input suite (empty files, encodings, nesting, FIFOs, links, permissions…) is in
/// tests/bad_input.rs. JSON that only mentions a site type is not ours: skipped silently.
#[test]
fn non_arm_json_is_skipped_silently() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "pkg/package.json",
        "{ not json at all, but mentions Microsoft.Web/sites",
    );
    let (json, code) = run_json(bin().arg("check").arg(dir.path()));
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["summary"]["files_scanned"], 1);
    assert!(json["errors"].as_array().unwrap().is_empty());
}

#[test]
fn quiet_drops_the_summary_and_human_output_names_rule_and_position() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", FAILING_TF);
    let output = bin().arg("check").arg(dir.path()).output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("client-cert-disabled"), "{text}");
    assert!(text.contains("main.tf:2:3"), "{text}");
    assert!(text.contains("Scanned 1 file"), "{text}");
    assert!(!text.contains('\u{1b}'), "colour with NO_COLOR set: {text}");
    let quiet = bin()
        .arg("check")
        .arg("-q")
        .arg(dir.path())
        .output()
        .unwrap();
    let quiet = String::from_utf8_lossy(&quiet.stdout);
    assert!(quiet.contains("client-cert-disabled"));
    assert!(!quiet.contains("Scanned"), "{quiet}");
}

#[test]
fn rules_and_explain_document_every_rule() {
    let output = bin().arg("rules").output().unwrap();
    assert!(output.status.success());
    let table = String::from_utf8_lossy(&output.stdout);
    for rule in certgate::rules::resource_rules() {
        assert!(table.contains(rule.id.as_str()), "{table}");
        let explain = bin().arg("explain").arg(rule.id.as_str()).output().unwrap();
        assert!(explain.status.success());
        let text = String::from_utf8_lossy(&explain.stdout);
        for section in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## Fix",
        ] {
            assert!(text.contains(section), "{} lacks {section}", rule.id);
        }
    }
    for id in ["unused-exception", "invalid-exception"] {
        assert!(table.contains(id), "{table}");
        assert!(
            bin()
                .arg("explain")
                .arg(id)
                .output()
                .unwrap()
                .status
                .success()
        );
    }
    let version = bin().arg("--version").output().unwrap();
    assert!(String::from_utf8_lossy(&version.stdout).starts_with("certgate "));
}

const VARIABLE_TF: &str = r#"variable "mtls" {
  type    = bool
  default = false
}

resource "azurerm_linux_web_app" "api" {
  client_certificate_enabled = var.mtls
}
"#;

#[test]
fn var_var_file_and_env_vars_flags_override_defaults_in_terraform_order() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "infra/main.tf", VARIABLE_TF);
    write(dir.path(), "prod.tfvars", "mtls = true\n");
    let verdict = |cmd: &mut Command| run_json(cmd).0["resources"][0]["verdict"].clone();
    let base = || {
        let mut cmd = bin();
        cmd.current_dir(dir.path()).arg("check").arg("infra");
        cmd
    };
    assert_eq!(verdict(&mut base()), "client-cert-disabled");
    assert_eq!(verdict(base().arg("--var-file").arg("prod.tfvars")), "pass");
    // --var applies after --var-file.
    assert_eq!(
        verdict(
            base()
                .arg("--var-file")
                .arg("prod.tfvars")
                .arg("--var")
                .arg("mtls=false")
        ),
        "client-cert-disabled"
    );
    // TF_VAR_ only counts with --env-vars.
    assert_eq!(
        verdict(base().env("TF_VAR_mtls", "true")),
        "client-cert-disabled"
    );
    assert_eq!(
        verdict(base().env("TF_VAR_mtls", "true").arg("--env-vars")),
        "pass"
    );
    base().arg("--var").arg("no-equals-sign").assert().code(2);
}

#[test]
fn parameters_flag_adds_a_named_scenario_to_an_arm_template() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "arm/azuredeploy.json",
        r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0",
      "parameters": {"mtls": {"type": "bool", "defaultValue": true}},
      "resources": [{"type": "Microsoft.Web/sites", "name": "s", "properties": {"clientCertEnabled": "[parameters('mtls')]"}}]}"#,
    );
    write(
        dir.path(),
        "off.json",
        r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "contentVersion": "1.0.0.0", "parameters": {"mtls": {"value": false}}}"#,
    );
    let (json, code) = run_json(bin().current_dir(dir.path()).arg("check").arg("arm"));
    assert_eq!(
        (code, json["resources"][0]["verdict"].as_str()),
        (0, Some("pass"))
    );
    let (json, code) = run_json(
        bin()
            .current_dir(dir.path())
            .arg("check")
            .arg("arm")
            .arg("--parameters")
            .arg("off.json"),
    );
    assert_eq!(code, 1, "{json}");
    let finding = &json["findings"][0];
    assert_eq!(finding["rule"], "client-cert-disabled");
    assert!(
        finding["scenario"].as_str().unwrap().contains("off.json"),
        "{finding}"
    );
    assert!(
        finding["origin"][0]["path"]
            .as_str()
            .unwrap()
            .ends_with("off.json"),
        "{finding}"
    );
}

#[test]
fn explain_accepts_any_case_peer_ids_and_no_rule() {
    for (given, heading) in [
        ("CKV_AZURE_17", "# client-cert-disabled"),
        ("avd-azu-0001", "# client-cert-disabled"),
        ("Client-Cert-Disabled", "# client-cert-disabled"),
        ("unused-exception", "# unused-exception"),
        ("INVALID-EXCEPTION", "# invalid-exception"),
    ] {
        let output = bin().arg("explain").arg(given).output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{given}");
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(text.contains(heading), "{given}: {text}");
    }
    let peer = bin().args(["explain", "CKV_AZURE_17"]).output().unwrap();
    assert!(String::from_utf8_lossy(&peer.stdout).starts_with("Checkov's CKV_AZURE_17"));
    // No rule, or an unknown one: every rule is listed, the exception rules included.
    let listing = bin().arg("explain").output().unwrap();
    assert_eq!(listing.status.code(), Some(0));
    let unknown = bin().args(["explain", "nope"]).output().unwrap();
    assert_eq!(unknown.status.code(), Some(2));
    let listed = String::from_utf8_lossy(&listing.stdout);
    let named = String::from_utf8_lossy(&unknown.stderr);
    for rule in certgate::rules::RULES
        .iter()
        .map(|r| r.id.as_str())
        .chain(["unused-exception", "invalid-exception"])
    {
        assert!(listed.contains(rule), "{rule}: {listed}");
        assert!(named.contains(rule), "{rule}: {named}");
    }
}

const BOOL_VARIABLE_TF: &str = r#"variable "flag" {
  type    = bool
  default = true
}

resource "azurerm_linux_web_app" "api" {
  client_certificate_enabled = var.flag
  client_certificate_mode    = "Required"
}
"#;

#[test]
fn parameters_of_the_wrong_kind_stop_the_run() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", BOOL_VARIABLE_TF);
    write(dir.path(), "prod.tfvars", "flag = false\n");
    write(dir.path(), "prod.tfvars.json", "{\"flag\": false}\n");
    for file in ["prod.tfvars", "prod.tfvars.json"] {
        let output = bin()
            .current_dir(dir.path())
            .args(["check", "--parameters", file, "."])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{file}");
        assert!(output.stdout.is_empty(), "{file}: nothing is scanned");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(&format!("--parameters {file}: not a parameter file"))
                && stderr.contains(".bicepparam")
                && stderr.contains("--var-file"),
            "{stderr}"
        );
    }
}

#[test]
fn a_var_for_an_undeclared_variable_is_an_error_at_the_argument() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", BOOL_VARIABLE_TF);
    for path in [".", "main.tf"] {
        let (report, code) =
            run_json(
                bin()
                    .current_dir(dir.path())
                    .args(["check", "--var", "flg=false", path]),
            );
        assert_eq!(code, 2, "{path}: {report}");
        let error = &report["errors"][0];
        assert_eq!(error["path"], "<command line>", "{report}");
        assert_eq!(
            (error["line"].as_u64(), error["column"].as_u64()),
            (Some(1), Some(7))
        );
        assert!(
            error["message"]
                .as_str()
                .unwrap()
                .contains("undeclared variable: no scanned root module declares a variable `flg`"),
            "{report}"
        );
        // The site is still judged, with its default.
        assert_eq!(report["resources"][0]["verdict"], "pass", "{report}");
    }
    // A scan with no Terraform root at all: nothing declares it either.
    let empty = tempfile::tempdir().unwrap();
    let (report, code) = run_json(
        bin()
            .current_dir(empty.path())
            .args(["check", "--var", "x=1", "."]),
    );
    assert_eq!(code, 2, "{report}");
}

#[test]
fn a_var_value_terraform_cannot_convert_to_the_type_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", BOOL_VARIABLE_TF);
    for value in ["maybe", "5", "\"yes\""] {
        let (report, code) = run_json(bin().current_dir(dir.path()).args([
            "check",
            "--var",
            &format!("flag={value}"),
            ".",
        ]));
        assert_eq!(code, 2, "{value}: {report}");
        let message = report["errors"][0]["message"].as_str().unwrap();
        assert!(
            message.starts_with("invalid value for variable `flag`: Terraform refuses it"),
            "{value}: {message}"
        );
    }
    // Values Terraform converts are fine.
    for value in ["true", "false", "\"true\""] {
        let (report, code) = run_json(bin().current_dir(dir.path()).args([
            "check",
            "--var",
            &format!("flag={value}"),
            ".",
        ]));
        assert_eq!(report["errors"], serde_json::json!([]), "{value}");
        assert_ne!(code, 2, "{value}");
    }
}

/// Each error that stops a run (now returned to `main` and printed there) is one `error:`
/// line on stderr, exactly as before, with nothing on stdout and exit code 2.
#[test]
fn errors_that_stop_a_run_are_printed_once_with_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", PASSING_TF);
    write(dir.path(), "certgate.toml", "");
    write(dir.path(), "latin1.json", b"\xe9\n");
    std::fs::create_dir(dir.path().join("out")).unwrap();
    let cases: [(&[&str], &str); 7] = [
        (
            &["check", "--config", "nope.toml", "."],
            "error: --config nope.toml: cannot read: no such file or directory\n",
        ),
        (
            &["check", "--parameters", "prod.tfvars", "."],
            "error: --parameters prod.tfvars: not a parameter file; --parameters takes ARM \
             parameter JSON (`.json`) or Bicep parameters (`.bicepparam`); for Terraform \
             variables use --var-file\n",
        ),
        (
            &["check", "--baseline", "latin1.json", "."],
            "error: cannot read the baseline latin1.json: invalid UTF-8: certgate reads UTF-8 \
             text\n",
        ),
        (
            &["check", "--output", "out", "."],
            "error: cannot write the report out: ",
        ),
        (
            &["exceptions", "--config", "nope.toml"],
            "error: --config nope.toml: cannot read: no such file or directory\n",
        ),
        (
            &["init"],
            "error: ./certgate.toml already exists; pass --force to overwrite it\n",
        ),
        (
            &["explain", "nope"],
            "error: unknown rule `nope`; known rules: client-cert-unsupported, ",
        ),
    ];
    for (args, expected) in cases {
        let output = bin().current_dir(dir.path()).args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{args:?}");
        assert!(stderr.starts_with(expected), "{args:?}: {stderr}");
        assert_eq!(stderr.matches("error:").count(), 1, "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
    }
}
