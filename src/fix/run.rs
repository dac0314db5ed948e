//! Fix orchestration: plan a report's fixes, write them (`--fix`), or show them (`--diff`).
//!
//! The fixer scans through [`Rescan`], which the scan layer implements (`scan::Session`), so
//! `fix` never imports `scan`: the layers point one way, and a test can count the scans.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::FixPlan;
use crate::diagnostic::{Applicability, Fix, FixStatus, UNSAFE_FIXES_FLAG, hidden_unsafe};
use crate::fs::root::ProjectRoot;
use crate::load::Overrides;
use crate::report::{ErrorRecord, Finding, Fixed, Report};
use crate::source::LineCol;

/// How the fixer scans the project it fixes.
pub trait Rescan {
    /// The scanned paths: fixes edit only files under them.
    fn paths(&self) -> &[PathBuf];
    /// The project root the scan reads inside, and so the one `--fix` writes inside.
    fn root(&self) -> ProjectRoot;
    /// Scans the files as they are now (on disk and in buffers); later [`Rescan::rescan`]s
    /// build on this scan.
    fn scan(&mut self) -> Report;
    /// Scans again with `fixed` texts over the contents the last scan read (re-reading only
    /// the files they change): how a planned fix is checked before it is written.
    fn rescan(&self, fixed: &Overrides) -> Report;
}

/// What the user allows the fixer to do.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// `--unsafe-fixes`: planned fixes may replace an expression with a literal.
    pub unsafe_fixes: bool,
}

/// Picks the findings of the scan before fixing that may be fixed (indexes into its
/// `findings`): `--fix --batch K`, `--fix --root-causes`. `None`: every finding.
pub type Select<'a> = Option<&'a dyn Fn(&Report) -> HashSet<usize>>;

/// Plans `report`'s fixes (setting each finding's `fix`), checking them by re-scanning with
/// the fixed texts. `report` is the last scan of `rescan`.
pub fn plan_fixes(report: &mut Report, rescan: &dyn Rescan, options: Options) -> FixPlan {
    let check = |fixed: &Overrides| rescan.rescan(fixed);
    super::plan(report, rescan.paths(), options.unsafe_fixes, &check)
}

/// [`plan_fixes`] for the findings `select` picks only; the others keep no fix. A literal the
/// picked findings share with a left-out one is refused as for any shared literal.
pub fn plan_selected(
    report: &mut Report,
    rescan: &dyn Rescan,
    options: Options,
    select: Select,
) -> FixPlan {
    let Some(select) = select else {
        return plan_fixes(report, rescan, options);
    };
    let mut chosen = select(report);
    let refused = sharing_with_left_out(report, rescan, options, &chosen);
    chosen.retain(|i| !refused.contains_key(i));
    let (picked, left): (Vec<_>, Vec<_>) = std::mem::take(&mut report.findings)
        .into_iter()
        .enumerate()
        .partition(|(i, _)| chosen.contains(i));
    let order: Vec<usize> = picked.iter().map(|(i, _)| *i).collect();
    report.findings = picked.into_iter().map(|(_, f)| f).collect();
    let plan = plan_fixes(report, rescan, options);
    let planned = std::mem::take(&mut report.findings);
    let mut all: Vec<(usize, Finding)> = order.into_iter().zip(planned).chain(left).collect();
    all.sort_by_key(|(i, _)| *i);
    report.findings = all.into_iter().map(|(_, f)| f).collect();
    for (i, why) in refused {
        report.findings[i].fix = FixStatus::Unavailable(why);
    }
    plan
}

/// The picked findings whose fix would also change a finding left out of the selection, with
/// the reason: two scenarios or instances of one declaration share its text (a literal written
/// at the attribute, a missing attribute), so fixing the production one would also fix the
/// development one, which belongs to another batch. Found by planning every finding's fix once
/// and comparing the edits; the findings' fixes are left as they were.
fn sharing_with_left_out(
    report: &mut Report,
    rescan: &dyn Rescan,
    options: Options,
    chosen: &HashSet<usize>,
) -> HashMap<usize, String> {
    let mut refused = HashMap::new();
    if chosen.len() == report.findings.len() {
        return refused;
    }
    let before: Vec<FixStatus> = report.findings.iter().map(|f| f.fix.clone()).collect();
    plan_fixes(report, rescan, options);
    let fixes: Vec<(usize, usize, &Fix)> = report
        .findings
        .iter()
        .enumerate()
        .filter_map(|(i, f)| match &f.fix {
            FixStatus::Available(fix) => Some((i, usize::from(chosen.contains(&i)), fix)),
            _ => None,
        })
        .collect();
    for (i, other) in crate::diagnostic::shared_edits(&fixes) {
        if chosen.contains(&i) {
            let finding = &report.findings[other];
            let scenario = finding
                .scenario
                .as_ref()
                .map_or(String::new(), |s| format!(" [scenario {s}]"));
            refused.insert(
                i,
                format!(
                    "its fix also changes `{}`{scenario}, which is not selected (another batch, \
                     or a root cause): fix both with `certgate check --fix`, or by hand",
                    finding.address
                ),
            );
        }
    }
    for (finding, fix) in report.findings.iter_mut().zip(before) {
        finding.fix = fix;
    }
    refused
}

