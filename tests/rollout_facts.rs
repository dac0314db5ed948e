//! The rollout facts in a real run: every JSON resource has its `exposure` and `environment`
//! (value, reason, location), `[environments]` globs in `certgate.toml` decide first and point
//! at the glob, a bad `[environments]` stops the run with its position, and only directories
//! inside the project root name an environment.

use serde_json::Value;

mod common;
use common::{check, run_json, tree};

const SITE: &str = r#"resource "azurerm_linux_web_app" "api" {
  client_certificate_enabled = false
}
"#;

fn only_resource(report: &Value) -> &Value {
    let resources = report["resources"].as_array().unwrap();
    assert_eq!(resources.len(), 1, "{report:#}");
    &resources[0]
}

#[test]
fn json_resources_carry_exposure_and_environment_with_reason_and_location() {
    let dir = tree(&[
        (
            "certgate.toml",
            "[environments]\nnon-production = [\"sandboxes/**\"]\n",
        ),
        ("sandboxes/team-a/main.tf", SITE),
    ]);
    let (report, code) = run_json(check(dir.path()).arg("."));
    assert_eq!(code, 1);
    assert_eq!(report["version"], 3);
    let resource = only_resource(&report);
    assert_eq!(
        resource["exposure"],
        serde_json::json!({
            "value": "internet",
            "reason": "public network access and unmatched requests are allowed by default",
            "location": null
        })
    );
    assert_eq!(resource["environment"]["value"], "non-production");
    assert_eq!(
        resource["environment"]["reason"],
        "[environments] non-production glob `sandboxes/**` matches sandboxes/team-a/main.tf"
    );
    assert_eq!(
        resource["environment"]["location"],
        serde_json::json!({"path": "certgate.toml", "line": 2, "column": 19})
    );
}

#[test]
fn a_bad_environments_table_stops_the_run_with_its_position() {
    let dir = tree(&[
        (
            "certgate.toml",
            "[environments]\nprod = [\"envs/prod/**\"]\n",
        ),
        ("main.tf", SITE),
    ]);
    let (report, code) = run_json(check(dir.path()).arg("."));
    assert_eq!(code, 2);
    assert_eq!(
        report["errors"],
        serde_json::json!([{
            "path": "certgate.toml",
            "line": 2,
            "column": 1,
            "message": "invalid certgate.toml: unknown key `prod` in [environments]: the keys \
                        are `production`, `non-production`"
        }])
    );
}

#[test]
fn only_directories_inside_the_project_root_name_an_environment() {
    let dir = tree(&[("prod/repo/main.tf", SITE)]);
    // From above, `prod` is a directory of the project: it names the environment.
    let (above, _) = run_json(check(dir.path()).arg("prod/repo"));
    assert_eq!(only_resource(&above)["environment"]["value"], "production");
    // From inside, the project is the scanned directory: what lies above it says nothing.
    let repo = dir.path().join("prod/repo");
    let (inside, _) = run_json(check(&repo).arg("."));
    let environment = &only_resource(&inside)["environment"];
    assert_eq!(environment["value"], "unknown");
    assert_eq!(environment["location"], Value::Null);
}

#[test]
fn the_human_output_tags_each_finding_with_its_exposure_and_environment() {
    let dir = tree(&[("envs/dev/main.tf", SITE)]);
    let output = check(dir.path()).arg(".").output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("client-cert-disabled [internet · non-production]"),
        "{stdout}"
    );
}
