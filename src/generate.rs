//! The shell completions in completions/ and the man pages in man/, generated from the
//! command-line definition (and the one list of exit statuses) by the binary itself:
//! `ssmgo --generate DIR` writes them, and a test compares them with the committed files, so
//! packagers and users need no build step and the files can't go stale.

use std::path::{Path, PathBuf};

use clap::CommandFactory;
use clap_complete::{Generator, Shell};

use crate::cli::Cli;
use crate::error::{exit, Error, Result};

/// Writes every generated file under `dir` (completions/ and man/ inside it).
pub fn write_all(dir: &Path) -> Result<()> {
    for (path, content) in files() {
        let path = dir.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Error::io(format!("creating {}", parent.display()), e))?;
        }
        std::fs::write(&path, content)
            .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
    }
    Ok(())
}

/// The static completion script for `shell`.
pub fn completion(shell: Shell) -> Vec<u8> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "ssmgo", &mut script);
    script
}

/// Every generated file, by its path in the source tree.
pub fn files() -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    for shell in [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::Elvish,
        Shell::PowerShell,
    ] {
        files.push((
            Path::new("completions").join(shell.file_name("ssmgo")),
            completion(shell),
        ));
    }
    let command = Cli::command();
    files.push((PathBuf::from("man/ssmgo.1"), main_page(&command)));
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("ssmgo-{}", sub.get_name());
        let mut page = Vec::new();
        let sub = sub
            .clone()
            .name(name.clone())
            .version(env!("CARGO_PKG_VERSION"));
        clap_mangen::Man::new(sub)
            .render(&mut page)
            .expect("rendering into memory cannot fail");
        files.push((PathBuf::from(format!("man/{name}.1")), page));
    }
    files
}

/// ssmgo.1: clap's sections, then every subcommand with its options, then what clap can't know.
fn main_page(command: &clap::Command) -> Vec<u8> {
    let man = clap_mangen::Man::new(command.clone());
    let mut page = Vec::new();
    man.render_title(&mut page)
        .expect("rendering into memory cannot fail");
    man.render_name_section(&mut page)
        .expect("rendering into memory cannot fail");
    man.render_synopsis_section(&mut page)
        .expect("rendering into memory cannot fail");
    man.render_description_section(&mut page)
        .expect("rendering into memory cannot fail");
    man.render_options_section(&mut page)
        .expect("rendering into memory cannot fail");
    page.extend_from_slice(b".SH COMMANDS\n");
    let mut built = command.clone();
    built.build();
    for sub in built.get_subcommands().filter(|s| !s.is_hide_set()) {
        subcommand_section(&mut page, "ssmgo", sub);
    }
    page.extend_from_slice(exit_status_section().as_bytes());
    page.extend_from_slice(ENVIRONMENT.as_bytes());
    page.extend_from_slice(FILES.as_bytes());
    page.extend_from_slice(EXAMPLES.as_bytes());
    man.render_version_section(&mut page)
        .expect("rendering into memory cannot fail");
    page
}

fn subcommand_section(page: &mut Vec<u8>, parent: &str, sub: &clap::Command) {
    let name = format!("{parent} {}", sub.get_name());
    if sub.has_subcommands() {
        for inner in sub.get_subcommands() {
            subcommand_section(page, &name, inner);
        }
        return;
    }
    let mut usage = name.clone();
    for arg in sub.get_positionals() {
        let value = arg
            .get_value_names()
            .map(|v| v.join(" "))
            .unwrap_or_else(|| arg.get_id().to_string().to_uppercase());
        if arg.is_required_set() {
            usage.push_str(&format!(" {value}"));
        } else {
            usage.push_str(&format!(" [{value}]"));
        }
    }
    page.extend_from_slice(format!(".SS \"{}\"\n", roff(&usage)).as_bytes());
    let about = sub
        .get_long_about()
        .or(sub.get_about())
        .map(|a| a.to_string())
        .unwrap_or_default();
    for (i, para) in about.split("\n\n").enumerate() {
        if i > 0 {
            page.extend_from_slice(b".PP\n");
        }
        page.extend_from_slice(format!("{}\n", roff(para.trim())).as_bytes());
    }
    for arg in sub
        .get_arguments()
        .filter(|a| !a.is_hide_set() && !a.is_global_set())
    {
        let mut head = Vec::new();
        if let Some(s) = arg.get_short() {
            head.push(format!("\\fB\\-{s}\\fR"));
        }
        if let Some(l) = arg.get_long() {
            head.push(format!("\\fB\\-\\-{}\\fR", roff(l)));
        }
        let takes_value = arg.get_num_args().is_some_and(|n| n.takes_values())
            && !matches!(
                arg.get_action(),
                clap::ArgAction::SetTrue | clap::ArgAction::Help
            );
        let value = arg
            .get_value_names()
            .map(|v| v.join(" "))
            .unwrap_or_else(|| arg.get_id().to_string().to_uppercase());
        let mut head = head.join(", ");
        if arg.is_positional() {
            head = format!("\\fI{}\\fR", roff(&value));
        } else if takes_value {
            head.push_str(&format!(" \\fI{}\\fR", roff(&value)));
        }
        let help = arg
            .get_long_help()
            .or(arg.get_help())
            .map(|h| h.to_string())
            .unwrap_or_default();
        page.extend_from_slice(
            format!(".TP\n{head}\n{}\n", roff(&help.replace("\n\n", " "))).as_bytes(),
        );
    }
}

