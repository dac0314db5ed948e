//! `--format concise`: one line per finding (`path:line:col: rule message`) and per error
//! (`path:line:col: error message`), then the summary line, like ruff's concise output.

use super::excerpt::display_path;
use super::{ErrorRecord, Finding, Report};
use crate::source::LineCol;

/// Renders the findings, then the errors, then (unless `quiet`) the summary line. Plain text:
/// no colour, no elapsed time, so the output is the same on every run.
pub fn render(report: &Report, quiet: bool) -> String {
    let mut out = String::new();
    for finding in &report.findings {
        out.push_str(&finding_line(finding));
        out.push('\n');
    }
    for error in &report.errors {
        out.push_str(&error_line(error));
        out.push('\n');
    }
    if !quiet {
        out.push_str(&super::human::summary_line(report, false));
        out.push('\n');
    }
    out
}

fn finding_line(finding: &Finding) -> String {
    let mut message = finding.message.clone();
    // An expired exception's finding says why it is reported, as the human format does.
    if let Some(note) = &finding.note {
        message = format!("{message} ({note})");
    }
    format!(
        "{}: {} {}",
        place(&finding.location.path, finding.location.start),
        finding.rule,
        one_line(&message)
    )
}

fn error_line(error: &ErrorRecord) -> String {
    format!(
        "{}: error {}",
        place(&error.path, error.start),
        one_line(&error.message)
    )
}

/// `path:line:col`, the path as the human format prints it.
fn place(path: &std::path::Path, at: LineCol) -> String {
    format!("{}:{}:{}", display_path(path), at.line, at.column)
}

/// One line per item is the format's promise: line breaks in a message become spaces, and
/// control characters quoted from the scanned files are written as visible escapes.
fn one_line(text: &str) -> String {
    let joined = text
        .split('\n')
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ");
    crate::quote::visible(&joined).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_joins_lines_and_escapes_control_characters() {
        assert_eq!(one_line("first\n  second"), "first second");
        let escaped = one_line("a\u{1b}[31mred");
        assert!(!escaped.contains('\u{1b}'), "{escaped}");
    }
}
