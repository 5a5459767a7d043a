//! Stopped instances: started (asked on a terminal, or with --start), waited for until their
//! agent is Online, then connected to — in one command.

use std::time::Duration;

use crate::precheck::{user, READS};
use crate::support::pty::Pty;
use crate::support::{emu, ssmgo};

const WAIT: Duration = Duration::from_secs(30);

#[test]
fn start_starts_a_stopped_instance_waits_for_its_agent_and_connects() {
    crate::needs_emulator!();
    let group = emu().group("start");
    // After the start the agent stays ConnectionLost this long, and the emulator refuses
    // StartSession meanwhile (TargetNotConnected).
    let id = group
        .instance("web")
        .tag("ssmgo:boot-seconds", "3")
        .stopped()
        .launch();
    let out = ssmgo()
        .args(["connect", &id, "--start", "--no-check"])
        .run()
        .expect_success()
        .stderr_has(&format!("ssmgo: starting {}", group.name("web")))
        // Which states the progress lines name depends on when the polls fall (the boot is
        // shorter than two polls, and a poll on a busy machine may come after it): a line it
        // prints at once, then one per change.
        .stderr_has(&format!(
            "ssmgo: waiting for {} ({id}) to be running and Online: ",
            group.name("web")
        ));
    assert_eq!(out.connected_target(), id);
    // It waited for the agent instead of trying before the boot ended: one StartSession on the
    // instance, and the emulator answers it only once the agent is Online.
    let tries = emu()
        .log()
        .into_iter()
        .filter(|v| v["op"] == "StartSession" && v["target"] == id.as_str())
        .count();
    assert_eq!(tries, 1, "{}", out.stderr);
    assert_eq!(emu().sessions_on(&id).len(), 1);
}

#[test]
fn on_a_terminal_ssmgo_asks_before_starting_a_stopped_instance() {
    crate::needs_emulator!();
    let group = emu().group("askstart");
    let id = group.instance("web").stopped().launch();
    let mut run = ssmgo().args(["connect", &id, "--no-check"]);
    let mut pty = Pty::spawn(run.command());
    pty.wait_for("is stopped. Start it and connect when it is ready?", WAIT);
    pty.type_keys("y");
    let status = pty.wait(WAIT);
    assert_eq!(status.code(), Some(0), "{}", pty.tail());
    let out = run.outcome(status.code(), Vec::new(), Vec::new());
    assert_eq!(out.connected_target(), id);
}

#[test]
fn an_answer_of_no_starts_nothing() {
    crate::needs_emulator!();
    let group = emu().group("nostart");
    let id = group.instance("web").stopped().launch();
    let mut run = ssmgo().args(["connect", &id, "--no-check"]);
    let mut pty = Pty::spawn(run.command());
    pty.wait_for("Start it and connect when it is ready?", WAIT);
    pty.type_keys("n");
    let status = pty.wait(WAIT);
    assert_eq!(status.code(), Some(4), "{}", pty.tail());
    assert!(pty.text().contains("--start"), "{}", pty.tail());
    let listed = ssmgo()
        .args(["list", "--all", "-t", &group.filter()])
        .run()
        .expect_success();
    assert_eq!(listed.json()[0]["state"], "stopped");
    assert_eq!(emu().sessions_on(&id), []);
}

#[test]
fn waiting_has_a_limit_and_says_what_it_last_saw() {
    crate::needs_emulator!();
    let group = emu().group("startlimit");
    let id = group
        .instance("web")
        // Far longer than anything the test waits for: the agent is still booting when ssmgo
        // gives up and when its doctor looks, however slow the machine.
        .tag("ssmgo:boot-seconds", "3600")
        .stopped()
        .launch();
    ssmgo()
        .args(["connect", &id, "--start", "--wait=3s", "--no-check"])
        .run()
        .expect_code(4)
        .stderr_has("it was not running and Online after 3 s (last seen: running, SSM agent ConnectionLost)")
        // The doctor looked and found nothing wrong but the boot itself.
        .stderr_has("ssmgo: doctor: unknown (registration): ConnectionLost: it started")
        .stderr_has("its agent may still be booting")
        .stderr_has("--wait=10m");
    assert_eq!(emu().sessions_on(&id), []);
}

