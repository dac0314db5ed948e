//! The Bicep site identity, on the model resources an in-memory scan lowers: literal,
//! parameter default, `.bicepparam` scenario, nested slot, `parent:` (an `existing` site too),
//! top-level `site/slot`, loops (instances named apart stay apart), module `scope:` (resource
//! group, subscription, a declared resource group) and unresolved names; and on the
//! `fixtures/bicep/identity_*` folders.

use crate::arm::identity::DEPLOYMENT_RESOURCE_GROUP;
use crate::harness::{File, scan_in_memory};
use crate::model::test_values::{data, names, slice, string};
use crate::model::{Data, Resource, SiteIdentity};

/// Every site of `files`, by address then scenario.
fn sites(files: &[(&str, &str)]) -> Vec<Resource> {
    let files: Vec<File> = files.iter().map(|(p, t)| File::new(*p, *t)).collect();
    let report = scan_in_memory(&files, &Default::default());
    let mut all: Vec<Resource> = report.groups.into_iter().flatten().collect();
    all.sort_by(|a, b| {
        (&a.address, &a.scenario, &a.instance).cmp(&(&b.address, &b.scenario, &b.instance))
    });
    all
}

fn main(text: &str) -> Vec<Resource> {
    sites(&[("main.bicep", text)])
}

fn identity(all: &[Resource], address: &str) -> SiteIdentity {
    all.iter()
        .find(|r| r.address == address)
        .unwrap_or_else(|| panic!("{address} not among {:?}", addresses(all)))
        .identity
        .clone()
}

fn addresses(all: &[Resource]) -> Vec<&str> {
    all.iter().map(|r| r.address.as_str()).collect()
}

fn deployment_group() -> Option<Data> {
    Some(Data::Unknown(DEPLOYMENT_RESOURCE_GROUP.into()))
}

#[test]
fn literal_name_and_the_deployments_unnamed_resource_group() {
    let text = "resource web 'Microsoft.Web/sites@2023-12-01' = {\n  name: 'web-prod'\n  \
                location: 'westeurope'\n}\n";
    let all = main(text);
    let web = identity(&all, "web");
    assert_eq!(
        names(&web),
        [
            Some(string("web-prod")),
            None,
            deployment_group(),
            None,
            None
        ]
    );
    assert_eq!(slice(text, &web.name), "name: 'web-prod'");
    assert_eq!(
        slice(text, &web.resource_group),
        "resource web 'Microsoft.Web/sites@2023-12-01'"
    );
}

#[test]
fn parameter_name_carries_its_origin_and_unresolved_names_say_why() {
    let text = "param env string = 'prod'\nparam other string\n\
                resource web 'Microsoft.Web/sites@2023-12-01' = {\n  name: 'web-${env}'\n}\n\
                resource api 'Microsoft.Web/sites@2023-12-01' = {\n  name: 'api-${other}'\n}\n\
                resource fn 'Microsoft.Web/sites@2023-12-01' = {\n  \
                name: 'fn-${uniqueString(resourceGroup().id)}'\n}\n";
    let all = main(text);
    let web = identity(&all, "web");
    assert_eq!(data(&web.name), string("web-prod"));
    assert!(
        web.name
            .as_ref()
            .unwrap()
            .origin
            .iter()
            .any(|o| o.note.contains("`env`")),
        "{:?}",
        web.name
    );
    let Data::Unknown(why) = data(&identity(&all, "api").name) else {
        panic!("unknown expected");
    };
    assert!(why.contains("`other`"), "{why}");
    assert!(matches!(data(&identity(&all, "fn").name), Data::Unknown(_)));
}

#[test]
fn each_bicepparam_scenario_names_its_own_site() {
    let all = sites(&[
        (
            "main.bicep",
            "param env string\nresource web 'Microsoft.Web/sites@2023-12-01' = {\n  \
             name: 'web-${env}'\n}\n",
        ),
        ("dev.bicepparam", "using 'main.bicep'\nparam env = 'dev'\n"),
        (
            "prod.bicepparam",
            "using 'main.bicep'\nparam env = 'prod'\n",
        ),
    ]);
    let seen: Vec<_> = all
        .iter()
        .map(|r| {
            (
                r.scenario.clone().unwrap_or_default(),
                data(&r.identity.name),
            )
        })
        .collect();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert!(
        seen[0].0.contains("dev") && seen[1].0.contains("prod"),
        "{seen:?}"
    );
    assert_eq!(
        (seen[0].1.clone(), seen[1].1.clone()),
        (string("web-dev"), string("web-prod"))
    );
}

