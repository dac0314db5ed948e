//! Compile-time imports end to end: what an imported name evaluates to, and what Bicep would
//! refuse (cycles, nesting, names not exported) reported once at the import.

use super::front::{messages, scan_tree, summary};
use crate::error::Level;
use crate::model::{Data, OriginKind};

const SITE: &str = "resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: 'x'
  properties: {
    clientCertEnabled: true
    clientCertMode: mode
  }
}
";

#[test]
fn imported_variables_that_refer_to_each_other_are_unknown_naming_the_cycle() {
    let (scan, _dir) = scan_tree(
        &[
            (
                "main.bicep",
                &format!("import {{ mode }} from 'a.bicep'\n{SITE}"),
            ),
            (
                "a.bicep",
                "import { other } from 'b.bicep'\n@export()\nvar mode = other\n",
            ),
            (
                "b.bicep",
                "import { mode } from 'a.bicep'\n@export()\nvar other = mode\n",
            ),
        ],
        &[],
    );
    let mode = scan.resources[0].mode.as_ref().expect("a mode value");
    match &mode.data {
        Data::Unknown(why) => assert!(
            why.contains("imported variables refer to each other in a cycle")
                && why.contains("`mode` (a.bicep) → `other` (b.bicep) → `mode` (a.bicep)"),
            "{why}"
        ),
        other => panic!("expected unknown, got {other:?}"),
    }
    // main.bicep itself is not in the cycle: only a walked file's own imports are checked
    // for cycles, so the cycle between the two imported files is not reported there.
    assert!(
        messages(&scan)
            .iter()
            .all(|(_, m)| !m.contains("main.bicep →")),
        "{:?}",
        messages(&scan)
    );
}

#[test]
fn an_import_chain_deeper_than_the_limit_is_an_error_at_the_import() {
    let depth = crate::limits::MAX_BICEP_IMPORT_DEPTH + 2;
    let mut files: Vec<(String, String)> = vec![(
        "main.bicep".into(),
        format!("import {{ mode }} from 'f0.bicep'\n{SITE}"),
    )];
    for i in 0..depth {
        files.push((
            format!("f{i}.bicep"),
            format!(
                "import {{ mode as next }} from 'f{}.bicep'\n@export()\nvar mode = next\n",
                i + 1
            ),
        ));
    }
    files.push((
        format!("f{depth}.bicep"),
        "@export()\nvar mode = 'Required'\n".into(),
    ));
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let (scan, _dir) = scan_tree(&borrowed, &[]);
    let found = messages(&scan);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, Level::Error);
    assert!(found[0].1.contains("imports nest more than 32 files deep"));
    // The value is still looked for, within the evaluation budget: never a crash or a hang.
    assert_eq!(scan.resources.len(), 1);
}

#[test]
fn an_imported_variable_is_known_and_its_origin_is_the_export() {
    let (scan, _dir) = scan_tree(
        &[
            (
                "main.bicep",
                &format!(
                    "import * as shared from 'lib/shared.bicep'\nvar mode = shared.modes.strict\n{SITE}"
                ),
            ),
            (
                "lib/shared.bicep",
                "@export()\nvar modes = {\n  strict: 'Required'\n}\n",
            ),
        ],
        &[],
    );
    assert!(scan.errors.is_empty(), "{:?}", scan.errors);
    assert_eq!(summary(&scan), ["site true Required"]);
    let mode = scan.resources[0].mode.as_ref().unwrap();
    let kinds: Vec<OriginKind> = mode.origin.iter().map(|o| o.kind).collect();
    assert_eq!(kinds, [OriginKind::ImportedVariable, OriginKind::Variable]);
}

#[test]
fn imported_functions_take_their_arguments_and_report_a_wrong_count() {
    let (scan, _dir) = scan_tree(
        &[
            (
                "main.bicep",
                &format!(
                    "import {{ pick }} from 'f.bicep'\nvar mode = pick(true, 'extra')\n{SITE}"
                ),
            ),
            (
                "f.bicep",
                "@export()\nfunc pick(strict bool) string => strict ? 'Required' : 'Optional'\n",
            ),
        ],
        &[],
    );
    match &scan.resources[0].mode.as_ref().unwrap().data {
        Data::Unknown(why) => assert_eq!(why, "function `pick()` takes 1 arguments, got 2"),
        other => panic!("expected unknown, got {other:?}"),
    }
}

#[test]
fn a_missing_import_source_is_an_error_once_and_its_names_unknown() {
    let (scan, _dir) = scan_tree(
        &[(
            "main.bicep",
            &format!("import {{ mode }} from 'gone.bicep'\n{SITE}"),
        )],
        &[],
    );
    let found = messages(&scan);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0],
        (
            Level::Error,
            "the import is not followed: `gone.bicep` does not exist".to_string()
        )
    );
    match &scan.resources[0].mode.as_ref().unwrap().data {
        Data::Unknown(why) => assert!(why.contains("`gone.bicep` does not exist"), "{why}"),
        other => panic!("expected unknown, got {other:?}"),
    }
}
