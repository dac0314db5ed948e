//! Applies `certgate.toml` and exceptions to a scan: which config governs each file, which
//! files and resources are skipped, rule levels, and which findings inline or config
//! exceptions suppress (with `invalid-exception` / `unused-exception` findings).
//!
//! Config files are read through the scan's [`Loader`], so their errors render like any
//! other file's, with a snippet.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::command_line::CommandLine;
use crate::config::{self, Config, Discovery};
use crate::diagnostic::Severity;
use crate::error::FileError;
use crate::load::Loader;
use crate::model::{Comments, FileComments, Resource};
use crate::report::{Finding, Location, Report, Subject};
use crate::rules::RuleId;
use crate::source::{FileId, Span};
use crate::suppress::Invalid;
use crate::suppress::ledger::{Decision, Ledger, Target};
use crate::suppress::placement::{self, Placed, ResourceSpans};
use crate::suppress::tf_json;

/// Finds and reads the config of each scanned file, once per config file.
pub struct Configs<'a> {
    loader: &'a Loader<'a>,
    /// `--config FILE`: used for every file.
    explicit: Option<Arc<Config>>,
    discovery: Discovery,
    loaded: HashMap<PathBuf, Arc<Config>>,
    defaults: Arc<Config>,
    /// `--select`, `--ignore`, `--exclude` and their `--extend-*` forms: laid over every
    /// config read, and over the defaults.
    command_line: &'a CommandLine,
}

impl<'a> Configs<'a> {
    pub fn new(
        loader: &'a Loader<'a>,
        explicit: Option<&Path>,
        command_line: &'a CommandLine,
    ) -> Self {
        let mut configs = Configs {
            loader,
            explicit: None,
            discovery: Discovery::default(),
            loaded: HashMap::new(),
            defaults: Arc::new(command_line.apply(Config::default())),
            command_line,
        };
        if let Some(path) = explicit {
            configs.explicit = Some(configs.read(path));
        }
        configs
    }

    /// The config governing the files of `dir` (a directory holding a discovered or loaded
    /// file, so it is not probed): `--config`, else the nearest `certgate.toml`, else the
    /// defaults.
    pub fn for_dir(&mut self, dir: &Path) -> Arc<Config> {
        if let Some(explicit) = &self.explicit {
            return explicit.clone();
        }
        let found = self.discovery.for_dir(dir);
        self.governing(found)
    }

    /// [`Configs::for_dir`] for a directory known to hold no `certgate.toml` itself (the walk
    /// listed it): its parent's lookup, without asking the disk about `dir`.
    pub fn for_dir_holding_none(&mut self, dir: &Path) -> Arc<Config> {
        if let Some(explicit) = &self.explicit {
            return explicit.clone();
        }
        let found = self.discovery.for_dir_holding_none(dir);
        self.governing(found)
    }

    /// The config a discovered `certgate.toml` (or none) makes govern.
    fn governing(&mut self, found: Option<PathBuf>) -> Arc<Config> {
        match found {
            // A config above the project root is not the project's: it is not read. (A link
            // inside the root leading out is read by the loader, which says it is outside.)
            Some(found)
                if !self.loader.allowed(&found)
                    && !found.parent().is_some_and(|dir| self.loader.allowed(dir)) =>
            {
                self.defaults.clone()
            }
            Some(found) => self.read(&shown_path(&found)),
            None => self.defaults.clone(),
        }
    }

    /// What governs a file no config governs: the defaults, under the command line.
    pub fn defaults(&self) -> Arc<Config> {
        self.defaults.clone()
    }

    /// Every config file read so far.
    pub fn all(&self) -> impl Iterator<Item = &Arc<Config>> {
        self.loaded.values()
    }

    /// The paths of every config file read so far, for [`Configs::preload`].
    pub fn loaded_paths(&self) -> Vec<PathBuf> {
        self.loaded.keys().cloned().collect()
    }

    /// Reads the config files at `paths` (as [`Configs::loaded_paths`] gave them): a re-scan
    /// that takes an earlier scan's lookups over still loads the same configs.
    pub fn preload(&mut self, paths: &[PathBuf]) {
        for path in paths {
            self.read(path);
        }
    }

