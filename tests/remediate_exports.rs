//! `certgate remediate` over the hand-written export fixtures (read by the inventory front
//! end): the script for each site kind and slot in both languages, the excepted site, batch
//! selection, and the bash script run against a fake `az` that logs its arguments.

#[cfg(unix)]
use std::os::unix::fs::PermissionsExt;
#[cfg(unix)]
use std::process::Command;

mod common;
use common::bin;

const FIXTURES: &str = "fixtures/remediate";

/// `certgate remediate` on one fixture folder: stdout, stderr and exit code.
fn remediate(folder: &str, args: &[&str]) -> (String, String, i32) {
    let dir = format!("{FIXTURES}/{folder}");
    let output = bin()
        .args(["remediate", "--today", "2026-06-01", "--project-root", &dir])
        .args(args)
        .arg(&dir)
        .output()
        .unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
        output.status.code().unwrap(),
    )
}

#[test]
fn the_script_of_each_fixture_in_each_language_matches_its_snapshot() {
    for folder in [
        "web_app_and_slot",
        "function_app_and_slot",
        "logic_app_and_slot_graph",
        "excepted_site",
    ] {
        for format in ["az", "pwsh"] {
            let (out, err, code) = remediate(folder, &["--format", format]);
            assert_eq!(code, 0, "{folder}: {err}");
            insta::assert_snapshot!(format!("remediate_{folder}_{format}"), out);
        }
    }
}

#[test]
fn a_passing_site_gets_no_command_and_an_excepted_one_only_a_comment() {
    let (out, _, _) = remediate("web_app_and_slot", &[]);
    assert!(!out.contains("web-ok"), "{out}");
    let (out, _, _) = remediate("excepted_site", &[]);
    for line in out.lines().filter(|l| l.contains("legacy-partner")) {
        assert!(line.starts_with('#'), "{line}");
    }
    assert!(out.contains("--name 'legacy-portal'"), "{out}");
}

#[test]
fn batch_two_holds_the_staging_slot_only() {
    let (out, _, code) = remediate("web_app_and_slot", &["--batch", "2"]);
    assert_eq!(code, 0);
    let commands: Vec<&str> = out.lines().filter(|l| l.starts_with("az ")).collect();
    assert_eq!(commands.len(), 1, "{out}");
    assert!(commands[0].contains("--slot 'staging'"), "{out}");
}

/// Logs each call as one line of arguments separated by `|`; fails at call `AZ_FAIL_AT`.
/// The fake is a shell script found through a `:`-separated `PATH`: Unix only, like the bash
/// script it checks (the PowerShell script is checked by its snapshot).
#[cfg(unix)]
const FAKE_AZ: &str = r#"#!/bin/sh
n=$(( $(wc -l < "$AZ_LOG") + 1 ))
line=""
for arg in "$@"; do line="$line$arg|"; done
printf '%s\n' "$line" >> "$AZ_LOG"
if [ "$n" = "${AZ_FAIL_AT:-0}" ]; then exit 3; fi
exit 0
"#;

#[cfg(unix)]
fn run_with_fake_az(script: &str, fail_at: &str) -> (Option<i32>, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let az = dir.path().join("az");
    std::fs::write(&az, FAKE_AZ).unwrap();
    std::fs::set_permissions(&az, std::fs::Permissions::from_mode(0o755)).unwrap();
    let log = dir.path().join("az.log");
    std::fs::write(&log, "").unwrap();
    let file = dir.path().join("fix.sh");
    std::fs::write(&file, script).unwrap();
    let path = format!(
        "{}:{}",
        dir.path().display(),
        std::env::var("PATH").unwrap()
    );
    let status = Command::new("bash")
        .arg(&file)
        .env("PATH", path)
        .env("AZ_LOG", &log)
        .env("AZ_FAIL_AT", fail_at)
        .status()
        .unwrap();
    let calls = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    (status.code(), calls)
}

#[cfg(unix)]
#[test]
fn the_printed_script_runs_against_a_fake_az_and_stops_at_its_first_failure() {
    let (script, _, _) = remediate("function_app_and_slot", &[]);
    let (code, calls) = run_with_fake_az(&script, "");
    assert_eq!(code, Some(0));
    let sub = "00000000-0000-0000-0000-000000000001";
    let set = "--set|clientCertEnabled=true|clientCertMode=Required|";
    assert_eq!(
        calls,
        [
            format!(
                "functionapp|update|--subscription|{sub}|--resource-group|rg-func|--name|func-b|{set}--output|none|"
            ),
            format!(
                "functionapp|update|--subscription|{sub}|--resource-group|rg-func|--name|func-b|--slot|canary|{set}clientCertExclusionPaths=|--output|none|"
            ),
        ]
    );
    let (code, calls) = run_with_fake_az(&script, "1");
    assert_eq!(code, Some(3));
    assert_eq!(calls.len(), 1);
}

#[test]
fn code_that_still_fails_gets_a_warning_and_names_the_owners() {
    let dir = format!("{FIXTURES}/code_reverts_fix");
    let output = bin()
        .args(["remediate", "--today", "2026-06-01", "--project-root", &dir])
        .args(["--code", &format!("{dir}/infra")])
        .arg(format!("{dir}/exports"))
        .output()
        .unwrap();
    let out = String::from_utf8(output.stdout).unwrap();
    let err = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(0), "{err}");
    assert!(
        out.contains("#   shop-api (web app); owners: @contoso/shop-team\n"),
        "{out}"
    );
    assert!(
        out.contains(
            "# WARNING: the code that manages it (shop > shop at \
             fixtures/remediate/code_reverts_fix/infra/site.bicep:1, matched by name, resource \
             group and type) still has client-cert-disabled: the next deployment reverts this \
             fix; fix the code too\naz webapp update "
        ),
        "{out}"
    );
    assert!(
        err.contains("the code still has the failing value for 1 site(s)"),
        "{err}"
    );
    // Without --code: no owners, no warning.
    let (out, _, _) = remediate("code_reverts_fix/exports", &[]);
    assert!(out.contains("owners: none known"), "{out}");
    assert!(!out.contains("WARNING"), "{out}");
}
