//! The session core, whatever the document (a shell, a port forward, an SSH stream): resolve the
//! target, pre-check that StartSession will be allowed, start the session and hand it to AWS's
//! plugin, and explain a denial. `connect`, `forward` and `ssh-proxy` are adapters over [`start`].

mod ready;
mod target;
mod tunnel;

use crate::aws::Aws;
use crate::choose::PickerOptions;
use crate::cli::SessionArgs;
use crate::doctor;
use crate::error::{Error, Result};
use crate::fleet::{self, Instance, Query, Scope};
use crate::history;
use crate::precheck::{self, Verdict};
use crate::session::{self, Plugin, Request, Started};
use crate::settings::{CheckMode, ScopeSettings, Settings, TagFilters};
use crate::sso_login;
pub use target::{examine_target, looks_like_instance_id, resolve_id, Examined, Resolve};

/// A session to start, whatever the document: a shell, a port forward, an SSH stream.
pub struct Plan {
    pub target: Option<String>,
    pub tags: Vec<String>,
    /// The request, its target still empty.
    pub template: Request,
    pub session: SessionArgs,
    /// Whether the picker may open (not under ssh's ProxyCommand).
    pub may_pick: bool,
    /// Whether to say "starting a session on …" on stderr.
    pub announce: bool,
    /// What is started, for that line: "a session", "port forwarding (…)".
    pub purpose: String,
    /// Whether a SIGINT ends it (port forwarding, SSH) rather than belonging to a remote shell.
    pub interrupt_ends_it: bool,
    /// A public key to push with EC2 Instance Connect just before the session (SSH).
    pub push_key: Option<crate::instance_connect::Push>,
    /// Start the session again when it ends on its own (port forwarding), until Ctrl-C.
    pub reconnect: bool,
}

impl Plan {
    /// A session started from a terminal: the picker may open, progress is announced.
    pub fn interactive(
        target: Option<String>,
        tags: Vec<String>,
        template: Request,
        session: SessionArgs,
    ) -> Plan {
        Plan {
            target,
            tags,
            template,
            session,
            may_pick: true,
            announce: true,
            purpose: "a session".into(),
            interrupt_ends_it: false,
            push_key: None,
            reconnect: false,
        }
    }
}

