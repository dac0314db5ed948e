//! Parsed module directories kept from one scan for the next: a trial scan of `--fix`,
//! `--diff`, `--format json` or SARIF changes a few files, and parsing every other directory
//! again was most of its cost.
//!
//! A module is what [`super::project::Project`] assembled from its directory's listing and
//! files, with spans into the scan's [`crate::source::SourceMap`]. It is reused only by a scan
//! whose source map starts with that scan's files (same ids), and only for a directory none of
//! whose files changed (its listing and contents are then the same).
//!
//! The relevance decisions ([`super::relevance`]) are reused all together or not at all: they
//! depend on the outlines of the configuration files and on which directories exist, so they
//! hold while every changed file keeps its outline and none lies below a missing directory.

use crate::path_map::{PathHashMap, PathHashSet};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::Inputs;
use super::module::{Module, is_configuration_file};
use super::project::Judged;
use super::relevance::{Decided, Known};
use crate::paths::normalize;
use crate::source::FileId;

/// One root's judged resources and errors, with the directories its walk read: it holds
/// while none of them changes.
#[derive(Debug, Clone)]
pub struct JudgedRoot {
    pub judged: Judged,
    /// The module directories the walk took, the root's first.
    pub modules: Vec<PathBuf>,
    /// The other directories it looked in or for: the root's `.terraform/modules`, and where
    /// each call leads (which may not exist).
    pub looked: Vec<PathBuf>,
    /// The files of other formats it judged through a Terraform caller.
    pub consumed: Vec<PathBuf>,
    /// The Azure Policy assignments of the control it found.
    pub policies: Vec<crate::model::guardrail::PolicyAssignment>,
}

impl JudgedRoot {
    /// Whether the walk read a directory of `dirs`.
    fn reads_any(&self, dirs: &PathHashSet<&Path>) -> bool {
        self.modules
            .iter()
            .chain(&self.looked)
            .any(|dir| dirs.contains(dir.as_path()))
    }
}

/// `paths` and every directory above them: a changed file is in one of these directories, and
/// a new file may make them exist.
fn with_ancestors<'p>(paths: impl IntoIterator<Item = &'p Path>) -> PathHashSet<&'p Path> {
    paths.into_iter().flat_map(Path::ancestors).collect()
}

/// Earlier modules of directories holding a changed file, with the ids of their files that
/// did not change (see [`Memo::make_room_for`]).
pub(super) type SetAside = PathHashMap<PathBuf, (Arc<Module>, Vec<FileId>)>;

/// How a scan hands the Terraform front end an earlier scan's memo, and gets its own back
/// (the front end is a row of the scan's table, which returns only resources).
#[derive(Debug, Default)]
pub struct Slot<'a> {
    /// The earlier scan's memo, and the (normalised) files whose contents changed since.
    earlier: Option<(&'a Memo, &'a BTreeSet<PathBuf>)>,
    /// Whether this scan's memo is kept for a later scan (else it is freed at once).
    pub(super) keep: bool,
    current: std::sync::Mutex<Memo>,
    /// See [`Memo::previous`].
    previous: std::sync::Mutex<SetAside>,
}

impl<'a> Slot<'a> {
    /// A slot handing over `earlier` (see [`Slot::earlier`]), keeping this scan's memo when
    /// `keep`.
    pub fn new(earlier: Option<(&'a Memo, &'a BTreeSet<PathBuf>)>, keep: bool) -> Self {
        Slot {
            earlier,
            keep,
            current: Default::default(),
            previous: Default::default(),
        }
    }

    /// The same, handing over the modules the earlier memo set aside
    /// ([`Memo::take_previous`]).
    pub fn taking(self, previous: SetAside) -> Self {
        Slot {
            previous: std::sync::Mutex::new(previous),
            ..self
        }
    }

    /// What still holds of the earlier memo, given the outlines `now` and the command line's
    /// `inputs` (see [`Memo::unchanged`]).
    pub(super) fn earlier(&self, now: &Known, inputs: &Inputs) -> Memo {
        let mut memo: Memo = self
            .earlier
            .map(|(memo, changed)| memo.unchanged(changed, now, inputs))
            .unwrap_or_default();
        memo.previous = std::mem::take(&mut *crate::lock::lock(&self.previous));
        memo
    }

