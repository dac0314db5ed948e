//! Command-line arguments (clap derive). Only this module and `main` know about clap.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Finds Azure App Service sites and slots in Terraform and ARM templates that do not require
/// incoming client certificates (mutual TLS).
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
