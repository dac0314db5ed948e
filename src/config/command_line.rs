//! The rule selection and path excludes given on the command line (`--select`,
//! `--extend-select`, `--ignore`, `--exclude`, `--extend-exclude`), laid over every config
//! the way ruff lays its options over `pyproject.toml`.

use std::path::{Path, PathBuf};

use super::{Config, Level, PathGlob, default_levels};
use crate::rules::RuleId;

/// A rule named on the command line: one id, or `ALL` (as in ruff).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selector {
    All,
    Rule(RuleId),
}

impl Selector {
    /// Reads one id as the config spells it (`client-cert-disabled`), or `ALL`. `Err` names
    /// the id and every id that can be selected.
    pub fn parse(text: &str) -> Result<Selector, String> {
        let text = text.trim();
        if text == "ALL" {
            return Ok(Selector::All);
        }
        match RuleId::parse(text) {
            Some(RuleId::InvalidException) => Err(format!(
                "`{text}` is always reported (a malformed exception cannot be turned off); \
                 the rules to select or ignore are {}",
                selectable_list()
            )),
            Some(id) => Ok(Selector::Rule(id)),
            None if text.is_empty() => Err(format!(
                "an empty rule id; the rules are {}",
                selectable_list()
            )),
            None => Err(format!(
                "unknown rule `{text}`; the rules are {}",
                selectable_list()
            )),
        }
    }

    fn covers(self, rule: RuleId) -> bool {
        match self {
            Selector::All => true,
            Selector::Rule(id) => id == rule,
        }
    }
}

/// The ids `--select` and `--ignore` take, for error messages: the config's `[rules]` keys.
fn selectable_list() -> String {
    let mut ids: Vec<String> = default_levels()
        .keys()
        .map(|id| format!("`{id}`"))
        .collect();
    ids.push("`ALL`".to_string());
    ids.join(", ")
}

/// What the command line sets on top of every config (and of the defaults where no config
/// governs a file).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CommandLine {
    /// `--select`: only these rules are reported; replaces what the configs turn on or off.
    pub select: Option<Vec<Selector>>,
    /// `--extend-select`: these rules are reported too, at their configured level (their
    /// default one where a config turns them off).
    pub extend_select: Vec<Selector>,
    /// `--ignore`: these rules are not reported (wins over both selects, as in ruff).
    pub ignore: Vec<Selector>,
    /// `--exclude`: replaces every config's `exclude`.
    pub exclude: Option<Vec<PathGlob>>,
    /// `--extend-exclude`: excluded as well as what the configs exclude.
    pub extend_exclude: Vec<PathGlob>,
    /// The directory the command-line globs are relative to: the working directory.
    pub base: PathBuf,
}

impl CommandLine {
    /// Whether it changes nothing.
    pub fn is_empty(&self) -> bool {
        self.select.is_none()
            && self.extend_select.is_empty()
            && self.ignore.is_empty()
            && self.exclude.is_none()
            && self.extend_exclude.is_empty()
    }

    /// `config` with the command line laid over it.
    pub fn apply(&self, mut config: Config) -> Config {
        let defaults = default_levels();
        let on = |rule: RuleId, level: Level| match level {
            Level::Off => defaults.get(&rule).copied().unwrap_or(Level::Error),
            level => level,
        };
        for (rule, level) in config.levels.iter_mut() {
            let covered = |selectors: &[Selector]| selectors.iter().any(|s| s.covers(*rule));
            if let Some(select) = &self.select {
                *level = if covered(select) {
                    on(*rule, *level)
                } else {
                    Level::Off
                };
            }
            if covered(&self.extend_select) {
                *level = on(*rule, *level);
            }
            if covered(&self.ignore) {
                *level = Level::Off;
            }
        }
        if self.exclude.is_some() {
            config.exclude.clear();
        }
        let globs: Vec<PathGlob> = self
            .exclude
            .iter()
            .flatten()
            .chain(&self.extend_exclude)
            .cloned()
            .collect();
        if !globs.is_empty() {
            config.command_line_exclude = Some(Excludes {
                base: self.base.clone(),
                globs,
            });
        }
        config
    }
}

/// Excludes given on the command line, relative to the working directory.
#[derive(Debug, Clone, PartialEq)]
pub struct Excludes {
    base: PathBuf,
    globs: Vec<PathGlob>,
}

