//! Command-line arguments (clap derive). Only this module and `main` know about clap.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::config::PathGlob;
use crate::config::command_line::Selector;

/// Finds Azure App Service sites and slots in Terraform, plan JSON, ARM templates and Bicep that
/// do not require incoming client certificates (mutual TLS).
#[derive(Debug, Parser)]
#[command(name = "certgate", version, about, arg_required_else_help = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan files and directories and report App Service resources that do not require client
    /// certificates.
    Check(CheckArgs),
    /// Print a rule's documentation (without a rule: list the rules).
    Explain {
        /// The rule id in any case, e.g. client-cert-disabled, or a peer's id for the control
        /// (CKV_AZURE_17, AVD-AZU-0001).
        rule: Option<String>,
    },
    /// List every rule with its default severity.
    Rules,
    /// Write a commented default certgate.toml into a directory (default: the current one).
    Init {
        /// The directory to write certgate.toml into.
        dir: Option<PathBuf>,
        /// Overwrite an existing certgate.toml.
        #[arg(long)]
        force: bool,
    },
    /// List every exception (inline, config and other scanners') with its owner, expiry and
    /// status; exits 1 when any has expired.
    Exceptions(ExceptionsArgs),
    /// Plan the rollout: the guardrail, root causes in shared modules, batches of the other
    /// failing sites by exposure and environment with their owners (CODEOWNERS), and the
    /// exceptions. Exits 0 unless the scan had errors (2).
    Plan(PlanArgs),
    /// Print a script (bash with az, or PowerShell) that makes the deployed sites of inventory
    /// exports require client certificates, batch by batch as `certgate plan` orders them.
    Remediate(RemediateArgs),
    /// Print a ready-to-commit Azure Policy assignment of the client-certificate built-ins
    /// for every site kind at a management group or subscription (Terraform, Bicep or ARM).
    Guardrail(GuardrailArgs),
    /// Check inventory exports of the deployed sites (az webapp list, Azure Resource Graph…)
    /// as the control's stored check does: exits 1 when a site or slot does not have
    /// clientCertEnabled = true, 2 when a file is not a readable export of sites.
    Verify(VerifyArgs),
    /// Show progress over time from saved `check --format json` reports and baselines: per
    /// run failing, fixed, new and excepted sites and exceptions about to expire, the
    /// burndown, and the latest run's batches, drift and exceptions (`--format html`: one
    /// self-contained page).
    Progress(ProgressArgs),
    /// Run the language server over stdin/stdout (diagnostics, quick fixes and rule docs in
    /// editors).
    Lsp {
        /// Use this config file for every document instead of the nearest certgate.toml.
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Print the shell completion script for SHELL.
    ///
    /// Save it where your shell loads completions: bash
    /// ~/.local/share/bash-completion/completions/certgate; zsh a file `_certgate` in a
    /// directory on $fpath; fish ~/.config/fish/completions/certgate.fish; PowerShell
    /// dot-source it from $PROFILE; elvish ~/.config/elvish/lib/certgate.elv (then `use
    /// certgate`).
    Completions {
        /// The shell to print the script for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) of the whole command line.
    ///
    /// Without SUBCOMMAND: certgate(1), with a section per subcommand and its options. With
    /// one: that subcommand's page, certgate-SUBCOMMAND(1). Save a page as e.g.
    /// ~/.local/share/man/man1/certgate.1 and read it with `man certgate`.
    Man {
        /// Print only this subcommand's page, certgate-SUBCOMMAND(1) (e.g. check).
        subcommand: Option<String>,
    },
}

#[derive(Debug, clap::Args)]
pub struct PlanArgs {
    /// Files and directories to scan (default: the current directory).
    pub paths: Vec<PathBuf>,
    /// How many sites a batch holds at most (1 or more).
    #[arg(long, value_name = "N", default_value_t = 20, value_parser = batch_size_parser())]
    pub batch_size: usize,
    /// Output format (markdown reads well as a pull-request description).
    #[arg(long, value_enum, default_value_t = PlanFormat::Human)]
    pub format: PlanFormat,
    /// Count fixes that replace an expression with a literal as automatic (`--fix
    /// --unsafe-fixes`).
    #[arg(long)]
    pub unsafe_fixes: bool,
    #[command(flatten)]
    pub scan: ScanArgs,
}

/// `certgate remediate`: the script that fixes deployed sites.
#[derive(Debug, clap::Args)]
pub struct RemediateArgs {
    /// Inventory exports (`az webapp list -o json`, Resource Graph results, `az resource
    /// show`) of the deployed sites.
    #[arg(required = true, value_name = "EXPORT")]
    pub exports: Vec<PathBuf>,
    /// The script's language: bash with the Azure CLI, or PowerShell with the Az module.
    #[arg(long, value_enum, default_value_t = ScriptFormat::Az)]
    pub format: ScriptFormat,
    /// Script only batch K (numbered as `certgate plan` numbers the batches).
    #[arg(long, value_name = "K")]
    pub batch: Option<usize>,
    /// How many sites a batch holds at most.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub batch_size: usize,
    /// The infrastructure code that manages the sites (repeatable): warns where it still has
    /// the failing value, and names owners from its CODEOWNERS.
    #[arg(long, value_name = "PATH")]
    pub code: Vec<PathBuf>,
    #[command(flatten)]
    pub scan: ScanArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScriptFormat {
    /// bash with the Azure CLI (`az`).
    Az,
    /// PowerShell with the Az module (`Invoke-AzRestMethod`).
    Pwsh,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    Human,
    Markdown,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct ExceptionsArgs {
    /// Files and directories to scan (default: the current directory).
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
    /// Mark exceptions that expire within this many days as `expires-soon`.
    #[arg(long, value_name = "DAYS", default_value_t = 30)]
    pub soon: i64,
    /// Use this config file for every scanned file instead of the nearest certgate.toml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The date to judge expiry against (for tests; default: today in UTC).
    #[arg(long, value_name = "YYYY-MM-DD", hide = true, value_parser = parse_day)]
    pub today: Option<crate::date::Date>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
    Csv,
}

/// Parses a `YYYY-MM-DD` date.
fn parse_day(text: &str) -> Result<crate::date::Date, String> {
    crate::date::parse_date(text)
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files and directories to scan (default: the current directory). When all are files, only
    /// findings those files cause are reported (their units are still read for values). `-`
    /// reads the file named by --stdin-filename from standard input.
    pub paths: Vec<PathBuf>,
    /// With the path `-`: scan standard input as if it were this file's contents (an editor's
    /// unsaved buffer); the rest of its unit is read from disk.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Never mention a missing Azure Policy guardrail in the summary (also
    /// `guardrail-hint = false` in certgate.toml).
    #[arg(long)]
    pub no_guardrail_hint: bool,
    /// Print findings only, without the summary line.
    #[arg(long, short)]
    pub quiet: bool,
    /// Write the report to FILE (atomically) and print only the summary line, on stderr.
    #[arg(long, short = 'o', value_name = "FILE", conflicts_with = "diff")]
    pub output: Option<PathBuf>,
    /// When to use colour (auto: only on a terminal and when NO_COLOR is unset).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// The inputs a scan reads (variables, parameter files, config, project root).
    #[command(flatten)]
    pub scan: ScanArgs,
    /// Write the automatic fixes (they make the apps require client certificates), then report
    /// what remains.
    #[arg(long, conflicts_with = "diff")]
    pub fix: bool,
    /// Print a unified diff of what --fix would write, and write nothing.
    #[arg(long, conflicts_with = "format")]
    pub diff: bool,
    /// Also make unsafe fixes (with --fix, --diff and the fixes listed by --format json or
    /// sarif): replace an expression that yields the failing value (a conditional, a function
    /// call, a reference to a computed value) with the passing literal.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Also list the findings that exceptions suppress.
    #[arg(long)]
    pub show_suppressed: bool,
    /// Print on stderr what the scan did: the files per front end, the units (Terraform root
    /// modules, ARM templates, Bicep roots), the config files, and the time per stage.
    #[arg(long, short)]
    pub verbose: bool,
    /// Print the files that would be scanned, one per line, sorted, and exit 0.
    #[arg(long, conflicts_with_all = ["fix", "diff", "output", "baseline", "write_baseline", "statistics"])]
    pub show_files: bool,
    /// Exit 0 even when findings fail the run (staged adoption, like ruff); a run with errors
    /// (bad input) still exits 2.
    #[arg(long)]
    pub exit_zero: bool,
    /// After the report, print how many reported findings each rule has (human and concise
    /// formats only).
    #[arg(long, conflicts_with = "diff")]
    pub statistics: bool,
    /// Fail only on findings not recorded in this baseline file; report recorded ones that no
    /// longer occur as fixed.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["fix", "diff"])]
    pub baseline: Option<PathBuf>,
    /// Record today's findings in this baseline file (rewriting it).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["fix", "diff", "baseline"])]
    pub write_baseline: Option<PathBuf>,
    /// The least severe finding that fails the run (exit code 1). CI for this control should
    /// use `warning`, so a value certgate cannot decide fails the gate too. Default: the
    /// `fail-on` of certgate.toml, else `error`.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
    /// With --fix or --diff: fix only the sites of batch K of `certgate plan` (same paths and
    /// options give the same batches).
    #[arg(long, value_name = "K", conflicts_with = "root_causes")]
    pub batch: Option<usize>,
    /// With --batch: the batch size `certgate plan` was run with (default 20).
    #[arg(long, value_name = "N", requires = "batch", value_parser = batch_size_parser())]
    pub batch_size: Option<usize>,
    /// An inventory export of the deployed sites (`az webapp list -o json`, an Azure Resource
    /// Graph result; repeatable): report, per site, the drift between code and deployment.
    #[arg(long, value_name = "EXPORT", conflicts_with = "diff")]
    pub deployed: Vec<PathBuf>,
    /// With --fix or --diff: fix only the root causes of `certgate plan` (values written in
    /// shared modules and locals files).
    #[arg(long)]
    pub root_causes: bool,
}

/// What a scan reads besides the paths: shared by `check` and `plan`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ScanArgs {
    /// Terraform variable file, applied after the automatic tfvars files (repeatable, in order),
    /// like `terraform plan -var-file`.
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
    /// Terraform variable value NAME=VALUE, applied last (repeatable), like `terraform plan -var`.
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_assignment)]
    pub vars: Vec<(String, String)>,
    /// Honour TF_VAR_name environment variables (off by default: a linter should not depend on
    /// the shell by surprise).
    #[arg(long)]
    pub env_vars: bool,
    /// ARM or Bicep parameter file for the scanned templates (repeatable; each is a scenario).
    #[arg(long = "parameters", value_name = "FILE")]
    pub parameter_files: Vec<PathBuf>,
    /// Use this config file for every scanned file instead of the nearest certgate.toml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The date to judge exception expiry against (for tests; default: today in UTC).
    #[arg(long, value_name = "YYYY-MM-DD", hide = true, value_parser = parse_day)]
    pub today: Option<crate::date::Date>,
    /// Read nothing outside DIR: references leaving it are notices (default: `project-root` in
    /// certgate.toml, else the enclosing git work tree, else the current directory).
    #[arg(long, value_name = "DIR")]
    pub project_root: Option<PathBuf>,
    /// Report only these rules (comma-separated, repeatable; `ALL` for every rule). Replaces
    /// what certgate.toml turns on or off, as ruff's --select does.
    #[arg(long, value_name = "RULE", value_delimiter = ',', value_parser = Selector::parse)]
    pub select: Option<Vec<Selector>>,
    /// Report these rules too, beside what certgate.toml reports (comma-separated, repeatable).
    #[arg(long, value_name = "RULE", value_delimiter = ',', value_parser = Selector::parse)]
    pub extend_select: Vec<Selector>,
    /// Do not report these rules (comma-separated, repeatable); wins over --select.
    #[arg(long, value_name = "RULE", value_delimiter = ',', value_parser = Selector::parse)]
    pub ignore: Vec<Selector>,
    /// Skip paths matching GLOB, relative to the current directory (repeatable). Replaces
    /// the `exclude` of certgate.toml; applies to files named on the command line too.
    #[arg(long, value_name = "GLOB", value_parser = PathGlob::new)]
    pub exclude: Option<Vec<PathGlob>>,
    /// Skip paths matching GLOB as well as what certgate.toml excludes (repeatable).
    #[arg(long, value_name = "GLOB", value_parser = PathGlob::new)]
    pub extend_exclude: Vec<PathGlob>,
}

