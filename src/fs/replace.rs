//! Replaces a file's contents the way an editor should: a regular file atomically (a temporary
//! file in the same directory, renamed over it) keeping its mode, owner and group; a file with
//! several hard links, or whose owner cannot be kept, in place, so the links and the owner
//! survive; anything that is not a regular file (`/dev/null`, a FIFO, a terminal) written
//! through, never replaced. A new file gets the usual permissions (0666 less the umask).
//!
//! Used by `--fix` ([`crate::fix::write`]), `--output` and `--write-baseline`.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// What a temporary file is named: `{prefix}XXXXXX.tmp`, six random letters or digits.
const RANDOM_LEN: usize = 6;

/// A temporary file left by a killed run is removed by the next run once it is this old: a
/// live run's temporary file exists for milliseconds, so one older than a minute before the
/// run started belongs to no run.
pub const STALE_AFTER: Duration = Duration::from_secs(60);

/// Writes `contents` to `path`: see the module docs. `check` runs right before the file is
/// replaced or overwritten (the fixer re-checks there that nobody edited the file meanwhile);
/// its error leaves the file untouched. `prefix` names the temporary file.
pub fn write(
    path: &Path,
    contents: &[u8],
    prefix: &str,
    check: impl FnOnce(&Path) -> Result<(), String>,
) -> Result<(), String> {
    let metadata = match fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            if fs::symlink_metadata(path).is_ok() {
                return Err("it is a symbolic link to nothing (its target does not exist)".into());
            }
            check(path)?;
            return create(path, contents, prefix);
        }
        Err(error) => return Err(crate::fs::regular::reason(&error)),
    };
    if !metadata.is_file() {
        check(path)?;
        return write_through(path, contents);
    }
    // A link is replaced at its target, so the link stays a link.
    let real = fs::canonicalize(path).map_err(|e| crate::fs::regular::reason(&e))?;
    if several_links(&metadata) {
        return in_place(&real, &metadata, contents, check);
    }
    let dir = real.parent().ok_or("it has no directory")?;
    let mut temporary = tempfile::Builder::new()
        .prefix(prefix)
        .suffix(".tmp")
        .rand_bytes(RANDOM_LEN)
        .tempfile_in(dir)
        .map_err(|e| {
            format!(
                "cannot create a temporary file next to it: {}",
                crate::fs::regular::reason(&e)
            )
        })?;
    if !keep_owner(temporary.as_file(), &metadata) {
        // Only root can give a file away: write in place, which keeps the owner.
        drop(temporary);
        return in_place(&real, &metadata, contents, check);
    }
    temporary
        .write_all(contents)
        .and_then(|()| temporary.as_file().sync_all())
        // After the owner: changing the owner clears set-id bits.
        .and_then(|()| fs::set_permissions(temporary.path(), metadata.permissions()))
        .map_err(|e| crate::fs::regular::reason(&e))?;
    check(temporary.path())?;
    temporary
        .persist(&real)
        .map_err(|e| crate::fs::regular::reason(&e.error))?;
    // The rename is durable once the directory is synced; not every system allows that.
    if let Ok(directory) = fs::File::open(dir) {
        let _ = directory.sync_all();
    }
    Ok(())
}

/// A new file: written under a temporary name (0666 less the umask, as any new file), then
/// renamed into place, so a reader never sees half of it.
fn create(path: &Path, contents: &[u8], prefix: &str) -> Result<(), String> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix).suffix(".tmp").rand_bytes(RANDOM_LEN);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut temporary = builder.tempfile_in(dir).map_err(|e| {
        format!(
            "cannot create a file in {}: {}",
            crate::paths::path_text(dir),
            crate::fs::regular::reason(&e)
        )
    })?;
    temporary
        .write_all(contents)
        .and_then(|()| temporary.as_file().sync_all())
        .map_err(|e| crate::fs::regular::reason(&e))?;
    // `persist_noclobber`: a file that appeared meanwhile is not replaced blindly.
    temporary
        .persist_noclobber(path)
        .map_err(|e| crate::fs::regular::reason(&e.error))?;
    Ok(())
}

/// Writes into something that is not a regular file (a device, a FIFO): opened for writing
/// only, never created, truncated or replaced.
fn write_through(path: &Path, contents: &[u8]) -> Result<(), String> {
    let mut file = fs::OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(|e| crate::fs::regular::reason(&e))?;
    file.write_all(contents)
        .and_then(|()| file.flush())
        .map_err(|e| crate::fs::regular::reason(&e))
}

/// Overwrites a regular file in place: its inode, links, owner and mode stay. Not atomic: used
/// only when replacing the file would lose its links or its owner.
fn in_place(
    real: &Path,
    metadata: &fs::Metadata,
    contents: &[u8],
    check: impl FnOnce(&Path) -> Result<(), String>,
) -> Result<(), String> {
    let mut options = fs::OpenOptions::new();
    options.write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let mut file = options
        .open(real)
        .map_err(|e| crate::fs::regular::reason(&e))?;
    let opened = file
        .metadata()
        .map_err(|e| crate::fs::regular::reason(&e))?;
    if !opened.is_file() || !same_file(&opened, metadata) {
        return Err("the file changed since it was scanned".into());
    }
    check(real)?;
    file.set_len(0)
        .and_then(|()| file.write_all(contents))
        .and_then(|()| file.sync_all())
        .map_err(|e| crate::fs::regular::reason(&e))
}

