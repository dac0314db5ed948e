//! One run read from a file: a `check --format json` report (schema versions 1 to 3) or a
//! baseline, told apart by content, and dated by `FILE@YYYY-MM-DD` or the file's
//! modification day (UTC).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::date::Date;
use crate::diagnostic::Severity;
use crate::model::{Environment, Exposure};
use crate::rollout::site::Site;
use crate::rules::RuleId;

/// The newest report schema this certgate reads.
pub const NEWEST_REPORT: u64 = 3;

/// A site as it is identified across runs: path, address and scenario (the baseline's
/// fingerprint without the rule: a site with two findings is one site).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SiteKey {
    pub path: String,
    pub address: String,
    pub scenario: Option<String>,
}

/// What a site amounts to in one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Its verdict fails and nothing excepts it. Baselined sites count here: a baseline
    /// hides debt, it does not pay it.
    Failing,
    /// Only warnings (an unresolved value, exclusion paths).
    Warning,
    Passing,
    /// An active exception suppresses its finding.
    Excepted,
}

/// An active exception as a report shows it on the finding it suppresses.
#[derive(Debug, Clone, PartialEq)]
pub struct Exception {
    pub site: SiteKey,
    pub rule: String,
    pub by: String,
    pub owner: Option<String>,
    pub reason: Option<String>,
    pub expires: Option<Date>,
}

/// Which kind of file a run was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A report, with its schema version.
    Report(u64),
    Baseline,
}

/// One run: where it was read from, its date and what it says about each site.
#[derive(Debug, Clone)]
pub struct Run {
    /// The file as the user named it (without `@DATE`).
    pub source: String,
    pub date: Date,
    pub kind: Kind,
    pub sites: BTreeMap<SiteKey, Status>,
    pub exceptions: Vec<Exception>,
    /// Its unsuppressed findings about sites, for the batches.
    pub findings: Vec<Site>,
    /// The report's top-level `drift` array (schema 3, `check --deployed`), as written.
    pub drift: Option<Vec<Value>>,
}

/// Reads `argument` (`FILE` or `FILE@YYYY-MM-DD`) as a run.
pub fn read(argument: &Path) -> Result<Run, String> {
    let (path, date) = split_date(argument);
    let shown = crate::paths::path_text(&path).into_owned();
    let bytes =
        crate::fs::regular::read(&path).map_err(|why| format!("cannot read {shown}: {why}"))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| format!("cannot read {shown}: invalid UTF-8: certgate reads UTF-8 text"))?;
    let date = match date {
        Some(date) => date,
        None => modified_day(&path).map_err(|why| format!("cannot date {shown}: {why}"))?,
    };
    parse(&shown, date, &text)
}

/// `FILE@YYYY-MM-DD` → (FILE, date); a path whose text after its last `@` is no date is a
/// plain path (`reports/@team/x.json`).
fn split_date(argument: &Path) -> (PathBuf, Option<Date>) {
    if let Some(text) = argument.to_str()
        && let Some((file, day)) = text.rsplit_once('@')
        && let Ok(date) = crate::date::parse_date(day)
    {
        return (PathBuf::from(file), Some(date));
    }
    (argument.to_path_buf(), None)
}

/// The day (UTC) the file was last modified.
fn modified_day(path: &Path) -> Result<Date, String> {
    let modified = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .map_err(|e| e.to_string())?;
    Ok(time::OffsetDateTime::from(modified).date())
}

