//! The `%SRCROOT%` of a SARIF log: the repository root, found from where certgate runs or
//! from what it scanned, so that result paths are the same wherever certgate is run from.

use std::path::{Path, PathBuf};

/// The nearest ancestor of `start` (itself included) that holds a `.git` (a directory, or the
/// file a worktree or submodule has), if any.
fn repository_root(start: &Path) -> Option<PathBuf> {
    let start = crate::paths::absolute(start);
    start
        .ancestors()
        .find(|dir| dir.join(".git").exists())
        .map(Path::to_path_buf)
}

/// The root result paths are relative to: the repository around `cwd`; else (certgate run
/// from outside) the repository around the first scanned path; else `cwd` itself.
pub fn source_root<'a>(cwd: &Path, mut scanned: impl Iterator<Item = &'a Path>) -> PathBuf {
    repository_root(cwd)
        .or_else(|| scanned.next().and_then(repository_root))
        .unwrap_or_else(|| crate::paths::absolute(cwd))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_is_the_repository_around_cwd_then_around_the_scan_then_cwd() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(repo.join("infra")).expect("dirs");
        std::fs::write(repo.join(".git"), "gitdir: elsewhere\n").expect(".git");
        let file = repo.join("infra/main.tf");
        let root = crate::paths::absolute(&repo);
        assert_eq!(source_root(&repo.join("infra"), std::iter::empty()), root);
        assert_eq!(source_root(dir.path(), [file.as_path()].into_iter()), root);
        assert_eq!(
            source_root(dir.path(), std::iter::empty()),
            crate::paths::absolute(dir.path())
        );
    }
}
