//! End-to-end tests of configuration, exceptions and baselines: `certgate.toml` discovery and
//! errors, `--config`, `certgate init`, `--show-suppressed`, `--write-baseline` /
//! `--baseline`, and `certgate exceptions` in each format.

use std::fs;
use std::path::Path;

mod common;
use common::{certgate, run_json, write};

fn site(name: &str, enabled: bool) -> String {
    format!(
        "resource \"azurerm_linux_web_app\" \"{name}\" {{\n  client_certificate_enabled = {enabled}\n  client_certificate_mode    = \"Required\"\n}}\n"
    )
}

/// The `api` and `web` sites, both failing, in one file.
fn two_failing_sites() -> String {
    format!("{}\n{}", site("api", false), site("web", false))
}

/// Runs `certgate check --write-baseline baseline.json ARGS…` in `dir`.
fn write_baseline(dir: &Path, args: &[&str]) -> std::process::Output {
    certgate(dir)
        .args(["check", "--write-baseline", "baseline.json"])
        .args(args)
        .output()
        .unwrap()
}

/// `(line, column, message)` of every error in a JSON report.
fn errors(report: &serde_json::Value) -> Vec<(u64, u64, String)> {
    report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["line"].as_u64().unwrap(),
                e["column"].as_u64().unwrap(),
                e["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn each_config_error_names_its_line_and_column_and_exits_2() {
    let cases: &[(&str, (u64, u64), &str)] = &[
        ("colour = true\n", (1, 1), "colour"),
        ("unresolved = \"loud\"\n", (1, 14), "loud"),
        (
            "[rules]\nclient-cert-disabld = \"error\"\n",
            (2, 1),
            "client-cert-disabld",
        ),
        ("exclude = [\"[\"]\n", (1, 12), "glob"),
        (
            "[[exception]]\nresource = \"a.b\"\nreason = \"r\"\nexpires = \"2027-02-30\"\n",
            (4, 11),
            "2027-02-30",
        ),
        ("[[exception]]\nresource = \"a.b\"\n", (1, 1), "reason"),
        ("[[exception]]\nreason = \"r\"\n", (1, 1), "resource"),
        ("[scope]\nwebapps = true\n", (2, 1), "webapps"),
    ];
    for (text, (line, column), mentions) in cases {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "certgate.toml", text);
        write(dir.path(), "main.tf", site("web", true));
        let (report, code) = run_json(certgate(dir.path()).args(["check", "."]));
        assert_eq!(code, 2, "{text}: {report}");
        let errors = errors(&report);
        assert!(
            errors
                .iter()
                .any(|(l, c, m)| (*l, *c) == (*line, *column) && m.contains(mentions)),
            "{text}: expected an error at {line}:{column} mentioning {mentions}, got {errors:?}"
        );
        assert_eq!(
            report["errors"][0]["path"].as_str().unwrap(),
            "certgate.toml",
            "{text}"
        );
    }
}

#[test]
fn every_problem_in_a_config_is_reported_not_only_the_first() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "certgate.toml",
        "colour = true\nunresolved = \"loud\"\n",
    );
    write(dir.path(), "main.tf", site("web", true));
    let (report, code) = run_json(certgate(dir.path()).args(["check", "."]));
    assert_eq!(code, 2);
    assert_eq!(errors(&report).len(), 2, "{report}");
}

#[test]
fn the_nearest_config_wins_and_explicit_config_overrides_discovery() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "certgate.toml",
        "[rules]\nclient-cert-disabled = \"off\"\n",
    );
    write(dir.path(), "root/main.tf", site("root", false));
    write(
        dir.path(),
        "team/certgate.toml",
        "[rules]\nclient-cert-disabled = \"warning\"\n",
    );
    write(dir.path(), "team/main.tf", site("team", false));
    write(dir.path(), "strict.toml", "unresolved = \"error\"\n");

    let (report, code) = run_json(certgate(dir.path()).args(["check", "."]));
    assert_eq!(code, 0, "{report}");
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{report}");
    assert_eq!(findings[0]["address"], "azurerm_linux_web_app.team");
    assert_eq!(findings[0]["severity"], "warning");

    let (report, code) =
        run_json(certgate(dir.path()).args(["check", "--config", "strict.toml", "."]));
    assert_eq!(code, 1, "{report}");
    assert_eq!(report["findings"].as_array().unwrap().len(), 2, "{report}");
}