#[test]
fn nested_slot_is_named_by_itself_and_its_site() {
    let text = "param site string = 'web'\n\
                resource web 'Microsoft.Web/sites@2023-12-01' = {\n  name: site\n  \
                resource staging 'slots' = {\n    name: 'staging'\n  }\n}\n";
    let all = main(text);
    let slot = identity(&all, "web::staging");
    assert_eq!(
        names(&slot),
        [
            Some(string("staging")),
            Some(string("web")),
            deployment_group(),
            None,
            None
        ]
    );
    assert_eq!(slice(text, &slot.parent), "name: site");
    assert_eq!(identity(&all, "web").parent, None);
}

#[test]
fn parent_names_the_site_of_a_top_level_slot_existing_or_not() {
    let text = "resource web 'Microsoft.Web/sites@2023-12-01' = {\n  name: 'web'\n}\n\
                resource shared 'Microsoft.Web/sites@2023-12-01' existing = {\n  \
                name: 'shared-site'\n}\n\
                resource blue 'Microsoft.Web/sites/slots@2023-12-01' = {\n  parent: web\n  \
                name: 'blue'\n}\n\
                resource green 'Microsoft.Web/sites/slots@2023-12-01' = {\n  parent: shared\n  \
                name: 'green'\n}\n\
                resource red 'Microsoft.Web/sites/slots@2023-12-01' = {\n  \
                name: '${web.name}/red'\n}\n";
    let all = main(text);
    assert_eq!(addresses(&all), ["blue", "green", "red", "web"]);
    let blue = identity(&all, "blue");
    assert_eq!(data(&blue.name), string("blue"));
    assert_eq!(data(&blue.parent), string("web"));
    assert_eq!(slice(text, &blue.parent), "parent: web");
    let green = identity(&all, "green");
    assert_eq!(data(&green.parent), string("shared-site"));
    let red = identity(&all, "red");
    assert_eq!(
        (data(&red.name), data(&red.parent)),
        (string("red"), string("web"))
    );
}

#[test]
fn loop_instances_named_apart_stay_apart_with_their_names() {
    let text = "resource webs 'Microsoft.Web/sites@2023-12-01' = [for env in ['dev', 'prod']: {\n  \
                name: 'web-${env}'\n}]\n";
    let all = main(text);
    let names: Vec<_> = all.iter().map(|r| data(&r.identity.name)).collect();
    assert_eq!(names, [string("web-dev"), string("web-prod")]);
}

/// A module file holding one site and one slot.
const SITE_MODULE: &str = "param name string\n\
    resource site 'Microsoft.Web/sites@2023-12-01' = {\n  name: name\n  \
    resource staging 'slots' = {\n    name: 'staging'\n  }\n}\n";

#[test]
fn module_scope_names_the_resource_group_and_subscription_of_its_sites() {
    let text = "param group string = 'rg-web'\n\
        module here 'site.bicep' = {\n  name: 'here'\n  params: { name: 'here' }\n}\n\
        module one 'site.bicep' = {\n  name: 'one'\n  scope: resourceGroup(group)\n  \
        params: { name: 'one' }\n}\n\
        module two 'site.bicep' = {\n  name: 'two'\n  \
        scope: az.resourceGroup('00000000-0000-0000-0000-000000000002', 'rg-two')\n  \
        params: { name: 'two' }\n}\n\
        module outer 'outer.bicep' = {\n  name: 'outer'\n  scope: resourceGroup('sub-3', 'rg-3')\n}\n";
    let outer = "module inner 'site.bicep' = {\n  name: 'inner'\n  params: { name: 'inner' }\n}\n\
        module same 'site.bicep' = {\n  name: 'same'\n  scope: resourceGroup()\n  \
        params: { name: 'same' }\n}\n\
        module moved 'site.bicep' = {\n  name: 'moved'\n  scope: resourceGroup('rg-moved')\n  \
        params: { name: 'moved' }\n}\n";
    let all = sites(&[
        ("main.bicep", text),
        ("site.bicep", SITE_MODULE),
        ("outer.bicep", outer),
    ]);
    let here = identity(&all, "here > site");
    assert_eq!(names(&here)[2..], [deployment_group(), None, None]);

    let one = identity(&all, "one > site");
    assert_eq!(data(&one.resource_group), string("rg-web"));
    assert_eq!(
        slice(text, &one.resource_group),
        "scope: resourceGroup(group)"
    );
    assert!(
        one.resource_group
            .as_ref()
            .unwrap()
            .origin
            .iter()
            .any(|o| o.note.contains("`group`"))
    );
    assert_eq!((one.subscription, one.id), (None, None));

    let subscription = "00000000-0000-0000-0000-000000000002";
    let two = identity(&all, "two > site");
    assert_eq!(
        names(&two)[2..],
        [
            Some(string("rg-two")),
            Some(string(subscription)),
            Some(string(&format!(
                "/subscriptions/{subscription}/resourceGroups/rg-two/providers/Microsoft.Web/sites/two"
            )))
        ]
    );
    assert_eq!(
        data(&identity(&all, "two > site::staging").id),
        string(&format!(
            "/subscriptions/{subscription}/resourceGroups/rg-two/providers/Microsoft.Web/sites/two/slots/staging"
        ))
    );
    // Modules inside a scoped module deploy where it does unless they name their own scope;
    // a new resource group keeps the subscription.
    for (address, group) in [
        ("outer > inner > site", "rg-3"),
        ("outer > same > site", "rg-3"),
        ("outer > moved > site", "rg-moved"),
    ] {
        let found = identity(&all, address);
        assert_eq!(
            (data(&found.resource_group), data(&found.subscription)),
            (string(group), string("sub-3")),
            "{address}"
        );
    }
}