    /// Reads a config file once; a file with errors records them and counts as the defaults
    /// (the run exits 2 anyway).
    fn read(&mut self, path: &Path) -> Arc<Config> {
        if let Some(config) = self.loaded.get(path) {
            return config.clone();
        }
        let config = match self.loader.file(path) {
            None => Config::default(),
            Some(loaded) => match config::load(path, loaded.source.text()) {
                Ok(config) => Config {
                    file: Some(loaded.id),
                    ..config
                },
                Err(errors) => {
                    for error in errors {
                        self.loader.record(FileError::at(
                            path,
                            Span::new(loaded.id, error.span.clone()),
                            format!("invalid {}: {}", crate::paths::CONFIG_FILE, error.message),
                        ));
                    }
                    Config::default()
                }
            },
        };
        let config = Arc::new(self.command_line.apply(config));
        self.loaded.insert(path.to_path_buf(), config.clone());
        config
    }
}

/// A discovered (absolute) path shown relative to the working directory when it lies under
/// it, so output does not depend on where the checkout is.
fn shown_path(path: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
}

/// The effective severity of `rule` under `config`; `None` when the rule is off.
pub fn severity(config: &Config, rule: RuleId) -> Option<Severity> {
    match config.levels.get(&rule) {
        Some(level) => level.severity(),
        None => Some(rule.rule().severity),
    }
}

/// Registers the inline exceptions of every resource (by file, from the `comments` its front
/// end recorded), returning the malformed ones as `invalid-exception` findings.
pub fn register_inline(
    report: &Report,
    resources: &[&Resource],
    comments: &[FileComments],
    config_of: &dyn Fn(&Path) -> Arc<Config>,
    ledger: &mut Ledger,
) -> Vec<Finding> {
    let mut by_file: BTreeMap<FileId, Vec<&Resource>> = BTreeMap::new();
    for resource in resources {
        if let Some(anchor) = &resource.suppression_anchor {
            by_file
                .entry(anchor.header.file)
                .or_default()
                .push(resource);
        }
    }
    // The first record of a file wins: front ends that meet a file twice record the same.
    let mut comments_of: HashMap<FileId, &Comments> = HashMap::new();
    for recorded in comments {
        comments_of
            .entry(recorded.file)
            .or_insert(&recorded.comments);
    }
    let mut invalid_findings = Vec::new();
    for (file, list) in by_file {
        let source = report.sources.get(file);
        let path = source.path().to_path_buf();
        let text = source.text();
        let honour_peers = config_of(&path).peer_suppressions;
        // One span list entry per declaration (scenarios and instances share it).
        let mut spans: Vec<ResourceSpans> = Vec::new();
        let mut owners: Vec<Vec<&Resource>> = Vec::new();
        let mut index_of: HashMap<ResourceSpans, usize> = HashMap::new();
        for resource in &list {
            let Some(anchor) = &resource.suppression_anchor else {
                continue;
            };
            let span = ResourceSpans {
                header: anchor.header.range(),
                body: anchor.body.range(),
            };
            match index_of.get(&span) {
                Some(&i) => owners[i].push(resource),
                None => {
                    index_of.insert(span.clone(), spans.len());
                    spans.push(span);
                    owners.push(vec![resource]);
                }
            }
        }
        let attached = match comments_of.get(&file) {
            Some(Comments::Lines(lines)) => placement::attach(text, lines, &spans, honour_peers),
            // `.tf.json` comments are `"//"` properties, placed by the JSON structure.
            Some(Comments::JsonProperties(properties)) => {
                tf_json::attach(text, properties, &spans, honour_peers)
            }
            None => placement::attach(text, &[], &spans, honour_peers),
        };
        let at = |offset: usize| source.line_col(offset);
        for (placed_list, resources) in attached.per_resource.iter().zip(&owners) {
            for placed in placed_list {
                for resource in resources {
                    ledger.add_inline(
                        &path,
                        &resource.address,
                        placed,
                        at(placed.suppression.span.start),
                    );
                }
            }
        }
        for orphan in &attached.orphans {
            ledger.add_orphan(&path, orphan, at(orphan.span.start));
        }
        let mut invalid: Vec<Invalid> = attached.invalid;
        // ARM `metadata` suppressions belong to their resource wherever they are written.
        let mut seen_metadata = std::collections::HashSet::new();
        // Instances of one template resource share its `metadata`: read it once.
        let mut metadata_of: HashMap<Span, crate::suppress::Parsed> = HashMap::new();
        for resource in &list {
            let Some(metadata) = resource
                .suppression_anchor
                .as_ref()
                .and_then(|anchor| anchor.metadata)
            else {
                continue;
            };
            let parsed = metadata_of
                .entry(metadata)
                .or_insert_with(|| crate::suppress::metadata::parse_at(text, metadata.range()));
            for result in parsed.iter() {
                let kind = match result {
                    Ok(s) => s.kind,
                    Err(i) => i.kind,
                };
                if kind.is_peer() && !honour_peers {
                    continue;
                }
                match result {
                    Ok(suppression) => ledger.add_inline(
                        &path,
                        &resource.address,
                        &Placed::whole(suppression.clone()),
                        at(suppression.span.start),
                    ),
                    Err(bad) if seen_metadata.insert(bad.span.start) => invalid.push(bad.clone()),
                    Err(_) => {}
                }
            }
        }
        invalid.sort_by_key(|i| i.span.start);
        invalid.dedup_by_key(|i| i.span.start);
        for bad in invalid {
            let span = Span::new(file, bad.span.clone());
            invalid_findings.push(exception_finding(
                report,
                RuleId::InvalidException,
                Severity::Error,
                format!("malformed exception: {}", bad.message),
                "correct the exception as the message says; until then it suppresses nothing"
                    .into(),
                span,
            ));
        }
    }
    invalid_findings
}

