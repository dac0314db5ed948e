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

use crate::error::FileError;
use crate::json::{self, Json, JsonDocument};
use crate::load::{self, Loader};
use crate::model::Origin;
use crate::source::{FileId, Span};
use crate::value::{Traced, Val};

use super::ast::StatementKind;
use super::outline;
use super::project::{Parsed, Project};
use super::scope::{Budget, Input, Role, Scope};

/// How many `extends` a parameter file may chain.
const MAX_EXTENDS: usize = 8;

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
        let problem = if chain.contains(&path) {
            Some("it leads back to a file that extends it (a cycle)".to_string())
        } else if chain.len() > MAX_EXTENDS {
            Some(format!("`extends` chains more than {MAX_EXTENDS} files"))
        } else if !path.is_file() {
            Some("the file does not exist".to_string())
        } else {
            None
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
    let budget = Budget::default();
    let scope = Scope::new(
        file,
        Role::Params(name.to_string()),
        inputs.clone(),
        format!("no value in {name}"),
        &budget,
    );
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

/// A parsed ARM parameter file.
pub struct JsonParams {
    /// The normalised path.
    pub path: PathBuf,
    pub id: FileId,
    pub doc: JsonDocument,
    /// The scenario's name in findings.
    pub display: String,
}

impl JsonParams {
    fn parameters(&self) -> impl Iterator<Item = &json::Member> {
        self.doc
            .root
            .get_ignore_case("parameters")
            .map(Json::members)
            .unwrap_or_default()
            .iter()
            // `$schema`-like keys are not parameters.
            .filter(|m| !m.key.starts_with('$'))
    }

    /// Whether `template` declares every parameter this file sets.
    pub fn fits(&self, template: &Parsed) -> bool {
        self.parameters().all(|member| {
            template
                .params()
                .any(|(name, _)| name.eq_ignore_ascii_case(&member.key))
        })
    }

    /// The values this file sets, taken literally as ARM takes them.
    pub fn inputs(&self) -> HashMap<String, Input> {
        self.parameters()
            .map(|member| {
                let name = &member.key;
                let traced = if let Some(value) = member.value.member_ignore_case("value") {
                    Traced::here(Val::from_json(&value.value)).through(Origin {
                        span: Span::new(self.id, value.span.clone()),
                        note: format!("value in {}", self.display),
                    })
                } else {
                    let why = if member.value.member_ignore_case("reference").is_some() {
                        format!("parameter `{name}` comes from Key Vault ({})", self.display)
                    } else {
                        format!(
                            "parameter `{name}` in {} has neither `value` nor `reference`",
                            self.display
                        )
                    };
                    Traced::here(Val::unknown(why)).through(Origin {
                        span: Span::new(self.id, member.span.clone()),
                        note: format!("`{name}` in {}", self.display),
                    })
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

/// The ARM parameter files next to `template` (a normalised path), sorted by name:
/// `STEM.parameters.json` and `STEM.parameters.*.json`, compared ignoring case.
pub fn json_siblings(loader: &Loader<'_>, template: &Path) -> Vec<PathBuf> {
    let Some(name) = template.file_name().and_then(|n| n.to_str()) else {
        return Vec::new();
    };
    let lower = name.to_ascii_lowercase();
    let Some(stem) = lower.strip_suffix(".bicep") else {
        return Vec::new();
    };
    let prefix = format!("{stem}.parameters.");
    let dir = template.parent().unwrap_or(Path::new(""));
    loader.list_dir(dir, |path| {
        path.file_name()
            .and_then(|n| n.to_str())
            .map(str::to_ascii_lowercase)
            .is_some_and(|name| name.starts_with(&prefix) && name.ends_with(".json"))
    })
}

/// The `.bicepparam` files in `dir`, sorted by name.
pub fn bicepparam_siblings(loader: &Loader<'_>, dir: &Path) -> Vec<PathBuf> {
    loader.list_dir(dir, |path| {
        path.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("bicepparam"))
    })
}

/// Reads ARM parameter JSON. `Ok(None)` when the file is JSON but not a parameter file, or
/// cannot be read (the loader records why).
pub fn read_json(
    loader: &Loader<'_>,
    path: &Path,
    display: String,
) -> Result<Option<JsonParams>, FileError> {
    let Some(loaded) = loader.file(path) else {
        return Ok(None);
    };
    let doc = json::parse(loaded.source.text()).map_err(|error| {
        FileError::at(
            loaded.source.path(),
            Span::new(loaded.id, error.span),
            format!("ARM parameter file is not valid JSON: {}", error.message),
        )
    })?;
    if !is_parameter_file(&doc.root) {
        return Ok(None);
    }
    Ok(Some(JsonParams {
        path: load::normalize(path),
        id: loaded.id,
        doc,
        display,
    }))
}

/// Whether a parsed JSON root is an ARM parameter file: its `$schema` names
/// `deploymentParameters.json`, or it has a `parameters` object and no `resources`.
fn is_parameter_file(root: &Json) -> bool {
    if let Some(schema) = root.get_ignore_case("$schema").and_then(Json::as_str) {
        let schema = schema.to_ascii_lowercase();
        if schema.contains("deploymentparameters.json") {
            return true;
        }
        if schema.contains("deploymenttemplate.json") {
            return false;
        }
    }
    root.get_ignore_case("parameters")
        .is_some_and(Json::is_object)
        && root.get_ignore_case("resources").is_none()
}

/// A file's name, for scenario names.
pub fn display_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}
