//! Plans every finding's fix for one report: computes candidates, refuses those that cannot be
//! applied safely, checks the rest by re-scanning the fixed texts, and records each finding's
//! [`FixStatus`].
//!
//! Checking: all fixes are tried together first (one extra scan). If that trial fails, the
//! fixes are split in halves, in order: a half whose trial (with the fixes already accepted)
//! passes is accepted whole, one that fails is split again, down to single fixes. A fix is
//! refused with the reason of the trial of itself plus the fixes accepted before it, as if
//! each fix had been tried on its own in order, but one bad fix among N costs about
//! 2·log2(N) trials instead of N (each trial is a scan). The results are those of trying one
//! fix at a time whenever fixes that pass together also pass in part, which holds unless one
//! fix repairs what another breaks (then both are kept).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::apply::{apply, overlaps};
use super::resource::{self, Candidate, Ctx, FileEdit};
use super::validate::{self, Key};
use super::write;
use crate::diagnostic::{Edit, Fix, FixStatus};
use crate::load::Overrides;
use crate::lock::lock;
use crate::paths::normalize;
use crate::report::Report;
use crate::source::{FileId, Span};

/// One file's text before and after the planned fixes (as on disk, byte order mark included).
#[derive(Debug, Clone, PartialEq)]
pub struct FileFix {
    pub path: PathBuf,
    pub original: String,
    pub fixed: String,
}

/// The checked fixes of a report, per file.
#[derive(Debug, Default)]
pub struct FixPlan {
    pub files: Vec<FileFix>,
    /// Files a fix needed that cannot be written (read-only, …), with why.
    pub blocked: Vec<(PathBuf, String)>,
    /// How many trial scans checking the fixes took (tests bound it).
    pub trials: usize,
}

const BOM: &str = "\u{feff}";

/// Plans the fixes for `report`'s findings and sets each finding's `fix`. `roots` are the
/// scanned paths (only files under them are edited); `unsafe_fixes` also plans fixes that
/// replace an expression with a literal; `check` scans with contents overridden.
pub fn plan(
    report: &mut Report,
    roots: &[PathBuf],
    unsafe_fixes: bool,
    check: &dyn Fn(&Overrides) -> Report,
) -> FixPlan {
    let (statuses, files, blocked, trials) = {
        let report = &*report;
        let mut planner = Planner::new(report, roots);
        planner.unsafe_fixes = unsafe_fixes;
        let (statuses, files) = planner.run(check);
        let blocked = (planner.blocked.into_inner())
            .unwrap_or_else(|p| p.into_inner())
            .into_iter()
            .collect();
        (statuses, files, blocked, planner.trials.into_inner())
    };
    for (finding, status) in report.findings.iter_mut().zip(statuses) {
        finding.fix = status;
    }
    FixPlan {
        files,
        blocked,
        trials,
    }
}

struct Planner<'a> {
    report: &'a Report,
    dirs: Vec<PathBuf>,
    /// The files with an error (a parse error, a name declared twice), with the first one.
    failed_to_parse: HashMap<PathBuf, String>,
    /// Behind locks: candidates are computed on the workers.
    editable: Mutex<HashMap<FileId, Result<(), String>>>,
    blocked: Mutex<BTreeMap<PathBuf, String>>,
    unsafe_fixes: bool,
    trials: AtomicUsize,
}

impl<'a> Planner<'a> {
    fn new(report: &'a Report, roots: &[PathBuf]) -> Self {
        Planner {
            report,
            dirs: roots.iter().map(|root| scanned_dir(root)).collect(),
            failed_to_parse: report
                .errors
                .iter()
                .rev()
                .map(|e| (normalize(&e.path), e.message.clone()))
                .collect(),
            editable: Mutex::default(),
            blocked: Mutex::default(),
            unsafe_fixes: false,
            trials: AtomicUsize::new(0),
        }
    }

    /// Whether a fix may edit `file`: a real file under the scanned paths that parsed and can
    /// be written.
    fn editable(&self, file: FileId) -> Result<(), String> {
        if let Some(known) = lock(&self.editable).get(&file) {
            return known.clone();
        }
        let source = self.report.sources.get(file);
        let path = source.path();
        let shown = crate::paths::path_text(path);
        let verdict = if path.to_string_lossy().starts_with('<') {
            Err(format!("{shown} is not a file"))
        } else if !self.dirs.iter().any(|dir| inside(path, dir)) {
            Err(format!("{shown} is outside the scanned paths"))
        } else if let Some(error) = self.failed_to_parse.get(&normalize(path)) {
            // The real reason: a file that parsed can still have an error (a name declared
            // twice), and the fix must wait until it is corrected.
            Err(format!(
                "{shown} has an error to correct first: {}",
                crate::quote::clip(error)
            ))
        } else if path.symlink_metadata().is_err() {
            // Scanned, yet not on disk: an editor's buffer for a new file. Its fix is an edit
            // of the buffer (`--diff`, the language server); nothing writes a buffer to disk.
            Ok(())
        } else {
            write::preflight(path).map(|_| ()).map_err(|why| {
                lock(&self.blocked).insert(path.to_path_buf(), why.clone());
                format!("{shown} cannot be written: {why}")
            })
        };
        lock(&self.editable).insert(file, verdict.clone());
        verdict
    }

