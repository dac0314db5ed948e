//! Discovery's walk of directories on disk: the `ignore` crate's (ripgrep's) parallel walk,
//! with certgate's own ignore rules ([`crate::fs::ignores`]) and root checks.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::{WalkBuilder, WalkState};

use super::Walked;
use crate::error::FileError;
use crate::file_kind::{FileKind, is_terraform_module_name};
use crate::fs::ignores::IgnoreRules;
use crate::fs::module_listings::Collecting;
use crate::fs::root::ProjectRoot;
use crate::lock::{into_inner, lock};

/// Directory names never descended into: VCS data and Terraform's provider/module cache.
const ALWAYS_SKIPPED: &[&str] = &[".git", ".terraform", ".terragrunt-cache"];

/// Walks `directories` (at least one) inside `project`.
pub(super) fn walk(directories: &[PathBuf], project: &Arc<ProjectRoot>) -> Walked {
    let mut builder = WalkBuilder::new(&directories[0]);
    for directory in &directories[1..] {
        builder.add(directory);
    }
    // The crate reads no ignore file itself: `rules` does, safely.
    let rules = IgnoreRules::new(project.clone());
    builder
        .hidden(false)
        .require_git(false)
        .follow_links(false)
        .parents(false)
        .ignore(false)
        .git_ignore(false)
        .git_global(false)
        .git_exclude(false);
    let files = Mutex::new(Vec::new());
    let errors = Mutex::new(Vec::new());
    // The directories holding an entry named like a config, whatever it is: see
    // `Walked::config_unsure`.
    let named_config = Arc::new(Mutex::new(Vec::new()));
    // What the walk sees of Terraform module directories (see `fs::module_listings`): the
    // module files it keeps are taken from `files` at the end; these are the others.
    let listings = Arc::new(Mutex::new(Collecting::default()));
    let rules = Arc::new(rules);
    let filter_rules = rules.clone();
    let filter_named = named_config.clone();
    let filter_listings = listings.clone();
    builder.filter_entry(move |entry| {
        if entry.file_name() == crate::paths::CONFIG_FILE {
            lock(&filter_named).push(crate::path_map::spelled_dir(entry.path()).to_path_buf());
        }
        let file_type = entry.file_type();
        if file_type.is_some_and(|t| t.is_dir()) {
            let skipped =
                (entry.file_name().to_str()).is_some_and(|name| ALWAYS_SKIPPED.contains(&name));
            return !skipped && !filter_rules.is_ignored(entry.path(), true);
        }
        let kind = FileKind::of(entry.path());
        // Entries a listing of the directory would give as module files: regular files, and
        // links, which the disk listing follows and checks (so a directory holding one is
        // left to it). Anything else of such a name a listing leaves out, and so does this.
        let module_file = entry.depth() > 0 && is_terraform_module_name(kind, entry.file_name());
        let is_file = file_type.is_some_and(|t| t.is_file());
        if module_file && file_type.is_some_and(|t| t.is_symlink()) {
            lock(&filter_listings).unsure(crate::path_map::spelled_dir(entry.path()));
        }
        // A file certgate never reads is dropped later anyway: no need to match it.
        if !kind.is_some_and(FileKind::is_discovered) {
            if module_file && is_file {
                lock(&filter_listings).file(entry.path());
            }
            return true;
        }
        let kept = !filter_rules.is_ignored(entry.path(), false);
        if module_file && is_file && !kept {
            lock(&filter_listings).file(entry.path());
        }
        kept
    });
    builder.build_parallel().run(|| {
        Box::new(|entry| {
            match entry {
                Ok(entry) => {
                    let file_type = entry.file_type();
                    let is_file = file_type.is_some_and(|t| t.is_file());
                    let is_link = file_type.is_some_and(|t| t.is_symlink());
                    if let Some(kind) =
                        FileKind::discovered(entry.path()).filter(|_| is_file || is_link)
                        && (!is_link || linked_file(entry.path(), project, &errors))
                    {
                        lock(&files).push((entry.into_path(), kind));
                    }
                }
                Err(error) => lock(&errors).push(walk_error(&error)),
            }
            WalkState::Continue
        })
    });
    let mut errors = into_inner(errors);
    let files = into_inner(files);
    let mut config_unsure = std::mem::take(&mut *lock(&named_config));
    let mut listings = std::mem::take(&mut *lock(&listings));
    for (path, kind) in &files {
        if kind.is_terraform() {
            listings.file(path);
        }
    }
    // A directory that could not be listed (or whose entry could not be read) was not seen
    // whole.
    for error in &errors {
        for path in [&*error.path, crate::path_map::spelled_dir(&error.path)] {
            config_unsure.push(path.to_path_buf());
            listings.unsure(path);
        }
    }
    errors.extend(rules.take_errors());
    Walked {
        files,
        errors,
        listed_on_disk: true,
        config_unsure,
        module_listings: listings.done(),
    }
}

/// Whether a symbolic link met in a walk is scanned: it must lead to a regular file inside the
/// project root (one leading out is a notice; a dangling link or a loop is skipped, as a
/// FIFO is).
fn linked_file(path: &Path, project: &ProjectRoot, errors: &Mutex<Vec<FileError>>) -> bool {
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return false;
    }
    if project.contains(path) {
        return true;
    }
    let target = std::fs::read_link(path).unwrap_or_default();
    lock(errors).push(FileError::notice(
        path,
        None,
        format!(
            "not read: this symbolic link leads to `{}`, outside the project root `{}`",
            crate::paths::path_text(&target),
            project.shown()
        ),
    ));
    false
}

