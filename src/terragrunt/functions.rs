//! Terragrunt's built-in functions, the ones that decide paths and values in practice.
//!
//! Paths: certgate keeps every path a function returns relative to the unit's directory (where
//! Terragrunt returns absolute ones), so that results and messages do not depend on where
//! certgate runs; every path a configuration uses is read from the unit's directory.
//! `get_env`, `run_cmd`, `sops_decrypt_file` and the cloud account functions depend on the
//! machine Terragrunt runs on: unknown, naming the function.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use super::config::Config;
use super::scope::{ConfigScope, shown};
use crate::limits::MAX_TERRAGRUNT_INCLUDES;
use crate::terraform::eval::{EvalError, Outcome};
use crate::value::{Traced, Val};

/// The functions [`call`] answers (Terraform's own are the evaluator's).
pub const FUNCTIONS: &[&str] = &[
    "find_in_parent_folders",
    "read_terragrunt_config",
    "get_terragrunt_dir",
    "get_original_terragrunt_dir",
    "get_parent_terragrunt_dir",
    "path_relative_to_include",
    "path_relative_from_include",
    "get_repo_root",
    "get_path_to_repo_root",
    "get_env",
    "run_cmd",
    "sops_decrypt_file",
    "get_aws_account_id",
    "get_aws_caller_identity_arn",
    "get_aws_caller_identity_user_id",
    "get_terraform_command",
    "dirname",
    "basename",
];

fn string(val: String) -> Outcome {
    Ok(Traced::here(Val::String(val)))
}

fn unknown(reason: String) -> Outcome {
    Ok(Traced::here(Val::Unknown(reason)))
}

/// The `i`th argument as a string; `Ok(None)` when absent, `Err` with the unknown's reason.
fn arg(
    args: &[Traced],
    i: usize,
    function: &str,
) -> Result<Option<String>, Result<Traced, EvalError>> {
    match args.get(i).map(|a| &a.val) {
        None => Ok(None),
        Some(Val::String(text)) => Ok(Some(text.clone())),
        Some(Val::Unknown(reason)) => Err(unknown(reason.clone())),
        Some(other) => Err(Err(EvalError(format!(
            "`{function}`: argument {} must be a string, not a {}",
            i + 1,
            other.type_name()
        )))),
    }
}

pub fn call(scope: &ConfigScope, name: &str, args: &[Traced]) -> Outcome {
    macro_rules! arg {
        ($i:expr) => {
            match arg(args, $i, name) {
                Ok(value) => value,
                Err(outcome) => return outcome,
            }
        };
    }
    let unit = &scope.ctx.unit_dir;
    let include = scope.include_dir.as_deref().unwrap_or(unit);
    match name {
        "find_in_parent_folders" => {
            let wanted = arg!(0).unwrap_or_else(|| "terragrunt.hcl".into());
            let fallback = args.get(1).cloned();
            find_in_parent_folders(scope, &wanted, fallback)
        }
        "read_terragrunt_config" => {
            let Some(path) = arg!(0) else {
                return Err(EvalError("`read_terragrunt_config` needs a path".into()));
            };
            read_terragrunt_config(scope, &path, args.get(1).cloned())
        }
        "get_terragrunt_dir" | "get_original_terragrunt_dir" => string(".".into()),
        "get_parent_terragrunt_dir" => string(relative(unit, include)),
        "path_relative_to_include" => string(relative(include, unit)),
        "path_relative_from_include" => string(relative(unit, include)),
        "get_repo_root" | "get_path_to_repo_root" => {
            match scope
                .ctx
                .loader
                .and_then(|l| l.root())
                .map(|r| r.dirs().to_vec())
            {
                Some(dirs) if dirs.len() == 1 && dirs[0].is_absolute() == unit.is_absolute() => {
                    string(relative(unit, &dirs[0]))
                }
                _ => unknown(format!(
                    "`{name}()` needs the repository root, which certgate does not know here"
                )),
            }
        }
        "get_env" => {
            let variable = arg!(0).unwrap_or_default();
            unknown(format!(
                "it reads the environment variable `{variable}` (`get_env`), which certgate does not read"
            ))
        }
        "dirname" => {
            let path = arg!(0).unwrap_or_default();
            let parent = Path::new(&path).parent().map(|p| p.display().to_string());
            string(
                parent
                    .filter(|p| !p.is_empty())
                    .unwrap_or_else(|| ".".into()),
            )
        }
        "basename" => {
            let path = arg!(0).unwrap_or_default();
            let base = Path::new(&path)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned());
            string(base.unwrap_or_default())
        }
        other => unknown(format!(
            "`{other}` depends on the machine Terragrunt runs on; certgate does not evaluate it"
        )),
    }
}

