//! `--output FILE`: writes a rendered report so a CI step never reads half a report, and
//! nothing but the report file changes: a regular file is replaced atomically keeping its
//! mode, owner and group; a new one gets the usual permissions (0666 less the umask); a device
//! or FIFO (`-o /dev/stdout`, `-o /dev/null`) is written through, never replaced (see
//! [`crate::fs::replace`]).
//!
//! Not `fix::write`: that one replaces an existing file only if it still holds what was
//! scanned; a report file usually does not exist yet and its old contents do not matter.

use std::path::Path;

/// Writes `contents` to `path`. The error says why nothing was written.
pub fn write_report(path: &Path, contents: &[u8]) -> Result<(), String> {
    crate::fs::replace::write(path, contents, ".certgate-report-", |_| Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_replaces_without_leftovers() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("report.xml");
        write_report(&path, b"one").expect("first write");
        write_report(&path, b"two").expect("second write");
        assert_eq!(std::fs::read(&path).expect("read"), b"two");
        let entries = std::fs::read_dir(dir.path()).expect("list").count();
        assert_eq!(entries, 1);
        assert!(write_report(&dir.path().join("missing/report.xml"), b"x").is_err());
    }
}
