//! Tests of the ARM rollout inputs: each extraction on the model resources the front end
//! lowers (literal, parameter, parameter file scenario, union, copy and unresolved lists,
//! missing values).

use crate::harness::{File, scan_in_memory};
use crate::model::test_values::{data, slice, string};
use crate::model::{AccessRule, Data, Resource, Restrictions, RolloutInputs, Tags, Value};

fn one(text: &str) -> (Resource, String) {
    let mut all = super::super::walk_text(text).0;
    assert_eq!(all.len(), 1, "one site expected");
    (all.remove(0), text.to_string())
}

fn site(properties: &str, tags: &str) -> String {
    format!(
        r#"{{"parameters": {{"access": {{"type": "string", "defaultValue": "Disabled"}},
              "rules": {{"type": "array"}}, "env": {{"type": "string", "defaultValue": "prod"}}}},
            "variables": {{"common": {{"owner": "web-team", "Env": "staging"}},
              "config": {{"ipSecurityRestrictionsDefaultAction": "Deny"}}}},
            "resources": [{{"type": "Microsoft.Web/sites", "name": "web",
              "properties": {properties}{tags}}}]}}"#
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
    let (r, text) = one(&site(
        r#"{"publicNetworkAccess": "enabled", "siteConfig": {
             "ipSecurityRestrictionsDefaultAction": "Deny",
             "ipSecurityRestrictions": [
               {"action": "Allow", "ipAddress": "10.0.0.0/8", "priority": 100},
               {"ipAddress": "AzureFrontDoor.Backend", "tag": "servicetag"},
               {"action": "Deny", "ipAddress": "Any", "tag": "XffProxy"},
               {"vnetSubnetResourceId": "/subscriptions/s/subnets/a"}]}}"#,
        r#", "tags": {"Environment": "prod", "owner": "me", "STAGE": "blue", "env": null}"#,
    ));
    let inputs = &r.rollout;
    assert_eq!(data(&inputs.public_access), string("enabled"));
    assert_eq!(
        slice(&text, &inputs.public_access),
        r#""publicNetworkAccess": "enabled""#
    );
    assert_eq!(data(&inputs.default_action), string("Deny"));
    assert_eq!(
        slice(&text, &inputs.default_action),
        r#""ipSecurityRestrictionsDefaultAction": "Deny""#
    );
    let rules = rules(inputs);
    assert_eq!(rules.len(), 4);
    assert!(text[rules[0].span.range()].starts_with(r#"{"action": "Allow""#));
    assert_eq!(data(&rules[0].action), string("Allow"));
    assert_eq!(data(&rules[0].ip_address), string("10.0.0.0/8"));
    assert_eq!(rules[0].service_tag, None);
    assert_eq!(rules[1].action, None);
    assert_eq!(rules[1].ip_address, None);
    assert_eq!(
        data(&rules[1].service_tag),
        string("AzureFrontDoor.Backend")
    );
    assert_eq!(data(&rules[2].ip_address), string("Any"));
    assert_eq!(rules[2].service_tag, None);
    assert_eq!(data(&rules[3].subnet), string("/subscriptions/s/subnets/a"));
    assert_eq!(
        tag_entries(inputs),
        vec![
            ("Environment".to_string(), string("prod")),
            ("STAGE".to_string(), string("blue")),
        ]
    );
    let Tags::Entries(entries) = &inputs.tags else {
        unreachable!()
    };
    assert_eq!(&text[entries[0].1.span.range()], r#""Environment": "prod""#);
}

#[test]
fn missing_settings_are_absent() {
    let (r, _) = one(&site(r#"{"siteConfig": {"alwaysOn": true}}"#, ""));
    assert_eq!(r.rollout, RolloutInputs::default());
    let (r, _) = one(&site(
        r#"{"publicNetworkAccess": null, "siteConfig": {"ipSecurityRestrictions": null}}"#,
        r#", "tags": {"owner": "me"}"#,
    ));
    assert_eq!(r.rollout, RolloutInputs::default());
    let (r, _) = one(r#"{"resources": [{"type": "Microsoft.Web/sites", "name": "w"}]}"#);
    assert_eq!(r.rollout, RolloutInputs::default());
}

#[test]
fn parameters_and_variables_resolve_with_their_origin() {
    let (r, text) = one(&site(
        r#"{"publicNetworkAccess": "[parameters('access')]",
            "siteConfig": "[variables('config')]"}"#,
        r#", "tags": "[union(variables('common'), createObject('env', parameters('env')))]""#,
    ));
    let access = r.rollout.public_access.as_ref().unwrap();
    assert_eq!(access.data, string("Disabled"));
    assert_eq!(access.origin[0].note, "default of parameter `access`");
    let action = r.rollout.default_action.as_ref().unwrap();
    assert_eq!(action.data, string("Deny"));
    assert_eq!(
        &text[action.span.range()],
        r#""siteConfig": "[variables('config')]""#
    );
    assert_eq!(
        action.origin[0].note,
        "`ipSecurityRestrictionsDefaultAction` in variable `config`"
    );
    assert_eq!(r.rollout.restrictions, Restrictions::Absent);
    // `union` merges keys ignoring case (the later `env` replaces `Env`); the owner is not
    // an environment key.
    assert_eq!(
        tag_entries(&r.rollout),
        vec![("env".to_string(), string("prod"))]
    );
}

#[test]
fn computed_rule_lists_are_read_rule_by_rule() {
    let text = r#"{"variables": {"rules": [
          {"action": "Allow", "ipAddress": "AzureFrontDoor.Backend", "tag": "ServiceTag"}]},
        "resources": [{"type": "Microsoft.Web/sites", "name": "web", "properties": {
          "siteConfig": {"ipSecurityRestrictions": "[variables('rules')]"}}}]}"#;
    let (r, _) = one(text);
    let rules = rules(&r.rollout);
    assert_eq!(rules.len(), 1);
    assert_eq!(
        &text[rules[0].span.range()],
        r#""ipSecurityRestrictions": "[variables('rules')]""#
    );
    let tag = rules[0].service_tag.as_ref().unwrap();
    assert_eq!(tag.data, string("AzureFrontDoor.Backend"));
    assert!(!tag.origin.is_empty());
}

#[test]
fn unresolved_lists_rules_and_tags_are_unknown_with_the_reason() {
    let (r, _) = one(&site(
        r#"{"siteConfig": {"ipSecurityRestrictions": "[parameters('rules')]"}}"#,
        r#", "tags": "[parameters('tags')]""#,
    ));
    assert!(unknown_restrictions(&r.rollout).contains("`rules`"));
    assert!(matches!(
        &r.rollout.tags,
        Tags::Unknown(Value { data: Data::Unknown(why), .. }) if why.contains("`tags`")
    ));
    let (r, _) = one(&site(
        r#"{"siteConfig": {"ipSecurityRestrictions": [
             {"ipAddress": "Internet", "tag": "[reference('x').tag]"}]}}"#,
        "",
    ));
    let why = unknown_restrictions(&r.rollout);
    assert!(why.starts_with("the `tag` of rule 1 is unknown"), "{why}");
    let (r, _) = one(&site(
        r#"{"siteConfig": {"ipSecurityRestrictions": [{"action": "Allow"}, "[reference('x')]"]}}"#,
        "",
    ));
    assert!(unknown_restrictions(&r.rollout).starts_with("rule 2 is unknown"));
    let (r, _) = one(&site(
        r#"{"siteConfig": {"ipSecurityRestrictions": "[[not a list]"}}"#,
        "",
    ));
    assert!(unknown_restrictions(&r.rollout).contains("is a string, not a list of rules"));
    let (r, _) = one(&site(
        r#"{"siteConfig": {"ipSecurityRestrictions": {}}}"#,
        "",
    ));
    assert!(unknown_restrictions(&r.rollout).contains("is an object, not a list of rules"));
    // An unknown value inside a known rule stays a value: the decision is the rollout's.
    let (r, _) = one(&site(
        r#"{"siteConfig": {"ipSecurityRestrictions": [{"action": "[reference('x').a]"}]}}"#,
        "",
    ));
    assert!(matches!(
        data(&rules(&r.rollout)[0].action),
        Data::Unknown(_)
    ));
}