#[test]
fn the_pre_check_covers_starting_the_instance() {
    crate::needs_emulator!();
    let group = emu().group("startdenied");
    let id = group.instance("web").stopped().launch();
    // May connect, may not start.
    let policy = format!(
        r#"{{"Version": "2012-10-17", "Statement": [
  {{"Effect": "Allow", "Action": "ssm:StartSession", "Resource": "*"}},
  {READS}]}}"#
    );
    let dana = user(&group, "dana", &policy);
    ssmgo()
        .signed_in_as(&dana)
        .args(["connect", &id, "--start"])
        .run()
        .expect_code(3)
        .stderr_has("you may not start")
        .stderr_has("ec2:StartInstances on arn:aws:ec2:us-east-1:123456789012:instance/")
        .stderr_has("implicitDeny");
    let listed = ssmgo()
        .args(["list", "--all", "-t", &group.filter()])
        .run()
        .expect_success();
    assert_eq!(listed.json()[0]["state"], "stopped", "nothing was started");
}

#[test]
fn on_a_terminal_a_name_shared_by_running_instances_offers_the_choice() {
    crate::needs_emulator!();
    let group = emu().group("twins");
    let a = group.instance("twin").launch();
    let b = group.instance("twin").launch();
    let mut run = ssmgo().args(["connect", &group.name("twin"), "--no-check"]);
    let mut pty = Pty::spawn(run.command());
    pty.wait_for("2 running instances are named", WAIT);
    pty.wait_for("launched", WAIT);
    let screen = pty.rendered();
    let (first, second) = match (screen.find(&a), screen.find(&b)) {
        (Some(pa), Some(pb)) if pa < pb => (a.clone(), b.clone()),
        (Some(_), Some(_)) => (b.clone(), a.clone()),
        _ => panic!("both ids are offered: {screen}"),
    };
    assert!(!first.is_empty());
    // Down once (j, as the arrow key), then Enter: the second one offered.
    pty.type_keys("j");
    pty.type_keys("\r");
    let status = pty.wait(WAIT);
    assert_eq!(status.code(), Some(0), "{}", pty.tail());
    let out = run.outcome(status.code(), Vec::new(), Vec::new());
    assert_eq!(out.connected_target(), second);
}

#[test]
fn on_a_terminal_an_expired_sso_session_is_offered_aws_sso_login_once() {
    let bin = tempfile::tempdir().unwrap();
    let record = bin.path().join("aws-ran");
    std::fs::write(
        bin.path().join("aws"),
        format!("#!/bin/sh\necho \"$@\" >> '{}'\n", record.display()),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        bin.path().join("aws"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    let mut run = ssmgo()
        .aws_config(
            "[profile corp]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n\
             sso_account_id = 123456789012\nsso_role_name = Ops\nregion = us-east-1\n",
        )
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env("PATH", format!("{}:/usr/bin:/bin", bin.path().display()))
        .args(["--profile", "corp", "list"]);
    let mut pty = Pty::spawn(run.command());
    pty.wait_for("Run `aws sso login --profile corp` now?", WAIT);
    pty.type_keys("y");
    let status = pty.wait(WAIT);
    // This fake login mends nothing: the second try fails as the first, and is not offered again.
    assert_eq!(status.code(), Some(1), "{}", pty.tail());
    assert_eq!(
        std::fs::read_to_string(&record).unwrap(),
        "sso login --profile corp\n",
        "run once, with its arguments as words (no shell)"
    );
    assert_eq!(
        pty.text().matches("now? [Y/n]").count(),
        1,
        "asked once: {}",
        pty.tail()
    );
    assert!(pty.text().contains("aws sso login --profile corp"));
}
