use super::*;
use crate::date::format_date;

fn errors(text: &str) -> Vec<(usize, usize, String)> {
    load(Path::new("certgate.toml"), text)
        .unwrap_err()
        .into_iter()
        .map(|e| (e.line, e.column, e.message))
        .collect()
}

/// The single error's position and message.
fn error(text: &str) -> (usize, usize, String) {
    let mut all = errors(text);
    assert_eq!(all.len(), 1, "{all:?}");
    all.remove(0)
}

#[test]
fn the_default_text_is_the_default_config() {
    let loaded = load(Path::new("certgate.toml"), default_text()).unwrap();
    assert_eq!(
        Config {
            source: None,
            ..loaded
        },
        Config::default()
    );
    assert_eq!(
        Config::default().level(RuleId::ClientCertUnresolved),
        Level::Warning
    );
    assert_eq!(
        Config::default().level(RuleId::ClientCertDisabled),
        Level::Error
    );
    assert_eq!(
        Config::default().level(RuleId::UnusedException),
        Level::Warning
    );
    assert_eq!(
        Config::default().level(RuleId::InvalidException),
        Level::Error
    );
}

#[test]
fn an_empty_file_is_the_default_config() {
    let loaded = load(Path::new("certgate.toml"), "").unwrap();
    assert_eq!(loaded.source.as_deref(), Some(Path::new("certgate.toml")));
    assert_eq!(
        Config {
            source: None,
            ..loaded
        },
        Config::default()
    );
}

#[test]
fn reads_every_setting() {
    let text = r#"
unresolved = "error"
exclude = ["examples", "legacy/**"]
peer-suppressions = false

[rules]
client-cert-exclusion-paths = "off"
unused-exception = "error"

[scope]
slots = false
logic-apps = false

[[exception]]
resource = "module.partner.*"
path = "envs/prod/**"
rules = ["client-cert-disabled", "client-cert-optional"]
reason = "legacy partner API"
owner = "team-payments"
expires = "2027-03-31"

[[exception]]
resource = "azurerm_linux_web_app.b"
reason = "second"
expires = 2028-01-02
"#;
    let config = load(Path::new("/repo/certgate.toml"), text).unwrap();
    assert_eq!(config.level(RuleId::ClientCertUnresolved), Level::Error);
    assert_eq!(config.level(RuleId::ClientCertExclusionPaths), Level::Off);
    assert_eq!(
        config.level(RuleId::ClientCertExclusionPaths).severity(),
        None
    );
    assert_eq!(config.level(RuleId::UnusedException), Level::Error);
    assert!(!config.peer_suppressions);
    assert!(config.scope.includes(SiteKind::WebApp, false));
    assert!(!config.scope.includes(SiteKind::WebApp, true));
    assert!(!config.scope.includes(SiteKind::LogicApp, false));
    assert!(config.scope.includes(SiteKind::FunctionApp, false));
    assert!(config.is_excluded(Path::new("/repo/a/examples/main.tf")));
    assert!(config.is_excluded(Path::new("/repo/legacy/x/main.tf")));
    assert!(!config.is_excluded(Path::new("/repo/a/main.tf")));
    assert!(!config.is_excluded(Path::new("/elsewhere/examples/main.tf")));
    assert_eq!(config.exceptions.len(), 2);
    let first = &config.exceptions[0];
    assert_eq!(first.resource.as_str(), "module.partner.*");
    assert_eq!((first.line, first.column), (14, 1));
    assert_eq!(first.owner.as_deref(), Some("team-payments"));
    assert_eq!(
        first.expires.map(format_date).as_deref(),
        Some("2027-03-31")
    );
    assert!(first.matches(
        "client-cert-optional",
        "module.partner.azurerm_linux_web_app.x",
        Some("envs/prod/main.tf")
    ));
    assert!(!first.matches(
        "client-cert-optional",
        "module.partner.azurerm_linux_web_app.x",
        Some("envs/dev/main.tf")
    ));
    assert!(!first.matches(
        "client-cert-unresolved",
        "module.partner.azurerm_linux_web_app.x",
        Some("envs/prod/main.tf")
    ));
    assert_eq!(
        config.exceptions[1].expires.map(format_date).as_deref(),
        Some("2028-01-02")
    );
    assert!(config.exceptions[1].matches(
        "client-cert-unresolved",
        "azurerm_linux_web_app.b",
        None
    ));
}

#[test]
fn unknown_keys_are_errors_with_positions() {
    let (line, column, message) = error("unresolved = \"warning\"\nexclud = []\n");
    assert_eq!((line, column), (2, 1));
    assert!(
        message.contains("unknown key `exclud` at the top level"),
        "{message}"
    );
    let (line, column, message) = error("[scope]\nweb-apps = true\n  slot = false\n");
    assert_eq!((line, column), (3, 3));
    assert!(
        message.contains("unknown key `slot` in [scope]"),
        "{message}"
    );
    let (line, column, message) =
        error("[[exception]]\nresource = \"a\"\nreason = \"b\"\nexpiry = 2027-01-01\n");
    assert_eq!((line, column), (4, 1));
    assert!(
        message.contains("unknown key `expiry` in [[exception]]"),
        "{message}"
    );
}

