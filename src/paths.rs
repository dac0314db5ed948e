//! Paths as certgate names them: lexical normalisation, absolute and root-relative forms, the
//! config file's name, and file names as text. The bottom layer: it imports nothing of the crate,
//! so discovery, the project root, ignore files, the config and baselines all share one spelling.
//!
//! File names as text: Linux allows any bytes in a name but `/` and NUL, so a name need not be
//! UTF-8. Such a name keeps its valid parts and shows every other byte as `\xNN`, so the user
//! can still tell which file it is (a lossy conversion would make `caf\xE9.tf` and
//! `caf\xE8.tf` the same `caf�.tf`). Each output format then escapes the text as it escapes
//! any other (JSON strings, XML, workflow-command properties, control characters in human
//! output); SARIF URIs percent-encode the raw bytes instead (`%E9`).
//!
//! Separators, drive letters and case follow [`style`]: paths are made absolute with
//! `std::path` (the OS's own rules), then spelled and compared by its pure functions.

pub mod base;
pub mod style;

use std::borrow::Cow;
use std::path::{Component, Path, PathBuf};

/// The name of certgate's config file, looked up in each directory from a scanned path upwards.
pub const CONFIG_FILE: &str = "certgate.toml";

/// Removes `.` components and folds `dir/..` pairs without touching the file system, so the
/// same file reached two ways (`envs/prod/../../modules/web`) has one key and one display path.
/// Leading `..` components are kept.
pub fn normalize(path: &Path) -> PathBuf {
    normalized(path).into_owned()
}

/// [`normalize`] without a copy when `path` is already normal (less leading `./`): for a
/// lookup by normalised key, which most paths pass as they are.
pub fn normalized(path: &Path) -> Cow<'_, Path> {
    // Most paths are already normal; rebuilding them component by component is a good part
    // of a large scan's bookkeeping.
    if let Some(normal) = already_normal(path) {
        return Cow::Borrowed(normal);
    }
    Cow::Owned(fold(path))
}

/// Folds `.` and `dir/..` component by component (see [`normalize`]).
fn fold(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                let last = out.components().next_back();
                match last {
                    Some(Component::Normal(_)) => {
                        out.pop();
                    }
                    Some(Component::RootDir) => {}
                    _ => out.push(".."),
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// `path` as a system call should name it: relative to `cwd` (the current directory,
/// absolute) when it lies below it, else as it is. The kernel resolves every component of a
/// path on every call, and the absolute paths of a scan repeat the current directory's
/// components in tens of thousands of `stat` calls (ignore files, configs, the project root).
#[cfg(unix)]
pub fn below<'p>(path: &'p Path, cwd: &Path) -> &'p Path {
    use std::os::unix::ffi::OsStrExt;
    // By bytes: `Path::strip_prefix` compares component by component, which cost more
    // instructions than the kernel saved (both paths are absolute and normalised here).
    let (bytes, base) = (path.as_os_str().as_bytes(), cwd.as_os_str().as_bytes());
    let Some(rest) = bytes.strip_prefix(base).filter(|_| !base.is_empty()) else {
        return path;
    };
    let rest = match rest {
        [] => return Path::new("."),
        _ if base.ends_with(b"/") => rest,
        [b'/', rest @ ..] if !rest.is_empty() => rest,
        _ => return path,
    };
    Path::new(std::ffi::OsStr::from_bytes(rest))
}

#[cfg(not(unix))]
pub fn below<'p>(path: &'p Path, cwd: &Path) -> &'p Path {
    match path.strip_prefix(cwd) {
        Ok(rest) if rest.as_os_str().is_empty() => Path::new("."),
        Ok(rest) if !cwd.as_os_str().is_empty() => rest,
        _ => path,
    }
}

/// What [`normalize`] makes of `path` when that is `path` itself, less leading `./`: after
/// any leading `../`, no component starting with `.` (so no other `.` or `..`), no empty
/// component (`a//b`) and no trailing separator. `None` when folding is needed.
#[cfg(unix)]
fn already_normal(path: &Path) -> Option<&Path> {
    use std::os::unix::ffi::OsStrExt;
    let mut bytes = path.as_os_str().as_bytes();
    while let Some(rest) = bytes.strip_prefix(b"./") {
        bytes = rest;
    }
    let mut body = bytes;
    while let Some(rest) = body.strip_prefix(b"../") {
        body = rest;
    }
    // Only the byte after each separator matters: memchr finds the separators.
    let normal = body.first().is_some_and(|&first| first != b'.')
        && body.last() != Some(&b'/')
        && memchr::memchr_iter(b'/', body).all(|at| {
            body.get(at + 1)
                .is_some_and(|&next| next != b'.' && next != b'/')
        });
    normal.then(|| Path::new(std::ffi::OsStr::from_bytes(bytes)))
}

#[cfg(not(unix))]
fn already_normal(_: &Path) -> Option<&Path> {
    None
}

/// Bytes that sort as `path` does: `Path`'s order compares components (root, `.`, `..`,
/// then names, each name by its bytes), which costs a parse of both paths per comparison.
/// Each component here is a tag in that order, the name's bytes and a NUL (no name holds
/// one), so comparing keys byte by byte compares the components; equal keys are equal paths.
/// Sorting 100 000 discovered paths by these keys takes a fraction of comparing the paths.
#[cfg(unix)]
pub fn order_key(path: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    let mut key = Vec::with_capacity(path.as_os_str().len() + 8);
    for component in path.components() {
        match component {
            Component::Prefix(_) => key.push(0),
            Component::RootDir => key.push(1),
            Component::CurDir => key.push(2),
            Component::ParentDir => key.push(3),
            Component::Normal(name) => {
                key.push(4);
                key.extend_from_slice(name.as_bytes());
            }
        }
        key.push(0);
    }
    key
}

