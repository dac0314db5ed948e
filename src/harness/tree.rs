//! The file-system invariants, over generated *trees* on disk: a project root (`repo/`, a git
//! work tree) holding files, symbolic links in and out of the root, FIFOs, links to devices,
//! link loops and non-UTF-8 names, next to `outside/` holding sentinel files. The tree is
//! scanned, its fixes planned, one file changed or removed, and the fixes written.
//!
//! Invariants: nothing outside the root is read (every file opened and every directory the
//! loader lists is recorded by [`crate::fs::regular::observe_reads`]) or written (the sentinels
//! keep content, inode, mode and modification time), no sentinel text reaches any output, an edit made before the write is
//! kept, a literal failing site in the tree is always reported, and the scan ends (a FIFO that
//! was opened would block it forever; the caller's timeout catches that).

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt as _;
use std::os::unix::fs::{MetadataExt as _, symlink};
use std::path::{Path, PathBuf};

use super::Outcome;
use crate::fix::run::{Options, Rescan as _, plan_fixes};
use crate::report::human::{self, Style};
use crate::scan::{Session, Settings};

/// Text every file outside the root holds.
const SENTINEL: &str = "SENTINEL-outside-the-root";

/// Reads choices from the fuzzer's bytes; zeros once they run out.
struct Choices<'a> {
    bytes: &'a [u8],
}

impl Choices<'_> {
    fn pick(&mut self, n: usize) -> usize {
        match self.bytes.split_first() {
            Some((&first, rest)) => {
                self.bytes = rest;
                usize::from(first) % n
            }
            None => 0,
        }
    }
}

/// Where generated entries go (relative to `repo/`); one is not UTF-8.
const DIRS: &[&[u8]] = &[
    b"",
    b"app",
    b"app/sub",
    b"mods/web",
    "ünï".as_bytes(),
    b"d\xff",
];

/// What generated entries are called; one is not UTF-8.
const NAMES: &[&[u8]] = &[
    b"main.tf",
    b"site.tf",
    b"main.bicep",
    b"prod.bicepparam",
    b"azuredeploy.json",
    b".gitignore",
    b".ignore",
    b"terraform.tfvars",
    b"x\xfe.tf",
    b".terraform/modules/modules.json",
];

/// A regular file's contents; `{out}` is the absolute `outside/` directory.
const TEXTS: &[&str] = &[
    "resource \"azurerm_linux_web_app\" \"gen\" {\n  client_certificate_enabled = false\n}\n",
    "module \"up\" {\n  source = \"../outside/mod\"\n}\n",
    "module \"deep\" {\n  source = \"../../../../../../../..{out}/mod\"\n}\n",
    "module \"web\" {\n  source = \"./mods/web\"\n}\nmodule \"reg\" {\n  source = \"acme/web/azurerm\"\n}\n",
    "{\"Modules\":[{\"Key\":\"reg\",\"Source\":\"x\",\"Dir\":\"{out}/mod\"},{\"Key\":\"web\",\"Dir\":\"mods/web\"}]}",
    "module a '../outside/secret.bicep' = {\n  name: 'a'\n}\nresource s 'Microsoft.Web/sites@2022-03-01' = {\n  name: 's'\n  properties: {}\n}\n",
    "module b '{out}/secret.bicep' = {\n  name: 'b'\n}\nmodule c './main.bicep' = {\n  name: 'c'\n}\n",
    "using '../outside/secret.bicep'\nextends '{out}/secret.bicepparam'\n",
    "using './main.bicep'\nparam p = true\n",
    "{\"$schema\":\"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\"contentVersion\":\"1.0.0.0\",\"resources\":[{\"type\":\"Microsoft.Resources/deployments\",\"apiVersion\":\"2022-09-01\",\"name\":\"l\",\"properties\":{\"mode\":\"Incremental\",\"templateLink\":{\"relativePath\":\"../outside/linked.json\"}}},{\"type\":\"Microsoft.Web/sites\",\"apiVersion\":\"2022-03-01\",\"name\":\"w\",\"properties\":{}}]}",
    "*.bicep\n!main.bicep\nsub/\n",
    "x = 1\n",
];

/// The sentinel files outside the root: each would be judged (and fail) if read, and holds a
/// syntax error whose snippet would print the sentinel.
fn sentinels(outside: &Path) -> std::io::Result<()> {
    fs::create_dir_all(outside.join("mod"))?;
    fs::write(
        outside.join("mod/main.tf"),
        format!("resource \"azurerm_linux_web_app\" \"outside\" {{}}\n{SENTINEL} = =\n"),
    )?;
    fs::write(
        outside.join("secret.bicep"),
        format!(
            "resource s 'Microsoft.Web/sites@2022-03-01' = {{\n  name: 's'\n}}\n{SENTINEL} = =\n"
        ),
    )?;
    fs::write(
        outside.join("secret.bicepparam"),
        format!("{SENTINEL} = =\n"),
    )?;
    fs::write(outside.join("linked.json"), format!("{{\"{SENTINEL}\": }}"))?;
    fs::write(outside.join("secret.txt"), SENTINEL)?;
    Ok(())
}

