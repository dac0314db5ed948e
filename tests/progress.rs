//! End-to-end tests of `certgate progress`: three saved reports (schema 1, 2 and 3 with a
//! drift array) in every text format, run order by date, a baseline as the first run, the
//! HTML page's structure and escaping, and bad inputs.

mod common;
use common::{bin, tree};

const DIR: &str = "tests/data/progress/three_runs";

/// The three runs, given newest first: `progress` orders them by their `@DATE`.
fn three_runs() -> Vec<String> {
    ["2026-11-01", "2026-09-01", "2026-10-01"]
        .iter()
        .map(|d| format!("{DIR}/report-{d}.json@{d}"))
        .collect()
}

fn progress(args: &[String]) -> (String, String, i32) {
    let output = bin().arg("progress").args(args).output().unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
        output.status.code().unwrap(),
    )
}

fn with(mut args: Vec<String>, more: &[&str]) -> Vec<String> {
    args.extend(more.iter().map(|s| s.to_string()));
    args
}

#[test]
fn three_runs_in_each_text_format_match_their_snapshots() {
    for format in ["human", "markdown", "json"] {
        let (text, stderr, code) = progress(&with(three_runs(), &["--format", format]));
        assert_eq!(code, 0, "{stderr}");
        insta::assert_snapshot!(format!("progress_three_runs_{format}"), text);
    }
}

