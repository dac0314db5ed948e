//! Stage: which discovered files their nearest config (or `--config`) leaves in the scan.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Config;
use crate::file_kind::FileKind;
use crate::policy::Configs;

/// Per file of `files` (sorted), whether no config excludes it.
pub fn included(files: &[(PathBuf, FileKind)], configs: &mut Configs) -> Vec<bool> {
    // Every file of a directory has the same nearest config; the files come sorted, so the
    // config is looked up (with a file-system probe per ancestor) once per directory.
    let mut last_dir: Option<(&Path, Arc<Config>)> = None;
    files
        .iter()
        .map(|(path, _)| {
            // By bytes: `Path::parent` and `Path`'s `==` parse components, twice per file.
            let dir = match crate::path_map::split_name(path) {
                Some((dir, _)) => dir,
                None => path.parent().unwrap_or(Path::new("")),
            };
            let config = match &last_dir {
                Some((known, config)) if known.as_os_str() == dir.as_os_str() => config.clone(),
                _ => {
                    let lookup = if dir.as_os_str().is_empty() {
                        Path::new(".")
                    } else {
                        dir
                    };
                    let config = configs.for_dir(lookup);
                    last_dir = Some((dir, config.clone()));
                    config
                }
            };
            !config.is_excluded(path)
        })
        .collect()
}
