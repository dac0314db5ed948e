//! The Terragrunt front end: each `terragrunt.hcl` is a unit that calls a Terraform module
//! (`terraform { source }`, local only) with `inputs`; the module is judged by the Terraform
//! front end as a root with those inputs under its variables files, named `terragrunt <path>`.
//!
//! Reused: the HCL parser (`terraform::hcl`), Terraform's evaluator for every expression
//! (`terraform::eval`, through its `Scope` hooks), and the Terraform walk for the module
//! (`terraform::external`). Written here by hand, because no crate evaluates Terragrunt: the
//! configuration's blocks ([`config`]), `include` merging ([`include`]), Terragrunt's functions
//! ([`functions`]), `dependency` mocks ([`dependency`]) and the scope tying them together
//! ([`scope`]); see README "Terragrunt" for the rules followed.

mod config;
mod dependency;
mod functions;
mod include;
mod scope;
mod unit;

use std::collections::{BTreeSet, HashSet};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::error::FileError;
use crate::file_kind::FileKind;
use crate::front::{Candidate, Claims, Erased, FrontEnd, FrontEndId, Sniffed};
use crate::load::Loader;
use crate::model::UnitScan;
use crate::terraform::Inputs;
use crate::terraform::external::{ExternalRoot, scan_roots};

/// The Terragrunt front end, with Terraform's command-line inputs (they apply to every unit).
pub struct Terragrunt<'a> {
    pub inputs: &'a Inputs,
}

/// Nothing is kept from the byte search: every `terragrunt.hcl` is a unit.
pub type Outline = ();

impl FrontEnd for Terragrunt<'_> {
    const ID: FrontEndId = FrontEndId::Terragrunt;
    type Outline = Outline;
    type Units = Vec<PathBuf>;

    fn sniff(&self, kind: FileKind, _: &[u8]) -> Option<Sniffed<Outline>> {
        (kind == FileKind::Terragrunt).then_some(Sniffed {
            interesting: true,
            outline: None,
        })
    }

    /// The module directories the units call, so the Terraform front end does not judge them
    /// as roots too (each unit is evaluated, includes and all; the loader keeps the files).
    fn claims_reading(&self, loader: &Loader, files: &[Candidate<Erased>]) -> BTreeSet<PathBuf> {
        let paths: Vec<PathBuf> = files.iter().map(|file| file.path.clone()).collect();
        units(loader, &paths)
            .into_iter()
            .filter_map(|unit| unit.module)
            .collect()
    }

    fn units(&self, _: &Loader, files: Vec<Candidate<Outline>>, _: &Claims) -> Vec<PathBuf> {
        files.into_iter().map(|file| file.path).collect()
    }

    fn scan(&self, loader: &Loader, files: Vec<PathBuf>) -> UnitScan {
        let mut errors: Vec<FileError> = Vec::new();
        let mut roots = Vec::new();
        for unit in units(loader, &files) {
            // A file several units include gives its notice once.
            for error in unit.errors {
                if !errors.contains(&error) {
                    errors.push(error);
                }
            }
            if let Some(dir) = unit.module {
                roots.push(ExternalRoot {
                    dir,
                    below: unit.inputs,
                    scenario: format!(
                        "terragrunt {}",
                        crate::paths::path_text(&crate::paths::normalize(&unit.file))
                    ),
                });
            }
        }
        let mut scan = scan_roots(&roots, loader, self.inputs);
        errors.append(&mut scan.errors);
        scan.errors = errors;
        scan
    }
}

/// The units among `files`, evaluated, in path order: a configuration that units include and
/// that names no module of its own (a parent `terragrunt.hcl`) is no unit itself.
fn units(loader: &Loader, files: &[PathBuf]) -> Vec<unit::Unit> {
    let units: Vec<unit::Unit> = files
        .par_iter()
        .filter_map(|file| unit::evaluate(loader, file))
        .collect();
    let included: HashSet<PathBuf> = units.iter().flat_map(|u| u.included.clone()).collect();
    units
        .into_iter()
        .filter(|unit| unit.has_source || !included.contains(&crate::paths::normalize(&unit.file)))
        .collect()
}
