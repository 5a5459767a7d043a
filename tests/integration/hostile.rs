//! Hostile data and crowded files: tag values that try to drive the terminal, and several ssmgo
//! runs writing the same history and cache at once.

use crate::support::{emu, ssmgo};

/// What must never reach a terminal raw: C1 controls (the 8-bit CSI and OSC, which some
/// terminals obey like ESC [ and ESC ]), bidi overrides, zero-width characters, line separators.
const DANGEROUS: [char; 6] = [
    '\u{9b}', '\u{9d}', '\u{202e}', '\u{200b}', '\u{2028}', '\u{7}',
];

#[track_caller]
fn assert_neutral(what: &str, text: &str) {
    let raw: Vec<char> = text.chars().filter(|c| DANGEROUS.contains(c)).collect();
    assert!(raw.is_empty(), "{what} lets {raw:?} through:\n{text}");
}

#[test]
fn hostile_tags_are_neutralised_wherever_shown_and_kept_as_data_in_json() {
    crate::needs_emulator!();
    let group = emu().group("hostile");
    // EC2's XML can't carry ESC or BEL; these it can: an OSC 52 clipboard write (8-bit OSC ...
    // ST), a screen clear by 8-bit CSI, a bidi override, a zero-width space, a line separator,
    // 8 KB of text.
    let clipboard = "\u{9d}52;c;cm0gLXJmIH4=\u{9c}";
    let name = format!("{}-web\u{9b}2J\u{200b}", group.scope);
    let owner = format!("ops\u{202e}dev\u{2028}x{clipboard}{}", "A".repeat(8 * 1024));
    let id = group
        .instance("plain")
        .tag("Name", &name)
        .tag("Owner", &owner)
        .launch();

    let table = ssmgo()
        .args(["list", "-t", &group.filter(), "-t", "Owner"])
        .env("COLUMNS", "200")
        .run()
        .expect_success();
    // Not a terminal: JSON, with every character kept (escaped as JSON escapes them).
    let rows = table.json();
    assert_eq!(rows[0]["name"], name.as_str());
    assert_eq!(rows[0]["tags"]["Owner"], owner.as_str());
    assert_neutral("list --json", &table.stdout);

    let mut run = ssmgo().args(["list", "-t", &group.filter(), "-t", "Owner"]);
    let mut pty = crate::support::pty::Pty::spawn(run.command());
    assert!(pty.wait(std::time::Duration::from_secs(30)).success());
    assert_neutral("the table", &pty.text());
    assert!(
        pty.text().contains("\\u{202e}"),
        "shown visibly: {}",
        pty.tail()
    );

    // The pre-check's explanation quotes the instance's tags; -v traces the calls.
    let check = ssmgo().args(["-v", "check", &id]).run();
    assert_neutral("check -v", &format!("{}{}", check.stdout, check.stderr));
    // Errors quote what the user typed and what AWS holds.
    let missing = ssmgo().args(["connect", &name]).run();
    assert_neutral("a connect error", &missing.stderr);
    let dry = ssmgo()
        .args(["connect", &id, "--dry-run"])
        .run()
        .expect_success();
    assert_neutral(
        "connect --dry-run",
        &format!("{}{}", dry.stdout, dry.stderr),
    );
}

