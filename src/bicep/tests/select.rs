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
