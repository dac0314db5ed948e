//! Scans a set of files held in memory, through the loader's overrides: the texts never touch
//! the disk.
//!
//! Discovery and directory listings still look at the disk, so each project gets a temporary
//! directory of empty placeholder files (outside any repository, whose `.gitignore` could hide
//! them), removed when the project is dropped. That costs about 1% of a scan, and keeps every
//! run independent of the ones before it.

use std::path::{Path, PathBuf};

use crate::load::Overrides;
use crate::paths::normalize;
use crate::report::Report;
use crate::scan::{Settings, scan};

/// One input file: its path relative to the scanned directory, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub path: PathBuf,
    pub text: String,
}

impl File {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        File {
            path: path.into(),
            text: text.into(),
        }
    }
}

/// A temporary directory holding an empty placeholder for each of `paths`.
fn placeholders(paths: &[PathBuf]) -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("certgate-harness-")
        .tempdir()
        .expect("the harness needs a temporary directory");
    for path in paths {
        let placeholder = dir.path().join(path);
        if let Some(parent) = placeholder.parent() {
            std::fs::create_dir_all(parent).expect("create a placeholder directory");
        }
        std::fs::write(&placeholder, "").expect("create a placeholder file");
    }
    dir
}

/// Refuses paths that would leave the project directory.
fn relative(path: &Path) -> PathBuf {
    let normal = normalize(path);
    assert!(
        normal.is_relative() && !normal.starts_with("..") && normal.file_name().is_some(),
        "harness file paths are relative and stay inside the project: {}",
        path.display()
    );
    normal
}

/// A scanned project: its directory and the overrides that stand for its files.
pub struct Project {
    pub dir: PathBuf,
    pub overrides: Overrides,
    _placeholders: tempfile::TempDir,
}

impl Project {
    pub fn new(files: &[File]) -> Self {
        let paths: Vec<PathBuf> = files.iter().map(|f| relative(&f.path)).collect();
        let placeholders = placeholders(&paths);
        // Canonical, so the paths the scan reports are the ones the overrides name.
        let dir = std::fs::canonicalize(placeholders.path()).expect("the directory exists");
        let overrides = files
            .iter()
            .zip(&paths)
            .map(|(file, path)| (normalize(&dir.join(path)), file.text.clone()))
            .collect();
        Project {
            dir,
            overrides,
            _placeholders: placeholders,
        }
    }

    /// Scans the project with `extra` contents over its own (the fixer's trial texts).
    pub fn scan(&self, extra: &Overrides) -> Report {
        let mut overrides = self.overrides.clone();
        overrides.extend(extra.iter().map(|(k, v)| (normalize(k), v.clone())));
        scan(std::slice::from_ref(&self.dir), &settings(overrides))
    }
}

/// Settings with a fixed date, so exception expiry never depends on the clock.
fn settings(overrides: Overrides) -> Settings {
    Settings {
        overrides,
        today: crate::suppress::date::parse_date("2026-06-01").ok(),
        ..Settings::default()
    }
}

/// Scans `files` (relative paths) in memory, with `extra` contents replacing some of them.
pub fn scan_in_memory(files: &[File], extra: &Overrides) -> Report {
    Project::new(files).scan(extra)
}
