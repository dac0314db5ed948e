//! The Azure Verified Module for web sites (`../shared/corpus/terraform-azurerm-avm-res-web-site`)
//! declares its site and slots with `azapi_resource`: every example that deploys them through
//! the module must report each with the verdict the example's inputs and the module's defaults
//! give (README "AzAPI", the table of examples). The corpus is not in the repository, so
//! a plain `cargo test` lists the test as ignored; run it with
//! `cargo test --test avm_corpus -- --ignored`. Without the corpus it fails rather than pass
//! having judged nothing.

use std::collections::BTreeMap;
use std::path::Path;

use certgate::{Settings, scan};

/// Example → (kind of the site, slot declaration deployed or not). Identical slot instances
/// (`slot1`, `slot2`, …) are reported once per declaration, as for every front end.
const EXAMPLES: &[(&str, &str, bool)] = &[
    ("always_ready", "function-app", false),
    ("application_stack", "web-app", true),
    ("auto_heal_enabled", "web-app", false),
    ("basic_auth", "function-app", false),
    ("custom_container", "web-app", false),
    ("custom_domain", "function-app", true),
    ("default", "web-app", false),
    ("deployment_slot_with_interfaces", "function-app", true),
    ("deployment_slots_with_sensitive_values", "web-app", true),
    ("existing", "web-app", true),
    ("flex_consumption", "function-app", false),
    ("function_app", "function-app", false),
    ("interfaces", "function-app", false),
    ("ip_restriction", "function-app", false),
    ("logic_app", "logic-app", false),
    ("logs", "web-app", true),
    ("mounted_storage", "web-app", true),
    ("storage_uses_managed_identity", "function-app", false),
    ("submodules", "web-app", false),
    ("web_app", "web-app", false),
    ("windows_dotnet10", "web-app", false),
    ("zip_deploy_file", "function-app", false),
];

const SITE: &str = "module.avm_res_web_site.azapi_resource.this";
const SLOT: &str = "module.avm_res_web_site.module.slot.azapi_resource.this";

fn ends_with(path: &Path, tail: &str) -> bool {
    path.to_string_lossy().ends_with(tail)
}

#[test]
#[ignore = "needs ../shared/corpus"]
fn every_avm_example_reports_its_site_and_slots_disabled_by_the_module_default() {
    let module = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/terraform-azurerm-avm-res-web-site");
    assert!(
        module.is_dir(),
        "{} is absent: this test needs the real-world corpus",
        module.display()
    );
    let report = scan(std::slice::from_ref(&module), &Settings::default());
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    // Only registry modules that need `terraform init` are not followed; no AzAPI notice.
    for notice in &report.notices {
        assert!(
            notice.message.contains("run `terraform init`"),
            "{}",
            notice.message
        );
    }

    let mut judged: BTreeMap<String, Vec<(String, String, &str)>> = BTreeMap::new();
    for resource in &report.resources {
        let scenario = resource.scenario.as_deref().unwrap_or_default();
        let example = scenario.rsplit('/').next().unwrap_or_default().to_string();
        judged.entry(example).or_default().push((
            resource.address.clone(),
            resource.kind.clone(),
            resource.verdict,
        ));
    }
    let mut expected: BTreeMap<String, Vec<(String, String, &str)>> = BTreeMap::new();
    for (example, kind, slots) in EXAMPLES {
        let mut resources = vec![(SITE.to_string(), kind.to_string(), "client-cert-disabled")];
        if *slots {
            resources.push((
                SLOT.to_string(),
                format!("{kind}-slot"),
                "client-cert-disabled",
            ));
        }
        expected.insert(example.to_string(), resources);
    }
    for resources in judged.values_mut() {
        resources.sort();
    }
    assert_eq!(judged, expected);
    assert_eq!(report.findings.len(), 22 + 7);

    // Each slot finding's first hop is the `optional(bool, false)` item of the module's
    // `deployment_slots` type, in the module's own `variables.tf`.
    let json: serde_json::Value =
        serde_json::from_str(&certgate::report::json::render(&report)).expect("valid JSON");
    let variables = module.join("variables.tf");
    let text = std::fs::read_to_string(&variables).expect("the module's variables.tf");
    let line_608 = text.lines().nth(607).unwrap_or_default();
    assert!(line_608.contains("optional(bool, false)"), "{line_608}");
    let slots: Vec<&serde_json::Value> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|finding| finding["address"] == SLOT)
        .collect();
    assert_eq!(slots.len(), 7);
    for finding in slots {
        let first = &finding["origin"][0];
        let path = Path::new(first["path"].as_str().unwrap_or_default());
        assert!(
            path.ends_with("terraform-azurerm-avm-res-web-site/variables.tf"),
            "{finding}"
        );
        assert_eq!(first["line"], 608, "{finding}");
    }

    for finding in &report.findings {
        assert_eq!(finding.rule.as_str(), "client-cert-disabled");
        if finding.address == SITE {
            // `clientCertEnabled = var.client_certificate_enabled` in the body local, whose
            // default `false` is the one place to change.
            assert!(ends_with(&finding.location.path, "/locals.body.tf"));
            assert_eq!(finding.location.start.line, 13);
            let [origin] = finding.origin.as_slice() else {
                panic!("{:?}", finding.origin);
            };
            assert_eq!(
                origin.note,
                "default of variable `client_certificate_enabled`"
            );
        } else {
            // The slot module's `clientCertEnabled = var.client_certificate_enabled`, fed by
            // `each.value.client_certificate_enabled` of `deployment_slots`, which no example
            // sets: the module's `optional(bool, false)` fills it in. Exactly these hops: the
            // locals and arguments that feed the examples' other slot members never show.
            assert_eq!(finding.address, SLOT);
            assert!(ends_with(&finding.location.path, "/modules/slot/main.tf"));
            assert_eq!(finding.location.start.line, 13);
            let notes: Vec<&str> = finding.origin.iter().map(|o| o.note.as_str()).collect();
            assert_eq!(
                notes,
                [
                    "default of optional attribute `client_certificate_enabled`",
                    "input `deployment_slots` of module `avm_res_web_site`",
                    "input `client_certificate_enabled` of module `slot`",
                ],
                "{}",
                finding.scenario.as_deref().unwrap_or_default()
            );
        }
    }
}
