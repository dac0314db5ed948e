//! A map keyed by a path's bytes, for the per-directory caches a scan consults once per file,
//! and a cheap split of a path into directory and name for looking them up.
//!
//! Hashing a `Path` walks its components, and the standard hasher (SipHash) is slow on short
//! keys: on a 10 000-file tree the two were a tenth of the scan. The bytes of a path hashed with
//! foldhash (randomly seeded per process, so crafted names cannot force collisions) cost a
//! fraction of that. Two spellings of one directory (`a//b`, `a/b`) are two keys: the caches
//! only ever hold answers that do not depend on the spelling.

use std::collections::HashMap;
use std::ffi::{OsStr, OsString};
use std::path::Path;

/// A map from a path's bytes (`path.as_os_str()`) to `V`.
pub type PathMap<V> = HashMap<OsString, V, foldhash::fast::RandomState>;

/// A map keyed by paths (`PathBuf`, `&Path`, …) hashed with foldhash: `Path`'s own `Hash`
/// still walks the components, so `a/./b` and `a/b` stay one key, but each piece is not run
/// through SipHash. The maps of directories and files a scan fills (modules, outlines,
/// relevance, loaded files) spent more instructions hashing than the lookups they saved.
pub type PathHashMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// A set of paths hashed as [`PathHashMap`] hashes its keys.
pub type PathHashSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;

/// `path` split at its last separator when what follows is a plain name (not empty, `.` or
/// `..`): the directory as written (empty for a bare name) and the name. Lexically,
/// `normalize(dir)/name` is `normalize(path)`. Cheaper than `Path::parent` and
/// `Path::file_name`, which parse components.
#[cfg(unix)]
pub fn split_name(path: &Path) -> Option<(&Path, &OsStr)> {
    use std::os::unix::ffi::OsStrExt;
    let bytes = path.as_os_str().as_bytes();
    let (dir, name) = match memchr::memrchr(b'/', bytes) {
        Some(0) => (&bytes[..1], &bytes[1..]),
        Some(at) => (&bytes[..at], &bytes[at + 1..]),
        None => (&bytes[..0], bytes),
    };
    if matches!(name, b"" | b"." | b"..") {
        return None;
    }
    Some((Path::new(OsStr::from_bytes(dir)), OsStr::from_bytes(name)))
}

/// `path` split into its directory and plain last name (see the Unix version).
#[cfg(not(unix))]
pub fn split_name(path: &Path) -> Option<(&Path, &OsStr)> {
    Some((path.parent()?, path.file_name()?))
}

/// The directory of `path` as it is spelled (the bytes before the last `/`), `.` for a bare
/// name: how a walk names the directory of each file it finds, so that answers about
/// directories can be matched to files without normalising either.
pub fn spelled_dir(path: &Path) -> &Path {
    match split_name(path) {
        Some((dir, _)) if !dir.as_os_str().is_empty() => dir,
        Some(_) => Path::new("."),
        None => path
            .parent()
            .filter(|dir| !dir.as_os_str().is_empty())
            .unwrap_or(Path::new(".")),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::paths::normalize;

    #[test]
    fn split_name_keeps_only_plain_last_names() {
        let split =
            |p: &str| split_name(Path::new(p)).map(|(d, n)| (d.to_path_buf(), n.to_owned()));
        assert_eq!(split("./a/b.tf"), Some(("./a".into(), "b.tf".into())));
        assert_eq!(split("/b.tf"), Some(("/".into(), "b.tf".into())));
        assert_eq!(split("b.tf"), Some(("".into(), "b.tf".into())));
        assert_eq!(split("a//b"), Some(("a/".into(), "b".into())));
        for odd in ["a/", "a/.", "a/..", "/", ".", ".."] {
            assert_eq!(split(odd), None, "{odd}");
        }
        for path in ["./x/./y/z", "/a/b/../c", "a//b", "../q"] {
            let (dir, name) = split_name(Path::new(path)).unwrap();
            assert_eq!(
                normalize(dir).join(name),
                normalize(Path::new(path)),
                "{path}"
            );
        }
    }
}
