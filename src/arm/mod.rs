//! The ARM template front end: one JSON file in, the App Service sites and slots it deploys out.
//!
//! `detect` decides whether the file is a template (and whether a parse failure is ours),
//! `walk` finds every site and slot that would be deployed, `lower` turns each into the model's
//! [`Resource`](crate::model::Resource), `kind` classifies the `kind` string on the way, and
//! `expr` tells ARM expressions from literal strings.
//! Values are read as written; resolving parameters and variables is a later stage's job and
//! plugs in at `lower`.

mod detect;
mod expr;
mod kind;
mod lower;
mod walk;

use crate::model::UnitScan;
use crate::source::{FileId, SourceFile};

use detect::Detected;

/// Scans one JSON file. A JSON file that is not an ARM template (package.json, a parameter
/// file, …) yields an empty [`UnitScan`] silently; a file that announces itself as a template
/// but does not parse yields one [`FileError`](crate::error::FileError) with the position.
pub fn scan_file(id: FileId, source: &SourceFile) -> UnitScan {
    match detect::detect(id, source) {
        Detected::Template(doc) => UnitScan {
            resources: walk::walk(&doc.root)
                .iter()
                .map(|site| lower::lower(id, site))
                .collect(),
            errors: Vec::new(),
        },
        Detected::NotOurs => UnitScan::default(),
        Detected::Broken(error) => UnitScan {
            resources: Vec::new(),
            errors: vec![error],
        },
    }
}

/// Scans the JSON files that may be ARM templates, each on its own.
pub fn scan_templates(
    paths: &[std::path::PathBuf],
    loader: &crate::load::Loader,
    _settings: &crate::scan::Settings,
) -> UnitScan {
    use rayon::prelude::*;
    let scans: Vec<UnitScan> = paths
        .par_iter()
        .filter_map(|path| loader.file(path))
        .map(|loaded| scan_file(loaded.id, &loaded.source))
        .collect();
    let mut all = UnitScan::default();
    for scan in scans {
        all.resources.extend(scan.resources);
        all.errors.extend(scan.errors);
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Data, SiteKind};

    fn scan(text: &str) -> UnitScan {
        scan_file(0, &SourceFile::new("infra/azuredeploy.json".into(), text))
    }

    #[test]
    fn scans_a_template_end_to_end() {
        let text = r#"{
  // Azure CLI accepts comments and trailing commas.
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.Web/sites",
      "apiVersion": "2023-12-01",
      "name": "api",
      "kind": "app,linux",
      "properties": { "clientCertEnabled": true, "clientCertMode": "Required", },
      "resources": [ { "type": "slots", "name": "staging", "properties": {} } ],
    },
  ],
}
"#;
        let scan = scan(text);
        assert!(scan.errors.is_empty());
        let addresses: Vec<_> = scan.resources.iter().map(|r| r.address.as_str()).collect();
        assert_eq!(addresses, vec!["api", "api/staging"]);
        let site = &scan.resources[0];
        assert_eq!(site.kind, SiteKind::WebApp);
        assert_eq!(site.kind_tags, vec!["app", "linux"]);
        assert_eq!(site.enabled.as_ref().unwrap().data, Data::Bool(true));
        assert_eq!(site.header.file, 0);
        assert_eq!(
            &text[site.header.range()],
            r#""type": "Microsoft.Web/sites""#
        );
        let slot = &scan.resources[1];
        assert_eq!(slot.resource_type, "Microsoft.Web/sites/slots");
        assert_eq!(slot.enabled, None);
    }

    #[test]
    fn symbolic_name_is_the_address_in_language_version_2() {
        let text = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "languageVersion": "2.0",
  "contentVersion": "1.0.0.0",
  "resources": {
    "existingPlan": { "type": "Microsoft.Web/sites", "existing": true, "name": "old" },
    "webApp": { "type": "Microsoft.Web/sites", "name": "[parameters('name')]" }
  }
}"#;
        let scan = scan(text);
        let addresses: Vec<_> = scan.resources.iter().map(|r| r.address.as_str()).collect();
        assert_eq!(addresses, vec!["webApp"]);
    }

    #[test]
    fn broken_template_reports_a_placed_error() {
        let text = "{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2015-01-01/deploymentTemplate.json#\",\n  \"resources\": [ { \"type\": \"Microsoft.Web/sites\" \"name\": \"x\" } ]\n}\n";
        let scan = scan(text);
        assert!(scan.resources.is_empty());
        assert_eq!(scan.errors.len(), 1);
        let error = &scan.errors[0];
        assert_eq!(
            error.path,
            std::path::PathBuf::from("infra/azuredeploy.json")
        );
        // "Expected comma" points just past the string that should have been followed by one.
        let value = "\"Microsoft.Web/sites\"";
        let at = text.find(value).unwrap() + value.len();
        let span = error.span.expect("a parse error has a position");
        assert_eq!((span.file, span.start), (0, at));
        assert!(
            error.message.contains("Expected comma"),
            "{}",
            error.message
        );
    }

    #[test]
    fn non_templates_yield_nothing() {
        for text in [
            r#"{"name": "site", "dependencies": {"microsoft.web/sites": "1.0.0"}}"#,
            r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "contentVersion": "1.0.0.0", "parameters": {"t": {"value": "Microsoft.Web/sites"}}}"#,
            r#"{"type": "Microsoft.Web/sites", broken"#,
        ] {
            let scan = scan(text);
            assert!(scan.resources.is_empty(), "{text}");
            assert!(scan.errors.is_empty(), "{text}");
        }
    }
}
