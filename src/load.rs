//! Reads input files safely: regular files only, UTF-8 only, with a positioned error otherwise.

use crate::path_map::PathHashMap;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use crate::error::FileError;
use crate::fs::module_listings::ModuleListings;
use crate::fs::{DiskFs, FileSystem, Kind, OverlayFs, ProjectRoot, Refused};
use crate::lock::{into_inner, lock};
use crate::paths::normalize;
use crate::source::{FileId, SourceFile, SourceMap, Span};

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The bytes a byte search should look at: UTF-16 text decoded to UTF-8, anything else as is,
/// so that a UTF-16 file that matters is found, and then reported by [`decode`].
pub fn searchable(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    match utf16(bytes) {
        Some(utf16) => decode_utf16_lossy(utf16, bytes).into_bytes().into(),
        None => bytes.into(),
    }
}

/// Turns bytes into a loaded source, registered in `sources`. Errors carry a position: the file
/// is registered (lossily decoded) so the error can point into it.
pub fn decode(path: &Path, bytes: Vec<u8>, sources: &SourceMap) -> Result<SourceFile, FileError> {
    if let Some(utf16) = utf16(&bytes) {
        let order = match (utf16.little_endian, utf16.bom) {
            (true, true) => "little-endian",
            (false, true) => "big-endian",
            (true, false) => "little-endian, without a byte order mark",
            (false, false) => "big-endian, without a byte order mark",
        };
        return Err(FileError::unplaced(
            path,
            format!("the file is UTF-16 ({order}) encoded; certgate reads UTF-8, so convert it"),
        ));
    }
    let body = bytes.strip_prefix(UTF8_BOM).unwrap_or(&bytes);
    if let Some(nul) = memchr::memchr(0, body) {
        return Err(positioned(
            path,
            body,
            nul,
            "binary content: the file contains a NUL byte",
            sources,
        ));
    }
    match std::str::from_utf8(body) {
        Ok(text) => {
            Ok(SourceFile::new(path.to_path_buf(), text).with_bom(body.len() < bytes.len()))
        }
        Err(error) => Err(positioned(
            path,
            body,
            error.valid_up_to(),
            "invalid UTF-8: certgate reads UTF-8 text",
            sources,
        )),
    }
}

fn positioned(
    path: &Path,
    body: &[u8],
    offset: usize,
    message: &str,
    sources: &SourceMap,
) -> FileError {
    // Invalid UTF-8 before `offset` (possible for a NUL byte) decodes to U+FFFD, which has a
    // different length: the offset moves by what decoding the prefix added.
    let text = String::from_utf8_lossy(body).into_owned();
    let offset = String::from_utf8_lossy(&body[..offset]).len();
    let end = text[offset..]
        .chars()
        .next()
        .map_or(offset, |c| offset + c.len_utf8());
    let file = sources.add(SourceFile::new(path.to_path_buf(), text));
    FileError::at(path, Span::new(file, offset..end), message)
}

/// How a UTF-16 file is laid out.
#[derive(Clone, Copy)]
struct Utf16 {
    little_endian: bool,
    /// It starts with a byte order mark (2 bytes).
    bom: bool,
}

/// Recognises UTF-16 by its byte order mark or, without one, by ASCII text with a zero in
/// every other byte (every file of ours starts with ASCII: a keyword, a brace, a comment).
/// UTF-8 text never holds such zeros, so only files that would be refused anyway are named.
fn utf16(bytes: &[u8]) -> Option<Utf16> {
    let ascii = |b: u8| b != 0 && b.is_ascii();
    let (little_endian, bom) = match bytes {
        [0xFF, 0xFE, ..] => (true, true),
        [0xFE, 0xFF, ..] => (false, true),
        [a, 0, b, 0, ..] if ascii(*a) && ascii(*b) => (true, false),
        [0, a, 0, b, ..] if ascii(*a) && ascii(*b) => (false, false),
        _ => return None,
    };
    Some(Utf16 { little_endian, bom })
}

