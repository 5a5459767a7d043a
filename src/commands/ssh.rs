//! `ssmgo ssh-proxy HOST PORT` (ssh's ProxyCommand over AWS-StartSSHSession), `ssmgo ssh-config`
//! (the ~/.ssh/config block that uses it) and `ssmgo ssh` (ssh with a key made for one connection
//! and pushed with EC2 Instance Connect).
//!
//! Under ProxyCommand, stdout *is* the SSH connection: nothing of ours may be written there, and
//! no picker can open. Messages go to stderr, which ssh shows.

use std::collections::BTreeMap;

use crate::cli::{SessionArgs, SshArgs, SshConfigArgs, SshProxyArgs};
use crate::commands::Ctx;
use crate::error::{Error, Result};
use crate::instance_connect::{self, Push};
use crate::launch::{self, Plan, SessionTarget};
use crate::output::write_text;
use crate::session::SessionSpec;
use crate::settings::Source;

pub const SSH_DOCUMENT: &str = "AWS-StartSSHSession";

pub async fn proxy(ctx: &Ctx, args: SshProxyArgs) -> Result<()> {
    let target = SessionTarget::parse(&args.host);
    if args.port == 0 {
        return Err(Error::BadInput {
            what: "PORT",
            value: "0".into(),
            reason: "give the instance's SSH port, e.g. 22 (ssh's %p)".into(),
        });
    }
    let mut spec = SessionSpec::new(Some(SSH_DOCUMENT.to_owned()), None, None)?;
    spec.parameters = Some(BTreeMap::from([(
        "portNumber".to_owned(),
        vec![args.port.to_string()],
    )]));
    // `send-key = true` in the config pushes the key without the flag.
    let push_key = match args.send_key || ctx.settings.send_key.value {
        true => Some(Push {
            key: instance_connect::public_key(args.public_key.as_deref())?,
            os_user: args
                .os_user
                .unwrap_or_else(|| instance_connect::DEFAULT_OS_USER.to_owned()),
        }),
        false => None,
    };
    launch::start(
        &ctx.settings,
        ctx.verbose,
        Plan {
            push_key,
            target: Some(target),
            tags: ctx.settings.tags_or(&args.filter.tags),
            spec,
            session: SessionArgs {
                no_check: args.no_check,
                ..SessionArgs::default()
            },
            may_pick: false,
            announce: false,
            purpose: "an SSH session".into(),
            interrupt_ends_it: true,
            reconnect: false,
            found_in: None,
        },
    )
    .await
}

/// This program's path, for ProxyCommand.
fn own_path() -> String {
    std::env::current_exe()
        .ok()
        .and_then(|p| p.to_str().map(str::to_owned))
        .unwrap_or_else(|| "ssmgo".into())
}

pub fn config(ctx: &Ctx, args: SshConfigArgs) -> Result<()> {
    write_text(&config_block(&own_path(), ctx, &args)?)
}

