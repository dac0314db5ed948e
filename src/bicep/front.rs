//! The Bicep front end's entry point: which files are roots, which scenarios each root has,
//! and judging every root once per scenario in parallel.
//!
//! Roots: a Bicep file that another scanned (or reached) Bicep file calls as a local module
//! is judged only through its callers, with the `params` they pass; every other file that can
//! lead to a site is a root, judged once per parameter file (each finding names it as the
//! scenario), or once with its defaults when it has none. A file reached only through a
//! module cycle is a root too, so the cycle is reported rather than the files skipped. When a
//! module file is judged from several roots, each result names its root as the scenario.

use crate::path_map::{PathHashMap, PathHashSet};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::arm::Scenarios;
use crate::error::FileError;
use crate::load::Loader;
use crate::model::{Comments, Resource, UnitScan};
use crate::paths::normalize;
use crate::source::{FileId, Span};

use super::imports::Imports;
use super::outline::{self, Known};
use super::params::{self, JsonParams, ParameterFile, Scenario};
use super::project::{Parsed, Project};
use super::scope::{Budget, NESTING, Role, Scope};
use super::walk::Walker;

/// A `.bicepparam` file found by discovery, next to a root, or on the command line.
struct ParamSource {
    /// The path as found or given.
    path: PathBuf,
    /// The normalised path, to tell files apart.
    key: PathBuf,
    /// The normalised file its `using` line names, read from the text.
    target: Option<PathBuf>,
    /// The name findings give the scenario.
    name: String,
    /// The command-line position that named it, if any.
    explicit: Option<usize>,
    /// Whether discovery found it among the scanned paths.
    discovered: bool,
}

/// The parameter files in the order found, indexed by normalised path: a large repository
/// holds thousands, and a linear search per file would make reading them quadratic.
#[derive(Default)]
struct ParamSources {
    list: Vec<ParamSource>,
    by_key: PathHashMap<PathBuf, usize>,
}

