//! Tunnels that survive: a port forward whose session ends on its own (the instance rebooted,
//! Session Manager's idle timeout, someone terminated the session) is started again, with a
//! growing pause, until Ctrl-C. Each reconnection says so on stderr. What no retry can mend (a
//! denial, no plugin, no credentials) ends it at once, and so do [`ATTEMPTS`] failed attempts in
//! a row: sessions that could not start, or that ended as they started.

use std::time::{Duration, Instant};

use crate::aws::Aws;
use crate::error::{Error, Result};
use crate::session::{self, Plugin, Request};
use crate::signals;

/// The first pause before reconnecting, and the longest.
const FIRST_PAUSE: Duration = Duration::from_secs(1);
const LONGEST_PAUSE: Duration = Duration::from_secs(30);
/// A tunnel that stayed up this long was healthy: its next drop starts the back-off afresh.
const STEADY: Duration = Duration::from_secs(30);
/// Failed attempts in a row before giving up: sessions that couldn't start, or ended within
/// [`QUICK_END`] of starting.
const ATTEMPTS: u32 = 5;
/// A session that ends sooner than this after StartSession is a failed attempt, not a tunnel
/// that was up: something on the instance's side ends it at once (nothing listens on the remote
/// port, the agent closes it), and reconnecting would open a session every 30 s for ever. Time
/// is all ssmgo can tell by: what a tunnel carries passes through the plugin alone. 5 s is far
/// longer than a session takes to open and be ended by the agent, far shorter than any use.
const QUICK_END: Duration = Duration::from_secs(5);

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
            .spec
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

/// Keeps the tunnel of `request` up until Ctrl-C (or a stop signal: the run's listener ends it
/// between sessions, the session while one runs) or an error no retry mends. `remember` runs
/// once, when the first session has started. The target may be an instance or an ECS task's
/// container (`ecs:…`): StartSession takes both.
pub async fn keep_up(
    aws: &Aws,
    request: &Request,
    plugin: &Plugin,
    remember: impl FnOnce(),
) -> Result<()> {
    let what = tunnel_name(request);
    // Every SIGINT from now on is the tunnel's: a session that ended because of one (Ctrl-C,
    // which the plugin also gets from the terminal) is not a dropped tunnel, and one in a pause
    // ends it.
    let mut interrupts = signals::claim(&[libc::SIGINT]);
    let mut remember = Some(remember);
    let mut pause = FIRST_PAUSE;
    let mut failures = 0;
    loop {
        let mut began = None;
        let ended = session::start_and_hand_off(aws, request, plugin, true, || {
            began = Some(Instant::now());
            if let Some(remember) = remember.take() {
                remember();
            }
        })
        .await;
        if interrupts.try_recv().is_some() {
            return ended;
        }
        let lasted = began.map(|b| b.elapsed());
        if lasted.is_some_and(|l| l >= STEADY) {
            pause = FIRST_PAUSE;
            failures = 0;
        }
        match ended {
            Ok(()) => match lasted.unwrap_or_default() {
                lasted if lasted < QUICK_END => {
                    failures += 1;
                    if failures >= ATTEMPTS {
                        return Err(Error::TunnelGivenUp {
                            tunnel: what,
                            target: request.target.clone(),
                            attempts: ATTEMPTS,
                            within: QUICK_END.as_secs(),
                        });
                    }
                    crate::say!(
                        "ssmgo: the tunnel {what} dropped (its session ended {:.1} s after it started, too soon to have been up); reconnecting in {} s ({failures} of {ATTEMPTS})",
                        lasted.as_secs_f64(),
                        pause.as_secs()
                    );
                }
                lasted => {
                    failures = 0;
                    crate::say!(
                        "ssmgo: the tunnel {what} dropped (its session ended after {} s); reconnecting in {} s",
                        lasted.as_secs(),
                        pause.as_secs()
                    );
                }
            },
            Err(e) if worth_retrying(&e) => {
                failures += 1;
                if failures >= ATTEMPTS {
                    return Err(e);
                }
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

/// Several tunnels at once (`forward`'s, `ecs forward`'s), each `(purpose, its sessions)`: each
/// failure said as it happens, the first deciding the exit status; with `keep_alive`, a
/// connection through each local port every so often.
pub async fn run_all<F>(
    tunnels: Vec<(String, F)>,
    locals: &[u16],
    keep_alive: Option<Duration>,
) -> Result<()>
where
    F: std::future::Future<Output = Result<()>>,
{
    let sessions = futures::future::join_all(tunnels.into_iter().map(|(purpose, f)| async move {
        let ended = f.await;
        if let Err(e) = &ended {
            if !matches!(
                e,
                Error::Signalled { .. }
                    | Error::Stopped { .. }
                    | Error::Cancelled
                    // It names its tunnel itself.
                    | Error::TunnelGivenUp { .. }
            ) {
                crate::say!("ssmgo: {purpose}: ended: {}", e.headline());
            }
        }
        ended
    }));
    let ended = match keep_alive {
        Some(every) => tokio::select! {
            ended = sessions => ended,
            never = keep_idle_tunnels_up(locals, every) => match never {},
        },
        None => sessions.await,
    };
    // The first failure decides the exit status (each was said as it happened).
    ended.into_iter().find(Result::is_err).unwrap_or(Ok(()))
}

/// Every `every`, a connection opened and closed through each tunnel: traffic on the session, so
/// Session Manager's idle timeout doesn't end it. A tunnel that is reconnecting just refuses it.
async fn keep_idle_tunnels_up(locals: &[u16], every: Duration) -> std::convert::Infallible {
    loop {
        tokio::time::sleep(every).await;
        for port in locals {
            let _ = tokio::net::TcpStream::connect(("127.0.0.1", *port)).await;
        }
    }
}
