//! `certgate plan --format json`: the plan for tools (version 1).

use serde::Serialize;

use super::*;
use crate::report::json::{JsonGuardrail, json_guardrail};
use crate::suppress::listing::Row;

#[derive(Serialize)]
struct Plan<'a> {
    version: u32,
    /// The same object as `check --format json`'s `guardrail`.
    guardrail: JsonGuardrail<'a>,
    root_causes: Vec<CauseJson<'a>>,
    batch_size: usize,
    batches: Vec<BatchJson<'a>>,
    exceptions: &'a [Row],
    totals: TotalsJson,
    codeowners: Option<String>,
    notices: &'a [String],
}

#[derive(Serialize)]
struct CauseJson<'a> {
    kind: &'static str,
    path: String,
    line: usize,
    column: usize,
    what: &'a str,
    roots: usize,
    owners: &'a [String],
    sites: Vec<SiteJson<'a>>,
}

#[derive(Serialize)]
struct BatchJson<'a> {
    number: usize,
    class: &'static str,
    sites: Vec<SiteJson<'a>>,
}

#[derive(Serialize)]
struct SiteJson<'a> {
    address: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    scenario: Option<&'a str>,
    /// The root, for a root cause's site whose scenario does not name it.
    #[serde(skip_serializing_if = "Option::is_none")]
    root: Option<&'a str>,
    path: String,
    line: usize,
    verdict: &'static str,
    severity: &'static str,
    fixable: bool,
    exposure: &'static str,
    environment: &'static str,
    owners: &'a [String],
}

#[derive(Serialize)]
struct TotalsJson {
    sites: usize,
    failing: usize,
    warnings: usize,
    fixable: usize,
    suppressed: usize,
    in_root_causes: usize,
    root_causes: usize,
    /// Sites per batch, in batch order.
    batches: Vec<usize>,
}

/// Renders the plan as pretty-printed JSON.
pub fn render(rollout: &Rollout) -> String {
    let plan = Plan {
        version: 1,
        guardrail: json_guardrail(&rollout.guardrail),
        root_causes: rollout
            .root_causes
            .iter()
            .map(|c| CauseJson {
                kind: c.kind.as_str(),
                path: crate::paths::path_text(&c.place.path).into_owned(),
                line: c.place.start.line,
                column: c.place.start.column,
                what: &c.what,
                roots: c.roots,
                owners: &c.owners,
                sites: c.sites.iter().map(site).collect(),
            })
            .collect(),
        batch_size: rollout.batch_size,
        batches: rollout
            .batches
            .iter()
            .map(|b| BatchJson {
                number: b.number,
                class: b.class.as_str(),
                sites: b.sites.iter().map(site).collect(),
            })
            .collect(),
        exceptions: &rollout.exceptions,
        totals: TotalsJson {
            sites: rollout.totals.sites,
            failing: rollout.totals.failing,
            warnings: rollout.totals.warnings,
            fixable: rollout.totals.fixable,
            suppressed: rollout.totals.suppressed,
            in_root_causes: rollout.totals.in_root_causes,
            root_causes: rollout.root_causes.len(),
            batches: rollout.batches.iter().map(|b| b.sites.len()).collect(),
        },
        codeowners: rollout
            .codeowners
            .as_ref()
            .map(|p| crate::paths::path_text(p).into_owned()),
        notices: &rollout.notices,
    };
    let mut text = serde_json::to_string_pretty(&plan).unwrap_or_default();
    text.push('\n');
    text
}

fn site(s: &Site) -> SiteJson<'_> {
    SiteJson {
        address: &s.address,
        scenario: s.scenario.as_deref(),
        root: s.root.as_deref(),
        path: crate::paths::path_text(&s.path).into_owned(),
        line: s.line,
        verdict: s.verdict,
        severity: match s.severity {
            crate::diagnostic::Severity::Error => "error",
            crate::diagnostic::Severity::Warning => "warning",
        },
        fixable: s.fixable,
        exposure: s.exposure.as_str(),
        environment: s.environment.as_str(),
        owners: &s.owners,
    }
}
