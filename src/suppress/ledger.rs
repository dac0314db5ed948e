//! The exceptions of one run: registers inline, peer and config exceptions, decides for each
//! finding whether it is suppressed (or returns because its exception expired), and reports
//! the exceptions that matched nothing.
//!
//! Inline exceptions are keyed by where they are written, so one comment in a module called
//! from two roots is one exception covering both addresses.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::Suppression;
use super::placement::Placed;
use crate::config::{self, Config};
use crate::date::Date;
use crate::date::{DEFAULT_SOON_DAYS, expires_soon, format_date, is_expired};
use crate::rules::covers;
use crate::source::LineCol;

/// Where an exception comes from, for the listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    /// certgate's own comment or ARM metadata.
    Inline,
    /// `[[exception]]` in `certgate.toml`.
    Config,
    /// Another scanner's syntax.
    Peer,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Inline => "inline",
            Source::Config => "config",
            Source::Peer => "peer",
        }
    }
}

/// An exception's state on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Active,
    ExpiresSoon,
    Expired,
    /// It matched no finding.
    Unused,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::ExpiresSoon => "expires-soon",
            Status::Expired => "expired",
            Status::Unused => "unused",
        }
    }
}

/// Where an exception is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: PathBuf,
    /// Byte range in that file.
    pub span: Range<usize>,
    pub line: usize,
    pub column: usize,
}

impl Location {
    /// File, line, column: the order listings and reports use.
    pub fn order(&self) -> (&Path, usize, usize) {
        (&self.path, self.line, self.column)
    }
}

#[derive(Debug, Clone)]
enum Matcher {
    /// Attached to resources by placement; `only_line` narrows a KICS line suppression.
    Inline { only_line: Option<usize> },
    /// A config `[[exception]]`: applies to findings governed by `config_file`.
    Config {
        exception: Box<config::Exception>,
        config_file: PathBuf,
        root: PathBuf,
    },
}

/// One registered exception.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The syntax (`certgate:ignore`, `checkov:skip`, …, or `certgate.toml`).
    pub by: &'static str,
    pub source: Source,
    /// The certgate rules it covers; `None` means every client-cert rule.
    pub rules: Option<Vec<String>>,
    /// A peer's ids as written.
    pub peer_ids: Vec<String>,
    pub reason: Option<String>,
    pub owner: Option<String>,
    pub expires: Option<Date>,
    pub location: Location,
    /// Addresses it is attached to (inline), or the address glob (config).
    pub resources: BTreeSet<String>,
    /// Whether some finding matched it (suppressed, or returned as expired).
    pub matched: bool,
    matcher: Matcher,
}

/// The finding a decision is about.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub rule: &'a str,
    /// The resource's file.
    pub path: &'a Path,
    /// The declaration's address.
    pub address: &'a str,
    /// The finding's 1-based line in `path` (KICS line suppressions need it).
    pub line: usize,
    /// The config file governing `path` (its `[[exception]]`s apply), if any.
    pub config: Option<&'a Path>,
}

/// What the exception that decided a finding says, for output.
#[derive(Debug, Clone, PartialEq)]
pub struct SuppressedBy {
    pub by: &'static str,
    pub reason: Option<String>,
    pub owner: Option<String>,
    pub expires: Option<Date>,
    pub location: Location,
}

impl SuppressedBy {
    /// The note an expired exception adds to the finding it no longer suppresses.
    pub fn expired_note(&self) -> String {
        format!(
            "the exception for this finding ({} at {}:{}, owner {}) expired on {}: renew it or fix the finding",
            self.by,
            crate::paths::path_text(&self.location.path),
            self.location.line,
            self.owner.as_deref().unwrap_or("not named"),
            self.expires.map(format_date).unwrap_or_default(),
        )
    }
}

/// The outcome for one finding.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// No exception covers it.
    Report,
    /// An active exception covers it: not a failure, but still visible.
    Suppressed(SuppressedBy),
    /// Only expired exceptions cover it: reported, with [`SuppressedBy::expired_note`].
    Expired(SuppressedBy),
}

/// An exception that matched nothing: reported as `unused-exception`.
#[derive(Debug, Clone, PartialEq)]
pub struct Unused {
    pub location: Location,
    pub message: String,
}

