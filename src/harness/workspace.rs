//! Scans a set of files held in memory ([`MemoryFs`]): the texts never touch the disk, and
//! discovery and directory listings ask the memory too, so no run depends on another.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::fs::MemoryFs;
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

/// Where every project lives: a directory that is not on disk (nothing is read there).
const PROJECT_DIR: &str = "/certgate-harness/project";

/// A scanned project: its directory and its files' texts by absolute path.
pub struct Project {
    pub dir: PathBuf,
    pub overrides: Overrides,
    files: Arc<MemoryFs>,
}

impl Project {
    pub fn new(files: &[File]) -> Self {
        let dir = PathBuf::from(PROJECT_DIR);
        let overrides: Overrides = files
            .iter()
            .map(|file| {
                (
                    normalize(&dir.join(relative(&file.path))),
                    file.text.clone(),
                )
            })
            .collect();
        let files = Arc::new(MemoryFs::new(overrides.clone()));
        Project {
            dir,
            overrides,
            files,
        }
    }

    /// Scans the project with `extra` contents over its own (the fixer's trial texts).
    pub fn scan(&self, extra: &Overrides) -> Report {
        let overrides = extra
            .iter()
            .map(|(k, v)| (normalize(k), v.clone()))
            .collect();
        let settings = Settings {
            overrides,
            fs: Some(self.files.clone()),
            // A fixed date, so exception expiry never depends on the clock.
            today: crate::date::parse_date("2026-06-01").ok(),
            ..Settings::default()
        };
        scan(std::slice::from_ref(&self.dir), &settings)
    }
}

/// Scans `files` (relative paths) in memory, with `extra` contents replacing some of them.
pub fn scan_in_memory(files: &[File], extra: &Overrides) -> Report {
    Project::new(files).scan(extra)
}
