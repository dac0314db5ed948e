//! The `certgate` binary: parse arguments, run, print the output or the error once, exit with
//! the run's code.

use std::io::Write;
use std::process::ExitCode;

use certgate::app::EXIT_FAILURE;
use clap::Parser;

mod allocator;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    allocator::return_freed_memory_at_once();
    let cli = match certgate::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // Help and --version are successes; everything else is a usage error (exit 2).
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { EXIT_FAILURE } else { 0 });
        }
    };
    match certgate::app::run(cli) {
        Ok(outcome) => {
            // Locked only now: the language server writes stdout from its own thread.
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`certgate check | head`) is not a failure of the scan.
            let _ = stdout.write_all(outcome.stdout.as_bytes());
            let _ = stdout.flush();
            ExitCode::from(outcome.code)
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(EXIT_FAILURE)
        }
    }
}
