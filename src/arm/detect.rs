//! Decides whether a JSON file is an ARM template, and whether a parse failure is ours to report.
//!
//! A root object is a template when its `$schema` names `deploymentTemplate.json` (any version,
//! host, scheme or case; this also admits the subscription, management group and tenant
//! variants such as `subscriptionDeploymentTemplate.json`, which deploy sites through nested
//! deployments), or when it has both `resources` and `contentVersion`. A `$schema` naming
//! `deploymentParameters.json` marks a parameter file, which is never a template.
//!
//! Broken JSON policy: the scan stage only sniffed the bytes for `microsoft.web/sites`, so a file
//! that fails to parse may be anything (a broken `package.json` mentioning a site type, …). It is
//! reported as a [`FileError`] (making the run fail) only when its raw text says it is a template:
//! `deploymentTemplate.json` appears, case-insensitively, in its first [`SNIFF_BYTES`] bytes,
//! where every template's `$schema` sits. Any other unparsable JSON is not ours and is skipped
//! silently, as valid non-template JSON is.

use crate::error::FileError;
use crate::json::{self, Json, JsonDocument};
use crate::limits::SNIFF_BYTES;
use crate::source::{FileId, SourceFile, Span};

const TEMPLATE_SCHEMA: &str = "deploymenttemplate.json";

/// What a JSON file turned out to be.
#[derive(Debug)]
pub enum Detected {
    /// An ARM template, parsed.
    Template(JsonDocument),
    /// Valid JSON that is not a template, or broken JSON that does not look like one.
    NotOurs,
    /// A template (by its raw text) that failed to parse, with the parse position.
    Broken(FileError),
}

/// Parses `source` and classifies it.
pub fn detect(id: FileId, source: &SourceFile) -> Detected {
    match json::parse(source.text()) {
        Ok(doc) if is_template(&doc.root) => Detected::Template(doc),
        Ok(_) => Detected::NotOurs,
        Err(error) if looks_like_template(source.text()) => Detected::Broken(FileError::at(
            source.path(),
            Span::new(id, error.span),
            format!("ARM template is not valid JSON: {}", error.message),
        )),
        Err(_) => Detected::NotOurs,
    }
}

/// Whether a parsed JSON root is an ARM deployment template.
pub fn is_template(root: &Json) -> bool {
    if !root.is_object() {
        return false;
    }
    // A parameter file is never a template (one rule for both: `FileKind::of_json`).
    if crate::file_kind::FileKind::of_json(root) == crate::file_kind::FileKind::ArmParameters {
        return false;
    }
    // ARM reads property names case-insensitively, `$schema` included.
    if let Some(schema) = root.get_ignore_case("$schema").and_then(Json::as_str) {
        let schema = schema.to_ascii_lowercase();
        if schema.contains(TEMPLATE_SCHEMA) {
            return true;
        }
    }
    root.get_ignore_case("resources").is_some() && root.get_ignore_case("contentVersion").is_some()
}

/// Whether raw text that failed to parse announces itself as a template near its start.
fn looks_like_template(text: &str) -> bool {
    let head = &text.as_bytes()[..text.len().min(SNIFF_BYTES)];
    head.to_ascii_lowercase()
        .windows(TEMPLATE_SCHEMA.len())
        .any(|window| window == TEMPLATE_SCHEMA.as_bytes())
}

