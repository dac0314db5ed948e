//! Judges a trial: the scan of the fixed texts against the scan before fixing. Every fixed
//! resource must pass (or be left only with exclusion paths, which no fix changes), and nothing
//! may get worse: no new parse error, no resource with a worse verdict, none appearing or
//! disappearing.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use crate::diagnostic::Severity;
use crate::report::Report;

/// A resource's identity across scans: where its header is, its address and scenario. Byte
/// offsets move when a file is edited, so they are not part of it.
pub type Key = (PathBuf, String, Option<String>);

/// Verdicts a fixed resource may have afterwards.
const ACCEPTED_AFTER: &[&str] = &["pass", "client-cert-exclusion-paths"];

fn rank(severity: Option<Severity>) -> u8 {
    match severity {
        None => 0,
        Some(Severity::Warning) => 1,
        Some(Severity::Error) => 2,
    }
}

fn verdicts(report: &Report) -> HashMap<Key, (&'static str, Option<Severity>)> {
    report
        .resources
        .iter()
        .map(|r| {
            (
                (
                    r.location.path.clone(),
                    r.address.clone(),
                    r.scenario.clone(),
                ),
                (r.verdict, r.severity),
            )
        })
        .collect()
}

/// `Ok` when the trial is acceptable; else why not.
pub fn judge(before: &Report, after: &Report, fixed: &[Key]) -> Result<(), String> {
    let known: HashSet<(&PathBuf, &String)> = before
        .errors
        .iter()
        .map(|e| (&e.path, &e.message))
        .collect();
    if let Some(new) = after
        .errors
        .iter()
        .find(|e| !known.contains(&(&e.path, &e.message)))
    {
        return Err(format!(
            "the fixed {} would not be valid: {}",
            crate::paths::path_text(&new.path),
            new.message
        ));
    }
    let old = verdicts(before);
    let new = verdicts(after);
    for key in fixed {
        match new.get(key) {
            Some((verdict, _)) if ACCEPTED_AFTER.contains(verdict) => {}
            Some((verdict, _)) => {
                return Err(format!(
                    "after the fix `{}` would still be {verdict}",
                    key.1
                ));
            }
            None => {
                return Err(format!(
                    "after the fix `{}` would no longer be found",
                    key.1
                ));
            }
        }
    }
    let mut keys: Vec<&Key> = old.keys().chain(new.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        match (old.get(key), new.get(key)) {
            (Some((_, was)), Some((verdict, now))) if rank(*now) > rank(*was) => {
                return Err(format!("the fix would make `{}` {verdict}", key.1));
            }
            (Some(_), None) => {
                return Err(format!("the fix would make `{}` disappear", key.1));
            }
            (None, Some(_)) => {
                return Err(format!("the fix would add a resource `{}`", key.1));
            }
            _ => {}
        }
    }
    Ok(())
}
