//! The project root: the directory a scan may read in. References (module sources,
//! `.terraform/modules`, Bicep modules and `using`, ARM links, symbolic links) are followed only
//! inside it, so a repository cannot make certgate read `/etc/shadow` and show it in an error.
//!
//! Each scanned path's root is, in order: `--project-root DIR`; `project-root` in the `--config`
//! file, else in the nearest `certgate.toml` (up to the root found next); the enclosing git work
//! tree (a directory holding `.git`); the current directory when the path is inside it; else
//! the scanned directory itself (a file's directory). Files named on the command line
//! (`--var-file`, `--parameters`, `--config`) are readable wherever they are.

use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::error::FileError;
use crate::lock::lock;
use crate::path_map::{PathMap, split_name};
use crate::paths::normalize;

/// Where a scan may read: canonical directories, and files named on the command line.
#[derive(Debug, Default)]
pub struct ProjectRoot {
    dirs: Vec<PathBuf>,
    files: Vec<PathBuf>,
    /// Where each directory already asked about in this scan lies (`None`: it has no
    /// canonical form), by its spelling below the current directory (see [`Self::key`]).
    canonical: Mutex<PathMap<Option<Place>>>,
    /// The current directory, asked once: the `lstat`s name paths below it relatively (see
    /// [`crate::paths::below`]).
    cwd: std::sync::OnceLock<PathBuf>,
}

/// A directory's canonical form, and whether it lies in one of the root directories (then so
/// does every file in it).
#[derive(Debug)]
struct Canonical {
    path: PathBuf,
    in_dirs: bool,
}

/// Where a directory lies.
#[derive(Debug, Clone)]
enum Place {
    /// In a root directory, reached from one without a link: its canonical path is its
    /// parent's and its name, rebuilt when asked (rarely) rather than kept, as a scan
    /// remembers tens of thousands of directories.
    Inside,
    /// Anywhere else (a root directory itself, a link, outside the root): its canonical form.
    At(Arc<Canonical>),
}

/// How the root was chosen, for `--project-root` and `project-root` messages.
pub struct Chosen {
    pub root: ProjectRoot,
    /// Scanned paths outside an explicitly set root, with the error saying so.
    pub outside: Vec<(PathBuf, FileError)>,
}

impl ProjectRoot {
    /// A root made of these directories (canonicalised; ones that do not exist are dropped).
    pub fn of_dirs(dirs: &[PathBuf]) -> ProjectRoot {
        let mut root = ProjectRoot::default();
        for dir in dirs {
            if let Ok(dir) = std::fs::canonicalize(dir) {
                root.add_dir(dir);
            }
        }
        root
    }

    fn add_dir(&mut self, dir: PathBuf) {
        if !self.dirs.contains(&dir) {
            self.dirs.push(dir);
        }
    }

    /// Finds the root of every scanned path (see the module docs). `explicit` is
    /// `--project-root`; `config_file` is `--config`; `named` are the files named on the
    /// command line that may lie anywhere.
    pub fn detect(
        paths: &[PathBuf],
        explicit: Option<&Path>,
        config_file: Option<&Path>,
        named: &[PathBuf],
    ) -> Chosen {
        let mut root = ProjectRoot::default();
        let mut outside = Vec::new();
        let cwd = std::env::current_dir()
            .ok()
            .and_then(|cwd| std::fs::canonicalize(cwd).ok());
        let explicit = explicit.map(|dir| {
            let canonical = std::fs::canonicalize(dir).ok();
            (dir.to_path_buf(), canonical, "--project-root")
        });
        let from_config = config_file.and_then(configured_root);
        for path in paths {
            let start = existing_dir(path);
            let fixed = explicit.clone().or_else(|| {
                from_config
                    .clone()
                    .map(|(dir, canonical)| (dir, canonical, "project-root in --config"))
            });
            let chosen = match fixed {
                Some((written, None, by)) => {
                    let message = format!(
                        "the project root `{}` ({by}) does not exist: nothing under it is read",
                        crate::paths::path_text(&written)
                    );
                    outside.push((path.clone(), FileError::unplaced(path, message)));
                    continue;
                }
                Some((written, Some(dir), by)) => {
                    if !start.starts_with(&dir) {
                        let message = format!(
                            "outside the project root `{}` ({by}): it is not scanned",
                            crate::paths::path_text(&written)
                        );
                        outside.push((path.clone(), FileError::unplaced(path, message)));
                        continue;
                    }
                    dir
                }
                None => match automatic(&start, cwd.as_deref()) {
                    Ok(dir) => dir,
                    Err(configured) => {
                        let message = format!(
                            "outside the project root `{}` (project-root in certgate.toml): it \
                             is not scanned",
                            crate::paths::path_text(&configured)
                        );
                        outside.push((path.clone(), FileError::unplaced(path, message)));
                        continue;
                    }
                },
            };
            root.add_dir(chosen);
        }
        for file in named.iter().map(PathBuf::as_path).chain(config_file) {
            if let Ok(file) = std::fs::canonicalize(file) {
                root.files.push(file);
            }
        }
        Chosen { root, outside }
    }

