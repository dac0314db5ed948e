//! One file system for every read, existence check and directory listing of a scan: the disk
//! bounded by the project root ([`DiskFs`]), unsaved editor buffers over it ([`OverlayFs`]), and
//! for tests a file that vanishes between discovery and reading ([`FaultFs`]).
//!
//! Front ends never ask `std::fs`: they ask the loader's file system, so an editor buffer
//! counts as a file (and its directory as a directory) wherever the disk would be asked.
//! Writes stay in [`replace`], which checks the root itself.

pub mod disk;
#[cfg(any(test, feature = "harness"))]
pub mod fault;
pub mod ignores;
#[cfg(any(test, feature = "harness"))]
pub mod memory;
pub mod module_listings;
pub mod overlay;
pub mod regular;
pub mod replace;
pub mod root;
mod walk;

use std::path::{Path, PathBuf};

use crate::error::FileError;
use crate::file_kind::FileKind;

pub use disk::DiskFs;
#[cfg(any(test, feature = "harness"))]
pub use fault::FaultFs;
#[cfg(any(test, feature = "harness"))]
pub use memory::MemoryFs;
pub use overlay::{OverlayFs, Overrides};
pub use regular::MAX_FILE_BYTES;
pub use root::ProjectRoot;

/// What a path is, following symbolic links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Dir,
    /// Neither: "a FIFO", "a character device", … (see [`regular::describe`]).
    Other(&'static str),
}

/// Why a path was not read, listed or looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// Nothing is there (and no dangling link either).
    Missing,
    /// The path lies outside the project root: nothing was asked of the disk about it.
    Outside,
    /// A symbolic link inside the root that leads out of it, to this target.
    OutsideLink(PathBuf),
    /// The path is not a regular file: what it is instead ("a FIFO", "a directory", …).
    NotRegular(&'static str),
    /// The file is larger than the cap (its size in bytes).
    TooLarge(u64),
    /// The path cannot be used, in the words messages use ("it is a symbolic link loop").
    Unusable(String),
    /// The path could not be opened or read.
    Io(String),
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::Missing => write!(f, "cannot read: no such file or directory"),
            Refused::Outside => write!(f, "not read: it is outside the project root"),
            Refused::OutsideLink(target) => write!(
                f,
                "not read: this symbolic link leads to `{}`, outside the project root",
                crate::paths::path_text(target)
            ),
            Refused::NotRegular(what) => write!(f, "not a regular file: it is {what}"),
            Refused::TooLarge(size) => write!(
                f,
                "the file is {} MiB, over the {} MiB that certgate reads",
                size.div_ceil(1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
            Refused::Unusable(why) => write!(f, "{why}"),
            Refused::Io(reason) => write!(f, "cannot read: {reason}"),
        }
    }
}

/// The entries directly in one directory.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Listing {
    /// Files (linked ones leading to a regular file inside the root included) and
    /// directories, sorted by path; each path is the listed directory joined with the name.
    pub entries: Vec<(PathBuf, Kind)>,
    /// Symbolic links to files outside the project root, with their targets: not read, but
    /// worth a notice when the caller wanted them.
    pub links_outside: Vec<(PathBuf, PathBuf)>,
}

/// Files found by a walk of directories, and the paths that could not be walked.
/// What a walk found.
#[derive(Debug, Default)]
pub struct Walked {
    /// The files of our kinds, unsorted.
    pub files: Vec<(PathBuf, FileKind)>,
    /// The paths that could not be walked.
    pub errors: Vec<FileError>,
    /// Whether the walk listed on disk, whole, every directory holding one of `files`, except
    /// those in `config_unsure`: config discovery then knows they hold no `certgate.toml`
    /// without a `stat` each. `false` (file systems in memory): unknown, ask.
    pub listed_on_disk: bool,
    /// Directories as the walk spells them that hold an entry named `certgate.toml` (a file,
    /// a link or a directory, ignored or not), or that could not be listed whole.
    pub config_unsure: Vec<PathBuf>,
    /// The Terraform module files of the directories it listed on disk.
    pub module_listings: module_listings::ModuleListings,
}

