//! The signals that stop ssmgo — SIGTERM, SIGHUP, SIGQUIT, SIGINT — heard in one place for the
//! whole run.
//!
//! Once any handler is installed for a signal (tokio's, the first time something listens for
//! it), its default action is gone for the rest of the process, and a signal nobody waits for is
//! lost: a tunnel pausing between sessions once ignored SIGTERM. So all four are heard from the
//! start, here, and each is acted on. Whatever has something to undo when told to stop claims
//! them while it has ([`claim`]): a session passes them to its plugin and terminates itself, a
//! tunnel ends on SIGINT, `run` cancels its command, `ssh` stops ssh. A signal nobody claims ends
//! the command where it is ([`Listener::race`]), which then holds nothing that must be undone;
//! the processes it started (a credential_process) are given the signal too.
//!
//! The picker installs its own handlers while it is open (src/picker.rs): it must restore the
//! terminal itself.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::task::Poll;

use libc::c_int;
use tokio::signal::unix::{signal, Signal, SignalKind};
use tokio::sync::{mpsc, Notify};

use crate::error::{Error, Result};

/// The signals that stop ssmgo, in the order they win when several are pending: a stop before
/// an interrupt (a question on the terminal that a stop broke raises SIGINT after it).
pub const STOP: [c_int; 4] = [libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT, libc::SIGINT];

/// What an unclaimed stop did, for [`Error::Stopped`].
const NO_SESSION_OPEN: &str = "while no session was open: it stopped there, and left none open";

struct Claimant {
    id: u64,
    signals: Vec<c_int>,
    to: mpsc::UnboundedSender<c_int>,
}

/// Who claims what, and what the run was told so far.
struct Registry {
    claimants: Vec<Claimant>,
    /// Every signal given to a claim: a claim made later gets it too, so that nothing starts
    /// after ssmgo was told to stop (a tunnel that was pausing when another one's session got
    /// SIGTERM must not open a new session).
    heard: Vec<c_int>,
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry {
    claimants: Vec::new(),
    heard: Vec::new(),
});
static NEXT_ID: AtomicU64 = AtomicU64::new(0);
/// Told when a claim ends: a signal heard under it may now be the run's to act on.
static RELEASED: Notify = Notify::const_new();

fn registry() -> MutexGuard<'static, Registry> {
    REGISTRY.lock().unwrap_or_else(|e| e.into_inner())
}

/// Signals that come to their claimant, while it lives, instead of ending the command.
pub struct Claim {
    id: u64,
    signals: mpsc::UnboundedReceiver<c_int>,
}

/// Claims `signals` until the claim is dropped. Several claims of one signal each get it (the
/// tunnels of one `forward`); one made before the signal arrives never misses it, and one made
/// after it was given to another claim gets it at once.
pub fn claim(signals: &[c_int]) -> Claim {
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    let (to, from) = mpsc::unbounded_channel();
    let mut registry = registry();
    for &heard in registry.heard.iter().filter(|s| signals.contains(s)) {
        let _ = to.send(heard);
    }
    registry.claimants.push(Claimant {
        id,
        signals: signals.to_vec(),
        to,
    });
    Claim { id, signals: from }
}

impl Claim {
    /// The next signal claimed.
    pub async fn recv(&mut self) -> c_int {
        match self.signals.recv().await {
            Some(signal) => signal,
            // The sender lives as long as the claim: never.
            None => std::future::pending().await,
        }
    }

    /// A signal claimed and not taken yet.
    pub fn try_recv(&mut self) -> Option<c_int> {
        self.signals.try_recv().ok()
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        registry().claimants.retain(|c| c.id != self.id);
        RELEASED.notify_one();
    }
}

/// Gives `signal` to every claim of it; false when there is none.
fn deliver(signal: c_int) -> bool {
    let mut registry = registry();
    let mut given = false;
    for c in registry
        .claimants
        .iter()
        .filter(|c| c.signals.contains(&signal))
    {
        given |= c.to.send(signal).is_ok();
    }
    if given {
        registry.heard.push(signal);
    }
    given
}

fn claimed(signal: c_int) -> bool {
    registry()
        .claimants
        .iter()
        .any(|c| c.signals.contains(&signal))
}

/// The run's ears: a stream for each of [`STOP`], made before the command starts.
pub struct Listener {
    streams: Vec<(c_int, Signal)>,
}

/// Starts hearing [`STOP`]; must be called on the runtime.
pub fn listen() -> Result<Listener> {
    let streams = STOP
        .iter()
        .map(|&s| signal(SignalKind::from_raw(s)).map(|stream| (s, stream)))
        .collect::<std::io::Result<_>>()
        .map_err(|e| Error::io("listening for stop signals", e))?;
    Ok(Listener { streams })
}

