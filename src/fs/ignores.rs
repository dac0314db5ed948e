//! The ignore files of a walk (`.ignore`, `.gitignore`, `.git/info/exclude`), read by certgate
//! itself rather than by the `ignore` crate, so that they obey the rules every input obeys:
//! regular files only, a size cap, nothing outside the project root. (The crate would open a
//! `.gitignore` that is a FIFO and wait forever, read one linked to `/dev/zero` until memory
//! runs out, and read ignore files above the project and in the home directory.)
//!
//! Precedence is ripgrep's: `.ignore` rules over `.gitignore` rules over `.git/info/exclude`;
//! within each kind the deepest directory's file decides first, and a `!pattern` re-includes.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::Match;
use ignore::gitignore::{Gitignore, GitignoreBuilder};

use crate::error::FileError;
use crate::fs::root::ProjectRoot;
use crate::lock::lock;
use crate::path_map::{PathMap, split_name};
use crate::paths::normalize;

/// The rules one directory's ignore files set.
#[derive(Default)]
struct DirRules {
    ignore: Option<Gitignore>,
    gitignore: Option<Gitignore>,
    exclude: Option<Gitignore>,
}

/// The rules that apply in one directory, deepest first.
type Chain = Arc<Vec<Arc<DirRules>>>;

/// A directory as the walk spells it: its absolute, normalised form and the rules there.
struct Seen {
    absolute: PathBuf,
    chain: Chain,
}

/// The ignore rules of every directory a walk meets, read once each.
pub struct IgnoreRules {
    root: Arc<ProjectRoot>,
    cwd: PathBuf,
    /// Per directory as the walk spells it (`./envs/prod`): asked once per entry, so the
    /// spelling is looked up as is, and normalised once.
    seen: Mutex<PathMap<Arc<Seen>>>,
    /// Per directory (absolute): the rules that apply there, deepest first.
    chains: Mutex<PathMap<Chain>>,
    by_dir: Mutex<PathMap<Arc<DirRules>>>,
    errors: Mutex<Vec<FileError>>,
}

impl IgnoreRules {
    pub fn new(root: Arc<ProjectRoot>) -> Self {
        IgnoreRules {
            root,
            cwd: std::env::current_dir().unwrap_or_default(),
            seen: Mutex::default(),
            chains: Mutex::default(),
            by_dir: Mutex::default(),
            errors: Mutex::default(),
        }
    }

    /// Whether the walk should skip `path`.
    pub fn is_ignored(&self, path: &Path, is_dir: bool) -> bool {
        // `dir/name` normalises to `normal(dir)/name`: the directory's part is worked out once
        // per directory, and most directories have no rules, so most entries cost one lookup.
        let (path, chain) = match split_name(path) {
            Some((parent, name)) => {
                let seen = self.seen(parent);
                if seen.chain.is_empty() {
                    return false;
                }
                let mut path =
                    PathBuf::with_capacity(seen.absolute.as_os_str().len() + 1 + name.len());
                path.push(&seen.absolute);
                path.push(name);
                (path, seen.chain.clone())
            }
            None => {
                let path = normalize(&self.cwd.join(path));
                let Some(parent) = path.parent() else {
                    return false;
                };
                let chain = self.chain(parent);
                (path, chain)
            }
        };
        let kinds: [fn(&DirRules) -> Option<&Gitignore>; 3] = [
            |r| r.ignore.as_ref(),
            |r| r.gitignore.as_ref(),
            |r| r.exclude.as_ref(),
        ];
        for kind in kinds {
            for dir_rules in chain.iter() {
                if let Some(matcher) = kind(dir_rules) {
                    match matcher.matched(&path, is_dir) {
                        Match::Ignore(_) => return true,
                        Match::Whitelist(_) => return false,
                        Match::None => {}
                    }
                }
            }
        }
        false
    }

    /// The errors and notices met reading ignore files so far.
    pub fn take_errors(&self) -> Vec<FileError> {
        std::mem::take(&mut *lock(&self.errors))
    }

    /// The rules that apply in `dir` (an absolute directory): those of it and of every
    /// directory above it inside the project root, deepest first, directories without ignore
    /// files left out. Remembered per directory: the walk asks once per entry.
    fn chain(&self, dir: &Path) -> Chain {
        if let Some(known) = lock(&self.chains).get(dir.as_os_str()) {
            return known.clone();
        }
        let mut chain = Vec::new();
        if self.root.contains_dir(dir) {
            let own = self.rules(dir);
            if own.ignore.is_some() || own.gitignore.is_some() || own.exclude.is_some() {
                chain.push(own);
            }
            if let Some(parent) = dir.parent() {
                chain.extend(self.chain(parent).iter().cloned());
            }
        }
        let chain = Arc::new(chain);
        lock(&self.chains).insert(dir.as_os_str().to_owned(), chain.clone());
        chain
    }

    /// A directory as the walk spells it (relative to the current directory or absolute).
    fn seen(&self, dir: &Path) -> Arc<Seen> {
        if let Some(known) = lock(&self.seen).get(dir.as_os_str()) {
            return known.clone();
        }
        // Built from the parent's form where the name is plain: a join, not a normalisation.
        let absolute = match split_name(dir) {
            Some((parent, name)) => self.seen(parent).absolute.join(name),
            None => normalize(&self.cwd.join(dir)),
        };
        let chain = self.chain(&absolute);
        let seen = Arc::new(Seen { absolute, chain });
        lock(&self.seen).insert(dir.as_os_str().to_owned(), seen.clone());
        seen
    }