/// `certgate verify`: the control's stored check over inventory exports.
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// Export files (`az webapp list -o json`, `az graph query ... -o json`, ...).
    #[arg(required_unless_present = "print_query", value_name = "EXPORT")]
    pub exports: Vec<PathBuf>,
    /// Also fail sites whose mode is not Required or that have exclusion paths (certgate's
    /// own verdicts).
    #[arg(long)]
    pub strict: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = VerifyFormat::Human)]
    pub format: VerifyFormat,
    /// Print the Azure Resource Graph query and the commands that export the sites, and exit.
    #[arg(long, conflicts_with_all = ["exports", "strict"])]
    pub print_query: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VerifyFormat {
    Human,
    Json,
}

/// `certgate progress`: reports over time.
#[derive(Debug, clap::Args)]
pub struct ProgressArgs {
    /// Saved `certgate check --format json` reports and baselines, in any order.
    /// `FILE@YYYY-MM-DD` dates a run; without it, the file's modification day (UTC) does.
    #[arg(required = true, value_name = "REPORT[@YYYY-MM-DD]")]
    pub reports: Vec<PathBuf>,
    /// Output format (html: one self-contained page; write it with --output).
    #[arg(long, value_enum, default_value_t = ProgressFormat::Human)]
    pub format: ProgressFormat,
    /// Write the output to FILE (atomically) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// How many sites a batch of the latest run holds at most (as `certgate plan`).
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub batch_size: usize,
    /// Count exceptions that expire within this many days after a run as expiring.
    #[arg(long, value_name = "DAYS", default_value_t = 30)]
    pub soon: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProgressFormat {
    Human,
    Markdown,
    Json,
    Html,
}

/// `certgate guardrail`: the Azure Policy assignment to commit.
#[derive(Debug, clap::Args)]
pub struct GuardrailArgs {
    /// Where to assign: a management group id
    /// (/providers/Microsoft.Management/managementGroups/NAME) or a subscription id
    /// (/subscriptions/GUID).
    #[arg(long, value_name = "ID")]
    pub scope: String,
    /// The code to print.
    #[arg(long, value_enum)]
    pub format: GuardrailFormat,
    /// `audit`: the built-in definitions (AuditIfNotExists); `deny`: also a custom definition
    /// that denies sites and slots without required client certificates, and its assignment.
    #[arg(long, value_enum, default_value_t = GuardrailEffect::Audit)]
    pub effect: GuardrailEffect,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GuardrailFormat {
    Terraform,
    Bicep,
    Arm,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GuardrailEffect {
    Audit,
    Deny,
}

/// Parses `NAME=VALUE`; the value may itself contain `=`.
fn parse_assignment(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_string(), value.to_string()))
        }
        _ => Err(format!("expected NAME=VALUE, got `{text}`")),
    }
}

/// `--fail-on`'s values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Only error findings fail the run.
    Error,
    /// Warning findings (unresolved values, exclusion paths, unused exceptions) fail it too.
    Warning,
}

impl FailOn {
    pub fn severity(self) -> crate::diagnostic::Severity {
        match self {
            FailOn::Error => crate::diagnostic::Severity::Error,
            FailOn::Warning => crate::diagnostic::Severity::Warning,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and Azure DevOps.
    Sarif,
    /// JUnit XML, for CI test-result views (Azure Pipelines, GitLab, Jenkins).
    Junit,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
    /// GitLab Code Quality JSON.
    Gitlab,
    /// One line per finding and error: `path:line:col: rule message`, then the summary.
    Concise,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// `--batch-size N`: 1 or more (a batch of 0 sites holds nothing, and was silently taken as 1).
fn batch_size_parser() -> clap::builder::RangedU64ValueParser<usize> {
    clap::builder::RangedU64ValueParser::<usize>::new().range(1..)
}
