//! The application layer: runs a parsed command line, prints, and returns the exit code.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::baseline::FindingKey;
use crate::cli::{CheckArgs, Cli, ColorChoice, Command, ExceptionsArgs, Format, ListFormat};
use crate::fix::{self, FixStatus};
use crate::report::BaselineOutcome;
use crate::report::human::Style;
use crate::report::{ErrorRecord, Fixed, Report};
use crate::rules;
use crate::scan::{Settings, scan};
use crate::source::LineCol;
use crate::suppress::listing::Listing;

/// Exit code when the run itself failed (bad arguments, unreadable or unparsable input).
pub const EXIT_FAILURE: u8 = 2;

/// Runs the command and returns the process exit code.
pub fn run(cli: Cli) -> u8 {
    let (text, code) = match cli.command {
        Command::Check(args) => check(args),
        Command::Explain { rule: Some(rule) } => explain(&rule),
        // No rule: the list to choose from, as `certgate rules` prints it.
        Command::Explain { rule: None } => (rules_table(), 0),
        Command::Rules => (rules_table(), 0),
        Command::Init { dir, force } => init(dir, force),
        Command::Exceptions(args) => exceptions(args),
        Command::Lsp { config } => lsp(config),
    };
    // Locked only now: the language server writes stdout from its own thread.
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`certgate check | head`) is not a failure of the scan.
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
    code
}

fn check(args: CheckArgs) -> (String, u8) {
    let checked = crate::arguments::check_config(args.config.as_deref())
        .and_then(|()| crate::arguments::check_parameters(&args.parameter_files));
    if let Err(message) = checked {
        eprintln!("error: {message}");
        return (String::new(), EXIT_FAILURE);
    }
    let (paths, stdin_override) =
        match crate::stdin::resolve(args.paths, args.stdin_filename, args.fix) {
            Ok(resolved) => resolved,
            Err(message) => {
                eprintln!("error: {message}");
                return (String::new(), EXIT_FAILURE);
            }
        };
    let env_vars = if args.env_vars {
        std::env::vars()
            .filter_map(|(key, value)| Some((key.strip_prefix("TF_VAR_")?.to_string(), value)))
            .collect()
    } else {
        Vec::new()
    };
    let settings = Settings {
        terraform: crate::terraform::Inputs {
            var_files: args.var_files,
            vars: args.vars,
            env_vars,
        },
        scenarios: crate::arm::Scenarios {
            parameter_files: args.parameter_files,
        },
        config_file: args.config,
        project_root: args.project_root,
        today: Some(args.today.unwrap_or_else(crate::suppress::date::today)),
        overrides: stdin_override.into_iter().collect(),
        unsafe_fixes: args.unsafe_fixes,
        fail_on: args.fail_on.map(crate::cli::FailOn::severity),
        ..Settings::default()
    };
    if args.diff {
        let (diff, report) = diff(&paths, &settings);
        if !args.quiet {
            eprintln!("{}", diff_summary(&report, settings.unsafe_fixes));
        }
        return (diff, report.exit_code());
    }
    let report = if args.fix {
        fix(&paths, &settings)
    } else {
        let mut report = scan(&paths, &settings);
        // JSON and SARIF carry each finding's fix; computing it costs a second scan when any exists.
        if matches!(args.format, Format::Json | Format::Sarif) {
            plan_fixes(&mut report, &paths, &settings);
        }
        report
    };
    let mut report = report;
    if let Some(file) = &args.write_baseline {
        if !report.errors.is_empty() {
            // Its findings would be missing from the baseline, and fail the next run as new.
            eprintln!(
                "error: the baseline {} was not written: the scan had {}",
                file.display(),
                plural(report.errors.len(), "error")
            );
        } else {
            let keys = baseline_keys(&report.findings, file);
            let count = keys.len();
            let text = crate::baseline::write(keys);
            if let Err(why) = write_baseline(file, &text) {
                eprintln!("error: cannot write the baseline {}: {why}", file.display());
                return (String::new(), EXIT_FAILURE);
            }
            // On stderr: stdout may be a JSON or SARIF report.
            eprintln!(
                "certgate: wrote {} to the baseline {}",
                plural(count, "finding"),
                file.display()
            );
        }
    }
    if let Some(file) = &args.baseline {
        // Named files only (pre-commit): the other files' entries were not checked, so they
        // cannot be reported as fixed.
        let named = crate::subset::Subset::of(&paths, &settings.overrides, &settings.terraform)
            .map(|subset| subset.files);
        match apply_baseline(&mut report, file, named.as_ref()) {
            Ok(()) => {}
            Err(message) => {
                eprintln!("error: {message}");
                return (String::new(), EXIT_FAILURE);
            }
        }
    }
    let text = match args.format {
        Format::Json => crate::report::json::render(&report),
        Format::Sarif => crate::report::sarif::render(&report),
        Format::Junit => crate::report::junit::render(&report),
        Format::Github => crate::report::github::render(&report),
        Format::Gitlab => crate::report::gitlab::render(&report),
        Format::Human => crate::report::human::render(
            &report,
            Style {
                // A report file is read later, often not on a terminal: no colour codes.
                color: args.output.is_none() && use_color(args.color),
                width: terminal_width(),
                quiet: args.quiet,
                timing: true,
                show_suppressed: args.show_suppressed,
            },
        ),
    };
    // Writing a baseline accepts today's findings: only a failed run is a failure.
    let code = match (&args.write_baseline, report.exit_code()) {
        (Some(_), 1) => 0,
        (_, code) => code,
    };
    if let Some(file) = &args.output {
        return write_output(file, &text, &report, args.quiet, code);
    }
    (text, code)
}

