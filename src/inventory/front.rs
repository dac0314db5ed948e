//! The inventory-export front end as the scan's table drives it: JSON naming a site or slot
//! resource id, with no ARM template or parameter file marker, is an export; each file is a
//! unit. Its row sits before ARM's, so an export (full of `Microsoft.Web/sites` ids) is never
//! offered to ARM, and after the plan's.

use std::path::PathBuf;

use crate::file_kind::FileKind;
use crate::front::{Candidate, Claims, FrontEnd, FrontEndId, Sniffed};
use crate::load::Loader;
use crate::model::UnitScan;
use crate::search::contains_ignore_ascii_case;

/// The inventory-export front end.
pub struct Inventory;

/// A site or slot resource id in any case, in a file that is no template or parameter file.
pub(crate) fn export_candidate(bytes: &[u8]) -> bool {
    contains_ignore_ascii_case(bytes, b"/providers/microsoft.web/sites/", 10)
        && !contains_ignore_ascii_case(bytes, b"\"contentversion\"", 8)
        && !contains_ignore_ascii_case(bytes, b"deploymenttemplate.json", 18)
        && !contains_ignore_ascii_case(bytes, b"deploymentparameters.json", 20)
}

impl FrontEnd for Inventory {
    const ID: FrontEndId = FrontEndId::Inventory;
    type Outline = ();
    type Units = Vec<PathBuf>;

    fn sniff(&self, kind: FileKind, bytes: &[u8]) -> Option<Sniffed<()>> {
        if kind != FileKind::Json || !export_candidate(&crate::load::searchable(bytes)) {
            // Not ours: left to the rows after this one (ARM).
            return None;
        }
        Some(Sniffed {
            interesting: true,
            outline: None,
        })
    }

    fn units(&self, _: &Loader, files: Vec<Candidate<()>>, _: &Claims) -> Vec<PathBuf> {
        files.into_iter().map(|file| file.path).collect()
    }

    fn scan(&self, loader: &Loader, exports: Vec<PathBuf>) -> UnitScan {
        super::scan_exports(&exports, loader)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_id_outside_a_template_interests_it() {
        let id = "/subscriptions/0/resourcegroups/rg/providers/microsoft.web/sites/shop";
        assert!(export_candidate(
            format!("[{{\"id\": \"{id}\"}}]").as_bytes()
        ));
        assert!(export_candidate(id.to_ascii_uppercase().as_bytes()));
        for marker in [
            "\"contentVersion\": \"1.0.0.0\"",
            "\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\"",
            "\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#\"",
        ] {
            assert!(!export_candidate(
                format!("{{{marker}, \"id\": \"{id}\"}}").as_bytes()
            ));
        }
        assert!(!export_candidate(b"{\"type\": \"Microsoft.Web/sites\"}"));
    }
}
