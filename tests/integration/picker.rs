//! The picker, driven through a pseudo-terminal as a person would.

use std::time::Duration;

use crate::support::pty::Pty;
use crate::support::{emu, ssmgo};

const WAIT: Duration = Duration::from_secs(30);

#[test]
fn typing_a_query_and_enter_connects_to_the_matching_instance() {
    crate::needs_emulator!();
    let group = emu().group("pick");
    group.instance("alpha").launch();
    let wanted = group.instance("bravo").launch();
    group.instance("charlie").launch();

    let mut run = ssmgo().args(["connect", "-t", &group.filter()]);
    let mut pty = Pty::spawn(run.command());
    pty.wait_for(&group.name("charlie"), WAIT);
    pty.type_keys("bravo");
    // The picker draws the prompt itself (the terminal is raw): it has taken the whole query.
    pty.wait_for("> bravo", WAIT);
    pty.type_keys("\r");
    let status = pty.wait(WAIT);
    let out = run.outcome(status.code(), Vec::new(), Vec::new());
    assert_eq!(status.code(), Some(0), "{}", pty.tail());
    assert_eq!(out.connected_target(), wanted);
    assert!(pty.terminal_is_cooked(), "the terminal is restored");
}

#[test]
fn a_target_that_is_no_name_opens_the_picker_with_it_as_the_query() {
    crate::needs_emulator!();
    let group = emu().group("prefill");
    let wanted = group.instance("delta-one").launch();
    group.instance("echo-two").launch();

    let mut run = ssmgo().args(["connect", "delta", "-t", &group.filter()]);
    let mut pty = Pty::spawn(run.command());
    // Rows are only ever shown through the query it was opened with.
    pty.wait_for(&group.name("delta-one"), WAIT);
    pty.type_keys("\r");
    let status = pty.wait(WAIT);
    assert_eq!(status.code(), Some(0), "{}", pty.tail());
    let out = run.outcome(status.code(), Vec::new(), Vec::new());
    assert_eq!(out.connected_target(), wanted);
}

#[test]
fn escape_cancels_with_status_130_and_restores_the_terminal() {
    crate::needs_emulator!();
    let group = emu().group("escape");
    let id = group.instance("alpha").launch();

    let mut run = ssmgo().args(["-t", &group.filter()]);
    let mut pty = Pty::spawn(run.command());
    pty.wait_for(&group.name("alpha"), WAIT);
    pty.type_keys("\x1b");
    let status = pty.wait(WAIT);
    assert_eq!(status.code(), Some(130), "{}", pty.tail());
    assert!(pty.terminal_is_cooked(), "raw mode was left on");
    assert!(
        pty.screen().contains("\x1b[?1049l"),
        "the alternate screen is left"
    );
    assert_eq!(emu().sessions_on(&id), []);
}

#[test]
fn a_stop_signal_closes_the_picker_restores_the_terminal_and_starts_nothing() {
    crate::needs_emulator!();
    let group = emu().group("sigpick");
    let id = group.instance("alpha").launch();
    for (signal, name) in [
        (libc::SIGTERM, "SIGTERM"),
        (libc::SIGHUP, "SIGHUP"),
        (libc::SIGQUIT, "SIGQUIT"),
        (libc::SIGINT, "SIGINT"),
    ] {
        let mut run = ssmgo().args(["connect", "-t", &group.filter()]);
        let mut pty = Pty::spawn(run.command());
        pty.wait_for(&group.name("alpha"), WAIT);
        // SAFETY: kill(2) on the child this test started (ssmgo alone, as a supervisor does).
        unsafe {
            libc::kill(pty.pid() as i32, signal);
        }
        let status = pty.wait(WAIT);
        assert_eq!(status.code(), Some(128 + signal), "{name}: {}", pty.tail());
        assert!(pty.terminal_is_cooked(), "{name}: raw mode was left on");
        assert!(
            pty.screen().contains("\x1b[?1049l"),
            "{name}: the alternate screen is left"
        );
        pty.wait_for(
            &format!("told to stop ({name}) while the picker was open"),
            WAIT,
        );
    }
    assert_eq!(emu().sessions_on(&id), []);
}

