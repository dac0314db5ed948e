//! The Terraform module files of each directory a walk listed, so that a scan does not list
//! the directory again: relevance reads the configuration files of every directory a call
//! leads to and the module parse lists it too, and at 100 000 files those listings were
//! twelve thousand `open`/`getdents`/`close` rounds (about 8% of its system calls).
//!
//! A directory is answered from here only when the walk read its whole listing and found no
//! symbolic link of a module file's name in it (a link is followed and checked by the disk
//! listing, as before): the walk records the module files it keeps as sources, those it
//! ignores, and the variables and lock files it never keeps. Entries of those names that are
//! neither files nor links (a directory `x.tf`, a FIFO) are left out, as a disk listing leaves
//! them out. A directory met with an error, or holding a name that is not UTF-8, is left to
//! the disk. Names are kept joined in one string per directory: a scan holds this for its
//! whole length.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use crate::path_map::{PathHashMap, PathHashSet};
use crate::paths::normalized;

/// Ends each name in a directory's string: no file name holds it.
const END: char = '/';

/// What a walk saw of the module files of the directories it listed.
#[derive(Debug, Default)]
pub struct ModuleListings {
    /// By normalised directory: the names of its module files, each followed by [`END`].
    names: PathHashMap<PathBuf, Box<str>>,
}

/// Collects [`ModuleListings`] during a walk.
#[derive(Debug, Default)]
pub struct Collecting {
    names: PathHashMap<PathBuf, String>,
    unsure: PathHashSet<PathBuf>,
}

impl Collecting {
    /// `path` (as the walk spells it) is a regular module file of a directory the walk lists.
    pub fn file(&mut self, path: &Path) {
        let Some((dir, name)) = split(path) else {
            return;
        };
        let Some(name) = name.to_str() else {
            return self.unsure(dir);
        };
        let names = self.names.entry(normalized(dir).into_owned()).or_default();
        names.push_str(name);
        names.push(END);
    }

    /// The directory `dir` (as the walk spells it) is left to the disk.
    pub fn unsure(&mut self, dir: &Path) {
        self.unsure.insert(normalized(dir).into_owned());
    }

    pub fn done(self) -> ModuleListings {
        let unsure = self.unsure;
        ModuleListings {
            names: (self.names.into_iter())
                .filter(|(dir, _)| !unsure.contains(dir))
                .map(|(dir, names)| (dir, names.into_boxed_str()))
                .collect(),
        }
    }
}

/// The directory (`.` for a bare name) and the name of `path`.
fn split(path: &Path) -> Option<(&Path, &OsStr)> {
    let (_, name) = crate::path_map::split_name(path)?;
    Some((crate::path_map::spelled_dir(path), name))
}

impl ModuleListings {
    /// The module files of `dir` (normalised), as a listing of it names them (`dir` joined
    /// with each name, in name order); `None` when the walk did not see it whole.
    pub fn files(&self, dir: &Path) -> Option<Vec<PathBuf>> {
        let joined = self.names.get(dir)?;
        let mut names: Vec<&str> = joined.split_terminator(END).collect();
        // Two walks of one tree (`check a a/b`) see a file twice.
        names.sort_unstable();
        names.dedup();
        Some(names.into_iter().map(|name| dir.join(name)).collect())
    }

    /// How many directories it answers for.
    #[cfg(test)]
    pub fn directories(&self) -> usize {
        self.names.len()
    }
}