/// Parses a file's text as a report or a baseline; `shown` names it in errors.
pub fn parse(shown: &str, date: Date, text: &str) -> Result<Run, String> {
    // A CSV or table export: say what is read rather than where the JSON parser gave up.
    if !text.trim_start().starts_with(['{', '[']) {
        return Err(format!(
            "{shown}: not JSON: certgate progress reads `certgate check --format json` reports \
             and certgate baselines"
        ));
    }
    let value: Value = serde_json::from_str(text).map_err(|e| {
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or_default();
        format!(
            "{shown}:{}:{}: not JSON: {message}",
            e.line().max(1),
            e.column().max(1)
        )
    })?;
    let not_ours = || {
        format!(
            "{shown}: neither a `certgate check --format json` report nor a certgate baseline \
             (expected an object with `version` and `findings`)"
        )
    };
    let object = value.as_object().ok_or_else(not_ours)?;
    let version = object
        .get("version")
        .and_then(Value::as_u64)
        .ok_or_else(not_ours)?;
    if !object.get("findings").is_some_and(Value::is_array) {
        return Err(not_ours());
    }
    let mut run = Run {
        source: shown.to_string(),
        date,
        kind: Kind::Baseline,
        sites: BTreeMap::new(),
        exceptions: Vec::new(),
        findings: Vec::new(),
        drift: None,
    };
    if object.contains_key("resources") {
        if version == 0 || version > NEWEST_REPORT {
            return Err(format!(
                "{shown}: report version {version} is not supported: this certgate reads \
                 versions 1 to {NEWEST_REPORT}"
            ));
        }
        run.kind = Kind::Report(version);
        report(&mut run, object).map_err(|why| format!("{shown}: {why}"))?;
    } else {
        let baseline = crate::baseline::read(text)
            .map_err(|e| format!("{shown}:{}:{}: {}", e.line, e.column, e.message))?;
        for key in baseline.findings {
            let site = SiteKey {
                path: key.path,
                address: key.address,
                scenario: key.scenario,
            };
            run.sites.insert(site, Status::Failing);
        }
    }
    Ok(run)
}

fn report(run: &mut Run, object: &serde_json::Map<String, Value>) -> Result<(), String> {
    let resources = array(object, "resources")?;
    let mut facts: BTreeMap<SiteKey, (Exposure, Environment)> = BTreeMap::new();
    for (i, resource) in resources.iter().enumerate() {
        let at = format!("resources[{i}]");
        let key = site_key(resource, &at)?;
        let status = match text(resource, "status", &at)? {
            "failing" | "baselined" => Status::Failing,
            "warning" => Status::Warning,
            "passing" => Status::Passing,
            "suppressed" => Status::Excepted,
            other => return Err(format!("{at}: unknown status `{other}`")),
        };
        let exposure = match fact(resource, "exposure") {
            Some("internet") => Exposure::Internet,
            Some("private") => Exposure::Private,
            _ => Exposure::Unknown,
        };
        let environment = match fact(resource, "environment") {
            Some("production") => Environment::Production,
            Some("non-production") => Environment::NonProduction,
            _ => Environment::Unknown,
        };
        facts.insert(key.clone(), (exposure, environment));
        // One site, two declarations judged apart: the worse status stands for the site.
        let slot = run.sites.entry(key).or_insert(status);
        if rank(status) < rank(*slot) {
            *slot = status;
        }
    }
    for (i, finding) in array(object, "findings")?.iter().enumerate() {
        let at = format!("findings[{i}]");
        let rule = text(finding, "rule", &at)?;
        // Findings about exceptions belong to no site.
        let Some(rule) = RuleId::parse(rule).filter(|id| !id.is_exception()) else {
            continue;
        };
        let key = site_key(finding, &at)?;
        if let Some(suppressed) = finding.get("suppressed").filter(|s| !s.is_null()) {
            let expires = match suppressed.get("expires").and_then(Value::as_str) {
                Some(day) => Some(
                    crate::date::parse_date(day)
                        .map_err(|why| format!("{at}.suppressed: {why}"))?,
                ),
                None => None,
            };
            let optional = |name: &str| {
                suppressed
                    .get(name)
                    .and_then(Value::as_str)
                    .map(str::to_string)
            };
            run.exceptions.push(Exception {
                site: key,
                rule: rule.as_str().to_string(),
                by: optional("by").unwrap_or_default(),
                owner: optional("owner"),
                reason: optional("reason"),
                expires,
            });
            continue;
        }
        let severity = match text(finding, "severity", &at)? {
            "error" => Severity::Error,
            _ => Severity::Warning,
        };
        let (exposure, environment) = facts
            .get(&key)
            .copied()
            .unwrap_or((Exposure::Unknown, Environment::Unknown));
        run.findings.push(Site {
            finding: i,
            address: key.address,
            scenario: key.scenario,
            path: PathBuf::from(key.path),
            line: finding
                .get("line")
                .and_then(Value::as_u64)
                .map_or(1, |n| n as usize),
            verdict: rule.as_str(),
            severity,
            fixable: finding.get("fix").is_some_and(|f| !f.is_null()),
            exposure,
            environment,
            owners: Vec::new(),
            root: None,
        });
    }
    run.drift = match object.get("drift") {
        None | Some(Value::Null) => None,
        Some(Value::Array(rows)) => Some(rows.clone()),
        Some(_) => return Err("`drift` is not an array".to_string()),
    };
    Ok(())
}

