//! `--format json`: the stable, documented machine-readable report (schema version 3: version
//! 1 plus each resource's `exposure` and `environment`, and the top-level `guardrail` (2), and
//! the top-level `drift` with `--deployed` (3)).

use serde::Serialize;

use super::{ErrorRecord, Finding, Fixed, Location, Report, Summary, Treatment};
use crate::diagnostic::{Fix, FixStatus};
use crate::model::Fact;
use crate::source::SourceMap;

/// The schema version: bumped when fields are added (README › JSON output).
const VERSION: u32 = 3;

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    resources: Vec<JsonResource<'a>>,
    findings: Vec<JsonFinding<'a>>,
    errors: Vec<JsonError<'a>>,
    notices: Vec<JsonError<'a>>,
    /// Only in a `--fix` run: the findings fixed before the report was scanned.
    #[serde(skip_serializing_if = "Option::is_none")]
    fixed: Option<Vec<JsonFixed<'a>>>,
    /// Baseline entries that no longer occur (only with `--baseline`).
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_fixed: Option<Vec<JsonBaselineFixed<'a>>>,
    summary: Summary,
    /// The Azure Policy guardrail found in the scanned code.
    guardrail: JsonGuardrail<'a>,
    /// Only with `--deployed`: one entry per site (or code/deployed pair).
    #[serde(skip_serializing_if = "Option::is_none")]
    drift: Option<Vec<super::drift::JsonDrift<'a>>>,
}

/// The guardrail as `check --format json` and `certgate plan --format json` both print it.
#[derive(Serialize)]
pub(crate) struct JsonGuardrail<'a> {
    /// `present`, `present-but-disabled` or `absent`.
    status: &'static str,
    /// The site kinds active management-group or subscription assignments cover.
    covers: Vec<&'static str>,
    assignments: Vec<JsonAssignment<'a>>,
    /// What the built-in definitions do and do not (they audit; HTTP/2 apps count as compliant).
    note: &'static str,
}

#[derive(Serialize)]
struct JsonAssignment<'a> {
    address: &'a str,
    path: String,
    line: usize,
    column: usize,
    /// `management-group`, `subscription`, `resource-group`, `resource` or `unknown`.
    scope: &'static str,
    /// The scope as written: an id, an expression, a `targetScope`, a template `$schema`.
    scope_text: &'a str,
    covers: &'a [&'static str],
    #[serde(skip_serializing_if = "Option::is_none")]
    via: Option<&'a str>,
    /// `active`, `disabled` or `unknown`.
    state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
}

/// The JSON form of `guardrail` (one shape for every command).
pub(crate) fn json_guardrail(guardrail: &super::guardrail::Guardrail) -> JsonGuardrail<'_> {
    use super::guardrail::AssignmentState;
    JsonGuardrail {
        status: guardrail.status().as_str(),
        covers: guardrail.covered(),
        assignments: guardrail
            .assignments
            .iter()
            .map(|a| {
                let (state, reason) = match &a.state {
                    AssignmentState::Active => ("active", None),
                    AssignmentState::Disabled(why) => ("disabled", Some(why.as_str())),
                    AssignmentState::Unknown(why) => ("unknown", Some(why.as_str())),
                };
                JsonAssignment {
                    address: &a.address,
                    path: crate::paths::path_text(&a.location.path).into_owned(),
                    line: a.location.start.line,
                    column: a.location.start.column,
                    scope: a.scope.name(),
                    scope_text: &a.scope_text,
                    covers: &a.covers,
                    via: a.via.as_deref(),
                    state,
                    reason,
                }
            })
            .collect(),
        note: super::guardrail::NOTE,
    }
}

#[derive(Serialize)]
struct JsonResource<'a> {
    address: &'a str,
    #[serde(rename = "type")]
    resource_type: &'a str,
    kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    scenario: Option<&'a str>,
    path: String,
    line: usize,
    column: usize,
    verdict: &'a str,
    /// What the verdict amounts to after exceptions and the baseline: `failing`, `warning`,
    /// `passing`, `suppressed` or `baselined`. The summary counts these.
    status: &'static str,
    /// Whether it can be reached from the internet (`internet`, `private`, `unknown`).
    exposure: JsonFact<'a>,
    /// Where it is deployed (`production`, `non-production`, `unknown`).
    environment: JsonFact<'a>,
}

/// A rollout fact: its value, why, and the setting, tag, file or glob it comes from.
#[derive(Serialize)]
struct JsonFact<'a> {
    value: &'static str,
    reason: &'a str,
    location: Option<JsonPlace>,
}

#[derive(Serialize)]
struct JsonPlace {
    path: String,
    line: usize,
    column: usize,
}

fn json_fact<'a, T>(
    sources: &SourceMap,
    fact: &'a Fact<T>,
    name: impl Fn(&T) -> &'static str,
) -> JsonFact<'a> {
    JsonFact {
        value: name(&fact.value),
        reason: &fact.reason,
        location: fact.span.map(|span| {
            let at = Location::of(sources, span);
            JsonPlace {
                path: crate::paths::path_text(&at.path).into_owned(),
                line: at.start.line,
                column: at.start.column,
            }
        }),
    }
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    severity: &'a str,
    message: &'a str,
    help: &'a str,
    address: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    scenario: Option<&'a str>,
    path: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    origin: Vec<JsonOrigin<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<JsonFix<'a>>,
    /// Why a finding of a rule that has automatic fixes has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    fix_unavailable: Option<&'a str>,
    /// Why it is reported although an exception names it (the exception expired).
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    /// The active exception that suppresses it: such a finding does not fail the run.
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressed: Option<JsonSuppressed<'a>>,
    /// It is recorded in the `--baseline` file, so it does not fail the run.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    baselined: bool,
}