fn decode_utf16_lossy(utf16: Utf16, bytes: &[u8]) -> String {
    let body = if utf16.bom { &bytes[2..] } else { bytes };
    let units = body.chunks_exact(2).map(|pair| {
        if utf16.little_endian {
            u16::from_le_bytes([pair[0], pair[1]])
        } else {
            u16::from_be_bytes([pair[0], pair[1]])
        }
    });
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// An I/O error in the words every "cannot read" message uses.
pub fn io_reason(error: &std::io::Error) -> String {
    crate::fs::regular::reason(error)
}

/// A file loaded into the scan's [`SourceMap`].
#[derive(Debug, Clone)]
pub struct Loaded {
    pub id: FileId,
    pub source: Arc<SourceFile>,
}

/// Loads files for the front ends, each at most once, and collects the errors once per file.
///
/// Front ends reach beyond the discovered files (a module's other files, a called module's
/// directory, a parameter file), and several units can reach the same file: the cache makes
/// that one read and one error.
pub struct Loader<'a> {
    sources: &'a SourceMap,
    cache: Mutex<PathHashMap<PathBuf, Arc<OnceLock<Option<Loaded>>>>>,
    errors: Mutex<Vec<FileError>>,
    overrides: Option<&'a Overrides>,
    /// `overrides` hashed, built on first use.
    index: OnceLock<crate::fs::overlay::BufferIndex>,
    /// The disk, bounded by the project root once [`Loader::within`] set one.
    disk: DiskFs,
    /// Another file system to use instead of the disk (tests, the fuzz harness).
    custom: Option<&'a dyn FileSystem>,
    /// Whether the front ends name their units (`--verbose`); see [`Loader::naming_units`].
    naming_units: bool,
    /// What an earlier scan loaded, and the files changed since (see [`Loader::reusing`]).
    earlier: Option<(&'a LoadedIndex, &'a BTreeSet<PathBuf>)>,
    /// What discovery's walk saw of module directories (see [`Loader::list_module_dir`]).
    module_listings: Option<Arc<ModuleListings>>,
}

/// The files a scan loaded, by the hash of their normalised path: a re-scan's loader takes
/// the unchanged ones over ([`Loader::reusing`]) instead of reading them again. Sorted pairs
/// rather than a map of paths: a scan loads tens of thousands of files, and the paths are in
/// the source map already.
#[derive(Debug, Default)]
pub struct LoadedIndex {
    hasher: foldhash::fast::RandomState,
    by_hash: Vec<(u64, FileId)>,
}

impl LoadedIndex {
    fn hash(&self, path: &Path) -> u64 {
        use std::hash::BuildHasher as _;
        self.hasher.hash_one(path.as_os_str().as_encoded_bytes())
    }

    /// The earlier load of `path` (normalised), found in `sources` (which starts with the
    /// files of the scan that loaded it).
    fn find(&self, path: &Path, sources: &SourceMap) -> Option<Loaded> {
        let hash = self.hash(path);
        let from = self.by_hash.partition_point(|(h, _)| *h < hash);
        (self.by_hash[from..].iter())
            .take_while(|(h, _)| *h == hash)
            .map(|(_, id)| (*id, sources.get(*id)))
            .find(|(_, source)| source.path() == path)
            .map(|(id, source)| Loaded { id, source })
    }
}

pub use crate::fs::Overrides;

impl<'a> Loader<'a> {
    pub fn new(sources: &'a SourceMap) -> Self {
        Loader {
            sources,
            cache: Mutex::default(),
            errors: Mutex::default(),
            overrides: None,
            index: OnceLock::new(),
            disk: DiskFs::unbounded(),
            custom: None,
            naming_units: false,
            earlier: None,
            module_listings: None,
        }
    }

    /// A loader that reads `overrides` instead of the files they name.
    pub fn with_overrides(sources: &'a SourceMap, overrides: &'a Overrides) -> Self {
        Loader {
            overrides: Some(overrides),
            ..Loader::new(sources)
        }
    }