/// Scans the Bicep and `.bicepparam` files discovery found (those passing the sniff). `known`
/// holds the outlines of every `.bicep` file discovery read, so deciding which files can lead
/// to a site reads nothing twice.
pub fn scan_files(
    paths: &[PathBuf],
    known: &Known,
    loader: &Loader<'_>,
    scenarios: &Scenarios,
) -> UnitScan {
    let project = Project::new(loader, known);
    let mut all = UnitScan::default();
    let is_params = |path: &Path| {
        path.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("bicepparam"))
    };

    // Parameter files first: their `using` lines name files to judge. Only their text is read
    // now; a parameter file is parsed when the file it names is judged.
    let mut sources = ParamSources::default();
    let add = |sources: &mut ParamSources, path: &Path, explicit: Option<usize>, discovered| {
        let key = normalize(path);
        if let Some(&i) = sources.by_key.get(&key) {
            let existing = &mut sources.list[i];
            existing.explicit = existing.explicit.or(explicit);
            return;
        }
        let bytes = match loader.read_bytes(path) {
            Ok(bytes) => bytes,
            Err(error) => {
                loader.record(error);
                return;
            }
        };
        let dir = key.parent().unwrap_or(Path::new(""));
        let target = outline::using_target(&bytes).map(|t| normalize(&dir.join(t)));
        let name = match (&target, explicit) {
            // Next to the file it is for: its file name is enough.
            (Some(target), None) if target.parent().unwrap_or(Path::new("")) == dir => {
                params::display_name(&key)
            }
            _ => crate::paths::path_text(path).to_string(),
        };
        sources.by_key.insert(key.clone(), sources.list.len());
        sources.list.push(ParamSource {
            path: path.to_path_buf(),
            key,
            target,
            name,
            explicit,
            discovered,
        });
    };
    for path in paths.iter().filter(|p| is_params(p)) {
        add(&mut sources, path, None, true);
    }
    let mut explicit_json: Vec<(usize, ParameterFile)> = Vec::new();
    for (i, path) in scenarios.parameter_files.iter().enumerate() {
        if is_params(path) {
            add(&mut sources, path, Some(i), false);
        } else if let Ok(Some(file)) = params::read_json(loader, path, path.display().to_string()) {
            // Broken or unreadable JSON is reported by the ARM front end, which reads it too.
            explicit_json.push((i, file));
        }
    }

    // Candidates: discovered Bicep files and the files parameter files name.
    let mut candidates: BTreeSet<PathBuf> = paths
        .iter()
        .filter(|p| !is_params(p))
        .map(|p| normalize(p))
        .collect();
    // A parameter file discovery found brings its template (`certgate check prod.bicepparam`);
    // one given with `--parameters` only applies to files that are judged anyway, as for ARM.
    for source in sources.list.iter().filter(|s| s.discovered) {
        let Some(target) = &source.target else {
            continue;
        };
        if let Some(root) = loader.root().filter(|_| !loader.allowed(target)) {
            let what = format!("`using '{}'`", crate::paths::path_text(target));
            all.errors.push(FileError::notice(
                &source.path,
                None,
                root.outside_message(&what, target),
            ));
        } else if loader.is_file(target)
            && target
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("bicep"))
        {
            // Only a Bicep file is parsed: another file's text would show in syntax errors.
            candidates.insert(target.clone());
        }
    }
    let candidates: Vec<PathBuf> = candidates
        .into_par_iter()
        .filter(|path| project.relevant(path))
        .collect();
    let roots = roots(&project, &candidates);

    // `.bicepparam` files next to a root belong to it even when discovery did not pass them
    // (a single file named on the command line, as pre-commit does).
    for root in &roots {
        let dir = root.parent().unwrap_or(Path::new(""));
        for path in params::bicepparam_siblings(loader, dir) {
            add(&mut sources, &path, None, false);
        }
    }

    let mut by_target: PathHashMap<&Path, Vec<&ParamSource>> = PathHashMap::default();
    for source in &sources.list {
        if let Some(target) = &source.target {
            by_target.entry(target).or_default().push(source);
        }
    }
    let mut tasks: Vec<(Arc<Parsed>, Option<Scenario>)> = Vec::new();
    let mut used: BTreeSet<usize> = BTreeSet::new();
    for root in &roots {
        let Some(parsed) = project.parsed(root) else {
            continue;
        };
        let mut scenarios: Vec<Scenario> = Vec::new();
        for source in by_target.get(root.as_path()).into_iter().flatten() {
            // The parsed `using` decides (the text search may have met a commented-out line).
            let Some(file) = params::read_bicepparam(&project, &source.path) else {
                continue;
            };
            if file.target.as_ref() != Some(root) {
                continue;
            }
            used.extend(source.explicit);
            let inputs =
                params::bicepparam_inputs(&project, &file.parsed, &source.name, &mut all.errors);
            scenarios.push(Scenario {
                path: source.key.clone(),
                name: source.name.clone(),
                inputs,
            });
        }
        for path in params::json_siblings(loader, root) {
            match params::read_json(loader, &path, params::display_name(&path)) {
                Ok(Some(file)) => scenarios.push(Scenario {
                    path: file.path.clone(),
                    name: file.display.clone(),
                    inputs: file.inputs(),
                }),
                Ok(None) => {}
                Err(error) => all.errors.push(error),
            }
        }
        for (i, file) in &explicit_json {
            if !file.fits_bicep(&parsed) {
                continue;
            }
            used.insert(*i);
            // A sibling named on the command line too is still one scenario.
            if scenarios.iter().all(|s| s.path != file.path) {
                scenarios.push(Scenario {
                    path: file.path.clone(),
                    name: file.display.clone(),
                    inputs: file.inputs(),
                });
            }
        }
        if scenarios.is_empty() {
            tasks.push((parsed, None));
        } else {
            tasks.extend(scenarios.into_iter().map(|s| (parsed.clone(), Some(s))));
        }
    }

    if loader.names_units() {
        all.units = tasks
            .iter()
            .map(|(root, scenario)| {
                let root = crate::paths::path_text(root.source.path());
                match scenario {
                    Some(scenario) => format!("root {root} with {}", scenario.name),
                    None => format!("root {root}"),
                }
            })
            .collect();
    }
    let judged: Vec<Judged> = tasks
        .into_par_iter()
        .map(|(root, scenario)| judge(&project, &root, scenario))
        .collect();
    let mut per_root = Vec::new();
    for (root, resources, errors, policies) in judged {
        all.errors.extend(errors);
        all.policies.extend(policies);
        per_root.push((root, crate::instances::collapse_identical(resources)));
    }
    all.resources = crate::instances::name_roots(per_root, |root, scenario| {
        let root = crate::paths::path_text(root);
        match scenario {
            Some(scenario) => format!("root {root} with {scenario}"),
            None => format!("root {root}"),
        }
    });

    for (i, path) in scenarios.parameter_files.iter().enumerate() {
        if used.contains(&i) {
            continue;
        }
        let message = if is_params(path) {
            "not used: its `using` line does not name a scanned Bicep file that deploys an App \
             Service site as a root (one that no other scanned file calls as a module)"
        } else if !roots.is_empty() && explicit_json.iter().any(|(j, _)| *j == i) {
            "no scanned Bicep file declares every parameter this file sets, so it is not used \
             for Bicep files"
        } else {
            continue;
        };
        all.errors.push(FileError::notice(path, None, message));
    }
    record_comments(&mut all, &project, loader);
    all
}