/// Which status stands for a site declared twice: failing first.
fn rank(status: Status) -> u8 {
    match status {
        Status::Failing => 0,
        Status::Warning => 1,
        Status::Excepted => 2,
        Status::Passing => 3,
    }
}

fn array<'a>(
    object: &'a serde_json::Map<String, Value>,
    name: &str,
) -> Result<&'a [Value], String> {
    object
        .get(name)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .ok_or_else(|| format!("`{name}` is missing or not an array"))
}

fn text<'a>(value: &'a Value, name: &str, at: &str) -> Result<&'a str, String> {
    value
        .get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("{at}: `{name}` is missing or not a string"))
}

/// A rollout fact's value (schema 2: `{"value": …}`); absent in schema 1.
fn fact<'a>(resource: &'a Value, name: &str) -> Option<&'a str> {
    resource.get(name)?.get("value")?.as_str()
}

fn site_key(value: &Value, at: &str) -> Result<SiteKey, String> {
    Ok(SiteKey {
        path: text(value, "path", at)?.to_string(),
        address: text(value, "address", at)?.to_string(),
        scenario: value
            .get("scenario")
            .and_then(Value::as_str)
            .map(str::to_string),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Date {
        crate::date::parse_date(text).unwrap()
    }

    #[test]
    fn a_date_after_the_last_at_sign_dates_the_run_and_anything_else_is_the_path() {
        assert_eq!(
            split_date(Path::new("runs/a.json@2026-10-01")),
            (PathBuf::from("runs/a.json"), Some(day("2026-10-01")))
        );
        assert_eq!(
            split_date(Path::new("runs/@team/a.json")),
            (PathBuf::from("runs/@team/a.json"), None)
        );
        assert_eq!(
            split_date(Path::new("a.json@2026-13-01")),
            (PathBuf::from("a.json@2026-13-01"), None)
        );
    }

    #[test]
    fn a_baseline_reads_as_a_run_whose_sites_all_fail() {
        let text = r#"{"version": 1, "findings": [
            {"rule": "client-cert-disabled", "path": "a.tf", "address": "x.y"},
            {"rule": "client-cert-optional", "path": "a.tf", "address": "x.y"}]}"#;
        let run = parse("b.json", day("2026-01-01"), text).unwrap();
        assert_eq!(run.kind, Kind::Baseline);
        assert_eq!(run.sites.len(), 1);
        assert!(run.sites.values().all(|s| *s == Status::Failing));
    }

    #[test]
    fn files_that_are_not_ours_are_refused_naming_the_file() {
        for (text, says) in [
            ("name,id\nx,1\n", "b.csv: not JSON: certgate progress reads"),
            (r#"{"version": 2, "resources": ["#, "b.csv:1:"),
            (r#"[{"id": "/subscriptions/x"}]"#, "b.csv: neither"),
            (
                r#"{"version": 9, "resources": [], "findings": []}"#,
                "b.csv: report version 9 is not supported",
            ),
            (
                r#"{"version": 2, "resources": [{"address": "a"}], "findings": []}"#,
                "b.csv: resources[0]: `path` is missing",
            ),
        ] {
            let error = parse("b.csv", day("2026-01-01"), text).unwrap_err();
            assert!(error.starts_with(says), "{error}");
        }
    }
}