#[test]
fn runs_that_end_together_lose_no_history_and_tear_no_cache() {
    crate::needs_emulator!();
    let group = emu().group("together");
    let ids: Vec<String> = (0..6)
        .map(|n| group.instance(&format!("web-{n}")).launch())
        .collect();
    let home = tempfile::tempdir().unwrap();
    let connects: Vec<_> = ids
        .iter()
        .map(|id| {
            ssmgo()
                .in_home(home.path())
                .args(["connect", id, "--no-check"])
                .into_command()
                .spawn()
                .unwrap()
        })
        .collect();
    let lists: Vec<_> = (0..6)
        .map(|_| {
            ssmgo()
                .in_home(home.path())
                .args(["list", "-t", &group.filter()])
                .into_command()
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in connects.into_iter().chain(lists) {
        assert!(child.wait().unwrap().success());
    }
    let history = std::fs::read_to_string(home.path().join("state/ssmgo/history.json")).unwrap();
    let history: serde_json::Value = serde_json::from_str(&history).unwrap();
    let recorded: Vec<&str> = history["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["instance_id"].as_str())
        .collect();
    for id in &ids {
        assert!(
            recorded.contains(&id.as_str()),
            "{id} lost from {recorded:?}"
        );
    }
    let caches: Vec<_> = std::fs::read_dir(home.path().join("cache/ssmgo"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(!caches.is_empty());
    for cache in caches {
        let text = std::fs::read_to_string(&cache).unwrap();
        assert!(
            serde_json::from_str::<serde_json::Value>(&text).is_ok(),
            "{} is torn",
            cache.display()
        );
    }
}

#[test]
fn a_cache_that_cannot_be_written_does_not_fail_the_listing() {
    crate::needs_emulator!();
    let group = emu().group("nocache");
    group.instance("web").launch();
    let home = tempfile::tempdir().unwrap();
    // A file where the cache directory should be: no directory can be made there, even by root.
    std::fs::write(home.path().join("not-a-dir"), "").unwrap();
    let out = ssmgo()
        .in_home(home.path())
        .env("XDG_CACHE_HOME", home.path().join("not-a-dir"))
        .args(["-v", "list", "-t", &group.filter()])
        .run()
        .expect_success()
        .stderr_has("could not write the listing cache");
    assert_eq!(out.listed_ids().len(), 1);
}

#[test]
fn a_corrupt_truncated_or_foreign_history_is_set_aside_not_fatal() {
    crate::needs_emulator!();
    let group = emu().group("badhist");
    let id = group.instance("web").launch();
    for (what, text) in [
        ("corrupt", "\u{0}\u{1}garbage{{{"),
        (
            "truncated",
            r#"{"ssmgo_history": 1, "entries": [{"instance_id": "i-"#,
        ),
        ("foreign", r#"{"ssmgo_history": 99, "entries": "not ours"}"#),
    ] {
        let home = tempfile::tempdir().unwrap();
        let state = home.path().join("state/ssmgo");
        std::fs::create_dir_all(&state).unwrap();
        std::fs::write(state.join("history.json"), text).unwrap();
        ssmgo()
            .in_home(home.path())
            .args(["-"])
            .run()
            .expect_code(4)
            .stderr_has("no previous connection");
        ssmgo()
            .in_home(home.path())
            .args(["connect", &id, "--no-check"])
            .run()
            .expect_success();
        let after = std::fs::read_to_string(state.join("history.json")).unwrap();
        assert!(
            after.contains(&id),
            "{what}: the history starts again: {after}"
        );
    }
}

/// `run` with files limited to `bytes` (RLIMIT_FSIZE): a write past it fails with EFBIG, as a
/// full disk fails one with ENOSPC, without needing a full disk.
fn with_file_size_limit(run: crate::support::Ssmgo, bytes: u64) -> std::process::Output {
    use std::os::unix::process::CommandExt;
    let mut cmd = run.into_command();
    // SAFETY: setrlimit and signal are async-signal-safe.
    unsafe {
        cmd.pre_exec(move || {
            // The default action of SIGXFSZ ends the process; a full disk sends no signal.
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let limit = libc::rlimit {
                rlim_cur: bytes,
                rlim_max: bytes,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd.output().unwrap()
}

#[test]
fn a_full_disk_fails_no_listing_or_session_and_tears_no_file() {
    crate::needs_emulator!();
    let group = emu().group("fulldisk");
    let id = group.instance("web-1").launch();
    let home = tempfile::tempdir().unwrap();
    ssmgo()
        .in_home(home.path())
        .args(["list", "-t", &group.filter()])
        .run()
        .expect_success();
    ssmgo()
        .in_home(home.path())
        .args(["connect", &id, "--no-check"])
        .run()
        .expect_success();
    let files = |dir: &str| -> Vec<(std::path::PathBuf, String)> {
        let mut files: Vec<_> = std::fs::read_dir(home.path().join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .map(|p| {
                let text = std::fs::read_to_string(&p).unwrap();
                (p, text)
            })
            .collect();
        files.sort();
        files
    };
    let (cache_before, history_before) = (files("cache/ssmgo"), files("state/ssmgo"));
    group.instance("web-2").launch();

    let listed = with_file_size_limit(
        ssmgo()
            .in_home(home.path())
            .args(["-v", "list", "-t", &group.filter()]),
        64,
    );
    let stderr = String::from_utf8_lossy(&listed.stderr);
    assert!(listed.status.success(), "{stderr}");
    let rows: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 2, "the listing is whole");
    assert!(
        stderr.contains("could not write the listing cache"),
        "{stderr}"
    );
    let connected = with_file_size_limit(
        ssmgo()
            .in_home(home.path())
            // The recorder would hit the limit too; what it records is not the point here.
            .env("FAKE_SMP_RECORD", "/dev/null")
            .args(["connect", &id, "--no-check"]),
        64,
    );
    assert!(
        connected.status.success(),
        "{}",
        String::from_utf8_lossy(&connected.stderr)
    );
    // The files from before are whole and unchanged; no temporary file is left behind.
    assert_eq!(files("cache/ssmgo"), cache_before);
    assert_eq!(files("state/ssmgo"), history_before);
    for dir in ["cache/ssmgo", "state/ssmgo"] {
        let leftovers: Vec<_> = std::fs::read_dir(home.path().join(dir))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "{dir}: {leftovers:?}");
    }
}
