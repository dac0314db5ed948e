//! The Terraform guardrail reader: the byte search, id references, the scan cache.

use super::references::reference_of;
use super::*;

#[test]
fn only_files_naming_an_assignment_type_interest_the_search() {
    for name in [
        "azurerm_management_group_policy_assignment",
        "azurerm_subscription_policy_assignment",
        "azurerm_resource_group_policy_assignment",
        "azurerm_resource_policy_assignment",
    ] {
        assert!(names_assignment(
            format!("resource \"{name}\" \"a\" {{}}").as_bytes()
        ));
    }
    let azapi = b"resource \"azapi_resource\" \"a\" {\n  type = \"MICROSOFT.AUTHORIZATION/policyAssignments@2022-06-01\"\n}\n";
    assert!(names_assignment(azapi));
    assert!(!names_assignment(
        b"resource \"azurerm_policy_definition\" \"a\" {}\nresource \"azapi_resource\" \"b\" {}"
    ));
    assert!(!names_assignment(
        b"resource \"azurerm_storage_account\" \"a\" {}"
    ));
}

fn reference(text: &str) -> Option<(bool, String, String)> {
    let expr = crate::terraform::eval::parse_expression(text).unwrap();
    let span = crate::source::Span::new(0, 0..0);
    reference_of(&crate::terraform::syntax::Attribute {
        name: "policy_definition_id".into(),
        expr: crate::terraform::syntax::AttributeExpr::Hcl(expr),
        span,
        value_span: span,
    })
}

#[test]
fn id_references_name_the_block_whatever_its_instance_key() {
    let set = (
        false,
        "azurerm_policy_set_definition".to_string(),
        "mtls".to_string(),
    );
    assert_eq!(
        reference("azurerm_policy_set_definition.mtls.id"),
        Some(set.clone())
    );
    assert_eq!(
        reference("azurerm_policy_set_definition.mtls[0].id"),
        Some(set)
    );
    assert_eq!(
        reference("data.azurerm_policy_definition.web[\"a\"].id"),
        Some((true, "azurerm_policy_definition".into(), "web".into()))
    );
    assert_eq!(reference("azurerm_policy_set_definition.mtls.name"), None);
    assert_eq!(reference("var.id"), None);
}

#[test]
fn a_rescan_that_takes_the_judged_root_over_keeps_its_assignments() {
    use crate::scan::{Settings, scan, scan_cached};
    let dir = tempfile::tempdir().unwrap();
    let root = crate::paths::normalize(dir.path());
    let policy = "resource \"azurerm_subscription_policy_assignment\" \"a\" {\n  \
                  subscription_id = \"/subscriptions/x\"\n  policy_definition_id = \
                  \"/providers/Microsoft.Authorization/policyDefinitions/\
                  19dd1db6-f442-49cf-a838-b0786b4401ef\"\n}\n";
    std::fs::create_dir_all(root.join("platform")).unwrap();
    std::fs::create_dir_all(root.join("app")).unwrap();
    std::fs::write(root.join("platform/main.tf"), policy).unwrap();
    let site =
        "resource \"azurerm_linux_web_app\" \"a\" {\n  client_certificate_enabled = false\n}\n";
    std::fs::write(root.join("app/main.tf"), site).unwrap();
    let paths = [root.clone()];
    let keep = Settings {
        keep_parsed: true,
        ..Settings::default()
    };
    let first = scan_cached(&paths, &keep);
    assert_eq!(first.report.guardrail.assignments.len(), 1);
    // Only the site's directory changes: the platform root is taken over, not walked.
    let changed = site.replace("false", "true");
    let reused = scan(
        &paths,
        &Settings {
            overrides: [(root.join("app/main.tf"), changed)].into_iter().collect(),
            reuse: Some(first.cache.clone()),
            ..Settings::default()
        },
    );
    assert_eq!(reused.guardrail, first.report.guardrail);
}
