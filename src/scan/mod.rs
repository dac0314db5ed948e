//! The pure entry point: paths in, [`Report`] out. No printing, no exit codes.
//!
//! One function per stage, called in order by `scan_on_workers`:
//! 1. discovery (walk the paths, or take a reused [`Cache`] over),
//! 2. [`configs`]: which files their nearest config leaves in,
//! 3. [`sniff`]: read each file once and ask every front end of the [`table`] what interests
//!    it (in parallel; a file interests the first row that says so),
//! 4. [`front_ends`]: hand each front end its files; it groups them into units and scans them
//!    into model resources (all front ends in parallel, reading through the shared
//!    [`Loader`]),
//! 5. [`judge`]: scope filter, instance groups, one verdict per declaration,
//! 6. [`exceptions`]: config and inline exceptions suppress what they cover,
//! 7. [`finish`]: error records, subset restriction, sorting.
//!
//! The scan knows no format: the front ends are rows of [`table`] behind the
//! [`crate::front::FrontEnd`] trait.

mod cache;
mod configs;
mod exceptions;
mod finish;
mod front_ends;
mod judge;
mod session;
mod sniff;
mod table;
mod trace;

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use crate::discover::discover;
use crate::error::FileError;
use crate::load::{self, Loader};
use crate::report::Report;
use crate::source::SourceMap;

pub use cache::Cache;
pub use session::Session;

/// Options that change what a scan computes. The CLI fills them; the scan reads no environment.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// `--fail-on`: the least severe finding that fails the run; `None`: the configs decide
    /// (`fail-on`), else errors only.
    pub fail_on: Option<crate::diagnostic::Severity>,
    /// Terraform's `-var-file`, `-var` and `TF_VAR_` inputs.
    pub terraform: crate::terraform::Inputs,
    /// ARM / Bicep parameter files given explicitly; each is a deployment scenario.
    pub scenarios: crate::arm::Scenarios,
    /// Contents to scan instead of what is on disk (by normalised path): how `--fix` re-checks
    /// its edits before writing them.
    pub overrides: load::Overrides,
    /// `--config FILE`: used for every scanned file instead of the nearest `certgate.toml`.
    pub config_file: Option<PathBuf>,
    /// `--project-root DIR`: the only directory read in (see [`crate::fs::root`]); `None` finds
    /// it per scanned path.
    pub project_root: Option<PathBuf>,
    /// The date exceptions expire against. `None` reads today's date (UTC); tests and the
    /// fixture harness set it so results do not depend on the clock.
    pub today: Option<crate::date::Date>,
    /// The `expires-soon` window of the exceptions listing, in days (default 30).
    pub soon_days: Option<i64>,
    /// What an earlier scan of the same paths found ([`Scanned::cache`]): a re-scan with
    /// some contents overridden reads and searches only the files that changed. Ignored when
    /// the paths or `--config` differ.
    pub reuse: Option<Arc<Cache>>,
    /// The file system to read instead of the disk (tests, the fuzz harness); `None` reads
    /// the disk inside the project root.
    pub fs: Option<Arc<dyn crate::fs::FileSystem>>,
    /// Whether the cache also keeps the parsed Terraform modules, so that a re-scan parses
    /// only what changed. They stay in memory as long as the cache does: only a scan that
    /// will be repeated ([`Session`]) keeps them.
    pub keep_parsed: bool,
    /// `--no-guardrail-hint`: `check` never mentions a missing Azure Policy guardrail (a
    /// `certgate.toml` can turn it off too: `guardrail-hint = false`).
    pub no_guardrail_hint: bool,
    /// `--select`, `--ignore`, `--exclude` and their `--extend-*` forms, laid over every
    /// config (and the defaults).
    pub command_line: crate::config::command_line::CommandLine,
    /// Record what the scan did in [`Report::trace`] (`check --verbose`, `--show-files`).
    pub trace: bool,
    /// Stop after the byte search: find the files that would be scanned, judge nothing
    /// (`check --show-files`). Discovery, config and read errors are still reported.
    pub files_only: bool,
}

