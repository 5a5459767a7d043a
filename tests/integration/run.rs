//! `ssmgo run`: Run Command with real exit codes. The emulator (tests/emu/commands.py) runs each
//! instance's copy of the command on this machine, with AWS's concurrency and error limits.

use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::fault::{Fault, FaultProxy};
use crate::support::{emu, ssmgo};

/// How long a test waits for something that must happen.
const WAIT: Duration = Duration::from_secs(30);

/// The emulator's invocations of one command: (instance, status, start, end).
pub(crate) fn invocations(command_targets: &[String]) -> Vec<(String, String, f64, f64)> {
    emu()
        .log()
        .into_iter()
        .filter(|v| v["op"] == "Invocation")
        .filter(|v| command_targets.iter().any(|t| v["target"] == t.as_str()))
        .map(|v| {
            (
                v["target"].as_str().unwrap().to_owned(),
                v["status"].as_str().unwrap().to_owned(),
                v["start"].as_f64().unwrap(),
                v["end"].as_f64().unwrap(),
            )
        })
        .collect()
}

/// The instances `run --json` reports, in its order.
fn ran_on(out: &crate::support::Outcome) -> Vec<String> {
    out.json()
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["instance_id"].as_str().unwrap().to_owned())
        .collect()
}

/// The most invocations that were running at the same moment.
pub(crate) fn most_at_once(runs: &[(String, String, f64, f64)]) -> usize {
    runs.iter()
        .map(|(_, _, start, _)| {
            runs.iter()
                .filter(|(_, _, s, e)| s <= start && start < e)
                .count()
        })
        .max()
        .unwrap_or(0)
}

#[test]
fn one_target_gives_back_its_output_and_its_exit_status() {
    crate::needs_emulator!();
    let group = emu().group("run-one");
    let id = group.instance("web").launch();

    let out = ssmgo()
        .args(["run", &id, "--", "echo out; echo err >&2; exit 3"])
        .run()
        .expect_code(3);
    assert_eq!(out.stdout, "out\n");
    assert_eq!(out.stderr, "err\n");

    // Words are joined as ssh joins them; the instance's own id is in its environment.
    let out = ssmgo()
        .args(["run", &group.name("web"), "--", "echo", "$INSTANCE_ID"])
        .run()
        .expect_success();
    assert_eq!(out.stdout, format!("{id}\n"));
}

#[test]
fn fifty_tag_selected_targets_run_with_the_concurrency_limit_and_a_truthful_summary() {
    crate::needs_emulator!();
    let group = emu().group("run-fifty");
    let ids = group.instance("node").times(50).launch_all();
    let failing = ids[17].clone();

    let out = ssmgo()
        .args([
            "run",
            "-t",
            &group.filter(),
            "--max-concurrency",
            "5",
            "--max-errors",
            "10",
            "--",
            &format!(
                "sleep 0.2; echo \"hi from $INSTANCE_ID\"; test \"$INSTANCE_ID\" != {failing}"
            ),
        ])
        .run()
        .expect_code(7)
        .stderr_has("the command did not succeed on 1 of 50 targets");
    let name = group.name("node");
    for id in &ids {
        assert!(
            out.stdout.contains(&format!("{name} | hi from {id}\n")),
            "{id}'s line is missing:\n{}",
            out.stdout
        );
    }
    assert!(out
        .stdout
        .contains("50 targets: 49 succeeded, 1 failed, 0 timed out, cancelled or not run\n"));
    let failed_row = out
        .stdout
        .lines()
        .find(|l| l.contains(&failing) && l.contains("Failed"))
        .unwrap_or_else(|| panic!("no Failed row for {failing}:\n{}", out.stdout));
    assert!(failed_row.contains("Failed        1"), "{failed_row}");

    let runs = invocations(&ids);
    assert_eq!(runs.len(), 50, "every instance ran it once");
    let peak = most_at_once(&runs);
    assert!(peak <= 5, "{peak} ran at once with --max-concurrency 5");
    // What bounded it was the limit, handed to SSM with all fifty in one command (and not, say,
    // ssmgo sending one instance at a time): how many did overlap is up to the machine's load.
    let sent: Vec<Value> = emu()
        .log()
        .into_iter()
        .filter(|v| {
            v["op"] == "SendCommand"
                && v["targets"]
                    .as_array()
                    .is_some_and(|t| t.iter().any(|x| x == ids[0].as_str()))
        })
        .collect();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0]["targets"].as_array().unwrap().len(), 50);
    assert_eq!(sent[0]["max_concurrency"], "5");
    assert_eq!(sent[0]["max_errors"], "10");
}

