//! Fingerprints that tell findings apart across runs (SARIF `partialFingerprints`, GitLab's
//! `fingerprint`): unique within a report, and independent of line numbers where possible.

use std::collections::HashMap;

use super::Finding;
use crate::paths::base::Base;

/// The identity of one finding, before duplicates are numbered: a resource's finding is the
/// baseline's fields `rule|path|address|scenario` (so moved lines keep it); an exception
/// finding has no address, so its message, which names the exception and its problem, stands
/// in for it.
fn identity(base: &Base, finding: &Finding) -> String {
    let path = base.text(&finding.location.path);
    if finding.is_about_an_exception() {
        format!("{}|{path}|{}", finding.rule, finding.message)
    } else {
        format!(
            "{}|{path}|{}|{}",
            finding.rule,
            finding.address,
            finding.scenario.as_deref().unwrap_or("")
        )
    }
}

/// One fingerprint per finding, in order. The second and later findings with the same
/// identity (two identical malformed exceptions in one file, a name declared twice) get
/// `|2`, `|3`, … in list order, which is the report's (path, line, column) order.
pub fn fingerprints<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Vec<String> {
    fingerprints_in(&Base::cwd(), findings)
}

/// [`fingerprints`] with paths relative to `base` rather than the working directory.
pub fn fingerprints_in<'a>(
    base: &Base,
    findings: impl IntoIterator<Item = &'a Finding>,
) -> Vec<String> {
    numbered(findings.into_iter().map(|finding| identity(base, finding)))
}

/// `keys` with the second and later copies of each key suffixed `|2`, `|3`, …: all distinct.
pub fn numbered(keys: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    keys.into_iter()
        .map(|key| {
            let count = seen.entry(key.clone()).or_insert(0);
            *count += 1;
            if *count == 1 {
                key
            } else {
                format!("{key}|{count}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_keeps_first_keys_and_numbers_repeats() {
        let keys = ["a", "b", "a", "a"].map(String::from);
        assert_eq!(numbered(keys), ["a", "b", "a|2", "a|3"]);
    }
}
