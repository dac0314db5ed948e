//! Stage: read every included file once and ask each front end what interests it, in
//! parallel; files whose contents did not change since a reused scan are not read again.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::cache::Cache;
use crate::error::FileError;
use crate::file_kind::FileKind;
use crate::front::{Note, Row, Sniffed};
use crate::load::{self, Loader};

/// What the rows' byte searches found in one file, per row of the table (`None`: not the
/// row's business; rows past the end answered `None` too). At most one row finds it
/// interesting.
/// Shared: a re-scan taking the cache over hands every unchanged file's answers on without
/// copying them.
pub type Found = Arc<[Option<Sniffed<Note>>]>;

/// What one discovered file holds: `None` where a config excludes it, the error boxed
/// because almost every file reads (the scan keeps one of these per file).
pub type FileFound = Option<Result<Found, Box<FileError>>>;

/// Reads one file and asks the rows in table order; the first that finds the file interesting
/// takes it, and the rows after it are not asked.
fn sniff_file(
    rows: &[Box<dyn Row + '_>],
    loader: &Loader,
    path: &Path,
    kind: FileKind,
) -> Result<Found, FileError> {
    let bytes = loader.read_bytes(path)?;
    let mut found = Vec::with_capacity(rows.len());
    for row in rows {
        let sniffed = row.sniff(kind, &bytes);
        let taken = sniffed.as_ref().is_some_and(|s| s.interesting);
        found.push(sniffed);
        if taken {
            break;
        }
    }
    // Kept for the whole scan (and its cache), one per file: most files answer one row or
    // none, so trailing `None`s are dropped, and the slice has no spare capacity.
    while found.last().is_some_and(Option::is_none) {
        found.pop();
    }
    Ok(found.into())
}

/// What each file of `files` holds (`None` where `included` says a config excludes it),
/// taken from `reuse` for the files whose contents did not change.
pub fn all(
    rows: &[Box<dyn Row + '_>],
    loader: &Loader,
    files: &[(PathBuf, FileKind)],
    included: &[bool],
    reuse: Option<&Cache>,
    overrides: &load::Overrides,
) -> Vec<FileFound> {
    // By bytes: asked once per file, and comparing paths component by component in a tree
    // of them costs more than reading a small file.
    let changed: Option<crate::path_map::PathMap<()>> = reuse.map(|cache| {
        cache
            .changed(overrides)
            .into_iter()
            .map(|path| (path.into_os_string(), ()))
            .collect()
    });
    (0..files.len())
        .into_par_iter()
        .map(|i| {
            if !included[i] {
                return None;
            }
            let (path, kind) = &files[i];
            if let (Some(cache), Some(changed)) = (reuse, &changed) {
                let unchanged = changed.is_empty()
                    || !changed.contains_key(crate::paths::normalized(path).as_os_str());
                if let Some(Some(known)) = cache.found.get(i).filter(|_| unchanged) {
                    return Some(known.clone());
                }
            }
            Some(sniff_file(rows, loader, path, *kind).map_err(Box::new))
        })
        .collect()
}

/// Whether a discovered file counts as scanned in the summary: a row that answered for it
/// says it searched it for sites ([`Row::searched_for_sites`]). A file that could not be read
/// is an error instead, and one a config excludes is not scanned.
fn searched_for_sites(rows: &[Box<dyn Row + '_>], kind: FileKind, found: &FileFound) -> bool {
    let Some(Ok(found)) = found else {
        return false;
    };
    rows.iter().zip(found.iter()).any(|(row, sniffed)| {
        sniffed
            .as_ref()
            .is_some_and(|s| row.searched_for_sites(kind, s.interesting))
    })
}

/// The files that count as scanned, with the front end that searched each (the first row
/// that says so), in the order of `files`.
pub fn scanned_files(
    rows: &[Box<dyn Row + '_>],
    files: &[(PathBuf, FileKind)],
    found: &[FileFound],
) -> Vec<(PathBuf, crate::front::FrontEndId)> {
    files
        .iter()
        .zip(found)
        .filter_map(|((path, kind), found)| {
            let Some(Ok(found)) = found else {
                return None;
            };
            let row = rows.iter().zip(found.iter()).find(|(row, sniffed)| {
                sniffed
                    .as_ref()
                    .is_some_and(|s| row.searched_for_sites(*kind, s.interesting))
            })?;
            Some((path.clone(), row.0.id()))
        })
        .collect()
}

/// How many files count as scanned in the summary (see [`searched_for_sites`]).
pub fn files_scanned(
    rows: &[Box<dyn Row + '_>],
    files: &[(PathBuf, FileKind)],
    found: &[FileFound],
) -> usize {
    files
        .iter()
        .zip(found)
        .filter(|((_, kind), found)| searched_for_sites(rows, *kind, found))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceMap;

    fn found(name: &str, kind: FileKind, text: &str) -> Found {
        let settings = super::super::Settings::default();
        let memo = crate::terraform::Slot::default();
        let rows = super::super::table::rows(&settings, &memo);
        let sources = SourceMap::default();
        let path = Path::new("/project").join(name);
        let mut overrides = load::Overrides::new();
        overrides.insert(path.clone(), text.to_string());
        let loader = Loader::with_overrides(&sources, &overrides);
        sniff_file(&rows, &loader, &path, kind).unwrap()
    }

    #[test]
    fn a_plan_naming_the_site_type_is_not_offered_to_arm() {
        let plan = found(
            "plan.json",
            FileKind::Json,
            "{\"format_version\": \"1.2\", \"type\": \"azurerm_linux_web_app\", \
             \"x\": \"Microsoft.Web/sites\"}",
        );
        // Terraform: not its kind; plan: taken; exports, ARM and Bicep not asked.
        assert_eq!(plan.len(), 2);
        assert!(plan[0].is_none());
        assert!(plan[1].as_ref().is_some_and(|s| s.interesting));
        let template = found(
            "azuredeploy.json",
            FileKind::Json,
            "{\"type\": \"Microsoft.Web/sites\"}",
        );
        assert_eq!(template.len(), 4);
        assert!(template[2].is_none());
        assert!(template[3].as_ref().is_some_and(|s| s.interesting));
        // An inventory export is full of site ids: taken by the export row, not offered to ARM.
        let export = found(
            "sites.json",
            FileKind::Json,
            "[{\"id\": \"/subscriptions/0/resourceGroups/rg/providers/Microsoft.Web/sites/a\", \
             \"type\": \"Microsoft.Web/sites\"}]",
        );
        assert_eq!(export.len(), 3);
        assert!(export[2].as_ref().is_some_and(|s| s.interesting));
    }

    #[test]
    fn an_uninteresting_bicep_file_is_asked_of_every_row_and_keeps_its_outline() {
        let bicep = found("main.bicep", FileKind::Bicep, "param location string");
        // Every row is asked; the Terragrunt row, last, answers that it is not its business,
        // and that trailing `None` is not kept.
        assert_eq!(bicep.len(), 5);
        assert!(bicep[..4].iter().all(Option::is_none));
        assert!(
            bicep[4]
                .as_ref()
                .is_some_and(|s| !s.interesting && s.outline.is_some())
        );
        let settings = super::super::Settings::default();
        let memo = crate::terraform::Slot::default();
        let rows = super::super::table::rows(&settings, &memo);
        // Bicep reads every Bicep file for its outline: it counts although nothing in it
        // interests the scan. A parameter file only feeds values: it does not.
        assert!(searched_for_sites(&rows, FileKind::Bicep, &Some(Ok(bicep))));
        let params = found(
            "main.bicepparam",
            FileKind::BicepParams,
            "using 'main.bicep'\n",
        );
        assert!(params[4].as_ref().is_some_and(|s| s.interesting));
        assert!(!searched_for_sites(
            &rows,
            FileKind::BicepParams,
            &Some(Ok(params))
        ));
    }

    #[test]
    fn a_file_keeps_only_the_answers_up_to_the_last_row_that_gave_one() {
        // Kept per file for the whole scan: a variables file is no row's business.
        let vars = found("terraform.tfvars", FileKind::TerraformVars, "a = 1\n");
        assert!(vars.is_empty());
        // A Terraform file without a site answers the first row only.
        let tf = found("main.tf", FileKind::Terraform, "locals {}\n");
        assert_eq!(tf.len(), 1);
        assert!(tf[0].as_ref().is_some_and(|s| !s.interesting));
    }
}
