//! Writes a fixed file: atomically (a temporary file in the same directory, flushed to disk,
//! given the original's mode, owner and group, then renamed over the original), or in place
//! when the file has several hard links (see [`crate::fs::replace`]). Any failure leaves the
//! original untouched and removes the temporary file.
//!
//! The file must still hold what was scanned, checked again right before the rename: an edit
//! made meanwhile is never lost. Read-only is decided from the permission bits, not only from
//! whether the system refuses the write: as root (CI, containers) every write succeeds, and a
//! file or directory someone made read-only must still not be replaced. Symbolic links are
//! written through to their target, unless the target is outside the project root.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::fs::root::ProjectRoot;

/// The temporary files a fix writes are named `.certgate-fix-XXXXXX.tmp`.
pub const TEMPORARY_PREFIX: &str = ".certgate-fix-";

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
            crate::paths::path_text(dir)
        ));
    }
    Ok(real)
}

/// Replaces `path`'s contents with `contents`, provided the file still holds `expected` (what
/// was scanned). The error says why nothing was written.
pub fn write_atomic(path: &Path, expected: &[u8], contents: &[u8]) -> Result<(), String> {
    write_fix(path, expected, contents, None)
}

/// [`write_atomic`] that also refuses a symbolic link leading outside `root`.
pub fn write_fix(
    path: &Path,
    expected: &[u8],
    contents: &[u8],
    root: Option<&ProjectRoot>,
) -> Result<(), String> {
    write_atomic_with(path, expected, contents, root, |_| Ok(()))
}

/// [`write_fix`] with a step run just before the final check and rename (tests inject
/// failures and concurrent edits there).
pub fn write_atomic_with(
    path: &Path,
    expected: &[u8],
    contents: &[u8],
    root: Option<&ProjectRoot>,
    before_rename: impl FnOnce(&Path) -> std::io::Result<()>,
) -> Result<(), String> {
    let real = preflight(path)?;
    if let Some(root) = root.filter(|root| !root.contains(path)) {
        return Err(format!(
            "it leads to `{}`, outside the project root `{}`, and certgate writes nothing there",
            crate::paths::path_text(&real),
            root.shown()
        ));
    }
    let scanned = fs::metadata(&real).map_err(|e| reason(&e))?;
    unchanged(&real, &scanned, expected)?;
    crate::fs::replace::write(&real, contents, TEMPORARY_PREFIX, |temporary| {
        before_rename(temporary).map_err(|e| reason(&e))?;
        // Right before the rename: an edit made since the scan must not be lost.
        unchanged(&real, &scanned, expected)
    })
}

/// Whether the file at `real` is still the one scanned (same inode, size and modification
/// time) and still holds `expected`.
fn unchanged(real: &Path, scanned: &fs::Metadata, expected: &[u8]) -> Result<(), String> {
    let changed = || "the file changed since it was scanned".to_string();
    let now = fs::metadata(real).map_err(|e| reason(&e))?;
    if !crate::fs::replace::same_file(&now, scanned)
        || now.len() != scanned.len()
        || now.modified().ok() != scanned.modified().ok()
    {
        return Err(changed());
    }
    match crate::fs::regular::read(real) {
        Ok(current) if current == expected => Ok(()),
        Ok(_) => Err(changed()),
        Err(refused) => Err(refused.to_string()),
    }
}

/// Removes the temporary files killed `--fix` runs left in `dir` (see
/// [`crate::fs::replace::remove_stale`]).
pub fn remove_stale(dir: &Path, started: SystemTime) -> Vec<PathBuf> {
    crate::fs::replace::remove_stale(dir, TEMPORARY_PREFIX, started)
}

fn reason(error: &std::io::Error) -> String {
    crate::fs::regular::reason(error)
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
        let error = write_atomic_with(&path, b"old", b"new", None, |_| {
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
    fn an_edit_made_between_the_scan_and_the_rename_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("main.tf");
        fs::write(&path, "old").unwrap();
        let error = write_atomic_with(&path, b"old", b"new", None, |_| {
            fs::write(&path, "edited meanwhile")
        })
        .unwrap_err();
        assert_eq!(error, "the file changed since it was scanned");
        assert_eq!(fs::read_to_string(&path).unwrap(), "edited meanwhile");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn owner_group_mode_and_hard_links_are_kept() {
        use std::os::unix::fs::MetadataExt as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("main.tf");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o664)).unwrap();
        let is_root = fs::metadata(dir.path()).unwrap().uid() == 0;
        // As root (CI), the file is given to `nobody`: a rename would make it root's.
        let owner = if is_root {
            (65534, 65534)
        } else {
            let m = fs::metadata(&path).unwrap();
            (m.uid(), m.gid())
        };
        std::os::unix::fs::chown(&path, Some(owner.0), Some(owner.1)).unwrap();
        write_atomic(&path, b"old", b"new").unwrap();
        let after = fs::metadata(&path).unwrap();
        assert_eq!((after.uid(), after.gid()), owner);
        assert_eq!(after.permissions().mode() & 0o777, 0o664);

        let link = dir.path().join("linked.tf");
        fs::hard_link(&path, &link).unwrap();
        let inode = after.ino();
        write_atomic(&path, b"new", b"newer").unwrap();
        let after = fs::metadata(&path).unwrap();
        assert_eq!((after.ino(), after.nlink()), (inode, 2));
        assert_eq!(fs::read_to_string(&link).unwrap(), "newer");
        assert_eq!((after.uid(), after.gid()), owner);
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn a_link_leading_out_of_the_project_root_is_not_written() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        fs::create_dir(&repo).unwrap();
        let target = dir.path().join("outside.bicep");
        fs::write(&target, "old").unwrap();
        let link = repo.join("main.bicep");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let root = ProjectRoot::of_dirs(std::slice::from_ref(&repo));
        let error = write_fix(&link, b"old", b"new", Some(&root)).unwrap_err();
        assert!(error.contains("outside the project root"), "{error}");
        assert_eq!(fs::read_to_string(&target).unwrap(), "old");
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