    /// Leaves this scan's memo.
    pub(super) fn put(&self, memo: Memo) {
        *crate::lock::lock(&self.current) = memo;
    }

    /// This scan's memo (empty unless kept).
    pub fn into_memo(self) -> Memo {
        self.current.into_inner().unwrap_or_else(|p| p.into_inner())
    }
}

/// The modules a scan parsed, by normalised directory, and its relevance decisions.
#[derive(Debug, Default, Clone)]
pub struct Memo {
    pub(super) modules: PathHashMap<PathBuf, Arc<Module>>,
    pub(super) decided: Decided,
    /// The outlines the decisions were taken from.
    pub(super) known: Known,
    /// The roots judged, by normalised directory.
    /// Shared: each re-scan takes over most of them, and copying them was a good part of it.
    pub(super) judged: PathHashMap<PathBuf, Arc<JudgedRoot>>,
    /// The command line's inputs every root read.
    pub(super) inputs: Inputs,
    /// Set aside by [`Memo::make_room_for`] for the next scan, which takes them over
    /// ([`Slot::taking`]): the earlier modules of the directories holding a changed file,
    /// with the ids of their files that did not change. Such a directory is parsed again,
    /// but only its changed files: the others' declarations are moved from here
    /// ([`super::module::assemble_taking`]).
    pub(super) previous: SetAside,
    /// The files changed since the scan that made the memo, and every directory above them
    /// (empty in a first scan): a module directory's local calls that led nowhere then may
    /// lead somewhere now if one of these lies below their target.
    pub(super) changed_places: PathHashSet<PathBuf>,
}

impl Memo {
    /// The module parsed for `dir` (normalised), if any.
    pub(super) fn get(&self, dir: &Path) -> Option<Arc<Module>> {
        self.modules.get(dir).cloned()
    }

    /// The modules [`Memo::make_room_for`] set aside for the next scan (see `previous`).
    pub(crate) fn take_previous(&mut self) -> SetAside {
        std::mem::take(&mut self.previous)
    }

    /// Drops the relevance decisions and the outlines they were taken from.
    pub(super) fn forget_relevance(&mut self) {
        self.decided = Decided::default();
        self.known = Known::default();
    }

    /// Whether it holds the module of `dir` (normalised).
    #[cfg(test)]
    pub fn holds(&self, dir: &Path) -> bool {
        self.modules.contains_key(dir)
    }

    /// Whether it holds the judged root module of `dir` (normalised).
    #[cfg(test)]
    pub fn judged(&self, dir: &Path) -> bool {
        self.judged.contains_key(dir)
    }

    /// The relevance decided for `dir` (normalised), if it was asked about.
    #[cfg(test)]
    pub fn relevant(&self, dir: &Path) -> Option<bool> {
        self.decided.relevant.get(dir).copied()
    }

