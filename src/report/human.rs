//! Human output: one miette diagnostic per finding, error and notice, then a summary line.
//!
//! A finding's primary label sits on the attribute (or resource header); each step of the
//! value's origin is a second label in the same file or a related diagnostic in another file.

use std::fmt::{self, Write as _};

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};

use super::excerpt::{Excerpt, display_path};
use super::{ErrorRecord, Finding, Fixed, Report, ResourceRecord};
use crate::diagnostic::{Applicability, FixStatus, Severity};

/// How to draw: colour or not, and the width to wrap at (lines break at spaces outside
/// backticks only: see [`super::wrap`]).
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub width: usize,
    /// Print only findings and errors, no summary.
    pub quiet: bool,
    /// Show the elapsed time in the summary (off for reproducible output in tests).
    pub timing: bool,
    /// List the findings that exceptions suppress (`--show-suppressed`).
    pub show_suppressed: bool,
}

impl Style {
    /// Reproducible output for snapshots and checks: no colour, no timing, 100 columns,
    /// the summary and the suppressed findings shown.
    pub fn plain() -> Style {
        Style {
            color: false,
            width: 100,
            quiet: false,
            timing: false,
            show_suppressed: true,
        }
    }
}

/// Renders every notice and finding, then the errors that make the run fail (exit code 2)
/// together, right above the summary (unless quiet), where a reader of the end of the output
/// sees them.
pub fn render(report: &Report, style: Style) -> String {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_word_separator(super::wrap::separator())
        .with_word_splitter(super::wrap::splitter())
        .with_break_words(false)
        .with_links(false)
        .with_show_related_as_nested(true);
    let mut out = String::new();
    draw_each(&handler, &mut out, &report.notices, |notice| {
        file_diagnostic(report, notice, miette::Severity::Advice)
    });
    // The `explain` hint goes on the first finding of each rule only.
    let mut explained = std::collections::HashSet::new();
    let records = report.records_by_group();
    let hinted: Vec<(&Finding, bool)> = (report.findings.iter())
        .map(|finding| (finding, explained.insert(finding.rule)))
        .collect();
    draw_each(&handler, &mut out, &hinted, |(finding, hint)| {
        let tag = finding
            .group()
            .and_then(|group| records.get(&group))
            .map(|record| rollout_tag(record));
        finding_diagnostic(report, finding, *hint, tag)
    });
    for fixed in report.fixed.iter().flatten() {
        out.push_str(&fixed_line(fixed));
        out.push('\n');
    }
    if style.show_suppressed {
        for finding in &report.suppressed {
            out.push_str(&suppressed_line(finding));
            out.push('\n');
        }
    }
    for key in report.baseline.iter().flat_map(|b| &b.fixed) {
        let scenario = key
            .scenario
            .as_ref()
            .map_or(String::new(), |s| format!(" [scenario {}]", name(s)));
        out.push_str(&format!(
            "fixed since the baseline: {}: {}{scenario} ({})\n",
            display_path(std::path::Path::new(&key.path)),
            name(&key.address),
            key.rule
        ));
    }
    if let Some(drift) = &report.drift {
        // After the findings, before the errors and the summary (`check --deployed`).
        out.push('\n');
        out.push_str(&super::drift::table(drift));
        out.push('\n');
    }
    if !report.errors.is_empty() {
        if !style.quiet {
            let _ = writeln!(out, "{}:\n", errors_heading(report));
        }
        draw_each(&handler, &mut out, &report.errors, |error| {
            file_diagnostic(report, error, miette::Severity::Error)
        });
    }
    if !style.quiet {
        // Once, above the summary: fixing sites one by one without a platform guardrail lets
        // new ones fail again.
        let failing_kinds = report
            .resources
            .iter()
            .zip(report.statuses())
            .filter(|(_, status)| *status == super::Status::Failing)
            .map(|(resource, _)| resource.kind.as_str());
        if let Some(hint) = report.guardrail.hint_line(failing_kinds) {
            out.push_str(&hint);
            out.push('\n');
        }
        out.push_str(&summary_line(report, style.timing));
        out.push('\n');
    }
    out
}

/// `3 errors in 2 files make the run exit with code 2`.
fn errors_heading(report: &Report) -> String {
    let summary = report.summary();
    format!(
        "{} in {} {} the run exit with code 2",
        plural(summary.errors, "error"),
        plural(summary.error_files, "file"),
        if summary.errors == 1 { "makes" } else { "make" }
    )
}

/// Text that may quote the scanned files, as the terminal gets it: control characters (ESC,
/// BEL, CR, bidirectional overrides) written as visible escapes. Line feeds stay: messages
/// use them for layout. A tab (only ever a quoted value's: no message is laid out with one)
/// is written `\t` too: the wrapper counts it as no column, the terminal draws up to eight.
fn clean(text: &str) -> String {
    let visible = crate::quote::visible(text);
    if visible.contains('\t') {
        visible.replace('\t', "\\t")
    } else {
        visible.into_owned()
    }
}

