//! Azure Policy assignments of the control in Terraform (the rollout guardrail): the four
//! azurerm assignment types and AzAPI `Microsoft.Authorization/policyAssignments`, judged per
//! instance with the module's evaluator. The definition id resolves like any value (variables,
//! locals); a reference to a block's `id` (computed by the provider) is followed to the
//! block: a `data "azurerm_policy_definition"` / `data "azurerm_policy_set_definition"` by its
//! `name` or `display_name`, or an `azurerm_policy_set_definition` in the same module by its
//! `policy_definition_reference` blocks.

use memchr::memmem;

use super::dispatch::{Lowered, Prefix};
use super::eval::{Env, InstanceKeys, eval, eval_attr};
use super::instance::ModuleScope;
use super::syntax::{AttributeExpr, ResourceBlock};
use crate::guardrail::assess::{self, Enforcement, Member, MemberEffect, Target, Written};
use crate::guardrail::{definitions, read};
use crate::model::Syntax;
use crate::model::guardrail::Scope;
use crate::value::Val;

/// The azurerm assignment types, with the scope each assigns at and its scope argument.
const ASSIGNMENTS: &[(&str, Scope, &str)] = &[
    (
        "azurerm_management_group_policy_assignment",
        Scope::ManagementGroup,
        "management_group_id",
    ),
    (
        "azurerm_subscription_policy_assignment",
        Scope::Subscription,
        "subscription_id",
    ),
    (
        "azurerm_resource_group_policy_assignment",
        Scope::ResourceGroup,
        "resource_group_id",
    ),
    (
        "azurerm_resource_policy_assignment",
        Scope::Resource,
        "resource_id",
    ),
];

/// The initiative types a definition id may reference in the same module.
const SET_TYPES: &[&str] = &[
    "azurerm_policy_set_definition",
    "azurerm_management_group_policy_set_definition",
];

/// Whether the file's bytes may declare an assignment: an azurerm assignment type, or an
/// AzAPI resource naming the assignment type (any case). Files without one do no extra work.
pub fn names_assignment(bytes: &[u8]) -> bool {
    if ASSIGNMENTS
        .iter()
        .any(|(name, ..)| memmem::find(bytes, name.as_bytes()).is_some())
    {
        return true;
    }
    memmem::find(bytes, b"azapi_resource").is_some()
        && memmem::find(
            &bytes.to_ascii_lowercase(),
            b"microsoft.authorization/policyassignments",
        )
        .is_some()
}

/// The scope an azurerm assignment type assigns at, and its scope argument.
pub(crate) fn assignment_type(resource_type: &str) -> Option<(Scope, &'static str)> {
    ASSIGNMENTS
        .iter()
        .find(|(name, ..)| *name == resource_type)
        .map(|(_, scope, argument)| (*scope, *argument))
}

/// The enforcement an evaluated `enforce` argument sets (absent or `null`: on).
pub(crate) fn enforce(val: Option<Val>) -> Enforcement {
    match val {
        None | Some(Val::Null) | Some(Val::Bool(true)) => Enforcement::On,
        Some(Val::Bool(false)) => Enforcement::Off("`enforce = false`".into()),
        Some(Val::String(text)) => match super::convert::string_to_bool(&text) {
            Some(false) => Enforcement::Off("`enforce = false`".into()),
            _ => Enforcement::On,
        },
        Some(Val::Unknown(why)) => Enforcement::Unknown(format!("`enforce`: {why}")),
        Some(other) => Enforcement::Unknown(format!("`enforce` is a {}", other.type_name())),
    }
}

/// Whether the readers keep a block's attributes for this module (an azurerm assignment).
pub fn keeps_attributes(resource_type: &str) -> bool {
    ASSIGNMENTS.iter().any(|(name, ..)| *name == resource_type)
}

