//! Terraform plan JSON (`terraform show -json plan.out`): the fully resolved resources of a plan.
//!
//! A plan is the truth Terraform will apply: every variable, local, module input, `count` and
//! `for_each` already evaluated. So nothing is resolved here; the plan is read as data.
//!
//! - **Detection** ([`detect`]): a JSON object with `format_version` and `planned_values` or
//!   `resource_changes`. Anything else (a state file, another tool's JSON that mentions an
//!   azurerm type) is not a plan and is skipped silently. JSON that fails to parse is reported
//!   only when it announces itself as a plan (`"format_version"` and `"terraform_version"` in
//!   its first 4 KB). A `format_version` major other than 0 or 1 is refused, as the format's
//!   documentation asks of readers.
//! - **What is judged** ([`entries`]): instances that exist after apply, from `resource_changes`
//!   (or `planned_values` when a plan has none), read by [`lower`] with the type table and the
//!   provider version the plan's constraints pin ([`version`]).
//! - **Addresses** ([`address`]): an instance `module.web["a"].azurerm_linux_web_app.this["x"]`
//!   belongs to the declaration `module.web.azurerm_linux_web_app.this`; instances of one
//!   declaration share its header (the first instance's `"address"` member in the plan), so
//!   the scan judges them together and names the failing instance.
//! - **Positions**: values point into the plan (the attribute's member in `change.after`, or in
//!   `after_unknown` for an unknown); when the configuration sits next to the plan, each value
//!   also names where the resource is declared ([`config`]).

mod address;
mod config;
mod entries;
mod front;
mod identity;
#[cfg(test)]
mod identity_tests;
mod lower;
mod policy;
mod rollout;
#[cfg(test)]
mod rollout_tests;
mod version;

pub use front::Plan;

use std::collections::HashMap;
use std::path::PathBuf;

use crate::error::FileError;
use crate::json::{self, Json, JsonDocument};
use crate::limits::SNIFF_BYTES;
use crate::load::Loader;
use crate::model::UnitScan;
use crate::source::{FileId, SourceFile, Span};

/// Scans plan JSON files, each on its own; files that are not plans yield nothing.
pub fn scan_plans(paths: &[PathBuf], loader: &Loader) -> UnitScan {
    use rayon::prelude::*;
    let scans: Vec<UnitScan> = paths
        .par_iter()
        .filter_map(|path| {
            let loaded = loader.file(path)?;
            Some(scan_file(loaded.id, &loaded.source, Some(loader)))
        })
        .collect();
    let mut all = UnitScan::default();
    for scan in scans {
        all.resources.extend(scan.resources);
        all.errors.extend(scan.errors);
        all.policies.extend(scan.policies);
        all.units.extend(scan.units);
    }
    all
}

/// Scans one file. With a loader, the configuration next to the plan is searched for the
/// resources' declarations.
fn scan_file(id: FileId, source: &SourceFile, loader: Option<&Loader>) -> UnitScan {
    let doc = match detect(id, source) {
        Detected::Plan(doc) => doc,
        Detected::NotOurs => return UnitScan::default(),
        Detected::Broken(error) => {
            return UnitScan {
                errors: vec![error],
                ..UnitScan::default()
            };
        }
    };
    let root = &doc.root;
    let mut scan = UnitScan::default();
    if loader.is_some_and(Loader::names_units) {
        scan.units = vec![format!("plan {}", crate::paths::path_text(source.path()))];
    }
    if let Some(errored) = root
        .member("errored")
        .filter(|member| member.value.kind == json::JsonKind::Bool(true))
    {
        scan.errors.push(FileError::notice(
            source.path(),
            Some(Span::new(id, errored.span.clone())),
            "the plan is marked `errored`: Terraform could not plan everything, so resources may be missing from it",
        ));
    }
    scan.policies = policy::find(root, id);
    let version = version::provider_version(root);
    let mut declarations = loader
        .map(|loader| config::Declarations::new(loader, source.path(), root.get("configuration")));
    let collected = entries::collect(root);
    let mut headers: HashMap<String, Span> = HashMap::new();
    for entry in &collected.entries {
        let split = address::split(entry.address);
        let header = *headers
            .entry(split.declaration.clone())
            .or_insert_with(|| Span::new(id, entry.address_span.clone()));
        let name = entry.name.unwrap_or_else(|| {
            split
                .declaration
                .rsplit('.')
                .next()
                .unwrap_or(&split.declaration)
        });
        let declared = declarations
            .as_mut()
            .and_then(|found| found.find(&split.declaration, entry.resource_type, name));
        let placement = lower::Placement {
            instance: split.has_instance_keys.then(|| entry.address.to_string()),
            address: split.declaration,
            header,
            declared,
        };
        scan.resources
            .extend(lower::lower(id, entry, version, placement));
    }
    scan.errors.extend(
        collected
            .problems
            .into_iter()
            .map(|(range, message)| FileError::at(source.path(), Span::new(id, range), message)),
    );
    scan
}

/// What a JSON file turned out to be.
#[derive(Debug)]
enum Detected {
    Plan(JsonDocument),
    NotOurs,
    /// A plan that cannot be read: broken JSON announcing itself as a plan, or an unsupported
    /// format version.
    Broken(FileError),
}

