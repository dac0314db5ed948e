//! `--format github`: GitHub Actions workflow commands, one annotation per finding.
//!
//! `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message` for findings that fail
//! the run (warnings too with `--fail-on warning`), `::warning` for the other warnings,
//! `::error file=…::message` for errors (exit code 2) and `::notice` for what certgate could
//! not follow. Suppressed and baselined findings are not
//! annotated: they are accepted. Paths are relative to the repository root (see `srcroot`),
//! `/`-separated, wherever certgate runs from. Values are escaped per the runner's rules: `%`, CR and LF in the
//! message, and additionally `:` and `,` in properties; other control characters from the
//! scanned files are written as visible escapes first. The message names the scenario once
//! (the finding's message already does).

use std::fmt::Write as _;
use std::path::Path;

use super::{Finding, Report};
use crate::diagnostic::Severity;
use crate::paths::base::Base;

/// The `file=` property of an annotation: `path` relative to `base` (the repository root,
/// which is the checkout), `/`-separated on every OS, escaped.
fn file_property(base: &Base, path: &Path) -> String {
    escape_property(&base.text(path))
}

/// Escapes the message part of a workflow command. Control characters from the scanned files
/// (ESC, BEL, a lone CR) are first written as visible escapes, so the log cannot be coloured
/// or rewritten by a template; the runner's own escapes then keep `%` and line feeds.
pub fn escape_data(text: &str) -> String {
    crate::quote::visible(text)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`file=…`, `title=…`) of a workflow command.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// The annotation of one finding. A finding that fails the run is an `::error`, a warning
/// with `--fail-on warning` too: GitHub then shows why the job failed where it failed.
fn annotation(base: &Base, finding: &Finding, fail_on: Severity) -> String {
    let command = if finding.severity <= fail_on {
        "error"
    } else {
        "warning"
    };
    let start = finding.location.start;
    let end = finding.location.end;
    // Our end is exclusive; GitHub's `endColumn` is the last column of the range.
    let end_column = end.column.saturating_sub(1).max(1);
    let end_column = if end.line == start.line {
        end_column.max(start.column)
    } else {
        end_column
    };
    // The message already names the scenario.
    let mut message = finding.message.clone();
    if let Some(note) = &finding.note {
        let _ = write!(message, " ({note})");
    }
    if !finding.help.is_empty() {
        let _ = write!(message, "\n{}", finding.help);
    }
    format!(
        "::{command} file={},line={},col={},endLine={},endColumn={end_column},title={}::{}\n",
        file_property(base, &finding.location.path),
        start.line,
        start.column,
        end.line.max(start.line),
        escape_property(&format!(
            "{} {}",
            finding.rule,
            crate::quote::clip(&finding.address)
        )),
        escape_data(&message)
    )
}

/// Renders one workflow command per line, findings first, then file errors and notices.
pub fn render(report: &Report) -> String {
    render_in(report, &super::srcroot::report_root(report))
}

/// [`render`] with paths relative to `base`.
pub fn render_in(report: &Report, base: &Base) -> String {
    let mut out = String::new();
    for finding in &report.findings {
        out.push_str(&annotation(base, finding, report.fail_on));
    }
    for (command, records) in [("error", &report.errors), ("notice", &report.notices)] {
        for record in records {
            let _ = writeln!(
                out,
                "::{command} file={},line={},col={}::{}",
                file_property(base, &record.path),
                record.start.line,
                record.start.column,
                escape_data(&record.message)
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_data_and_properties() {
        assert_eq!(escape_data("50% a:b,c\r\nd"), "50%25 a:b,c\\r%0Ad");
        assert_eq!(escape_property("50% a:b,c\nd"), "50%25 a%3Ab%2Cc%0Ad");
        assert_eq!(escape_data("a\u{1b}[31mb\u{7}"), "a\\u{1b}[31mb\\u{7}");
    }
}
