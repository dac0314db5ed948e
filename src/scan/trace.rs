//! Stage timing and the [`Trace`] of a scan (`check --verbose`, `--show-files`): how long
//! each stage took, and which files, units and configs it went through.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::front::FrontEndId;
use crate::report::trace::Trace;

/// The time each stage of a scan took, measured from the end of the one before.
pub struct Stages {
    last: Instant,
    took: Vec<(&'static str, Duration)>,
}

impl Stages {
    pub fn new() -> Self {
        Stages {
            last: Instant::now(),
            took: Vec::new(),
        }
    }

    /// Ends the stage `name` now.
    pub fn end(&mut self, name: &'static str) {
        let now = Instant::now();
        self.took.push((name, now - self.last));
        self.last = now;
    }
}

/// What the scan did, for `--verbose` and `--show-files`.
pub fn trace(
    files: Vec<(PathBuf, FrontEndId)>,
    included: &[bool],
    governing: &super::judge::Governing,
    units: Vec<(FrontEndId, Vec<String>)>,
    stages: Stages,
) -> Trace {
    let mut configs: Vec<PathBuf> = governing
        .all()
        .iter()
        .filter_map(|config| config.source.clone())
        .collect();
    configs.sort();
    configs.dedup();
    Trace {
        files: files
            .into_iter()
            // Shown as findings show paths (`./x/main.tf` as `x/main.tf`).
            .map(|(path, front_end)| (crate::paths::normalize(&path), front_end.name()))
            .collect(),
        excluded: included.iter().filter(|included| !**included).count(),
        units: {
            let mut units: Vec<(&'static str, Vec<String>)> = units
                .into_iter()
                .filter(|(_, units)| !units.is_empty())
                .map(|(front_end, mut units)| {
                    units.sort();
                    (front_end.name(), units)
                })
                .collect();
            // As the files are grouped: by the front end's name.
            units.sort_by_key(|(name, _)| *name);
            units
        },
        configs,
        stages: stages.took,
    }
}
