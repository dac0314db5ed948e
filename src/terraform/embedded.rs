//! ARM templates deployed by Terraform: `azurerm_*_template_deployment` blocks. Their
//! `template_content` is read (`super::template_source`), their `parameters_content` evaluated
//! entry by entry, and the template judged by the ARM front end with those values as its
//! scenario (`crate::arm::embedded`).
//!
//! Spans: a template read by `file(…)` points into its own file (fixable as ARM JSON); a
//! heredoc without interpolations is parsed in place, so findings and fixes point into the
//! heredoc's lines; JSON computed any other way has no place but the attribute, so every span
//! is the attribute and no fix is offered. A template read by `file(…)` is also a discovered
//! ARM file: it is reported as consumed, so it is judged only through this caller.

use std::collections::HashMap;
use std::ops::Range;

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, ObjectKey};

use crate::arm::embedded::{self, Embedded, ExternalInput};
use crate::error::FileError;
use crate::json::Json;
use crate::model::{FixAnchor, Placement, Resource};
use crate::source::Span;
use crate::value::{Traced, Val};

use super::dispatch::{Lowered, Prefix};
use super::eval::{self, Env};
use super::instance::ModuleScope;
use super::syntax::{Attribute, ResourceBlock};
pub(super) use super::template_source::Context;
use super::template_source::{Document, expression, peel, read};

/// The azurerm resource types that deploy an ARM template, one per deployment scope.
pub(super) const TYPES: &[&str] = &[
    "azurerm_resource_group_template_deployment",
    "azurerm_subscription_template_deployment",
    "azurerm_management_group_template_deployment",
    "azurerm_tenant_template_deployment",
];

/// Whether `resource_type` deploys an ARM template.
pub(super) fn is_deployment(resource_type: &str) -> bool {
    TYPES.contains(&resource_type)
}

/// Lowers each instance of a template deployment block into the sites its template deploys.
pub(super) fn lower(
    block: &ResourceBlock,
    scope: &ModuleScope,
    prefix: &Prefix,
    cx: &Context,
    out: &mut Lowered,
) {
    for one in prefix.instances(block, scope) {
        let env = Env::new(&one.scope);
        lower_instance(block, &env, cx, one.address, one.instance, out);
    }
}

/// Lowers one instance of a template deployment block.
fn lower_instance(
    block: &ResourceBlock,
    env: &Env,
    cx: &Context,
    address: String,
    instance: Option<String>,
    out: &mut Lowered,
) {
    let shown = instance.clone().unwrap_or_else(|| address.clone());
    let Some(attribute) = block.attribute("template_content") else {
        if let Some(spec) = block.attribute("template_spec_version_id") {
            out.errors.push(notice(
                cx,
                spec.span,
                format!(
                    "`{shown}` deploys a template spec, which certgate cannot read; its sites \
                     are not judged"
                ),
            ));
        }
        return;
    };
    let template = match read(attribute, env, cx, &mut out.consumed) {
        Ok(document) => document,
        Err(why) => {
            out.errors.push(notice(
                cx,
                attribute.span,
                format!("`template_content` of `{shown}` {why}; its sites are not judged"),
            ));
            return;
        }
    };
    let source = format!("`parameters_content` of `{shown}`");
    let inputs = match block.attribute("parameters_content") {
        Some(parameters) => match inputs(parameters, env, cx, &source, out) {
            Ok(inputs) => inputs,
            Err(why) => {
                out.errors.push(notice(
                    cx,
                    parameters.span,
                    format!("{source} {why}; the template's parameters are unknown"),
                ));
                HashMap::new()
            }
        },
        None => HashMap::new(),
    };
    let deployment = Deployment {
        template,
        inputs,
        missing: format!("{source} does not set it"),
        at: attribute.span,
        syntax: block.syntax,
    };
    judge(deployment, cx, address, instance, out);
}

/// A template with its parameter values, ready to judge.
pub(super) struct Deployment {
    pub template: Document,
    pub inputs: HashMap<String, ExternalInput>,
    /// Completes "parameter `x` has no defaultValue and …".
    pub missing: String,
    /// The attribute holding the template: where an unplaced template's sites point.
    pub at: Span,
    /// The deploying file's syntax (fixes in a `jsonencode` template spell it).
    pub syntax: crate::model::Syntax,
}

/// Judges `deployment` with the ARM front end, adding its sites to `out`.
pub(super) fn judge(
    deployment: Deployment,
    cx: &Context,
    address: String,
    instance: Option<String>,
    out: &mut Lowered,
) {
    let template = deployment.template;
    let path = cx.loader.sources().get(template.file).path().to_path_buf();
    let (mut resources, errors) = embedded::judge(
        cx.loader,
        Embedded {
            template: &template.json,
            file: template.file,
            path: &path,
            inputs: deployment.inputs,
            missing: deployment.missing,
            values: template.values,
            declared: address,
            instance,
        },
    );
    for resource in &mut resources {
        if !template.placed {
            unplace(resource, deployment.at);
        } else if template.hcl {
            resource.syntax = deployment.syntax;
        }
    }
    out.resources.append(&mut resources);
    out.errors.extend(errors);
}

