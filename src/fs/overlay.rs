//! Unsaved editor buffers (and `--fix`'s trial edits) over another file system: a buffer is a
//! file, every directory above a buffer is a directory, and listings hold both.

use std::path::{Path, PathBuf};

use super::{FileSystem, Kind, Listing, Refused, Walked};
use crate::fs::root::ProjectRoot;
use crate::path_map::PathHashSet;
use crate::paths::normalize;

/// File contents to use instead of what is on disk, by normalised path: `--fix` re-checks its
/// edits before writing them, and an editor's unsaved buffers are scanned.
pub type Overrides = std::collections::BTreeMap<PathBuf, String>;

/// `buffers` (by normalised path) over `below`. The root still bounds the disk: a directory
/// outside it is never listed, even when it holds buffers (only the buffers are listed).
#[derive(Debug, Clone, Copy)]
pub struct OverlayFs<'a> {
    below: &'a dyn FileSystem,
    buffers: Option<&'a Overrides>,
    index: Option<&'a BufferIndex>,
}

/// The buffers' paths and the directories above them, hashed: a trial scan of `--fix` asks
/// about thousands of paths, and each answer from the ordered map compared paths component
/// by component several times.
#[derive(Debug, Default)]
pub struct BufferIndex {
    files: PathHashSet<PathBuf>,
    dirs: PathHashSet<PathBuf>,
}

impl BufferIndex {
    /// The index of `buffers` (keys normalised, as [`Overrides`] holds them).
    pub fn new(buffers: &Overrides) -> Self {
        BufferIndex {
            files: buffers.keys().cloned().collect(),
            dirs: (buffers.keys())
                .flat_map(|path| path.ancestors().skip(1))
                .map(Path::to_path_buf)
                .collect(),
        }
    }
}

impl<'a> OverlayFs<'a> {
    pub fn new(below: &'a dyn FileSystem, buffers: Option<&'a Overrides>) -> Self {
        // Most scans have no buffers: skip normalising every path asked about for nothing.
        let buffers = buffers.filter(|b| !b.is_empty());
        OverlayFs {
            below,
            buffers,
            index: None,
        }
    }

    /// The same, answering what the buffers make a path from `index` (of the same buffers).
    pub fn indexed(self, index: &'a BufferIndex) -> Self {
        OverlayFs {
            index: Some(index),
            ..self
        }
    }

    fn buffer(&self, path: &Path) -> Option<&'a String> {
        self.buffers?.get(&normalize(path))
    }

    /// What the buffers make `path`: a file (a buffer) or a directory (above one); else the
    /// path to ask the file system below about.
    fn in_memory<'p>(&self, path: &'p Path) -> Result<Kind, std::borrow::Cow<'p, Path>> {
        if self.buffers.is_none() {
            return Err(path.into());
        }
        let path = normalize(path);
        // The empty path lies above relative buffers only, which its ancestors do not say.
        if let Some(index) = self.index.filter(|_| !path.as_os_str().is_empty()) {
            return if index.files.contains(path.as_path()) {
                Ok(Kind::File)
            } else if index.dirs.contains(path.as_path()) {
                Ok(Kind::Dir)
            } else {
                Err(path.into())
            };
        }
        if self.buffer(&path).is_some() {
            return Ok(Kind::File);
        }
        if self.under(&path).next().is_some() {
            return Ok(Kind::Dir);
        }
        Err(path.into())
    }

    /// Whether a buffer lies at or below `dir`: a listing of it then differs from the disk's.
    pub fn holds_buffers_below(&self, dir: &Path) -> bool {
        self.buffers.is_some() && self.in_memory(dir).is_ok()
    }

    /// The buffers below `dir` (normalised), in path order.
    fn under(&self, dir: &'a Path) -> impl Iterator<Item = &'a PathBuf> + 'a {
        self.buffers
            .into_iter()
            .flat_map(move |buffers| super::below(buffers, dir))
    }
}

