//! The pure entry point: paths in, [`Report`] out. No printing, no exit codes.
//!
//! Stages: discover → read and sniff every file in parallel → hand the interesting files to
//! each front end (which reads the rest of its units through the shared [`Loader`]) → judge
//! every resource → sort.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use crate::config::Config;
use crate::discover::discover;
use crate::error::{FileError, Level};
use crate::file_kind::FileKind;
use crate::load::{self, Loader};
use crate::model::{Resource, UnitScan};
use crate::report::{ErrorRecord, Finding, Location, Report, ResourceRecord};
use crate::rules::{self, Rule, Severity, Violation};
use crate::sniff::Interest;
use crate::source::{LineCol, SourceMap};

mod session;
pub use session::Session;

/// Options that change what a scan computes. The CLI fills them; the scan reads no environment.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// `--fail-on`: the least severe finding that fails the run; `None`: the configs decide
    /// (`fail-on`), else errors only.
    pub fail_on: Option<crate::rules::Severity>,
    /// Terraform's `-var-file`, `-var` and `TF_VAR_` inputs.
    pub terraform: crate::terraform::Inputs,
    /// ARM / Bicep parameter files given explicitly; each is a deployment scenario.
    pub scenarios: crate::arm::Scenarios,
    /// Contents to scan instead of what is on disk (by normalised path): how `--fix` re-checks
    /// its edits before writing them.
    pub overrides: load::Overrides,
    /// `--config FILE`: used for every scanned file instead of the nearest `certgate.toml`.
    pub config_file: Option<PathBuf>,
    /// `--project-root DIR`: the only directory read in (see [`crate::root`]); `None` finds
    /// it per scanned path.
    pub project_root: Option<PathBuf>,
    /// The date exceptions expire against. `None` reads today's date (UTC); tests and the
    /// fixture harness set it so results do not depend on the clock.
    pub today: Option<crate::suppress::Date>,
    /// The `expires-soon` window of the exceptions listing, in days (default 30).
    pub soon_days: Option<i64>,
    /// What an earlier scan of the same paths found ([`Scanned::cache`]): a re-scan with
    /// some contents overridden reads and searches only the files that changed. Ignored when
    /// the paths or `--config` differ.
    pub reuse: Option<Arc<Cache>>,
    /// Whether the cache also keeps the parsed Terraform modules, so that a re-scan parses
    /// only what changed. They stay in memory as long as the cache does: only a scan that
    /// will be repeated ([`Session`]) keeps them.
    pub keep_parsed: bool,
    /// The file system to read instead of the disk (tests, the fuzz harness); `None` reads
    /// the disk inside the project root.
    pub fs: Option<Arc<dyn crate::fs::FileSystem>>,
}

/// A scan's report, and beside it what the scan found on the way, for a re-scan to reuse.
#[derive(Debug)]
pub struct Scanned {
    pub report: Report,
    /// Discovery and byte search results (pass as [`Settings::reuse`]).
    pub cache: Arc<Cache>,
}

/// What discovery and the byte search found in one scan: which files there are and what each
/// can contribute. `--fix` checks its edits by scanning again with the fixed texts overridden;
/// that scan takes this over (see [`Settings::reuse`]) and reads again only the files whose
/// contents changed. On a large repository walking, reading and searching every file is about
/// half the cost of a scan.
#[derive(Debug)]
pub struct Cache {
    /// The paths scanned (explicit files widened as [`crate::subset`] does) and `--config`.
    paths: Vec<PathBuf>,
    config_file: Option<PathBuf>,
    /// The contents that stood in for files.
    overrides: load::Overrides,
    /// Every discovered file, sorted, and the paths that could not be walked.
    files: Arc<Vec<(PathBuf, FileKind)>>,
    discovery_errors: Vec<FileError>,
    /// What each file of `files` holds, in the same order; `None` for a file a config
    /// excludes.
    found: Vec<Option<Result<Found, FileError>>>,
    /// The files the scan loaded, by id, and the Terraform modules parsed from them: a re-scan
    /// starts its source map with these files so it can take over every module whose
    /// directory did not change instead of parsing it again.
    sources: Vec<Arc<crate::source::SourceFile>>,
    terraform: crate::terraform::Memo,
}

