//! The ARM front end as the scan's table drives it: JSON naming the site type (or linking to
//! a local template) is a template to detect and scan. A template `bicep build` generated is
//! skipped in a directory the Bicep front end claims: it is judged through its Bicep source,
//! where a fix belongs, so each site is reported once.

use std::path::PathBuf;

use super::Scenarios;
use super::detect::generated_by_bicep;
use crate::file_kind::FileKind;
use crate::front::{Candidate, Claims, FrontEnd, FrontEndId, Sniffed};
use crate::load::Loader;
use crate::model::UnitScan;
use crate::paths::normalize;
use crate::search::{contains_ignore_ascii_case, names_site_type};

/// The ARM template front end, with the parameter files given explicitly.
pub struct Arm<'a> {
    pub scenarios: &'a Scenarios,
}

/// `Microsoft.Web/sites` in any case (ARM types are case-insensitive); slots declared as
/// children (`"type": "slots"`) always sit inside a site. `relativePath` marks a template that
/// links to a local template, which is judged through it.
fn arm_candidate(bytes: &[u8]) -> bool {
    names_site_type(bytes)
        || contains_ignore_ascii_case(bytes, b"relativepath", 6)
        || contains_ignore_ascii_case(bytes, b"microsoft.authorization/policyassignments", 23)
}

impl FrontEnd for Arm<'_> {
    const ID: FrontEndId = FrontEndId::Arm;
    /// Whether `bicep build` generated the template.
    type Outline = bool;
    type Units = Vec<PathBuf>;

    fn sniff(&self, kind: FileKind, bytes: &[u8]) -> Option<Sniffed<bool>> {
        if kind != FileKind::Json || !arm_candidate(&crate::load::searchable(bytes)) {
            return None;
        }
        Some(Sniffed {
            interesting: true,
            outline: Some(generated_by_bicep(bytes)),
        })
    }

    fn units(&self, _: &Loader, files: Vec<Candidate<bool>>, claims: &Claims) -> Vec<PathBuf> {
        let (generated, mut templates): (Vec<_>, Vec<_>) = files
            .into_iter()
            .partition(|file| file.outline.as_deref() == Some(&true));
        let bicep_dirs = claims.by(FrontEndId::Bicep);
        templates.extend(generated.into_iter().filter(|template| {
            !bicep_dirs.contains(&template.path.parent().map_or_else(PathBuf::new, normalize))
        }));
        templates
            .into_iter()
            .map(|template| template.path)
            .collect()
    }

    fn scan(&self, loader: &Loader, templates: Vec<PathBuf>) -> UnitScan {
        super::scan_templates(&templates, loader, self.scenarios)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sniff(kind: FileKind, text: &str) -> Option<Sniffed<bool>> {
        let front = Arm {
            scenarios: &Scenarios::default(),
        };
        FrontEnd::sniff(&front, kind, text.as_bytes())
    }

    #[test]
    fn json_naming_the_site_type_or_a_relative_link_interests_it() {
        let interests = |text: &str| sniff(FileKind::Json, text).is_some_and(|s| s.interesting);
        assert!(interests("{\"type\": \"MICROSOFT.WEB/Sites/slots\"}"));
        assert!(interests(
            "{\"templateLink\": {\"relativePath\": \"web.json\"}}"
        ));
        assert!(interests("\"RelativePath\": \"a.json\""));
        assert!(!interests("relative path v"));
        assert!(!interests("{\"name\": \"package\"}"));
        assert!(sniff(FileKind::Bicep, "'Microsoft.Web/sites@2023-12-01'").is_none());
    }

    #[test]
    fn the_outline_says_whether_bicep_generated_the_template() {
        let generated =
            r#"{"metadata": {"_generator": {"name": "bicep"}}, "type": "Microsoft.Web/sites"}"#;
        assert_eq!(
            sniff(FileKind::Json, generated).unwrap().outline,
            Some(true)
        );
        let written = r#"{"type": "Microsoft.Web/sites"}"#;
        assert_eq!(sniff(FileKind::Json, written).unwrap().outline, Some(false));
    }
}