/// A resource read from JSON with no place of its own: nothing in it can be edited.
fn unplace(resource: &mut Resource, span: Span) {
    resource.fix_anchor = Some(FixAnchor {
        body: span,
        members: Vec::new(),
        placement: Placement::Unavailable(
            "the template is computed by a Terraform expression, so certgate cannot edit it in \
             place"
                .into(),
        ),
    });
}

pub(super) fn notice(cx: &Context, span: Span, message: String) -> FileError {
    let path = cx.loader.sources().get(span.file).path().to_path_buf();
    FileError::notice(path, Some(span), message)
}

/// The template's parameter values from `parameters_content`, by lower-case name.
fn inputs(
    attribute: &Attribute,
    env: &Env,
    cx: &Context,
    source: &str,
    out: &mut Lowered,
) -> Result<HashMap<String, ExternalInput>, String> {
    let input = |traced: Traced, span: Span, literal: Option<Span>| ExternalInput {
        traced,
        span,
        literal,
        source: source.to_string(),
    };
    // `jsonencode({ name = { value = … } })`: each entry evaluated on its own, so one unknown
    // parameter leaves the others known, and each keeps its own origin.
    let (parsed, native) = expression(attribute);
    if let Some(expr) = &parsed
        && let Expression::FuncCall(call) = peel(expr)
        && call.name.name.as_str() == "jsonencode"
        && let [argument] = call.args.iter().collect::<Vec<_>>()[..]
        && let Expression::Object(object) = peel(argument)
    {
        let mut found = hcl_entries(object, attribute.span, env, source);
        // In JSON syntax the spans are inside a string: only the attribute is a place.
        if !native {
            for input in found.values_mut() {
                input.span = attribute.span;
                input.literal = None;
            }
        }
        return Ok(found);
    }
    // A parameter file's JSON (`{"parameters": {…}}`) or just its entries.
    let document = read(attribute, env, cx, &mut out.consumed)?;
    let entries = document.json.get("parameters").unwrap_or(&document.json);
    let mut found = HashMap::new();
    for member in entries.members() {
        let value = member.value.get_ignore_case("value");
        let traced = match value {
            Some(value) => Traced::here(Val::from_json(value)),
            None => Traced::here(not_a_value(&member.key, Some(&member.value))),
        };
        let literal = value
            .filter(|value| document.placed && value.is_scalar())
            .map(|value| Span::new(document.file, value.span.clone()));
        let span = Span::new(document.file, member.span.clone());
        found.insert(
            member.key.to_ascii_lowercase(),
            input(traced, span, literal),
        );
    }
    Ok(found)
}

/// The parameters of an HCL object `{ name = { value = X }, … }` written in `within`: each
/// entry evaluated on its own.
pub(super) fn hcl_entries(
    object: &hcl_edit::expr::Object,
    within: Span,
    env: &Env,
    source: &str,
) -> HashMap<String, ExternalInput> {
    let mut found = HashMap::new();
    for (key, value) in object.iter() {
        let name = match key {
            ObjectKey::Ident(ident) => ident.as_str().to_string(),
            ObjectKey::Expression(key) => match eval::eval(key, env).map(|t| t.val) {
                Ok(Val::String(name)) => name,
                _ => continue,
            },
        };
        let start = key.span().map_or(within.start, |s| s.start);
        let end = value.expr().span().map_or(within.end, |s| s.end);
        let span = Span::new(within.file, start..end);
        let (traced, literal) = entry_value(value.expr(), &name, env);
        let input = ExternalInput {
            traced,
            span,
            literal: literal.map(|range| Span::new(span.file, range)),
            source: source.to_string(),
        };
        found.insert(name.to_ascii_lowercase(), input);
    }
    found
}

/// One `name = { value = X }` entry: `X` evaluated with its origin, and its span when it is
/// one scalar literal.
fn entry_value(expr: &Expression, name: &str, env: &Env) -> (Traced, Option<Range<usize>>) {
    let evaluated = |expr: &Expression| match eval::eval(expr, env) {
        Ok(traced) => traced,
        Err(error) => Traced::here(Val::unknown(format!(
            "Terraform would reject the value of parameter `{name}`: {error}"
        ))),
    };
    if let Expression::Object(object) = peel(expr) {
        for (key, value) in object.iter() {
            let key = match key {
                ObjectKey::Ident(ident) => ident.as_str(),
                ObjectKey::Expression(Expression::String(s)) => s.value().as_str(),
                ObjectKey::Expression(_) => continue,
            };
            if key == "value" {
                let literal = matches!(
                    value.expr(),
                    Expression::Null(_)
                        | Expression::Bool(_)
                        | Expression::Number(_)
                        | Expression::String(_)
                )
                .then(|| value.expr().span())
                .flatten();
                return (evaluated(value.expr()), literal);
            }
        }
    }
    let whole = evaluated(expr);
    let traced = match whole.val.get_ignore_case("value") {
        Some(val) => Traced {
            val: val.clone(),
            origin: whole.origin,
            parts: None,
        },
        None if whole.val.is_unknown() => whole,
        None => Traced {
            val: not_a_value(name, None),
            origin: whole.origin,
            parts: None,
        },
    };
    (traced, None)
}

