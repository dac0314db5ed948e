//! Following a definition id that did not resolve (a block's `id` is computed by the
//! provider) to the block it references in the same module: a built-in found by a data
//! source's `name` / `display_name`, or an initiative declared there, read member by member.

use super::super::eval::{Env, InstanceKeys, eval, eval_attr};
use super::super::instance::ModuleScope;
use super::super::syntax::{Attribute, AttributeExpr, ResourceBlock};
use super::SET_TYPES;
use crate::guardrail::assess::{Member, MemberEffect, Target};
use crate::guardrail::{definitions, read};
use crate::model::Syntax;
use crate::value::Val;

/// `(is data, TYPE, NAME)` of an `…id` reference written as a plain traversal.
pub(super) fn reference_of(attribute: &Attribute) -> Option<(bool, String, String)> {
    let text = match &attribute.expr {
        AttributeExpr::Hcl(expr) => expr.to_string(),
        AttributeExpr::Json(json) => json
            .as_str()?
            .trim()
            .strip_prefix("${")?
            .strip_suffix('}')?
            .to_string(),
        AttributeExpr::JsonLiteral(_) => return None,
    };
    // `TYPE.NAME[0].id` / `TYPE.NAME["k"].id`: the instance key does not change the target.
    let text: String = text.split('[').next().map_or(String::new(), |head| {
        let tail = text
            .rsplit(']')
            .next()
            .filter(|_| text.contains(']'))
            .unwrap_or("");
        format!("{head}{tail}")
    });
    let parts: Vec<&str> = text.trim().split('.').collect();
    match parts.as_slice() {
        ["data", kind, name, "id"] => Some((true, kind.to_string(), name.to_string())),
        [kind, name, "id"] => Some((false, kind.to_string(), name.to_string())),
        _ => None,
    }
}

/// The target a referenced block stands for.
pub(super) fn referenced(
    reference: &(bool, String, String),
    scope: &ModuleScope,
) -> Option<Target> {
    let (data, kind, name) = reference;
    let blocks = if *data {
        &scope.module.data
    } else {
        &scope.module.resources
    };
    let found = blocks
        .iter()
        .find(|b| &b.resource_type == kind && &b.name == name)?;
    let inner = scope.instance(InstanceKeys::NotAllowed);
    let inner = Env::new(&inner);
    let string = |argument: &str| -> Option<String> {
        match eval_attr(&found.argument(argument)?.expr, &inner).ok()?.val {
            Val::String(text) => Some(text),
            _ => None,
        }
    };
    match (data, kind.as_str()) {
        (true, "azurerm_policy_definition" | "azurerm_policy_definition_built_in") => {
            let built_in = ["name", "display_name"]
                .iter()
                .find_map(|a| string(a).and_then(|n| definitions::built_in_named(&n)))?;
            Some(Target::Id(format!(
                "/providers/Microsoft.Authorization/policyDefinitions/{}",
                built_in.guid
            )))
        }
        (true, "azurerm_policy_set_definition") => {
            let initiative = ["name", "display_name"]
                .iter()
                .find_map(|a| string(a).and_then(|n| definitions::initiative_named(&n)))?;
            Some(Target::Id(format!(
                "/providers/Microsoft.Authorization/policySetDefinitions/{}",
                initiative.guid
            )))
        }
        (false, kind) if SET_TYPES.contains(&kind) => Some(set(found, scope, &inner)),
        _ => None,
    }
}

/// An initiative declared in the module: its `policy_definition_reference` blocks (native
/// syntax), each member's effect from its `parameter_values`, and the initiative's own
/// `parameters` defaults.
fn set(block: &ResourceBlock, scope: &ModuleScope, env: &Env) -> Target {
    let name = block.address();
    if block.syntax != Syntax::Hcl {
        return Target::Unresolved;
    }
    let Some(text) = body_text(block) else {
        return Target::Unresolved;
    };
    let Ok(body) = hcl_edit::parser::parse_body(&text) else {
        return Target::Unresolved;
    };
    let evaluate = |expr: &hcl_edit::expr::Expression| match eval(expr, env) {
        Ok(traced) => traced.val,
        Err(error) => Val::Unknown(error.to_string()),
    };
    let defaults: Option<serde_json::Value> = body
        .get_attribute("parameters")
        .map(|a| evaluate(&a.value))
        .and_then(|v| match v {
            Val::String(text) => serde_json::from_str(&text).ok(),
            _ => None,
        });
    let mut members = Vec::new();
    for reference in body.get_blocks("policy_definition_reference") {
        let Some(id) = reference.body.get_attribute("policy_definition_id") else {
            continue;
        };
        let definition_id = match evaluate(&id.value) {
            Val::String(id) => id,
            _ => {
                let attribute = Attribute {
                    name: "policy_definition_id".into(),
                    expr: AttributeExpr::Hcl(id.value.clone()),
                    span: block.header,
                    value_span: block.header,
                };
                match reference_of(&attribute).and_then(|r| referenced(&r, scope)) {
                    Some(Target::Id(id)) => id,
                    _ => continue,
                }
            }
        };
        let effect = match reference
            .body
            .get_attribute("parameter_values")
            .map(|a| evaluate(&a.value))
        {
            None | Some(Val::Null) => MemberEffect::Default,
            Some(Val::String(json)) => member_effect(&json, defaults.as_ref()),
            Some(Val::Unknown(why)) => MemberEffect::Unknown(why),
            Some(other) => {
                MemberEffect::Unknown(format!("`parameter_values` is a {}", other.type_name()))
            }
        };
        members.push(Member {
            definition_id,
            effect,
        });
    }
    Target::Set { name, members }
}

/// The block's body text (`{` through `}`) without the braces.
fn body_text(block: &ResourceBlock) -> Option<String> {
    let source = block.deferred.as_ref().map(|d| d.source.clone())?;
    let text = source.text();
    text.get(block.body_span.start + 1..block.body_span.end.saturating_sub(1))
        .map(str::to_string)
}

/// A member's `effect` from its `parameter_values` JSON: a literal, or
/// `[parameters('NAME')]` with the initiative's default for NAME.
fn member_effect(json: &str, defaults: Option<&serde_json::Value>) -> MemberEffect {
    let Ok(serde_json::Value::Object(values)) = serde_json::from_str::<serde_json::Value>(json)
    else {
        return MemberEffect::Unknown("`parameter_values` is not a JSON object".into());
    };
    let Some((_, entry)) = values
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("effect"))
    else {
        return MemberEffect::Default;
    };
    let Some(value) = entry.get("value").and_then(|v| v.as_str()) else {
        return MemberEffect::Unknown("the member's `effect` has no string `value`".into());
    };
    read::effect_value(value, |name| {
        defaults
            .and_then(|d| d.as_object())
            .and_then(|d| d.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)))
            .and_then(|(_, p)| p.get("defaultValue"))
            .and_then(|v| v.as_str())
            .map(str::to_string)
    })
}

/// A JSON value as the evaluator's value.
pub(super) fn from_serde(json: &serde_json::Value) -> Val {
    match json {
        serde_json::Value::Null => Val::Null,
        serde_json::Value::Bool(b) => Val::Bool(*b),
        serde_json::Value::Number(n) => n.as_f64().map_or(Val::Null, Val::Number),
        serde_json::Value::String(s) => Val::String(s.clone()),
        serde_json::Value::Array(items) => Val::List(items.iter().map(from_serde).collect()),
        serde_json::Value::Object(map) => Val::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), from_serde(v)))
                .collect(),
        ),
    }
}
