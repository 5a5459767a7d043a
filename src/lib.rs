//! ssmgo: open a shell on an EC2 instance through SSM Session Manager, and be told why when you
//! can't.
//!
//! The flow is one way: arguments ([`cli`]) → a listing or a target ([`fleet`], [`picker`]) →
//! a session handed to AWS's plugin ([`session`]) → output ([`output`]). Errors from every step
//! are one [`error::Error`], which carries its exit code.

pub mod aws;
pub mod cli;
pub mod commands;
pub mod error;
pub mod fleet;
pub mod output;
pub mod picker;
pub mod policy_report;
pub mod precheck;
pub mod session;

use cli::{Cli, Command};
use error::{Error, Result};

/// Runs one invocation of ssmgo.
pub fn run(cli: Cli) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::io("starting the async runtime", e))?;
    runtime.block_on(async {
        match cli.command {
            Some(Command::List(args)) => commands::list::run(&cli.aws, cli.verbose, args).await,
            Some(Command::Policy(cmd)) => commands::policy::run(cmd),
            Some(Command::Check(args)) => commands::check::run(&cli.aws, cli.verbose, args).await,
            Some(Command::Connect(args)) => {
                commands::connect::run(&cli.aws, cli.verbose, args).await
            }
            None => commands::connect::run(&cli.aws, cli.verbose, Default::default()).await,
        }
    })
}
