//! A scan the fixer can repeat: the paths and settings, and the cache of the last scan, so
//! each trial scan of fixed texts reads and searches only the files the fixes change.

use std::path::PathBuf;
use std::sync::Arc;

use super::{Cache, Scanned, Settings, scan, scan_cached};
use crate::fix::run::Rescan;
use crate::load::Overrides;
use crate::report::Report;

/// Scans of one set of paths with one set of settings; implements [`Rescan`] for `fix`.
#[derive(Debug, Clone)]
pub struct Session {
    paths: Vec<PathBuf>,
    settings: Settings,
    /// What the last scan found; `None` before the first.
    cache: Option<Arc<Cache>>,
}

impl Session {
    /// A session that has not scanned yet. Its scans keep what a re-scan takes over
    /// ([`Settings::keep_parsed`]).
    pub fn new(paths: Vec<PathBuf>, settings: Settings) -> Self {
        Session {
            paths,
            settings: Settings {
                keep_parsed: true,
                ..settings
            },
            cache: None,
        }
    }

    /// Scans afresh, remembering the cache; returns it beside the report.
    pub fn scan_cached(&mut self) -> Scanned {
        let scanned = scan_cached(&self.paths, &self.settings);
        self.cache = Some(scanned.cache.clone());
        scanned
    }
}

impl Rescan for Session {
    fn paths(&self) -> &[PathBuf] {
        &self.paths
    }

    fn root(&self) -> crate::fs::root::ProjectRoot {
        super::project_root(&self.paths, &self.settings).root
    }

    fn scan(&mut self) -> Report {
        self.scan_cached().report
    }

    fn rescan(&self, fixed: &Overrides) -> Report {
        // The fixed texts go over the contents the scan already reads from memory (an
        // editor's unsaved buffers), not instead of them.
        let mut overrides = self.settings.overrides.clone();
        overrides.extend(
            fixed
                .iter()
                .map(|(path, text)| (path.clone(), text.clone())),
        );
        scan(
            &self.paths,
            &Settings {
                overrides,
                reuse: self.cache.clone(),
                // A trial is not repeated: what it parsed is freed with it.
                keep_parsed: false,
                ..self.settings.clone()
            },
        )
    }
}
