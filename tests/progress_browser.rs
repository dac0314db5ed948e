//! The `certgate progress --format html` page in a real headless Chromium: it loads with no
//! console error, the burndown chart is drawn, the tables sort, hostile report strings stay
//! text, and a screenshot is taken.
//!
//! A browser is required: without one (`chromium`, `chromium-browser` or `google-chrome` on
//! PATH, or `CERTGATE_BROWSER`) these tests fail, so they never pass without having run.
//! `CERTGATE_SKIP_BROWSER=1` skips them on purpose, saying so. `.ci/run` installs Debian's
//! `chromium` when it is missing. `CERTGATE_UPDATE_SCREENSHOT=1` also copies the screenshot
//! to `docs/progress.png` (the README's picture).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::bin;

const DIR: &str = "tests/data/progress/three_runs";

/// The browser to drive, or why there is none (the caller fails or skips).
fn browser() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CERTGATE_BROWSER") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// The browser, or `None` when the tests are skipped on purpose; panics when there is none.
fn require_browser() -> Option<PathBuf> {
    if std::env::var_os("CERTGATE_SKIP_BROWSER").is_some_and(|v| v == "1") {
        eprintln!(
            "SKIPPED: CERTGATE_SKIP_BROWSER=1: the progress page was not tested in a browser"
        );
        return None;
    }
    Some(browser().unwrap_or_else(|| {
        panic!(
            "no headless browser: install Debian's `chromium` (apt-get install chromium), set \
             CERTGATE_BROWSER to one, or set CERTGATE_SKIP_BROWSER=1 to skip these tests"
        )
    }))
}

/// What one headless run printed: the DOM or nothing on stdout, the log on stderr.
struct Load {
    stdout: String,
    stderr: String,
}

impl Load {
    /// The page's console messages (errors, CSP violations, uncaught exceptions) as Chromium
    /// logs them with `--enable-logging=stderr`: `INFO:CONSOLE:1] "…"` or `CONSOLE(1)`.
    fn console(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|line| line.contains(":CONSOLE") || line.contains("CONSOLE("))
            .collect()
    }
}

/// Loads `page` in headless Chromium with `extra` flags (`--dump-dom`, `--screenshot=…`).
/// The flags keep it off the network (background services, updates, QUIC) and out of the
/// user's profile. A run that hangs is killed after two minutes: a guard, not a measurement.
fn load(browser: &Path, page: &Path, extra: &[String]) -> Load {
    let profile = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let (stdout_path, stderr_path) = (out.path().join("stdout"), out.path().join("stderr"));
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--log-level=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout_path).unwrap())
        .stderr(std::fs::File::create(&stderr_path).unwrap())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", browser.display()));
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!(
                "{} did not finish loading {}",
                browser.display(),
                page.display()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let load = Load {
        stdout: std::fs::read_to_string(&stdout_path).unwrap(),
        stderr: std::fs::read_to_string(&stderr_path).unwrap(),
    };
    assert!(status.success(), "{}: {}", browser.display(), load.stderr);
    load
}

/// The progress page of the three runs, written to `dir/progress.html`.
fn write_page(dir: &Path) -> PathBuf {
    let page = dir.join("progress.html");
    let output = bin()
        .args(["progress", "--format", "html", "--output"])
        .arg(&page)
        .args(
            ["2026-09-01", "2026-10-01", "2026-11-01"]
                .map(|d| format!("{DIR}/report-{d}.json@{d}")),
        )
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    page
}

fn dump_dom() -> Vec<String> {
    vec!["--dump-dom".to_string()]
}

#[test]
fn the_console_check_sees_a_pages_errors() {
    // Without this, "no console error" below could pass because nothing is ever logged.
    let Some(browser) = require_browser() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("broken.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><p>x</p><script>console.error('boom'); missingFunction();</script>",
    )
    .unwrap();
    let console = load(&browser, &page, &dump_dom()).console().join("\n");
    assert!(console.contains("boom"), "{console}");
    assert!(console.contains("missingFunction"), "{console}");
}

