//! Tests of the ARM site identity: each extraction on the model resources the front end lowers
//! (literal, parameter, parameter file scenario, nested slot, top-level `site/slot`, symbolic
//! resources, nested and linked deployments naming the resource group and subscription,
//! unresolved), and on the `fixtures/arm/identity_*` folders.

use super::DEPLOYMENT_RESOURCE_GROUP;
use crate::harness::{File, scan_in_memory};
use crate::model::test_values::{data, names, slice, string};
use crate::model::{Data, Resource, SiteIdentity};

fn walk(text: &str) -> Vec<Resource> {
    super::super::walk_text(text).0
}

fn one(text: &str) -> SiteIdentity {
    let mut all = walk(text);
    assert_eq!(all.len(), 1, "one site expected");
    all.remove(0).identity
}

fn deployment_group() -> Option<Data> {
    Some(Data::Unknown(DEPLOYMENT_RESOURCE_GROUP.into()))
}

#[test]
fn literal_name_and_the_deployments_unnamed_resource_group() {
    let text = r#"{"resources": [{"type": "Microsoft.Web/sites", "name": "web-prod"}]}"#;
    let identity = one(text);
    assert_eq!(
        names(&identity),
        [
            Some(string("web-prod")),
            None,
            deployment_group(),
            None,
            None
        ]
    );
    assert_eq!(slice(text, &identity.name), r#""name": "web-prod""#);
    assert!(identity.name.unwrap().origin.is_empty());
    // The unknown resource group points at the resource's header.
    assert_eq!(
        slice(text, &identity.resource_group),
        r#""type": "Microsoft.Web/sites""#
    );
}

#[test]
fn parameter_name_carries_its_origin() {
    let text = r#"{"parameters": {"site": {"type": "string", "defaultValue": "web-prod"}},
        "resources": [{"type": "Microsoft.Web/sites", "name": "[concat(parameters('site'), '-eu')]"}]}"#;
    let identity = one(text);
    assert_eq!(data(&identity.name), string("web-prod-eu"));
    let name = identity.name.unwrap();
    assert_eq!(name.origin.len(), 1);
    assert_eq!(name.origin[0].note, "default of parameter `site`");
}

#[test]
fn unresolved_names_are_unknown_with_the_reason() {
    let text = r#"{"parameters": {"site": {"type": "string"}}, "resources": [
        {"type": "Microsoft.Web/sites", "name": "[parameters('site')]"},
        {"type": "Microsoft.Web/sites/slots", "name": "[concat(parameters('site'), '/staging')]"}]}"#;
    let all = walk(text);
    let why = "parameter `site` has no defaultValue and no value in any parameter file";
    assert_eq!(data(&all[0].identity.name), Data::Unknown(why.into()));
    assert_eq!(all[0].identity.parent, None);
    // A slot whose full name is unknown does not say which site it belongs to either.
    assert_eq!(data(&all[1].identity.name), Data::Unknown(why.into()));
    assert_eq!(data(&all[1].identity.parent), Data::Unknown(why.into()));
    assert_eq!(all[1].identity.id, None);
}

#[test]
fn each_parameter_file_scenario_names_its_own_site() {
    let template = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
      "parameters": {"env": {"type": "string"}},
      "resources": [{"type": "Microsoft.Web/sites", "name": "[format('web-{0}', parameters('env'))]",
        "resources": [{"type": "slots", "name": "[concat('staging-', parameters('env'))]"}]}]}"#;
    let parameters = |env: &str| {
        format!(
            r#"{{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
                "parameters": {{"env": {{"value": "{env}"}}}}}}"#
        )
    };
    let report = scan_in_memory(
        &[
            File::new("azuredeploy.json", template),
            File::new("azuredeploy.parameters.dev.json", parameters("dev")),
            File::new("azuredeploy.parameters.prod.json", parameters("prod")),
        ],
        &Default::default(),
    );
    let mut seen: Vec<(String, Option<Data>, Data)> = report
        .groups
        .iter()
        .flatten()
        .map(|r| {
            let scenario = r.scenario.clone().unwrap_or_default();
            let parent = r.identity.parent.as_ref().map(|p| p.data.clone());
            (scenario, parent, data(&r.identity.name))
        })
        .collect();
    seen.sort_by_key(|s| (s.0.clone(), s.1.is_some()));
    let names: Vec<_> = seen.iter().map(|s| (s.1.clone(), s.2.clone())).collect();
    assert_eq!(
        names,
        [
            (None, string("web-dev")),
            (Some(string("web-dev")), string("staging-dev")),
            (None, string("web-prod")),
            (Some(string("web-prod")), string("staging-prod")),
        ],
        "{seen:?}"
    );
    assert!(seen[0].0.contains("dev") && seen[2].0.contains("prod"));
}

