//! The Terraform front end: module directories' `.tf` and `.tf.json` files in, model resources
//! with resolved values out.
//!
//! Pipeline: read each file ([`hcl`], [`json_syntax`]) and assemble each directory once
//! ([`module`], with [`overrides`]); find the roots ([`roots`]); walk each root's module tree
//! evaluating variables ([`tfvars`], [`instance`]), locals and expressions ([`eval`]), expand
//! `count` / `for_each`, and lower every block instance to a resource ([`lower`]) using the
//! azurerm type table ([`types`]) and the provider version ([`version`]).

mod azapi;
mod azapi_deployment;
mod by_name;
mod comment_properties;
mod comments;
mod convert;
mod dispatch;
mod embedded;
pub(crate) mod eval;
mod front;
pub(crate) mod hcl;
pub(crate) mod identity;
mod inputs;
mod instance;
pub mod interest;
mod json_syntax;
mod lower;
mod memo;
mod module;
mod nesting;
mod overrides;
pub(crate) mod policy;
pub(crate) mod project;
mod relevance;
pub(crate) mod resource_id;
pub(crate) mod rollout;
mod roots;
pub(crate) mod syntax;
mod targets;
mod template_source;
pub(crate) mod tfvars;

pub use tfvars::{COMMAND_LINE, ENVIRONMENT};
pub(crate) mod external;
mod reads;
mod types;
mod version;

use std::path::PathBuf;

pub use front::Terraform;
pub use inputs::Inputs;
pub(crate) use instance::locals_cycle;
pub use memo::{Memo, Slot};
#[cfg(test)]
pub use module::ModuleFile;
pub use relevance::{Known, Outline};
pub use types::{ProviderVersion, RESOURCE_TYPES, lookup};

use crate::load::Loader;
use crate::model::UnitScan;

/// Scans the Terraform module directories that hold candidate files (in-scope types or module
/// calls). Directories called by another one through a local `source` are judged through their
/// callers only; the others are roots, judged with their own defaults and variables files.
///
/// Roots listed in `planned` are not judged: a plan JSON next to them is their resolved truth
/// (their called modules are still not roots, so nothing is reported twice).
///
/// Directories `earlier` holds are taken from it instead of parsed, and roots it judged are
/// not walked again. With `keep`, what this scan parsed and judged is returned beside it for a
/// later one (else nothing: it is freed at once).
pub fn scan_project(
    dirs: &[PathBuf],
    planned: &std::collections::BTreeSet<PathBuf>,
    loader: &Loader,
    inputs: &Inputs,
    earlier: Memo,
    keep: bool,
) -> (UnitScan, Memo) {
    use rayon::prelude::*;
    let project = project::Project::new(loader, inputs).with_memo(earlier, keep);
    dirs.par_iter().for_each(|dir| {
        project.module(dir);
    });
    let mut roots = roots::roots(&project, dirs);
    let root_modules: Vec<_> = roots.iter().map(|root| project.module(root)).collect();
    let refused = project
        .command_line
        .refused(&root_modules.iter().map(|m| &**m).collect::<Vec<_>>());
    roots.retain(|root| !planned.contains(root));
    let judged: Vec<(PathBuf, project::Judged)> = roots
        .par_iter()
        .map(|root| (root.clone(), project.judge_root(root)))
        .collect();
    let mut scan = UnitScan::default();
    let mut per_root = Vec::new();
    for (root, (resources, errors)) in judged {
        per_root.push((root, crate::instances::collapse_identical(resources)));
        scan.errors.extend(errors);
    }
    let root_name = |root: &std::path::Path| {
        let shown = crate::paths::path_text(root).to_string();
        format!(
            "root module {}",
            if shown.is_empty() { "." } else { &shown }
        )
    };
    if loader.names_units() {
        scan.units = per_root.iter().map(|(root, _)| root_name(root)).collect();
    }
    scan.resources = crate::instances::name_roots(per_root, |root, _| root_name(root));
    let modules = project.modules();
    let modules: Vec<&module::Module> = modules.iter().map(|m| &**m).collect();
    comments::record(&mut scan, &modules, |file| Some(loader.sources().get(file)));
    scan.errors
        .extend(project.command_line.errors.iter().cloned());
    scan.errors.extend(refused);
    scan.errors.extend(project.module_errors());
    scan.consumed = project.consumed();
    scan.policies = project.policies();
    let memo = if keep {
        project.into_memo()
    } else {
        Memo::default()
    };
    (scan, memo)
}

/// The directories among `dirs` that can lead to a site (see [`relevance`]), in order: the
/// others only call local helper modules and are not parsed. Starts from the decisions
/// `memo` holds, and leaves this scan's there with `known`.
pub fn relevant_dirs(
    dirs: Vec<PathBuf>,
    known: Known,
    loader: &Loader,
    memo: &mut Memo,
) -> Vec<PathBuf> {
    use rayon::prelude::*;
    let relevance =
        relevance::Relevance::new(loader, &known).starting_from(std::mem::take(&mut memo.decided));
    let dirs = dirs
        .into_par_iter()
        .filter(|dir| relevance.relevant(dir))
        .collect();
    memo.decided = relevance.into_decided();
    memo.known = known;
    dirs
}

/// Scans one module directory's files as a root module with no variables files (tests, tools).
#[cfg(test)]
pub fn scan_module(files: &[ModuleFile]) -> UnitScan {
    let module = module::assemble(PathBuf::new(), files);
    let sources = crate::source::SourceMap::default();
    let loader = Loader::new(&sources);
    let project = project::Project::new(&loader, &Inputs::default());
    let (resources, mut errors) = project.judge(&module);
    errors.extend(module.errors.iter().cloned());
    let mut scan = UnitScan {
        resources: crate::instances::collapse_identical(resources),
        errors,
        comments: Vec::new(),
        consumed: Vec::new(),
        policies: Vec::new(),
        units: Vec::new(),
    };
    comments::record(&mut scan, &[&module], |file| {
        let found = files.iter().find(|f| f.id == file);
        found.map(|f| f.source.clone())
    });
    scan
}

#[cfg(test)]
mod tests;