/// `ssmgo ssh [USER@]TARGET [-- SSH_ARGS…]`: ssh with a fresh key that lives only for this
/// connection: made with ssh-keygen in a private directory, pushed with EC2 Instance Connect by
/// `ssh-proxy --send-key`, handed to ssh with -i, removed when ssh ends. ssh's exit status is
/// ssmgo's. A SIGTERM or SIGHUP to ssmgo is passed to ssh (which ends its ProxyCommand, and so
/// the session), and the key is removed; Ctrl-C and Ctrl-\ are ssh's, which has the terminal.
pub async fn ssh(ctx: &Ctx, args: SshArgs) -> Result<()> {
    let (user, target) = match args.destination.split_once('@') {
        Some((user, target)) => (user.to_owned(), target.to_owned()),
        None => (
            crate::instance_connect::DEFAULT_OS_USER.to_owned(),
            args.destination.clone(),
        ),
    };
    if user.is_empty() || target.is_empty() || target.starts_with('-') {
        return Err(Error::BadInput {
            what: "[USER@]TARGET",
            value: args.destination,
            reason: "give an instance id or Name, with the OS user before @ (e.g. ubuntu@web-1)"
                .into(),
        });
    }
    let dir = tempfile::Builder::new()
        .prefix("ssmgo-ssh-")
        .tempdir()
        .map_err(|e| Error::io("making a private directory for the key", e))?;
    let key = dir.path().join("id_ed25519");
    let made = std::process::Command::new("ssh-keygen")
        .args([
            "-q",
            "-t",
            "ed25519",
            "-N",
            "",
            "-C",
            "ssmgo-ephemeral",
            "-f",
        ])
        .arg(&key)
        .stdin(std::process::Stdio::null())
        .status()
        .map_err(|e| Error::io("running ssh-keygen (OpenSSH's client tools)", e))?;
    if !made.success() {
        return Err(Error::io(
            "making a key with ssh-keygen",
            std::io::Error::other(describe(made)),
        ));
    }
    let public = key.with_extension("pub");
    let mut words = proxy_prefix(&own_path(), ctx);
    words.push("ssh-proxy".into());
    if args.no_check {
        words.push("--no-check".into());
    }
    words.push(format!(
        "--send-key --os-user %r --public-key {} %h %p",
        shell_quote(&public.display().to_string())
    ));
    // Claimed before ssh starts: no stop can come between and leave it, and the key, behind.
    let mut stops = crate::signals::claim(&crate::signals::STOP);
    let mut child = std::process::Command::new("ssh")
        .arg("-i")
        .arg(&key)
        .args(["-o", "IdentitiesOnly=yes"])
        .arg("-o")
        .arg(format!("ProxyCommand={}", words.join(" ")))
        .arg(format!("{user}@{target}"))
        .args(&args.ssh_args)
        .spawn()
        .map_err(|e| Error::io("running ssh", e))?;
    let pid = child.id();
    let mut wait = tokio::task::spawn_blocking(move || child.wait());
    let ended = loop {
        tokio::select! {
            biased;
            signal = stops.recv() => match signal {
                libc::SIGTERM | libc::SIGHUP => break Err(signal),
                // ssh's, from the terminal it shares with ssmgo.
                _ => continue,
            },
            status = &mut wait => break Ok(status),
        }
    };
    let status = match ended {
        Ok(status) => crate::signals::joined(status).map_err(|e| Error::io("running ssh", e))?,
        Err(signal) => {
            crate::signals::pass_on(pid, signal, &mut wait, crate::session::STOP_GRACE).await;
            drop(dir);
            return Err(Error::Stopped {
                signal,
                state: "while ssh ran: ssh was stopped too, and the key made for it removed",
            });
        }
    };
    drop(dir);
    match status.code() {
        Some(0) => Ok(()),
        Some(code) => Err(Error::RemoteExit { code }),
        None => Err(Error::io(
            "running ssh",
            std::io::Error::other(describe(status)),
        )),
    }
}

fn describe(status: std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("it exited with status {code}"),
        (_, Some(signal)) => format!("it was killed by signal {signal}"),
        _ => "it ended abnormally".into(),
    }
}

/// The block itself. ssh runs ProxyCommand through the user's shell, so every word is quoted.
fn config_block(exe: &str, ctx: &Ctx, args: &SshConfigArgs) -> Result<String> {
    let patterns = &args.patterns;
    for p in patterns {
        if p.is_empty()
            || p.chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '"')
        {
            return Err(Error::BadInput {
                what: "PATTERN",
                value: p.clone(),
                reason: "an ssh Host pattern is one word, e.g. 'web-*'".into(),
            });
        }
    }
    let mut words = proxy_prefix(exe, ctx);
    words.push("ssh-proxy".into());
    if args.no_check {
        words.push("--no-check".into());
    }
    if args.send_key {
        words.push("--send-key".into());
    }
    // ssh's user, for a key pushed with EC2 Instance Connect (--send-key or `send-key = true`).
    words.push("--os-user %r %h %p".into());
    let mut hosts = vec!["i-*".to_owned(), "mi-*".to_owned()];
    hosts.extend(patterns.iter().cloned());
    let keys = match args.send_key {
        true => "your key is pushed with EC2 Instance Connect for each connection",
        false => "your key in its authorized_keys",
    };
    Ok(format!(
        "# SSH to EC2 instances through Session Manager (written by `ssmgo ssh-config`).\n\
         # Needs sshd on the instance and {keys}; no inbound port.\n\
         Host {}\n    ProxyCommand {}\n",
        hosts.join(" "),
        words.join(" ")
    ))
}