    /// The root directories, canonical.
    pub fn dirs(&self) -> &[PathBuf] {
        &self.dirs
    }

    /// Whether `path` (a file or directory, existing or not) lies inside the root once every
    /// symbolic link on the way is resolved. A directory asked about before (see
    /// [`Self::contains_dir`]) is answered from memory; anything else costs one `lstat`.
    pub fn contains(&self, path: &Path) -> bool {
        let path = normalize(path);
        match self.remembered(&path) {
            Some(Some(place)) => self.holds_place(&place),
            // A dangling link: what `resolve` makes of it.
            Some(None) => self.resolve(&path).is_some_and(|real| self.holds(&real)),
            None => match split_name(&path) {
                // What `resolve` does for a name that is not a link, without building the
                // real path when its directory is known to lie in the root.
                Some((parent, name))
                    if !std::fs::symlink_metadata(self.local(&path))
                        .is_ok_and(|m| m.file_type().is_symlink()) =>
                {
                    self.contains_in(parent, name)
                }
                _ => self.resolve(&path).is_some_and(|real| self.holds(&real)),
            },
        }
    }

    /// [`Self::contains`] for a directory (or where one may appear), remembered for the scan:
    /// a scan asks about each module directory once per call leading there, and about every
    /// directory it walks, and an `lstat` each time was a good part of its system calls.
    pub fn contains_dir(&self, dir: &Path) -> bool {
        let dir = normalize(dir);
        match self.place(&dir) {
            Some(place) => self.holds_place(&place),
            None => self.resolve(&dir).is_some_and(|real| self.holds(&real)),
        }
    }

    /// Whether the name `name` in `parent`, no link, lies inside the root.
    fn contains_in(&self, parent: &Path, name: &std::ffi::OsStr) -> bool {
        match self.place(parent) {
            Some(Place::Inside) => true,
            Some(Place::At(dir)) => dir.in_dirs || self.holds(&dir.path.join(name)),
            None => false,
        }
    }

    /// Whether a directory at `place` lies inside the root.
    fn holds_place(&self, place: &Place) -> bool {
        match place {
            Place::Inside => true,
            Place::At(known) => known.in_dirs || self.holds(&known.path),
        }
    }

    /// Whether a resolved path lies in a root directory or is a named file.
    fn holds(&self, real: &Path) -> bool {
        self.dirs.iter().any(|dir| real.starts_with(dir))
            || self.files.iter().any(|file| file == real)
    }

    /// Whether a file that is not a symbolic link, at `path`, lies inside the root: only its
    /// directory needs resolving (remembered), so this costs no system call once the
    /// directory is known.
    pub fn contains_unlinked(&self, path: &Path) -> bool {
        let path = normalize(path);
        match split_name(&path) {
            Some((parent, name)) => self.contains_in(parent, name),
            _ => self.contains(&path),
        }
    }

    /// The notice for a reference that leaves the root: `what` names the reference.
    pub fn outside_message(&self, what: &str, path: &Path) -> String {
        // A relative path is shown with where it leads, so the reader sees how far out it is.
        let shown = if path.is_absolute() {
            format!("`{}`", crate::paths::path_text(path))
        } else {
            format!(
                "`{}` (`{}`)",
                crate::paths::path_text(path),
                crate::paths::path_text(&crate::paths::absolute(path))
            )
        };
        format!(
            "{what} is not followed: {shown} is outside the project root `{}`, and nothing \
             outside it is read (set `--project-root` or `project-root` in certgate.toml to \
             widen it)",
            self.shown()
        )
    }

