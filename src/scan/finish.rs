//! Stage: the report's last touches. Errors become records (deduplicated), a scan of only
//! some files keeps what those files cause, and everything is sorted.

use crate::error::{FileError, Level};
use crate::report::{ErrorRecord, Report};
use crate::source::{LineCol, SourceMap};
use crate::subset::Subset;

/// Records `errors` in `report`, restricts it to `subset`, and sorts it.
pub fn finish(
    report: &mut Report,
    errors: Vec<FileError>,
    subset: Option<&Subset>,
    config_file: Option<&std::path::Path>,
) {
    for error in errors {
        let record = error_record(&report.sources, &error);
        match error.level {
            Level::Error => report.errors.push(record),
            Level::Notice => report.notices.push(record),
        }
    }
    report.dedup_errors();
    if let Some(subset) = subset {
        subset.restrict(report, config_file);
    }
    report.sort();
}

fn error_record(sources: &SourceMap, error: &FileError) -> ErrorRecord {
    let start = error.span.map_or(LineCol { line: 1, column: 1 }, |span| {
        sources.line_col(span).0
    });
    // Shown like the paths of findings, which the loader normalises (`./x/main.tf` → `x/main.tf`).
    let path = crate::paths::normalize(&error.path);
    ErrorRecord {
        path: if path.as_os_str().is_empty() {
            error.path.clone()
        } else {
            path
        },
        span: error.span,
        start,
        message: crate::quote::clip_within(&error.message).into_owned(),
    }
}
