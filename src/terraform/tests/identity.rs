//! The names azurerm and AzAPI sites and slots fill into `resource.identity`: literal, from a
//! variable or a module input, a slot's site through a reference to its block or a known id,
//! unresolved (unknown with the reason) and missing (`None`).

use super::{Scanned, data, scan_tree};
use crate::error::Level;
use crate::model::{Data, OriginKind, SiteIdentity, Value};
use crate::terraform::Inputs;

const SUB: &str = "00000000-0000-0000-0000-000000000001";

fn scan(files: &[(&str, &str)]) -> Scanned {
    let scanned = scan_tree(files, Inputs::default());
    assert!(
        scanned.messages(Level::Error).is_empty(),
        "{:?}",
        scanned.scan.errors
    );
    scanned
}

fn identity<'s>(scanned: &'s Scanned, address: &str) -> &'s SiteIdentity {
    let found = scanned.find(address);
    assert_eq!(found.len(), 1, "{address}: {:?}", scanned.scan.errors);
    &found[0].identity
}

fn string(text: &str) -> Data {
    Data::String(text.into())
}

fn unknown_reason(value: &Option<Value>) -> &str {
    match value.as_ref().map(|value| &value.data) {
        Some(Data::Unknown(reason)) => reason,
        other => panic!("expected an unknown value: {other:?}"),
    }
}

/// (name, parent, resource group, subscription, id) as data.
fn parts(identity: &SiteIdentity) -> [Option<&Data>; 5] {
    [
        data(&identity.name),
        data(&identity.parent),
        data(&identity.resource_group),
        data(&identity.subscription),
        data(&identity.id),
    ]
}

#[test]
fn azurerm_site_literal_name_and_resource_group() {
    let scanned = scan(&[(
        "main.tf",
        r#"resource "azurerm_linux_web_app" "web" {
  name                = "app-orders"
  resource_group_name = "rg-orders"
}
"#,
    )]);
    let read = identity(&scanned, "azurerm_linux_web_app.web");
    let (name, rg) = (string("app-orders"), string("rg-orders"));
    assert_eq!(parts(read), [Some(&name), None, Some(&rg), None, None]);
    let span = read.name.as_ref().unwrap().span;
    assert_eq!(
        scanned.text_of(span),
        r#"name                = "app-orders""#
    );
}

#[test]
fn azurerm_site_names_from_variables_and_a_resource_group_block() {
    let scanned = scan(&[(
        "main.tf",
        r#"variable "app" {
  default = "orders"
}
resource "azurerm_resource_group" "rg" {
  name     = "rg-${var.app}"
  location = "westeurope"
}
resource "azurerm_windows_function_app" "fn" {
  name                = "func-${var.app}"
  resource_group_name = azurerm_resource_group.rg.name
}
"#,
    )]);
    let read = identity(&scanned, "azurerm_windows_function_app.fn");
    assert_eq!(data(&read.name), Some(&string("func-orders")));
    assert_eq!(data(&read.resource_group), Some(&string("rg-orders")));
    let name = read.name.as_ref().unwrap();
    assert!(
        name.origin
            .iter()
            .any(|hop| hop.kind == OriginKind::VariableDefault),
        "{:?}",
        name.origin
    );
    let rg = read.resource_group.as_ref().unwrap();
    assert!(
        rg.origin
            .iter()
            .any(|hop| hop.kind == OriginKind::ResourceArgument),
        "{:?}",
        rg.origin
    );
}

#[test]
fn azurerm_site_name_from_a_module_input() {
    let scanned = scan(&[
        (
            "envs/prod/main.tf",
            r#"module "web" {
  source = "../../modules/web"
  name   = "app-prod"
  rg     = "rg-prod"
}
"#,
        ),
        (
            "modules/web/main.tf",
            r#"variable "name" {}
variable "rg" {}
resource "azurerm_linux_web_app" "this" {
  name                = var.name
  resource_group_name = var.rg
}
"#,
        ),
    ]);
    let read = identity(&scanned, "module.web.azurerm_linux_web_app.this");
    assert_eq!(data(&read.name), Some(&string("app-prod")));
    assert_eq!(data(&read.resource_group), Some(&string("rg-prod")));
    let name = read.name.as_ref().unwrap();
    assert!(
        name.origin
            .iter()
            .any(|hop| hop.kind == OriginKind::ModuleArgument),
        "{:?}",
        name.origin
    );
}

