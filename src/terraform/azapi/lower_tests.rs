//! AzAPI bodies read through `select`: which writer of a property wins, and what stays unknown.

use crate::model::{Data, Placement, Resource};
use crate::terraform::Inputs;
use crate::terraform::tests::{Scanned, data, scan_tree};

const HEAD: &str = "resource \"azapi_resource\" \"web\" {\n  type = \"Microsoft.Web/sites@2024-04-01\"\n  name = \"web\"\n";

fn site(body: &str, extra: &str) -> (Scanned, Resource) {
    let text = format!("{extra}\n{HEAD}  body = {body}\n}}\n");
    let scanned = scan_tree(&[("main.tf", &text)], Inputs::default());
    let found = scanned.find("azapi_resource.web");
    assert_eq!(found.len(), 1, "{:?}", scanned.scan.errors);
    let resource = found[0].clone();
    (scanned, resource)
}

#[test]
fn merge_is_shallow_so_a_later_properties_object_hides_an_earlier_flag() {
    let (_, r) = site(
        "merge({ properties = { clientCertEnabled = true } }, { properties = { httpsOnly = true } })",
        "",
    );
    assert_eq!(data(&r.enabled), None);
    let anchor = r.fix_anchor.unwrap();
    assert!(
        matches!(&anchor.placement, Placement::Unavailable(why) if why.contains("merge")),
        "{anchor:?}"
    );
}

#[test]
fn a_key_in_a_later_merge_argument_wins_over_an_unknown_earlier_one() {
    let (_, r) = site(
        "merge(var.base, { properties = { clientCertEnabled = true } })",
        "variable \"base\" {}\n",
    );
    assert_eq!(data(&r.enabled), Some(&Data::Bool(true)));
    // The last argument's `properties` replaces any earlier one whole: no mode at all.
    assert_eq!(data(&r.mode), None);
}

#[test]
fn an_unknown_last_merge_argument_leaves_the_property_unknown() {
    let (_, r) = site(
        "merge({ properties = { clientCertEnabled = true } }, var.extra)",
        "variable \"extra\" {}\n",
    );
    assert!(
        matches!(data(&r.enabled), Some(Data::Unknown(_))),
        "{:?}",
        r.enabled
    );
}

#[test]
fn an_unknown_condition_with_equal_branches_is_one_value() {
    let (_, r) = site(
        "var.flag ? { properties = { clientCertEnabled = true, httpsOnly = true } } : { properties = { clientCertEnabled = true } }",
        "variable \"flag\" {\n  type = bool\n}\n",
    );
    assert_eq!(data(&r.enabled), Some(&Data::Bool(true)));
    assert_eq!(data(&r.mode), None);
}

#[test]
fn an_unknown_condition_with_different_branches_names_the_condition() {
    let (_, r) = site(
        "var.flag ? { properties = { clientCertEnabled = true } } : { properties = { clientCertEnabled = false } }",
        "variable \"flag\" {\n  type = bool\n}\n",
    );
    match data(&r.enabled) {
        Some(Data::Unknown(why)) => assert!(why.contains("`var.flag`"), "{why}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn property_names_match_without_case_and_unknown_siblings_do_not_matter() {
    let (scanned, r) = site(
        "{\n    properties = {\n      serverFarmId      = var.plan\n      ClientCertEnabled = true\n    }\n  }",
        "variable \"plan\" {}\n",
    );
    assert_eq!(data(&r.enabled), Some(&Data::Bool(true)));
    let span = r.enabled.unwrap().span;
    assert_eq!(scanned.text_of(span), "ClientCertEnabled = true");
}

#[test]
fn a_heredoc_json_body_is_read_as_json() {
    let (_, r) = site(
        "<<EOT\n{\"properties\": {\"clientCertEnabled\": true, \"clientCertMode\": \"Optional\"}}\nEOT",
        "",
    );
    assert_eq!(data(&r.enabled), Some(&Data::Bool(true)));
    assert_eq!(data(&r.mode), Some(&Data::String("Optional".into())));
}

#[test]
fn a_body_from_a_variable_keeps_the_default_as_origin() {
    let (scanned, r) = site(
        "var.body",
        "variable \"body\" {\n  default = { properties = { clientCertEnabled = false } }\n}\n",
    );
    let enabled = r.enabled.unwrap();
    assert_eq!(enabled.data, Data::Bool(false));
    assert_eq!(scanned.text_of(enabled.span), "body = var.body");
    assert_eq!(enabled.origin.len(), 1);
    assert!(
        scanned
            .text_of(enabled.origin[0].span)
            .starts_with("default = ")
    );
}

#[test]
fn a_body_that_is_not_json_text_is_unknown_with_the_parse_error() {
    let (_, r) = site("\"not json\"", "");
    match data(&r.enabled) {
        Some(Data::Unknown(why)) => assert!(why.contains("not JSON"), "{why}"),
        other => panic!("{other:?}"),
    }
}
