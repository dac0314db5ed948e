//! A file system held in memory: the fuzz and fixer harness scans projects that never touch
//! the disk.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{FileSystem, Kind, Listing, Refused, Walked};
use crate::file_kind::FileKind;
use crate::fs::root::ProjectRoot;
use crate::paths::normalize;

/// Directory names a walk never descends into, as on disk.
const ALWAYS_SKIPPED: &[&str] = &[".git", ".terraform", ".terragrunt-cache"];

/// Files by normalised absolute path; every directory above a file exists. Unbounded (no
/// project root) and without ignore files: it holds only what a test put there.
#[derive(Debug, Default, Clone)]
pub struct MemoryFs {
    files: BTreeMap<PathBuf, String>,
}

impl MemoryFs {
    /// A file system holding `files` (keys normalised).
    pub fn new(files: impl IntoIterator<Item = (PathBuf, String)>) -> Self {
        MemoryFs {
            files: files
                .into_iter()
                .map(|(path, text)| (normalize(&path), text))
                .collect(),
        }
    }

    /// The files strictly below `dir`, in path order.
    fn under<'a>(&'a self, dir: &'a Path) -> impl Iterator<Item = &'a PathBuf> + 'a {
        super::below(&self.files, dir)
    }
}

impl FileSystem for MemoryFs {
    fn read(&self, path: &Path) -> Result<Vec<u8>, Refused> {
        match self.files.get(&normalize(path)) {
            Some(text) => Ok(text.as_bytes().to_vec()),
            None => Err(Refused::Io("no such file or directory".to_string())),
        }
    }

    fn kind(&self, path: &Path) -> Result<Kind, Refused> {
        let path = normalize(path);
        if self.files.contains_key(&path) {
            Ok(Kind::File)
        } else if self.under(&path).next().is_some() {
            Ok(Kind::Dir)
        } else {
            Err(Refused::Missing)
        }
    }

    fn list(&self, dir: &Path) -> Result<Listing, Refused> {
        let dir = normalize(dir);
        let entries = super::entries_of(&dir, self.under(&dir));
        if entries.is_empty() {
            return Err(Refused::Io("no such file or directory".to_string()));
        }
        Ok(Listing {
            entries,
            links_outside: Vec::new(),
        })
    }

    fn walk(&self, dirs: &[PathBuf]) -> Walked {
        let mut files = Vec::new();
        for dir in dirs {
            let dir = normalize(dir);
            for path in self.under(&dir) {
                let skipped = path.strip_prefix(&dir).is_ok_and(|rest| {
                    rest.components()
                        .any(|c| ALWAYS_SKIPPED.iter().any(|s| c.as_os_str() == *s))
                });
                if let Some(kind) = FileKind::discovered(path).filter(|_| !skipped) {
                    files.push((path.clone(), kind));
                }
            }
        }
        Walked {
            files,
            ..Walked::default()
        }
    }

    fn root(&self) -> Option<&ProjectRoot> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_exist_above_files_and_list_one_level() {
        let fs = MemoryFs::new([
            (PathBuf::from("/p/a/main.tf"), String::new()),
            (PathBuf::from("/p/a/b/deep.tf"), String::new()),
            (PathBuf::from("/p/.terraform/x.tf"), String::new()),
        ]);
        assert_eq!(fs.kind(Path::new("/p/a")), Ok(Kind::Dir));
        assert_eq!(fs.kind(Path::new("/p/a/main.tf")), Ok(Kind::File));
        assert_eq!(fs.kind(Path::new("/p/ab")), Err(Refused::Missing));
        let listing = fs.list(Path::new("/p/a")).unwrap();
        assert_eq!(
            listing.entries,
            [
                (PathBuf::from("/p/a/b"), Kind::Dir),
                (PathBuf::from("/p/a/main.tf"), Kind::File)
            ]
        );
        let Walked {
            files: walked,
            errors,
            ..
        } = fs.walk(&[PathBuf::from("/p")]);
        assert!(errors.is_empty());
        let paths: Vec<_> = walked.into_iter().map(|(p, _)| p).collect();
        assert_eq!(
            paths,
            [
                PathBuf::from("/p/a/b/deep.tf"),
                PathBuf::from("/p/a/main.tf")
            ]
        );
    }
}
