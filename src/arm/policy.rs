//! Azure Policy assignments of the control in an ARM template (the rollout guardrail): the
//! top-level `Microsoft.Authorization/policyAssignments` resources, evaluated in the
//! scenario's environment. The scope is the template's deployment scope (its `$schema`). A
//! `policyDefinitionId` that names a `Microsoft.Authorization/policySetDefinitions` declared in
//! the same template (by its name, e.g. `[subscriptionResourceId(…, 'NAME')]`) goes through
//! that initiative's `policyDefinitions`.

use super::eval::Env;
use crate::guardrail::assess::{self, Member, Target, Written};
use crate::guardrail::read;
use crate::json::{Json, JsonKind};
use crate::model::guardrail::{PolicyAssignment, Scope};
use crate::source::{FileId, Span};
use crate::value::Val;

const ASSIGNMENT: &str = "Microsoft.Authorization/policyAssignments";
const SET: &str = "Microsoft.Authorization/policySetDefinitions";

/// The template's deployment scope, from its `$schema`, with the schema's file name.
fn deployment_scope(root: &Json) -> (Scope, String) {
    let written = root
        .get_ignore_case("$schema")
        .and_then(Json::as_str)
        .unwrap_or("");
    let name = written
        .rsplit('/')
        .next()
        .unwrap_or("")
        .trim_end_matches('#');
    let text = format!("$schema {name}");
    let schema = written.to_ascii_lowercase();
    let scope = if schema.contains("managementgroupdeploymenttemplate") {
        Scope::ManagementGroup
    } else if schema.contains("subscriptiondeploymenttemplate") {
        Scope::Subscription
    } else if schema.contains("tenantdeploymenttemplate") {
        Scope::Unknown
    } else {
        Scope::ResourceGroup
    };
    (scope, text)
}

/// The top-level resources (an array, or symbolic names' object).
fn resources(root: &Json) -> Vec<&Json> {
    match root.get_ignore_case("resources").map(|r| &r.kind) {
        Some(JsonKind::Array(items)) => items.iter().collect(),
        Some(JsonKind::Object(members)) => members.iter().map(|m| &m.value).collect(),
        _ => Vec::new(),
    }
}

fn is_type(resource: &Json, wanted: &str) -> bool {
    resource
        .get_ignore_case("type")
        .and_then(Json::as_str)
        .is_some_and(|t| t.eq_ignore_ascii_case(wanted))
}

/// The assignments of the control `root` declares, evaluated in `env`.
pub fn find(root: &Json, file: FileId, env: &Env) -> Vec<PolicyAssignment> {
    let (scope, scope_text) = deployment_scope(root);
    let all = resources(root);
    let sets: Vec<(String, Vec<Member>)> = all
        .iter()
        .filter(|r| is_type(r, SET))
        .filter_map(|r| Some((string(env, r.get_ignore_case("name")?)?, members(env, r))))
        .collect();
    all.iter()
        .filter(|r| is_type(r, ASSIGNMENT))
        .filter_map(|resource| {
            let properties = resource
                .get_ignore_case("properties")
                .map(|p| env.json(p).val);
            let property = |name: &str| {
                properties
                    .as_ref()
                    .and_then(|p| p.get_ignore_case(name))
                    .cloned()
            };
            let written_id = resource
                .get_ignore_case("properties")
                .and_then(|p| p.get_ignore_case("policyDefinitionId"));
            let target = match property("policyDefinitionId") {
                Some(Val::String(id)) => in_template(&id, &sets).unwrap_or(Target::Id(id)),
                _ => written_id
                    .and_then(Json::as_str)
                    .and_then(|text| in_template(text, &sets))
                    .unwrap_or(Target::Unresolved),
            };
            let name = resource
                .get_ignore_case("name")
                .and_then(|n| string(env, n))
                .unwrap_or_else(|| "policyAssignments".to_string());
            let header = resource
                .member_ignore_case("type")
                .map_or(resource.span.clone(), |m| m.span.clone());
            assess::assess(Written {
                address: name,
                span: Span::new(file, header),
                scope,
                scope_text: scope_text.clone(),
                target,
                parameters: read::parameters(property("parameters").as_ref()),
                enforcement: read::enforcement_mode(property("enforcementMode").as_ref()),
            })
        })
        .collect()
}

/// The initiative declared in the template that `id` names (`…policySetDefinitions…NAME`).
fn in_template(id: &str, sets: &[(String, Vec<Member>)]) -> Option<Target> {
    let lower = id.to_ascii_lowercase();
    if !lower.contains("policysetdefinitions") {
        return None;
    }
    sets.iter()
        .find(|(name, _)| {
            let name = name.to_ascii_lowercase();
            lower.ends_with(&format!("/{name}")) || lower.contains(&format!("'{name}'"))
        })
        .map(|(name, members)| Target::Set {
            name: name.clone(),
            members: members.clone(),
        })
}

/// An initiative's `policyDefinitions`, each member's effect from its `parameters`.
fn members(env: &Env, set: &Json) -> Vec<Member> {
    let properties = set.get_ignore_case("properties");
    let default_of = |name: &str| {
        properties
            .and_then(|p| p.get_ignore_case("parameters"))
            .and_then(|p| p.get_ignore_case(name))
            .and_then(|p| p.get_ignore_case("defaultValue"))
            .and_then(Json::as_str)
            .map(str::to_string)
    };
    let Some(JsonKind::Array(items)) = properties
        .and_then(|p| p.get_ignore_case("policyDefinitions"))
        .map(|d| &d.kind)
    else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            let definition_id = string(env, item.get_ignore_case("policyDefinitionId")?)?;
            let effect = match item
                .get_ignore_case("parameters")
                .and_then(|p| p.get_ignore_case("effect"))
                .and_then(|e| e.get_ignore_case("value"))
                .and_then(Json::as_str)
            {
                None => assess::MemberEffect::Default,
                Some(value) => read::effect_value(value, default_of),
            };
            Some(Member {
                definition_id,
                effect,
            })
        })
        .collect()
}

fn string(env: &Env, json: &Json) -> Option<String> {
    match env.json(json).val {
        Val::String(text) => Some(text),
        _ => None,
    }
}