/// `check --fix`: plans and writes the fixes, then scans again. The returned report is what
/// remains, with the fixes made in `fixed` and files that could not be written as errors.
pub fn fix(rescan: &mut dyn Rescan, options: Options) -> Report {
    fix_selected(rescan, options, None)
}

/// [`fix`] of the findings `select` picks only (the others are reported as they are).
pub fn fix_selected(rescan: &mut dyn Rescan, options: Options, select: Select) -> Report {
    let started = std::time::SystemTime::now();
    let mut before = rescan.scan();
    let root = rescan.root();
    remove_stale_temporaries(&before, &root, started);
    let plan = plan_selected(&mut before, rescan, options, select);
    let mut failed = Vec::new();
    for (path, why) in &plan.blocked {
        failed.push((
            path.clone(),
            format!("cannot fix: {why}; the file is unchanged"),
        ));
    }
    for file in &plan.files {
        if let Err(why) = super::write::write_fix(
            &file.path,
            file.original.as_bytes(),
            file.fixed.as_bytes(),
            Some(&root),
        ) {
            failed.push((
                file.path.clone(),
                format!("cannot write the fix: {why}; the file is unchanged"),
            ));
        }
    }
    let mut after = rescan.scan();
    let not_written: HashSet<&PathBuf> = failed.iter().map(|(path, _)| path).collect();
    let fixed = before
        .findings
        .iter()
        .filter_map(|finding| match &finding.fix {
            FixStatus::Available(fix)
                if fix.edits.iter().all(|e| !not_written.contains(&e.path)) =>
            {
                Some(Fixed {
                    rule: finding.rule,
                    address: finding.address.clone(),
                    scenario: finding.scenario.clone(),
                    location: finding.location.clone(),
                    fix: fix.clone(),
                })
            }
            _ => None,
        })
        .collect();
    after.fixed = Some(fixed);
    keep_reasons(&before, &mut after);
    for (path, message) in failed {
        after.errors.push(ErrorRecord {
            path,
            span: None,
            start: LineCol { line: 1, column: 1 },
            message,
        });
    }
    after.sort();
    after
}

/// A finding's identity across the scans before and after writing fixes (offsets move).
fn identity(finding: &Finding) -> impl std::hash::Hash + Eq + '_ {
    (
        &finding.rule,
        &finding.address,
        &finding.scenario,
        &finding.location.path,
    )
}

/// What remains after `--fix` keeps the reason it was not fixed: the first reason `before`
/// gave a finding with the same identity (one lookup per finding, not a search).
fn keep_reasons(before: &Report, after: &mut Report) {
    let kept: Vec<Option<String>> = {
        let mut reasons = HashMap::new();
        for old in &before.findings {
            if let FixStatus::Unavailable(why) = &old.fix {
                reasons.entry(identity(old)).or_insert(why);
            }
        }
        after
            .findings
            .iter()
            .map(|finding| reasons.get(&identity(finding)).map(|why| (*why).clone()))
            .collect()
    };
    for (finding, why) in after.findings.iter_mut().zip(kept) {
        if let Some(why) = why {
            finding.fix = FixStatus::Unavailable(why);
        }
    }
}

/// Removes the temporary files that killed `--fix` runs left next to the scanned files (the
/// only places a fix writes), inside the project root.
fn remove_stale_temporaries(report: &Report, root: &ProjectRoot, started: std::time::SystemTime) {
    let dirs: std::collections::BTreeSet<PathBuf> = (0..report.sources.len())
        .map(|id| report.sources.get(id).path().to_path_buf())
        .filter(|path| !path.to_string_lossy().starts_with('<'))
        .filter_map(|path| path.parent().map(Path::to_path_buf))
        .collect();
    for dir in dirs.iter().filter(|dir| root.contains(dir)) {
        super::write::remove_stale(dir, started);
    }
}

/// `check --diff`: the unified diff of what `--fix` would write, and the report before fixing
/// (with each finding's fix planned).
pub fn diff(rescan: &mut dyn Rescan, options: Options) -> (String, Report) {
    diff_selected(rescan, options, None)
}

