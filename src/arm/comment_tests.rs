//! The comments the ARM front end records for inline exceptions: the template parse's own (the
//! same spans a fresh parse finds), for the template and the linked templates holding a site.

use super::{Scenarios, scan_templates};
use crate::load::Loader;
use crate::model::{Comments, FileComments};
use crate::source::SourceMap;

/// Comment markers inside strings are text.
const TRICKY: &str = r#"{
  // above the schema
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "variables": { "url": "http://example/* not */ // not" },
  "resources": [
    /* block
       comment */
    {
      "type": "Microsoft.Web/sites", "apiVersion": "2022-09-01", "name": "web",
      "properties": { "clientCertEnabled": true } // trailing
    }
  ]
}"#;

/// Writes `files` into a temporary directory and scans them; the recorded comments by file
/// path, with each file's text.
fn recorded(files: &[(&str, &str)]) -> Vec<(String, String, Comments)> {
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        paths.push(path);
    }
    let sources = SourceMap::default();
    let loader = Loader::new(&sources);
    let scan = scan_templates(&paths, &loader, &Scenarios::default());
    let mut out: Vec<_> = scan
        .comments
        .into_iter()
        .map(|FileComments { file, comments }| {
            let source = sources.get(file);
            let name = source.path().strip_prefix(dir.path()).unwrap();
            let name = name.to_string_lossy().replace('\\', "/");
            (name, source.text().to_string(), comments)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The texts of line comments.
fn texts(text: &str, comments: &Comments) -> Vec<String> {
    match comments {
        Comments::Lines(spans) => spans.iter().map(|s| text[s.clone()].to_string()).collect(),
        other => panic!("not line comments: {other:?}"),
    }
}

#[test]
fn records_what_the_json_parser_finds_and_nothing_in_strings() {
    let recorded = recorded(&[("azuredeploy.json", TRICKY)]);
    assert_eq!(recorded.len(), 1);
    let fresh: Vec<_> = crate::json::parse(TRICKY).unwrap().comments;
    let fresh = Comments::Lines(fresh.into_iter().map(|c| c.span).collect());
    assert_eq!(recorded[0].2, fresh);
    assert_eq!(
        texts(TRICKY, &recorded[0].2),
        [
            "// above the schema",
            "/* block\n       comment */",
            "// trailing"
        ]
    );
}

#[test]
fn a_template_without_comments_records_an_empty_list() {
    let text = TRICKY
        .replace("// above the schema", "")
        .replace("/* block\n       comment */", "")
        .replace("// trailing", "");
    let recorded = recorded(&[("azuredeploy.json", &text)]);
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].2, Comments::Lines(Vec::new()));
}

#[test]
fn a_linked_template_holding_the_site_records_its_comments_not_the_callers() {
    let caller = r#"{
      // the caller holds no site
      "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
      "contentVersion": "1.0.0.0",
      "resources": [
        { "type": "Microsoft.Resources/deployments", "name": "web",
          "properties": { "templateLink": { "relativePath": "nested/site.json" } } }
      ]
    }"#;
    let recorded = recorded(&[("main.json", caller), ("nested/site.json", TRICKY)]);
    let names: Vec<&str> = recorded.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(names, ["nested/site.json"]);
    assert_eq!(texts(&recorded[0].1, &recorded[0].2).len(), 3);
}
