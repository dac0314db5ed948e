//! The result of a scan as plain data, and one renderer per output format.
//!
//! Everything here is sorted by (path, line, column) so output is identical across runs and
//! thread counts. Renderers read only this data and the loaded sources, never a parser.

pub mod concise;
pub mod drift;
mod excerpt;
pub mod fingerprint;
pub mod github;
pub mod gitlab;
pub mod guardrail;
pub mod human;
pub mod json;
pub mod junit;
pub mod output;
pub mod sarif;
mod srcroot;
pub mod statistics;
pub mod trace;
#[cfg(test)]
#[path = "tests/windows_paths.rs"]
mod windows_paths;
pub mod wrap;

use std::path::PathBuf;
use std::time::Duration;

use crate::diagnostic::{Fix, FixStatus, Severity};
use crate::model::{Origin, Resource};
use crate::rules::RuleId;
use crate::source::{LineCol, SourceMap, Span};

/// A position range in a file, resolved from a [`Span`] for output.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub path: PathBuf,
    pub start: LineCol,
    /// Exclusive: the position just after the last character.
    pub end: LineCol,
}

impl Location {
    pub fn of(sources: &SourceMap, span: Span) -> Self {
        let (start, end) = sources.line_col(span);
        Location {
            path: sources.get(span.file).path().to_path_buf(),
            start,
            end,
        }
    }
}

/// What a finding is about: a resource (through its declaration's instances) or an
/// exception itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subject {
    /// A judged declaration: `group` indexes [`Report::groups`].
    Resource { group: usize },
    /// An exception (`unused-exception`, `invalid-exception`): no declaration, so the fixer
    /// and the baseline leave it alone.
    Exception,
}

/// One rule violation on one resource, or one finding about an exception.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: RuleId,
    pub severity: Severity,
    pub message: String,
    pub help: String,
    pub address: String,
    /// The deployment scenario (parameter file) the finding is for, when there are several.
    pub scenario: Option<String>,
    pub span: Span,
    pub location: Location,
    pub label: String,
    pub origin: Vec<Origin>,
    pub subject: Subject,
    /// What `--fix` can do about it (filled by [`crate::fix`], not by the scan).
    pub fix: FixStatus,
    /// The exception that suppresses it (then it is in [`Report::suppressed`]).
    pub suppressed: Option<crate::suppress::ledger::SuppressedBy>,
    /// Why it is reported although an exception names it (the exception expired).
    pub note: Option<String>,
}

impl Finding {
    /// Whether it is about an exception itself (`invalid-exception`, `unused-exception`)
    /// rather than about a resource.
    pub fn is_about_an_exception(&self) -> bool {
        self.subject == Subject::Exception
    }

    /// The judged declaration's instances (an index into [`Report::groups`]); `None` for a
    /// finding about an exception.
    pub fn group(&self) -> Option<usize> {
        match self.subject {
            Subject::Resource { group } => Some(group),
            Subject::Exception => None,
        }
    }
}

/// A finding that `--fix` fixed, with where it was before the fix.
#[derive(Debug, Clone)]
pub struct Fixed {
    pub rule: RuleId,
    pub address: String,
    pub scenario: Option<String>,
    pub location: Location,
    pub fix: Fix,
}

/// One in-scope resource and its verdict (`pass` or the rule id).
#[derive(Debug, Clone)]
pub struct ResourceRecord {
    pub address: String,
    pub resource_type: String,
    pub kind: String,
    pub scenario: Option<String>,
    pub location: Location,
    pub verdict: &'static str,
    /// The verdict's severity; `None` when it passes.
    pub severity: Option<Severity>,
    /// The files where the judged values were written, when not at the resource (a variable
    /// default, a tfvars line, a parameter file): checking only such a file still checks it.
    pub value_files: Vec<PathBuf>,
    /// The judged declaration: an index into [`Report::groups`], shared with its finding.
    pub group: usize,
    /// Whether the site can be reached from the internet, with the reason (rollout).
    pub exposure: crate::model::Fact<crate::model::Exposure>,
    /// Which environment it is deployed to, with the reason (rollout).
    pub environment: crate::model::Fact<crate::model::Environment>,
}

