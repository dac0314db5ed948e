//! Explicit-file runs (pre-commit, editors): scan the given files' units, report only the
//! findings those files are responsible for.
//!
//! The rule: when EVERY path argument is a file (on disk, or an in-memory override such as
//! `--stdin-filename`), the report keeps only the findings located in one of those files or
//! whose value's origin chain passes through one (a `.tfvars` value, a module input, a
//! parameter file), the resources located in those files or named by a kept finding, and the
//! errors and notices of those files. With any directory among the arguments nothing is
//! filtered. The rest of each unit (the module directory, its automatic tfvars, sibling ARM
//! parameter files, a Bicep file's `using` target) is still read for values.
//!
//! A parameter file alone names no resource, so its directory's templates are scanned too:
//! a `.tfvars` / `.tfvars.json` adds the Terraform files beside it (and, when Terraform would
//! not load it by itself, is applied like `--var-file`); an ARM parameter file adds the JSON
//! files beside it (its sibling templates take it as a scenario).

use std::borrow::Cow;
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use crate::file_kind::FileKind;
use crate::fs::{FileSystem, Kind};
use crate::paths::normalize;
use crate::report::{Finding, Report};
use crate::terraform::Inputs;

/// The explicit files of a run whose arguments are all files, with the paths and Terraform
/// inputs the scan should use (parameter files widened to the templates they feed).
#[derive(Debug)]
pub struct Subset<'a> {
    /// The given files, normalised: the only places findings are reported for.
    pub files: BTreeSet<PathBuf>,
    pub paths: Cow<'a, [PathBuf]>,
    /// The Terraform inputs, with the given `.tfvars` files Terraform would not load by
    /// itself added as `-var-file`s.
    pub inputs: Cow<'a, Inputs>,
}

impl<'a> Subset<'a> {
    /// `None` when any argument is a directory (or missing): then the whole scan is reported.
    /// `overrides` are contents in memory (an unsaved buffer counts as a file).
    pub fn of(
        paths: &'a [PathBuf],
        overrides: &crate::load::Overrides,
        inputs: &'a Inputs,
    ) -> Option<Subset<'a>> {
        let disk = crate::fs::DiskFs::unbounded();
        Subset::within(
            paths,
            &crate::fs::OverlayFs::new(&disk, Some(overrides)),
            inputs,
        )
    }

    /// [`Subset::of`] in `fs`, which holds the contents in memory too.
    pub fn within(
        paths: &'a [PathBuf],
        fs: &dyn FileSystem,
        inputs: &'a Inputs,
    ) -> Option<Subset<'a>> {
        if paths.is_empty() {
            return None;
        }
        if !paths.iter().all(|path| fs.is_file(path)) {
            return None;
        }
        let files: BTreeSet<PathBuf> = paths.iter().map(|p| normalize(p)).collect();
        let mut extra_paths = Vec::new();
        let mut extra_var_files = Vec::new();
        for path in paths {
            let wanted: fn(FileKind) -> bool = match FileKind::of(path) {
                Some(FileKind::TerraformVars | FileKind::TerraformVarsJson) => {
                    if !loaded_by_terraform(&file_name(path))
                        && !inputs
                            .var_files
                            .iter()
                            .any(|v| normalize(v) == normalize(path))
                    {
                        extra_var_files.push(path.clone());
                    }
                    FileKind::is_terraform
                }
                Some(FileKind::Json) if is_arm_parameters(path, fs) => FileKind::is_json,
                _ => continue,
            };
            extra_paths
                .extend(siblings(fs, path, wanted).filter(|s| !files.contains(&normalize(s))));
        }
        let paths = if extra_paths.is_empty() {
            Cow::Borrowed(paths)
        } else {
            let mut all = paths.to_vec();
            all.extend(extra_paths);
            all.sort();
            all.dedup();
            Cow::Owned(all)
        };
        let inputs = if extra_var_files.is_empty() {
            Cow::Borrowed(inputs)
        } else {
            let mut owned = inputs.clone();
            owned.var_files.extend(extra_var_files);
            Cow::Owned(owned)
        };
        Some(Subset {
            files,
            paths,
            inputs,
        })
    }

    /// Drops from `report` everything the given files are not responsible for; `config` is
    /// `--config`, whose errors are always kept.
    pub fn restrict(&self, report: &mut Report, config: Option<&Path>) {
        // The resources a named file declares or feeds keep their findings wherever those
        // point (an override file, say), so that every kept resource's status has its finding.
        let declared: HashSet<usize> = report
            .resources
            .iter()
            .filter(|r| {
                self.contains(&r.location.path)
                    || r.value_files.iter().any(|file| self.contains(file))
            })
            .map(|r| r.group)
            .collect();
        let touches = |finding: &Finding| {
            self.contains(&finding.location.path)
                || finding.group().is_some_and(|g| declared.contains(&g))
                || finding
                    .origin
                    .iter()
                    .any(|o| self.contains(report.sources.get(o.span.file).path()))
        };
        let keep: Vec<bool> = report.findings.iter().map(touches).collect();
        let keep_suppressed: Vec<bool> = report.suppressed.iter().map(touches).collect();
        let mut flags = keep.into_iter();
        report.findings.retain(|_| flags.next().unwrap_or(false));
        let mut flags = keep_suppressed.into_iter();
        report.suppressed.retain(|_| flags.next().unwrap_or(false));
        // Matched by the judged declaration, never by address: two files may declare the same.
        let named: HashSet<usize> = report
            .findings
            .iter()
            .chain(&report.suppressed)
            .filter_map(Finding::group)
            .collect();
        report
            .resources
            .retain(|r| declared.contains(&r.group) || named.contains(&r.group));
        // A given file's directory that cannot be listed hides the rest of its unit, and a
        // broken config changes every verdict: keep their errors.
        report.errors.retain(|e| {
            self.contains(&e.path)
                || self.is_directory_of_a_file(&e.path)
                || crate::config::is_config_path(&e.path, config)
                || is_command_line(&e.path)
        });
        report.notices.retain(|e| self.contains(&e.path));
    }

    fn contains(&self, path: &Path) -> bool {
        self.files.contains(&normalize(path))
    }

    fn is_directory_of_a_file(&self, path: &Path) -> bool {
        let path = normalize(path);
        self.files
            .iter()
            .any(|file| file.parent() == Some(path.as_path()))
    }
}