#[test]
fn azurerm_site_unresolved_name_is_unknown_and_missing_group_is_none() {
    let scanned = scan(&[(
        "main.tf",
        r#"variable "name" {}
resource "azurerm_linux_web_app" "web" {
  name = var.name
}
"#,
    )]);
    let read = identity(&scanned, "azurerm_linux_web_app.web");
    assert!(
        unknown_reason(&read.name).contains("variable `name` has no default"),
        "{:?}",
        read.name
    );
    assert_eq!(read.resource_group, None);
    assert_eq!(
        (&read.parent, &read.id, &read.subscription),
        (&None, &None, &None)
    );
}

#[test]
fn logic_app_standard_reads_like_a_site() {
    let scanned = scan(&[(
        "main.tf",
        r#"resource "azurerm_logic_app_standard" "flows" {
  name                = "logic-flows"
  resource_group_name = "rg-flows"
}
"#,
    )]);
    let read = identity(&scanned, "azurerm_logic_app_standard.flows");
    assert_eq!(data(&read.name), Some(&string("logic-flows")));
    assert_eq!(data(&read.resource_group), Some(&string("rg-flows")));
}

#[test]
fn azurerm_slot_referencing_a_site_block_takes_its_name_and_group() {
    let scanned = scan(&[(
        "main.tf",
        r#"variable "rg" {
  default = "rg-shop"
}
resource "azurerm_linux_web_app" "shop" {
  name                = "app-shop"
  resource_group_name = var.rg
}
resource "azurerm_linux_web_app_slot" "staging" {
  name           = "staging"
  app_service_id = azurerm_linux_web_app.shop.id
}
"#,
    )]);
    let read = identity(&scanned, "azurerm_linux_web_app_slot.staging");
    let (name, site, rg) = (string("staging"), string("app-shop"), string("rg-shop"));
    assert_eq!(
        parts(read),
        [Some(&name), Some(&site), Some(&rg), None, None]
    );
    // Shown at the slot's `app_service_id`, resolved through the site's argument.
    let parent = read.parent.as_ref().unwrap();
    assert_eq!(
        scanned.text_of(parent.span),
        "app_service_id = azurerm_linux_web_app.shop.id"
    );
    assert!(
        parent
            .origin
            .iter()
            .any(|hop| hop.kind == OriginKind::ResourceArgument),
        "{:?}",
        parent.origin
    );
}

#[test]
fn azurerm_instances_named_apart_stay_apart_and_slots_reference_their_own_site() {
    let scanned = scan(&[(
        "main.tf",
        r#"resource "azurerm_windows_web_app" "app" {
  for_each            = toset(["a", "b"])
  name                = "app-${each.key}"
  resource_group_name = "rg-${each.key}"
}
resource "azurerm_windows_web_app_slot" "slot" {
  for_each       = toset(["a", "b"])
  name           = "blue"
  app_service_id = azurerm_windows_web_app.app[each.key].id
}
"#,
    )]);
    // Equal certificate settings, different sites: not collapsed into one instance.
    let slots = scanned.find("azurerm_windows_web_app_slot.slot");
    let read: Vec<(Option<&Data>, Option<&Data>)> = slots
        .iter()
        .map(|slot| {
            (
                data(&slot.identity.parent),
                data(&slot.identity.resource_group),
            )
        })
        .collect();
    let (a, b) = (string("app-a"), string("app-b"));
    let (rg_a, rg_b) = (string("rg-a"), string("rg-b"));
    assert_eq!(read, [(Some(&a), Some(&rg_a)), (Some(&b), Some(&rg_b))]);
}

#[test]
fn azurerm_slot_with_a_known_site_id_splits_it_and_builds_its_own_id() {
    let site =
        format!("/subscriptions/{SUB}/resourceGroups/rg-api/providers/Microsoft.Web/sites/app-api");
    let text = format!(
        r#"variable "site_id" {{
  default = "{site}"
}}
resource "azurerm_linux_function_app_slot" "canary" {{
  name           = "canary"
  app_service_id = var.site_id
}}
"#
    );
    let scanned = scan(&[("main.tf", &text)]);
    let read = identity(&scanned, "azurerm_linux_function_app_slot.canary");
    let (name, parent, rg, sub) = (
        string("canary"),
        string("app-api"),
        string("rg-api"),
        string(SUB),
    );
    let id = string(&format!("{site}/slots/canary"));
    assert_eq!(
        parts(read),
        [Some(&name), Some(&parent), Some(&rg), Some(&sub), Some(&id)]
    );
}

