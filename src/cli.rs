//! The command line, described once.
//!
//! Doc comments here are the `--help` text, and (through the generator test) the man page and the
//! shell completions in `man/` and `completions/`. This module describes; it does nothing (what
//! dynamic completion offers is read by `completion_candidates`).

use clap::{Args, Parser, Subcommand};
use clap_complete::engine::ArgValueCandidates;

use crate::completion_candidates;
use crate::settings::{ColorChoice, Flags};

/// Open a shell on an EC2 instance through SSM Session Manager, and be told why when you can't.
///
/// Typed alone, ssmgo lists your running instances in a fuzzy picker and connects to the one you
/// pick, exactly as `aws ssm start-session` would (it runs AWS's session-manager-plugin). Without
/// a subcommand, ssmgo takes the arguments of `connect`: `ssmgo web-1`, `ssmgo -t Env=prod`.
#[derive(Debug, Parser)]
#[command(
    name = "ssmgo",
    version,
    max_term_width = 100,
    after_help = crate::error::exit::help_text()
)]
pub struct Cli {
    #[command(flatten)]
    pub aws: AwsArgs,

    /// Use the named preset from the config file (its profile, region, tags, document, columns).
    #[arg(short = 'P', long, global = true, value_name = "NAME", add = ArgValueCandidates::new(completion_candidates::presets))]
    pub preset: Option<String>,

    /// When to colour the output [env: NO_COLOR disables it].
    #[arg(long, global = true, value_name = "WHEN")]
    pub color: Option<ColorChoice>,

    /// Show the AWS calls made, and the full AWS error behind a failure.
    #[arg(short, long, global = true)]
    pub verbose: bool,

    /// Write the man pages and completion scripts into DIR/man and DIR/completions (for
    /// packagers; the committed files are these), then exit.
    #[arg(long, value_name = "DIR", hide = true, exclusive = true)]
    pub generate: Option<std::path::PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,

    /// Without a subcommand, ssmgo takes connect's arguments (clap's default-subcommand
    /// pattern: one parse, and global options in any spelling before any word).
    #[command(flatten)]
    pub connect: ConnectArgs,
}

impl Cli {
    /// The settings the command line gives, for [`crate::settings::Settings`] to merge.
    pub fn flags(&self) -> Flags {
        Flags {
            preset: self.preset.clone(),
            profile: self.aws.profile.clone(),
            region: self.aws.region.clone(),
            endpoint_url: self.aws.endpoint_url.clone(),
            color: self.color,
            org: self.aws.org,
        }
    }

    /// What to run: the subcommand, or connect with the top level's arguments. Connect's
    /// options before another subcommand would be silently ignored: that is a usage error.
    pub fn into_command(self) -> Result<Command, crate::error::Error> {
        if let Some(dir) = self.generate {
            return Ok(Command::Generate(dir));
        }
        match self.command {
            None => Ok(Command::Connect(self.connect)),
            Some(_) if self.connect.is_given() => Err(crate::error::Error::BadInput {
                what: "arguments",
                value: self.connect.describe(),
                reason: "connect's target and options go without a subcommand or after `connect`; a subcommand's own options go after it (e.g. `ssmgo list -t Env=prod`)".into(),
            }),
            Some(command) => Ok(command),
        }
    }
}

/// Where to find AWS: the same names and variables as the AWS CLI. (The environment is read
/// by [`crate::settings`], which also knows the config file.)
#[derive(Debug, Clone, Default, Args)]
pub struct AwsArgs {
    /// Use this profile from the AWS config and credentials files [env: AWS_PROFILE]. Several,
    /// comma-separated, or globs (`'prod-*'`: every profile of those files it matches) are
    /// queried at once, by `list`, the picker, `run` and the lookup of a TARGET.
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,

    /// The AWS region to use [env: AWS_REGION]. Several, comma-separated, are queried at once,
    /// as several profiles are.
    #[arg(long, global = true, value_name = "REGION")]
    pub region: Option<String>,

    /// Send AWS requests to this URL instead of the default endpoints [env: AWS_ENDPOINT_URL].
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint_url: Option<String>,

