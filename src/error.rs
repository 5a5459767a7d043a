//! One error type for the whole program.
//!
//! Every variant says what happened *and* what to do next, and maps to one documented exit code.
//! `main` is the only place that turns an [`Error`] into a process exit status.

use thiserror::Error;

/// The documented exit codes (README, man page). Scripts rely on them: never renumber.
pub mod exit {
    /// Success.
    pub const OK: i32 = 0;
    /// An AWS, network or runtime failure.
    pub const FAILURE: i32 = 1;
    /// Usage error or invalid input.
    pub const USAGE: i32 = 2;
    /// Access denied by AWS.
    pub const DENIED: i32 = 3;
    /// No matching target, or the target cannot be connected to.
    pub const NO_TARGET: i32 = 4;
    /// Access depends on request context only AWS sees (`check`, `connect --strict`).
    pub const DEPENDS: i32 = 5;
    /// `doctor` found a problem on the instance's side.
    pub const PROBLEMS: i32 = 6;
    /// `run` on several targets: it did not succeed on every one.
    pub const NOT_ALL: i32 = 7;
    /// Several accounts, regions or profiles: at least one could not be reached or listed.
    pub const PARTIAL: i32 = 8;
    /// Told to stop by SIGHUP (128 + the signal, as shells report it).
    pub const HUNG_UP: i32 = 128 + libc::SIGHUP;
    /// Told to stop by SIGQUIT (while a plugin runs it is the plugin's).
    pub const QUIT: i32 = 128 + libc::SIGQUIT;
    /// Told to stop by SIGTERM.
    pub const TERMINATED: i32 = 128 + libc::SIGTERM;
    /// Cancelled by the user (Esc or Ctrl-C in the picker, SIGINT before a session).
    pub const CANCELLED: i32 = 130;

    /// One documented exit status: its codes and what they mean (`code` spans as written in
    /// the README; `--help` shows them as they are, the man page in bold).
    pub struct Status {
        pub codes: &'static [i32],
        pub meaning: &'static str,
    }

    /// Every exit status ssmgo documents, written once: `--help`, the man page and the README's
    /// table are made from (or checked against) this list. Scripts rely on it.
    pub const STATUSES: &[Status] = &[
        Status { codes: &[OK], meaning: "success" },
        Status {
            codes: &[FAILURE],
            meaning: "AWS, network or runtime failure (no credentials, SSO login needed, endpoint unreachable or silent past the timeout, throttled, plugin missing or failed, StartSession's answer lost, a tunnel whose session kept ending as it started)",
        },
        Status {
            codes: &[USAGE],
            meaning: "usage error or invalid input (bad `--tag`/`--parameters`/`--endpoint-url`, no region, unknown profile or preset, a `--profile` glob that matches none, `--org` outside an organization, malformed config file, no terminal for the picker, unreadable policy file)",
        },
        Status {
            codes: &[DENIED],
            meaning: "access denied by AWS or by the pre-check; `policy eval` denied; `policy lint` found errors",
        },
        Status {
            codes: &[NO_TARGET],
            meaning: "no matching target, or the target cannot be connected to (stopped, not managed, agent offline, ambiguous Name, gone since the cached listing, no previous connection for `ssmgo -`, an ECS container ExecuteCommand refuses)",
        },
        Status {
            codes: &[DEPENDS],
            meaning: "access depends on request context only AWS sees (the source address, MFA of temporary credentials...): `check`, and `connect --strict`",
        },
        Status {
            codes: &[PROBLEMS],
            meaning: "`doctor` found a problem on the instance's side (state, agent, instance role, network path, session preferences), or `ecs doctor` on the container's (exec, agent, task role, platform, configuration); 0 when it found none, even if some checks could not run",
        },
        Status {
            codes: &[NOT_ALL],
            meaning: "`run` on several targets: the command failed, timed out, was cancelled or was not run on at least one (with one target, `run` exits with the remote command's own status, or 4 when the instance can't take commands)",
        },
        Status {
            codes: &[PARTIAL],
            meaning: "`list` or `run` over several accounts, regions or profiles left out at least one that could not be reached or listed (a role that can't be assumed, a region not enabled, no access); the others' rows are there, the warnings on stderr say why, and `--json=report` names them (a `run` where a target also failed exits 7)",
        },
        Status {
            codes: &[HUNG_UP, QUIT, TERMINATED],
            meaning: "told to stop by SIGHUP, SIGQUIT or SIGTERM (a closed terminal, a supervisor, `timeout`), whatever ssmgo was doing (waiting for an instance or for credentials, pausing between a tunnel's sessions, asking, listing): a process it had started (a credential_process) is given the signal too; an open picker is closed and the terminal restored; `run` cancels its command where it still runs; `ssh` stops ssh; a session is terminated, also one StartSession has just started, and during one SIGHUP and SIGTERM are passed to the plugin, which is killed if it hasn't stopped after 3 s (SIGQUIT, like Ctrl-C in a shell, is the plugin's while it runs, as with the AWS CLI)",
        },
        Status {
            codes: &[CANCELLED],
            meaning: "cancelled: Esc, Ctrl-C or SIGINT in the picker or at a question, SIGINT before a session has started, Ctrl-C to `run` (its command is cancelled where it still runs); once `forward` or `ssh-proxy` starts its session, Ctrl-C ends it with 0, as the AWS CLI's forwarding does",
        },
    ];

