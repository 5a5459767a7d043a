//! ssmgo: open a shell on an EC2 instance through SSM Session Manager, and be told why when you
//! can't.
//!
//! The flow is one way: arguments ([`cli`]) and settings ([`settings`]) → one thin adapter per
//! subcommand ([`commands`]) → the modules that do the work: listing ([`fleet`], [`choose`],
//! [`picker`]), the session core ([`launch`]: target, pre-check by [`precheck`], StartSession
//! and the plugin by [`session`]; why an instance can't take a session by [`doctor`]; Run Command
//! by [`run`]; a shell in an ECS container, the same way, by [`ecs`]) → [`output`]. Only [`aws`] and the modules that call AWS see
//! SDK types. Errors from every step are one [`error::Error`], which carries its exit code; the
//! stop signals are heard in one place for the whole run ([`signals`]).

pub mod aws;
pub mod choose;
pub mod cli;
pub mod commands;
pub mod completion_candidates;
pub mod doctor;
pub mod ecs;
pub mod error;
pub mod fleet;
pub mod generate;
pub mod history;
pub mod instance_connect;
pub mod launch;
pub mod output;
pub mod paths;
pub mod picker;
pub mod policy_report;
pub mod precheck;
pub mod run;
pub mod session;
pub mod settings;
pub mod signals;
pub mod sso_login;

use cli::{Cli, Command};
use commands::Ctx;
use error::{Error, Result};
use settings::{Flags, Settings};

/// Runs one invocation of ssmgo: one dispatch over the parsed command.
pub fn run(cli: Cli) -> Result<()> {
    let flags = cli.flags();
    let verbose = cli.verbose;
    match cli.into_command()? {
        // Commands that need no settings work even when the config file is broken.
        Command::Policy(cmd) => commands::policy::run(cmd),
        Command::Completions(args) => commands::completions::run(args),
        Command::Config(cmd) => commands::config::run(cmd, &flags),
        Command::Generate(dir) => generate::write_all(&dir),
        Command::List(args) => with_aws(&flags, verbose, async |ctx| {
            commands::list::run(ctx, args).await
        }),
        Command::Check(args) => with_aws(&flags, verbose, async |ctx| {
            commands::check::run(ctx, args).await
        }),
        Command::Run(args) => with_aws(&flags, verbose, async |ctx| {
            commands::run::run(ctx, args).await
        }),
        Command::Doctor(args) => with_aws(&flags, verbose, async |ctx| {
            commands::doctor::run(ctx, args).await
        }),
        Command::Forward(args) => with_aws(&flags, verbose, async |ctx| {
            commands::forward::run(ctx, args).await
        }),
        Command::SshProxy(args) => with_aws(&flags, verbose, async |ctx| {
            commands::ssh::proxy(ctx, args).await
        }),
        Command::Ssh(args) => with_aws(&flags, verbose, async |ctx| {
            commands::ssh::ssh(ctx, args).await
        }),
        Command::SshConfig(args) => with_aws(&flags, verbose, async |ctx| {
            commands::ssh::config(ctx, args)
        }),
        Command::Ecs(args) => with_aws(&flags, verbose, async |ctx| {
            commands::ecs::run(ctx, args).await
        }),
        Command::Connect(args) => with_aws(&flags, verbose, async |ctx| {
            commands::connect::run(ctx, args).await
        }),
    }
}

/// Loads the settings and runs `command` on the async runtime that AWS calls need, hearing the
/// stop signals from its first moment to its last ([`signals`]).
fn with_aws(
    flags: &Flags,
    verbose: bool,
    command: impl AsyncFnOnce(&Ctx) -> Result<()>,
) -> Result<()> {
    let mut settings = Settings::load(flags)?;
    output::style::init(settings.color.value);
    for note in &settings.overridden {
        crate::say!("ssmgo: note: {}", note);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::io("starting the async runtime", e))?;
    let ended = runtime.block_on(async {
        let stops = signals::listen()?;
        stops
            .race(async {
                // Profile globs become the profiles they match, once, before any command. Names a
                // glob in AWS_PROFILE matched are ssmgo's to pass on, not the SDK's to read.
                let expanded = aws::expand_profiles(&settings.profiles.value).await?;
                if expanded != settings.profiles.value {
                    settings.profiles.value = expanded;
                    settings.profiles.source = settings::Source::Flag("--profile");
                }
                command(&Ctx { settings, verbose }).await
            })
            .await
    });
    // A command ended by a signal may leave a thread blocked in the terminal's read (a question
    // being asked); waiting for it would hang the exit.
    runtime.shutdown_background();
    ended
}
