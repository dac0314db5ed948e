//! The application layer: runs a parsed command line, prints, and returns the exit code.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use crate::cli::{CheckArgs, Cli, ColorChoice, Command, Format};
use crate::report::human::Style;
use crate::rules::{self, RULES};
use crate::scan::{Settings, scan};

/// Exit code when the run itself failed (bad arguments, unreadable or unparsable input).
pub const EXIT_FAILURE: u8 = 2;

/// Runs the command and returns the process exit code.
pub fn run(cli: Cli) -> u8 {
    let mut stdout = std::io::stdout().lock();
    let (text, code) = match cli.command {
        Command::Check(args) => check(args),
        Command::Explain { rule } => explain(&rule),
        Command::Rules => (rules_table(), 0),
    };
    // A closed pipe (`certgate check | head`) is not a failure of the scan.
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
    code
}

fn check(args: CheckArgs) -> (String, u8) {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths
    };
    let env_vars = if args.env_vars {
        std::env::vars()
            .filter_map(|(key, value)| Some((key.strip_prefix("TF_VAR_")?.to_string(), value)))
            .collect()
    } else {
        Vec::new()
    };
    let settings = Settings {
        var_files: args.var_files,
        vars: args.vars,
        env_vars,
        parameter_files: args.parameter_files,
    };
    let report = scan(&paths, &settings);
    let text = match args.format {
        Format::Json => crate::report::json::render(&report),
        Format::Human => crate::report::human::render(
            &report,
            Style {
                color: use_color(args.color),
                width: terminal_width(),
                quiet: args.quiet,
                timing: true,
            },
        ),
    };
    (text, report.exit_code())
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
    match rules::find(id) {
        Some(rule) => (
            format!(
                "# {} ({})\n\nDefault severity: {}\n\n{}",
                rule.id,
                rule.name,
                rule.severity.as_str(),
                rule.docs
            ),
            0,
        ),
        None => {
            let known: Vec<&str> = RULES.iter().map(|r| r.id).collect();
            eprintln!(
                "error: unknown rule `{id}`; known rules: {}",
                known.join(", ")
            );
            (String::new(), EXIT_FAILURE)
        }
    }
}

fn rules_table() -> String {
    let width = RULES.iter().map(|r| r.id.len()).max().unwrap_or(0);
    let mut out = format!("{:width$}  {:8}  SUMMARY\n", "RULE", "SEVERITY");
    for rule in RULES {
        out.push_str(&format!(
            "{:width$}  {:8}  {}\n",
            rule.id,
            rule.severity.as_str(),
            rule.summary
        ));
    }
    out
}
