//! The shell completions in completions/ and the man pages in man/ are generated from the clap
//! definition and committed (so packagers and users need no build step). This test fails when
//! they are stale; `SSMGO_REGENERATE=1 ./scripts/test` (or cargo test generated) rewrites them.

use std::path::{Path, PathBuf};

use clap::CommandFactory;
use clap_complete::{Generator, Shell};
use ssmgo::cli::Cli;

fn generated_files() -> Vec<(PathBuf, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for shell in [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::Elvish,
        Shell::PowerShell,
    ] {
        let mut script = Vec::new();
        clap_complete::generate(shell, &mut Cli::command(), "ssmgo", &mut script);
        files.push((
            root.join("completions").join(shell.file_name("ssmgo")),
            script,
        ));
    }
    let command = Cli::command();
    files.push((root.join("man/ssmgo.1"), main_page(&command)));
    for sub in command.get_subcommands() {
        // Test-only: clap wants 'static names without its "string" feature.
        let name: &'static str = Box::leak(format!("ssmgo-{}", sub.get_name()).into_boxed_str());
        let mut page = Vec::new();
        let sub = sub.clone().name(name).version(env!("CARGO_PKG_VERSION"));
        clap_mangen::Man::new(sub).render(&mut page).unwrap();
        files.push((root.join(format!("man/{name}.1")), page));
    }
    files
}

/// ssmgo.1: clap's sections, then every subcommand with its options, then what clap can't know.
fn main_page(command: &clap::Command) -> Vec<u8> {
    let man = clap_mangen::Man::new(command.clone());
    let mut page = Vec::new();
    man.render_title(&mut page).unwrap();
    man.render_name_section(&mut page).unwrap();
    man.render_synopsis_section(&mut page).unwrap();
    man.render_description_section(&mut page).unwrap();
    man.render_options_section(&mut page).unwrap();
    page.extend_from_slice(b".SH COMMANDS\n");
    let mut built = command.clone();
    built.build();
    for sub in built.get_subcommands() {
        subcommand_section(&mut page, "ssmgo", sub);
    }
    page.extend_from_slice(EXIT_STATUS.as_bytes());
    page.extend_from_slice(ENVIRONMENT.as_bytes());
    page.extend_from_slice(FILES.as_bytes());
    page.extend_from_slice(EXAMPLES.as_bytes());
    man.render_version_section(&mut page).unwrap();
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

const EXIT_STATUS: &str = r#".SH "EXIT STATUS"
.TP
\fB0\fR
Success.
.TP
\fB1\fR
AWS, network or runtime failure: no credentials, endpoint unreachable or silent past the timeout, throttled, the plugin failed.
.TP
\fB2\fR
Usage error or invalid input: a bad \fB\-\-tag\fR or \fB\-\-parameters\fR, no region, an unknown profile or preset, a malformed config file, no terminal for the picker.
.TP
\fB3\fR
Access denied: by AWS, by the pre\-check, or by \fBpolicy eval\fR/\fBpolicy lint\fR.
.TP
\fB4\fR
No matching target, or the target cannot be connected to (stopped, not managed, no previous connection for \fBssmgo \-\fR).
.TP
\fB5\fR
Access depends on request context only AWS sees (the source address, MFA of temporary credentials, ...): \fBcheck\fR, and \fBconnect \-\-strict\fR.
.TP
\fB129\fR, \fB143\fR
Told to stop by SIGHUP or SIGTERM while a session ran (a closed terminal, a supervisor, \fBtimeout\fR): the plugin is stopped with it and the session terminated.
.TP
\fB130\fR
Cancelled: Esc or Ctrl\-C in the picker.
"#;

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
Keys: \fBprofile\fR, \fBregion\fR (comma\-separated for several), \fBtag\fR (a list of KEY=VALUE filters), \fBdocument\fR, \fBcolumns\fR (of name, instance, state, ssm, ip, platform, az, tag:KEY), \fBcache\-ttl\fR (e.g. "15m"), \fBtimeout\fR (per AWS request, e.g. "30s"; default 15s), \fBcheck\fR (on, off or strict: the access pre-check before sessions; \fB\-\-no\-check\fR and \fB\-\-strict\fR win), \fBcolor\fR (auto, always, never), and \fB[preset.NAME]\fR tables with profile, region, tag, document and columns, used with \fB\-P NAME\fR.
An unknown key or a bad value is an error naming the line and key.
\fBssmgo config show\fR prints the effective values and their sources.
.TP
\fI$XDG_STATE_HOME/ssmgo/history.json\fR (default \fI~/.local/state/ssmgo/\fR)
The last 100 connections: the picker lists them first, \fBssmgo \-\fR reconnects to the latest.
.TP
\fI$XDG_CACHE_HOME/ssmgo/instances\-*.json\fR (default \fI~/.cache/ssmgo/\fR)
The last listing per profile, region and filter, shown by the picker at once while a fresh listing loads, and used for completion.
Files older than \fBcache\-ttl\fR (default 1 hour), unreadable, or of another format are ignored; files unused for 7 days, and all but the newest 32, are removed.
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

#[test]
fn the_man_pages_render_without_warnings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut pages: Vec<PathBuf> = std::fs::read_dir(root.join("man"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    pages.sort();
    assert!(pages.len() >= 8, "{pages:?}");
    for page in pages {
        let out = std::process::Command::new("groff")
            .args(["-k", "-man", "-Tutf8", "-ww", "-z", "-rCHECKSTYLE=10"])
            .arg(&page)
            .output()
            .expect("groff runs (scripts/test installs it when missing)");
        let warnings = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && warnings.trim().is_empty(),
            "{}: {warnings}",
            page.display()
        );
    }
    let text = std::process::Command::new("groff")
        .args(["-k", "-man", "-Tutf8", "-P-cbu"])
        .arg(root.join("man/ssmgo.1"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout).replace('‐', "-");
    for section in [
        "NAME",
        "SYNOPSIS",
        "DESCRIPTION",
        "OPTIONS",
        "COMMANDS",
        "EXIT STATUS",
        "ENVIRONMENT",
        "FILES",
        "EXAMPLES",
    ] {
        assert!(
            text.contains(&format!("\n{section}\n")),
            "{section} missing"
        );
    }
    for word in [
        "ssmgo forward",
        "ssmgo ssh-proxy",
        "--refresh",
        "NO_COLOR",
        "config.toml",
        "130",
    ] {
        assert!(text.contains(word), "{word} missing from the man page");
    }
}

#[test]
fn committed_completions_and_man_pages_match_the_command_line() {
    let regenerate = std::env::var_os("SSMGO_REGENERATE").is_some();
    let mut stale = Vec::new();
    for (path, content) in generated_files() {
        if std::fs::read(&path).ok().as_deref() == Some(&content[..]) {
            continue;
        }
        if regenerate {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &content).unwrap();
        } else {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated files (rerun with SSMGO_REGENERATE=1 and commit them): {stale:#?}"
    );
}