/// Turns a walk error into a file error naming the path it happened at.
fn walk_error(error: &ignore::Error) -> FileError {
    fn path_of(error: &ignore::Error) -> Option<&Path> {
        match error {
            ignore::Error::WithPath { path, .. } => Some(path),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                path_of(err)
            }
            ignore::Error::Loop { child, .. } => Some(child),
            ignore::Error::Partial(errors) => errors.first().and_then(path_of),
            _ => None,
        }
    }
    fn reason(error: &ignore::Error) -> String {
        match error {
            ignore::Error::WithPath { err, .. }
            | ignore::Error::WithDepth { err, .. }
            | ignore::Error::WithLineNumber { err, .. } => reason(err),
            ignore::Error::Io(io) if io.kind() == std::io::ErrorKind::PermissionDenied => {
                "permission denied".to_string()
            }
            other => other.to_string(),
        }
    }
    let path = path_of(error).map_or_else(PathBuf::new, Path::to_path_buf);
    FileError::unplaced(path, format!("cannot read: {}", reason(error)))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// Writes `files` (path, text) below `repo`, then walks it.
    fn walk_tree(repo: &Path, files: &[(&str, &str)], links: &[(&str, &str)]) -> Walked {
        for (path, text) in files {
            std::fs::create_dir_all(repo.join(path).parent().unwrap()).unwrap();
            std::fs::write(repo.join(path), text).unwrap();
        }
        for (target, link) in links {
            std::os::unix::fs::symlink(repo.join(target), repo.join(link)).unwrap();
        }
        let root = Arc::new(ProjectRoot::of_dirs(&[repo.to_path_buf()]));
        walk(&[repo.to_path_buf()], &root)
    }

    #[test]
    fn a_walk_names_the_directories_that_may_hold_a_config_entry_of_any_kind() {
        let (_dir, base) = crate::testing::canonical_tempdir();
        let repo = base.join("repo");
        let files = [
            ("plain/main.tf", ""),
            ("configured/main.tf", ""),
            ("configured/certgate.toml", ""),
            // Ignored, or not a file: still an entry of that name, so the disk is asked.
            ("ignored/main.tf", ""),
            ("ignored/certgate.toml", ""),
            ("odd/main.tf", ""),
            ("odd/certgate.toml/keep", ""),
            (".gitignore", "ignored/certgate.toml\n"),
        ];
        let walked = walk_tree(&repo, &files, &[]);
        assert!(walked.listed_on_disk);
        assert_eq!(walked.files.len(), 4);
        let mut unsure = walked.config_unsure;
        unsure.sort();
        assert_eq!(
            unsure,
            [
                repo.join("configured"),
                repo.join("ignored"),
                repo.join("odd")
            ]
        );
    }

    #[test]
    fn a_walk_knows_the_module_files_a_listing_would_give_and_leaves_odd_directories_to_the_disk() {
        let (_dir, base) = crate::testing::canonical_tempdir();
        let repo = base.join("repo");
        let files = [
            ("plain/main.tf", ""),
            ("plain/variables.tf.json", "{}"),
            ("plain/terraform.tfvars", ""),
            ("plain/prod.auto.tfvars.json", "{}"),
            ("plain/.terraform.lock.hcl", ""),
            ("plain/other.tfvars", ""),
            ("plain/README.md", ""),
            ("plain/MAIN.TF", ""),
            ("plain/ignored.tf", ""),
            ("plain/nested/child.tf", ""),
            ("vars-only/terraform.tfvars", ""),
            ("linked/main.tf", ""),
            ("dir-named/main.tf", ""),
            ("dir-named/sub.tf/keep", ""),
            (".gitignore", "ignored.tf\n"),
        ];
        let walked = walk_tree(&repo, &files, &[("plain/main.tf", "linked/link.tf")]);
        let root = Arc::new(ProjectRoot::of_dirs(std::slice::from_ref(&repo)));
        let listings = walked.module_listings;
        let disk = crate::fs::DiskFs::new(root);
        let listed = |dir: &Path| -> Vec<PathBuf> {
            let listing = crate::fs::FileSystem::list(&disk, dir).unwrap();
            (listing.entries.into_iter())
                .filter(|(path, kind)| {
                    *kind == crate::fs::Kind::File
                        && crate::file_kind::is_terraform_module_file(path)
                })
                .map(|(path, _)| path)
                .collect()
        };
        for dir in ["plain", "plain/nested", "vars-only", "dir-named"] {
            let dir = repo.join(dir);
            assert_eq!(listings.files(&dir), Some(listed(&dir)), "{dir:?}");
        }
        let plain = listings.files(&repo.join("plain")).unwrap();
        let names: Vec<_> = plain.iter().map(|p| p.file_name().unwrap()).collect();
        assert_eq!(
            names,
            [
                ".terraform.lock.hcl",
                "ignored.tf",
                "main.tf",
                "prod.auto.tfvars.json",
                "terraform.tfvars",
                "variables.tf.json"
            ]
        );
        // A link: the disk decides. A directory with a module file's name is no file.
        assert_eq!(listings.files(&repo.join("linked")), None);
        assert_eq!(
            listings.files(&repo.join("dir-named")),
            Some(vec![repo.join("dir-named/main.tf")])
        );
        assert_eq!(listings.directories(), 4);
    }
}