    /// The same loader, reading only inside `root`.
    pub fn within(self, root: &Arc<ProjectRoot>) -> Self {
        Loader {
            disk: DiskFs::new(root.clone()),
            ..self
        }
    }

    /// The same loader, reading `fs` instead of the disk (the root is then `fs`'s).
    pub fn on(self, fs: &'a dyn FileSystem) -> Self {
        Loader {
            custom: Some(fs),
            ..self
        }
    }

    /// The same loader, with the front ends naming the units they judge in
    /// [`crate::model::UnitScan::units`] when `yes` (`--verbose`): off, a scan formats no
    /// name per root module, template or plan that nobody reads.
    pub fn naming_units(self, yes: bool) -> Self {
        Loader {
            naming_units: yes,
            ..self
        }
    }

    /// The same loader, taking over what an earlier scan `loaded` instead of reading a file
    /// again, except the files `changed` since (normalised). The source map must start with
    /// that scan's files (same ids), and the file system be the one it read: a trial scan of
    /// `--fix`, `--diff`, JSON or SARIF reads only the files the fixes change.
    pub fn reusing(self, loaded: &'a LoadedIndex, changed: &'a BTreeSet<PathBuf>) -> Self {
        Loader {
            earlier: Some((loaded, changed)),
            ..self
        }
    }

    /// The same loader, answering listings of Terraform module directories from what
    /// discovery's walk saw (see [`Loader::list_module_dir`]).
    pub fn with_module_listings(self, listings: Option<Arc<ModuleListings>>) -> Self {
        Loader {
            module_listings: listings,
            ..self
        }
    }

    /// The earlier scan's load of `path` (normalised), when its contents did not change.
    fn reused(&self, path: &Path) -> Option<Loaded> {
        let (loaded, changed) = self.earlier?;
        if changed.contains(path) {
            return None;
        }
        loaded.find(path, self.sources)
    }

    /// Whether the front ends name their units (see [`Loader::naming_units`]).
    pub fn names_units(&self) -> bool {
        self.naming_units
    }