/// A scan's report, and beside it what the scan found on the way, for a re-scan to reuse.
#[derive(Debug)]
pub struct Scanned {
    pub report: Report,
    /// Discovery and byte search results (pass as [`Settings::reuse`]).
    pub cache: Arc<Cache>,
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
pub fn project_root(paths: &[PathBuf], settings: &Settings) -> crate::fs::root::Chosen {
    let named: Vec<PathBuf> = settings
        .terraform
        .var_files
        .iter()
        .chain(&settings.scenarios.parameter_files)
        .cloned()
        .collect();
    crate::fs::root::ProjectRoot::detect(
        paths,
        settings.project_root.as_deref(),
        settings.config_file.as_deref(),
        &named,
    )
}

fn scan_on_workers(paths: &[PathBuf], settings: &Settings) -> Scanned {
    let mut stages = trace::Stages::new();
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
    let loader = Loader::with_overrides(&sources, &settings.overrides)
        .within(&root)
        .naming_units(settings.trace);
    let loader = match settings.fs.as_deref() {
        Some(fs) => loader.on(fs),
        None => loader,
    };
    let changed = reuse.map(|cache| cache.changed(&settings.overrides));
    // What the scan taken over loaded is not read again, but for the files changed since.
    let loader = match reuse.zip(changed.as_ref()) {
        Some((cache, changed)) => loader.reusing(&cache.loaded, changed),
        None => loader,
    };
    // What the walk saw of module directories serves this scan only: a re-scan parses only
    // the directories whose files changed, which it lists (their buffers are in them), and
    // it runs when memory peaks.
    let (files, discovery_errors, config_unsure, module_listings) = match reuse {
        Some(cache) => (
            cache.files.clone(),
            cache.discovery_errors.clone(),
            None,
            None,
        ),
        None => {
            let discovery = discover(paths, &settings.overrides, &loader.fs());
            let unsure = discovery.config_unsure;
            let listings = discovery.module_listings.map(Arc::new);
            (
                Arc::new(discovery.files),
                discovery.errors,
                unsure,
                listings,
            )
        }
    };
    let loader = loader.with_module_listings(module_listings);
    stages.end("discovery");
    let mut errors = discovery_errors.clone();
    errors.extend(root_errors);
    let mut configs = crate::policy::Configs::new(
        &loader,
        settings.config_file.as_deref(),
        &settings.command_line,
    );
    let included = match reuse.zip(changed.as_ref()) {
        Some((cache, changed)) if cache.same_configs(changed) => {
            configs.preload(&cache.configs);
            cache.included.clone()
        }
        _ => Arc::new(configs::included(
            &files,
            &mut configs,
            config_unsure.as_ref(),
        )),
    };
    let config_paths = configs.loaded_paths();
    // Held until this scan's front ends are done; re-scans of one cache take turns.
    let mut previous = Default::default();
    let earlier = reuse.zip(changed.as_ref()).map(|(cache, changed)| {
        let mut memo = crate::lock::lock(&cache.terraform);
        memo.make_room_for(changed, &settings.terraform);
        previous = memo.take_previous();
        (memo, changed)
    });
    let terraform = crate::terraform::Slot::new(
        earlier.as_ref().map(|(memo, changed)| (&**memo, *changed)),
        settings.keep_parsed,
    )
    .taking(previous);
    let rows = table::rows(settings, &terraform);
    let found = sniff::all(
        &rows,
        &loader,
        &files,
        &included,
        reuse,
        &settings.overrides,
    );
    let files_scanned = sniff::files_scanned(&rows, &files, &found);
    let scanned_files = settings
        .trace
        .then(|| sniff::scanned_files(&rows, &files, &found));
    stages.end("load");
    // `--show-files`: no front end runs, so nothing is parsed or judged.
    let running = if settings.files_only { 0 } else { rows.len() };
    let front_ends::FrontEndScan {
        mut resources,
        comments,
        policies,
        units,
    } = front_ends::run(&rows[..running], &loader, &files, &found, &mut errors);
    drop(rows);
    stages.end("scan");
    let mut cache = Cache {
        paths: paths.to_vec(),
        config_file: settings.config_file.clone(),
        command_line: settings.command_line.clone(),
        overrides: settings.overrides.clone(),
        files,
        discovery_errors,
        found,
        included,
        configs: config_paths,
        sources: Vec::new(),
        loaded: Default::default(),
        terraform: Default::default(),
    };

    let by_file = judge::in_scope(&mut resources, &mut configs, &sources);
    let governing = judge::Governing::new(configs, by_file, settings.config_file.clone());
    // A module taken over skips its directory's reads, and so the errors they record.
    // What the files loaded are is kept, as the parsed modules are, only by a scan that will
    // be repeated.
    let read_errors = match settings.keep_parsed {
        true => {
            let (errors, loaded) = loader.into_errors_and_loaded();
            cache.loaded = loaded;
            errors
        }
        false => loader.into_errors(),
    };
    let parsed = terraform.into_memo();
    drop(earlier);
    cache.terraform = std::sync::Mutex::new(
        parsed.without_errors_in(read_errors.iter().map(|e| e.path.as_path())),
    );
    errors.extend(read_errors);
    // Off with the flag, or when any governing config turns it off.
    let guardrail_hint =
        !settings.no_guardrail_hint && governing.all().iter().all(|c| c.guardrail_hint);
    let guardrail = crate::report::guardrail::Guardrail::found(policies, &sources, guardrail_hint);
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
            governing
                .all()
                .iter()
                .filter_map(|c| c.fail_on)
                .min()
                .unwrap_or(crate::diagnostic::Severity::Error)
        }),
        guardrail,
        drift: None,
        trace: None,
    };
    judge::groups(&mut report, resources, &governing, &root);
    exceptions::apply(&mut report, &comments, settings, &governing);
    finish::finish(
        &mut report,
        errors,
        subset.as_ref(),
        settings.config_file.as_deref(),
    );
    report.elapsed = started.elapsed();
    stages.end("judge");
    if let Some(files) = scanned_files {
        report.trace = Some(trace::trace(
            files,
            &cache.included,
            &governing,
            units,
            stages,
        ));
    }
    cache.sources = report.sources.snapshot();
    Scanned {
        report,
        cache: Arc::new(cache),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `paths` scanned with `overrides` afresh, and again taking `cache` over.
    fn fresh_and_reused(
        paths: &[PathBuf],
        overrides: load::Overrides,
        cache: &Arc<Cache>,
    ) -> (Report, Report) {
        let fresh = scan(
            paths,
            &Settings {
                overrides: overrides.clone(),
                ..Settings::default()
            },
        );
        let reused = scan(
            paths,
            &Settings {
                overrides,
                reuse: Some(cache.clone()),
                ..Settings::default()
            },
        );
        (fresh, reused)
    }

    fn verdicts(report: &Report) -> Vec<(String, &'static str)> {
        let mut verdicts: Vec<_> = report
            .resources
            .iter()
            .map(|r| (r.address.clone(), r.verdict))
            .collect();
        verdicts.sort();
        verdicts
    }

    /// Writes `text` to `name` under `root`, creating its directories.
    fn write_under(root: &std::path::Path, name: &str, text: &str) {
        std::fs::create_dir_all(root.join(name).parent().unwrap()).unwrap();
        std::fs::write(root.join(name), text).unwrap();
    }

    /// A web app block with `client_certificate_enabled` set.
    fn site_block(name: &str, enabled: bool) -> String {
        format!(
            "resource \"azurerm_linux_web_app\" \"{name}\" {{\n  client_certificate_enabled = {enabled}\n}}\n"
        )
    }

    #[test]
    fn a_rescan_taking_the_cache_over_reads_what_changed() {
        let dir = tempfile::tempdir().unwrap();
        let root = crate::paths::normalize(dir.path());
        let write = |name: &str, text: &str| write_under(&root, name, text);
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
        let (fresh, reused) = fresh_and_reused(&paths, overrides, &first.cache);
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

    #[test]
    fn a_rescan_takes_the_config_lookup_over_unless_a_config_changed() {
        let dir = tempfile::tempdir().unwrap();
        let root = crate::paths::normalize(dir.path());
        let write = |name: &str, text: &str| write_under(&root, name, text);
        // One config excludes a directory. Two govern only files without a site, so only the
        // lookup loads them: one fails the run on warnings, one holds an error.
        write("team/certgate.toml", "exclude = [\"skipped/**\"]\n");
        write("team/kept/main.tf", &site_block("k", false));
        write("team/skipped/main.tf", &site_block("s", false));
        write("quiet/certgate.toml", "fail-on = \"warning\"\n");
        write("quiet/main.tf", "locals {}\n");
        write("broken/certgate.toml", "exclude = 3\n");
        write("broken/main.tf", "locals {}\n");
        let paths = vec![root.clone()];
        let first = scan_cached(&paths, &Settings::default());
        assert_eq!(first.cache.configs.len(), 3);
        assert_eq!(first.cache.included.iter().filter(|i| !**i).count(), 1);
        for (path, text) in [
            // A fix: the lookup is taken over.
            ("team/kept/main.tf", site_block("k", true)),
            // A config changes: looked up again (it no longer excludes `skipped`).
            ("team/certgate.toml", String::new()),
        ] {
            let mut overrides = load::Overrides::new();
            overrides.insert(root.join(path), text);
            let (fresh, reused) = fresh_and_reused(&paths, overrides, &first.cache);
            assert_eq!(verdicts(&reused), verdicts(&fresh), "{path}");
            assert_eq!(errors(&reused), errors(&fresh), "{path}");
            assert_eq!(errors(&reused).len(), 1, "{path}");
            assert_eq!(reused.fail_on, fresh.fail_on, "{path}");
            assert_eq!(reused.fail_on, crate::diagnostic::Severity::Warning);
            assert_eq!(reused.files_scanned, fresh.files_scanned, "{path}");
        }
    }

    /// Errors and notices as they are printed: where and what, never a file id.
    fn errors(report: &Report) -> Vec<(PathBuf, crate::source::LineCol, String)> {
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
    fn a_rescan_takes_over_what_the_first_scan_loaded_and_reads_only_changed_files() {
        let site = |name: &str, enabled: bool| {
            format!(
                "resource {name} 'Microsoft.Web/sites@2023-12-01' = {{\n  name: '{name}'\n  \
                 properties: {{\n    clientCertEnabled: {enabled}\n    clientCertMode: \
                 'Required'\n  }}\n}}\n"
            )
        };
        let files = |other_enabled: bool| {
            Arc::new(crate::fs::MemoryFs::new([
                (PathBuf::from("/p/a.bicep"), site("a", false)),
                (PathBuf::from("/p/b.bicep"), site("b", other_enabled)),
            ])) as Arc<dyn crate::fs::FileSystem>
        };
        let paths = vec![PathBuf::from("/p")];
        let first = scan_cached(
            &paths,
            &Settings {
                fs: Some(files(false)),
                keep_parsed: true,
                ..Settings::default()
            },
        );
        let failing = |report: &Report| {
            let mut failing: Vec<String> = (report.resources.iter())
                .filter(|r| r.verdict != "pass")
                .map(|r| r.address.clone())
                .collect();
            failing.sort();
            failing
        };
        assert_eq!(failing(&first.report), ["a", "b"]);
        // `a.bicep` is fixed in memory; `b.bicep` changes on the file system after the first
        // scan, which the re-scan does not read again: it takes the first scan's text over.
        let mut overrides = load::Overrides::new();
        overrides.insert(PathBuf::from("/p/a.bicep"), site("a", true));
        let settings = Settings {
            fs: Some(files(true)),
            overrides,
            ..Settings::default()
        };
        let reused = scan(
            &paths,
            &Settings {
                reuse: Some(first.cache.clone()),
                ..settings.clone()
            },
        );
        assert_eq!(failing(&reused), ["b"]);
        // Afresh, both files are read as they are now.
        assert!(failing(&scan(&paths, &settings)).is_empty());
    }

    #[test]
    fn a_rescan_takes_over_the_modules_of_unchanged_directories_and_still_reports_their_errors() {
        let dir = tempfile::tempdir().unwrap();
        let root = crate::paths::normalize(dir.path());
        let write = |name: &str, text: &str| write_under(&root, name, text);
        // A root calling a module whose site takes its setting from the caller.
        write(
            "live/main.tf",
            "module \"app\" {\n  source = \"../modules/app\"\n  cert = false\n}\n",
        );
        write(
            "modules/app/main.tf",
            "variable \"cert\" {}\nresource \"azurerm_linux_web_app\" \"m\" {\n  client_certificate_enabled = var.cert\n}\n",
        );
        write("fixed/main.tf", &site_block("f", false));
        write("kept/main.tf", &site_block("k", true));
        write(
            "broken/main.tf",
            &format!("{}resource {{\n", site_block("b", false)),
        );
        write("binary/main.tf", &site_block("n", true));
        write("binary/bad.tf", "x\0y\n");
        // Only calls a helper module: judged irrelevant, and not parsed, until it gains a site.
        let helper = "module \"s\" {\n  source = \"./sub\"\n}\n";
        write("helper/main.tf", helper);
        write(
            "helper/sub/main.tf",
            "resource \"azurerm_storage_account\" \"s\" {}\n",
        );
        // A site taking its setting from a helper module's output.
        write(
            "outputs/main.tf",
            "module \"h\" {\n  source = \"../helpers/h\"\n}\nresource \"azurerm_linux_web_app\" \"o\" {\n  client_certificate_enabled = module.h.enabled\n}\n",
        );
        write(
            "helpers/h/main.tf",
            "output \"enabled\" {\n  value = false\n}\n",
        );
        let paths = vec![root.clone()];
        // Only a scan that will be repeated keeps its modules.
        assert!(
            scan_cached(&paths, &Settings::default())
                .cache
                .terraform
                .lock()
                .unwrap()
                .is_empty()
        );
        let keep = Settings {
            keep_parsed: true,
            ..Settings::default()
        };
        let first = scan_cached(&paths, &keep);
        let memo = crate::lock::lock(&first.cache.terraform).clone();
        // A module keeps its parse errors; an error reading a file is the loader's, and
        // reported again only if the directory is read again.
        for kept in ["live", "modules/app", "fixed", "kept", "broken"] {
            assert!(memo.holds(&root.join(kept)), "{kept} not kept");
        }
        assert!(!memo.holds(&root.join("binary")));
        assert_eq!(memo.relevant(&root.join("helper")), Some(false));
        assert!(memo.judged(&root.join("live")) && memo.judged(&root.join("kept")));
        for (path, text) in [
            ("fixed/main.tf", site_block("f", true)),
            (
                "live/main.tf",
                "module \"app\" {\n  source = \"../modules/app\"\n  cert = true\n}\n".into(),
            ),
            ("helper/main.tf", format!("{helper}{}", site_block("h", false))),
            // Only the output of a helper module changes.
            (
                "helpers/h/main.tf",
                "output \"enabled\" {\n  value = true\n}\n".into(),
            ),
            // Only a module the root `live` calls changes.
            (
                "modules/app/main.tf",
                "variable \"cert\" {}\nresource \"azurerm_linux_web_app\" \"m\" {\n  client_certificate_enabled = true\n}\n".into(),
            ),
        ] {
            let mut overrides = load::Overrides::new();
            overrides.insert(root.join(path), text);
            let (fresh, reused) = fresh_and_reused(&paths, overrides, &first.cache);
            assert_ne!(verdicts(&fresh), verdicts(&first.report), "{path}");
            assert_eq!(verdicts(&reused), verdicts(&fresh), "{path}");
            assert_eq!(errors(&reused), errors(&fresh), "{path}");
            assert_eq!(errors(&reused).len(), 2, "{path}");
            assert_eq!(reused.files_scanned, fresh.files_scanned, "{path}");
        }
    }
}