    /// The root directories for messages.
    pub fn shown(&self) -> String {
        let dirs: Vec<String> = self
            .dirs
            .iter()
            .map(|d| crate::paths::path_text(d).to_string())
            .collect();
        dirs.join("`, `")
    }

    /// `path` with every symbolic link resolved. A path that does not exist resolves through
    /// its deepest existing ancestor. The file name is looked at with one `lstat`: only a link
    /// needs resolving; directories are resolved once and remembered.
    fn resolve(&self, path: &Path) -> Option<PathBuf> {
        let path = normalize(path);
        let (parent, name) = match (path.parent(), path.file_name()) {
            (Some(parent), Some(name)) => (parent, name),
            _ => {
                return std::fs::canonicalize(if path.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    &path
                })
                .ok();
            }
        };
        match std::fs::symlink_metadata(&path) {
            Ok(metadata) if metadata.file_type().is_symlink() => std::fs::canonicalize(&path)
                .ok()
                .or_else(|| Some(self.dir(parent)?.join(name))),
            _ => Some(self.dir(parent)?.join(name)),
        }
    }

    /// A directory's canonical form, through its deepest existing ancestor when it does not
    /// exist (the rest appended as written: it holds no links, as it does not exist). Built
    /// from the parent's: one `lstat` per directory, where `canonicalize` would read every
    /// component of the path again (a scan asks about thousands of directories).
    fn dir(&self, dir: &Path) -> Option<PathBuf> {
        let place = self.place(dir)?;
        self.path_of(dir, &place)
    }

    /// The canonical path of `dir`, at `place`.
    fn path_of(&self, dir: &Path, place: &Place) -> Option<PathBuf> {
        match place {
            Place::At(known) => Some(known.path.clone()),
            // Its parent was placed first. By its absolute form: the place of the current
            // directory may have been found under another spelling (`/repo`, asked as `.`).
            Place::Inside => {
                let absolute = normalize(&self.cwd().join(dir));
                let (parent, name) = (absolute.parent()?, absolute.file_name()?);
                Some(self.dir(parent)?.join(name))
            }
        }
    }

    /// `path` as the `lstat`s name it (see [`crate::paths::below`]).
    fn local<'p>(&self, path: &'p Path) -> &'p Path {
        crate::paths::below(path, self.cwd())
    }

    fn cwd(&self) -> &Path {
        self.cwd
            .get_or_init(|| std::env::current_dir().unwrap_or_default())
    }

    /// How a directory is remembered: as the `lstat`s name it, so that the walk's ignore rules
    /// (absolute directories) and the loader (the same ones relative to the current
    /// directory) share one answer; the empty path is `.`.
    fn key<'p>(&self, dir: &'p Path) -> &'p Path {
        if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            self.local(dir)
        }
    }

    /// Where `dir` lies (see [`Self::dir`]), remembered.
    fn place(&self, dir: &Path) -> Option<Place> {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if let Some(known) = self.remembered(dir) {
            return known;
        }
        let key = self.key(dir);
        let place = match (dir.parent(), dir.components().next_back()) {
            (Some(parent), Some(Component::Normal(name))) => match std::fs::symlink_metadata(key) {
                Ok(metadata) if metadata.file_type().is_symlink() => {
                    std::fs::canonicalize(dir).ok().map(|path| self.at(path))
                }
                // A directory, or nothing yet: the parent's form and the name.
                _ => match self.place(parent) {
                    Some(Place::Inside) => Some(Place::Inside),
                    Some(Place::At(parent)) if parent.in_dirs => Some(Place::Inside),
                    Some(Place::At(parent)) => Some(self.at(parent.path.join(name))),
                    None => None,
                },
            },
            // `/`, `.`, `..`: resolved whole.
            _ => std::fs::canonicalize(dir).ok().map(|path| self.at(path)),
        };
        lock(&self.canonical).insert(key.as_os_str().to_owned(), place.clone());
        place
    }

    /// What [`Self::place`] found for `dir` earlier in this scan, if it was asked.
    fn remembered(&self, dir: &Path) -> Option<Option<Place>> {
        lock(&self.canonical)
            .get(self.key(dir).as_os_str())
            .cloned()
    }

    /// The place of the canonical path `path`.
    fn at(&self, path: PathBuf) -> Place {
        let in_dirs = self.dirs.iter().any(|d| path.starts_with(d));
        Place::At(Arc::new(Canonical { path, in_dirs }))
    }
}

