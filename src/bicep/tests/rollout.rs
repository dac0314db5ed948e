//! The Bicep rollout inputs, on the model resources an in-memory scan lowers: literal,
//! parameter default, `.bicepparam` scenario, module parameter, imported variable, `union` and
//! spreads, loops, unresolved lists and missing values.

use crate::harness::{File, scan_in_memory};
use crate::model::test_values::{data, slice, string};
use crate::model::{AccessRule, Data, Resource, Restrictions, RolloutInputs, Tags, Value};

/// Every site of `files`, with the text of `main.bicep` for spans.
fn sites(files: &[(&str, &str)]) -> Vec<Resource> {
    let files: Vec<File> = files.iter().map(|(p, t)| File::new(*p, *t)).collect();
    let report = scan_in_memory(&files, &Default::default());
    let mut all: Vec<Resource> = report.groups.into_iter().flatten().collect();
    all.sort_by(|a, b| (&a.address, &a.scenario).cmp(&(&b.address, &b.scenario)));
    all
}

fn one(text: &str) -> Resource {
    let mut all = sites(&[("main.bicep", text)]);
    assert_eq!(all.len(), 1, "one site expected");
    all.remove(0)
}

fn site(properties: &str, tags: &str) -> String {
    format!(
        "param access string = 'Disabled'\nparam rules array\nparam env string = 'prod'\n\
         param extra object\n\
         var common = {{ owner: 'web-team', stage: 'blue' }}\n\
         var config = {{ ipSecurityRestrictionsDefaultAction: 'Deny' }}\n\
         resource web 'Microsoft.Web/sites@2023-12-01' = {{\n  name: 'web'\n  \
         location: 'westeurope'\n{tags}\n  properties: {properties}\n}}\n"
    )
}

fn rules(inputs: &RolloutInputs) -> &[AccessRule] {
    match &inputs.restrictions {
        Restrictions::Rules(rules) => rules,
        other => panic!("rules expected, got {other:?}"),
    }
}

fn unknown_restrictions(inputs: &RolloutInputs) -> String {
    match &inputs.restrictions {
        Restrictions::Unknown(Value {
            data: Data::Unknown(why),
            ..
        }) => why.clone(),
        other => panic!("unknown restrictions expected, got {other:?}"),
    }
}

fn tag_entries(inputs: &RolloutInputs) -> Vec<(String, Data)> {
    match &inputs.tags {
        Tags::Entries(entries) => entries
            .iter()
            .map(|(key, value)| (key.clone(), value.data.clone()))
            .collect(),
        other => panic!("tag entries expected, got {other:?}"),
    }
}

#[test]
fn literal_settings_rules_and_tags_are_read_with_their_spans() {
    let text = site(
        "{\n    publicNetworkAccess: 'Enabled'\n    siteConfig: {\n      \
         ipSecurityRestrictionsDefaultAction: 'Deny'\n      ipSecurityRestrictions: [\n        \
         { action: 'Allow', ipAddress: '10.0.0.0/8' }\n        \
         { ipAddress: 'AzureFrontDoor.Backend', tag: 'ServiceTag' }\n        \
         { ipAddress: 'Any', tag: 'Default', action: 'Deny' }\n        \
         { vnetSubnetResourceId: '/subscriptions/s/subnets/a' }\n      ]\n    }\n  }",
        "  tags: {\n    Environment: 'prod'\n    owner: 'me'\n    env: null\n  }",
    );
    let r = one(&text);
    let inputs = &r.rollout;
    assert_eq!(data(&inputs.public_access), string("Enabled"));
    assert_eq!(
        slice(&text, &inputs.public_access),
        "publicNetworkAccess: 'Enabled'"
    );
    assert_eq!(data(&inputs.default_action), string("Deny"));
    assert_eq!(
        slice(&text, &inputs.default_action),
        "ipSecurityRestrictionsDefaultAction: 'Deny'"
    );
    let rules = rules(inputs);
    assert_eq!(rules.len(), 4);
    assert_eq!(
        &text[rules[0].span.range()],
        "{ action: 'Allow', ipAddress: '10.0.0.0/8' }"
    );
    assert_eq!(data(&rules[0].action), string("Allow"));
    assert_eq!(data(&rules[0].ip_address), string("10.0.0.0/8"));
    assert_eq!((&rules[1].action, &rules[1].ip_address), (&None, &None));
    assert_eq!(
        data(&rules[1].service_tag),
        string("AzureFrontDoor.Backend")
    );
    assert_eq!(data(&rules[2].ip_address), string("Any"));
    assert_eq!(rules[2].service_tag, None);
    assert_eq!(data(&rules[3].subnet), string("/subscriptions/s/subnets/a"));
    assert_eq!(
        tag_entries(inputs),
        vec![("Environment".to_string(), string("prod"))]
    );
    let Tags::Entries(entries) = &inputs.tags else {
        unreachable!()
    };
    assert_eq!(&text[entries[0].1.span.range()], "Environment: 'prod'");
}

