//! `certgate plan --format human`: the plan for a terminal, one indented line per item.

use std::fmt::Write as _;

use super::*;

/// Renders the plan as plain text.
pub fn render(rollout: &Rollout) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "1. Baseline first");
    let (status, meaning) = guardrail_summary(rollout.guardrail_status);
    let _ = writeln!(out, "  Guardrail: {status}: {meaning}");
    if let Some(gap) = uncovered_text(rollout) {
        let _ = writeln!(out, "    gap: it {gap}");
    }
    for a in &rollout.guardrail.assignments {
        let _ = writeln!(
            out,
            "    {} ({}:{})",
            assignment_text(a),
            crate::paths::path_text(&a.location.path),
            a.location.start.line
        );
    }
    let _ = writeln!(out, "    note: {BUILT_IN_NOTE}");
    if rollout.root_causes.is_empty() {
        let _ = writeln!(out, "  Root causes: none");
    } else {
        let _ = writeln!(out, "  Root causes (certgate check --fix --root-causes):");
    }
    for (i, cause) in rollout.root_causes.iter().enumerate() {
        let _ = writeln!(
            out,
            "    {}. {}: {} [{}], {}",
            i + 1,
            cause_action(cause),
            cause_reach(cause),
            kind_text(cause.kind),
            owners_text(&cause.owners)
        );
        for site in &cause.sites {
            let _ = writeln!(out, "       {}", site_line(site));
        }
    }
    let _ = writeln!(
        out,
        "2. Batches (at most {} sites each)",
        rollout.batch_size
    );
    if rollout.batches.is_empty() {
        let _ = writeln!(out, "  none");
    }
    for batch in &rollout.batches {
        let _ = writeln!(
            out,
            "  Batch {}: {} ({}) certgate check --fix --batch {}{}",
            batch.number,
            batch.class.title(),
            plural(batch.sites.len(), "site"),
            batch.number,
            if rollout.batch_size == super::super::batches::DEFAULT_SIZE {
                String::new()
            } else {
                format!(" --batch-size {}", rollout.batch_size)
            }
        );
        for site in &batch.sites {
            let _ = writeln!(out, "    {}", site_line(site));
        }
    }
    let _ = writeln!(out, "3. Exceptions");
    if rollout.exceptions.is_empty() {
        let _ = writeln!(out, "  none");
    }
    for row in &rollout.exceptions {
        let _ = writeln!(
            out,
            "  {} {} owner {} expires {} at {}:{}{}",
            row.status,
            row.resources.join(", "),
            row.owner.as_deref().unwrap_or("not named"),
            row.expires.as_deref().unwrap_or("never"),
            row.path,
            row.line,
            row.reason
                .as_deref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default()
        );
    }
    for notice in &rollout.notices {
        let _ = writeln!(out, "notice: {notice}");
    }
    let _ = writeln!(out, "Total: {}", totals_line(rollout));
    out
}

/// `address [scenario] path:line verdict, auto-fix yes, owner @a`.
fn site_line(site: &Site) -> String {
    let scenario = match (&site.scenario, &site.root) {
        (Some(scenario), _) => format!(" [{scenario}]"),
        (None, Some(root)) => format!(" [root {root}]"),
        (None, None) => String::new(),
    };
    format!(
        "{}{scenario} {} {}, auto-fix {}, {}",
        site.address,
        site_place(site),
        site.verdict,
        yes_no(site.fixable),
        owners_text(&site.owners)
    )
}
