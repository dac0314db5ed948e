//! The Terraform front end: module directories' `.tf` and `.tf.json` files in, model resources
//! with resolved values out.
//!
//! Pipeline: read each file ([`hcl`], [`json_syntax`]) and assemble each directory once
//! ([`module`], with [`overrides`]); find the roots ([`roots`]); walk each root's module tree
//! evaluating variables ([`tfvars`], [`instance`]), locals and expressions ([`eval`]), expand
//! `count` / `for_each`, and lower every block instance to a resource ([`lower`]) using the
//! azurerm type table ([`types`]) and the provider version ([`version`]).

pub mod comments;
mod convert;
mod eval;
mod hcl;
mod instance;
pub mod json_comments;
mod json_syntax;
mod lower;
mod module;
mod nesting;
mod overrides;
mod project;
mod roots;
mod syntax;
mod tfvars;
mod types;
mod version;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

pub use module::ModuleFile;
pub use syntax::{Attribute, AttributeExpr, ResourceBlock};
pub use types::{ProviderVersion, RESOURCE_TYPES, TypeInfo, lookup};
pub use version::from_constraints as provider_version_from_constraints;

use crate::load::Loader;
use crate::model::{Resource, UnitScan};
use crate::scan::Settings;
use crate::source::{SourceMap, Span};

/// Scans the Terraform module directories that hold candidate files (in-scope types or module
/// calls). Directories called by another one through a local `source` are judged through their
/// callers only; the others are roots, judged with their own defaults and variables files.
///
/// Roots listed in `planned` are not judged: a plan JSON next to them is their resolved truth
/// (their called modules are still not roots, so nothing is reported twice).
pub fn scan_project(
    dirs: &[PathBuf],
    planned: &std::collections::BTreeSet<PathBuf>,
    loader: &Loader,
    settings: &Settings,
) -> UnitScan {
    use rayon::prelude::*;
    let project = project::Project::new(loader, settings);
    dirs.par_iter().for_each(|dir| {
        project.module(dir);
    });
    let mut roots = roots::roots(&project, dirs);
    roots.retain(|root| !planned.contains(root));
    let judged: Vec<(PathBuf, project::Judged)> = roots
        .par_iter()
        .map(|root| (root.clone(), project.judge_root(root)))
        .collect();
    let mut scan = UnitScan::default();
    let mut per_root = Vec::new();
    for (root, (resources, errors)) in judged {
        per_root.push((root, collapse(resources)));
        scan.errors.extend(errors);
    }
    scan.resources = name_roots(per_root);
    scan.errors
        .extend(project.command_line.errors.iter().cloned());
    scan.errors.extend(project.module_errors());
    scan
}

/// Scans one module directory's files as a root module with no variables files (tests, tools).
pub fn scan_module(files: &[ModuleFile]) -> UnitScan {
    let module = module::assemble(PathBuf::new(), files);
    let sources = SourceMap::default();
    let loader = Loader::new(&sources);
    let project = project::Project::new(&loader, &Settings::default());
    let (resources, mut errors) = project.judge(&module);
    errors.extend(module.errors.iter().cloned());
    UnitScan {
        resources: collapse(resources),
        errors,
    }
}

/// Instances of one declaration whose values all agree are one resource: nothing about them
/// differs, so naming an instance would only add noise.
fn collapse(resources: Vec<Resource>) -> Vec<Resource> {
    let mut groups: Vec<Vec<Resource>> = Vec::new();
    let mut index: HashMap<(String, Span), usize> = HashMap::new();
    for resource in resources {
        let key = (resource.address.clone(), resource.header);
        match index.get(&key) {
            Some(&i) => groups[i].push(resource),
            None => {
                index.insert(key, groups.len());
                groups.push(vec![resource]);
            }
        }
    }
    let same = |a: &Resource, b: &Resource| {
        a.enabled == b.enabled && a.mode == b.mode && a.exclusion_paths == b.exclusion_paths
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

/// A declaration reached from several roots (a shared child module) is judged once per root:
/// each judgement names its root as the scenario.
fn name_roots(per_root: Vec<(PathBuf, Vec<Resource>)>) -> Vec<Resource> {
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
                let shown = root.display().to_string();
                resource.scenario = Some(format!(
                    "root module {}",
                    if shown.is_empty() { "." } else { &shown }
                ));
            }
            out.push(resource);
        }
    }
    out
}

#[cfg(test)]
mod tests;
