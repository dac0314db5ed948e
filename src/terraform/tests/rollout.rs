//! The rollout inputs (public access, access restrictions, environment tags) the azurerm site
//! types fill, as written and as the evaluator resolves them.

use super::{Scanned, scan_tree};
use crate::error::Level;
use crate::model::{AccessRule, Data, Restrictions, RolloutInputs, Tags, Value};
use crate::terraform::Inputs;

pub(super) fn scan(files: &[(&str, &str)]) -> Scanned {
    let scanned = scan_tree(files, Inputs::default());
    assert!(
        scanned.messages(Level::Error).is_empty(),
        "{:?}",
        scanned.scan.errors
    );
    scanned
}

pub(super) fn inputs<'s>(scanned: &'s Scanned, address: &str) -> &'s RolloutInputs {
    let found = scanned.find(address);
    assert_eq!(found.len(), 1, "{address}: {:?}", scanned.scan.resources);
    &found[0].rollout
}

pub(super) fn data(value: &Option<Value>) -> Option<&Data> {
    value.as_ref().map(|value| &value.data)
}

pub(super) fn string(text: &str) -> Data {
    Data::String(text.into())
}

/// Each rule as (action, ip_address, service_tag, subnet) data.
pub(super) fn rules(restrictions: &Restrictions) -> Vec<[Option<&Data>; 4]> {
    let Restrictions::Rules(rules) = restrictions else {
        panic!("expected rules: {restrictions:?}");
    };
    rules
        .iter()
        .map(|r: &AccessRule| {
            [
                data(&r.action),
                data(&r.ip_address),
                data(&r.service_tag),
                data(&r.subnet),
            ]
        })
        .collect()
}

pub(super) fn tag_entries(tags: &Tags) -> Vec<(&str, &Data)> {
    let Tags::Entries(entries) = tags else {
        panic!("expected tag entries: {tags:?}");
    };
    entries
        .iter()
        .map(|(key, value)| (key.as_str(), &value.data))
        .collect()
}

pub(super) fn unknown_reason(value: &Value) -> &str {
    match &value.data {
        Data::Unknown(reason) => reason,
        other => panic!("expected an unknown value: {other:?}"),
    }
}

const LITERAL: &str = r#"resource "azurerm_linux_web_app" "api" {
  public_network_access_enabled = false
  site_config {
    ip_restriction_default_action = "Deny"
    ip_restriction {
      action     = "Allow"
      service_tag = "AzureFrontDoor.Backend"
    }
    ip_restriction {
      ip_address = "10.0.0.0/8"
      headers {
        x_azure_fdid = ["x"]
      }
    }
    scm_ip_restriction {
      ip_address = "0.0.0.0/0"
    }
  }
  tags = {
    Environment = "prod"
    owner       = "team-a"
    STAGE       = "blue"
  }
}
"#;

#[test]
fn literal_settings_and_tags_are_read_with_their_spans() {
    let scanned = scan(&[("main.tf", LITERAL)]);
    let rollout = inputs(&scanned, "azurerm_linux_web_app.api");
    assert_eq!(data(&rollout.public_access), Some(&Data::Bool(false)));
    let public = rollout.public_access.as_ref().unwrap();
    assert_eq!(
        scanned.text_of(public.span),
        "public_network_access_enabled = false"
    );
    assert_eq!(data(&rollout.default_action), Some(&string("Deny")));
    let allow = string("Allow");
    let front_door = string("AzureFrontDoor.Backend");
    let private = string("10.0.0.0/8");
    assert_eq!(
        rules(&rollout.restrictions),
        [
            [Some(&allow), None, Some(&front_door), None],
            [None, Some(&private), None, None],
        ],
        "the SCM site's rules are not the site's"
    );
    let Restrictions::Rules(written) = &rollout.restrictions else {
        unreachable!()
    };
    assert!(
        scanned
            .text_of(written[0].span)
            .starts_with("ip_restriction {")
    );
    // Keys keep their case; only the environment-naming ones are kept.
    assert_eq!(
        tag_entries(&rollout.tags),
        [("Environment", &string("prod")), ("STAGE", &string("blue"))]
    );
}

#[test]
fn nothing_written_is_absent() {
    let scanned = scan(&[(
        "main.tf",
        "resource \"azurerm_windows_function_app\" \"f\" {\n  site_config {}\n  tags = { owner = \"x\" }\n}\n",
    )]);
    let rollout = inputs(&scanned, "azurerm_windows_function_app.f");
    assert_eq!(rollout, &RolloutInputs::default());
    let scanned = scan(&[(
        "main.tf",
        "resource \"azurerm_linux_web_app_slot\" \"s\" {\n  public_network_access_enabled = null\n}\n",
    )]);
    assert_eq!(
        inputs(&scanned, "azurerm_linux_web_app_slot.s"),
        &RolloutInputs::default()
    );
}

