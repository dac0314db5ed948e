//! Stage: exceptions. Every config's `[[exception]]` entries and the inline comments next to
//! judged resources go into one ledger, which then suppresses the findings they cover.

use std::path::Path;

use super::Settings;
use super::judge::Governing;
use crate::model::{FileComments, Resource};
use crate::report::Report;

/// Applies the exceptions to `report`'s findings and keeps the ledger in the report.
pub fn apply(
    report: &mut Report,
    comments: &[FileComments],
    settings: &Settings,
    governing: &Governing,
) {
    let today = settings.today.unwrap_or_else(crate::date::today);
    let mut ledger = crate::suppress::ledger::Ledger::new(today)
        .with_soon_days(settings.soon_days.unwrap_or(crate::date::DEFAULT_SOON_DAYS));
    for config in governing.all() {
        ledger.add_config(config);
    }
    let config_of = |path: &Path| governing.of(path);
    let judged: Vec<&Resource> = report.groups.iter().flatten().collect();
    let invalid =
        crate::policy::register_inline(report, &judged, comments, &config_of, &mut ledger);
    crate::policy::apply(report, &mut ledger, &config_of);
    report.findings.extend(invalid);
    report.ledger = Some(ledger);
}
