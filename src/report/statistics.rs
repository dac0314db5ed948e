//! `--statistics`: how many reported findings each rule has, like `ruff --statistics`.
//!
//! Counts the reported findings only (exception rules included): suppressed and baselined
//! findings do not fail the run, so they are not counted.

use std::collections::BTreeMap;

use super::Report;
use crate::rules::RuleId;

/// The reported findings per rule, most first, ties by rule id.
pub fn counts(report: &Report) -> Vec<(RuleId, usize)> {
    let mut by_rule: BTreeMap<&'static str, (RuleId, usize)> = BTreeMap::new();
    for finding in &report.findings {
        by_rule
            .entry(finding.rule.as_str())
            .or_insert((finding.rule, 0))
            .1 += 1;
    }
    let mut counts: Vec<(RuleId, usize)> = by_rule.into_values().collect();
    // Stable sort over the id order of the map: equal counts stay sorted by id.
    counts.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    counts
}

/// One line per rule: `  12  client-cert-disabled  summary`, the counts right-aligned and the
/// ids padded so the summaries line up. Nothing when there is no reported finding.
pub fn render(report: &Report) -> String {
    let counts = counts(report);
    let count_width = counts
        .iter()
        .map(|(_, n)| n.to_string().len())
        .max()
        .unwrap_or(0)
        // At least four columns, as in `  12  client-cert-disabled`: the ids line up under a
        // run with more findings too.
        .max(4);
    let id_width = counts
        .iter()
        .map(|(id, _)| id.as_str().len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for (id, n) in counts {
        out.push_str(&format!(
            "{n:>count_width$}  {:id_width$}  {}\n",
            id.as_str(),
            id.rule().summary
        ));
    }
    out
}
