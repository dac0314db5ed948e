//! `check --deployed EXPORT...`: scans the exports apart from the code and puts the drift
//! table, and the exports' errors, into the code's report.
//!
//! The exports' sites are not findings of this run (they appear in the drift table only);
//! `certgate check EXPORT` without `--deployed` judges them as findings.

use std::path::{Path, PathBuf};

use crate::model::Source;
use crate::report::{ErrorRecord, Report};
use crate::scan::{Settings, scan};

/// Scans `exports` under `settings` and records the drift of `report`'s code sites against
/// their deployed sites in `report.drift`. An export that cannot be read, one no site was read
/// from, or a file that holds code rather than an export, is an error of the run (exit code 2)
/// naming the file.
pub(crate) fn attach(report: &mut Report, exports: &[PathBuf], settings: &Settings) {
    let deployed = scan(exports, settings);
    report.drift = Some(super::entries(report, &deployed));
    // The exports' spans index the exports' own source map: kept as positions only.
    let moved = |e: &ErrorRecord| ErrorRecord {
        span: None,
        ..e.clone()
    };
    report.errors.extend(deployed.errors.iter().map(moved));
    report.notices.extend(deployed.notices.iter().map(moved));
    let code_files: std::collections::BTreeSet<PathBuf> = deployed
        .groups
        .iter()
        .flatten()
        .filter(|r| r.source == Source::Code)
        .map(|r| deployed.sources.get(r.header.file).path().to_path_buf())
        .collect();
    for path in code_files {
        report.errors.push(ErrorRecord {
            message: format!(
                "--deployed reads inventory exports, but {} holds infrastructure code: pass it \
                 as a path to check instead",
                crate::paths::path_text(&path)
            ),
            path,
            span: None,
            start: crate::source::LineCol { line: 1, column: 1 },
        });
    }
    for export in exports {
        if let Some(error) = nothing_read(&deployed, export) {
            report.errors.push(error);
        }
    }
    report.sort();
    report.dedup_errors();
}

/// An error when no site was read from `export` and no error names it: a CSV, someone else's
/// JSON or an empty list is no inventory export, and judging the code against it would call
/// every site `not-deployed`.
fn nothing_read(deployed: &Report, export: &Path) -> Option<ErrorRecord> {
    let export = crate::paths::normalize(export);
    let inside = |path: &Path| crate::paths::normalize(path).starts_with(&export);
    let read = deployed
        .groups
        .iter()
        .flatten()
        .any(|r| inside(deployed.sources.get(r.header.file).path()));
    if read || deployed.errors.iter().any(|e| inside(&e.path)) {
        return None;
    }
    Some(ErrorRecord {
        message: "no deployed site or slot was read from this --deployed file; certgate reads \
                  the JSON of `az webapp list`, `az functionapp list`, `az webapp show`, `az \
                  webapp deployment slot list`, `az graph query` and `az resource show`"
            .to_string(),
        path: export,
        span: None,
        start: crate::source::LineCol { line: 1, column: 1 },
    })
}
