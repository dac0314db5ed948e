//! `certgate check PATHS --deployed EXPORT...`: the drift table in human output, the top-level
//! `drift` array in JSON (schema version 3), SARIF properties, errors naming a file passed as
//! an export that holds code, and a snapshot of the drift of every `fixtures/drift/` folder.

use std::path::Path;

mod common;
use common::{Outcome, bin, check, tree};

/// A failing site whose name is a variable without a value: it cannot be matched by name.
const UNNAMED: &str = r#"variable "app_name" {
  type = string
}

resource "azurerm_linux_web_app" "api" {
  name                       = var.app_name
  resource_group_name        = "rg-orders"
  client_certificate_enabled = false
}
"#;

/// `az webapp list -o json` with one site.
const EXPORT: &str = r#"[
  {
    "clientCertEnabled": true,
    "clientCertExclusionPaths": null,
    "clientCertMode": "Required",
    "id": "/subscriptions/3f1a2b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b/resourceGroups/rg-orders/providers/Microsoft.Web/sites/orders-api",
    "kind": "app,linux",
    "name": "orders-api",
    "publicNetworkAccess": "Enabled",
    "resourceGroup": "rg-orders",
    "tags": {},
    "type": "Microsoft.Web/sites"
  }
]
"#;

fn run(dir: &Path, args: &[&str]) -> Outcome {
    Outcome::of(check(dir).args(args))
}

#[test]
fn json_has_a_drift_array_only_with_deployed_and_schema_version_3() {
    let dir = tree(&[("infra/main.tf", UNNAMED), ("export.json", EXPORT)]);
    let plain = run(dir.path(), &["infra", "--format", "json"]).json();
    assert_eq!(plain["version"], 3);
    assert!(plain.get("drift").is_none(), "{plain:#}");

    let outcome = run(
        dir.path(),
        &["infra", "--deployed", "export.json", "--format", "json"],
    );
    assert_eq!(outcome.code, 1, "{}", outcome.stdout);
    let report = outcome.json();
    assert_eq!(report["version"], 3);
    // The export's sites are no findings of this run: only the code's resource is judged.
    let resources = report["resources"].as_array().unwrap();
    assert_eq!(resources.len(), 1, "{report:#}");
    let drift = report["drift"].as_array().unwrap();
    // The export's site: deployed, in no code (the code's site has no name to match it by).
    assert!(
        drift.iter().any(|e| e["state"] == "unmanaged"
            && e["deployed"]["id"]
                .as_str()
                .is_some_and(|id| id.ends_with("/sites/orders-api"))
            && e["deployed"]["path"] == "export.json"),
        "{report:#}"
    );
    let entry = drift
        .iter()
        .find(|e| !e["code"].is_null())
        .expect("the code site has an entry");
    assert_eq!(entry["state"], "name-unresolved");
    assert_eq!(entry["matched_by"], serde_json::Value::Null);
    assert_eq!(entry["deployed"], serde_json::Value::Null);
    assert_eq!(
        entry["code"],
        serde_json::json!({
            "address": "azurerm_linux_web_app.api",
            "path": "infra/main.tf",
            "line": 5,
            "verdict": "client-cert-disabled",
            "scenario": null,
        })
    );
    let note = entry["note"].as_str().unwrap();
    assert!(
        note.starts_with("azurerm_linux_web_app.api cannot be matched by name: "),
        "{note}"
    );
}

#[test]
fn human_output_shows_the_drift_table_after_the_findings_and_before_the_summary() {
    let dir = tree(&[("infra/main.tf", UNNAMED), ("export.json", EXPORT)]);
    let outcome = run(dir.path(), &["infra", "--deployed", "export.json"]);
    assert_eq!(outcome.code, 1, "{}", outcome.stdout);
    let text = &outcome.stdout;
    let finding = text.find("client-cert-disabled").expect(text);
    let table = text
        .find("Drift between code and deployment (")
        .expect(text);
    let summary = text.find("Scanned ").expect(text);
    assert!(finding < table && table < summary, "{text}");
    let row: Vec<&str> = text
        .lines()
        .find(|line| line.starts_with("name-unresolved "))
        .expect(text)
        .split_whitespace()
        .collect();
    assert_eq!(
        row,
        [
            "name-unresolved",
            "azurerm_linux_web_app.api",
            "infra/main.tf:5",
            "-",
            "-"
        ]
    );
    // Without --deployed there is no table.
    let plain = run(dir.path(), &["infra"]);
    assert!(!plain.stdout.contains("Drift between"), "{}", plain.stdout);
}

