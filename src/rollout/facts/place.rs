//! Where a site is, as the environment rules read it: its file and its scenario's file
//! relative to the governing config (for `[environments]` globs) and to the project root (for
//! the words of names and directories).

use crate::path_map::{PathHashMap, PathHashSet};
use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

use crate::config::Config;
use crate::model::Resource;
use crate::paths::{absolute, normalize, normalized, path_text, relative_to};
use crate::source::{FileId, SourceMap, Span};

/// A site's place (see the module docs); every path is `/`-separated.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Place {
    /// The site's file relative to the config's directory (`None` outside it, or no config).
    pub file_in_config: Option<String>,
    /// The scenario's file (or root directory) relative to the config's directory.
    pub scenario_in_config: Option<String>,
    /// The scenario's file, when it was read: where the scenario rule points.
    pub scenario_span: Option<Span>,
    /// The scenario's file or root directory, relative to the project root when it lies in it.
    pub scenario_path: Option<String>,
    /// The site's file relative to the project root.
    pub project_path: Option<String>,
}

/// The files a scan read that scenarios name, and the project root, to place every site of
/// the scan.
pub struct Places {
    by_path: PathHashMap<PathBuf, FileId>,
    by_name: PathHashMap<OsString, Vec<PathBuf>>,
    roots: Vec<PathBuf>,
    /// The current directory, asked once (relative paths are placed against it).
    cwd: Option<PathBuf>,
}

impl Places {
    /// Indexes the files read so far that `scenarios` can name (see [`Places::of`]); `roots`
    /// are the project root's directories. Only those: a large repository reads tens of
    /// thousands of files, and indexing each was a good part of judging.
    pub fn new<'s>(
        sources: &SourceMap,
        roots: &[PathBuf],
        scenarios: impl IntoIterator<Item = &'s str>,
    ) -> Places {
        // A scenario names a path (found as it is) or a bare name (the one file read with
        // that name, else the file of that name beside the site): files by those names.
        let mut paths: PathHashSet<PathBuf> = PathHashSet::default();
        let mut names: PathHashSet<OsString> = PathHashSet::default();
        for scenario in scenarios {
            let named = Path::new(scenario_path(scenario));
            if named.components().count() > 1 {
                paths.insert(normalize(named));
            } else if let Some(name) = named.file_name() {
                names.insert(name.to_os_string());
            }
        }
        let mut by_path = PathHashMap::default();
        let mut by_name: PathHashMap<OsString, Vec<PathBuf>> = PathHashMap::default();
        if !paths.is_empty() || !names.is_empty() {
            for (id, file) in sources.snapshot().iter().enumerate() {
                let path = normalized(file.path());
                let name = path.file_name().filter(|name| names.contains(*name));
                if name.is_none() && !paths.contains(path.as_ref()) {
                    continue;
                }
                if let Some(name) = name {
                    (by_name.entry(name.to_os_string()).or_default()).push(path.to_path_buf());
                }
                by_path.entry(path.into_owned()).or_insert(id);
            }
        }
        Places {
            by_path,
            by_name,
            roots: roots.to_vec(),
            cwd: std::env::current_dir().ok(),
        }
    }

    /// The place of `resource`, whose file is `file`, under `config`.
    pub fn of(&self, resource: &Resource, file: &Path, config: &Config) -> Place {
        let scenario = resource
            .scenario
            .as_deref()
            .map(|scenario| self.scenario_file(scenario_path(scenario), file));
        Place {
            file_in_config: config.relative_path(file),
            scenario_in_config: scenario.as_ref().and_then(|s| config.relative_path(s)),
            scenario_span: scenario
                .as_ref()
                .and_then(|s| self.by_path.get(s))
                .map(|&id| Span::new(id, 0..0)),
            scenario_path: scenario.as_ref().map(|s| {
                self.project_relative(s).unwrap_or_else(|| {
                    s.file_name()
                        .map_or_else(String::new, |n| path_text(Path::new(n)).into_owned())
                })
            }),
            project_path: self.project_relative(file),
        }
    }

    /// The scenario's file: a bare file name (a parameter file beside its template) is the
    /// one file read with that name, else the one beside the site's file.
    fn scenario_file(&self, named: &str, site: &Path) -> PathBuf {
        let named = Path::new(named);
        if named.components().count() > 1 {
            return normalize(named);
        }
        let beside = normalize(&site.parent().unwrap_or(Path::new("")).join(named));
        match self.by_name.get(named.as_os_str()).map(Vec::as_slice) {
            Some([only]) => only.clone(),
            _ => beside,
        }
    }

    /// `path` relative to the project root; a relative path outside it keeps its own
    /// components less leading `..` (they name nothing of the project).
    fn project_relative(&self, path: &Path) -> Option<String> {
        // `paths::absolute`, with the current directory asked once.
        let whole = match &self.cwd {
            Some(cwd) if path.is_relative() => normalize(&cwd.join(path)),
            _ => absolute(path),
        };
        if let Some(relative) = self.roots.iter().find_map(|root| relative_to(root, &whole)) {
            return Some(relative);
        }
        if path.is_absolute() {
            return None;
        }
        let parts: Vec<String> = normalize(path)
            .components()
            .filter_map(|c| match c {
                Component::Normal(part) => Some(path_text(Path::new(part)).into_owned()),
                _ => None,
            })
            .collect();
        Some(parts.join("/"))
    }
}