/// Every exception of a run.
#[derive(Debug)]
pub struct Ledger {
    today: Date,
    soon_days: i64,
    entries: Vec<Entry>,
    by_location: HashMap<(PathBuf, usize), usize>,
    by_resource: HashMap<(PathBuf, String), Vec<usize>>,
    configs: HashSet<PathBuf>,
}

impl Ledger {
    /// A ledger judging expiry on `today` (inject it in tests; see [`super::date::today`]).
    pub fn new(today: Date) -> Self {
        Ledger {
            today,
            soon_days: DEFAULT_SOON_DAYS,
            entries: Vec::new(),
            by_location: HashMap::new(),
            by_resource: HashMap::new(),
            configs: HashSet::new(),
        }
    }

    /// Sets how many days before expiry an exception counts as `expires-soon` (`--soon`).
    pub fn with_soon_days(mut self, days: i64) -> Self {
        self.soon_days = days;
        self
    }

    pub fn today(&self) -> Date {
        self.today
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Registers a suppression placed on the resource `address` declared in `path`; `at` is
    /// the directive's position. The same directive registered again (another scenario,
    /// instance or calling root) adds the address to the same exception.
    pub fn add_inline(&mut self, path: &Path, address: &str, placed: &Placed, at: LineCol) {
        let index = self.inline_entry(path, &placed.suppression, placed.only_line, at);
        self.entries[index].resources.insert(address.to_string());
        let ids = self
            .by_resource
            .entry((path.to_path_buf(), address.to_string()))
            .or_default();
        if !ids.contains(&index) {
            ids.push(index);
        }
    }

    /// Registers a certgate directive that belongs to no resource (it will be unused).
    pub fn add_orphan(&mut self, path: &Path, suppression: &Suppression, at: LineCol) {
        self.inline_entry(path, suppression, None, at);
    }

    fn inline_entry(
        &mut self,
        path: &Path,
        suppression: &Suppression,
        only_line: Option<usize>,
        at: LineCol,
    ) -> usize {
        let key = (path.to_path_buf(), suppression.span.start);
        if let Some(&index) = self.by_location.get(&key) {
            return index;
        }
        self.entries.push(Entry {
            by: suppression.kind.label(),
            source: if suppression.kind.is_peer() {
                Source::Peer
            } else {
                Source::Inline
            },
            rules: suppression.rules.clone(),
            peer_ids: suppression.peer_ids.clone(),
            reason: suppression.reason.clone(),
            owner: suppression.owner.clone(),
            expires: suppression.expires,
            location: Location {
                path: path.to_path_buf(),
                span: suppression.span.clone(),
                line: at.line,
                column: at.column,
            },
            resources: BTreeSet::new(),
            matched: false,
            matcher: Matcher::Inline { only_line },
        });
        self.by_location.insert(key, self.entries.len() - 1);
        self.entries.len() - 1
    }

    /// Registers a config file's `[[exception]]`s (once per file, however often it is
    /// passed). They apply to findings whose [`Target::config`] is this file.
    pub fn add_config(&mut self, config: &Config) {
        let (Some(file), Some(root)) = (config.source.clone(), config.root()) else {
            return;
        };
        if !self.configs.insert(file.clone()) {
            return;
        }
        for exception in &config.exceptions {
            self.entries.push(Entry {
                by: "certgate.toml",
                source: Source::Config,
                rules: exception.rules.clone(),
                peer_ids: Vec::new(),
                reason: Some(exception.reason.clone()),
                owner: exception.owner.clone(),
                expires: exception.expires,
                location: Location {
                    path: file.clone(),
                    span: exception.span.clone(),
                    line: exception.line,
                    column: exception.column,
                },
                resources: BTreeSet::from([exception.resource.as_str().to_string()]),
                matched: false,
                matcher: Matcher::Config {
                    exception: Box::new(exception.clone()),
                    config_file: file.clone(),
                    root: root.clone(),
                },
            });
        }
    }

    /// Decides a finding, marking every exception that covers it as used. An active
    /// exception wins (inline before config); otherwise an expired one returns the finding
    /// with a note (the one that expired last, as the most relevant).
    pub fn decide(&mut self, target: &Target<'_>) -> Decision {
        let inline = self
            .by_resource
            .get(&(target.path.to_path_buf(), target.address.to_string()))
            .cloned()
            .unwrap_or_default();
        let config = (0..self.entries.len())
            .filter(|&i| matches!(self.entries[i].matcher, Matcher::Config { .. }));
        let candidates: Vec<usize> = inline
            .into_iter()
            .chain(config)
            .filter(|&i| self.covers(i, target))
            .collect();
        for &i in &candidates {
            self.entries[i].matched = true;
        }
        let today = self.today;
        let by = |entry: &Entry| SuppressedBy {
            by: entry.by,
            reason: entry.reason.clone(),
            owner: entry.owner.clone(),
            expires: entry.expires,
            location: entry.location.clone(),
        };
        if let Some(&active) = candidates
            .iter()
            .find(|&&i| !is_expired(self.entries[i].expires, today))
        {
            return Decision::Suppressed(by(&self.entries[active]));
        }
        match candidates.iter().max_by_key(|&&i| self.entries[i].expires) {
            Some(&expired) => Decision::Expired(by(&self.entries[expired])),
            None => Decision::Report,
        }
    }

    fn covers(&self, index: usize, target: &Target<'_>) -> bool {
        let entry = &self.entries[index];
        if !covers(entry.rules.as_deref(), target.rule) {
            return false;
        }
        match &entry.matcher {
            Matcher::Inline { only_line } => only_line.is_none_or(|line| line == target.line),
            Matcher::Config {
                exception,
                config_file,
                root,
            } => {
                target.config == Some(config_file.as_path())
                    && exception.matches(
                        target.rule,
                        target.address,
                        crate::paths::relative_to(root, target.path).as_deref(),
                    )
            }
        }
    }

    /// An exception's status on the ledger's day.
    pub fn status(&self, entry: &Entry) -> Status {
        if is_expired(entry.expires, self.today) {
            Status::Expired
        } else if !entry.matched {
            Status::Unused
        } else if expires_soon(entry.expires, self.today, self.soon_days) {
            Status::ExpiresSoon
        } else {
            Status::Active
        }
    }

    /// The exceptions that matched no finding, in file order.
    pub fn unused(&self) -> Vec<Unused> {
        let mut out: Vec<Unused> = self
            .entries
            .iter()
            .filter(|entry| !entry.matched)
            .map(|entry| Unused {
                location: entry.location.clone(),
                message: unused_message(entry),
            })
            .collect();
        out.sort_by(|a, b| a.location.order().cmp(&b.location.order()));
        out
    }
}

impl Entry {
    /// The rules as written: a peer's ids, `all` for every client-cert rule, or the list.
    pub fn rules_text(&self) -> String {
        match &self.rules {
            _ if !self.peer_ids.is_empty() => self.peer_ids.join(", "),
            None => "all".to_string(),
            Some(rules) => rules.join(", "),
        }
    }

