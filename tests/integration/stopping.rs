//! A stop signal in every state with no plugin to hand it to: waiting for an instance to start,
//! a tunnel's pause before reconnecting, the pre-check, credentials being fetched, `run` waiting
//! for results, StartSession in flight, a question on the terminal. Each test waits for ssmgo to
//! say (or the emulator to see) that the state was reached, sends the signal to ssmgo alone, as
//! a supervisor does, and asserts the documented exit status and that no session is left open.
//! (The picker, a running plugin and `ssmgo ssh` have their own: picker.rs, real_plugin.rs.)

use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crate::precheck::{user, READS};
use crate::support::fault::{Fault, FaultProxy};
use crate::support::{emu, ssmgo, RecordedSession};

/// Time for a state to be reached, and for a stopped ssmgo to end: generous, since a busy
/// machine is slow, and only ever a limit to fail at, never a measure.
const LIMIT: Duration = Duration::from_secs(60);

fn none_open(sessions: &[RecordedSession]) -> bool {
    sessions.iter().all(|s| s.status == "Terminated")
}

#[test]
fn a_stop_signal_while_waiting_for_a_started_instance_ends_the_wait() {
    crate::needs_emulator!();
    for (signal, code, command) in [
        (libc::SIGTERM, 143, "connect"),
        (libc::SIGHUP, 129, "forward"),
        (libc::SIGQUIT, 131, "connect"),
    ] {
        let group = emu().group(&format!("stopwait{signal}"));
        let id = group
            .instance("web")
            .tag("ssmgo:boot-seconds", "300")
            .stopped()
            .launch();
        let mut args = vec![command, &id];
        if command == "forward" {
            args.push("18081:80");
        }
        args.extend(["--start", "--no-check"]);
        let mut run = ssmgo().args(&args).spawn();
        run.wait_for_stderr("to be running and Online", 1, LIMIT);
        run.signal(signal);
        let out = run.finish(LIMIT);
        let what = format!("{command}, signal {signal}");
        assert_eq!(out.code, Some(code), "{what}: {}", out.stderr);
        assert!(
            out.stderr.contains("told to stop"),
            "{what}: {}",
            out.stderr
        );
        assert!(
            !out.stderr.contains("ssmgo: ssmgo"),
            "{what}: {}",
            out.stderr
        );
        assert!(out.plugin.is_none(), "{what}: no plugin ran");
        assert_eq!(emu().sessions_on(&id), [], "{what}: no session was started");
    }
}

#[test]
fn a_stop_signal_between_a_tunnels_sessions_ends_it() {
    crate::needs_emulator!();
    // The recorder opens the data channel and leaves at once: every session ends as it starts,
    // so ssmgo soon pauses before reconnecting.
    for (signal, code) in [(libc::SIGTERM, 143), (libc::SIGHUP, 129), (libc::SIGINT, 0)] {
        let group = emu().group(&format!("stopbackoff{signal}"));
        let id = group.instance("app").launch();
        let mut run = ssmgo().args(["forward", &id, "18082:80"]).spawn();
        run.wait_for_stderr("reconnecting in", 1, LIMIT);
        run.signal(signal);
        let out = run.finish(LIMIT);
        assert_eq!(out.code, Some(code), "signal {signal}: {}", out.stderr);
        if code != 0 {
            assert!(out.stderr.contains("told to stop"), "{}", out.stderr);
        }
        let sessions = emu().sessions_on(&id);
        assert!(!sessions.is_empty());
        assert!(none_open(&sessions), "signal {signal}: {sessions:?}");
    }
}

