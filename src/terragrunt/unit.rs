//! One Terragrunt unit evaluated: its configuration and the files it includes, merged into the
//! module directory to judge and the `inputs` Terraform gets (as `TF_VAR_`, under the module's
//! own variables files).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::config::Config;
use super::include::{self, Strategy};
use super::scope::{ConfigScope, Context, Member, shown};
use crate::error::FileError;
use crate::limits::MAX_TERRAGRUNT_INCLUDES;
use crate::load::Loader;
use crate::model::OriginKind;
use crate::terraform::syntax::Attribute;
use crate::terraform::tfvars::Assignment;
use crate::value::Val;

/// What one `terragrunt.hcl` deploys.
#[derive(Debug)]
pub struct Unit {
    pub file: PathBuf,
    /// The module directory to judge; `None` when it is remote or cannot be resolved.
    pub module: Option<PathBuf>,
    /// Whether a `terraform { source }` was given (its own or an include's).
    pub has_source: bool,
    pub inputs: Vec<(String, Assignment)>,
    pub errors: Vec<FileError>,
    /// The configurations it includes.
    pub included: Vec<PathBuf>,
}

/// Reads and evaluates the unit whose configuration is `file`; `None` when it cannot be read
/// (the loader has recorded why).
pub fn evaluate(loader: &Loader, file: &Path) -> Option<Unit> {
    let loaded = loader.file(file)?;
    let mut unit = Unit {
        file: file.to_path_buf(),
        module: None,
        has_source: false,
        inputs: Vec::new(),
        errors: Vec::new(),
        included: Vec::new(),
    };
    let config = match Config::parse(loaded.id, &loaded.source, file) {
        Ok(config) => config,
        Err(error) => {
            unit.errors.push(error);
            return Some(unit);
        }
    };
    let ctx = Context {
        loader: Some(loader),
        unit_dir: config.dir.clone(),
        budget: crate::terraform::eval::budget(),
        notices: Default::default(),
    };
    let reading = ConfigScope::new(&ctx, &config);
    let mut parents = Vec::new();
    for include in config.includes.iter().take(MAX_TERRAGRUNT_INCLUDES) {
        if let Some(parent) = read_include(&reading, include, &mut unit) {
            parents.push(parent);
        }
    }
    drop(reading);
    // Merged includes bring their `dependency` blocks (the unit's own win by name).
    let mut config = config;
    for (_, parent, strategy, _) in &parents {
        if *strategy == Strategy::NoMerge {
            continue;
        }
        for dependency in &parent.dependencies {
            if !config
                .dependencies
                .iter()
                .any(|d| d.name == dependency.name)
            {
                config.dependencies.push(dependency.clone());
            }
        }
    }
    let config = config;
    // The unit's own scope, with the exposed includes (each evaluated in its own file).
    let mut scope = ConfigScope::new(&ctx, &config);
    let mut inputs: BTreeMap<String, Member> = BTreeMap::new();
    let mut source: Option<(String, &Attribute, &Path)> = None;
    let mut parent_scopes = Vec::new();
    for (include, parent, strategy, expose) in &parents {
        let mut parent_scope = ConfigScope::new(&ctx, parent);
        parent_scope.include_dir = Some(parent.dir.clone());
        if *expose {
            let mut members = BTreeMap::new();
            let locals = parent_scope.all_locals();
            let mut origin = locals.origin.clone();
            members.insert("locals".to_string(), locals.val);
            if let Some(attr) = &parent.inputs {
                match parent_scope.eval(attr) {
                    Ok(traced) => {
                        crate::terraform::eval::merge_origins(&mut origin, &traced.origin);
                        members.insert("inputs".to_string(), traced.val);
                    }
                    Err(error) => unit.errors.push(at(parent, attr, &error.0)),
                }
            }
            let value = crate::value::Traced {
                val: Val::Object(members),
                origin,
                parts: None,
            };
            scope.exposed.insert(include.clone(), value);
        }
        parent_scopes.push((parent_scope, *strategy));
    }
    for (parent_scope, strategy) in &parent_scopes {
        if *strategy == Strategy::NoMerge {
            continue;
        }
        let parent = parent_scope.config;
        if let Some(attr) = &parent.source {
            source = eval_source(parent_scope, attr, &mut unit).map(|s| (s, attr, &*parent.path));
        }
        if let Some(attr) = &parent.inputs {
            match parent_scope.members(attr, OriginKind::TerragruntInput, &input) {
                Ok(members) => inputs = include::inputs(inputs, members, *strategy),
                Err(error) => unit.errors.push(at(parent, attr, &error.0)),
            }
        }
    }
    let strategy = parents.last().map_or(Strategy::Shallow, |p| p.2);
    let strategy = if strategy == Strategy::NoMerge {
        Strategy::Shallow
    } else {
        strategy
    };
    if let Some(attr) = &config.source {
        source = eval_source(&scope, attr, &mut unit).map(|s| (s, attr, &*config.path));
    }
    if let Some(attr) = &config.inputs {
        match scope.members(attr, OriginKind::TerragruntInput, &input) {
            Ok(members) => inputs = include::inputs(inputs, members, strategy),
            Err(error) => unit.errors.push(at(&config, attr, &error.0)),
        }
    }
    unit.has_source = config.source.is_some()
        || parent_scopes
            .iter()
            .any(|(p, s)| *s != Strategy::NoMerge && p.config.source.is_some());
    unit.module = match source {
        Some((text, attr, path)) => module_dir(loader, &config.dir, &text, attr, path, &mut unit),
        None if unit.has_source => None,
        None => Some(config.dir.clone()),
    };
    unit.inputs = inputs
        .into_iter()
        .map(|(name, member)| (name, Assignment::evaluated(member.traced, member.hop)))
        .collect();
    unit.errors.extend(ctx.notices.into_inner());
    Some(unit)
}