impl Cache {
    /// Whether a scan of `paths` with `settings` can take this over: the same paths and
    /// config, and every path named is read from the same place (disk or memory).
    fn fits(&self, paths: &[PathBuf], settings: &Settings) -> bool {
        self.paths == paths
            && self.config_file == settings.config_file
            && paths.iter().all(|path| {
                let key = load::normalize(path);
                self.overrides.contains_key(&key) == settings.overrides.contains_key(&key)
            })
    }

    /// The normalised paths whose contents differ between this scan and `overrides`.
    fn changed(&self, overrides: &load::Overrides) -> BTreeSet<PathBuf> {
        let differs = |key: &PathBuf| self.overrides.get(key) != overrides.get(key);
        self.overrides
            .keys()
            .chain(overrides.keys())
            .filter(|key| differs(key))
            .cloned()
            .collect()
    }
}

/// What reading and sniffing one discovered file found.
#[derive(Debug, Clone)]
struct Found {
    interest: Option<Interest>,
    /// An ARM template that `bicep build` generated.
    generated: bool,
    /// A Bicep file's outline: the Bicep front end decides from it which files to parse.
    bicep: Option<crate::bicep::outline::Outline>,
    /// A Terraform file's outline: which module calls it makes.
    terraform: Option<crate::terraform::Outline>,
}

/// Reads one file and searches it for what it can contribute.
fn sniff_file(loader: &Loader, path: &Path, kind: FileKind) -> Result<Found, FileError> {
    let bytes = loader.read_bytes(path)?;
    let interest = load::sniff(kind, &bytes);
    // A file naming no type and calling no module has the empty outline.
    let terraform = kind.is_terraform().then(|| match interest {
        Some(_) => crate::terraform::Outline::of(kind, &bytes),
        None => crate::terraform::Outline::default(),
    });
    Ok(Found {
        interest,
        generated: interest == Some(Interest::ArmTemplate)
            && crate::bicep::outline::generated_by_bicep(&bytes),
        bicep: (kind == FileKind::Bicep).then(|| crate::bicep::Known::outline(&bytes)),
        terraform,
    })
}

/// Whether a discovered file counts as scanned in the summary: a file read to find sites.
/// Terraform and Bicep files always are; JSON only when it is an ARM template or a plan (a
/// parameter file, a baseline or a `package.json` is not); a `.bicepparam` file only feeds
/// values, and a file that could not be read is an error instead.
fn searched_for_sites(kind: FileKind, found: Option<&Result<Found, FileError>>) -> bool {
    match found {
        Some(Ok(found)) => match kind {
            FileKind::Terraform | FileKind::TerraformJson | FileKind::Bicep => true,
            FileKind::Json => found.interest.is_some(),
            FileKind::BicepParams
            | FileKind::TerraformVars
            | FileKind::TerraformVarsJson
            | FileKind::ArmParameters => false,
        },
        _ => false,
    }
}

/// Scans files and directories and judges every App Service resource found.
pub fn scan(paths: &[PathBuf], settings: &Settings) -> Report {
    scan_cached(paths, settings).report
}

/// [`scan`], also returning what it found on the way for a re-scan to reuse.
pub fn scan_cached(paths: &[PathBuf], settings: &Settings) -> Scanned {
    // On workers with deep stacks: the recursive parsers need more than rayon's default.
    crate::workers::install(|| scan_on_workers(paths, settings))
}

/// The project root of a scan of `paths` with `settings`: where it may read (and `--fix`
/// write), and the scanned paths outside an explicit root.
pub fn project_root(paths: &[PathBuf], settings: &Settings) -> crate::root::Chosen {
    let named: Vec<PathBuf> = settings
        .terraform
        .var_files
        .iter()
        .chain(&settings.scenarios.parameter_files)
        .cloned()
        .collect();
    crate::root::ProjectRoot::detect(
        paths,
        settings.project_root.as_deref(),
        settings.config_file.as_deref(),
        &named,
    )
}