#[test]
fn a_stop_signal_during_the_pre_check_ends_it() {
    crate::needs_emulator!();
    let group = emu().group("stopcheck");
    let id = group.instance("web").launch();
    // The pre-check's simulation never answers: ssmgo is in the pre-check until stopped.
    let proxy = FaultProxy::start(&emu().endpoint, |call| match call.operation.as_str() {
        "SimulatePrincipalPolicy" => Fault::Hang,
        _ => Fault::Forward,
    });
    // An IAM user, whom the simulator knows (the default test keys are no one's).
    let policy = format!(
        r#"{{"Version": "2012-10-17", "Statement": [
  {{"Effect": "Allow", "Action": "ssm:StartSession", "Resource": "*"}},
  {READS}]}}"#
    );
    let dana = user(&group, "dana", &policy);
    let run = ssmgo()
        .signed_in_as(&dana)
        .env("AWS_ENDPOINT_URL", &proxy.url)
        .args(["connect", &id])
        .spawn();
    let started = std::time::Instant::now();
    while proxy.count("SimulatePrincipalPolicy") == 0 {
        assert!(started.elapsed() < LIMIT, "no pre-check: {}", run.stderr());
        std::thread::sleep(Duration::from_millis(50));
    }
    run.signal(libc::SIGTERM);
    let out = run.finish(LIMIT);
    assert_eq!(out.code, Some(143), "{}", out.stderr);
    assert!(
        out.stderr.contains("told to stop (SIGTERM)"),
        "{}",
        out.stderr
    );
    assert_eq!(proxy.count("StartSession"), 0);
    assert_eq!(emu().sessions_on(&id), []);
}

#[test]
fn a_stop_signal_while_credentials_are_fetched_stops_their_process_too() {
    let dir = tempfile::tempdir().unwrap();
    let (run, pid_file) = ssmgo().with_hanging_credential_process(dir.path());
    let run = run.args(["--profile", "hang", "list"]).spawn();
    let started = std::time::Instant::now();
    while !pid_file.exists() {
        assert!(started.elapsed() < LIMIT, "{}", run.stderr());
        std::thread::sleep(Duration::from_millis(50));
    }
    run.signal(libc::SIGHUP);
    let out = run.finish(LIMIT);
    assert_eq!(out.code, Some(129), "{}", out.stderr);
    assert!(
        out.stderr.contains("told to stop (SIGHUP)"),
        "{}",
        out.stderr
    );
    let pid: i32 = std::fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    // Given the signal before ssmgo exited; gone (or a zombie that only waits for init to reap
    // it) once the kernel has run it.
    assert!(
        crate::support::stops_within(pid, LIMIT),
        "the credential_process {pid} outlived ssmgo"
    );
}

