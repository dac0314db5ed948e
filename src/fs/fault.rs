//! A file system for tests: a file that vanishes between discovery and reading, a race no test
//! could time on a real disk. Replaces an environment hook the shipped binary used to carry.

use std::path::{Path, PathBuf};

use super::{FileSystem, Kind, Listing, Refused, Walked};
use crate::fs::root::ProjectRoot;
use crate::paths::normalize;

/// `below`, except that `vanished` is still found by walks and listings but is gone when asked
/// about or read, as if deleted right after discovery.
#[derive(Debug)]
pub struct FaultFs<F> {
    below: F,
    vanished: PathBuf,
}

impl<F: FileSystem> FaultFs<F> {
    /// `below` with `vanished` (compared after normalising) removed after discovery.
    pub fn vanishing(below: F, vanished: &Path) -> Self {
        FaultFs {
            below,
            vanished: normalize(vanished),
        }
    }

    fn is_vanished(&self, path: &Path) -> bool {
        normalize(path) == self.vanished
    }
}

impl<F: FileSystem> FileSystem for FaultFs<F> {
    fn read(&self, path: &Path) -> Result<Vec<u8>, Refused> {
        if self.is_vanished(path) {
            // The words a read of a deleted file gets from the disk.
            return Err(Refused::Io("no such file or directory".to_string()));
        }
        self.below.read(path)
    }

    fn kind(&self, path: &Path) -> Result<Kind, Refused> {
        if self.is_vanished(path) {
            return Err(Refused::Missing);
        }
        self.below.kind(path)
    }

    fn list(&self, dir: &Path) -> Result<Listing, Refused> {
        self.below.list(dir)
    }

    fn walk(&self, dirs: &[PathBuf]) -> Walked {
        self.below.walk(dirs)
    }

    fn root(&self) -> Option<&ProjectRoot> {
        self.below.root()
    }
}
