//! Reading an assignment's evaluated values the same way in every front end: its
//! `parameters` (an object, or the JSON string Terraform passes), its enforcement mode and the
//! scope an id names.

use std::collections::BTreeMap;

use super::assess::{Enforcement, MemberEffect, Parameters, Resolved};
use crate::model::guardrail::Scope;
use crate::value::Val;

/// The assignment's `parameters` (`{"NAME": {"value": V}}`), as an evaluated object or a
/// JSON string; absent or `null` sets none.
pub fn parameters(val: Option<&Val>) -> Parameters {
    match val {
        None | Some(Val::Null) => Parameters::Known(BTreeMap::new()),
        Some(Val::Unknown(why)) => Parameters::Unknown(why.clone()),
        Some(Val::String(text)) => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(serde_json::Value::Object(map)) => Parameters::Known(
                map.iter()
                    .map(|(name, entry)| {
                        let value = entry
                            .as_object()
                            .and_then(|o| o.iter().find(|(k, _)| k.eq_ignore_ascii_case("value")))
                            .map(|(_, v)| v);
                        let resolved = match value {
                            Some(serde_json::Value::String(s)) => Resolved::Known(s.clone()),
                            Some(other) => Resolved::Known(other.to_string()),
                            None => Resolved::Unknown(format!("`{name}` has no `value`")),
                        };
                        (name.clone(), resolved)
                    })
                    .collect(),
            ),
            _ => Parameters::Unknown("`parameters` is not a JSON object".into()),
        },
        Some(Val::Object(map)) => Parameters::Known(
            map.iter()
                .map(|(name, entry)| {
                    let resolved = match entry.get_ignore_case("value") {
                        Some(Val::String(s)) => Resolved::Known(s.clone()),
                        Some(Val::Unknown(why)) => Resolved::Unknown(why.clone()),
                        Some(other) => Resolved::Known(other.type_name().to_string()),
                        None => Resolved::Unknown(format!("`{name}` has no `value`")),
                    };
                    (name.clone(), resolved)
                })
                .collect(),
        ),
        Some(other) => Parameters::Unknown(format!("`parameters` is a {}", other.type_name())),
    }
}

/// ARM's `enforcementMode`: `Default` (or absent) enforces, `DoNotEnforce` does not.
pub fn enforcement_mode(val: Option<&Val>) -> Enforcement {
    match val {
        None | Some(Val::Null) => Enforcement::On,
        Some(Val::String(mode)) if mode.eq_ignore_ascii_case("DoNotEnforce") => {
            Enforcement::Off("`enforcementMode` is `DoNotEnforce`".into())
        }
        Some(Val::String(_)) => Enforcement::On,
        Some(Val::Unknown(why)) => Enforcement::Unknown(format!("`enforcementMode`: {why}")),
        Some(other) => {
            Enforcement::Unknown(format!("`enforcementMode` is a {}", other.type_name()))
        }
    }
}

/// An initiative member's `effect` value: `[parameters('NAME')]` is the initiative's
/// parameter NAME (with `default_of(NAME)`, its `defaultValue`), another expression is
/// unknown, anything else a literal effect.
pub fn effect_value(value: &str, default_of: impl Fn(&str) -> Option<String>) -> MemberEffect {
    let trimmed = value.trim();
    let inner = trimmed
        .strip_prefix("[parameters('")
        .and_then(|rest| rest.strip_suffix("')]"));
    match inner {
        Some(name) => MemberEffect::Parameter {
            name: name.to_string(),
            default: default_of(name),
        },
        None if trimmed.starts_with('[') && !trimmed.starts_with("[[") => {
            MemberEffect::Unknown(format!("the effect `{trimmed}` is an expression"))
        }
        None => MemberEffect::Literal(trimmed.to_string()),
    }
}

/// The scope an Azure id names: a management group, a subscription, a resource group or a
/// resource below one.
pub fn scope_of_id(id: &str) -> Scope {
    let lower = id.trim().trim_end_matches('/').to_ascii_lowercase();
    let parts: Vec<&str> = lower.split('/').filter(|p| !p.is_empty()).collect();
    match parts.as_slice() {
        ["providers", "microsoft.management", "managementgroups", _] => Scope::ManagementGroup,
        ["subscriptions", _] => Scope::Subscription,
        ["subscriptions", _, "resourcegroups", _] => Scope::ResourceGroup,
        ["subscriptions", _, "resourcegroups", _, "providers", ..] => Scope::Resource,
        _ => Scope::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_read_from_a_json_string_or_an_object() {
        let json = Val::String(r#"{"effect": {"value": "Disabled"}}"#.into());
        assert_eq!(
            parameters(Some(&json)),
            Parameters::Known(BTreeMap::from([(
                "effect".into(),
                Resolved::Known("Disabled".into())
            )]))
        );
        let object = Val::Object(BTreeMap::from([(
            "effect".into(),
            Val::Object(BTreeMap::from([(
                "Value".into(),
                Val::Unknown("param x".into()),
            )])),
        )]));
        assert_eq!(
            parameters(Some(&object)),
            Parameters::Known(BTreeMap::from([(
                "effect".into(),
                Resolved::Unknown("param x".into())
            )]))
        );
        assert_eq!(parameters(None), Parameters::Known(BTreeMap::new()));
    }

    #[test]
    fn scopes_follow_the_id() {
        assert_eq!(
            scope_of_id("/providers/Microsoft.Management/managementGroups/mg"),
            Scope::ManagementGroup
        );
        assert_eq!(scope_of_id("/subscriptions/x/"), Scope::Subscription);
        assert_eq!(
            scope_of_id("/subscriptions/x/resourceGroups/rg"),
            Scope::ResourceGroup
        );
        assert_eq!(
            scope_of_id("/subscriptions/x/resourceGroups/rg/providers/Microsoft.Web/sites/a"),
            Scope::Resource
        );
        assert_eq!(scope_of_id("${var.x}"), Scope::Unknown);
        assert_eq!(
            enforcement_mode(Some(&Val::String("doNotEnforce".into()))),
            Enforcement::Off("`enforcementMode` is `DoNotEnforce`".into())
        );
    }
}
