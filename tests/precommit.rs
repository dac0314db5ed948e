//! Explicit files (pre-commit) and `--stdin-filename` (editors): the given files' units are
//! read for values, and only the findings those files cause are reported.

use std::fs;
use std::path::Path;

use serde_json::Value;

mod common;
use common::{check, tree};

/// Runs `check --format json` with `args` and returns the exit code and the parsed report.
fn json(dir: &Path, args: &[&str], stdin: Option<&str>) -> (Option<i32>, Value) {
    let mut cmd = check(dir);
    cmd.args(["--format", "json"]).args(args);
    if let Some(buffer) = stdin {
        cmd.write_stdin(buffer);
    }
    let output = cmd.output().unwrap();
    (output.status.code(), common::stdout_json(&output))
}

/// `(address, path)` of each finding.
fn findings(report: &Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["address"].as_str().unwrap().to_string(),
                f["path"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// A root that calls a module with `mtls = true`, and fails itself; the module's `this` site
/// takes `mtls` (default false) and its `other.tf` site fails on its own.
const MODULE_TREE: &[(&str, &str)] = &[
    (
        "main.tf",
        "module \"site\" {\n  source = \"./modules/site\"\n  mtls   = true\n}\n\n\
         resource \"azurerm_linux_web_app\" \"root\" {\n  name = \"root\"\n}\n",
    ),
    (
        "modules/site/variables.tf",
        "variable \"mtls\" {\n  type    = bool\n  default = false\n}\n",
    ),
    (
        "modules/site/main.tf",
        "resource \"azurerm_linux_web_app\" \"this\" {\n  name                       = \"site\"\n  \
         client_certificate_enabled = var.mtls\n  client_certificate_mode    = \"Required\"\n}\n",
    ),
    (
        "modules/site/other.tf",
        "resource \"azurerm_linux_web_app\" \"other\" {\n  name = \"other\"\n}\n",
    ),
];

#[test]
fn a_module_file_alone_reports_only_its_findings_with_values_from_its_unit() {
    let dir = tree(MODULE_TREE);
    let (code, report) = json(dir.path(), &["modules/site/main.tf"], None);
    assert_eq!(code, Some(1));
    // Not `other.tf`'s site, though the whole module directory was read: the variable's
    // default in variables.tf is what makes `this` fail (no caller among the given files).
    assert_eq!(
        findings(&report),
        [(
            "azurerm_linux_web_app.this".to_string(),
            "modules/site/main.tf".to_string()
        )]
    );
    let origin = &report["findings"][0]["origin"][0];
    assert_eq!(origin["path"], "modules/site/variables.tf");
    assert_eq!(origin["note"], "default of variable `mtls`");
    assert_eq!(report["resources"].as_array().unwrap().len(), 1);
}

#[test]
fn a_module_staged_with_its_caller_is_judged_through_the_caller() {
    let dir = tree(MODULE_TREE);
    let (code, report) = json(dir.path(), &["main.tf", "modules/site/main.tf"], None);
    assert_eq!(code, Some(1));
    assert_eq!(
        findings(&report),
        [(
            "azurerm_linux_web_app.root".to_string(),
            "main.tf".to_string()
        )]
    );
    let verdicts: Vec<(&str, &str)> = report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["address"].as_str().unwrap(),
                r["verdict"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        verdicts,
        [
            ("azurerm_linux_web_app.root", "client-cert-disabled"),
            ("module.site.azurerm_linux_web_app.this", "pass")
        ]
    );
}

#[test]
fn a_directory_among_the_arguments_reports_everything() {
    let dir = tree(MODULE_TREE);
    let (_, report) = json(dir.path(), &["modules/site/main.tf", "."], None);
    assert_eq!(
        findings(&report),
        [
            (
                "azurerm_linux_web_app.root".to_string(),
                "main.tf".to_string()
            ),
            (
                "module.site.azurerm_linux_web_app.other".to_string(),
                "modules/site/other.tf".to_string()
            ),
        ]
    );
}

/// A root whose `shop` site takes its mode from a variable (default Required), an unrelated
/// failing site, and a `prod.tfvars` (not loaded by Terraform on its own) relaxing the mode.
const TFVARS_TREE: &[(&str, &str)] = &[
    (
        "env/main.tf",
        "variable \"mode\" {\n  type    = string\n  default = \"Required\"\n}\n\n\
         resource \"azurerm_windows_web_app\" \"shop\" {\n  name                       = \"shop\"\n  \
         client_certificate_enabled = true\n  client_certificate_mode    = var.mode\n}\n",
    ),
    (
        "env/other.tf",
        "resource \"azurerm_linux_web_app\" \"other\" {\n  name = \"other\"\n}\n",
    ),
    ("env/prod.tfvars", "mode = \"Optional\"\n"),
];

#[test]
fn a_tfvars_file_alone_reports_the_findings_its_values_cause() {
    let dir = tree(TFVARS_TREE);
    let (code, report) = json(dir.path(), &["env/prod.tfvars"], None);
    assert_eq!(code, Some(1));
    assert_eq!(
        findings(&report),
        [(
            "azurerm_windows_web_app.shop".to_string(),
            "env/main.tf".to_string()
        )]
    );
    let finding = &report["findings"][0];
    assert_eq!(finding["rule"], "client-cert-optional");
    assert_eq!(finding["origin"][0]["path"], "env/prod.tfvars");
}

#[test]
fn stdin_is_scanned_as_the_named_file_with_its_unit_from_disk() {
    // On disk the site requires certificates; the unsaved buffer turns them off through the
    // variable declared in variables.tf, which is read from disk.
    let dir = tree(&[
        (
            "main.tf",
            "resource \"azurerm_linux_web_app\" \"api\" {\n  name                       = \"api\"\n  \
             client_certificate_enabled = true\n  client_certificate_mode    = \"Required\"\n}\n",
        ),
        (
            "variables.tf",
            "variable \"mtls\" {\n  type    = bool\n  default = false\n}\n",
        ),
        (
            "other.tf",
            "resource \"azurerm_linux_web_app\" \"other\" {\n  name = \"other\"\n}\n",
        ),
    ]);
    let buffer = "resource \"azurerm_linux_web_app\" \"api\" {\n  name = \"api\"\n\n  \
                  client_certificate_enabled = var.mtls\n  client_certificate_mode    = \"Required\"\n}\n";
    let (code, report) = json(
        dir.path(),
        &["--stdin-filename", "main.tf", "-"],
        Some(buffer),
    );
    assert_eq!(code, Some(1));
    assert_eq!(
        findings(&report),
        [(
            "azurerm_linux_web_app.api".to_string(),
            "main.tf".to_string()
        )]
    );
    // The line of the buffer, not of the file on disk (line 3 there).
    assert_eq!(report["findings"][0]["line"], 4);
    assert_eq!(report["findings"][0]["origin"][0]["path"], "variables.tf");
    assert_eq!(
        fs::read_to_string(dir.path().join("main.tf"))
            .unwrap()
            .lines()
            .count(),
        5,
        "the file on disk is untouched"
    );

    // And a compliant buffer passes although the file's unit has a failing site elsewhere.
    let compliant = fs::read_to_string(dir.path().join("main.tf")).unwrap();
    let (code, report) = json(
        dir.path(),
        &["--stdin-filename", "main.tf", "-"],
        Some(&compliant),
    );
    assert_eq!(code, Some(0));
    assert!(findings(&report).is_empty());
}

#[test]
fn a_new_unsaved_file_is_scanned_with_its_directory_from_disk() {
    // The editor's buffer `new.tf` is not on disk yet, in an existing module directory and in
    // a directory that does not exist yet.
    let dir = tree(&[(
        "variables.tf",
        "variable \"mtls\" {\n  type    = bool\n  default = false\n}\n",
    )]);
    let buffer = "resource \"azurerm_linux_web_app\" \"api\" {\n  client_certificate_enabled = var.mtls\n}\n";
    let (code, report) = json(
        dir.path(),
        &["--stdin-filename", "new.tf", "-"],
        Some(buffer),
    );
    assert_eq!(code, Some(1), "{report}");
    assert_eq!(
        findings(&report),
        [(
            "azurerm_linux_web_app.api".to_string(),
            "new.tf".to_string()
        )]
    );
    assert_eq!(report["findings"][0]["origin"][0]["path"], "variables.tf");
    assert!(!dir.path().join("new.tf").exists(), "nothing is written");

    let (code, report) = json(
        dir.path(),
        &["--stdin-filename", "fresh/new.tf", "-"],
        Some(&buffer.replace("var.mtls", "false")),
    );
    assert_eq!(code, Some(1), "{report}");
    assert_eq!(report["errors"], serde_json::json!([]));
    assert_eq!(
        findings(&report),
        [(
            "azurerm_linux_web_app.api".to_string(),
            "fresh/new.tf".to_string()
        )]
    );
}

#[test]
fn dash_without_stdin_filename_is_a_usage_error() {
    let dir = tree(&[]);
    let output = check(dir.path()).arg("-").write_stdin("").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("`-` reads standard input, which needs --stdin-filename PATH"),
        "{stderr}"
    );
}

#[test]
fn stdin_cannot_be_fixed_in_place() {
    let dir = tree(&[("main.tf", "")]);
    let output = check(dir.path())
        .args(["--fix", "--stdin-filename", "main.tf", "-"])
        .write_stdin("")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8(output.stderr).unwrap().contains("--diff"));
}

