//! Drift matching and states on scanned code whose identities are filled as the front ends
//! fill them, and "deployed" reports made of the same sites marked as read from an export.

use crate::harness::{File, scan_in_memory};
use crate::model::{Data, ExportShape, SiteIdentity, Source, Value};
use crate::report::Report;
use crate::report::drift::{DriftEntry, DriftState, MatchedBy};
use crate::source::Span;

const SUB: &str = "00000000-0000-0000-0000-000000000001";

/// One Terraform file per site: `(type, name, passes)`; the address is `TYPE.NAME`.
fn scanned(sites: &[(&str, &str, bool)]) -> Report {
    let files: Vec<File> = sites
        .iter()
        .map(|(kind, name, passes)| {
            File::new(
                format!("{name}.tf"),
                format!(
                    "resource \"{kind}\" \"{name}\" {{\n  client_certificate_enabled = {passes}\n  client_certificate_mode = \"Required\"\n}}\n"
                ),
            )
        })
        .collect();
    let report = scan_in_memory(&files, &Default::default());
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    report
}

fn web(name: &str, passes: bool) -> (&'static str, &str, bool) {
    ("azurerm_linux_web_app", name, passes)
}

fn text(text: &str) -> Option<Value> {
    Some(Value::literal(
        Data::String(text.to_string()),
        Span::new(0, 0..1),
    ))
}

fn unknown(why: &str) -> Option<Value> {
    Some(Value::literal(
        Data::Unknown(why.to_string()),
        Span::new(0, 0..1),
    ))
}

fn named(name: &str, group: &str) -> SiteIdentity {
    SiteIdentity {
        name: text(name),
        resource_group: text(group),
        ..SiteIdentity::default()
    }
}

fn site_id(group: &str, name: &str) -> String {
    format!("/subscriptions/{SUB}/resourceGroups/{group}/providers/Microsoft.Web/sites/{name}")
}

/// Sets the identity of the resource whose declaration is named `name`.
fn identify(report: &mut Report, name: &str, identity: SiteIdentity) {
    let resource = report
        .groups
        .iter_mut()
        .flatten()
        .find(|r| r.address.ends_with(&format!(".{name}")))
        .expect("the site is scanned");
    resource.identity = identity;
}

/// Marks every site as read from an `az webapp list` export, addressed by its id.
fn deployed(mut report: Report) -> Report {
    for resource in report.groups.iter_mut().flatten() {
        resource.source = Source::Deployed(ExportShape::AzCli);
    }
    report
}

/// A deployed report of `sites` (name, passes) in resource group `rg-app`, each with its id.
fn export(sites: &[(&str, bool)]) -> Report {
    let specs: Vec<_> = sites.iter().map(|(n, p)| web(n, *p)).collect();
    let mut report = scanned(&specs);
    for (name, _) in sites {
        identify(
            &mut report,
            name,
            SiteIdentity {
                id: text(&site_id("rg-app", name)),
                subscription: text(SUB),
                ..named(name, "rg-app")
            },
        );
    }
    deployed(report)
}

fn states(entries: &[DriftEntry]) -> Vec<(&'static str, Option<&str>, Option<&str>)> {
    entries
        .iter()
        .map(|e| {
            (
                e.state.as_str(),
                e.code.as_ref().map(|c| c.address.as_str()),
                e.deployed.as_ref().map(|d| d.id.as_str()),
            )
        })
        .collect()
}

#[test]
fn each_pair_of_verdicts_has_its_state_by_name() {
    let mut code = scanned(&[
        web("a", true),
        web("b", true),
        web("c", false),
        web("d", false),
    ]);
    for name in ["a", "b", "c", "d"] {
        identify(&mut code, name, named(name, "rg-app"));
    }
    let live = export(&[("a", true), ("b", false), ("c", true), ("d", false)]);
    let entries = super::entries(&code, &live);
    let id = |n| site_id("rg-app", n);
    assert_eq!(
        states(&entries),
        [
            (
                "deployment-fixed-code-not",
                Some("azurerm_linux_web_app.c"),
                Some(id("c").as_str())
            ),
            (
                "both-failing",
                Some("azurerm_linux_web_app.d"),
                Some(id("d").as_str())
            ),
            (
                "code-fixed-deployment-not",
                Some("azurerm_linux_web_app.b"),
                Some(id("b").as_str())
            ),
            (
                "in-step",
                Some("azurerm_linux_web_app.a"),
                Some(id("a").as_str())
            ),
        ]
    );
    assert!(
        entries
            .iter()
            .all(|e| e.matched_by == Some(MatchedBy::NameResourceGroupType))
    );
    let c = &entries[0];
    assert_eq!(c.code.as_ref().unwrap().verdict, "client-cert-disabled");
    assert_eq!(c.deployed.as_ref().unwrap().verdict, "pass");
}

#[test]
fn names_match_ignoring_case_as_azure_does() {
    let mut code = scanned(&[web("a", true)]);
    identify(&mut code, "a", named("A", "RG-App"));
    let entries = super::entries(&code, &export(&[("a", true)]));
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].state, DriftState::InStep);
}