#[test]
fn nested_slot_is_named_by_itself_and_its_site() {
    let text = r#"{"parameters": {"site": {"type": "string", "defaultValue": "web"}},
        "resources": [{"type": "Microsoft.Web/sites", "name": "[parameters('site')]",
          "resources": [
            {"type": "slots", "name": "staging"},
            {"type": "Microsoft.Web/sites/slots", "name": "[concat(parameters('site'), '/blue')]"}
          ]}]}"#;
    let all = walk(text);
    assert_eq!(all.len(), 3);
    assert_eq!(
        names(&all[1].identity),
        [
            Some(string("staging")),
            Some(string("web")),
            deployment_group(),
            None,
            None
        ]
    );
    // The parent points at the site's own name, where it is written.
    assert_eq!(
        slice(text, &all[1].identity.parent),
        r#""name": "[parameters('site')]""#
    );
    // A nested slot written with its full name is split like a top-level one.
    assert_eq!(data(&all[2].identity.name), string("blue"));
    assert_eq!(data(&all[2].identity.parent), string("web"));
    // A site has no parent.
    assert_eq!(all[0].identity.parent, None);
}

#[test]
fn top_level_slot_full_name_is_split_into_site_and_slot() {
    let text = r#"{"resources": [
        {"type": "Microsoft.Web/sites/slots", "name": "web/staging"},
        {"type": "Microsoft.Web/sites/slots", "name": "[format('{0}/{1}', 'api', 'blue')]"}]}"#;
    let all = walk(text);
    assert_eq!(data(&all[0].identity.name), string("staging"));
    assert_eq!(data(&all[0].identity.parent), string("web"));
    assert_eq!(
        slice(text, &all[0].identity.parent),
        r#""name": "web/staging""#
    );
    assert_eq!(data(&all[1].identity.name), string("blue"));
    assert_eq!(data(&all[1].identity.parent), string("api"));
}

#[test]
fn symbolic_resources_of_language_version_2_are_named_by_their_name_member() {
    let text = r#"{"languageVersion": "2.0", "resources": {
        "existingSite": {"type": "Microsoft.Web/sites", "existing": true, "name": "shared"},
        "web": {"type": "Microsoft.Web/sites", "name": "web-v2"},
        "staging": {"type": "Microsoft.Web/sites/slots", "name": "web-v2/staging"}}}"#;
    let all = walk(text);
    let found: Vec<_> = all
        .iter()
        .map(|r| {
            (
                r.address.as_str(),
                data(&r.identity.name),
                r.identity.parent.as_ref().map(|p| p.data.clone()),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("web", string("web-v2"), None),
            ("staging", string("staging"), Some(string("web-v2")))
        ]
    );
}

#[test]
fn copy_loop_instances_are_named_each() {
    let text = r#"{"resources": [{"type": "Microsoft.Web/sites",
        "name": "[concat('web-', copyIndex(1))]", "copy": {"name": "webs", "count": 2}}]}"#;
    let all: Vec<_> = walk(text).iter().map(|r| data(&r.identity.name)).collect();
    assert_eq!(all, [string("web-1"), string("web-2")]);
}