/// Whether an error is about a `--var` or `TF_VAR_` value, which every file of the run reads.
fn is_command_line(path: &Path) -> bool {
    use crate::terraform::{COMMAND_LINE, ENVIRONMENT};
    path == Path::new(COMMAND_LINE) || path == Path::new(ENVIRONMENT)
}

/// Whether Terraform loads this tfvars file of a root module by itself (then it must not be
/// applied a second time as `--var-file`).
fn loaded_by_terraform(name: &str) -> bool {
    name == "terraform.tfvars"
        || name == "terraform.tfvars.json"
        || name.ends_with(".auto.tfvars")
        || name.ends_with(".auto.tfvars.json")
}

/// The file name as Terraform compares it: exactly as written.
fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Whether a `.json` file is an ARM parameter file ([`FileKind::of_json`]), reading the buffer
/// when there is one.
fn is_arm_parameters(path: &Path, fs: &dyn FileSystem) -> bool {
    let Ok(bytes) = fs.read(path) else {
        return false;
    };
    let text = String::from_utf8_lossy(&bytes);
    crate::json::parse(text.strip_prefix('\u{feff}').unwrap_or(&text))
        .is_ok_and(|doc| FileKind::of_json(&doc.root) == FileKind::ArmParameters)
}

/// The files beside `path` (not recursive) whose kind is `wanted`.
fn siblings(
    fs: &dyn FileSystem,
    path: &Path,
    wanted: fn(FileKind) -> bool,
) -> impl Iterator<Item = PathBuf> {
    let dir = path.parent().unwrap_or(Path::new(""));
    let entries = fs.list(dir).map(|l| l.entries).unwrap_or_default();
    entries
        .into_iter()
        .filter(move |(p, kind)| *kind == Kind::File && FileKind::of(p).is_some_and(wanted))
        .map(|(p, _)| p)
        .map(move |p| {
            // Keep the argument's own spelling of the directory (`./x` vs `x`).
            match (path.parent(), p.file_name()) {
                (Some(parent), Some(name)) => parent.join(name),
                _ => p,
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Overrides;
    #[test]
    fn a_directory_among_the_arguments_disables_the_filter() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("main.tf");
        std::fs::write(&file, "").unwrap();
        let (overrides, inputs) = (Overrides::default(), Inputs::default());
        let paths = vec![file.clone(), dir.path().to_path_buf()];
        assert!(Subset::of(&paths, &overrides, &inputs).is_none());
        let paths = vec![file.clone()];
        let subset = Subset::of(&paths, &overrides, &inputs).unwrap();
        assert!(subset.contains(&file));
    }

    #[test]
    fn an_override_counts_as_a_file_and_a_missing_path_does_not() {
        let mut overrides = Overrides::default();
        overrides.insert(normalize(Path::new("unsaved/main.tf")), String::new());
        let inputs = Inputs::default();
        let paths = vec![PathBuf::from("unsaved/main.tf")];
        assert!(Subset::of(&paths, &overrides, &inputs).is_some());
        let paths = vec![PathBuf::from("no/such/file.tf")];
        assert!(Subset::of(&paths, &Overrides::default(), &inputs).is_none());
    }

    #[test]
    fn a_non_automatic_tfvars_file_is_applied_and_widened_to_its_module() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["main.tf", "variables.tf", "prod.tfvars", "terraform.tfvars"] {
            std::fs::write(dir.path().join(name), "").unwrap();
        }
        let prod = dir.path().join("prod.tfvars");
        let auto = dir.path().join("terraform.tfvars");
        let paths = vec![prod.clone(), auto.clone()];
        let inputs = Inputs::default();
        let subset = Subset::of(&paths, &Overrides::default(), &inputs).unwrap();
        assert_eq!(subset.inputs.var_files, vec![prod]);
        assert_eq!(subset.paths.len(), 4);
    }
}