#[test]
fn grouped_output_is_one_block_per_instance() {
    crate::needs_emulator!();
    let group = emu().group("run-group");
    let ids = group.instance("node").times(2).launch_all();
    let out = ssmgo()
        .args([
            "run",
            "-t",
            &group.filter(),
            "--group",
            "--",
            "printf 'a\\nb'",
        ])
        .run()
        .expect_success();
    let name = group.name("node");
    for id in &ids {
        assert!(
            out.stdout
                .contains(&format!("── {name} ({id}): Success, exit 0\na\nb\n")),
            "{}",
            out.stdout
        );
    }
}

#[test]
fn all_runs_on_every_instance_the_pickers_query_shows() {
    crate::needs_emulator!();
    let group = emu().group("run-all");
    let api = group.instance("api-blue").launch();
    let api2 = group.instance("api-green").launch();
    let db = group.instance("db-main").launch();
    let out = ssmgo()
        .args([
            "run",
            "--all",
            "-t",
            &group.filter(),
            "--json",
            "'api-blue",
            "--",
            "echo $INSTANCE_ID",
        ])
        .run()
        .expect_success();
    let ran = ran_on(&out);
    // The picker's syntax: 'word matches that exact text.
    assert_eq!(ran, vec![api.clone()]);
    let out = ssmgo()
        .args([
            "run",
            "--all",
            "-t",
            &group.filter(),
            "--json",
            "'-api-",
            "--",
            "true",
        ])
        .run()
        .expect_success();
    let mut ran = ran_on(&out);
    ran.sort();
    let mut expected = vec![api, api2];
    expected.sort();
    assert_eq!(ran, expected);
    assert!(!ran.contains(&db));
}

#[test]
fn the_config_file_sets_runs_defaults() {
    crate::needs_emulator!();
    let group = emu().group("run-config");
    let ids = group.instance("node").times(3).launch_all();
    ssmgo()
        .config("run-max-concurrency = \"1\"\nrun-max-errors = \"5\"\n")
        .args(["run", "-t", &group.filter(), "--", "sleep 0.2; exit 1"])
        .run()
        .expect_code(7)
        .stdout_has("3 targets: 0 succeeded, 3 failed");
    let runs = invocations(&ids);
    assert_eq!(runs.len(), 3, "max errors 5 let all three run: {runs:?}");
    assert_eq!(most_at_once(&runs), 1, "one at a time: {runs:?}");
}

#[test]
fn max_errors_stops_sending_to_more_instances() {
    crate::needs_emulator!();
    let group = emu().group("run-errors");
    let ids = group.instance("node").times(6).launch_all();
    let out = ssmgo()
        .args([
            "run",
            "-t",
            &group.filter(),
            "--max-concurrency",
            "1",
            "--json",
            "--",
            "exit 4",
        ])
        .run()
        .expect_code(7);
    let rows: Vec<Value> = out.json().as_array().unwrap().clone();
    assert_eq!(rows.len(), 6);
    let status = |s: &str| rows.iter().filter(|r| r["status"] == s).count();
    // MaxErrors 0 (the default): after the first failure nothing more is sent.
    assert_eq!(status("Failed"), 1, "{rows:?}");
    assert_eq!(status("Cancelled"), 5, "{rows:?}");
    assert!(rows.iter().any(|r| r["details"] == "Terminated"));
    let failed = rows.iter().find(|r| r["status"] == "Failed").unwrap();
    assert_eq!(failed["exit_code"], 4);
    assert_eq!(invocations(&ids).len(), 1);
}