#[test]
fn init_writes_a_default_config_that_loads_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let out = certgate(dir.path()).arg("init").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let written = fs::read_to_string(dir.path().join("certgate.toml")).unwrap();
    assert!(written.contains("unresolved = \"warning\""));
    write(dir.path(), "main.tf", site("web", true));
    let (report, code) = run_json(certgate(dir.path()).args(["check", "."]));
    assert_eq!((code, errors(&report).len()), (0, 0), "{report}");

    let again = certgate(dir.path()).arg("init").output().unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    let forced = certgate(dir.path())
        .args(["init", "--force"])
        .output()
        .unwrap();
    assert_eq!(forced.status.code(), Some(0));
}

#[test]
fn suppressed_findings_are_counted_and_listed_on_request() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "main.tf",
        format!(
            "# certgate:ignore[client-cert-disabled] reason=\"partner\" owner=team-a expires=2027-03-31\n{}",
            site("partner", false)
        ),
    );
    let out = certgate(dir.path())
        .args(["check", "--today", "2026-06-01", "."])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("1 suppressed"), "{text}");
    assert!(!text.contains("suppressed main.tf"), "{text}");

    let out = certgate(dir.path())
        .args(["check", "--today", "2026-06-01", "--show-suppressed", "."])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("suppressed main.tf:3:3: azurerm_linux_web_app.partner (client-cert-disabled) by certgate:ignore at main.tf:1 (owner team-a, expires 2027-03-31): partner"),
        "{text}"
    );

    // From the expiry date on, the finding is back and fails the run.
    let out = certgate(dir.path())
        .args(["check", "--today", "2027-03-31", "."])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("expired on"), "{text}");
}

#[test]
fn peer_suppressions_can_be_switched_off() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "main.tf",
        format!(
            "# checkov:skip=CKV_AZURE_17:internal\n{}",
            site("web", false)
        ),
    );
    let (_, code) = run_json(certgate(dir.path()).args(["check", "."]));
    assert_eq!(code, 0);
    write(dir.path(), "certgate.toml", "peer-suppressions = false\n");
    let (report, code) = run_json(certgate(dir.path()).args(["check", "."]));
    assert_eq!(code, 1, "{report}");
}

