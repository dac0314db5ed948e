//! Drift between code and deployment: matches the code's sites to the deployed sites of
//! inventory exports and says, per site, where it stands (`check --deployed EXPORT...`).
//!
//! Matching is by resource id where the code determines it, else by name + resource group +
//! type (site or slot, and a slot's parent site), ignoring case as Azure does. A code site
//! whose names are unresolved is not matched by name and is reported as such.

mod attach;
mod entries;
pub(crate) mod sites;
#[cfg(test)]
mod tests;

pub(crate) use attach::attach;
pub(crate) use entries::entries;
pub(crate) use sites::Site;

use std::collections::HashMap;

use crate::report::Report;
use crate::report::drift::MatchedBy;

/// What matching found for one code site or one deployed site.
#[derive(Debug, Clone)]
pub(crate) enum Match<'a> {
    /// A code site and a deployed site it manages. A code site may match several deployed
    /// sites and a deployed site several code sites: each pair is one `Pair`.
    Pair {
        code: Site<'a>,
        deployed: Site<'a>,
        by: MatchedBy,
    },
    /// A code site no deployed site matches.
    NotDeployed(Site<'a>),
    /// A code site whose name, resource group or parent site is unresolved (the text says
    /// which and why): it cannot be matched by name.
    Unresolved(Site<'a>, String),
    /// A deployed site no code site matches.
    Unmanaged(Site<'a>),
}

/// Matches the code sites of `code` (resources whose source is code) to the deployed sites of
/// `deployed` (resources read from inventory exports). The two may be the same report. Pairs
/// come in code order, then the unmanaged deployed sites in export order.
pub(crate) fn matches<'a>(code: &'a Report, deployed: &'a Report) -> Vec<Match<'a>> {
    let code_sites = sites::of(code, false);
    let deployed_sites = sites::of(deployed, true);
    let deployed_keys: Vec<sites::Key> = deployed_sites
        .iter()
        .map(|site| deployed_key(site.resource))
        .collect();
    // Indexed once, so matching an estate of thousands of sites stays linear.
    let mut by_id: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_name: HashMap<(&str, &str, Option<&str>), Vec<usize>> = HashMap::new();
    for (i, key) in deployed_keys.iter().enumerate() {
        if let Some(id) = &key.id {
            by_id.entry(id).or_default().push(i);
        }
        if let Ok(names) = &key.names {
            by_name.entry(names.index()).or_default().push(i);
        }
    }
    let mut claimed = vec![false; deployed_sites.len()];
    let mut found = Vec::new();
    for site in code_sites {
        let key = sites::key(site.resource);
        let (hits, by) = match (&key.id, &key.names) {
            // The id decides: a site the code names fully is either there or not.
            (Some(id), _) => (
                by_id.get(id.as_str()).cloned().unwrap_or_default(),
                MatchedBy::ResourceId,
            ),
            (None, Ok(names)) => {
                let hits = by_name
                    .get(&names.index())
                    .into_iter()
                    .flatten()
                    .copied()
                    .filter(|&i| {
                        deployed_keys[i]
                            .names
                            .as_ref()
                            .is_ok_and(|n| names.same_site(n))
                    })
                    .collect();
                (hits, MatchedBy::NameResourceGroupType)
            }
            (None, Err(why)) => {
                found.push(Match::Unresolved(site, why.clone()));
                continue;
            }
        };
        if hits.is_empty() {
            found.push(Match::NotDeployed(site));
            continue;
        }
        for i in hits {
            claimed[i] = true;
            found.push(Match::Pair {
                code: site.clone(),
                deployed: deployed_sites[i].clone(),
                by,
            });
        }
    }
    for (site, claimed) in deployed_sites.into_iter().zip(claimed) {
        if !claimed {
            found.push(Match::Unmanaged(site));
        }
    }
    found
}

/// A deployed site's key: its id is the one written in the export, else its address (the
/// export front end addresses a site by its id).
fn deployed_key(resource: &crate::model::Resource) -> sites::Key {
    let mut key = sites::key(resource);
    if key.id.is_none() && resource.address.starts_with('/') {
        let parts = sites::IdParts::parse(&resource.address);
        key.id = Some(resource.address.to_lowercase());
        if key.names.is_err()
            && let (Some(group), Some(site)) = (parts.resource_group, parts.site)
        {
            let (name, parent) = match (resource.is_slot, parts.slot) {
                (true, Some(slot)) => (slot, Some(site.to_lowercase())),
                (_, _) => (site, None),
            };
            key.names = Ok(sites::Names {
                name: name.to_lowercase(),
                resource_group: group.to_lowercase(),
                is_slot: resource.is_slot,
                parent,
                subscription: parts.subscription.map(|s| s.to_lowercase()),
            });
        }
    }
    key
}

/// The deployed site's id as the export writes it (else its address).
pub(crate) fn deployed_id(resource: &crate::model::Resource) -> String {
    match sites::Name::of(resource.identity.id.as_ref()) {
        sites::Name::Known(id) => id,
        _ => resource.address.clone(),
    }
}
