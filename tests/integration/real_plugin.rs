//! End to end with AWS's real session-manager-plugin (built from its source, in ../shared) and
//! the emulator's data channel (tests/emu/datachannel.py), which plays the agent and runs a real
//! shell in a pseudo-terminal. The recorder (tests/fake-plugin) still serves the tests that
//! inspect the exact arguments.

use std::time::Duration;

use crate::support::pty::Pty;
use crate::support::{emu, ssmgo};

const WAIT: Duration = Duration::from_secs(30);

#[test]
fn a_shell_through_the_real_plugin_runs_commands_knows_its_size_and_survives_ctrl_c() {
    let fleet = emu().fleet("real-shell");
    let id = fleet.instance("web").launch();
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
    pty.type_keys("sleep 30\r");
    std::thread::sleep(Duration::from_millis(500));
    pty.type_keys("\x03");
    pty.type_keys("echo after-$((1+1))\r");
    pty.wait_for("after-2", Duration::from_secs(10));
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
    let fleet = emu().fleet("real-unreachable");
    let id = fleet
        .instance("web")
        .tag("ssmgo:datachannel", "unreachable")
        .launch();
    let Some(mut run) = ssmgo().with_real_plugin() else {
        return;
    };
    let mut pty = Pty::spawn(run.command().args(["connect", &id, "--no-check"]));
    pty.wait_for("has not opened after 5 s", Duration::from_secs(20));
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
    let fleet = emu().fleet("real-badtoken");
    let id = fleet
        .instance("web")
        .tag("ssmgo:datachannel", "badtoken")
        .launch();
    let Some(mut run) = ssmgo().with_real_plugin() else {
        return;
    };
    let mut pty = Pty::spawn(run.command().args(["connect", &id, "--no-check"]));
    pty.wait_for("Starting session with SessionId", WAIT);
    // The plugin retries a channel that closes on it; the user gives up.
    pty.wait_for("has not opened after 5 s", Duration::from_secs(20));
    pty.type_keys("\x03");
    pty.wait(WAIT);
    let sessions = emu().sessions_on(&id);
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].status, "Terminated", "{}", pty.tail());
}

#[test]
fn a_shell_that_dies_mid_session_closes_the_channel_and_the_session() {
    let fleet = emu().fleet("real-killed");
    let id = fleet.instance("web").launch();
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
