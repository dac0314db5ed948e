//! The `certgate exceptions` listing: one row per exception with its status, rendered as a
//! table for people, JSON for tools, or CSV for spreadsheets.

use std::fmt::Write as _;

use serde::Serialize;

use super::ledger::{Ledger, Status};
use crate::date::Date;
use crate::date::format_date;

/// One exception, as listed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub status: &'static str,
    /// The addresses it applies to, or the config's address glob.
    pub resources: Vec<String>,
    /// The certgate rules it covers.
    pub rules: Vec<String>,
    /// A peer's ids as written (empty for certgate's own).
    pub peer_ids: Vec<String>,
    pub owner: Option<String>,
    pub expires: Option<String>,
    pub reason: Option<String>,
    /// `inline`, `config` or `peer`.
    pub source: &'static str,
    /// The syntax: `certgate:ignore`, `checkov:skip`, …, `certgate.toml`.
    pub by: &'static str,
    pub path: String,
    pub line: usize,
    pub column: usize,
    #[serde(skip)]
    rules_text: String,
    #[serde(skip)]
    expired: bool,
}

/// Every exception of a run, sorted by file and position.
#[derive(Debug, Clone, PartialEq)]
pub struct Listing {
    pub today: Date,
    pub rows: Vec<Row>,
    /// Files that could not be scanned: their exceptions are missing from `rows`, and the
    /// exceptions for their resources may show as unused.
    pub errors: Vec<ListedError>,
}

/// A file that could not be scanned, as the listing names it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListedError {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

#[derive(Serialize)]
struct JsonListing<'a> {
    version: u32,
    today: String,
    exceptions: &'a [Row],
    errors: &'a [ListedError],
}

impl Listing {
    pub fn from_ledger(ledger: &Ledger) -> Self {
        let mut entries: Vec<_> = ledger.entries().iter().collect();
        entries.sort_by(|a, b| a.location.order().cmp(&b.location.order()));
        let rows = entries
            .into_iter()
            .map(|entry| {
                let status = ledger.status(entry);
                Row {
                    status: status.as_str(),
                    resources: entry.resources.iter().cloned().collect(),
                    rules: entry.covered_rules(),
                    peer_ids: entry.peer_ids.clone(),
                    owner: entry.owner.clone(),
                    expires: entry.expires.map(format_date),
                    reason: entry.reason.clone(),
                    source: entry.source.as_str(),
                    by: entry.by,
                    path: crate::paths::path_text(&entry.location.path).to_string(),
                    line: entry.location.line,
                    column: entry.location.column,
                    rules_text: entry.rules_text(),
                    expired: status == Status::Expired,
                }
            })
            .collect();
        Listing {
            today: ledger.today(),
            rows,
            errors: Vec::new(),
        }
    }

    /// Whether any exception has expired (`certgate exceptions` then exits 1).
    pub fn any_expired(&self) -> bool {
        self.rows.iter().any(|row| row.expired)
    }

    /// An aligned table and a one-line count.
    pub fn render_human(&self) -> String {
        const HEADERS: [&str; 8] = [
            "STATUS", "RESOURCE", "RULES", "OWNER", "EXPIRES", "SOURCE", "LOCATION", "REASON",
        ];
        let cells: Vec<[String; 8]> = self.rows.iter().map(human_cells).collect();
        let mut widths = HEADERS.map(|h| h.chars().count());
        for row in &cells {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let mut out = String::new();
        let headers = HEADERS.map(String::from);
        for row in std::iter::once(&headers).chain(&cells) {
            let mut line = String::new();
            for (i, (cell, width)) in row.iter().zip(widths).enumerate() {
                if i + 1 == row.len() {
                    line.push_str(cell);
                } else {
                    let _ = write!(line, "{cell:<width$}  ");
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        let count = |status: Status| {
            self.rows
                .iter()
                .filter(|r| r.status == status.as_str())
                .count()
        };
        let _ = writeln!(
            out,
            "{} exception{}: {} active, {} expiring soon, {} expired, {} unused (as of {})",
            self.rows.len(),
            if self.rows.len() == 1 { "" } else { "s" },
            count(Status::Active),
            count(Status::ExpiresSoon),
            count(Status::Expired),
            count(Status::Unused),
            format_date(self.today),
        );
        if !self.errors.is_empty() {
            let _ = writeln!(
                out,
                "incomplete: {} could not be scanned, so their exceptions are missing and \
                 exceptions for their resources may show as unused:",
                match self.errors.len() {
                    1 => "1 file".to_string(),
                    n => format!("{n} files"),
                }
            );
            for error in &self.errors {
                let _ = writeln!(
                    out,
                    "  {}:{}:{}: {}",
                    error.path, error.line, error.column, error.message
                );
            }
        }
        out
    }

    /// `{"version": 1, "today": …, "exceptions": [rows]}`, pretty-printed.
    pub fn render_json(&self) -> String {
        let listing = JsonListing {
            version: 1,
            today: format_date(self.today),
            exceptions: &self.rows,
            errors: &self.errors,
        };
        let mut text = serde_json::to_string_pretty(&listing).unwrap_or_default();
        text.push('\n');
        text
    }

    /// RFC 4180 CSV with a header row; lists inside a cell are `;`-separated.
    pub fn render_csv(&self) -> String {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let header = [
            "status",
            "resources",
            "rules",
            "owner",
            "expires",
            "reason",
            "source",
            "by",
            "path",
            "line",
            "column",
        ];
        // Writing to a Vec cannot fail; a failed record would only drop that row.
        let _ = writer.write_record(header);
        for row in &self.rows {
            let _ = writer.write_record([
                row.status.to_string(),
                row.resources.join(";"),
                row.rules_text.replace(", ", ";"),
                row.owner.clone().unwrap_or_default(),
                row.expires.clone().unwrap_or_default(),
                row.reason.clone().unwrap_or_default(),
                row.source.to_string(),
                row.by.to_string(),
                row.path.clone(),
                row.line.to_string(),
                row.column.to_string(),
            ]);
        }
        let bytes = writer.into_inner().unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }
}

fn human_cells(row: &Row) -> [String; 8] {
    let dash = |value: &Option<String>| value.clone().unwrap_or_else(|| "-".to_string());
    [
        row.status.to_string(),
        if row.resources.is_empty() {
            "(no resource)".to_string()
        } else {
            row.resources.join(", ")
        },
        row.rules_text.clone(),
        dash(&row.owner),
        dash(&row.expires),
        format!("{} ({})", row.source, row.by),
        format!("{}:{}", row.path, row.line),
        // A reason may hold newlines (a block comment): keep the table one line per row.
        dash(&row.reason)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    ]
}

#[cfg(test)]
mod tests;