#[test]
fn azurerm_slot_of_a_data_source_site_takes_its_written_name_and_group() {
    let scanned = scan(&[(
        "main.tf",
        r#"data "azurerm_linux_web_app" "existing" {
  name                = "app-old"
  resource_group_name = "rg-old"
}
resource "azurerm_linux_web_app_slot" "staging" {
  name           = "staging"
  app_service_id = data.azurerm_linux_web_app.existing.id
}
"#,
    )]);
    let read = identity(&scanned, "azurerm_linux_web_app_slot.staging");
    let (name, site, rg) = (string("staging"), string("app-old"), string("rg-old"));
    assert_eq!(
        parts(read),
        [Some(&name), Some(&site), Some(&rg), None, None]
    );
}

#[test]
fn azurerm_slot_with_an_unresolved_site_id_is_unknown_with_the_reason() {
    let scanned = scan(&[(
        "main.tf",
        r#"variable "site_id" {}
resource "azurerm_linux_web_app_slot" "staging" {
  name           = "staging"
  app_service_id = var.site_id
}
"#,
    )]);
    let read = identity(&scanned, "azurerm_linux_web_app_slot.staging");
    assert_eq!(data(&read.name), Some(&string("staging")));
    for part in [&read.parent, &read.resource_group, &read.subscription] {
        assert!(
            unknown_reason(part).contains("variable `site_id` has no default"),
            "{part:?}"
        );
    }
    assert_eq!(read.id, None);
}

#[test]
fn tf_json_slot_referencing_a_site_in_a_template() {
    // The tree scan looks for directories holding a `.tf` file.
    let scanned = scan(&[
        ("versions.tf", ""),
        (
            "main.tf.json",
            r#"{"resource": {
  "azurerm_windows_web_app": {"site": {"name": "app-json", "resource_group_name": "rg-json"}},
  "azurerm_windows_web_app_slot": {"slot": {"name": "green", "app_service_id": "${azurerm_windows_web_app.site.id}"}}
}}
"#,
        ),
    ]);
    let read = identity(&scanned, "azurerm_windows_web_app_slot.slot");
    let (name, site, rg) = (string("green"), string("app-json"), string("rg-json"));
    assert_eq!(
        parts(read),
        [Some(&name), Some(&site), Some(&rg), None, None]
    );
}

#[test]
fn azurerm_slot_with_an_id_of_another_shape_says_what_it_should_be() {
    let scanned = scan(&[(
        "main.tf",
        r#"resource "azurerm_linux_web_app_slot" "staging" {
  name           = "staging"
  app_service_id = "app-shop"
}
"#,
    )]);
    let read = identity(&scanned, "azurerm_linux_web_app_slot.staging");
    assert!(
        unknown_reason(&read.parent).contains("`app-shop` is not a site id"),
        "{:?}",
        read.parent
    );
    assert_eq!(read.id, None);
}

#[test]
fn azurerm_slot_without_app_service_id_has_only_its_name() {
    let scanned = scan(&[(
        "main.tf",
        r#"resource "azurerm_linux_web_app_slot" "staging" {
  name = "staging"
}
"#,
    )]);
    let read = identity(&scanned, "azurerm_linux_web_app_slot.staging");
    let name = string("staging");
    assert_eq!(parts(read), [Some(&name), None, None, None, None]);
}

#[test]
fn legacy_slots_name_their_site_and_group_directly() {
    let scanned = scan(&[(
        "main.tf",
        r#"resource "azurerm_app_service_slot" "web" {
  name                = "staging"
  app_service_name    = "app-legacy"
  resource_group_name = "rg-legacy"
}
resource "azurerm_function_app_slot" "fn" {
  name                = "staging"
  function_app_name   = "func-legacy"
  resource_group_name = "rg-legacy"
}
"#,
    )]);
    let rg = string("rg-legacy");
    let web = identity(&scanned, "azurerm_app_service_slot.web");
    assert_eq!(data(&web.parent), Some(&string("app-legacy")));
    assert_eq!(data(&web.resource_group), Some(&rg));
    let function = identity(&scanned, "azurerm_function_app_slot.fn");
    assert_eq!(data(&function.parent), Some(&string("func-legacy")));
    assert_eq!(data(&function.resource_group), Some(&rg));
}