    /// Every account of your AWS Organization (or the config's `[org] accounts`), each through a
    /// role assumed with the profile's credentials (`[org] role`, by default
    /// OrganizationAccountAccessRole), in every --region at once: for `list`, the picker and
    /// `run`, and wherever a TARGET is looked up (`connect`, `check`, `doctor`, `forward`,
    /// `ssh`, and the ProxyCommand `ssh-config` writes).
    #[arg(long, global = true)]
    pub org: bool,
}

/// An action as a request names it: SERVICE:ACTION, without spaces (IAM's own rule).
fn action_name(s: &str) -> Result<String, String> {
    match s.split_once(':') {
        Some((service, action))
            if !service.is_empty() && !action.is_empty() && !s.contains(char::is_whitespace) =>
        {
            Ok(s.to_owned())
        }
        _ => Err("give SERVICE:ACTION, e.g. ssm:StartSession".into()),
    }
}

/// A resource as a request names it: an ARN, or `*`; never empty.
fn resource_name(s: &str) -> Result<String, String> {
    if s.is_empty() || s.contains(char::is_whitespace) {
        Err("give an ARN (or *), e.g. arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0".into())
    } else {
        Ok(s.to_owned())
    }
}

/// What `--json` writes for a listing or a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum JsonShape {
    /// An array of rows (`--json` alone).
    Rows,
    /// An object: the rows, the accounts/regions left out and why, and whether it is complete.
    Report,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the instances you can connect to, with their SSM status.
    ///
    /// Only running instances are listed, those online in SSM first. Writes a table on a terminal
    /// and a JSON array otherwise (or with --json).
    #[command(visible_alias = "ls")]
    List(ListArgs),

    /// Check, without connecting, whether you may start a session on TARGET, and why not.
    ///
    /// Simulates ssm:StartSession once on the session document and once on the instance (with
    /// its tags), and explains a denial statement by statement. Exit status: 0 allowed,
    /// 3 denied, 5 depends on context only AWS sees, 1 could not check.
    Check(TargetArgs),

    /// Run a shell command on one instance or many (Run Command), with its output and exit status.
    ///
    /// TARGETs are instance ids or exact Name tag values; `-t` adds every running instance with
    /// those tags. COMMAND's words are joined with spaces, as ssh does (quote a pipeline as one
    /// word). With one target its output comes back as it is and ssmgo exits with the command's
    /// status; with several, each line is marked with the instance's name (or grouped with
    /// --group), then a summary table, and the exit status is 0 only when it succeeded everywhere
    /// (7 otherwise). The pre-check simulates ssm:SendCommand on the document and every instance
    /// first: a denied target stops it before anything runs. Ctrl-C cancels it where it still runs.
    Run(RunArgs),

    /// Find why TARGET can't take a session, from the instance's side, and how to fix it.
    ///
    /// Checks in order: its state; SSM's record of its agent (ping status, last ping); the
    /// agent's version against the document; its credentials (instance profile or Default Host
    /// Management Configuration) and what that role may call (simulated); its network path to
    /// ssm, ssmmessages and ec2messages (route table, VPC endpoints, security groups); KMS in the
    /// Session Manager preferences. Exit status: 0 no problem found, 6 problems found.
    Doctor(TargetArgs),

    /// Open a shell in a running ECS container (ECS Exec), pre-checked; list, check, doctor.
    ///
    /// Lists the running tasks' containers of every cluster (or --cluster) in the fuzzy picker;
    /// QUERY pre-fills it, a task id or ARN picks its container (--container for one of
    /// several). ecs:ExecuteCommand is simulated on the cluster and on the task first, with the
    /// context AWS evaluates (ecs:cluster, ecs:container-name, ecs:task, the resources' tags): a
    /// denial is explained and nothing runs. The session goes to session-manager-plugin as
    /// `aws ecs execute-command` hands it; when ECS refuses, the doctor says why.
    Ecs(EcsArgs),

    /// Check IAM policies offline: evaluate a request, lint, fix the Session Manager mistake.
    #[command(subcommand)]
    Policy(PolicyCommand),

    /// Start a shell session on an instance (the default command).
    ///
    /// TARGET is an instance id (i-…, or mi-… for a hybrid node), an exact Name tag value, `-`
    /// for the instance you connected to last, or otherwise a query that opens the picker
    /// pre-filled. Without TARGET the picker opens, recent targets first.
    Connect(ConnectArgs),

    /// Forward local ports to ports on the instance, or on hosts it can reach; kept up until Ctrl-C.
    ///
    /// Uses AWS-StartPortForwardingSession, or AWS-StartPortForwardingSessionToRemoteHost for a
    /// HOST (e.g. a database behind the instance). Several mappings open several tunnels at once;
    /// a tunnel whose session ends on its own is opened again (with a growing pause, said on
    /// stderr). The same access pre-check as connect runs first.
    Forward(ForwardArgs),

    /// Carry an SSH connection over Session Manager: for ssh's ProxyCommand (AWS-StartSSHSession).
    ///
    /// HOST is an instance id or exact Name tag value; nothing but the SSH stream is written to
    /// stdout. `ssmgo ssh-config` prints a ready ~/.ssh/config block that uses it.
    SshProxy(SshProxyArgs),

    /// Print a ~/.ssh/config block that sends SSH to instances through `ssmgo ssh-proxy`.
    SshConfig(SshConfigArgs),

    /// SSH to an instance with a key made for this connection alone: no key on the instance.
    ///
    /// Makes a fresh ed25519 key (ssh-keygen, in a private directory), runs ssh with it through
    /// `ssmgo ssh-proxy --send-key`, which pushes it with EC2 Instance Connect for USER (default
    /// ec2-user), and removes it when ssh ends. Arguments after `--` go to ssh after the
    /// destination (options such as -L or -p, then a remote command). Exits with ssh's status.
    Ssh(SshArgs),

    /// Print the completion script for SHELL (the same as the files in completions/).
    ///
    /// For instance ids and Names completed from the local cache, use the dynamic form instead:
    /// `source <(COMPLETE=bash ssmgo)` (see the README).
    Completions(CompletionsArgs),

    /// Show where the config file is, or the effective settings and where each came from.
    #[command(subcommand)]
    Config(ConfigCommand),

    /// `--generate DIR` (hidden, so not a word of the command line's own).
    #[command(skip)]
    Generate(std::path::PathBuf),
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct EcsArgs {
    #[command(subcommand)]
    pub action: Option<EcsCommand>,

    #[command(flatten)]
    pub open: EcsOpenArgs,
}

