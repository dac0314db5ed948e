//! The Azure Verified Module for web sites (`../shared/corpus/terraform-azurerm-avm-res-web-site`)
//! declares its site and slots with `azapi_resource`: every example that deploys them through
//! the module must report each with the verdict the example's inputs and the module's defaults
//! give (docs/dev/issue-14-plan.md §8, README "AzAPI"). The corpus is not in the repository, so
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
            // `each.value.client_certificate_enabled` of `deployment_slots`. The chain stops at
            // the example's `deployment_slots` input: the `optional(bool, false)` default that
            // fills it in is not an origin hop yet (TypeDefault, issue 14 package P1).
            assert_eq!(finding.address, SLOT);
            assert!(ends_with(&finding.location.path, "/modules/slot/main.tf"));
            assert_eq!(finding.location.start.line, 13);
            let notes: Vec<&str> = finding.origin.iter().map(|o| o.note.as_str()).collect();
            assert!(
                notes.contains(&"input `client_certificate_enabled` of module `slot`"),
                "{notes:?}"
            );
            assert!(
                notes.contains(&"input `deployment_slots` of module `avm_res_web_site`"),
                "{notes:?}"
            );
        }
    }
}
