//! Helpers the unit tests share.

use std::path::Path;

/// Makes a FIFO at `path` (opening one for reading blocks until a writer comes).
pub fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

/// A temporary directory and its canonical path (on macOS `/tmp` is a link), for tests that
/// compare paths with the ones certgate canonicalises.
pub fn canonical_tempdir() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let base = std::fs::canonicalize(dir.path()).unwrap();
    (dir, base)
}
