//! `--format gitlab`: GitLab Code Quality JSON (`artifacts:reports:codequality`).
//!
//! An array of issues `{description, check_name, fingerprint, severity, location: {path,
//! lines: {begin}}}`. Error findings are `major`, warnings `minor`, and errors that fail the
//! run `critical` (GitLab's scale is info, minor, major, critical, blocker; a missing
//! client-certificate requirement is a real weakness but not an outage, and `blocker` is left
//! unused). Suppressed and baselined findings are not listed:
//! they are accepted.
//!
//! The fingerprint is what GitLab uses to tell new issues from old ones across pipelines (and
//! it shows one issue per fingerprint), so it must not depend on lines and must differ between
//! findings: it hashes [`super::fingerprint::fingerprints`] (for a resource's finding the
//! baseline fields `rule|path|address|scenario`, path relative to the working directory,
//! `/`-separated; for an exception finding `rule|path|message`) with 64-bit FNV-1a, written
//! as 16 hex digits. FNV-1a is hand-written because it is a few lines,
//! stable forever by definition, and needs no cryptographic strength here.

use serde::Serialize;

use super::{ErrorRecord, Finding, Report};
use crate::diagnostic::Severity;
use crate::paths::base::Base;

#[derive(Serialize)]
struct Issue {
    description: String,
    check_name: String,
    fingerprint: String,
    severity: &'static str,
    location: IssueLocation,
}

#[derive(Serialize)]
struct IssueLocation {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
}

/// 64-bit FNV-1a of `text`, as 16 lowercase hex digits.
pub fn fnv1a_hex(text: &str) -> String {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let hash = text.bytes().fold(OFFSET, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(PRIME)
    });
    format!("{hash:016x}")
}

fn finding_issue(base: &Base, finding: &Finding, key: &str) -> Issue {
    let path = base.text(&finding.location.path);
    // The message already names the scenario.
    let mut description = finding.message.clone();
    if let Some(note) = &finding.note {
        description.push_str(&format!(" ({note})"));
    }
    Issue {
        description,
        check_name: finding.rule.to_string(),
        fingerprint: fnv1a_hex(key),
        severity: match finding.severity {
            Severity::Error => "major",
            Severity::Warning => "minor",
        },
        location: IssueLocation {
            path,
            lines: Lines {
                begin: finding.location.start.line,
            },
        },
    }
}

fn error_key(base: &Base, error: &ErrorRecord) -> String {
    format!("file-error|{}|{}", base.text(&error.path), error.message)
}

fn error_issue(base: &Base, error: &ErrorRecord, key: &str) -> Issue {
    let path = base.text(&error.path);
    Issue {
        description: error.message.clone(),
        check_name: "file-error".to_string(),
        fingerprint: fnv1a_hex(key),
        severity: "critical",
        location: IssueLocation {
            path,
            lines: Lines {
                begin: error.start.line,
            },
        },
    }
}

/// Renders the issues as a pretty-printed JSON array with a trailing newline.
pub fn render(report: &Report) -> String {
    render_in(report, &Base::cwd())
}

/// [`render`] with paths (and the fingerprints made of them) relative to `base`.
pub fn render_in(report: &Report, base: &Base) -> String {
    let keys = super::fingerprint::fingerprints_in(base, &report.findings);
    let error_keys =
        super::fingerprint::numbered(report.errors.iter().map(|error| error_key(base, error)));
    let issues: Vec<Issue> = report
        .findings
        .iter()
        .zip(&keys)
        .map(|(finding, key)| finding_issue(base, finding, key))
        .chain(
            report
                .errors
                .iter()
                .zip(&error_keys)
                .map(|(error, key)| error_issue(base, error, key)),
        )
        .collect();
    // Serialising plain strings and numbers cannot fail.
    let mut text =
        crate::quote::json_safe(serde_json::to_string_pretty(&issues).unwrap_or_default());
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_reference_vectors() {
        assert_eq!(fnv1a_hex(""), "cbf29ce484222325");
        assert_eq!(fnv1a_hex("a"), "af63dc4c8601ec8c");
        assert_eq!(fnv1a_hex("foobar"), "85944171f73967e8");
    }
}
