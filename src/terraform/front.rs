//! The Terraform front end as the scan's table drives it: `.tf` / `.tf.json` files naming an
//! in-scope type or calling a module make their directory a unit; the units that can lead to
//! a site (see `relevance`) are scanned as a project, minus the roots a plan claims.

use std::collections::BTreeSet;
use std::path::PathBuf;

use super::{Inputs, Known, Memo, Outline, Slot, interest};
use crate::file_kind::FileKind;
use crate::front::{Candidate, Claims, FrontEnd, FrontEndId, Sniffed};
use crate::load::Loader;
use crate::model::UnitScan;
use crate::paths::normalize;

/// The Terraform front end, with the command line's and environment's inputs, and where it
/// finds an earlier scan's parsed modules and leaves its own.
pub struct Terraform<'a> {
    pub inputs: &'a Inputs,
    pub memo: &'a Slot<'a>,
}

/// The module directories to scan and the roots a plan beside them judges instead, with what
/// still holds of an earlier scan's memo.
pub struct Units {
    dirs: Vec<PathBuf>,
    planned: BTreeSet<PathBuf>,
    memo: Memo,
}

impl FrontEnd for Terraform<'_> {
    const ID: FrontEndId = FrontEndId::Terraform;
    type Outline = Outline;
    type Units = Units;

    fn sniff(&self, kind: FileKind, bytes: &[u8]) -> Option<Sniffed<Outline>> {
        if !kind.is_terraform() {
            return None;
        }
        let interesting = interest::interests(&crate::load::searchable(bytes));
        // A file naming no type and calling no module has the empty outline (not searched).
        let outline = match interesting {
            true => Outline::of(kind, bytes),
            false => Outline::default(),
        };
        Some(Sniffed {
            interesting,
            outline: Some(outline),
        })
    }

    /// Every file of a Terraform directory is read when the directory is: each counts.
    fn searched_for_sites(&self, _kind: FileKind, _interesting: bool) -> bool {
        true
    }

    fn units(&self, loader: &Loader, files: Vec<Candidate<Outline>>, claims: &Claims) -> Units {
        let mut known = Known::with_capacity(files.len());
        // Sorted and deduplicated once at the end: the files come sorted, so most repeats are
        // the previous directory, and inserting each into a tree compared paths component by
        // component about ten times per file.
        let mut dirs: Vec<PathBuf> = Vec::new();
        for file in files {
            if file.interesting {
                let dir = file.path.parent().map_or_else(PathBuf::new, normalize);
                if dirs.last() != Some(&dir) {
                    dirs.push(dir);
                }
            }
            if let Some(outline) = file.outline {
                known.add(&file.path, outline);
            }
        }
        dirs.sort();
        dirs.dedup();
        let mut memo = self.memo.earlier(&known, self.inputs);
        // Directories that only call helper modules declare no site: they are not parsed.
        let dirs = super::relevant_dirs(dirs, known, loader, &mut memo);
        if !self.memo.keep {
            // Needed by no later scan: freed before the modules are parsed.
            memo.forget_relevance();
        }
        Units {
            dirs,
            // A plan judges its root instead, and so does a Terragrunt unit the module it calls.
            planned: claims
                .by(FrontEndId::Plan)
                .union(claims.by(FrontEndId::Terragrunt))
                .cloned()
                .collect(),
            memo,
        }
    }

    fn scan(&self, loader: &Loader, units: Units) -> UnitScan {
        let (scan, memo) = super::scan_project(
            &units.dirs,
            &units.planned,
            loader,
            self.inputs,
            units.memo,
            self.memo.keep,
        );
        self.memo.put(memo);
        scan
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sniff(kind: FileKind, bytes: &[u8]) -> Option<bool> {
        let front = Terraform {
            inputs: &Inputs::default(),
            memo: &Slot::default(),
        };
        FrontEnd::sniff(&front, kind, bytes).map(|s| s.interesting)
    }

    #[test]
    fn terraform_files_with_a_site_type_or_a_module_call_interest_it() {
        let tf = |text: &str| sniff(FileKind::Terraform, text.as_bytes());
        assert_eq!(
            tf("resource \"azurerm_linux_web_app\" \"a\" {}"),
            Some(true)
        );
        assert_eq!(tf("module \"web\" { source = \"../web\" }"), Some(true));
        assert_eq!(
            tf("resource \"azurerm_storage_account\" \"a\" {}"),
            Some(false)
        );
        assert_eq!(
            sniff(FileKind::TerraformJson, b"{\"module\": {\"a\": {}}}"),
            Some(true)
        );
        assert_eq!(
            sniff(FileKind::Json, b"{\"type\": \"azurerm_linux_web_app\"}"),
            None
        );
        assert_eq!(sniff(FileKind::Bicep, b"module \"a\" {}"), None);
    }

    #[test]
    fn utf16_candidates_are_found() {
        let text = "resource \"azurerm_linux_web_app\" \"a\" {}";
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(sniff(FileKind::Terraform, &bytes), Some(true));
        let without_bom: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(sniff(FileKind::Terraform, &without_bom), Some(true));
    }

    #[test]
    fn an_uninteresting_file_keeps_the_empty_outline() {
        let front = Terraform {
            inputs: &Inputs::default(),
            memo: &Slot::default(),
        };
        let sniffed = FrontEnd::sniff(&front, FileKind::Terraform, b"locals {}").unwrap();
        assert_eq!(sniffed.outline, Some(Outline::default()));
    }
}