#[test]
fn the_hook_manifest_names_both_hooks() {
    let text =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"))
            .unwrap();
    for needle in [
        "- id: certgate\n",
        "entry: certgate check\n",
        "- id: certgate-fix\n",
        "entry: certgate check --fix\n",
        "language: rust\n",
        "pass_filenames: true\n",
    ] {
        assert!(text.contains(needle), "missing {needle:?}");
    }
}

#[test]
fn a_fix_for_a_given_variables_file_is_checked_against_its_module() {
    // Only the tfvars file is given: its fix must still be validated against the site in
    // main.tf that takes the value (which passes afterwards, so it is not "gone").
    let dir = tree(&[
        (
            "main.tf",
            "variable \"mtls\" {\n  type = bool\n}\n\nresource \"azurerm_linux_web_app\" \"api\" {\n  \
             name                       = \"api\"\n  client_certificate_enabled = var.mtls\n  \
             client_certificate_mode    = \"Required\"\n}\n",
        ),
        ("terraform.tfvars", "mtls = false\n"),
    ]);
    let output = check(dir.path())
        .args(["--diff", "terraform.tfvars"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("-mtls = false\n+mtls = true\n"), "{stdout}");
    assert_eq!(
        fs::read_to_string(dir.path().join("terraform.tfvars")).unwrap(),
        "mtls = false\n"
    );
}

#[test]
fn a_fix_for_a_buffer_is_checked_with_the_buffer_not_the_file_on_disk() {
    // On disk the site passes on its own; the buffer makes it take `var.mtls`, whose default
    // in variables.tf is the place to fix. The check of that fix must read the buffer.
    let dir = tree(&[
        (
            "main.tf",
            "resource \"azurerm_linux_web_app\" \"api\" {\n  name = \"api\"\n}\n",
        ),
        (
            "variables.tf",
            "variable \"mtls\" {\n  type    = bool\n  default = false\n}\n",
        ),
    ]);
    let buffer = "resource \"azurerm_linux_web_app\" \"api\" {\n  name                       = \"api\"\n  \
                  client_certificate_enabled = var.mtls\n  client_certificate_mode    = \"Required\"\n}\n";
    let output = check(dir.path())
        .args(["--diff", "--stdin-filename", "main.tf", "-"])
        .write_stdin(buffer)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stdout.contains("-  default = false\n+  default = true\n"),
        "{stdout}\n{stderr}"
    );
}

