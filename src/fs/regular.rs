//! Opens input files safely: regular files only, never blocking, never reading past a size cap.
//!
//! Every file certgate reads (sources, parameter and variable files, configs, baselines,
//! ignore files) goes through [`read`]. The file is opened without blocking (`O_NONBLOCK`, so a
//! FIFO cannot hang the open) and the *opened* handle is checked to be a regular file, so a
//! path swapped for a FIFO or a device between a check and the open is still refused.

use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// The largest file certgate reads: 128 MiB. Real inputs are far smaller (Azure refuses
/// templates over 4 MB; the largest file the tests scan is a 50 MB `.tf`), and the bound keeps
/// a device like `/dev/zero`, or a runaway generated file, from exhausting memory.
pub use crate::limits::MAX_FILE_BYTES;

use super::Kind;
pub use super::Refused;

/// Reads the regular file at `path` (following symbolic links), at most [`MAX_FILE_BYTES`].
pub fn read(path: &Path) -> Result<Vec<u8>, Refused> {
    read_capped(path, MAX_FILE_BYTES)
}

/// [`read`] with another cap (tests use a small one).
pub fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>, Refused> {
    read_opened(path, open(path, false)?, cap)
}

/// [`read`], except that a symbolic link is not followed: `Ok(None)` then, with nothing read.
/// The loader reads this way, so that it needs no `lstat` per file to tell links apart.
pub fn read_unless_link(path: &Path) -> Result<Option<Vec<u8>>, Refused> {
    match open(path, true) {
        Ok(file) => read_opened(path, file, MAX_FILE_BYTES).map(Some),
        Err(_) if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) => Ok(None),
        Err(refused) => Err(refused),
    }
}