fn detect(id: FileId, source: &SourceFile) -> Detected {
    let doc = match json::parse(source.text()) {
        Ok(doc) => doc,
        Err(error) if looks_like_plan(source.text()) => {
            return Detected::Broken(FileError::at(
                source.path(),
                Span::new(id, error.span),
                format!("Terraform plan is not valid JSON: {}", error.message),
            ));
        }
        Err(_) => return Detected::NotOurs,
    };
    if !is_plan(&doc.root) {
        return Detected::NotOurs;
    }
    if let Some(member) = doc.root.member("format_version") {
        let major = member
            .value
            .as_str()
            .and_then(|version| version.split('.').next());
        if !matches!(major, Some("0") | Some("1")) {
            return Detected::Broken(FileError::at(
                source.path(),
                Span::new(id, member.span.clone()),
                "unsupported plan format version: certgate reads `terraform show -json` format 0.x and 1.x",
            ));
        }
    }
    Detected::Plan(doc)
}

/// `format_version` plus `planned_values` or `resource_changes`: what `terraform show -json`
/// writes for a plan (a state file has `values` instead).
fn is_plan(root: &Json) -> bool {
    root.is_object()
        && root.get("format_version").is_some()
        && (root.get("planned_values").is_some() || root.get("resource_changes").is_some())
}

/// Whether raw text that failed to parse opens like a plan: Terraform writes `format_version`
/// and `terraform_version` first.
fn looks_like_plan(text: &str) -> bool {
    let head = &text.as_bytes()[..text.len().min(SNIFF_BYTES)];
    memchr::memmem::find(head, b"\"format_version\"").is_some()
        && memchr::memmem::find(head, b"\"terraform_version\"").is_some()
}

/// Scans a plan given as text, without looking for its configuration.
#[cfg(test)]
fn scan_text(text: &str) -> UnitScan {
    scan_file(5, &SourceFile::new("env/plan.json".into(), text), None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Level;
    use crate::model::Data;

    const HEAD: &str = r#""format_version": "1.2", "terraform_version": "1.9.5""#;

    fn web_app(address: &str, enabled: bool) -> String {
        format!(
            r#"{{"address": "{}", "mode": "managed", "type": "azurerm_linux_web_app", "name": "this",
                "change": {{"actions": ["create"], "after": {{"client_certificate_enabled": {enabled},
                "client_certificate_mode": "Required", "client_certificate_exclusion_paths": null}},
                "after_unknown": {{"id": true}}}}}}"#,
            address.replace('"', "\\\"")
        )
    }

    #[test]
    fn detects_plans_and_skips_other_json_silently() {
        for not_a_plan in [
            r#"{"format_version": "1.0", "values": {"root_module": {}}, "type": "azurerm_linux_web_app"}"#,
            r#"{"format_version": 2, "rules": ["azurerm_linux_web_app"]}"#,
            r#"["format_version", "planned_values", "azurerm_linux_web_app"]"#,
            r#"{"format_version": "1.0", "azurerm_linux_web_app": "#,
        ] {
            let scan = scan_text(not_a_plan);
            assert!(scan.resources.is_empty(), "{not_a_plan}");
            assert!(scan.errors.is_empty(), "{not_a_plan}");
        }
        let plan = format!(
            r#"{{{HEAD}, "resource_changes": [{}]}}"#,
            web_app("azurerm_linux_web_app.this", true)
        );
        let scan = scan_text(&plan);
        assert!(scan.errors.is_empty(), "{:?}", scan.errors);
        assert_eq!(scan.resources.len(), 1);
        assert_eq!(scan.resources[0].address, "azurerm_linux_web_app.this");
        assert_eq!(scan.resources[0].instance, None);
    }

    #[test]
    fn broken_plan_is_an_error_with_position() {
        let text = format!("{{{HEAD},\n \"resource_changes\": [ {{\"address\": }} ]\n}}");
        let scan = scan_text(&text);
        assert_eq!(scan.errors.len(), 1);
        let error = &scan.errors[0];
        assert_eq!(error.level, Level::Error);
        assert!(
            error
                .message
                .starts_with("Terraform plan is not valid JSON: "),
            "{}",
            error.message
        );
        let span = error.span.unwrap();
        assert_eq!((span.file, span.start), (5, text.find("} ]").unwrap()));
    }

    #[test]
    fn unsupported_format_version_is_refused() {
        let text = r#"{"format_version": "2.0", "resource_changes": []}"#;
        let scan = scan_text(text);
        assert_eq!(scan.errors.len(), 1);
        assert!(scan.errors[0].message.contains("format version"));
    }

    #[test]
    fn instances_share_the_declaration_address_and_header() {
        let plan = format!(
            r#"{{{HEAD}, "resource_changes": [{}, {}, {}]}}"#,
            web_app(r#"module.web["a"].azurerm_linux_web_app.this"#, true),
            web_app(r#"module.web["b[1]"].azurerm_linux_web_app.this"#, false),
            web_app("azurerm_linux_web_app.this", true),
        );
        let scan = scan_text(&plan);
        let [a, b, root] = scan.resources.as_slice() else {
            panic!("three resources expected: {:?}", scan.resources);
        };
        assert_eq!(a.address, "module.web.azurerm_linux_web_app.this");
        assert_eq!(b.address, a.address);
        assert_eq!(a.header, b.header);
        assert_eq!(
            b.instance.as_deref(),
            Some(r#"module.web["b[1]"].azurerm_linux_web_app.this"#)
        );
        assert_eq!(b.enabled.as_ref().unwrap().data, Data::Bool(false));
        assert_ne!(root.header, a.header);
        assert_eq!(root.instance, None);
    }

    #[test]
    fn an_errored_plan_is_a_notice() {
        let text = format!(r#"{{{HEAD}, "errored": true, "resource_changes": []}}"#);
        let scan = scan_text(&text);
        assert_eq!(scan.errors.len(), 1);
        assert_eq!(scan.errors[0].level, Level::Notice);
    }
}
