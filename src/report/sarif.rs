//! `--format sarif`: the report as SARIF 2.1.0 for GitHub code scanning and Azure DevOps.
//!
//! Own small serde structs rather than the `serde-sarif` crate: we emit a small, fixed subset
//! of the format, the generated crate is large (builders for the whole schema) and lags the
//! spec's errata, and tests/sarif.rs validates this output against the official schema anyway.
//!
//! Paths are relative to the repository root (`uriBaseId` `%SRCROOT%`, given as a `file:` URI
//! in `originalUriBaseIds`) wherever certgate runs from; see `srcroot`. Columns count Unicode code points, as everywhere in certgate
//! (`columnKind` `unicodeCodePoints`); fix offsets are bytes into the file on disk.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use serde_json::{Value, json};

use super::{ErrorRecord, Finding, Location, Report, ResourceRecord, Treatment};
use crate::diagnostic::FixStatus;
use crate::diagnostic::Severity;
use crate::paths::base::Base;
use crate::rules::{RULES, Rule, RuleId};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";
/// The key of the fingerprint in `partialFingerprints`; bump the version if its fields change.
const FINGERPRINT_KEY: &str = "certgate/v1";
/// Other scanners' ids for the client-certificate check, as related references.
const PEERS: [(&str, &str, &str); 2] = [
    ("Checkov", "CKV_AZURE_17", "https://www.checkov.io/"),
    ("Trivy", "AVD-AZU-0001", "https://trivy.dev/"),
];

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Value>,
}

/// The docs without the title and default-severity lines `certgate explain` puts first.
fn docs_body(docs: &str) -> &str {
    let mut rest = docs.trim_start();
    while rest.starts_with('#') && !rest.starts_with("##") || rest.starts_with("Default severity") {
        rest = rest.split_once("\n\n").map_or("", |(_, after)| after);
    }
    rest
}

/// The first paragraph of the docs' `## What it does` (or of the docs' body), on one line.
fn full_description(docs: &str) -> String {
    let body = docs_body(docs);
    let body = body
        .split_once("## What it does")
        .map_or(body, |(_, rest)| rest);
    body.split("\n\n")
        .map(|p| {
            p.lines()
                .filter(|l| !l.starts_with('#'))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .find(|p| !p.trim().is_empty())
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// The CIS Microsoft Azure Foundations recommendation of the control (9.4 in 2.0.0: "Ensure
/// the web app has 'Client Certificates (Incoming client certificates)' set to 'On'").
const CIS_TAG: &str = "CIS-Azure-9.4";

/// GitHub's `security-severity` (a number as a string: at least 9 critical, 7 high, 4 medium,
/// above 0 low) from a rule's default severity: an error lets clients in unauthenticated, so high;
/// a warning is a weakened or undecidable setting, so medium.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "7.5",
        Severity::Warning => "5.0",
    }
}

/// The URL of the rule's docs (its source file, where `docs` lives) in `repository`, or
/// `None` when the package names no repository.
fn help_uri(repository: &str, id: RuleId) -> Option<String> {
    let repository = repository.trim_end_matches('/');
    (!repository.is_empty()).then(|| {
        let module = id.to_string().replace('-', "_");
        format!("{repository}/blob/main/src/rules/{module}.rs")
    })
}

/// One rule (resource or exception rule) as an entry of `tool.driver.rules`.
fn rule_json(info: &Rule) -> Value {
    let mut tags = vec!["security", "azure", "app-service", "mtls"];
    let mut rule = json!({
        "id": info.id,
        "name": info.name,
        "shortDescription": { "text": info.summary },
        "fullDescription": { "text": full_description(info.docs) },
        "help": { "text": docs_body(info.docs), "markdown": docs_body(info.docs) },
        "defaultConfiguration": { "level": info.severity.as_str() },
    });
    if info.peers {
        tags.push(CIS_TAG);
        tags.extend(PEERS.iter().map(|(_, id, _)| *id));
        rule["relationships"] = PEERS
            .iter()
            .map(|(tool, id, _)| {
                json!({
                    "target": { "id": id, "toolComponent": { "name": tool } },
                    "kinds": ["relevant"],
                })
            })
            .collect();
    }
    if let Some(uri) = help_uri(env!("CARGO_PKG_REPOSITORY"), info.id) {
        rule["helpUri"] = json!(uri);
    }
    rule["properties"] = json!({
        "tags": tags,
        "security-severity": security_severity(info.severity),
    });
    rule
}

/// The `artifactLocation` of `path`: relative to `root` (the `%SRCROOT%`), `/`-separated and
/// percent-encoded, with `uriBaseId`; a name that is not UTF-8 has its raw bytes encoded
/// (`%E9`), as a URI carries them. A file no relative path reaches (on Windows, another drive
/// than the repository's) gets its absolute `file:` URI and no base.
fn artifact(root: &Base, path: &Path) -> Value {
    match root.relative_uri(path) {
        Some(uri) => json!({ "uri": uri, "uriBaseId": SRCROOT }),
        None => json!({ "uri": root.file_uri(path).unwrap_or_default() }),
    }
}

fn physical(root: &Base, location: &Location) -> Value {
    json!({
        "artifactLocation": artifact(root, &location.path),
        "region": {
            "startLine": location.start.line,
            "startColumn": location.start.column,
            "endLine": location.end.line,
            "endColumn": location.end.column,
        },
    })
}

fn level(severity: Severity) -> &'static str {
    severity.as_str()
}

