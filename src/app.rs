//! The application layer: turns a parsed command line into calls and an exit code.
//!
//! Errors that stop a run are returned as [`AppError`]; `main` prints each once as
//! `error: ...` and exits with [`EXIT_FAILURE`]. Notes on stderr that do not stop the run
//! (the `--diff` summary, "wrote the baseline") are printed where they arise.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::baseline::FindingKey;
use crate::cli::{
    CheckArgs, Cli, ColorChoice, Command, ExceptionsArgs, Format, ListFormat, PlanArgs, ScanArgs,
};
use crate::fix::run::{self as fix_run, Options};
use crate::report::BaselineOutcome;
use crate::report::Report;
use crate::report::human::Style;
use crate::report::wrap::{Destination, terminal_width};
use crate::rules;
use crate::scan::{Session, Settings, scan};
use crate::suppress::listing::Listing;

/// Exit code when the run itself failed (bad arguments, unreadable or unparsable input).
pub const EXIT_FAILURE: u8 = 2;

/// What a run that did not fail produced: the text for stdout and the exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub stdout: String,
    pub code: u8,
}

impl Outcome {
    fn new(stdout: String, code: u8) -> Self {
        Outcome { stdout, code }
    }
}

/// Why a run stopped before it could produce its output (exit code [`EXIT_FAILURE`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppError {
    /// A command-line value the run cannot use (`--config`, `--parameters`, stdin).
    #[error("{0}")]
    Argument(String),
    /// The `--baseline` file cannot be read or is malformed.
    #[error("{0}")]
    Baseline(String),
    /// A file the run writes cannot be written; `what` names it ("the report ").
    #[error("cannot write {what}{}: {why}", path.display())]
    Write {
        what: &'static str,
        path: PathBuf,
        why: String,
    },
    /// `certgate init` without `--force` over an existing file.
    #[error("{} already exists; pass --force to overwrite it", .0.display())]
    Exists(PathBuf),
    /// `certgate init` over something that is not a regular file (a link, a FIFO).
    #[error("{} is {kind}, not a regular file; certgate init does not write through it", path.display())]
    NotRegular { path: PathBuf, kind: String },
    /// `certgate explain` of an id that is no rule (nor a peer's id for one).
    #[error(
        "unknown rule `{0}`; known rules: {known} (also Checkov's CKV_AZURE_17 and Trivy's \
         AVD-AZU-0001)",
        known = rules::explain::all_ids().join(", ")
    )]
    UnknownRule(String),
    /// The language server stopped on an error.
    #[error("{0}")]
    Lsp(String),
}

/// Runs the command: what to print on stdout and the exit code, or why the run failed.
pub fn run(cli: Cli) -> Result<Outcome, AppError> {
    match cli.command {
        Command::Check(args) => check(args),
        Command::Explain { rule: Some(rule) } => explain(&rule).map(|text| Outcome::new(text, 0)),
        // No rule: the list to choose from, as `certgate rules` prints it.
        Command::Explain { rule: None } => Ok(Outcome::new(rules_table(), 0)),
        Command::Rules => Ok(Outcome::new(rules_table(), 0)),
        Command::Init { dir, force } => init(dir, force),
        Command::Exceptions(args) => exceptions(args),
        Command::Plan(args) => plan(args),
        Command::Remediate(args) => remediate(args),
        Command::Guardrail(args) => crate::guardrail::command::run(&args)
            .map(|text| Outcome::new(text, 0))
            .map_err(AppError::Argument),
        Command::Verify(args) => verify(args),
        Command::Progress(args) => progress(&args),
        Command::Lsp { config } => lsp(config),
        Command::Completions { shell } => Ok(Outcome::new(crate::manual::completions(shell), 0)),
        Command::Man { subcommand } => crate::manual::man_page(subcommand.as_deref())
            .map(|text| Outcome::new(text, 0))
            .map_err(AppError::Argument),
    }
}

/// `certgate progress`: the output on stdout, or written to `--output` with a note on stderr.
fn progress(args: &crate::cli::ProgressArgs) -> Result<Outcome, AppError> {
    let text = crate::progress::run(args).map_err(AppError::Argument)?;
    let Some(file) = &args.output else {
        return Ok(Outcome::new(text, 0));
    };
    crate::report::output::write_report(file, text.as_bytes()).map_err(|why| AppError::Write {
        what: "the progress output ",
        path: file.clone(),
        why,
    })?;
    eprintln!("certgate: wrote the progress output to {}", file.display());
    Ok(Outcome::new(String::new(), 0))
}

