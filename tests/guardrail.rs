//! `certgate guardrail` and the guardrail in `check`: each generated format parses as its
//! language, scanned by certgate it is a present guardrail covering all four site kinds (the
//! round trip), and its text is snapshotted; the hint line of `check` and how to turn it off.

mod common;

use certgate::guardrail::generate::{Effect, Format, Target, generate};
use certgate::report::guardrail::GuardrailStatus;
use certgate::{Settings, scan};

const MANAGEMENT_GROUP: &str = "/providers/Microsoft.Management/managementGroups/platform";
const SUBSCRIPTION: &str = "/subscriptions/00000000-0000-0000-0000-000000000001";
const ALL_KINDS: [&str; 4] = [
    "web-app",
    "web-app-slot",
    "function-app",
    "function-app-slot",
];

/// The file name each format is saved as.
fn file_name(format: Format) -> &'static str {
    match format {
        Format::Terraform => "main.tf",
        Format::Bicep => "main.bicep",
        Format::Arm => "azuredeploy.json",
    }
}

/// Scans `text` saved as a one-file project: the guardrail's status and covered kinds, and the
/// scan's errors.
fn round_trip(format: Format, text: &str) -> (GuardrailStatus, Vec<&'static str>, usize) {
    let dir = common::tree(&[(file_name(format), text)]);
    let report = scan(&[dir.path().to_path_buf()], &Settings::default());
    (
        report.guardrail.status(),
        report.guardrail.covered(),
        report.errors.len(),
    )
}

#[test]
fn every_generated_guardrail_is_detected_as_present_for_all_four_kinds() {
    for scope in [MANAGEMENT_GROUP, SUBSCRIPTION] {
        let target = Target::parse(scope).unwrap();
        for format in [Format::Terraform, Format::Bicep, Format::Arm] {
            for effect in [Effect::Audit, Effect::Deny] {
                let text = generate(&target, format, effect);
                let (status, covered, errors) = round_trip(format, &text);
                let case = format!("{scope} {format:?} {effect:?}");
                assert_eq!(status, GuardrailStatus::Present, "{case}\n{text}");
                assert_eq!(covered, ALL_KINDS, "{case}");
                assert_eq!(errors, 0, "{case}");
            }
        }
    }
}

#[test]
fn generated_code_parses_in_its_own_language() {
    for scope in [MANAGEMENT_GROUP, SUBSCRIPTION] {
        let target = Target::parse(scope).unwrap();
        for effect in [Effect::Audit, Effect::Deny] {
            let terraform = generate(&target, Format::Terraform, effect);
            hcl_edit::parser::parse_body(&terraform).expect("Terraform output parses");
            let arm = generate(&target, Format::Arm, effect);
            let json: serde_json::Value = serde_json::from_str(&arm).expect("ARM output is JSON");
            assert!(json["resources"].as_array().is_some_and(|r| r.len() >= 4));
            let bicep = generate(&target, Format::Bicep, effect);
            let parsed = certgate::parse_bicep(0, &bicep);
            assert!(parsed.errors.is_empty(), "{:?}\n{bicep}", parsed.errors);
        }
    }
}

