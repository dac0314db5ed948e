//! Parsed module directories kept from one scan for the next: a trial scan of `--fix`,
//! `--diff`, `--format json` or SARIF changes a few files, and parsing every other directory
//! again was most of its cost.
//!
//! A module is what [`super::project::Project`] assembled from its directory's listing and
//! files, with spans into the scan's [`crate::source::SourceMap`]. It is reused only by a scan
//! whose source map starts with that scan's files (same ids), and only for a directory none of
//! whose files changed (its listing and contents are then the same).

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::module::Module;

/// The modules a scan parsed, by normalised directory.
#[derive(Debug, Default, Clone)]
pub struct Memo {
    modules: HashMap<PathBuf, Arc<Module>>,
}

impl Memo {
    /// A memo of `modules`.
    pub(super) fn new(modules: HashMap<PathBuf, Arc<Module>>) -> Self {
        Memo { modules }
    }

    /// The module parsed for `dir` (normalised), if any.
    pub(super) fn get(&self, dir: &Path) -> Option<Arc<Module>> {
        self.modules.get(dir).cloned()
    }

    /// Whether it holds the module of `dir` (normalised).
    pub fn holds(&self, dir: &Path) -> bool {
        self.modules.contains_key(dir)
    }

    /// How many directories it holds.
    pub fn len(&self) -> usize {
        self.modules.len()
    }

    /// Whether it holds no directory.
    pub fn is_empty(&self) -> bool {
        self.modules.is_empty()
    }

    /// The memo without the directories `paths` (of errors and notices) lie in or name: a
    /// module taken over skips its directory's reads, so their errors would go unreported.
    pub fn without_errors_in<'p>(mut self, paths: impl IntoIterator<Item = &'p Path>) -> Memo {
        for path in paths {
            self.modules.remove(path);
            if let Some(dir) = path.parent() {
                self.modules.remove(dir);
            }
        }
        self
    }

    /// The modules still valid when the files `changed` (normalised paths) have other
    /// contents: those of directories holding none of them. A changed file may be new, or a
    /// variables file a module lists, so its whole directory is parsed again.
    pub fn unchanged(&self, changed: &BTreeSet<PathBuf>) -> Memo {
        let dirs: BTreeSet<&Path> = changed.iter().filter_map(|path| path.parent()).collect();
        Memo {
            modules: self
                .modules
                .iter()
                .filter(|(dir, _)| !dirs.contains(dir.as_path()))
                .map(|(dir, module)| (dir.clone(), module.clone()))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn memo(dirs: &[&str]) -> Memo {
        Memo::new(
            dirs.iter()
                .map(|dir| (PathBuf::from(dir), Arc::new(Module::default())))
                .collect(),
        )
    }

    #[test]
    fn a_changed_file_drops_its_directory_only() {
        let memo = memo(&["a", "a/b", "c"]);
        let changed = BTreeSet::from([PathBuf::from("a/main.tf")]);
        let kept = memo.unchanged(&changed);
        assert!(kept.get(Path::new("a")).is_none());
        assert!(kept.get(Path::new("a/b")).is_some());
        assert!(kept.get(Path::new("c")).is_some());
        assert_eq!(kept.len(), 2);
    }

    #[test]
    fn a_new_variables_file_drops_its_directory() {
        let memo = memo(&["live", "modules/app"]);
        let changed = BTreeSet::from([PathBuf::from("live/extra.auto.tfvars")]);
        let kept = memo.unchanged(&changed);
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
        let memo = first.memo();
        assert!(memo.holds(&root));
        // With the file gone, only the memo can still give the module.
        std::fs::remove_file(&main).unwrap();
        let second = Project::new(&loader, &Inputs::default()).with_memo(memo.clone());
        assert!(Arc::ptr_eq(&second.module(&root), &parsed));
        let changed = BTreeSet::from([main]);
        let third = Project::new(&loader, &Inputs::default()).with_memo(memo.unchanged(&changed));
        assert!(third.module(&root).resources.is_empty());
    }

    #[test]
    fn nothing_changed_keeps_everything() {
        let memo = memo(&["", "x"]);
        assert_eq!(memo.unchanged(&BTreeSet::new()).len(), 2);
    }
}