/// Resolves the target, pre-checks, starts the session and hands it to the plugin (or, with
/// --dry-run, prints what it would do).
pub async fn start(settings: &Settings, verbose: bool, mut plan: Plan) -> Result<()> {
    // The config's `check` applies when neither --no-check nor --strict was given.
    if !plan.session.no_check && !plan.session.strict {
        match settings.check.value {
            CheckMode::Off => plan.session.no_check = true,
            CheckMode::Strict => plan.session.strict = true,
            CheckMode::On => {}
        }
    }
    // Everything that can be checked locally is checked before the first AWS call.
    let tags = TagFilters::parse(&plan.tags)?;
    let (target, scopes) = match plan.target.as_deref() {
        Some("-") => {
            let last = history::load().into_iter().next().ok_or(Error::NoHistory)?;
            let scope = ScopeSettings {
                profile: last.profile.clone(),
                region: Some(last.region.clone()),
                endpoint_url: settings.endpoint_url.value.clone(),
                timeout: settings.timeout.value,
            };
            if plan.announce {
                crate::say!(
                    "ssmgo: reconnecting to {} in {}",
                    last.name.map_or_else(
                        || last.instance_id.clone(),
                        |n| format!("{n} ({})", last.instance_id)
                    ),
                    last.region
                );
            }
            let mut aws = sso_login::load_aws(&scope, verbose).await?;
            // Last time through a role in another account (`--org`): through it again.
            if let Some((account, role)) = last.role_arn.as_deref().and_then(split_role_arn) {
                let access = aws.assume_role(account, role).await?;
                let gate = aws.account_gate().clone();
                aws = aws.elsewhere(Some(&access), &last.region, gate);
            }
            (Some(last.instance_id), vec![Scope::single(aws)])
        }
        // With --org, TARGET is looked for in every account and region.
        Some(t) if settings.org.value => (
            Some(t.to_owned()),
            fleet::scopes::load_all(settings, verbose).await?,
        ),
        Some(t) => {
            let scope = settings.single_scope("connect TARGET")?;
            let aws = sso_login::load_aws(&scope, verbose).await?;
            (Some(t.to_owned()), vec![Scope::single(aws)])
        }
        None if !(plan.may_pick && crate::output::can_ask()) => return Err(Error::NotInteractive),
        None => {
            let scopes = fleet::scopes::load_for_picker(settings, verbose, plan.session.refresh);
            (None, scopes.await?)
        }
    };
    let plugin = if plan.session.dry_run {
        Plugin::find().ok()
    } else {
        Some(Plugin::find()?)
    };
    let query = Query {
        tags,
        ..Query::default()
    };
    let picker = PickerOptions::new(settings, &query, plan.session.refresh);
    let resolving = Resolve {
        scopes: &scopes,
        query: &query,
        may_pick: plan.may_pick,
        picker,
    };
    let document_name = plan.template.document.clone();
    let document = document_name.as_deref();
    // Who is asking doesn't depend on the target: with one account, look it up while the target
    // is resolved.
    let (picked, early_who) = tokio::join!(resolving.resolve(target.as_deref()), async {
        match (&plan.session.no_check, scopes.len()) {
            (false, 1) => Some(precheck::whoami(&scopes[0].aws, document, None).await),
            _ => None,
        }
    });
    let (index, instance) = picked?;
    let aws = &scopes[index].aws;
    let who = match (plan.session.no_check, early_who) {
        (true, _) => None,
        (false, Some(who)) => Some(who),
        (false, None) => {
            let known = scopes[index].identity.clone();
            Some(precheck::whoami(aws, document, known).await)
        }
    };
    let instance = match plan.session.dry_run {
        true => instance,
        false => {
            let id = instance.instance_id.clone();
            match ready::ready(aws, instance, &plan.session, plan.may_pick, who.as_ref()).await {
                // Waited for an agent that never came Online: the doctor says why, on the
                // instance as it is now.
                Err(Error::NotConnectable {
                    target,
                    reason,
                    next,
                }) => {
                    let now = fleet::by_id(aws, &id).await.ok().flatten();
                    let found = match now.filter(|i| i.state == "running") {
                        Some(i) => diagnose(aws, &i, document, who.as_ref()).await,
                        None => None,
                    };
                    return Err(Error::NotConnectable {
                        target,
                        reason,
                        next: found.unwrap_or(next),
                    });
                }
                other => other?,
            }
        }
    };
    if let Some(blocker) = instance.blocker() {
        // A running instance SSM doesn't know: the doctor finds why (its state says it all
        // otherwise).
        let next = match instance.state == "running" && !plan.session.dry_run {
            true => diagnose(aws, &instance, document, who.as_ref())
                .await
                .unwrap_or(blocker.next),
            false => blocker.next,
        };
        return Err(Error::NotConnectable {
            target: instance.label(),
            reason: blocker.reason,
            next,
        });
    }
    let request = Request {
        target: instance.instance_id.clone(),
        ..plan.template
    };
    let (checked, check) = match &who {
        None => ("skipped (--no-check)".to_owned(), None),
        Some(who) => {
            let check = precheck::check_as(aws, who, &instance).await;
            (guard(&check, &instance, plan.session.strict)?, Some(check))
        }
    };
    if let Some(push) = plan.push_key.as_ref().filter(|_| !plan.session.dry_run) {
        push_key(aws, who.as_ref(), &instance, push).await?;
    }
    match plugin {
        Some(plugin) if !plan.session.dry_run => {
            if plan.announce {
                crate::say!("ssmgo: starting {} on {}", plan.purpose, instance.label());
            }
            let remember = || {
                let entry = history::Entry {
                    instance_id: instance.instance_id.clone(),
                    name: instance.name.clone(),
                    profile: aws.profile_in_use().map(str::to_owned),
                    region: aws.region().to_owned(),
                    role_arn: aws.assumed().map(|a| a.role_arn.clone()),
                    at: 0,
                };
                if let Err(e) = history::record(entry) {
                    if aws.verbose() {
                        crate::say!("ssmgo: could not record the connection in the history: {e}");
                    }
                }
            };
            let started = match plan.reconnect {
                true => tunnel::keep_up(aws, &request, &plugin, remember).await,
                false => {
                    session::start_and_hand_off(
                        aws,
                        &request,
                        &plugin,
                        plan.interrupt_ends_it,
                        remember,
                    )
                    .await
                }
            };
            match started {
                Err(Error::SessionDenied { .. }) => {
                    explain_denial(aws, check, document, &instance).await;
                    started
                }
                Err(Error::TargetNotConnected {
                    target,
                    message,
                    next,
                }) => Err(Error::TargetNotConnected {
                    next: diagnose(aws, &instance, document, who.as_ref())
                        .await
                        .unwrap_or(next),
                    target,
                    message,
                }),
                other => other,
            }
        }
        plugin => print_dry_run(aws, &instance, &request, plugin.as_ref(), &checked).await,
    }
}