#[derive(Debug, Subcommand)]
pub enum EcsCommand {
    /// List the running tasks' containers: cluster, service, task, container, launch type,
    /// platform version, whether exec is enabled and the agent's status. A table on a terminal,
    /// a JSON array otherwise (or with --json).
    List(EcsListArgs),

    /// Check, without running anything, whether you may run a command in TASK's container.
    /// Exit status: 0 allowed, 3 denied, 5 depends on context only AWS sees, 1 could not check.
    Check(EcsTaskArgs),

    /// Find why TASK's container can't take an ECS Exec session: exec enabled, the platform
    /// version, the root file system, the agent, the task role, the cluster's configuration,
    /// the network path to ssmmessages.
    /// Exit status: 0 no problem found, 6 problems found.
    Doctor(EcsTaskArgs),

    /// Forward local ports to TASK's container, or through it to a host it reaches, as `ssmgo
    /// forward` does for an instance: ssm:StartSession pre-checked on the document and the task,
    /// each tunnel kept up until Ctrl-C.
    Forward(EcsForwardArgs),
}

#[derive(Debug, Args)]
pub struct EcsForwardArgs {
    /// A task id or ARN, or words that name one running container (its cluster, service, task,
    /// container); in a task of several, --container names which.
    #[arg(add = ArgValueCandidates::new(completion_candidates::tasks))]
    pub task: String,

