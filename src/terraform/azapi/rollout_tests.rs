//! The rollout inputs AzAPI sites and slots fill from their bodies (ARM shape), their `tags`,
//! and what an `azapi_update_resource` changes.

use crate::error::Level;
use crate::model::{Data, Restrictions, RolloutInputs, Tags, Value};
use crate::terraform::Inputs;
use crate::terraform::tests::{Scanned, data, scan_tree};

fn scan(text: &str) -> Scanned {
    let scanned = scan_tree(&[("main.tf", text)], Inputs::default());
    assert!(
        scanned.messages(Level::Error).is_empty(),
        "{:?}",
        scanned.scan.errors
    );
    scanned
}

fn rollout<'s>(scanned: &'s Scanned, address: &str) -> &'s RolloutInputs {
    let found = scanned.find(address);
    assert_eq!(found.len(), 1, "{:?}", scanned.scan.errors);
    &found[0].rollout
}

fn string(text: &str) -> Data {
    Data::String(text.into())
}

/// Each rule as (action, ip_address, service_tag, subnet) data.
fn rules(restrictions: &Restrictions) -> Vec<[Option<&Data>; 4]> {
    let Restrictions::Rules(rules) = restrictions else {
        panic!("expected rules: {restrictions:?}");
    };
    rules
        .iter()
        .map(|r| {
            [
                data(&r.action),
                data(&r.ip_address),
                data(&r.service_tag),
                data(&r.subnet),
            ]
        })
        .collect()
}

fn unknown_reason(value: &Value) -> &str {
    match &value.data {
        Data::Unknown(reason) => reason,
        other => panic!("expected an unknown value: {other:?}"),
    }
}

const SITE: &str = r#"variable "env" {
  default = "prod"
}
resource "azapi_resource" "web" {
  type = "Microsoft.Web/sites@2024-04-01"
  name = "web"
  tags = { Environment = var.env, owner = "x" }
  body = {
    properties = {
      publicNetworkAccess = "Disabled"
      siteConfig = {
        ipSecurityRestrictionsDefaultAction = "Deny"
        ipSecurityRestrictions = [
          { action = "Allow", ipAddress = "AzureFrontDoor.Backend", tag = "ServiceTag" },
          { ipAddress = "10.0.0.0/8" },
          { action = "Allow", vnetSubnetResourceId = "/subscriptions/x/subnets/a" },
        ]
      }
    }
  }
}
"#;

#[test]
fn body_settings_and_the_tags_argument_are_read() {
    let scanned = scan(SITE);
    let read = rollout(&scanned, "azapi_resource.web");
    assert_eq!(data(&read.public_access), Some(&string("Disabled")));
    assert_eq!(
        scanned.text_of(read.public_access.as_ref().unwrap().span),
        "publicNetworkAccess = \"Disabled\""
    );
    assert_eq!(data(&read.default_action), Some(&string("Deny")));
    let (allow, front_door, private, subnet) = (
        string("Allow"),
        string("AzureFrontDoor.Backend"),
        string("10.0.0.0/8"),
        string("/subscriptions/x/subnets/a"),
    );
    assert_eq!(
        rules(&read.restrictions),
        [
            // A `ServiceTag` entry's address is the service tag.
            [Some(&allow), None, Some(&front_door), None],
            [None, Some(&private), None, None],
            [Some(&allow), None, None, Some(&subnet)],
        ]
    );
    let Tags::Entries(entries) = &read.tags else {
        panic!("{:?}", read.tags)
    };
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].0, "Environment");
    assert_eq!(entries[0].1.data, string("prod"));
}

