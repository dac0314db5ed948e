//! The exceptions part of the plan: every exception of the scan with the status `certgate
//! exceptions` gives it (active, expires-soon within 30 days, expired, unused), from the
//! same ledger and listing.

use crate::report::Report;
use crate::suppress::listing::{Listing, Row};

/// The exceptions in the order the plan shows them: expired first (they fail again), then
/// expiring soon, active, unused; by file and position inside each.
pub fn rows(report: &Report) -> Vec<Row> {
    let Some(ledger) = &report.ledger else {
        return Vec::new();
    };
    let mut rows = Listing::from_ledger(ledger).rows;
    rows.sort_by_key(|row| rank(row.status));
    rows
}

/// The order of a status in the plan.
fn rank(status: &str) -> u8 {
    match status {
        "expired" => 0,
        "expires-soon" => 1,
        "active" => 2,
        _ => 3,
    }
}