#[test]
fn bad_values_are_errors_with_positions() {
    let (line, column, message) = error("[rules]\nclient-cert-disabled = \"fatal\"\n");
    assert_eq!((line, column), (2, 24));
    assert!(
        message.contains("\"error\", \"warning\" or \"off\""),
        "{message}"
    );
    let (line, column, message) = error("[rules]\nclient-cert-disabld = \"error\"\n");
    assert_eq!((line, column), (2, 1));
    assert!(
        message.contains("unknown rule `client-cert-disabld`"),
        "{message}"
    );
    let (line, column, message) = error("unresolved = true\n");
    assert_eq!((line, column), (1, 14));
    assert!(message.contains("must be a string"), "{message}");
    let (line, column, message) = error("peer-suppressions = \"yes\"\n");
    assert_eq!((line, column), (1, 21));
    assert!(message.contains("true or false"), "{message}");
}

#[test]
fn bad_dates_and_globs_are_errors_with_positions() {
    let (line, column, message) =
        error("[[exception]]\nresource = \"a\"\nreason = \"b\"\nexpires = \"2027-02-30\"\n");
    assert_eq!((line, column), (4, 11));
    assert!(message.contains("has no day 30"), "{message}");
    let (line, column, message) =
        error("[[exception]]\nresource = \"a\"\nreason = \"b\"\nexpires = 2027-03-31T10:00:00Z\n");
    assert_eq!((line, column), (4, 11));
    assert!(message.contains("must be a date"), "{message}");
    let (line, column, message) = error("exclude = [\"ok\", \"src/[a\"]\n");
    assert_eq!((line, column), (1, 18));
    assert!(message.contains("invalid glob"), "{message}");
    let (line, column, message) =
        error("[[exception]]\nresource = \"web-[z-a]\"\nreason = \"b\"\n");
    assert_eq!((line, column), (2, 12));
    assert!(message.contains("invalid glob"), "{message}");
}

#[test]
fn exceptions_need_resource_and_reason_and_known_rules() {
    let all = errors(
        "[[exception]]\nowner = \"x\"\n\n[[exception]]\nresource = \"a\"\nreason = \"b\"\nrules = [\"client-cert-disabled\", \"CKV_AZURE_17\"]\n",
    );
    let messages: Vec<&str> = all.iter().map(|e| e.2.as_str()).collect();
    assert_eq!(all.len(), 3, "{all:?}");
    assert!(
        messages[0].contains("no `resource`") && messages[1].contains("no `reason`"),
        "{messages:?}"
    );
    assert_eq!(all[0].0, 1);
    assert_eq!((all[2].0, all[2].1), (7, 34));
    assert!(messages[2].contains("unknown rule `CKV_AZURE_17`"));
    let (_, _, message) = error("[[exception]]\nresource = \"a\"\nreason = \"b\"\nrules = []\n");
    assert!(message.contains("empty rule list"), "{message}");
}

#[test]
fn unresolved_is_set_once() {
    let (line, _, message) =
        error("unresolved = \"off\"\n[rules]\nclient-cert-unresolved = \"error\"\n");
    assert_eq!(line, 3);
    assert!(message.contains("already set"), "{message}");
    let config = load(
        Path::new("c.toml"),
        "[rules]\nclient-cert-unresolved = \"off\"\n",
    )
    .unwrap();
    assert_eq!(config.level(RuleId::ClientCertUnresolved), Level::Off);
}

#[test]
fn syntax_errors_have_positions_and_every_error_is_reported() {
    let (line, column, message) = error("[scope\nslots = true\n");
    assert_eq!(line, 1);
    assert!(column > 1, "{column}");
    assert!(!message.is_empty());
    let (line, _, message) = error("a = 1\na = 2\n");
    assert_eq!(line, 2);
    assert!(message.contains("duplicate"), "{message}");
    let all = errors("exclud = 1\n[rules]\nx = \"error\"\n[scope]\nslots = 1\n");
    assert_eq!(all.len(), 3, "{all:?}");
    assert_eq!(
        format!(
            "{}",
            load(Path::new("dir/certgate.toml"), "x = 1").unwrap_err()[0]
        ),
        "dir/certgate.toml:1:1: unknown key `x` at the top level: the keys are `unresolved`, `exclude`, `peer-suppressions`, `rules`, `scope`, `exception`, `project-root`, `fail-on`, `environments`, `guardrail-hint`"
    );
}