impl FileSystem for OverlayFs<'_> {
    fn read(&self, path: &Path) -> Result<Vec<u8>, Refused> {
        match self.buffer(path) {
            Some(text) => Ok(text.as_bytes().to_vec()),
            None => self.below.read(path),
        }
    }

    fn kind(&self, path: &Path) -> Result<Kind, Refused> {
        match self.in_memory(path) {
            Ok(kind) => Ok(kind),
            Err(path) => self.below.kind(&path),
        }
    }

    fn is_file(&self, path: &Path) -> bool {
        match self.in_memory(path) {
            Ok(kind) => kind == Kind::File,
            Err(path) => self.below.is_file(&path),
        }
    }

    fn is_dir(&self, path: &Path) -> bool {
        match self.in_memory(path) {
            Ok(kind) => kind == Kind::Dir,
            Err(path) => self.below.is_dir(&path),
        }
    }

    fn list(&self, dir: &Path) -> Result<Listing, Refused> {
        if self.buffers.is_none() {
            return self.below.list(dir);
        }
        let dir = normalize(dir);
        let in_memory = super::entries_of(&dir, self.under(&dir));
        let mut listing = match self.below.list(&dir) {
            Ok(listing) => listing,
            // A new directory holding only unsaved buffers, or one outside the root.
            Err(_) if !in_memory.is_empty() => Listing::default(),
            Err(refused) => return Err(refused),
        };
        listing.entries.extend(in_memory);
        listing.entries.sort_by(|a, b| a.0.cmp(&b.0));
        listing.entries.dedup_by(|a, b| a.0 == b.0);
        Ok(listing)
    }

    fn walk(&self, dirs: &[PathBuf]) -> Walked {
        self.below.walk(dirs)
    }

    fn root(&self) -> Option<&ProjectRoot> {
        self.below.root()
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::fs::DiskFs;

    #[test]
    fn buffers_are_files_their_directories_exist_and_the_root_still_bounds_the_disk() {
        let (_dir, base) = crate::testing::canonical_tempdir();
        let inside = base.join("repo");
        std::fs::create_dir_all(inside.join("on-disk")).unwrap();
        std::fs::write(inside.join("on-disk/a.tf"), "disk").unwrap();
        std::fs::create_dir_all(base.join("outside")).unwrap();
        std::fs::write(base.join("outside/secret.tf"), "secret").unwrap();
        let disk = DiskFs::new(Arc::new(ProjectRoot::of_dirs(std::slice::from_ref(
            &inside,
        ))));
        let mut buffers = Overrides::new();
        buffers.insert(inside.join("new/m/main.tf"), "buffer".into());
        buffers.insert(inside.join("on-disk/b.tf"), "b".into());
        buffers.insert(base.join("outside/open.tf"), "open".into());
        let fs = OverlayFs::new(&disk, Some(&buffers));

        assert_eq!(fs.kind(&inside.join("new")), Ok(Kind::Dir));
        assert_eq!(fs.kind(&inside.join("new/m")), Ok(Kind::Dir));
        assert_eq!(fs.kind(&inside.join("new/m/main.tf")), Ok(Kind::File));
        assert_eq!(fs.read(&inside.join("new/m/main.tf")).unwrap(), b"buffer");
        assert_eq!(fs.kind(&inside.join("ne")), Err(Refused::Missing));
        let names: Vec<_> = fs
            .list(&inside.join("on-disk"))
            .unwrap()
            .entries
            .into_iter()
            .map(|(path, _)| path.file_name().unwrap().to_owned())
            .collect();
        assert_eq!(names, ["a.tf", "b.tf"]);
        // Outside the root only the buffer is listed; the disk there is never read.
        let outside = fs.list(&base.join("outside")).unwrap().entries;
        assert_eq!(outside, [(base.join("outside/open.tf"), Kind::File)]);
        assert_eq!(
            fs.read(&base.join("outside/secret.tf")),
            Err(Refused::Outside)
        );
    }

    #[test]
    fn the_hashed_index_answers_as_the_ordered_buffers_do() {
        let below = crate::fs::MemoryFs::new([
            (PathBuf::from("/r/disk/main.tf"), "disk".to_string()),
            (PathBuf::from("/r/a/old.tf"), "old".to_string()),
        ]);
        let buffers: Overrides = ["/r/a/b/new.tf", "/r/a/old.tf", "rel/x.tf"]
            .iter()
            .map(|path| (PathBuf::from(path), "buffer".to_string()))
            .collect();
        let index = BufferIndex::new(&buffers);
        let plain = OverlayFs::new(&below, Some(&buffers));
        let hashed = plain.indexed(&index);
        let asked = [
            "/r/a/b/new.tf",
            "/r/a/b",
            "/r/a",
            "/r/a/old.tf",
            "/r",
            "/",
            "/r/disk",
            "/r/disk/main.tf",
            "/r/a/b/new.tf/x",
            "/r/a/c",
            "/r/a/./b",
            "rel",
            "rel/x.tf",
            "",
            "/nowhere",
        ];
        for path in asked.map(Path::new) {
            assert_eq!(hashed.kind(path).ok(), plain.kind(path).ok(), "{path:?}");
            assert_eq!(hashed.is_file(path), plain.is_file(path), "{path:?}");
            assert_eq!(hashed.is_dir(path), plain.is_dir(path), "{path:?}");
        }
        assert!(hashed.is_dir(Path::new("/r/a/b")) && hashed.is_file(Path::new("rel/x.tf")));
    }
}