/// `--output FILE`: the report goes to FILE; the terminal gets the one-line summary on stderr
/// (like `--diff`'s), so stdout stays empty for scripts.
fn write_output(file: &Path, text: &str, report: &Report, quiet: bool, code: u8) -> (String, u8) {
    if let Err(why) = crate::report::output::write_report(file, text.as_bytes()) {
        eprintln!("error: cannot write the report {}: {why}", file.display());
        return (String::new(), EXIT_FAILURE);
    }
    if !quiet {
        eprintln!(
            "{} Report written to {}.",
            crate::report::human::summary_line(report, true),
            file.display()
        );
    }
    (String::new(), code)
}

/// `--write-baseline FILE`: a regular file (a FIFO would block the run, a device swallow the
/// baseline), replaced atomically keeping its mode and owner, or created.
fn write_baseline(file: &Path, text: &str) -> Result<(), String> {
    if let Ok(metadata) = std::fs::metadata(file)
        && !metadata.is_file()
    {
        return Err(format!(
            "not a regular file: it is {}",
            crate::regular::describe(&metadata.file_type())
        ));
    }
    crate::replace::write(file, text.as_bytes(), ".certgate-baseline-", |_| Ok(()))
}

/// The baseline keys of `findings` (resource findings only: exception findings are fixed in
/// the exception, not baselined), relative to the baseline file's directory.
fn baseline_keys(findings: &[crate::report::Finding], file: &Path) -> Vec<FindingKey> {
    let dir = baseline_dir(file);
    findings
        .iter()
        .filter(|f| !f.is_about_an_exception())
        .map(|f| {
            FindingKey::new(
                f.rule.as_str(),
                &f.location.path,
                &f.address,
                f.scenario.as_deref(),
                dir,
            )
        })
        .collect()
}