#[test]
fn runs_are_ordered_by_date_and_counted_per_run() {
    let (text, stderr, code) = progress(&with(three_runs(), &["--format", "json"]));
    assert_eq!(code, 0, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let runs = json["runs"].as_array().unwrap();
    let column = |name: &str| runs.iter().map(|r| r[name].clone()).collect::<Vec<_>>();
    assert_eq!(
        column("date"),
        ["2026-09-01", "2026-10-01", "2026-11-01"].map(serde_json::Value::from)
    );
    // The burndown: 3, 3, 1 failing; schema versions 1, 2 and 3 all read.
    assert_eq!(column("failing"), [3, 3, 1].map(serde_json::Value::from));
    assert_eq!(
        column("report_version"),
        [1, 2, 3].map(serde_json::Value::from)
    );
    assert_eq!(column("excepted"), [1, 1, 2].map(serde_json::Value::from));
    assert_eq!(
        runs[1]["new"][0]["address"],
        "azurerm_linux_function_app.reports"
    );
    assert_eq!(runs[1]["fixed"][0]["address"], "azurerm_linux_web_app.api");
    assert_eq!(runs[2]["fixed"].as_array().unwrap().len(), 2);
    // Each run's exception expiring within 30 days of it: the renewed one, then a new one.
    let expiring: Vec<_> = runs
        .iter()
        .map(|r| r["expiring"][0]["expires"].clone())
        .collect();
    assert_eq!(
        expiring,
        ["2026-09-20", "2026-10-15", "2026-11-20"].map(serde_json::Value::from)
    );
    let latest = &json["latest"];
    assert_eq!(latest["date"], "2026-11-01");
    assert_eq!(latest["batches"][0]["class"], "internet-production");
    assert_eq!(latest["drift"].as_array().unwrap().len(), 5);
    assert_eq!(latest["exceptions"][0]["owner"], "team-billing");
}

#[test]
fn a_run_without_a_date_is_dated_by_its_files_modification_day() {
    let dir = tree(&[]);
    let old = dir.path().join("old.json");
    std::fs::copy(format!("{DIR}/report-2026-09-01.json"), &old).unwrap();
    let file = std::fs::File::options().write(true).open(&old).unwrap();
    // 2001-09-09 (UTC), long before the dated run: it comes first whatever the order given.
    let when = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
    file.set_modified(when).unwrap();
    let args = vec![
        format!("{DIR}/report-2026-11-01.json@2026-11-01"),
        old.display().to_string(),
        "--format".into(),
        "json".into(),
    ];
    let (text, stderr, code) = progress(&args);
    assert_eq!(code, 0, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["runs"][0]["date"], "2001-09-09");
    assert_eq!(json["runs"][1]["date"], "2026-11-01");
}

#[test]
fn a_baseline_is_a_run_whose_recorded_sites_all_fail() {
    let args = vec![
        "tests/data/progress/baseline_first/certgate-baseline.json@2026-08-01".to_string(),
        format!("{DIR}/report-2026-10-01.json@2026-10-01"),
        "--format".into(),
        "json".into(),
    ];
    let (text, stderr, code) = progress(&args);
    assert_eq!(code, 0, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let first = &json["runs"][0];
    assert_eq!(first["kind"], "baseline");
    assert_eq!(first["failing"], 3);
    // Same site identity (path + address + scenario) in the baseline and the report.
    let fixed = json["runs"][1]["fixed"].as_array().unwrap();
    assert_eq!(fixed.len(), 1, "{text}");
    assert_eq!(fixed[0]["address"], "azurerm_linux_web_app.api");
    assert_eq!(
        json["runs"][1]["new"][0]["address"],
        "azurerm_linux_function_app.reports"
    );
}

#[test]
fn a_report_without_drift_says_no_deployed_export_was_given() {
    let args = vec![
        format!("{DIR}/report-2026-10-01.json@2026-10-01"),
        "--format".into(),
        "html".into(),
    ];
    let (html, stderr, code) = progress(&args);
    assert_eq!(code, 0, "{stderr}");
    assert!(html.contains("no deployed export given"), "{html}");
    let (text, _, _) = progress(&args[..1]);
    assert!(text.contains("no deployed export given"), "{text}");
}

#[test]
fn the_html_page_is_self_contained_with_chart_tables_and_sections() {
    let (html, stderr, code) = progress(&with(three_runs(), &["--format", "html"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(html.starts_with("<!DOCTYPE html>"));
    // Nothing is loaded: no external reference of any kind, and the policy forbids loads.
    for external in ["http://", "https://", "src=", "<link", "@import", "url("] {
        let outside_svg_namespace = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        assert!(
            !outside_svg_namespace.contains(external),
            "the page refers to something outside it: {external}"
        );
    }
    assert!(html.contains("Content-Security-Policy\" content=\"default-src 'none'"));
    // The burndown: three points on the failing line, by date (x) and count (y: 4 is the top).
    assert!(
        html.contains("<path class=\"failing\" d=\"M88.0 66.0 L367.3 66.0 L656.0 166.0\"/>"),
        "{html}"
    );
    assert_eq!(html.matches("<circle class=\"point\"").count(), 3);
    for section in ["burndown", "runs", "batches", "drift", "exceptions"] {
        assert!(
            html.contains(&format!("<section id=\"{section}\">")),
            "{section}"
        );
    }
    assert_eq!(html.matches("<table class=\"sortable\">").count(), 5);
    assert!(html.contains("Batch 1: internet + production"));
    assert!(html.contains("state state-deployment-fixed-code-not"));
    assert_eq!(html.matches("<script>").count(), 1);
}

/// Addresses, owners, reasons, paths and drift ids as an attacker would write them.
const HOSTILE: &str = r#"{
  "version": 3,
  "resources": [
    {"address": "azurerm_linux_web_app.<script>alert(1)</script>", "type": "azurerm_linux_web_app",
     "kind": "web-app", "path": "infra/\"><img src=x onerror=alert(2)>.tf", "line": 1, "column": 1,
     "verdict": "client-cert-disabled", "status": "failing"},
    {"address": "azurerm_linux_web_app.x", "type": "azurerm_linux_web_app", "kind": "web-app",
     "path": "a.tf", "line": 1, "column": 1, "verdict": "client-cert-disabled", "status": "suppressed"}
  ],
  "findings": [
    {"rule": "client-cert-disabled", "severity": "error", "message": "m", "help": "h",
     "address": "azurerm_linux_web_app.<script>alert(1)</script>",
     "path": "infra/\"><img src=x onerror=alert(2)>.tf", "line": 1, "column": 1},
    {"rule": "client-cert-disabled", "severity": "error", "message": "m", "help": "h",
     "address": "azurerm_linux_web_app.x", "path": "a.tf", "line": 1, "column": 1,
     "suppressed": {"by": "certgate:ignore", "reason": "</td></tr></table><iframe>",
                    "owner": "<b onmouseover=alert(3)>team</b>", "expires": "2026-11-10",
                    "path": "a.tf", "line": 1}}
  ],
  "errors": [], "notices": [],
  "drift": [{"state": "<svg onload=alert(4)>", "matched_by": "' onfocus='alert(5)",
             "code": null,
             "deployed": {"id": "/subscriptions/<script>alert(6)</script>", "path": "e.json",
                          "line": 1, "verdict": "client-cert-disabled"}}]
}
"#;

#[test]
fn hostile_strings_from_reports_stay_text_in_the_html_page() {
    let dir = tree(&[("hostile.json", HOSTILE)]);
    let report = dir.path().join("hostile.json");
    let args = vec![
        format!("{}@2026-11-01", report.display()),
        "--format".into(),
        "html".into(),
    ];
    let (html, stderr, code) = progress(&args);
    assert_eq!(code, 0, "{stderr}");
    for injected in [
        "<script>alert",
        "<img",
        "<iframe",
        "<b ",
        "<svg onload",
        "' onfocus",
        "</td></tr></table><iframe>",
    ] {
        assert!(
            !html.contains(injected),
            "{injected} reached the page as markup"
        );
    }
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&lt;b onmouseover=alert(3)&gt;team&lt;/b&gt;"));
    // The one script and the one SVG are ours.
    assert_eq!(html.matches("<script").count(), 1);
    assert_eq!(html.matches("<svg").count(), 1);
}

#[test]
fn control_characters_from_reports_are_shown_as_escapes_in_human_output() {
    let report = HOSTILE.replace(
        "azurerm_linux_web_app.x",
        "azurerm_linux_web_app.x\\u001b[2J\\u0007",
    );
    let dir = tree(&[("hostile.json", &report)]);
    let args = vec![format!(
        "{}@2026-11-01",
        dir.path().join("hostile.json").display()
    )];
    let (text, stderr, code) = progress(&args);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "{text:?}"
    );
    assert!(
        text.contains("azurerm_linux_web_app.x\\u{1b}[2J\\u{7}"),
        "{text}"
    );
}

#[test]
fn output_writes_the_page_to_a_file_and_prints_nothing() {
    let dir = tree(&[]);
    let page = dir.path().join("progress.html");
    let args = with(
        three_runs(),
        &["--format", "html", "--output", page.to_str().unwrap()],
    );
    let (stdout, stderr, code) = progress(&args);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("progress.html"), "{stderr}");
    assert!(std::fs::read_to_string(&page).unwrap().contains("<svg"));
}

#[test]
fn bad_inputs_stop_the_run_with_an_error_naming_the_file() {
    let dir = tree(&[
        (
            "truncated.json",
            "{\"version\": 2, \"resources\": [\n  {\"address\": ",
        ),
        ("sites.csv", "name,resourceGroup\napi,rg\n"),
        (
            "export.json",
            "[{\"id\": \"/subscriptions/x\", \"clientCertEnabled\": false}]",
        ),
        (
            "future.json",
            "{\"version\": 4, \"resources\": [], \"findings\": []}",
        ),
    ]);
    let cases = [
        ("truncated.json", "truncated.json:2:"),
        ("sites.csv", "sites.csv: not JSON: certgate progress reads"),
        (
            "export.json",
            "export.json: neither a `certgate check --format json` report",
        ),
        (
            "future.json",
            "future.json: report version 4 is not supported",
        ),
        ("missing.json", "cannot read"),
    ];
    for (name, says) in cases {
        let path = dir.path().join(name);
        let (stdout, stderr, code) = progress(&[path.display().to_string()]);
        assert_eq!(code, 2, "{name}: {stdout}");
        assert!(stderr.contains(says), "{name}: {stderr}");
        assert!(stderr.contains(name), "{name}: {stderr}");
    }
}
