//! `certgate.toml`: finding it (nearest above each scanned path), reading it with positioned
//! errors, and the settings it holds (rule levels, scope, excludes, peers, exceptions).
//!
//! The file is parsed by the `toml` crate into its spanned tree, which [`schema`] walks by
//! hand rather than through serde derive: that way every unknown key and bad value in the file
//! is reported (not just the first), each with its line and column.

pub mod command_line;
pub mod glob;
mod schema;

use crate::paths::{CONFIG_FILE as FILE_NAME, absolute, relative_to};
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::date::Date;
use crate::diagnostic::Severity;
use crate::model::SiteKind;
use crate::rules::RuleId;

pub use glob::{AddressGlob, PathGlob};

/// The rule id the top-level `unresolved` key sets.
pub const UNRESOLVED_RULE: &str = RuleId::ClientCertUnresolved.as_str();

/// How much a rule's findings count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Error,
    Warning,
    /// The rule is not reported.
    Off,
}

impl Level {
    pub fn parse(text: &str) -> Option<Level> {
        match text {
            "error" => Some(Level::Error),
            "warning" => Some(Level::Warning),
            "off" => Some(Level::Off),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Off => "off",
        }
    }

    /// The severity findings get, `None` when the rule is off.
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Error => Some(Severity::Error),
            Level::Warning => Some(Severity::Warning),
            Level::Off => None,
        }
    }

    fn from_severity(severity: Severity) -> Level {
        match severity {
            Severity::Error => Level::Error,
            Severity::Warning => Level::Warning,
        }
    }
}

/// Which kinds of App Service resource are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scope {
    pub web_apps: bool,
    pub function_apps: bool,
    pub logic_apps: bool,
    /// Slots of the kinds above.
    pub slots: bool,
}

impl Default for Scope {
    fn default() -> Self {
        Scope {
            web_apps: true,
            function_apps: true,
            logic_apps: true,
            slots: true,
        }
    }
}

impl Scope {
    /// Whether a resource of this kind is checked: its kind must be in scope, and slots too
    /// when it is a slot.
    pub fn includes(&self, kind: SiteKind, is_slot: bool) -> bool {
        let kind_in = match kind {
            SiteKind::WebApp => self.web_apps,
            SiteKind::FunctionApp => self.function_apps,
            SiteKind::LogicApp => self.logic_apps,
        };
        kind_in && (!is_slot || self.slots)
    }
}

/// An `[[exception]]` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Exception {
    /// The resource address, or a glob over addresses.
    pub resource: AddressGlob,
    /// Only findings in files matching this glob (relative to the config's directory).
    pub path: Option<PathGlob>,
    /// The rules it covers; `None` means every client-cert rule.
    pub rules: Option<Vec<String>>,
    pub reason: String,
    pub owner: Option<String>,
    pub expires: Option<Date>,
    /// The entry's byte range in the config file.
    pub span: Range<usize>,
    /// Where the entry starts in the config file (1-based).
    pub line: usize,
    pub column: usize,
}

impl Exception {
    /// Whether it covers a finding of `rule` on `address`; `relative_path` is the finding's
    /// file relative to the config's directory (`None` when it lies outside it).
    pub fn matches(&self, rule: &str, address: &str, relative_path: Option<&str>) -> bool {
        crate::rules::covers(self.rules.as_deref(), rule)
            && self.resource.matches(address)
            && match &self.path {
                None => true,
                Some(glob) => relative_path.is_some_and(|p| glob.matches(p)),
            }
    }
}