fn scan_on_workers(paths: &[PathBuf], settings: &Settings) -> Scanned {
    // Where reading is allowed; scanned paths outside an explicit root are not scanned.
    let chosen = project_root(paths, settings);
    let root = Arc::new(chosen.root);
    let kept: Vec<PathBuf>;
    let paths = if chosen.outside.is_empty() {
        paths
    } else {
        kept = paths
            .iter()
            .filter(|p| chosen.outside.iter().all(|(outside, _)| outside != *p))
            .cloned()
            .collect();
        &kept[..]
    };
    let root_errors: Vec<FileError> = chosen.outside.into_iter().map(|(_, e)| e).collect();
    // Only files given: read their units, report only what those files cause.
    let disk = crate::fs::DiskFs::unbounded();
    let below: &dyn crate::fs::FileSystem = settings.fs.as_deref().unwrap_or(&disk);
    let explicit = crate::fs::OverlayFs::new(below, Some(&settings.overrides));
    let subset = crate::subset::Subset::within(paths, &explicit, &settings.terraform);
    let widened: Settings;
    let (paths, settings) = match &subset {
        Some(subset) => match &subset.inputs {
            Cow::Borrowed(_) => (&subset.paths[..], settings),
            Cow::Owned(inputs) => {
                widened = Settings {
                    terraform: inputs.clone(),
                    ..settings.clone()
                };
                (&subset.paths[..], &widened)
            }
        },
        None => (paths, settings),
    };
    let started = Instant::now();
    let reuse = settings
        .reuse
        .as_deref()
        .filter(|cache| cache.fits(paths, settings));
    let sources = reuse.map_or_else(SourceMap::default, |c| SourceMap::from(c.sources.clone()));
    let loader = Loader::with_overrides(&sources, &settings.overrides).within(&root);
    let loader = match settings.fs.as_deref() {
        Some(fs) => loader.on(fs),
        None => loader,
    };
    let (files, discovery_errors) = match reuse {
        Some(cache) => (cache.files.clone(), cache.discovery_errors.clone()),
        None => {
            let discovery = discover(paths, &settings.overrides, &loader.fs());
            (Arc::new(discovery.files), discovery.errors)
        }
    };
    let mut errors = discovery_errors.clone();
    errors.extend(root_errors);
    let mut configs = crate::policy::Configs::new(&loader, settings.config_file.as_deref());
    // Every file of a directory has the same nearest config; the files come sorted, so the
    // config is looked up (with a file-system probe per ancestor) once per directory.
    let mut last_dir: Option<(&Path, Arc<Config>)> = None;
    let included: Vec<bool> = files
        .iter()
        .map(|(path, _)| {
            let dir = path.parent().unwrap_or(Path::new(""));
            let config = match &last_dir {
                Some((known, config)) if *known == dir => config.clone(),
                _ => {
                    let lookup = if dir.as_os_str().is_empty() {
                        Path::new(".")
                    } else {
                        dir
                    };
                    let config = configs.for_path(lookup);
                    last_dir = Some((dir, config.clone()));
                    config
                }
            };
            !config.is_excluded(path)
        })
        .collect();

    let changed = reuse.map(|cache| cache.changed(&settings.overrides));
    let found: Vec<Option<Result<Found, FileError>>> = (0..files.len())
        .into_par_iter()
        .map(|i| {
            if !included[i] {
                return None;
            }
            let (path, kind) = &files[i];
            if let (Some(cache), Some(changed)) = (reuse, &changed) {
                let unchanged = changed.is_empty() || !changed.contains(&load::normalize(path));
                if let Some(Some(known)) = cache.found.get(i).filter(|_| unchanged) {
                    return Some(known.clone());
                }
            }
            Some(sniff_file(&loader, path, *kind))
        })
        .collect();
    let files_scanned = files
        .iter()
        .zip(&found)
        .filter(|((_, kind), found)| searched_for_sites(*kind, found.as_ref()))
        .count();
    let mut terraform_dirs = BTreeSet::new();
    let mut templates = Vec::new();
    let mut plans = Vec::new();
    let mut bicep = Vec::new();
    let mut generated = Vec::new();
    let mut bicep_dirs = BTreeSet::new();
    let mut bicep_known = crate::bicep::Known::default();
    let mut terraform_known = crate::terraform::Known::default();
    for ((path, _), result) in files.iter().zip(&found) {
        let sniffed = match result {
            None => continue,
            Some(Ok(sniffed)) => sniffed,
            Some(Err(error)) => {
                errors.push(error.clone());
                continue;
            }
        };
        if let Some(outline) = &sniffed.bicep {
            bicep_known.add(path, outline.clone());
        }
        if let Some(outline) = &sniffed.terraform {
            terraform_known.add(path, outline.clone());
        }
        match sniffed.interest {
            Some(Interest::TerraformModule) => {
                terraform_dirs.insert(path.parent().map_or_else(PathBuf::new, load::normalize));
            }
            Some(Interest::ArmTemplate) if sniffed.generated => generated.push(path.to_path_buf()),
            Some(Interest::ArmTemplate) => templates.push(path.to_path_buf()),
            Some(Interest::TerraformPlan) => plans.push(path.to_path_buf()),
            Some(interest @ (Interest::BicepFile | Interest::BicepParams)) => {
                if interest == Interest::BicepFile {
                    bicep_dirs.insert(path.parent().map_or_else(PathBuf::new, load::normalize));
                }
                bicep.push(path.to_path_buf());
            }
            None => {}
        }
    }
    let mut cache = Cache {
        paths: paths.to_vec(),
        config_file: settings.config_file.clone(),
        overrides: settings.overrides.clone(),
        files,
        discovery_errors,
        found,
        sources: Vec::new(),
        terraform: Default::default(),
    };
    let mut parsed = match (reuse, &changed) {
        (Some(reused), Some(changed)) => reused.terraform.unchanged(changed, &terraform_known),
        _ => Default::default(),
    };
    // A template that `bicep build` generated from a Bicep file next to it is judged through
    // that Bicep source, where a fix belongs, so each site is reported once.
    templates.extend(generated.into_iter().filter(|template| {
        !bicep_dirs.contains(&template.parent().map_or_else(PathBuf::new, load::normalize))
    }));
    // A plan is the resolved truth of the configuration it sits next to: judge that directory
    // through its plan only, so each resource is reported once.
    let plan_dirs: BTreeSet<PathBuf> = plans
        .iter()
        .map(|plan| plan.parent().map_or_else(PathBuf::new, load::normalize))
        .collect();
    // Directories that only call helper modules declare no site: they are not parsed.
    let terraform_dirs = crate::terraform::relevant_dirs(
        terraform_dirs.into_iter().collect(),
        terraform_known,
        &loader,
        &mut parsed,
    );

    let ((terraform, bicep), (arm, plan)) = rayon::join(
        || {
            rayon::join(
                || {
                    crate::terraform::scan_project(
                        &terraform_dirs,
                        &plan_dirs,
                        &loader,
                        &settings.terraform,
                        parsed,
                        settings.keep_parsed,
                    )
                },
                || crate::bicep::scan_files(&bicep, &bicep_known, &loader, &settings.scenarios),
            )
        },
        || {
            rayon::join(
                || crate::arm::scan_templates(&templates, &loader, &settings.scenarios),
                || crate::plan::scan_plans(&plans, &loader),
            )
        },
    );

    let (terraform, parsed) = terraform;
    let mut resources = Vec::new();
    for unit in [terraform, arm, plan, bicep] {
        let UnitScan {
            resources: found,
            errors: unit_errors,
        } = unit;
        resources.extend(found);
        errors.extend(unit_errors);
    }
    // Out-of-scope kinds are not checked at all.
    resources.retain(|resource| {
        let path = sources.get(resource.header.file).path().to_path_buf();
        configs
            .for_path(&path)
            .scope
            .includes(resource.kind, resource.is_slot)
    });
    let mut config_by_file: HashMap<PathBuf, Arc<Config>> = HashMap::new();
    for resource in &resources {
        let path = sources.get(resource.header.file).path().to_path_buf();
        if let std::collections::hash_map::Entry::Vacant(slot) = config_by_file.entry(path) {
            let config = configs.for_path(slot.key());
            slot.insert(config);
        }
    }
    let all_configs: Vec<Arc<Config>> = configs.all().cloned().collect();
    drop(configs);
    // A module taken over skips its directory's reads, and so the errors they record.
    let read_errors = loader.into_errors();
    cache.terraform = parsed.without_errors_in(read_errors.iter().map(|e| e.path.as_path()));
    errors.extend(read_errors);
    let defaults = Arc::new(Config::default());
    let config_of = |path: &Path| -> Arc<Config> {
        if let Some(explicit) = &settings.config_file {
            return all_configs
                .iter()
                .find(|c| c.source.as_deref() == Some(explicit.as_path()))
                .cloned()
                .unwrap_or_else(|| defaults.clone());
        }
        // A config file governs itself (for its unused `[[exception]]` entries).
        config_by_file
            .get(path)
            .or_else(|| {
                all_configs
                    .iter()
                    .find(|c| c.source.as_deref() == Some(path))
            })
            .cloned()
            .unwrap_or_else(|| defaults.clone())
    };

    let mut report = Report {
        resources: Vec::new(),
        findings: Vec::new(),
        errors: Vec::new(),
        notices: Vec::new(),
        files_scanned,
        sources,
        elapsed: Default::default(),
        groups: Vec::new(),
        fixed: None,
        suppressed: Vec::new(),
        ledger: None,
        baseline: None,
        // `--fail-on` wins; else any governing certgate.toml that says `fail-on = "warning"`.
        fail_on: settings.fail_on.unwrap_or_else(|| {
            all_configs
                .iter()
                .filter_map(|c| c.fail_on)
                .min()
                .unwrap_or(crate::rules::Severity::Error)
        }),
    };
    for group in instance_groups(resources) {
        let path = report
            .sources
            .get(group[0].header.file)
            .path()
            .to_path_buf();
        judge_group(&mut report, &group, &config_of(&path));
        report.groups.push(group);
    }
    let today = settings.today.unwrap_or_else(crate::suppress::date::today);
    let mut ledger = crate::suppress::ledger::Ledger::new(today).with_soon_days(
        settings
            .soon_days
            .unwrap_or(crate::suppress::date::DEFAULT_SOON_DAYS),
    );
    for config in &all_configs {
        ledger.add_config(config);
    }
    let judged: Vec<&Resource> = report.groups.iter().flatten().collect();
    let invalid = crate::policy::register_inline(&report, &judged, &config_of, &mut ledger);
    crate::policy::apply(&mut report, &mut ledger, &config_of);
    report.findings.extend(invalid);
    report.ledger = Some(ledger);
    for error in errors {
        let record = error_record(&report.sources, &error);
        match error.level {
            Level::Error => report.errors.push(record),
            Level::Notice => report.notices.push(record),
        }
    }
    report.dedup_errors();
    if let Some(subset) = &subset {
        subset.restrict(&mut report, settings.config_file.as_deref());
    }
    report.sort();
    report.elapsed = started.elapsed();
    cache.sources = report.sources.snapshot();
    Scanned {
        report,
        cache: Arc::new(cache),
    }
}