#[test]
fn the_picker_survives_a_resize_and_a_stop_and_continue() {
    crate::needs_emulator!();
    let group = emu().group("winch");
    group.instance("alpha").launch();
    let wanted = group.instance("bravo").launch();

    let mut run = ssmgo().args(["connect", "-t", &group.filter()]);
    let mut pty = Pty::spawn(run.command());
    pty.wait_for(&group.name("alpha"), WAIT);
    pty.resize(60, 12);
    // Ctrl-Z is a key in raw mode; a stop from outside stops ssmgo, SIGCONT resumes it (fg).
    // SIGSTOP, as SIGTSTP does nothing here: ssmgo leads its own session, and the kernel drops
    // SIGTSTP to an orphaned process group. Resumed once it has stopped (a SIGCONT sent while
    // the stop is still pending would cancel it).
    // SAFETY: signals to the child this test started.
    unsafe {
        libc::kill(pty.pid() as i32, libc::SIGSTOP);
    }
    let stopped = || {
        std::fs::read_to_string(format!("/proc/{}/stat", pty.pid()))
            .ok()
            .and_then(|stat| {
                let (_, rest) = stat.rsplit_once(')')?;
                rest.trim_start().chars().next()
            })
            == Some('T')
    };
    let asked = std::time::Instant::now();
    while !stopped() {
        assert!(asked.elapsed() < WAIT, "ssmgo never stopped");
        std::thread::sleep(Duration::from_millis(20));
    }
    // SAFETY: as above.
    unsafe {
        libc::kill(pty.pid() as i32, libc::SIGCONT);
    }
    pty.resize(100, 20);
    pty.type_keys("bravo");
    pty.wait_for("> bravo", WAIT);
    pty.type_keys("\r");
    let status = pty.wait(WAIT);
    assert_eq!(status.code(), Some(0), "{}", pty.tail());
    let out = run.outcome(status.code(), Vec::new(), Vec::new());
    assert_eq!(out.connected_target(), wanted);
    assert!(pty.terminal_is_cooked());
}

#[test]
fn ctrl_c_cancels_with_status_130() {
    crate::needs_emulator!();
    let group = emu().group("ctrlc");
    group.instance("alpha").launch();

    let mut run = ssmgo().args(["connect", "-t", &group.filter()]);
    let mut pty = Pty::spawn(run.command());
    pty.wait_for(&group.name("alpha"), WAIT);
    pty.type_keys("\x03");
    let status = pty.wait(WAIT);
    assert_eq!(status.code(), Some(130), "{}", pty.tail());
    assert!(pty.terminal_is_cooked());
}

#[test]
fn an_empty_listing_closes_the_picker_with_the_filters_named() {
    crate::needs_emulator!();
    let group = emu().group("emptypick");
    let mut run = ssmgo().args(["connect", "-t", &group.filter()]);
    let mut pty = Pty::spawn(run.command());
    let status = pty.wait(WAIT);
    assert_eq!(status.code(), Some(4), "{}", pty.tail());
    assert!(
        pty.screen().contains("no instance matches"),
        "{}",
        pty.tail()
    );
    assert!(pty.terminal_is_cooked());
}

#[test]
fn with_two_regions_the_picked_row_connects_in_its_own_region() {
    crate::needs_emulator!();
    let group = emu().group("pick2r");
    group.instance("east").launch();
    let west = group.instance("west").in_region("eu-west-1").launch();

    let mut run = ssmgo().args([
        "--region",
        "us-east-1,eu-west-1",
        "connect",
        "--refresh",
        "-t",
        &group.filter(),
    ]);
    let mut pty = Pty::spawn(run.command());
    pty.wait_for(&group.name("east"), WAIT);
    pty.wait_for("/eu-west-1", WAIT);
    pty.type_keys("west");
    pty.wait_for("> west", WAIT);
    pty.type_keys("\r");
    let status = pty.wait(WAIT);
    assert_eq!(status.code(), Some(0), "{}", pty.tail());
    let out = run.outcome(status.code(), Vec::new(), Vec::new());
    let argv = out.plugin()["argv"].as_array().unwrap().clone();
    assert_eq!(argv[2], "eu-west-1", "the plugin is told the row's region");
    assert_eq!(out.connected_target(), west);
}
