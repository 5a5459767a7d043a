//! Getting the target ready for a session: a stopped instance is started (asked first on a
//! terminal, or at once with `--start`), and one that is starting, or whose SSM agent is not
//! Online yet, is waited for (after a start, or with `--wait`), with a live progress line.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use crate::aws::Aws;
use crate::cli::SessionArgs;
use crate::error::{Error, Result};
use crate::fleet::{self, Instance};
use crate::precheck::{self, Who, WhoFailure};

/// How long ssmgo waits after starting an instance itself, unless `--wait` says otherwise: a
/// cold boot and the agent's first ping usually take one or two minutes.
const AFTER_START: Duration = Duration::from_secs(300);

/// How often the instance is looked at while waiting.
const POLL: Duration = Duration::from_secs(2);

/// `instance`, ready for a session when it can be made so; otherwise as it is (its blocker then
/// says what to do). `who` is the pre-check's caller, None with --no-check.
pub(super) async fn ready(
    aws: &Aws,
    instance: Instance,
    session: &SessionArgs,
    may_ask: bool,
    who: Option<&Result<Who, WhoFailure>>,
) -> Result<Instance> {
    let limit = match instance.state.as_str() {
        "stopped" => {
            let start = session.start || (may_ask && confirm_start(&instance).await?);
            if !start {
                return Ok(instance);
            }
            if let Some(refusal) = match who {
                Some(who) => precheck::may_start(aws, who, &instance).await,
                None => None,
            } {
                return Err(Error::StartDenied {
                    target: instance.label(),
                    detail: refusal,
                });
            }
            fleet::start(aws, &instance.instance_id).await?;
            crate::say!("ssmgo: starting {}", instance.label());
            session.wait.unwrap_or(AFTER_START)
        }
        "pending" => match session.wait {
            Some(limit) => limit,
            None => return Ok(instance),
        },
        "running" if instance.managed && !instance.is_online() => match session.wait {
            Some(limit) => limit,
            None => return Ok(instance),
        },
        _ => return Ok(instance),
    };
    wait_until_online(aws, instance, limit).await
}

/// Asks on the terminal whether to start a stopped instance.
async fn confirm_start(instance: &Instance) -> Result<bool> {
    if !crate::output::can_ask() {
        return Ok(false);
    }
    let prompt = format!(
        "{} is stopped. Start it and connect when it is ready?",
        crate::output::sanitize::Untrusted(&instance.label())
    );
    let answer = crate::output::terminal::ask(move || {
        dialoguer::Confirm::new()
            .with_prompt(prompt)
            .default(true)
            .interact_opt()
    });
    Ok(answer.await?.unwrap_or(false))
}

/// The progress line rewritten in place on a terminal; ended with a newline however the wait
/// ends, a stop signal included, so that what follows starts on a line of its own.
struct ProgressLine {
    open: bool,
}

impl ProgressLine {
    fn show(&mut self, text: &str) {
        crate::output::controls_to_stderr("\r\x1b[2K");
        crate::output::to_stderr(text);
        self.open = true;
    }

    fn end(&mut self) {
        if std::mem::take(&mut self.open) {
            crate::output::to_stderr("\n");
        }
    }
}

impl Drop for ProgressLine {
    fn drop(&mut self) {
        self.end();
    }
}

/// Looks at the instance every [`POLL`] until it is running with its agent Online, saying how
/// it is getting on (one line rewritten on a terminal, a line per change otherwise).
async fn wait_until_online(aws: &Aws, instance: Instance, limit: Duration) -> Result<Instance> {
    let started = Instant::now();
    let on_terminal = std::io::stderr().is_terminal();
    let mut line = ProgressLine { open: false };
    let mut last = String::new();
    let mut current = instance;
    loop {
        let status = format!(
            "{}, SSM agent {}",
            current.state,
            current.ping_status.as_deref().unwrap_or("not registered")
        );
        if current.state == "running" && current.is_online() {
            return Ok(current);
        }
        if matches!(
            current.state.as_str(),
            "stopping" | "shutting-down" | "terminated"
        ) {
            return Err(gave_up(&current, "it is no longer starting", &status));
        }
        let waited = started.elapsed().as_secs();
        if on_terminal {
            line.show(&format!(
                "ssmgo: waiting for {} to be running and Online: {status} ({waited} s)",
                current.label()
            ));
        } else if status != last {
            crate::say!(
                "ssmgo: waiting for {} to be running and Online: {status}",
                current.label()
            );
        }
        last = status;
        if started.elapsed() >= limit {
            line.end();
            let reason = format!("it was not running and Online after {} s", limit.as_secs());
            return Err(gave_up(&current, &reason, &last));
        }
        tokio::time::sleep(POLL.min(limit.saturating_sub(started.elapsed()))).await;
        current = fleet::by_id(aws, &current.instance_id)
            .await?
            .ok_or_else(|| gave_up(&current, "it no longer exists", &last))?;
    }
}

fn gave_up(instance: &Instance, reason: &str, status: &str) -> Error {
    Error::NotConnectable {
        target: instance.label(),
        reason: format!("{reason} (last seen: {status})"),
        next: "Wait longer (--wait=10m); an agent that never comes Online needs the instance's role to allow it (AmazonSSMManagedInstanceCore) and a network path to SSM".into(),
    }
}
