//! The disk, bounded by the project root: the file system of every scan outside tests.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{FileSystem, Kind, Listing, Refused, Walked, regular};
use crate::fs::root::ProjectRoot;

/// Files on disk, read only inside `root` (anywhere without one). `Outside` is decided before
/// a path is opened, listed or followed: at most an `lstat` looks at its own name (to tell a
/// link apart), so nothing outside the root is ever read.
#[derive(Debug, Clone, Default)]
pub struct DiskFs {
    root: Option<Arc<ProjectRoot>>,
}

impl DiskFs {
    /// The disk inside `root`.
    pub fn new(root: Arc<ProjectRoot>) -> Self {
        DiskFs { root: Some(root) }
    }

    /// The whole disk: for unit tests of single front ends, and for what the command line
    /// names explicitly (configs found above the project, `--var-file`).
    pub fn unbounded() -> Self {
        DiskFs::default()
    }

    fn allowed(&self, path: &Path) -> bool {
        self.root.as_ref().is_none_or(|root| root.contains(path))
    }

    /// [`Self::allowed`] for a directory, remembered (see [`ProjectRoot::contains_dir`]).
    fn allowed_dir(&self, dir: &Path) -> bool {
        self.root.as_ref().is_none_or(|root| root.contains_dir(dir))
    }
}

impl FileSystem for DiskFs {
    fn read(&self, path: &Path) -> Result<Vec<u8>, Refused> {
        let Some(root) = &self.root else {
            return regular::read(path);
        };
        // Most files are no links: opened without following one, only their directory needs
        // checking. A link is resolved and checked whole before it is followed.
        if !root.contains_unlinked(path) {
            return Err(Refused::Outside);
        }
        match regular::read_unless_link(path)? {
            Some(bytes) => Ok(bytes),
            None if root.contains(path) => regular::read(path),
            None => Err(Refused::OutsideLink(regular::link_target(path))),
        }
    }

    // One `lstat` for a path that is no link (most are): it says what the path is, and only
    // its directory needs checking (remembered), as for `read`.
    fn kind(&self, path: &Path) -> Result<Kind, Refused> {
        let Some(root) = &self.root else {
            return regular::stat(path);
        };
        match regular::stat_unless_link(path) {
            Ok(Some(_)) | Err(_) if !root.contains_unlinked(path) => Err(Refused::Outside),
            Ok(Some(kind)) => Ok(kind),
            Err(refused) => Err(refused),
            Ok(None) if !root.contains(path) => Err(Refused::Outside),
            Ok(None) => regular::stat(path),
        }
    }

    // `kind` looks again at a path that fails only to word why; these answer yes or no
    // (discovery asks for a `certgate.toml` in every directory).
    fn is_file(&self, path: &Path) -> bool {
        let Some(root) = &self.root else {
            return regular::is_kind(path, Kind::File);
        };
        match std::fs::symlink_metadata(path) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                root.contains(path) && regular::is_kind(path, Kind::File)
            }
            Ok(metadata) => metadata.is_file() && root.contains_unlinked(path),
            Err(_) => false,
        }
    }

    fn is_dir(&self, path: &Path) -> bool {
        self.allowed_dir(path) && regular::is_kind(path, Kind::Dir)
    }

    fn list(&self, dir: &Path) -> Result<Listing, Refused> {
        let listing = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if !self.allowed_dir(listing) {
            return Err(Refused::Outside);
        }
        regular::observe(listing);
        let entries = std::fs::read_dir(listing).map_err(|e| Refused::Io(regular::reason(&e)))?;
        let mut found = Listing::default();
        for entry in entries.filter_map(Result::ok) {
            let path = dir.join(entry.file_name());
            let Ok(file_type) = entry.file_type() else {
                continue;
            };
            let kind = if file_type.is_file() {
                Kind::File
            } else if file_type.is_dir() {
                Kind::Dir
            } else if file_type.is_symlink() {
                // Terraform reads a linked file as its own: so does certgate, when the link
                // stays inside the project root and leads to a regular file.
                match regular::stat(&path) {
                    Ok(Kind::File) if self.allowed(&path) => Kind::File,
                    Ok(Kind::File) => {
                        let target = regular::link_target(&path);
                        found.links_outside.push((path, target));
                        continue;
                    }
                    Ok(Kind::Dir) if self.allowed(&path) => Kind::Dir,
                    _ => continue,
                }
            } else {
                continue;
            };
            found.entries.push((path, kind));
        }
        found.entries.sort_by(|a, b| a.0.cmp(&b.0));
        found.links_outside.sort();
        Ok(found)
    }

    fn walk(&self, dirs: &[PathBuf]) -> Walked {
        let root = match &self.root {
            Some(root) => root.clone(),
            None => Arc::new(ProjectRoot::of_dirs(dirs)),
        };
        super::walk::walk(dirs, &root)
    }

    fn root(&self) -> Option<&ProjectRoot> {
        self.root.as_deref()
    }
}
