//! Partly known objects (`bicep/select.rs`): a key's last writer decides it, so unknown
//! members elsewhere in an object do not hide the keys written after them.

use super::front::{scan_tree, summary};
use crate::model::{Data, OriginKind};

#[test]
fn a_key_neither_branch_of_an_unknown_condition_sets_is_absent_not_unknown() {
    let (scan, _dir) = scan_tree(
        &[(
            "main.bicep",
            "param strict bool\n\
             resource site 'Microsoft.Web/sites@2023-12-01' = {\n  name: 'x'\n  \
             properties: strict ? { httpsOnly: true } : { httpsOnly: false }\n}\n",
        )],
        &[],
    );
    // Neither branch writes `clientCertEnabled`: Azure's default (disabled) applies whatever
    // `strict` is.
    assert_eq!(summary(&scan), ["site - -"]);
}

#[test]
fn a_spread_of_a_variable_with_an_unknown_spread_still_gives_its_written_keys() {
    let (scan, _dir) = scan_tree(
        &[(
            "main.bicep",
            "param shared object\n\
             var base = {\n  ...shared\n  clientCertEnabled: true\n}\n\
             resource site 'Microsoft.Web/sites@2023-12-01' = {\n  name: 'x'\n  \
             properties: {\n    ...base\n    clientCertMode: 'Required'\n  }\n}\n",
        )],
        &[],
    );
    assert_eq!(summary(&scan), ["site true Required"]);
    // The origin is the member written in the variable.
    let enabled = scan.resources[0].enabled.as_ref().unwrap();
    assert_eq!(enabled.origin.len(), 1);
    assert_eq!(enabled.origin[0].kind, OriginKind::Variable);
    // What the unknown spread may set stays unknown.
    match &scan.resources[0].exclusion_paths.as_ref().unwrap().data {
        Data::Unknown(why) => assert!(why.contains("`...shared` may set"), "{why}"),
        other => panic!("expected unknown, got {other:?}"),
    }
}

/// The text the value of `value` points at in `text`.
fn pointed<'t>(text: &'t str, value: &Option<crate::model::Value>) -> &'t str {
    &text[value.as_ref().expect("a value").span.range()]
}

#[test]
fn a_union_member_value_points_at_the_member_and_the_fixer_may_edit_it() {
    let text = "param shared object\n\
                resource site 'Microsoft.Web/sites@2023-12-01' = {\n  name: 'x'\n  \
                properties: union(shared, {\n    clientCertEnabled: true\n    \
                clientCertMode: 'Optional'\n  })\n}\n";
    let (scan, _dir) = scan_tree(&[("main.bicep", text)], &[]);
    let site = &scan.resources[0];
    assert_eq!(pointed(text, &site.mode), "clientCertMode: 'Optional'");
    assert!(site.mode.as_ref().unwrap().origin.is_empty());
    let anchor = site.fix_anchor.as_ref().unwrap();
    let names: Vec<&str> = anchor.members.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["clientCertEnabled", "clientCertMode"]);
    assert_eq!(&text[anchor.members[1].value.range()], "'Optional'");
}

#[test]
fn a_union_argument_variable_value_points_at_the_argument_with_the_variable_hop() {
    let text = "param shared object\nvar team = {\n  clientCertMode: 'Optional'\n}\n\
                resource site 'Microsoft.Web/sites@2023-12-01' = {\n  name: 'x'\n  \
                properties: union(shared, team, { httpsOnly: true })\n}\n";
    let (scan, _dir) = scan_tree(&[("main.bicep", text)], &[]);
    let mode = &scan.resources[0].mode;
    assert_eq!(pointed(text, mode), "team");
    let origin = &mode.as_ref().unwrap().origin;
    assert_eq!(origin.len(), 1);
    assert_eq!(origin[0].kind, OriginKind::Variable);
    assert_eq!(&text[origin[0].span.range()], "clientCertMode: 'Optional'");
    // Not written in the resource: the fixer changes it through the origin, not the anchor.
    assert!(
        scan.resources[0]
            .fix_anchor
            .as_ref()
            .unwrap()
            .members
            .is_empty()
    );
}

#[test]
fn a_spread_inside_a_union_argument_points_at_the_spread_member() {
    let text = "param shared object\nvar base = {\n  clientCertMode: 'Optional'\n}\n\
                resource site 'Microsoft.Web/sites@2023-12-01' = {\n  name: 'x'\n  \
                properties: union(shared, {\n    ...base\n    httpsOnly: true\n  })\n}\n";
    let (scan, _dir) = scan_tree(&[("main.bicep", text)], &[]);
    let mode = &scan.resources[0].mode;
    assert_eq!(pointed(text, mode), "...base");
    assert_eq!(mode.as_ref().unwrap().origin[0].kind, OriginKind::Variable);
}

#[test]
fn a_known_condition_in_properties_points_at_the_member_of_its_branch() {
    let text = "param prod bool = false\n\
                resource site 'Microsoft.Web/sites@2023-12-01' = {\n  name: 'x'\n  \
                properties: prod ? { clientCertMode: 'Required' } : { clientCertMode: 'Optional' }\n}\n";
    let (scan, _dir) = scan_tree(&[("main.bicep", text)], &[]);
    assert_eq!(
        pointed(text, &scan.resources[0].mode),
        "clientCertMode: 'Optional'"
    );
}