    /// One tunnel or several: LOCAL_PORT:REMOTE_PORT, one PORT for both, or
    /// LOCAL_PORT:HOST:REMOTE_PORT to a host the container reaches.
    #[arg(value_name = "LOCAL:[HOST:]REMOTE", required = true, num_args = 1..)]
    pub mappings: Vec<String>,

    #[command(flatten)]
    pub select: EcsSelectArgs,

    /// Forward to this host (name or IP, as the container resolves it) instead of the container,
    /// for the mappings that name no host.
    #[arg(long, value_name = "HOST")]
    pub to: Option<String>,

    /// End when a tunnel's session ends, instead of opening it again (forward-reconnect = false
    /// in the config).
    #[arg(long)]
    pub no_reconnect: bool,

    /// Keep idle tunnels from Session Manager's idle timeout: every DURATION, open and close a
    /// connection through each. E.g. 5m (forward-keep-alive).
    #[arg(long, value_name = "DURATION", value_parser = wait_limit)]
    pub keep_alive: Option<std::time::Duration>,

    /// Why you are connecting (recorded by Session Manager, up to 256 characters).
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,

    /// Resolve the container, pre-check, and print the requests; start nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Skip the access pre-check (IAM policy simulation) before StartSession.
    #[arg(long)]
    pub no_check: bool,

    /// Refuse to go on when the access pre-check can't run or depends on what only AWS sees.
    #[arg(long, conflicts_with = "no_check")]
    pub strict: bool,
}

/// Which containers to consider.
#[derive(Debug, Clone, Default, Args)]
pub struct EcsSelectArgs {
    /// Only this cluster (name or ARN; repeat for several). Default: every cluster.
    #[arg(long = "cluster", value_name = "CLUSTER")]
    pub clusters: Vec<String>,

    /// Only the tasks of this service.
    #[arg(long, value_name = "SERVICE")]
    pub service: Option<String>,

    /// Only containers of this name (the one to open in a task of several).
    #[arg(long, value_name = "NAME")]
    pub container: Option<String>,

    /// Only tasks with this tag: KEY=VALUE or KEY alone (tag present).
    ///
    /// VALUE may use * and ? globs and list alternatives separated by commas (Env=dev,staging),
    /// as for instances. Repeat to require several tags.
    #[arg(short, long = "tag", value_name = "SPEC")]
    pub tags: Vec<String>,
}

#[derive(Debug, Default, Args)]
pub struct EcsOpenArgs {
    /// A task id or ARN, or a query for the picker.
    #[arg(add = ArgValueCandidates::new(completion_candidates::tasks))]
    pub target: Option<String>,

    #[command(flatten)]
    pub select: EcsSelectArgs,

    /// The command to run in the container.
    #[arg(long, value_name = "COMMAND", default_value = "/bin/sh")]
    pub command: String,

    /// Resolve the container, pre-check, and print the request and plugin command; start nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Skip the access pre-check (IAM policy simulation) before ExecuteCommand.
    #[arg(long)]
    pub no_check: bool,

    /// Refuse to go on when the access pre-check can't run or depends on what only AWS sees.
    #[arg(long, conflicts_with = "no_check")]
    pub strict: bool,

    /// Ignore the cached listing: the picker waits for a fresh one.
    #[arg(long)]
    pub refresh: bool,
}

#[derive(Debug, Args)]
pub struct EcsListArgs {
    #[command(flatten)]
    pub select: EcsSelectArgs,

    /// Write a JSON array (the default when stdout is not a terminal).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct EcsTaskArgs {
    /// A task id or ARN, or words that name one running container (its cluster, service, task,
    /// container); in a task of several, --container names which.
    #[arg(add = ArgValueCandidates::new(completion_candidates::tasks))]
    pub task: String,

    #[command(flatten)]
    pub select: EcsSelectArgs,

    /// Write the result as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the config file's path (whether or not it exists).
    Path,
    /// Print each effective setting and where it came from (flag, environment, config, default).
    Show,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to print a completion script for.
    pub shell: clap_complete::Shell,
}

/// What every session-starting command shares.
#[derive(Debug, Clone, Default, Args)]
pub struct SessionArgs {
    /// Why you are connecting (recorded by Session Manager, up to 256 characters).
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,

