//! `certgate progress --format json`: every run's figures and site lists, and the latest
//! run's batches, drift rows (as the report wrote them) and exceptions.

use serde::Serialize;
use serde_json::Value;

use super::day;
use crate::progress::history::History;
use crate::progress::input::{Exception, Kind, SiteKey};
use crate::progress::latest::Latest;

/// The progress output's own schema version.
const VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    /// Days after a run within which an exception counts as expiring.
    soon_days: i64,
    runs: Vec<JsonRun<'a>>,
    latest: Option<JsonLatest<'a>>,
}

#[derive(Serialize)]
struct JsonRun<'a> {
    source: &'a str,
    date: String,
    /// `report` or `baseline`.
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    report_version: Option<u64>,
    failing: usize,
    warnings: usize,
    excepted: usize,
    passing: usize,
    new: Vec<JsonSite<'a>>,
    fixed: Vec<JsonSite<'a>>,
    expiring: Vec<JsonException<'a>>,
}

#[derive(Serialize)]
struct JsonSite<'a> {
    address: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    scenario: Option<&'a str>,
    path: &'a str,
}

#[derive(Serialize)]
struct JsonException<'a> {
    #[serde(flatten)]
    site: JsonSite<'a>,
    rule: &'a str,
    by: &'a str,
    owner: Option<&'a str>,
    reason: Option<&'a str>,
    expires: Option<String>,
}

#[derive(Serialize)]
struct JsonLatest<'a> {
    source: &'a str,
    date: String,
    batches: Vec<JsonBatch>,
    /// `null` when the report has no `drift` (no deployed export was given).
    drift: Option<&'a [Value]>,
    exceptions: Vec<JsonException<'a>>,
}

#[derive(Serialize)]
struct JsonBatch {
    number: usize,
    class: &'static str,
    sites: Vec<JsonBatchSite>,
}

#[derive(Serialize)]
struct JsonBatchSite {
    address: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    scenario: Option<String>,
    path: String,
    line: usize,
    verdict: &'static str,
    exposure: &'static str,
    environment: &'static str,
}

fn site(key: &SiteKey) -> JsonSite<'_> {
    JsonSite {
        address: &key.address,
        scenario: key.scenario.as_deref(),
        path: &key.path,
    }
}

fn exception(e: &Exception) -> JsonException<'_> {
    JsonException {
        site: site(&e.site),
        rule: &e.rule,
        by: &e.by,
        owner: e.owner.as_deref(),
        reason: e.reason.as_deref(),
        expires: e.expires.map(crate::date::format_date),
    }
}

/// Renders the history and the latest run as pretty-printed JSON with a trailing newline.
pub fn render(history: &History, latest: &Latest) -> String {
    let runs = history
        .runs
        .iter()
        .map(|run| JsonRun {
            source: &run.source,
            date: day(Some(run.date)),
            kind: match run.kind {
                Kind::Report(_) => "report",
                Kind::Baseline => "baseline",
            },
            report_version: match run.kind {
                Kind::Report(version) => Some(version),
                Kind::Baseline => None,
            },
            failing: run.failing,
            warnings: run.warnings,
            excepted: run.excepted,
            passing: run.passing,
            new: run.new.iter().map(site).collect(),
            fixed: run.fixed.iter().map(site).collect(),
            expiring: run.expiring.iter().map(exception).collect(),
        })
        .collect();
    let latest = latest.source.as_ref().map(|(source, date)| JsonLatest {
        source,
        date: day(Some(*date)),
        batches: latest
            .batches
            .iter()
            .map(|b| JsonBatch {
                number: b.number,
                class: b.class.as_str(),
                sites: b
                    .sites
                    .iter()
                    .map(|s| JsonBatchSite {
                        address: s.address.clone(),
                        scenario: s.scenario.clone(),
                        path: crate::paths::path_text(&s.path).into_owned(),
                        line: s.line,
                        verdict: s.verdict,
                        exposure: s.exposure.as_str(),
                        environment: s.environment.as_str(),
                    })
                    .collect(),
            })
            .collect(),
        drift: latest.drift.as_deref(),
        exceptions: latest.exceptions.iter().map(exception).collect(),
    });
    let document = Document {
        version: VERSION,
        soon_days: history.soon,
        runs,
        latest,
    };
    let text = serde_json::to_string_pretty(&document).expect("progress serialises");
    let mut text = crate::quote::json_safe(text);
    text.push('\n');
    text
}
