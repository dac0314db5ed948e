//! `certgate plan --format markdown`: the plan as a pull-request description or an issue:
//! headings per step, tables, and a checklist per root cause and batch.

use std::fmt::Write as _;

use super::*;
use crate::suppress::listing::Row;

/// Renders the plan as GitHub-flavoured Markdown.
pub fn render(rollout: &Rollout) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Rollout plan: require client certificates (mTLS)\n");
    let _ = writeln!(out, "**Totals:** {}\n", totals_line(rollout));
    guardrail(&mut out, rollout);
    root_causes(&mut out, rollout);
    batches(&mut out, rollout);
    exceptions(&mut out, &rollout.exceptions);
    if !rollout.notices.is_empty() {
        let _ = writeln!(out, "## Notes\n");
        for notice in &rollout.notices {
            let _ = writeln!(out, "- {}", inline(notice));
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "Re-scan after each step: `certgate plan` again (same options) shows what is left."
    );
    out
}

fn guardrail(out: &mut String, rollout: &Rollout) {
    let _ = writeln!(out, "## 1. Baseline first\n");
    let _ = writeln!(out, "### 1a. Azure Policy guardrail\n");
    let (status, meaning) = guardrail_summary(rollout.guardrail_status);
    let _ = writeln!(out, "**Guardrail: {status}.** {}.\n", capitalized(meaning));
    if let Some(gap) = uncovered_text(rollout) {
        let _ = writeln!(out, "**Gap:** it {gap}.\n");
    }
    for a in &rollout.guardrail.assignments {
        let _ = writeln!(
            out,
            "- `{}` {} (`{}:{}`)",
            code(&a.address),
            inline(&assignment_details(a)),
            crate::paths::path_text(&a.location.path),
            a.location.start.line
        );
    }
    if !rollout.guardrail.assignments.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(out, "> {BUILT_IN_NOTE}\n");
}

fn root_causes(out: &mut String, rollout: &Rollout) {
    let _ = writeln!(out, "### 1b. Root causes\n");
    if rollout.root_causes.is_empty() {
        let _ = writeln!(
            out,
            "None: no failing value is written in a shared module or locals file.\n"
        );
        return;
    }
    let _ = writeln!(
        out,
        "Each is one change in a shared place that fixes every site it feeds. Fix them with \
         `certgate check --fix --root-causes` (or by hand where not fixable).\n"
    );
    for (i, cause) in rollout.root_causes.iter().enumerate() {
        let _ = writeln!(
            out,
            "- [ ] **{}.** {}: {} ({}; {})",
            i + 1,
            capitalized(&inline(&cause_action(cause))),
            cause_reach(cause),
            kind_text(cause.kind),
            inline(&owners_text(&cause.owners))
        );
        // Collapsed: a module default can feed dozens of sites.
        let _ = writeln!(
            out,
            "  <details><summary>{}</summary>\n",
            plural(cause.sites.len(), "site")
        );
        for site in &cause.sites {
            let _ = writeln!(out, "  - {}", site_item(site));
        }
        let _ = writeln!(out, "\n  </details>\n");
    }
}

fn batches(out: &mut String, rollout: &Rollout) {
    let _ = writeln!(out, "## 2. Batches\n");
    if rollout.batches.is_empty() {
        let _ = writeln!(out, "None: every failing site is in a root cause above.\n");
        return;
    }
    let _ = writeln!(
        out,
        "Batches of at most {} sites, riskiest first (internet + production, internet + \
         non-production, unknown, private + production, private + non-production). Fix batch \
         K with `certgate check --fix --batch K{}`.\n",
        rollout.batch_size,
        if rollout.batch_size == super::super::batches::DEFAULT_SIZE {
            String::new()
        } else {
            format!(" --batch-size {}", rollout.batch_size)
        }
    );
    for batch in &rollout.batches {
        let fixable = batch.sites.iter().filter(|s| s.fixable).count();
        let _ = writeln!(
            out,
            "### Batch {}: {} ({}, {fixable} fixable)\n",
            batch.number,
            batch.class.title(),
            plural(batch.sites.len(), "site")
        );
        for site in &batch.sites {
            let _ = writeln!(out, "- [ ] {}", site_item(site));
        }
        out.push('\n');
    }
}

/// One site on a line: address (scenario), place, verdict, auto-fix, owners.
fn site_item(site: &Site) -> String {
    let scenario = match (&site.scenario, &site.root) {
        (Some(scenario), _) => format!(" ({})", inline(scenario)),
        (None, Some(root)) => format!(" (root {})", inline(root)),
        (None, None) => String::new(),
    };
    format!(
        "`{}`{scenario} at `{}`: {}, auto-fix {}, {}",
        code(&site.address),
        code(&site_place(site)),
        site.verdict,
        yes_no(site.fixable),
        inline(&owners_text(&site.owners))
    )
}

fn exceptions(out: &mut String, rows: &[Row]) {
    let _ = writeln!(out, "## 3. Exceptions\n");
    if rows.is_empty() {
        let _ = writeln!(out, "None.\n");
        return;
    }
    let _ = writeln!(
        out,
        "Expired ones fail again; renew or fix before the expiry date.\n"
    );
    let _ = writeln!(
        out,
        "| Status | Resources | Owner | Expires | Where | Reason |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|");
    for row in rows {
        let resources: Vec<String> = row
            .resources
            .iter()
            .map(|r| format!("`{}`", code(r)))
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | `{}:{}` | {} |",
            row.status,
            cell(&resources.join(", ")),
            cell(row.owner.as_deref().unwrap_or("not named")),
            cell(row.expires.as_deref().unwrap_or("never")),
            cell(&row.path),
            row.line,
            cell(row.reason.as_deref().unwrap_or(""))
        );
    }
    out.push('\n');
}

/// `text` with its first letter upper case: the start of a sentence.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Text inside a table cell: pipes escaped, on one line.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// Text inside backticks: a backtick would end the code span.
fn code(text: &str) -> String {
    text.replace('`', "'")
}

/// Text on a Markdown line: on one line.
fn inline(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}
