//! Inventory exports: what Azure reports as deployed, read from files the user exported (no
//! network, no credentials), judged by the same rules as code.
//!
//! - **Detection** ([`front`], [`read`]): a JSON file naming a site or slot resource id
//!   (`/providers/Microsoft.Web/sites/…`, any case) and no ARM template marker; then parsed:
//!   `az webapp list/show`, `az functionapp list/show`, `az webapp deployment slot list`,
//!   Azure Resource Graph pages (`az graph query`, `Search-AzGraph | ConvertTo-Json`) and the
//!   ARM shape (`az resource show`, `az rest`). Valid JSON with no site row is not ours.
//! - **Lowering** ([`lower`], [`rollout`], [`id`]): one model resource per site or slot, its
//!   address the resource id, `source` = `Deployed(shape)`.
//!
//! `certgate verify` (in `crate::verify`) reads named exports through [`read()`].

mod front;
mod id;
mod lower;
mod read;
mod rollout;

pub(crate) use front::{Inventory, export_candidate};

use std::path::PathBuf;

use crate::error::FileError;
use crate::load::Loader;
use crate::model::{Resource, UnitScan};
use crate::source::{FileId, SourceFile, Span};

use read::Detected;

/// Scans export files, each on its own; files that hold no site yield nothing.
pub(crate) fn scan_exports(paths: &[PathBuf], loader: &Loader) -> UnitScan {
    use rayon::prelude::*;
    let scans: Vec<UnitScan> = paths
        .par_iter()
        .filter_map(|path| {
            let loaded = loader.file(path)?;
            Some(match read(loaded.id, &loaded.source, true) {
                Read::Sites { resources, notices } => UnitScan {
                    resources,
                    errors: notices,
                    units: if loader.names_units() {
                        vec![format!(
                            "export {}",
                            crate::paths::path_text(&crate::paths::normalize(path))
                        )]
                    } else {
                        Vec::new()
                    },
                    ..UnitScan::default()
                },
                Read::NotSites(_) => UnitScan::default(),
                Read::Broken(error) => UnitScan {
                    errors: vec![error],
                    ..UnitScan::default()
                },
            })
        })
        .collect();
    let mut all = UnitScan::default();
    for scan in scans {
        all.resources.extend(scan.resources);
        all.errors.extend(scan.errors);
        all.units.extend(scan.units);
    }
    all
}

/// What one file holds.
pub(crate) enum Read {
    /// Its sites and slots, and notices about the export (one page of several).
    Sites {
        resources: Vec<Resource>,
        notices: Vec<FileError>,
    },
    /// No site: the text says what it holds instead.
    NotSites(String),
    Broken(FileError),
}

/// Reads one file; `looks_like_export`: the byte search found a site id (so broken JSON is
/// an export cut short, reported, rather than someone else's file).
pub(crate) fn read(id: FileId, source: &SourceFile, looks_like_export: bool) -> Read {
    let doc = match read::detect(id, source, looks_like_export) {
        Detected::Export(doc) => doc,
        Detected::NotSites(why) => return Read::NotSites(why),
        Detected::Broken(error) => return Read::Broken(error),
    };
    let rows = read::rows(&doc.root);
    let mut notices = Vec::new();
    if let Some(token) = rows.skip_token {
        notices.push(FileError::notice(
            source.path(),
            Some(Span::new(id, token.span.clone())),
            "this export is one page of the query's results (a skip token is set): export every \
             page (`az graph query … --skip-token TOKEN`) and pass them all",
        ));
    }
    let resources = rows
        .items
        .iter()
        .filter_map(|object| read::site(object))
        .map(|row| lower::lower(id, &row, read::shape(row.object, rows.graph)))
        .collect();
    Read::Sites { resources, notices }
}

#[cfg(test)]
mod tests;
