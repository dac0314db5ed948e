//! The script end to end from targets: a snapshot per language over every site kind and slot,
//! the bash script run against a fake `az` (the calls, stopping at the first failure, hostile
//! names), and the sites left alone.

use std::path::PathBuf;

use super::target::testing::{slot, target};
use super::target::{self, Script, Skipped, Target};
use super::{az, pwsh};
use crate::model::{Environment, Exposure, SiteKind};

/// Every site kind and a slot of each, over two risk classes, with an exception, a site no
/// command can fix, exclusion paths to clear and a fix the code would revert.
fn estate() -> Vec<Target> {
    let mut web = target("web-a");
    web.owners = vec!["@contoso/web".into()];
    web.line = 3;
    let mut web_slot = slot("web-a", "staging");
    web_slot.verdict = "client-cert-exclusion-paths";
    web_slot.clear_exclusion_paths = true;
    web_slot.line = 20;
    let mut func = target("func-b");
    func.kind = SiteKind::FunctionApp;
    func.verdict = "client-cert-optional";
    func.path = PathBuf::from("exports/functionapps.json");
    func.reverted_by = Some(
        "the code that manages it (azurerm_linux_function_app.b at infra/func.tf:4, matched by \
         name, resource group and type) still has client-cert-optional: the next deployment \
         reverts this fix; fix the code too"
            .into(),
    );
    let mut func_slot = slot("func-b", "canary");
    func_slot.kind = SiteKind::FunctionApp;
    func_slot.path = PathBuf::from("exports/functionapps.json");
    func_slot.line = 30;
    let mut logic = target("logic-c");
    logic.kind = SiteKind::LogicApp;
    logic.environment = Environment::NonProduction;
    logic.path = PathBuf::from("exports/graph.json");
    logic.clear_exclusion_paths = true;
    let mut logic_slot = slot("logic-c", "blue");
    logic_slot.kind = SiteKind::LogicApp;
    logic_slot.environment = Environment::NonProduction;
    logic_slot.exposure = Exposure::Unknown;
    logic_slot.path = PathBuf::from("exports/graph.json");
    logic_slot.line = 40;
    vec![logic_slot, func, web_slot, logic, func_slot, web]
}

fn script(targets: Vec<Target>, batch: Option<usize>, size: usize) -> Script {
    let (batch_count, blocks) = target::batches(targets, size, batch).unwrap();
    Script {
        exports: vec![
            PathBuf::from("exports/webapps.json"),
            PathBuf::from("exports/functionapps.json"),
            PathBuf::from("exports/graph.json"),
        ],
        batch_size: size,
        batch_count,
        blocks,
        excepted: vec![Skipped {
            id: "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-legacy/providers/Microsoft.Web/sites/legacy".into(),
            why: "config exception at certgate.toml:4, owner @contoso/legacy, expires 2027-03-31: partner without certificates".into(),
        }],
        not_scripted: vec![Skipped {
            id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/serverfarms/plan".into(),
            why: "not the id of a Microsoft.Web site or slot".into(),
        }],
    }
}

#[test]
fn az_script_for_every_site_kind_and_slot() {
    insta::assert_snapshot!(az::render(&script(estate(), None, 20)));
}

#[test]
fn pwsh_script_for_every_site_kind_and_slot() {
    insta::assert_snapshot!(pwsh::render(&script(estate(), None, 20)));
}

#[test]
fn one_batch_only_scripts_its_own_sites() {
    let text = az::render(&script(estate(), Some(2), 20));
    assert!(
        text.contains("# Batch 2 of 3: internet + non-production, 1 site"),
        "{text}"
    );
    assert!(text.contains("batch 2 of 3"), "{text}");
    let commands: Vec<&str> = text.lines().filter(|l| l.starts_with("az ")).collect();
    assert_eq!(commands.len(), 1, "{text}");
    assert!(commands[0].starts_with("az logicapp update "), "{text}");
    assert!(commands[0].contains(" --name 'logic-c' --set "), "{text}");
}

#[test]
fn sites_under_an_exception_get_no_command_and_are_listed() {
    let text = az::render(&script(estate(), None, 20));
    assert!(text.contains("# Left alone: an active exception covers them (1):"));
    let legacy: Vec<&str> = text.lines().filter(|l| l.contains("legacy")).collect();
    assert!(legacy.iter().all(|l| l.starts_with('#')), "{legacy:?}");
    let text = pwsh::render(&script(estate(), None, 20));
    let legacy: Vec<&str> = text.lines().filter(|l| l.contains("legacy")).collect();
    assert!(legacy.iter().all(|l| l.starts_with('#')), "{legacy:?}");
}

#[test]
fn an_empty_estate_says_there_is_nothing_to_do() {
    let text = az::render(&script(Vec::new(), None, 20));
    assert!(text.contains("# Nothing to do"), "{text}");
    assert!(!text.lines().any(|l| l.starts_with("az ")), "{text}");
}

#[cfg(unix)]
mod fake_az {
    //! The bash script run for real, with a fake `az` first on PATH that logs its arguments.

    use std::os::unix::fs::PermissionsExt;
    use std::path::Path;
    use std::process::Command;