#[test]
fn missing_settings_are_absent() {
    let r = one(&site("{\n    siteConfig: { alwaysOn: true }\n  }", ""));
    assert_eq!(r.rollout, RolloutInputs::default());
    let r = one(&site(
        "{\n    publicNetworkAccess: null\n    siteConfig: { ipSecurityRestrictions: null }\n  }",
        "  tags: { owner: 'me' }",
    ));
    assert_eq!(r.rollout, RolloutInputs::default());
}

#[test]
fn parameters_and_variables_resolve_with_their_origin() {
    let text = site(
        "{\n    publicNetworkAccess: access\n    siteConfig: config\n  }",
        "  tags: union(common, { env: env })",
    );
    let r = one(&text);
    let access = r.rollout.public_access.as_ref().unwrap();
    assert_eq!(access.data, string("Disabled"));
    assert!(!access.origin.is_empty());
    let action = r.rollout.default_action.as_ref().unwrap();
    assert_eq!(action.data, string("Deny"));
    assert_eq!(&text[action.span.range()], "siteConfig: config");
    assert!(!action.origin.is_empty());
    // `union` merges the variable's `stage` with the literal's `env`; `owner` is no
    // environment key. Each entry points at where it is written.
    assert_eq!(
        tag_entries(&r.rollout),
        vec![
            ("stage".to_string(), string("blue")),
            ("env".to_string(), string("prod")),
        ]
    );
    let Tags::Entries(entries) = &r.rollout.tags else {
        unreachable!()
    };
    assert_eq!(&text[entries[1].1.span.range()], "env: env");
}

#[test]
fn spreads_merge_tags_and_settings() {
    let text = site(
        "{\n    ...{ publicNetworkAccess: 'Enabled' }\n    siteConfig: {\n      \
         ...config\n    }\n  }",
        "  tags: {\n    ...common\n    Env: 'dev'\n  }",
    );
    let r = one(&text);
    assert_eq!(data(&r.rollout.public_access), string("Enabled"));
    assert_eq!(data(&r.rollout.default_action), string("Deny"));
    assert_eq!(slice(&text, &r.rollout.default_action), "...config");
    assert_eq!(
        tag_entries(&r.rollout),
        vec![
            ("stage".to_string(), string("blue")),
            ("Env".to_string(), string("dev")),
        ]
    );
}

#[test]
fn unresolved_lists_rules_and_tags_are_unknown_with_the_reason() {
    let r = one(&site(
        "{\n    siteConfig: { ipSecurityRestrictions: rules }\n  }",
        "  tags: union(extra, { env: 'prod' })",
    ));
    assert!(unknown_restrictions(&r.rollout).contains("`rules`"));
    assert!(
        matches!(&r.rollout.tags, Tags::Unknown(_)),
        "{:?}",
        r.rollout.tags
    );
    let r = one(&site(
        "{\n    siteConfig: { ipSecurityRestrictions: [ { ipAddress: 'Internet', \
         tag: resourceGroup().tags.kind } ] }\n  }",
        "",
    ));
    let why = unknown_restrictions(&r.rollout);
    assert!(why.starts_with("the `tag` of rule 1 is unknown"), "{why}");
    let r = one(&site(
        "{\n    siteConfig: { ipSecurityRestrictions: [ { action: 'Allow' }, rules[0] ] }\n  }",
        "",
    ));
    assert!(unknown_restrictions(&r.rollout).starts_with("rule 2 is unknown"));
    let r = one(&site(
        "{\n    siteConfig: { ipSecurityRestrictions: [ '10.0.0.0/8' ] }\n  }",
        "",
    ));
    assert_eq!(
        unknown_restrictions(&r.rollout),
        "rule 1 is a string, not an object"
    );
    // A computed `siteConfig` that cannot be read says so in every value it holds.
    let r = one(&site("{\n    siteConfig: extra.siteConfig\n  }", ""));
    assert!(matches!(data(&r.rollout.default_action), Data::Unknown(_)));
    assert!(matches!(r.rollout.restrictions, Restrictions::Unknown(_)));
}

#[test]
fn for_expressions_over_known_arrays_give_one_rule_per_item() {
    let text = "var cidrs = [ '10.0.0.0/8', '192.168.0.0/16' ]\n\
        resource web 'Microsoft.Web/sites@2023-12-01' = {\n  name: 'web'\n  properties: {\n    \
        siteConfig: {\n      ipSecurityRestrictions: [for (cidr, i) in cidrs: {\n        \
        ipAddress: cidr\n        action: 'Allow'\n        priority: 100 + i\n      }]\n    }\n  }\n}\n";
    let r = one(text);
    let rules = rules(&r.rollout);
    assert_eq!(rules.len(), 2);
    assert_eq!(data(&rules[1].ip_address), string("192.168.0.0/16"));
    assert!(text[rules[0].span.range()].starts_with("ipSecurityRestrictions: [for"));
}