/// Decides each finding: suppressed ones move to `report.suppressed`, expired ones get a
/// note; then unused exceptions become findings.
pub fn apply(report: &mut Report, ledger: &mut Ledger, config_of: &dyn Fn(&Path) -> Arc<Config>) {
    let findings = std::mem::take(&mut report.findings);
    for mut finding in findings {
        let config = config_of(&finding.location.path);
        let target = Target {
            rule: finding.rule.as_str(),
            path: &finding.location.path,
            address: &finding.address,
            line: finding.location.start.line,
            config: config.source.as_deref(),
        };
        match ledger.decide(&target) {
            Decision::Report => report.findings.push(finding),
            Decision::Expired(by) => {
                finding.note = Some(by.expired_note());
                report.findings.push(finding);
            }
            Decision::Suppressed(by) => {
                finding.suppressed = Some(by);
                report.suppressed.push(finding);
            }
        }
    }
    for unused in ledger.unused() {
        let config = config_of(&unused.location.path);
        let Some(severity) = severity(&config, RuleId::UnusedException) else {
            continue;
        };
        let Some(file) = file_id(report, &unused.location.path) else {
            continue;
        };
        let span = Span::new(file, unused.location.span.clone());
        let finding = exception_finding(
            report,
            RuleId::UnusedException,
            severity,
            unused.message,
            "remove the exception, or correct its rules or resource".into(),
            span,
        );
        report.findings.push(finding);
    }
}

fn exception_finding(
    report: &Report,
    rule: RuleId,
    severity: Severity,
    message: String,
    help: String,
    span: Span,
) -> Finding {
    Finding {
        rule,
        severity,
        message,
        help,
        address: String::new(),
        scenario: None,
        location: Location::of(&report.sources, span),
        span,
        label: "this exception".into(),
        origin: Vec::new(),
        // Not a resource's finding: no group, so the fixer leaves it alone.
        subject: Subject::Exception,
        fix: Default::default(),
        suppressed: None,
        note: None,
    }
}

/// The id of a loaded file by its path.
fn file_id(report: &Report, path: &Path) -> Option<FileId> {
    (0..report.sources.len()).find(|&id| report.sources.get(id).path() == path)
}
