//! What names one planned azurerm site or slot in Azure ([`SiteIdentity`]): the planned `name`
//! and `resource_group_name` (a legacy slot's `app_service_name` / `function_app_name`), a
//! slot's site from its planned `app_service_id`, and the resource `id` when the plan knows it:
//! planned, or, for an update or no-op, the existing resource's (`change.before.id`), the
//! strongest match drift has.

use crate::json::Json;
use crate::model::{Data, Origin, SiteIdentity, Value};
use crate::source::{FileId, Span};
use crate::terraform::identity::under_site;
use crate::terraform::resource_id::parse;

use super::entries::{PlanEntry, PlannedValues};
use super::lower::attribute;

/// The identity of `entry`; `declared` (where the configuration declares the resource) ends
/// every value's origin, as for the certificate attributes.
pub fn identity(
    file: FileId,
    entry: &PlanEntry,
    header: Span,
    declared: Option<&Origin>,
) -> SiteIdentity {
    let value = |name: &str| {
        let mut value = attribute(file, entry, name, header)?;
        value.origin.extend(declared.cloned());
        Some(value)
    };
    let name = value("name");
    let planned_id = value("id");
    let id = match planned_id {
        Some(id) if matches!(id.data, Data::String(_)) => Some(id),
        planned => existing_id(file, entry, declared).or(planned),
    };
    let subscription = id.as_ref().and_then(subscription_of);
    let legacy_parent = match entry.resource_type {
        "azurerm_app_service_slot" => Some("app_service_name"),
        "azurerm_function_app_slot" => Some("function_app_name"),
        _ => None,
    };
    if let Some(parent) = legacy_parent {
        return SiteIdentity {
            id,
            name,
            parent: value(parent),
            resource_group: value("resource_group_name"),
            subscription,
        };
    }
    // Every slot type of the azurerm table ends in `_slot`.
    let slot_id = match entry.resource_type.ends_with("_slot") {
        true => value("app_service_id"),
        false => None,
    };
    let Some(site_id) = slot_id else {
        return SiteIdentity {
            id,
            name,
            parent: None,
            resource_group: value("resource_group_name"),
            subscription,
        };
    };
    // A modern slot: the site, group and subscription are its site's id's.
    let mut slot = under_site(&site_id, name);
    if let Some(id) = id.filter(|id| matches!(id.data, Data::String(_)) || slot.id.is_none()) {
        slot.id = Some(id);
    }
    slot
}

/// `change.before.id` of an update or no-op: the id of the resource the plan keeps.
fn existing_id(file: FileId, entry: &PlanEntry, declared: Option<&Origin>) -> Option<Value> {
    let PlannedValues::Change {
        before: Some(before),
        ..
    } = entry.values
    else {
        return None;
    };
    let member = before.member("id")?;
    let text = Json::as_str(&member.value)?;
    let mut value = Value::literal(
        Data::String(text.to_string()),
        Span::new(file, member.span.clone()),
    );
    value.origin.extend(declared.cloned());
    Some(value)
}

/// The subscription a known site or slot id names.
fn subscription_of(id: &Value) -> Option<Value> {
    let Data::String(text) = &id.data else {
        return None;
    };
    let parsed = parse(text).filter(|parsed| parsed.site.is_some())?;
    Some(Value {
        data: Data::String(parsed.subscription.to_string()),
        span: id.span,
        origin: id.origin.clone(),
    })
}
