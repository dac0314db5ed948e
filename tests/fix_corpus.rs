//! `--fix` over a copy of the real-world corpus (`../shared/corpus`): every changed file must
//! still be read without errors, no finding that had a fix may remain, and a second `--fix`
//! must change nothing. The corpus is not in the repository, so a plain `cargo test` lists the
//! test as ignored; run it with `cargo test --test fix_corpus -- --ignored --nocapture` (it
//! prints its counts). Without the corpus it fails rather than pass having fixed nothing.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use certgate::diagnostic::FixStatus;
use certgate::fix::run::{self, Options};
use certgate::scan::Session;
use certgate::{Settings, scan};

/// Makes `path` writable (mode `mode` on Unix), as a checkout is.
fn writable(path: &Path, mode: u32) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    #[cfg(not(unix))]
    {
        let _ = mode;
        let mut permissions = std::fs::metadata(path).unwrap().permissions();
        // Off Unix, clearing the read-only attribute is all "writable" means (the lint warns
        // of Unix's world-writable mode, which this branch never sees).
        #[allow(clippy::permissions_set_readonly_false)]
        permissions.set_readonly(false);
        std::fs::set_permissions(path, permissions).unwrap();
    }
}

/// Copies `from` into `to` (regular files and directories only), writable, as a checkout is.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    writable(to, 0o755);
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let kind = entry.file_type().unwrap();
        let target = to.join(entry.file_name());
        if kind.is_dir() {
            copy_tree(&entry.path(), &target);
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &target).unwrap();
            writable(&target, 0o644);
        }
    }
}

fn contents(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                walk(&entry.path(), out);
            } else {
                out.insert(entry.path(), std::fs::read(entry.path()).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, &mut out);
    out
}

#[test]
#[ignore = "needs ../shared/corpus"]
fn fixing_the_corpus_leaves_valid_files_and_no_fixable_finding() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    assert!(
        corpus.is_dir(),
        "{} is absent: this test needs the real-world corpus",
        corpus.display()
    );
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path().join("corpus");
    copy_tree(&corpus, &root);
    let roots = [root.clone()];
    let settings = Settings::default();

    let before_files = contents(&root);
    let before = scan(&roots, &settings);
    let after = run::fix(
        &mut Session::new(roots.to_vec(), settings.clone()),
        Options::default(),
    );
    let after_files = contents(&root);
    let changed: Vec<&PathBuf> = after_files
        .iter()
        .filter(|(path, bytes)| before_files.get(*path) != Some(bytes))
        .map(|(path, _)| path)
        .collect();

    // Every changed file is still read without error: the re-scan has no error that the
    // first scan did not have.
    let known: HashSet<(PathBuf, String)> = before
        .errors
        .iter()
        .map(|e| (e.path.clone(), e.message.clone()))
        .collect();
    let new_errors: Vec<_> = after
        .errors
        .iter()
        .filter(|e| !known.contains(&(e.path.clone(), e.message.clone())))
        .collect();
    assert!(new_errors.is_empty(), "{new_errors:?}");
    for path in &changed {
        assert!(
            !after.errors.iter().any(|e| &&e.path == path),
            "{} no longer reads",
            path.display()
        );
    }
    // No finding that was fixed remains.
    let fixed = after.fixed.as_ref().unwrap();
    assert!(
        !fixed.is_empty(),
        "no fix was applied: the corpus exercised nothing"
    );
    let key = |rule: &str, address: &str, scenario: &Option<String>, path: &Path| {
        (
            rule.to_string(),
            address.to_string(),
            scenario.clone(),
            path.to_path_buf(),
        )
    };
    let fixed_keys: HashSet<_> = fixed
        .iter()
        .map(|f| key(f.rule.as_str(), &f.address, &f.scenario, &f.location.path))
        .collect();
    let remaining_fixed: Vec<_> = after
        .findings
        .iter()
        .filter(|f| {
            fixed_keys.contains(&key(
                f.rule.as_str(),
                &f.address,
                &f.scenario,
                &f.location.path,
            ))
        })
        .map(|f| format!("{} {} {}", f.rule, f.address, f.location.path.display()))
        .collect();
    assert!(remaining_fixed.is_empty(), "{remaining_fixed:#?}");

    // Nothing fixable is left, so a second run changes nothing.
    let again = run::fix(
        &mut Session::new(roots.to_vec(), settings.clone()),
        Options::default(),
    );
    assert_eq!(again.fixed.as_ref().map(Vec::len), Some(0));
    assert_eq!(contents(&root), after_files);

    let mut remaining: BTreeMap<String, usize> = BTreeMap::new();
    for finding in &after.findings {
        let why = match &finding.fix {
            FixStatus::Unavailable(why) if why.contains("does not fix this syntax") => " (Bicep)",
            FixStatus::Unavailable(why) if why.contains("Terraform plan") => " (plan)",
            FixStatus::Unavailable(_) => " (no safe fix)",
            _ => "",
        };
        *remaining
            .entry(format!("{}{why}", finding.rule))
            .or_default() += 1;
    }
    println!(
        "corpus --fix: {} findings before, {} fixes applied, {} files changed, {} findings remain: {remaining:?}",
        before.findings.len(),
        fixed.len(),
        changed.len(),
        after.findings.len()
    );
}
