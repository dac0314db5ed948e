//! Which findings `check --fix --batch K` and `check --fix --root-causes` (and `--diff` with
//! them) may fix: the sites of batch K, or the sites the root causes fix, computed from the
//! scan before fixing exactly as `certgate plan` computes them.

use std::collections::HashSet;

use crate::report::Report;

/// The part of the plan to fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    /// Batch `number` (1-based) of batches of `size` sites.
    Batch { number: usize, size: usize },
    /// Every root cause.
    RootCauses,
}

/// The indexes into `report.findings` of the selected sites; an error when batch K does not
/// exist.
pub fn findings(report: &Report, selection: Selection) -> Result<HashSet<usize>, String> {
    let size = match selection {
        Selection::Batch { size, .. } => size,
        Selection::RootCauses => super::batches::DEFAULT_SIZE,
    };
    let (causes, batches) = super::assemble::work(report, size);
    match selection {
        Selection::RootCauses => Ok(causes
            .iter()
            .flat_map(|cause| cause.sites.iter().map(|s| s.finding))
            .collect()),
        Selection::Batch { number, size } => batches
            .iter()
            .find(|batch| batch.number == number)
            .map(|batch| batch.sites.iter().map(|s| s.finding).collect())
            .ok_or_else(|| {
                format!(
                    "there is no batch {number}: with batches of {size} the plan has {}",
                    match batches.len() {
                        0 => "none (no failing site outside the root causes)".to_string(),
                        1 => "1 batch".to_string(),
                        n => format!("{n} batches"),
                    }
                )
            }),
    }
}
