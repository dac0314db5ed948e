//! The pure entry point: paths in, [`Report`] out. No printing, no exit codes.
//!
//! Stages: discover → read and sniff every file in parallel → group candidates into units of
//! analysis (a Terraform module directory, an ARM template) → parse and judge each unit in
//! parallel → sort.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::discover::discover;
use crate::error::FileError;
use crate::file_kind::FileKind;
use crate::load;
use crate::model::UnitScan;
use crate::report::{ErrorRecord, Finding, Location, Report, ResourceRecord};
use crate::rules;
use crate::source::{LineCol, SourceMap};
use crate::terraform::ModuleFile;

/// Options that change what a scan does. Empty for now: later stages (variable files,
/// parameters, configuration) add theirs here.
#[derive(Debug, Clone, Default)]
pub struct Settings {}

/// One unit of analysis.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Unit {
    /// A directory holding at least one candidate `.tf` / `.tf.json` file.
    TerraformModule(PathBuf),
    /// A `.json` file that may be an ARM template.
    ArmTemplate(PathBuf),
}

/// Scans files and directories and judges every App Service resource found.
pub fn scan(paths: &[PathBuf], _settings: &Settings) -> Report {
    let started = Instant::now();
    let discovery = discover(paths);
    let sources = SourceMap::default();
    let mut errors = discovery.errors;

    let sniffed: Vec<Result<Option<Unit>, FileError>> = discovery
        .files
        .par_iter()
        .map(|(path, kind)| {
            let bytes = load::read_bytes(path)?;
            Ok(load::sniff(*kind, &bytes).then(|| unit_of(path, *kind)))
        })
        .collect();
    let mut units = BTreeSet::new();
    for result in sniffed {
        match result {
            Ok(Some(unit)) => {
                units.insert(unit);
            }
            Ok(None) => {}
            Err(error) => errors.push(error),
        }
    }

    let scans: Vec<UnitScan> = units
        .par_iter()
        .map(|unit| match unit {
            Unit::TerraformModule(dir) => scan_terraform(dir, &sources),
            Unit::ArmTemplate(path) => scan_arm(path, &sources),
        })
        .collect();

    let mut report = Report {
        resources: Vec::new(),
        findings: Vec::new(),
        errors: Vec::new(),
        files_scanned: discovery.files.len(),
        sources,
        elapsed: Default::default(),
    };
    for scan in scans {
        errors.extend(scan.errors);
        for resource in scan.resources {
            judge_into(&mut report, resource);
        }
    }
    report.errors = errors
        .into_iter()
        .map(|error| error_record(&report.sources, error))
        .collect();
    report.sort();
    report.elapsed = started.elapsed();
    report
}

fn unit_of(path: &Path, kind: FileKind) -> Unit {
    if kind.is_terraform() {
        let dir = path.parent().map_or_else(PathBuf::new, Path::to_path_buf);
        Unit::TerraformModule(dir)
    } else {
        Unit::ArmTemplate(path.to_path_buf())
    }
}

/// Reads the whole module directory (every `.tf` and `.tf.json`, whether discovered or not, as
/// Terraform does) and hands it to the Terraform front end.
fn scan_terraform(dir: &Path, sources: &SourceMap) -> UnitScan {
    let mut unit = UnitScan::default();
    let listing = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let entries = match std::fs::read_dir(listing) {
        Ok(entries) => entries,
        Err(error) => {
            unit.errors.push(FileError::unplaced(
                dir,
                format!("cannot list the module directory: {error}"),
            ));
            return unit;
        }
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
        .map(|entry| dir.join(entry.file_name()))
        .filter(|path| FileKind::of(path).is_some_and(FileKind::is_terraform))
        .collect();
    paths.sort();
    let mut files = Vec::new();
    for path in paths {
        match load::read_bytes(&path).and_then(|bytes| load::decode(&path, bytes, sources)) {
            Ok(source) => {
                let id = sources.add(source);
                files.push(ModuleFile {
                    id,
                    source: sources.get(id),
                });
            }
            Err(error) => unit.errors.push(error),
        }
    }
    let mut scanned = crate::terraform::scan_module(&files);
    unit.errors.append(&mut scanned.errors);
    unit.resources = scanned.resources;
    unit
}

fn scan_arm(path: &Path, sources: &SourceMap) -> UnitScan {
    match load::read_bytes(path).and_then(|bytes| load::decode(path, bytes, sources)) {
        Ok(source) => {
            let id = sources.add(source);
            crate::arm::scan_file(id, &sources.get(id))
        }
        Err(error) => UnitScan {
            resources: Vec::new(),
            errors: vec![error],
        },
    }
}

fn judge_into(report: &mut Report, resource: crate::model::Resource) {
    let verdict = rules::judge(&resource);
    report.resources.push(ResourceRecord {
        address: resource.address.clone(),
        resource_type: resource.resource_type.clone(),
        kind: resource.kind_id(),
        location: Location::of(&report.sources, resource.header),
        verdict: verdict.as_ref().map_or("pass", |(rule, _)| rule.id),
        severity: verdict.as_ref().map(|(rule, _)| rule.severity),
    });
    if let Some((rule, violation)) = verdict {
        report.findings.push(Finding {
            rule: rule.id,
            severity: rule.severity,
            message: violation.message,
            help: violation.help,
            address: resource.address,
            location: Location::of(&report.sources, violation.span),
            span: violation.span,
            label: violation.label,
            origin: violation.origin,
        });
    }
}

fn error_record(sources: &SourceMap, error: FileError) -> ErrorRecord {
    let start = error.span.map_or(LineCol { line: 1, column: 1 }, |span| {
        sources.line_col(span).0
    });
    ErrorRecord {
        path: error.path,
        span: error.span,
        start,
        message: error.message,
    }
}
