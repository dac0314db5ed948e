//! Azure Policy assignments of the control in Terraform (the rollout guardrail): the four
//! azurerm assignment types and AzAPI `Microsoft.Authorization/policyAssignments`, judged per
//! instance with the module's evaluator. The definition id resolves like any value (variables,
//! locals); a reference to a block's `id` (computed by the provider) is followed to the
//! block: a `data "azurerm_policy_definition"` / `data "azurerm_policy_set_definition"` by its
//! `name` or `display_name`, or an `azurerm_policy_set_definition` in the same module by its
//! `policy_definition_reference` blocks.

mod references;
use memchr::memmem;
use references::{from_serde, reference_of, referenced};

use super::dispatch::{Lowered, Prefix};
use super::eval::{Env, eval_attr};
use super::instance::ModuleScope;
use super::syntax::ResourceBlock;
use crate::guardrail::assess::{self, Enforcement, Target, Written};
use crate::guardrail::read;
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
/// AzAPI resource naming the assignment type (any case). One search for the types' common
/// suffix, and one for the AzAPI type only where `azapi_resource` occurs: a file without an
/// assignment costs two byte searches.
pub fn names_assignment(bytes: &[u8]) -> bool {
    static SUFFIX: std::sync::LazyLock<memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memmem::Finder::new(b"_policy_assignment"));
    let azurerm = SUFFIX.find_iter(bytes).any(|at| {
        ASSIGNMENTS.iter().any(|(name, ..)| {
            let start = at + "_policy_assignment".len();
            start
                .checked_sub(name.len())
                .is_some_and(|from| bytes[from..].starts_with(name.as_bytes()))
        })
    });
    azurerm
        || (memmem::find(bytes, b"azapi_resource").is_some()
            && crate::search::contains_ignore_ascii_case(
                bytes,
                b"microsoft.authorization/policyassignments",
                23,
            ))
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

#[cfg(test)]
mod tests;