    /// What the front ends read, list and ask about: the buffers over the disk (or over the
    /// file system given to [`Loader::on`]).
    pub fn fs(&self) -> OverlayFs<'_> {
        let below: &dyn FileSystem = match self.custom {
            Some(custom) => custom,
            None => &self.disk,
        };
        let fs = OverlayFs::new(below, self.overrides);
        match self.overrides.filter(|o| !o.is_empty()) {
            Some(overrides) => fs.indexed(
                self.index
                    .get_or_init(|| crate::fs::overlay::BufferIndex::new(overrides)),
            ),
            None => fs,
        }
    }

    /// The project root reads are bounded to, if any.
    pub fn root(&self) -> Option<&ProjectRoot> {
        match self.custom {
            Some(custom) => custom.root(),
            None => self.disk.root(),
        }
    }

    /// Whether `path` may be read: inside the project root (always, without one).
    pub fn allowed(&self, path: &Path) -> bool {
        self.root().is_none_or(|root| root.contains(path))
    }

    /// [`Self::allowed`] for a directory (or where one may be), remembered for the scan.
    pub fn allowed_dir(&self, dir: &Path) -> bool {
        self.root().is_none_or(|root| root.contains_dir(dir))
    }

    /// Whether `path` is a regular file (or a buffer) inside the root.
    pub fn is_file(&self, path: &Path) -> bool {
        self.fs().is_file(path)
    }

    /// Whether `path` is a directory (or holds a buffer) inside the root.
    pub fn is_dir(&self, path: &Path) -> bool {
        self.fs().is_dir(path)
    }

    /// Why `path` cannot be used as a file (see [`FileSystem::not_a_file`]).
    pub fn not_a_file(&self, path: &Path) -> Option<String> {
        self.fs().not_a_file(path)
    }

    /// Why `path` cannot be used as a directory (see [`FileSystem::not_a_dir`]).
    pub fn not_a_dir(&self, path: &Path) -> Option<String> {
        self.fs().not_a_dir(path)
    }

    /// Whether `dir` can be listed (a directory of buffers can), without recording anything.
    pub fn can_list(&self, dir: &Path) -> bool {
        self.fs().list(dir).is_ok()
    }

    /// The notice for a file or directory outside the project root, which is not read.
    fn outside(&self, path: &Path) -> FileError {
        let root = self.root().map_or_else(String::new, ProjectRoot::shown);
        FileError::notice(
            path,
            None,
            format!(
                "not read: it is outside the project root `{root}`, and nothing outside it is \
                 read"
            ),
        )
    }

    /// A file's bytes: its override when there is one, else what is on disk (inside the
    /// project root only).
    pub fn read_bytes(&self, path: &Path) -> Result<Vec<u8>, FileError> {
        if let Some(loaded) = self.earlier.and_then(|_| self.reused(&normalize(path))) {
            // Loaded text is UTF-8 with its byte order mark taken off: these are its bytes.
            let source = &loaded.source;
            let bom: &[u8] = if source.has_bom() { UTF8_BOM } else { b"" };
            return Ok([bom, source.text().as_bytes()].concat());
        }
        self.fs().read(path).map_err(|refused| match refused {
            Refused::Outside => self.outside(path),
            Refused::OutsideLink(target) => self.outside_link(path, &target),
            refused => FileError::unplaced(path, refused.to_string()),
        })
    }

    pub fn sources(&self) -> &'a SourceMap {
        self.sources
    }

    /// Loads `path` (normalised lexically first). `None` when it cannot be read or decoded;
    /// the error is recorded once, whoever asks. Concurrent requests for one path wait for a
    /// single load.
    pub fn file(&self, path: &Path) -> Option<Loaded> {
        let path = normalize(path);
        let slot = lock(&self.cache).entry(path.clone()).or_default().clone();
        slot.get_or_init(|| {
            if let Some(loaded) = self.reused(&path) {
                return Some(loaded);
            }
            match self
                .read_bytes(&path)
                .and_then(|bytes| decode(&path, bytes, self.sources))
            {
                Ok(source) => {
                    let id = self.sources.add(source);
                    Some(Loaded {
                        id,
                        source: self.sources.get(id),
                    })
                }
                Err(error) => {
                    self.record(error);
                    None
                }
            }
        })
        .clone()
    }

    /// [`Loader::list_dir`] for a Terraform module directory, whose files `wanted` picks
    /// among [`crate::file_kind::is_terraform_module_file`]'s: answered from what discovery's
    /// walk saw when it listed the directory whole and no buffer lies in it (see
    /// [`crate::fs::module_listings`]), else listed.
    pub fn list_module_dir(&self, dir: &Path, wanted: impl Fn(&Path) -> bool) -> Vec<PathBuf> {
        let normal = normalize(dir);
        let known = (self.module_listings.as_deref())
            .filter(|_| self.allowed_dir(&normal) && !self.fs().holds_buffers_below(&normal))
            .and_then(|listings| listings.files(&normal));
        match known {
            Some(files) => files.into_iter().filter(|path| wanted(path)).collect(),
            None => self.list_dir(dir, wanted),
        }
    }

    /// The regular files directly in `dir` whose path satisfies `wanted`, sorted by name.
    /// In-memory buffers of this directory count as files. A directory that cannot be listed (and
    /// holds no buffer) is recorded as an error and yields nothing.
    pub fn list_dir(&self, dir: &Path, wanted: impl Fn(&Path) -> bool) -> Vec<PathBuf> {
        let dir = normalize(dir);
        let listing = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir.as_path()
        };
        match self.fs().list(&dir) {
            Ok(found) => {
                for (link, target) in &found.links_outside {
                    if wanted(link) {
                        self.record(self.outside_link(link, target));
                    }
                }
                found
                    .entries
                    .into_iter()
                    .filter(|(path, kind)| *kind == Kind::File && wanted(path))
                    .map(|(path, _)| path)
                    .collect()
            }
            Err(Refused::Outside) => {
                self.record(self.outside(listing));
                Vec::new()
            }
            Err(refused) => {
                let reason = match refused {
                    Refused::Io(reason) => reason,
                    other => other.to_string(),
                };
                self.record(FileError::unplaced(
                    listing,
                    format!("cannot list the directory: {reason}"),
                ));
                Vec::new()
            }
        }
    }

    /// The notice for a symbolic link in a listed directory that leads outside the root.
    fn outside_link(&self, path: &Path, target: &Path) -> FileError {
        let root = self.root().map_or_else(String::new, ProjectRoot::shown);
        FileError::notice(
            path,
            None,
            format!(
                "not read: this symbolic link leads to `{}`, outside the project root `{root}`",
                crate::paths::path_text(target)
            ),
        )
    }

    /// Records an error or notice found while loading (e.g. by a front end following a link).
    pub fn record(&self, error: FileError) {
        lock(&self.errors).push(error);
    }

    /// Every error and notice recorded, in no particular order, and the index of the files
    /// loaded (for a re-scan to take over, see [`Loader::reusing`]).
    pub fn into_errors_and_loaded(self) -> (Vec<FileError>, LoadedIndex) {
        let mut index = LoadedIndex::default();
        index.by_hash = (into_inner(self.cache).into_iter())
            .filter_map(|(path, slot)| Some((index.hash(&path), slot.get()?.as_ref()?.id)))
            .collect();
        index.by_hash.sort_unstable();
        (into_inner(self.errors), index)
    }

    /// Every error and notice recorded, in no particular order.
    pub fn into_errors(self) -> Vec<FileError> {
        into_inner(self.errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_points_at_the_bad_byte() {
        let sources = SourceMap::default();
        let error = decode(Path::new("x.tf"), b"ab\ncd\xFFe".to_vec(), &sources).unwrap_err();
        let span = error.span.unwrap();
        assert_eq!(span.start, 5);
        assert_eq!(sources.line_col(span).0.line, 2);
        assert!(error.message.contains("UTF-8"));
    }

    #[test]
    fn bom_is_stripped_and_nul_is_binary_and_utf16_is_named() {
        let sources = SourceMap::default();
        let file = decode(Path::new("x.tf"), b"\xEF\xBB\xBFabc".to_vec(), &sources).unwrap();
        assert_eq!(file.text(), "abc");
        let error = decode(Path::new("x.tf"), b"a\0b".to_vec(), &sources).unwrap_err();
        assert!(error.message.contains("NUL"));
        let error = decode(Path::new("x.tf"), vec![0xFF, 0xFE, b'a', 0], &sources).unwrap_err();
        assert!(error.message.contains("UTF-16"));
        let error = decode(Path::new("x.tf"), b"a\0b\0".to_vec(), &sources).unwrap_err();
        assert!(
            error
                .message
                .contains("UTF-16 (little-endian, without a byte order mark)")
        );
        let error = decode(Path::new("x.tf"), b"\0a\0b".to_vec(), &sources).unwrap_err();
        assert!(
            error
                .message
                .contains("UTF-16 (big-endian, without a byte order mark)")
        );
    }

    #[test]
    fn listing_holds_the_buffers_of_that_directory_only() {
        let dir = tempfile::tempdir().unwrap();
        let root = normalize(dir.path());
        let mut overrides = Overrides::new();
        for name in [
            "a/new.tf",
            "a/b/deeper.tf",
            "a-b/sibling.tf",
            "a.tf",
            "b/other.tf",
        ] {
            overrides.insert(root.join(name), String::new());
        }
        let sources = SourceMap::default();
        let loader = Loader::with_overrides(&sources, &overrides);
        assert_eq!(
            loader.list_dir(&root.join("a"), |_| true),
            [root.join("a/new.tf")]
        );
        assert_eq!(loader.list_dir(&root, |_| true), [root.join("a.tf")]);
        assert!(loader.into_errors().is_empty());
    }

    #[test]
    fn module_listings_from_the_walk_answer_as_the_disk_does_and_buffers_still_count() {
        let (_dir, root) = crate::testing::canonical_tempdir();
        for name in ["a/main.tf", "a/terraform.tfvars", "b/main.tf"] {
            std::fs::create_dir_all(root.join(name).parent().unwrap()).unwrap();
            std::fs::write(root.join(name), "").unwrap();
        }
        let project = Arc::new(ProjectRoot::of_dirs(std::slice::from_ref(&root)));
        let walked = DiskFs::new(project.clone()).walk(std::slice::from_ref(&root));
        let listings = Some(Arc::new(walked.module_listings));
        // A new file in `b` that exists only as a buffer: `b` is listed with it.
        let overrides = Overrides::from([(root.join("b/new.tf"), String::new())]);
        let sources = SourceMap::default();
        let loader = Loader::with_overrides(&sources, &overrides)
            .within(&project)
            .with_module_listings(listings);
        let wanted = crate::file_kind::is_terraform_module_file;
        for dir in ["a", "b", "missing"] {
            let dir = root.join(dir);
            let known = loader.list_module_dir(&dir, wanted);
            assert_eq!(known, loader.list_dir(&dir, wanted), "{dir:?}");
        }
        assert_eq!(
            loader.list_module_dir(&root.join("a"), wanted),
            [root.join("a/main.tf"), root.join("a/terraform.tfvars")]
        );
        assert_eq!(
            loader.list_module_dir(&root.join("b"), wanted),
            [root.join("b/main.tf"), root.join("b/new.tf")]
        );
    }

    #[test]
    fn loader_reads_each_file_once_and_records_its_error_once() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("main.tf");
        std::fs::write(&file, "x").unwrap();
        let sources = SourceMap::default();
        let loader = Loader::new(&sources);
        let first = loader.file(&file).unwrap();
        let second = loader.file(&dir.path().join("./main.tf")).unwrap();
        assert_eq!(first.id, second.id);
        assert!(loader.file(&dir.path().join("missing.tf")).is_none());
        assert!(loader.file(&dir.path().join("missing.tf")).is_none());
        assert_eq!(sources.len(), 1);
        assert_eq!(loader.into_errors().len(), 1);
    }

    #[test]
    fn a_file_that_disappeared_is_a_read_error_naming_it() {
        let sources = SourceMap::default();
        let error = Loader::new(&sources)
            .read_bytes(Path::new("gone/main.tf"))
            .unwrap_err();
        assert_eq!(error.path, Path::new("gone/main.tf"));
        assert_eq!(error.message, "cannot read: no such file or directory");
    }

    #[test]
    fn nothing_outside_the_root_is_read_or_listed() {
        let dir = tempfile::tempdir().unwrap();
        let inside = dir.path().join("repo");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(&inside).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("secret.tf"), "secret").unwrap();
        std::fs::write(inside.join("main.tf"), "x").unwrap();
        let root = Arc::new(ProjectRoot::of_dirs(std::slice::from_ref(&inside)));
        let sources = SourceMap::default();
        let loader = Loader::new(&sources).within(&root);
        assert!(loader.file(&inside.join("main.tf")).is_some());
        assert!(loader.file(&inside.join("../outside/secret.tf")).is_none());
        assert!(loader.list_dir(&outside, |_| true).is_empty());
        let errors = loader.into_errors();
        assert_eq!(errors.len(), 2);
        assert!(
            errors
                .iter()
                .all(|e| e.level == crate::error::Level::Notice)
        );
        assert!(errors[0].message.contains("outside the project root"));
        assert_eq!(sources.len(), 1);
    }
}