/// Records in `all` the comments of each file holding one of its resources, as its parse
/// recorded them.
fn record_comments(all: &mut UnitScan, project: &Project, loader: &Loader<'_>) {
    let parsed: HashMap<FileId, Arc<Parsed>> = project
        .all_parsed()
        .into_iter()
        .map(|parsed| (parsed.id, parsed))
        .collect();
    all.record_comments(|file, _| {
        let comments = match parsed.get(&file).and_then(|p| p.comments.clone()) {
            Some(comments) => comments,
            // Not met: a file declaring a resource records its comments as it is parsed.
            None => super::comments(loader.sources().get(file).text()),
        };
        Some(Comments::Lines(comments))
    });
}

/// Judges one root in one scenario (or with its defaults).
/// One root judged: its path, resources, errors and Azure Policy assignments.
type Judged = (
    PathBuf,
    Vec<Resource>,
    Vec<FileError>,
    Vec<crate::model::guardrail::PolicyAssignment>,
);

fn judge(project: &Project<'_>, root: &Parsed, scenario: Option<Scenario>) -> Judged {
    let budget = Budget::default().with_nesting(NESTING);
    let (inputs, missing, name) = match scenario {
        Some(scenario) => {
            let missing = format!("{} does not set it", scenario.name);
            (scenario.inputs, missing, Some(scenario.name))
        }
        None => (
            HashMap::new(),
            "no value in any parameter file".to_string(),
            None,
        ),
    };
    let imports = Imports::new(project, &budget);
    let scope =
        Scope::new(root, Role::Template, inputs, missing, &budget).with_imports(Some(&imports));
    let mut walker = Walker::new(project, root, name.clone());
    walker.file(&scope, &[]);
    let mut errors = walker.errors;
    if let Some(notice) = budget.notice("file", name.as_deref()) {
        let at = Span::new(root.id, 0..0);
        errors.push(FileError::notice(root.source.path(), Some(at), notice));
    }
    (
        root.source.path().to_path_buf(),
        walker.resources,
        errors,
        walker.policies,
    )
}

