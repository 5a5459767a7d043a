//! Tunnels that survive: a port forward whose session ends on its own (the instance rebooted,
//! Session Manager's idle timeout, someone terminated the session) is started again, with a
//! growing pause, until Ctrl-C. Each reconnection says so on stderr. What no retry can mend (a
//! denial, no plugin, no credentials) ends it at once.

use std::time::{Duration, Instant};

use futures::FutureExt;

use crate::aws::Aws;
use crate::error::{Error, Result};
use crate::session::{self, Plugin, Request};

/// The first pause before reconnecting, and the longest.
const FIRST_PAUSE: Duration = Duration::from_secs(1);
const LONGEST_PAUSE: Duration = Duration::from_secs(30);
/// A tunnel that stayed up this long was healthy: its next drop starts the back-off afresh.
const STEADY: Duration = Duration::from_secs(30);
/// Failed attempts in a row (the session couldn't even start) before giving up.
const ATTEMPTS: u32 = 5;

/// Whether another attempt may succeed where this one failed.
fn worth_retrying(e: &Error) -> bool {
    matches!(
        e,
        Error::TargetNotConnected { .. }
            | Error::PluginFailed { .. }
            | Error::EndpointUnreachable { .. }
            | Error::TimedOut { .. }
            | Error::Throttled { .. }
            | Error::Aws { .. }
    )
}

/// "localhost:8080 → db.internal:5432", from the request's parameters.
fn tunnel_name(request: &Request) -> String {
    let param = |key: &str| {
        request
            .parameters
            .as_ref()
            .and_then(|p| p.get(key))
            .and_then(|v| v.first())
            .cloned()
    };
    format!(
        "localhost:{} → {}:{}",
        param("localPortNumber").unwrap_or_default(),
        param("host").unwrap_or_else(|| request.target.clone()),
        param("portNumber").unwrap_or_default()
    )
}

/// Keeps the tunnel of `request` up until Ctrl-C (or SIGTERM/SIGHUP) or an error no retry
/// mends. `remember` runs once, when the first session has started.
pub(super) async fn keep_up(
    aws: &Aws,
    request: &Request,
    plugin: &Plugin,
    remember: impl FnOnce(),
) -> Result<()> {
    let what = tunnel_name(request);
    // Every SIGINT from now on is seen here too: a session that ended because of one (Ctrl-C,
    // which the plugin also gets from the terminal) is not a dropped tunnel.
    let mut interrupts = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
        .map_err(|e| Error::io("listening for Ctrl-C", e))?;
    let mut remember = Some(remember);
    let mut pause = FIRST_PAUSE;
    let mut failures = 0;
    loop {
        let began = Instant::now();
        let ended = session::start_and_hand_off(aws, request, plugin, true, || {
            if let Some(remember) = remember.take() {
                remember();
            }
        })
        .await;
        if interrupts.recv().now_or_never().is_some() {
            return ended;
        }
        if began.elapsed() >= STEADY {
            pause = FIRST_PAUSE;
            failures = 0;
        }
        match ended {
            Ok(()) => crate::say!(
                "ssmgo: the tunnel {what} dropped (its session ended); reconnecting in {} s",
                pause.as_secs()
            ),
            Err(e) if worth_retrying(&e) && failures < ATTEMPTS => {
                failures += 1;
                crate::say!(
                    "ssmgo: the tunnel {what} could not be opened ({}); trying again in {} s ({failures} of {ATTEMPTS})",
                    e.headline(),
                    pause.as_secs()
                );
            }
            Err(e) => return Err(e),
        }
        // Ctrl-C during the pause (or one that reached the plugin a moment before ssmgo) ends
        // it as it ends a running tunnel: no session is open then.
        tokio::select! {
            _ = tokio::time::sleep(pause) => {}
            _ = interrupts.recv() => return Ok(()),
        }
        pause = (pause * 2).min(LONGEST_PAUSE);
    }
}
