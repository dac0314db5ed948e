//! Values for a root module's variables from outside its `.tf` files, in Terraform's precedence
//! (lowest first): `TF_VAR_name` environment variables (only when the user asks for them),
//! `terraform.tfvars`, `terraform.tfvars.json`, `*.auto.tfvars` / `*.auto.tfvars.json` in
//! lexical order, then `--var-file` files in order, then `--var` values in order.
//!
//! `--var` and `TF_VAR_` values have no file: each gets a one-line pseudo source
//! (`<command line>`, `<environment>`) so that its origin can be shown like any other.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::Inputs;
use super::convert::TypeConstraint;
use super::eval::{self, EvalError, Outcome};
use super::hcl;
use super::module::Module;
use super::syntax::{Attribute, AttributeExpr};
use crate::error::FileError;
use crate::load::Loader;
use crate::model::{Origin, OriginKind};
use crate::source::{SourceFile, Span};
use crate::value::{Traced, Val};

/// One value assigned to a variable, and where it was written.
#[derive(Debug, Clone)]
pub struct Assignment {
    value: Assigned,
    pub origin: Origin,
}

#[derive(Debug, Clone)]
enum Assigned {
    /// From a variables file: an expression (native) or a literal (JSON).
    Expr(AttributeExpr),
    /// From `--var` or `TF_VAR_`: read by the variable's type, as Terraform does.
    Raw(String),
    /// Evaluated by another front end (Terragrunt `inputs`), with its own origins.
    Value(Traced),
}

impl Assignment {
    /// A value another front end evaluated (Terragrunt `inputs`), written at `origin`.
    pub fn evaluated(traced: Traced, origin: Origin) -> Assignment {
        Assignment {
            value: Assigned::Value(traced),
            origin,
        }
    }

    /// The assigned value for a variable of type `ty` (`None`: no `type`). A raw value is a
    /// string for string and untyped variables, and an expression for every other type.
    pub fn value(&self, ty: Option<&TypeConstraint>) -> Outcome {
        let traced = match &self.value {
            Assigned::Expr(expr) => eval::constant_attr(expr)?,
            Assigned::Value(traced) => traced.clone(),
            Assigned::Raw(text) if matches!(ty, None | Some(TypeConstraint::String)) => {
                Traced::here(Val::String(text.clone()))
            }
            // Untyped for `any`: an expression when it reads as one, else the text itself.
            Assigned::Raw(text) if ty == Some(&TypeConstraint::Any) => {
                match eval::parse_expression(text).map(|expr| eval::constant(&expr)) {
                    Ok(Ok(val)) => Traced::here(val),
                    _ => Traced::here(Val::String(text.clone())),
                }
            }
            Assigned::Raw(text) => {
                let val = eval::parse_expression(text)
                    .map_err(EvalError)
                    .and_then(|expr| eval::constant(&expr))
                    .map_err(|e| {
                        EvalError(format!(
                            "`{text}` is not a valid value for a variable of type {}: {e}",
                            ty.map_or("any".into(), TypeConstraint::describe)
                        ))
                    })?;
                Traced::here(val)
            }
        };
        Ok(traced.through(self.origin.clone()))
    }
}

/// The path shown for `--var` values, which have no file.
pub const COMMAND_LINE: &str = "<command line>";

/// The path shown for `TF_VAR_` values.
pub const ENVIRONMENT: &str = "<environment>";

/// The assignments that come with the command line, read once for every root module.
#[derive(Debug, Default)]
pub struct CommandLine {
    /// `TF_VAR_` values: below every variables file.
    environment: Vec<(String, Assignment)>,
    /// `--var-file` entries, then `--var` values: above every variables file.
    explicit: Vec<(String, Assignment)>,
    /// The `--var` values alone (also in `explicit`), which Terraform checks strictly.
    vars: Vec<(String, Assignment)>,
    pub errors: Vec<FileError>,
}

impl CommandLine {
    pub fn new(inputs: &Inputs, loader: &Loader) -> CommandLine {
        let mut command_line = CommandLine::default();
        for (name, value) in &inputs.env_vars {
            let text = format!("TF_VAR_{name}={value}");
            let note = format!("environment variable `TF_VAR_{name}`");
            let assignment = pseudo_source(loader, ENVIRONMENT, text, 0, note, value);
            command_line.environment.push((name.clone(), assignment));
        }
        for path in &inputs.var_files {
            match read_file(path, loader) {
                Ok(entries) => command_line.explicit.extend(entries),
                Err(Some(error)) => command_line.errors.push(error),
                Err(None) => {}
            }
        }
        for (name, value) in &inputs.vars {
            let text = format!("--var {name}={value}");
            let note = format!("`--var {name}={value}` on the command line");
            let assignment = pseudo_source(loader, COMMAND_LINE, text, 6, note, value);
            command_line.vars.push((name.clone(), assignment.clone()));
            command_line.explicit.push((name.clone(), assignment));
        }
        command_line
    }