    use super::*;

    /// Logs each call as one line of arguments separated by `|`; fails when `fail_at` names
    /// the call's number.
    const FAKE_AZ: &str = r#"#!/bin/sh
n=$(( $(wc -l < "$AZ_LOG") + 1 ))
line=""
for arg in "$@"; do line="$line$arg|"; done
printf '%s\n' "$line" >> "$AZ_LOG"
if [ "$n" = "${AZ_FAIL_AT:-0}" ]; then echo "ERROR: (AuthorizationFailed)" >&2; exit 3; fi
exit 0
"#;

    /// Runs `script` with the fake `az`; the exit code and the logged calls.
    fn run(script: &str, fail_at: Option<usize>) -> (Option<i32>, Vec<String>, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("bin");
        std::fs::create_dir(&bin).unwrap();
        let az = bin.join("az");
        std::fs::write(&az, FAKE_AZ).unwrap();
        std::fs::set_permissions(&az, std::fs::Permissions::from_mode(0o755)).unwrap();
        let log = dir.path().join("az.log");
        std::fs::write(&log, "").unwrap();
        let file = dir.path().join("remediate.sh");
        std::fs::write(&file, script).unwrap();
        let path = format!(
            "{}:{}",
            bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let status = Command::new("bash")
            .arg(&file)
            .current_dir(dir.path())
            .env("PATH", path)
            .env("AZ_LOG", &log)
            .env(
                "AZ_FAIL_AT",
                fail_at.map(|n| n.to_string()).unwrap_or_default(),
            )
            .status()
            .unwrap();
        let calls = std::fs::read_to_string(&log)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect();
        (status.code(), calls, dir)
    }

    fn no_file_named_pwned(dir: &Path) -> bool {
        walk(dir).iter().all(|p| !p.contains("pwned"))
    }

    fn walk(dir: &Path) -> Vec<String> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            out.push(path.display().to_string());
            if path.is_dir() {
                out.extend(walk(&path));
            }
        }
        out
    }

    #[test]
    fn the_script_calls_az_once_per_site_in_batch_order() {
        let (code, calls, _dir) = run(&az::render(&script(estate(), None, 20)), None);
        assert_eq!(code, Some(0));
        let sub = "00000000-0000-0000-0000-000000000001";
        let set = "--set|clientCertEnabled=true|clientCertMode=Required|";
        assert_eq!(
            calls,
            vec![
                format!(
                    "functionapp|update|--subscription|{sub}|--resource-group|rg-web|--name|func-b|{set}--output|none|"
                ),
                format!(
                    "functionapp|update|--subscription|{sub}|--resource-group|rg-web|--name|func-b|--slot|canary|{set}--output|none|"
                ),
                format!(
                    "webapp|update|--subscription|{sub}|--resource-group|rg-web|--name|web-a|{set}--output|none|"
                ),
                format!(
                    "webapp|update|--subscription|{sub}|--resource-group|rg-web|--name|web-a|--slot|staging|{set}clientCertExclusionPaths=|--output|none|"
                ),
                format!(
                    "logicapp|update|--subscription|{sub}|--resource-group|rg-web|--name|logic-c|{set}clientCertExclusionPaths=|--output|none|"
                ),
                format!(
                    "logicapp|update|--subscription|{sub}|--resource-group|rg-web|--name|logic-c|--slot|blue|{set}--output|none|"
                ),
            ]
        );
    }

    #[test]
    fn a_failing_az_stops_the_script_at_that_command() {
        let (code, calls, _dir) = run(&az::render(&script(estate(), None, 20)), Some(2));
        assert_eq!(code, Some(3));
        assert_eq!(calls.len(), 2, "{calls:?}");
    }

    #[test]
    fn running_the_script_twice_makes_the_same_calls() {
        let text = az::render(&script(estate(), None, 20));
        let (_, first, _a) = run(&text, None);
        let (_, second, _b) = run(&text, None);
        assert_eq!(first, second);
    }

    #[test]
    fn hostile_names_reach_az_as_plain_text_and_run_nothing() {
        let hostile = "x'; touch pwned1; echo '$(touch pwned2)`touch pwned3`";
        let mut site = target("placeholder");
        site.parts.site = hostile.to_string();
        site.parts.resource_group = "rg\"; touch pwned4; \"".to_string();
        site.id = format!(
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/{hostile}$(touch pwned5)"
        );
        site.owners = vec!["@team\ntouch pwned6".to_string()];
        let mut logic = site.clone();
        logic.kind = SiteKind::LogicApp;
        logic.exposure = Exposure::Private;
        let text = az::render(&script(vec![site, logic], None, 20));
        let (code, calls, dir) = run(&text, None);
        assert_eq!(code, Some(0), "{text}");
        assert_eq!(calls.len(), 2, "{calls:?}");
        assert!(
            calls[0].contains(&format!("--name|{hostile}|")),
            "{calls:?}"
        );
        assert!(
            calls[0].contains("--resource-group|rg\"; touch pwned4; \"|"),
            "{calls:?}"
        );
        assert!(no_file_named_pwned(dir.path()), "{text}");
    }
}
