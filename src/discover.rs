//! Finds the files to scan: explicit file arguments as given, directories walked in parallel.
//!
//! The walk ([`crate::fs::FileSystem::walk`]) is the `ignore` crate's (ripgrep's): `.gitignore` and `.ignore` are honoured even
//! outside a git repository (read by [`crate::fs::ignores`], regular files inside the project root
//! only), `.git/`, `.terraform/` and `.terragrunt-cache/` are always skipped. Linked directories are never entered,
//! so a link loop cannot recur; a linked file is scanned when it leads to a regular file inside
//! the project root.
//! A file named on the command line is scanned even when ignored (pre-commit passes changed files).
//! A named file that exists only in memory (an editor's new, unsaved buffer) is scanned too.

use std::path::PathBuf;

use rayon::slice::ParallelSliceMut as _;

use crate::error::FileError;
use crate::file_kind::FileKind;
use crate::fs::{FileSystem, Kind, Refused};
use crate::load::Overrides;
use crate::paths::normalize;

/// The files to scan, sorted and without duplicates, and the paths that could not be walked.
#[derive(Debug, Default)]
pub struct Discovery {
    pub files: Vec<(PathBuf, FileKind)>,
    pub errors: Vec<FileError>,
    /// When the walk listed on disk every directory holding a file it found: the directories
    /// (as spelled in `files`) that may hold a `certgate.toml` all the same. Every other
    /// directory of a file holds none, and config discovery needs no `stat` for it (see
    /// [`crate::fs::Walked::config_unsure`]). `None`: unknown.
    pub config_unsure: Option<std::collections::HashSet<PathBuf>>,
    /// When the walk listed on disk: the Terraform module files of the directories it listed
    /// (see [`crate::fs::module_listings`]).
    pub module_listings: Option<crate::fs::module_listings::ModuleListings>,
}

/// Discovers the files of our kinds under `roots` in `fs`. `in_memory` holds the contents that
/// stand in for files (by normalised path): a root named there counts as a file even when it is
/// not on disk yet.
pub fn discover(roots: &[PathBuf], in_memory: &Overrides, fs: &dyn FileSystem) -> Discovery {
    let mut discovery = Discovery::default();
    let mut directories = Vec::new();
    for root in roots {
        if in_memory.contains_key(&normalize(root)) {
            if let Some(kind) = FileKind::discovered(root) {
                discovery.files.push((root.clone(), kind));
            }
            continue;
        }
        match fs.kind(root) {
            Ok(Kind::Dir) => directories.push(root.clone()),
            // A device or FIFO named (`/dev/zero`, `<(cat main.tf)`): say what it is rather
            // than scan nothing. One with our name is refused by the loader the same way.
            Ok(Kind::Other(what)) if FileKind::discovered(root).is_none() => {
                discovery.errors.push(FileError::unplaced(
                    root,
                    format!("not a regular file: it is {what}"),
                ));
            }
            // An explicit file: scanned when it has one of our names, whatever the ignore files say.
            Ok(_) => {
                if let Some(kind) = FileKind::discovered(root) {
                    discovery.files.push((root.clone(), kind));
                }
            }
            // certgate's own words, as for a module directory that does not exist.
            Err(Refused::Missing) => discovery
                .errors
                .push(FileError::unplaced(root, "does not exist")),
            // A dangling link or a loop: say which.
            Err(refused) => discovery
                .errors
                .push(FileError::unplaced(root, refused.to_string())),
        }
    }
    let explicit = discovery.files.len();
    if !directories.is_empty() {
        let walked = fs.walk(&directories);
        discovery.files.extend(walked.files);
        discovery.errors.extend(walked.errors);
        if walked.listed_on_disk {
            // Files named on the command line were not found by listing their directory.
            let named = (discovery.files[..explicit].iter())
                .map(|(path, _)| crate::path_map::spelled_dir(path).to_path_buf());
            discovery.config_unsure = Some(walked.config_unsure.into_iter().chain(named).collect());
            discovery.module_listings = Some(walked.module_listings);
        }
    }
    // Stable, as `sort` is (paths equal by components may differ in spelling), on the
    // workers, by keys that compare as the paths do: comparing paths component by component
    // was a good part of discovery.
    sort(&mut discovery.files);
    discovery.files.dedup();
    discovery
}

/// Sorts discovered files by path, then kind, stably.
#[cfg(unix)]
fn sort(files: &mut [(PathBuf, FileKind)]) {
    files.par_sort_by_cached_key(|(path, kind)| (crate::paths::order_key(path), *kind));
}

#[cfg(not(unix))]
fn sort(files: &mut [(PathBuf, FileKind)]) {
    files.par_sort();
}