#[derive(Serialize)]
struct JsonSuppressed<'a> {
    by: &'a str,
    reason: Option<&'a str>,
    owner: Option<&'a str>,
    expires: Option<String>,
    path: String,
    line: usize,
}

#[derive(Serialize)]
struct JsonBaselineFixed<'a> {
    rule: &'a str,
    path: &'a str,
    address: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    scenario: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    applicability: &'a str,
    description: &'a str,
    edits: Vec<JsonEdit<'a>>,
}

/// Byte offsets into the file as it is on disk.
#[derive(Serialize)]
struct JsonEdit<'a> {
    path: String,
    start: usize,
    end: usize,
    replacement: &'a str,
}

#[derive(Serialize)]
struct JsonFixed<'a> {
    rule: &'a str,
    address: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    scenario: Option<&'a str>,
    /// Where the finding was before the fix.
    path: String,
    line: usize,
    column: usize,
    fix: JsonFix<'a>,
}

#[derive(Serialize)]
struct JsonOrigin<'a> {
    path: String,
    line: usize,
    column: usize,
    note: &'a str,
}

#[derive(Serialize)]
struct JsonError<'a> {
    path: String,
    line: usize,
    column: usize,
    message: &'a str,
}

/// Renders the report as pretty-printed JSON with a trailing newline.
pub fn render(report: &Report) -> String {
    let document = JsonReport {
        version: VERSION,
        resources: report
            .resources
            .iter()
            .zip(report.statuses())
            .map(|(r, status)| JsonResource {
                address: &r.address,
                resource_type: &r.resource_type,
                kind: &r.kind,
                scenario: r.scenario.as_deref(),
                path: crate::paths::path_text(&r.location.path).into_owned(),
                line: r.location.start.line,
                column: r.location.start.column,
                verdict: r.verdict,
                status: status.as_str(),
                exposure: json_fact(&report.sources, &r.exposure, |e| e.as_str()),
                environment: json_fact(&report.sources, &r.environment, |e| e.as_str()),
            })
            .collect(),
        findings: report
            .treated_findings()
            .map(|(f, how)| json_finding(report, f, how == Treatment::Baselined))
            .collect(),
        errors: report.errors.iter().map(json_error).collect(),
        notices: report.notices.iter().map(json_error).collect(),
        fixed: report
            .fixed
            .as_ref()
            .map(|fixed| fixed.iter().map(json_fixed).collect()),
        baseline_fixed: report.baseline.as_ref().map(|b| {
            b.fixed
                .iter()
                .map(|key| JsonBaselineFixed {
                    rule: &key.rule,
                    path: &key.path,
                    address: &key.address,
                    scenario: key.scenario.as_deref(),
                })
                .collect()
        }),
        summary: report.summary(),
        guardrail: json_guardrail(&report.guardrail),
        drift: report
            .drift
            .as_ref()
            .map(|drift| drift.iter().map(super::drift::JsonDrift::of).collect()),
    };
    let text = serde_json::to_string_pretty(&document).expect("report serialises");
    let mut text = crate::quote::json_safe(text);
    text.push('\n');
    text
}

fn json_finding<'a>(report: &Report, f: &'a Finding, baselined: bool) -> JsonFinding<'a> {
    JsonFinding {
        rule: f.rule.as_str(),
        severity: f.severity.as_str(),
        message: &f.message,
        help: &f.help,
        address: &f.address,
        scenario: f.scenario.as_deref(),
        path: crate::paths::path_text(&f.location.path).into_owned(),
        line: f.location.start.line,
        column: f.location.start.column,
        end_line: f.location.end.line,
        end_column: f.location.end.column,
        origin: f
            .origin
            .iter()
            .map(|step| {
                let at = Location::of(&report.sources, step.span);
                JsonOrigin {
                    path: crate::paths::path_text(&at.path).into_owned(),
                    line: at.start.line,
                    column: at.start.column,
                    note: &step.note,
                }
            })
            .collect(),
        fix: match &f.fix {
            FixStatus::Available(fix) => Some(json_fix(fix)),
            _ => None,
        },
        fix_unavailable: match &f.fix {
            FixStatus::Unavailable(why) => Some(why),
            _ => None,
        },
        note: f.note.as_deref(),
        suppressed: f.suppressed.as_ref().map(|by| JsonSuppressed {
            by: by.by,
            reason: by.reason.as_deref(),
            owner: by.owner.as_deref(),
            expires: by.expires.map(crate::date::format_date),
            path: crate::paths::path_text(&by.location.path).into_owned(),
            line: by.location.line,
        }),
        baselined,
    }
}

fn json_fix(fix: &Fix) -> JsonFix<'_> {
    JsonFix {
        applicability: fix.applicability.as_str(),
        description: &fix.description,
        edits: fix
            .edits
            .iter()
            .map(|edit| JsonEdit {
                path: crate::paths::path_text(&edit.path).into_owned(),
                start: edit.start,
                end: edit.end,
                replacement: &edit.replacement,
            })
            .collect(),
    }
}

fn json_fixed(fixed: &Fixed) -> JsonFixed<'_> {
    JsonFixed {
        rule: fixed.rule.as_str(),
        address: &fixed.address,
        scenario: fixed.scenario.as_deref(),
        path: crate::paths::path_text(&fixed.location.path).into_owned(),
        line: fixed.location.start.line,
        column: fixed.location.start.column,
        fix: json_fix(&fixed.fix),
    }
}

fn json_error(error: &ErrorRecord) -> JsonError<'_> {
    JsonError {
        path: crate::paths::path_text(&error.path).into_owned(),
        line: error.start.line,
        column: error.start.column,
        message: &error.message,
    }
}
