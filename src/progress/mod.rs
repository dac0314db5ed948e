//! `certgate progress`: saved `check --format json` reports and baselines, ordered by date,
//! turned into per-run counts (failing, fixed, new, excepted, exceptions about to expire), the
//! burndown, and a view of the latest run (its batches, drift and exceptions), as text,
//! Markdown, JSON or one self-contained HTML page.

pub(crate) mod history;
pub(crate) mod input;
pub(crate) mod latest;
pub(crate) mod render;

use crate::cli::{ProgressArgs, ProgressFormat};

/// Reads the runs the arguments name and renders them in the chosen format. The error names
/// the file (and position) that could not be used.
pub fn run(args: &ProgressArgs) -> Result<String, String> {
    let mut runs = Vec::with_capacity(args.reports.len());
    for argument in &args.reports {
        runs.push(input::read(argument)?);
    }
    // Oldest first; runs of one date keep the order they were given in.
    runs.sort_by_key(|run| run.date);
    let history = history::History::of(&runs, args.soon);
    let latest = latest::Latest::of(runs.last(), args.batch_size);
    Ok(match args.format {
        ProgressFormat::Human => render::human::render(&history, &latest),
        ProgressFormat::Markdown => render::markdown::render(&history, &latest),
        ProgressFormat::Json => render::json::render(&history, &latest),
        ProgressFormat::Html => render::html::render(&history, &latest),
    })
}