/// Adds the assignments of the control `block` declares (every instance) to `out`.
pub(crate) fn lower(
    block: &ResourceBlock,
    scope: &ModuleScope,
    prefix: &Prefix,
    out: &mut Lowered,
) {
    let azurerm = ASSIGNMENTS
        .iter()
        .find(|(name, ..)| *name == block.resource_type);
    if azurerm.is_none() && block.resource_type != super::azapi::RESOURCE {
        return;
    }
    for one in prefix.instances(block, scope) {
        let env = Env::new(&one.scope);
        let value = |name: &str| {
            block
                .argument(name)
                .map(|attribute| match eval_attr(&attribute.expr, &env) {
                    Ok(traced) => traced.val,
                    Err(error) => Val::Unknown(format!("Terraform would reject it: {error}")),
                })
        };
        let address = one.instance.clone().unwrap_or_else(|| one.address.clone());
        let written = match azurerm {
            Some((_, at, scope_argument)) => {
                let scope_text = text_of(value(scope_argument).as_ref());
                let enforcement = enforce(value("enforce"));
                Written {
                    address,
                    span: block.header,
                    scope: *at,
                    scope_text,
                    target: target(
                        block,
                        "policy_definition_id",
                        value("policy_definition_id"),
                        scope,
                    ),
                    parameters: read::parameters(value("parameters").as_ref()),
                    enforcement,
                }
            }
            None => {
                let is_assignment = matches!(value("type"), Some(Val::String(t))
                    if t.to_ascii_lowercase().starts_with("microsoft.authorization/policyassignments"));
                if !is_assignment {
                    continue;
                }
                let body = value("body").unwrap_or(Val::Null);
                let properties = match &body {
                    // A JSON string body (older AzAPI) holds the same object.
                    Val::String(text) => serde_json::from_str::<serde_json::Value>(text)
                        .ok()
                        .map(|json| from_serde(&json))
                        .unwrap_or(Val::Null),
                    other => other.clone(),
                };
                let properties = properties.get_ignore_case("properties").cloned();
                let property = |name: &str| {
                    properties
                        .as_ref()
                        .and_then(|p| p.get_ignore_case(name))
                        .cloned()
                };
                let parent = value("parent_id");
                let scope_text = text_of(parent.as_ref());
                Written {
                    address,
                    span: block.header,
                    scope: match &parent {
                        Some(Val::String(id)) => read::scope_of_id(id),
                        _ => Scope::Unknown,
                    },
                    scope_text,
                    target: match property("policyDefinitionId") {
                        Some(Val::String(id)) => Target::Id(id),
                        _ => Target::Unresolved,
                    },
                    parameters: read::parameters(property("parameters").as_ref()),
                    enforcement: read::enforcement_mode(property("enforcementMode").as_ref()),
                }
            }
        };
        out.policies.extend(assess::assess(written));
    }
}

/// A scope value as the report shows it: the string, or why it is unknown.
fn text_of(val: Option<&Val>) -> String {
    match val {
        Some(Val::String(text)) => text.clone(),
        Some(Val::Unknown(why)) => format!("unknown: {why}"),
        Some(other) => other.type_name().to_string(),
        None => "not set".to_string(),
    }
}

/// What `argument` of `block` names: its value when it resolves, else the block its
/// reference (`TYPE.NAME.id`, `data.TYPE.NAME.id`) leads to in the same module.
fn target(
    block: &ResourceBlock,
    argument: &str,
    value: Option<Val>,
    scope: &ModuleScope,
) -> Target {
    if let Some(Val::String(id)) = value {
        return Target::Id(id);
    }
    let Some(reference) = block.argument(argument).and_then(reference_of) else {
        return Target::Unresolved;
    };
    referenced(&reference, scope).unwrap_or(Target::Unresolved)
}

