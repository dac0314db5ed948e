//! The fixer's invariants on one project: the fixed texts are exactly the originals with the
//! reported edits applied, they parse (no error the original did not have), a re-scan reports
//! none of the fixed findings and judges each fixed resource passing, and fixing the fixed
//! texts again changes nothing. Fixes are planned with `--unsafe-fixes` on, so rewritten
//! expressions are held to the same invariants as every other edit.
//!
//! The one exception to "again changes nothing" is by design: a fix whose edits overlap an
//! earlier fix's is refused with "run --fix again afterwards", so a second run may make it.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use super::workspace::{File, Project};
use super::{Outcome, check_report};
use crate::diagnostic::FixStatus;
use crate::fix::FixPlan;
use crate::load::Overrides;
use crate::paths::normalize;
use crate::report::Report;

/// A finding's identity across scans: rule, file, address and scenario (byte offsets move when
/// a file is edited; two files can declare the same address).
type Key = (&'static str, PathBuf, String, Option<String>);

/// Fixes `files` in memory and checks the fixer's invariants.
pub fn fixes(files: &[File]) -> Outcome {
    let project = Project::new(files);
    let mut before = project.scan(&Overrides::new());
    check_report(&before)?;
    let plan = plan_fixes(&project, &mut before, &Overrides::new());
    let fixed: Vec<Key> = with_status(&before, |status| matches!(status, FixStatus::Available(_)));
    if plan.files.is_empty() {
        return match fixed.first() {
            Some(key) => Err(format!("{key:?} has a fix, but no file changes")),
            None => Ok(()),
        };
    }
    check_edits(&project, &before, &plan)?;

    let fixed_texts: Overrides = plan
        .files
        .iter()
        .map(|file| (normalize(&file.path), file.fixed.clone()))
        .collect();
    let mut after = project.scan(&fixed_texts);
    check_report(&after)?;
    let known: HashSet<(&std::path::Path, &str)> = before
        .errors
        .iter()
        .map(|e| (e.path.as_path(), e.message.as_str()))
        .collect();
    if let Some(new) = after
        .errors
        .iter()
        .find(|e| !known.contains(&(e.path.as_path(), e.message.as_str())))
    {
        return Err(format!(
            "the fixed {} does not parse: {}\n--- fixed texts:\n{}",
            new.path.display(),
            new.message,
            shown(&fixed_texts)
        ));
    }
    // Two declarations with one address in one file (invalid input, such as a Bicep identifier
    // declared twice) cannot be told apart across scans: only unambiguous findings are followed.
    let mut seen = HashSet::new();
    let ambiguous: HashSet<Key> = keys(&before.findings)
        .filter(|key| !seen.insert(key.clone()))
        .collect();
    let remaining: HashSet<Key> = keys(&after.findings).collect();
    let followed = |key: &&Key| !ambiguous.contains(*key);
    if let Some(key) = fixed
        .iter()
        .filter(followed)
        .find(|key| remaining.contains(*key))
    {
        return Err(format!(
            "{key:?} is still reported after its fix\n--- fixed texts:\n{}",
            shown(&fixed_texts)
        ));
    }

    // Fixing again changes nothing, except fixes refused for overlapping an earlier one.
    let postponed: HashSet<Key> = with_status(
        &before,
        |status| matches!(status, FixStatus::Unavailable(why) if why.contains("run --fix again")),
    )
    .into_iter()
    .collect();
    let again = plan_fixes(&project, &mut after, &fixed_texts);
    let refixed = with_status(&after, |status| matches!(status, FixStatus::Available(_)));
    if let Some(key) = refixed
        .iter()
        .filter(followed)
        .find(|key| !postponed.contains(*key))
    {
        return Err(format!(
            "fixing the fixed texts again fixes {key:?}\n--- fixed texts:\n{}",
            shown(&fixed_texts)
        ));
    }
    if refixed.is_empty() && !again.files.is_empty() {
        return Err("fixing the fixed texts again changes them, but fixes nothing".into());
    }
    Ok(())
}

/// Plans the fixes of `report`, checking them by scanning `project` with `base` and each
/// trial's texts over it (as `certgate --fix` re-scans the fixed files in place).
fn plan_fixes(project: &Project, report: &mut Report, base: &Overrides) -> FixPlan {
    let check = |trial: &Overrides| {
        let mut overrides = base.clone();
        overrides.extend(trial.iter().map(|(k, v)| (normalize(k), v.clone())));
        project.scan(&overrides)
    };
    crate::fix::plan(report, std::slice::from_ref(&project.dir), true, &check)
}

/// Each fixed file is its original with exactly the reported edits applied.
fn check_edits(project: &Project, report: &Report, plan: &FixPlan) -> Outcome {
    let mut edits: BTreeMap<_, Vec<_>> = BTreeMap::new();
    for finding in &report.findings {
        if let FixStatus::Available(fix) = &finding.fix {
            for edit in &fix.edits {
                edits
                    .entry(normalize(&edit.path))
                    .or_default()
                    .push((edit.start..edit.end, edit.replacement.clone()));
            }
        }
    }
    for file in &plan.files {
        let path = normalize(&file.path);
        let original = project.overrides.get(&path).map(String::as_str);
        if original != Some(file.original.as_str()) {
            return Err(format!(
                "{} was fixed from a text it does not hold",
                path.display()
            ));
        }
        let mut mine = edits.remove(&path).unwrap_or_default();
        // Several findings can share one edit (one literal that both read).
        mine.sort_by(|a, b| (a.0.start, a.0.end, &a.1).cmp(&(b.0.start, b.0.end, &b.1)));
        mine.dedup();
        match crate::fix::apply(&file.original, &mine) {
            Ok(text) if text == file.fixed => {}
            Ok(text) => {
                return Err(format!(
                    "{}: the reported edits give\n{text}\nbut the fix writes\n{}",
                    path.display(),
                    file.fixed
                ));
            }
            Err(why) => return Err(format!("{}: the edits do not apply: {why}", path.display())),
        }
    }
    match edits.keys().next() {
        Some(path) => Err(format!(
            "edits for {} that no fixed file has",
            path.display()
        )),
        None => Ok(()),
    }
}

fn keys(findings: &[crate::report::Finding]) -> impl Iterator<Item = Key> + '_ {
    findings.iter().map(|f| {
        let path = f.location.path.clone();
        (f.rule.as_str(), path, f.address.clone(), f.scenario.clone())
    })
}

fn with_status(report: &Report, wanted: impl Fn(&FixStatus) -> bool) -> Vec<Key> {
    keys(&report.findings)
        .zip(&report.findings)
        .filter(|(_, finding)| wanted(&finding.fix))
        .map(|(key, _)| key)
        .collect()
}

fn shown(texts: &Overrides) -> String {
    texts
        .iter()
        .map(|(path, text)| format!("=== {}\n{text}", path.display()))
        .collect()
}