fn read_opened(path: &Path, file: fs::File, cap: u64) -> Result<Vec<u8>, Refused> {
    let metadata = file.metadata().map_err(|e| Refused::Io(reason(&e)))?;
    if !metadata.is_file() {
        return Err(Refused::NotRegular(describe(&metadata.file_type())));
    }
    if metadata.len() > cap {
        return Err(Refused::TooLarge(metadata.len()));
    }
    observe(path);
    // Sized by the metadata above, which `File::read_to_end` would ask again (an fstat and an
    // lseek per file): system calls dominate scanning many small files.
    let bytes = read_sized(file, metadata.len(), cap).map_err(|e| Refused::Io(reason(&e)))?;
    if bytes.len() as u64 > cap {
        return Err(Refused::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Reads `file`, whose size was `len` when it was opened, up to `cap + 1` bytes. A read that
/// returns fewer bytes than asked for, ending exactly at `len`, is the end of the file: the
/// empty read `read_to_end` makes to be sure is one system call per file (a tenth of those a
/// large scan makes). Any other short read goes on to the empty one, and a file that grew is
/// read on to the end (or the cap).
fn read_sized(mut file: fs::File, len: u64, cap: u64) -> std::io::Result<Vec<u8>> {
    let Ok(len) = usize::try_from(len) else {
        let mut bytes = Vec::new();
        file.take(cap + 1).read_to_end(&mut bytes)?;
        return Ok(bytes);
    };
    // One byte more than the size, so a file that did not grow needs no second buffer.
    let mut bytes = vec![0; len.saturating_add(1)];
    let mut filled = 0;
    loop {
        let asked = bytes.len() - filled;
        let read = match file.read(&mut bytes[filled..]) {
            Ok(read) => read,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        filled += read;
        if read == 0 || (read < asked && filled == len) {
            bytes.truncate(filled);
            return Ok(bytes);
        }
        if filled == bytes.len() {
            // It grew since it was opened: the rest as `read_to_end` reads it.
            let rest = (cap + 1).saturating_sub(filled as u64);
            file.take(rest).read_to_end(&mut bytes)?;
            return Ok(bytes);
        }
    }
}

#[cfg(unix)]
fn open(path: &Path, no_follow: bool) -> Result<fs::File, Refused> {
    use std::os::unix::fs::OpenOptionsExt as _;
    let flags = libc::O_NONBLOCK | if no_follow { libc::O_NOFOLLOW } else { 0 };
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(flags)
        .open(path)
        .map_err(|e| Refused::Io(reason(&e)))
}

#[cfg(not(unix))]
fn open(path: &Path, _no_follow: bool) -> Result<fs::File, Refused> {
    let metadata = fs::metadata(path).map_err(|e| Refused::Io(reason(&e)))?;
    if !metadata.is_file() {
        return Err(Refused::NotRegular(describe(&metadata.file_type())));
    }
    fs::File::open(path).map_err(|e| Refused::Io(reason(&e)))
}

/// What a file that is not a regular file is, in words: "a FIFO", "a character device", …
pub fn describe(file_type: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if file_type.is_fifo() {
            return "a FIFO";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    if file_type.is_dir() {
        "a directory"
    } else if file_type.is_symlink() {
        "a symbolic link"
    } else if file_type.is_file() {
        "a regular file"
    } else {
        "a special file"
    }
}

/// What `path` is, following symbolic links: a file, a directory or something else; a
/// path that is not there is [`Refused::Missing`], a dangling link or a loop is named.
pub fn stat(path: &Path) -> Result<Kind, Refused> {
    match fs::metadata(path) {
        Ok(metadata) => Ok(kind_of(&metadata)),
        Err(error) => Err(refused(path, &error)),
    }
}

/// [`stat`] with one `lstat`, for a path that is no symbolic link; `Ok(None)` for a link
/// (which [`stat`] then follows). The answer is [`stat`]'s: an `lstat` of a name that is no
/// link is its `stat`, and fails the same way.
pub fn stat_unless_link(path: &Path) -> Result<Option<Kind>, Refused> {
    match fs::symlink_metadata(path) {
        Ok(metadata) if metadata.file_type().is_symlink() => Ok(None),
        Ok(metadata) => Ok(Some(kind_of(&metadata))),
        Err(error) => Err(refused(path, &error)),
    }
}

fn kind_of(metadata: &fs::Metadata) -> Kind {
    if metadata.is_file() {
        Kind::File
    } else if metadata.is_dir() {
        Kind::Dir
    } else {
        Kind::Other(describe(&metadata.file_type()))
    }
}

fn refused(path: &Path, error: &std::io::Error) -> Refused {
    match missing(path, error) {
        why if why == "it does not exist" => Refused::Missing,
        why => Refused::Unusable(why),
    }
}

/// Whether `path` is a regular file ([`Kind::File`]) or a directory ([`Kind::Dir`]),
/// following symbolic links: [`stat`] without naming why not.
pub fn is_kind(path: &Path, kind: Kind) -> bool {
    fs::metadata(path).is_ok_and(|metadata| match kind {
        Kind::File => metadata.is_file(),
        Kind::Dir => metadata.is_dir(),
        Kind::Other(_) => false,
    })
}

/// The target of the symbolic link at `path`, for messages (empty when it is none).
pub fn link_target(path: &Path) -> PathBuf {
    fs::read_link(path).unwrap_or_default()
}

/// A failed `stat` in words: a dangling link and a link loop are named as such.
fn missing(path: &Path, error: &std::io::Error) -> String {
    if error.raw_os_error() == Some(libc_eloop()) {
        return "it is a symbolic link loop".to_string();
    }
    let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    match error.kind() {
        std::io::ErrorKind::NotFound if is_link => {
            "it is a symbolic link to nothing (its target does not exist)".to_string()
        }
        std::io::ErrorKind::NotFound => "it does not exist".to_string(),
        _ => format!("it cannot be read: {}", reason(error)),
    }
}

#[cfg(unix)]
fn libc_eloop() -> i32 {
    libc::ELOOP
}

#[cfg(not(unix))]
fn libc_eloop() -> i32 {
    -1
}

/// An I/O error in the words every "cannot read" message uses.
pub fn reason(error: &std::io::Error) -> String {
    if error.raw_os_error() == Some(libc_eloop()) {
        return "a symbolic link loop".to_string();
    }
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => error.to_string(),
    }
}

/// Every path [`read`] opened (and every directory the loader listed) since [`observe_reads`]
/// was called, when it was: the file-system tests check that nothing outside the project root
/// is ever read.
static OBSERVED: Mutex<Option<Vec<PathBuf>>> = Mutex::new(None);

/// Whether [`OBSERVED`] records: every read asks, so it must not take a lock for nothing.
static OBSERVING: AtomicBool = AtomicBool::new(false);

/// Starts (or restarts) recording the files read, as canonical paths. Meant for a test binary
/// that runs one scan at a time.
pub fn observe_reads() {
    *lock() = Some(Vec::new());
    OBSERVING.store(true, Ordering::SeqCst);
}

/// The files read since [`observe_reads`], and stops recording.
pub fn observed_reads() -> Vec<PathBuf> {
    OBSERVING.store(false, Ordering::SeqCst);
    lock().take().unwrap_or_default()
}

/// Records a file read, or a directory listed, while [`observe_reads`] is on.
pub fn observe(path: &Path) {
    if !OBSERVING.load(Ordering::Relaxed) {
        return;
    }
    let mut observed = lock();
    if let Some(list) = observed.as_mut() {
        list.push(fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()));
    }
}

fn lock() -> std::sync::MutexGuard<'static, Option<Vec<PathBuf>>> {
    crate::lock::lock(&OBSERVED)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::fs::{DiskFs, FileSystem as _};

    fn not_a_file(path: &Path) -> Option<String> {
        DiskFs::unbounded().not_a_file(path)
    }

    fn not_a_dir(path: &Path) -> Option<String> {
        DiskFs::unbounded().not_a_dir(path)
    }

    #[test]
    fn a_read_sized_by_the_metadata_still_reads_a_file_that_grew_or_shrank_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("main.tf");
        let text = b"locals {}\n";
        std::fs::write(&path, text).unwrap();
        let sized = |len: u64, cap: u64| read_sized(fs::File::open(&path).unwrap(), len, cap);
        // The size it had when opened, larger (it shrank) and smaller (it grew).
        for len in [10, 0, 4, 9, 11, 64] {
            assert_eq!(sized(len, MAX_FILE_BYTES).unwrap(), text, "{len}");
        }
        // A file that grew is still read only up to one byte past the cap.
        assert_eq!(sized(4, 6).unwrap(), &text[..7]);
        std::fs::write(&path, "").unwrap();
        assert!(sized(0, MAX_FILE_BYTES).unwrap().is_empty());
        // Files whose metadata says 0 bytes but that hold more (`/proc`) are read whole.
        if let Ok(file) = fs::File::open("/proc/self/status") {
            let status = read_sized(file, 0, MAX_FILE_BYTES).unwrap();
            assert!(status.starts_with(b"Name:"), "{status:?}");
        }
    }

    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("main.tf");
        crate::testing::mkfifo(&fifo);
        assert_eq!(read(&fifo), Err(Refused::NotRegular("a FIFO")));
        assert_eq!(
            not_a_file(&fifo).unwrap(),
            "it is a FIFO, not a regular file"
        );
    }

    #[test]
    fn dev_zero_is_a_character_device_not_an_endless_read() {
        assert_eq!(
            read(Path::new("/dev/zero")),
            Err(Refused::NotRegular("a character device"))
        );
        assert_eq!(
            not_a_file(Path::new("/dev/zero")).unwrap(),
            "it is a character device, not a regular file"
        );
    }

    #[test]
    fn files_over_the_cap_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.tf");
        fs::write(&path, "0123456789").unwrap();
        assert_eq!(read_capped(&path, 10).unwrap().len(), 10);
        assert_eq!(read_capped(&path, 9), Err(Refused::TooLarge(10)));
        assert!(
            Refused::TooLarge(MAX_FILE_BYTES + 1)
                .to_string()
                .contains("over the 128 MiB")
        );
    }

    #[test]
    fn link_loops_and_dangling_links_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.tf");
        let b = dir.path().join("b.tf");
        std::os::unix::fs::symlink(&b, &a).unwrap();
        std::os::unix::fs::symlink(&a, &b).unwrap();
        assert_eq!(not_a_file(&a).unwrap(), "it is a symbolic link loop");
        assert_eq!(
            read(&a),
            Err(Refused::Io("a symbolic link loop".to_string()))
        );
        let dangling = dir.path().join("c.tf");
        std::os::unix::fs::symlink(dir.path().join("gone"), &dangling).unwrap();
        assert!(not_a_file(&dangling).unwrap().contains("link to nothing"));
        assert_eq!(
            not_a_file(&dir.path().join("x.tf")).unwrap(),
            "it does not exist"
        );
        assert_eq!(
            not_a_dir(&dir.path().join("x")).unwrap(),
            "it does not exist"
        );
    }
}