/// Content, inode, mode and modification time of every file under `dir`.
fn fingerprint(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, u64, u32, i64, i64)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            let Ok(metadata) = fs::symlink_metadata(&path) else {
                continue;
            };
            if metadata.is_dir() {
                stack.push(path);
            } else {
                let bytes = fs::read(&path).unwrap_or_default();
                let stamp = (metadata.mtime(), metadata.mtime_nsec());
                out.insert(
                    path,
                    (bytes, metadata.ino(), metadata.mode(), stamp.0, stamp.1),
                );
            }
        }
    }
    out
}

/// Builds the tree `bytes` describe in a fresh temporary directory, scans and fixes it, and
/// checks the invariants (see the module docs).
pub fn tree(bytes: &[u8]) -> Outcome {
    let dir = tempfile::tempdir().map_err(|e| format!("no temporary directory: {e}"))?;
    let base = fs::canonicalize(dir.path()).map_err(|e| e.to_string())?;
    let repo = base.join("repo");
    let outside = base.join("outside");
    let setup = || -> std::io::Result<()> {
        fs::create_dir_all(repo.join(".git"))?;
        sentinels(&outside)?;
        // A literal failing site: whatever else the tree holds, it is reported.
        fs::create_dir_all(repo.join("anchor"))?;
        fs::write(
            repo.join("anchor/main.tf"),
            "resource \"azurerm_linux_web_app\" \"anchor\" {\n  client_certificate_enabled = false\n}\n",
        )
    };
    setup().map_err(|e| format!("cannot build the tree: {e}"))?;
    let mut choices = Choices { bytes };
    let count = 1 + choices.pick(12);
    let mut made: Vec<PathBuf> = Vec::new();
    for _ in 0..count {
        let dir = repo.join(OsStr::from_bytes(DIRS[choices.pick(DIRS.len())]));
        let path = dir.join(OsStr::from_bytes(NAMES[choices.pick(NAMES.len())]));
        if let Some(parent) = path.parent() {
            let _ = fs::create_dir_all(parent);
        }
        if fs::symlink_metadata(&path).is_ok() {
            continue;
        }
        let made_ok = match choices.pick(9) {
            0 | 1 => {
                let text = TEXTS[choices.pick(TEXTS.len())]
                    .replace("{out}", &outside.display().to_string());
                fs::write(&path, text).is_ok()
            }
            2 => symlink(
                outside.join(
                    ["mod/main.tf", "secret.bicep", "linked.json", "secret.txt"][choices.pick(4)],
                ),
                &path,
            )
            .is_ok(),
            3 => symlink(&outside, &path).is_ok(),
            4 => match made.get(choices.pick(made.len().max(1))) {
                Some(target) => symlink(target, &path).is_ok(),
                None => symlink(repo.join("anchor/main.tf"), &path).is_ok(),
            },
            5 => symlink("/dev/zero", &path).is_ok(),
            6 => std::process::Command::new("mkfifo")
                .arg(&path)
                .status()
                .is_ok_and(|s| s.success()),
            7 => symlink(&path, &path).is_ok(),
            _ => symlink("..", &path).is_ok(),
        };
        if made_ok {
            made.push(path);
        }
    }
    let sentinels_before = fingerprint(&outside);

    crate::fs::regular::observe_reads();
    let mut session = Session::new(vec![repo.clone()], Settings::default());
    let mut report = session.scan();
    let plan = plan_fixes(&mut report, &session, Options::default());
    let mut read = crate::fs::regular::observed_reads();

    // Change or remove one planned file before the fixes are written.
    let changed = plan
        .files
        .first()
        .map(|file| (file.path.clone(), choices.pick(2)));
    if let Some((path, how)) = &changed {
        let _ = match how {
            0 => fs::write(path, "# edited meanwhile\n"),
            _ => fs::remove_file(path),
        };
    }
    crate::fs::regular::observe_reads();
    let root = crate::fs::root::ProjectRoot::of_dirs(std::slice::from_ref(&repo));
    for file in &plan.files {
        let _ = crate::fix::write::write_fix(
            &file.path,
            file.original.as_bytes(),
            file.fixed.as_bytes(),
            Some(&root),
        );
    }
    read.extend(crate::fs::regular::observed_reads());

    if let Some(outside_read) = read.iter().find(|path| !path.starts_with(&repo)) {
        return Err(format!(
            "read outside the project root: {}",
            outside_read.display()
        ));
    }
    if fingerprint(&outside) != sentinels_before {
        return Err("a file outside the project root changed".into());
    }
    if let Some((path, how)) = &changed {
        let now = fs::read_to_string(path).ok();
        let expected = (*how == 0).then(|| "# edited meanwhile\n".to_string());
        if now != expected {
            return Err(format!(
                "the edit made to {} before the write was lost",
                path.display()
            ));
        }
    }
    let anchor = report
        .findings
        .iter()
        .any(|f| f.address == "azurerm_linux_web_app.anchor" && f.rule == "client-cert-disabled");
    if !anchor {
        return Err("the literal failing site `anchor` was not reported".into());
    }
    super::check_report(&report)?;
    let style = Style::plain();
    for text in [
        human::render(&report, style),
        crate::report::json::render(&report),
    ] {
        if text.contains(SENTINEL) {
            return Err(format!(
                "text from outside the root reached the output:\n{text}"
            ));
        }
    }
    Ok(())
}