#[test]
fn baseline_fails_only_on_new_findings_survives_moved_lines_and_reports_fixed_entries() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "infra/main.tf", two_failing_sites());
    let out = write_baseline(dir.path(), &["infra"]);
    assert_eq!(out.status.code(), Some(0));
    let baseline = fs::read_to_string(dir.path().join("baseline.json")).unwrap();
    assert_eq!(
        baseline,
        "{\n  \"version\": 1,\n  \"findings\": [\n    {\"rule\":\"client-cert-disabled\",\"path\":\"infra/main.tf\",\"address\":\"azurerm_linux_web_app.api\"},\n    {\"rule\":\"client-cert-disabled\",\"path\":\"infra/main.tf\",\"address\":\"azurerm_linux_web_app.web\"}\n  ]\n}\n"
    );

    // Lines move (a comment and blank lines on top, blocks swapped): still baselined.
    write(
        dir.path(),
        "infra/main.tf",
        format!(
            "# moved\n\n\n{}\n{}",
            site("web", false),
            site("api", false)
        ),
    );
    let (report, code) =
        run_json(certgate(dir.path()).args(["check", "--baseline", "baseline.json", "infra"]));
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["summary"]["baselined"], 2);
    assert_eq!(report["summary"]["failing"], 0);

    // `api` is fixed and a new finding appears: the new one fails, the fixed one is reported.
    write(
        dir.path(),
        "infra/main.tf",
        format!(
            "{}\n{}\n{}",
            site("web", false),
            site("api", true),
            site("new", false)
        ),
    );
    let (report, code) =
        run_json(certgate(dir.path()).args(["check", "--baseline", "baseline.json", "infra"]));
    assert_eq!(code, 1, "{report}");
    let reported: Vec<(&str, bool)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["address"].as_str().unwrap(), f.get("baselined").is_some()))
        .collect();
    assert_eq!(
        reported,
        [
            ("azurerm_linux_web_app.new", false),
            ("azurerm_linux_web_app.web", true)
        ]
    );
    assert_eq!(
        report["baseline_fixed"][0]["address"],
        "azurerm_linux_web_app.api"
    );
    let human = certgate(dir.path())
        .args(["check", "--baseline", "baseline.json", "infra"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.contains("fixed since the baseline: infra/main.tf: azurerm_linux_web_app.api (client-cert-disabled)"),
        "{text}"
    );
    assert!(
        text.contains("1 in the baseline (1 baseline entry fixed)"),
        "{text}"
    );

    // Rewriting the baseline shrinks it to what remains.
    write_baseline(dir.path(), &["infra"]);
    let rewritten = fs::read_to_string(dir.path().join("baseline.json")).unwrap();
    assert!(!rewritten.contains(".api\""), "{rewritten}");
    assert!(rewritten.contains(".new\""), "{rewritten}");
}

#[test]
fn an_unreadable_baseline_is_an_error_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", site("web", false));
    write(
        dir.path(),
        "baseline.json",
        "{\n  \"version\": 1,\n  \"findings\": [,]\n}\n",
    );
    let out = certgate(dir.path())
        .args(["check", "--baseline", "baseline.json", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("baseline.json:3:"), "{stderr}");
}

/// A tree with one exception of each status on 2026-06-01.
fn exceptions_tree(dir: &Path) {
    write(
        dir,
        "main.tf",
        format!(
            "# certgate:ignore[client-cert-disabled] reason=\"partner, \\\"legacy\\\"\" owner=team-a expires=2027-03-31\n{}\n\
             # certgate:ignore reason=\"soon\" owner=team-b expires=2026-06-15\n{}\n\
             # certgate:ignore reason=\"old\" owner=team-c expires=2026-01-01\n{}\n\
             # tfsec:ignore:azure-appservice-require-client-cert\n{}",
            site("partner", false),
            site("soon", false),
            site("old", false),
            site("fine", true),
        ),
    );
}