    /// Resolve the target and print the request and plugin command; start nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Skip the access pre-check (IAM policy simulation) before StartSession.
    #[arg(long)]
    pub no_check: bool,

    /// Refuse to connect when the access pre-check can't run.
    #[arg(long, conflicts_with = "no_check")]
    pub strict: bool,

    /// Ignore the cached listing: the picker waits for a fresh one.
    #[arg(long)]
    pub refresh: bool,

    /// Start the instance if it is stopped, without asking (on a terminal, ssmgo asks), then wait
    /// until it is running and its SSM agent Online.
    #[arg(long)]
    pub start: bool,

    /// Wait for an instance that is starting, or whose SSM agent is not Online yet, up to
    /// DURATION (default 5m; e.g. 90s, 10m).
    #[arg(long, value_name = "DURATION", num_args = 0..=1, default_missing_value = "5m", value_parser = wait_limit)]
    pub wait: Option<std::time::Duration>,
}

/// `--wait`'s limit: a duration as the config file writes one.
fn wait_limit(s: &str) -> Result<std::time::Duration, String> {
    s.parse::<crate::settings::Span>().map(|span| span.0)
}

#[derive(Debug, Args)]
pub struct ForwardArgs {
    /// Instance id, exact Name tag value, `-` for the last one, or a query for the picker.
    #[arg(add = ArgValueCandidates::new(completion_candidates::targets))]
    pub target: String,

    /// One tunnel or several: LOCAL_PORT:REMOTE_PORT, one PORT for both, or
    /// LOCAL_PORT:HOST:REMOTE_PORT to a host the instance reaches.
    #[arg(value_name = "LOCAL:[HOST:]REMOTE", required = true, num_args = 1..)]
    pub mappings: Vec<String>,

    /// Forward to this host (name or IP, as the instance resolves it) instead of the instance,
    /// for the mappings that name no host.
    #[arg(long, value_name = "HOST")]
    pub to: Option<String>,

    /// End when a tunnel's session ends, instead of opening it again (as the AWS CLI does;
    /// forward-reconnect = false in the config).
    #[arg(long)]
    pub no_reconnect: bool,

    /// Keep idle tunnels from Session Manager's idle timeout: every DURATION, open and close a
    /// connection through each (the remote port sees it). E.g. 5m (forward-keep-alive).
    #[arg(long, value_name = "DURATION", value_parser = wait_limit)]
    pub keep_alive: Option<std::time::Duration>,

    #[command(flatten)]
    pub filter: FilterArgs,

    #[command(flatten)]
    pub session: SessionArgs,
}

#[derive(Debug, Args)]
pub struct SshProxyArgs {
    /// Instance id or exact Name tag value (ssh's %h).
    #[arg(add = ArgValueCandidates::new(completion_candidates::targets))]
    pub host: String,

    /// The SSH port on the instance (ssh's %p).
    pub port: u16,

    #[command(flatten)]
    pub filter: FilterArgs,

    /// Skip the access pre-check.
    #[arg(long)]
    pub no_check: bool,

    /// Push your public key to the instance first with EC2 Instance Connect (valid 60 s), so
    /// no key needs to be on the instance (`send-key = true` in the config does it always).
    #[arg(long)]
    pub send_key: bool,

    /// The OS user the key is pushed for (ssh's %r; default ec2-user).
    #[arg(long, value_name = "USER")]
    pub os_user: Option<String>,

    /// The public key to push (default: the first key ssh-agent holds, else the first of
    /// ~/.ssh/id_ed25519.pub, id_ecdsa.pub, id_rsa.pub).
    #[arg(long, value_name = "FILE.pub")]
    pub public_key: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct SshArgs {
    /// [USER@]TARGET: the OS user, and an instance id or exact Name tag value.
    #[arg(value_name = "[USER@]TARGET")]
    pub destination: String,

    /// ssh's own options and the remote command, after `--`.
    #[arg(last = true, value_name = "SSH_ARGS")]
    pub ssh_args: Vec<String>,

    /// Skip the access pre-checks (StartSession and the key push).
    #[arg(long)]
    pub no_check: bool,
}

#[derive(Debug, Args)]
pub struct SshConfigArgs {
    /// Host patterns (Name tag values, globs allowed) to route through ssmgo besides i-* and mi-*.
    #[arg(value_name = "PATTERN")]
    pub patterns: Vec<String>,