/// Groups the instances of one declaration (same address, scenario and header) so the
/// declaration gets one verdict; the order of first appearance is kept.
fn instance_groups(resources: Vec<Resource>) -> Vec<Vec<Resource>> {
    let mut groups: Vec<Vec<Resource>> = Vec::new();
    let mut index: std::collections::HashMap<_, usize> = std::collections::HashMap::new();
    for resource in resources {
        let key = (
            resource.address.clone(),
            resource.scenario.clone(),
            resource.header,
        );
        match index.get(&key) {
            Some(&i) => groups[i].push(resource),
            None => {
                index.insert(key, groups.len());
                groups.push(vec![resource]);
            }
        }
    }
    groups
}

/// The files the group's judged values were written in (the first hop of each origin).
fn value_files(sources: &SourceMap, group: &[Resource]) -> Vec<PathBuf> {
    let files: BTreeSet<PathBuf> = group
        .iter()
        .flat_map(|r| [&r.enabled, &r.mode, &r.exclusion_paths])
        .flatten()
        .filter_map(|value| value.origin.first())
        .map(|origin| sources.get(origin.span.file).path().to_path_buf())
        .collect();
    files.into_iter().collect()
}

/// Judges every instance of a declaration; the declaration's verdict is its worst instance's
/// (errors before warnings, first instance first), and the message names that instance.
/// The group is then kept in `report.groups`, where the finding's `group` index points.
fn judge_group(report: &mut Report, group: &[Resource], config: &Config) {
    let total = group.len();
    // A rule the config turns off gives no verdict; the others get the config's severity.
    let verdicts: Vec<Option<(&'static Rule, Severity, Violation)>> = group
        .iter()
        .map(|resource| {
            let (rule, violation) = rules::judge(resource)?;
            let severity = crate::policy::severity(config, rule.id)?;
            Some((rule, severity, violation))
        })
        .collect();
    let failing = verdicts.iter().filter(|v| v.is_some()).count();
    let worst = verdicts
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.as_ref().map(|(_, severity, _)| (*severity, i)))
        .min()
        .map(|(_, i)| i);
    let chosen = worst.unwrap_or(0);
    let resource = &group[chosen];
    let verdict = verdicts.into_iter().nth(chosen).flatten();
    report.resources.push(ResourceRecord {
        address: resource.address.clone(),
        resource_type: resource.resource_type.clone(),
        kind: resource.kind_id(),
        scenario: resource.scenario.clone(),
        location: Location::of(&report.sources, resource.header),
        verdict: verdict
            .as_ref()
            .map_or("pass", |(rule, _, _)| rule.id.as_str()),
        severity: verdict.as_ref().map(|(_, severity, _)| *severity),
        value_files: value_files(&report.sources, group),
        group: report.groups.len(),
    });
    let Some((rule, severity, violation)) = verdict else {
        return;
    };
    // Values quoted anywhere in the front ends (a name, an expression) are cut here, once.
    let clip = |text: String| crate::quote::clip_within(&text).into_owned();
    let mut message = clip(violation.message);
    if let Some(instance) = resource.instance.as_ref().filter(|_| total > 1) {
        let instance = crate::quote::clip(instance);
        message.push_str(&format!(
            " (instance `{instance}`; {failing} of {total} instances fail)"
        ));
    }
    if let Some(scenario) = &resource.scenario {
        message.push_str(&format!(" [scenario {scenario}]"));
    }
    report.findings.push(Finding {
        rule: rule.id,
        severity,
        message,
        help: clip(violation.help),
        address: resource.address.clone(),
        scenario: resource.scenario.clone(),
        location: Location::of(&report.sources, violation.span),
        span: violation.span,
        label: clip(violation.label),
        origin: violation
            .origin
            .into_iter()
            .map(|step| crate::model::Origin {
                note: clip(step.note),
                ..step
            })
            .collect(),
        subject: crate::report::Subject::Resource {
            group: report.groups.len(),
        },
        fix: Default::default(),
        suppressed: None,
        note: None,
    });
}

