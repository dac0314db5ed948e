//! Reading exports end to end: every shape lowers its sites with ids, identities, values and
//! spans at the export's members.

use super::*;
use crate::model::{Data, ExportShape, Restrictions, SiteKind, Source, Tags};

fn sites(text: &str) -> Vec<Resource> {
    match read(4, &SourceFile::new("exports/sites.json".into(), text), true) {
        Read::Sites { resources, .. } => resources,
        Read::NotSites(why) => panic!("not sites: {why}"),
        Read::Broken(error) => panic!("broken: {error:?}"),
    }
}

fn data(value: &Option<crate::model::Value>) -> Option<&Data> {
    value.as_ref().map(|value| &value.data)
}

const SITE: &str = "/subscriptions/1111/resourceGroups/rg-shop/providers/Microsoft.Web/sites/shop";

#[test]
fn a_cli_row_reads_flattened_settings_with_spans_at_its_members() {
    let text = format!(
        r#"[{{"clientCertEnabled": false, "clientCertExclusionPaths": null, "clientCertMode": "Required",
  "id": "{SITE}", "kind": "app,linux", "name": "shop", "publicNetworkAccess": "Disabled",
  "resourceGroup": "rg-shop", "siteConfig": null, "tags": {{"Env": "prod", "team": "a"}},
  "type": "Microsoft.Web/sites"}}]"#
    );
    let all = sites(&text);
    assert_eq!(all.len(), 1);
    let site = &all[0];
    assert_eq!(site.address, SITE);
    assert_eq!(site.source, Source::Deployed(ExportShape::AzCli));
    assert_eq!((site.kind, site.is_slot), (SiteKind::WebApp, false));
    assert_eq!(site.kind_tags, ["app", "linux"]);
    assert_eq!(data(&site.enabled), Some(&Data::Bool(false)));
    let enabled = site.enabled.as_ref().unwrap();
    assert_eq!(&text[enabled.span.range()], r#""clientCertEnabled": false"#);
    assert!(enabled.origin.is_empty());
    assert_eq!(site.exclusion_paths, None);
    assert_eq!(&text[site.header.range()], format!(r#""id": "{SITE}""#));
    assert!(site.fix_anchor.is_none() && site.suppression_anchor.is_none());
    assert_eq!(
        data(&site.rollout.public_access),
        Some(&Data::String("Disabled".into()))
    );
    assert_eq!(site.rollout.restrictions, Restrictions::Absent);
    let Tags::Entries(tags) = &site.rollout.tags else {
        panic!("the Env tag is read: {:?}", site.rollout.tags);
    };
    assert_eq!(tags[0].0, "Env");
    let name = |value: &Option<crate::model::Value>| data(value).cloned();
    assert_eq!(name(&site.identity.name), Some(Data::String("shop".into())));
    assert_eq!(name(&site.identity.parent), None);
    assert_eq!(
        name(&site.identity.resource_group),
        Some(Data::String("rg-shop".into()))
    );
    assert_eq!(
        name(&site.identity.subscription),
        Some(Data::String("1111".into()))
    );
}

#[test]
fn a_graph_slot_reads_properties_and_names_its_parent() {
    let slot = format!("{SITE}/slots/staging").to_ascii_lowercase();
    let text = format!(
        r#"{{"count": 1, "data": [{{"id": "{slot}", "name": "shop/staging",
  "type": "microsoft.web/sites/slots", "kind": "functionapp,linux", "resourceGroup": "rg-shop",
  "subscriptionId": "1111", "tags": null, "properties": {{"clientCertEnabled": true,
  "clientCertMode": "OptionalInteractiveUser", "siteConfig": {{"ipSecurityRestrictionsDefaultAction": "Deny",
  "ipSecurityRestrictions": [{{"action": "Allow", "ipAddress": "AzureFrontDoor.Backend", "tag": "ServiceTag"}}]}}}}}}],
  "skip_token": null, "total_records": 1}}"#
    );
    let site = &sites(&text)[0];
    assert_eq!(site.source, Source::Deployed(ExportShape::ResourceGraph));
    assert_eq!((site.kind, site.is_slot), (SiteKind::FunctionApp, true));
    assert_eq!(site.resource_type, "Microsoft.Web/sites/slots");
    assert_eq!(
        data(&site.mode),
        Some(&Data::String("OptionalInteractiveUser".into()))
    );
    assert_eq!(
        data(&site.identity.name),
        Some(&Data::String("staging".into()))
    );
    assert_eq!(
        data(&site.identity.parent),
        Some(&Data::String("shop".into()))
    );
    // Not in the graph row: unknown, naming the query that includes it.
    let Some(Data::Unknown(why)) = data(&site.exclusion_paths) else {
        panic!("a missing property is unknown: {:?}", site.exclusion_paths);
    };
    assert!(why.contains("properties.clientCertExclusionPaths") && why.contains("--print-query"));
    let Restrictions::Rules(rules) = &site.rollout.restrictions else {
        panic!("the rules are read: {:?}", site.rollout.restrictions);
    };
    assert!(rules[0].service_tag.is_some() && rules[0].ip_address.is_none());
    assert!(site.rollout.default_action.is_some());
}

#[test]
fn an_arm_shaped_logic_app_and_a_cut_powershell_row() {
    let text = format!(
        r#"{{"id": "{SITE}", "name": "shop", "type": "Microsoft.Web/sites", "kind": "functionapp,workflowapp",
  "location": "westeurope", "properties": {{"clientCertEnabled": "True", "clientCertMode": "Required"}}}}"#
    );
    let site = &sites(&text)[0];
    assert_eq!(site.source, Source::Deployed(ExportShape::ArmResource));
    assert_eq!(site.kind, SiteKind::LogicApp);
    assert_eq!(data(&site.enabled), Some(&Data::Bool(true)));
    let Some(Data::Unknown(why)) = data(&site.exclusion_paths) else {
        panic!("missing is unknown");
    };
    assert!(why.contains("az resource show"), "{why}");

    let cut = format!(
        r#"[{{"ResourceId": "{SITE}", "subscriptionId": "1111", "properties": "@{{clientCertEnabled=True}}"}}]"#
    );
    let site = &sites(&cut)[0];
    let Some(Data::Unknown(why)) = data(&site.enabled) else {
        panic!("a cut row is unknown");
    };
    assert!(why.contains("ConvertTo-Json -Depth 10"), "{why}");
}

#[test]
fn other_rows_are_skipped_and_a_next_page_is_a_notice() {
    let text = format!(
        r#"{{"data": [{{"id": "/subscriptions/1/resourceGroups/rg/providers/Microsoft.Web/serverfarms/plan", "type": "microsoft.web/serverfarms"}},
  {{"id": "{SITE}", "type": "microsoft.web/sites", "subscriptionId": "1", "properties": {{"clientCertEnabled": true}}}}],
  "skip_token": "ew0KICAiJGlkIjogIjEiLA0K"}}"#
    );
    let Read::Sites { resources, notices } =
        read(4, &SourceFile::new("p.json".into(), text.as_str()), true)
    else {
        panic!("an export");
    };
    assert_eq!(resources.len(), 1);
    assert_eq!(notices.len(), 1);
    assert!(notices[0].message.contains("--skip-token"));
}