#[test]
fn azapi_site_under_a_known_resource_group_gets_its_full_id() {
    let text = format!(
        r#"locals {{
  rg_id = "/subscriptions/{SUB}/resourceGroups/rg-azapi"
}}
resource "azapi_resource" "site" {{
  type      = "Microsoft.Web/sites@2024-04-01"
  name      = "app-azapi"
  parent_id = local.rg_id
  body      = {{ properties = {{ clientCertEnabled = true }} }}
}}
"#
    );
    let scanned = scan(&[("main.tf", &text)]);
    let read = identity(&scanned, "azapi_resource.site");
    let id = string(&format!(
        "/subscriptions/{SUB}/resourceGroups/rg-azapi/providers/Microsoft.Web/sites/app-azapi"
    ));
    let (name, rg, sub) = (string("app-azapi"), string("rg-azapi"), string(SUB));
    assert_eq!(
        parts(read),
        [Some(&name), None, Some(&rg), Some(&sub), Some(&id)]
    );
    let rg = read.resource_group.as_ref().unwrap();
    assert!(
        rg.origin.iter().any(|hop| hop.kind == OriginKind::Local),
        "{:?}",
        rg.origin
    );
}

#[test]
fn azapi_site_under_a_resource_group_block_takes_its_name() {
    let scanned = scan(&[(
        "main.tf",
        r#"resource "azurerm_resource_group" "rg" {
  name     = "rg-blocks"
  location = "westeurope"
}
resource "azapi_resource" "site" {
  type      = "Microsoft.Web/sites@2024-04-01"
  name      = "app-blocks"
  parent_id = azurerm_resource_group.rg.id
  body      = { properties = { clientCertEnabled = true } }
}
"#,
    )]);
    let read = identity(&scanned, "azapi_resource.site");
    let (name, rg) = (string("app-blocks"), string("rg-blocks"));
    assert_eq!(parts(read), [Some(&name), None, Some(&rg), None, None]);
}

#[test]
fn azapi_site_and_slot_under_data_sources_take_their_written_names() {
    let scanned = scan(&[(
        "main.tf",
        r#"data "azurerm_resource_group" "rg" {
  name = "rg-data"
}
data "azurerm_windows_web_app" "old" {
  name                = "app-old"
  resource_group_name = "rg-old"
}
resource "azapi_resource" "site" {
  type      = "Microsoft.Web/sites@2024-04-01"
  name      = "app-data"
  parent_id = data.azurerm_resource_group.rg.id
  body      = { properties = { clientCertEnabled = true } }
}
resource "azapi_resource" "slot" {
  type      = "Microsoft.Web/sites/slots@2024-04-01"
  name      = "staging"
  parent_id = data.azurerm_windows_web_app.old.id
  body      = { properties = { clientCertEnabled = true } }
}
"#,
    )]);
    let site = identity(&scanned, "azapi_resource.site");
    let (name, rg) = (string("app-data"), string("rg-data"));
    assert_eq!(parts(site), [Some(&name), None, Some(&rg), None, None]);
    let slot = identity(&scanned, "azapi_resource.slot");
    let (name, parent, rg) = (string("staging"), string("app-old"), string("rg-old"));
    assert_eq!(
        parts(slot),
        [Some(&name), Some(&parent), Some(&rg), None, None]
    );
}

#[test]
fn azapi_slot_of_an_azapi_site_gets_site_group_subscription_and_id() {
    let text = format!(
        r#"resource "azapi_resource" "site" {{
  type      = "Microsoft.Web/sites@2024-04-01"
  name      = "app-parent"
  parent_id = "/subscriptions/{SUB}/resourceGroups/rg-parent"
  body      = {{ properties = {{ clientCertEnabled = true }} }}
}}
resource "azapi_resource" "slot" {{
  type      = "Microsoft.Web/sites/slots@2024-04-01"
  name      = "staging"
  parent_id = azapi_resource.site.id
  body      = {{ properties = {{ clientCertEnabled = true }} }}
}}
"#
    );
    let scanned = scan(&[("main.tf", &text)]);
    let read = identity(&scanned, "azapi_resource.slot");
    let id = string(&format!(
        "/subscriptions/{SUB}/resourceGroups/rg-parent/providers/Microsoft.Web/sites/app-parent/slots/staging"
    ));
    let (name, site, rg, sub) = (
        string("staging"),
        string("app-parent"),
        string("rg-parent"),
        string(SUB),
    );
    assert_eq!(
        parts(read),
        [Some(&name), Some(&site), Some(&rg), Some(&sub), Some(&id)]
    );
}