    /// The words of `text`, a `code span` with spaces kept as one.
    fn words(text: &str) -> Vec<String> {
        let mut words: Vec<String> = Vec::new();
        let mut in_code = false;
        for word in text.split(' ') {
            match words.last_mut() {
                Some(last) if in_code => {
                    last.push(' ');
                    last.push_str(word);
                }
                _ => words.push(word.to_owned()),
            }
            if word.matches('`').count() % 2 == 1 {
                in_code = !in_code;
            }
        }
        words
    }

    /// The Markdown table the README shows (a test keeps it equal to this).
    pub fn markdown_table() -> String {
        let mut out = String::from("| code | meaning |\n|---|---|\n");
        for status in STATUSES {
            out.push_str(&format!(
                "| {} | {} |\n",
                codes_text(status),
                status.meaning
            ));
        }
        out
    }

    /// "129, 143".
    pub fn codes_text(status: &Status) -> String {
        let codes: Vec<String> = status.codes.iter().map(i32::to_string).collect();
        codes.join(", ")
    }

    /// The list under `--help`, wrapped to 100 columns with the meaning indented.
    pub fn help_text() -> String {
        let mut out = String::from("Exit status:");
        for status in STATUSES {
            let codes = codes_text(status);
            let mut line = format!("  {codes:<9}");
            let mut width = line.len();
            for word in words(status.meaning) {
                if width + word.len() + 1 > 100 {
                    line.push_str("\n           ");
                    width = 11;
                } else if width > 11 {
                    line.push(' ');
                    width += 1;
                }
                width += word.chars().count();
                line.push_str(&word);
            }
            out.push('\n');
            out.push_str(&line);
        }
        out
    }
}

/// Everything that can go wrong, phrased for the person at the terminal.
#[derive(Debug, Error)]
pub enum Error {
    #[error("invalid --tag {spec:?}: {reason}\n  Use KEY=VALUE (VALUE may use * and ? globs, a,b for alternatives) or KEY alone, e.g. -t Env=prod -t 'Name=web-*'")]
    BadTagSpec { spec: String, reason: String },

    #[error("invalid --parameters: {reason}\n  Pass a JSON object whose values are lists of strings, e.g. --parameters '{{\"command\":[\"bash -l\"]}}'")]
    BadParameters { reason: String },

    #[error("invalid {what} {value:?}: {reason}")]
    BadInput {
        what: &'static str,
        value: String,
        reason: String,
    },

    #[error("the config file {path} is invalid{position}: {reason}\n  Fix or remove that setting (the keys are listed in `man ssmgo`, FILES); `ssmgo config show` prints what ssmgo would use")]
    Config {
        path: String,
        position: String,
        reason: String,
    },

