//! One renderer per `certgate progress` format, and what they share: the drift rows read
//! from a report's `drift` array, and the phrases for sites, dates and drift states.

pub(crate) mod chart;
pub(crate) mod html;
pub(crate) mod human;
pub(crate) mod json;
pub(crate) mod markdown;

use serde_json::Value;

use super::history::RunStats;
use super::input::SiteKey;
use crate::date::Date;

/// A run's row in every format's table of runs, before the run's own name: its date, then
/// failing, warnings, excepted, passing, new, fixed and expiring.
pub fn run_cells(run: &RunStats) -> [String; 8] {
    [
        day(Some(run.date)),
        run.failing.to_string(),
        run.warnings.to_string(),
        run.excepted.to_string(),
        run.passing.to_string(),
        run.new.len().to_string(),
        run.fixed.len().to_string(),
        run.expiring.len().to_string(),
    ]
}

/// What every format says when the latest report has no `drift` array.
pub const NO_DRIFT: &str = "no deployed export given (run `certgate check --deployed EXPORT` \
    to compare the code with what is deployed)";

/// A site for people: its address, with the scenario in brackets when there is one.
pub fn site_name(key: &SiteKey) -> String {
    match &key.scenario {
        Some(scenario) => format!("{} [{scenario}]", key.address),
        None => key.address.clone(),
    }
}

/// `YYYY-MM-DD`, or `never` for an exception without an expiry.
pub fn day(date: Option<Date>) -> String {
    date.map_or_else(|| "never".to_string(), crate::date::format_date)
}

/// One row of the drift table, every field as text (`-` where the side is missing).
#[derive(Debug, Clone, PartialEq)]
pub struct DriftRow {
    /// The machine state (`in-step`, …).
    pub state: String,
    pub matched_by: String,
    pub code: String,
    pub code_at: String,
    pub code_verdict: String,
    pub deployed: String,
    pub deployed_at: String,
    pub deployed_verdict: String,
}

/// The rows of a report's `drift` array (the agreed shape: `state`, `matched_by`, `code`
/// and `deployed`); fields that are missing or of another type show as `-`.
pub fn drift_rows(rows: &[Value]) -> Vec<DriftRow> {
    rows.iter()
        .map(|row| {
            let text = |value: Option<&Value>| match value {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                _ => "-".to_string(),
            };
            let side = |name: &str, id: &str| {
                let side = row.get(name).filter(|v| v.is_object());
                let at = match side {
                    Some(s) => format!("{}:{}", text(s.get("path")), text(s.get("line"))),
                    None => "-".to_string(),
                };
                (
                    text(side.and_then(|s| s.get(id))),
                    at,
                    text(side.and_then(|s| s.get("verdict"))),
                )
            };
            let (code, code_at, code_verdict) = side("code", "address");
            let (deployed, deployed_at, deployed_verdict) = side("deployed", "id");
            DriftRow {
                state: text(row.get("state")),
                matched_by: text(row.get("matched_by")),
                code,
                code_at,
                code_verdict,
                deployed,
                deployed_at,
                deployed_verdict,
            }
        })
        .collect()
}

/// A drift state for people, with what to do about it.
pub fn state_title(state: &str) -> &str {
    // A state a newer certgate wrote is shown as written.
    crate::report::drift::DriftState::parse(state).map_or(state, |known| known.title())
}

/// A drift side as text: what it names and where, or `-` when the side is missing.
pub fn side(name: &str, at: &str) -> String {
    if name == "-" {
        name.to_string()
    } else {
        format!("{name} ({at})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drift_rows_show_a_dash_for_missing_sides_and_fields_of_another_type() {
        let rows: Vec<Value> = serde_json::from_str(
            r#"[{"state": "unmanaged", "matched_by": null, "code": null,
                 "deployed": {"id": "/subscriptions/s/x", "path": "e.json", "line": 4,
                              "verdict": "client-cert-disabled"}},
                {"state": 7, "code": "not an object", "deployed": {"id": ["x"]}}]"#,
        )
        .unwrap();
        let rows = drift_rows(&rows);
        assert_eq!(rows[0].code, "-");
        assert_eq!(rows[0].deployed_at, "e.json:4");
        assert_eq!(side(&rows[0].code, &rows[0].code_at), "-");
        assert_eq!(rows[1].state, "7");
        assert_eq!(
            (rows[1].code.as_str(), rows[1].deployed.as_str()),
            ("-", "-")
        );
        assert_eq!(rows[1].deployed_at, "-:-");
    }
}