#[test]
fn azapi_slot_of_an_azapi_site_in_a_resource_group_block() {
    let scanned = scan(&[(
        "main.tf",
        r#"resource "azurerm_resource_group" "rg" {
  name     = "rg-chain"
  location = "westeurope"
}
resource "azapi_resource" "site" {
  type      = "Microsoft.Web/sites@2024-04-01"
  name      = "app-chain"
  parent_id = azurerm_resource_group.rg.id
  body      = { properties = { clientCertEnabled = true } }
}
resource "azapi_resource" "slot" {
  type      = "Microsoft.Web/sites/slots@2024-04-01"
  name      = "staging"
  parent_id = azapi_resource.site.id
  body      = { properties = { clientCertEnabled = true } }
}
"#,
    )]);
    let read = identity(&scanned, "azapi_resource.slot");
    let (name, site, rg) = (string("staging"), string("app-chain"), string("rg-chain"));
    assert_eq!(
        parts(read),
        [Some(&name), Some(&site), Some(&rg), None, None]
    );
}

#[test]
fn azapi_slot_of_an_azurerm_site_takes_its_name_and_group() {
    let scanned = scan(&[(
        "main.tf",
        r#"resource "azurerm_linux_web_app" "web" {
  name                = "app-mixed"
  resource_group_name = "rg-mixed"
}
resource "azapi_resource" "slot" {
  type      = "Microsoft.Web/sites/slots@2024-04-01"
  name      = "staging"
  parent_id = azurerm_linux_web_app.web.id
  body      = { properties = { clientCertEnabled = true } }
}
"#,
    )]);
    let read = identity(&scanned, "azapi_resource.slot");
    assert_eq!(data(&read.parent), Some(&string("app-mixed")));
    assert_eq!(data(&read.resource_group), Some(&string("rg-mixed")));
}

#[test]
fn azapi_unresolved_parent_id_is_unknown_and_no_id_is_made() {
    let scanned = scan(&[(
        "main.tf",
        r#"variable "rg_id" {}
resource "azapi_resource" "site" {
  type      = "Microsoft.Web/sites@2024-04-01"
  name      = "app-open"
  parent_id = var.rg_id
  body      = { properties = { clientCertEnabled = true } }
}
"#,
    )]);
    let read = identity(&scanned, "azapi_resource.site");
    assert_eq!(data(&read.name), Some(&string("app-open")));
    for part in [&read.resource_group, &read.subscription] {
        assert!(
            unknown_reason(part).contains("variable `rg_id` has no default"),
            "{part:?}"
        );
    }
    assert_eq!(read.id, None);
}

#[test]
fn azapi_site_whose_parent_is_not_a_resource_group_says_so() {
    let text = format!(
        r#"resource "azapi_resource" "site" {{
  type      = "Microsoft.Web/sites@2024-04-01"
  name      = "app-sub"
  parent_id = "/subscriptions/{SUB}"
  body      = {{ properties = {{ clientCertEnabled = true }} }}
}}
"#
    );
    let scanned = scan(&[("main.tf", &text)]);
    let read = identity(&scanned, "azapi_resource.site");
    assert!(
        unknown_reason(&read.resource_group).contains("is not a resource group id"),
        "{:?}",
        read.resource_group
    );
    assert_eq!(read.id, None);
}

#[test]
fn azapi_site_without_parent_id_has_only_its_name() {
    let scanned = scan(&[(
        "main.tf",
        r#"resource "azapi_resource" "site" {
  type = "Microsoft.Web/sites@2024-04-01"
  name = "app-bare"
  body = { properties = { clientCertEnabled = true } }
}
"#,
    )]);
    let read = identity(&scanned, "azapi_resource.site");
    let name = string("app-bare");
    assert_eq!(parts(read), [Some(&name), None, None, None, None]);
}
