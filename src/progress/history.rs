//! Per run: how many sites fail, warn, pass and are excepted; which became failing (new) and
//! which were fixed since the run before; the exceptions that expire soon after it. The
//! failing counts over the runs are the burndown.

use super::input::{Exception, Kind, Run, SiteKey, Status};
use crate::date::Date;

/// One run's figures.
#[derive(Debug, Clone)]
pub struct RunStats {
    pub source: String,
    pub date: Date,
    pub kind: Kind,
    pub failing: usize,
    pub warnings: usize,
    pub passing: usize,
    pub excepted: usize,
    /// Failing now and not failing in the run before (a new site or a regression). The
    /// first run is the starting point: nothing in it is new.
    pub new: Vec<SiteKey>,
    /// Failing or warning in the run before, passing now.
    pub fixed: Vec<SiteKey>,
    /// Active exceptions that expire within `soon` days after the run's date.
    pub expiring: Vec<Exception>,
}

/// Every run's figures, oldest first.
#[derive(Debug, Clone)]
pub struct History {
    pub runs: Vec<RunStats>,
    /// The window for [`RunStats::expiring`], in days.
    pub soon: i64,
}

impl History {
    /// The figures of `runs` (already in date order); `soon` is the expiry window in days.
    pub fn of(runs: &[Run], soon: i64) -> History {
        let mut stats = Vec::with_capacity(runs.len());
        let mut before: Option<&Run> = None;
        for run in runs {
            let count = |status: Status| run.sites.values().filter(|s| **s == status).count();
            let was = |key: &SiteKey, wanted: &[Status]| {
                before.is_some_and(|b| b.sites.get(key).is_some_and(|s| wanted.contains(s)))
            };
            let (mut new, mut fixed) = (Vec::new(), Vec::new());
            if before.is_some() {
                for (key, status) in &run.sites {
                    match status {
                        Status::Failing if !was(key, &[Status::Failing]) => new.push(key.clone()),
                        Status::Passing if was(key, &[Status::Failing, Status::Warning]) => {
                            fixed.push(key.clone())
                        }
                        _ => {}
                    }
                }
            }
            let mut expiring: Vec<Exception> = run
                .exceptions
                .iter()
                .filter(|e| crate::date::expires_soon(e.expires, run.date, soon))
                .cloned()
                .collect();
            expiring.sort_by(|a, b| (a.expires, &a.site).cmp(&(b.expires, &b.site)));
            stats.push(RunStats {
                source: run.source.clone(),
                date: run.date,
                kind: run.kind,
                failing: count(Status::Failing),
                warnings: count(Status::Warning),
                passing: count(Status::Passing),
                excepted: count(Status::Excepted),
                new,
                fixed,
                expiring,
            });
            before = Some(run);
        }
        History { runs: stats, soon }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn key(address: &str) -> SiteKey {
        SiteKey {
            path: "main.tf".into(),
            address: address.into(),
            scenario: None,
        }
    }

    fn run(date: &str, sites: &[(&str, Status)], exceptions: &[(&str, &str)]) -> Run {
        let date = crate::date::parse_date(date).unwrap();
        Run {
            source: format!("{date}.json"),
            date,
            kind: Kind::Report(2),
            sites: sites
                .iter()
                .map(|(a, s)| (key(a), *s))
                .collect::<BTreeMap<_, _>>(),
            exceptions: exceptions
                .iter()
                .map(|(a, expires)| Exception {
                    site: key(a),
                    rule: "client-cert-disabled".into(),
                    by: "certgate:ignore".into(),
                    owner: None,
                    reason: None,
                    expires: Some(crate::date::parse_date(expires).unwrap()),
                })
                .collect(),
            findings: Vec::new(),
            drift: None,
        }
    }

    #[test]
    fn new_and_fixed_compare_each_run_with_the_one_before() {
        use Status::*;
        let runs = [
            run(
                "2026-01-01",
                &[("a", Failing), ("b", Failing), ("c", Passing)],
                &[],
            ),
            run(
                "2026-02-01",
                &[
                    ("a", Passing),
                    ("b", Failing),
                    ("c", Failing),
                    ("d", Failing),
                ],
                &[],
            ),
            run(
                "2026-03-01",
                &[("b", Excepted), ("c", Passing), ("d", Failing)],
                &[],
            ),
        ];
        let history = History::of(&runs, 30);
        let names = |keys: &[SiteKey]| keys.iter().map(|k| k.address.clone()).collect::<Vec<_>>();
        let first = &history.runs[0];
        assert_eq!((first.failing, first.passing), (2, 1));
        assert!(first.new.is_empty() && first.fixed.is_empty());
        assert_eq!(names(&history.runs[1].new), ["c", "d"]);
        assert_eq!(names(&history.runs[1].fixed), ["a"]);
        // Excepted is not fixed, and a site that is gone is neither.
        assert_eq!(names(&history.runs[2].fixed), ["c"]);
        assert!(history.runs[2].new.is_empty());
        assert_eq!(
            history.runs.iter().map(|r| r.failing).collect::<Vec<_>>(),
            [2, 3, 1]
        );
    }

    #[test]
    fn exceptions_expire_soon_within_the_window_after_the_runs_date() {
        let runs = [run(
            "2026-01-01",
            &[("a", Status::Excepted)],
            &[
                ("a", "2026-01-31"),
                ("b", "2026-02-01"),
                ("c", "2026-01-01"),
            ],
        )];
        let expiring = &History::of(&runs, 30).runs[0].expiring;
        // 30 days after is in; 31 is not; the run's own day has already expired.
        assert_eq!(expiring.len(), 1);
        assert_eq!(expiring[0].site.address, "a");
    }
}