fn result_json(
    root: &Base,
    report: &Report,
    index: &BTreeMap<RuleId, usize>,
    (f, how): (&Finding, Treatment),
    fingerprint: &str,
    record: Option<&ResourceRecord>,
) -> Value {
    let mut text = f.message.clone();
    if let Some(note) = &f.note {
        text.push_str(&format!(" ({note})"));
    }
    let mut result = json!({
        "ruleId": f.rule,
        "level": level(f.severity),
        "message": { "text": text },
        "locations": [{ "physicalLocation": physical(root, &f.location) }],
        "partialFingerprints": { FINGERPRINT_KEY: fingerprint },
        "properties": { "address": f.address, "help": f.help },
    });
    if let Some(i) = index.get(&f.rule) {
        result["ruleIndex"] = json!(i);
    }
    if let Some(scenario) = &f.scenario {
        result["properties"]["scenario"] = json!(scenario);
    }
    // The rollout facts of the finding's resource, for triage in code scanning views.
    if let Some(record) = record {
        let properties = &mut result["properties"];
        properties["exposure"] = json!(record.exposure.value.as_str());
        properties["exposureReason"] = json!(record.exposure.reason);
        properties["environment"] = json!(record.environment.value.as_str());
        properties["environmentReason"] = json!(record.environment.reason);
    }
    // `check --deployed`: where the finding's sites stand between code and deployment.
    if let Some(drift) = report
        .drift
        .as_deref()
        .zip(f.group())
        .and_then(|(drift, group)| super::drift::sarif_for_group(drift, group))
    {
        result["properties"]["drift"] = drift;
    }
    if report.baseline.is_some() {
        let state = if how == Treatment::Baselined {
            "unchanged"
        } else {
            "new"
        };
        result["baselineState"] = json!(state);
    }
    let related: Vec<Value> = f
        .origin
        .iter()
        .enumerate()
        .map(|(i, step)| {
            json!({
                "id": i,
                "physicalLocation": physical(root, &Location::of(&report.sources, step.span)),
                "message": { "text": step.note },
            })
        })
        .collect();
    if !related.is_empty() {
        result["relatedLocations"] = Value::Array(related);
    }
    if let FixStatus::Available(fix) = &f.fix {
        let mut by_file: BTreeMap<&Path, Vec<Value>> = BTreeMap::new();
        let mut edits: Vec<_> = fix.edits.iter().collect();
        // Offsets refer to the file before any edit; ascending order keeps that unambiguous.
        edits.sort_by_key(|e| (&e.path, e.start, e.end));
        for edit in edits {
            by_file.entry(&edit.path).or_default().push(json!({
                "deletedRegion": {
                    "byteOffset": edit.start,
                    "byteLength": edit.end.saturating_sub(edit.start),
                },
                "insertedContent": { "text": edit.replacement },
            }));
        }
        let changes: Vec<Value> = by_file
            .into_iter()
            .map(|(path, replacements)| {
                json!({
                    "artifactLocation": artifact(root, path),
                    "replacements": replacements,
                })
            })
            .collect();
        // SARIF has no notion of a fix's safety: a property carries it, as JSON's
        // `applicability` does (`unsafe` fixes are made only with `--unsafe-fixes`).
        result["fixes"] = json!([{
            "description": { "text": fix.description },
            "artifactChanges": changes,
            "properties": { "applicability": fix.applicability.as_str() },
        }]);
    }
    if let Some(by) = &f.suppressed {
        // `certgate.toml` exceptions live outside the scanned file; comments and metadata in it.
        let kind = if by.by == "certgate.toml" {
            "external"
        } else {
            "inSource"
        };
        let mut suppression = json!({
            "kind": kind,
            "status": "accepted",
            "location": { "physicalLocation": {
                "artifactLocation": artifact(root, &by.location.path),
                "region": { "startLine": by.location.line },
            }},
            "properties": { "by": by.by },
        });
        if let Some(reason) = &by.reason {
            suppression["justification"] = json!(reason);
        }
        if let Some(owner) = &by.owner {
            suppression["properties"]["owner"] = json!(owner);
        }
        if let Some(expires) = by.expires {
            suppression["properties"]["expires"] = json!(crate::date::format_date(expires));
        }
        result["suppressions"] = json!([suppression]);
    }
    result
}

fn notification(root: &Base, record: &ErrorRecord, level: &str) -> Value {
    json!({
        "level": level,
        "message": { "text": record.message },
        "locations": [{ "physicalLocation": {
            "artifactLocation": artifact(root, &record.path),
            "region": { "startLine": record.start.line, "startColumn": record.start.column },
        }}],
    })
}