    /// The certgate rules it covers, spelled out.
    pub fn covered_rules(&self) -> Vec<String> {
        match &self.rules {
            Some(rules) => rules.clone(),
            None => crate::rules::resource_rules()
                .map(|r| r.id.to_string())
                .collect(),
        }
    }
}

fn unused_message(entry: &Entry) -> String {
    let what = match entry.source {
        Source::Config => format!(
            "the [[exception]] for `{}`",
            entry.resources.iter().next().map_or("", String::as_str)
        ),
        _ => format!("`{}` ({})", entry.by, entry.rules_text()),
    };
    if entry.source != Source::Config && entry.resources.is_empty() {
        return format!(
            "{what} belongs to no resource, so it suppresses nothing: put it on the line above a resource or inside its block"
        );
    }
    let on = match entry.source {
        Source::Config => String::new(),
        _ => format!(
            " on {}",
            entry
                .resources
                .iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    // Peers' suppressions cover fewer rules than their authors may expect: say which.
    let peer_scope = if entry.source == Source::Peer {
        format!(
            " (other scanners' suppressions cover only {})",
            super::peers::PEER_RULES
                .iter()
                .map(|r| format!("`{r}`"))
                .collect::<Vec<_>>()
                .join(" and ")
        )
    } else {
        String::new()
    };
    format!("{what}{on} suppresses nothing: no finding matches it{peer_scope}; remove it")
}

#[cfg(test)]
mod tests;
