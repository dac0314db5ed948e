//! Writes a fixed file atomically: a temporary file in the same directory, flushed to disk,
//! given the original's permissions, then renamed over the original. Any failure leaves the
//! original untouched and removes the temporary file.
//!
//! Read-only is decided from the permission bits, not only from whether the system refuses the
//! write: as root (CI, containers) every write succeeds, and a file or directory someone made
//! read-only must still not be replaced. Symbolic links are written through to their target.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Checks that `path` can be replaced: it resolves, it and its directory are writable by their
/// permission bits. Returns the path to write (the link target for a symbolic link).
pub fn preflight(path: &Path) -> Result<PathBuf, String> {
    let real = fs::canonicalize(path).map_err(|e| reason(&e))?;
    let metadata = fs::metadata(&real).map_err(|e| reason(&e))?;
    if !metadata.is_file() {
        return Err("it is not a regular file".into());
    }
    if metadata.permissions().readonly() {
        return Err("the file is read-only".into());
    }
    let dir = real.parent().ok_or("it has no directory")?;
    let dir_metadata = fs::metadata(dir).map_err(|e| reason(&e))?;
    if dir_metadata.permissions().readonly() {
        return Err(format!(
            "its directory {} is read-only, and a fix is written as a new file renamed over the old",
            dir.display()
        ));
    }
    Ok(real)
}

/// Replaces `path`'s contents with `contents`, provided the file still holds `expected` (what
/// was scanned). The error says why nothing was written.
pub fn write_atomic(path: &Path, expected: &[u8], contents: &[u8]) -> Result<(), String> {
    write_atomic_with(path, expected, contents, |_| Ok(()))
}

/// [`write_atomic`] with a step run just before the rename (tests inject failures there).
pub fn write_atomic_with(
    path: &Path,
    expected: &[u8],
    contents: &[u8],
    before_rename: impl FnOnce(&Path) -> std::io::Result<()>,
) -> Result<(), String> {
    let real = preflight(path)?;
    let current = fs::read(&real).map_err(|e| reason(&e))?;
    if current != expected {
        return Err("the file changed since it was scanned".into());
    }
    let permissions = fs::metadata(&real).map_err(|e| reason(&e))?.permissions();
    let dir = real.parent().ok_or("it has no directory")?;
    let mut temporary = tempfile::Builder::new()
        .prefix(".certgate-fix-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| format!("cannot create a temporary file next to it: {}", reason(&e)))?;
    temporary
        .write_all(contents)
        .and_then(|()| temporary.as_file().sync_all())
        .and_then(|()| fs::set_permissions(temporary.path(), permissions))
        .and_then(|()| before_rename(temporary.path()))
        .map_err(|e| reason(&e))?;
    temporary.persist(&real).map_err(|e| reason(&e.error))?;
    // The rename is durable once the directory is synced; not every system allows that.
    if let Ok(directory) = fs::File::open(dir) {
        let _ = directory.sync_all();
    }
    Ok(())
}

fn reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => error.to_string(),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt as _;

    fn leftovers(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.starts_with(".certgate-fix-"))
            .collect()
    }

    #[test]
    fn replaces_the_file_and_keeps_its_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("main.tf");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&path, b"old", b"new").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn a_failure_before_the_rename_leaves_the_original_and_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("main.tf");
        fs::write(&path, "old").unwrap();
        let error = write_atomic_with(&path, b"old", b"new", |_| {
            Err(std::io::Error::other("disk full"))
        })
        .unwrap_err();
        assert_eq!(error, "disk full");
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn read_only_files_and_directories_are_refused_even_for_root() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("main.tf");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
        assert_eq!(
            write_atomic(&path, b"old", b"new").unwrap_err(),
            "the file is read-only"
        );
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o555)).unwrap();
        let error = write_atomic(&path, b"old", b"new").unwrap_err();
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
        assert!(error.contains("is read-only"), "{error}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
    }

    #[test]
    fn a_file_changed_since_the_scan_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("main.tf");
        fs::write(&path, "edited meanwhile").unwrap();
        let error = write_atomic(&path, b"old", b"new").unwrap_err();
        assert_eq!(error, "the file changed since it was scanned");
        assert_eq!(fs::read_to_string(&path).unwrap(), "edited meanwhile");
    }

    #[test]
    fn symbolic_links_are_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("real.tf");
        let link = dir.path().join("main.tf");
        fs::write(&target, "old").unwrap();
        std::os::unix::fs::symlink(&target, &link).unwrap();
        write_atomic(&link, b"old", b"new").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
    }
}