#[test]
fn a_broken_config_fails_a_run_on_named_files() {
    let dir = tree(&[
        ("certgate.toml", "colour = true\n"),
        (
            "main.tf",
            "resource \"azurerm_linux_web_app\" \"a\" {\n  client_certificate_enabled = true\n}\n",
        ),
    ]);
    let (code, report) = json(dir.path(), &["main.tf"], None);
    assert_eq!(code, Some(2), "{report}");
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{report}");
    assert_eq!(errors[0]["path"], "certgate.toml");
    assert_eq!(
        (errors[0]["line"].as_u64(), errors[0]["column"].as_u64()),
        (Some(1), Some(1))
    );
    // The same through stdin, as an editor runs it.
    let (code, report) = json(
        dir.path(),
        &["--stdin-filename", "main.tf", "-"],
        Some("resource \"azurerm_linux_web_app\" \"a\" {}\n"),
    );
    assert_eq!(code, Some(2), "{report}");
    assert_eq!(report["errors"][0]["path"], "certgate.toml");
}

#[test]
fn a_missing_config_argument_stops_the_run_in_every_mode() {
    let dir = tree(&[(
        "main.tf",
        "resource \"azurerm_linux_web_app\" \"a\" {\n  client_certificate_enabled = true\n}\n",
    )]);
    for args in [
        &["check", "--config", "missing.toml", "main.tf"][..],
        &["check", "--config", "missing.toml", "."],
        &["exceptions", "--config", "missing.toml", "."],
        &["check", "--config", ".", "."],
    ] {
        let output = common::certgate(dir.path()).args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}: nothing was scanned");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("--config"), "{args:?}: {stderr}");
    }
}