impl Listener {
    /// The next stop signal: the first of [`STOP`] when several are pending.
    async fn next(&mut self) -> c_int {
        std::future::poll_fn(|cx| {
            for (signal, stream) in &mut self.streams {
                if let Poll::Ready(Some(())) = stream.poll_recv(cx) {
                    return Poll::Ready(*signal);
                }
            }
            Poll::Pending
        })
        .await
    }

    /// Runs `command` to its end, unless a stop signal that nothing claims comes first: then
    /// the command is dropped where it is, the processes it started are given the signal, and
    /// the run ends with [`Error::Stopped`] (SIGINT: [`Error::Cancelled`]). A claimed signal is
    /// its claimants' to act on; should the command go on once nothing claims it any more (a
    /// tunnel whose session ended meanwhile would reconnect), it is ended then.
    pub async fn race<T>(mut self, command: impl Future<Output = Result<T>>) -> Result<T> {
        let mut command = Box::pin(command);
        let mut heard: Vec<c_int> = Vec::new();
        let signal = loop {
            tokio::select! {
                // A signal first: a command that ends because of one (a prompt it broke) ends
                // with the signal's status.
                biased;
                signal = self.next() => {
                    if !deliver(signal) {
                        break signal;
                    }
                    heard.push(signal);
                }
                out = &mut command => return out,
                // Polled after the command: one that ends as its claim does (a session that
                // handled the signal) ends with its own result.
                () = RELEASED.notified(), if !heard.is_empty() => {
                    let unclaimed = STOP.into_iter().find(|s| heard.contains(s) && !claimed(*s));
                    if let Some(signal) = unclaimed {
                        break signal;
                    }
                }
            }
        };
        drop(command);
        stop_descendants(signal);
        Err(match signal {
            libc::SIGINT => Error::Cancelled,
            signal => Error::Stopped {
                signal,
                state: NO_SESSION_OPEN,
            },
        })
    }
}

/// Passes `signal` to the child `pid`, whose end `wait` awaits, and waits for that end; kills it
/// after `grace`, as a child that ignores the signal must not outlive ssmgo. None when it had to
/// be killed.
pub(crate) async fn pass_on(
    pid: u32,
    signal: c_int,
    wait: &mut tokio::task::JoinHandle<std::io::Result<std::process::ExitStatus>>,
    grace: std::time::Duration,
) -> Option<std::io::Result<std::process::ExitStatus>> {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return None;
    };
    // SAFETY: kill(2) on our own child, which `wait` has not reaped yet.
    unsafe {
        libc::kill(pid, signal);
    }
    match tokio::time::timeout(grace, &mut *wait).await {
        Ok(outcome) => Some(joined(outcome)),
        Err(_) => {
            // SAFETY: as above.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
            }
            let _ = wait.await;
            None
        }
    }
}

/// A child's exit status from the blocking task that waited for it.
pub(crate) fn joined(
    outcome: std::result::Result<std::io::Result<std::process::ExitStatus>, tokio::task::JoinError>,
) -> std::io::Result<std::process::ExitStatus> {
    outcome
        .map_err(|e| std::io::Error::other(e.to_string()))
        .and_then(|r| r)
}

/// Sends `signal` to every process ssmgo started, and to theirs, and returns how many there
/// were. Only where no claim holds a child of its own (a plugin, ssh): what is left then is a
/// credential provider's (a credential_process and what it runs) or `aws sso login`.
#[cfg(target_os = "linux")]
pub(crate) fn stop_descendants(signal: c_int) -> usize {
    fn children_of(pid: u32) -> Vec<u32> {
        let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
            return Vec::new();
        };
        tasks
            .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("children")).ok())
            .flat_map(|c| {
                c.split_whitespace()
                    .filter_map(|p| p.parse().ok())
                    .collect::<Vec<u32>>()
            })
            .collect()
    }
    let mut pending = children_of(std::process::id());
    let mut all = Vec::new();
    while let Some(pid) = pending.pop() {
        pending.extend(children_of(pid));
        all.push(pid);
    }
    for &pid in &all {
        if let Ok(pid) = i32::try_from(pid) {
            // SAFETY: kill(2) with a pid of our own descendant; no memory is involved.
            unsafe {
                libc::kill(pid, signal);
            }
        }
    }
    all.len()
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn stop_descendants(_signal: c_int) -> usize {
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signal_goes_to_every_claim_of_it_and_to_none_once_they_are_dropped() {
        // A signal no real process sends, so that claims of other tests don't interfere.
        let odd = libc::SIGRTMAX() - 1;
        let (mut a, mut b) = (claim(&[odd]), claim(&[odd, libc::SIGRTMAX() - 3]));
        let other = claim(&[libc::SIGRTMAX() - 2]);
        assert!(deliver(odd));
        assert_eq!((a.try_recv(), b.try_recv()), (Some(odd), Some(odd)));
        let mut later = claim(&[odd]);
        assert_eq!(
            later.try_recv(),
            Some(odd),
            "told to stop before it was made"
        );
        drop((a, b, other, later));
        assert!(!deliver(odd), "no claim is left");
        assert!(!claimed(odd));
    }
}