/// [`diff`] of the findings `select` picks only.
pub fn diff_selected(
    rescan: &mut dyn Rescan,
    options: Options,
    select: Select,
) -> (String, Report) {
    let mut report = rescan.scan();
    let plan = plan_selected(&mut report, rescan, options, select);
    let text = plan
        .files
        .iter()
        .map(|file| super::diff::unified(&file.path, &file.original, &file.fixed))
        .collect();
    (text, report)
}

/// The lines `--diff` prints on stderr: what would be fixed and what would not. Unsafe fixes
/// are listed (they are in the diff only with `--unsafe-fixes`); without the option, the
/// first line counts the hidden ones, as ruff does.
pub fn diff_summary(report: &Report, options: Options) -> String {
    let fixes: Vec<(&Finding, &Fix)> = report
        .findings
        .iter()
        .filter_map(|f| match &f.fix {
            FixStatus::Available(fix) => Some((f, fix)),
            _ => None,
        })
        .collect();
    let mut files: Vec<&PathBuf> = fixes
        .iter()
        .flat_map(|(_, fix)| fix.edits.iter().map(|e| &e.path))
        .collect();
    files.sort();
    files.dedup();
    let unsafe_count = fixes
        .iter()
        .filter(|(_, fix)| fix.applicability == Applicability::Unsafe)
        .count();
    let mut line = format!(
        "certgate: --fix{} would fix {} of {}{} in {}",
        if options.unsafe_fixes {
            " --unsafe-fixes"
        } else {
            ""
        },
        fixes.len(),
        plural(report.findings.len(), "finding"),
        if unsafe_count > 0 {
            format!(" ({unsafe_count} unsafe)")
        } else {
            String::new()
        },
        plural(files.len(), "file")
    );
    let hidden = report
        .findings
        .iter()
        .filter(|f| hidden_unsafe(&f.fix))
        .count();
    if hidden > 0 {
        let fixes = if hidden == 1 { "fix" } else { "fixes" };
        line.push_str(&format!(
            " ({hidden} hidden {fixes} can be enabled with {UNSAFE_FIXES_FLAG})"
        ));
    }
    for (finding, fix) in &fixes {
        if fix.applicability == Applicability::Unsafe {
            line.push_str(&format!(
                "\n  unsafe fix: {} `{}`: {}",
                finding.rule, finding.address, fix.description
            ));
        }
    }
    for finding in &report.findings {
        if let FixStatus::Unavailable(why) = &finding.fix {
            line.push_str(&format!(
                "\n  not fixable: {} `{}`: {why}",
                finding.rule, finding.address
            ));
        }
    }
    line
}

/// `1 file`, `2 files`.
fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;
    use crate::scan::{Session, Settings};

    /// A [`Rescan`] that counts what the fixer asks of the real one.
    struct Counting {
        inner: Session,
        scans: usize,
        rescans: Cell<usize>,
    }

    impl Rescan for Counting {
        fn paths(&self) -> &[PathBuf] {
            self.inner.paths()
        }
        fn root(&self) -> ProjectRoot {
            self.inner.root()
        }
        fn scan(&mut self) -> Report {
            self.scans += 1;
            self.inner.scan()
        }
        fn rescan(&self, fixed: &Overrides) -> Report {
            self.rescans.set(self.rescans.get() + 1);
            self.inner.rescan(fixed)
        }
    }

    fn counting(dir: &Path) -> Counting {
        std::fs::write(
            dir.join("main.tf"),
            "resource \"azurerm_linux_web_app\" \"w\" {\n  client_certificate_enabled = false\n}\n",
        )
        .unwrap();
        let paths = vec![crate::paths::normalize(dir)];
        Counting {
            inner: Session::new(paths, Settings::default()),
            scans: 0,
            rescans: Cell::new(0),
        }
    }

    #[test]
    fn fix_scans_before_and_after_and_checks_its_trials_by_rescanning() {
        let dir = tempfile::tempdir().unwrap();
        let mut rescan = counting(dir.path());
        let report = fix(&mut rescan, Options::default());
        assert_eq!(report.fixed.as_ref().map(Vec::len), Some(1));
        assert!(report.findings.is_empty());
        // The trial goes through `rescan` (reusing the first scan), never a fresh scan.
        assert_eq!((rescan.scans, rescan.rescans.get()), (2, 1));
    }

    #[test]
    fn diff_scans_once_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut rescan = counting(dir.path());
        let before = std::fs::read_to_string(dir.path().join("main.tf")).unwrap();
        let (text, report) = diff(&mut rescan, Options::default());
        assert!(
            text.contains("+  client_certificate_enabled = true"),
            "{text}"
        );
        assert!(matches!(report.findings[0].fix, FixStatus::Available(_)));
        assert_eq!((rescan.scans, rescan.rescans.get()), (1, 1));
        let after = std::fs::read_to_string(dir.path().join("main.tf")).unwrap();
        assert_eq!(before, after);
    }
}
