//! `certgate progress --format markdown`: the same sections as the human output, as tables
//! for a pull request, an issue or a wiki page.

use std::fmt::Write;

use super::{NO_DRIFT, day, drift_rows, run_cells, side, site_name, state_title};
use crate::progress::history::History;
use crate::progress::latest::Latest;

/// Renders the history and the latest run as GitHub-flavoured Markdown.
pub fn render(history: &History, latest: &Latest) -> String {
    let mut out = String::from("# Progress: require client certificates (mTLS)\n\n");
    let runs = &history.runs;
    out.push_str(
        "| Date | Failing | Warnings | Excepted | Passing | New | Fixed | Expiring | Run |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---|\n",
    );
    for run in runs {
        let _ = writeln!(
            out,
            "| {} | {} |",
            run_cells(run).join(" | "),
            cell(&run.source)
        );
    }
    out.push_str("\n## Changes\n\n");
    let mut any = false;
    for run in runs {
        for (what, keys) in [("new", &run.new), ("fixed", &run.fixed)] {
            for key in keys {
                any = true;
                let _ = writeln!(
                    out,
                    "- {}: {what} `{}` ({})",
                    day(Some(run.date)),
                    cell(&site_name(key)).replace('`', "'"),
                    cell(&key.path)
                );
            }
        }
    }
    if !any {
        out.push_str("None.\n");
    }
    let _ = writeln!(
        out,
        "\n## Exceptions expiring within {} days of their run\n",
        history.soon
    );
    let mut any = false;
    for run in runs {
        for e in &run.expiring {
            any = true;
            let _ = writeln!(
                out,
                "- {}: {} (owner {}) expires {}",
                day(Some(run.date)),
                cell(&site_name(&e.site)),
                cell(e.owner.as_deref().unwrap_or("none")),
                day(e.expires)
            );
        }
    }
    if !any {
        out.push_str("None.\n");
    }
    let Some((source, date)) = &latest.source else {
        return out;
    };
    let _ = writeln!(
        out,
        "\n## Latest run: {} ({})\n\n### Batches\n",
        cell(source),
        day(Some(*date))
    );
    if latest.batches.is_empty() {
        out.push_str("None: no failing site.\n");
    }
    for batch in &latest.batches {
        let _ = writeln!(
            out,
            "- **Batch {}** ({}):",
            batch.number,
            batch.class.title()
        );
        for site in &batch.sites {
            let _ = writeln!(
                out,
                "  - {} at {}:{} ({})",
                cell(&site.address),
                cell(&crate::paths::path_text(&site.path)),
                site.line,
                site.verdict
            );
        }
    }
    out.push_str("\n### Drift\n\n");
    match &latest.drift {
        None => {
            let _ = writeln!(out, "{}.", cell(NO_DRIFT));
        }
        Some(rows) => {
            out.push_str(
                "| State | Matched by | Code | Verdict | Deployed | Verdict |\n\
                 |---|---|---|---|---|---|\n",
            );
            for row in drift_rows(rows) {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} |",
                    cell(state_title(&row.state)),
                    cell(&row.matched_by),
                    cell(&side(&row.code, &row.code_at)),
                    cell(&row.code_verdict),
                    cell(&side(&row.deployed, &row.deployed_at)),
                    cell(&row.deployed_verdict)
                );
            }
        }
    }
    out.push_str("\n### Exceptions by owner\n\n");
    if latest.exceptions.is_empty() {
        out.push_str("None.\n");
    } else {
        out.push_str("| Owner | Expires | Site | Reason |\n|---|---|---|---|\n");
        for e in &latest.exceptions {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                cell(e.owner.as_deref().unwrap_or("(no owner)")),
                day(e.expires),
                cell(&site_name(&e.site)),
                cell(e.reason.as_deref().unwrap_or(""))
            );
        }
    }
    out
}

/// Text from a report made safe for a table cell: control characters visible, no line
/// breaks, pipes escaped, and no raw HTML (renderers pass it through).
fn cell(text: &str) -> String {
    crate::quote::visible(text)
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