/// The directory a baseline's paths are relative to: the baseline file's.
fn baseline_dir(file: &Path) -> &Path {
    match file.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// `--baseline FILE`: moves findings recorded in the file out of the failures and records the
/// entries that no longer occur.
fn apply_baseline(
    report: &mut Report,
    file: &Path,
    named: Option<&std::collections::BTreeSet<PathBuf>>,
) -> Result<(), String> {
    // A regular file only, capped: a FIFO would hang the read, `/dev/zero` never end it.
    let bytes = crate::regular::read(file)
        .map_err(|why| format!("cannot read the baseline {}: {why}", file.display()))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        format!(
            "cannot read the baseline {}: invalid UTF-8: certgate reads UTF-8 text",
            file.display()
        )
    })?;
    let baseline = crate::baseline::read(&text)
        .map_err(|e| format!("{}:{}:{}: {}", file.display(), e.line, e.column, e.message))?;
    let (resource_findings, exception_findings): (Vec<_>, Vec<_>) =
        std::mem::take(&mut report.findings)
            .into_iter()
            .partition(|f| !f.is_about_an_exception());
    let keys: std::collections::HashMap<usize, FindingKey> =
        baseline_keys(&resource_findings, file)
            .into_iter()
            .enumerate()
            .collect();
    let indexed: Vec<(usize, crate::report::Finding)> =
        resource_findings.into_iter().enumerate().collect();
    let mut comparison = crate::baseline::compare(&baseline, indexed, |(i, _)| keys[i].clone());
    if let Some(named) = named {
        let dir = baseline_dir(file);
        let checked: std::collections::BTreeSet<String> = named
            .iter()
            .map(|path| crate::baseline::relative_path(dir, path))
            .collect();
        comparison.fixed.retain(|key| checked.contains(&key.path));
    }
    report.findings = comparison.new.into_iter().map(|(_, f)| f).collect();
    report.findings.extend(exception_findings);
    report.sort();
    report.baseline = Some(BaselineOutcome {
        baselined: comparison.baselined.into_iter().map(|(_, f)| f).collect(),
        fixed: comparison.fixed,
    });
    Ok(())
}

/// `certgate init`: writes the commented default config; refuses to overwrite without `--force`.
fn init(dir: Option<PathBuf>, force: bool) -> (String, u8) {
    let path = dir
        .unwrap_or_else(|| PathBuf::from("."))
        .join(crate::paths::CONFIG_FILE);
    let existing = std::fs::symlink_metadata(&path).ok();
    if existing.is_some() && !force {
        eprintln!(
            "error: {} already exists; pass --force to overwrite it",
            path.display()
        );
        return (String::new(), EXIT_FAILURE);
    }
    // Even with --force, only a regular file is replaced: writing through a link would change
    // a file elsewhere, and opening a FIFO would block.
    if let Some(metadata) = existing.filter(|m| !m.is_file()) {
        eprintln!(
            "error: {} is {}, not a regular file; certgate init does not write through it",
            path.display(),
            crate::regular::describe(&metadata.file_type())
        );
        return (String::new(), EXIT_FAILURE);
    }
    let text = crate::config::default_text().as_bytes();
    match crate::replace::write(&path, text, ".certgate-init-", |_| Ok(())) {
        Ok(()) => (format!("wrote {}\n", path.display()), 0),
        Err(why) => {
            eprintln!("error: cannot write {}: {why}", path.display());
            (String::new(), EXIT_FAILURE)
        }
    }
}

/// `certgate exceptions`: scans, then lists every exception with its status.
fn exceptions(args: ExceptionsArgs) -> (String, u8) {
    if let Err(message) = crate::arguments::check_config(args.config.as_deref()) {
        eprintln!("error: {message}");
        return (String::new(), EXIT_FAILURE);
    }
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths
    };
    let settings = Settings {
        config_file: args.config,
        today: Some(args.today.unwrap_or_else(crate::suppress::date::today)),
        soon_days: Some(args.soon),
        ..Settings::default()
    };
    let mut report = scan(&paths, &settings);
    let Some(ledger) = &report.ledger else {
        return (String::new(), EXIT_FAILURE);
    };
    let mut listing = Listing::from_ledger(ledger);
    // Files that could not be scanned: list what was found, and say what is missing.
    listing.errors = report
        .errors
        .iter()
        .map(|e| crate::suppress::listing::ListedError {
            path: e.path.display().to_string(),
            line: e.start.line,
            column: e.start.column,
            message: e.message.clone(),
        })
        .collect();
    if !report.errors.is_empty() {
        // The errors, with snippets, for people; the listing stays on stdout.
        report.findings.clear();
        report.suppressed.clear();
        let text = crate::report::human::render(
            &report,
            Style {
                color: false,
                width: terminal_width(),
                quiet: true,
                timing: false,
                show_suppressed: false,
            },
        );
        eprint!("{text}");
    }
    let text = match args.format {
        ListFormat::Human => listing.render_human(),
        ListFormat::Json => listing.render_json(),
        ListFormat::Csv => listing.render_csv(),
    };
    let code = if report.errors.is_empty() {
        u8::from(listing.any_expired())
    } else {
        EXIT_FAILURE
    };
    (text, code)
}

