//! End to end with AWS's real session-manager-plugin (built from its source, in ../shared) and
//! the emulator's data channel (tests/emu/datachannel.py), which plays the agent and runs a real
//! shell in a pseudo-terminal. The recorder (tests/fake-plugin) still serves the tests that
//! inspect the exact arguments.

use std::time::Duration;

use crate::support::fault::{Fault, FaultProxy};
use crate::support::pty::Pty;
use crate::support::{emu, is_running, ssmgo};

const WAIT: Duration = Duration::from_secs(30);

#[test]
fn a_shell_through_the_real_plugin_runs_commands_knows_its_size_and_survives_ctrl_c() {
    crate::needs_emulator!();
    let group = emu().group("real-shell");
    let id = group.instance("web").launch();
    let Some(mut run) = ssmgo().with_real_plugin() else {
        return;
    };
    let mut pty = Pty::spawn(run.command().args(["connect", &id, "--no-check"]));
    pty.wait_for("Starting session with SessionId", WAIT);
    pty.wait_for("sh-remote$", WAIT);
    pty.type_keys("echo $((6*7))\r");
    pty.wait_for("\n42", WAIT);
    pty.type_keys("stty size\r");
    pty.wait_for("30 120", WAIT);
    // Ctrl-C belongs to the remote shell: it interrupts the remote sleep, not ssmgo.
    // The markers are computed, so only the remote shell running the line prints them; the
    // sleep outlasts the wait for "after-2", which so only comes if Ctrl-C cut the sleep short.
    pty.type_keys("echo sleeping-$((2+2)); sleep 600\r");
    pty.wait_for("sleeping-4", WAIT);
    pty.type_keys("\x03");
    pty.type_keys("echo after-$((1+1))\r");
    pty.wait_for("after-2", WAIT);
    pty.type_keys("exit 3\r");
    let status = pty.wait(WAIT);
    // As the AWS CLI does, a remote shell's own exit status is not ssmgo's: the session ended well.
    assert!(status.success(), "{}", pty.tail());
    let sessions = emu().sessions_on(&id);
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].status, "Terminated", "{sessions:?}");
}

#[test]
fn an_unreachable_data_channel_is_said_and_ctrl_c_ends_it_with_the_session_terminated() {
    crate::needs_emulator!();
    let group = emu().group("real-unreachable");
    let id = group
        .instance("web")
        .tag("ssmgo:datachannel", "unreachable")
        .launch();
    let Some(mut run) = ssmgo().with_real_plugin() else {
        return;
    };
    let mut pty = Pty::spawn(run.command().args(["connect", &id, "--no-check"]));
    pty.wait_for("has not opened after 5 s", Duration::from_secs(5) + WAIT);
    pty.wait_for("127.0.0.1:9", WAIT);
    pty.type_keys("\x03");
    let status = pty.wait(WAIT);
    assert!(!status.success(), "{}", pty.tail());
    let sessions = emu().sessions_on(&id);
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].status, "Terminated", "{}", pty.tail());
}

#[test]
fn a_rejected_token_leaves_no_session_open() {
    crate::needs_emulator!();
    let group = emu().group("real-badtoken");
    let id = group
        .instance("web")
        .tag("ssmgo:datachannel", "badtoken")
        .launch();
    let Some(mut run) = ssmgo().with_real_plugin() else {
        return;
    };
    let mut pty = Pty::spawn(run.command().args(["connect", &id, "--no-check"]));
    pty.wait_for("Starting session with SessionId", WAIT);
    // The plugin retries a channel that closes on it; the user gives up.
    pty.wait_for("has not opened after 5 s", Duration::from_secs(5) + WAIT);
    pty.type_keys("\x03");
    pty.wait(WAIT);
    let sessions = emu().sessions_on(&id);
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].status, "Terminated", "{}", pty.tail());
}

#[test]
fn a_shell_that_dies_mid_session_closes_the_channel_and_the_session() {
    crate::needs_emulator!();
    let group = emu().group("real-killed");
    let id = group.instance("web").launch();
    let Some(mut run) = ssmgo().with_real_plugin() else {
        return;
    };
    let mut pty = Pty::spawn(run.command().args(["connect", &id, "--no-check"]));
    pty.wait_for("sh-remote$", WAIT);
    pty.type_keys("kill -9 $$\r");
    let status = pty.wait(WAIT);
    assert!(status.success(), "{}", pty.tail());
    assert_eq!(emu().sessions_on(&id)[0].status, "Terminated");
}