#[test]
fn bicepparam_scenarios_modules_and_imports_resolve() {
    let all = sites(&[
        (
            "main.bicep",
            "import { tagsFor } from 'shared.bicep'\nparam env string\n\
             module app 'modules/site.bicep' = {\n  name: 'app'\n  params: {\n    \
             access: env == 'prod' ? 'Disabled' : 'Enabled'\n    tags: tagsFor\n  }\n}\n",
        ),
        (
            "main.dev.bicepparam",
            "using './main.bicep'\nparam env = 'dev'\n",
        ),
        (
            "main.prod.bicepparam",
            "using './main.bicep'\nparam env = 'prod'\n",
        ),
        (
            "shared.bicep",
            "@export()\nvar tagsFor = { environment: 'live', team: 'web' }\n",
        ),
        (
            "modules/site.bicep",
            "param access string\nparam tags object\n\
             resource site 'Microsoft.Web/sites@2023-12-01' = {\n  name: 'site'\n  \
             tags: tags\n  properties: {\n    publicNetworkAccess: access\n  }\n}\n",
        ),
    ]);
    let seen: Vec<(Option<String>, Data)> = all
        .iter()
        .map(|r| (r.scenario.clone(), data(&r.rollout.public_access)))
        .collect();
    assert_eq!(seen.len(), 2, "{seen:?}");
    let dev = seen
        .iter()
        .find(|(s, _)| s.as_deref().is_some_and(|s| s.contains("dev")))
        .unwrap();
    let prod = seen
        .iter()
        .find(|(s, _)| s.as_deref().is_some_and(|s| s.contains("prod")))
        .unwrap();
    assert_eq!(dev.1, string("Enabled"));
    assert_eq!(prod.1, string("Disabled"));
    for site in &all {
        assert_eq!(
            tag_entries(&site.rollout),
            vec![("environment".to_string(), string("live"))]
        );
    }
}

/// The judged resources of one fixture folder ([`crate::harness::judged_fixture`]).
fn fixture(name: &str) -> Vec<Resource> {
    crate::harness::judged_fixture(&format!("bicep/{name}"))
}

#[test]
fn the_rollout_fixtures_hold_the_inputs_they_are_named_after() {
    let disabled = fixture("rollout_public_access_disabled");
    assert_eq!(data(&disabled[0].rollout.public_access), string("Disabled"));

    let restricted = fixture("rollout_restrictions_deny_default");
    let inputs = &restricted[0].rollout;
    assert_eq!(data(&inputs.default_action), string("Deny"));
    let rules = rules(inputs);
    assert_eq!(data(&rules[0].ip_address), string("203.0.113.0/24"));
    assert_eq!(
        data(&rules[1].service_tag),
        string("AzureFrontDoor.Backend")
    );

    let unresolved = fixture("rollout_restrictions_unresolved");
    assert!(unknown_restrictions(&unresolved[0].rollout).contains("`allowedRules`"));

    let scenarios = fixture("rollout_tags_union_bicepparam");
    let environments: Vec<_> = scenarios.iter().map(|r| tag_entries(&r.rollout)).collect();
    assert_eq!(
        environments,
        vec![
            vec![("Environment".to_string(), string("prd"))],
            vec![("Environment".to_string(), string("qa"))],
        ]
    );

    let module = fixture("rollout_tags_spread_module");
    assert_eq!(
        tag_entries(&module[0].rollout),
        vec![("env".to_string(), string("production"))]
    );
}

#[test]
fn computed_tag_names_only_hide_the_entries_when_they_may_name_the_environment() {
    let r = one(&site(
        "{}",
        "  tags: {\n    'hidden-related:${resourceGroup().id}': 'empty'\n    \
         'env': 'prod'\n    '${env}-owner': 'me'\n  }",
    ));
    assert_eq!(
        tag_entries(&r.rollout),
        vec![("env".to_string(), string("prod"))]
    );
    let r = one(&site(
        "{}",
        "  tags: union({ env: 'prod' }, {\n    '${resourceGroup().name}': 'x'\n  })",
    ));
    assert!(
        matches!(
            &r.rollout.tags,
            Tags::Unknown(Value { data: Data::Unknown(why), .. })
                if why.starts_with("the tag name `'${resourceGroup().name}'` may name the environment")
        ),
        "{:?}",
        r.rollout.tags
    );
}
