//! `ssmgo ssh-proxy HOST PORT` (ssh's ProxyCommand over AWS-StartSSHSession) and
//! `ssmgo ssh-config` (the ~/.ssh/config block that uses it).
//!
//! Under ProxyCommand, stdout *is* the SSH connection: nothing of ours may be written there, and
//! no picker can open. Messages go to stderr, which ssh shows.

use std::collections::BTreeMap;

use crate::cli::{SessionArgs, SshConfigArgs, SshProxyArgs};
use crate::commands::Ctx;
use crate::error::{Error, Result};
use crate::instance_connect::{self, Push};
use crate::launch::{self, Plan};
use crate::output::write_text;
use crate::session::Request;

pub const SSH_DOCUMENT: &str = "AWS-StartSSHSession";

pub async fn proxy(ctx: &Ctx, args: SshProxyArgs) -> Result<()> {
    if args.port == 0 {
        return Err(Error::BadInput {
            what: "PORT",
            value: "0".into(),
            reason: "give the instance's SSH port, e.g. 22 (ssh's %p)".into(),
        });
    }
    let mut template = Request::new(String::new(), Some(SSH_DOCUMENT.to_owned()), None, None)?;
    template.parameters = Some(BTreeMap::from([(
        "portNumber".to_owned(),
        vec![args.port.to_string()],
    )]));
    let push_key = match args.send_key {
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
            target: Some(args.host),
            tags: ctx.settings.tags_or(&args.filter.tags),
            template,
            session: SessionArgs {
                no_check: args.no_check,
                ..SessionArgs::default()
            },
            may_pick: false,
            announce: false,
            purpose: "an SSH session".into(),
            interrupt_ends_it: true,
            reconnect: false,
        },
    )
    .await
}

pub fn config(ctx: &Ctx, args: SshConfigArgs) -> Result<()> {
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| p.to_str().map(str::to_owned))
        .unwrap_or_else(|| "ssmgo".into());
    write_text(&config_block(&exe, ctx, &args)?)
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
    let scope = ctx.settings.single_scope("ssh-config")?;
    let mut words = vec![shell_quote(exe)];
    if let Some(p) = &scope.profile {
        words.push(format!("--profile {}", shell_quote(p)));
    }
    if let Some(r) = &scope.region {
        words.push(format!("--region {}", shell_quote(r)));
    }
    words.push("ssh-proxy".into());
    if args.no_check {
        words.push("--no-check".into());
    }
    if args.send_key {
        words.push("--send-key --os-user %r".into());
    }
    words.push("%h %p".into());
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
                "ProxyCommand '/opt/my tools/ssmgo' --profile prod --region eu-west-1 ssh-proxy %h %p\n"
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
            unchecked.contains("ssh-proxy --no-check %h %p"),
            "{unchecked}"
        );
        let pushed = config_block("ssmgo", &ctx, &args(&[], false, true)).unwrap();
        assert!(
            pushed.contains("ssh-proxy --send-key --os-user %r %h %p"),
            "{pushed}"
        );
    }

    #[test]
    fn shell_quoting_survives_quotes() {
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote("/usr/bin/ssmgo"), "/usr/bin/ssmgo");
    }
}
