//! `--format sarif` over the whole fixtures tree: valid against the official SARIF 2.1.0 schema
//! (tests/data, see its README), with the fields code scanning relies on.

mod common;

use assert_cmd::Command;
use serde_json::Value;

/// The SARIF log of `certgate check fixtures`, run from the crate root like CI runs from a
/// repository root.
fn fixtures_sarif() -> Value {
    let output = Command::cargo_bin("certgate")
        .expect("the binary builds")
        .args([
            "check",
            "fixtures",
            "--format",
            "sarif",
            "--today",
            "2026-06-01",
        ])
        .output()
        .expect("certgate runs");
    // Some fixtures are deliberately broken, so the run fails (exit 2) but still reports.
    assert_eq!(
        output.status.code(),
        Some(2),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("SARIF output is JSON")
}

fn results(log: &Value) -> &Vec<Value> {
    log["runs"][0]["results"].as_array().expect("results")
}

fn result_for<'a>(log: &'a Value, rule: &str, path_end: &str, address: &str) -> &'a Value {
    results(log)
        .iter()
        .find(|r| {
            r["ruleId"] == rule
                && r["properties"]["address"] == address
                && r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .is_some_and(|uri| uri.ends_with(path_end))
        })
        .unwrap_or_else(|| panic!("a {rule} result in {path_end}"))
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let text =
        std::fs::read_to_string("tests/data/sarif-schema-2.1.0.json").expect("vendored schema");
    // The official schema's `run.language` pattern has a stray `]`, legal only under ECMA-262
    // Annex B; jsonschema's meta-schema check rejects it and cannot be turned off. Escaping it
    // keeps the same meaning (certgate never writes `language` anyway) and the file unmodified.
    let stray = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
    assert!(
        text.contains(stray),
        "the vendored schema changed: revisit this patch"
    );
    let text = text.replace(stray, r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#);
    let mut schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    // This copy keeps the log's own constraints in `definitions/Root` instead of at the top
    // level, where they would apply; point the top level at them.
    if schema.get("properties").is_none() && schema["definitions"].get("Root").is_some() {
        schema["$ref"] = Value::from("#/definitions/Root");
    }
    let validator = jsonschema::draft7::options()
        .should_validate_formats(false)
        .build(&schema)
        .expect("schema compiles");
    // The validator does reject a log without a tool ...
    let broken = serde_json::json!({ "version": "2.1.0", "runs": [{ "results": [] }] });
    assert!(!validator.is_valid(&broken));
    // ... and a nested mistake (a result level SARIF does not define).
    let nested = serde_json::json!({ "version": "2.1.0", "runs": [{
        "tool": { "driver": { "name": "certgate" } },
        "results": [{ "ruleId": "x", "level": "fatal", "message": { "text": "m" } }],
    }] });
    assert!(!validator.is_valid(&nested));
    let log = fixtures_sarif();
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "schema violations:\n{}",
        errors.join("\n")
    );
}

