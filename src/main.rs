//! The `certgate` binary: parse arguments, run, exit with the run's code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match certgate::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // Help and --version are successes; everything else is a usage error (exit 2).
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() {
                certgate::app::EXIT_FAILURE
            } else {
                0
            });
        }
    };
    ExitCode::from(certgate::app::run(cli))
}
