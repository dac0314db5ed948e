//! What discovery and the byte search found in one scan, kept so that a re-scan of the same
//! paths with some contents overridden (`--fix` checking its edits) reads again only what
//! changed.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

use super::Settings;
use super::sniff::FileFound;
use crate::error::FileError;
use crate::file_kind::FileKind;
use crate::load;

/// What discovery and the byte search found in one scan: which files there are and what each
/// can contribute. `--fix` checks its edits by scanning again with the fixed texts overridden;
/// that scan takes this over (see [`Settings::reuse`]) and reads again only the files whose
/// contents changed. On a large repository walking, reading and searching every file is about
/// half the cost of a scan.
#[derive(Debug)]
pub struct Cache {
    /// The paths scanned (explicit files widened as [`crate::subset`] does) and `--config`.
    pub(super) paths: Vec<PathBuf>,
    pub(super) config_file: Option<PathBuf>,
    /// The command line's rule selection and excludes (they decide `included`).
    pub(super) command_line: crate::config::command_line::CommandLine,
    /// The contents that stood in for files.
    pub(super) overrides: load::Overrides,
    /// Every discovered file, sorted, and the paths that could not be walked.
    pub(super) files: Arc<Vec<(PathBuf, FileKind)>>,
    pub(super) discovery_errors: Vec<FileError>,
    /// What each file of `files` holds, in the same order; `None` for a file a config
    /// excludes.
    pub(super) found: Vec<FileFound>,
    /// Per file of `files`, whether no config excludes it, and the config files that
    /// lookup read (a re-scan that changes no config takes both over).
    pub(super) included: Arc<Vec<bool>>,
    pub(super) configs: Vec<PathBuf>,
    /// The files the scan loaded, by id, and the Terraform modules parsed from them (with
    /// [`Settings::keep_parsed`]): a re-scan starts its source map with these files so it can
    /// take over every module whose directory did not change instead of parsing it again.
    pub(super) sources: Vec<Arc<crate::source::SourceFile>>,
    /// The files the scan loaded: a re-scan takes the unchanged ones over instead of reading
    /// them again.
    pub(super) loaded: load::LoadedIndex,
    /// Behind a lock: a re-scan first drops the modules that only roots it takes over read.
    pub(super) terraform: std::sync::Mutex<crate::terraform::Memo>,
}

impl Cache {
    /// Whether a scan of `paths` with `settings` can take this over: the same paths and
    /// config, and every path named is read from the same place (disk or memory).
    pub(super) fn fits(&self, paths: &[PathBuf], settings: &Settings) -> bool {
        self.paths == paths
            && self.config_file == settings.config_file
            && self.command_line == settings.command_line
            && paths.iter().all(|path| {
                let key = crate::paths::normalize(path);
                self.overrides.contains_key(&key) == settings.overrides.contains_key(&key)
            })
    }

    /// Whether no config file is among `changed` (see [`Cache::changed`]).
    pub(super) fn same_configs(&self, changed: &BTreeSet<PathBuf>) -> bool {
        let explicit = self.config_file.as_deref();
        !changed
            .iter()
            .any(|path| crate::config::is_config_path(path, explicit))
    }

    /// The normalised paths whose contents differ between this scan and `overrides`.
    pub(super) fn changed(&self, overrides: &load::Overrides) -> BTreeSet<PathBuf> {
        let differs = |key: &PathBuf| self.overrides.get(key) != overrides.get(key);
        self.overrides
            .keys()
            .chain(overrides.keys())
            .filter(|key| differs(key))
            .cloned()
            .collect()
    }
}
