//! Decides which environment a site is deployed to, in this order: the `[environments]` globs
//! of the governing `certgate.toml`, the site's tags (`environment`, `env`, `stage`), the
//! scenario's name, the path. The first rule that names an environment decides.

use super::place::Place;
use super::words;
use crate::config::{Config, EnvironmentGlob};
use crate::model::{Data, ENVIRONMENT_TAG_KEYS, Environment, Fact, Resource, Tags};
use crate::source::Span;

/// Decides the environment of `resource`, found at `place`, under `config`.
pub fn environment(resource: &Resource, config: &Config, place: &Place) -> Fact<Environment> {
    from_globs(config, place)
        .or_else(|| from_tags(&resource.rollout.tags))
        .or_else(|| from_scenario(place))
        .or_else(|| from_path(place))
        .unwrap_or_else(|| Fact {
            value: Environment::Unknown,
            reason: "no [environments] glob, tag, scenario name or directory names it".into(),
            span: None,
        })
}

/// The first glob that matches the scenario's file, then the site's file; production globs
/// before non-production ones.
fn from_globs(config: &Config, place: &Place) -> Option<Fact<Environment>> {
    let lists: [(Environment, &str, &[EnvironmentGlob]); 2] = [
        (
            Environment::Production,
            "production",
            &config.environments.production,
        ),
        (
            Environment::NonProduction,
            "non-production",
            &config.environments.non_production,
        ),
    ];
    let files = [&place.scenario_in_config, &place.file_in_config];
    for file in files.into_iter().flatten() {
        for (value, key, globs) in &lists {
            if let Some(found) = globs.iter().find(|g| g.glob.matches(file)) {
                return Some(Fact {
                    value: *value,
                    reason: format!(
                        "[environments] {key} glob `{}` matches {}",
                        crate::quote::clip(found.glob.as_str()),
                        crate::quote::clip(file)
                    ),
                    span: config.file.map(|id| Span::new(id, found.span.clone())),
                });
            }
        }
    }
    None
}

/// The first tag, by key (`environment`, then `env`, then `stage`), whose value names an
/// environment. A value that is unresolved or names none decides nothing.
fn from_tags(tags: &Tags) -> Option<Fact<Environment>> {
    let Tags::Entries(entries) = tags else {
        return None;
    };
    for wanted in ENVIRONMENT_TAG_KEYS {
        for (key, value) in entries {
            if !key.eq_ignore_ascii_case(wanted) {
                continue;
            }
            let Data::String(text) = &value.data else {
                continue;
            };
            if let Some((environment, _)) = words::of_name(text) {
                return Some(Fact {
                    value: environment,
                    reason: format!(
                        "tag `{}` = \"{}\"",
                        crate::quote::clip(key),
                        crate::quote::clip(text)
                    ),
                    span: Some(value.span),
                });
            }
        }
    }
    None
}

/// A word of the scenario's path (its file name first, then its directories from the
/// innermost out): `prod.tfvars`, `main.prod.bicepparam`, a Terragrunt unit under `prod/`.
fn from_scenario(place: &Place) -> Option<Fact<Environment>> {
    let path = place.scenario_path.as_deref()?;
    let (directories, name) = path.rsplit_once('/').unwrap_or(("", path));
    let (value, word) = words::of_name(name).or_else(|| innermost(directories))?;
    Some(Fact {
        value,
        reason: format!(
            "`{}` in the scenario {}",
            crate::quote::clip(&word),
            crate::quote::clip(path)
        ),
        span: place.scenario_span,
    })
}

/// A word of the directories of the site's file, from the innermost out (`envs/dev/app` is
/// `dev`; `live` names no environment as a directory).
fn from_path(place: &Place) -> Option<Fact<Environment>> {
    let path = place.project_path.as_deref()?;
    let directories = path.rsplit_once('/').map(|(dirs, _)| dirs)?;
    let (value, word) = innermost(directories)?;
    Some(Fact {
        value,
        reason: format!(
            "directory word `{}` in {}",
            crate::quote::clip(&word),
            crate::quote::clip(path)
        ),
        span: None,
    })
}

/// The environment named by the innermost directory of `directories` that names one.
fn innermost(directories: &str) -> Option<(Environment, String)> {
    directories.rsplit('/').find_map(words::of_directory)
}

#[cfg(test)]
mod tests;