/// "arn:aws:iam::111122223333:role/ops/ReadOnly" → ("111122223333", "ops/ReadOnly").
fn split_role_arn(arn: &str) -> Option<(&str, &str)> {
    let mut parts = arn.splitn(6, ':');
    let account = parts.nth(4)?;
    let role = parts.next()?.strip_prefix("role/")?;
    Some((account, role))
}

/// The pre-check before StartSession: a denial stops here with its explanation; a check that
/// can't run is one line (or a refusal with --strict). Returns the outcome in a few words.
fn guard(check: &precheck::Check, instance: &Instance, strict: bool) -> Result<String> {
    for w in &check.warnings {
        crate::say!("ssmgo: warning: {w}");
    }
    match check.verdict {
        Verdict::Allowed => Ok("allowed (document and instance)".into()),
        Verdict::Denied => {
            crate::output::to_stderr(&precheck::render(check));
            Err(Error::PrecheckDenied {
                target: instance.label(),
                target_id: instance.instance_id.clone(),
            })
        }
        Verdict::Unknown if check.reason.is_none() => {
            // It depends on context only AWS sees (the source address, MFA, ...): AWS decides.
            crate::output::to_stderr(&precheck::render(check));
            let keys = check.depends_on_keys().join(", ");
            if strict {
                return Err(Error::DependsOnContext {
                    target: instance.label(),
                    keys,
                });
            }
            crate::say!("ssmgo: going on: AWS decides (--strict refuses instead)");
            Ok(format!("depends on {keys}; AWS decides"))
        }
        Verdict::Unknown => {
            let reason = check
                .reason
                .as_deref()
                .unwrap_or("unknown reason")
                .to_string();
            if strict {
                return Err(Error::CouldNotCheck { reason });
            }
            crate::say!(
                "ssmgo: the access pre-check could not run ({reason}); going on without it"
            );
            Ok(format!("could not run ({reason})"))
        }
    }
}