/// `(is data, TYPE, NAME)` of an `…id` reference written as a plain traversal.
fn reference_of(attribute: &super::syntax::Attribute) -> Option<(bool, String, String)> {
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
fn referenced(reference: &(bool, String, String), scope: &ModuleScope) -> Option<Target> {
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
                let attribute = super::syntax::Attribute {
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
fn from_serde(json: &serde_json::Value) -> Val {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_naming_an_assignment_type_interest_the_search() {
        for name in [
            "azurerm_management_group_policy_assignment",
            "azurerm_subscription_policy_assignment",
            "azurerm_resource_group_policy_assignment",
            "azurerm_resource_policy_assignment",
        ] {
            assert!(names_assignment(
                format!("resource \"{name}\" \"a\" {{}}").as_bytes()
            ));
        }
        let azapi = b"resource \"azapi_resource\" \"a\" {\n  type = \"MICROSOFT.AUTHORIZATION/policyAssignments@2022-06-01\"\n}\n";
        assert!(names_assignment(azapi));
        assert!(!names_assignment(
            b"resource \"azurerm_policy_definition\" \"a\" {}\nresource \"azapi_resource\" \"b\" {}"
        ));
        assert!(!names_assignment(
            b"resource \"azurerm_storage_account\" \"a\" {}"
        ));
    }

    fn reference(text: &str) -> Option<(bool, String, String)> {
        let expr = super::super::eval::parse_expression(text).unwrap();
        let span = crate::source::Span::new(0, 0..0);
        reference_of(&super::super::syntax::Attribute {
            name: "policy_definition_id".into(),
            expr: AttributeExpr::Hcl(expr),
            span,
            value_span: span,
        })
    }

    #[test]
    fn id_references_name_the_block_whatever_its_instance_key() {
        let set = (
            false,
            "azurerm_policy_set_definition".to_string(),
            "mtls".to_string(),
        );
        assert_eq!(
            reference("azurerm_policy_set_definition.mtls.id"),
            Some(set.clone())
        );
        assert_eq!(
            reference("azurerm_policy_set_definition.mtls[0].id"),
            Some(set)
        );
        assert_eq!(
            reference("data.azurerm_policy_definition.web[\"a\"].id"),
            Some((true, "azurerm_policy_definition".into(), "web".into()))
        );
        assert_eq!(reference("azurerm_policy_set_definition.mtls.name"), None);
        assert_eq!(reference("var.id"), None);
    }

    #[test]
    fn a_rescan_that_takes_the_judged_root_over_keeps_its_assignments() {
        use crate::scan::{Settings, scan, scan_cached};
        let dir = tempfile::tempdir().unwrap();
        let root = crate::paths::normalize(dir.path());
        let policy = "resource \"azurerm_subscription_policy_assignment\" \"a\" {\n  \
                      subscription_id = \"/subscriptions/x\"\n  policy_definition_id = \
                      \"/providers/Microsoft.Authorization/policyDefinitions/\
                      19dd1db6-f442-49cf-a838-b0786b4401ef\"\n}\n";
        std::fs::create_dir_all(root.join("platform")).unwrap();
        std::fs::create_dir_all(root.join("app")).unwrap();
        std::fs::write(root.join("platform/main.tf"), policy).unwrap();
        let site =
            "resource \"azurerm_linux_web_app\" \"a\" {\n  client_certificate_enabled = false\n}\n";
        std::fs::write(root.join("app/main.tf"), site).unwrap();
        let paths = [root.clone()];
        let keep = Settings {
            keep_parsed: true,
            ..Settings::default()
        };
        let first = scan_cached(&paths, &keep);
        assert_eq!(first.report.guardrail.assignments.len(), 1);
        // Only the site's directory changes: the platform root is taken over, not walked.
        let changed = site.replace("false", "true");
        let reused = scan(
            &paths,
            &Settings {
                overrides: [(root.join("app/main.tf"), changed)].into_iter().collect(),
                reuse: Some(first.cache.clone()),
                ..Settings::default()
            },
        );
        assert_eq!(reused.guardrail, first.report.guardrail);
    }
}