/// ssmgo and the global options that say where to look for the instance, as ProxyCommand
/// words: the profiles named by a flag or the config (AWS_PROFILE is the SDK's to read, as
/// without ProxyCommand), the regions, and `--org` to look in every account of the organization.
fn proxy_prefix(exe: &str, ctx: &Ctx) -> Vec<String> {
    let settings = &ctx.settings;
    let mut words = vec![shell_quote(exe)];
    let profiles = &settings.profiles;
    if !profiles.value.is_empty() && !matches!(profiles.source, Source::Env(_)) {
        words.push(format!(
            "--profile {}",
            shell_quote(&profiles.value.join(","))
        ));
    }
    if !settings.regions.value.is_empty() {
        let regions = shell_quote(&settings.regions.value.join(","));
        words.push(format!("--region {regions}"));
    }
    if settings.org.value {
        words.push("--org".into());
    }
    words
}

/// A word for ProxyCommand: quoted for the shell ssh runs it with, and with `%` doubled, since
/// ssh expands `%` tokens (%h, %p) before the shell sees the line.
fn shell_quote(word: &str) -> String {
    crate::session::plugin::shell_quote(word).replace('%', "%%")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::{Config, Flags, Settings};

    fn ctx(flags: Flags) -> Ctx {
        Ctx {
            settings: Settings::resolve(&flags, &|_| None, &Config::default()).unwrap(),
            verbose: false,
        }
    }

    #[test]
    fn the_config_block_routes_instance_ids_and_given_names_through_ssh_proxy() {
        let ctx = ctx(Flags {
            profile: Some("prod".into()),
            region: Some("eu-west-1".into()),
            ..Flags::default()
        });
        let args = |patterns: &[&str], no_check: bool, send_key: bool| SshConfigArgs {
            patterns: patterns.iter().map(|p| (*p).to_owned()).collect(),
            no_check,
            send_key,
        };
        let block =
            config_block("/opt/my tools/ssmgo", &ctx, &args(&["web-*"], false, false)).unwrap();
        assert!(block.contains("Host i-* mi-* web-*\n"), "{block}");
        assert!(
            block.contains(
                "ProxyCommand '/opt/my tools/ssmgo' --profile prod --region eu-west-1 ssh-proxy --os-user %r %h %p\n"
            ),
            "{block}"
        );
        assert!(config_block("ssmgo", &ctx, &args(&["a b"], false, false)).is_err());
        let odd = config_block("/opt/100%/ssmgo", &ctx, &args(&[], false, false)).unwrap();
        assert!(
            odd.contains("ProxyCommand /opt/100%%/ssmgo "),
            "ssh expands %: {odd}"
        );
        let unchecked = config_block("ssmgo", &ctx, &args(&[], true, false)).unwrap();
        assert!(
            unchecked.contains("ssh-proxy --no-check --os-user %r %h %p"),
            "{unchecked}"
        );
        let pushed = config_block("ssmgo", &ctx, &args(&[], false, true)).unwrap();
        assert!(
            pushed.contains("ssh-proxy --send-key --os-user %r %h %p"),
            "{pushed}"
        );
    }

    #[test]
    fn across_the_organization_the_proxy_command_looks_in_every_account_again() {
        let ctx = ctx(Flags {
            profile: Some("mgmt".into()),
            region: Some("eu-west-1,us-east-1".into()),
            org: true,
            ..Flags::default()
        });
        let args = SshConfigArgs {
            patterns: Vec::new(),
            no_check: false,
            send_key: false,
        };
        let block = config_block("ssmgo", &ctx, &args).unwrap();
        assert!(
            block.contains(
                "ProxyCommand ssmgo --profile mgmt --region eu-west-1,us-east-1 --org ssh-proxy --os-user %r %h %p\n"
            ),
            "{block}"
        );
    }

    #[test]
    fn shell_quoting_survives_quotes() {
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote("/usr/bin/ssmgo"), "/usr/bin/ssmgo");
    }
}