/// EXIT STATUS, from the one list of exit statuses.
fn exit_status_section() -> String {
    let mut section = String::from(".SH \"EXIT STATUS\"\n");
    for status in exit::STATUSES {
        let codes: Vec<String> = status
            .codes
            .iter()
            .map(|c| format!("\\fB{c}\\fR"))
            .collect();
        section.push_str(&format!(
            ".TP\n{}\n{}\n",
            codes.join(", "),
            code_spans(&roff(status.meaning))
        ));
    }
    section
}

/// `code` spans in bold.
fn code_spans(text: &str) -> String {
    let mut out = String::new();
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 1 {
            out.push_str(&format!("\\fB{part}\\fR"));
        } else {
            out.push_str(part);
        }
    }
    out
}

/// Escapes text for roff: backslashes, hyphens, and a leading dot or quote.
fn roff(text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('-', "\\-");
    escaped
        .lines()
        .map(|l| {
            if l.starts_with('.') || l.starts_with('\'') {
                format!("\\&{l}")
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

const ENVIRONMENT: &str = r#".SH ENVIRONMENT
Flags win over the environment, which wins over the config file.
.TP
\fBAWS_PROFILE\fR, \fBAWS_DEFAULT_PROFILE\fR
The AWS profile, as for the AWS CLI (\fB\-\-profile\fR).
.TP
\fBAWS_REGION\fR, \fBAWS_DEFAULT_REGION\fR
The region (\fB\-\-region\fR).
.TP
\fBAWS_ENDPOINT_URL\fR, \fBAWS_ENDPOINT_URL_SSM\fR
Send requests (or only SSM's, and the plugin's) to this URL instead of AWS's endpoints.
.TP
\fBAWS_CONFIG_FILE\fR, \fBAWS_SHARED_CREDENTIALS_FILE\fR, \fBAWS_ACCESS_KEY_ID\fR, \fBAWS_SECRET_ACCESS_KEY\fR, \fBAWS_SESSION_TOKEN\fR
Credentials and shared files, read by the AWS SDK exactly as the AWS CLI reads them (SSO profiles included).
.TP
\fBAWS_RETRY_MODE\fR, \fBAWS_MAX_ATTEMPTS\fR
Retry behaviour. Unless \fBAWS_RETRY_MODE\fR is set, ssmgo uses standard retry (jittered back\-off from 100 ms to 5 s) with up to 10 attempts per call (\fBAWS_MAX_ATTEMPTS\fR changes that), and says on stderr when AWS throttles. StartSession is never retried after a lost answer: the sessions it may have started are terminated instead.
.TP
\fBSSMGO_TIMEOUT\fR
How long one AWS request may go unanswered before it is tried once more and then given up (1s to 10m, default 15s; the config key \fBtimeout\fR). Credentials may take four times as long; a \fBcredential_process\fR still running then is stopped.
.TP
\fBNO_COLOR\fR
When set and not empty, no colour (unless \fB\-\-color always\fR).
.TP
\fBSSMGO_CONFIG\fR
The config file to read instead of the default one.
.TP
\fBXDG_CONFIG_HOME\fR, \fBXDG_STATE_HOME\fR, \fBXDG_CACHE_HOME\fR
Where the config file, the history and the listing cache live (see FILES).
.TP
\fBCOMPLETE\fR
\fBCOMPLETE=bash ssmgo\fR (or zsh, fish, elvish, powershell) prints the dynamic completion hook, which completes instance ids and Names from the cache. A Name is offered only when no shell could misread it (letters, digits and \fB. _ \- + @ , /\fR, not starting with \fB\-\fR); otherwise only the instance id is, with the Name as its description.
"#;

const FILES: &str = r#".SH FILES
.TP
\fI$XDG_CONFIG_HOME/ssmgo/config.toml\fR (default \fI~/.config/ssmgo/config.toml\fR)
The config file.
Keys: \fBprofile\fR, \fBregion\fR (comma\-separated for several), \fBtag\fR (a list of KEY=VALUE filters), \fBdocument\fR, \fBcolumns\fR (of name, instance, state, ssm, ip, platform, az, tag:KEY), \fBcache\-ttl\fR (e.g. "15m"), \fBtimeout\fR (per AWS request, e.g. "30s"; default 15s), \fBcheck\fR (on, off or strict: the access pre-check before sessions; \fB\-\-no\-check\fR and \fB\-\-strict\fR win), \fBcolor\fR (auto, always, never), \fBsend\-key\fR (true: \fBssh\-proxy\fR pushes your key with EC2 Instance Connect), \fBrun\-max\-concurrency\fR and \fBrun\-max\-errors\fR (N or N%), \fBrun\-timeout\fR, \fBrun\-output\-s3\fR (BUCKET[/PREFIX]), \fBforward\-reconnect\fR (true or false) and \fBforward\-keep\-alive\fR (e.g. "5m"), an \fB[org]\fR table for \fB\-\-org\fR (\fBenabled\fR, \fBrole\fR: the role assumed in each account, default OrganizationAccountAccessRole; \fBaccounts\fR: the accounts to list instead of asking AWS Organizations; \fB[org.roles]\fR: another role for some accounts, "ACCOUNT" = "ROLE"), and \fB[preset.NAME]\fR tables with profile, region, tag, document and columns, used with \fB\-P NAME\fR.
An unknown key or a bad value is an error naming the line and key.
\fBssmgo config show\fR prints the effective values and their sources.
.TP
\fI$XDG_STATE_HOME/ssmgo/history.json\fR (default \fI~/.local/state/ssmgo/\fR)
The last 100 connections: the picker lists them first, \fBssmgo \-\fR reconnects to the latest.
.TP
\fI$XDG_CACHE_HOME/ssmgo/instances\-*.json\fR (default \fI~/.cache/ssmgo/\fR)
The last listing per profile (or account), region and filter, shown by the picker at once while a fresh listing loads, and used for completion; with \fB\-\-org\fR, \fIorg\-*.json\fR remembers the organization's accounts for the picker (for \fBcache\-ttl\fR).
Files older than \fBcache\-ttl\fR (default 1 hour), unreadable, or of another format are ignored; files unused for 7 days, and all but the newest 1,024, are removed.
History and cache files are written 0600 in 0700 directories: they list your fleet. An endpoint URL's user and password are never stored.
"#;

const EXAMPLES: &str = r#".SH EXAMPLES
.TP
\fBssmgo\fR
Pick a running instance and open a shell on it.
.TP
\fBssmgo web\-1\fR
Connect to the instance named web\-1.
.TP
\fBssmgo \-\fR
Reconnect to the last instance.
.TP
\fBssmgo \-P prod \-t Team=payments\fR
Pick among the payments team's instances, with the prod preset's profile and region.
.TP
\fBssmgo list \-\-region eu\-west\-1,us\-east\-1 \-\-json\fR
List two regions at once, as JSON with each row's region.
.TP
\fBssmgo list \-\-org \-\-region eu\-west\-1,us\-east\-1 \-t Env=prod\fR
Every account of your AWS Organization in both regions at once, through the role \fB[org] role\fR names in each.
.TP
\fBssmgo check web\-1\fR
Say whether you may start a session on web\-1, and why not.
.TP
\fBssmgo forward db\-bastion 5432:5432 \-\-to orders.cluster.internal\fR
Reach a database behind the instance on localhost:5432.
.TP
\fBssmgo ssh\-config >> ~/.ssh/config\fR
Then \fBssh ec2\-user@i\-0123456789abcdef0\fR goes through Session Manager.
.TP
\fBssmgo policy fix policy.json\fR
Print the policy with the StartSession mistake fixed.
"#;