#[test]
fn nested_deployment_names_the_resource_group_and_subscription() {
    let text = r#"{"parameters": {"group": {"type": "string", "defaultValue": "rg-web"}},
      "resources": [
        {"type": "Microsoft.Resources/deployments", "name": "misplaced",
         "properties": {"subscriptionId": "not-here", "resourceGroup": "[parameters('group')]",
          "template": {"resources": [
            {"type": "Microsoft.Web/sites", "name": "outside-group"}]}}},
        {"type": "Microsoft.Resources/deployments", "name": "to-web",
         "resourceGroup": "[parameters('group')]",
         "subscriptionId": "00000000-0000-0000-0000-000000000001",
         "properties": {
          "mode": "Incremental",
          "template": {"resources": [
            {"type": "Microsoft.Web/sites", "name": "web",
             "resources": [{"type": "slots", "name": "staging"}]},
            {"type": "Microsoft.Resources/deployments", "name": "inner",
             "properties": {"template": {"resources": [
               {"type": "Microsoft.Web/sites", "name": "api"}]}}}]}}},
        {"type": "Microsoft.Web/sites", "name": "after"}]}"#;
    let all = walk(text);
    let by_name = |name: &str| {
        all.iter()
            .find(|r| r.identity.name.as_ref().map(|n| &n.data) == Some(&string(name)))
            .unwrap_or_else(|| panic!("{name} not found"))
            .identity
            .clone()
    };
    let subscription = "00000000-0000-0000-0000-000000000001";
    let web = by_name("web");
    assert_eq!(data(&web.resource_group), string("rg-web"));
    assert_eq!(
        slice(text, &web.resource_group),
        r#""resourceGroup": "[parameters('group')]""#
    );
    assert_eq!(
        web.resource_group.as_ref().unwrap().origin[0].note,
        "default of parameter `group`"
    );
    assert_eq!(data(&web.subscription), string(subscription));
    assert_eq!(
        data(&web.id),
        string(&format!(
            "/subscriptions/{subscription}/resourceGroups/rg-web/providers/Microsoft.Web/sites/web"
        ))
    );
    // The id points at the name, and shows where the resource group came from.
    assert_eq!(slice(text, &web.id), r#""name": "web""#);
    assert!(
        web.id
            .as_ref()
            .unwrap()
            .origin
            .iter()
            .any(|o| o.note == "default of parameter `group`")
    );
    let staging = by_name("staging");
    assert_eq!(
        data(&staging.id),
        string(&format!(
            "/subscriptions/{subscription}/resourceGroups/rg-web/providers/Microsoft.Web/sites/web/slots/staging"
        ))
    );
    // A deployment nested inside, naming neither, deploys where its parent does.
    assert_eq!(data(&by_name("api").resource_group), string("rg-web"));
    assert_eq!(data(&by_name("api").subscription), string(subscription));
    // Only the deployment resource's own members say where it deploys (not `properties`);
    // after it, the template's own deployment again.
    for name in ["outside-group", "after"] {
        assert_eq!(
            names(&by_name(name))[2..],
            [deployment_group(), None, None],
            "{name}"
        );
    }
}

#[test]
fn resource_group_alone_gives_no_id_and_subscription_alone_no_resource_group() {
    let text = r#"{"resources": [
        {"type": "Microsoft.Resources/deployments", "name": "rg-only", "resourceGroup": "rg-web",
         "properties": {"template": {"resources": [
            {"type": "Microsoft.Web/sites", "name": "web"}]}}},
        {"type": "Microsoft.Resources/deployments", "name": "sub-only", "subscriptionId": "sub-1",
         "properties": {"template": {"resources": [
            {"type": "Microsoft.Web/sites", "name": "api"}]}}}]}"#;
    let all = walk(text);
    assert_eq!(
        names(&all[0].identity),
        [
            Some(string("web")),
            None,
            Some(string("rg-web")),
            None,
            None
        ]
    );
    assert_eq!(
        data(&all[1].identity.resource_group),
        Data::Unknown("the deployment sets `subscriptionId` but no `resourceGroup`".into())
    );
    assert_eq!(data(&all[1].identity.subscription), string("sub-1"));
    assert_eq!(all[1].identity.id, None);
}

