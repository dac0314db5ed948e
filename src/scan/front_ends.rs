//! Stage: hand every front end the files that answered its search, collect the directories
//! each claims, and run the front ends in parallel (each groups its files into units and
//! scans them); their resources, errors and comments are concatenated in table order.

use std::path::PathBuf;

use rayon::prelude::*;

use super::sniff::FileFound;
use crate::error::FileError;
use crate::file_kind::FileKind;
use crate::front::{Candidate, Claims, Erased, FrontEndId, Row};
use crate::load::Loader;
use crate::model::{FileComments, Resource, UnitScan};

/// What the front ends found: resources, and the comments of the files holding one.
pub struct FrontEndScan {
    pub resources: Vec<Resource>,
    pub comments: Vec<FileComments>,
    /// The Azure Policy assignments of the control the front ends found.
    pub policies: Vec<crate::model::guardrail::PolicyAssignment>,
    /// The units each front end judged, named for people (`--verbose`).
    pub units: Vec<(FrontEndId, Vec<String>)>,
}

/// Runs every row on its files; unreadable files are reported into `errors`.
pub fn run(
    rows: &[Box<dyn Row + '_>],
    loader: &Loader,
    files: &[(PathBuf, FileKind)],
    found: &[FileFound],
    errors: &mut Vec<FileError>,
) -> FrontEndScan {
    let mut handed: Vec<Vec<Candidate<Erased>>> = rows.iter().map(|_| Vec::new()).collect();
    for ((path, kind), result) in files.iter().zip(found) {
        let sniffed = match result {
            None => continue,
            Some(Ok(sniffed)) => sniffed,
            Some(Err(error)) => {
                errors.push(FileError::clone(error));
                continue;
            }
        };
        for (list, sniffed) in handed.iter_mut().zip(sniffed.iter()) {
            if let Some(sniffed) = sniffed {
                list.push(Candidate {
                    path: path.clone(),
                    kind: *kind,
                    interesting: sniffed.interesting,
                    outline: sniffed.outline.clone(),
                });
            }
        }
    }
    let mut claims = Claims::default();
    for (row, files) in rows.iter().zip(&handed) {
        claims.insert(row.id(), row.claims(loader, files));
    }
    let scans: Vec<UnitScan> = rows
        .par_iter()
        .zip(handed)
        .map(|(row, files)| row.run(loader, files, &claims))
        .collect();
    let mut found = FrontEndScan {
        resources: Vec::new(),
        comments: Vec::new(),
        policies: Vec::new(),
        units: Vec::new(),
    };
    let consumed = consumed(&scans);
    for (row, scan) in scans.into_iter().enumerate() {
        let UnitScan {
            mut resources,
            errors: unit_errors,
            mut comments,
            consumed: _,
            policies,
            units,
        } = scan;
        found.units.push((rows[row].id(), units));
        // A file another row judges through its caller is not judged here as well.
        let elsewhere = |file: crate::source::FileId| {
            let path = crate::paths::normalize(loader.sources().get(file).path());
            consumed.iter().any(|(by, p)| *by != row && *p == path)
        };
        if !consumed.is_empty() {
            resources.retain(|r| !elsewhere(r.header.file));
            comments.retain(|c| !elsewhere(c.file));
        }
        found.resources.extend(resources);
        errors.extend(unit_errors);
        found.comments.extend(comments);
        found.policies.extend(policies);
    }
    found
}

/// The files each row (by index) judged through a caller, normalised.
fn consumed(scans: &[UnitScan]) -> Vec<(usize, PathBuf)> {
    let mut all = Vec::new();
    for (row, scan) in scans.iter().enumerate() {
        all.extend(
            scan.consumed
                .iter()
                .map(|path| (row, crate::paths::normalize(path))),
        );
    }
    all
}