/// The processes `pid` started.
fn children_of(pid: u32) -> Vec<i32> {
    std::fs::read_dir(format!("/proc/{pid}/task"))
        .unwrap()
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("children")).ok())
        .flat_map(|c| {
            c.split_whitespace()
                .filter_map(|p| p.parse().ok())
                .collect::<Vec<i32>>()
        })
        .collect()
}

#[test]
fn a_stop_signal_to_ssmgo_or_its_group_stops_the_plugin_and_terminates_the_session() {
    crate::needs_emulator!();
    for (signal, to_group) in [
        (libc::SIGTERM, false),
        (libc::SIGHUP, false),
        (libc::SIGTERM, true),
        (libc::SIGHUP, true),
    ] {
        let code = 128 + signal;
        let group = emu().group(&format!("real-sig{signal}-{to_group}"));
        let id = group.instance("web").launch();
        let Some(mut run) = ssmgo().with_real_plugin() else {
            return;
        };
        let mut pty = Pty::spawn(run.command().args(["connect", &id, "--no-check"]));
        pty.wait_for("sh-remote$", WAIT);
        let plugins = children_of(pty.pid());
        assert!(!plugins.is_empty(), "the plugin runs under ssmgo");
        // SAFETY: the ssmgo this test started, alone or with its process group (the plugin).
        unsafe {
            if to_group {
                libc::killpg(pty.pid() as i32, signal);
            } else {
                libc::kill(pty.pid() as i32, signal);
            }
        }
        let status = pty.wait(WAIT);
        let what = format!("signal {signal}, to the group: {to_group}");
        assert_eq!(status.code(), Some(code), "{what}: {}", pty.tail());
        assert!(
            pty.text().contains("ssmgo: told to stop"),
            "{what}: {}",
            pty.tail()
        );
        assert!(pty.terminal_is_cooked(), "{what}: the terminal is restored");
        for pid in plugins {
            assert!(!is_running(pid), "{what}: the plugin {pid} outlived ssmgo");
        }
        assert_eq!(emu().sessions_on(&id)[0].status, "Terminated", "{what}");
    }
}

#[test]
fn sigint_to_forward_alone_ends_the_tunnel_as_ctrl_c_does() {
    crate::needs_emulator!();
    let group = emu().group("real-fwd-int");
    let id = group.instance("web").launch();
    let Some(run) = ssmgo().with_real_plugin() else {
        return;
    };
    let local = free_port();
    let out = tempfile::NamedTempFile::new().unwrap();
    let mut cmd = run
        .args(["forward", &id, &format!("{local}:80"), "--no-check"])
        .into_command();
    let child = cmd
        .stdout(out.reopen().unwrap())
        .stderr(out.reopen().unwrap())
        .spawn()
        .unwrap();
    let log = || std::fs::read_to_string(out.path()).unwrap_or_default();
    let started = std::time::Instant::now();
    while !log().contains("Waiting for connections") {
        assert!(
            started.elapsed() < WAIT,
            "the tunnel never opened: {}",
            log()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let plugins = children_of(child.id());
    assert!(!plugins.is_empty(), "the plugin runs under ssmgo");
    // SAFETY: the ssmgo this test started; the signal goes to it alone, as a script's would.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let status = wait_at_most(child, WAIT).status;
    assert_eq!(status.code(), Some(0), "ended as on Ctrl-C: {}", log());
    for pid in plugins {
        assert!(!is_running(pid), "the plugin {pid} outlived ssmgo");
    }
    assert_eq!(emu().sessions_on(&id)[0].status, "Terminated");
}

/// Every file below `dir`, read whole (lossily).
fn files_text(dir: &std::path::Path) -> Vec<(std::path::PathBuf, String)> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_text(&path));
        } else if let Ok(bytes) = std::fs::read(&path) {
            out.push((path, String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
    out
}

#[test]
fn the_session_token_is_on_no_command_line_and_in_no_output_or_file() {
    crate::needs_emulator!();
    let group = emu().group("real-token");
    let id = group.instance("web").launch();
    let proxy = FaultProxy::start(&emu().endpoint, |_| Fault::Forward);
    let home = tempfile::tempdir().unwrap();
    let Some(run) = ssmgo().in_home(home.path()).with_real_plugin() else {
        return;
    };
    let mut run = run.env("AWS_ENDPOINT_URL", &proxy.url);
    let mut pty = Pty::spawn(run.command().args(["-v", "connect", &id]));
    pty.wait_for("sh-remote$", WAIT);
    let answer: serde_json::Value =
        serde_json::from_str(&proxy.answers("StartSession")[0]).unwrap();
    let token = answer["TokenValue"].as_str().unwrap().to_owned();
    assert!(token.len() > 40, "{token}");
    // Every process's command line, while the plugin (1.2.707.0: newer than 1.2.497.0) runs.
    let mut scanned = 0;
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        if let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) {
            scanned += 1;
            assert!(
                !String::from_utf8_lossy(&cmdline).contains(&token),
                "the token is on the command line of {}",
                entry.path().display()
            );
        }
    }
    assert!(scanned > 3, "{scanned} command lines read");
    // Where it is instead: in the plugin's environment, as AWS's plugin expects it (and proof that
    // the scan above looked for the right text).
    let in_env = children_of(pty.pid()).into_iter().any(|pid| {
        std::fs::read(format!("/proc/{pid}/environ"))
            .is_ok_and(|env| String::from_utf8_lossy(&env).contains(&token))
    });
    assert!(in_env, "the plugin was handed the token in its environment");
    pty.type_keys("exit\r");
    assert!(pty.wait(WAIT).success(), "{}", pty.tail());
    assert!(
        pty.text().contains("StartSession"),
        "-v traced the calls: {}",
        pty.tail()
    );
    assert!(
        !pty.text().contains(&token),
        "the token is in ssmgo's output"
    );
    let files = files_text(home.path());
    assert!(
        files.iter().any(|(p, _)| p.ends_with("history.json")),
        "{files:?}"
    );
    for (path, text) in files {
        assert!(!text.contains(&token), "the token is in {}", path.display());
    }
}