#[test]
fn a_denied_target_is_named_before_anything_runs() {
    crate::needs_emulator!();
    let group = emu().group("run-denied");
    let ours = group.instance("ours").tag("Team", "a").launch();
    let theirs = group.instance("theirs").tag("Team", "b").launch();
    let policy = r#"{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "ssm:SendCommand", "Resource": "arn:aws:ssm:*::document/AWS-RunShellScript"},
  {"Effect": "Allow", "Action": "ssm:SendCommand", "Resource": "arn:aws:ec2:*:*:instance/*", "Condition": {"StringEquals": {"ssm:resourceTag/Team": "a"}}},
  {"Effect": "Allow", "Action": ["ec2:DescribeInstances", "ssm:DescribeInstanceInformation", "ssm:ListCommandInvocations", "ssm:GetCommandInvocation", "iam:SimulatePrincipalPolicy", "iam:GetUser", "iam:ListUserPolicies", "iam:GetUserPolicy", "iam:ListAttachedUserPolicies", "iam:ListGroupsForUser", "iam:ListUserTags"], "Resource": "*"}
]}"#;
    let dana = emu().user(&format!("{}-dana", group.scope), &[("run", policy)]);

    ssmgo()
        .signed_in_as(&dana)
        .args(["run", &ours, &theirs, "--", "touch /tmp/never"])
        .run()
        .expect_code(3)
        .stderr_has("ssmgo: the pre-check says you may not call ssm:SendCommand on:")
        .stderr_has(&format!("  {}-theirs ({theirs})", group.scope))
        .stderr_has("would allow it, but:")
        .stderr_has(
            "you may not run commands on 1 of 3 targets (ssm:SendCommand), so nothing was run",
        );
    assert!(
        !emu()
            .calls_by(&dana.arn)
            .iter()
            .any(|c| c.op == "SendCommand"),
        "nothing may be sent once a target is denied"
    );

    // The allowed one alone runs.
    ssmgo()
        .signed_in_as(&dana)
        .args(["run", &ours, "--", "echo fine"])
        .run()
        .expect_success()
        .stdout_has("fine");
}

#[test]
fn a_condition_only_aws_can_judge_is_left_to_aws() {
    crate::needs_emulator!();
    let group = emu().group("run-sourceip");
    let id = group.instance("web").launch();
    // Allowed from loopback only: the source address is AWS's to see (the emulator sees
    // 127.0.0.1), so the pre-check must not refuse.
    let policy = r#"{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "ssm:SendCommand", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "127.0.0.0/8"}}},
  {"Effect": "Allow", "Action": ["ec2:DescribeInstances", "ssm:DescribeInstanceInformation", "ssm:ListCommandInvocations", "ssm:GetCommandInvocation", "iam:SimulatePrincipalPolicy", "iam:GetUser", "iam:ListUserPolicies", "iam:GetUserPolicy", "iam:ListAttachedUserPolicies", "iam:ListGroupsForUser", "iam:ListUserTags"], "Resource": "*"}
]}"#;
    let ivy = emu().user(&format!("{}-ivy", group.scope), &[("run", policy)]);
    ssmgo()
        .signed_in_as(&ivy)
        .args(["run", &id, "--", "echo allowed"])
        .run()
        .expect_success()
        .stdout_has("allowed");
}

#[test]
fn an_instance_that_cant_be_reached_is_reported_not_sent() {
    crate::needs_emulator!();
    let group = emu().group("run-offline");
    let up = group.instance("up").launch();
    let down = group.instance("down").agent_offline().launch();
    ssmgo()
        .args(["run", &up, &down, "--", "true"])
        .run()
        .expect_code(7)
        .stderr_has(&format!(
            "ssmgo: not run on {}-down ({down}): its SSM agent is ConnectionLost",
            group.scope
        ))
        .stdout_has("2 targets: 1 succeeded, 0 failed, 1 timed out, cancelled or not run");
}

#[test]
fn one_target_that_cant_take_commands_is_exit_4_with_the_next_step() {
    crate::needs_emulator!();
    let group = emu().group("run-one-down");
    let down = group.instance("down").agent_offline().launch();
    ssmgo()
        .args(["run", &down, "--", "true"])
        .run()
        .expect_code(4)
        .stderr_has("cannot be connected to: its SSM agent is ConnectionLost")
        .stderr_has(&format!("`ssmgo doctor {down}` says why"));
}

#[test]
fn a_command_past_its_timeout_says_how_to_give_it_more() {
    crate::needs_emulator!();
    let group = emu().group("run-timeout");
    let id = group.instance("web").launch();
    ssmgo()
        .args(["run", &id, "--timeout", "1s", "--", "sleep 10"])
        .run()
        .expect_code(1)
        .stderr_has("TimedOut (Execution Timed Out)")
        .stderr_has("give it more with --timeout");
}

#[test]
fn long_output_cut_by_ssm_is_said_not_hidden() {
    crate::needs_emulator!();
    let group = emu().group("run-long");
    let id = group.instance("web").launch();
    let out = ssmgo()
        .args(["run", &id, "--", "head -c 30000 /dev/zero | tr '\\0' a"])
        .run()
        .expect_success()
        .stderr_has("SSM cut the output of")
        .stderr_has("at 24000 characters of stdout");
    assert_eq!(out.stdout.len(), 24_000);
}