/// The scan settings of `check` and `plan` from their shared arguments.
fn scan_settings(scan: ScanArgs) -> Settings {
    let env_vars = if scan.env_vars {
        std::env::vars()
            .filter_map(|(key, value)| Some((key.strip_prefix("TF_VAR_")?.to_string(), value)))
            .collect()
    } else {
        Vec::new()
    };
    Settings {
        terraform: crate::terraform::Inputs {
            var_files: scan.var_files,
            vars: scan.vars,
            env_vars,
        },
        scenarios: crate::arm::Scenarios {
            parameter_files: scan.parameter_files,
        },
        config_file: scan.config,
        project_root: scan.project_root,
        today: Some(scan.today.unwrap_or_else(crate::date::today)),
        command_line: crate::config::command_line::CommandLine {
            select: scan.select,
            extend_select: scan.extend_select,
            ignore: scan.ignore,
            exclude: scan.exclude,
            extend_exclude: scan.extend_exclude,
            base: std::env::current_dir().unwrap_or_default(),
        },
        ..Settings::default()
    }
}

/// Checks the arguments every scan takes: the config and parameter files.
fn check_scan_args(scan: &ScanArgs) -> Result<(), AppError> {
    crate::arguments::check_config(scan.config.as_deref())
        .and_then(|()| crate::arguments::check_parameters(&scan.parameter_files))
        .map_err(AppError::Argument)
}

