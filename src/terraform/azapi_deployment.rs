//! ARM deployments made with AzAPI: an `azapi_resource` whose `type` is
//! `Microsoft.Resources/deployments@…` and whose `body` holds the template inline
//! (`properties.template`, with `properties.parameters`), as an HCL object (azapi 2.x) or a
//! `jsonencode({…})` argument (1.x). The template is judged like a template deployment's
//! (`super::embedded`); a `templateLink` gets a notice. Other types are not ours here.

use hcl_edit::expr::{Expression, Object, ObjectKey};

use super::dispatch::{Lowered, Prefix};
use super::embedded::{self, Context, Deployment};
use super::eval::{self, Env};
use super::instance::ModuleScope;
use super::syntax::{AttributeExpr, ResourceBlock};
use super::template_source::{Document, peel};
use crate::value::Val;

/// Whether an AzAPI `type` (`<resource-type>@<api-version>`) names an ARM deployment.
fn is_deployment_type(written: &str) -> bool {
    super::azapi::classify(written).1 == super::azapi::Deploys::Deployment
}

/// Lowers each instance of `block` that deploys an inline template.
pub(super) fn lower(
    block: &ResourceBlock,
    scope: &ModuleScope,
    prefix: &Prefix,
    cx: &Context,
    out: &mut Lowered,
) {
    for one in prefix.instances(block, scope) {
        let env = Env::new(&one.scope);
        // A type that does not resolve is reported by the AzAPI lowering, not here. (That
        // lowering skips deployments, so each block is judged by one of the two.)
        let deploys = block.attribute("type").is_some_and(|written| {
            matches!(eval::eval_attr(&written.expr, &env).map(|t| t.val),
                Ok(Val::String(t)) if is_deployment_type(&t))
        });
        if deploys {
            lower_instance(block, &env, cx, one.address, one.instance, out);
        }
    }
}

fn lower_instance(
    block: &ResourceBlock,
    env: &Env,
    cx: &Context,
    address: String,
    instance: Option<String>,
    out: &mut Lowered,
) {
    let shown = instance.clone().unwrap_or_else(|| address.clone());
    let Some(body) = block.attribute("body") else {
        return;
    };
    let not_judged = |why: &str| {
        embedded::notice(
            cx,
            body.span,
            format!("`body` of `{shown}` {why}; the sites it deploys are not judged"),
        )
    };
    let object = match &body.expr {
        AttributeExpr::Hcl(expr) => match peel(expr) {
            Expression::FuncCall(call) if call.name.name.as_str() == "jsonencode" => {
                match call.args.iter().collect::<Vec<_>>()[..] {
                    [argument] => peel(argument),
                    _ => return out.errors.push(not_judged("calls `jsonencode()` oddly")),
                }
            }
            other => other,
        },
        _ => {
            return out.errors.push(not_judged(
                "is in JSON syntax, which certgate does not read here",
            ));
        }
    };
    let Some(properties) = as_object(object).and_then(|o| member(o, "properties")) else {
        return out
            .errors
            .push(not_judged("is not written as an object with `properties`"));
    };
    let Some(properties) = as_object(properties) else {
        return out.errors.push(not_judged(
            "has `properties` that are not written as an object",
        ));
    };
    if member(properties, "templateLink").is_some() {
        return out.errors.push(not_judged(
            "links its template (`templateLink`), which certgate does not follow from AzAPI",
        ));
    }
    let Some(template) = member(properties, "template") else {
        return;
    };
    if as_object(template).is_none() {
        return out.errors.push(not_judged(
            "has a `template` that is not written as an object",
        ));
    }
    let source = format!("`properties.parameters` of `{shown}`");
    let inputs = member(properties, "parameters")
        .and_then(as_object)
        .map(|parameters| embedded::hcl_entries(parameters, body.span, env, &source))
        .unwrap_or_default();
    let deployment = Deployment {
        template: Document::hcl_object(template, body.span.file, env),
        inputs,
        missing: format!("{source} does not set it"),
        at: body.span,
        syntax: block.syntax,
    };
    embedded::judge(deployment, cx, address, instance, out);
}

fn as_object(expr: &Expression) -> Option<&Object> {
    match peel(expr) {
        Expression::Object(object) => Some(object),
        _ => None,
    }
}

/// The member `name` of an object written in place: exact case first, then ignoring ASCII
/// case (ARM property names are case-insensitive).
fn member<'e>(object: &'e Object, name: &str) -> Option<&'e Expression> {
    let key_of = |key: &'e ObjectKey| match key {
        ObjectKey::Ident(ident) => Some(ident.as_str()),
        ObjectKey::Expression(Expression::String(s)) => Some(s.value().as_str()),
        ObjectKey::Expression(_) => None,
    };
    let find = |same: &dyn Fn(&str) -> bool| {
        object
            .iter()
            .find(|(key, _)| key_of(key).is_some_and(same))
            .map(|(_, value)| value.expr())
    };
    find(&|key| key == name).or_else(|| find(&|key| key.eq_ignore_ascii_case(name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deployment_types_ignore_case_and_api_version() {
        assert!(is_deployment_type(
            "Microsoft.Resources/deployments@2022-09-01"
        ));
        assert!(is_deployment_type("microsoft.resources/DEPLOYMENTS"));
        assert!(!is_deployment_type("Microsoft.Web/sites@2024-04-01"));
        assert!(!is_deployment_type(
            "Microsoft.Resources/deploymentScripts@2023-08-01"
        ));
    }
}