/// Pushes the public key with EC2 Instance Connect, pre-checked like the session (unless
/// --no-check): a denial is explained and nothing is started.
async fn push_key(
    aws: &Aws,
    who: Option<&Result<precheck::Who, precheck::WhoFailure>>,
    instance: &Instance,
    push: &crate::instance_connect::Push,
) -> Result<()> {
    use crate::instance_connect;
    if let Some(Ok(who)) = who {
        if let Some(why) = instance_connect::denied(aws, who, instance, &push.os_user).await {
            crate::say!(
                "ssmgo: the pre-check says you may not push a key for {} to {} (ec2-instance-connect:SendSSHPublicKey):",
                push.os_user,
                instance.label()
            );
            for line in &why {
                crate::say!("  {line}");
            }
            return Err(Error::KeyPushDenied {
                target: instance.label(),
                os_user: push.os_user.clone(),
            });
        }
    }
    instance_connect::send(aws, instance, push).await?;
    if aws.verbose() {
        crate::say!(
            "ssmgo: pushed {} for {} to {} (valid 60 s)",
            push.key.path.display(),
            push.os_user,
            instance.label()
        );
    }
    Ok(())
}

/// The doctor in short, when SSM can't reach the instance: prints what is wrong or unknown, and
/// returns the next step when it found a problem.
async fn diagnose(
    aws: &Aws,
    instance: &Instance,
    document: Option<&str>,
    who: Option<&Result<precheck::Who, precheck::WhoFailure>>,
) -> Option<String> {
    let document = document.unwrap_or(precheck::DEFAULT_DOCUMENT);
    let who = who.and_then(|w| w.as_ref().ok());
    let report = doctor::examine(aws, instance, document, who).await;
    crate::output::to_stderr(&doctor::render_short(&report));
    (report.problems > 0).then(|| {
        format!(
            "Fix what `ssmgo doctor` found above; `ssmgo doctor {}` checks again",
            instance.instance_id
        )
    })
}

/// AWS refused StartSession although the pre-check did not (it was skipped, or the outcome
/// depended on context only AWS sees): the same machinery says which statement and which
/// context condition most likely decided it.
async fn explain_denial(
    aws: &Aws,
    check: Option<precheck::Check>,
    document: Option<&str>,
    instance: &Instance,
) {
    // The pre-check's own findings when it ran; only a skipped one is done now.
    let check = match check {
        Some(check) => check,
        None => {
            let who = precheck::whoami(aws, document, None).await;
            precheck::check_as(aws, &who, instance).await
        }
    };
    let lines = precheck::denial_causes(&check);
    if !lines.is_empty() {
        crate::say!("ssmgo: why AWS most likely refused:");
        for line in lines {
            crate::say!("  {line}");
        }
    }
}

async fn print_dry_run(
    aws: &Aws,
    instance: &Instance,
    request: &Request,
    plugin: Option<&Plugin>,
    checked: &str,
) -> Result<()> {
    let placeholder = Started {
        session_id: "<SessionId from StartSession>".into(),
        token_value: "<redacted>".into(),
        stream_url: "<StreamUrl from StartSession>".into(),
    };
    let (plugin_line, shown_plugin) = match plugin {
        Some(p) => (
            format!("{} (version {})", p.path.display(), p.version),
            p.clone(),
        ),
        None => (
            "not found on PATH: a real connect would stop here, before StartSession".to_owned(),
            Plugin::not_installed(),
        ),
    };
    let credentials = aws.credentials_for_child().await?;
    let invocation =
        session::invocation(aws, &shown_plugin, &placeholder, request, credentials).await;
    let ping = instance.ping_status.as_deref().unwrap_or("not managed");
    let text = format!(
        "Target:        {} {}, SSM {}\nPre-check:     {}\nStartSession:  {}\nPlugin:        {}\nCommand:       {}\nDry run: no session was started.\n",
        instance.label(),
        instance.state,
        ping,
        checked,
        request.to_json(),
        plugin_line,
        invocation.display_redacted(&placeholder.token_value),
    );
    crate::output::write_text(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_role_arn_gives_its_account_and_its_name_with_the_path() {
        assert_eq!(
            split_role_arn("arn:aws:iam::111122223333:role/ops/ReadOnly"),
            Some(("111122223333", "ops/ReadOnly"))
        );
        assert_eq!(split_role_arn("arn:aws:iam::111122223333:user/x"), None);
        assert_eq!(split_role_arn("garbage"), None);
    }
}