#[test]
fn unresolved_resource_group_of_a_deployment_is_unknown() {
    let text = r#"{"parameters": {"group": {"type": "string"}}, "resources": [
        {"type": "Microsoft.Resources/deployments", "name": "to-web",
         "resourceGroup": "[parameters('group')]", "subscriptionId": "sub-1",
         "properties": {"template": {"resources": [
            {"type": "Microsoft.Web/sites", "name": "web"}]}}}]}"#;
    let identity = one(text);
    assert_eq!(
        data(&identity.resource_group),
        Data::Unknown(
            "parameter `group` has no defaultValue and no value in any parameter file".into()
        )
    );
    assert_eq!(identity.id, None);
}

/// The judged resources of one fixture folder ([`crate::harness::judged_fixture`]).
fn fixture(name: &str) -> Vec<Resource> {
    crate::harness::judged_fixture(&format!("arm/{name}"))
}

#[test]
fn fixture_slot_names_split_and_inherit_the_site_name() {
    let all = fixture("identity_slot_names");
    let found: Vec<_> = all
        .iter()
        .map(|r| {
            (
                r.address.as_str(),
                data(&r.identity.name),
                r.identity.parent.as_ref().map(|p| p.data.clone()),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("orders-api", string("orders-api"), None),
            (
                "orders-api/canary",
                string("canary"),
                Some(string("orders-api"))
            ),
            (
                "orders-api/staging",
                string("staging"),
                Some(string("orders-api"))
            ),
        ]
    );
}

#[test]
fn fixture_parameter_files_name_one_site_per_scenario() {
    let names: Vec<_> = fixture("identity_parameter_file")
        .iter()
        .map(|r| {
            (
                r.scenario.clone().unwrap_or_default(),
                data(&r.identity.name),
            )
        })
        .collect();
    assert_eq!(names.len(), 2);
    assert!(
        names[0].0.contains("dev") && names[1].0.contains("prod"),
        "{names:?}"
    );
    assert_eq!(
        (names[0].1.clone(), names[1].1.clone()),
        (string("billing-dev"), string("billing-prod"))
    );
}

#[test]
fn fixture_nested_deployment_gives_the_full_resource_id() {
    let all = fixture("identity_nested_deployment_group");
    assert_eq!(
        names(&all[0].identity)[2..],
        [deployment_group(), None, None],
        "payments-admin deploys to the deployment's own resource group"
    );
    assert_eq!(
        data(&all[1].identity.id),
        string(
            "/subscriptions/6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f/resourceGroups/\
             rg-payments-prod/providers/Microsoft.Web/sites/payments-web"
        )
    );
}

#[test]
fn linked_template_sites_deploy_where_the_linking_deployment_says() {
    let main = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
      "resources": [{"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01",
        "name": "web", "resourceGroup": "rg-linked", "subscriptionId": "sub-linked",
        "properties": {"mode": "Incremental", "templateLink": {"relativePath": "site.json"},
          "parameters": {"siteName": {"value": "linked-web"}}}}]}"#;
    let site = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
      "parameters": {"siteName": {"type": "string"}},
      "resources": [{"type": "Microsoft.Web/sites", "name": "[parameters('siteName')]"}]}"#;
    let report = scan_in_memory(
        &[File::new("main.json", main), File::new("site.json", site)],
        &Default::default(),
    );
    let all: Vec<&Resource> = report.groups.iter().flatten().collect();
    assert_eq!(
        all.len(),
        1,
        "the linked template is judged through its caller only"
    );
    assert_eq!(
        data(&all[0].identity.id),
        string(
            "/subscriptions/sub-linked/resourceGroups/rg-linked/providers/Microsoft.Web/sites/linked-web"
        )
    );
}