#[test]
fn a_resource_id_in_code_matches_ignoring_case_and_says_so() {
    let mut code = scanned(&[web("a", true)]);
    let id = site_id("rg-app", "a").to_uppercase();
    identify(
        &mut code,
        "a",
        SiteIdentity {
            id: text(&id),
            ..SiteIdentity::default()
        },
    );
    let entries = super::entries(&code, &export(&[("a", true)]));
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].matched_by, Some(MatchedBy::ResourceId));
    assert_eq!(entries[0].state, DriftState::InStep);
    // The deployed id is shown as the export writes it.
    assert_eq!(
        entries[0].deployed.as_ref().unwrap().id,
        site_id("rg-app", "a")
    );
}

#[test]
fn a_resource_id_in_another_subscription_is_not_matched_by_name() {
    let mut code = scanned(&[web("a", true)]);
    let other = site_id("rg-app", "a").replace(SUB, "99999999-0000-0000-0000-000000000009");
    identify(
        &mut code,
        "a",
        SiteIdentity {
            id: text(&other),
            ..named("a", "rg-app")
        },
    );
    let entries = super::entries(&code, &export(&[("a", true)]));
    assert_eq!(
        states(&entries),
        [
            ("unmanaged", None, Some(site_id("rg-app", "a").as_str())),
            ("not-deployed", Some("azurerm_linux_web_app.a"), None),
        ]
    );
}

#[test]
fn a_written_subscription_must_agree_when_matching_by_name() {
    let mut code = scanned(&[web("a", true)]);
    identify(
        &mut code,
        "a",
        SiteIdentity {
            subscription: text("99999999-0000-0000-0000-000000000009"),
            ..named("a", "rg-app")
        },
    );
    let entries = super::entries(&code, &export(&[("a", true)]));
    assert_eq!(entries[1].state, DriftState::NotDeployed);
}

#[test]
fn an_unresolved_name_is_reported_as_such_not_as_not_deployed() {
    let mut code = scanned(&[web("a", true), web("b", true)]);
    identify(
        &mut code,
        "a",
        SiteIdentity {
            name: unknown("var.name has no value"),
            ..named("", "rg-app")
        },
    );
    // `b`: the front end filled nothing.
    let entries = super::entries(&code, &export(&[("a", true)]));
    assert_eq!(
        states(&entries),
        [
            ("unmanaged", None, Some(site_id("rg-app", "a").as_str())),
            ("name-unresolved", Some("azurerm_linux_web_app.a"), None),
            ("name-unresolved", Some("azurerm_linux_web_app.b"), None),
        ]
    );
    assert_eq!(
        entries[1].note.as_deref(),
        Some(
            "azurerm_linux_web_app.a cannot be matched by name: its name is unresolved: var.name \
             has no value"
        )
    );
    assert_eq!(
        entries[2].note.as_deref(),
        Some("azurerm_linux_web_app.b cannot be matched by name: the code does not say its name")
    );
}

#[test]
fn an_unresolved_resource_group_cannot_match_by_name() {
    let mut code = scanned(&[web("a", true)]);
    identify(
        &mut code,
        "a",
        SiteIdentity {
            resource_group: unknown("azurerm_resource_group.main.name is known after apply"),
            ..named("a", "")
        },
    );
    let entries = super::entries(&code, &export(&[("a", true)]));
    assert_eq!(entries[1].state, DriftState::NameUnresolved);
    assert!(
        entries[1]
            .note
            .as_deref()
            .unwrap()
            .contains("its resource group is unresolved")
    );
}

#[test]
fn a_slot_matches_only_a_slot_of_the_same_parent_site() {
    let mut code = scanned(&[
        ("azurerm_linux_web_app_slot", "staging", true),
        ("azurerm_linux_web_app_slot", "other", true),
        web("site", true),
    ]);
    identify(
        &mut code,
        "staging",
        SiteIdentity {
            parent: text("site"),
            ..named("staging", "rg-app")
        },
    );
    identify(
        &mut code,
        "other",
        SiteIdentity {
            parent: text("elsewhere"),
            ..named("staging", "rg-app")
        },
    );
    // A site named like the slot: a different type.
    identify(&mut code, "site", named("staging", "rg-app"));
    let mut live = scanned(&[("azurerm_linux_web_app_slot", "staging", true)]);
    let slot_id = format!("{}/slots/staging", site_id("rg-app", "site"));
    // The export names the slot by its id only: the names are read from it.
    identify(
        &mut live,
        "staging",
        SiteIdentity {
            id: text(&slot_id),
            ..SiteIdentity::default()
        },
    );
    let entries = super::entries(&code, &deployed(live));
    assert_eq!(
        states(&entries),
        [
            (
                "not-deployed",
                Some("azurerm_linux_web_app_slot.other"),
                None
            ),
            ("not-deployed", Some("azurerm_linux_web_app.site"), None),
            (
                "in-step",
                Some("azurerm_linux_web_app_slot.staging"),
                Some(slot_id.as_str())
            ),
        ]
    );
}