/// Everything a `certgate.toml` sets, defaults filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The file it was read from; `None` for the built-in defaults.
    pub source: Option<PathBuf>,
    /// The level of every rule id (all rules, plus `unused-exception`).
    pub levels: BTreeMap<RuleId, Level>,
    pub scope: Scope,
    pub exclude: Vec<PathGlob>,
    /// `--exclude` / `--extend-exclude`, relative to the working directory (see
    /// [`command_line::CommandLine::apply`]).
    pub command_line_exclude: Option<command_line::Excludes>,
    /// Whether peers' suppressions (Checkov, tfsec, Trivy, KICS) are honoured.
    pub peer_suppressions: bool,
    pub exceptions: Vec<Exception>,
    /// `fail-on`: the least severe finding that fails the run, when set.
    pub fail_on: Option<crate::diagnostic::Severity>,
    /// `guardrail-hint`: whether `check` mentions a missing Azure Policy guardrail (default on).
    pub guardrail_hint: bool,
    /// `[environments]`: path globs that name a resource's environment (rollout).
    pub environments: Environments,
    /// The config file in the scan's source map, once read through the loader: where the
    /// `[environments]` globs point.
    pub file: Option<crate::source::FileId>,
}

/// `[environments]`: which files deploy to production and which to other environments.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Environments {
    pub production: Vec<EnvironmentGlob>,
    pub non_production: Vec<EnvironmentGlob>,
}

/// One glob of `[environments]`, with where it is written in the config file.
#[derive(Debug, Clone, PartialEq)]
pub struct EnvironmentGlob {
    pub glob: PathGlob,
    /// The glob's string in the config file (bytes).
    pub span: Range<usize>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            source: None,
            levels: default_levels(),
            scope: Scope::default(),
            exclude: Vec::new(),
            command_line_exclude: None,
            peer_suppressions: true,
            exceptions: Vec::new(),
            fail_on: None,
            environments: Environments::default(),
            file: None,
            guardrail_hint: true,
        }
    }
}

/// Every configurable rule id with its default level.
fn default_levels() -> BTreeMap<RuleId, Level> {
    let mut levels: BTreeMap<RuleId, Level> = crate::rules::resource_rules()
        .map(|rule| (rule.id, Level::from_severity(rule.severity)))
        .collect();
    levels.insert(RuleId::UnusedException, Level::Warning);
    levels
}

impl Config {
    /// The level of `rule`; an id the config does not know (e.g. `invalid-exception`, which
    /// is always an error) is `Error`.
    pub fn level(&self, rule: RuleId) -> Level {
        self.levels.get(&rule).copied().unwrap_or(Level::Error)
    }

    /// The directory globs are relative to: the config file's, or `None` for the defaults.
    pub fn root(&self) -> Option<PathBuf> {
        let source = self.source.as_deref()?;
        let absolute = absolute(source);
        Some(absolute.parent().map(Path::to_path_buf).unwrap_or(absolute))
    }

    /// `path` relative to [`Config::root`], `/`-separated; `None` when it lies outside the
    /// root or there is no config file.
    pub fn relative_path(&self, path: &Path) -> Option<String> {
        relative_to(&self.root()?, path)
    }

    /// Whether an `exclude` glob (or one given on the command line) matches `path`.
    pub fn is_excluded(&self, path: &Path) -> bool {
        if self
            .command_line_exclude
            .as_ref()
            .is_some_and(|excludes| excludes.matches(path))
        {
            return true;
        }
        if self.exclude.is_empty() {
            return false;
        }
        self.relative_path(path)
            .is_some_and(|relative| self.exclude.iter().any(|glob| glob.matches(&relative)))
    }
}

/// A problem in a config file, with its position (1-based line, column in characters).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}:{line}:{column}: {message}", path.display())]
pub struct ConfigError {
    pub path: PathBuf,
    /// Byte range in the file, for a rendered snippet.
    pub span: Range<usize>,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Reads a config file's text. `path` is used for positions and as [`Config::source`].
pub fn load(path: &Path, text: &str) -> Result<Config, Vec<ConfigError>> {
    schema::read(path, text)
}

/// The commented default config that `certgate init` writes.
pub fn default_text() -> &'static str {
    include_str!("default.toml")
}

