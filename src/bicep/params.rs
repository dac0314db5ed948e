//! Where a root Bicep file's parameter values come from. Each source is a deployment scenario:
//!
//! - a `.bicepparam` file whose `using` names the file (`using './main.bicep'`): its values
//!   are Bicep expressions, evaluated in the parameter file itself (its `var`s, the file it
//!   `extends`); `readEnvironmentVariable()` and `getSecret()` are unknown;
//! - ARM parameter JSON next to it, named `STEM.parameters.json` or `STEM.parameters.*.json`
//!   (`main.parameters.prod.json` for `main.bicep`), whose values are literal;
//! - every `--parameters FILE` that fits: a `.bicepparam` whose `using` names the file, or ARM
//!   parameter JSON setting only parameters the file declares (ARM's own validity rule).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use crate::arm::params::{ParameterFile, read as read_json, siblings as json_siblings};
use crate::error::FileError;
use crate::load::Loader;
use crate::model::{Origin, OriginKind};
use crate::source::Span;
use crate::value::{Traced, Val};

use super::ast::StatementKind;
use super::outline;
use super::project::{Parsed, Project};
use super::scope::{Budget, Input, NESTING, Role, Scope};
use crate::limits::MAX_BICEP_EXTENDS;

/// One deployment scenario of a root file.
pub struct Scenario {
    /// The normalised path of the parameter file, to tell sources apart.
    pub path: PathBuf,
    /// The name findings show.
    pub name: String,
    pub inputs: HashMap<String, Input>,
}

/// A `.bicepparam` file and the file its `using` names.
pub struct ParamsFile {
    pub parsed: Arc<Parsed>,
    /// The normalised `using` target, when it is a local file (not `none`, not a registry).
    pub target: Option<PathBuf>,
}

/// Reads a `.bicepparam` file (parsed once, syntax errors recorded).
pub fn read_bicepparam(project: &Project<'_>, path: &Path) -> Option<ParamsFile> {
    let parsed = project.parsed(path)?;
    let target = parsed
        .program
        .statements
        .iter()
        .find_map(|statement| match &statement.kind {
            StatementKind::Using { target, .. } => target.as_ref(),
            _ => None,
        })
        .and_then(|target| target.literal())
        .filter(|target| !outline::is_registry(target))
        .map(|target| parsed.resolve(target));
    Some(ParamsFile { parsed, target })
}

/// The values a `.bicepparam` file sets (with those of the files it `extends`), named `name`
/// in origins. Problems with `extends` are returned as errors.
pub fn bicepparam_inputs(
    project: &Project<'_>,
    file: &Parsed,
    name: &str,
    errors: &mut Vec<FileError>,
) -> HashMap<String, Input> {
    inputs_of(project, file, name, &mut vec![file.path.clone()], errors)
}

fn inputs_of(
    project: &Project<'_>,
    file: &Parsed,
    name: &str,
    chain: &mut Vec<PathBuf>,
    errors: &mut Vec<FileError>,
) -> HashMap<String, Input> {
    let mut inputs = HashMap::new();
    for statement in &file.program.statements {
        let StatementKind::Extends(base) = &statement.kind else {
            continue;
        };
        let Some(written) = base.literal() else {
            continue;
        };
        let path = file.resolve(written);
        let loader = project.loader;
        let problem = if let Some(root) = loader.root().filter(|_| !loader.allowed(&path)) {
            errors.push(FileError::notice(
                file.source.path(),
                Some(base.span),
                root.outside_message(&format!("`extends '{written}'`"), &path),
            ));
            continue;
        } else if chain.contains(&path) {
            Some("it leads back to a file that extends it (a cycle)".to_string())
        } else if chain.len() > MAX_BICEP_EXTENDS {
            Some(format!(
                "`extends` chains more than {MAX_BICEP_EXTENDS} files"
            ))
        } else {
            loader.not_a_file(&path).map(|why| {
                if why == "it does not exist" {
                    "the file does not exist".to_string()
                } else {
                    why
                }
            })
        };
        if let Some(problem) = problem {
            errors.push(FileError::at(
                file.source.path(),
                base.span,
                format!("`extends '{written}'` is not followed: {problem}"),
            ));
            continue;
        }
        if let Some(parsed) = project.parsed(&path) {
            let base_name = display_name(&parsed.path);
            chain.push(path);
            inputs.extend(inputs_of(project, &parsed, &base_name, chain, errors));
            chain.pop();
        }
    }
    let budget = Budget::default().with_nesting(NESTING);
    // A parameter file may import exported variables too.
    super::imports::check(project, file);
    let imports = super::imports::Imports::new(project, &budget);
    let scope = Scope::new(
        file,
        Role::Params(name.to_string()),
        inputs.clone(),
        format!("no value in {name}"),
        &budget,
    )
    .with_imports(Some(&imports));
    for (param, statement) in file.params() {
        if let StatementKind::Param { value: Some(_), .. } = &statement.kind {
            let traced = scope.lookup(statement, param, &[]);
            inputs.insert(
                param.to_string(),
                Input {
                    traced,
                    from_file: true,
                },
            );
        }
    }
    inputs
}

/// ARM parameter JSON applied to a Bicep file (read by [`crate::arm::params`], which owns the
/// format); what Bicep needs of it.
pub trait JsonParams {
    /// Whether `template` declares every parameter this file sets.
    fn fits_bicep(&self, template: &Parsed) -> bool;
    /// The values this file sets, taken literally as ARM takes them.
    fn inputs(&self) -> HashMap<String, Input>;
}

impl JsonParams for ParameterFile {
    fn fits_bicep(&self, template: &Parsed) -> bool {
        self.members().all(|member| {
            template
                .params()
                .any(|(name, _)| name.eq_ignore_ascii_case(&member.key))
        })
    }

    fn inputs(&self) -> HashMap<String, Input> {
        self.members()
            .map(|member| {
                let name = &member.key;
                let traced = if let Some(value) = member.value.member_ignore_case("value") {
                    let hop = Origin::new(
                        OriginKind::ParameterFile,
                        Span::new(self.id, value.span.clone()),
                        format!("value in {}", self.display),
                    )
                    .with_literal(
                        (value.value.is_scalar())
                            .then(|| Span::new(self.id, value.value.span.clone())),
                    );
                    Traced::here(Val::from_json(&value.value)).through(hop)
                } else {
                    let why = if member.value.member_ignore_case("reference").is_some() {
                        format!("parameter `{name}` comes from Key Vault ({})", self.display)
                    } else {
                        format!(
                            "parameter `{name}` in {} has neither `value` nor `reference`",
                            self.display
                        )
                    };
                    Traced::here(Val::unknown(why)).through(Origin::new(
                        OriginKind::ParameterFile,
                        Span::new(self.id, member.span.clone()),
                        format!("`{name}` in {}", self.display),
                    ))
                };
                let input = Input {
                    traced,
                    from_file: true,
                };
                (name.clone(), input)
            })
            .collect()
    }
}

/// The `.bicepparam` files in `dir`, sorted by name.
pub fn bicepparam_siblings(loader: &Loader<'_>, dir: &Path) -> Vec<PathBuf> {
    loader.list_dir(dir, |path| {
        crate::file_kind::FileKind::of(path) == Some(crate::file_kind::FileKind::BicepParams)
    })
}

/// A file's name, for scenario names.
pub fn display_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}