#[test]
fn a_deployed_site_matched_by_two_code_resources_is_reported_for_both() {
    let mut code = scanned(&[web("a", true), web("b", false)]);
    identify(&mut code, "a", named("shared", "rg-app"));
    identify(&mut code, "b", named("shared", "rg-app"));
    let entries = super::entries(&code, &export(&[("shared", true)]));
    assert_eq!(
        states(&entries),
        [
            (
                "deployment-fixed-code-not",
                Some("azurerm_linux_web_app.b"),
                Some(site_id("rg-app", "shared").as_str())
            ),
            (
                "in-step",
                Some("azurerm_linux_web_app.a"),
                Some(site_id("rg-app", "shared").as_str())
            ),
        ]
    );
    let note = format!(
        "{} is matched by 2 code resources",
        site_id("rg-app", "shared")
    );
    assert!(entries.iter().all(|e| e.note.as_deref() == Some(&note)));
}

#[test]
fn each_scenario_of_one_declaration_matches_on_its_own_names() {
    let mut code = scanned(&[web("app", false)]);
    // Two scenarios (tfvars per environment) of one declaration: `dev` passes, `prod` fails.
    let first = code.groups[0][0].clone();
    let mut dev = first.clone();
    dev.scenario = Some("dev".into());
    dev.instance = Some("azurerm_linux_web_app.app (dev)".into());
    dev.identity = named("app-dev", "rg-app");
    dev.enabled = dev.enabled.map(|v| Value {
        data: Data::Bool(true),
        ..v
    });
    let mut prod = first;
    prod.scenario = Some("prod".into());
    prod.instance = Some("azurerm_linux_web_app.app (prod)".into());
    prod.identity = named("app-prod", "rg-app");
    code.groups[0] = vec![dev, prod];
    let entries = super::entries(&code, &export(&[("app-dev", false), ("app-prod", false)]));
    assert_eq!(
        states(&entries),
        [
            (
                "both-failing",
                Some("azurerm_linux_web_app.app (prod)"),
                Some(site_id("rg-app", "app-prod").as_str())
            ),
            (
                "code-fixed-deployment-not",
                Some("azurerm_linux_web_app.app (dev)"),
                Some(site_id("rg-app", "app-dev").as_str())
            ),
        ]
    );
    assert_eq!(
        entries[0].code.as_ref().unwrap().scenario.as_deref(),
        Some("prod")
    );
}

#[test]
fn code_that_matches_two_deployed_sites_by_name_says_so() {
    let mut code = scanned(&[web("a", true)]);
    identify(&mut code, "a", named("a", "rg-app"));
    let mut live = scanned(&[web("a", true), web("b", true)]);
    let other_sub = "99999999-0000-0000-0000-000000000009";
    identify(
        &mut live,
        "a",
        SiteIdentity {
            id: text(&site_id("rg-app", "a")),
            ..SiteIdentity::default()
        },
    );
    identify(
        &mut live,
        "b",
        SiteIdentity {
            id: text(&site_id("rg-app", "a").replace(SUB, other_sub)),
            ..SiteIdentity::default()
        },
    );
    let entries = super::entries(&code, &deployed(live));
    assert_eq!(entries.len(), 2);
    assert!(entries.iter().all(|e| {
        e.note.as_deref() == Some("azurerm_linux_web_app.a matches 2 deployed sites")
    }));
}

#[test]
fn code_sites_in_the_deployed_report_and_exports_in_the_code_report_are_ignored() {
    let mut code = scanned(&[web("a", true)]);
    identify(&mut code, "a", named("a", "rg-app"));
    // The same report on both sides: its one code site has no deployed partner.
    let entries = super::entries(&code, &code);
    assert_eq!(
        states(&entries),
        [("not-deployed", Some("azurerm_linux_web_app.a"), None)]
    );
}

#[test]
fn the_matches_pair_code_and_deployed_sites_for_other_commands() {
    let mut code = scanned(&[web("a", false)]);
    identify(&mut code, "a", named("a", "rg-app"));
    let live = export(&[("a", true), ("z", true)]);
    let found = super::matches(&code, &live);
    assert_eq!(found.len(), 2);
    match &found[0] {
        super::Match::Pair { code, deployed, by } => {
            assert_eq!(code.address(), "azurerm_linux_web_app.a");
            assert!(!code.passes());
            assert_eq!(
                super::deployed_id(deployed.resource),
                site_id("rg-app", "a")
            );
            assert_eq!(*by, MatchedBy::NameResourceGroupType);
        }
        other => panic!("expected a pair, got {other:?}"),
    }
    assert!(matches!(&found[1], super::Match::Unmanaged(site) if site.passes()));
}

#[test]
fn the_human_table_lists_every_entry_with_its_notes() {
    let mut code = scanned(&[web("a", true), web("b", false)]);
    identify(&mut code, "a", named("a", "rg-app"));
    let live = export(&[("a", false), ("z", true)]);
    let entries = super::entries(&code, &live);
    insta::assert_snapshot!(crate::report::drift::table(&entries));
}
