//! Stage: which discovered files their nearest config (or `--config`) leaves in the scan.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Config;
use crate::file_kind::FileKind;
use crate::policy::Configs;

/// Per file of `files` (sorted), whether no config excludes it. `unsure`: when discovery
/// listed the files' directories on disk, those that may hold a config all the same (see
/// [`crate::discover::Discovery::config_unsure`]); the others are not asked whether they do.
pub fn included(
    files: &[(PathBuf, FileKind)],
    configs: &mut Configs,
    unsure: Option<&HashSet<PathBuf>>,
) -> Vec<bool> {
    // Every file of a directory has the same nearest config; the files come sorted, so the
    // config is looked up (with a file-system probe per ancestor) once per directory.
    let mut last_dir: Option<(&Path, Arc<Config>)> = None;
    files
        .iter()
        .map(|(path, _)| {
            // As the walk spells it, so that `unsure` answers for it.
            let dir = crate::path_map::spelled_dir(path);
            let config = match &last_dir {
                Some((known, config)) if known.as_os_str() == dir.as_os_str() => config.clone(),
                _ => {
                    let config = match unsure.is_some_and(|unsure| !unsure.contains(dir)) {
                        true => configs.for_dir_holding_none(dir),
                        false => configs.for_dir(dir),
                    };
                    last_dir = Some((dir, config.clone()));
                    config
                }
            };
            !config.is_excluded(path)
        })
        .collect()
}