/// `certgate lsp`: serves until the client exits. Its output is the protocol itself.
fn lsp(config: Option<PathBuf>) -> (String, u8) {
    let settings = Settings {
        config_file: config,
        ..Settings::default()
    };
    match crate::lsp::serve(settings) {
        Ok(crate::lsp::Ending::Clean) => (String::new(), 0),
        Ok(crate::lsp::Ending::WithoutShutdown) => (String::new(), 1),
        Err(message) => {
            eprintln!("error: {message}");
            (String::new(), EXIT_FAILURE)
        }
    }
}

/// Plans `report`'s fixes (setting each finding's `fix`), checking them by re-scanning `paths`
/// with the fixed texts (over `settings.overrides`, when the scan read buffers).
pub fn plan_fixes(report: &mut Report, paths: &[PathBuf], settings: &Settings) -> fix::FixPlan {
    // The trial scans walk, read and search again only the files the fixes change.
    let reuse = report.inventory.clone();
    // The fixed texts go over the contents the scan already reads from memory (an editor's
    // unsaved buffers), not instead of them.
    let check = |fixed: &crate::load::Overrides| {
        let mut overrides = settings.overrides.clone();
        overrides.extend(
            fixed
                .iter()
                .map(|(path, text)| (path.clone(), text.clone())),
        );
        scan(
            paths,
            &Settings {
                overrides,
                reuse: reuse.clone(),
                ..settings.clone()
            },
        )
    };
    fix::plan(report, paths, settings.unsafe_fixes, &check)
}

/// `check --fix`: plans and writes the fixes, then scans again. The returned report is what
/// remains, with the fixes made in `fixed` and files that could not be written as errors.
pub fn fix(paths: &[PathBuf], settings: &Settings) -> Report {
    let started = std::time::SystemTime::now();
    let mut before = scan(paths, settings);
    // The project root `--fix` writes inside: the one the scan read inside.
    let root = crate::scan::project_root(paths, settings).root;
    remove_stale_temporaries(&before, &root, started);
    let plan = plan_fixes(&mut before, paths, settings);
    let mut failed = Vec::new();
    for (path, why) in &plan.blocked {
        failed.push((
            path.clone(),
            format!("cannot fix: {why}; the file is unchanged"),
        ));
    }
    for file in &plan.files {
        if let Err(why) = fix::write::write_fix(
            &file.path,
            file.original.as_bytes(),
            file.fixed.as_bytes(),
            Some(&root),
        ) {
            failed.push((
                file.path.clone(),
                format!("cannot write the fix: {why}; the file is unchanged"),
            ));
        }
    }
    let mut after = scan(paths, settings);
    let not_written: Vec<&PathBuf> = failed.iter().map(|(path, _)| path).collect();
    let fixed = before
        .findings
        .iter()
        .filter_map(|finding| match &finding.fix {
            FixStatus::Available(fix)
                if fix.edits.iter().all(|e| !not_written.contains(&&e.path)) =>
            {
                Some(Fixed {
                    rule: finding.rule,
                    address: finding.address.clone(),
                    scenario: finding.scenario.clone(),
                    location: finding.location.clone(),
                    fix: fix.clone(),
                })
            }
            _ => None,
        })
        .collect();
    after.fixed = Some(fixed);
    // What remains keeps the reason it was not fixed.
    for finding in &mut after.findings {
        let reason = before.findings.iter().find_map(|old| match &old.fix {
            FixStatus::Unavailable(why)
                if old.rule == finding.rule
                    && old.address == finding.address
                    && old.scenario == finding.scenario
                    && old.location.path == finding.location.path =>
            {
                Some(why.clone())
            }
            _ => None,
        });
        if let Some(why) = reason {
            finding.fix = FixStatus::Unavailable(why);
        }
    }
    for (path, message) in failed {
        after.errors.push(ErrorRecord {
            path,
            span: None,
            start: LineCol { line: 1, column: 1 },
            message,
        });
    }
    after.sort();
    after
}