#[test]
fn sarif_results_and_the_run_carry_the_drift() {
    let dir = tree(&[("infra/main.tf", UNNAMED), ("export.json", EXPORT)]);
    let outcome = run(
        dir.path(),
        &["infra", "--deployed", "export.json", "--format", "sarif"],
    );
    let log = outcome.json();
    let run = &log["runs"][0];
    let result = &run["results"][0];
    assert_eq!(
        result["properties"]["drift"],
        serde_json::json!([{ "state": "name-unresolved", "deployedId": null, "matchedBy": null }])
    );
    assert_eq!(run["properties"]["drift"]["states"]["name-unresolved"], 1);
    assert!(run["properties"]["drift"]["unmanaged"].is_array());
    // Without --deployed, neither.
    let plain = Outcome::of(check(dir.path()).args(["infra", "--format", "sarif"])).json();
    assert!(
        plain["runs"][0]["results"][0]["properties"]
            .get("drift")
            .is_none()
    );
    assert!(plain["runs"][0]["properties"].get("drift").is_none());
}

#[test]
fn a_code_file_passed_as_an_export_is_an_error_naming_it() {
    let dir = tree(&[("infra/main.tf", UNNAMED), ("other/site.tf", UNNAMED)]);
    let outcome = run(
        dir.path(),
        &["infra", "--deployed", "other/site.tf", "--format", "json"],
    );
    assert_eq!(outcome.code, 2, "{}", outcome.stdout);
    let report = outcome.json();
    let errors = report["errors"].as_array().unwrap();
    assert!(
        errors.iter().any(|e| e["path"] == "other/site.tf"
            && e["message"]
                .as_str()
                .unwrap()
                .contains("--deployed reads inventory exports")),
        "{report:#}"
    );
}

#[test]
fn an_export_nothing_is_read_from_is_an_error_naming_it() {
    let dir = tree(&[
        ("infra/main.tf", UNNAMED),
        (
            "sites.csv",
            "name,resourceGroup,clientCertEnabled\norders-api,rg-orders,true\n",
        ),
    ]);
    let outcome = run(
        dir.path(),
        &["infra", "--deployed", "sites.csv", "--format", "json"],
    );
    assert_eq!(outcome.code, 2, "{}", outcome.stdout);
    let report = outcome.json();
    let errors = report["errors"].as_array().unwrap();
    assert!(
        errors.iter().any(|e| e["path"] == "sites.csv"
            && e["message"]
                .as_str()
                .unwrap()
                .starts_with("no deployed site or slot was read from this --deployed file")),
        "{report:#}"
    );
}

#[test]
fn deployed_cannot_be_combined_with_diff() {
    let dir = tree(&[("infra/main.tf", UNNAMED), ("export.json", EXPORT)]);
    let outcome = run(
        dir.path(),
        &["infra", "--diff", "--deployed", "export.json"],
    );
    assert_eq!(outcome.code, 2);
    assert!(outcome.stderr.contains("--deployed"), "{}", outcome.stderr);
}

/// Every state of a site between code and deployment.
const STATES: [&str; 7] = [
    "in-step",
    "code-fixed-deployment-not",
    "deployment-fixed-code-not",
    "both-failing",
    "unmanaged",
    "name-unresolved",
    "not-deployed",
];

/// The drift table of `fixtures/drift/<name>/`: its code (every file but the exports) checked
/// against its exports (`*.json` files holding no plan).
#[test]
fn every_drift_fixture_matches_its_snapshot() {
    insta::glob!("../fixtures", "drift/*", |found| {
        if !found.is_dir() {
            return;
        }
        let dir = Path::new("fixtures/drift").join(found.file_name().unwrap());
        let mut code = Vec::new();
        let mut exports = Vec::new();
        let mut files: Vec<_> = std::fs::read_dir(found)
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        files.sort();
        for name in files {
            let file = dir.join(&name);
            let name = name.to_string_lossy().into_owned();
            if name.ends_with(".json") && !name.starts_with("tfplan") {
                exports.push(file);
            } else {
                code.push(file);
            }
        }
        let mut cmd = bin();
        cmd.arg("check").args(&code).arg("--quiet");
        for export in &exports {
            cmd.arg("--deployed").arg(export);
        }
        let outcome = Outcome::of(&mut cmd);
        let table = outcome
            .stdout
            .find("Drift between")
            .map(|at| outcome.stdout[at..].to_string())
            .unwrap_or_else(|| panic!("no drift table: {}", outcome.stdout));
        // A folder named after a state shows that state.
        let state = found
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace('_', "-");
        if STATES.contains(&state.as_str()) {
            assert!(
                table
                    .lines()
                    .any(|line| line.starts_with(&format!("{state} "))),
                "{state}: {table}"
            );
        }
        let mut snapshots = insta::Settings::clone_current();
        snapshots.set_snapshot_path("snapshots/drift");
        snapshots.set_prepend_module_to_snapshot(false);
        snapshots.remove_snapshot_suffix();
        snapshots.remove_input_file();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        snapshots.bind(|| insta::assert_snapshot!(name, table));
    });
}
