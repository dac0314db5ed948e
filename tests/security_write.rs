//! Nothing but the files meant is written, and what is written keeps its identity: `--fix`
//! keeps owner, group, mode and hard links and removes the temporary files a killed run left;
//! `-o` writes through devices, FIFOs and links instead of replacing them; `init --force` never
//! writes through a link or opens a FIFO.
#![cfg(unix)]

use std::fs;
use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

mod common;
use common::{Outcome, mkfifo};

const SITE: &str =
    "resource \"azurerm_linux_web_app\" \"app\" {\n  client_certificate_enabled = false\n}\n";

fn repo() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let base = fs::canonicalize(dir.path()).unwrap();
    fs::create_dir_all(base.join("repo/.git")).unwrap();
    (dir, base)
}

fn certgate(dir: &Path, args: &[&str]) -> (i32, String) {
    let outcome = Outcome::of(
        common::certgate(dir)
            .args(args)
            .timeout(Duration::from_secs(120)),
    );
    (outcome.code, outcome.stderr)
}

/// The file still has its owner and group, and the mode 0640 it was given.
fn assert_kept_owner_group_and_mode_0640(before: &fs::Metadata, after: &fs::Metadata) {
    assert_eq!(
        (after.uid(), after.gid(), after.mode() & 0o7777),
        (before.uid(), before.gid(), 0o640)
    );
}

#[test]
fn fix_keeps_owner_group_mode_and_hard_links() {
    let (_dir, base) = repo();
    let repo = base.join("repo");
    let file = repo.join("main.tf");
    fs::write(&file, SITE).unwrap();
    fs::set_permissions(&file, fs::Permissions::from_mode(0o640)).unwrap();
    let is_root = fs::metadata(&file).unwrap().uid() == 0;
    if is_root {
        // A file owned by `nobody` must not become root's.
        std::os::unix::fs::chown(&file, Some(65534), Some(65534)).unwrap();
    }
    let link = base.join("linked-main.tf");
    fs::hard_link(&file, &link).unwrap();
    let before = fs::metadata(&file).unwrap();
    let (code, stderr) = certgate(&repo, &["check", "--fix", "."]);
    assert_eq!(code, 0, "{stderr}");
    let after = fs::metadata(&file).unwrap();
    assert_kept_owner_group_and_mode_0640(&before, &after);
    assert_eq!((after.ino(), after.nlink()), (before.ino(), 2));
    let fixed = fs::read_to_string(&link).unwrap();
    assert!(
        fixed.contains("client_certificate_enabled = true"),
        "{fixed}"
    );

    // Without a second link the file is replaced, and still keeps owner, group and mode.
    fs::remove_file(&link).unwrap();
    fs::write(&file, SITE).unwrap();
    let before = fs::metadata(&file).unwrap();
    let (code, stderr) = certgate(&repo, &["check", "--fix", "."]);
    assert_eq!(code, 0, "{stderr}");
    let after = fs::metadata(&file).unwrap();
    assert_kept_owner_group_and_mode_0640(&before, &after);
}