    fn run(&self, check: &dyn Fn(&Overrides) -> Report) -> (Vec<FixStatus>, Vec<FileFix>) {
        let findings = &self.report.findings;
        let mut statuses = vec![FixStatus::None; findings.len()];
        let editable = |file| self.editable(file);
        let ctx = Ctx {
            sources: &self.report.sources,
            editable: &editable,
            unsafe_fixes: self.unsafe_fixes,
        };
        // Each alone, on the workers: checking that a file can be written asks the file
        // system several times, once per file.
        let computed: Vec<(usize, Result<Option<Candidate>, String>)> = (findings.par_iter())
            .enumerate()
            .filter_map(|(i, finding)| {
                // Exception findings have no declaration to edit.
                let group = finding.group().and_then(|g| self.report.groups.get(g))?;
                Some((i, resource::candidate(&ctx, group, finding.rule)))
            })
            .collect();
        let mut candidates = Vec::new();
        for (i, computed) in computed {
            match computed {
                Ok(Some(candidate)) => candidates.push((i, candidate)),
                Ok(None) => {}
                Err(why) => statuses[i] = FixStatus::Unavailable(why),
            }
        }
        let candidates = self.shared_origins(candidates, &mut statuses);
        let candidates = self.without_conflicts(candidates, &mut statuses);
        let accepted = self.checked(candidates, check, &mut statuses);
        let files = match self.texts(&accepted) {
            Ok(texts) => self.file_fixes(texts),
            // Unreachable after a passing trial; keep every file untouched if it happens.
            Err(_) => Vec::new(),
        };
        for (i, candidate) in accepted {
            statuses[i] = FixStatus::Available(self.public_fix(candidate));
        }
        (statuses, files)
    }

