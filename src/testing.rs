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