    /// How many directories it holds.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.modules.len()
    }

    /// Whether it holds no directory.
    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.modules.is_empty()
    }

    /// The memo without the directories `paths` (of errors and notices) lie in or name: a
    /// module taken over skips its directory's reads, so their errors would go unreported.
    /// Relevance lists directories too. A relevant directory is parsed, which records its
    /// errors again; an error in one judged irrelevant drops every decision (errors are rare,
    /// and decisions depend on each other).
    /// A judged root is dropped when an error lies in or below a directory its walk read.
    pub fn without_errors_in<'p>(mut self, paths: impl IntoIterator<Item = &'p Path>) -> Memo {
        let paths: Vec<&Path> = paths.into_iter().collect();
        let places = with_ancestors(paths.iter().copied());
        self.judged.retain(|_, root| !root.reads_any(&places));
        for path in paths {
            for dir in std::iter::once(path).chain(path.parent()) {
                self.modules.remove(dir);
                if self.decided.relevant.get(dir) == Some(&false) {
                    self.decided = Decided::default();
                }
            }
        }
        self
    }

    /// Whether the command line's `inputs` differ from those every root read, or a
    /// `-var-file` is among the files `changed`: then no judged root holds.
    fn inputs_changed(&self, changed: &BTreeSet<PathBuf>, inputs: &Inputs) -> bool {
        self.inputs != *inputs
            || (inputs.var_files.iter()).any(|file| changed.contains(&normalize(file)))
    }

    /// Makes room for a scan with the files `changed` (see [`Memo::unchanged`]): drops the
    /// modules of the directories holding a changed file (that scan parses them again), and
    /// strips ([`Module::strip`]) those that only judged roots it takes over read (it walks
    /// none of them). Called before the validating scan of `--format json`, SARIF, `--fix`
    /// and `--diff`: at 100 000 files two thirds of the modules kept are only read by roots
    /// taken over. A module read by no judged root (its root recorded an error) is kept
    /// whole. A later scan whose fixes are a subset of these (the bisection of a failing fix)
    /// needs no more; any other parses a dropped directory, or walks a stripped module after
    /// parsing it, again, with the same result.
    pub fn make_room_for(&mut self, changed: &BTreeSet<PathBuf>, inputs: &Inputs) {
        let dirs: PathHashSet<&Path> = changed.iter().filter_map(|path| path.parent()).collect();
        // The modules of those directories leave the memo: the next scan parses the changed
        // files again and takes the other files' declarations from them, without copying
        // (see `previous`). A later scan parses such a directory whole.
        let mut previous = PathHashMap::default();
        for dir in dirs.iter().copied() {
            let Some((dir, mut module)) = self.modules.remove_entry(dir) else {
                continue;
            };
            if !module.declarations_reusable() {
                continue;
            }
            let changed_ids: Vec<FileId> = (module.paths.iter())
                .filter(|(_, path)| changed.contains(&normalize(path)))
                .map(|(id, _)| *id)
                .collect();
            // Their declarations are not needed (a module another holder shares stays whole).
            if let Some(module) = Arc::get_mut(&mut module) {
                module.prune(&changed_ids);
            }
            let same = (module.paths.keys())
                .filter(|id| !changed_ids.contains(id) && !module.pruned.contains(id))
                .copied()
                .collect();
            previous.insert(dir, (module, same));
        }
        self.previous = previous;
        if self.inputs_changed(changed, inputs) {
            return;
        }
        let places = with_ancestors(changed.iter().map(PathBuf::as_path));
        let mut walked_again: PathHashSet<&Path> = PathHashSet::default();
        let mut taken_over: PathHashSet<&Path> = PathHashSet::default();
        for root in self.judged.values() {
            let dirs = root.modules.iter().map(PathBuf::as_path);
            if root.reads_any(&places) {
                walked_again.extend(dirs);
            } else {
                taken_over.extend(dirs);
            }
        }
        // A module another holder shares is left whole: stripping a copy frees nothing.
        let unwalked: Vec<&mut Module> = (self.modules.iter_mut())
            .filter(|(dir, _)| {
                taken_over.contains(dir.as_path()) && !walked_again.contains(dir.as_path())
            })
            .filter_map(|(_, module)| Arc::get_mut(module))
            .collect();
        // Freeing the declarations is most of the work, and it divides among the workers.
        unwalked.into_par_iter().for_each(|module| module.strip());
    }

    /// What still holds when the files `changed` (normalised paths) have other contents and
    /// the Terraform files the outlines `now`. Modules: those of directories holding none of
    /// them (a changed file may be new, or a variables file a module lists, so its whole
    /// directory is parsed again). Decisions: all, if every changed configuration file keeps
    /// its outline and no changed file lies below a directory that was missing. Judged roots:
    /// those whose walks read no directory holding a changed file or above one (a new file
    /// may create a directory a call looked for), while the command line's `inputs` are the
    /// same and no `-var-file` changed.
    pub fn unchanged(&self, changed: &BTreeSet<PathBuf>, now: &Known, inputs: &Inputs) -> Memo {
        let places = with_ancestors(changed.iter().map(PathBuf::as_path));
        let inputs_changed = self.inputs_changed(changed, inputs);
        let dirs: PathHashSet<&Path> = changed.iter().filter_map(|path| path.parent()).collect();
        let decisions_hold = changed.iter().all(|path| {
            let same_outline = matches!(
                (self.known.get(path), now.get(path)),
                (Some(before), Some(after)) if before == after
            );
            (same_outline || !is_configuration_file(path))
                && !path
                    .ancestors()
                    .skip(1)
                    .any(|dir| self.decided.missing.contains(dir))
        });
        Memo {
            modules: self
                .modules
                .iter()
                .filter(|(dir, _)| !dirs.contains(dir.as_path()))
                .map(|(dir, module)| (dir.clone(), module.clone()))
                .collect(),
            decided: if decisions_hold {
                self.decided.clone()
            } else {
                Decided::default()
            },
            known: Known::default(),
            previous: PathHashMap::default(),
            judged: self
                .judged
                .iter()
                .filter(|_| !inputs_changed)
                .filter(|(_, root)| !root.reads_any(&places))
                .map(|(dir, root)| (dir.clone(), root.clone()))
                .collect(),
            inputs: inputs.clone(),
            changed_places: places.into_iter().map(Path::to_path_buf).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terraform::Outline;

    fn memo(dirs: &[&str]) -> Memo {
        Memo {
            modules: dirs
                .iter()
                .map(|dir| (PathBuf::from(dir), Arc::new(Module::default())))
                .collect(),
            ..Memo::default()
        }
    }

    #[test]
    fn a_changed_file_drops_its_directory_only() {
        let memo = memo(&["a", "a/b", "c"]);
        let changed = BTreeSet::from([PathBuf::from("a/main.tf")]);
        let kept = memo.unchanged(&changed, &Known::default(), &Inputs::default());
        assert!(kept.get(Path::new("a")).is_none());
        assert!(kept.get(Path::new("a/b")).is_some());
        assert!(kept.get(Path::new("c")).is_some());
        assert_eq!(kept.len(), 2);
    }

    #[test]
    fn a_new_variables_file_drops_its_directory() {
        let memo = memo(&["live", "modules/app"]);
        let changed = BTreeSet::from([PathBuf::from("live/extra.auto.tfvars")]);
        let kept = memo.unchanged(&changed, &Known::default(), &Inputs::default());
        assert!(kept.get(Path::new("live")).is_none());
        assert!(kept.get(Path::new("modules/app")).is_some());
    }

    #[test]
    fn a_directory_with_an_error_or_notice_is_not_kept() {
        let memo =
            memo(&["a", "b", "c"]).without_errors_in([Path::new("a/bad.tf"), Path::new("b")]);
        assert!(memo.get(Path::new("a")).is_none());
        assert!(memo.get(Path::new("b")).is_none());
        assert!(memo.get(Path::new("c")).is_some());
    }

    #[test]
    fn a_project_takes_a_held_module_instead_of_parsing_its_directory() {
        use crate::load::Loader;
        use crate::source::SourceMap;
        use crate::terraform::{Inputs, project::Project};
        let dir = tempfile::tempdir().unwrap();
        let root = crate::paths::normalize(dir.path());
        let main = root.join("main.tf");
        std::fs::write(&main, "resource \"azurerm_linux_web_app\" \"w\" {}\n").unwrap();
        let sources = SourceMap::default();
        let loader = Loader::new(&sources);
        let first = Project::new(&loader, &Inputs::default());
        let parsed = first.module(&root);
        let memo = first.into_memo();
        assert!(memo.holds(&root));
        // With the file gone, only the memo can still give the module.
        std::fs::remove_file(&main).unwrap();
        let second = Project::new(&loader, &Inputs::default()).with_memo(memo.clone(), false);
        assert!(Arc::ptr_eq(&second.module(&root), &parsed));
        let changed = BTreeSet::from([main]);
        let third = Project::new(&loader, &Inputs::default()).with_memo(
            memo.unchanged(&changed, &Known::default(), &Inputs::default()),
            false,
        );
        assert!(third.module(&root).resources.is_empty());
    }

    #[test]
    fn a_module_taken_over_keeps_where_its_calls_lead_until_a_file_appears_below_a_missing_one() {
        use crate::load::Loader;
        use crate::source::SourceMap;
        use crate::terraform::{Inputs, project::Project};
        let dir = tempfile::tempdir().unwrap();
        let root = crate::paths::normalize(dir.path());
        let live = root.join("live");
        std::fs::create_dir_all(&live).unwrap();
        std::fs::create_dir_all(root.join("net")).unwrap();
        let calls = "module \"net\" {\n  source = \"../net\"\n}\n\
                     module \"site\" {\n  source = \"../site\"\n}\n";
        std::fs::write(live.join("main.tf"), calls).unwrap();
        let sources = SourceMap::default();
        let loader = Loader::new(&sources);
        // A scan that keeps its modules for a later one keeps where their calls lead too.
        let first = Project::new(&loader, &Inputs::default()).with_memo(Memo::default(), true);
        assert_eq!(first.local_children(&live), [root.join("net")]);
        let memo = first.into_memo();
        // The missing directory appears on disk: a re-scan that changed nothing below it
        // takes the first answer over without asking the file system.
        let site = root.join("site/main.tf");
        std::fs::create_dir_all(root.join("site")).unwrap();
        std::fs::write(&site, "resource \"azurerm_linux_web_app\" \"w\" {}\n").unwrap();
        let unrelated = BTreeSet::from([root.join("net/main.tf")]);
        let second = Project::new(&loader, &Inputs::default()).with_memo(
            memo.unchanged(&unrelated, &Known::default(), &Inputs::default()),
            false,
        );
        assert_eq!(second.local_children(&live), [root.join("net")]);
        // A changed file below the missing target: the calls are followed afresh.
        let below = BTreeSet::from([site]);
        let third = Project::new(&loader, &Inputs::default()).with_memo(
            memo.unchanged(&below, &Known::default(), &Inputs::default()),
            false,
        );
        assert_eq!(
            third.local_children(&live),
            [root.join("net"), root.join("site")]
        );
    }

    fn versions_id(module: &Module) -> Option<FileId> {
        (module.paths.iter())
            .find(|(_, path)| path.ends_with("versions.tf"))
            .map(|(id, _)| *id)
    }

    #[test]
    fn a_changed_directory_parses_only_its_changed_files_and_takes_the_others_over() {
        use crate::load::Loader;
        use crate::source::SourceMap;
        use crate::terraform::{Inputs, project::Project};
        let dir = tempfile::tempdir().unwrap();
        let root = crate::paths::normalize(dir.path());
        let main = root.join("main.tf");
        let site = |enabled: bool| {
            format!(
                "resource \"azurerm_linux_web_app\" \"w\" {{\n  client_certificate_enabled = {enabled}\n}}\n"
            )
        };
        std::fs::write(&main, site(false)).unwrap();
        std::fs::write(root.join("variables.tf"), "variable \"v\" {}\n").unwrap();
        let versions = "terraform {\n  required_providers {\n    azurerm = {\n      \
                        version = \"~> 4.0\"\n    }\n  }\n}\n";
        std::fs::write(root.join("versions.tf"), versions).unwrap();
        let sources = SourceMap::default();
        let loader = Loader::new(&sources);
        let first = Project::new(&loader, &Inputs::default());
        let before = first.module(&root);
        let mut memo = first.into_memo();
        let variable_file = before.variables["v"].header.file;
        let main_file = before.resources[0].header.file;
        let before_constraints = before.azurerm_constraints.clone();
        let before_versions = versions_id(&before);
        drop(before);
        // The fix: main.tf changes, variables.tf does not.
        std::fs::write(&main, site(true)).unwrap();
        let changed = BTreeSet::from([main.clone()]);
        // Making room sets the module aside for the next scan, without main.tf's declarations.
        memo.make_room_for(&changed, &Inputs::default());
        assert!(memo.get(&root).is_none());
        let (pruned, same) = &memo.previous[&root];
        assert!(pruned.resources.is_empty() && pruned.variables.contains_key("v"));
        assert_eq!(pruned.pruned, [main_file]);
        assert_eq!(pruned.azurerm_constraints, ["~> 4.0"]);
        assert_eq!(same.len(), 2);
        let previous = memo.take_previous();
        assert_eq!(
            Arc::strong_count(&previous[&root].0),
            1,
            "moved, not copied"
        );
        let slot = Slot::new(Some((&memo, &changed)), false).taking(previous);
        let kept = slot.earlier(&Known::default(), &Inputs::default());
        assert!(kept.get(&root).is_none() && kept.previous.contains_key(&root));
        let sources = SourceMap::from(sources.snapshot());
        let loader = Loader::new(&sources);
        let second = Project::new(&loader, &Inputs::default()).with_memo(kept, false);
        let after = second.module(&root);
        // variables.tf keeps its id (taken over); main.tf was read and parsed again.
        assert_eq!(after.variables["v"].header.file, variable_file);
        let resource = &after.resources[0];
        assert_ne!(resource.header.file, main_file);
        let written = resource.attribute("client_certificate_enabled").unwrap();
        assert_eq!(sources.get(written.value_span.file).path(), main.as_path());
        assert_eq!(after.paths.len(), 3);
        // versions.tf too, with the constraint it states (constraints carry no position).
        assert_eq!(versions_id(&after), before_versions);
        assert_eq!(after.azurerm_constraints, before_constraints);
        // The memo let the module go: a later scan parses the directory whole.
        let again = memo.unchanged(&BTreeSet::new(), &Known::default(), &Inputs::default());
        assert!(again.get(&root).is_none() && again.previous.is_empty());
        let third = Project::new(&loader, &Inputs::default()).with_memo(again, false);
        let module = third.module(&root);
        assert_eq!(module.resources.len(), 1);
        assert_eq!(module.variables.len(), 1);
        assert!(after.errors.is_empty() && after.declarations_reusable());
    }

    #[test]
    fn declarations_are_not_taken_from_a_module_with_an_override_or_an_error() {
        use crate::load::Loader;
        use crate::source::SourceMap;
        use crate::terraform::{Inputs, project::Project};
        let parsed = |files: &[(&str, &str)]| {
            let dir = tempfile::tempdir().unwrap();
            for (name, text) in files {
                std::fs::write(dir.path().join(name), text).unwrap();
            }
            let sources = SourceMap::default();
            let loader = Loader::new(&sources);
            let project = Project::new(&loader, &Inputs::default());
            project.module(dir.path()).declarations_reusable()
        };
        let site = "resource \"azurerm_linux_web_app\" \"w\" {}\n";
        assert!(parsed(&[
            ("main.tf", site),
            ("b.tf", "locals {\n  a = 1\n}\n")
        ]));
        assert!(!parsed(&[("main.tf", site), ("main_override.tf", site)]));
        assert!(!parsed(&[("main.tf", site), ("b.tf", "resource {")]));
        assert!(!parsed(&[("main.tf", site), ("b.tf", site)]));
        assert!(!parsed(&[("main.tf", site), ("b.tf.json", "{}")]));
    }

    #[test]
    fn a_walk_parses_a_stripped_module_again_and_judges_it_the_same() {
        use crate::load::Loader;
        use crate::source::SourceMap;
        use crate::terraform::{Inputs, project::Project};
        let dir = tempfile::tempdir().unwrap();
        let root = crate::paths::normalize(dir.path());
        let site =
            "resource \"azurerm_linux_web_app\" \"w\" {\n  client_certificate_enabled = false\n}\n";
        std::fs::write(root.join("main.tf"), site).unwrap();
        let sources = SourceMap::default();
        let loader = Loader::new(&sources);
        let first = Project::new(&loader, &Inputs::default());
        let (resources, errors) = first.judge_root(&root);
        assert_eq!((resources.len(), errors.len()), (1, 0));
        let mut memo = first.into_memo();
        let held = memo.modules.get_mut(&root).unwrap();
        Arc::get_mut(held).unwrap().strip();
        let second = Project::new(&loader, &Inputs::default()).with_memo(memo, false);
        assert!(second.module(&root).stripped);
        let declared = second.declared(&root);
        assert!(!declared.stripped && declared.resources.len() == 1);
        let (again, errors) = second.judge_root(&root);
        assert!(errors.is_empty());
        assert_eq!(format!("{again:?}"), format!("{resources:?}"));
    }

    fn decided(dirs: &[(&str, bool)], missing: &[&str]) -> Memo {
        let mut known = Known::default();
        known.add(Path::new("a/main.tf"), Outline::default());
        known.add(
            Path::new("b/main.tf"),
            Outline {
                must_parse: false,
                local_sources: vec!["../a".into()],
            },
        );
        Memo {
            decided: Decided {
                relevant: dirs
                    .iter()
                    .map(|(dir, relevant)| (PathBuf::from(dir), *relevant))
                    .collect(),
                missing: missing.iter().map(PathBuf::from).collect(),
            },
            known,
            ..Memo::default()
        }
    }

    #[test]
    fn decisions_hold_while_every_changed_file_keeps_its_outline() {
        let memo = decided(&[("a", false), ("b", false)], &["gone"]);
        let same = memo.known.clone();
        let fixed = BTreeSet::from([PathBuf::from("b/main.tf"), PathBuf::from("a/x.tfvars")]);
        assert_eq!(
            memo.unchanged(&fixed, &same, &Inputs::default())
                .relevant(Path::new("b")),
            Some(false)
        );
        // A site appears: the outline changes, every decision is taken again.
        let mut now = same.clone();
        now.add(
            Path::new("a/main.tf"),
            Outline {
                must_parse: true,
                local_sources: Vec::new(),
            },
        );
        let changed = BTreeSet::from([PathBuf::from("a/main.tf")]);
        assert_eq!(
            memo.unchanged(&changed, &now, &Inputs::default())
                .relevant(Path::new("b")),
            None
        );
        // A configuration file discovery did not read, or a new one.
        let new = BTreeSet::from([PathBuf::from("c/main.tf")]);
        assert_eq!(
            memo.unchanged(&new, &same, &Inputs::default())
                .relevant(Path::new("a")),
            None
        );
        // A file below a directory that was missing may make it exist.
        let below = BTreeSet::from([PathBuf::from("gone/sub/x.bicep")]);
        assert_eq!(
            memo.unchanged(&below, &same, &Inputs::default())
                .relevant(Path::new("a")),
            None
        );
    }

    #[test]
    fn an_error_in_an_irrelevant_directory_drops_the_decisions() {
        let memo = decided(&[("a", false), ("b", false), ("r", true)], &[]);
        let kept = memo
            .clone()
            .without_errors_in([Path::new("c/main.tf"), Path::new("r/bad.tf")]);
        assert_eq!(kept.relevant(Path::new("a")), Some(false));
        let dropped = memo.without_errors_in([Path::new("a/link.tf")]);
        assert_eq!(dropped.relevant(Path::new("b")), None);
    }

    fn prod() -> Inputs {
        Inputs {
            var_files: vec![PathBuf::from("env/prod.tfvars")],
            ..Inputs::default()
        }
    }

    fn roots(roots: &[(&str, &[&str], &[&str])]) -> Memo {
        let judged = roots
            .iter()
            .map(|(dir, modules, looked)| {
                let root = JudgedRoot {
                    judged: (Vec::new(), Vec::new()),
                    modules: modules.iter().map(PathBuf::from).collect(),
                    looked: looked.iter().map(PathBuf::from).collect(),
                    consumed: Vec::new(),
                    policies: Vec::new(),
                };
                (PathBuf::from(dir), Arc::new(root))
            })
            .collect();
        Memo {
            judged,
            inputs: prod(),
            ..Memo::default()
        }
    }

    #[test]
    fn a_judged_root_holds_until_a_directory_its_walk_read_changes() {
        let memo = roots(&[
            (
                "live/a",
                &["live/a", "modules/app"],
                &["live/a/.terraform/modules"],
            ),
            (
                "live/b",
                &["live/b"],
                &["live/b/.terraform/modules", "modules/gone"],
            ),
        ]);
        let now = Known::default();
        let changed = |paths: &[&str]| paths.iter().map(PathBuf::from).collect::<BTreeSet<_>>();
        let kept = memo.unchanged(&changed(&["modules/app/main.tf"]), &now, &prod());
        assert!(!kept.judged(Path::new("live/a")));
        assert!(kept.judged(Path::new("live/b")));
        // A root's own variables file; a file appearing below a call's missing target.
        let kept = memo.unchanged(&changed(&["live/b/terraform.tfvars"]), &now, &prod());
        assert!(!kept.judged(Path::new("live/b")) && kept.judged(Path::new("live/a")));
        let kept = memo.unchanged(&changed(&["modules/gone/sub/main.tf"]), &now, &prod());
        assert!(!kept.judged(Path::new("live/b")) && kept.judged(Path::new("live/a")));
        // Every root reads the `-var-file`s.
        let kept = memo.unchanged(&changed(&["env/prod.tfvars"]), &now, &prod());
        assert!(!kept.judged(Path::new("live/a")) && !kept.judged(Path::new("live/b")));
        // Other `-var` values.
        let vars = Inputs {
            vars: vec![("cert".into(), "true".into())],
            ..prod()
        };
        let kept = memo.unchanged(&changed(&["docs/x.md"]), &now, &vars);
        assert!(!kept.judged(Path::new("live/a")));
        assert!(
            memo.unchanged(&changed(&["docs/x.md"]), &now, &prod())
                .judged(Path::new("live/a"))
        );
        // An error reading a file the walk read.
        let kept = memo.without_errors_in([Path::new("modules/app/x.tf")]);
        assert!(!kept.judged(Path::new("live/a")));
        assert!(kept.judged(Path::new("live/b")));
    }

    #[test]
    fn nothing_changed_keeps_everything() {
        let memo = memo(&["", "x"]);
        assert_eq!(
            memo.unchanged(&BTreeSet::new(), &Known::default(), &Inputs::default())
                .len(),
            2
        );
    }

    /// A module with one declaration of each kind a walk reads, and an error.
    fn declaring(dir: &str) -> Arc<Module> {
        use crate::source::{SourceFile, SourceMap};
        use crate::terraform::module::{ModuleFile, assemble};
        let text = "variable \"v\" {}\nvariable \"v\" {}\n\
                    resource \"azurerm_linux_web_app\" \"w\" {}\n\
                    data \"azurerm_client_config\" \"c\" {}\n\
                    output \"o\" {\n  value = 1\n}\nlocals {\n  l = 1\n}\n\
                    module \"m\" {\n  source = \"./m\"\n}\n";
        let sources = SourceMap::default();
        let id = sources.add(SourceFile::new(Path::new(dir).join("main.tf"), text));
        let source = sources.get(id);
        let module = assemble(PathBuf::from(dir), &[ModuleFile { id, source }]);
        let declared = (
            module.resources.len(),
            module.data.len(),
            module.outputs.len(),
        );
        assert_eq!((declared, module.locals.len()), ((1, 1, 1), 1));
        Arc::new(module)
    }

    #[test]
    fn making_room_drops_changed_directories_and_strips_modules_only_taken_over_roots_read() {
        let mut memo = roots(&[
            (
                "live/a",
                &["live/a", "modules/shared", "modules/only_a"],
                &[],
            ),
            (
                "live/b",
                &["live/b", "modules/shared", "modules/only_b"],
                &[],
            ),
        ]);
        for dir in [
            "live/a",
            "live/b",
            "modules/shared",
            "modules/only_a",
            "modules/only_b",
            "orphan",
        ] {
            memo.modules.insert(PathBuf::from(dir), declaring(dir));
        }
        let changed = |paths: &[&str]| paths.iter().map(PathBuf::from).collect::<BTreeSet<_>>();
        let stripped = |memo: &Memo, dir: &str| memo.get(Path::new(dir)).map(|m| m.stripped);
        // Inputs that every root reads changed: every root is walked again, nothing stripped.
        let mut all_walked = memo.clone();
        all_walked.make_room_for(&changed(&["live/b/main.tf"]), &Inputs::default());
        assert_eq!(stripped(&all_walked, "live/b"), None);
        assert_eq!(stripped(&all_walked, "modules/only_a"), Some(false));
        // While another memo shares the modules, stripping would free nothing: none is.
        let mut shared = memo.clone();
        shared.make_room_for(&changed(&["live/b/main.tf"]), &prod());
        assert_eq!(stripped(&shared, "modules/only_a"), Some(false));
        drop((all_walked, shared));
        // Only `live/b` holds a change: its directory is parsed again, so it is dropped; what
        // only `live/a` reads is stripped; what `live/b`'s walk reads stays whole, and so does
        // a module no judged root read.
        memo.make_room_for(&changed(&["live/b/main.tf"]), &prod());
        assert_eq!(stripped(&memo, "live/b"), None);
        assert_eq!(stripped(&memo, "live/a"), Some(true));
        assert_eq!(stripped(&memo, "modules/only_a"), Some(true));
        assert_eq!(stripped(&memo, "modules/shared"), Some(false));
        assert_eq!(stripped(&memo, "modules/only_b"), Some(false));
        assert_eq!(stripped(&memo, "orphan"), Some(false));
        // A stripped module keeps what no walk needs: its calls, variables and errors.
        let only_a = memo.get(Path::new("modules/only_a")).unwrap();
        assert!(only_a.resources.is_empty() && only_a.locals.is_empty());
        assert_eq!((only_a.calls.len(), only_a.variables.len()), (1, 1));
        assert_eq!(only_a.errors.len(), 1);
    }
}