/// `find_in_parent_folders(name, fallback)`: the first `name` in a folder above the unit's.
fn find_in_parent_folders(scope: &ConfigScope, wanted: &str, fallback: Option<Traced>) -> Outcome {
    let unit = &scope.ctx.unit_dir;
    let Some(loader) = scope.ctx.loader else {
        return unknown("`find_in_parent_folders` reads the folders above the unit".into());
    };
    let mut up = PathBuf::from("..");
    let mut dir = crate::paths::normalize(&unit.join(".."));
    for _ in 0..64 {
        let candidate = dir.join(wanted);
        if !loader.allowed(&candidate) {
            break;
        }
        if loader.is_file(&candidate) {
            return string(up.join(wanted).display().to_string());
        }
        if dir.as_os_str().is_empty() || dir.parent().is_none() {
            break;
        }
        up = up.join("..");
        dir = crate::paths::normalize(&dir.join(".."));
    }
    match fallback {
        Some(fallback) => Ok(fallback),
        None => Err(EvalError(format!(
            "`find_in_parent_folders`: no `{wanted}` in a folder above `{}` inside the project root",
            shown(unit)
        ))),
    }
}

/// `read_terragrunt_config(path, default)`: the file's `locals`, `inputs` and mocked
/// `dependency` outputs, as an object.
fn read_terragrunt_config(scope: &ConfigScope, path: &str, default: Option<Traced>) -> Outcome {
    let Some(loader) = scope.ctx.loader else {
        return unknown("`read_terragrunt_config` reads another file".into());
    };
    if scope.depth >= MAX_TERRAGRUNT_INCLUDES {
        return unknown(format!(
            "`read_terragrunt_config` calls nest more than {MAX_TERRAGRUNT_INCLUDES} deep; certgate stops here"
        ));
    }
    let file = scope.resolve(path);
    if !loader.allowed(&file) {
        return unknown(format!(
            "`read_terragrunt_config` reads `{}`, outside the project root, and nothing outside it is read",
            shown(&file)
        ));
    }
    if !loader.is_file(&file) {
        return match default {
            Some(default) => Ok(default),
            None => Err(EvalError(format!(
                "`read_terragrunt_config`: `{}` is not a file",
                shown(&file)
            ))),
        };
    }
    let Some(loaded) = loader.file(&file) else {
        return unknown(format!("`{}` cannot be read", shown(&file)));
    };
    let config =
        Config::parse(loaded.id, &loaded.source, &file).map_err(|e| EvalError(e.message))?;
    let mut inner = ConfigScope::new(scope.ctx, &config);
    inner.depth = scope.depth + 1;
    let mut members = BTreeMap::new();
    let locals = inner.all_locals();
    let mut origin = locals.origin.clone();
    members.insert("locals".to_string(), locals.val);
    if let Some(inputs) = &config.inputs {
        let inputs = inner.eval(inputs)?;
        crate::terraform::eval::merge_origins(&mut origin, &inputs.origin);
        members.insert("inputs".to_string(), inputs.val);
    }
    let mut dependencies = BTreeMap::new();
    for dependency in &config.dependencies {
        let (outputs, _) = super::dependency::output(&inner, &dependency.name, None)?;
        let outputs = BTreeMap::from([("outputs".to_string(), outputs.val)]);
        dependencies.insert(dependency.name.clone(), Val::Object(outputs));
    }
    members.insert("dependency".to_string(), Val::Object(dependencies));
    Ok(Traced {
        val: Val::Object(members),
        origin,
    })
}

/// The path from directory `from` to `to`, both as the scan names them ("." when equal).
pub fn relative(from: &Path, to: &Path) -> String {
    let from_norm = crate::paths::normalize(from);
    let from: Vec<Component> = from_norm.components().collect();
    let to_norm = crate::paths::normalize(to);
    let to: Vec<Component> = to_norm.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for part in &to[common..] {
        out.push(part.as_os_str());
    }
    let text = out.display().to_string();
    if text.is_empty() { ".".into() } else { text }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_to_the_common_folder_then_descend() {
        assert_eq!(
            relative(Path::new("live/prod/app"), Path::new("live")),
            "../.."
        );
        assert_eq!(
            relative(Path::new("live"), Path::new("live/prod/app")),
            "prod/app"
        );
        assert_eq!(relative(Path::new("live/a"), Path::new("live/b")), "../b");
        assert_eq!(relative(Path::new("live"), Path::new("live")), ".");
    }
}