    #[error("there is no preset {preset:?} in {file}\n  Known presets: {known}. Add a [preset.{preset}] table to the config file, or check the name")]
    UnknownPreset {
        preset: String,
        file: String,
        known: String,
    },

    #[error("no AWS region is configured\n  Pass --region REGION, set AWS_REGION, or add `region = ...` to the profile in your AWS config file")]
    NoRegion,

    #[error("the AWS profile {profile:?} does not exist\n  Known profiles: {known}. Check the name, or create it with `aws configure --profile {profile}`")]
    UnknownProfile { profile: String, known: String },

    #[error("no AWS credentials were found ({detail})\n  Set AWS_PROFILE or pass --profile, run `aws configure`, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")]
    NoCredentials { detail: String },

    #[error("the SSO session for profile {profile:?} has expired or was never started ({detail})\n  Run `aws sso login --profile {profile}`, then try again")]
    SsoLoginNeeded { profile: String, detail: String },

    #[error("AWS rejected the credentials during {operation} ({detail})\n  The keys are invalid or the session token has expired: refresh them (e.g. `aws sso login`, or a new `aws sts` session) and try again")]
    BadCredentials {
        operation: &'static str,
        detail: String,
    },

    #[error("could not reach the AWS endpoint {endpoint} during {operation} ({detail})\n  Check your network, proxy settings and --endpoint-url / AWS_ENDPOINT_URL, and that the region {region} is right")]
    EndpointUnreachable {
        operation: &'static str,
        endpoint: String,
        region: String,
        detail: String,
    },

    #[error("no answer from {endpoint} to {operation} within {seconds} s, even after a second try\n  The endpoint or the network in between is stuck or very slow: check your connection and proxy, narrow a listing with --tag or --page-size, or give AWS more time with `timeout` in the config file or SSMGO_TIMEOUT (e.g. 60s)")]
    TimedOut {
        operation: &'static str,
        endpoint: String,
        seconds: u64,
    },

    #[error("no AWS credentials came from {origin} within {seconds} s{}\n  Run the profile's credential_process (or `aws sso login`) by hand to see where it hangs; SSMGO_TIMEOUT (a quarter of this wait) gives it longer", if *stopped > 0 { format!(", so the {stopped} process(es) it had started were stopped") } else { String::new() })]
    CredentialsTimedOut {
        origin: String,
        seconds: u64,
        stopped: usize,
    },

    #[error("AWS kept throttling {operation} after retries ({detail})\n  Wait a minute and try again, or narrow the listing with --tag; AWS_MAX_ATTEMPTS raises the retry budget")]
    Throttled {
        operation: &'static str,
        detail: String,
    },

    #[error("could not assume {role_arn}: {detail}\n  The role must exist in that account and its trust policy must name your account or identity; choose another role with `[org] role` (or, for one account, `[org.roles]`) in the config file")]
    RoleNotAssumable { role_arn: String, detail: String },

    #[error("the region {region} is not enabled in account {account} ({operation} was refused: {detail})\n  Enable it in the account's settings (AWS Regions), or leave it out of --region")]
    RegionNotEnabled {
        operation: &'static str,
        account: String,
        region: String,
        detail: String,
    },

    #[error("--org: your account is not in an AWS Organization\n  Leave out --org (and `[org] enabled`), or list the accounts in the config file: [org] accounts = [\"111122223333\", ...]")]
    NotInOrganization,

    #[error("no AWS profile matches {pattern:?}\n  Known profiles: {known}. `*` matches any run of characters and `?` one, e.g. --profile 'prod-*'")]
    NoProfileMatches { pattern: String, known: String },

    #[error("could not list your organization's accounts: {detail}\n  {next}")]
    OrgUnreadable { detail: String, next: String },

    #[error("access denied: {operation} was refused by AWS\n  {message}\n  Ask whoever manages your IAM policies to allow {action} for your identity")]
    AccessDenied {
        operation: &'static str,
        action: &'static str,
        message: String,
    },

