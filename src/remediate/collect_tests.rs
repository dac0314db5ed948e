//! `collect` over a real scan. Until the inventory front end reads exports, the deployed sites
//! are Terraform resources re-labelled as deployed (source and id), which is all `collect`
//! reads of them.

use std::path::Path;

use super::collect::{Code, collect};
use crate::harness::{File, scan_in_memory};
use crate::model::{Data, ExportShape, Source};
use crate::report::Report;
use crate::rollout::facts::testing::text;

const ID: &str = "/subscriptions/s1/resourceGroups/rg-web/providers/Microsoft.Web/sites";

const SITES: &str = r#"
resource "azurerm_linux_web_app" "failing" {
  client_certificate_enabled = false
}

resource "azurerm_linux_web_app" "passing" {
  client_certificate_enabled = true
  client_certificate_mode    = "Required"
}

# certgate:ignore[client-cert-disabled] reason="partner without certificates" owner=team-legacy expires=2027-03-31
resource "azurerm_linux_web_app" "excepted" {
  client_certificate_enabled = false
}

resource "azurerm_linux_function_app" "paths" {
  client_certificate_enabled       = true
  client_certificate_mode          = "Required"
  client_certificate_exclusion_paths = "/health"
}
"#;

/// The scan of [`SITES`] with every resource made a deployed site `ID/NAME` (its block name).
fn deployed() -> Report {
    let mut report = scan_in_memory(&[File::new("export.tf", SITES)], &Default::default());
    for group in &mut report.groups {
        for r in group {
            let name = r.address.rsplit('.').next().unwrap().to_string();
            r.source = Source::Deployed(ExportShape::AzCli);
            r.identity.id = Some(text(&format!("{ID}/{name}"), 0..1));
        }
    }
    report
}

fn names(ids: impl Iterator<Item = String>) -> Vec<String> {
    ids.map(|id| id.rsplit('/').next().unwrap().to_string())
        .collect()
}

#[test]
fn failing_deployed_sites_become_targets_and_excepted_ones_are_left_alone() {
    let collected = collect(&deployed(), None);
    assert_eq!(
        names(collected.targets.iter().map(|t| t.id.clone())),
        ["failing", "paths"]
    );
    let failing = &collected.targets[0];
    assert_eq!(failing.verdict, "client-cert-disabled");
    assert_eq!(failing.parts.resource_group, "rg-web");
    // The finding's own line (here the failing attribute).
    assert_eq!(failing.line, 3);
    let paths = &collected.targets[1];
    assert_eq!(paths.verdict, "client-cert-exclusion-paths");
    assert!(paths.clear_exclusion_paths);
    assert_eq!(
        names(collected.excepted.iter().map(|s| s.id.clone())),
        ["excepted"]
    );
    let why = &collected.excepted[0].why;
    assert!(why.contains("owner team-legacy"), "{why}");
    assert!(why.contains("expires 2027-03-31"), "{why}");
    assert_eq!(collected.code_resources, 0);
    assert_eq!(collected.deployed_sites, 4);
}

#[test]
fn code_resources_among_the_exports_are_counted_not_scripted() {
    let code = scan_in_memory(&[File::new("main.tf", SITES)], &Default::default());
    let collected = collect(&code, None);
    assert!(collected.targets.is_empty());
    assert!(collected.excepted.is_empty());
    assert_eq!(collected.code_resources, 2);
    assert_eq!(collected.deployed_sites, 0);
}

#[test]
fn the_managing_code_names_owners_and_warns_when_it_still_fails() {
    let mut code = scan_in_memory(&[File::new("infra/main.tf", SITES)], &Default::default());
    // The code names its sites like the export (the Terraform front end fills this).
    for group in &mut code.groups {
        for r in group {
            let name = r.address.rsplit('.').next().unwrap().to_string();
            r.identity.name = Some(text(&name, 0..1));
            r.identity.resource_group = Some(text("RG-WEB", 0..1));
        }
    }
    let owners = |path: &Path| {
        vec![format!(
            "@owner-of-{}",
            path.file_name().unwrap().to_string_lossy()
        )]
    };
    let collected = collect(
        &deployed(),
        Some(&Code {
            report: &code,
            owners: &owners,
        }),
    );
    let failing = &collected.targets[0];
    assert_eq!(failing.owners, ["@owner-of-main.tf"]);
    let why = failing.reverted_by.as_deref().unwrap();
    assert!(
        why.starts_with("the code that manages it (azurerm_linux_web_app.failing at "),
        "{why}"
    );
    assert!(
        why.contains("matched by name, resource group and type"),
        "{why}"
    );
    assert!(why.contains("still has client-cert-disabled"), "{why}");
    // The code of `paths` fails too (its exclusion path): warned as well.
    assert!(collected.targets[1].reverted_by.is_some());
}

#[test]
fn passing_code_names_owners_without_a_warning() {
    let fixed = SITES.replace(
        "\"failing\" {\n  client_certificate_enabled = false",
        "\"failing\" {\n  client_certificate_enabled = true",
    );
    let mut code = scan_in_memory(&[File::new("infra/main.tf", fixed)], &Default::default());
    for group in &mut code.groups {
        for r in group {
            let name = r.address.rsplit('.').next().unwrap().to_string();
            r.identity.name = Some(text(&name, 0..1));
            r.identity.resource_group = Some(text("rg-web", 0..1));
        }
    }
    let owners = |_: &Path| vec!["@web".to_string()];
    let collected = collect(
        &deployed(),
        Some(&Code {
            report: &code,
            owners: &owners,
        }),
    );
    let failing = &collected.targets[0];
    assert_eq!(failing.owners, ["@web"]);
    assert_eq!(failing.reverted_by, None);
    assert!(matches!(
        code.groups[0][0].identity.name.as_ref().map(|v| &v.data),
        Some(Data::String(_))
    ));
}

#[test]
fn a_deployed_site_whose_id_is_not_a_site_id_is_listed_not_scripted() {
    let mut report = deployed();
    let plan = "/subscriptions/s1/resourceGroups/rg-web/providers/Microsoft.Web/serverfarms/plan";
    for group in &mut report.groups {
        for r in group {
            if r.address.ends_with(".failing") {
                r.identity.id = Some(text(plan, 0..1));
            }
        }
    }
    let collected = collect(&report, None);
    assert_eq!(
        names(collected.targets.iter().map(|t| t.id.clone())),
        ["paths"]
    );
    assert_eq!(collected.not_scripted.len(), 1);
    assert_eq!(collected.not_scripted[0].id, plan);
    assert_eq!(
        collected.not_scripted[0].why,
        "not the id of a Microsoft.Web site or slot"
    );
}

#[test]
fn exclusion_paths_are_cleared_only_when_shown_or_unknown() {
    let mut report = deployed();
    for group in &mut report.groups {
        for r in group {
            if r.address.ends_with(".passing") {
                continue;
            }
            // `failing`: the export lacks the property; `excepted`: null; `paths`: shown.
            if r.address.ends_with(".failing") {
                r.exclusion_paths = Some(crate::rollout::facts::testing::unknown(0..1));
            }
        }
    }
    let collected = collect(&report, None);
    let clear: Vec<bool> = collected
        .targets
        .iter()
        .map(|t| t.clear_exclusion_paths)
        .collect();
    assert_eq!(clear, [true, true]);
    // An export that says null (the front end leaves the value out) clears nothing.
    let collected = collect(&deployed(), None);
    assert!(!collected.targets[0].clear_exclusion_paths);
}
