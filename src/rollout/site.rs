//! One failing site as the rollout lists it (a batch line or a site a root cause fixes), and
//! the risk class its exposure and environment put it in.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::diagnostic::{FixStatus, Severity};
use crate::model::{Environment, Exposure};
use crate::report::{Finding, Report, ResourceRecord};

/// The order batches are worked through: the riskiest sites first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    InternetProduction,
    InternetNonProduction,
    /// Exposure or environment unknown: worked through before the sites known to be private.
    Unknown,
    PrivateProduction,
    PrivateNonProduction,
}

impl Class {
    /// The class of a site with this exposure and environment: unknown when either is.
    pub fn of(exposure: Exposure, environment: Environment) -> Class {
        match (exposure, environment) {
            (Exposure::Internet, Environment::Production) => Class::InternetProduction,
            (Exposure::Internet, Environment::NonProduction) => Class::InternetNonProduction,
            (Exposure::Private, Environment::Production) => Class::PrivateProduction,
            (Exposure::Private, Environment::NonProduction) => Class::PrivateNonProduction,
            _ => Class::Unknown,
        }
    }

    /// The stable machine form (`internet-production`, …, `unknown`).
    pub fn as_str(self) -> &'static str {
        match self {
            Class::InternetProduction => "internet-production",
            Class::InternetNonProduction => "internet-non-production",
            Class::Unknown => "unknown",
            Class::PrivateProduction => "private-production",
            Class::PrivateNonProduction => "private-non-production",
        }
    }

    /// For people: `internet + production`.
    pub fn title(self) -> &'static str {
        match self {
            Class::InternetProduction => "internet + production",
            Class::InternetNonProduction => "internet + non-production",
            Class::Unknown => "exposure or environment unknown",
            Class::PrivateProduction => "private + production",
            Class::PrivateNonProduction => "private + non-production",
        }
    }
}

/// One reported finding about a site, with what the rollout shows of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    /// Its index in [`Report::findings`] (what `--fix --batch` selects).
    pub finding: usize,
    pub address: String,
    pub scenario: Option<String>,
    pub path: PathBuf,
    pub line: usize,
    /// The rule id (`client-cert-disabled`, …).
    pub verdict: &'static str,
    pub severity: Severity,
    /// Whether `--fix` fixes it as things stand (an unsafe fix counts only when planned with
    /// `--unsafe-fixes`).
    pub fixable: bool,
    pub exposure: Exposure,
    pub environment: Environment,
    /// From CODEOWNERS; filled when the plan is assembled.
    pub owners: Vec<String>,
    /// The root it is deployed from, for a site a root cause fixes whose scenario does not
    /// name its root.
    pub root: Option<String>,
}

impl Site {
    /// The risk class its exposure and environment put it in.
    pub fn class(&self) -> Class {
        Class::of(self.exposure, self.environment)
    }

    /// The order inside a batch (and a root cause): path, then address, then scenario.
    pub fn order_key(&self) -> (&PathBuf, &str, &Option<String>, usize, &'static str) {
        (
            &self.path,
            &self.address,
            &self.scenario,
            self.line,
            self.verdict,
        )
    }
}

/// Every reported finding about a site (not about an exception), as [`Site`]s in report order.
/// Suppressed findings are not reported, so exceptions keep their sites out of the rollout.
pub fn sites(report: &Report) -> Vec<Site> {
    let records: HashMap<usize, &ResourceRecord> =
        report.resources.iter().map(|r| (r.group, r)).collect();
    report
        .findings
        .iter()
        .enumerate()
        .filter_map(|(i, finding)| {
            let group = finding.group()?;
            Some(site(i, finding, records.get(&group).copied()))
        })
        .collect()
}

fn site(i: usize, finding: &Finding, record: Option<&ResourceRecord>) -> Site {
    Site {
        finding: i,
        address: finding.address.clone(),
        scenario: finding.scenario.clone(),
        path: finding.location.path.clone(),
        line: finding.location.start.line,
        verdict: finding.rule.as_str(),
        severity: finding.severity,
        fixable: matches!(finding.fix, FixStatus::Available(_)),
        exposure: record.map_or(Exposure::Unknown, |r| r.exposure.value),
        environment: record.map_or(Environment::Unknown, |r| r.environment.value),
        owners: Vec::new(),
        root: None,
    }
}