    #[error("AWS call {operation} failed: {detail}\n  Retry with --verbose for the full error; if it persists, check the AWS service health for your region")]
    Aws {
        operation: &'static str,
        detail: String,
    },

    #[error("no instance matches {filters}\n  List what is there with `ssmgo list --all{list_args}`, then loosen the filters")]
    NoMatch { filters: String, list_args: String },

    #[error("no instance has the id or Name {target:?}{filters}\n  Run `ssmgo list` to see the instances you can connect to, or pass an instance id (i-…)")]
    TargetNotFound { target: String, filters: String },

    #[error("the Name {name:?} matches {} running instances:\n{}\n  Pass the instance id instead, e.g. `ssmgo connect {}`", candidates.len(), candidates.iter().map(|c| format!("    {c}")).collect::<Vec<_>>().join("\n"), first_id)]
    AmbiguousName {
        name: String,
        candidates: Vec<String>,
        first_id: String,
    },

    #[error("you may not start {target}: {detail}\n  Ask whoever manages your IAM policies to allow ec2:StartInstances on it, or someone who may to start it")]
    StartDenied { target: String, detail: String },

    #[error("{target} cannot be connected to: {reason}\n  {next}")]
    NotConnectable {
        target: String,
        reason: String,
        next: String,
    },

    #[error("SSM says {target} is not connected ({message})\n  {next}")]
    TargetNotConnected {
        target: String,
        message: String,
        /// What to do: the doctor's finding when it found one, else the usual causes.
        next: String,
    },

    #[error("there is no previous connection to go back to\n  `ssmgo -` reconnects to the last instance you connected to; connect to one first (`ssmgo` opens the picker)")]
    NoHistory,

    #[error("no TARGET was given and there is no terminal to pick one in\n  Pass a TARGET: an instance id (ssmgo connect i-0123456789abcdef0) or a Name tag value")]
    NotInteractive,

    #[error("session-manager-plugin was not found on PATH, so no session was started\n  Install it: https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html (macOS: `brew install --cask session-manager-plugin`; Debian/Ubuntu: the .deb from that page)")]
    PluginMissing,

    #[error("session-manager-plugin at {path} could not be run ({detail}), so no session was started\n  Reinstall the plugin, or fix its permissions")]
    PluginUnusable { path: String, detail: String },

    #[error("session-manager-plugin failed: {detail}\n  The session {session_id} was terminated. Check `session-manager-plugin --version` and reinstall the plugin if it keeps failing")]
    PluginFailed { session_id: String, detail: String },

    #[error("the picker failed: {detail}\n  Pass a TARGET instead of using the picker")]
    Picker { detail: String },

    #[error("could not ask on the terminal ({detail})\n  Say it with a flag instead: --start for a stopped instance, an instance id for a shared Name, or `aws sso login` first")]
    Prompt { detail: String },

    #[error("cannot use the policy {path}: {detail}\n  {next}")]
    PolicyInput {
        path: String,
        detail: String,
        next: &'static str,
    },

