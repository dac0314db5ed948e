//! The rollout plan as data: guardrail, root causes, batches, exceptions and totals, assembled
//! from a scan whose fixes were planned. The renderers read only this.

use std::path::{Path, PathBuf};

use super::batches::{self, Batch};
use super::owners::CodeOwners;
use super::root_causes::{self, RootCause};
use super::site::Site;
use crate::fs::FileSystem;
use crate::report::guardrail::{Guardrail, GuardrailStatus};
use crate::report::{Report, Status};
use crate::suppress::listing::Row;

/// Everything `certgate plan` prints.
#[derive(Debug)]
pub struct Rollout {
    pub guardrail: Guardrail,
    pub guardrail_status: GuardrailStatus,
    pub root_causes: Vec<RootCause>,
    pub batches: Vec<Batch>,
    pub batch_size: usize,
    pub exceptions: Vec<Row>,
    pub totals: Totals,
    /// The CODEOWNERS file owners were read from, when there is one.
    pub codeowners: Option<PathBuf>,
    /// Things the reader should know: unusable CODEOWNERS lines, files the scan could not read.
    pub notices: Vec<String>,
}

/// The one-line total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    /// Every checked site (resource).
    pub sites: usize,
    /// Sites with an error finding.
    pub failing: usize,
    /// Sites with a warning finding (unresolved values, exclusion paths).
    pub warnings: usize,
    /// Sites in the plan that `--fix` fixes as things stand.
    pub fixable: usize,
    /// Sites the root causes fix.
    pub in_root_causes: usize,
    /// Sites suppressed by an active exception.
    pub suppressed: usize,
}

/// Root causes and batches of `report`'s reported findings (the part `--fix --batch` and
/// `--root-causes` select from; owners are not needed for it).
pub fn work(report: &Report, batch_size: usize) -> (Vec<RootCause>, Vec<Batch>) {
    let (causes, rest) = root_causes::split(report, super::site::sites(report));
    (causes, batches::cut(rest, batch_size))
}

/// The CODEOWNERS of every project root directory, read through `fs`.
#[derive(Debug, Default)]
pub struct Owners {
    roots: Vec<(PathBuf, CodeOwners)>,
}

impl Owners {
    /// Looks up the CODEOWNERS file of each root directory (GitHub's order).
    pub fn find(fs: &dyn FileSystem, root_dirs: &[PathBuf]) -> Owners {
        Owners {
            roots: root_dirs
                .iter()
                .map(|dir| (dir.clone(), CodeOwners::find(fs, dir)))
                .collect(),
        }
    }

    /// The owners of the file at `path` (as the report names it).
    fn of(&self, path: &Path) -> Vec<String> {
        for (dir, owners) in &self.roots {
            let relative = crate::paths::relative_to(dir, path).or_else(|| {
                let real = std::fs::canonicalize(path).ok()?;
                crate::paths::relative_to(dir, &real)
            });
            if let Some(relative) = relative {
                return owners.owners_of(Path::new(&relative)).to_vec();
            }
        }
        Vec::new()
    }
}

/// Assembles the plan of `report` (scanned with its fixes planned).
pub fn assemble(report: &Report, owners: &Owners, batch_size: usize) -> Rollout {
    let (mut causes, mut batches) = work(report, batch_size);
    for cause in &mut causes {
        cause.owners = owners.of(&cause.place.path);
        for site in &mut cause.sites {
            site.owners = owners.of(&site.path);
        }
    }
    for batch in &mut batches {
        for site in &mut batch.sites {
            site.owners = owners.of(&site.path);
        }
    }
    let statuses = report.statuses();
    let count = |status| statuses.iter().filter(|s| **s == status).count();
    let planned = causes
        .iter()
        .flat_map(|c| &c.sites)
        .chain(batches.iter().flat_map(|b| &b.sites));
    let fixable = planned.filter(|s: &&Site| s.fixable).count();
    let totals = Totals {
        sites: report.resources.len(),
        failing: count(Status::Failing),
        warnings: count(Status::Warning),
        fixable,
        in_root_causes: causes.iter().map(|c| c.sites.len()).sum(),
        suppressed: count(Status::Suppressed),
    };
    let mut notices: Vec<String> = owners
        .roots
        .iter()
        .flat_map(|(_, o)| o.notices.iter().cloned())
        .collect();
    for error in &report.errors {
        notices.push(format!(
            "{}:{}:{}: {} (its sites are missing from this plan)",
            error.path.display(),
            error.start.line,
            error.start.column,
            error.message
        ));
    }
    Rollout {
        guardrail: report.guardrail.clone(),
        guardrail_status: report.guardrail.status(),
        root_causes: causes,
        batches,
        batch_size: batch_size.max(1),
        exceptions: super::exceptions::rows(report),
        totals,
        codeowners: owners.roots.iter().find_map(|(_, o)| o.path.clone()),
        notices,
    }
}
