//! Stage: judge every resource. Out-of-scope kinds are dropped, the instances of one
//! declaration are grouped, and each group gets one verdict under the config governing its
//! file.

use crate::path_map::PathHashMap;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Config;
use crate::diagnostic::Severity;
use crate::model::Resource;
use crate::policy::Configs;
use crate::report::{Finding, Location, Report, ResourceRecord};
use crate::rollout::facts::{self, Places};
use crate::rules::{self, Rule, Violation};
use crate::source::{FileId, SourceMap};

/// Drops the resources whose kind the config governing their file leaves out of scope: they
/// are not checked at all. Returns the config of each file holding a kept resource.
pub fn in_scope(
    resources: &mut Vec<Resource>,
    configs: &mut Configs,
    sources: &SourceMap,
) -> PathHashMap<PathBuf, Arc<Config>> {
    // One lookup per file, by its directory: the file is a loaded file, so it needs no probe
    // whether it is a directory (`Configs::for_dir`), and a file holds several resources.
    let mut by_id: HashMap<FileId, (PathBuf, Arc<Config>)> = HashMap::new();
    resources.retain(|resource| {
        let (_, config) = by_id.entry(resource.header.file).or_insert_with(|| {
            let path = sources.get(resource.header.file).path().to_path_buf();
            let config = configs.for_dir(crate::path_map::spelled_dir(&path));
            (path, config)
        });
        config.scope.includes(resource.kind, resource.is_slot)
    });
    let kept: HashSet<FileId> = resources.iter().map(|r| r.header.file).collect();
    by_id
        .into_iter()
        .filter(|(id, _)| kept.contains(id))
        .map(|(_, by_path)| by_path)
        .collect()
}

/// The config governing each file of the scan, once every config was loaded.
pub struct Governing {
    /// `--config FILE`: governs every file.
    explicit: Option<PathBuf>,
    /// Every config loaded during the scan.
    all: Vec<Arc<Config>>,
    /// The config of each file holding a judged resource.
    by_file: PathHashMap<PathBuf, Arc<Config>>,
    defaults: Arc<Config>,
}

impl Governing {
    /// Takes the config of every file holding a judged resource ([`in_scope`]), then lets
    /// `configs` go (it borrows the loader, whose errors are collected next).
    pub fn new(
        configs: Configs,
        by_file: PathHashMap<PathBuf, Arc<Config>>,
        explicit: Option<PathBuf>,
    ) -> Self {
        Governing {
            explicit,
            all: configs.all().cloned().collect(),
            by_file,
            defaults: configs.defaults(),
        }
    }

    /// Every config loaded during the scan.
    pub fn all(&self) -> &[Arc<Config>] {
        &self.all
    }

    /// The config governing `path`.
    pub fn of(&self, path: &Path) -> Arc<Config> {
        if let Some(explicit) = &self.explicit {
            return self
                .all
                .iter()
                .find(|c| c.source.as_deref() == Some(explicit.as_path()))
                .cloned()
                .unwrap_or_else(|| self.defaults.clone());
        }
        // A config file governs itself (for its unused `[[exception]]` entries).
        self.by_file
            .get(path)
            .or_else(|| self.all.iter().find(|c| c.source.as_deref() == Some(path)))
            .cloned()
            .unwrap_or_else(|| self.defaults.clone())
    }
}

/// Judges every declaration's instances together; each group is kept in `report.groups`.
/// `root` is the project root, where the rollout facts read directory names from. Groups are
/// judged on the workers (each alone), then kept in order.
pub fn groups(
    report: &mut Report,
    resources: Vec<Resource>,
    governing: &Governing,
    root: &crate::fs::root::ProjectRoot,
) {
    use rayon::prelude::*;
    let groups = crate::instances::by_declaration(resources);
    let scenarios = groups
        .iter()
        .flatten()
        .filter_map(|r| r.scenario.as_deref());
    let places = Places::new(&report.sources, root.dirs(), scenarios);
    let first = report.groups.len();
    let sources = &report.sources;
    let judged: Vec<(ResourceRecord, Option<Finding>)> = groups
        .par_iter()
        .enumerate()
        .map(|(i, group)| {
            let path = sources.get(group[0].header.file).path().to_path_buf();
            judge_group(sources, group, first + i, &governing.of(&path), &places)
        })
        .collect();
    for ((record, finding), group) in judged.into_iter().zip(groups) {
        report.resources.push(record);
        report.findings.extend(finding);
        report.groups.push(group);
    }
}