    /// Refuses fixes that change a literal another resource also reads, unless every reader
    /// has a fix making the same change.
    fn shared_origins(
        &self,
        candidates: Vec<(usize, Candidate)>,
        statuses: &mut [FixStatus],
    ) -> Vec<(usize, Candidate)> {
        let changed: HashSet<Span> = candidates
            .iter()
            .flat_map(|(_, c)| c.origins.iter().map(|(span, ..)| *span))
            .collect();
        if changed.is_empty() {
            return candidates;
        }
        let mut readers: HashMap<Span, HashSet<usize>> = HashMap::new();
        for (g, group) in self.report.groups.iter().enumerate() {
            for resource in group {
                let values = [&resource.enabled, &resource.mode, &resource.exclusion_paths];
                for value in values.into_iter().flatten() {
                    for step in value.origin.iter().filter(|s| changed.contains(&s.span)) {
                        readers.entry(step.span).or_default().insert(g);
                    }
                }
            }
        }
        let mut wanted: HashMap<usize, Vec<(Span, &str)>> = HashMap::new();
        for (i, candidate) in &candidates {
            let Some(group) = self.report.findings[*i].group() else {
                continue;
            };
            let changes = candidate
                .origins
                .iter()
                .map(|(span, new, _)| (*span, new.as_str()));
            wanted.entry(group).or_default().extend(changes);
        }
        let mut kept = Vec::new();
        'candidates: for (i, candidate) in candidates.iter() {
            for (span, new, place) in &candidate.origins {
                let change = (*span, new.as_str());
                let mut others: Vec<usize> = readers
                    .get(span)
                    .into_iter()
                    .flatten()
                    .copied()
                    .filter(|g| !wanted.get(g).is_some_and(|w| w.contains(&change)))
                    .collect();
                others.sort();
                if let Some(&other) = others.first() {
                    let address = self.report.groups[other]
                        .first()
                        .map_or("", |r| r.address.as_str());
                    statuses[*i] = FixStatus::Unavailable(format!(
                        "the value comes from {place}, which `{address}` also reads: changing \
                         it there would change that resource too, so change it by hand"
                    ));
                    continue 'candidates;
                }
            }
            kept.push((*i, candidate.clone()));
        }
        kept
    }

    /// Refuses a fix whose edits overlap an earlier fix's (identical edits are shared).
    fn without_conflicts(
        &self,
        candidates: Vec<(usize, Candidate)>,
        statuses: &mut [FixStatus],
    ) -> Vec<(usize, Candidate)> {
        // The edits taken so far, per file by start offset, with the order they were taken
        // in: a clash is looked for among the few edits that can reach the new one, not
        // among every edit taken (a minified file can hold 100 000 fixes).
        let mut taken: HashMap<FileId, Taken> = HashMap::new();
        let mut order = 0;
        let mut kept: Vec<(usize, Candidate)> = Vec::new();
        for (i, candidate) in &candidates {
            let clash = candidate.edits.iter().find_map(|edit| {
                taken
                    .get(&edit.file)
                    .and_then(|file| file.first_overlap(edit))
            });
            match clash {
                Some(owner) => {
                    statuses[*i] = FixStatus::Unavailable(format!(
                        "its edits overlap those of the fix for `{}`; run --fix again afterwards",
                        self.report.findings[owner].address
                    ));
                }
                None => {
                    for edit in &candidate.edits {
                        taken.entry(edit.file).or_default().add(edit, order, *i);
                        order += 1;
                    }
                    kept.push((*i, candidate.clone()));
                }
            }
        }
        kept
    }

    /// Keeps the fixes whose trial scans pass (all together when possible).
    fn checked(
        &self,
        candidates: Vec<(usize, Candidate)>,
        check: &dyn Fn(&Overrides) -> Report,
        statuses: &mut [FixStatus],
    ) -> Vec<(usize, Candidate)> {
        let mut accepted: Vec<(usize, Candidate)> = Vec::new();
        self.settle(&mut accepted, candidates, None, check, statuses);
        accepted
    }

    /// Adds to `accepted` the fixes of `batch` that `accepted` plus themselves pass with, in
    /// order. `failed` is the reason when the trial of `accepted` plus all of `batch` is
    /// already known to fail.
    fn settle(
        &self,
        accepted: &mut Vec<(usize, Candidate)>,
        mut batch: Vec<(usize, Candidate)>,
        failed: Option<String>,
        check: &dyn Fn(&Overrides) -> Report,
        statuses: &mut [FixStatus],
    ) {
        if batch.is_empty() {
            return;
        }
        let why = match failed {
            Some(why) => why,
            None => {
                let before = accepted.len();
                accepted.extend(batch.iter().cloned());
                match self.trial(accepted, check) {
                    Ok(()) => return,
                    Err(why) => {
                        accepted.truncate(before);
                        why
                    }
                }
            }
        };
        if batch.len() == 1 {
            statuses[batch[0].0] = FixStatus::Unavailable(format!("not fixed: {why}"));
            return;
        }
        let second = batch.split_off(batch.len() / 2);
        let (before, first) = (accepted.len(), batch.len());
        self.settle(accepted, batch, None, check, statuses);
        // When the whole first half went in, the trial of what is accepted now plus the second
        // half is the one that just failed: its reason stands without another scan.
        let known = (accepted.len() - before == first).then_some(why);
        self.settle(accepted, second, known, check, statuses);
    }

    fn trial(
        &self,
        set: &[(usize, Candidate)],
        check: &dyn Fn(&Overrides) -> Report,
    ) -> Result<(), String> {
        self.trials.fetch_add(1, Ordering::Relaxed);
        let texts = self.texts(set)?;
        let overrides: Overrides = texts
            .into_iter()
            .map(|(file, text)| {
                let source = self.report.sources.get(file);
                let bom = if source.has_bom() { BOM } else { "" };
                (normalize(source.path()), format!("{bom}{text}"))
            })
            .collect();
        let after = check(&overrides);
        let keys: Vec<Key> = set.iter().map(|(i, _)| self.key(*i)).collect();
        validate::judge(self.report, &after, &keys)
    }

    /// Each edited file's fixed text (without its byte order mark).
    fn texts(&self, set: &[(usize, Candidate)]) -> Result<BTreeMap<FileId, String>, String> {
        let mut per_file: BTreeMap<FileId, Vec<(std::ops::Range<usize>, String)>> = BTreeMap::new();
        for (_, candidate) in set {
            for edit in &candidate.edits {
                per_file
                    .entry(edit.file)
                    .or_default()
                    .push((edit.start..edit.end, edit.replacement.clone()));
            }
        }
        per_file
            .into_iter()
            .map(|(file, edits)| {
                let source = self.report.sources.get(file);
                apply(source.text(), &edits).map(|text| (file, text))
            })
            .collect()
    }

    fn file_fixes(&self, texts: BTreeMap<FileId, String>) -> Vec<FileFix> {
        let mut files: Vec<FileFix> = texts
            .into_iter()
            .map(|(file, fixed)| {
                let source = self.report.sources.get(file);
                let bom = if source.has_bom() { BOM } else { "" };
                FileFix {
                    path: source.path().to_path_buf(),
                    original: format!("{bom}{}", source.text()),
                    fixed: format!("{bom}{fixed}"),
                }
            })
            .collect();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }

    fn public_fix(&self, candidate: Candidate) -> Fix {
        let mut edits: Vec<Edit> = candidate
            .edits
            .into_iter()
            .map(|edit| {
                let source = self.report.sources.get(edit.file);
                let shift = if source.has_bom() { BOM.len() } else { 0 };
                Edit {
                    path: source.path().to_path_buf(),
                    start: edit.start + shift,
                    end: edit.end + shift,
                    replacement: edit.replacement,
                }
            })
            .collect();
        edits.sort();
        Fix {
            applicability: candidate.applicability,
            description: candidate.description,
            edits,
        }
    }

    /// The identity of finding `i`'s resource, as the trial scan will name it.
    fn key(&self, i: usize) -> Key {
        let finding = &self.report.findings[i];
        let path = finding
            .group()
            .and_then(|g| self.report.groups.get(g))
            .and_then(|group| group.first())
            .map_or_else(PathBuf::new, |r| {
                self.report.sources.get(r.header.file).path().to_path_buf()
            });
        (path, finding.address.clone(), finding.scenario.clone())
    }
}