/// Removes the temporary files that killed `--fix` runs left next to the scanned files (the
/// only places a fix writes), inside the project root.
fn remove_stale_temporaries(
    report: &Report,
    root: &crate::root::ProjectRoot,
    started: std::time::SystemTime,
) {
    let dirs: std::collections::BTreeSet<PathBuf> = (0..report.sources.len())
        .map(|id| report.sources.get(id).path().to_path_buf())
        .filter(|path| !path.to_string_lossy().starts_with('<'))
        .filter_map(|path| path.parent().map(Path::to_path_buf))
        .collect();
    for dir in dirs.iter().filter(|dir| root.contains(dir)) {
        fix::write::remove_stale(dir, started);
    }
}

/// `check --diff`: the unified diff of what `--fix` would write, and the report before fixing
/// (with each finding's fix planned).
pub fn diff(paths: &[PathBuf], settings: &Settings) -> (String, Report) {
    let mut report = scan(paths, settings);
    let plan = plan_fixes(&mut report, paths, settings);
    let text = plan
        .files
        .iter()
        .map(|file| fix::diff::unified(&file.path, &file.original, &file.fixed))
        .collect();
    (text, report)
}

/// The lines `--diff` prints on stderr: what would be fixed and what would not. Unsafe fixes
/// are listed (they are in the diff only with `--unsafe-fixes`); without the option, the
/// first line counts the hidden ones, as ruff does.
fn diff_summary(report: &Report, unsafe_fixes: bool) -> String {
    let fixes: Vec<(&crate::report::Finding, &fix::Fix)> = report
        .findings
        .iter()
        .filter_map(|f| match &f.fix {
            FixStatus::Available(fix) => Some((f, fix)),
            _ => None,
        })
        .collect();
    let mut files: Vec<&PathBuf> = fixes
        .iter()
        .flat_map(|(_, fix)| fix.edits.iter().map(|e| &e.path))
        .collect();
    files.sort();
    files.dedup();
    let unsafe_count = fixes
        .iter()
        .filter(|(_, fix)| fix.applicability == fix::Applicability::Unsafe)
        .count();
    let mut line = format!(
        "certgate: --fix{} would fix {} of {}{} in {}",
        if unsafe_fixes { " --unsafe-fixes" } else { "" },
        fixes.len(),
        plural(report.findings.len(), "finding"),
        if unsafe_count > 0 {
            format!(" ({unsafe_count} unsafe)")
        } else {
            String::new()
        },
        plural(files.len(), "file")
    );
    let hidden = report
        .findings
        .iter()
        .filter(|f| fix::hidden_unsafe(&f.fix))
        .count();
    if hidden > 0 {
        let fixes = if hidden == 1 { "fix" } else { "fixes" };
        line.push_str(&format!(
            " ({hidden} hidden {fixes} can be enabled with {})",
            fix::UNSAFE_FIXES_FLAG
        ));
    }
    for (finding, fix) in &fixes {
        if fix.applicability == fix::Applicability::Unsafe {
            line.push_str(&format!(
                "\n  unsafe fix: {} `{}`: {}",
                finding.rule, finding.address, fix.description
            ));
        }
    }
    for finding in &report.findings {
        if let FixStatus::Unavailable(why) = &finding.fix {
            line.push_str(&format!(
                "\n  not fixable: {} `{}`: {why}",
                finding.rule, finding.address
            ));
        }
    }
    line
}

/// `1 file`, `2 files`.
fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
}

fn explain(id: &str) -> (String, u8) {
    match rules::explain::resolve(id).map(|resolved| rules::explain::text(&resolved)) {
        Some(docs) => (docs, 0),
        None => {
            eprintln!(
                "error: unknown rule `{id}`; known rules: {} (also Checkov's CKV_AZURE_17 and \
                 Trivy's AVD-AZU-0001)",
                rules::explain::all_ids().join(", ")
            );
            (String::new(), EXIT_FAILURE)
        }
    }
}

/// `certgate rules`: the rule table, exception rules included.
fn rules_table() -> String {
    rules::docs::table()
}