/// Removes the temporary files named `{prefix}XXXXXX.tmp` in `dir` that a killed run left:
/// regular files only, older than [`STALE_AFTER`] before `started`. Returns what it removed.
pub fn remove_stale(dir: &Path, prefix: &str, started: SystemTime) -> Vec<PathBuf> {
    let Some(cutoff) = started.checked_sub(STALE_AFTER) else {
        return Vec::new();
    };
    let listing = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let Ok(entries) = fs::read_dir(listing) else {
        return Vec::new();
    };
    let mut removed = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        if !is_temporary_name(&name.to_string_lossy(), prefix) {
            continue;
        }
        // `DirEntry::metadata` does not follow links: a link of that name is left alone.
        let stale = entry
            .metadata()
            .is_ok_and(|m| m.is_file() && m.modified().is_ok_and(|modified| modified < cutoff));
        if stale && fs::remove_file(entry.path()).is_ok() {
            removed.push(entry.path());
        }
    }
    removed
}

/// Whether `name` is exactly a temporary name of ours.
fn is_temporary_name(name: &str, prefix: &str) -> bool {
    name.strip_prefix(prefix)
        .and_then(|rest| rest.strip_suffix(".tmp"))
        .is_some_and(|random| {
            random.len() == RANDOM_LEN && random.bytes().all(|b| b.is_ascii_alphanumeric())
        })
}

#[cfg(unix)]
fn several_links(metadata: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    metadata.nlink() > 1
}

#[cfg(not(unix))]
fn several_links(_: &fs::Metadata) -> bool {
    false
}

/// Gives the temporary file the original's owner and group; `false` when that is not allowed.
#[cfg(unix)]
fn keep_owner(file: &fs::File, original: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    let Ok(current) = file.metadata() else {
        return false;
    };
    if current.uid() == original.uid() && current.gid() == original.gid() {
        return true;
    }
    std::os::unix::fs::fchown(file, Some(original.uid()), Some(original.gid())).is_ok()
}

#[cfg(not(unix))]
fn keep_owner(_: &fs::File, _: &fs::Metadata) -> bool {
    true
}

/// Whether two metadata describe the same file (device and inode).
#[cfg(unix)]
pub fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
pub fn same_file(_: &fs::Metadata, _: &fs::Metadata) -> bool {
    true
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};

    fn ok(_: &Path) -> Result<(), String> {
        Ok(())
    }

    #[test]
    fn a_fifo_is_written_through_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("report.fifo");
        crate::testing::mkfifo(&fifo);
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || fs::read(fifo).unwrap())
        };
        write(&fifo, b"report", ".certgate-report-", ok).unwrap();
        assert_eq!(reader.join().unwrap(), b"report");
        use std::os::unix::fs::FileTypeExt as _;
        assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_new_file_gets_the_umask_permissions_not_0600() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        write(&path, b"x", ".certgate-report-", ok).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        // Whatever the umask, the group or others get what 0666 allows them, never a
        // 0600 a temporary file would have.
        let umask = 0o666 & !mode;
        assert_eq!(mode, 0o666 & !umask);
        assert_ne!(mode, 0o600, "umask {umask:o}");
    }

    #[test]
    fn a_hard_linked_file_is_written_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.tf");
        let other = dir.path().join("b.tf");
        fs::write(&path, "old").unwrap();
        fs::hard_link(&path, &other).unwrap();
        let inode = fs::metadata(&path).unwrap().ino();
        write(&path, b"new", ".certgate-fix-", ok).unwrap();
        assert_eq!(fs::read_to_string(&other).unwrap(), "new");
        let after = fs::metadata(&path).unwrap();
        assert_eq!((after.ino(), after.nlink()), (inode, 2));
    }

    #[test]
    fn only_old_temporary_files_of_the_exact_pattern_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let old = SystemTime::now() - Duration::from_secs(3600);
        for name in [
            ".certgate-fix-abc123.tmp",
            ".certgate-fix-abc12.tmp",
            ".certgate-fix-abc123.tmp.bak",
            "certgate-fix-abc123.tmp",
            ".certgate-fix-ab-123.tmp",
        ] {
            let file = fs::File::create(dir.path().join(name)).unwrap();
            file.set_modified(old).unwrap();
        }
        fs::write(dir.path().join(".certgate-fix-new123.tmp"), "").unwrap();
        std::os::unix::fs::symlink("/etc/passwd", dir.path().join(".certgate-fix-lnk123.tmp"))
            .unwrap();
        let removed = remove_stale(dir.path(), ".certgate-fix-", SystemTime::now());
        assert_eq!(removed, [dir.path().join(".certgate-fix-abc123.tmp")]);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 6);
    }
}
