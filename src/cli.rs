//! Command-line arguments (clap derive). Only this module and `main` know about clap.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

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
    /// Print a rule's documentation.
    Explain {
        /// The rule id, e.g. client-cert-disabled.
        rule: String,
    },
    /// List every rule with its default severity.
    Rules,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files and directories to scan (default: the current directory).
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Print findings only, without the summary line.
    #[arg(long, short)]
    pub quiet: bool,
    /// When to use colour (auto: only on a terminal and when NO_COLOR is unset).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
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
    /// Write the automatic fixes (they make the apps require client certificates), then report
    /// what remains.
    #[arg(long, conflicts_with = "diff")]
    pub fix: bool,
    /// Print a unified diff of what --fix would write, and write nothing.
    #[arg(long, conflicts_with = "format")]
    pub diff: bool,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}
