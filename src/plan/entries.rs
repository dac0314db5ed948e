//! Finds the in-scope resource instances a plan will leave deployed, with their planned values.
//!
//! `resource_changes` is the source of truth: it says what happens to every instance
//! (`actions`) and tells unknown values from unset ones (`after_unknown`). Only when a plan has
//! no `resource_changes` at all is `planned_values.root_module` walked instead (its
//! `child_modules` recursively); there an unknown value is simply left out.

use std::ops::Range;

use crate::json::{Json, JsonKind};
use crate::limits::MAX_PLAN_MODULE_DEPTH;
use crate::terraform::RESOURCE_TYPES;

/// One resource instance of an in-scope type that exists after the plan is applied.
#[derive(Debug)]
pub struct PlanEntry<'a> {
    /// The instance's full address, e.g. `module.web["a"].azurerm_linux_web_app.this`.
    pub address: &'a str,
    /// The entry's `"address"` member, key through value.
    pub address_span: Range<usize>,
    pub resource_type: &'a str,
    /// The `name` label, when the plan states it.
    pub name: Option<&'a str>,
    pub values: PlannedValues<'a>,
}

/// Where an instance's planned attribute values are, and how unknowns are marked there.
#[derive(Debug)]
pub enum PlannedValues<'a> {
    /// `change.after`, with `change.after_unknown` marking values unknown until apply (`true`
    /// for the whole object or per attribute).
    Change {
        after: &'a Json,
        after_unknown: Option<&'a Json>,
        /// `change.before` when the change keeps the same Azure resource (an update or no-op,
        /// no `create`): its `id` is the existing resource's.
        before: Option<&'a Json>,
    },
    /// `planned_values` `values`, which omits unknown values (and is itself absent when every
    /// value is unknown).
    Planned { values: Option<&'a Json> },
}

/// What a plan holds for us, and the problems found on the way (span and message).
#[derive(Debug, Default)]
pub struct Collected<'a> {
    pub entries: Vec<PlanEntry<'a>>,
    pub problems: Vec<(Range<usize>, String)>,
}

/// Collects the deployed in-scope instances of a plan's root object.
pub fn collect(root: &Json) -> Collected<'_> {
    let mut collected = Collected::default();
    if let Some(changes) = root.get("resource_changes") {
        for change in changes.as_array().unwrap_or_default() {
            resource_change(change, &mut collected);
        }
    } else if let Some(module) = root
        .get("planned_values")
        .and_then(|planned| planned.get("root_module"))
    {
        planned_module(module, 0, &mut collected);
    }
    collected
}

/// The identity every entry shares: in scope, managed, with an address.
fn identify<'a>(object: &'a Json, collected: &mut Collected<'a>) -> Option<PlanEntryHead<'a>> {
    let resource_type = object.get("type").and_then(Json::as_str)?;
    if !RESOURCE_TYPES.contains(&resource_type) {
        return None;
    }
    // Data sources read a site; they do not deploy one.
    if object.get("mode").and_then(Json::as_str) == Some("data") {
        return None;
    }
    let Some(address) = object
        .member("address")
        .and_then(|member| Some((member.value.as_str()?, member.span.clone())))
    else {
        collected.problems.push((
            object.span.clone(),
            format!("a `{resource_type}` entry has no `address` string, so it cannot be named"),
        ));
        return None;
    };
    Some(PlanEntryHead {
        address,
        resource_type,
        name: object.get("name").and_then(Json::as_str),
    })
}

struct PlanEntryHead<'a> {
    address: (&'a str, Range<usize>),
    resource_type: &'a str,
    name: Option<&'a str>,
}

fn resource_change<'a>(object: &'a Json, collected: &mut Collected<'a>) {
    let Some(head) = identify(object, collected) else {
        return;
    };
    let change = object.get("change");
    let actions = change.and_then(|change| change.get("actions"));
    if !stays_deployed(actions) {
        return;
    }
    // `after` is null when the object is destroyed.
    let Some(after) = change
        .and_then(|change| change.get("after"))
        .filter(|after| after.is_object())
    else {
        return;
    };
    collected.entries.push(PlanEntry {
        address: head.address.0,
        address_span: head.address.1,
        resource_type: head.resource_type,
        name: head.name,
        values: PlannedValues::Change {
            after,
            after_unknown: change.and_then(|change| change.get("after_unknown")),
            before: change
                .and_then(|change| change.get("before"))
                .filter(|before| before.is_object() && !creates(actions)),
        },
    });
}

/// Whether the instance exists after apply: `create`, `update`, `no-op` and both replace
/// orders do; `delete`, `forget` (removed from state, no longer managed here) and `read` do not.
/// A change without `actions` is judged on its `after`.
pub(super) fn stays_deployed(actions: Option<&Json>) -> bool {
    let Some(actions) = actions.and_then(Json::as_array) else {
        return true;
    };
    actions.iter().any(|action| {
        matches!(
            action.as_str(),
            Some("create") | Some("update") | Some("no-op")
        )
    })
}

/// Whether the change creates the instance (alone or as part of a replacement): a new
/// resource, whose id the old one's does not give.
fn creates(actions: Option<&Json>) -> bool {
    actions
        .and_then(Json::as_array)
        .unwrap_or_default()
        .iter()
        .any(|action| action.as_str() == Some("create"))
}