#[test]
fn sigterm_to_ssh_proxy_stops_the_plugin_and_terminates_the_session() {
    crate::needs_emulator!();
    let group = emu().group("real-proxy-term");
    let id = group.instance("web").launch();
    let Some(run) = ssmgo().with_real_plugin() else {
        return;
    };
    // What the instance's port 22 would be: a listener that takes the stream and holds it.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let held: Vec<_> = listener.incoming().take(1).collect();
        std::thread::sleep(Duration::from_secs(60));
        drop(held);
    });
    let child = run
        .args(["ssh-proxy", &id, &port.to_string(), "--no-check"])
        .into_command()
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while emu().sessions_on(&id).first().map(|s| s.status.as_str()) != Some("Connected") {
        assert!(started.elapsed() < WAIT, "{:?}", emu().sessions_on(&id));
        std::thread::sleep(Duration::from_millis(50));
    }
    let plugins = children_of(child.id());
    assert!(!plugins.is_empty(), "the plugin runs under ssmgo");
    // SAFETY: the ssmgo this test started.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGTERM);
    }
    let out = wait_at_most(child, WAIT);
    assert_eq!(
        out.status.code(),
        Some(143),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for pid in plugins {
        assert!(!is_running(pid), "the plugin {pid} outlived ssmgo");
    }
    assert_eq!(emu().sessions_on(&id)[0].status, "Terminated");
}

#[test]
fn a_killed_plugin_leaves_no_session_open() {
    crate::needs_emulator!();
    let group = emu().group("real-plugin-killed");
    let id = group.instance("web").launch();
    let Some(mut run) = ssmgo().with_real_plugin() else {
        return;
    };
    let mut pty = Pty::spawn(run.command().args(["connect", &id, "--no-check"]));
    pty.wait_for("sh-remote$", WAIT);
    // ssmgo's children: the plugin.
    let children = children_of(pty.pid());
    assert!(!children.is_empty(), "the plugin runs under ssmgo");
    for pid in children {
        // SAFETY: a process this test's ssmgo started.
        unsafe {
            libc::kill(pid, libc::SIGKILL);
        }
    }
    let status = pty.wait(WAIT);
    assert_eq!(status.code(), Some(1), "{}", pty.tail());
    assert!(pty.text().contains("killed by signal 9"), "{}", pty.tail());
    assert_eq!(emu().sessions_on(&id)[0].status, "Terminated");
}