/// Every way a scan looks at files. Paths are as the scan spells them (relative to the current
/// directory or absolute).
pub trait FileSystem: Send + Sync + std::fmt::Debug {
    /// The bytes of a regular file inside the root, at most [`MAX_FILE_BYTES`].
    fn read(&self, path: &Path) -> Result<Vec<u8>, Refused>;
    /// What `path` is (links followed, inside the root), without reading it.
    fn kind(&self, path: &Path) -> Result<Kind, Refused>;
    /// The entries directly in `dir` (`""` is the current directory), sorted.
    fn list(&self, dir: &Path) -> Result<Listing, Refused>;
    /// Discovery: the files of our kinds under `dirs`, honouring ignore files, skipping
    /// `.git/`, `.terraform/` and `.terragrunt-cache/`, never entering a linked directory.
    fn walk(&self, dirs: &[PathBuf]) -> Walked;
    /// The bound on reading; `None` reads anywhere (single-front-end unit tests).
    fn root(&self) -> Option<&ProjectRoot>;

    /// Whether `path` is a regular file one may read.
    fn is_file(&self, path: &Path) -> bool {
        matches!(self.kind(path), Ok(Kind::File))
    }
    /// Whether `path` is a directory one may list.
    fn is_dir(&self, path: &Path) -> bool {
        matches!(self.kind(path), Ok(Kind::Dir))
    }
    /// Why `path` cannot be used as a file, in the words messages use: "it does not exist",
    /// "it is a character device, not a regular file", "it is a symbolic link loop".
    fn not_a_file(&self, path: &Path) -> Option<String> {
        why_not(self.kind(path), Kind::File, "a regular file")
    }
    /// Why `path` cannot be used as a directory, like [`FileSystem::not_a_file`].
    fn not_a_dir(&self, path: &Path) -> Option<String> {
        why_not(self.kind(path), Kind::Dir, "a directory")
    }
}

/// The paths of `map` strictly below `dir` (normalised), in path order. Paths order by
/// component, so they are one range of the map: a trial scan of a thousand fixes must not
/// compare each buffer against every listing.
fn below<'a, V>(
    map: &'a std::collections::BTreeMap<PathBuf, V>,
    dir: &'a Path,
) -> impl Iterator<Item = &'a PathBuf> + 'a {
    map.range(dir.to_path_buf()..)
        .map(|(path, _)| path)
        .take_while(move |path| path.starts_with(dir))
        .filter(move |path| *path != dir)
}

/// The entries directly in `dir` that in-memory `files` (in path order, all below `dir`) make:
/// each file, and each directory on the way to a deeper one, once.
fn entries_of<'a>(dir: &Path, files: impl Iterator<Item = &'a PathBuf>) -> Vec<(PathBuf, Kind)> {
    let mut entries: Vec<(PathBuf, Kind)> = Vec::new();
    for path in files {
        let Ok(rest) = path.strip_prefix(dir) else {
            continue;
        };
        let mut parts = rest.components();
        let Some(first) = parts.next() else {
            continue;
        };
        let kind = if parts.next().is_some() {
            Kind::Dir
        } else {
            Kind::File
        };
        entries.push((dir.join(first), kind));
    }
    entries.dedup_by(|a, b| a.0 == b.0);
    entries
}

/// The words for a `kind` answer that is not `wanted` (named `words`); `None` when it is.
fn why_not(kind: Result<Kind, Refused>, wanted: Kind, words: &str) -> Option<String> {
    let what = match kind {
        Ok(kind) if kind == wanted => return None,
        Ok(Kind::File) => "a regular file",
        Ok(Kind::Dir) => "a directory",
        Ok(Kind::Other(what)) => what,
        Err(Refused::Missing) => return Some("it does not exist".to_string()),
        Err(Refused::Outside | Refused::OutsideLink(_)) => {
            return Some("it is outside the project root".to_string());
        }
        Err(Refused::Unusable(why)) => return Some(why),
        Err(other) => return Some(other.to_string()),
    };
    Some(format!("it is {what}, not {words}"))
}
