//! The plan front end as the scan's table drives it: JSON stating a `format_version` and
//! naming an in-scope Terraform type is a plan; each plan is a unit, and its directory is
//! claimed (the Terraform root beside it is judged through the plan only).

use std::collections::BTreeSet;
use std::path::PathBuf;

use memchr::memmem;

use crate::file_kind::FileKind;
use crate::front::{Candidate, Claims, Erased, FrontEnd, FrontEndId, Sniffed};
use crate::load::Loader;
use crate::model::UnitScan;
use crate::paths::normalize;

/// The plan JSON front end.
pub struct Plan;

/// A Terraform plan (`terraform show -json`) states its format version.
fn plan_candidate(bytes: &[u8]) -> bool {
    memmem::find(bytes, b"\"format_version\"").is_some()
}

impl FrontEnd for Plan {
    const ID: FrontEndId = FrontEndId::Plan;
    type Outline = ();
    type Units = Vec<PathBuf>;

    fn sniff(&self, kind: FileKind, bytes: &[u8]) -> Option<Sniffed<()>> {
        if kind != FileKind::Json {
            return None;
        }
        let bytes = crate::load::searchable(bytes);
        // Not interesting here leaves the file to the rows after this one (ARM).
        let interesting = plan_candidate(&bytes)
            && (crate::terraform::interest::names_terraform_type(&bytes)
                || crate::terraform::policy::names_assignment(&bytes));
        interesting.then_some(Sniffed {
            interesting,
            outline: None,
        })
    }

    fn claims(&self, files: &[Candidate<Erased>]) -> BTreeSet<PathBuf> {
        files
            .iter()
            .map(|plan| plan.path.parent().map_or_else(PathBuf::new, normalize))
            .collect()
    }

    fn units(&self, _: &Loader, files: Vec<Candidate<()>>, _: &Claims) -> Vec<PathBuf> {
        files.into_iter().map(|plan| plan.path).collect()
    }

    fn scan(&self, loader: &Loader, plans: Vec<PathBuf>) -> UnitScan {
        super::scan_plans(&plans, loader)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sniff(kind: FileKind, text: &str) -> Option<bool> {
        FrontEnd::sniff(&Plan, kind, text.as_bytes()).map(|s| s.interesting)
    }

    #[test]
    fn json_with_a_format_version_and_a_terraform_type_interests_it() {
        assert_eq!(
            sniff(
                FileKind::Json,
                "{\"format_version\": \"1.2\", \"type\": \"azurerm_linux_web_app\"}"
            ),
            Some(true)
        );
        assert_eq!(sniff(FileKind::Json, "{\"format_version\": \"1.2\"}"), None);
        assert_eq!(
            sniff(FileKind::Json, "{\"type\": \"azurerm_linux_web_app\"}"),
            None
        );
        assert_eq!(
            sniff(
                FileKind::Terraform,
                "\"format_version\" azurerm_linux_web_app"
            ),
            None
        );
    }
}
