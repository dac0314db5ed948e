//! Azure Policy assignments of the control in a Bicep file (the rollout guardrail): its
//! `Microsoft.Authorization/policyAssignments` declarations, evaluated in the file's scope
//! (roots and the modules the walk follows). The scope is the file's `targetScope`
//! (`resourceGroup` when absent). A `policyDefinitionId: SET.id` naming a
//! `Microsoft.Authorization/policySetDefinitions` declared in the same file goes through that
//! initiative's `policyDefinitions`.

use super::ast::{ExprKind, ResourceDecl, StatementKind};
use super::eval::Env;
use crate::guardrail::assess::{self, Member, MemberEffect, Target, Written};
use crate::guardrail::read;
use crate::model::guardrail::{PolicyAssignment, Scope};
use crate::value::Val;

const ASSIGNMENT: &str = "microsoft.authorization/policyassignments@";
const SET: &str = "microsoft.authorization/policysetdefinitions@";

/// Whether a Bicep file's bytes may declare an assignment (any case).
pub fn names_assignment(bytes: &[u8]) -> bool {
    crate::search::contains_ignore_ascii_case(
        bytes,
        b"microsoft.authorization/policyassignments",
        23,
    )
}

fn of_type(decl: &ResourceDecl, prefix: &str) -> bool {
    decl.type_string
        .literal()
        .is_some_and(|t| t.to_ascii_lowercase().starts_with(prefix))
}

/// The assignments of the control the file in `env` declares.
pub fn find(program: &super::ast::Program, env: Env<'_>) -> Vec<PolicyAssignment> {
    let mut scope = Scope::ResourceGroup;
    let mut scope_text = "no `targetScope` (resourceGroup)".to_string();
    let mut decls = Vec::new();
    for statement in &program.statements {
        match &statement.kind {
            StatementKind::TargetScope(expr) => {
                scope_text = format!("targetScope = {}", env.text_of(expr.span).trim());
                scope = match env.eval(expr).val {
                    Val::String(s) if s.eq_ignore_ascii_case("managementGroup") => {
                        Scope::ManagementGroup
                    }
                    Val::String(s) if s.eq_ignore_ascii_case("subscription") => Scope::Subscription,
                    Val::String(s) if s.eq_ignore_ascii_case("resourceGroup") => {
                        Scope::ResourceGroup
                    }
                    _ => Scope::Unknown,
                }
            }
            StatementKind::Resource(decl) => decls.push(decl),
            _ => {}
        }
    }
    if !decls.iter().any(|d| of_type(d, ASSIGNMENT)) {
        return Vec::new();
    }
    let sets: Vec<(&str, Vec<Member>)> = decls
        .iter()
        .filter(|d| of_type(d, SET))
        .map(|d| (d.name.name.as_str(), members(d, env)))
        .collect();
    decls
        .iter()
        .filter(|d| of_type(d, ASSIGNMENT))
        .filter_map(|decl| {
            let object = decl.body.object()?;
            let properties = object
                .property("properties")
                .map(|p| env.eval(&p.value).val);
            let property = |name: &str| {
                properties
                    .as_ref()
                    .and_then(|p| p.get_ignore_case(name))
                    .cloned()
            };
            let written_id = object
                .property("properties")
                .and_then(|p| match &p.value.kind {
                    ExprKind::Object(o) => o.property("policyDefinitionId"),
                    _ => None,
                })
                .map(|p| env.text_of(p.value.span));
            let in_file = written_id.as_deref().and_then(|text| {
                let symbol = text.trim().strip_suffix(".id")?;
                sets.iter()
                    .find(|(name, _)| *name == symbol)
                    .map(|(name, members)| Target::Set {
                        name: name.to_string(),
                        members: members.clone(),
                    })
            });
            let target = match (in_file, property("policyDefinitionId")) {
                (Some(set), _) => set,
                (None, Some(Val::String(id))) => Target::Id(id),
                _ => Target::Unresolved,
            };
            assess::assess(Written {
                address: decl.name.name.clone(),
                span: decl.header,
                scope,
                scope_text: scope_text.clone(),
                target,
                parameters: read::parameters(property("parameters").as_ref()),
                enforcement: read::enforcement_mode(property("enforcementMode").as_ref()),
            })
        })
        .collect()
}

/// An initiative's `policyDefinitions`, each member's effect from its `parameters`.
fn members(decl: &ResourceDecl, env: Env<'_>) -> Vec<Member> {
    let Some(properties) = decl
        .body
        .object()
        .and_then(|o| o.property("properties"))
        .map(|p| env.eval(&p.value).val)
    else {
        return Vec::new();
    };
    let default_of = |name: &str| match properties
        .get_ignore_case("parameters")
        .and_then(|p| p.get_ignore_case(name))
        .and_then(|p| p.get_ignore_case("defaultValue"))
    {
        Some(Val::String(s)) => Some(s.clone()),
        _ => None,
    };
    let Some(Val::List(items)) = properties.get_ignore_case("policyDefinitions") else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            let Some(Val::String(definition_id)) = item.get_ignore_case("policyDefinitionId")
            else {
                return None;
            };
            let effect = match item
                .get_ignore_case("parameters")
                .and_then(|p| p.get_ignore_case("effect"))
                .and_then(|e| e.get_ignore_case("value"))
            {
                None => MemberEffect::Default,
                Some(Val::String(value)) => read::effect_value(value, default_of),
                Some(Val::Unknown(why)) => MemberEffect::Unknown(why.clone()),
                Some(other) => {
                    MemberEffect::Unknown(format!("the effect is a {}", other.type_name()))
                }
            };
            Some(Member {
                definition_id: definition_id.clone(),
                effect,
            })
        })
        .collect()
}
