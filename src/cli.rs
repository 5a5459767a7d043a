//! The command line, described once.
//!
//! Doc comments here are the `--help` text, and (through the generator test) the man page and the
//! shell completions in `man/` and `completions/`. This module describes; it does nothing.

use clap::{Args, Parser, Subcommand};

/// Open a shell on an EC2 instance through SSM Session Manager, and be told why when you can't.
///
/// Typed alone, ssmgo lists your running instances in a fuzzy picker and connects to the one you
/// pick, exactly as `aws ssm start-session` would (it runs AWS's session-manager-plugin).
#[derive(Debug, Parser)]
#[command(name = "ssmgo", version, max_term_width = 100, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(flatten)]
    pub aws: AwsArgs,

    /// Show the full AWS error behind a failure.
    #[arg(short, long, global = true)]
    pub verbose: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Exit codes, shown under `--help`: scripts rely on them.
pub const EXIT_CODES: &str = "\
Exit status:
  0    success
  1    AWS, network or runtime failure (no credentials, endpoint unreachable, throttled, plugin failed)
  2    usage error or invalid input (bad --tag or --parameters, no region, unknown profile, no terminal)
  3    access denied by AWS
  4    no matching target, or the target cannot be connected to
  130  cancelled (Esc or Ctrl-C in the picker)";

/// Where to find AWS: the same names and variables as the AWS CLI.
#[derive(Debug, Clone, Default, Args)]
pub struct AwsArgs {
    /// Use this profile from the AWS config and credentials files [env: AWS_PROFILE].
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,

    /// The AWS region to use.
    #[arg(long, global = true, env = "AWS_REGION", value_name = "REGION")]
    pub region: Option<String>,

    /// Send AWS requests to this URL instead of the default endpoints.
    #[arg(long, global = true, env = "AWS_ENDPOINT_URL", value_name = "URL")]
    pub endpoint_url: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the instances you can connect to, with their SSM status.
    ///
    /// Only running instances are listed, those online in SSM first. Writes a table on a terminal
    /// and a JSON array otherwise (or with --json).
    #[command(visible_alias = "ls")]
    List(ListArgs),

    /// Start a shell session on an instance (the default command).
    ///
    /// TARGET is an instance id (i-…, or mi-… for a hybrid node), an exact Name tag value, or
    /// otherwise a query that opens the picker pre-filled. Without TARGET the picker opens.
    Connect(ConnectArgs),
}

/// Which instances to consider.
#[derive(Debug, Clone, Default, Args)]
pub struct FilterArgs {
    /// Only instances with this tag: KEY=VALUE or KEY alone (tag present).
    ///
    /// VALUE may use * and ? globs and list alternatives separated by commas (Env=dev,staging).
    /// Repeat to require several tags. Filtering happens on the AWS side.
    #[arg(short, long = "tag", value_name = "SPEC")]
    pub tags: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub filter: FilterArgs,

    /// Also list stopped and unmanaged instances, with the reason they can't be connected to.
    #[arg(short, long)]
    pub all: bool,

    /// Write a JSON array (the default when stdout is not a terminal).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Default, Args)]
pub struct ConnectArgs {
    /// Instance id, exact Name tag value, or a query for the picker.
    pub target: Option<String>,

    #[command(flatten)]
    pub filter: FilterArgs,

    /// The Session Manager document to start (default: the account's shell document).
    #[arg(long, value_name = "NAME")]
    pub document: Option<String>,

    /// The document's parameters, as a JSON object of string lists.
    #[arg(long, value_name = "JSON")]
    pub parameters: Option<String>,

    /// Why you are connecting (recorded by Session Manager, up to 256 characters).
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,

    /// Resolve the target and print the request and plugin command; start nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn no_subcommand_means_connect_with_the_picker() {
        let cli = Cli::try_parse_from(["ssmgo"]).unwrap();
        assert!(cli.command.is_none());
    }

    #[test]
    fn tags_repeat_and_global_options_go_anywhere() {
        let cli = Cli::try_parse_from([
            "ssmgo", "list", "-t", "Env=dev", "--tag", "Team", "--region", "eu-west-1",
        ])
        .unwrap();
        assert_eq!(cli.aws.region.as_deref(), Some("eu-west-1"));
        match cli.command {
            Some(Command::List(l)) => assert_eq!(l.filter.tags, ["Env=dev", "Team"]),
            other => panic!("expected list, got {other:?}"),
        }
    }
}
