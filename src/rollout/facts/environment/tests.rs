use super::super::testing::{site, text, unknown};
use super::*;
use crate::config::PathGlob;
use crate::model::Value;

fn config(production: &[&str], non_production: &[&str]) -> Config {
    let globs = |list: &[&str], offset: usize| -> Vec<EnvironmentGlob> {
        list.iter()
            .enumerate()
            .map(|(i, g)| EnvironmentGlob {
                glob: PathGlob::new(g).unwrap(),
                span: offset + i * 10..offset + i * 10 + 5,
            })
            .collect()
    };
    let mut config = Config::default();
    config.environments.production = globs(production, 100);
    config.environments.non_production = globs(non_production, 200);
    config.file = Some(7);
    config
}

fn placed(file: &str, scenario: Option<&str>) -> Place {
    Place {
        file_in_config: Some(file.to_string()),
        scenario_in_config: scenario.map(str::to_string),
        scenario_span: scenario.map(|_| Span::new(3, 0..0)),
        scenario_path: scenario.map(str::to_string),
        project_path: Some(file.to_string()),
    }
}

fn tagged(entries: &[(&str, Value)]) -> Resource {
    let mut resource = site("azurerm_linux_web_app");
    resource.rollout.tags = Tags::Entries(
        entries
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    );
    resource
}

fn decide(resource: &Resource, config: &Config, place: &Place) -> (Environment, String) {
    let fact = environment(resource, config, place);
    (fact.value, fact.reason)
}

#[test]
fn a_config_glob_decides_first_and_points_at_the_glob() {
    let config = config(&["envs/prod/**"], &["envs/dev/**"]);
    // The tag would say otherwise: the config wins.
    let resource = tagged(&[("environment", text("dev", 10..20))]);
    let fact = environment(&resource, &config, &placed("envs/prod/main.tf", None));
    assert_eq!(fact.value, Environment::Production);
    assert_eq!(
        fact.reason,
        "[environments] production glob `envs/prod/**` matches envs/prod/main.tf"
    );
    assert_eq!(fact.span, Some(Span::new(7, 100..105)));
    let dev = decide(&resource, &config, &placed("envs/dev/main.tf", None));
    assert_eq!(dev.0, Environment::NonProduction);
}

#[test]
fn a_glob_on_the_scenario_file_wins_over_one_on_the_site_file() {
    let config = config(&["*.prod.bicepparam"], &["modules/**"]);
    let place = placed("modules/web.bicep", Some("envs/main.prod.bicepparam"));
    assert_eq!(
        decide(&site("Microsoft.Web/sites"), &config, &place).0,
        Environment::Production
    );
    // Without a scenario the module's own glob decides.
    let alone = placed("modules/web.bicep", None);
    assert_eq!(
        decide(&site("Microsoft.Web/sites"), &config, &alone).0,
        Environment::NonProduction
    );
}

#[test]
fn production_globs_are_tried_before_non_production_ones() {
    let config = config(&["envs/**"], &["envs/dev/**"]);
    assert_eq!(
        decide(&site("x"), &config, &placed("envs/dev/main.tf", None)).0,
        Environment::Production
    );
}

#[test]
fn each_tag_key_names_the_environment() {
    let none = Config::default();
    let nowhere = Place::default();
    for key in ["environment", "Env", "STAGE"] {
        let (value, reason) = decide(
            &tagged(&[(key, text("Production", 10..20))]),
            &none,
            &nowhere,
        );
        assert_eq!(value, Environment::Production, "{key}");
        assert_eq!(reason, format!("tag `{key}` = \"Production\""));
    }
    let fact = environment(&tagged(&[("env", text("uat", 30..40))]), &none, &nowhere);
    assert_eq!(fact.value, Environment::NonProduction);
    assert_eq!(fact.span, Some(Span::new(0, 30..40)));
}

#[test]
fn tag_keys_count_in_order_environment_env_stage() {
    let resource = tagged(&[
        ("stage", text("blue", 1..2)),
        ("env", text("dev", 3..4)),
        ("environment", text("prd", 5..6)),
    ]);
    assert_eq!(
        decide(&resource, &Config::default(), &Place::default()).0,
        Environment::Production
    );
}

#[test]
fn an_unknown_or_unresolved_tag_value_decides_nothing_and_the_next_rule_does() {
    let resource = tagged(&[
        ("environment", text("shared", 1..2)),
        ("env", unknown(3..4)),
    ]);
    let place = placed("envs/app/main.tf", Some("stg.tfvars"));
    let (value, reason) = decide(&resource, &Config::default(), &place);
    assert_eq!(value, Environment::NonProduction);
    assert_eq!(reason, "`stg` in the scenario stg.tfvars");
    let untagged = decide(&resource, &Config::default(), &Place::default());
    assert_eq!(untagged.0, Environment::Unknown);
}

#[test]
fn the_scenario_name_decides_before_the_path() {
    let place = placed("envs/dev/main.tf", Some("main.prod.bicepparam"));
    let fact = environment(&site("x"), &Config::default(), &place);
    assert_eq!(fact.value, Environment::Production);
    assert_eq!(fact.span, Some(Span::new(3, 0..0)));
}

#[test]
fn a_terragrunt_unit_is_named_by_its_innermost_environment_directory() {
    let place = placed(
        "modules/web/main.tf",
        Some("live/prod/dev/app/terragrunt.hcl"),
    );
    assert_eq!(
        decide(&site("x"), &Config::default(), &place),
        (
            Environment::NonProduction,
            "`dev` in the scenario live/prod/dev/app/terragrunt.hcl".into()
        )
    );
    // `live` is the conventional root of every Terragrunt environment, not one of them.
    let unnamed = placed("modules/web/main.tf", Some("live/app/terragrunt.hcl"));
    assert_eq!(
        decide(&site("x"), &Config::default(), &unnamed).0,
        Environment::Unknown
    );
}

#[test]
fn the_path_decides_by_directories_only() {
    let place = placed("infra/prod-eu/web/main.tf", None);
    assert_eq!(
        decide(&site("x"), &Config::default(), &place),
        (
            Environment::Production,
            "directory word `prod` in infra/prod-eu/web/main.tf".into()
        )
    );
    // The file's own name is no directory.
    let file = placed("infra/prod.tf", None);
    assert_eq!(
        decide(&site("x"), &Config::default(), &file).0,
        Environment::Unknown
    );
}

#[test]
fn nothing_that_names_an_environment_is_unknown() {
    let fact = environment(
        &site("x"),
        &Config::default(),
        &placed("infra/web/main.tf", Some("main.parameters.json")),
    );
    assert_eq!(fact.value, Environment::Unknown);
    assert_eq!(fact.span, None);
}