/// Where one checked resource stands once exceptions and the baseline are applied. Every
/// count (summary line, JSON `summary`, JUnit) is derived from the list of these, so they
/// add up to the number of resources and agree with each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// Its finding is reported at error severity: it fails the run.
    Failing,
    /// Its finding is reported at warning severity.
    Warning,
    /// No finding.
    Passing,
    /// Its finding is suppressed by an active exception.
    Suppressed,
    /// Its finding is recorded in the `--baseline` file.
    Baselined,
}

impl Status {
    /// The name used in JSON (`resources[].status`).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Failing => "failing",
            Status::Warning => "warning",
            Status::Passing => "passing",
            Status::Suppressed => "suppressed",
            Status::Baselined => "baselined",
        }
    }
}

/// A file that is ours but could not be read or parsed.
#[derive(Debug, Clone)]
pub struct ErrorRecord {
    pub path: PathBuf,
    pub span: Option<Span>,
    /// Line 1, column 1 when the error has no position (e.g. the file could not be read).
    pub start: LineCol,
    pub message: String,
}

/// Counts for the summary line and the JSON `summary` object.
///
/// `failing + warnings + passing + suppressed + baselined == resources`: each resource is
/// counted once, by its [`Status`].
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub files_scanned: usize,
    pub resources: usize,
    pub failing: usize,
    pub warnings: usize,
    pub passing: usize,
    /// Errors that make the run fail (exit code 2); several can be in one file.
    pub errors: usize,
    /// The files those errors are in.
    pub error_files: usize,
    /// Resources whose finding an active exception suppresses.
    pub suppressed: usize,
    /// Resources whose finding is recorded in the `--baseline` file (not failures).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baselined: Option<usize>,
    /// Reported findings about exceptions themselves (`invalid-exception`,
    /// `unused-exception`) at error severity: they fail the run but belong to no resource.
    pub exception_errors: usize,
    /// The same at warning severity.
    pub exception_warnings: usize,
}

/// What comparing a run with a `--baseline` file found.
#[derive(Debug, Clone, Default)]
pub struct BaselineOutcome {
    /// Findings that are in the baseline, so not failures.
    pub baselined: Vec<Finding>,
    /// Baseline entries that no longer occur.
    pub fixed: Vec<crate::baseline::FindingKey>,
}

/// Everything a scan found, ready to render.
#[derive(Debug)]
pub struct Report {
    pub resources: Vec<ResourceRecord>,
    pub findings: Vec<Finding>,
    pub errors: Vec<ErrorRecord>,
    /// Things certgate could not follow (a remote module, a `templateLink`): not failures.
    pub notices: Vec<ErrorRecord>,
    pub files_scanned: usize,
    pub sources: SourceMap,
    pub elapsed: Duration,
    /// Every judged declaration's model resources (its instances), for the fixer.
    pub groups: Vec<Vec<Resource>>,
    /// Findings fixed by `--fix` before this report was scanned; `None` when not fixing.
    pub fixed: Option<Vec<Fixed>>,
    /// Findings an active exception suppresses: not failures, but shown on request.
    pub suppressed: Vec<Finding>,
    /// Every exception the scan saw (for `certgate exceptions`).
    pub ledger: Option<crate::suppress::ledger::Ledger>,
    /// The `--baseline` comparison, when one was asked for.
    pub baseline: Option<BaselineOutcome>,
    /// The least severe finding that fails the run (exit code 1): `Error` unless the run
    /// fails on warnings too (an unresolved value must be able to fail the gate).
    pub fail_on: Severity,
    /// The Azure Policy assignments of the control in the scanned code (rollout).
    pub guardrail: guardrail::Guardrail,
    /// Drift between the code and the deployed sites (`check --deployed`); `None` without it.
    pub drift: Option<Vec<drift::DriftEntry>>,
    /// What the scan did (`check --verbose`, `--show-files`); `None` unless asked for.
    pub trace: Option<trace::Trace>,
}

/// How a listed finding was treated: reported, recorded in the baseline, or suppressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Treatment {
    Reported,
    Baselined,
    Suppressed,
}

impl Report {
    /// Every finding a report format lists, with how it was treated: the reported findings,
    /// then the ones in the baseline, then the suppressed ones.
    pub fn treated_findings(&self) -> impl Iterator<Item = (&Finding, Treatment)> {
        let baselined = self.baseline.iter().flat_map(|b| &b.baselined);
        self.findings
            .iter()
            .map(|f| (f, Treatment::Reported))
            .chain(baselined.map(|f| (f, Treatment::Baselined)))
            .chain(self.suppressed.iter().map(|f| (f, Treatment::Suppressed)))
    }

