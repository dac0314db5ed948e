//! `--output FILE`: writes a rendered report to a file atomically (a temporary file in the
//! same directory, flushed, then renamed), so a CI step never reads half a report.
//!
//! Not `fix::write`: that one replaces an existing file only if it still holds what was
//! scanned; a report file usually does not exist yet and its old contents do not matter.

use std::io::Write as _;
use std::path::Path;

/// Writes `contents` to `path`, replacing any file there. The error says why nothing was written.
pub fn write_report(path: &Path, contents: &[u8]) -> Result<(), String> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut temporary = tempfile::Builder::new()
        .prefix(".certgate-report-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| format!("cannot create a file in {}: {e}", dir.display()))?;
    temporary
        .write_all(contents)
        .and_then(|()| temporary.as_file().sync_all())
        .map_err(|e| e.to_string())?;
    temporary.persist(path).map_err(|e| e.error.to_string())?;
    Ok(())
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