#[test]
fn a_body_without_the_settings_reads_nothing_and_body_tags_count() {
    let text = r#"resource "azapi_resource" "web" {
  type = "Microsoft.Web/sites/slots@2024-04-01"
  name = "staging"
  body = jsonencode({
    tags = { stage = "staging" }
    properties = { httpsOnly = true }
  })
}
"#;
    let scanned = scan(text);
    let read = rollout(&scanned, "azapi_resource.web");
    assert_eq!(read.public_access, None);
    assert_eq!(read.default_action, None);
    assert_eq!(read.restrictions, Restrictions::Absent);
    let Tags::Entries(entries) = &read.tags else {
        panic!("{:?}", read.tags)
    };
    assert_eq!(entries[0].0, "stage");
    assert_eq!(entries[0].1.data, string("staging"));
}

#[test]
fn unresolved_body_values_are_unknown() {
    let text = r#"variable "rules" {
  type = list(any)
}
variable "tags" {
  type = map(string)
}
resource "azapi_resource" "web" {
  type = "Microsoft.Web/sites@2024-04-01"
  name = "web"
  tags = var.tags
  body = {
    properties = {
      siteConfig = {
        ipSecurityRestrictions = var.rules
      }
    }
  }
}
"#;
    let scanned = scan(text);
    let read = rollout(&scanned, "azapi_resource.web");
    let Restrictions::Unknown(value) = &read.restrictions else {
        panic!("{:?}", read.restrictions)
    };
    assert!(unknown_reason(value).contains("`rules`"), "{value:?}");
    assert!(matches!(read.tags, Tags::Unknown(_)), "{:?}", read.tags);
}

#[test]
fn an_update_replaces_what_it_writes_and_keeps_the_rest() {
    let text = format!(
        "{SITE}{}",
        r#"resource "azapi_update_resource" "open" {
  type        = "Microsoft.Web/sites@2024-04-01"
  resource_id = azapi_resource.web.id
  body = {
    properties = {
      publicNetworkAccess = "Enabled"
    }
  }
}
"#
    );
    let scanned = scan(&text);
    let read = rollout(&scanned, "azapi_resource.web");
    let public = read.public_access.as_ref().unwrap();
    assert_eq!(public.data, string("Enabled"));
    assert_eq!(
        scanned.text_of(public.span),
        "publicNetworkAccess = \"Enabled\"",
        "shown where the update writes it"
    );
    assert_eq!(data(&read.default_action), Some(&string("Deny")));
    assert_eq!(rules(&read.restrictions).len(), 3);
    // An update of rollout settings alone is no certificate finding and no notice.
    assert!(
        scanned.messages(Level::Notice).is_empty(),
        "{:?}",
        scanned.scan.errors
    );
}

#[test]
fn an_update_of_an_azurerm_site_sets_its_restrictions() {
    let text = r#"resource "azurerm_linux_web_app" "api" {
  public_network_access_enabled = true
}
resource "azapi_update_resource" "lock" {
  type        = "Microsoft.Web/sites@2024-04-01"
  resource_id = azurerm_linux_web_app.api.id
  body = {
    properties = {
      siteConfig = {
        ipSecurityRestrictionsDefaultAction = "Deny"
        ipSecurityRestrictions = []
      }
    }
  }
}
"#;
    let scanned = scan(text);
    let read = rollout(&scanned, "azurerm_linux_web_app.api");
    assert_eq!(data(&read.public_access), Some(&Data::Bool(true)));
    assert_eq!(data(&read.default_action), Some(&string("Deny")));
    assert_eq!(read.restrictions, Restrictions::Rules(Vec::new()));
}

#[test]
fn an_update_of_rollout_settings_on_an_unseen_site_says_nothing() {
    let text = r#"resource "azapi_update_resource" "lock" {
  type        = "Microsoft.Web/sites@2024-04-01"
  resource_id = var.site_id
  body = {
    properties = {
      publicNetworkAccess = "Disabled"
    }
  }
}
variable "site_id" {}
"#;
    let scanned = scan(text);
    assert!(scanned.scan.resources.is_empty());
    assert!(
        scanned.messages(Level::Notice).is_empty(),
        "{:?}",
        scanned.scan.errors
    );
}
