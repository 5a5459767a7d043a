//! ssmgo: open a shell on an EC2 instance through SSM Session Manager, and be told why when you
//! can't.
//!
//! The flow is one way: arguments ([`cli`]) → a listing or a target ([`fleet`], [`picker`]) →
//! a session handed to AWS's plugin ([`session`]) → output ([`output`]). Errors from every step
//! are one [`error::Error`], which carries its exit code.

pub mod aws;
pub mod cache;
pub mod choose;
pub mod cli;
pub mod commands;
pub mod error;
pub mod fleet;
pub mod history;
pub mod launch;
pub mod output;
pub mod paths;
pub mod picker;
pub mod policy_report;
pub mod precheck;
pub mod session;
pub mod settings;

use cli::{Cli, Command};
use commands::Ctx;
use error::{Error, Result};
use settings::Settings;

/// Runs one invocation of ssmgo.
pub fn run(cli: Cli) -> Result<()> {
    let flags = cli.flags();
    let verbose = cli.verbose;
    let command = cli.into_command()?;
    // Commands that need no settings work even when the config file is broken.
    let command = match command {
        Command::Policy(cmd) => return commands::policy::run(cmd),
        Command::Completions(args) => return commands::completions::run(args),
        Command::Config(cmd) => return commands::config::run(cmd, &flags),
        other => other,
    };
    let settings = Settings::load(&flags)?;
    output::style::init(settings.color.value);
    for note in &settings.overridden {
        eprintln!("ssmgo: note: {}", output::sanitize::for_terminal(note));
    }
    let ctx = Ctx { settings, verbose };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::io("starting the async runtime", e))?;
    runtime.block_on(async {
        match command {
            Command::List(args) => commands::list::run(&ctx, args).await,
            Command::Check(args) => commands::check::run(&ctx, args).await,
            Command::Forward(args) => commands::forward::run(&ctx, args).await,
            Command::SshProxy(args) => commands::ssh::proxy(&ctx, args).await,
            Command::SshConfig(args) => commands::ssh::config(&ctx, args),
            Command::Connect(args) => commands::connect::run(&ctx, args).await,
            Command::Policy(_) | Command::Completions(_) | Command::Config(_) => {
                unreachable!("answered before the settings were loaded")
            }
        }
    })
}
