//! The door: answer shell completion requests, parse the command line, run, and turn any error
//! into its documented exit code.

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

fn main() -> ExitCode {
    // `COMPLETE=bash ssmgo` prints the dynamic completion hook; the shell then calls back here.
    clap_complete::CompleteEnv::with_factory(ssmgo::cli::Cli::command).complete();
    let cli = ssmgo::cli::Cli::parse();
    match ssmgo::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            ssmgo::output::report_error(&err);
            ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(1))
        }
    }
}