/// An address or other name, cut to a readable length and cleaned.
fn name(text: &str) -> String {
    crate::quote::quoted(text)
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Draws the diagnostic of each item, in order. Each is drawn on its own, in parallel on the
/// scan's workers: a large report holds a thousand findings, and drawing one (wrapping its
/// lines) costs as much as scanning many files.
fn draw_each<T: Sync>(
    handler: &GraphicalReportHandler,
    out: &mut String,
    items: &[T],
    diagnostic: impl Fn(&T) -> Rendered + Sync,
) {
    use rayon::prelude::*;
    let drawn: Vec<String> = crate::workers::install(|| {
        items
            .par_iter()
            .map(|item| {
                let mut one = String::new();
                draw(handler, &diagnostic(item), &mut one);
                one
            })
            .collect()
    });
    for one in drawn {
        out.push_str(&one);
    }
}

fn draw(handler: &GraphicalReportHandler, diagnostic: &Rendered, out: &mut String) {
    // Writing into a String cannot fail; a rendering error would only lose this diagnostic.
    let _ = handler.render_report(out, diagnostic);
    out.push('\n');
}

/// A diagnostic assembled for miette: message, labels in one source, related diagnostics.
#[derive(Debug)]
struct Rendered {
    message: String,
    code: Option<String>,
    severity: miette::Severity,
    help: Option<String>,
    source: Option<Excerpt>,
    labels: Vec<LabeledSpan>,
    related: Vec<Rendered>,
}

impl fmt::Display for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered {}

impl Diagnostic for Rendered {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.code
            .as_ref()
            .map(|code| Box::new(code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|source| source as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        (!self.labels.is_empty()).then(|| Box::new(self.labels.iter().cloned()) as Box<_>)
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        (!self.related.is_empty())
            .then(|| Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)) as Box<_>)
    }
}

fn source_of(report: &Report, file: usize) -> Excerpt {
    Excerpt::new(report.sources.get(file))
}

/// A label in `source`, cut to what its snippet can show.
fn label(source: &Excerpt, range: std::ops::Range<usize>, text: String) -> LabeledSpan {
    LabeledSpan::at(source.label_range(range), text)
}

/// `[internet · production]`: the rollout facts of a finding's resource, `?` where unknown.
fn rollout_tag(record: &ResourceRecord) -> String {
    let shown = |value: &'static str| if value == "unknown" { "?" } else { value };
    format!(
        "[{} · {}]",
        shown(record.exposure.value.as_str()),
        shown(record.environment.value.as_str())
    )
}

/// A finding's diagnostic; `tag` (the rollout facts) follows the rule id in its header.
fn finding_diagnostic(
    report: &Report,
    finding: &Finding,
    hint: bool,
    tag: Option<String>,
) -> Rendered {
    let severity = match finding.severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
    };
    let source = source_of(report, finding.span.file);
    let mut labels = vec![LabeledSpan::new_primary_with_span(
        Some(clean(&finding.label)),
        source.label_range(finding.span.range()),
    )];
    let mut related = Vec::new();
    for step in &finding.origin {
        // Two places on a long line cannot share one clipped snippet.
        let long_line =
            source.on_long_line(finding.span.start) || source.on_long_line(step.span.start);
        if step.span.file == finding.span.file && !long_line {
            labels.push(label(&source, step.span.range(), clean(&step.note)));
        } else {
            let origin_source = source_of(report, step.span.file);
            related.push(Rendered {
                message: format!("the value comes from here: {}", clean(&step.note)),
                // Drawn nested under the finding, so it needs no header of its own.
                code: None,
                severity: miette::Severity::Advice,
                help: None,
                labels: vec![label(&origin_source, step.span.range(), clean(&step.note))],
                source: Some(origin_source),
                related: Vec::new(),
            });
        }
    }
    Rendered {
        message: clean(&finding.message),
        code: Some(match tag {
            Some(tag) => format!("{} {tag}", finding.rule),
            None => finding.rule.to_string(),
        }),
        severity,
        help: Some(format!(
            "{}{}{}{}",
            finding
                .note
                .as_ref()
                .map_or(String::new(), |note| format!("{}\n", clean(note))),
            clean(&finding.help),
            match &finding.fix {
                FixStatus::Unavailable(why) => format!("\nnot fixed automatically: {}", clean(why)),
                _ => String::new(),
            },
            if hint {
                format!(
                    "\n(run `certgate explain {}` for the rule's documentation)",
                    finding.rule
                )
            } else {
                String::new()
            }
        )),
        source: Some(source),
        labels,
        related,
    }
}

