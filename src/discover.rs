//! Finds the files to scan: explicit file arguments as given, directories walked in parallel.
//!
//! The walk is the `ignore` crate's (ripgrep's): `.gitignore` and `.ignore` are honoured even
//! outside a git repository, `.git/` and `.terraform/` are always skipped, and symbolic links are
//! never followed, so nothing outside the scanned roots is read and a link loop cannot recur.
//! A file named on the command line is scanned even when ignored (pre-commit passes changed files).
//! A named file that exists only in memory (an editor's new, unsaved buffer) is scanned too.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ignore::{WalkBuilder, WalkState};

use crate::error::FileError;
use crate::file_kind::FileKind;
use crate::load::{Overrides, normalize};

/// Directory names never descended into: VCS data and Terraform's provider/module cache.
const ALWAYS_SKIPPED: &[&str] = &[".git", ".terraform"];

/// The files to scan, sorted and without duplicates, and the paths that could not be walked.
#[derive(Debug, Default)]
pub struct Discovery {
    pub files: Vec<(PathBuf, FileKind)>,
    pub errors: Vec<FileError>,
}

/// Discovers the files of our kinds under `roots`. `in_memory` holds the contents that stand in
/// for files (by normalised path): a root named there counts as a file even when it is not on
/// disk yet.
pub fn discover(roots: &[PathBuf], in_memory: &Overrides) -> Discovery {
    let mut discovery = Discovery::default();
    let mut directories = Vec::new();
    for root in roots {
        if in_memory.contains_key(&normalize(root)) {
            if let Some(kind) = FileKind::of(root) {
                discovery.files.push((root.clone(), kind));
            }
            continue;
        }
        match std::fs::metadata(root) {
            Ok(metadata) if metadata.is_dir() => directories.push(root.clone()),
            // An explicit file: scanned when it has one of our names, whatever the ignore files say.
            Ok(_) => {
                if let Some(kind) = FileKind::of(root) {
                    discovery.files.push((root.clone(), kind));
                }
            }
            Err(error) => discovery.errors.push(FileError::unplaced(
                root,
                match error.kind() {
                    // certgate's own words, as for a module directory that does not exist.
                    std::io::ErrorKind::NotFound => "does not exist".to_string(),
                    _ => format!("cannot read: {}", crate::load::io_reason(&error)),
                },
            )),
        }
    }
    if !directories.is_empty() {
        let (files, errors) = walk(&directories);
        discovery.files.extend(files);
        discovery.errors.extend(errors);
    }
    discovery.files.sort();
    discovery.files.dedup();
    #[cfg(debug_assertions)]
    remove_for_test(&discovery.files);
    discovery
}

/// A test hook, compiled into debug builds only: `CERTGATE_TEST_REMOVE_AFTER_DISCOVERY=PATH`
/// deletes PATH right after discovery has listed it, so the CLI tests can show what a file
/// removed between discovery and reading does. A real race cannot be timed reliably.
#[cfg(debug_assertions)]
fn remove_for_test(files: &[(PathBuf, FileKind)]) {
    let Some(target) = std::env::var_os("CERTGATE_TEST_REMOVE_AFTER_DISCOVERY") else {
        return;
    };
    let target = crate::load::normalize(std::path::Path::new(&target));
    if files
        .iter()
        .any(|(path, _)| crate::load::normalize(path) == target)
    {
        let _ = std::fs::remove_file(&target);
    }
}

fn walk(directories: &[PathBuf]) -> (Vec<(PathBuf, FileKind)>, Vec<FileError>) {
    let mut builder = WalkBuilder::new(&directories[0]);
    for directory in &directories[1..] {
        builder.add(directory);
    }
    builder
        .hidden(false)
        .require_git(false)
        .follow_links(false)
        .filter_entry(|entry| {
            !(entry.depth() > 0
                && entry.file_type().is_some_and(|t| t.is_dir())
                && entry
                    .file_name()
                    .to_str()
                    .is_some_and(|name| ALWAYS_SKIPPED.contains(&name)))
        });
    let files = Mutex::new(Vec::new());
    let errors = Mutex::new(Vec::new());
    builder.build_parallel().run(|| {
        Box::new(|entry| {
            match entry {
                Ok(entry) => {
                    // Symbolic links are reported as links (not followed) and skipped here.
                    let is_file = entry.file_type().is_some_and(|t| t.is_file());
                    if let Some(kind) = FileKind::of(entry.path()).filter(|_| is_file) {
                        lock(&files).push((entry.into_path(), kind));
                    }
                }
                Err(error) => lock(&errors).push(walk_error(&error)),
            }
            WalkState::Continue
        })
    });
    (into_inner(files), into_inner(errors))
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn into_inner<T>(mutex: Mutex<T>) -> T {
    mutex
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Turns a walk error into a file error naming the path it happened at.
fn walk_error(error: &ignore::Error) -> FileError {
    fn path_of(error: &ignore::Error) -> Option<&Path> {
        match error {
            ignore::Error::WithPath { path, .. } => Some(path),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                path_of(err)
            }
            ignore::Error::Loop { child, .. } => Some(child),
            ignore::Error::Partial(errors) => errors.first().and_then(path_of),
            _ => None,
        }
    }
    fn reason(error: &ignore::Error) -> String {
        match error {
            ignore::Error::WithPath { err, .. }
            | ignore::Error::WithDepth { err, .. }
            | ignore::Error::WithLineNumber { err, .. } => reason(err),
            ignore::Error::Io(io) if io.kind() == std::io::ErrorKind::PermissionDenied => {
                "permission denied".to_string()
            }
            other => other.to_string(),
        }
    }
    let path = path_of(error).map_or_else(PathBuf::new, Path::to_path_buf);
    FileError::unplaced(path, format!("cannot read: {}", reason(error)))
}
