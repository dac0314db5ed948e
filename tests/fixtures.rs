//! Snapshot test over every fixture: each folder under `fixtures/<format>/` is one behaviour,
//! scanned on its own; its human output (no colour, fixed width) and JSON output are snapshots.
//! `insta::glob!` visits each folder and reports every mismatching snapshot by name, so one
//! broken fixture never hides another. A new fixture is one new folder: run
//! `INSTA_UPDATE=always cargo test --test fixtures` and review the new `.snap` files.

mod common;

use std::path::PathBuf;

use certgate::report::human::{self, Style};
use certgate::{Settings, scan};

/// Scan settings with a fixed date, so exception expiry in fixtures never depends on the clock:
/// a fixture's `expires` before 2026-06-01 is expired, on or after it is active.
fn settings() -> Settings {
    Settings {
        today: Some(certgate::date::parse_date("2026-06-01").expect("a valid date")),
        ..Settings::default()
    }
}

#[test]
fn every_fixture_matches_its_snapshots() {
    insta::glob!("../fixtures", "*/*", |found| {
        // `*/*` also matches a file lying directly in a format folder: only folders are fixtures.
        if !found.is_dir() {
            return;
        }
        let dir = common::relative_fixture(found);
        let report = scan(std::slice::from_ref(&dir), &settings());
        let human = human::render(&report, Style::plain());
        let json = certgate::report::json::render(&report);
        let name = format!(
            "{}__{}",
            dir.parent().unwrap().file_name().unwrap().to_string_lossy(),
            dir.file_name().unwrap().to_string_lossy()
        );
        // The snapshots keep the names and headers they had before `glob!`: no `@suffix` from
        // the folder's path, and no `input_file` line (the name already says which fixture).
        let mut snapshots = insta::Settings::clone_current();
        snapshots.set_snapshot_path("snapshots/fixtures");
        snapshots.set_prepend_module_to_snapshot(false);
        snapshots.remove_snapshot_suffix();
        snapshots.remove_input_file();
        snapshots.bind(|| {
            insta::assert_snapshot!(format!("{name}.human"), human);
            insta::assert_snapshot!(format!("{name}.json"), json);
        });
    });
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