    /// The status of each entry of [`Report::resources`], in the same order: the one list every
    /// count is derived from. A resource is matched to its finding by its judged declaration
    /// (the group), never by address, so two files declaring the same address stay apart.
    pub fn statuses(&self) -> Vec<Status> {
        let mut by_group = std::collections::HashMap::new();
        let baselined = self.baseline.iter().flat_map(|b| &b.baselined);
        // Exception findings belong to no declaration: they set no resource's status.
        for finding in &self.suppressed {
            if let Some(group) = finding.group() {
                by_group.insert(group, Status::Suppressed);
            }
        }
        for finding in baselined {
            if let Some(group) = finding.group() {
                by_group.insert(group, Status::Baselined);
            }
        }
        for finding in &self.findings {
            let Some(group) = finding.group() else {
                continue;
            };
            let status = match finding.severity {
                Severity::Error => Status::Failing,
                Severity::Warning => Status::Warning,
            };
            by_group.insert(group, status);
        }
        self.resources
            .iter()
            .map(|r| match (by_group.get(&r.group), r.severity) {
                (Some(status), _) => *status,
                (None, None) => Status::Passing,
                // A verdict whose finding was left out (a `--subset` view): still by severity.
                (None, Some(Severity::Error)) => Status::Failing,
                (None, Some(Severity::Warning)) => Status::Warning,
            })
            .collect()
    }

    pub fn summary(&self) -> Summary {
        let statuses = self.statuses();
        let count = |status| statuses.iter().filter(|s| **s == status).count();
        let exception_findings = |severity| {
            self.findings
                .iter()
                .filter(|f| f.is_about_an_exception() && f.severity == severity)
                .count()
        };
        let error_files: std::collections::BTreeSet<&std::path::Path> =
            self.errors.iter().map(|e| e.path.as_path()).collect();
        Summary {
            files_scanned: self.files_scanned,
            resources: self.resources.len(),
            failing: count(Status::Failing),
            warnings: count(Status::Warning),
            passing: count(Status::Passing),
            errors: self.errors.len(),
            error_files: error_files.len(),
            suppressed: count(Status::Suppressed),
            baselined: self.baseline.as_ref().map(|_| count(Status::Baselined)),
            exception_errors: exception_findings(Severity::Error),
            exception_warnings: exception_findings(Severity::Warning),
        }
    }

    /// Puts every list in (path, line, column) order, with ties broken by the remaining fields.
    pub fn sort(&mut self) {
        self.resources.sort_by(|a, b| {
            (&a.location, &a.address, &a.scenario, a.verdict).cmp(&(
                &b.location,
                &b.address,
                &b.scenario,
                b.verdict,
            ))
        });
        let by_place = |a: &Finding, b: &Finding| {
            (&a.location, &a.address, &a.scenario, a.rule).cmp(&(
                &b.location,
                &b.address,
                &b.scenario,
                b.rule,
            ))
        };
        self.suppressed.sort_by(by_place);
        self.findings.sort_by(|a, b| {
            (&a.location, &a.address, &a.scenario, a.rule).cmp(&(
                &b.location,
                &b.address,
                &b.scenario,
                b.rule,
            ))
        });
        for list in [&mut self.errors, &mut self.notices] {
            list.sort_by(|a, b| {
                (&a.path, a.start, &a.message).cmp(&(&b.path, b.start, &b.message))
            });
        }
    }

    /// Drops repeated errors and notices (the same message at the same place), which arise
    /// when several units reach the same file.
    pub fn dedup_errors(&mut self) {
        for list in [&mut self.errors, &mut self.notices] {
            let mut seen = std::collections::HashSet::new();
            list.retain(|e| seen.insert((e.path.clone(), e.start, e.message.clone())));
        }
    }

    /// The record of each judged declaration, by its group: how a finding reaches its
    /// resource's facts (exposure, environment).
    pub fn records_by_group(&self) -> std::collections::HashMap<usize, &ResourceRecord> {
        self.resources.iter().map(|r| (r.group, r)).collect()
    }

    /// Exit code per SPEC.md: 2 when the run failed, 1 on error findings, else 0.
    pub fn exit_code(&self) -> u8 {
        if !self.errors.is_empty() {
            2
        } else if self.findings.iter().any(|f| f.severity <= self.fail_on) {
            1
        } else {
            0
        }
    }
}