    fn rules(&self, dir: &Path) -> Arc<DirRules> {
        if let Some(known) = lock(&self.by_dir).get(dir.as_os_str()) {
            return known.clone();
        }
        let mut file = dir.join(".ignore");
        let ignore = self.read(dir, &file);
        file.set_file_name(".gitignore");
        let gitignore = self.read(dir, &file);
        // Only at the top of the root (the work tree), and only a `.git` directory: a
        // worktree's `.git` file points outside the tree. Other directories are not probed: a
        // scan meets thousands.
        let exclude = self
            .root
            .dirs()
            .iter()
            .any(|d| d == dir)
            .then(|| {
                let git = dir.join(".git");
                std::fs::symlink_metadata(crate::paths::below(&git, &self.cwd))
                    .is_ok_and(|m| m.is_dir())
                    .then(|| self.read(dir, &git.join("info/exclude")))
                    .flatten()
            })
            .flatten();
        let rules = Arc::new(DirRules {
            ignore,
            gitignore,
            exclude,
        });
        lock(&self.by_dir).insert(dir.as_os_str().to_owned(), rules.clone());
        rules
    }

    /// One ignore file's rules; `None` when there is none or it may not be read (recorded).
    fn read(&self, dir: &Path, file: &Path) -> Option<Gitignore> {
        let metadata = std::fs::symlink_metadata(crate::paths::below(file, &self.cwd)).ok()?;
        let shown = self.shown(file);
        if metadata.file_type().is_symlink() && !self.root.contains(file) {
            self.record(FileError::notice(
                &shown,
                None,
                format!(
                    "its rules are not applied: it is a symbolic link to `{}`, outside the \
                     project root `{}`",
                    crate::paths::path_text(&std::fs::read_link(file).unwrap_or_default()),
                    self.root.shown()
                ),
            ));
            return None;
        }
        let bytes = match crate::fs::regular::read(crate::paths::below(file, &self.cwd)) {
            Ok(bytes) => bytes,
            Err(refused) => {
                self.record(FileError::unplaced(
                    &shown,
                    format!("{refused}; its rules are not applied"),
                ));
                return None;
            }
        };
        let mut builder = GitignoreBuilder::new(dir);
        for line in String::from_utf8_lossy(&bytes).lines() {
            // Git skips a pattern it cannot use; so does certgate.
            let _ = builder.add_line(Some(file.to_path_buf()), line);
        }
        builder.build().ok()
    }

    /// An ignore file's path as messages show it: relative to the current directory when
    /// under it.
    fn shown(&self, file: &Path) -> PathBuf {
        file.strip_prefix(&self.cwd)
            .map_or_else(|_| file.to_path_buf(), Path::to_path_buf)
    }

    fn record(&self, error: FileError) {
        lock(&self.errors).push(error);
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn tree() -> (tempfile::TempDir, PathBuf) {
        let (dir, base) = crate::testing::canonical_tempdir();
        std::fs::create_dir_all(base.join("repo/.git/info")).unwrap();
        std::fs::create_dir_all(base.join("repo/sub")).unwrap();
        (dir, base)
    }

    #[test]
    fn deeper_files_and_ignore_files_take_precedence() {
        let (_dir, base) = tree();
        let repo = base.join("repo");
        std::fs::write(repo.join(".gitignore"), "*.tf\n").unwrap();
        std::fs::write(repo.join("sub/.gitignore"), "!keep.tf\n").unwrap();
        std::fs::write(repo.join(".ignore"), "keep2.tf\n").unwrap();
        std::fs::write(repo.join(".git/info/exclude"), "*.bicep\n").unwrap();
        let root = ProjectRoot::of_dirs(std::slice::from_ref(&repo));
        let rules = IgnoreRules::new(Arc::new(root));
        let walk = repo.join("sub");
        assert!(rules.is_ignored(&walk.join("main.tf"), false));
        assert!(!rules.is_ignored(&walk.join("keep.tf"), false));
        assert!(rules.is_ignored(&walk.join("keep2.tf"), false));
        assert!(rules.is_ignored(&walk.join("a.bicep"), false));
        assert!(!rules.is_ignored(&walk.join("a.json"), false));
        assert!(rules.take_errors().is_empty());
    }

    #[test]
    fn a_fifo_or_device_gitignore_is_an_error_not_a_hang() {
        let (_dir, base) = tree();
        let repo = base.join("repo");
        crate::testing::mkfifo(&repo.join(".gitignore"));
        std::os::unix::fs::symlink("/dev/zero", repo.join("sub/.gitignore")).unwrap();
        let root = ProjectRoot::of_dirs(&[PathBuf::from("/dev"), repo.clone()]);
        let rules = IgnoreRules::new(Arc::new(root));
        assert!(!rules.is_ignored(&repo.join("sub/main.tf"), false));
        let errors = rules.take_errors();
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(errors.len(), 2, "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("it is a FIFO")));
        assert!(messages.iter().any(|m| m.contains("a character device")));
    }

    #[test]
    fn a_gitignore_linking_out_of_the_root_is_not_read() {
        let (_dir, base) = tree();
        let repo = base.join("repo");
        std::fs::write(base.join("outside"), "*.tf\n").unwrap();
        std::os::unix::fs::symlink(base.join("outside"), repo.join(".gitignore")).unwrap();
        let root = ProjectRoot::of_dirs(std::slice::from_ref(&repo));
        let rules = IgnoreRules::new(Arc::new(root));
        assert!(!rules.is_ignored(&repo.join("main.tf"), false));
        let errors = rules.take_errors();
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.contains("outside the project root"));
    }
}