/// The unknown a parameter entry without a `value` gives (a Key Vault `reference`, …).
fn not_a_value(name: &str, entry: Option<&Json>) -> Val {
    if entry.and_then(|e| e.get_ignore_case("reference")).is_some() {
        Val::unknown(format!(
            "parameter `{name}` comes from Key Vault, known only at deployment"
        ))
    } else {
        Val::unknown(format!("parameter `{name}` has no `value`"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Data;

    #[test]
    fn entries_without_a_value_say_why() {
        let reference = crate::json::parse(r#"{"reference": {"keyVault": {}}}"#).unwrap();
        assert_eq!(
            not_a_value("cert", Some(&reference.root)).to_data(),
            Data::Unknown("parameter `cert` comes from Key Vault, known only at deployment".into())
        );
        assert_eq!(
            not_a_value("x", None),
            Val::unknown("parameter `x` has no `value`")
        );
    }

    use super::super::tests::scan_tree;
    use crate::error::Level;

    const SITE: &str = r#"{"resources": [{"type": "Microsoft.Web/sites", "name": "w",
        "properties": {"clientCertEnabled": true, "clientCertMode": "Optional"}}]}"#;

    fn deployment(template_content: &str) -> String {
        format!(
            "resource \"azurerm_resource_group_template_deployment\" \"d\" {{\n  \
             template_content = {template_content}\n}}\n"
        )
    }

    #[test]
    fn an_interpolated_heredoc_is_rendered_and_placed_at_the_attribute_without_fixes() {
        let main = format!(
            "locals {{\n  mode = \"Optional\"\n}}\n{}",
            deployment(
                "<<EOT\n{\"resources\": [{\"type\": \"Microsoft.Web/sites\", \"name\": \"w\",\n\
                 \"properties\": {\"clientCertMode\": \"${local.mode}\"}}]}\nEOT"
            )
        );
        let scanned = scan_tree(&[("main.tf", &main)], Default::default());
        let site = &scanned.scan.resources[0];
        assert_eq!(
            site.address,
            "azurerm_resource_group_template_deployment.d > w"
        );
        let mode = site.mode.as_ref().unwrap();
        assert_eq!(mode.data, Data::String("Optional".into()));
        assert!(scanned.text_of(mode.span).starts_with("<<EOT\n{"));
        let anchor = site.fix_anchor.as_ref().unwrap();
        assert!(matches!(anchor.placement, Placement::Unavailable(_)));
        assert!(scanned.scan.consumed.is_empty());
    }

    #[test]
    fn a_template_read_with_file_is_consumed_and_count_zero_deploys_nothing() {
        let main = deployment("file(\"${path.module}/site.json\")");
        let scanned = scan_tree(
            &[("main.tf", &main), ("site.json", SITE)],
            Default::default(),
        );
        assert_eq!(scanned.scan.resources.len(), 1);
        assert_eq!(scanned.scan.consumed.len(), 1);
        assert!(scanned.scan.consumed[0].ends_with("site.json"));
        let gated = main.replace("{\n", "{\n  count = 0\n");
        let scanned = scan_tree(
            &[("main.tf", &gated), ("site.json", SITE)],
            Default::default(),
        );
        assert!(scanned.scan.resources.is_empty());
    }

    #[test]
    fn bad_template_content_gives_a_notice_never_a_panic() {
        let cases = [
            (
                "42",
                "is not the JSON text of a template (its value's type is number)",
            ),
            ("{ a = 1 }", "(its value's type is object)"),
            ("<<EOT\n{\"resources\": [\nEOT", "is not valid JSON"),
            ("<<EOT\nEOT", "is not valid JSON"),
            (
                "file(\"${path.module}/notes.txt\")",
                "which is not valid JSON (line 1",
            ),
            ("file()", "without exactly one argument"),
            ("templatefile(\"x\")", "without exactly two arguments"),
            // Known only after apply: the template cannot be read.
            (
                "jsonencode(azurerm_service_plan.p.id)",
                "cannot be resolved",
            ),
            // Terraform itself would reject it.
            ("jsonencode(var.missing)", "there is no variable `missing`"),
        ];
        for (content, expected) in cases {
            let main = deployment(content);
            let files = [("main.tf", main.as_str()), ("notes.txt", "not json")];
            let scanned = scan_tree(&files, Default::default());
            let notices = scanned.messages(Level::Notice);
            assert!(
                notices.iter().any(|n| n.contains(expected)),
                "{content}: {notices:?}"
            );
            assert!(scanned.scan.resources.is_empty(), "{content}");
        }
    }

    #[test]
    fn deployment_types_are_the_four_scopes() {
        assert!(TYPES.iter().all(|t| is_deployment(t)));
        assert!(!is_deployment("azurerm_template_deployment"));
    }
}
