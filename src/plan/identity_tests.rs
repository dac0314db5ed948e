//! The identity read from planned values: a created site (id unknown until apply), an updated
//! one (the existing resource's id), `planned_values` only, slots through `app_service_id`,
//! legacy slots, and what is missing.

use super::scan_text;
use crate::model::{Data, SiteIdentity, Value};

const SUB: &str = "00000000-0000-0000-0000-000000000002";

fn site_id(rg: &str, name: &str) -> String {
    format!("/subscriptions/{SUB}/resourceGroups/{rg}/providers/Microsoft.Web/sites/{name}")
}

fn change(resource_type: &str, actions: &str, before: &str, after: &str, unknown: &str) -> String {
    format!(
        r#"{{"format_version": "1.2", "resource_changes": [{{"address": "{resource_type}.a",
            "mode": "managed", "type": "{resource_type}", "name": "a",
            "change": {{"actions": {actions}, "before": {before}, "after": {after},
            "after_unknown": {unknown}}}}}]}}"#
    )
}

fn only(text: &str) -> (SiteIdentity, String) {
    let scan = scan_text(text);
    assert!(scan.errors.is_empty(), "{:?}", scan.errors);
    assert_eq!(scan.resources.len(), 1);
    (scan.resources[0].identity.clone(), text.to_string())
}

fn data(value: &Option<Value>) -> Option<&Data> {
    value.as_ref().map(|value| &value.data)
}

fn string(text: &str) -> Data {
    Data::String(text.into())
}

#[test]
fn created_site_has_its_planned_names_and_an_id_unknown_until_apply() {
    let text = change(
        "azurerm_linux_web_app",
        r#"["create"]"#,
        "null",
        r#"{"name": "app-new", "resource_group_name": "rg-new"}"#,
        r#"{"id": true}"#,
    );
    let (read, text) = only(&text);
    assert_eq!(data(&read.name), Some(&string("app-new")));
    assert_eq!(data(&read.resource_group), Some(&string("rg-new")));
    let name = read.name.as_ref().unwrap();
    assert_eq!(&text[name.span.range()], r#""name": "app-new""#);
    match data(&read.id) {
        Some(Data::Unknown(reason)) => assert!(reason.contains("unknown until apply"), "{reason}"),
        other => panic!("expected an unknown id: {other:?}"),
    }
    assert_eq!(read.subscription, None);
}

#[test]
fn updated_site_takes_the_existing_resources_id_and_its_subscription() {
    let id = site_id("rg-live", "app-live");
    let before = format!(r#"{{"id": "{id}", "name": "app-live"}}"#);
    let after = r#"{"name": "app-live", "resource_group_name": "rg-live"}"#;
    let text = change(
        "azurerm_windows_web_app",
        r#"["update"]"#,
        &before,
        after,
        r#"{"id": true}"#,
    );
    let (read, text) = only(&text);
    assert_eq!(data(&read.id), Some(&string(&id)));
    assert_eq!(data(&read.subscription), Some(&string(SUB)));
    let shown = read.id.as_ref().unwrap();
    assert_eq!(&text[shown.span.range()], format!(r#""id": "{id}""#));
}

#[test]
fn a_replaced_site_does_not_take_the_old_resources_id() {
    let before = format!(r#"{{"id": "{}"}}"#, site_id("rg", "app-old"));
    let text = change(
        "azurerm_linux_web_app",
        r#"["delete", "create"]"#,
        &before,
        r#"{"name": "app-renamed", "resource_group_name": "rg"}"#,
        r#"{"id": true}"#,
    );
    let (read, _) = only(&text);
    assert!(
        matches!(data(&read.id), Some(Data::Unknown(_))),
        "{:?}",
        read.id
    );
    assert_eq!(read.subscription, None);
}

#[test]
fn planned_id_in_after_wins() {
    let id = site_id("rg-known", "func-known");
    let after =
        format!(r#"{{"id": "{id}", "name": "func-known", "resource_group_name": "rg-known"}}"#);
    let text = change(
        "azurerm_linux_function_app",
        r#"["update"]"#,
        "{}",
        &after,
        "{}",
    );
    let (read, _) = only(&text);
    assert_eq!(data(&read.id), Some(&string(&id)));
}

#[test]
fn planned_values_only_reads_name_group_and_id() {
    let id = site_id("rg-pv", "app-pv");
    let text = format!(
        r#"{{"format_version": "1.2", "planned_values": {{"root_module": {{"resources": [
            {{"address": "azurerm_linux_web_app.a", "mode": "managed", "type": "azurerm_linux_web_app",
              "name": "a", "values": {{"id": "{id}", "name": "app-pv", "resource_group_name": "rg-pv"}}}}
        ]}}}}}}"#
    );
    let (read, _) = only(&text);
    assert_eq!(data(&read.name), Some(&string("app-pv")));
    assert_eq!(data(&read.resource_group), Some(&string("rg-pv")));
    assert_eq!(data(&read.id), Some(&string(&id)));
    assert_eq!(read.parent, None);
}

#[test]
fn slot_splits_its_planned_app_service_id() {
    let site = site_id("rg-slot", "app-slot");
    let after = format!(r#"{{"name": "staging", "app_service_id": "{site}"}}"#);
    let text = change(
        "azurerm_linux_web_app_slot",
        r#"["create"]"#,
        "null",
        &after,
        r#"{"id": true}"#,
    );
    let (read, _) = only(&text);
    assert_eq!(data(&read.name), Some(&string("staging")));
    assert_eq!(data(&read.parent), Some(&string("app-slot")));
    assert_eq!(data(&read.resource_group), Some(&string("rg-slot")));
    assert_eq!(data(&read.subscription), Some(&string(SUB)));
    // The slot's own id follows from its site's.
    assert_eq!(
        data(&read.id),
        Some(&string(&format!("{site}/slots/staging")))
    );
}

#[test]
fn slot_of_a_site_created_in_the_same_plan_is_unknown() {
    let text = change(
        "azurerm_windows_function_app_slot",
        r#"["create"]"#,
        "null",
        r#"{"name": "staging"}"#,
        r#"{"id": true, "app_service_id": true}"#,
    );
    let (read, _) = only(&text);
    for part in [&read.parent, &read.resource_group, &read.subscription] {
        match data(part) {
            Some(Data::Unknown(reason)) => {
                assert!(
                    reason.contains("`app_service_id` is unknown until apply"),
                    "{reason}"
                )
            }
            other => panic!("expected unknown: {other:?}"),
        }
    }
    assert!(
        matches!(data(&read.id), Some(Data::Unknown(_))),
        "{:?}",
        read.id
    );
}

#[test]
fn legacy_slot_names_its_site_and_group() {
    let text = change(
        "azurerm_app_service_slot",
        r#"["create"]"#,
        "null",
        r#"{"name": "staging", "app_service_name": "app-legacy", "resource_group_name": "rg-legacy"}"#,
        "{}",
    );
    let (read, _) = only(&text);
    assert_eq!(data(&read.parent), Some(&string("app-legacy")));
    assert_eq!(data(&read.resource_group), Some(&string("rg-legacy")));
}

#[test]
fn missing_names_are_none() {
    let text = change("azurerm_linux_web_app", r#"["create"]"#, "null", "{}", "{}");
    let (read, _) = only(&text);
    assert_eq!(read, SiteIdentity::default());
}
