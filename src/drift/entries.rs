//! From matches to the drift table's entries: a state per pair or lone site, notes on
//! ambiguous matches, and one deterministic order.

use std::collections::HashMap;

use super::{Match, Site, deployed_id, matches};
use crate::report::Report;
use crate::report::drift::{CodeSide, DeployedSide, DriftEntry, DriftState};

/// The drift entries of the code sites of `code` against the deployed sites of `deployed`,
/// most urgent state first, then by code place and address, scenario and deployed id.
pub(crate) fn entries(code: &Report, deployed: &Report) -> Vec<DriftEntry> {
    let found = matches(code, deployed);
    // How many partners each side has, to say when a match is one of several.
    let mut per_code: HashMap<(usize, String), usize> = HashMap::new();
    let mut per_deployed: HashMap<String, usize> = HashMap::new();
    for found in &found {
        if let Match::Pair {
            code, deployed: d, ..
        } = found
        {
            *per_code.entry(code_key(code)).or_default() += 1;
            *per_deployed
                .entry(deployed_id(d.resource).to_lowercase())
                .or_default() += 1;
        }
    }
    let mut entries: Vec<DriftEntry> = found
        .into_iter()
        .map(|found| match found {
            Match::Pair {
                code: c,
                deployed: d,
                by,
            } => {
                let id = deployed_id(d.resource);
                let deployed_count = per_code.get(&code_key(&c)).copied().unwrap_or(1);
                let code_count = per_deployed.get(&id.to_lowercase()).copied().unwrap_or(1);
                let mut notes = Vec::new();
                if deployed_count > 1 {
                    notes.push(format!(
                        "{} matches {deployed_count} deployed sites",
                        c.address()
                    ));
                }
                if code_count > 1 {
                    notes.push(format!("{id} is matched by {code_count} code resources"));
                }
                DriftEntry {
                    state: DriftState::of(c.passes(), d.passes()),
                    matched_by: Some(by),
                    code: Some(code_side(&c)),
                    deployed: Some(deployed_side(&d)),
                    note: (!notes.is_empty()).then(|| notes.join("; ")),
                }
            }
            Match::NotDeployed(c) => DriftEntry {
                state: DriftState::NotDeployed,
                matched_by: None,
                code: Some(code_side(&c)),
                deployed: None,
                note: None,
            },
            Match::Unresolved(c, why) => DriftEntry {
                state: DriftState::NameUnresolved,
                matched_by: None,
                note: Some(format!("{} cannot be matched by name: {why}", c.address())),
                code: Some(code_side(&c)),
                deployed: None,
            },
            Match::Unmanaged(d) => DriftEntry {
                state: DriftState::Unmanaged,
                matched_by: None,
                code: None,
                deployed: Some(deployed_side(&d)),
                note: None,
            },
        })
        .collect();
    entries.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));
    entries
}

type SortKey<'a> = (
    DriftState,
    Option<(&'a crate::report::Location, &'a str, &'a Option<String>)>,
    Option<String>,
);

fn sort_key(entry: &DriftEntry) -> SortKey<'_> {
    (
        entry.state,
        entry
            .code
            .as_ref()
            .map(|c| (&c.location, c.address.as_str(), &c.scenario)),
        entry.deployed.as_ref().map(|d| d.id.to_lowercase()),
    )
}

/// One code site: its declaration and instance and scenario.
fn code_key(site: &Site) -> (usize, String) {
    (site.group, site.address().to_string())
}

fn code_side(site: &Site) -> CodeSide {
    CodeSide {
        address: site.address().to_string(),
        location: site.location.clone(),
        verdict: site.verdict,
        scenario: site.resource.scenario.clone(),
        group: site.group,
    }
}

fn deployed_side(site: &Site) -> DeployedSide {
    DeployedSide {
        id: deployed_id(site.resource),
        location: site.location.clone(),
        verdict: site.verdict,
    }
}
