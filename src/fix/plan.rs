//! Plans every finding's fix for one report: computes candidates, refuses those that cannot be
//! applied safely, checks the rest by re-scanning the fixed texts, and records each finding's
//! [`FixStatus`].
//!
//! Checking: all fixes are tried together first (one extra scan). If that trial fails, each
//! fix is added on its own to the set of those already accepted and kept only when the trial
//! still passes, so one bad fix cannot block the others and its reason is the one reported.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::apply::{apply, overlaps};
use super::resource::{self, Candidate, Ctx, FileEdit};
use super::validate::{self, Key};
use super::{Edit, Fix, FixStatus, write};
use crate::load::{Overrides, normalize};
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
    let (statuses, files, blocked) = {
        let report = &*report;
        let mut planner = Planner::new(report, roots);
        planner.unsafe_fixes = unsafe_fixes;
        let (statuses, files) = planner.run(check);
        let blocked = planner.blocked.into_inner().into_iter().collect();
        (statuses, files, blocked)
    };
    for (finding, status) in report.findings.iter_mut().zip(statuses) {
        finding.fix = status;
    }
    FixPlan { files, blocked }
}

struct Planner<'a> {
    report: &'a Report,
    dirs: Vec<PathBuf>,
    /// The files with an error (a parse error, a name declared twice), with the first one.
    failed_to_parse: HashMap<PathBuf, String>,
    editable: RefCell<HashMap<FileId, Result<(), String>>>,
    blocked: RefCell<BTreeMap<PathBuf, String>>,
    unsafe_fixes: bool,
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
            editable: RefCell::default(),
            blocked: RefCell::default(),
            unsafe_fixes: false,
        }
    }

    /// Whether a fix may edit `file`: a real file under the scanned paths that parsed and can
    /// be written.
    fn editable(&self, file: FileId) -> Result<(), String> {
        if let Some(known) = self.editable.borrow().get(&file) {
            return known.clone();
        }
        let source = self.report.sources.get(file);
        let path = source.path();
        let shown = path.display();
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
                self.blocked
                    .borrow_mut()
                    .insert(path.to_path_buf(), why.clone());
                format!("{shown} cannot be written: {why}")
            })
        };
        self.editable.borrow_mut().insert(file, verdict.clone());
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
        let mut candidates = Vec::new();
        for (i, finding) in findings.iter().enumerate() {
            let Some(group) = self.report.groups.get(finding.group) else {
                continue;
            };
            match resource::candidate(&ctx, group, finding.rule) {
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
            let group = self.report.findings[*i].group;
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
        let mut taken: Vec<(&FileEdit, usize)> = Vec::new();
        let mut kept: Vec<(usize, Candidate)> = Vec::new();
        for (i, candidate) in &candidates {
            let clash = candidate.edits.iter().find_map(|edit| {
                taken.iter().find_map(|(other, owner)| {
                    let same_file = other.file == edit.file;
                    (same_file
                        && overlaps(
                            (&(edit.start..edit.end), &edit.replacement),
                            (&(other.start..other.end), &other.replacement),
                        ))
                    .then_some(*owner)
                })
            });
            match clash {
                Some(owner) => {
                    statuses[*i] = FixStatus::Unavailable(format!(
                        "its edits overlap those of the fix for `{}`; run --fix again afterwards",
                        self.report.findings[owner].address
                    ));
                }
                None => {
                    taken.extend(candidate.edits.iter().map(|edit| (edit, *i)));
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
        if candidates.is_empty() || self.trial(&candidates, check).is_ok() {
            return candidates;
        }
        let mut accepted: Vec<(usize, Candidate)> = Vec::new();
        for (i, candidate) in candidates {
            accepted.push((i, candidate));
            if let Err(why) = self.trial(&accepted, check) {
                accepted.pop();
                statuses[i] = FixStatus::Unavailable(format!("not fixed: {why}"));
            }
        }
        accepted
    }

    fn trial(
        &self,
        set: &[(usize, Candidate)],
        check: &dyn Fn(&Overrides) -> Report,
    ) -> Result<(), String> {
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
        let path = self.report.groups[finding.group]
            .first()
            .map_or_else(PathBuf::new, |r| {
                self.report.sources.get(r.header.file).path().to_path_buf()
            });
        (path, finding.address.clone(), finding.scenario.clone())
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