#[test]
fn deny_output_carries_a_custom_definition_that_denies_sites_and_slots() {
    let target = Target::parse(MANAGEMENT_GROUP).unwrap();
    let arm = generate(&target, Format::Arm, Effect::Deny);
    let json: serde_json::Value = serde_json::from_str(&arm).unwrap();
    let definition = json["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["type"] == "Microsoft.Authorization/policyDefinitions")
        .expect("a custom definition");
    let rule = &definition["properties"]["policyRule"];
    assert_eq!(rule["then"]["effect"], "deny");
    let types: Vec<&str> = rule["if"]["anyOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|kind| kind["allOf"][0]["equals"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["Microsoft.Web/sites", "Microsoft.Web/sites/slots"]);
    // Audit output has no custom definition.
    let audit = generate(&target, Format::Arm, Effect::Audit);
    assert!(!audit.contains("policyDefinitions\""));
}

#[test]
fn generated_guardrails_match_their_snapshots() {
    for (scope, scope_name) in [
        (MANAGEMENT_GROUP, "management_group"),
        (SUBSCRIPTION, "subscription"),
    ] {
        let target = Target::parse(scope).unwrap();
        for (format, format_name) in [
            (Format::Terraform, "terraform"),
            (Format::Bicep, "bicep"),
            (Format::Arm, "arm"),
        ] {
            for (effect, effect_name) in [(Effect::Audit, "audit"), (Effect::Deny, "deny")] {
                let name = format!("{format_name}_{scope_name}_{effect_name}");
                insta::assert_snapshot!(name, generate(&target, format, effect));
            }
        }
    }
}

#[test]
fn the_command_prints_the_code_and_rejects_a_scope_it_cannot_assign_at() {
    let dir = tempfile::tempdir().unwrap();
    let output = common::certgate(dir.path())
        .args([
            "guardrail",
            "--scope",
            SUBSCRIPTION,
            "--format",
            "terraform",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        text.matches("azurerm_subscription_policy_assignment")
            .count(),
        4
    );
    let output = common::certgate(dir.path())
        .args([
            "guardrail",
            "--scope",
            "/subscriptions/prod",
            "--format",
            "bicep",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let error = String::from_utf8(output.stderr).unwrap();
    assert!(
        error.contains("`/subscriptions/prod` is not a valid subscription id"),
        "{error}"
    );
    assert!(output.stdout.is_empty());
}

const FAILING_SITE: &str =
    "resource \"azurerm_linux_web_app\" \"a\" {\n  client_certificate_enabled = false\n}\n";
const HINT: &str = "hint: no Azure Policy guardrail for client certificates found";

#[test]
fn check_mentions_a_missing_guardrail_once_only_when_sites_fail() {
    let failing = common::tree(&[("main.tf", FAILING_SITE)]);
    let output = common::check(failing.path()).output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(text.matches(HINT).count(), 1, "{text}");
    let passing = common::tree(&[(
        "main.tf",
        "resource \"azurerm_linux_web_app\" \"a\" {\n  client_certificate_enabled = true\n}\n",
    )]);
    let output = common::check(passing.path()).output().unwrap();
    assert!(!String::from_utf8(output.stdout).unwrap().contains("hint:"));
}

#[test]
fn the_hint_is_off_with_the_flag_or_the_config_key() {
    let dir = common::tree(&[("main.tf", FAILING_SITE)]);
    let output = common::check(dir.path())
        .arg("--no-guardrail-hint")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(!String::from_utf8(output.stdout).unwrap().contains("hint:"));
    let configured = common::tree(&[
        ("main.tf", FAILING_SITE),
        ("certgate.toml", "guardrail-hint = false\n"),
    ]);
    let output = common::check(configured.path()).output().unwrap();
    assert!(!String::from_utf8(output.stdout).unwrap().contains("hint:"));
    let bad = common::tree(&[
        ("main.tf", FAILING_SITE),
        ("certgate.toml", "guardrail-hint = \"no\"\n"),
    ]);
    let output = common::check(bad.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8(output.stdout)
            .unwrap()
            .contains("guardrail-hint")
    );
}

#[test]
fn a_present_guardrail_silences_the_hint_and_the_json_report_carries_it() {
    let target = Target::parse(MANAGEMENT_GROUP).unwrap();
    let dir = common::tree(&[
        ("main.tf", FAILING_SITE),
        (
            "platform/policy.tf",
            &generate(&target, Format::Terraform, Effect::Audit),
        ),
    ]);
    let output = common::check(dir.path()).output().unwrap();
    assert!(!String::from_utf8(output.stdout).unwrap().contains("hint:"));
    let (json, code) = common::run_json(&mut common::check(dir.path()));
    assert_eq!(code, 1);
    assert_eq!(json["version"], 3);
    assert_eq!(json["guardrail"]["status"], "present");
    assert_eq!(json["guardrail"]["covers"].as_array().unwrap().len(), 4);
    let first = &json["guardrail"]["assignments"][0];
    assert_eq!(first["scope"], "management-group");
    assert_eq!(first["state"], "active");
    assert_eq!(first["path"], "platform/policy.tf");
}

/// An active assignment of the web-app built-in only: the guardrail is `present`, but failing
/// function apps are not audited. `check` and `plan` said nothing of it (a platform team would
/// believe the estate guarded); they now name the kinds left out, and only when sites of those
/// kinds fail.
#[test]
fn a_guardrail_that_leaves_out_a_failing_sites_kind_is_named_by_check_and_plan() {
    const WEB_APP_ONLY: &str = "resource \"azurerm_subscription_policy_assignment\" \"web\" {\n  name                 = \"mtls-web-app\"\n  subscription_id      = \"/subscriptions/00000000-0000-0000-0000-000000000001\"\n  policy_definition_id = \"/providers/Microsoft.Authorization/policyDefinitions/19dd1db6-f442-49cf-a838-b0786b4401ef\"\n}\n";
    const FAILING_FUNCTION: &str = "resource \"azurerm_linux_function_app\" \"f\" {\n  client_certificate_enabled = false\n}\n";
    let gap = "does not cover function-app (failing here)";
    let dir = common::tree(&[
        ("platform/policy.tf", WEB_APP_ONLY),
        ("main.tf", FAILING_SITE),
        ("functions/main.tf", FAILING_FUNCTION),
    ]);
    let output = common::check(dir.path()).output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(text.matches(gap).count(), 1, "{text}");
    for format in ["human", "markdown"] {
        let output = common::certgate(dir.path())
            .args(["plan", "--format", format, "."])
            .output()
            .unwrap();
        let text = String::from_utf8(output.stdout).unwrap();
        assert!(
            text.contains("present") && text.contains(gap),
            "{format}: {text}"
        );
    }
    // Only web apps fail: the guardrail covers them, nothing to say.
    let covered = common::tree(&[
        ("platform/policy.tf", WEB_APP_ONLY),
        ("main.tf", FAILING_SITE),
    ]);
    let output = common::check(covered.path()).output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(!text.contains("hint:"), "{text}");
}