#[test]
fn a_property_copy_loop_makes_the_rules_unknown() {
    let (r, text) = one(&site(
        r#"{"siteConfig": {"ipSecurityRestrictionsDefaultAction": "Deny",
             "copy": [{"name": "ipSecurityRestrictions", "count": 2,
                       "input": {"ipAddress": "10.0.0.1/32"}}]}}"#,
        "",
    ));
    assert!(unknown_restrictions(&r.rollout).contains("property `copy` loop"));
    let Restrictions::Unknown(value) = &r.rollout.restrictions else {
        unreachable!()
    };
    assert!(text[value.span.range()].starts_with(r#""copy": ["#));
    assert_eq!(data(&r.rollout.default_action), string("Deny"));
    // A copy loop of another property does not matter.
    let (r, _) = one(&site(
        r#"{"siteConfig": {"copy": [{"name": "appSettings", "count": 1, "input": {}}]}}"#,
        "",
    ));
    assert_eq!(r.rollout.restrictions, Restrictions::Absent);
}

#[test]
fn a_computed_properties_object_is_read_through_union() {
    let (r, _) = one(&site(
        r#""[union(parameters('base'), createObject('publicNetworkAccess', 'Disabled',
             'siteConfig', variables('config')))]""#,
        "",
    ));
    assert_eq!(data(&r.rollout.public_access), string("Disabled"));
    assert_eq!(data(&r.rollout.default_action), string("Deny"));
}