/// `suppressed main.tf:3:1: azurerm_linux_web_app.api (client-cert-disabled) by certgate:ignore
/// at main.tf:1 (owner team-a, expires 2027-03-31): reason`.
fn suppressed_line(finding: &Finding) -> String {
    let Some(by) = &finding.suppressed else {
        return String::new();
    };
    let scenario = finding
        .scenario
        .as_ref()
        .map_or(String::new(), |s| format!(" [scenario {}]", name(s)));
    let mut details = Vec::new();
    if let Some(owner) = &by.owner {
        details.push(format!("owner {}", name(owner)));
    }
    if let Some(expires) = by.expires {
        details.push(format!("expires {}", crate::date::format_date(expires)));
    }
    let details = if details.is_empty() {
        String::new()
    } else {
        format!(" ({})", details.join(", "))
    };
    format!(
        "suppressed {}:{}:{}: {}{scenario} ({}) by {} at {}:{}{details}: {}",
        display_path(&finding.location.path),
        finding.location.start.line,
        finding.location.start.column,
        name(&finding.address),
        finding.rule,
        by.by,
        display_path(&by.location.path),
        by.location.line,
        clean(by.reason.as_deref().unwrap_or("no reason given")),
    )
}

/// `fixed main.tf:3:1: azurerm_linux_web_app.api (client-cert-disabled): add `…``; an
/// unsafe fix says so: `fixed (unsafe) …`.
fn fixed_line(fixed: &Fixed) -> String {
    let scenario = fixed
        .scenario
        .as_ref()
        .map_or(String::new(), |s| format!(" [scenario {}]", name(s)));
    let marker = match fixed.fix.applicability {
        Applicability::Unsafe => " (unsafe)",
        Applicability::ChangesBehaviour => "",
    };
    format!(
        "fixed{marker} {}:{}:{}: {}{scenario} ({}): {}",
        display_path(&fixed.location.path),
        fixed.location.start.line,
        fixed.location.start.column,
        name(&fixed.address),
        fixed.rule,
        clean(&fixed.fix.description)
    )
}

fn file_diagnostic(report: &Report, error: &ErrorRecord, severity: miette::Severity) -> Rendered {
    let path = display_path(&error.path);
    // Plain words for the header a newcomer reads first.
    let code = match severity {
        miette::Severity::Advice => "notice",
        _ => "input error",
    };
    Rendered {
        message: format!("{path}: {}", clean(&error.message)),
        code: Some(code.to_string()),
        severity,
        help: None,
        source: error.span.map(|span| source_of(report, span.file)),
        labels: error
            .span
            .map(|span| {
                vec![label(
                    &source_of(report, span.file),
                    span.range(),
                    "here".into(),
                )]
            })
            .unwrap_or_default(),
        related: Vec::new(),
    }
}

pub(crate) fn summary_line(report: &Report, timing: bool) -> String {
    let summary = report.summary();
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
    if summary.suppressed > 0 {
        let _ = write!(line, ", {} suppressed", summary.suppressed);
    }
    if let Some(baselined) = summary.baselined {
        let fixed = report.baseline.as_ref().map_or(0, |b| b.fixed.len());
        let _ = write!(
            line,
            ", {baselined} in the baseline ({fixed} baseline {} fixed)",
            if fixed == 1 { "entry" } else { "entries" }
        );
    }
    let exception_findings = summary.exception_errors + summary.exception_warnings;
    if exception_findings > 0 {
        let _ = write!(
            line,
            "; {} ({} failing, {})",
            plural(exception_findings, "exception finding"),
            summary.exception_errors,
            plural(summary.exception_warnings, "warning")
        );
    }
    if summary.errors > 0 {
        let _ = write!(
            line,
            "; {} in {}",
            plural(summary.errors, "error"),
            plural(summary.error_files, "file")
        );
    }
    line.push('.');
    if let Some(fixed) = &report.fixed {
        let mut files: Vec<&std::path::Path> = fixed
            .iter()
            .flat_map(|f| f.fix.edits.iter().map(|e| e.path.as_path()))
            .collect();
        files.sort();
        files.dedup();
        let _ = write!(
            line,
            " Fixed {} in {}.",
            plural(fixed.len(), "finding"),
            plural(files.len(), "file")
        );
        // As ruff says it: what `--unsafe-fixes` would add.
        let hidden = report
            .findings
            .iter()
            .filter(|f| crate::diagnostic::hidden_unsafe(&f.fix))
            .count();
        if hidden > 0 {
            let fixes = if hidden == 1 { "fix" } else { "fixes" };
            let _ = write!(
                line,
                " {hidden} hidden {fixes} can be enabled with {}.",
                crate::diagnostic::UNSAFE_FIXES_FLAG
            );
        }
    }
    line
}
