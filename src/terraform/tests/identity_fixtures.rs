//! The identity fixtures of the Terraform family (`fixtures/{terraform,azapi,plan,terragrunt}/
//! identity_*`), scanned whole as the command line does: the names each site and slot carries
//! for drift.

use crate::model::{Data, Resource, SiteIdentity, Value};

/// The judged resources of one fixture folder ([`crate::harness::judged_fixture`]).
fn fixture(name: &str) -> Vec<Resource> {
    crate::harness::judged_fixture(name)
}

fn identity<'r>(resources: &'r [Resource], address: &str) -> &'r SiteIdentity {
    let found: Vec<&Resource> = resources
        .iter()
        .filter(|r| r.instance.as_deref().unwrap_or(&r.address) == address)
        .collect();
    assert_eq!(found.len(), 1, "{address}");
    &found[0].identity
}

fn text(value: &Option<Value>) -> Option<&str> {
    match value.as_ref().map(|value| &value.data) {
        Some(Data::String(text)) => Some(text),
        _ => None,
    }
}

/// (name, parent, resource group, subscription, id) when known.
fn parts(identity: &SiteIdentity) -> [Option<&str>; 5] {
    [
        text(&identity.name),
        text(&identity.parent),
        text(&identity.resource_group),
        text(&identity.subscription),
        text(&identity.id),
    ]
}

#[test]
fn terraform_slot_takes_the_referenced_sites_name_and_group() {
    let resources = fixture("terraform/identity_slot_references_site");
    let site = identity(&resources, "azurerm_linux_web_app.shop");
    assert_eq!(
        parts(site),
        [
            Some("app-shop-prod"),
            None,
            Some("rg-shop-prod"),
            None,
            None
        ]
    );
    let slot = identity(&resources, "azurerm_linux_web_app_slot.staging");
    assert_eq!(
        parts(slot),
        [
            Some("staging"),
            Some("app-shop-prod"),
            Some("rg-shop-prod"),
            None,
            None
        ]
    );
}

#[test]
fn terraform_instances_naming_different_sites_are_both_reported() {
    let resources = fixture("terraform/identity_for_each_sites_stay_apart");
    for region in ["weu", "neu"] {
        let address = format!("azurerm_windows_web_app.api[\"{region}\"]");
        let read = identity(&resources, &address);
        let (name, rg) = (format!("app-api-{region}"), format!("rg-api-{region}"));
        assert_eq!(
            parts(read),
            [Some(name.as_str()), None, Some(rg.as_str()), None, None]
        );
    }
}

#[test]
fn azapi_site_and_slot_ids_are_determined() {
    let resources = fixture("azapi/identity_slot_full_id");
    let sub = "3f2b8c1e-0d4a-4c55-9a7e-6b1d2e3f4a5b";
    let site_id = format!(
        "/subscriptions/{sub}/resourceGroups/rg-billing/providers/Microsoft.Web/sites/app-billing"
    );
    let site = identity(&resources, "azapi_resource.billing");
    assert_eq!(
        parts(site),
        [
            Some("app-billing"),
            None,
            Some("rg-billing"),
            Some(sub),
            Some(site_id.as_str())
        ]
    );
    let slot_id = format!("{site_id}/slots/staging");
    let slot = identity(&resources, "azapi_resource.billing_staging");
    assert_eq!(
        parts(slot),
        [
            Some("staging"),
            Some("app-billing"),
            Some("rg-billing"),
            Some(sub),
            Some(slot_id.as_str())
        ]
    );
}

#[test]
fn plan_update_carries_the_existing_id_and_the_slot_its_sites() {
    let resources = fixture("plan/identity_update_existing_id");
    let sub = "9a1c7e52-4b3d-4e8f-a0b6-1c2d3e4f5a6b";
    let site_id = format!(
        "/subscriptions/{sub}/resourceGroups/rg-portal/providers/Microsoft.Web/sites/app-portal"
    );
    let site = identity(&resources, "azurerm_linux_web_app.portal");
    assert_eq!(
        parts(site),
        [
            Some("app-portal"),
            None,
            Some("rg-portal"),
            Some(sub),
            Some(site_id.as_str())
        ]
    );
    let slot_id = format!("{site_id}/slots/staging");
    let slot = identity(&resources, "azurerm_linux_web_app_slot.portal_staging");
    assert_eq!(
        parts(slot),
        [
            Some("staging"),
            Some("app-portal"),
            Some("rg-portal"),
            Some(sub),
            Some(slot_id.as_str())
        ]
    );
}

#[test]
fn terragrunt_inputs_name_the_site() {
    let resources = fixture("terragrunt/identity_inputs_name_site");
    assert_eq!(resources.len(), 1);
    assert_eq!(
        parts(&resources[0].identity),
        [
            Some("func-orders-prod"),
            None,
            Some("rg-orders-prod"),
            None,
            None
        ]
    );
}
