//! Post-processing the front ends share: collapsing identical instances of one declaration, and
//! naming the root module when one declaration is judged from several roots.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::model::{Data, Resource, Restrictions, RolloutInputs, SiteIdentity, Tags, Value};
use crate::source::Span;

/// The instances of each declaration (same address, scenario and header), in the order of
/// first appearance: the unit a declaration's verdict and its collapsing are decided on.
pub fn by_declaration(resources: Vec<Resource>) -> Vec<Vec<Resource>> {
    let mut groups: Vec<Vec<Resource>> = Vec::new();
    let mut index: HashMap<(String, Option<String>, Span), usize> = HashMap::new();
    for resource in resources {
        let key = (
            resource.address.clone(),
            resource.scenario.clone(),
            resource.header,
        );
        match index.get(&key) {
            Some(&i) => groups[i].push(resource),
            None => {
                index.insert(key, groups.len());
                groups.push(vec![resource]);
            }
        }
    }
    groups
}

/// Instances of one declaration (same address, scenario and header) whose judged values are all
/// equal collapse into one resource without an instance name: naming `[3]` when every instance
/// is the same would only be noise. Instances whose rollout inputs differ (a `prod` and a `dev`
/// instance) stay apart: the rollout puts them in different batches; so do instances with
/// different names in Azure (their `identity`): each is its own deployed site.
pub fn collapse_identical(resources: Vec<Resource>) -> Vec<Resource> {
    let groups = by_declaration(resources);
    let same = |a: &Resource, b: &Resource| {
        a.enabled == b.enabled
            && a.mode == b.mode
            && a.exclusion_paths == b.exclusion_paths
            && a.kind == b.kind
            && same_rollout(&a.rollout, &b.rollout)
            && same_identity(&a.identity, &b.identity)
    };
    groups
        .into_iter()
        .flat_map(|mut group| {
            if group.len() > 1 && group.iter().all(|r| same(r, &group[0])) {
                group.truncate(1);
                group[0].instance = None;
            }
            group
        })
        .collect()
}

/// Whether two instances' rollout inputs hold the same data. Where each came from, and why an
/// unknown one is unknown, may name the instance and do not change the facts decided from them.
fn same_rollout(a: &RolloutInputs, b: &RolloutInputs) -> bool {
    let data = |v: &Option<Value>| v.as_ref().map(|v| known(&v.data));
    let rules = |r: &Restrictions| match r {
        Restrictions::Absent => None,
        Restrictions::Unknown(_) => Some(Err(())),
        Restrictions::Rules(rules) => Some(Ok(rules
            .iter()
            .map(|r| {
                [&r.action, &r.ip_address, &r.service_tag, &r.subnet]
                    .map(|field| field.as_ref().map(|v| known(&v.data)))
            })
            .collect::<Vec<_>>())),
    };
    let tags = |t: &Tags| match t {
        Tags::Absent => None,
        Tags::Unknown(_) => Some(Err(())),
        Tags::Entries(entries) => Some(Ok(entries
            .iter()
            .map(|(key, value)| (key.clone(), known(&value.data)))
            .collect::<Vec<_>>())),
    };
    data(&a.public_access) == data(&b.public_access)
        && data(&a.default_action) == data(&b.default_action)
        && rules(&a.restrictions) == rules(&b.restrictions)
        && tags(&a.tags) == tags(&b.tags)
}

/// Whether two instances are named alike in Azure: instances named apart (`web-dev`,
/// `web-prod`) are different sites, which drift matches one by one.
fn same_identity(a: &SiteIdentity, b: &SiteIdentity) -> bool {
    let data = |i: &SiteIdentity| {
        [
            &i.id,
            &i.name,
            &i.parent,
            &i.resource_group,
            &i.subscription,
        ]
        .map(|v| v.as_ref().map(|v| known(&v.data)))
    };
    data(a) == data(b)
}

/// The data with any unknown's reason left out.
fn known(data: &Data) -> Option<Data> {
    match data {
        Data::Unknown(_) => None,
        other => Some(other.clone()),
    }
}

/// A declaration reached from several roots (a shared module) is judged once per root: each of
/// those judgements gets the scenario `scenario(root, previous scenario)`, so they stay apart.
pub fn name_roots(
    per_root: Vec<(PathBuf, Vec<Resource>)>,
    scenario: impl Fn(&Path, Option<String>) -> String,
) -> Vec<Resource> {
    let mut roots_of: HashMap<(String, Span), HashSet<PathBuf>> = HashMap::new();
    for (root, resources) in &per_root {
        for resource in resources {
            roots_of
                .entry((resource.address.clone(), resource.header))
                .or_default()
                .insert(root.clone());
        }
    }
    let mut out = Vec::new();
    for (root, resources) in per_root {
        for mut resource in resources {
            let key = (resource.address.clone(), resource.header);
            if roots_of.get(&key).is_some_and(|roots| roots.len() > 1) {
                resource.scenario = Some(scenario(&root, resource.scenario.take()));
            }
            out.push(resource);
        }
    }
    out
}
