//! Human output: one miette diagnostic per finding and per file error, then a summary line.

use std::fmt::Write as _;
use std::sync::Arc;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource};

use super::{ErrorRecord, Finding, Report};
use crate::rules::Severity;

/// How to draw: colour or not, and the width to wrap at.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub width: usize,
    /// Print only findings and errors, no summary.
    pub quiet: bool,
    /// Show the elapsed time in the summary (off for reproducible output in tests).
    pub timing: bool,
}

/// Renders every finding and error, then the summary unless quiet.
pub fn render(report: &Report, style: Style) -> String {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false);
    let mut out = String::new();
    for error in &report.errors {
        draw(&handler, &error_diagnostic(report, error), &mut out);
    }
    for finding in &report.findings {
        draw(&handler, &finding_diagnostic(report, finding), &mut out);
    }
    if !style.quiet {
        out.push_str(&summary_line(report, style.timing));
        out.push('\n');
    }
    out
}

fn draw(handler: &GraphicalReportHandler, diagnostic: &miette::Report, out: &mut String) {
    // Writing into a String cannot fail; a rendering error would only lose this diagnostic.
    let _ = handler.render_report(out, diagnostic.as_ref());
    out.push('\n');
}

fn source_of(report: &Report, file: usize) -> NamedSource<Arc<str>> {
    let file = report.sources.get(file);
    NamedSource::new(file.path().to_string_lossy(), file.shared_text())
}

fn finding_diagnostic(report: &Report, finding: &Finding) -> miette::Report {
    let severity = match finding.severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
    };
    let diagnostic = MietteDiagnostic::new(finding.message.clone())
        .with_code(finding.rule)
        .with_severity(severity)
        .with_help(format!(
            "{}\n(run `certgate explain {}` for the rule's documentation)",
            finding.help, finding.rule
        ))
        .with_label(LabeledSpan::at(finding.span.range(), finding.label.clone()));
    miette::Report::new(diagnostic).with_source_code(source_of(report, finding.span.file))
}

fn error_diagnostic(report: &Report, error: &ErrorRecord) -> miette::Report {
    let path = error.path.to_string_lossy();
    let diagnostic = MietteDiagnostic::new(format!("{path}: {}", error.message))
        .with_code("certgate::input")
        .with_severity(miette::Severity::Error);
    match error.span {
        Some(span) => {
            let diagnostic = diagnostic.with_label(LabeledSpan::at(span.range(), "here"));
            miette::Report::new(diagnostic).with_source_code(source_of(report, span.file))
        }
        None => miette::Report::new(diagnostic),
    }
}

fn summary_line(report: &Report, timing: bool) -> String {
    let summary = report.summary();
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    let timing = if timing {
        format!(" in {:.2?}", report.elapsed)
    } else {
        String::new()
    };
    let mut line = format!(
        "Scanned {}{timing}, checked {}: {} failing, {}, {} passing",
        plural(summary.files_scanned, "file"),
        plural(summary.resources, "App Service resource"),
        summary.failing,
        plural(summary.warnings, "warning"),
        summary.passing,
    );
    if summary.errors > 0 {
        let _ = write!(
            line,
            "; {} could not be scanned",
            plural(summary.errors, "file")
        );
    }
    line.push('.');
    line
}