#[test]
fn variables_resolve_with_their_origin() {
    let main = r#"variable "public" {
  default = "false"
}
variable "tags" {
  type = map(string)
  default = { env = "prd", app = "api" }
}
variable "action" {
  default = "Deny"
}
resource "azurerm_linux_web_app" "api" {
  public_network_access_enabled = var.public
  site_config {
    ip_restriction_default_action = var.action
  }
  tags = var.tags
}
"#;
    let scanned = scan(&[("main.tf", main)]);
    let rollout = inputs(&scanned, "azurerm_linux_web_app.api");
    // Terraform converts the string to the bool attribute's type.
    assert_eq!(data(&rollout.public_access), Some(&Data::Bool(false)));
    let action = rollout.default_action.as_ref().unwrap();
    assert_eq!(action.data, string("Deny"));
    assert_eq!(
        scanned.text_of(action.origin[0].span),
        "default = \"Deny\"",
        "{:?}",
        action.origin
    );
    assert_eq!(tag_entries(&rollout.tags), [("env", &string("prd"))]);
    let Tags::Entries(entries) = &rollout.tags else {
        unreachable!()
    };
    assert!(
        !entries[0].1.origin.is_empty(),
        "the tag's value comes from the variable"
    );
    assert_eq!(scanned.text_of(entries[0].1.span), "tags = var.tags");
}

#[test]
fn merged_tags_of_known_objects_are_merged() {
    let main = r#"locals {
  common = { Environment = "staging", owner = "x" }
}
resource "azurerm_linux_web_app" "api" {
  tags = merge(local.common, { env = "live" }, { environment = "prod" })
}
"#;
    let scanned = scan(&[("main.tf", main)]);
    let rollout = inputs(&scanned, "azurerm_linux_web_app.api");
    assert_eq!(
        tag_entries(&rollout.tags),
        [
            ("Environment", &string("staging")),
            ("env", &string("live")),
            ("environment", &string("prod")),
        ]
    );
}

#[test]
fn unresolved_tags_are_unknown_with_the_reason() {
    let main = r#"variable "tags" {
  type = map(string)
}
resource "azurerm_linux_web_app" "a" {
  tags = var.tags
}
resource "azurerm_linux_web_app" "b" {
  tags = merge(var.tags, { env = "dev" })
}
resource "azurerm_linux_web_app" "c" {
  tags = "prod"
}
"#;
    let scanned = scan(&[("main.tf", main)]);
    for address in ["azurerm_linux_web_app.a", "azurerm_linux_web_app.b"] {
        let Tags::Unknown(value) = &inputs(&scanned, address).tags else {
            panic!("{address}: {:?}", inputs(&scanned, address).tags);
        };
        assert!(unknown_reason(value).contains("`tags`"), "{value:?}");
    }
    let Tags::Unknown(value) = &inputs(&scanned, "azurerm_linux_web_app.c").tags else {
        panic!()
    };
    assert_eq!(unknown_reason(value), "`tags` is a string, not a map");
}

#[test]
fn logic_apps_and_legacy_sites_write_theirs_their_own_way() {
    let main = r#"resource "azurerm_logic_app_standard" "v4" {
  public_network_access = "Disabled"
}
resource "azurerm_logic_app_standard" "v3" {
  site_config {
    public_network_access_enabled = false
  }
}
resource "azurerm_app_service" "legacy" {
  site_config {
    ip_restriction = [{ service_tag = "AzureFrontDoor.Backend", action = "Allow" }]
  }
}
"#;
    let scanned = scan(&[("main.tf", main)]);
    let v4 = inputs(&scanned, "azurerm_logic_app_standard.v4");
    assert_eq!(data(&v4.public_access), Some(&string("Disabled")));
    let v3 = inputs(&scanned, "azurerm_logic_app_standard.v3");
    assert_eq!(data(&v3.public_access), Some(&Data::Bool(false)));
    let legacy = inputs(&scanned, "azurerm_app_service.legacy");
    let (allow, front_door) = (string("Allow"), string("AzureFrontDoor.Backend"));
    assert_eq!(
        rules(&legacy.restrictions),
        [[Some(&allow), None, Some(&front_door), None]]
    );
}

#[test]
fn instances_read_their_own_values() {
    let main = r#"resource "azurerm_linux_web_app" "api" {
  for_each = { prod = false, dev = true }
  public_network_access_enabled = each.value
  tags = { environment = each.key }
}
"#;
    let scanned = scan(&[("main.tf", main)]);
    let found = scanned.find("azurerm_linux_web_app.api");
    type Read<'r> = (Option<&'r Data>, Vec<(&'r str, &'r Data)>);
    let read: Vec<Read> = found
        .iter()
        .map(|r| (data(&r.rollout.public_access), tag_entries(&r.rollout.tags)))
        .collect();
    let (prod, dev) = (string("prod"), string("dev"));
    assert_eq!(
        read,
        [
            (Some(&Data::Bool(true)), vec![("environment", &dev)]),
            (Some(&Data::Bool(false)), vec![("environment", &prod)]),
        ]
    );
}

#[test]
fn instances_unknown_for_different_reasons_still_collapse() {
    let main = r#"variable "a" {
  type = bool
}
variable "b" {
  type = bool
}
resource "azurerm_linux_web_app" "api" {
  for_each = { one = var.a, two = var.b }
  public_network_access_enabled = each.value
}
"#;
    let scanned = scan(&[("main.tf", main)]);
    let found = scanned.find("azurerm_linux_web_app.api");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].instance, None);
    assert!(matches!(
        data(&found[0].rollout.public_access),
        Some(Data::Unknown(_))
    ));
}
