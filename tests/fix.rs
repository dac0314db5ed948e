//! `--fix` over the fix fixtures: each `fixtures/<format>/fix_*` folder is copied to a temporary
//! directory and fixed. Its fixed text (with the diff) is a snapshot in `tests/snapshots/fix/`;
//! the re-scan must hold no fixable finding, the written files must be exactly the originals
//! with the reported edits applied, touching only the edited lines, keeping BOM, line endings and
//! the final newline; a second `--fix` must change nothing. `nofix_*` folders must be left
//! untouched, each fixable finding saying why. `unsafe_fix_*` folders are left untouched by
//! `--fix`, each finding naming `--unsafe-fixes`, and fixed like `fix_*` ones with it.

mod common;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use certgate::Settings;
use certgate::diagnostic::{Applicability, Edit, FixStatus};
use certgate::fix::run::{self, Options};
use certgate::report::Report;
use certgate::scan::Session;

/// Copies `from` into `to`, returning every file's bytes by relative path.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn files(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let relative = path.strip_prefix(root).unwrap().to_path_buf();
                out.insert(relative, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// Text with the invisible made visible: a BOM, carriage returns, a missing final newline.
fn visible(text: &str) -> String {
    let mut out = String::new();
    let body = match text.strip_prefix('\u{feff}') {
        Some(rest) => {
            out.push_str("<BOM>");
            rest
        }
        None => text,
    };
    out.push_str(&body.replace('\r', "␍"));
    if !body.ends_with('\n') {
        out.push_str("\n<no newline at end of file>\n");
    }
    out
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count()
}

/// The original lines an edit changes: none for a line inserted at a line start.
fn touched_lines(original: &str, edits: &[&Edit]) -> HashSet<usize> {
    let mut lines = HashSet::new();
    for edit in edits {
        let first = line_of(original, edit.start);
        if edit.start == edit.end {
            let at_line_start = edit.start == 0 || original.as_bytes()[edit.start - 1] == b'\n';
            if !at_line_start {
                lines.insert(first);
            }
        } else {
            lines.extend(first..=line_of(original, edit.end - 1));
        }
    }
    lines
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

fn fixable_findings(report: &Report) -> Vec<String> {
    report
        .findings
        .iter()
        .filter(|f| f.rule.rule().fixable)
        .map(|f| format!("{} {}", f.rule, f.address))
        .collect()
}

/// `certgate check --fix ROOT` (with `options`), as a library call.
fn fix(root: &Path, options: Options) -> Report {
    run::fix(
        &mut Session::new(vec![root.to_path_buf()], Settings::default()),
        options,
    )
}

/// `--fix` without `--unsafe-fixes` on an `unsafe_fix_*` fixture: nothing changes, and every
/// fixable finding says the option would fix it. Returns the reasons, for the snapshot.
fn check_hidden_unsafe_fixes(dir: &Path, root: &Path) -> String {
    let name = dir.display();
    let before = files(root);
    let report = fix(root, Options::default());
    assert_eq!(
        before,
        files(root),
        "{name}: changed without --unsafe-fixes"
    );
    assert_eq!(report.fixed.as_ref().map(Vec::len), Some(0), "{name}");
    let mut snapshot = String::from("# without --unsafe-fixes\n");
    for finding in report.findings.iter().filter(|f| f.rule.rule().fixable) {
        assert!(
            certgate::diagnostic::hidden_unsafe(&finding.fix),
            "{name}: {} must name --unsafe-fixes: {:?}",
            finding.address,
            finding.fix
        );
        if let FixStatus::Unavailable(why) = &finding.fix {
            let why = why.replace(&format!("{}/", common::shown(root)), "");
            snapshot.push_str(&format!("{} {}: {why}\n", finding.rule, finding.address));
        }
    }
    snapshot
}

/// Checks one fixture and returns its snapshot text.
fn check_fixture(dir: &Path, root: &Path) -> String {
    let dir_name = dir.file_name().unwrap().to_string_lossy().into_owned();
    let unsafe_fixes = dir_name.starts_with("unsafe_fix_");
    let expect_fixes = dir_name.starts_with("fix_") || unsafe_fixes;
    let mut snapshot = String::new();
    if unsafe_fixes {
        snapshot.push_str(&check_hidden_unsafe_fixes(dir, root));
    }
    let options = Options { unsafe_fixes };
    let before = files(root);
    let report = fix(root, options);
    let after = files(root);
    let name = dir.display();
    assert!(report.errors.is_empty(), "{name}: {:?}", report.errors);
    let fixed = report
        .fixed
        .as_ref()
        .expect("a fix run lists what it fixed");
    if unsafe_fixes {
        assert!(
            fixed
                .iter()
                .any(|f| f.fix.applicability == Applicability::Unsafe),
            "{name}: no unsafe fix was made"
        );
    } else {
        assert!(
            fixed
                .iter()
                .all(|f| f.fix.applicability != Applicability::Unsafe),
            "{name}: an unsafe fix without --unsafe-fixes"
        );
    }
    snapshot.push_str("# fixed\n");
    for fix in fixed {
        let marker = match fix.fix.applicability {
            Applicability::Unsafe => " (unsafe)",
            Applicability::ChangesBehaviour => "",
        };
        snapshot.push_str(&format!(
            "{}:{}:{marker} {} ({}): {}\n",
            relative(root, &fix.location.path),
            fix.location.start.line,
            fix.address,
            fix.rule,
            fix.fix
                .description
                .replace(&format!("{}/", common::shown(root)), "")
        ));
    }
    snapshot.push_str("# remaining\n");
    for finding in &report.findings {
        let why = match &finding.fix {
            FixStatus::Unavailable(why) => why.replace(&format!("{}/", common::shown(root)), ""),
            _ => "no automatic fix".into(),
        };
        snapshot.push_str(&format!("{} {}: {why}\n", finding.rule, finding.address));
    }

    if !expect_fixes {
        assert_eq!(before, after, "{name}: a nofix fixture must not change");
        assert!(fixed.is_empty(), "{name}");
        for finding in report.findings.iter().filter(|f| f.rule.rule().fixable) {
            assert!(
                matches!(finding.fix, FixStatus::Unavailable(_)),
                "{name}: {} must say why it has no fix",
                finding.address
            );
        }
        return snapshot;
    }

    assert!(!fixed.is_empty(), "{name}: nothing was fixed");
    assert_eq!(
        fixable_findings(&report),
        Vec::<String>::new(),
        "{name}: fixable findings remain after --fix"
    );
    let edits: Vec<&Edit> = fixed.iter().flat_map(|f| &f.fix.edits).collect();
    for (path, new_bytes) in &after {
        let old_bytes = &before[path];
        if old_bytes == new_bytes {
            continue;
        }
        let old = std::str::from_utf8(old_bytes).unwrap();
        let new = std::str::from_utf8(new_bytes).unwrap();
        let shown = path.display();
        let mine: Vec<&Edit> = edits
            .iter()
            .copied()
            .filter(|e| e.path == root.join(path))
            .collect();
        // Exactly the reported edits, and nothing else, were applied.
        let ranges: Vec<_> = mine
            .iter()
            .map(|e| (e.start..e.end, e.replacement.clone()))
            .collect();
        assert_eq!(certgate::fix::apply(old, &ranges).unwrap(), new, "{shown}");
        // Only the edited lines differ.
        let touched = touched_lines(old, &mine);
        let diff = similar::TextDiff::from_lines(old, new);
        for op in diff.ops() {
            let (tag, old_lines, _) = op.as_tag_tuple();
            if tag != similar::DiffTag::Equal {
                for line in old_lines {
                    assert!(
                        touched.contains(&line),
                        "{shown}: line {} changed",
                        line + 1
                    );
                }
            }
        }
        assert_eq!(
            old.starts_with('\u{feff}'),
            new.starts_with('\u{feff}'),
            "{shown}: BOM"
        );
        assert_eq!(
            old.ends_with('\n'),
            new.ends_with('\n'),
            "{shown}: final newline"
        );
        let crlf = |t: &str| t.matches("\r\n").count() == t.matches('\n').count();
        assert_eq!(crlf(old), crlf(new), "{shown}: line endings");
        snapshot.push_str(&format!("== {shown} ==\n{}", visible(new)));
        let unified = certgate::fix::diff::unified(path, old, new);
        snapshot.push_str(&format!("-- diff --\n{}", unified.replace('\r', "␍")));
    }

    // A second run finds nothing left to do.
    let again = fix(root, options);
    assert_eq!(
        again.fixed.as_ref().map(Vec::len),
        Some(0),
        "{name}: second run"
    );
    assert_eq!(files(root), after, "{name}: the second --fix changed files");
    snapshot
}

/// Each fixture is checked on its own: `insta::glob!` reports every mismatching snapshot by
/// name, and a failed check (a panic, its message already printed with the fixture's name) is
/// caught so the other fixtures still run; the test then fails listing them all.
#[test]
fn every_fix_fixture_is_fixed_in_its_own_style() {
    let mut failed = Vec::new();
    insta::glob!("../fixtures", "*/{fix_,nofix_,unsafe_fix_}*", |found| {
        if !found.is_dir() {
            return;
        }
        let dir = common::relative_fixture(found);
        let temp = tempfile::tempdir().unwrap();
        let root = temp.path().join(dir.file_name().unwrap());
        copy_tree(&dir, &root);
        let Ok(snapshot) = std::panic::catch_unwind(|| check_fixture(&dir, &root)) else {
            failed.push(dir.display().to_string());
            return;
        };
        let name = dir
            .strip_prefix("fixtures")
            .unwrap()
            .to_string_lossy()
            .replace(['/', '\\'], "__");
        // The snapshots keep the names and headers they had before `glob!`: no `@suffix` from
        // the folder's path, and no `input_file` line (the name already says which fixture).
        let mut snapshots = insta::Settings::clone_current();
        snapshots.set_snapshot_path("snapshots/fix");
        snapshots.set_prepend_module_to_snapshot(false);
        snapshots.remove_snapshot_suffix();
        snapshots.remove_input_file();
        snapshots.bind(|| insta::assert_snapshot!(name, snapshot));
    });
    assert!(
        failed.is_empty(),
        "fixtures failing their checks: {failed:#?}"
    );
}