/// The automatic root of a canonical directory: `project-root` in the nearest config file up
/// to the root found next, else its git work tree, else the current directory when it is
/// inside it, else itself.
/// `Err` with the configured root when a config sets one that does not hold `start`.
fn automatic(start: &Path, cwd: Option<&Path>) -> Result<PathBuf, PathBuf> {
    let found = match start
        .ancestors()
        .find(|dir| std::fs::symlink_metadata(dir.join(".git")).is_ok())
    {
        Some(tree) => tree.to_path_buf(),
        None => match cwd {
            Some(cwd) if start.starts_with(cwd) => cwd.to_path_buf(),
            _ => start.to_path_buf(),
        },
    };
    // Config files are looked for up to that root, not above it.
    let nearest = start
        .ancestors()
        .take_while(|dir| dir.starts_with(&found))
        .map(|dir| dir.join(crate::paths::CONFIG_FILE))
        .find(|candidate| std::fs::symlink_metadata(candidate).is_ok_and(|m| m.is_file()));
    match nearest
        .and_then(|config| configured_root(&config))
        .and_then(|(_, canonical)| canonical)
    {
        Some(configured) if start.starts_with(&configured) => Ok(configured),
        Some(configured) => Err(configured),
        None => Ok(found),
    }
}

/// The `project-root` a config file sets, as written (joined to the file's directory) and
/// canonical (`None` when it does not exist). Errors in the file are reported when it is
/// loaded for the scan; here a file that cannot be read sets nothing.
fn configured_root(config: &Path) -> Option<(PathBuf, Option<PathBuf>)> {
    let bytes = crate::fs::regular::read(config).ok()?;
    let table: toml::Table = std::str::from_utf8(&bytes).ok()?.parse().ok()?;
    let written = table.get("project-root")?.as_str()?;
    let base = config.parent().unwrap_or(Path::new(""));
    let dir = base.join(written);
    let canonical = std::fs::canonicalize(&dir).ok();
    Some((dir, canonical))
}