    #[error(
        "the request is {decision}; the output above says which statements decided it and why"
    )]
    PolicyDenied { decision: &'static str },

    #[error("{count} finding(s) of error severity; fix them before using the policy")]
    LintErrors { count: usize },

    #[error("ssm:StartSession would be denied on {target}, so no session was started\n  Fix the policy as shown above, then check again with `ssmgo check {target_id}`; to let AWS decide anyway, pass --no-check (or set `check = \"off\"` in the config file)")]
    PrecheckDenied { target: String, target_id: String },

    #[error("ecs:ExecuteCommand would be denied on {target}, so no session was started\n  Fix the policy as shown above, then check again with `ssmgo ecs check {task}`; to let AWS decide anyway, pass --no-check")]
    EcsPrecheckDenied { target: String, task: String },

    #[error("ssm:StartSession would be denied on {target}, so no tunnel was started\n  Fix the policy as shown above (StartSession on the port-forwarding document and on the task); to let AWS decide anyway, pass --no-check")]
    EcsForwardPrecheckDenied { target: String },

    #[error("AWS denied ecs:ExecuteCommand on {target}: {message}\n  Ask whoever manages your IAM policies to allow ecs:ExecuteCommand on the cluster and the task; `ssmgo ecs check` explains what your own policies say")]
    EcsExecDenied { target: String, message: String },

    #[error("ECS refused to run a command in {target} ({message})\n  The doctor's findings above say why; `ssmgo ecs doctor {task}` checks it again")]
    EcsExecRefused {
        target: String,
        message: String,
        task: String,
    },

    #[error("the answer to ExecuteCommand on {target} was lost ({detail}); {outcome}\n  Try again; if it keeps happening, check the network path to the ECS endpoint (--verbose shows each call)")]
    EcsExecLost {
        target: String,
        detail: String,
        outcome: String,
    },

    #[error("no running container matches {what}\n  List them with `ssmgo ecs list` (--cluster, --service, --container narrow it), then pass a task id")]
    EcsNoMatch { what: String },

    #[error("{count} running containers match {what}, and there is no terminal to pick one in\n  Pass a task id or ARN and --container NAME")]
    EcsAmbiguous { what: String, count: usize },

    #[error("whether you may start a session on {target} depends on {keys}, which only AWS sees\n  `ssmgo connect` lets AWS decide (with --strict or `check = \"strict\"` it refuses and starts nothing); to be allowed, connect from where the policy allows it")]
    DependsOnContext { target: String, keys: String },

    #[error("you may not push an SSH key for {os_user} to {target} with EC2 Instance Connect, so no session was started\n  The lines above say why; ask for ec2-instance-connect:SendSSHPublicKey on the instance (condition ec2:osuser), or connect without --send-key with your key on the instance")]
    KeyPushDenied { target: String, os_user: String },

    /// The remote command's own exit status (one target): nothing to add to what it printed.
    #[error("")]
    RemoteExit { code: i32 },

    #[error("the command did not run to the end {failed}\n  If it ran out of time, give it more with --timeout (default 1h); `--json` gives SSM's statuses")]
    RunFailed { failed: String },

    #[error("the command did not succeed on {failed} of {total} targets\n  The table above says where and why; rerun on those alone with their ids")]
    RunNotAll { failed: usize, total: usize },

    #[error("{} could not be {doing} ({}), so {what} is not complete\n  The warnings above say why; `--json=report` names them for scripts", match left_out.len() { 1 => "1 account/region".to_owned(), n => format!("{n} accounts/regions") }, left_out.join(", "))]
    Partial {
        /// Where, as the warnings name them.
        left_out: Vec<String>,
        /// "listed", "searched".
        doing: &'static str,
        /// "the listing", "the run".
        what: &'static str,
    },

    #[error("you may not run commands on {denied} of {total} targets (ssm:SendCommand), so nothing was run\n  The lines above say which and why; run on the others alone, or fix the policy")]
    RunDenied { denied: usize, total: usize },

    #[error("doctor found {count} on {target}\n  The lines marked problem above say what is wrong and what to do")]
    DoctorFound { target: String, count: String },

    #[error("the access pre-check could not run: {reason}\n  It needs sts:GetCallerIdentity and iam:SimulatePrincipalPolicy on your own identity (iam:GetRole too for a role); `connect --strict` refuses to go on without it")]
    CouldNotCheck { reason: String },

    #[error("AWS denied ssm:StartSession{resource}: {layer}\n  {advice}")]
    SessionDenied {
        resource: String,
        layer: String,
        advice: String,
    },

    #[error("the answer to StartSession on {target} was lost ({detail}); {outcome}\n  Try again; if it keeps happening, check the network path to the SSM endpoint (--verbose shows each call)")]
    StartSessionLost {
        target: String,
        detail: String,
        outcome: String,
    },

    #[error("told to stop ({}) {}\n  Nothing was left open; connect again when you are ready", signal_name(*signal), match plugin_ran {
        true => format!("while a session ran: session-manager-plugin was stopped too and the session {session_id} terminated"),
        false => format!("as the session {session_id} started: it was terminated before session-manager-plugin ran"),
    })]
    Signalled {
        signal: i32,
        session_id: String,
        /// Whether the plugin had started (and was stopped), or the stop came before it.
        plugin_ran: bool,
    },

    /// Told to stop with no session open: `state` says where, and what was done.
    #[error("told to stop ({}) {state}\n  Run ssmgo again when you are ready", signal_name(*signal))]
    Stopped { signal: i32, state: &'static str },

    #[error("the tunnel {tunnel} was given up: its session ended within {within} s of starting, {attempts} times in a row\n  Something on the instance's side ends it at once (nothing listening on the remote port, a host it can't reach, a session preference): `ssmgo doctor {target}` checks the instance, and with --no-reconnect the plugin's own message shows once")]
    TunnelGivenUp {
        tunnel: String,
        target: String,
        attempts: u32,
        within: u64,
    },

    #[error("cancelled")]
    Cancelled,

    #[error("{context} failed: {source}\n  {}", io_next_step(source))]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// The exit status for this error, as documented in the README and the man page.
    pub fn exit_code(&self) -> i32 {
        use Error::*;
        match self {
            BadTagSpec { .. }
            | BadParameters { .. }
            | BadInput { .. }
            | NoRegion
            | Config { .. }
            | UnknownPreset { .. }
            | UnknownProfile { .. }
            | NotInteractive
            | NotInOrganization
            | NoProfileMatches { .. }
            | PolicyInput { .. } => exit::USAGE,
            AccessDenied { .. }
            | RoleNotAssumable { .. }
            | OrgUnreadable { .. }
            | PolicyDenied { .. }
            | LintErrors { .. }
            | PrecheckDenied { .. }
            | StartDenied { .. }
            | RunDenied { .. }
            | KeyPushDenied { .. }
            | EcsPrecheckDenied { .. }
            | EcsForwardPrecheckDenied { .. }
            | EcsExecDenied { .. }
            | SessionDenied { .. } => exit::DENIED,
            NoMatch { .. }
            | TargetNotFound { .. }
            | AmbiguousName { .. }
            | NotConnectable { .. }
            | TargetNotConnected { .. }
            | EcsExecRefused { .. }
            | EcsNoMatch { .. }
            | EcsAmbiguous { .. }
            | NoHistory => exit::NO_TARGET,
            DependsOnContext { .. } => exit::DEPENDS,
            DoctorFound { .. } => exit::PROBLEMS,
            RunNotAll { .. } => exit::NOT_ALL,
            Partial { .. } => exit::PARTIAL,
            RemoteExit { code } => *code,
            RunFailed { .. } => exit::FAILURE,
            // As shells report a death by signal N (HUNG_UP and TERMINATED).
            Signalled { signal, .. } | Stopped { signal, .. } => 128 + signal,
            Cancelled => exit::CANCELLED,
            NoCredentials { .. }
            | SsoLoginNeeded { .. }
            | BadCredentials { .. }
            | EndpointUnreachable { .. }
            | TimedOut { .. }
            | CredentialsTimedOut { .. }
            | Throttled { .. }
            | RegionNotEnabled { .. }
            | Aws { .. }
            | PluginMissing
            | PluginUnusable { .. }
            | CouldNotCheck { .. }
            | PluginFailed { .. }
            | StartSessionLost { .. }
            | EcsExecLost { .. }
            | TunnelGivenUp { .. }
            | Picker { .. }
            | Prompt { .. }
            | Io { .. } => exit::FAILURE,
        }
    }

    /// The message's first line: what happened, without the next step.
    pub fn headline(&self) -> String {
        let text = self.to_string();
        text.lines().next().unwrap_or_default().to_owned()
    }

    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }
}

