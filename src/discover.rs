//! Finds the files to scan: explicit file arguments as given, directories walked in parallel.
//!
//! The walk is the `ignore` crate's (ripgrep's): `.gitignore` and `.ignore` are honoured even
//! outside a git repository (read by [`crate::ignores`], regular files inside the project root
//! only), `.git/` and `.terraform/` are always skipped. Linked directories are never entered,
//! so a link loop cannot recur; a linked file is scanned when it leads to a regular file inside
//! the project root.
//! A file named on the command line is scanned even when ignored (pre-commit passes changed files).
//! A named file that exists only in memory (an editor's new, unsaved buffer) is scanned too.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::{WalkBuilder, WalkState};

use crate::error::FileError;
use crate::file_kind::FileKind;
use crate::ignores::IgnoreRules;
use crate::load::Overrides;
use crate::lock::{into_inner, lock};
use crate::paths::normalize;
use crate::root::ProjectRoot;

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
pub fn discover(roots: &[PathBuf], in_memory: &Overrides, project: &Arc<ProjectRoot>) -> Discovery {
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
            // A device or FIFO named (`/dev/zero`, `<(cat main.tf)`): say what it is rather
            // than scan nothing. One with our name is refused by the loader the same way.
            Ok(metadata) if !metadata.is_file() && FileKind::of(root).is_none() => {
                discovery.errors.push(FileError::unplaced(
                    root,
                    format!(
                        "not a regular file: it is {}",
                        crate::regular::describe(&metadata.file_type())
                    ),
                ));
            }
            // An explicit file: scanned when it has one of our names, whatever the ignore files say.
            Ok(_) => {
                if let Some(kind) = FileKind::of(root) {
                    discovery.files.push((root.clone(), kind));
                }
            }
            Err(error) => discovery.errors.push(FileError::unplaced(
                root,
                match error.kind() {
                    std::io::ErrorKind::NotFound if std::fs::symlink_metadata(root).is_err() => {
                        // certgate's own words, as for a module directory that does not exist.
                        "does not exist".to_string()
                    }
                    // A dangling link or a loop: say which.
                    _ => crate::regular::not_a_file(root).unwrap_or_else(|| {
                        format!("cannot read: {}", crate::load::io_reason(&error))
                    }),
                },
            )),
        }
    }
    if !directories.is_empty() {
        let (files, errors) = walk(&directories, project);
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
    let target = crate::paths::normalize(std::path::Path::new(&target));
    if files
        .iter()
        .any(|(path, _)| crate::paths::normalize(path) == target)
    {
        let _ = std::fs::remove_file(&target);
    }
}

fn walk(
    directories: &[PathBuf],
    project: &Arc<ProjectRoot>,
) -> (Vec<(PathBuf, FileKind)>, Vec<FileError>) {
    let mut builder = WalkBuilder::new(&directories[0]);
    for directory in &directories[1..] {
        builder.add(directory);
    }
    // The crate reads no ignore file itself: `rules` does, safely.
    let rules = IgnoreRules::new(project.clone());
    builder
        .hidden(false)
        .require_git(false)
        .follow_links(false)
        .parents(false)
        .ignore(false)
        .git_ignore(false)
        .git_global(false)
        .git_exclude(false);
    let files = Mutex::new(Vec::new());
    let errors = Mutex::new(Vec::new());
    let rules = Arc::new(rules);
    let filter_rules = rules.clone();
    builder.filter_entry(move |entry| {
        let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
        // A file certgate never reads is dropped later anyway: no need to match it.
        if !is_dir && FileKind::of(entry.path()).is_none() {
            return true;
        }
        let skipped = is_dir
            && entry
                .file_name()
                .to_str()
                .is_some_and(|name| ALWAYS_SKIPPED.contains(&name));
        !skipped && !filter_rules.is_ignored(entry.path(), is_dir)
    });
    builder.build_parallel().run(|| {
        Box::new(|entry| {
            match entry {
                Ok(entry) => {
                    let file_type = entry.file_type();
                    let is_file = file_type.is_some_and(|t| t.is_file());
                    let is_link = file_type.is_some_and(|t| t.is_symlink());
                    if let Some(kind) = FileKind::of(entry.path()).filter(|_| is_file || is_link)
                        && (!is_link || linked_file(entry.path(), project, &errors))
                    {
                        lock(&files).push((entry.into_path(), kind));
                    }
                }
                Err(error) => lock(&errors).push(walk_error(&error)),
            }
            WalkState::Continue
        })
    });
    let mut errors = into_inner(errors);
    errors.extend(rules.take_errors());
    (into_inner(files), errors)
}

/// Whether a symbolic link met in a walk is scanned: it must lead to a regular file inside the
/// project root (one leading out is a notice; a dangling link or a loop is skipped, as a
/// FIFO is).
fn linked_file(path: &Path, project: &ProjectRoot, errors: &Mutex<Vec<FileError>>) -> bool {
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return false;
    }
    if project.contains(path) {
        return true;
    }
    let target = std::fs::read_link(path).unwrap_or_default();
    lock(errors).push(FileError::notice(
        path,
        None,
        format!(
            "not read: this symbolic link leads to `{}`, outside the project root `{}`",
            target.display(),
            project.shown()
        ),
    ));
    false
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