type Parent = (String, Config, Strategy, bool);

/// How an input is named in its origin.
fn input(name: &str) -> String {
    format!("Terragrunt input `{name}`")
}

/// Reads one `include` block's file; `None` (with the error recorded) when it cannot be.
fn read_include(
    scope: &ConfigScope,
    include: &super::config::Include,
    unit: &mut Unit,
) -> Option<Parent> {
    let config = scope.config;
    let loader = scope.ctx.loader?;
    let Some(path_attr) = include.attribute("path") else {
        let message = format!("include `{}` has no `path`", include.name);
        unit.errors
            .push(FileError::at(&config.path, include.header, message));
        return None;
    };
    let path = match scope.eval(path_attr).map(|t| t.val) {
        Ok(Val::String(path)) => scope.resolve(&path),
        Ok(Val::Unknown(reason)) => {
            let message = format!(
                "the path of include `{}` cannot be resolved ({reason}); it is not read",
                include.name
            );
            unit.errors.push(FileError::notice(
                &config.path,
                Some(path_attr.span),
                message,
            ));
            return None;
        }
        Ok(other) => {
            let message = format!(
                "the path of include `{}` must be a string, not a {}",
                include.name,
                other.type_name()
            );
            unit.errors.push(at(config, path_attr, &message));
            return None;
        }
        Err(error) => {
            unit.errors.push(at(config, path_attr, &error.0));
            return None;
        }
    };
    let strategy = match include.attribute("merge_strategy").map(|a| scope.eval(a)) {
        None => Strategy::Shallow,
        Some(Ok(traced)) => match &traced.val {
            Val::String(text) => match Strategy::parse(text) {
                Some(strategy) => strategy,
                None => {
                    let attr = include.attribute("merge_strategy")?;
                    let message = format!(
                        "`merge_strategy` must be `shallow`, `deep` or `no_merge`, not `{text}`"
                    );
                    unit.errors.push(at(config, attr, &message));
                    return None;
                }
            },
            _ => Strategy::Shallow,
        },
        Some(Err(error)) => {
            unit.errors
                .push(at(config, include.attribute("merge_strategy")?, &error.0));
            return None;
        }
    };
    let expose = match include.attribute("expose").map(|a| scope.eval(a)) {
        Some(Ok(traced)) => traced.val == Val::Bool(true),
        _ => false,
    };
    if !loader.is_file(&path) {
        let why = loader
            .not_a_file(&path)
            .unwrap_or_else(|| "it does not exist".into());
        let message = format!(
            "include `{}`: `{}` is not read: {why}",
            include.name,
            shown(&path)
        );
        unit.errors
            .push(FileError::at(&config.path, path_attr.span, message));
        return None;
    }
    let loaded = loader.file(&path)?;
    let parent = match Config::parse(loaded.id, &loaded.source, &path) {
        Ok(parent) => parent,
        Err(error) => {
            unit.errors.push(error);
            return None;
        }
    };
    if let Some(nested) = parent.includes.first() {
        let message = "an included configuration has an `include` of its own; Terragrunt \
                       supports one level of include, so certgate ignores it";
        unit.errors
            .push(FileError::notice(&path, Some(nested.header), message));
    }
    unit.included.push(path);
    Some((include.name.clone(), parent, strategy, expose))
}