#[test]
fn nearest_config_wins() {
    let tree = tempfile::tempdir().unwrap();
    let root = tree.path();
    std::fs::create_dir_all(root.join("envs/prod/modules")).unwrap();
    std::fs::create_dir_all(root.join("envs/dev")).unwrap();
    std::fs::write(root.join(FILE_NAME), "").unwrap();
    std::fs::write(root.join("envs/prod").join(FILE_NAME), "").unwrap();
    std::fs::write(root.join("envs/prod/modules/main.tf"), "").unwrap();
    // A directory named like the config is not one.
    std::fs::create_dir_all(root.join("envs/dev").join(FILE_NAME)).unwrap();
    let prod = root.join("envs/prod").join(FILE_NAME);
    assert_eq!(
        discover(&root.join("envs/prod/modules/main.tf")),
        Some(prod.clone())
    );
    assert_eq!(discover(&root.join("envs/prod")), Some(prod.clone()));
    assert_eq!(
        discover(&root.join("envs/dev/main.tf")),
        Some(root.join(FILE_NAME))
    );
    let mut cache = Discovery::default();
    assert_eq!(
        cache.for_path(&root.join("envs/prod/modules/main.tf")),
        Some(prod.clone())
    );
    assert_eq!(cache.for_path(&root.join("envs/prod/modules")), Some(prod));
    assert_eq!(
        cache.for_path(&root.join("envs/dev")),
        Some(root.join(FILE_NAME))
    );
    assert_eq!(
        cache.for_path(&root.join("envs")),
        Some(root.join(FILE_NAME))
    );
}

#[test]
fn relative_paths_are_taken_from_the_config_directory() {
    let config = load(Path::new("/repo/infra/certgate.toml"), "").unwrap();
    assert_eq!(config.root().as_deref(), Some(Path::new("/repo/infra")));
    assert_eq!(
        config
            .relative_path(Path::new("/repo/infra/a/../b/main.tf"))
            .as_deref(),
        Some("b/main.tf")
    );
    assert_eq!(config.relative_path(Path::new("/repo/other/main.tf")), None);
    assert_eq!(Config::default().relative_path(Path::new("/repo/x")), None);
}

#[test]
fn fail_on_reads_error_or_warning_and_nothing_else() {
    let read = |text: &str| super::schema::read(std::path::Path::new("certgate.toml"), text);
    assert_eq!(
        read("fail-on = \"warning\"").unwrap().fail_on,
        Some(crate::diagnostic::Severity::Warning)
    );
    assert_eq!(
        read("fail-on = \"error\"").unwrap().fail_on,
        Some(crate::diagnostic::Severity::Error)
    );
    assert_eq!(read("").unwrap().fail_on, None);
    let errors = read("fail-on = true").unwrap_err();
    assert_eq!(
        errors[0].message,
        "`fail-on` must be \"error\" or \"warning\""
    );
    assert_eq!((errors[0].line, errors[0].column), (1, 11));
}

#[test]
fn environments_read_production_and_non_production_globs_with_their_places() {
    let text = "[environments]\nproduction = [\"envs/prod/**\", \"*.prod.bicepparam\"]\nnon-production = [\"envs/dev/**\"]\n";
    let config = load(Path::new("certgate.toml"), text).unwrap();
    let production: Vec<&str> = config
        .environments
        .production
        .iter()
        .map(|g| g.glob.as_str())
        .collect();
    assert_eq!(production, ["envs/prod/**", "*.prod.bicepparam"]);
    let first = &config.environments.production[0];
    assert_eq!(&text[first.span.clone()], "\"envs/prod/**\"");
    assert!(first.glob.matches("envs/prod/app/main.tf"));
    assert_eq!(config.environments.non_production.len(), 1);
    assert!(
        config.environments.production[1]
            .glob
            .matches("infra/main.prod.bicepparam")
    );
}

#[test]
fn bad_environments_say_where_and_why() {
    assert_eq!(
        error("[environments]\nstaging = [\"x\"]\n"),
        (
            2,
            1,
            "unknown key `staging` in [environments]: the keys are `production`, `non-production`"
                .into()
        )
    );
    assert_eq!(
        error("[environments]\nproduction = \"envs/prod\"\n"),
        (
            2,
            14,
            "`production` must be a list of strings, found string".into()
        )
    );
    assert_eq!(
        error("[environments]\nnon-production = [\"src/[a\"]\n"),
        (
            2,
            19,
            "invalid glob: unclosed character class; missing ']'".into()
        )
    );
    assert_eq!(
        error("[environments]\nproduction = [\"\"]\n"),
        (2, 15, "`production` is empty".into())
    );
    assert_eq!(
        error("environments = [\"envs/prod\"]\n"),
        (1, 16, "`environments` must be a table, found array".into())
    );
}