#[test]
fn module_scope_of_a_declared_resource_group_or_subscription() {
    let text = "targetScope = 'subscription'\n\
        resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {\n  name: 'rg-new'\n  \
        location: 'westeurope'\n}\n\
        module web 'site.bicep' = {\n  name: 'web'\n  scope: rg\n  params: { name: 'web' }\n}\n\
        module sub 'site.bicep' = {\n  name: 'sub'\n  scope: subscription('sub-9')\n  \
        params: { name: 'sub' }\n}\n\
        module odd 'site.bicep' = {\n  name: 'odd'\n  scope: tenant()\n  \
        params: { name: 'odd' }\n}\n";
    let all = sites(&[("main.bicep", text), ("site.bicep", SITE_MODULE)]);
    let web = identity(&all, "web > site");
    assert_eq!(data(&web.resource_group), string("rg-new"));
    assert_eq!(slice(text, &web.resource_group), "scope: rg");
    let sub = identity(&all, "sub > site");
    assert_eq!(
        data(&sub.resource_group),
        Data::Unknown("module `sub` deploys at subscription scope, in no resource group".into())
    );
    assert_eq!(data(&sub.subscription), string("sub-9"));
    assert_eq!(
        data(&identity(&all, "odd > site").resource_group),
        Data::Unknown(
            "the scope of module `odd` (`tenant()`) names no resource group certgate can read"
                .into()
        )
    );
}

#[test]
fn unresolved_module_scope_is_unknown_with_the_reason() {
    let text = "param group string\n\
        module web 'site.bicep' = {\n  name: 'web'\n  scope: resourceGroup(group)\n  \
        params: { name: 'web' }\n}\n";
    let all = sites(&[("main.bicep", text), ("site.bicep", SITE_MODULE)]);
    let web = identity(&all, "web > site");
    let Data::Unknown(why) = data(&web.resource_group) else {
        panic!("unknown expected: {:?}", web.resource_group);
    };
    assert!(why.contains("`group`"), "{why}");
    assert_eq!(web.id, None);
}

/// The judged resources of one fixture folder ([`crate::harness::judged_fixture`]).
fn fixture(name: &str) -> Vec<Resource> {
    crate::harness::judged_fixture(&format!("bicep/{name}"))
}

#[test]
fn fixture_module_scopes_name_resource_groups_and_the_subscription() {
    let all = fixture("identity_module_scope");
    let orders = identity(&all, "orders > site");
    assert_eq!(
        data(&orders.id),
        string(
            "/subscriptions/6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f/resourceGroups/\
             rg-orders-prod/providers/Microsoft.Web/sites/orders-web"
        )
    );
    let tools = identity(&all, "tools > site");
    assert_eq!(
        names(&tools),
        [
            Some(string("tools-web")),
            None,
            Some(string("rg-shared")),
            None,
            None
        ]
    );
}

#[test]
fn fixture_existing_and_enclosing_sites_name_their_slots() {
    let all = fixture("identity_parent_existing");
    assert_eq!(addresses(&all), ["api", "api::blue", "staging"]);
    let staging = identity(&all, "staging");
    assert_eq!(
        (data(&staging.name), data(&staging.parent)),
        (string("staging"), string("customer-portal"))
    );
    let blue = identity(&all, "api::blue");
    assert_eq!(
        (data(&blue.name), data(&blue.parent)),
        (string("blue"), string("customer-api"))
    );
}

#[test]
fn fixture_bicepparam_files_name_one_site_per_scenario() {
    let names: Vec<_> = fixture("identity_bicepparam")
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
        (string("catalog-dev"), string("catalog-prod"))
    );
}
