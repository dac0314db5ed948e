//! The rollout fixtures of the Terraform family (`fixtures/{terraform,azapi,plan,terragrunt}/
//! rollout_*`), scanned whole: their snapshots show the facts decided from these inputs, and
//! these tests pin the inputs themselves.

use crate::model::{Data, Resource, Restrictions, RolloutInputs, Tags, Value};

/// The judged resources of one fixture folder ([`crate::harness::judged_fixture`]).
fn fixture(name: &str) -> Vec<Resource> {
    crate::harness::judged_fixture(name)
}

fn only(path: &str) -> RolloutInputs {
    let mut resources = fixture(path);
    assert_eq!(resources.len(), 1, "{path}");
    resources.remove(0).rollout
}

fn data(value: &Option<Value>) -> Option<&Data> {
    value.as_ref().map(|value| &value.data)
}

fn string(text: &str) -> Data {
    Data::String(text.into())
}

/// The tags as (key, data) pairs.
fn tags(tags: &Tags) -> Vec<(String, Data)> {
    match tags {
        Tags::Entries(entries) => entries
            .iter()
            .map(|(key, value)| (key.clone(), value.data.clone()))
            .collect(),
        other => panic!("expected tag entries: {other:?}"),
    }
}

/// Each rule's service tag, else its address.
fn sources(restrictions: &Restrictions) -> Vec<Option<&Data>> {
    let Restrictions::Rules(rules) = restrictions else {
        panic!("expected rules: {restrictions:?}");
    };
    rules
        .iter()
        .map(|r| data(&r.service_tag).or(data(&r.ip_address)))
        .collect()
}

#[test]
fn terraform_public_access_disabled() {
    let read = only("terraform/rollout_public_access_disabled");
    assert_eq!(data(&read.public_access), Some(&Data::Bool(false)));
}

#[test]
fn terraform_restrictions_deny_by_default() {
    let read = only("terraform/rollout_restrictions_deny_default");
    assert_eq!(data(&read.default_action), Some(&string("Deny")));
    let (front_door, office) = (string("AzureFrontDoor.Backend"), string("203.0.113.0/24"));
    assert_eq!(
        sources(&read.restrictions),
        [Some(&front_door), Some(&office)]
    );
}

#[test]
fn terraform_dynamic_restrictions_over_an_unset_variable_are_unknown() {
    let read = only("terraform/rollout_dynamic_restrictions_unknown");
    assert!(
        matches!(read.restrictions, Restrictions::Unknown(_)),
        "{:?}",
        read.restrictions
    );
}

#[test]
fn terraform_tags_from_a_variable_and_from_merge() {
    let read = only("terraform/rollout_tags_variable");
    assert_eq!(
        tags(&read.tags),
        [("Environment".to_string(), string("production"))]
    );
    let read = only("terraform/rollout_tags_merge");
    assert_eq!(
        tags(&read.tags),
        [
            ("env".to_string(), string("dev")),
            ("stage".to_string(), string("test"))
        ]
    );
}

#[test]
fn terraform_instances_of_two_environments_stay_apart() {
    let resources = fixture("terraform/rollout_instances_by_environment");
    type Read<'r> = (Option<&'r str>, Vec<(String, Data)>);
    let read: Vec<Read> = resources
        .iter()
        .map(|r| (r.instance.as_deref(), tags(&r.rollout.tags)))
        .collect();
    assert_eq!(
        read,
        [
            (
                Some("azurerm_linux_web_app.api[\"dev\"]"),
                vec![("environment".to_string(), string("dev"))]
            ),
            (
                Some("azurerm_linux_web_app.api[\"prod\"]"),
                vec![("environment".to_string(), string("prod"))]
            ),
        ]
    );
}

#[test]
fn azapi_body_settings_and_tags() {
    let read = only("azapi/rollout_body_settings");
    assert_eq!(data(&read.public_access), Some(&string("Enabled")));
    assert_eq!(data(&read.default_action), Some(&string("Deny")));
    let front_door = string("AzureFrontDoor.Backend");
    assert_eq!(sources(&read.restrictions), [Some(&front_door)]);
    assert_eq!(
        tags(&read.tags),
        [("environment".to_string(), string("prod"))]
    );
}

#[test]
fn azapi_update_turns_public_access_off() {
    let read = only("azapi/rollout_update_public_access");
    assert_eq!(data(&read.public_access), Some(&string("Disabled")));
}

#[test]
fn plan_planned_settings() {
    let read = only("plan/rollout_planned_settings");
    assert_eq!(data(&read.public_access), Some(&Data::Bool(true)));
    assert_eq!(data(&read.default_action), Some(&string("Deny")));
    let front_door = string("AzureFrontDoor.Backend");
    assert_eq!(sources(&read.restrictions), [Some(&front_door)]);
    assert_eq!(
        tags(&read.tags),
        [("Environment".to_string(), string("prod"))]
    );
}

#[test]
fn plan_unknown_after_apply() {
    let read = only("plan/rollout_unknown_after_apply");
    assert!(matches!(data(&read.public_access), Some(Data::Unknown(_))));
    assert_eq!(data(&read.default_action), Some(&string("Deny")));
    assert!(matches!(read.restrictions, Restrictions::Unknown(_)));
    assert_eq!(tags(&read.tags), [("env".to_string(), string("dev"))]);
}

#[test]
fn terragrunt_inputs_reach_tags_and_public_access() {
    let read = only("terragrunt/rollout_inputs_tags_public_access");
    assert_eq!(data(&read.public_access), Some(&Data::Bool(false)));
    let entries = tags(&read.tags);
    assert_eq!(entries, [("Environment".to_string(), string("prod"))]);
    let Tags::Entries(written) = &read.tags else {
        unreachable!()
    };
    assert!(
        written[0].1.origin.iter().any(|o| o.note.contains("input")),
        "the value comes from the Terragrunt inputs: {:?}",
        written[0].1.origin
    );
}
