//! Root modules another front end asks Terraform to judge (Terragrunt units): a module
//! directory, values under its variables files, and the scenario every result is named by.

use std::path::PathBuf;

use rayon::prelude::*;

use super::Inputs;
use super::module::Module;
use super::project::Project;
use super::tfvars::Assignment;
use crate::load::Loader;
use crate::model::UnitScan;

/// One module directory judged as a root with inputs from outside Terraform.
#[derive(Debug, Clone)]
pub struct ExternalRoot {
    /// The module directory.
    pub dir: PathBuf,
    /// Values under every variables file and `TF_VAR_` (Terragrunt `inputs`).
    pub below: Vec<(String, Assignment)>,
    /// Shown on every result of this root (`terragrunt live/app/terragrunt.hcl`).
    pub scenario: String,
}

/// Judges each root with its inputs; its resources are named by its scenario.
pub fn scan_roots(roots: &[ExternalRoot], loader: &Loader, inputs: &Inputs) -> UnitScan {
    let project = Project::new(loader, inputs);
    let judged: Vec<_> = roots
        .par_iter()
        .map(|root| project.judge_with(&project.module(&root.dir), &root.below))
        .collect();
    let mut scan = UnitScan::default();
    if loader.names_units() {
        scan.units = roots.iter().map(|root| root.scenario.clone()).collect();
    }
    for (root, (resources, errors)) in roots.iter().zip(judged) {
        for mut resource in crate::instances::collapse_identical(resources) {
            resource.scenario = Some(root.scenario.clone());
            scan.resources.push(resource);
        }
        scan.errors.extend(errors);
    }
    let modules = project.modules();
    let modules: Vec<&Module> = modules.iter().map(|m| &**m).collect();
    super::comments::record(&mut scan, &modules, |file| Some(loader.sources().get(file)));
    scan.errors.extend(project.module_errors());
    // Templates the units' deployments read with `file()` are judged through them only.
    scan.consumed = project.consumed();
    scan.policies = project.policies();
    scan
}
