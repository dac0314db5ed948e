//! The rollout inputs read from planned values: known, unknown until apply, and absent.

use super::entries::collect;
use super::rollout::inputs;
use crate::model::{Data, Restrictions, RolloutInputs, Tags, Value};
use crate::source::Span;

/// The rollout inputs of every entry of a plan text.
fn read_all(text: &str) -> Vec<RolloutInputs> {
    let doc = crate::json::parse(text).unwrap();
    let collected = collect(&doc.root);
    collected
        .entries
        .iter()
        .map(|entry| inputs(3, entry, Span::new(3, entry.address_span.clone()), None))
        .collect()
}

fn change(resource_type: &str, after: &str, after_unknown: &str) -> String {
    format!(
        r#"{{"resource_changes": [{{"address": "{resource_type}.a", "mode": "managed", "type": "{resource_type}",
            "change": {{"actions": ["create"], "after": {after}, "after_unknown": {after_unknown}}}}}]}}"#
    )
}

fn data(value: &Option<Value>) -> Option<&Data> {
    value.as_ref().map(|value| &value.data)
}

fn string(text: &str) -> Data {
    Data::String(text.into())
}

fn unknown_reason(value: &Value) -> &str {
    match &value.data {
        Data::Unknown(reason) => reason,
        other => panic!("expected an unknown value: {other:?}"),
    }
}

const AFTER: &str = r#"{
    "public_network_access_enabled": false,
    "site_config": [{
        "ip_restriction_default_action": "Deny",
        "ip_restriction": [
            {"action": "Allow", "ip_address": null, "service_tag": "AzureFrontDoor.Backend", "virtual_network_subnet_id": null},
            {"action": "Allow", "ip_address": "10.0.0.0/8", "service_tag": null, "virtual_network_subnet_id": null}
        ]
    }],
    "tags": {"Environment": "prod", "owner": "x"}
}"#;

#[test]
fn planned_settings_and_tags_are_read_with_their_spans() {
    let text = change("azurerm_linux_web_app", AFTER, "{}");
    let read = &read_all(&text)[0];
    assert_eq!(data(&read.public_access), Some(&Data::Bool(false)));
    let public = read.public_access.as_ref().unwrap();
    assert_eq!(
        &text[public.span.range()],
        r#""public_network_access_enabled": false"#
    );
    assert_eq!(data(&read.default_action), Some(&string("Deny")));
    let Restrictions::Rules(rules) = &read.restrictions else {
        panic!("{:?}", read.restrictions)
    };
    assert_eq!(rules.len(), 2);
    assert_eq!(
        data(&rules[0].service_tag),
        Some(&string("AzureFrontDoor.Backend"))
    );
    assert_eq!(rules[0].ip_address, None);
    assert_eq!(data(&rules[1].ip_address), Some(&string("10.0.0.0/8")));
    assert!(
        text[rules[1].span.range()]
            .starts_with(r#"{"action": "Allow", "ip_address": "10.0.0.0/8""#)
    );
    let Tags::Entries(entries) = &read.tags else {
        panic!("{:?}", read.tags)
    };
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].0, "Environment");
    assert_eq!(entries[0].1.data, string("prod"));
}

#[test]
fn unknown_after_apply_values_are_unknown() {
    let text = change(
        "azurerm_windows_function_app_slot",
        r#"{"site_config": [{"ip_restriction": []}], "tags": {"env": "dev"}}"#,
        r#"{"public_network_access_enabled": true, "site_config": [{"ip_restriction": true}], "tags": {"env": true}}"#,
    );
    let read = &read_all(&text)[0];
    let public = read.public_access.as_ref().unwrap();
    assert_eq!(
        unknown_reason(public),
        "`public_network_access_enabled` is unknown until apply (after_unknown in the plan)"
    );
    let Restrictions::Unknown(rules) = &read.restrictions else {
        panic!("{:?}", read.restrictions)
    };
    assert_eq!(
        unknown_reason(rules),
        "`site_config[0].ip_restriction` is unknown until apply (after_unknown in the plan)"
    );
    assert_eq!(&text[rules.span.range()], r#""ip_restriction": []"#);
    let Tags::Entries(entries) = &read.tags else {
        panic!("{:?}", read.tags)
    };
    assert!(unknown_reason(&entries[0].1).starts_with("`tags.env` is unknown until apply"));
    // Not in the plan at all (an older provider): not written.
    assert_eq!(read.default_action, None);

    let whole = change("azurerm_linux_web_app", "{}", "true");
    let read = &read_all(&whole)[0];
    assert!(matches!(read.tags, Tags::Unknown(_)));
    assert!(matches!(read.restrictions, Restrictions::Unknown(_)));
}

#[test]
fn nothing_planned_is_absent() {
    let text = change(
        "azurerm_linux_web_app",
        r#"{"public_network_access_enabled": null, "site_config": [{"ip_restriction": [], "ip_restriction_default_action": null}], "tags": null}"#,
        "{}",
    );
    assert_eq!(read_all(&text)[0], RolloutInputs::default());
    let legacy = change(
        "azurerm_app_service",
        r#"{"site_config": [{"ip_restriction": [{"ip_address": "10.0.0.0/8"}]}]}"#,
        "{}",
    );
    let read = &read_all(&legacy)[0];
    assert_eq!(read.public_access, None);
    assert!(matches!(&read.restrictions, Restrictions::Rules(rules) if rules.len() == 1));
}

#[test]
fn planned_values_leave_out_unknowns_but_not_other_versions_settings() {
    let text = r#"{"planned_values": {"root_module": {"resources": [
        {"address": "azurerm_linux_web_app.a", "mode": "managed", "type": "azurerm_linux_web_app",
         "values": {"site_config": [{"ip_restriction": []}], "tags": {"stage": "prod"}}},
        {"address": "azurerm_logic_app_standard.l", "mode": "managed", "type": "azurerm_logic_app_standard",
         "values": {"public_network_access": "Disabled", "site_config": [{}]}},
        {"address": "azurerm_logic_app_standard.m", "mode": "managed", "type": "azurerm_logic_app_standard",
         "values": {"site_config": [{}]}}
    ]}}}"#;
    let read = read_all(text);
    let public = read[0].public_access.as_ref().unwrap();
    assert!(unknown_reason(public).contains("missing from the plan's planned_values"));
    assert!(matches!(
        read[0].default_action.as_ref().map(|v| &v.data),
        Some(Data::Unknown(_))
    ));
    assert_eq!(read[0].restrictions, Restrictions::Absent);
    assert!(matches!(&read[0].tags, Tags::Entries(e) if e[0].1.data == string("prod")));
    assert_eq!(data(&read[1].public_access), Some(&string("Disabled")));
    assert_eq!(read[2].public_access, None);
}