/// A loopback HTTP server that answers every request with `body`, slowly enough that two
/// requests overlap; returns its port.
fn http_server(body: &'static str) -> u16 {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for conn in listener.incoming().take(32) {
            let Ok(mut conn) = conn else { continue };
            std::thread::spawn(move || {
                let mut buf = [0u8; 1024];
                let _ = conn.read(&mut buf);
                std::thread::sleep(Duration::from_millis(300));
                let _ = write!(
                    conn,
                    "HTTP/1.0 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            });
        }
    });
    port
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One HTTP request to localhost:`port`, the whole answer.
fn get(port: u16) -> String {
    use std::io::{Read, Write};
    let mut conn = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    conn.write_all(b"GET / HTTP/1.0\r\n\r\n").unwrap();
    let mut answer = String::new();
    let _ = conn.read_to_string(&mut answer);
    answer
}

/// Runs `ssmgo forward` with the real plugin in its own process group until the tunnel is up,
/// hands the local port to `check`, then interrupts the group as Ctrl-C would.
fn through_a_tunnel(id: &str, to: Option<&str>, remote: u16, check: impl FnOnce(u16)) -> bool {
    let Some(run) = ssmgo().with_real_plugin() else {
        return false;
    };
    let local = free_port();
    let out = tempfile::NamedTempFile::new().unwrap();
    let mut run = run.args(["forward", id, &format!("{local}:{remote}"), "--no-check"]);
    if let Some(host) = to {
        run = run.args(["--to", host]);
    }
    let mut cmd = run.into_command();
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let mut child = cmd
        .stdout(out.reopen().unwrap())
        .stderr(out.reopen().unwrap())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while !std::fs::read_to_string(out.path())
        .unwrap_or_default()
        .contains("Waiting for connections")
        && !std::fs::read_to_string(out.path())
            .unwrap_or_default()
            .contains(&format!("Port {local} opened"))
    {
        assert!(
            started.elapsed() < WAIT,
            "the tunnel never opened: {}",
            std::fs::read_to_string(out.path()).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    check(local);
    // SAFETY: a process group this test created.
    unsafe {
        libc::killpg(child.id() as i32, libc::SIGINT);
    }
    let _ = child.wait();
    true
}

#[test]
fn forwarding_through_the_real_plugin_multiplexes_two_connections_at_once() {
    crate::needs_emulator!();
    let group = emu().group("real-mux");
    let id = group.instance("web").launch();
    let remote = http_server("hello-mux");
    let ran = through_a_tunnel(&id, None, remote, |local| {
        let a = std::thread::spawn(move || get(local));
        let b = std::thread::spawn(move || get(local));
        for answer in [a.join().unwrap(), b.join().unwrap()] {
            assert!(answer.ends_with("hello-mux"), "{answer}");
        }
    });
    if ran {
        assert_eq!(emu().sessions_on(&id)[0].status, "Terminated");
    }
}

#[test]
fn forwarding_to_an_old_agent_uses_one_connection_at_a_time() {
    crate::needs_emulator!();
    let group = emu().group("real-basic");
    let id = group
        .instance("web")
        .tag("ssmgo:agent-version", "2.3.1644.0")
        .launch();
    let remote = http_server("hello-basic");
    let ran = through_a_tunnel(&id, None, remote, |local| {
        for _ in 0..2 {
            let answer = get(local);
            assert!(answer.ends_with("hello-basic"), "{answer}");
        }
    });
    if ran {
        assert_eq!(emu().sessions_on(&id)[0].status, "Terminated");
    }
}

#[test]
fn forwarding_to_a_remote_host_reaches_it_from_the_instance() {
    crate::needs_emulator!();
    let group = emu().group("real-remote");
    let id = group.instance("bastion").launch();
    let remote = http_server("hello-remote");
    through_a_tunnel(&id, Some("localhost"), remote, |local| {
        let answer = get(local);
        assert!(answer.ends_with("hello-remote"), "{answer}");
    });
}

/// `ssmgo forward` with the real plugin in its own process group, its output in a file.
struct Forwarding {
    child: std::process::Child,
    out: tempfile::NamedTempFile,
}

impl Forwarding {
    fn start(args: &[&str]) -> Option<Forwarding> {
        let run = ssmgo().with_real_plugin()?;
        let out = tempfile::NamedTempFile::new().unwrap();
        // One file, appended to by both streams (two plain handles would overwrite each other).
        let file = std::fs::OpenOptions::new()
            .append(true)
            .open(out.path())
            .unwrap();
        let mut cmd = run.args(args).into_command();
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let child = cmd
            .stdout(file.try_clone().unwrap())
            .stderr(file)
            .spawn()
            .unwrap();
        Some(Forwarding { child, out })
    }

    fn text(&self) -> String {
        std::fs::read_to_string(self.out.path()).unwrap_or_default()
    }

    /// Waits until `what` has been printed `times` times.
    fn until(&self, what: &str, times: usize) {
        let started = std::time::Instant::now();
        while self.text().matches(what).count() < times {
            assert!(
                started.elapsed() < WAIT,
                "{what:?} not printed {times} times:\n{}",
                self.text()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Ctrl-C to the group, as a terminal sends it; the exit code.
    fn interrupt(self) -> Option<i32> {
        // SAFETY: a process group this test created.
        unsafe {
            libc::killpg(self.child.id() as i32, libc::SIGINT);
        }
        wait_at_most(self.child, WAIT).status.code()
    }
}

#[test]
fn a_forward_survives_its_tunnel_being_dropped_twice() {
    crate::needs_emulator!();
    let group = emu().group("real-keepup");
    let id = group.instance("web").launch();
    let web = http_server("still-there");
    let local = free_port();
    let mapping = format!("{local}:{web}");
    let Some(fwd) = Forwarding::start(&["forward", &id, &mapping, "--no-check"]) else {
        return;
    };
    fwd.until("Waiting for connections", 1);
    assert!(get(local).ends_with("still-there"));
    for round in 1..=2 {
        let open: Vec<_> = emu()
            .sessions_on(&id)
            .into_iter()
            .filter(|s| s.status != "Terminated")
            .collect();
        assert_eq!(open.len(), 1, "one session carries the tunnel: {open:?}");
        // The session ends under it, as when an administrator terminates it.
        emu().terminate_session(&open[0].id);
        fwd.until("dropped (its session ended", round);
        fwd.until("Waiting for connections", round + 1);
        assert!(get(local).ends_with("still-there"), "round {round}");
    }
    let text = fwd.text();
    assert!(text.contains("reconnecting in 1 s"), "{text}");
    assert!(
        text.contains("reconnecting in 2 s"),
        "the pause grows: {text}"
    );
    assert_eq!(fwd.interrupt(), Some(0), "ended as on Ctrl-C");
    let sessions = emu().sessions_on(&id);
    assert_eq!(sessions.len(), 3, "{sessions:?}");
    assert!(
        sessions.iter().all(|s| s.status == "Terminated"),
        "{sessions:?}"
    );
}

#[test]
fn a_tunnel_the_agent_ends_as_it_starts_is_given_up_after_5_attempts() {
    crate::needs_emulator!();
    let group = emu().group("real-giveup");
    // An agent too old to multiplex dials the remote port as the session starts, and ends the
    // session at once when nothing listens there.
    let id = group
        .instance("web")
        .tag("ssmgo:agent-version", "2.3.1644.0")
        .launch();
    let Some(run) = ssmgo().with_real_plugin() else {
        return;
    };
    let mapping = format!("{}:{}", free_port(), free_port());
    let out = run
        .args(["forward", &id, &mapping, "--no-check"])
        .spawn()
        .finish(Duration::from_secs(120));
    assert_eq!(out.code, Some(1), "{}\n{}", out.stdout, out.stderr);
    // The plugin said why each time; ssmgo counted and gave up.
    assert!(
        out.stdout.contains("Unable to connect to specified port"),
        "{}",
        out.stdout
    );
    let out = out
        .stderr_has("(4 of 5")
        .stderr_has("5 times in a row")
        .stderr_has(&format!("ssmgo doctor {id}"));
    let sessions = emu().sessions_on(&id);
    assert_eq!(sessions.len(), 5, "{sessions:?}\n{}", out.stderr);
    assert!(
        sessions.iter().all(|s| s.status == "Terminated"),
        "{sessions:?}"
    );
}

#[test]
fn keep_alive_sends_traffic_through_an_idle_tunnel() {
    crate::needs_emulator!();
    let group = emu().group("real-keepalive");
    let id = group.instance("web").launch();
    // A remote service that only counts the connections it gets.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let remote = listener.local_addr().unwrap().port();
    let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = count.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            if conn.is_ok() {
                counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
        }
    });
    let mapping = format!("{}:{remote}", free_port());
    let Some(fwd) =
        Forwarding::start(&["forward", &id, &mapping, "--keep-alive", "1s", "--no-check"])
    else {
        return;
    };
    fwd.until("Waiting for connections", 1);
    let started = std::time::Instant::now();
    while count.load(std::sync::atomic::Ordering::SeqCst) < 2 {
        assert!(
            started.elapsed() < WAIT,
            "no keep-alive reached the remote port: {}",
            fwd.text()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(fwd.interrupt(), Some(0));
}

#[test]
fn several_mappings_open_several_tunnels_and_ctrl_c_ends_them_all() {
    crate::needs_emulator!();
    let group = emu().group("real-mappings");
    let id = group.instance("web").launch();
    let (a, b) = (http_server("from-a"), http_server("from-b"));
    let (la, lb) = (free_port(), free_port());
    let (ma, mb) = (format!("{la}:{a}"), format!("{lb}:127.0.0.1:{b}"));
    let Some(fwd) = Forwarding::start(&["forward", &id, &ma, &mb, "--no-check"]) else {
        return;
    };
    fwd.until("Waiting for connections", 2);
    assert!(get(la).ends_with("from-a"));
    assert!(
        get(lb).ends_with("from-b"),
        "the second goes through the instance to a host"
    );
    assert_eq!(fwd.interrupt(), Some(0), "ended as on Ctrl-C");
    let sessions = emu().sessions_on(&id);
    assert_eq!(sessions.len(), 2, "{sessions:?}");
    assert!(
        sessions.iter().all(|s| s.status == "Terminated"),
        "{sessions:?}"
    );
}

/// An sshd on loopback for one test, with its keys in a private directory.
struct Sshd {
    child: std::process::Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A fresh ed25519 key pair at `path` (and `path`.pub).
fn keygen(path: &std::path::Path) {
    let ok = std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(path)
        .status()
        .unwrap()
        .success();
    assert!(ok, "ssh-keygen {}", path.display());
}

/// Starts sshd reading authorized keys from `authorized_keys` (a path in the directory, where
/// %u is the user's name, as sshd expands it); the client key is `dir/id`.
fn sshd(authorized_keys: &str) -> Sshd {
    let dir = tempfile::tempdir().unwrap();
    keygen(&dir.path().join("id"));
    keygen(&dir.path().join("host"));
    let port = free_port();
    // sshd insists on its privilege separation directory (the package's service would create it).
    let _ = std::fs::create_dir_all("/run/sshd");
    let child = std::process::Command::new("/usr/sbin/sshd")
        .arg("-D")
        .arg("-e")
        .args([
            "-f",
            "/dev/null",
            "-p",
            &port.to_string(),
            "-o",
            "ListenAddress=127.0.0.1",
        ])
        .arg("-h")
        .arg(dir.path().join("host"))
        .arg("-o")
        .arg(format!(
            "AuthorizedKeysFile={}/{authorized_keys}",
            dir.path().display()
        ))
        .args([
            "-o",
            "StrictModes=no",
            "-o",
            "UsePAM=no",
            "-o",
            "PidFile=none",
        ])
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("sshd from openssh-server (scripts/test installs it)");
    let listening = std::time::Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(listening.elapsed() < WAIT, "sshd never listened on {port}");
        std::thread::sleep(Duration::from_millis(20));
    }
    Sshd { child, port, dir }
}

/// `ssh` to `host` through `proxy` (a ProxyCommand line), running `command`, with the test's key.
fn ssh(
    sshd: &Sshd,
    run: &crate::support::Ssmgo,
    proxy: &str,
    host: &str,
    command: &str,
) -> std::process::Output {
    let user = std::env::var("USER").unwrap_or_else(|_| "root".into());
    let child = std::process::Command::new("ssh")
        .args(["-F", "/dev/null", "-o", "BatchMode=yes"])
        .args([
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
        ])
        .arg("-i")
        .arg(sshd.dir.path().join("id"))
        .arg("-o")
        .arg(format!("ProxyCommand={proxy}"))
        .args(["-p", &sshd.port.to_string(), &format!("{user}@{host}")])
        .arg(command)
        .envs(run.envs())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_at_most(child, WAIT)
}

#[test]
fn ssh_through_ssh_proxy_and_the_real_plugin_runs_a_command() {
    crate::needs_emulator!();
    let group = emu().group("real-ssh");
    let id = group.instance("web").launch();
    let Some(run) = ssmgo().with_real_plugin() else {
        return;
    };
    let sshd = sshd("authorized_keys");
    std::fs::copy(
        sshd.dir.path().join("id.pub"),
        sshd.dir.path().join("authorized_keys"),
    )
    .unwrap();
    let proxy = run.proxy_command(&["ssh-proxy", "--no-check", "%h", "%p"]);
    let out = ssh(
        &sshd,
        &run,
        &proxy,
        &id,
        "echo hello-from-$((40+2)); exit 7",
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("hello-from-42"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        out.status.code(),
        Some(7),
        "the remote command's status comes back through ssh"
    );
}

#[test]
fn ssh_with_a_key_pushed_by_ec2_instance_connect_needs_no_key_on_the_instance() {
    crate::needs_emulator!();
    let Some(run) = ssmgo().with_real_plugin() else {
        return;
    };
    // The instance's sshd knows no key but what EC2 Instance Connect pushes (the emulator writes
    // it to DIR/<user>.keys for 60 s, as the instance's EIC agent serves it).
    let sshd = sshd("%u.keys");
    let group = emu().group("real-eic");
    let id = group
        .instance("web")
        .tag("ssmgo:eic-keys-dir", &sshd.dir.path().display().to_string())
        .launch();
    let key = sshd.dir.path().join("id.pub");

    let without = run.proxy_command(&["ssh-proxy", "%h", "%p"]);
    let refused = ssh(&sshd, &run, &without, &id, "echo in");
    assert_ne!(refused.status.code(), Some(0), "no key was on the instance");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("Permission denied"));

    let key_arg = key.display().to_string();
    let with = run.proxy_command(&[
        "ssh-proxy",
        "--send-key",
        "--os-user",
        "%r",
        "--public-key",
        &key_arg,
        "%h",
        "%p",
    ]);
    let out = ssh(&sshd, &run, &with, &id, "echo pushed-key-works");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("pushed-key-works"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(0));
    let user = std::env::var("USER").unwrap_or_else(|_| "root".into());
    assert!(emu().log().iter().any(|v| v["op"] == "SendSSHPublicKey"
        && v["target"] == id.as_str()
        && v["user"] == user.as_str()));
}

/// The child's output, or a failure naming what it printed when it takes longer than `limit`.
fn wait_at_most(mut child: std::process::Child, limit: Duration) -> std::process::Output {
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "still running after {limit:?}:\n{}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn ssmgo_ssh_makes_a_key_for_one_connection_and_pushes_it() {
    crate::needs_emulator!();
    let Some(run) = ssmgo().with_real_plugin() else {
        return;
    };
    let sshd = sshd("%u.keys");
    let group = emu().group("real-ephemeral");
    let id = group
        .instance("web")
        .tag("ssmgo:eic-keys-dir", &sshd.dir.path().display().to_string())
        .launch();
    let user = std::env::var("USER").unwrap_or_else(|_| "root".into());
    let port = sshd.port.to_string();
    let child = run
        .args([
            "ssh",
            &format!("{user}@{}", group.name("web")),
            "--",
            "-p",
            &port,
            "-o",
            "BatchMode=yes",
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            // ssh names the key files it tries, so the test knows which directory was the key's.
            "-v",
            "echo ephemeral-$((6*7)); exit 5",
        ])
        .into_command()
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let out = wait_at_most(child, WAIT);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("ephemeral-42"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(5), "ssh's status is ssmgo's");
    // The key pushed was one made for this connection, and it is gone from this machine.
    let pushed = std::fs::read_to_string(sshd.dir.path().join(format!("{user}.keys"))).unwrap();
    assert!(pushed.contains("ssmgo-ephemeral"), "{pushed}");
    // This run's own key directory, as ssh named it (other runs, this suite's in another
    // checkout say, may make and remove theirs meanwhile).
    let stderr = String::from_utf8_lossy(&out.stderr);
    let key = stderr
        .split_whitespace()
        .find(|w| w.contains("/ssmgo-ssh-") && w.ends_with("/id_ed25519"))
        .unwrap_or_else(|| panic!("ssh -v names the key it was given:\n{stderr}"));
    let dir = std::path::Path::new(key).parent().unwrap();
    assert!(
        !dir.exists(),
        "the key's directory {} is removed",
        dir.display()
    );
    assert!(emu()
        .log()
        .iter()
        .any(|v| v["op"] == "SendSSHPublicKey" && v["target"] == id.as_str()));
}

#[test]
fn sigterm_to_ssmgo_ssh_stops_ssh_removes_the_key_and_ends_the_session() {
    crate::needs_emulator!();
    let Some(run) = ssmgo().with_real_plugin() else {
        return;
    };
    let sshd = sshd("%u.keys");
    let group = emu().group("real-ssh-term");
    let id = group
        .instance("web")
        .tag("ssmgo:eic-keys-dir", &sshd.dir.path().display().to_string())
        .launch();
    let user = std::env::var("USER").unwrap_or_else(|_| "root".into());
    let port = sshd.port.to_string();
    // The key is made under TMPDIR: a directory of this test's own, which no other run shares.
    let tmp = tempfile::tempdir().unwrap();
    let run = run.env("TMPDIR", tmp.path());
    let key_dirs = || -> std::collections::BTreeSet<std::ffi::OsString> {
        std::fs::read_dir(tmp.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name())
            .filter(|n| n.to_string_lossy().starts_with("ssmgo-ssh-"))
            .collect()
    };
    let before = key_dirs();
    let mut ssh = run
        .args([
            "ssh",
            &format!("{user}@{}", group.name("web")),
            "--",
            "-p",
            &port,
            "-o",
            "BatchMode=yes",
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "echo ready-$((6*7)) >&2; sleep 120",
        ])
        .spawn();
    ssh.wait_for_stderr("ready-42", 1, WAIT);
    ssh.signal(libc::SIGTERM);
    let out = ssh.finish(WAIT);
    assert_eq!(out.code, Some(143), "{}", out.stderr);
    assert!(
        out.stderr.contains("told to stop (SIGTERM) while ssh ran"),
        "{}",
        out.stderr
    );
    assert_eq!(key_dirs(), before, "the key's directory is removed");
    // ssh ends its ProxyCommand (ssmgo ssh-proxy) with SIGHUP, which ends the session: by then,
    // or soon after.
    let started = std::time::Instant::now();
    loop {
        let sessions = emu().sessions_on(&id);
        if !sessions.is_empty() && sessions.iter().all(|s| s.status == "Terminated") {
            break;
        }
        assert!(started.elapsed() < WAIT, "left open: {sessions:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// `ssmgo ecs forward` with the real plugin until the tunnel is up, `check` given the local port,
/// then the group interrupted as Ctrl-C would; None without the real plugin.
fn through_an_ecs_tunnel(
    who: &crate::support::Principal,
    task: &str,
    mapping: impl Fn(u16) -> Vec<String>,
    check: impl FnOnce(u16),
) -> Option<String> {
    let run = ssmgo().signed_in_as(who).with_real_plugin()?;
    let local = free_port();
    let out = tempfile::NamedTempFile::new().unwrap();
    let mut args = vec!["ecs".to_owned(), "forward".to_owned(), task.to_owned()];
    args.extend(mapping(local));
    let mut cmd = run.args(args).into_command();
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    // One file, appended to by both streams (two plain handles would overwrite each other).
    let file = std::fs::OpenOptions::new()
        .append(true)
        .open(out.path())
        .unwrap();
    let mut child = cmd
        .stdout(file.try_clone().unwrap())
        .stderr(file)
        .spawn()
        .unwrap();
    let log = || std::fs::read_to_string(out.path()).unwrap_or_default();
    let started = std::time::Instant::now();
    while !log().contains("Waiting for connections") {
        assert!(
            started.elapsed() < WAIT,
            "the tunnel never opened: {}",
            log()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    check(local);
    // SAFETY: a process group this test created.
    unsafe {
        libc::killpg(child.id() as i32, libc::SIGINT);
    }
    let _ = child.wait();
    Some(log())
}

#[test]
fn ecs_forward_carries_a_real_connection_to_the_container_and_through_it() {
    crate::needs_emulator!();
    let g = emu().group("real-ecs-fwd");
    let cluster = emu().ecs_cluster(&g.name("c"));
    let task = emu().ecs_task(&cluster, &g.name("web")).launch();
    let policy = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["ssm:StartSession", "ssm:TerminateSession", "ssm:DescribeSessions", "ecs:ListClusters", "ecs:ListTasks", "ecs:DescribeTasks", "ecs:DescribeClusters", "ecs:DescribeTaskDefinition", "ssm:GetDocument", "ssm:ListTagsForResource", "iam:SimulatePrincipalPolicy", "iam:GetUser", "iam:ListUserTags", "sts:GetCallerIdentity"], "Resource": "*"}]}"#;
    let who = emu().user(&g.name("u"), &[("fwd", policy)]);
    // To a port of the container (this machine's loopback, in the emulator), pre-checked.
    let remote = http_server("hello-ecs");
    let Some(log) = through_an_ecs_tunnel(
        &who,
        &task.id,
        |local| vec![format!("{local}:{remote}")],
        |local| {
            let answer = get(local);
            assert!(answer.ends_with("hello-ecs"), "{answer}");
        },
    ) else {
        return;
    };
    assert!(
        log.contains("starting port forwarding from localhost:"),
        "{log}"
    );
    // Through the container to a host it reaches.
    let remote = http_server("hello-ecs-remote");
    through_an_ecs_tunnel(
        &who,
        &task.id,
        |local| {
            vec![
                format!("{local}:{remote}"),
                "--to".into(),
                "localhost".into(),
            ]
        },
        |local| {
            let answer = get(local);
            assert!(answer.ends_with("hello-ecs-remote"), "{answer}");
        },
    );
    let listed = ssmgo()
        .signed_in_as(&who)
        .args(["ecs", "list", "--cluster", &cluster, "--json"])
        .run()
        .expect_success()
        .json();
    let runtime = listed[0]["runtime_id"].as_str().unwrap().to_owned();
    let sessions = emu().sessions_on(&format!("ecs:{cluster}_{}_{runtime}", task.id));
    assert_eq!(sessions.len(), 2, "{sessions:?}");
    assert!(
        sessions.iter().all(|s| s.status == "Terminated"),
        "Ctrl-C ended each: {sessions:?}"
    );
}