/// Whether JSON bytes are an ARM template that `bicep build` generated: its
/// `metadata._generator.name` is `bicep`.
pub fn generated_by_bicep(bytes: &[u8]) -> bool {
    let Some(at) = memchr::memmem::find(bytes, b"\"_generator\"") else {
        return false;
    };
    // The generator object is short: `{ "name": "bicep", "version": "…", "templateHash": "…" }`.
    let window = &bytes[at..bytes.len().min(at + 200)];
    let Some(name) = memchr::memmem::find(window, b"\"name\"") else {
        return false;
    };
    let value = window[name + 6..].trim_ascii_start();
    value
        .strip_prefix(b":")
        .map(<[u8]>::trim_ascii_start)
        .is_some_and(|v| v.len() >= 7 && v[..7].eq_ignore_ascii_case(b"\"bicep\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detect_text(text: &str) -> Detected {
        detect(7, &SourceFile::new("dir/main.json".into(), text))
    }

    fn template(text: &str) -> bool {
        matches!(detect_text(text), Detected::Template(_))
    }

    #[test]
    fn schema_of_any_version_and_scheme_marks_a_template() {
        for schema in [
            "https://schema.management.azure.com/schemas/2015-01-01/deploymentTemplate.json#",
            "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
            "http://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
            "HTTPS://SCHEMA.EXAMPLE.ORG/schemas/2019-04-01/DEPLOYMENTTEMPLATE.JSON",
            "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
        ] {
            let text = format!(r#"{{"$schema": "{schema}", "resources": []}}"#);
            assert!(template(&text), "{schema}");
        }
    }

    #[test]
    fn resources_and_content_version_without_schema_mark_a_template() {
        assert!(template(
            r#"{"contentVersion": "1.0.0.0", "resources": []}"#
        ));
        assert!(template(
            r#"{"ContentVersion": "1.0.0.0", "Resources": {}}"#
        ));
        assert!(!template(r#"{"resources": []}"#));
        assert!(!template(r#"{"contentVersion": "1.0.0.0"}"#));
    }

    #[test]
    fn parameter_file_is_not_a_template() {
        let text = r#"{
          "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
          "contentVersion": "1.0.0.0",
          "parameters": { "siteType": { "value": "Microsoft.Web/sites" } }
        }"#;
        assert!(matches!(detect_text(text), Detected::NotOurs));
    }

    #[test]
    fn package_json_and_non_object_roots_are_not_ours() {
        let text = r#"{"name": "microsoft.web/sites-helper", "version": "1.0.0", "scripts": {}}"#;
        assert!(matches!(detect_text(text), Detected::NotOurs));
        assert!(matches!(
            detect_text(r#"["Microsoft.Web/sites"]"#),
            Detected::NotOurs
        ));
    }

    #[test]
    fn comments_and_trailing_commas_are_accepted() {
        let text = "{\n  // a template\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  /* block */\n  \"resources\": [],\n}\n";
        assert!(template(text));
    }

    #[test]
    fn broken_template_is_an_error_with_the_parse_position() {
        let text = "{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"resources\": [ { \"type\": } ]\n}\n";
        let Detected::Broken(error) = detect_text(text) else {
            panic!("expected a file error");
        };
        assert_eq!(error.path, std::path::PathBuf::from("dir/main.json"));
        let span = error.span.expect("a parse error has a position");
        assert_eq!(span.file, 7);
        // The parser points at the `}` where the `type` value should be.
        assert_eq!(span.start, text.find("} ]").unwrap());
        let file = SourceFile::new("dir/main.json".into(), text);
        assert_eq!(file.line_col(span.start).line, 3);
        assert!(
            error
                .message
                .starts_with("ARM template is not valid JSON: ")
        );
    }

    #[test]
    fn broken_json_that_is_not_a_template_is_skipped() {
        let text = r#"{"name": "x", "type": "Microsoft.Web/sites", "#;
        assert!(matches!(detect_text(text), Detected::NotOurs));
    }

    #[test]
    fn schema_name_past_the_sniff_window_does_not_count_for_broken_json() {
        let text = format!(
            "{{\"pad\": \"{}\", \"$schema\": \"deploymentTemplate.json\",",
            "x".repeat(SNIFF_BYTES)
        );
        assert!(matches!(detect_text(&text), Detected::NotOurs));
    }

    #[test]
    fn recognises_templates_generated_by_bicep() {
        let generated =
            br#"{"metadata": {"_generator": {"name": "bicep", "version": "0.30.3.12046"}}}"#;
        assert!(generated_by_bicep(generated));
        assert!(!generated_by_bicep(
            br#"{"metadata": {"_generator": {"name": "hand", "note": "bicep"}}}"#
        ));
        assert!(!generated_by_bicep(br#"{"resources": []}"#));
    }
}