    /// What Terraform would refuse in the `--var` and `TF_VAR_` values, given the scanned root
    /// modules: a `--var` that no root declares ("Value for undeclared variable"; with several
    /// roots, one declaring it is enough, as `--var` goes to every root), and a `--var` or
    /// `TF_VAR_` value that does not convert to its variable's type (`flag=maybe` for a
    /// `bool`). Each error is at the value, once.
    pub fn refused(&self, roots: &[&Module]) -> Vec<FileError> {
        let mut errors = Vec::new();
        for (name, assignment) in &self.vars {
            if !roots.iter().any(|root| root.variables.contains_key(name)) {
                errors.push(FileError::at(
                    COMMAND_LINE,
                    assignment.origin.span,
                    format!(
                        "value for undeclared variable: no scanned root module declares a \
                         variable `{name}`, and Terraform refuses a --var it does not declare"
                    ),
                ));
            }
        }
        let vars = self.vars.iter().map(|v| (COMMAND_LINE, v));
        let environment = self.environment.iter().map(|v| (ENVIRONMENT, v));
        for (path, (name, assignment)) in vars.chain(environment) {
            let mut reasons: Vec<String> = roots
                .iter()
                .filter_map(|root| root.variables.get(name))
                .filter_map(|variable| {
                    let ty = variable.type_constraint.as_ref();
                    let converted = assignment.value(ty).map_err(|e| e.0).and_then(|traced| {
                        super::convert::convert(traced.val, ty.unwrap_or(&TypeConstraint::Any))
                    });
                    converted.err()
                })
                .collect();
            reasons.dedup();
            for reason in reasons {
                errors.push(FileError::at(
                    path,
                    assignment.origin.span,
                    format!("invalid value for variable `{name}`: Terraform refuses it: {reason}"),
                ));
            }
        }
        errors
    }
}

fn pseudo_source(
    loader: &Loader,
    path: &str,
    text: String,
    start: usize,
    note: String,
    value: &str,
) -> Assignment {
    let end = text.len();
    let id = loader
        .sources()
        .add(SourceFile::new(PathBuf::from(path), text));
    Assignment {
        value: Assigned::Raw(value.to_string()),
        // Not in a file anyone edits: there is no literal to change.
        origin: Origin::new(OriginKind::CommandLine, Span::new(id, start..end), note),
    }
}

/// Whether Terraform loads this file of a root module's directory by itself.
pub fn is_automatic(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    crate::file_kind::is_automatic_tfvars(&name)
}

/// The assignments for a root module whose directory holds `listing`: for each variable the
/// one with the highest precedence. Errors in its variables files are returned alongside.
/// `below` comes first, under everything (Terragrunt `inputs`, which it passes as `TF_VAR_`
/// without overriding one already set).
pub fn root_assignments(
    listing: &[PathBuf],
    command_line: &CommandLine,
    below: &[(String, Assignment)],
    loader: &Loader,
) -> (HashMap<String, Assignment>, Vec<FileError>) {
    let name = |path: &PathBuf| {
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let mut automatic: Vec<&PathBuf> = listing.iter().filter(|p| is_automatic(p)).collect();
    // terraform.tfvars, then terraform.tfvars.json, then the auto files by name.
    automatic.sort_by_key(|path| {
        let name = name(path);
        let rank = match name.as_str() {
            "terraform.tfvars" => 0,
            "terraform.tfvars.json" => 1,
            _ => 2,
        };
        (rank, name)
    });
    let mut winners: HashMap<String, Assignment> = below.iter().cloned().collect();
    let mut errors = Vec::new();
    for (name, assignment) in &command_line.environment {
        winners.insert(name.clone(), assignment.clone());
    }
    for path in automatic {
        match read_file(path, loader) {
            Ok(entries) => winners.extend(entries),
            Err(Some(error)) => errors.push(error),
            Err(None) => {}
        }
    }
    for (name, assignment) in &command_line.explicit {
        winners.insert(name.clone(), assignment.clone());
    }
    (winners, errors)
}

/// Reads one variables file (`.tfvars.json` is JSON, anything else native syntax). `Err(None)`
/// when the loader could not read it (the loader has recorded why).
fn read_file(path: &Path, loader: &Loader) -> Result<Vec<(String, Assignment)>, Option<FileError>> {
    let loaded = loader.file(path).ok_or(None)?;
    let source = &loaded.source;
    let file_name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let note = |attribute: &Attribute| {
        let text = source.text().get(attribute.span.range()).unwrap_or("");
        let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if one_line.chars().count() <= 60 {
            format!("`{one_line}` in {file_name}")
        } else {
            format!("`{}` in {file_name}", attribute.name)
        }
    };
    let attributes: Vec<Attribute> = if path.to_string_lossy().ends_with(".json") {
        json_attributes(loaded.id, source).map_err(Some)?
    } else {
        let body = hcl::parse(loaded.id, source).map_err(Some)?;
        hcl::attributes(loaded.id, body)
    };
    Ok(attributes
        .into_iter()
        .map(|attribute| {
            let origin = Origin::new(OriginKind::Tfvars, attribute.span, note(&attribute))
                .with_literal(attribute.literal());
            let name = attribute.name;
            (
                name,
                Assignment {
                    value: Assigned::Expr(attribute.expr),
                    origin,
                },
            )
        })
        .collect())
}

fn json_attributes(file: usize, source: &SourceFile) -> Result<Vec<Attribute>, FileError> {
    let document = crate::json::parse(source.text()).map_err(|error| {
        FileError::at(
            source.path(),
            Span::new(file, error.span),
            format!("invalid JSON in a variables file: {}", error.message),
        )
    })?;
    if !document.root.is_object() {
        return Err(FileError::at(
            source.path(),
            Span::new(file, document.root.span.clone()),
            "a variables file must hold a JSON object",
        ));
    }
    Ok(document
        .root
        .members()
        .iter()
        .map(|member| Attribute {
            name: member.key.clone(),
            // Terraform reads `.tfvars.json` values literally: strings are not templates.
            expr: AttributeExpr::JsonLiteral(member.value.clone()),
            span: Span::new(file, member.span.clone()),
            value_span: Span::new(file, member.value.span.clone()),
        })
        .collect())
}
