//! The nested blocks the rollout reads in azurerm sites: `dynamic` blocks, the `.tf.json`
//! forms, and override files.

use super::rollout::{data, inputs, rules, scan, string, tag_entries, unknown_reason};
use crate::model::{Data, Restrictions};

#[test]
fn dynamic_restrictions_expand_over_a_known_for_each() {
    let main = r#"variable "allowed" {
  default = {
    office = "203.0.113.0/24"
    vpn    = "198.51.100.7/32"
  }
}
resource "azurerm_linux_web_app" "api" {
  site_config {
    ip_restriction_default_action = "Deny"
    dynamic "ip_restriction" {
      for_each = var.allowed
      content {
        action     = "Allow"
        ip_address = ip_restriction.value
      }
    }
    dynamic "ip_restriction" {
      for_each = ["AzureFrontDoor.Backend"]
      iterator = tag
      content {
        service_tag = tag.value
      }
    }
  }
}
"#;
    let scanned = scan(&[("main.tf", main)]);
    let rollout = inputs(&scanned, "azurerm_linux_web_app.api");
    let (allow, office, vpn) = (
        string("Allow"),
        string("203.0.113.0/24"),
        string("198.51.100.7/32"),
    );
    let front_door = string("AzureFrontDoor.Backend");
    assert_eq!(
        rules(&rollout.restrictions),
        [
            [Some(&allow), Some(&office), None, None],
            [Some(&allow), Some(&vpn), None, None],
            [None, None, Some(&front_door), None],
        ]
    );
}

#[test]
fn dynamic_restrictions_over_an_unknown_for_each_are_unknown() {
    let main = r#"variable "allowed" {
  type = list(string)
}
resource "azurerm_linux_web_app" "api" {
  site_config {
    ip_restriction {
      ip_address = "10.0.0.0/8"
    }
    dynamic "ip_restriction" {
      for_each = var.allowed
      content {
        ip_address = ip_restriction.value
      }
    }
  }
}
"#;
    let scanned = scan(&[("main.tf", main)]);
    let rollout = inputs(&scanned, "azurerm_linux_web_app.api");
    let Restrictions::Unknown(value) = &rollout.restrictions else {
        panic!("{:?}", rollout.restrictions);
    };
    assert!(
        unknown_reason(value).starts_with(
            "the `for_each` of the `dynamic \"ip_restriction\"` block cannot be resolved"
        ),
        "{value:?}"
    );
    assert!(
        scanned
            .text_of(value.span)
            .starts_with("dynamic \"ip_restriction\"")
    );
}

#[test]
fn a_dynamic_site_config_makes_its_settings_unknown() {
    let main = r#"resource "azurerm_linux_web_app" "api" {
  public_network_access_enabled = true
  dynamic "site_config" {
    for_each = [1]
    content {
      ip_restriction_default_action = "Deny"
    }
  }
}
"#;
    let scanned = scan(&[("main.tf", main)]);
    let rollout = inputs(&scanned, "azurerm_linux_web_app.api");
    assert_eq!(data(&rollout.public_access), Some(&Data::Bool(true)));
    let action = rollout.default_action.as_ref().unwrap();
    assert!(unknown_reason(action).contains("`site_config` is a `dynamic` block"));
    assert!(matches!(rollout.restrictions, Restrictions::Unknown(_)));
}

#[test]
fn json_syntax_blocks_are_read_like_native_ones() {
    let main = r#"{
  "variable": {"env": {"default": "prod"}},
  "resource": {"azurerm_windows_web_app": {"api": {
    "public_network_access_enabled": "${false}",
    "site_config": [{
      "ip_restriction_default_action": "Deny",
      "ip_restriction": [
        {"action": "Allow", "virtual_network_subnet_id": "/subscriptions/x/subnets/a"},
        {"service_tag": "AzureFrontDoor.Backend"}
      ]
    }],
    "tags": {"env": "${var.env}"}
  }}}
}"#;
    let scanned = scan(&[("main.tf.json", main), ("versions.tf", "")]);
    let rollout = inputs(&scanned, "azurerm_windows_web_app.api");
    assert_eq!(data(&rollout.public_access), Some(&Data::Bool(false)));
    assert_eq!(data(&rollout.default_action), Some(&string("Deny")));
    let (allow, subnet, front_door) = (
        string("Allow"),
        string("/subscriptions/x/subnets/a"),
        string("AzureFrontDoor.Backend"),
    );
    assert_eq!(
        rules(&rollout.restrictions),
        [
            [Some(&allow), None, None, Some(&subnet)],
            [None, None, Some(&front_door), None],
        ]
    );
    assert_eq!(tag_entries(&rollout.tags), [("env", &string("prod"))]);
}