/// A stop signal by its usual name ("SIGTERM"), as messages and `run`'s rows say it.
pub fn signal_name(signal: i32) -> String {
    match signal {
        libc::SIGHUP => "SIGHUP".into(),
        libc::SIGINT => "SIGINT".into(),
        libc::SIGQUIT => "SIGQUIT".into(),
        libc::SIGTERM => "SIGTERM".into(),
        n => format!("signal {n}"),
    }
}

/// What to do about a local I/O failure, judged by its kind.
fn io_next_step(e: &std::io::Error) -> &'static str {
    use std::io::ErrorKind::*;
    match e.kind() {
        PermissionDenied => "Check the permissions of the file or directory involved",
        StorageFull | QuotaExceeded => "Free some disk space and try again",
        OutOfMemory => "Close other programs to free memory and try again",
        _ => "Check where the output goes (a full disk, a closed terminal), then try again",
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_failure_has_its_documented_exit_code() {
        assert_eq!(Error::NoRegion.exit_code(), 2);
        assert_eq!(Error::NotInteractive.exit_code(), 2);
        let denied = Error::AccessDenied {
            operation: "StartSession",
            action: "ssm:StartSession",
            message: "no".into(),
        };
        assert_eq!(denied.exit_code(), 3);
        let nothing = Error::NoMatch {
            filters: "Env=prod".into(),
            list_args: String::new(),
        };
        assert_eq!(nothing.exit_code(), 4);
        assert_eq!(Error::Cancelled.exit_code(), 130);
        assert_eq!(Error::PluginMissing.exit_code(), 1);
    }

    #[test]
    fn no_message_names_ssmgo_first_as_the_reporter_already_does() {
        // `main` writes "ssmgo: " before every message: one that starts with "ssmgo" again reads
        // "ssmgo: ssmgo was told to stop".
        let source = include_str!("error.rs");
        let doubled: Vec<&str> = source
            .lines()
            .filter(|l| l.trim_start().starts_with(concat!("#[error(\"", "ssmgo")))
            .collect();
        assert!(doubled.is_empty(), "{doubled:#?}");
        let stopped = [
            Error::Stopped {
                signal: libc::SIGTERM,
                state: "while no session was open: it stopped there, and left none open",
            },
            Error::Signalled {
                signal: libc::SIGHUP,
                session_id: "s-1".into(),
                plugin_ran: true,
            },
            Error::Signalled {
                signal: libc::SIGTERM,
                session_id: "s-1".into(),
                plugin_ran: false,
            },
            Error::DoctorFound {
                target: "web (i-1)".into(),
                count: "2 problems".into(),
            },
        ];
        for e in &stopped {
            let text = e.to_string();
            assert!(!text.starts_with("ssmgo"), "{text}");
        }
        assert!(stopped[0]
            .to_string()
            .starts_with("told to stop (SIGTERM) while no session"));
        assert_eq!(stopped[0].exit_code(), 143);
        assert_eq!(stopped[1].exit_code(), 129);
        assert!(stopped[2]
            .to_string()
            .contains("terminated before session-manager-plugin ran"));
        assert!(stopped[3]
            .to_string()
            .starts_with("doctor found 2 problems on web (i-1)\n"));
    }

    #[test]
    fn a_local_io_failure_says_what_to_do_next() {
        let e = Error::io(
            "writing to standard output",
            std::io::Error::from(std::io::ErrorKind::StorageFull),
        );
        let text = e.to_string();
        assert!(
            text.starts_with("writing to standard output failed: "),
            "{text}"
        );
        assert!(text.contains("\n  Free some disk space"), "{text}");
        assert_eq!(e.exit_code(), 1);
    }

    #[test]
    fn an_ambiguous_name_lists_every_candidate_and_suggests_an_id() {
        let e = Error::AmbiguousName {
            name: "web".into(),
            candidates: vec!["i-1 web running".into(), "i-2 web running".into()],
            first_id: "i-1".into(),
        };
        let text = e.to_string();
        assert!(text.contains("matches 2 running instances"), "{text}");
        assert!(
            text.contains("    i-1 web running\n    i-2 web running"),
            "{text}"
        );
        assert!(text.contains("ssmgo connect i-1"), "{text}");
    }
}