/// The `terraform.source` text, or `None` with the reason recorded.
fn eval_source(scope: &ConfigScope, attr: &Attribute, unit: &mut Unit) -> Option<String> {
    match scope.eval(attr).map(|t| t.val) {
        Ok(Val::String(text)) => Some(text),
        Ok(Val::Unknown(reason)) => {
            let message = format!(
                "the Terragrunt `terraform.source` cannot be resolved ({reason}); the unit is not judged"
            );
            unit.errors.push(FileError::notice(
                &scope.config.path,
                Some(attr.span),
                message,
            ));
            None
        }
        Ok(other) => {
            let message = format!("`source` must be a string, not a {}", other.type_name());
            unit.errors.push(at(scope.config, attr, &message));
            None
        }
        Err(error) => {
            unit.errors.push(at(scope.config, attr, &error.0));
            None
        }
    }
}

/// Whether a Terraform source is fetched from elsewhere (git, a registry, a URL, a bucket).
pub fn is_remote(source: &str) -> bool {
    source.contains("::")
        || source.contains("://")
        || ["github.com/", "bitbucket.org/", "git@", "tfr:"]
            .iter()
            .any(|prefix| source.starts_with(prefix))
}

/// A local source's directory from the unit's: `before//after` is `before/after`.
pub fn local_dir(unit_dir: &Path, source: &str) -> PathBuf {
    let joined = source.replacen("//", "/", 1);
    crate::paths::normalize(&unit_dir.join(joined))
}

fn module_dir(
    loader: &Loader,
    unit_dir: &Path,
    source: &str,
    attr: &Attribute,
    written: &Path,
    unit: &mut Unit,
) -> Option<PathBuf> {
    if is_remote(source) {
        let message = format!(
            "Terragrunt source `{source}` is not local; certgate does not download it, so the unit is not judged"
        );
        unit.errors
            .push(FileError::notice(written, Some(attr.span), message));
        return None;
    }
    let dir = local_dir(unit_dir, source);
    if !loader.allowed_dir(&dir) {
        if let Some(root) = loader.root() {
            let message = root.outside_message(&format!("Terragrunt source `{source}`"), &dir);
            unit.errors
                .push(FileError::notice(written, Some(attr.span), message));
        }
        return None;
    }
    if !loader.is_dir(&dir) {
        let message = format!(
            "Terragrunt source `{source}`: the directory `{}` does not exist",
            shown(&dir)
        );
        unit.errors.push(FileError::at(written, attr.span, message));
        return None;
    }
    Some(dir)
}

fn at(config: &Config, attr: &Attribute, message: &str) -> FileError {
    FileError::at(&config.path, attr.span, message.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_registry_and_url_sources_are_remote_and_paths_are_local() {
        for remote in [
            "git::https://example.com/m.git//app?ref=v1",
            "tfr:///terraform-aws-modules/vpc/aws?version=3.5.0",
            "github.com/org/modules//app",
            "https://example.com/m.zip",
            "s3::https://bucket/m.zip",
        ] {
            assert!(is_remote(remote), "{remote}");
        }
        for local in ["../modules//app", "./app", "/abs/modules/app"] {
            assert!(!is_remote(local), "{local}");
        }
    }

    #[test]
    fn a_double_slash_source_is_the_directory_below_its_root() {
        let unit = Path::new("live/app");
        assert_eq!(
            local_dir(unit, "../../modules//app"),
            PathBuf::from("modules/app")
        );
        assert_eq!(local_dir(unit, "../mod"), PathBuf::from("live/mod"));
    }

    #[test]
    fn a_unit_without_source_or_include_is_its_own_module_and_inputs_sit_below_tfvars() {
        let fs = crate::fs::MemoryFs::new([(
            PathBuf::from("/p/u/terragrunt.hcl"),
            "locals {\n  on = true\n}\ninputs = {\n  a = local.on\n  b = \"x\"\n}\n".to_string(),
        )]);
        let sources = crate::source::SourceMap::default();
        let loader = Loader::new(&sources).on(&fs);
        let unit = evaluate(&loader, Path::new("/p/u/terragrunt.hcl")).unwrap();
        assert_eq!(unit.module, Some(PathBuf::from("/p/u")));
        assert!(unit.errors.is_empty(), "{:?}", unit.errors);
        let names: Vec<&str> = unit.inputs.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
        let a = unit.inputs[0].1.value(None).unwrap();
        assert_eq!(a.val, Val::Bool(true));
        let kinds: Vec<OriginKind> = a.origin.iter().map(|o| o.kind).collect();
        assert_eq!(
            kinds,
            [OriginKind::TerragruntLocal, OriginKind::TerragruntInput]
        );
    }
}