fn planned_module<'a>(module: &'a Json, depth: usize, collected: &mut Collected<'a>) {
    for resource in module
        .get("resources")
        .and_then(Json::as_array)
        .unwrap_or_default()
    {
        let Some(head) = identify(resource, collected) else {
            continue;
        };
        collected.entries.push(PlanEntry {
            address: head.address.0,
            address_span: head.address.1,
            resource_type: head.resource_type,
            name: head.name,
            values: PlannedValues::Planned {
                values: resource
                    .get("values")
                    .filter(|values| !matches!(values.kind, JsonKind::Null)),
            },
        });
    }
    let Some(children) = module.member("child_modules") else {
        return;
    };
    if depth >= MAX_PLAN_MODULE_DEPTH {
        collected.problems.push((
            children.span.clone(),
            format!("`planned_values` modules nest deeper than {MAX_PLAN_MODULE_DEPTH} levels"),
        ));
        return;
    }
    for child in children.value.as_array().unwrap_or_default() {
        planned_module(child, depth + 1, collected);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addresses(text: &str) -> Vec<String> {
        let doc = crate::json::parse(text).unwrap();
        collect(&doc.root)
            .entries
            .iter()
            .map(|entry| entry.address.to_string())
            .collect()
    }

    fn change(address: &str, actions: &str, after: &str) -> String {
        format!(
            r#"{{"address": "{address}", "mode": "managed", "type": "azurerm_linux_web_app", "name": "a",
                "change": {{"actions": {actions}, "before": null, "after": {after}}}}}"#
        )
    }

    #[test]
    fn deleted_forgotten_and_destroyed_instances_are_skipped() {
        let plan = format!(
            r#"{{"format_version": "1.2", "resource_changes": [{}, {}, {}, {}, {}, {}, {}]}}"#,
            change("azurerm_linux_web_app.create", r#"["create"]"#, "{}"),
            change("azurerm_linux_web_app.noop", r#"["no-op"]"#, "{}"),
            change(
                "azurerm_linux_web_app.replace",
                r#"["delete", "create"]"#,
                "{}"
            ),
            change("azurerm_linux_web_app.delete", r#"["delete"]"#, "null"),
            change("azurerm_linux_web_app.forget", r#"["forget"]"#, "null"),
            change("azurerm_linux_web_app.odd", r#"["update"]"#, "null"),
            change("azurerm_linux_web_app.update", r#"["update"]"#, "{}"),
        );
        assert_eq!(
            addresses(&plan),
            [
                "azurerm_linux_web_app.create",
                "azurerm_linux_web_app.noop",
                "azurerm_linux_web_app.replace",
                "azurerm_linux_web_app.update"
            ]
        );
    }

    #[test]
    fn data_sources_and_other_types_are_skipped() {
        let plan = r#"{"format_version": "1.2", "resource_changes": [
            {"address": "data.azurerm_linux_web_app.x", "mode": "data", "type": "azurerm_linux_web_app",
             "change": {"actions": ["read"], "after": {}}},
            {"address": "azurerm_service_plan.p", "mode": "managed", "type": "azurerm_service_plan",
             "change": {"actions": ["create"], "after": {}}}
        ]}"#;
        assert!(addresses(plan).is_empty());
    }

    #[test]
    fn an_entry_without_address_is_a_problem() {
        let doc = crate::json::parse(
            r#"{"resource_changes": [{"type": "azurerm_linux_web_app", "change": {"after": {}}}]}"#,
        )
        .unwrap();
        let collected = collect(&doc.root);
        assert!(collected.entries.is_empty());
        assert_eq!(collected.problems.len(), 1);
        assert!(collected.problems[0].1.contains("no `address`"));
    }

    #[test]
    fn planned_values_are_walked_only_without_resource_changes() {
        let resource = |address: &str| {
            format!(
                r#"{{"address": "{address}", "mode": "managed", "type": "azurerm_linux_web_app", "values": {{}}}}"#
            )
        };
        let planned = format!(
            r#"{{"root_module": {{"resources": [{}], "child_modules": [
                {{"address": "module.a", "resources": [{}], "child_modules": [
                    {{"address": "module.a.module.b", "resources": [{}]}}]}}]}}}}"#,
            resource("azurerm_linux_web_app.root"),
            resource("module.a.azurerm_linux_web_app.x"),
            resource("module.a.module.b.azurerm_linux_web_app.y"),
        );
        let only_planned = format!(r#"{{"format_version": "1.0", "planned_values": {planned}}}"#);
        assert_eq!(
            addresses(&only_planned),
            [
                "azurerm_linux_web_app.root",
                "module.a.azurerm_linux_web_app.x",
                "module.a.module.b.azurerm_linux_web_app.y"
            ]
        );
        let both = format!(
            r#"{{"format_version": "1.0", "planned_values": {planned}, "resource_changes": []}}"#
        );
        assert!(addresses(&both).is_empty());
    }

    #[test]
    fn module_nesting_is_bounded() {
        let mut module = String::from(r#"{"resources": []}"#);
        for _ in 0..=MAX_PLAN_MODULE_DEPTH {
            module = format!(r#"{{"child_modules": [{module}]}}"#);
        }
        let text = format!(r#"{{"planned_values": {{"root_module": {module}}}}}"#);
        let doc = crate::json::parse(&text).unwrap();
        let collected = collect(&doc.root);
        assert_eq!(collected.problems.len(), 1);
        assert!(collected.problems[0].1.contains("nest deeper"));
    }
}