#[test]
fn sarif_describes_the_tool_and_every_rule() {
    let log = fixtures_sarif();
    assert_eq!(log["version"], "2.1.0");
    let driver = &log["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "certgate");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let ids: Vec<&str> = driver["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    for rule in certgate::rules::RULES {
        assert!(ids.contains(&rule.id.as_str()), "{} missing", rule.id);
    }
    assert!(ids.contains(&"unused-exception") && ids.contains(&"invalid-exception"));
    let disabled = &driver["rules"][ids
        .iter()
        .position(|id| *id == "client-cert-disabled")
        .unwrap_or(0)];
    assert_eq!(disabled["defaultConfiguration"]["level"], "error");
    let tags = disabled["properties"]["tags"].as_array().expect("tags");
    for tag in ["security", "CIS-Azure-9.4", "CKV_AZURE_17", "AVD-AZU-0001"] {
        assert!(tags.iter().any(|t| t == tag), "tag {tag}");
    }
    // GitHub ranks alerts by `security-severity`: errors high, warnings medium.
    for rule in driver["rules"].as_array().expect("rules") {
        let level = &rule["defaultConfiguration"]["level"];
        let expected = if level == "error" { "7.5" } else { "5.0" };
        assert_eq!(rule["properties"]["security-severity"], expected, "{rule}");
    }
    assert_eq!(disabled["relationships"][0]["target"]["id"], "CKV_AZURE_17");
    assert!(
        disabled["help"]["markdown"]
            .as_str()
            .is_some_and(|m| m.contains("## Fix"))
    );
}

#[test]
fn sarif_results_locate_fingerprint_fix_and_suppress() {
    let log = fixtures_sarif();

    // A web app without the flag: relative uri, 1-based region, the baseline fingerprint, a fix.
    let missing = result_for(
        &log,
        "client-cert-disabled",
        "terraform/fix_missing/main.tf",
        "azurerm_linux_web_app.portal",
    );
    assert_eq!(missing["level"], "error");
    let location = &missing["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"],
        "fixtures/terraform/fix_missing/main.tf"
    );
    assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(location["region"]["startLine"], 4);
    assert_eq!(location["region"]["startColumn"], 1);
    assert_eq!(
        missing["partialFingerprints"]["certgate/v1"],
        "client-cert-disabled|fixtures/terraform/fix_missing/main.tf|azurerm_linux_web_app.portal|"
    );
    let change = &missing["fixes"][0]["artifactChanges"][0];
    assert_eq!(
        change["artifactLocation"]["uri"],
        "fixtures/terraform/fix_missing/main.tf"
    );
    let replacements = change["replacements"].as_array().expect("replacements");
    assert!(replacements.iter().any(|r| {
        r["insertedContent"]["text"] == "  client_certificate_enabled = true\n"
            && r["deletedRegion"]["byteLength"] == 0
    }));
    assert!(change["replacements"][0]["deletedRegion"]["byteOffset"].is_u64());

    // An inline comment suppresses in source; a certgate.toml exception externally.
    let inline = result_for(
        &log,
        "client-cert-disabled",
        "suppress_certgate_active/main.tf",
        "azurerm_linux_web_app.partner",
    );
    assert_eq!(inline["suppressions"][0]["kind"], "inSource");
    assert_eq!(
        inline["suppressions"][0]["justification"],
        "legacy partner API cannot present certificates"
    );
    let external = result_for(
        &log,
        "client-cert-disabled",
        "config_exceptions/envs/prod/main.tf",
        "azurerm_linux_web_app.partner_eu",
    );
    assert_eq!(external["suppressions"][0]["kind"], "external");
    assert_eq!(
        external["suppressions"][0]["justification"],
        "legacy partner APIs cannot present client certificates"
    );

    // Every uri is relative and `/`-separated.
    for result in results(&log) {
        let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .expect("uri");
        assert!(uri.starts_with("fixtures/") && !uri.contains('\\'), "{uri}");
    }

    // Broken files make the run unsuccessful and appear as error notifications.
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notifications = invocation["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    assert!(notifications.iter().any(|n| n["level"] == "error"));
    assert!(notifications.iter().any(|n| n["level"] == "note"));
}

#[test]
fn sarif_results_carry_their_resources_exposure_and_environment() {
    let log = fixtures_sarif();
    let result = result_for(
        &log,
        "client-cert-disabled",
        "rollout/config_glob/apps/web/main.tf",
        "azurerm_linux_web_app.web",
    );
    let properties = &result["properties"];
    assert_eq!(properties["exposure"], "internet");
    assert_eq!(
        properties["exposureReason"],
        "public network access and unmatched requests are allowed by default"
    );
    assert_eq!(properties["environment"], "production");
    assert_eq!(
        properties["environmentReason"],
        "[environments] production glob `apps/**` matches apps/web/main.tf"
    );
    // A finding about an exception belongs to no resource: it has no rollout facts.
    let exception = results(&log)
        .iter()
        .find(|r| r["ruleId"] == "unused-exception")
        .expect("an unused-exception result");
    assert!(exception["properties"].get("exposure").is_none());
}

/// The SARIF log of one fixture folder.
fn folder_sarif(folder: &str) -> Value {
    let output = Command::cargo_bin("certgate")
        .expect("the binary builds")
        .args([
            "check",
            folder,
            "--format",
            "sarif",
            "--today",
            "2026-06-01",
        ])
        .output()
        .expect("certgate runs");
    serde_json::from_slice(&output.stdout).expect("SARIF output is JSON")
}

#[test]
fn the_sarif_run_carries_the_guardrail_status_and_the_kinds_it_covers() {
    let present = folder_sarif("fixtures/guardrail/terraform_direct");
    let guardrail = &present["runs"][0]["properties"]["guardrail"];
    assert_eq!(guardrail["status"], "present", "{guardrail}");
    assert!(
        guardrail["covers"]
            .as_array()
            .is_some_and(|kinds| kinds.iter().any(|k| k == "web-app")),
        "{guardrail}"
    );
    let disabled = folder_sarif("fixtures/guardrail/effect_disabled");
    assert_eq!(
        disabled["runs"][0]["properties"]["guardrail"]["status"],
        "present-but-disabled"
    );
    let missing = folder_sarif("fixtures/guardrail/missing");
    let guardrail = &missing["runs"][0]["properties"]["guardrail"];
    assert_eq!(guardrail["status"], "absent");
    assert_eq!(guardrail["covers"], serde_json::json!([]));
}

/// The SARIF log of `certgate check TARGET` run in `cwd`.
fn sarif_in(cwd: &std::path::Path, target: &str) -> Value {
    let output = Command::cargo_bin("certgate")
        .expect("the binary builds")
        .current_dir(cwd)
        .args(["check", target, "--format", "sarif"])
        .output()
        .expect("certgate runs");
    assert_eq!(output.status.code(), Some(1), "one finding");
    serde_json::from_slice(&output.stdout).expect("SARIF output is JSON")
}

#[test]
fn sarif_paths_are_relative_to_the_repository_root_from_a_subdirectory_and_from_outside() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let repo = common::repo_with_infra_main_tf(dir.path(), DISABLED_SITE);
    let root = repo.canonicalize().expect("the repository");
    for (cwd, target) in [
        (repo.join("infra"), "."),
        (dir.path().to_path_buf(), "repo/infra"),
    ] {
        let log = sarif_in(&cwd, target);
        let run = &log["runs"][0];
        let location = &run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(location["uri"], "infra/main.tf", "from {}", cwd.display());
        assert_eq!(location["uriBaseId"], "%SRCROOT%");
        // The repository as a `file:` directory URI, however this OS spells the temporary
        // directory (macOS reaches it through the `/var` → `/private/var` link, Windows
        // names a drive: `file:///C:/…`).
        let uri = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
            .as_str()
            .expect("a URI");
        assert!(
            uri.starts_with("file:///") && uri.ends_with("/repo/"),
            "{uri}"
        );
        let named = url::Url::parse(uri)
            .expect("a valid URI")
            .to_file_path()
            .expect("a file path");
        assert_eq!(named.canonicalize().expect("it exists"), root, "{uri}");
    }
}

#[test]
fn sarif_fingerprints_do_not_change_with_the_directory_certgate_runs_from() {
    // GitHub tracks an alert by its fingerprint: a workflow that runs certgate from a
    // subdirectory must not close every alert and open it again.
    let dir = tempfile::tempdir().expect("a temp dir");
    let repo = common::repo_with_infra_main_tf(dir.path(), DISABLED_SITE);
    for (cwd, target) in [
        (repo.clone(), "infra"),
        (repo.join("infra"), "."),
        (dir.path().to_path_buf(), "repo/infra"),
    ] {
        let log = sarif_in(&cwd, target);
        assert_eq!(
            log["runs"][0]["results"][0]["partialFingerprints"]["certgate/v1"],
            "client-cert-disabled|infra/main.tf|azurerm_linux_web_app.bad|",
            "from {}",
            cwd.display()
        );
    }
}

/// One web app with client certificates disabled: one finding.
const DISABLED_SITE: &str =
    "resource \"azurerm_linux_web_app\" \"bad\" {\n  client_certificate_enabled = false\n}\n";