fn error_record(sources: &SourceMap, error: &FileError) -> ErrorRecord {
    let start = error.span.map_or(LineCol { line: 1, column: 1 }, |span| {
        sources.line_col(span).0
    });
    // Shown like the paths of findings, which the loader normalises (`./x/main.tf` → `x/main.tf`).
    let path = load::normalize(&error.path);
    ErrorRecord {
        path: if path.as_os_str().is_empty() {
            error.path.clone()
        } else {
            path
        },
        span: error.span,
        start,
        message: crate::quote::clip_within(&error.message).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdicts(report: &Report) -> Vec<(String, &'static str)> {
        let mut verdicts: Vec<_> = report
            .resources
            .iter()
            .map(|r| (r.address.clone(), r.verdict))
            .collect();
        verdicts.sort();
        verdicts
    }

    #[test]
    fn a_rescan_taking_the_cache_over_reads_what_changed() {
        let dir = tempfile::tempdir().unwrap();
        let root = load::normalize(dir.path());
        let write = |name: &str, text: &str| {
            std::fs::create_dir_all(root.join(name).parent().unwrap()).unwrap();
            std::fs::write(root.join(name), text).unwrap();
        };
        write(
            "a/main.tf",
            "resource \"azurerm_storage_account\" \"s\" {}\n",
        );
        write(
            "b/main.tf",
            "resource \"azurerm_linux_web_app\" \"b\" {\n  client_certificate_enabled = false\n}\n",
        );
        let paths = vec![root.clone()];
        let settings = Settings::default();
        let first = scan_cached(&paths, &settings);
        assert_eq!(verdicts(&first.report).len(), 1);
        // One file gains a site (its search result changes), the other is fixed.
        let mut overrides = load::Overrides::new();
        overrides.insert(
            root.join("a/main.tf"),
            "resource \"azurerm_windows_web_app\" \"a\" {}\n".to_string(),
        );
        overrides.insert(
            root.join("b/main.tf"),
            "resource \"azurerm_linux_web_app\" \"b\" {\n  client_certificate_enabled = true\n}\n"
                .to_string(),
        );
        let fresh = scan(
            &paths,
            &Settings {
                overrides: overrides.clone(),
                ..Settings::default()
            },
        );
        let reused = scan(
            &paths,
            &Settings {
                overrides,
                reuse: Some(first.cache.clone()),
                ..Settings::default()
            },
        );
        assert_eq!(verdicts(&fresh).len(), 2);
        assert_eq!(verdicts(&reused), verdicts(&fresh));
        assert_eq!(reused.files_scanned, fresh.files_scanned);
        // Other paths do not take it over.
        let other = scan(
            &[root.join("b")],
            &Settings {
                reuse: Some(first.cache.clone()),
                ..Settings::default()
            },
        );
        assert_eq!(verdicts(&other), verdicts(&first.report));
        assert_eq!(other.files_scanned, 1);
    }

    /// Errors and notices as they are printed: where and what, never a file id.
    fn errors(report: &Report) -> Vec<(PathBuf, LineCol, String)> {
        let mut errors: Vec<_> = report
            .errors
            .iter()
            .chain(&report.notices)
            .map(|e| (e.path.clone(), e.start, e.message.clone()))
            .collect();
        errors.sort();
        errors
    }

    #[test]
    fn a_rescan_takes_over_the_modules_of_unchanged_directories_and_still_reports_their_errors() {
        let dir = tempfile::tempdir().unwrap();
        let root = load::normalize(dir.path());
        let write = |name: &str, text: &str| {
            std::fs::create_dir_all(root.join(name).parent().unwrap()).unwrap();
            std::fs::write(root.join(name), text).unwrap();
        };
        let site = |name: &str, enabled: bool| {
            format!(
                "resource \"azurerm_linux_web_app\" \"{name}\" {{\n  client_certificate_enabled = {enabled}\n}}\n"
            )
        };
        // A root calling a module whose site takes its setting from the caller.
        write(
            "live/main.tf",
            "module \"app\" {\n  source = \"../modules/app\"\n  cert = false\n}\n",
        );
        write(
            "modules/app/main.tf",
            "variable \"cert\" {}\nresource \"azurerm_linux_web_app\" \"m\" {\n  client_certificate_enabled = var.cert\n}\n",
        );
        write("fixed/main.tf", &site("f", false));
        write("kept/main.tf", &site("k", true));
        write(
            "broken/main.tf",
            &format!("{}resource {{\n", site("b", false)),
        );
        write("binary/main.tf", &site("n", true));
        write("binary/bad.tf", "x\0y\n");
        // Only calls a helper module: judged irrelevant, and not parsed, until it gains a site.
        let helper = "module \"s\" {\n  source = \"./sub\"\n}\n";
        write("helper/main.tf", helper);
        write(
            "helper/sub/main.tf",
            "resource \"azurerm_storage_account\" \"s\" {}\n",
        );
        let paths = vec![root.clone()];
        // Only a scan that will be repeated keeps its modules.
        assert!(
            scan_cached(&paths, &Settings::default())
                .cache
                .terraform
                .is_empty()
        );
        let keep = Settings {
            keep_parsed: true,
            ..Settings::default()
        };
        let first = scan_cached(&paths, &keep);
        let memo = &first.cache.terraform;
        // A module keeps its parse errors; an error reading a file is the loader's, and
        // reported again only if the directory is read again.
        for kept in ["live", "modules/app", "fixed", "kept", "broken"] {
            assert!(memo.holds(&root.join(kept)), "{kept} not kept");
        }
        assert!(!memo.holds(&root.join("binary")));
        assert_eq!(memo.relevant(&root.join("helper")), Some(false));
        assert!(memo.judged(&root.join("live")) && memo.judged(&root.join("kept")));
        for (path, text) in [
            ("fixed/main.tf", site("f", true)),
            (
                "live/main.tf",
                "module \"app\" {\n  source = \"../modules/app\"\n  cert = true\n}\n".into(),
            ),
            ("helper/main.tf", format!("{helper}{}", site("h", false))),
            // Only a module the root `live` calls changes.
            (
                "modules/app/main.tf",
                "variable \"cert\" {}\nresource \"azurerm_linux_web_app\" \"m\" {\n  client_certificate_enabled = true\n}\n".into(),
            ),
        ] {
            let mut overrides = load::Overrides::new();
            overrides.insert(root.join(path), text);
            let fresh = scan(
                &paths,
                &Settings {
                    overrides: overrides.clone(),
                    ..Settings::default()
                },
            );
            let reused = scan(
                &paths,
                &Settings {
                    overrides,
                    reuse: Some(first.cache.clone()),
                    ..Settings::default()
                },
            );
            assert_ne!(verdicts(&fresh), verdicts(&first.report), "{path}");
            assert_eq!(verdicts(&reused), verdicts(&fresh), "{path}");
            assert_eq!(errors(&reused), errors(&fresh), "{path}");
            assert_eq!(errors(&reused).len(), 2, "{path}");
            assert_eq!(reused.files_scanned, fresh.files_scanned, "{path}");
        }
    }
}