    /// Write `ssh-proxy --no-check`: let AWS decide without the access pre-check.
    #[arg(long)]
    pub no_check: bool,

    /// Write `ssh-proxy --send-key --os-user %r`: push your key with EC2 Instance Connect on
    /// every connection.
    #[arg(long)]
    pub send_key: bool,
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Decide a request the way IAM would, and say which statements decided it and why others
    /// nearly did. Exit status: 0 allowed, 3 denied, 2 unreadable input.
    Eval(PolicyEvalArgs),

    /// Find mistakes with a stable code, a severity, a position and a one-line fix.
    /// Exit status: 0 no errors, 3 findings of error severity, 2 unreadable input.
    Lint(PolicyLintArgs),

    /// Print the policy with the StartSession document/tag-condition mistake fixed (on stdout),
    /// and a before/after table proving the fix (on stderr).
    Fix(PolicyFixArgs),
}

#[derive(Debug, Args)]
pub struct PolicyEvalArgs {
    /// An identity-based policy document (repeat for several). Without one, nothing allows the
    /// request: the answer is implicitDeny, as IAM's would be.
    #[arg(long = "policy", value_name = "FILE")]
    pub policies: Vec<std::path::PathBuf>,

    /// A permissions boundary: the request must be allowed by it too.
    #[arg(long, value_name = "FILE")]
    pub boundary: Option<std::path::PathBuf>,

    /// The action, e.g. ssm:StartSession.
    #[arg(long, value_name = "ACTION", value_parser = action_name)]
    pub action: String,

    /// The resource ARN, e.g. arn:aws:ssm:us-east-1:123456789012:document/SSM-SessionManagerRunShell.
    #[arg(long, value_name = "ARN", value_parser = resource_name)]
    pub resource: String,

    /// The caller's ARN: sets aws:PrincipalArn, aws:PrincipalAccount and, for users, aws:username.
    #[arg(long, value_name = "ARN")]
    pub principal: Option<String>,

    /// A request context value, e.g. aws:ResourceTag/Env=dev (repeat a key for several values).
    #[arg(long, value_name = "KEY=VALUE")]
    pub context: Vec<String>,

    /// Write the result as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct PolicyLintArgs {
    /// Policy documents to check.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<std::path::PathBuf>,

    /// Write the findings as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct PolicyFixArgs {
    /// The policy document to fix.
    #[arg(value_name = "FILE")]
    pub file: std::path::PathBuf,
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

    /// Also list stopped, starting and stopping instances (each with the reason it can't be
    /// connected to, as the running ones that can't take a session have).
    #[arg(short, long)]
    pub all: bool,

    /// Write a JSON array (the default when stdout is not a terminal); `--json=report` writes an
    /// object: the rows as `instances`, the accounts/regions that could not be listed as
    /// `left_out` (with why), and whether the listing is `complete`.
    #[arg(long, value_name = "SHAPE", num_args = 0..=1, require_equals = true, default_missing_value = "rows")]
    pub json: Option<JsonShape>,

    /// Instances per DescribeInstances page (5 to 1000); smaller pages help when calls time out.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i32).range(5..=1000))]
    pub page_size: Option<i32>,

    /// A fresh listing: `list` always asks AWS (and refreshes the picker's cache with what it
    /// finds); taken here because the picker takes it.
    #[arg(long)]
    pub refresh: bool,
}

#[derive(Debug, Default, Args)]
pub struct ConnectArgs {
    /// Instance id, exact Name tag value, `-` for the last one, or a query for the picker.
    #[arg(add = ArgValueCandidates::new(completion_candidates::targets))]
    pub target: Option<String>,

    #[command(flatten)]
    pub filter: FilterArgs,

