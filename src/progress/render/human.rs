//! `certgate progress` for terminals: the runs table, the burndown as bars, what changed,
//! the exceptions about to expire, and the latest run's batches, drift and exceptions.

use std::fmt::Write;

use super::{DriftRow, NO_DRIFT, day, drift_rows, run_cells, side, site_name, state_title};
use crate::progress::history::History;
use crate::progress::latest::Latest;
use crate::quote::visible;

/// The widest burndown bar, in characters.
const BAR: usize = 40;

/// Renders the history and the latest run as aligned plain text.
pub fn render(history: &History, latest: &Latest) -> String {
    let mut out = String::new();
    let runs = &history.runs;
    let (Some(first), Some(last)) = (runs.first(), runs.last()) else {
        return "No runs.\n".to_string();
    };
    let _ = writeln!(
        out,
        "Progress over {} run{} ({} to {})\n",
        runs.len(),
        if runs.len() == 1 { "" } else { "s" },
        day(Some(first.date)),
        day(Some(last.date))
    );
    let mut rows = vec![row(&[
        "Date", "Failing", "Warnings", "Excepted", "Passing", "New", "Fixed", "Expiring", "Run",
    ])];
    for run in runs {
        let mut cells = run_cells(run).to_vec();
        cells.push(visible(&run.source).into_owned());
        rows.push(cells);
    }
    table(&mut out, &rows, "  ");

    out.push_str("\nBurndown (failing sites)\n");
    let most = runs.iter().map(|r| r.failing).max().unwrap_or(0).max(1);
    for run in runs {
        let width = (run.failing * BAR).div_ceil(most);
        let _ = writeln!(
            out,
            "  {}  {:<BAR$} {}",
            day(Some(run.date)),
            "#".repeat(width),
            run.failing
        );
    }

    let changes: Vec<_> = runs
        .iter()
        .filter(|r| !r.new.is_empty() || !r.fixed.is_empty())
        .collect();
    if !changes.is_empty() {
        out.push_str("\nChanges\n");
        for run in changes {
            for (what, keys) in [("new", &run.new), ("fixed", &run.fixed)] {
                for key in keys {
                    let _ = writeln!(
                        out,
                        "  {}  {what:<5}  {}  {}",
                        day(Some(run.date)),
                        visible(&site_name(key)),
                        visible(&key.path)
                    );
                }
            }
        }
    }

    let _ = writeln!(
        out,
        "\nExceptions expiring within {} days of their run",
        history.soon
    );
    let expiring: Vec<_> = runs
        .iter()
        .flat_map(|r| r.expiring.iter().map(move |e| (r.date, e)))
        .collect();
    if expiring.is_empty() {
        out.push_str("  none\n");
    }
    for (date, e) in expiring {
        let _ = writeln!(
            out,
            "  {}  {}  owner {}  expires {}",
            day(Some(date)),
            visible(&site_name(&e.site)),
            visible(e.owner.as_deref().unwrap_or("-")),
            day(e.expires)
        );
    }

    latest_section(&mut out, latest);
    out
}

fn latest_section(out: &mut String, latest: &Latest) {
    let Some((source, date)) = &latest.source else {
        return;
    };
    let _ = writeln!(
        out,
        "\nLatest run: {} ({})",
        visible(source),
        day(Some(*date))
    );
    out.push_str("\nBatches\n");
    if latest.batches.is_empty() {
        out.push_str("  none: no failing site\n");
    }
    for batch in &latest.batches {
        let _ = writeln!(
            out,
            "  Batch {}: {} ({} site{})",
            batch.number,
            batch.class.title(),
            batch.sites.len(),
            if batch.sites.len() == 1 { "" } else { "s" }
        );
        for site in &batch.sites {
            let _ = writeln!(
                out,
                "    {}:{}  {}  {}",
                visible(&crate::paths::path_text(&site.path)),
                site.line,
                visible(&site.address),
                site.verdict
            );
        }
    }
    out.push_str("\nDrift\n");
    match &latest.drift {
        None => {
            let _ = writeln!(out, "  {NO_DRIFT}");
        }
        Some(rows) if rows.is_empty() => out.push_str("  no sites\n"),
        Some(rows) => {
            let mut lines = vec![row(&[
                "State",
                "Matched by",
                "Code",
                "Verdict",
                "Deployed",
                "Verdict",
            ])];
            lines.extend(drift_rows(rows).iter().map(drift_line));
            table(out, &lines, "  ");
        }
    }
    out.push_str("\nExceptions by owner\n");
    if latest.exceptions.is_empty() {
        out.push_str("  none\n");
    }
    let mut lines = Vec::new();
    for e in &latest.exceptions {
        lines.push(vec![
            visible(e.owner.as_deref().unwrap_or("(no owner)")).into_owned(),
            format!("expires {}", day(e.expires)),
            visible(&site_name(&e.site)).into_owned(),
            visible(e.reason.as_deref().unwrap_or("")).into_owned(),
        ]);
    }
    if !lines.is_empty() {
        table(out, &lines, "  ");
    }
}

fn drift_line(row: &DriftRow) -> Vec<String> {
    vec![
        state_title(&row.state).to_string(),
        row.matched_by.clone(),
        side(&row.code, &row.code_at),
        row.code_verdict.clone(),
        side(&row.deployed, &row.deployed_at),
        row.deployed_verdict.clone(),
    ]
    .into_iter()
    .map(|cell| visible(&cell).into_owned())
    .collect()
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

/// Rows in columns padded to their widest cell; numbers are right-aligned, the last column
/// is not padded.
fn table(out: &mut String, rows: &[Vec<String>], indent: &str) {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let width = |c: usize| {
        rows.iter()
            .filter_map(|r| r.get(c))
            .map(|s| s.chars().count())
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..columns).map(width).collect();
    for cells in rows {
        let mut line = String::from(indent);
        for (c, cell) in cells.iter().enumerate() {
            let pad = widths[c].saturating_sub(cell.chars().count());
            let numeric = !cell.is_empty() && cell.chars().all(|ch| ch.is_ascii_digit());
            if c > 0 {
                line.push_str("  ");
            }
            if numeric {
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            } else {
                line.push_str(cell);
                if c + 1 < cells.len() {
                    line.push_str(&" ".repeat(pad));
                }
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
}