#[test]
fn fix_never_writes_through_a_link_leaving_the_root() {
    let (_dir, base) = repo();
    let outside = base.join("outside.bicep");
    let text =
        "resource s 'Microsoft.Web/sites@2022-03-01' = {\n  name: 's'\n  properties: {}\n}\n";
    fs::write(&outside, text).unwrap();
    std::os::unix::fs::symlink(&outside, base.join("repo/main.bicep")).unwrap();
    let (code, stderr) = certgate(&base.join("repo"), &["check", "--fix", "."]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(fs::read_to_string(&outside).unwrap(), text);
    assert!(
        fs::symlink_metadata(base.join("repo/main.bicep"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn fix_removes_the_temporary_files_a_killed_run_left_and_nothing_else() {
    let (_dir, base) = repo();
    let repo = base.join("repo");
    fs::write(repo.join("main.tf"), SITE).unwrap();
    let hour_ago = SystemTime::now() - Duration::from_secs(3600);
    let names = [
        ".certgate-fix-Ab12Cd.tmp",
        ".certgate-fix-Ab12C.tmp",
        ".certgate-fix-Ab12Cd.tmp.keep",
        "certgate-fix-Ab12Cd.tmp",
    ];
    for name in names {
        fs::File::create(repo.join(name))
            .unwrap()
            .set_modified(hour_ago)
            .unwrap();
    }
    // A fresh one may belong to a run going on now.
    fs::write(repo.join(".certgate-fix-Fresh1.tmp"), "").unwrap();
    let (code, stderr) = certgate(&repo, &["check", "--fix", "."]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!repo.join(names[0]).exists());
    for name in &names[1..] {
        assert!(repo.join(name).exists(), "{name} was removed");
    }
    assert!(repo.join(".certgate-fix-Fresh1.tmp").exists());
}

#[test]
fn output_writes_through_fifos_and_links_and_creates_files_with_the_umask() {
    let (_dir, base) = repo();
    let repo = base.join("repo");
    fs::write(repo.join("main.tf"), SITE).unwrap();
    // A FIFO: written through, still a FIFO afterwards.
    let fifo = repo.join("report.fifo");
    mkfifo(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
    };
    let (code, _) = certgate(
        &repo,
        &["check", ".", "--format", "json", "-o", "report.fifo"],
    );
    assert_eq!(code, 1);
    assert!(reader.join().unwrap().contains("client-cert-disabled"));
    use std::os::unix::fs::FileTypeExt as _;
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());

    // A link: its target is replaced, keeping the target's mode; the link stays a link.
    let target = base.join("reports/out.json");
    fs::create_dir_all(target.parent().unwrap()).unwrap();
    fs::write(&target, "old").unwrap();
    fs::set_permissions(&target, fs::Permissions::from_mode(0o644)).unwrap();
    std::os::unix::fs::symlink(&target, repo.join("out.json")).unwrap();
    let (code, _) = certgate(&repo, &["check", ".", "--format", "json", "-o", "out.json"]);
    assert_eq!(code, 1);
    assert!(
        fs::symlink_metadata(repo.join("out.json"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(fs::read_to_string(&target).unwrap().contains("client-cert"));
    assert_eq!(fs::metadata(&target).unwrap().mode() & 0o777, 0o644);

    // A new file: the usual permissions, not a temporary file's 0600.
    let (code, _) = certgate(&repo, &["check", ".", "-o", "new.txt"]);
    assert_eq!(code, 1);
    let mode = fs::metadata(repo.join("new.txt")).unwrap().mode() & 0o777;
    assert_ne!(mode, 0o600);
    let leftovers: Vec<_> = fs::read_dir(&repo)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".certgate-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn init_force_never_writes_through_a_link_or_opens_a_fifo() {
    let (_dir, base) = repo();
    let repo = base.join("repo");
    let elsewhere = base.join("elsewhere.toml");
    fs::write(&elsewhere, "keep").unwrap();
    std::os::unix::fs::symlink(&elsewhere, repo.join("certgate.toml")).unwrap();
    let (code, stderr) = certgate(&repo, &["init", "--force"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("is a symbolic link, not a regular file"),
        "{stderr}"
    );
    assert_eq!(fs::read_to_string(&elsewhere).unwrap(), "keep");

    let fifo_dir = base.join("fifo");
    fs::create_dir(&fifo_dir).unwrap();
    mkfifo(&fifo_dir.join("certgate.toml"));
    let (code, stderr) = certgate(&fifo_dir, &["init", "--force"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("is a FIFO, not a regular file"), "{stderr}");

    // A regular file is replaced and keeps its mode.
    let plain = base.join("plain");
    fs::create_dir(&plain).unwrap();
    fs::write(plain.join("certgate.toml"), "old").unwrap();
    fs::set_permissions(
        plain.join("certgate.toml"),
        fs::Permissions::from_mode(0o640),
    )
    .unwrap();
    let (code, stderr) = certgate(&plain, &["init", "--force"]);
    assert_eq!(code, 0, "{stderr}");
    let metadata = fs::metadata(plain.join("certgate.toml")).unwrap();
    assert_eq!(metadata.mode() & 0o777, 0o640);
    assert!(
        fs::read_to_string(plain.join("certgate.toml"))
            .unwrap()
            .contains("[rules]")
    );
}