#[test]
fn languageversion_2_symbolic_resources_and_nested_deployments_are_read() {
    let text = r#"{"languageVersion": "2.0", "resources": {"site": {
        "type": "Microsoft.Web/sites", "name": "v2", "tags": {"env": "dev"},
        "properties": {"publicNetworkAccess": "Disabled"}},
      "inner": {"type": "Microsoft.Resources/deployments", "name": "inner",
        "properties": {"expressionEvaluationOptions": {"scope": "inner"},
          "parameters": {"env": {"value": "prod"}},
          "template": {"parameters": {"env": {"type": "string"}}, "resources": [
            {"type": "Microsoft.Web/sites", "name": "nested",
             "tags": {"environment": "[parameters('env')]"}}]}}}}}"#;
    let all = super::super::walk_text(text).0;
    let addresses: Vec<_> = all.iter().map(|r| r.address.as_str()).collect();
    assert_eq!(all.len(), 2, "{addresses:?}");
    // Symbolic resources are addressed by their symbolic name.
    assert_eq!(addresses, vec!["site", "inner > nested"]);
    let v2 = &all[0];
    assert_eq!(data(&v2.rollout.public_access), string("Disabled"));
    assert_eq!(
        tag_entries(&v2.rollout),
        vec![("env".into(), string("dev"))]
    );
    let nested = &all[1];
    assert_eq!(
        tag_entries(&nested.rollout),
        vec![("environment".into(), string("prod"))]
    );
}

#[test]
fn each_parameter_file_scenario_gets_its_own_values() {
    let template = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
      "parameters": {"env": {"type": "string"},
        "access": {"type": "string", "defaultValue": "Enabled"}},
      "resources": [{"type": "Microsoft.Web/sites", "name": "web",
        "tags": {"environment": "[parameters('env')]"},
        "properties": {"publicNetworkAccess": "[parameters('access')]"}}]}"#;
    let parameters = |values: &str| {
        format!(
            r#"{{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
                "parameters": {{{values}}}}}"#
        )
    };
    let report = scan_in_memory(
        &[
            File::new("azuredeploy.json", template),
            File::new(
                "azuredeploy.parameters.dev.json",
                parameters(r#""env": {"value": "dev"}"#),
            ),
            File::new(
                "azuredeploy.parameters.prod.json",
                parameters(r#""env": {"value": "prod"}, "access": {"value": "Disabled"}"#),
            ),
        ],
        &Default::default(),
    );
    let mut seen: Vec<(String, Data, Data)> = report
        .groups
        .iter()
        .flatten()
        .map(|r| {
            let env = tag_entries(&r.rollout).remove(0).1;
            let scenario = r.scenario.clone().unwrap_or_default();
            (scenario, env, data(&r.rollout.public_access))
        })
        .collect();
    seen.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert!(seen[0].0.contains("dev") && seen[1].0.contains("prod"));
    assert_eq!(
        (seen[0].1.clone(), seen[0].2.clone()),
        (string("dev"), string("Enabled"))
    );
    assert_eq!(
        (seen[1].1.clone(), seen[1].2.clone()),
        (string("prod"), string("Disabled"))
    );
    let prod = report
        .groups
        .iter()
        .flatten()
        .find(|r| r.scenario.as_deref().is_some_and(|s| s.contains("prod")))
        .unwrap();
    let access = prod.rollout.public_access.as_ref().unwrap();
    assert!(
        access
            .origin
            .iter()
            .any(|hop| hop.kind == crate::model::OriginKind::ParameterFile),
        "{:?}",
        access.origin
    );
}

/// The judged resources of one fixture folder ([`crate::harness::judged_fixture`]).
fn fixture(name: &str) -> Vec<Resource> {
    crate::harness::judged_fixture(&format!("arm/{name}"))
}

#[test]
fn the_rollout_fixtures_hold_the_inputs_they_are_named_after() {
    let disabled = fixture("rollout_public_access_disabled");
    assert_eq!(data(&disabled[0].rollout.public_access), string("Disabled"));

    let tagged = fixture("rollout_restrictions_service_tag");
    let inputs = &tagged[0].rollout;
    assert_eq!(data(&inputs.default_action), string("Deny"));
    assert_eq!(
        data(&rules(inputs)[0].service_tag),
        string("AzureFrontDoor.Backend")
    );

    let copied = fixture("rollout_restrictions_copy_loop");
    assert!(unknown_restrictions(&copied[0].rollout).contains("`copy` loop"));

    let scenarios = fixture("rollout_tags_parameter_file");
    let environments: Vec<_> = scenarios.iter().map(|r| tag_entries(&r.rollout)).collect();
    assert_eq!(
        environments,
        vec![
            vec![("environment".to_string(), string("live"))],
            vec![("environment".to_string(), string("test"))],
        ]
    );
}

#[test]
fn computed_tag_names_only_hide_the_entries_when_they_may_name_the_environment() {
    let (r, _) = one(&site(
        "{}",
        r#", "tags": {"[concat('hidden-related:', resourceGroup().id)]": "empty",
             "[format('env{0}', '')]": "prod", "[[env]": "escaped"}"#,
    ));
    assert_eq!(
        tag_entries(&r.rollout),
        vec![("env".into(), string("prod"))]
    );
    let (r, _) = one(&site(
        "{}",
        r#", "tags": {"[resourceGroup().tags.key]": "prod"}"#,
    ));
    assert!(matches!(
        &r.rollout.tags,
        Tags::Unknown(Value { data: Data::Unknown(why), .. })
            if why.starts_with("the tag name `[resourceGroup().tags.key]` may name")
    ));
}