#[test]
fn exceptions_lists_every_status_in_each_format_and_exits_1_when_any_expired() {
    let dir = tempfile::tempdir().unwrap();
    exceptions_tree(dir.path());
    let run = |format: &str| {
        let out = certgate(dir.path())
            .args([
                "exceptions",
                "--today",
                "2026-06-01",
                "--format",
                format,
                ".",
            ])
            .output()
            .unwrap();
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            out.status.code().unwrap(),
        )
    };

    let (human, code) = run("human");
    assert_eq!(code, 1, "{human}");
    for status in ["active", "expires-soon", "expired", "unused"] {
        assert!(human.contains(status), "{status} missing in\n{human}");
    }

    let (json, code) = run("json");
    assert_eq!(code, 1);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["today"], "2026-06-01");
    let statuses: Vec<&str> = value["exceptions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        ["active", "expires-soon", "expired", "unused"],
        "{json}"
    );
    assert_eq!(value["exceptions"][0]["owner"], "team-a");
    assert_eq!(value["exceptions"][3]["source"], "peer");

    let (csv, code) = run("csv");
    assert_eq!(code, 1);
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().starts_with("status,"), "{csv}");
    assert!(csv.contains("\"partner, \"\"legacy\"\"\""), "{csv}");

    // A wider `--soon` window, and a day before anything expired: exit 0.
    let out = certgate(dir.path())
        .args([
            "exceptions",
            "--today",
            "2025-12-01",
            "--soon",
            "500",
            "--format",
            "json",
            ".",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(value["exceptions"][0]["status"], "expires-soon");
}

#[test]
fn explain_documents_the_exception_findings() {
    let dir = tempfile::tempdir().unwrap();
    for id in ["unused-exception", "invalid-exception"] {
        let out = certgate(dir.path()).args(["explain", id]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{id}");
    }
}

#[test]
fn write_baseline_confirms_what_it_wrote_or_why_it_did_not() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", two_failing_sites());
    let out = write_baseline(dir.path(), &["--format", "json", "."]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("wrote 2 findings to the baseline baseline.json"),
        "{stderr}"
    );
    // stdout stays the report.
    serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap();

    write(
        dir.path(),
        "broken.tf",
        "resource \"azurerm_linux_web_app\" {\n",
    );
    fs::remove_file(dir.path().join("baseline.json")).unwrap();
    let out = write_baseline(dir.path(), &["."]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the baseline baseline.json was not written: the scan had 1 error"),
        "{stderr}"
    );
    assert!(!dir.path().join("baseline.json").exists());
}

#[test]
fn a_baseline_checked_against_some_files_reports_only_their_entries_as_fixed() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a/main.tf", site("a", false));
    write(dir.path(), "b/main.tf", site("b", false));
    let out = write_baseline(dir.path(), &["."]);
    assert_eq!(out.status.code(), Some(0));
    // Only a/main.tf is named, as pre-commit does: b's entry was not checked.
    let (report, code) =
        run_json(certgate(dir.path()).args(["check", "--baseline", "baseline.json", "a/main.tf"]));
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["summary"]["baselined"], 1, "{report}");
    assert_eq!(report["baseline_fixed"], serde_json::json!([]), "{report}");
    // Fixing a/main.tf and naming it reports its entry, and only it, as fixed.
    write(dir.path(), "a/main.tf", site("a", true));
    let (report, code) =
        run_json(certgate(dir.path()).args(["check", "--baseline", "baseline.json", "a/main.tf"]));
    assert_eq!(code, 0, "{report}");
    let fixed = report["baseline_fixed"].as_array().unwrap();
    assert_eq!(fixed.len(), 1, "{report}");
    assert_eq!(fixed[0]["address"], "azurerm_linux_web_app.a");
}

#[test]
fn exceptions_lists_what_it_found_plus_the_files_that_failed_to_parse() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "ok/main.tf",
        format!(
            "# certgate:ignore[client-cert-disabled] reason=\"partner\" owner=team-a expires=2099-01-01\n{}",
            site("partner", false)
        ),
    );
    write(
        dir.path(),
        "broken/main.tf",
        "resource \"azurerm_linux_web_app\" \"b\" {\n  client_certificate_enabled = \n",
    );
    let run = |format: &str| {
        let out = certgate(dir.path())
            .args(["exceptions", "--format", format, "."])
            .output()
            .unwrap();
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
            out.status.code().unwrap(),
        )
    };
    let (human, stderr, code) = run("human");
    assert_eq!(code, 2, "{human}{stderr}");
    assert!(human.contains("azurerm_linux_web_app.partner"), "{human}");
    assert!(
        human.contains("incomplete: 1 file could not be scanned")
            && human.contains("broken/main.tf:"),
        "{human}"
    );
    assert!(stderr.contains("broken/main.tf"), "{stderr}");
    assert!(
        !stderr.contains("partner"),
        "only the errors on stderr: {stderr}"
    );

    let (json, _, code) = run("json");
    assert_eq!(code, 2);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["exceptions"].as_array().unwrap().len(), 1, "{json}");
    assert_eq!(value["errors"][0]["path"], "broken/main.tf", "{json}");
    assert_eq!(value["errors"][0]["line"], 2, "{json}");

    let (csv, stderr, code) = run("csv");
    assert_eq!(code, 2);
    assert_eq!(csv.lines().count(), 2, "header and one row: {csv}");
    assert!(stderr.contains("broken/main.tf"), "{stderr}");
}