/// Which of `candidates` are roots: those no other reached Bicep file calls as a local module.
/// Files only reachable through a module cycle are roots too.
fn roots(project: &Project<'_>, candidates: &[PathBuf]) -> Vec<PathBuf> {
    let mut children: PathHashMap<PathBuf, Vec<PathBuf>> = PathHashMap::default();
    let mut frontier: Vec<PathBuf> = candidates.to_vec();
    let mut seen: PathHashSet<PathBuf> = frontier.iter().cloned().collect();
    while !frontier.is_empty() {
        let found: Vec<(PathBuf, Vec<PathBuf>)> = frontier
            .par_iter()
            .map(|path| {
                let kids = project.parsed(path).map_or_else(Vec::new, |parsed| {
                    parsed
                        .local_modules()
                        .into_iter()
                        .filter(|kid| project.relevant(kid))
                        .collect()
                });
                (path.clone(), kids)
            })
            .collect();
        frontier = Vec::new();
        for (path, kids) in found {
            for kid in &kids {
                if seen.insert(kid.clone()) {
                    frontier.push(kid.clone());
                }
            }
            children.insert(path, kids);
        }
    }
    let called: PathHashSet<&PathBuf> = children
        .iter()
        .flat_map(|(parent, kids)| kids.iter().filter(move |kid| *kid != parent))
        .collect();
    let mut roots: Vec<PathBuf> = candidates
        .iter()
        .filter(|path| !called.contains(path))
        .cloned()
        .collect();
    let mut reached: PathHashSet<PathBuf> = PathHashSet::default();
    let reach = |from: &PathBuf, reached: &mut PathHashSet<PathBuf>| {
        let mut stack = vec![from.clone()];
        while let Some(path) = stack.pop() {
            if reached.insert(path.clone()) {
                stack.extend(children.get(&path).into_iter().flatten().cloned());
            }
        }
    };
    for root in &roots {
        reach(root, &mut reached);
    }
    for path in candidates {
        if !reached.contains(path) {
            roots.push(path.clone());
            reach(path, &mut reached);
        }
    }
    roots
}

/// The Bicep front end as the scan's table drives it, with the parameter files given
/// explicitly: `.bicep` files naming the site type or calling a local module, and every
/// `.bicepparam` file, are its inputs; the outline of every `.bicep` file is kept so that
/// deciding which callers to read reads nothing twice. It claims the directories of its
/// interesting `.bicep` files (the ARM templates `bicep build` generated there are skipped).
pub struct Bicep<'a> {
    pub scenarios: &'a Scenarios,
}

/// The files to scan, in path order, and the outlines of all `.bicep` files.
pub struct Units {
    paths: Vec<PathBuf>,
    known: Known,
}

impl crate::front::FrontEnd for Bicep<'_> {
    const ID: crate::front::FrontEndId = crate::front::FrontEndId::Bicep;
    type Outline = outline::Outline;
    type Units = Units;

    /// Every Bicep file is outlined to find its callers; a `.bicepparam` file only feeds
    /// values, so it does not count.
    fn searched_for_sites(&self, kind: crate::file_kind::FileKind, _interesting: bool) -> bool {
        kind == crate::file_kind::FileKind::Bicep
    }

    fn sniff(
        &self,
        kind: crate::file_kind::FileKind,
        bytes: &[u8],
    ) -> Option<crate::front::Sniffed<outline::Outline>> {
        use crate::file_kind::FileKind;
        match kind {
            FileKind::Bicep => {
                // UTF-16 text is searched decoded, so that a file that matters is read (and
                // refused).
                let bytes = crate::load::searchable(bytes);
                Some(crate::front::Sniffed {
                    interesting: outline::is_interesting(&bytes),
                    outline: Some(outline::Outline::of(&bytes)),
                })
            }
            // Parameter files are small and name no type: which template they feed is read
            // from their `using` line when they are scanned.
            FileKind::BicepParams => Some(crate::front::Sniffed {
                interesting: true,
                outline: None,
            }),
            _ => None,
        }
    }

    fn claims(&self, files: &[crate::front::Candidate<crate::front::Erased>]) -> BTreeSet<PathBuf> {
        files
            .iter()
            .filter(|file| file.interesting && file.kind == crate::file_kind::FileKind::Bicep)
            .map(|file| file.path.parent().map_or_else(PathBuf::new, normalize))
            .collect()
    }

    fn units(
        &self,
        _: &Loader,
        files: Vec<crate::front::Candidate<outline::Outline>>,
        _: &crate::front::Claims,
    ) -> Units {
        let mut units = Units {
            paths: Vec::new(),
            known: Known::default(),
        };
        for file in files {
            if let Some(outline) = file.outline {
                units.known.add(&file.path, Arc::unwrap_or_clone(outline));
            }
            if file.interesting {
                units.paths.push(file.path);
            }
        }
        units
    }

    fn scan(&self, loader: &Loader, units: Units) -> UnitScan {
        scan_files(&units.paths, &units.known, loader, self.scenarios)
    }
}