/// The files the group's judged values were written in (the first hop of each origin).
fn value_files(sources: &SourceMap, group: &[Resource]) -> Vec<PathBuf> {
    let files: BTreeSet<PathBuf> = group
        .iter()
        .flat_map(|r| [&r.enabled, &r.mode, &r.exclusion_paths])
        .flatten()
        .filter_map(|value| value.origin.first())
        .map(|origin| sources.get(origin.span.file).path().to_path_buf())
        .collect();
    files.into_iter().collect()
}

/// Judges every instance of a declaration; the declaration's verdict is its worst instance's
/// (errors before warnings, first instance first), and the message names that instance.
/// The group will be kept in `report.groups` at `index`, where the record and the finding
/// point.
fn judge_group(
    sources: &SourceMap,
    group: &[Resource],
    index: usize,
    config: &Config,
    places: &Places,
) -> (ResourceRecord, Option<Finding>) {
    let total = group.len();
    // A rule the config turns off gives no verdict; the others get the config's severity.
    let verdicts: Vec<Option<(&'static Rule, Severity, Violation)>> = group
        .iter()
        .map(|resource| {
            let (rule, violation) = rules::judge(resource)?;
            let severity = crate::policy::severity(config, rule.id)?;
            Some((rule, severity, violation))
        })
        .collect();
    let failing = verdicts.iter().filter(|v| v.is_some()).count();
    let worst = verdicts
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.as_ref().map(|(_, severity, _)| (*severity, i)))
        .min()
        .map(|(_, i)| i);
    let chosen = worst.unwrap_or(0);
    let resource = &group[chosen];
    let verdict = verdicts.into_iter().nth(chosen).flatten();
    let file = sources.get(resource.header.file).path().to_path_buf();
    let place = places.of(resource, &file, config);
    let record = ResourceRecord {
        address: resource.address.clone(),
        resource_type: resource.resource_type.clone(),
        kind: resource.kind_id(),
        scenario: resource.scenario.clone(),
        location: Location::of(sources, resource.header),
        verdict: verdict
            .as_ref()
            .map_or("pass", |(rule, _, _)| rule.id.as_str()),
        severity: verdict.as_ref().map(|(_, severity, _)| *severity),
        value_files: value_files(sources, group),
        group: index,
        exposure: facts::exposure(resource),
        environment: facts::environment(resource, config, &place),
    };
    let Some((rule, severity, violation)) = verdict else {
        return (record, None);
    };
    // Values quoted anywhere in the front ends (a name, an expression) are cut here, once.
    let clip = |text: String| crate::quote::clip_within(&text).into_owned();
    let mut message = clip(violation.message);
    if let Some(instance) = resource.instance.as_ref().filter(|_| total > 1) {
        let instance = crate::quote::clip(instance);
        message.push_str(&format!(
            " (instance `{instance}`; {failing} of {total} instances fail)"
        ));
    }
    if let Some(scenario) = &resource.scenario {
        message.push_str(&format!(" [scenario {scenario}]"));
    }
    let finding = Finding {
        rule: rule.id,
        severity,
        message,
        help: clip(violation.help),
        address: resource.address.clone(),
        scenario: resource.scenario.clone(),
        location: Location::of(sources, violation.span),
        span: violation.span,
        label: clip(violation.label),
        origin: violation
            .origin
            .into_iter()
            .map(|step| crate::model::Origin {
                note: clip(step.note),
                ..step
            })
            .collect(),
        subject: crate::report::Subject::Resource { group: index },
        fix: Default::default(),
        suppressed: None,
        note: None,
    };
    (record, Some(finding))
}