/// The canonical directory a scanned path starts from: itself when a directory, else its
/// directory; a path that does not exist (an editor's new buffer) through its deepest existing
/// ancestor.
fn existing_dir(path: &Path) -> PathBuf {
    let absolute = crate::paths::absolute(path);
    let mut current: &Path = &absolute;
    loop {
        if let Ok(metadata) = std::fs::metadata(current) {
            // A linked file counts where the link is, not where it leads.
            let dir = if metadata.is_dir() {
                current
            } else {
                current.parent().unwrap_or(current)
            };
            if let Ok(canonical) = std::fs::canonicalize(dir) {
                return canonical;
            }
        }
        match current.parent() {
            Some(parent) => current = parent,
            None => return absolute,
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn the_git_work_tree_is_the_root_and_links_leaving_it_are_outside() {
        let (_dir, base) = crate::testing::canonical_tempdir();
        let repo = base.join("repo");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        std::fs::create_dir_all(repo.join("envs/prod")).unwrap();
        std::fs::create_dir_all(base.join("outside")).unwrap();
        std::fs::write(base.join("outside/secret.tf"), "x").unwrap();
        std::os::unix::fs::symlink(base.join("outside/secret.tf"), repo.join("envs/link.tf"))
            .unwrap();
        std::os::unix::fs::symlink(base.join("outside"), repo.join("envs/out")).unwrap();
        let chosen = ProjectRoot::detect(&[repo.join("envs/prod")], None, None, &[]);
        let root = chosen.root;
        assert_eq!(root.dirs(), std::slice::from_ref(&repo));
        assert!(root.contains(&repo.join("envs/prod/main.tf")));
        assert!(root.contains(&repo.join("envs/prod/../../modules/new/main.tf")));
        assert!(!root.contains(&repo.join("envs/prod/../../../outside/secret.tf")));
        assert!(!root.contains(&repo.join("envs/link.tf")));
        assert!(!root.contains(&repo.join("envs/out/secret.tf")));
        assert!(!root.contains(&repo.join("envs/out/missing/x.tf")));
        assert!(!root.contains(Path::new("/etc/passwd")));
    }

    #[test]
    fn directories_remembered_get_the_answers_of_a_fresh_root_in_any_order_and_spelling() {
        let (_dir, base) = crate::testing::canonical_tempdir();
        let repo = base.join("repo");
        for dir in ["a/b/c", "outside-link-target", "in-link-target/d"] {
            let parent = if dir.starts_with("outside") {
                &base
            } else {
                &repo
            };
            std::fs::create_dir_all(parent.join(dir)).unwrap();
        }
        std::fs::create_dir_all(base.join("outside/e")).unwrap();
        let link = |target: &Path, at: &str| std::os::unix::fs::symlink(target, repo.join(at));
        link(&base.join("outside"), "a/out").unwrap();
        link(&repo.join("in-link-target"), "a/in").unwrap();
        link(&base.join("nothing-here"), "a/dangling").unwrap();
        let asked = [
            ("a/b/c", true),
            ("a/b/c/new", true),
            ("a/b/../../..", false),
            ("a/out", false),
            ("a/out/e", false),
            ("a/in", true),
            ("a/in/d", true),
            ("a/dangling", true),
            ("a/dangling/x", false),
            ("", true),
        ];
        // Each spelling of each path, asked in one order and the reverse, of one root that
        // remembers and of a fresh root for each question.
        for order in [false, true] {
            let root = ProjectRoot::of_dirs(std::slice::from_ref(&repo));
            let mut questions: Vec<_> = asked.iter().collect();
            if order {
                questions.reverse();
            }
            for (path, inside) in questions {
                for path in [repo.join(path), base.join("repo/./").join(path)] {
                    let fresh = ProjectRoot::of_dirs(std::slice::from_ref(&repo));
                    assert_eq!(fresh.contains(&path), *inside, "{path:?}");
                    assert_eq!(root.contains_dir(&path), *inside, "{path:?}");
                    assert_eq!(root.contains(&path), *inside, "{path:?}");
                    if let Some(parent) = path.parent() {
                        let unlinked = root.contains_unlinked(&parent.join("f.tf"));
                        assert_eq!(unlinked, fresh.contains(&parent.join("f.tf")), "{path:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn an_explicit_root_leaves_paths_outside_it_unscanned() {
        let (_dir, base) = crate::testing::canonical_tempdir();
        std::fs::create_dir_all(base.join("a")).unwrap();
        std::fs::create_dir_all(base.join("b")).unwrap();
        let chosen = ProjectRoot::detect(
            &[base.join("a"), base.join("b")],
            Some(&base.join("a")),
            None,
            &[],
        );
        assert_eq!(chosen.outside.len(), 1);
        assert_eq!(chosen.outside[0].0, base.join("b"));
        assert!(chosen.outside[0].1.message.contains("--project-root"));
    }

    #[test]
    fn project_root_in_the_nearest_config_widens_the_root() {
        let (_dir, base) = crate::testing::canonical_tempdir();
        std::fs::create_dir_all(base.join("repo/.git")).unwrap();
        std::fs::create_dir_all(base.join("shared")).unwrap();
        std::fs::write(base.join("repo/certgate.toml"), "project-root = \"..\"\n").unwrap();
        let chosen = ProjectRoot::detect(&[base.join("repo")], None, None, &[]);
        assert_eq!(chosen.root.dirs(), std::slice::from_ref(&base));
        assert!(chosen.root.contains(&base.join("shared/x.tf")));
        // One that does not hold the scanned path leaves it unscanned, with the reason.
        std::fs::write(
            base.join("repo/certgate.toml"),
            "project-root = \"../shared\"\n",
        )
        .unwrap();
        let chosen = ProjectRoot::detect(&[base.join("repo")], None, None, &[]);
        assert_eq!(chosen.outside.len(), 1);
        assert!(
            chosen.outside[0]
                .1
                .message
                .contains("project-root in certgate.toml")
        );
    }
}