/// The file or directory a scenario's name refers to, as the front ends spell it:
/// `terragrunt live/prod/app/terragrunt.hcl`, `root module envs/prod`, `root main.bicep with
/// main.prod.bicepparam`, or a parameter file's name or path.
pub fn scenario_path(scenario: &str) -> &str {
    if let Some(unit) = scenario.strip_prefix("terragrunt ") {
        return unit;
    }
    if let Some(root) = scenario.strip_prefix("root module ") {
        return root;
    }
    if let Some(root) = scenario.strip_prefix("root ") {
        return root.split_once(" with ").map_or(root, |(_, with)| with);
    }
    scenario
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scenario_names_lead_to_their_file_or_root() {
        assert_eq!(
            scenario_path("terragrunt live/prod/app/terragrunt.hcl"),
            "live/prod/app/terragrunt.hcl"
        );
        assert_eq!(scenario_path("root module envs/prod"), "envs/prod");
        assert_eq!(
            scenario_path("root main.bicep with main.prod.bicepparam"),
            "main.prod.bicepparam"
        );
        assert_eq!(scenario_path("root main.bicep"), "main.bicep");
        assert_eq!(
            scenario_path("azuredeploy.parameters.prod.json"),
            "azuredeploy.parameters.prod.json"
        );
    }

    #[test]
    fn a_bare_scenario_name_is_the_one_file_read_with_that_name_else_beside_the_site() {
        let sources = SourceMap::default();
        sources.add(crate::source::SourceFile::new(
            "infra/envs/main.prod.bicepparam".into(),
            "",
        ));
        let places = Places::new(&sources, &[], ["main.prod.bicepparam", "p.json"]);
        let site = Path::new("infra/modules/web.bicep");
        assert_eq!(
            places.scenario_file("main.prod.bicepparam", site),
            Path::new("infra/envs/main.prod.bicepparam")
        );
        assert_eq!(
            places.scenario_file("p.json", site),
            Path::new("infra/modules/p.json")
        );
        assert_eq!(
            places.scenario_file("./envs/../live/p.json", site),
            Path::new("live/p.json")
        );
    }

    #[test]
    fn paths_outside_the_root_keep_only_their_own_names() {
        let places = Places::new(&SourceMap::default(), &[], []);
        assert_eq!(
            places.project_relative(Path::new("../../envs/prod/main.tf")),
            Some("envs/prod/main.tf".to_string())
        );
        assert_eq!(
            places.project_relative(Path::new("/nowhere/prod/main.tf")),
            None
        );
        let rooted = Places::new(&SourceMap::default(), &[PathBuf::from("/srv/repo")], []);
        assert_eq!(
            rooted.project_relative(Path::new("/srv/repo/envs/dev/main.tf")),
            Some("envs/dev/main.tf".to_string())
        );
    }
}
