//! Snapshot test over every fixture: each folder under `fixtures/<format>/` is one behaviour,
//! scanned on its own; its human output (no colour, fixed width) and JSON output are snapshots.
//! A new fixture is one new folder: run `cargo insta review` to accept its snapshot.

use std::path::{Path, PathBuf};

use certgate::report::human::{self, Style};
use certgate::{Settings, scan};

fn fixture_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    for format in std::fs::read_dir("fixtures").expect("fixtures/ exists") {
        let format = format.unwrap().path();
        if !format.is_dir() {
            continue;
        }
        for fixture in std::fs::read_dir(&format).unwrap() {
            let fixture = fixture.unwrap().path();
            if fixture.is_dir() {
                dirs.push(fixture);
            }
        }
    }
    dirs.sort();
    dirs
}

/// Scan settings with a fixed date, so exception expiry in fixtures never depends on the clock:
/// a fixture's `expires` before 2026-06-01 is expired, on or after it is active.
fn settings() -> Settings {
    Settings {
        today: Some(certgate::suppress::date::parse_date("2026-06-01").expect("a valid date")),
        ..Settings::default()
    }
}

fn snapshot_name(dir: &Path) -> String {
    dir.strip_prefix("fixtures")
        .unwrap()
        .to_string_lossy()
        .replace(['/', '\\'], "__")
}

#[test]
fn every_fixture_matches_its_snapshots() {
    let dirs = fixture_dirs();
    assert!(
        dirs.len() >= 30,
        "expected the fixture tree, found {dirs:?}"
    );
    for dir in dirs {
        let report = scan(std::slice::from_ref(&dir), &settings());
        let style = Style::plain();
        let name = snapshot_name(&dir);
        let human = human::render(&report, style);
        let json = certgate::report::json::render(&report);
        insta::with_settings!({ snapshot_path => "snapshots/fixtures", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("{name}.human"), human);
            insta::assert_snapshot!(format!("{name}.json"), json);
        });
    }
}

#[test]
fn output_is_identical_across_runs_and_thread_counts() {
    let run = |threads| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            certgate::report::json::render(&scan(&[PathBuf::from("fixtures")], &settings()))
        })
    };
    let single = run(1);
    assert_eq!(single, run(4));
    assert_eq!(single, run(2));
}