    /// The Session Manager document to start (default: the account's shell document).
    #[arg(long, value_name = "NAME")]
    pub document: Option<String>,

    /// The document's parameters, as a JSON object of string lists.
    #[arg(long, value_name = "JSON")]
    pub parameters: Option<String>,

    #[command(flatten)]
    pub session: SessionArgs,
}

impl ConnectArgs {
    /// Whether any of connect's own arguments was given.
    fn is_given(&self) -> bool {
        let s = &self.session;
        self.target.is_some()
            || !self.filter.tags.is_empty()
            || self.document.is_some()
            || self.parameters.is_some()
            || s.reason.is_some()
            || s.dry_run
            || s.no_check
            || s.strict
            || s.refresh
    }

    /// The arguments given, in words, for the error that says where they go.
    fn describe(&self) -> String {
        let mut words: Vec<String> = self.target.iter().cloned().collect();
        words.extend(self.filter.tags.iter().map(|t| format!("-t {t}")));
        if self.session.dry_run {
            words.push("--dry-run".into());
        }
        if self.session.no_check {
            words.push("--no-check".into());
        }
        if words.is_empty() {
            "connect's options".into()
        } else {
            words.join(" ")
        }
    }
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Instance ids or exact Name tag values (none with -t: every running instance it selects).
    #[arg(value_name = "TARGET", add = ArgValueCandidates::new(completion_candidates::targets))]
    pub targets: Vec<String>,

    #[command(flatten)]
    pub filter: FilterArgs,

    /// The command to run, after `--`.
    #[arg(last = true, required = true, value_name = "COMMAND")]
    pub command: Vec<String>,

    /// Every running instance the picker would show for the query TARGET (fuzzy, as typed in
    /// the picker), instead of one.
    #[arg(long)]
    pub all: bool,

    /// How many instances run it at once: a count or a percentage of the targets (AWS's
    /// MaxConcurrency; default 50, or run-max-concurrency in the config).
    #[arg(long, value_name = "N|N%")]
    pub max_concurrency: Option<crate::settings::RunLimit>,

    /// How many may fail before it is sent to no more instances: a count or a percentage (AWS's
    /// MaxErrors; default 0, which stops after the first failure, or run-max-errors).
    #[arg(long, value_name = "N|N%")]
    pub max_errors: Option<crate::settings::RunLimit>,

    /// Stop the command on an instance after DURATION (default 1h; e.g. 30s, 10m).
    #[arg(long, value_name = "DURATION", value_parser = wait_limit)]
    pub timeout: Option<std::time::Duration>,

    /// Have SSM write the whole output to this S3 bucket (and key prefix), and read it back where
    /// SSM cut what it returns (24,000 characters of stdout, 8,000 of stderr).
    #[arg(long, value_name = "BUCKET[/PREFIX]")]
    pub output_s3: Option<crate::settings::S3Location>,

    /// Print each instance's output as one block under its name, instead of marking every line.
    #[arg(long)]
    pub group: bool,

    /// Write the results as JSON (instance, status, exit code, duration, output; with several
    /// accounts or regions, each one's account and region); `--json=report` writes an object:
    /// the rows as `results`, the accounts/regions that could not be searched as `left_out`,
    /// and whether the run is `complete`.
    #[arg(long, value_name = "SHAPE", num_args = 0..=1, require_equals = true, default_missing_value = "rows")]
    pub json: Option<JsonShape>,

    /// Skip the access pre-check (ssm:SendCommand simulated per target).
    #[arg(long)]
    pub no_check: bool,
}

/// One instance to examine without connecting (`check`, `doctor`).
#[derive(Debug, Args)]
pub struct TargetArgs {
    /// Instance id, exact Name tag value, or a query for the picker.
    #[arg(add = ArgValueCandidates::new(completion_candidates::targets))]
    pub target: String,

    #[command(flatten)]
    pub filter: FilterArgs,

    /// The Session Manager document the session would use (default: SSM-SessionManagerRunShell).
    #[arg(long, value_name = "NAME")]
    pub document: Option<String>,

    /// Write the result as JSON.
    #[arg(long)]
    pub json: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    fn parse(args: &[&str]) -> Cli {
        Cli::try_parse_from(args).unwrap()
    }