/// `path` relative to the directory `root`, `/`-separated, both made absolute first; `None`
/// when `path` lies outside `root`. On Windows the comparison ignores case (see [`style`]).
pub fn relative_to(root: &Path, path: &Path) -> Option<String> {
    style::inside(
        absolute(root).as_os_str().as_encoded_bytes(),
        absolute(path).as_os_str().as_encoded_bytes(),
        style::PathStyle::NATIVE,
    )
}

/// `path` made absolute against the current directory and normalised lexically.
pub fn absolute(path: &Path) -> PathBuf {
    let joined = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    normalize(&joined)
}

/// `path` as text, `/`-separated on every OS, with bytes that are not UTF-8 written as `\xNN`.
pub fn path_text(path: &Path) -> Cow<'_, str> {
    style::text(
        path.as_os_str().as_encoded_bytes(),
        style::PathStyle::NATIVE,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_paths_are_taken_as_they_are() {
        for path in [
            "a/b/main.tf",
            "/abs/x.tf",
            "x",
            "a/.terraform/m",
            "./a",
            "a//b",
            "a/",
            "/",
            "",
            "a/./b",
            "a/../b",
            "../a",
            "../../a/b",
            "./../a",
            "././a/b",
            "..",
            "../",
            "./",
            "a/..",
            ".hidden/x",
            "a/b.c/d",
            "../.hidden",
            ".../x",
            "a/...",
        ] {
            let path = Path::new(path);
            // The folding `normalize` does when the fast path does not apply.
            let mut slow = PathBuf::new();
            for component in path.components() {
                match component {
                    Component::CurDir => {}
                    Component::ParentDir => match slow.components().next_back() {
                        Some(Component::Normal(_)) => {
                            slow.pop();
                        }
                        Some(Component::RootDir) => {}
                        _ => slow.push(".."),
                    },
                    other => slow.push(other.as_os_str()),
                }
            }
            assert_eq!(normalize(path), slow, "{}", path.display());
        }
        assert!(already_normal(Path::new("../../a/b.tf")).is_some());
        assert_eq!(already_normal(Path::new("./a")), Some(Path::new("a")));
        assert!(already_normal(Path::new("a//b")).is_none());
    }

    #[test]
    fn system_calls_name_paths_below_the_current_directory_relatively() {
        let cwd = Path::new("/srv/repo");
        assert_eq!(
            below(Path::new("/srv/repo/envs/.gitignore"), cwd),
            Path::new("envs/.gitignore")
        );
        assert_eq!(below(Path::new("/srv/repo"), cwd), Path::new("."));
        // Above or beside it, and relative paths, stay as they are.
        assert_eq!(
            below(Path::new("/srv/.gitignore"), cwd),
            Path::new("/srv/.gitignore")
        );
        assert_eq!(
            below(Path::new("/srv/repository/a"), cwd),
            Path::new("/srv/repository/a")
        );
        assert_eq!(
            below(Path::new("envs/main.tf"), cwd),
            Path::new("envs/main.tf")
        );
        // No current directory known: nothing changes.
        assert_eq!(
            below(Path::new("/srv/repo/a"), Path::new("")),
            Path::new("/srv/repo/a")
        );
    }

    #[test]
    fn normalize_folds_dot_and_dotdot_lexically() {
        assert_eq!(normalize(Path::new("./a/b/../c")), Path::new("a/c"));
        assert_eq!(
            normalize(Path::new("envs/prod/../../modules/web")),
            Path::new("modules/web")
        );
        assert_eq!(normalize(Path::new("../x/./y")), Path::new("../x/y"));
        assert_eq!(normalize(Path::new("a/../../b")), Path::new("../b"));
        assert_eq!(normalize(Path::new("/a/../..")), Path::new("/"));
    }
}

#[cfg(all(test, unix))]
mod text_tests {
    use super::*;
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;

    #[test]
    fn invalid_bytes_are_escaped_and_valid_text_kept() {
        let name = OsStr::from_bytes(b"dir/caf\xe9-\xc3\xbc\xff.tf");
        assert_eq!(path_text(Path::new(name)), "dir/caf\\xE9-\u{fc}\\xFF.tf");
        assert_eq!(path_text(Path::new("plain/main.tf")), "plain/main.tf");
        // Two names that a lossy conversion would merge stay apart.
        assert_ne!(
            path_text(Path::new(OsStr::from_bytes(b"\xe9.tf"))),
            path_text(Path::new(OsStr::from_bytes(b"\xe8.tf")))
        );
    }
}

#[cfg(all(test, unix))]
mod order_tests {
    use super::*;
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;

    #[test]
    fn order_keys_sort_and_compare_as_paths_do() {
        let spellings: [&[u8]; 24] = [
            b"a", b"a/b", b"a.b", b"a/b/c", b"a-b", b"./a", b"../a", b"/a", b"a//b", b"a/./b",
            b"a/", b"-x", b"..", b".", b"a/..", b"ab", b"a\x01", b"/", b"", b"./-x", b"a/b.tf",
            b"a/b/.c", b"a.b/c", b"./a/b",
        ];
        let paths: Vec<&Path> = spellings
            .iter()
            .map(|bytes| Path::new(OsStr::from_bytes(bytes)))
            .collect();
        for a in &paths {
            for b in &paths {
                assert_eq!(order_key(a).cmp(&order_key(b)), a.cmp(b), "{a:?} vs {b:?}");
            }
        }
    }
}