#[test]
fn diff_on_stdin_for_a_new_file_prints_the_buffer_fix() {
    let dir = tree(&[]);
    let buffer =
        "resource \"azurerm_linux_web_app\" \"api\" {\n  client_certificate_enabled = false\n}\n";
    for name in ["new.tf", "fresh/new.tf"] {
        let output = check(dir.path())
            .args(["--diff", "--stdin-filename", name, "-"])
            .write_stdin(buffer)
            .output()
            .unwrap();
        let diff = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{name}: {stderr}");
        assert!(
            diff.contains(&format!("+++ b/{name}"))
                && diff.contains("-  client_certificate_enabled = false")
                && diff.contains("+  client_certificate_enabled = true"),
            "{name}: {diff}{stderr}"
        );
        assert!(
            stderr.contains("--fix would fix 1 of 1 finding in 1 file"),
            "{stderr}"
        );
        assert!(!dir.path().join(name).exists(), "nothing is written");
    }
}

/// The site is declared in `main.tf`, and `override.tf` sets its flag to false, so the finding
/// points into `override.tf`. Naming only `main.tf` must still report the site's finding: a
/// kept resource without its finding would count as failing while the run exits 0.
#[test]
fn a_named_file_keeps_the_finding_of_its_site_when_the_finding_points_elsewhere() {
    let site = "resource \"azurerm_linux_web_app\" \"web\" {\n  name = \"web\"\n  \
                resource_group_name = \"rg\"\n  location = \"westeurope\"\n  \
                service_plan_id = \"plan\"\n  client_certificate_enabled = true\n}\n";
    let dir = tree(&[
        ("main.tf", site),
        (
            "override.tf",
            "resource \"azurerm_linux_web_app\" \"web\" {\n  client_certificate_enabled = false\n}\n",
        ),
    ]);
    let (code, report) = json(dir.path(), &["main.tf"], None);
    assert_eq!(
        findings(&report),
        [(
            "azurerm_linux_web_app.web".to_string(),
            "override.tf".to_string()
        )]
    );
    assert_eq!(code, Some(1));
    assert_eq!(report["summary"]["resources"], 1);
    assert_eq!(report["summary"]["failing"], 1);
}