#[test]
fn the_page_loads_without_console_errors_and_draws_the_burndown() {
    let Some(browser) = require_browser() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = write_page(dir.path());
    let load = load(&browser, &page, &dump_dom());
    assert!(load.console().is_empty(), "{:#?}", load.console());
    let dom = &load.stdout;
    // The DOM as rendered: the SVG's failing line has its three points (3, 3, then 1 site).
    assert!(
        dom.contains("<path class=\"failing\" d=\"M88.0 66.0 L367.3 66.0 L656.0 166.0\"></path>"),
        "{dom}"
    );
    assert_eq!(dom.matches("<circle class=\"point\"").count(), 3);
    assert!(dom.contains("Batch 1: internet + production"));
}

#[test]
fn clicking_a_header_sorts_its_table() {
    let Some(browser) = require_browser() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = write_page(dir.path());
    // Click "Failing" in the runs table, then record the column's order on the body.
    let probe = "<script>\
        var th = document.querySelector('#runs th:nth-child(2)'); th.click();\
        var rows = document.querySelector('#runs tbody').rows;\
        document.body.setAttribute('data-sorted', Array.prototype.map.call(rows,\
          function (r) { return r.cells[1].textContent + '@' + r.cells[0].textContent; }).join(' '));\
        </script></body>";
    let html = std::fs::read_to_string(&page)
        .unwrap()
        .replace("</body>", probe);
    std::fs::write(&page, html).unwrap();
    let load = load(&browser, &page, &dump_dom());
    assert!(load.console().is_empty(), "{:#?}", load.console());
    assert!(
        load.stdout
            .contains("data-sorted=\"1@2026-11-01 3@2026-09-01 3@2026-10-01\""),
        "{}",
        load.stdout
    );
    assert!(load.stdout.contains("aria-sort=\"ascending\""));
}

#[test]
fn hostile_report_strings_stay_text_in_the_browser() {
    let Some(browser) = require_browser() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("hostile.json");
    std::fs::write(
        &report,
        r#"{"version": 3,
  "resources": [{"address": "a.<img src=x onerror=console.error('pwned')>", "path": "<script>console.error('pwned')</script>.tf",
                 "line": 1, "column": 1, "verdict": "client-cert-disabled", "status": "failing"}],
  "findings": [{"rule": "client-cert-disabled", "severity": "error",
                "address": "a.<img src=x onerror=console.error('pwned')>", "path": "<script>console.error('pwned')</script>.tf", "line": 1}],
  "drift": [{"state": "x\" onmouseover=\"console.error('pwned')", "matched_by": null, "code": null, "deployed": null}]}"#,
    )
    .unwrap();
    let page = dir.path().join("hostile.html");
    let output = bin()
        .args(["progress", "--format", "html", "--output"])
        .arg(&page)
        .arg(format!("{}@2026-11-01", report.display()))
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let load = load(&browser, &page, &dump_dom());
    assert!(load.console().is_empty(), "{:#?}", load.console());
    assert!(!load.stdout.contains("<img"), "{}", load.stdout);
    assert_eq!(load.stdout.matches("<script").count(), 1, "only ours");
    assert!(
        load.stdout
            .contains("&lt;script&gt;console.error('pwned')&lt;/script&gt;.tf")
    );
}

#[test]
fn a_screenshot_of_the_page_is_taken() {
    let Some(browser) = require_browser() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = write_page(dir.path());
    let shot = dir.path().join("progress.png");
    let load = load(
        &browser,
        &page,
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1280,2150".to_string(),
        ],
    );
    assert!(load.console().is_empty(), "{:#?}", load.console());
    let png = std::fs::read(&shot).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    // 1280 x 2150, as asked (the IHDR chunk's width and height).
    assert_eq!(&png[16..24], &[0, 0, 5, 0, 0, 0, 8, 102]);
    if std::env::var_os("CERTGATE_UPDATE_SCREENSHOT").is_some_and(|v| v == "1") {
        std::fs::write("docs/progress.png", &png).unwrap();
    }
}