#[test]
fn output_s3_gives_back_all_of_what_ssm_cut() {
    crate::needs_emulator!();
    let group = emu().group("run-s3");
    let id = group.instance("web").launch();
    let bucket = format!("ssmgo-{}", group.scope.to_lowercase()).replace('_', "-");
    let bucket = &bucket[..bucket.len().min(63)];
    emu().bucket(bucket);
    let out = ssmgo()
        .args([
            "run",
            &id,
            "--output-s3",
            &format!("{bucket}/runs"),
            "--",
            "head -c 30000 /dev/zero | tr '\\0' a; head -c 9000 /dev/zero | tr '\\0' e >&2",
        ])
        .run()
        .expect_success();
    assert_eq!(out.stdout.len(), 30_000, "all of stdout");
    assert_eq!(
        out.stderr.len(),
        9_000,
        "all of stderr: {}",
        &out.stderr[..200.min(out.stderr.len())]
    );
    assert!(out.stdout.bytes().all(|b| b == b'a'));
}

#[test]
fn ctrl_c_cancels_the_command_where_it_still_runs() {
    crate::needs_emulator!();
    let group = emu().group("run-cancel");
    let ids = group.instance("slow").times(2).launch_all();
    // Far longer than the test waits for anything: a script still running when the test looks
    // was not stopped.
    let child = ssmgo()
        .args(["run", "-t", &group.filter(), "--", "sleep 300"])
        .into_command()
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Until both are running it: the emulator logs the SendCommand, then each script's start.
    let until = |what: &str, found: &dyn Fn(&[Value]) -> bool| {
        let began = Instant::now();
        while !found(&emu().log()) {
            assert!(began.elapsed() < WAIT, "{what}");
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    let sent = |log: &[Value]| -> Option<String> {
        log.iter()
            .find(|v| {
                v["op"] == "SendCommand"
                    && v["targets"]
                        .as_array()
                        .is_some_and(|t| t.len() == 2 && t.iter().any(|x| x == ids[0].as_str()))
            })
            .and_then(|v| v["command"].as_str().map(str::to_owned))
    };
    until("no SendCommand was logged", &|log| sent(log).is_some());
    let command = sent(&emu().log()).unwrap();
    let of_command = |log: &[Value], op: &str| {
        log.iter()
            .filter(|v| v["op"] == op && v["command"] == command.as_str())
            .cloned()
            .collect::<Vec<Value>>()
    };
    until("the scripts never started", &|log| {
        of_command(log, "InvocationStarted").len() == 2
    });
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("ssmgo: interrupted: cancelled the command where it still ran"),
        "{stderr}"
    );
    assert_eq!(
        of_command(&emu().log(), "CancelCommand").len(),
        1,
        "{stderr}"
    );
    // The emulator's scripts were stopped, not left to finish (they would take minutes).
    until("the invocations did not end", &|log| {
        of_command(log, "Invocation").len() == 2
    });
    let runs = of_command(&emu().log(), "Invocation");
    assert!(runs.iter().all(|r| r["status"] == "Cancelled"), "{runs:?}");
}

#[test]
fn ctrl_c_while_the_command_is_being_sent_still_cancels_it() {
    crate::needs_emulator!();
    let group = emu().group("run-cancel-early");
    let id = group.instance("slow").launch();
    // SendCommand is held on its way until the test has sent SIGINT: the signal comes while
    // ssmgo waits for SendCommand's answer, before it has seen the command's state once.
    let (arrived, on_its_way) = std::sync::mpsc::channel::<()>();
    let (release, released) = std::sync::mpsc::channel::<()>();
    let held = std::sync::Mutex::new((arrived, released));
    let proxy = FaultProxy::start(&emu().endpoint, move |call| {
        if call.operation == "SendCommand" {
            let held = held.lock().unwrap();
            let _ = held.0.send(());
            let _ = held.1.recv_timeout(WAIT);
        }
        Fault::Forward
    });
    let child = ssmgo()
        .env("AWS_ENDPOINT_URL", &proxy.url)
        .args(["run", &id, "--", "sleep 300"])
        .into_command()
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    on_its_way
        .recv_timeout(WAIT)
        .expect("ssmgo never sent SendCommand");
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    release.send(()).unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Not killed by the signal: it lived to cancel what it had sent.
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("ssmgo: interrupted: cancelled the command where it still ran"),
        "{stderr}"
    );
    let log = emu().log();
    let command = log
        .iter()
        .find(|v| {
            v["op"] == "SendCommand"
                && v["targets"]
                    .as_array()
                    .is_some_and(|t| t.iter().any(|x| x == id.as_str()))
        })
        .and_then(|v| v["command"].as_str())
        .expect("the command was sent");
    assert!(
        log.iter()
            .any(|v| v["op"] == "CancelCommand" && v["command"] == command),
        "the command was cancelled: {stderr}"
    );
}