fn check(args: CheckArgs) -> Result<Outcome, AppError> {
    check_scan_args(&args.scan)?;
    if args.statistics && !matches!(args.format, Format::Human | Format::Concise) {
        return Err(AppError::Argument(
            "--statistics goes with --format human or concise: the other formats are read by \
             tools, and their findings can be counted there"
                .to_string(),
        ));
    }
    let selection = fix_selection(&args)?;
    let (paths, stdin_override) = crate::stdin::resolve(args.paths, args.stdin_filename, args.fix)
        .map_err(AppError::Argument)?;
    let settings = Settings {
        overrides: stdin_override.into_iter().collect(),
        fail_on: args.fail_on.map(crate::cli::FailOn::severity),
        no_guardrail_hint: args.no_guardrail_hint,
        trace: args.verbose || args.show_files,
        files_only: args.show_files,
        ..scan_settings(args.scan)
    };
    if args.show_files {
        return show_files(&paths, &settings);
    }
    let options = Options {
        unsafe_fixes: args.unsafe_fixes,
    };
    // `--batch K` / `--root-causes`: the plan's selection, from the scan before fixing. A batch
    // that does not exist is remembered and fails the run once the scan is done.
    let missing = std::cell::RefCell::new(None);
    let pick =
        |report: &Report| match selection.map(|s| crate::rollout::select::findings(report, s)) {
            Some(Ok(chosen)) => chosen,
            Some(Err(why)) => {
                *missing.borrow_mut() = Some(why);
                Default::default()
            }
            None => Default::default(),
        };
    let select: fix_run::Select = selection.map(|_| &pick as &dyn Fn(&Report) -> _);
    let mut session = Session::new(paths.clone(), settings.clone());
    let started = std::time::Instant::now();
    if args.diff {
        let (diff, report) = fix_run::diff_selected(&mut session, options, select);
        if let Some(why) = missing.take() {
            return Err(AppError::Argument(why));
        }
        print_trace(&report, Some(started.elapsed()), None);
        if !args.quiet {
            eprintln!("{}", fix_run::diff_summary(&report, options));
        }
        return Ok(Outcome::new(
            diff,
            exit_zero(args.exit_zero, report.exit_code()),
        ));
    }
    let mut report = if args.fix {
        let report = fix_run::fix_selected(&mut session, options, select);
        if let Some(why) = missing.take() {
            return Err(AppError::Argument(why));
        }
        report
    } else if matches!(args.format, Format::Json | Format::Sarif) {
        // JSON and SARIF carry each finding's fix; computing it costs a second scan when any exists.
        let mut report = fix_run::Rescan::scan(&mut session);
        fix_run::plan_fixes(&mut report, &session, options);
        report
    } else {
        // Scanned once: nothing is kept for a re-scan.
        scan(&paths, &settings)
    };
    let scanned = started.elapsed();
    // What the session keeps for a re-scan (every parsed module) is not needed to render; on
    // a large tree freeing it takes as long as rendering, so a thread frees it meanwhile.
    let freeing = std::thread::Builder::new()
        .spawn(move || drop(session))
        .ok();
    if let Some(file) = &args.write_baseline {
        if !report.errors.is_empty() {
            // Its findings would be missing from the baseline, and fail the next run as new.
            // Not a failure of the run: the report is still printed.
            eprintln!(
                "error: the baseline {} was not written: the scan had {}",
                file.display(),
                plural(report.errors.len(), "error")
            );
        } else {
            let keys = baseline_keys(&report.findings, file);
            let count = keys.len();
            let text = crate::baseline::write(keys);
            write_baseline(file, &text).map_err(|why| AppError::Write {
                what: "the baseline ",
                path: file.clone(),
                why,
            })?;
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
        apply_baseline(&mut report, file, named.as_ref()).map_err(AppError::Baseline)?;
    }
    if !args.deployed.is_empty() {
        crate::drift::attach(&mut report, &args.deployed, &settings);
    }
    let rendering = std::time::Instant::now();
    let text = match args.format {
        Format::Json => crate::report::json::render(&report),
        Format::Sarif => crate::report::sarif::render(&report),
        Format::Junit => crate::report::junit::render(&report),
        Format::Github => crate::report::github::render(&report),
        Format::Gitlab => crate::report::gitlab::render(&report),
        Format::Concise => crate::report::concise::render(&report, args.quiet),
        Format::Human => crate::report::human::render(
            &report,
            Style {
                // A report file is read later, often not on a terminal: no colour codes.
                color: args.output.is_none() && use_color(args.color),
                width: terminal_width(if args.output.is_some() {
                    Destination::File
                } else {
                    Destination::Stdout
                }),
                quiet: args.quiet,
                timing: true,
                show_suppressed: args.show_suppressed,
            },
        ),
    };
    let text = if args.statistics {
        text + &crate::report::statistics::render(&report)
    } else {
        text
    };
    // Fixes are planned for JSON and SARIF too (they list them).
    let fixed = args.fix || matches!(args.format, Format::Json | Format::Sarif);
    print_trace(&report, fixed.then_some(scanned), Some(rendering.elapsed()));
    if let Some(freeing) = freeing {
        let _ = freeing.join();
    }
    // Writing a baseline accepts today's findings: only a failed run is a failure.
    let code = match (&args.write_baseline, report.exit_code()) {
        (Some(_), 1) => 0,
        (_, code) => exit_zero(args.exit_zero, code),
    };
    if let Some(file) = &args.output {
        return write_output(file, &text, &report, args.quiet, code);
    }
    Ok(Outcome::new(text, code))
}

/// `--show-files`: the files a scan would read for sites, one per line, and exit 0; errors
/// (a path that does not exist, an invalid config) go to stderr and exit 2.
fn show_files(paths: &[PathBuf], settings: &Settings) -> Result<Outcome, AppError> {
    let mut report = scan(paths, settings);
    let list = report
        .trace
        .as_ref()
        .map(crate::report::trace::Trace::file_list)
        .unwrap_or_default();
    if report.errors.is_empty() {
        return Ok(Outcome::new(list, 0));
    }
    eprint_errors(&mut report);
    Ok(Outcome::new(list, EXIT_FAILURE))
}

/// The report's errors, with snippets, on stderr for people (stdout holds a listing): its
/// findings dropped, quiet, at stderr's width.
fn eprint_errors(report: &mut Report) {
    report.findings.clear();
    report.suppressed.clear();
    let errors = crate::report::human::render(
        report,
        Style {
            color: false,
            width: terminal_width(Destination::Stderr),
            quiet: true,
            timing: false,
            show_suppressed: false,
        },
    );
    eprint!("{errors}");
}

/// `--verbose`: what the scan did, on stderr (stdout stays the report). `fixing` is the time
/// of the scans and fixes together when fixes were planned: beyond the stages of the report's
/// own scan, it went to planning, trying and writing fixes (and the scans that checked them).
fn print_trace(
    report: &Report,
    fixing: Option<std::time::Duration>,
    rendered: Option<std::time::Duration>,
) {
    let Some(trace) = &report.trace else {
        return;
    };
    let scan: std::time::Duration = trace.stages.iter().map(|(_, took)| *took).sum();
    let mut after: Vec<(&'static str, std::time::Duration)> = fixing
        .map(|total| ("fixes", total.saturating_sub(scan)))
        .into_iter()
        .collect();
    after.extend(rendered.map(|took| ("report", took)));
    eprint!("{}", trace.render(&after));
}

/// `--exit-zero`: findings that fail the run (1) exit 0; a failed run (2) still exits 2, as
/// with ruff, whose `--exit-zero` does not hide errors either.
fn exit_zero(exit_zero: bool, code: u8) -> u8 {
    if exit_zero && code == 1 { 0 } else { code }
}

/// `--batch K [--batch-size N]` or `--root-causes`: only with `--fix` or `--diff`.
fn fix_selection(args: &CheckArgs) -> Result<Option<crate::rollout::select::Selection>, AppError> {
    use crate::rollout::select::Selection;
    let selection = match (args.batch, args.root_causes) {
        (Some(number), _) => Selection::Batch {
            number,
            size: args
                .batch_size
                .unwrap_or(crate::rollout::batches::DEFAULT_SIZE),
        },
        (None, true) => Selection::RootCauses,
        (None, false) => return Ok(None),
    };
    if !(args.fix || args.diff) {
        return Err(AppError::Argument(
            "--batch and --root-causes choose what --fix or --diff changes: add one of them"
                .to_string(),
        ));
    }
    if matches!(selection, Selection::Batch { number: 0, .. }) {
        return Err(AppError::Argument(
            "batches are numbered from 1".to_string(),
        ));
    }
    Ok(Some(selection))
}

/// `certgate plan`: scans with fix planning (as `--format json` does) and prints the rollout:
/// guardrail, root causes, batches, exceptions, totals. Exits 0 unless the scan had errors.
fn plan(args: PlanArgs) -> Result<Outcome, AppError> {
    check_scan_args(&args.scan)?;
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths
    };
    let settings = scan_settings(args.scan);
    let options = Options {
        unsafe_fixes: args.unsafe_fixes,
    };
    let mut session = Session::new(paths.clone(), settings.clone());
    let mut report = fix_run::Rescan::scan(&mut session);
    fix_run::plan_fixes(&mut report, &session, options);
    // CODEOWNERS is read inside the project root only, like every other file.
    let root = std::sync::Arc::new(crate::scan::project_root(&paths, &settings).root);
    let dirs = root.dirs().to_vec();
    let fs = crate::fs::DiskFs::new(root);
    let owners = crate::rollout::assemble::Owners::find(&fs, &dirs);
    let rollout = crate::rollout::assemble::assemble(&report, &owners, args.batch_size);
    let text = match args.format {
        crate::cli::PlanFormat::Human => crate::rollout::render::human::render(&rollout),
        crate::cli::PlanFormat::Markdown => crate::rollout::render::markdown::render(&rollout),
        crate::cli::PlanFormat::Json => crate::rollout::render::json::render(&rollout),
    };
    let code = if report.errors.is_empty() {
        0
    } else {
        EXIT_FAILURE
    };
    Ok(Outcome::new(text, code))
}

/// `certgate remediate`: the script on stdout, notes on stderr.
fn remediate(args: crate::cli::RemediateArgs) -> Result<Outcome, AppError> {
    use crate::remediate::command::{Language, Request, run};
    check_scan_args(&args.scan)?;
    let request = Request {
        exports: args.exports,
        language: match args.format {
            crate::cli::ScriptFormat::Az => Language::Az,
            crate::cli::ScriptFormat::Pwsh => Language::Pwsh,
        },
        batch: args.batch,
        batch_size: args.batch_size,
        code: args.code,
        settings: scan_settings(args.scan),
    };
    let (script, notes) = run(&request).map_err(AppError::Argument)?;
    for note in notes {
        eprintln!("{note}");
    }
    Ok(Outcome::new(script, 0))
}

/// `certgate verify`: the stored check over inventory exports (exit 1 when a site fails, 2
/// when a file is not a readable export of sites).
fn verify(args: crate::cli::VerifyArgs) -> Result<Outcome, AppError> {
    use crate::verify::{self, Check};
    if args.print_query {
        return Ok(Outcome::new(crate::verify::query::instructions(), 0));
    }
    let check = if args.strict {
        Check::Strict
    } else {
        Check::Enabled
    };
    let sources = crate::source::SourceMap::default();
    // The files are named on the command line: read where they are, like `--var-file`.
    let loader = crate::load::Loader::new(&sources);
    let verified = verify::verify(loader, &args.exports, check)
        .map_err(|problems| AppError::Argument(problems.join("\nerror: ")))?;
    let text = match args.format {
        crate::cli::VerifyFormat::Human => verify::render::human(&verified),
        crate::cli::VerifyFormat::Json => verify::render::json(&verified),
    };
    Ok(Outcome::new(text, verified.exit_code()))
}

/// `--output FILE`: the report goes to FILE; the terminal gets the one-line summary on stderr
/// (like `--diff`'s), so stdout stays empty for scripts.
fn write_output(
    file: &Path,
    text: &str,
    report: &Report,
    quiet: bool,
    code: u8,
) -> Result<Outcome, AppError> {
    crate::report::output::write_report(file, text.as_bytes()).map_err(|why| AppError::Write {
        what: "the report ",
        path: file.to_path_buf(),
        why,
    })?;
    if !quiet {
        eprintln!(
            "{} Report written to {}.",
            crate::report::human::summary_line(report, true),
            file.display()
        );
    }
    Ok(Outcome::new(String::new(), code))
}

/// `--write-baseline FILE`: a regular file (a FIFO would block the run, a device swallow the
/// baseline), replaced atomically keeping its mode and owner, or created.
fn write_baseline(file: &Path, text: &str) -> Result<(), String> {
    if let Ok(metadata) = std::fs::metadata(file)
        && !metadata.is_file()
    {
        return Err(format!(
            "not a regular file: it is {}",
            crate::fs::regular::describe(&metadata.file_type())
        ));
    }
    crate::fs::replace::write(file, text.as_bytes(), ".certgate-baseline-", |_| Ok(()))
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
    let bytes = crate::fs::regular::read(file)
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
fn init(dir: Option<PathBuf>, force: bool) -> Result<Outcome, AppError> {
    let path = dir
        .unwrap_or_else(|| PathBuf::from("."))
        .join(crate::paths::CONFIG_FILE);
    let existing = std::fs::symlink_metadata(&path).ok();
    if existing.is_some() && !force {
        return Err(AppError::Exists(path));
    }
    // Even with --force, only a regular file is replaced: writing through a link would change
    // a file elsewhere, and opening a FIFO would block.
    if let Some(metadata) = existing.filter(|m| !m.is_file()) {
        let kind = crate::fs::regular::describe(&metadata.file_type()).to_string();
        return Err(AppError::NotRegular { path, kind });
    }
    let text = crate::config::default_text().as_bytes();
    match crate::fs::replace::write(&path, text, ".certgate-init-", |_| Ok(())) {
        Ok(()) => Ok(Outcome::new(format!("wrote {}\n", path.display()), 0)),
        Err(why) => Err(AppError::Write {
            what: "",
            path,
            why,
        }),
    }
}

/// `certgate exceptions`: scans, then lists every exception with its status.
fn exceptions(args: ExceptionsArgs) -> Result<Outcome, AppError> {
    crate::arguments::check_config(args.config.as_deref()).map_err(AppError::Argument)?;
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths
    };
    let settings = Settings {
        config_file: args.config,
        today: Some(args.today.unwrap_or_else(crate::date::today)),
        soon_days: Some(args.soon),
        ..Settings::default()
    };
    let mut report = scan(&paths, &settings);
    let Some(ledger) = &report.ledger else {
        return Ok(Outcome::new(String::new(), EXIT_FAILURE));
    };
    let mut listing = Listing::from_ledger(ledger);
    // Files that could not be scanned: list what was found, and say what is missing.
    listing.errors = report
        .errors
        .iter()
        .map(|e| crate::suppress::listing::ListedError {
            path: crate::paths::path_text(&e.path).to_string(),
            line: e.start.line,
            column: e.start.column,
            message: e.message.clone(),
        })
        .collect();
    if !report.errors.is_empty() {
        // The errors, with snippets, for people; the listing stays on stdout.
        eprint_errors(&mut report);
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
    Ok(Outcome::new(text, code))
}

/// `certgate lsp`: serves until the client exits. Its output is the protocol itself.
fn lsp(config: Option<PathBuf>) -> Result<Outcome, AppError> {
    let settings = Settings {
        config_file: config,
        ..Settings::default()
    };
    match crate::lsp::serve(settings).map_err(AppError::Lsp)? {
        crate::lsp::Ending::Clean => Ok(Outcome::new(String::new(), 0)),
        crate::lsp::Ending::WithoutShutdown => Ok(Outcome::new(String::new(), 1)),
    }
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

fn explain(id: &str) -> Result<String, AppError> {
    rules::explain::resolve(id)
        .map(|resolved| rules::explain::text(&resolved))
        .ok_or_else(|| AppError::UnknownRule(id.to_string()))
}

/// `certgate rules`: the rule table, exception rules included.
fn rules_table() -> String {
    rules::docs::table()
}