    fn connect_args(cli: Cli) -> ConnectArgs {
        match cli.into_command().unwrap() {
            Command::Connect(c) => c,
            other => panic!("expected connect, got {other:?}"),
        }
    }

    #[test]
    fn no_subcommand_means_connect_with_the_picker() {
        assert!(connect_args(parse(&["ssmgo"])).target.is_none());
    }

    #[test]
    fn plain_ssmgo_takes_connect_arguments() {
        let c = connect_args(parse(&["ssmgo", "web-1", "-t", "Env=prod", "--dry-run"]));
        assert_eq!(c.target.as_deref(), Some("web-1"));
        assert_eq!(c.filter.tags, ["Env=prod"]);
        assert!(c.session.dry_run);
        let c = connect_args(parse(&[
            "ssmgo",
            "--profile",
            "ops",
            "-v",
            "--region=eu-west-1",
            "-t",
            "Env=prod",
        ]));
        assert_eq!(c.filter.tags, ["Env=prod"]);
        assert_eq!(
            connect_args(parse(&["ssmgo", "-"])).target.as_deref(),
            Some("-")
        );
    }

    #[test]
    fn subcommands_and_global_options_are_left_alone() {
        let cli = parse(&["ssmgo", "--profile", "ops", "list", "--all"]);
        assert_eq!(cli.aws.profile.as_deref(), Some("ops"));
        assert!(matches!(cli.command, Some(Command::List(ref l)) if l.all));
        assert!(matches!(
            parse(&["ssmgo", "ls"]).command,
            Some(Command::List(_))
        ));
        let c = connect_args(parse(&["ssmgo", "--region", "eu-west-1", "connect", "i-1"]));
        assert_eq!(c.target.as_deref(), Some("i-1"));
        assert!(
            Cli::try_parse_from(["ssmgo", "--help"]).is_err(),
            "help is clap's"
        );
    }

    #[test]
    fn every_spelling_of_every_global_option_goes_before_every_subcommand() {
        let spellings: &[&[&str]] = &[
            &["-Pprod"],
            &["-P", "prod"],
            &["-P=prod"],
            &["--preset=prod"],
            &["--preset", "prod"],
            &["-vPprod"],
            &["-vP", "prod"],
            &["-v", "--profile=ops"],
            &["--profile", "ops"],
            &["--region=eu-west-1"],
            &["--region", "eu-west-1"],
            &["--endpoint-url=http://127.0.0.1:1"],
            &["--color=never"],
            &["--color", "never"],
        ];
        let subcommands = [
            "list",
            "ls",
            "check",
            "connect",
            "forward",
            "ssh-proxy",
            "ssh-config",
            "policy",
            "completions",
            "config",
            "ecs",
        ];
        for flags in spellings {
            for sub in subcommands {
                let mut args = vec!["ssmgo"];
                args.extend_from_slice(flags);
                args.push(sub);
                let parsed = Cli::try_parse_from(&args);
                // The subcommand is recognised (its own required arguments may be missing).
                match parsed {
                    Ok(cli) => assert!(cli.command.is_some(), "{args:?} read as connect"),
                    Err(e) => assert!(
                        matches!(
                            e.kind(),
                            clap::error::ErrorKind::MissingRequiredArgument
                                | clap::error::ErrorKind::MissingSubcommand
                                | clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
                        ),
                        "{args:?}: {e}"
                    ),
                }
            }
        }
    }

    #[test]
    fn tags_repeat_and_global_options_go_anywhere() {
        let cli = Cli::try_parse_from([
            "ssmgo",
            "list",
            "-t",
            "Env=dev",
            "--tag",
            "Team",
            "--region",
            "eu-west-1",
        ])
        .unwrap();
        assert_eq!(cli.aws.region.as_deref(), Some("eu-west-1"));
        match cli.command {
            Some(Command::List(l)) => assert_eq!(l.filter.tags, ["Env=dev", "Team"]),
            other => panic!("expected list, got {other:?}"),
        }
    }
}
