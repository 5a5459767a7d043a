//! ssmgo running in the background, for a test that acts on it while it runs (a signal once it
//! says where it is), and whether a process it started is still running.

use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::{Outcome, Ssmgo};

impl Ssmgo {
    /// Starts ssmgo in the background, its stdout and stderr read as they come: for a test that
    /// acts on it while it runs (a signal once it says where it is).
    pub fn spawn(mut self) -> Spawned {
        let mut child = self
            .command()
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("ssmgo starts");
        let collect = |mut from: Box<dyn std::io::Read + Send>| {
            let text: Arc<Mutex<Vec<u8>>> = Arc::default();
            let sink = Arc::clone(&text);
            let reader = std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                while let Ok(n) = from.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    sink.lock().unwrap().extend_from_slice(&buf[..n]);
                }
            });
            (text, reader)
        };
        let stdout = collect(Box::new(child.stdout.take().unwrap()));
        let stderr = collect(Box::new(child.stderr.take().unwrap()));
        Spawned {
            child,
            stdout,
            stderr,
            run: self,
        }
    }
}

/// ssmgo running in the background ([`Ssmgo::spawn`]).
pub struct Spawned {
    child: std::process::Child,
    stdout: (Arc<Mutex<Vec<u8>>>, std::thread::JoinHandle<()>),
    stderr: (Arc<Mutex<Vec<u8>>>, std::thread::JoinHandle<()>),
    /// Keeps the run's private directory (HOME, the plugin's record) alive.
    run: Ssmgo,
}

impl Spawned {
    pub fn pid(&self) -> i32 {
        self.child.id() as i32
    }

    /// What it has written to stderr so far.
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.stderr.0.lock().unwrap()).into_owned()
    }

    /// Waits until stderr holds `text` `times` times: the state it names has been reached. A
    /// run that ends first, or has not said it after `limit`, fails the test (and is stopped).
    #[track_caller]
    pub fn wait_for_stderr(&mut self, text: &str, times: usize, limit: Duration) {
        let started = Instant::now();
        while self.stderr().matches(text).count() < times {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!(
                    "ssmgo ended ({status}) before saying {text:?} {times} times:\n{}",
                    self.stderr()
                );
            }
            if started.elapsed() > limit {
                let _ = self.child.kill();
                panic!(
                    "ssmgo did not say {text:?} {times} times within {limit:?}:\n{}",
                    self.stderr()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Sends `signal` to ssmgo alone, as a supervisor (or `kill`) does.
    pub fn signal(&self, signal: i32) {
        // SAFETY: kill(2) on the child this test started.
        unsafe {
            libc::kill(self.pid(), signal);
        }
    }

    /// Waits for ssmgo to end and returns how; a run still going after `limit` fails the test
    /// (and is killed), so that a signal it ignores can never hang the suite.
    #[track_caller]
    pub fn finish(mut self, limit: Duration) -> Outcome {
        let started = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if started.elapsed() > limit {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!(
                    "ssmgo was still running after {limit:?}:\n{}",
                    self.stderr()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        // Read to the end, unless a process it left behind holds the pipes open (that test
        // fails on its own account).
        let drained = Instant::now();
        while !(self.stdout.1.is_finished() && self.stderr.1.is_finished())
            && drained.elapsed() < Duration::from_secs(5)
        {
            std::thread::sleep(Duration::from_millis(20));
        }
        let stdout = self.stdout.0.lock().unwrap().clone();
        let stderr = self.stderr.0.lock().unwrap().clone();
        self.run.outcome(status.code(), stdout, stderr)
    }
}

/// Whether process `pid` runs: one that is gone, or a zombie waiting to be reaped, does not.
pub fn is_running(pid: i32) -> bool {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let state = stat
        .rsplit_once(')')
        .and_then(|(_, rest)| rest.trim_start().chars().next());
    !stat.is_empty() && !matches!(state, Some('Z' | 'X'))
}

/// Waits, at most `limit`, until process `pid` no longer runs; whether it stopped. A process
/// sent SIGKILL by one that did not wait for it dies when the kernel next runs it, which on a
/// busy machine is not at once.
pub fn stops_within(pid: i32, limit: Duration) -> bool {
    let started = Instant::now();
    while is_running(pid) {
        if started.elapsed() > limit {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    true
}