/// Renders the report as a pretty-printed SARIF 2.1.0 log with one run and a trailing newline.
pub fn render(report: &Report) -> String {
    let findings = report.treated_findings().map(|(f, _)| f);
    let scanned = (report.resources.iter().map(|r| r.location.path.as_path()))
        .chain(findings.map(|f| f.location.path.as_path()))
        .chain(report.errors.iter().map(|e| e.path.as_path()));
    let root = Base::native(&super::srcroot::source_root(Path::new("."), scanned));
    render_in(report, &Base::cwd(), &root)
}

/// [`render`] with fingerprints relative to `cwd` and URIs relative to `root` (`%SRCROOT%`).
pub fn render_in(report: &Report, cwd: &Base, root: &Base) -> String {
    let index: BTreeMap<RuleId, usize> = RULES.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    let findings: Vec<(&Finding, Treatment)> = report.treated_findings().collect();
    // Unique across every result of the run, whatever its treatment.
    let fingerprints = super::fingerprint::fingerprints_in(cwd, findings.iter().map(|(f, _)| *f));
    let records = report.records_by_group();
    let results: Vec<Value> = findings
        .into_iter()
        .zip(&fingerprints)
        .map(|(finding, fingerprint)| {
            let record = finding.0.group().and_then(|g| records.get(&g).copied());
            result_json(root, report, &index, finding, fingerprint, record)
        })
        .collect();
    let notifications: Vec<Value> = report
        .errors
        .iter()
        .map(|e| notification(root, e, "error"))
        .chain(report.notices.iter().map(|n| notification(root, n, "note")))
        .collect();
    let taxonomies: Vec<Value> = PEERS
        .iter()
        .map(|(tool, id, site)| {
            json!({
                "name": tool,
                "informationUri": site,
                "taxa": [{ "id": id }],
            })
        })
        .collect();
    let mut driver = json!({
        "name": "certgate",
        "version": env!("CARGO_PKG_VERSION"),
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "rules": RULES.iter().map(|rule| rule_json(rule)).collect::<Vec<_>>(),
        "supportedTaxonomies": PEERS.iter().map(|(tool, _, _)| json!({ "name": tool })).collect::<Vec<_>>(),
    });
    let repository = env!("CARGO_PKG_REPOSITORY");
    if !repository.is_empty() {
        driver["informationUri"] = json!(repository);
    }
    let run = json!({
        "tool": { "driver": driver },
        "taxonomies": taxonomies,
        "invocations": [{
            "executionSuccessful": report.errors.is_empty(),
            "toolExecutionNotifications": notifications,
        }],
        "originalUriBaseIds": {
            SRCROOT: { "uri": root.uri() },
        },
        "columnKind": "unicodeCodePoints",
        "results": results,
        // The Azure Policy guardrail is about the whole scan, not one result.
        "properties": {
            "guardrail": {
                "status": report.guardrail.status().as_str(),
                "covers": report.guardrail.covered(),
            },
        },
    });
    let mut run = run;
    if let Some(drift) = &report.drift {
        run["properties"]["drift"] = super::drift::sarif_run(drift);
    }
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![run],
    };
    // Serialising a tree of `Value`s and strings cannot fail.
    let mut text = crate::quote::json_safe(serde_json::to_string_pretty(&log).unwrap_or_default());
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_slashed_and_encoded() {
        let root = Base::cwd();
        let uri = |path: &str| artifact(&root, Path::new(path))["uri"].clone();
        assert_eq!(uri("infra/main.tf"), "infra/main.tf");
        assert_eq!(uri("./a b/c:d.tf"), "a%20b/c%3Ad.tf");
        assert_eq!(uri("ü.tf"), "%C3%BC.tf");
        assert_eq!(artifact(&root, Path::new("x"))["uriBaseId"], SRCROOT);
    }

    #[test]
    fn security_severity_maps_errors_to_high_and_warnings_to_medium() {
        let score = |s: Severity| security_severity(s).parse::<f64>().expect("a number");
        assert!((7.0..9.0).contains(&score(Severity::Error)));
        assert!((4.0..7.0).contains(&score(Severity::Warning)));
    }

    #[test]
    fn help_uri_points_at_an_existing_rule_file_or_is_omitted() {
        assert_eq!(help_uri("", RuleId::ClientCertDisabled), None);
        for rule in RULES.iter() {
            let uri = help_uri("https://github.com/o/certgate/", rule.id).expect("a URL");
            let file = uri
                .strip_prefix("https://github.com/o/certgate/blob/main/")
                .expect("under the repository");
            assert!(Path::new(file).is_file(), "{file} exists for {}", rule.id);
        }
    }

    #[test]
    fn full_description_is_the_first_paragraph_of_what_it_does() {
        let docs = "## What it does\nFlags a\nthing.\n\n## Why is this bad?\nBecause.\n";
        assert_eq!(full_description(docs), "Flags a thing.");
        let exception = "# x (X)\n\nDefault severity: warning\n\nPlain\ntext.\n";
        assert_eq!(full_description(exception), "Plain text.");
        assert_eq!(docs_body(exception), "Plain\ntext.\n");
    }
}
