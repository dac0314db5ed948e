//! Azure Policy assignments of the control in a plan (the rollout guardrail): the azurerm
//! assignment instances that stay deployed, with their planned values. A plan has resolved
//! what the configuration computes (a data source's `id`, variables), so the definition id is
//! read as it is; a value unknown until apply is unknown.

use crate::guardrail::assess::{self, Target, Written};
use crate::guardrail::read;
use crate::json::Json;
use crate::model::guardrail::PolicyAssignment;
use crate::source::{FileId, Span};
use crate::value::Val;

/// The assignments of the control `root` (a plan document) deploys.
pub fn find(root: &Json, file: FileId) -> Vec<PolicyAssignment> {
    let mut found = Vec::new();
    if let Some(changes) = root.get("resource_changes").and_then(Json::as_array) {
        for change in changes {
            let after = change.get("change");
            if !super::entries::stays_deployed(after.and_then(|c| c.get("actions"))) {
                continue;
            }
            let unknown = after.and_then(|c| c.get("after_unknown"));
            let values = after.and_then(|c| c.get("after")).filter(|a| a.is_object());
            found.extend(one(change, values, unknown, file));
        }
    } else if let Some(module) = root
        .get("planned_values")
        .and_then(|p| p.get("root_module"))
    {
        planned(module, file, 0, &mut found);
    }
    found
}

fn planned(module: &Json, file: FileId, depth: usize, found: &mut Vec<PolicyAssignment>) {
    for resource in module
        .get("resources")
        .and_then(Json::as_array)
        .unwrap_or_default()
    {
        found.extend(one(resource, resource.get("values"), None, file));
    }
    if depth >= crate::limits::MAX_PLAN_MODULE_DEPTH {
        return;
    }
    for child in module
        .get("child_modules")
        .and_then(Json::as_array)
        .unwrap_or_default()
    {
        planned(child, file, depth + 1, found);
    }
}

/// One entry, when it is an assignment of the control.
fn one(
    entry: &Json,
    values: Option<&Json>,
    unknown: Option<&Json>,
    file: FileId,
) -> Option<PolicyAssignment> {
    let resource_type = entry.get("type").and_then(Json::as_str)?;
    let (scope, scope_argument) = crate::terraform::policy::assignment_type(resource_type)?;
    if entry.get("mode").and_then(Json::as_str) == Some("data") {
        return None;
    }
    let member = entry.member("address")?;
    let address = member.value.as_str()?.to_string();
    let value = |name: &str| -> Option<Val> {
        let is_unknown = unknown.is_some_and(|u| {
            u.get(name)
                .is_some_and(|v| v.kind == crate::json::JsonKind::Bool(true))
        });
        if is_unknown {
            return Some(Val::Unknown(format!("`{name}` is known only after apply")));
        }
        values.and_then(|v| v.get(name)).map(Val::from_json)
    };
    let scope_text = match value(scope_argument) {
        Some(Val::String(text)) => text,
        Some(Val::Unknown(why)) => format!("unknown: {why}"),
        _ => "not set".to_string(),
    };
    let enforcement = crate::terraform::policy::enforce(value("enforce"));
    assess::assess(Written {
        address,
        span: Span::new(file, member.span.clone()),
        scope,
        scope_text,
        target: match value("policy_definition_id") {
            Some(Val::String(id)) => Target::Id(id),
            _ => Target::Unresolved,
        },
        parameters: read::parameters(value("parameters").as_ref()),
        enforcement,
    })
}