/// An edit taken by an earlier fix: its range, replacement, place in the order edits were
/// taken, and the finding whose fix it belongs to.
type TakenEdit = (Range<usize>, String, usize, usize);

/// One file's edits taken by earlier fixes, by start offset.
#[derive(Default)]
struct Taken {
    by_start: BTreeMap<usize, Vec<TakenEdit>>,
    /// The longest taken range: no edit starting further back can reach a new one.
    longest: usize,
}

impl Taken {
    fn add(&mut self, edit: &FileEdit, order: usize, owner: usize) {
        self.longest = self.longest.max(edit.end - edit.start);
        self.by_start.entry(edit.start).or_default().push((
            edit.start..edit.end,
            edit.replacement.clone(),
            order,
            owner,
        ));
    }

    /// The owner of the earliest taken edit that overlaps `edit`.
    fn first_overlap(&self, edit: &FileEdit) -> Option<usize> {
        let range = edit.start..edit.end;
        let from = edit.start.saturating_sub(self.longest);
        self.by_start
            .range(from..=edit.end)
            .flat_map(|(_, edits)| edits)
            .filter(|(taken, replacement, ..)| {
                overlaps((&range, &edit.replacement), (taken, replacement))
            })
            .min_by_key(|(_, _, order, _)| *order)
            .map(|(.., owner)| *owner)
    }
}

/// The directory a scanned path stands for: a file's own directory (its unit), else itself.
fn scanned_dir(root: &Path) -> PathBuf {
    if root.is_file() {
        root.parent().map_or_else(PathBuf::new, normalize)
    } else {
        normalize(root)
    }
}

/// Whether `path` lies under `dir` (both lexically normalised; `""` is the current directory).
fn inside(path: &Path, dir: &Path) -> bool {
    let path = normalize(path);
    if dir.as_os_str().is_empty() {
        return path.is_relative() && !path.starts_with("..");
    }
    path.starts_with(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(start: usize, end: usize, replacement: &str) -> FileEdit {
        FileEdit {
            file: 0,
            start,
            end,
            replacement: replacement.to_string(),
        }
    }

    #[test]
    fn a_clash_is_the_earliest_taken_edit_that_overlaps_as_apply_judges_it() {
        let mut taken = Taken::default();
        taken.add(&edit(100, 200, "long"), 0, 10);
        taken.add(&edit(150, 150, "insert"), 1, 11);
        taken.add(&edit(300, 305, "true"), 2, 12);
        // Inside the long range: it was taken first, so it is named, not the insertion.
        assert_eq!(taken.first_overlap(&edit(150, 150, "other")), Some(10));
        assert_eq!(taken.first_overlap(&edit(190, 210, "x")), Some(10));
        // Touching ends and insertions at a range's edge do not overlap; identical edits are
        // shared.
        assert_eq!(taken.first_overlap(&edit(200, 210, "x")), None);
        assert_eq!(taken.first_overlap(&edit(300, 300, "x")), None);
        assert_eq!(taken.first_overlap(&edit(305, 305, "x")), None);
        assert_eq!(taken.first_overlap(&edit(300, 305, "true")), None);
        assert_eq!(taken.first_overlap(&edit(300, 305, "false")), Some(12));
        assert_eq!(taken.first_overlap(&edit(0, 1000, "all")), Some(10));
    }

    #[test]
    fn inside_is_lexical_and_keeps_parent_directories_out() {
        assert!(inside(Path::new("a/b/main.tf"), Path::new("a")));
        assert!(inside(Path::new("main.tf"), Path::new("")));
        assert!(!inside(Path::new("../modules/web/main.tf"), Path::new("")));
        assert!(!inside(
            Path::new("modules/web/main.tf"),
            Path::new("envs/prod")
        ));
        assert!(!inside(Path::new("ab/main.tf"), Path::new("a")));
    }
}