#[test]
fn a_json_site_config_given_as_an_expression_is_unknown() {
    let main = r#"{"resource": {"azurerm_linux_web_app": {"api": {
  "site_config": "${var.site_config}"
}}}}"#;
    let scanned = scan(&[("main.tf.json", main), ("versions.tf", "")]);
    let rollout = inputs(&scanned, "azurerm_linux_web_app.api");
    let Restrictions::Unknown(value) = &rollout.restrictions else {
        panic!("{:?}", rollout.restrictions);
    };
    assert_eq!(
        unknown_reason(value),
        "`site_config` is given as an expression, not written as a block"
    );
}

#[test]
fn an_override_file_replaces_site_config_blocks() {
    let main = "resource \"azurerm_linux_web_app\" \"api\" {\n  site_config {\n    ip_restriction_default_action = \"Deny\"\n    ip_restriction {\n      ip_address = \"10.0.0.0/8\"\n    }\n  }\n}\n";
    let over = "resource \"azurerm_linux_web_app\" \"api\" {\n  site_config {\n    ip_restriction_default_action = \"Allow\"\n  }\n}\n";
    let scanned = scan(&[("main.tf", main), ("override.tf", over)]);
    let rollout = inputs(&scanned, "azurerm_linux_web_app.api");
    assert_eq!(data(&rollout.default_action), Some(&string("Allow")));
    // The whole block is replaced, rules included (Terraform's nested block rule).
    assert_eq!(rollout.restrictions, Restrictions::Absent);
}

#[test]
fn a_dynamic_block_making_more_rules_than_azure_allows_is_unknown() {
    let networks: Vec<String> = (0..513)
        .map(|i| format!("\"10.0.{}.{}/32\"", i / 250, i % 250))
        .collect();
    let main = format!(
        "resource \"azurerm_linux_web_app\" \"api\" {{\n  site_config {{\n    dynamic \"ip_restriction\" {{\n      for_each = [{}]\n      content {{\n        ip_address = ip_restriction.value\n      }}\n    }}\n  }}\n}}\n",
        networks.join(", ")
    );
    let scanned = scan(&[("main.tf", &main)]);
    let rollout = inputs(&scanned, "azurerm_linux_web_app.api");
    let Restrictions::Unknown(value) = &rollout.restrictions else {
        panic!("{:?}", rollout.restrictions);
    };
    assert_eq!(
        unknown_reason(value),
        "the `dynamic \"ip_restriction\"` block makes 513 rules; Azure allows at most 512"
    );
}

#[test]
fn json_syntax_dynamic_blocks_expand_like_native_ones() {
    let main = r#"{"resource": {"azurerm_linux_web_app": {"api": {
  "site_config": {
    "dynamic": {"ip_restriction": {
      "for_each": "${[\"10.0.0.0/8\", \"192.168.0.0/16\"]}",
      "iterator": "net",
      "content": {"action": "Deny", "ip_address": "${net.value}"}
    }}
  }
}}}}"#;
    let scanned = scan(&[("main.tf.json", main), ("versions.tf", "")]);
    let rollout = inputs(&scanned, "azurerm_linux_web_app.api");
    let (deny, a, b) = (
        string("Deny"),
        string("10.0.0.0/8"),
        string("192.168.0.0/16"),
    );
    assert_eq!(
        rules(&rollout.restrictions),
        [
            [Some(&deny), Some(&a), None, None],
            [Some(&deny), Some(&b), None, None],
        ]
    );
}