#[test]
fn a_stop_signal_while_run_waits_for_results_cancels_the_command() {
    crate::needs_emulator!();
    let group = emu().group("stoprun");
    let ids = group.instance("slow").times(2).launch_all();
    let run = ssmgo()
        .args(["run", "-t", &group.filter(), "--", "sleep 300"])
        .spawn();
    let started = std::time::Instant::now();
    while !emu().log().iter().any(|v| {
        v["op"] == "SendCommand"
            && v["targets"]
                .as_array()
                .is_some_and(|t| t.iter().any(|x| x == ids[0].as_str()))
    }) {
        assert!(
            started.elapsed() < LIMIT,
            "no SendCommand: {}",
            run.stderr()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    run.signal(libc::SIGTERM);
    let out = run.finish(LIMIT);
    assert_eq!(out.code, Some(143), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("told to stop (SIGTERM): cancelled the command where it still ran"),
        "{}",
        out.stderr
    );
    // The emulator's scripts were stopped, not left to run their 300 s.
    let cancelled = std::time::Instant::now();
    loop {
        let runs = crate::run::invocations(&ids);
        if runs.len() == 2 {
            assert!(runs.iter().all(|r| r.1 == "Cancelled"), "{runs:?}");
            break;
        }
        assert!(
            cancelled.elapsed() < LIMIT,
            "the invocations did not end: {runs:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A door the proxy waits at: `arrived` once a request is there, shut until [`Gate::open`].
#[derive(Default)]
struct Gate {
    state: Mutex<(bool, bool)>,
    changed: Condvar,
}

impl Gate {
    fn wait_here(&self) {
        let mut state = self.state.lock().unwrap();
        state.0 = true;
        self.changed.notify_all();
        while !state.1 {
            state = self.changed.wait(state).unwrap();
        }
    }

    fn until_arrived(&self) {
        let state = self.state.lock().unwrap();
        let (_state, timeout) = self
            .changed
            .wait_timeout_while(state, LIMIT, |s| !s.0)
            .unwrap();
        assert!(!timeout.timed_out(), "no request arrived");
    }

    fn open(&self) {
        self.state.lock().unwrap().1 = true;
        self.changed.notify_all();
    }
}

#[test]
fn a_stop_signal_while_start_session_is_in_flight_terminates_the_session_it_started() {
    crate::needs_emulator!();
    for (signal, code, command) in [
        (libc::SIGTERM, 143, "connect"),
        (libc::SIGHUP, 129, "ssh-proxy"),
    ] {
        let group = emu().group(&format!("stopstart{signal}"));
        let id = group.instance("web").launch();
        let gate = Arc::new(Gate::default());
        let door = Arc::clone(&gate);
        // StartSession waits at the proxy until the signal has been sent, then is carried out:
        // the session exists, and ssmgo was told to stop before it could hand it to a plugin.
        let proxy = FaultProxy::start(&emu().endpoint, move |call| {
            if call.operation == "StartSession" {
                door.wait_here();
            }
            Fault::Forward
        });
        let run = ssmgo()
            .env("AWS_ENDPOINT_URL", &proxy.url)
            .args(match command {
                "connect" => vec!["connect", &id, "--no-check"],
                _ => vec!["ssh-proxy", &id, "22", "--no-check"],
            })
            .spawn();
        gate.until_arrived();
        run.signal(signal);
        gate.open();
        let out = run.finish(LIMIT);
        let what = format!("{command}, signal {signal}");
        assert_eq!(out.code, Some(code), "{what}: {}", out.stderr);
        assert!(
            out.stderr.contains("told to stop"),
            "{what}: {}",
            out.stderr
        );
        let sessions = emu().sessions_on(&id);
        assert_eq!(sessions.len(), 1, "{what}: {sessions:?}");
        assert!(none_open(&sessions), "{what}: {sessions:?}");
    }
}

#[test]
fn a_stop_signal_or_ctrl_c_at_a_question_ends_it_with_the_terminal_put_back() {
    crate::needs_emulator!();
    // SIGTERM from outside, and Ctrl-C typed at the question (dialoguer raises SIGINT for it).
    for (how, code) in [("SIGTERM", 143), ("Ctrl-C", 130)] {
        let group = emu().group(&format!("stopask{code}"));
        let id = group.instance("web").stopped().launch();
        let mut run = ssmgo().args(["connect", &id, "--no-check"]);
        let mut pty = crate::support::pty::Pty::spawn(run.command());
        pty.wait_for("Start it and connect when it is ready?", LIMIT);
        match how {
            // SAFETY: kill(2) on the child this test started.
            "SIGTERM" => unsafe {
                libc::kill(pty.pid() as i32, libc::SIGTERM);
            },
            _ => pty.type_keys("\x03"),
        }
        let status = pty.wait(LIMIT);
        assert_eq!(status.code(), Some(code), "{how}: {}", pty.tail());
        assert!(pty.terminal_is_cooked(), "{how}: raw mode was left on");
        // dialoguer hid the cursor while asking: the last word on it shows it again.
        let screen = pty.screen();
        assert!(
            screen.rfind("\x1b[?25h") > screen.rfind("\x1b[?25l"),
            "{how}: the cursor is left hidden: {:?}",
            pty.tail()
        );
        assert_eq!(emu().sessions_on(&id), [], "{how}");
        let listed = ssmgo()
            .args(["list", "--all", "-t", &group.filter()])
            .run()
            .expect_success();
        assert_eq!(
            listed.json()[0]["state"],
            "stopped",
            "{how}: nothing was started"
        );
    }
}
