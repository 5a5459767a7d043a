//! History (recent targets first, `ssmgo -`) and the listing cache (instant picker, changed and
//! vanished rows marked, stale and corrupt caches ignored).

use std::time::Duration;

use crate::support::pty::Pty;
use crate::support::{emu, ssmgo};

const WAIT: Duration = Duration::from_secs(30);

#[test]
fn dash_reconnects_to_the_last_instance_after_the_same_pre_check() {
    crate::needs_emulator!();
    let group = emu().group("dash");
    let first = group.instance("first").launch();
    let second = group.instance("second").launch();
    let home = tempfile::tempdir().unwrap();
    let me = emu().user(
        &group.name("user"),
        &[(
            "all",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        )],
    );
    let ssmgo = || crate::support::ssmgo().signed_in_as(&me);

    ssmgo()
        .in_home(home.path())
        .args(["-"])
        .run()
        .expect_code(4)
        .stderr_has("no previous connection");
    for id in [&first, &second] {
        ssmgo()
            .in_home(home.path())
            .args(["connect", id])
            .run()
            .expect_success();
    }
    let out = ssmgo()
        .in_home(home.path())
        .args(["-"])
        .run()
        .expect_success();
    assert_eq!(out.connected_target(), second);
    out.stderr_has("reconnecting to")
        .stderr_has(&group.name("second"));

    // A dry run of `-` shows the pre-check ran.
    let out = ssmgo()
        .in_home(home.path())
        .args(["connect", "-", "--dry-run"])
        .run();
    out.expect_success()
        .stdout_has("Pre-check:     allowed")
        .stdout_has(&second);
}

#[test]
fn the_picker_lists_recent_targets_first_most_recent_on_top() {
    crate::needs_emulator!();
    let group = emu().group("recent");
    let alpha = group.instance("alpha").launch();
    group.instance("bravo").launch();
    let charlie = group.instance("charlie").launch();
    let home = tempfile::tempdir().unwrap();
    for id in [&alpha, &charlie] {
        ssmgo()
            .in_home(home.path())
            .args(["connect", id])
            .run()
            .expect_success();
    }
    // Without recents, alpha would be first (by name); charlie was connected to last.
    let mut run =
        ssmgo()
            .in_home(home.path())
            .args(["connect", "--refresh", "-t", &group.filter()]);
    let mut pty = Pty::spawn(run.command());
    pty.wait_for(&group.name("bravo"), WAIT);
    pty.wait_for("recent", WAIT);
    // The whole listing is in, in its final order.
    pty.wait_for("3/3", WAIT);
    pty.type_keys("\r");
    let status = pty.wait(WAIT);
    assert_eq!(status.code(), Some(0), "{}", pty.tail());
    let out = run.outcome(status.code(), Vec::new(), Vec::new());
    assert_eq!(out.connected_target(), charlie);
}

#[test]
fn the_picker_opens_from_the_cache_and_marks_new_and_vanished_rows() {
    crate::needs_emulator!();
    let group = emu().group("cache");
    group.instance("keep").launch();
    let doomed = group.instance("doomed").launch();
    let home = tempfile::tempdir().unwrap();
    let listed = ssmgo()
        .in_home(home.path())
        .args(["list", "-t", &group.filter()])
        .run();
    assert_eq!(listed.expect_success().listed_ids().len(), 2);

    emu().terminate(&doomed);
    group.instance("newcomer").launch();
    let mut run = ssmgo()
        .in_home(home.path())
        .args(["connect", "-t", &group.filter()]);
    let mut pty = Pty::spawn(run.command());
    pty.wait_for(&group.name("newcomer"), WAIT);
    pty.wait_for("gone", WAIT);
    pty.wait_for("new ", WAIT);
    pty.type_keys("doomed");
    // The picker draws the prompt itself (the terminal is raw): it has taken the whole query.
    pty.wait_for("> doomed", WAIT);
    pty.type_keys("\r");
    let status = pty.wait(WAIT);
    assert_eq!(
        status.code(),
        Some(4),
        "picking a vanished row is refused: {}",
        pty.tail()
    );
    assert!(pty.text().contains("no longer listed"), "{}", pty.tail());
}

#[test]
fn corrupt_and_expired_caches_are_ignored_and_replaced() {
    crate::needs_emulator!();
    let group = emu().group("badcache");
    let only = group.instance("only").launch();
    let home = tempfile::tempdir().unwrap();
    ssmgo()
        .in_home(home.path())
        .args(["list", "-t", &group.filter()])
        .run()
        .expect_success();
    let cache_dir = home.path().join("cache/ssmgo");
    let files: Vec<_> = std::fs::read_dir(&cache_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    std::fs::write(&files[0], b"{\"ssmgo_cache\": 1, \"key\": {\"trunc").unwrap();

    let picker = |config: &str| {
        let mut run = ssmgo().in_home(home.path()).config(config).args([
            "-v",
            "connect",
            "-t",
            &group.filter(),
        ]);
        let mut pty = Pty::spawn(run.command());
        pty.wait_for(&group.name("only"), WAIT);
        pty.wait_for("1/1", WAIT);
        pty.type_keys("\r");
        let status = pty.wait(WAIT);
        assert_eq!(status.code(), Some(0), "{}", pty.tail());
        assert_eq!(
            run.outcome(status.code(), Vec::new(), Vec::new())
                .connected_target(),
            only
        );
        pty.text()
    };
    let screen = picker("");
    assert!(
        screen.contains("cached listing not used: it is unreadable"),
        "{screen}"
    );
    // The fresh listing replaced the corrupt file.
    let text = std::fs::read_to_string(&files[0]).unwrap();
    assert!(text.contains(&only), "{text}");

    // Time itself is the condition: the cached listing must outlive its 1 s ttl.
    std::thread::sleep(Duration::from_millis(2100));
    let screen = picker("cache-ttl = \"1s\"\n");
    assert!(
        screen.contains("cached listing not used: it is older than"),
        "{screen}"
    );
}
