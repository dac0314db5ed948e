//! Parses every `.bicep` and `.bicepparam` file under `$CERTGATE_BICEP_CORPUS` and fails when
//! any has a syntax error. Ignored by a plain `cargo test` (the corpus is not in the repository):
//! run it by hand as
//! `CERTGATE_BICEP_CORPUS=../shared/corpus cargo test --release --test bicep_corpus -- --ignored --nocapture`.
//! Run without the variable, or on a folder with no Bicep file, it fails rather than pass
//! having parsed nothing.

use std::path::{Path, PathBuf};
use std::time::Instant;

fn bicep_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|entry| entry.path());
    for entry in entries {
        let path = entry.path();
        // `file_type` does not follow symbolic links, so a link loop cannot recurse forever.
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir {
            bicep_files(&path, out);
        } else if path
            .extension()
            .is_some_and(|ext| ext == "bicep" || ext == "bicepparam")
        {
            out.push(path);
        }
    }
}

#[test]
#[ignore = "needs CERTGATE_BICEP_CORPUS"]
fn every_corpus_file_parses_without_errors() {
    let root = std::env::var_os("CERTGATE_BICEP_CORPUS")
        .expect("set CERTGATE_BICEP_CORPUS to the folder holding the Bicep corpus");
    let mut files = Vec::new();
    bicep_files(Path::new(&root), &mut files);
    assert!(
        !files.is_empty(),
        "no .bicep or .bicepparam file under {}",
        Path::new(&root).display()
    );
    let mut failing = Vec::new();
    let mut texts: Vec<(PathBuf, String)> = Vec::new();
    for path in files {
        match std::fs::read_to_string(&path) {
            Ok(text) => texts.push((path, text)),
            Err(error) => failing.push(format!("{}: cannot read: {error}", path.display())),
        }
    }
    let total = texts.len() + failing.len();
    let bytes: usize = texts.iter().map(|(_, text)| text.len()).sum();

    let started = Instant::now();
    for (path, text) in &texts {
        let result = certgate::parse_bicep(0, text);
        if let Some(first) = result.errors.first() {
            let line = text[..first.span.start.min(text.len())]
                .matches('\n')
                .count()
                + 1;
            failing.push(format!(
                "{}:{line}: {} ({} errors)",
                path.display(),
                first.message,
                result.errors.len()
            ));
        }
    }
    let elapsed = started.elapsed();

    for failure in &failing {
        println!("{failure}");
    }
    println!(
        "bicep corpus: {total} files, {} ok, {} with errors; {:.1} MiB parsed in {:?}",
        total - failing.len(),
        failing.len(),
        bytes as f64 / (1024.0 * 1024.0),
        elapsed
    );
    assert!(
        failing.is_empty(),
        "{} files have syntax errors",
        failing.len()
    );
}