/// The nearest `certgate.toml` in `path`'s directory (or `path` itself when it is a
/// directory) or any directory above it, up to the file-system root.
#[cfg(test)]
pub fn discover(path: &Path) -> Option<PathBuf> {
    Discovery::default().for_path(path)
}

/// Remembers discovery per directory, so a scan of many files looks each directory up once.
#[derive(Debug, Default)]
pub struct Discovery {
    /// By the directory's bytes: hashing a `Path` walks its components.
    by_dir: crate::path_map::PathMap<Option<PathBuf>>,
    /// Configs apply from above the project root too (a home directory's): the whole disk.
    disk: crate::fs::DiskFs,
    /// The current directory, asked once: a scan looks up thousands of relative directories.
    cwd: Option<PathBuf>,
}

impl Discovery {
    /// The nearest config for a file or directory (see [`discover`]).
    #[cfg(test)]
    pub fn for_path(&mut self, path: &Path) -> Option<PathBuf> {
        let start = absolute(path);
        use crate::fs::FileSystem as _;
        let dir = if self.disk.is_dir(&start) {
            start
        } else {
            start.parent()?.to_path_buf()
        };
        self.nearest(dir)
    }

    /// [`Discovery::for_path`] for a directory that holds a discovered file: no probe whether
    /// it is one (a directory that does not exist holds no config either).
    pub fn for_dir(&mut self, dir: &Path) -> Option<PathBuf> {
        let start = self.start(dir);
        self.nearest(start)
    }

    /// Where a lookup of `dir` starts: absolute and normalised.
    fn start(&mut self, dir: &Path) -> PathBuf {
        if dir.is_absolute() || dir.as_os_str().is_empty() {
            absolute(dir)
        } else {
            crate::paths::normalize(&current_dir(&mut self.cwd).join(dir))
        }
    }

    /// [`Discovery::for_dir`] for a directory known to hold no config itself: the answer of
    /// the directory above, remembered for both.
    pub fn for_dir_holding_none(&mut self, dir: &Path) -> Option<PathBuf> {
        let start = self.start(dir);
        if let Some(cached) = self.by_dir.get(start.as_os_str()) {
            return cached.clone();
        }
        let found = start
            .parent()
            .and_then(|parent| self.nearest(parent.to_path_buf()));
        // Copied to its length: the joined path has room to spare, and there is one per
        // directory.
        self.by_dir
            .insert(start.as_os_str().to_owned(), found.clone());
        found
    }

    /// The nearest config in `dir` (absolute, normalised) or above it.
    fn nearest(&mut self, dir: PathBuf) -> Option<PathBuf> {
        use crate::fs::FileSystem as _;
        let mut visited = Vec::new();
        let mut found = None;
        for candidate_dir in dir.ancestors() {
            if let Some(cached) = self.by_dir.get(candidate_dir.as_os_str()) {
                found = cached.clone();
                break;
            }
            visited.push(candidate_dir.as_os_str().to_owned());
            let candidate = candidate_dir.join(FILE_NAME);
            let cwd = current_dir(&mut self.cwd);
            if self.disk.is_file(crate::paths::below(&candidate, cwd)) {
                found = Some(candidate);
                break;
            }
        }
        for visited_dir in visited {
            self.by_dir.insert(visited_dir, found.clone());
        }
        found
    }
}

/// The current directory, asked the first time (`cwd` remembers it).
fn current_dir(cwd: &mut Option<PathBuf>) -> &Path {
    cwd.get_or_insert_with(|| std::env::current_dir().unwrap_or_default())
}

/// Whether `path` is a config file: a `certgate.toml`, or the `--config` file (`explicit`).
/// Their errors are never filtered out of a report, since they change every verdict.
pub fn is_config_path(path: &Path, explicit: Option<&Path>) -> bool {
    path.file_name().is_some_and(|name| name == FILE_NAME)
        || explicit.is_some_and(|explicit| absolute(explicit) == absolute(path))
}

#[cfg(test)]
mod tests;
