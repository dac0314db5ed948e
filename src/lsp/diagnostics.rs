//! One scan of the open documents and its findings, errors and notices as LSP diagnostics,
//! per open document.

use std::collections::BTreeMap;
use std::path::PathBuf;

use lsp_types::{
    Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    Position, Range,
};

use super::convert;
use super::documents::Documents;
use crate::diagnostic::Severity;
use crate::paths::normalize;
use crate::report::{ErrorRecord, Finding, Report};
use crate::scan::{Session, Settings};

/// The `source` every diagnostic carries, so editors can say where it came from.
pub const SOURCE: &str = "certgate";

/// The code of a file that could not be read or parsed (not a rule: nothing to explain).
const PARSE_ERROR: &str = "parse-error";

/// The scan of the open documents, made as a pre-commit hook scans changed files: each
/// document's unit is read from disk (the other open documents as the editor holds them), and
/// only what the documents cause is reported. Config files and exceptions apply as in
/// `certgate check`.
pub fn session(documents: &Documents, settings: &Settings) -> Session {
    let settings = Settings {
        overrides: documents.overrides(),
        ..settings.clone()
    };
    Session::new(documents.paths(), settings)
}

/// The diagnostics of every open document (an empty list for one with none, which clears
/// what the editor showed before).
pub fn by_document(report: &Report, documents: &Documents) -> BTreeMap<PathBuf, Vec<Diagnostic>> {
    let mut diagnostics: BTreeMap<PathBuf, Vec<Diagnostic>> = documents
        .paths()
        .into_iter()
        .map(|path| (path, Vec::new()))
        .collect();
    for finding in &report.findings {
        for (path, diagnostic) in placements(report, finding) {
            if let Some(list) = diagnostics.get_mut(&path) {
                list.push(diagnostic);
            }
        }
    }
    let problems = report
        .errors
        .iter()
        .map(|e| (e, DiagnosticSeverity::ERROR))
        .chain(
            report
                .notices
                .iter()
                .map(|e| (e, DiagnosticSeverity::INFORMATION)),
        );
    for (record, severity) in problems {
        let path = normalize(&record.path);
        if let Some(list) = diagnostics.get_mut(&path) {
            list.push(of_error(report, record, severity));
        }
    }
    diagnostics
}

/// Errors in files the editor does not have open (an invalid `certgate.toml`, a module that
/// does not parse), which no document can show.
pub fn elsewhere<'r>(report: &'r Report, documents: &Documents) -> Vec<&'r ErrorRecord> {
    report
        .errors
        .iter()
        .filter(|record| documents.get(&record.path).is_none())
        .collect()
}

/// Where a finding is shown: at its attribute, and also where its value was written when that
/// is another file (so editing `prod.tfvars` alone shows the `mtls = false` that fails a site
/// in `main.tf`). Each with the normalised path of its file.
pub fn placements(report: &Report, finding: &Finding) -> Vec<(PathBuf, Diagnostic)> {
    let (path, diagnostic) = of_finding(report, finding);
    let mut placements = Vec::new();
    if let Some(origin) = finding.origin.first() {
        let (origin_path, range) = convert::span_range(&report.sources, origin.span);
        let origin_path = normalize(&origin_path);
        if origin_path != path {
            let at = diagnostic.range.start;
            let mut here = diagnostic.clone();
            here.range = range;
            here.message = format!(
                "{} (written here: {}; the resource is at {}:{}:{})",
                finding.message,
                origin.note,
                path.display(),
                at.line + 1,
                at.character + 1
            );
            here.related_information = convert::uri_of(&path).map(|uri| {
                vec![DiagnosticRelatedInformation {
                    location: Location::new(uri, diagnostic.range),
                    message: format!("`{}` takes this value", finding.address),
                }]
            });
            placements.push((origin_path, here));
        }
    }
    placements.insert(0, (path, diagnostic));
    placements
}

/// A finding as a diagnostic at its attribute, with where its value came from as related
/// information; the normalised path of the file it is in.
pub fn of_finding(report: &Report, finding: &Finding) -> (PathBuf, Diagnostic) {
    let (path, range) = convert::span_range(&report.sources, finding.span);
    let related = finding
        .origin
        .iter()
        .filter_map(|origin| {
            let (path, range) = convert::span_range(&report.sources, origin.span);
            Some(DiagnosticRelatedInformation {
                location: Location::new(convert::uri_of(&path)?, range),
                message: format!("the value comes from here: {}", origin.note),
            })
        })
        .collect::<Vec<_>>();
    let mut message = finding.message.clone();
    if let Some(scenario) = &finding.scenario {
        message.push_str(&format!(" [{scenario}]"));
    }
    if let Some(note) = &finding.note {
        message.push_str(&format!("\n{note}"));
    }
    message.push_str(&format!("\nhelp: {}", finding.help));
    let diagnostic = Diagnostic {
        range,
        severity: Some(match finding.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(finding.rule.as_str().to_string())),
        source: Some(SOURCE.to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        // The resource's rollout facts, for hover (`data` comes back with code actions too).
        data: finding
            .group()
            .and_then(|group| report.resources.iter().find(|r| r.group == group))
            .map(|record| serde_json::json!({ ROLLOUT: super::hover::rollout_line(record) })),
        ..Diagnostic::default()
    };
    (normalize(&path), diagnostic)
}

fn of_error(report: &Report, record: &ErrorRecord, severity: DiagnosticSeverity) -> Diagnostic {
    let range = match record.span {
        Some(span) => convert::span_range(&report.sources, span).1,
        None => {
            // Errors without a span are at 1:1 (an unreadable file): no text to count in.
            let at = Position::new(
                u32::try_from(record.start.line.saturating_sub(1)).unwrap_or(0),
                u32::try_from(record.start.column.saturating_sub(1)).unwrap_or(0),
            );
            Range::new(at, at)
        }
    };
    Diagnostic {
        range,
        severity: Some(severity),
        code: (severity == DiagnosticSeverity::ERROR)
            .then(|| NumberOrString::String(PARSE_ERROR.to_string())),
        source: Some(SOURCE.to_string()),
        message: record.message.clone(),
        ..Diagnostic::default()
    }
}

/// The key of a finding diagnostic's `data` that holds its rollout line (for hover).
pub const ROLLOUT: &str = "rollout";

/// Whether a diagnostic is one of ours with a rule code (for hover).
pub fn rule_of(diagnostic: &Diagnostic) -> Option<&str> {
    match (&diagnostic.source, &diagnostic.code) {
        (Some(source), Some(NumberOrString::String(code))) if source == SOURCE => Some(code),
        _ => None,
    }
}