impl Excludes {
    /// Whether a glob matches `path`. Under the working directory every glob applies to the
    /// path relative to it; elsewhere only globs without a `/` (names at any depth) can.
    pub fn matches(&self, path: &Path) -> bool {
        match crate::paths::relative_to(&self.base, path) {
            Some(relative) => self.globs.iter().any(|glob| glob.matches(&relative)),
            None => {
                let absolute = crate::paths::absolute(path);
                let names: Vec<String> = absolute
                    .components()
                    .filter_map(|c| match c {
                        std::path::Component::Normal(name) => {
                            Some(name.to_string_lossy().into_owned())
                        }
                        _ => None,
                    })
                    .collect();
                let joined = names.join("/");
                self.globs
                    .iter()
                    .any(|glob| !glob.is_anchored() && glob.matches(&joined))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(list: &[&str]) -> Vec<Selector> {
        list.iter().map(|id| Selector::parse(id).unwrap()).collect()
    }

    fn level(config: &Config, id: &str) -> Level {
        config.level(RuleId::parse(id).unwrap())
    }

    fn configured(text: &str) -> Config {
        crate::config::load(Path::new("/repo/certgate.toml"), text).unwrap()
    }

    #[test]
    fn select_replaces_the_configured_set_and_keeps_configured_levels() {
        let config = configured(
            "[rules]\nclient-cert-optional = \"warning\"\nclient-cert-disabled = \"off\"\n",
        );
        let line = CommandLine {
            select: Some(rules(&["client-cert-optional", "client-cert-disabled"])),
            ..CommandLine::default()
        };
        let applied = line.apply(config);
        assert_eq!(level(&applied, "client-cert-optional"), Level::Warning);
        // Off in the config, selected on the command line: its default level.
        assert_eq!(level(&applied, "client-cert-disabled"), Level::Error);
        for other in [
            "client-cert-unsupported",
            "client-cert-unresolved",
            "unused-exception",
        ] {
            assert_eq!(level(&applied, other), Level::Off, "{other}");
        }
    }

    #[test]
    fn extend_select_turns_on_and_ignore_wins_over_both() {
        let config = configured("unresolved = \"off\"\n");
        let line = CommandLine {
            extend_select: rules(&["ALL"]),
            ignore: rules(&["client-cert-exclusion-paths"]),
            ..CommandLine::default()
        };
        let applied = line.apply(config);
        assert_eq!(level(&applied, "client-cert-unresolved"), Level::Warning);
        assert_eq!(level(&applied, "client-cert-exclusion-paths"), Level::Off);
        assert_eq!(level(&applied, "client-cert-disabled"), Level::Error);
        let both = CommandLine {
            select: Some(rules(&["client-cert-disabled"])),
            ignore: rules(&["client-cert-disabled"]),
            ..CommandLine::default()
        };
        assert_eq!(
            level(&both.apply(Config::default()), "client-cert-disabled"),
            Level::Off
        );
    }

    #[test]
    fn exclude_replaces_the_config_excludes_and_extend_exclude_adds() {
        let config = configured("exclude = [\"legacy\"]\n");
        let glob = |text: &str| PathGlob::new(text).unwrap();
        let replaced = CommandLine {
            exclude: Some(vec![glob("examples")]),
            base: PathBuf::from("/repo"),
            ..CommandLine::default()
        }
        .apply(config.clone());
        assert!(!replaced.is_excluded(Path::new("/repo/legacy/main.tf")));
        assert!(replaced.is_excluded(Path::new("/repo/a/examples/main.tf")));
        let extended = CommandLine {
            extend_exclude: vec![glob("envs/dev")],
            base: PathBuf::from("/repo"),
            ..CommandLine::default()
        }
        .apply(config);
        assert!(extended.is_excluded(Path::new("/repo/legacy/main.tf")));
        assert!(extended.is_excluded(Path::new("/repo/envs/dev/main.tf")));
        assert!(!extended.is_excluded(Path::new("/repo/envs/prod/main.tf")));
    }

    #[test]
    fn command_line_globs_are_relative_to_the_working_directory() {
        let excludes = Excludes {
            base: PathBuf::from("/work/repo"),
            globs: vec![
                PathGlob::new("infra/legacy").unwrap(),
                PathGlob::new("examples").unwrap(),
            ],
        };
        assert!(excludes.matches(Path::new("/work/repo/infra/legacy/main.tf")));
        // Outside the working directory only a name matches.
        assert!(!excludes.matches(Path::new("/other/infra/legacy/main.tf")));
        assert!(excludes.matches(Path::new("/other/examples/main.tf")));
    }

    #[test]
    fn unknown_and_unselectable_ids_name_the_rules() {
        let unknown = Selector::parse("nope").unwrap_err();
        assert!(unknown.contains("unknown rule `nope`"), "{unknown}");
        assert!(unknown.contains("`client-cert-disabled`"), "{unknown}");
        assert!(unknown.contains("`unused-exception`"), "{unknown}");
        let fixed = Selector::parse("invalid-exception").unwrap_err();
        assert!(fixed.contains("always reported"), "{fixed}");
        assert!(Selector::parse("").unwrap_err().contains("empty"));
        // Ids are spelled as in the config: no case folding.
        assert!(Selector::parse("CLIENT-CERT-DISABLED").is_err());
    }
}
