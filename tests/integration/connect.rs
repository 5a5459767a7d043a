//! `ssmgo connect`: resolving the target, and the hand-off to session-manager-plugin.

use serde_json::Value;

use crate::support::{emu, ssmgo, REGION};

const RESPONSE_ENV: &str = "AWS_SSM_START_SESSION_RESPONSE";

fn argv(record: &Value) -> Vec<String> {
    record["argv"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_name_connects_through_a_current_plugin_with_the_token_only_in_the_environment() {
    crate::needs_emulator!();
    let group = emu().group("handoff");
    let id = group.instance("web").launch();

    let out = ssmgo()
        .args(["connect", &group.name("web")])
        .run()
        .expect_success();
    let record = out.plugin();
    let argv = argv(record);
    assert_eq!(argv.len(), 7, "program + six arguments: {argv:?}");
    assert_eq!(argv[1], RESPONSE_ENV);
    assert_eq!(argv[2], REGION);
    assert_eq!(argv[3], "StartSession");
    assert_eq!(argv[4], "", "no --profile: empty profile argument");
    let request: Value = serde_json::from_str(&argv[5]).unwrap();
    assert_eq!(request, serde_json::json!({"Target": id}));
    assert_eq!(argv[6], emu().endpoint);

    let response: Value =
        serde_json::from_str(record["env"][RESPONSE_ENV].as_str().unwrap()).unwrap();
    let token = response["TokenValue"].as_str().unwrap();
    assert!(!token.is_empty());
    assert!(
        argv.iter().all(|a| !a.contains(token)),
        "the token never goes on a command line"
    );

    let sessions = emu().sessions_on(&id);
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].id, response["SessionId"]);
    assert_eq!(
        sessions[0].status, "Terminated",
        "a session still open when the plugin exits is closed by ssmgo"
    );
}

#[test]
fn a_plugin_that_exits_0_without_opening_the_data_channel_is_a_failure_and_leaves_nothing_open() {
    crate::needs_emulator!();
    let group = emu().group("nochannel");
    let id = group.instance("web").launch();
    ssmgo()
        .env("FAKE_SMP_NO_CHANNEL", "1")
        .args(["connect", &id])
        .run()
        .expect_code(1)
        .stderr_has("exited without opening the session's data channel");
    let sessions = emu().sessions_on(&id);
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].status, "Terminated");
}

#[test]
fn an_old_plugin_gets_the_response_as_its_first_argument() {
    crate::needs_emulator!();
    let group = emu().group("oldplugin");
    let id = group.instance("web").launch();

    let out = ssmgo()
        .plugin_version("1.2.497.0")
        .args(["connect", &id])
        .run()
        .expect_success();
    let record = out.plugin();
    let response: Value = serde_json::from_str(&argv(record)[1]).unwrap();
    assert!(
        response["SessionId"].is_string()
            && response["TokenValue"].is_string()
            && response["StreamUrl"].is_string()
    );
    assert!(record["env"].get(RESPONSE_ENV).is_none());
}

#[test]
fn the_plugin_gets_the_named_profile_and_default_signal_handling() {
    crate::needs_emulator!();
    let group = emu().group("profile");
    let id = group.instance("web").launch();

    let out = ssmgo()
        .aws_config("[profile ops]\nregion = us-east-1\naws_access_key_id = testing\naws_secret_access_key = testing\n")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .args(["--profile", "ops", "connect", &id])
        .run()
        .expect_success();
    let record = out.plugin();
    assert_eq!(argv(record)[4], "ops");
    let ignored: Vec<i64> = record["sig_ignored"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    for sig in [libc::SIGINT, libc::SIGQUIT, libc::SIGTSTP] {
        assert!(
            !ignored.contains(&(sig as i64)),
            "the plugin must receive signal {sig}: ignored {ignored:?}"
        );
    }
}

#[test]
fn document_parameters_and_reason_reach_start_session_and_the_plugin() {
    crate::needs_emulator!();
    let group = emu().group("document");
    let id = group.instance("web").launch();

    let out = ssmgo()
        .args([
            "connect",
            &id,
            "--document",
            "AWS-StartInteractiveCommand",
            "--parameters",
            r#"{"command": ["top -b"]}"#,
            "--reason",
            "ticket OPS-42",
        ])
        .run()
        .expect_success();
    let request: Value = serde_json::from_str(&argv(out.plugin())[5]).unwrap();
    assert_eq!(
        request,
        serde_json::json!({
            "Target": id,
            "DocumentName": "AWS-StartInteractiveCommand",
            "Parameters": {"command": ["top -b"]},
            "Reason": "ticket OPS-42",
        })
    );
}

#[test]
fn ctrl_c_while_the_plugin_runs_belongs_to_the_remote_shell() {
    crate::needs_emulator!();
    let group = emu().group("sigint");
    let id = group.instance("web").launch();

    let out = ssmgo()
        .env("FAKE_SMP_SIGINT_PARENT", "1")
        .args(["connect", &id])
        .run();
    out.expect_success();
}

#[test]
fn a_plugin_killed_by_a_signal_has_its_session_terminated() {
    crate::needs_emulator!();
    let group = emu().group("crash");
    let id = group.instance("web").launch();

    ssmgo()
        .plugin_killed_by(libc::SIGKILL)
        .args(["connect", &id])
        .run()
        .expect_code(1)
        .stderr_has("killed by signal 9")
        .stderr_has("was terminated");
    let sessions = emu().sessions_on(&id);
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].status, "Terminated");
}

#[test]
fn a_plugin_that_fails_has_its_session_terminated() {
    crate::needs_emulator!();
    let group = emu().group("pluginfail");
    let id = group.instance("web").launch();

    ssmgo()
        .plugin_exits_with(3)
        .args(["connect", &id])
        .run()
        .expect_code(1)
        .stderr_has("exited with status 3");
    assert_eq!(emu().sessions_on(&id)[0].status, "Terminated");
}

#[test]
fn a_dry_run_shows_the_request_and_command_and_starts_nothing() {
    crate::needs_emulator!();
    let group = emu().group("dryrun");
    let id = group.instance("web").launch();

    let out = ssmgo()
        .args([
            "connect",
            &group.name("web"),
            "--dry-run",
            "--reason",
            "look",
        ])
        .run()
        .expect_success()
        .stdout_has(&format!(
            r#"StartSession:  {{"Target":"{id}","Reason":"look"}}"#
        ))
        .stdout_has(&format!("{RESPONSE_ENV}="))
        .stdout_has("<redacted>")
        .stdout_has(&format!(
            "session-manager-plugin {RESPONSE_ENV} {REGION} StartSession ''"
        ))
        .stdout_has("no session was started");
    assert!(out.plugin.is_none(), "the plugin never ran");
    assert_eq!(emu().sessions_on(&id), []);
}

#[test]
fn an_ambiguous_name_lists_the_candidates_and_connects_to_none() {
    crate::needs_emulator!();
    let group = emu().group("ambiguous");
    let a = group.instance("web").launch();
    let b = group.instance("web").launch();

    ssmgo()
        .args(["connect", &group.name("web")])
        .run()
        .expect_code(4)
        .stderr_has("matches 2 running instances")
        .stderr_has(&a)
        .stderr_has(&b)
        .stderr_has("Pass the instance id instead");
    assert_eq!(emu().sessions_on(&a), []);
    assert_eq!(emu().sessions_on(&b), []);
}

#[test]
fn a_name_shared_with_a_stopped_instance_picks_the_running_one() {
    crate::needs_emulator!();
    let group = emu().group("onerunning");
    group.instance("web").stopped().launch();
    let running = group.instance("web").launch();

    let out = ssmgo()
        .args(["connect", &group.name("web")])
        .run()
        .expect_success();
    let request: Value = serde_json::from_str(&argv(out.plugin())[5]).unwrap();
    assert_eq!(request["Target"], running.as_str());
}

#[test]
fn an_unknown_name_without_a_terminal_is_not_found() {
    crate::needs_emulator!();
    let group = emu().group("unknown");
    ssmgo()
        .args(["connect", &group.name("nothing-here")])
        .run()
        .expect_code(4)
        .stderr_has("no instance has the id or Name")
        .stderr_has("ssmgo list");
}

#[test]
fn an_unknown_instance_id_is_not_found() {
    crate::needs_emulator!();
    ssmgo()
        .args(["connect", "i-0000000000000dead"])
        .run()
        .expect_code(4)
        .stderr_has("i-0000000000000dead");
    ssmgo()
        .args(["connect", "mi-0000000000000dead"])
        .run()
        .expect_code(4)
        .stderr_has("mi-0000000000000dead");
}

#[test]
fn an_unmanaged_instance_is_refused_with_what_ssm_needs() {
    crate::needs_emulator!();
    let group = emu().group("unmanaged");
    let id = group
        .instance("web")
        .unmanaged()
        .running_for_an_hour()
        .launch();

    ssmgo()
        .args(["connect", &id])
        .run()
        .expect_code(4)
        .stderr_has("not managed by SSM")
        // The doctor runs and finds the one thing wrong: no agent ever reached SSM although
        // everything it needs is there.
        .stderr_has("ssmgo: doctor: problem (registration): not registered with SSM")
        .stderr_has("the SSM agent is not installed or not running on it");
}

#[test]
fn an_offline_agent_is_explained_when_ssm_refuses_the_session() {
    crate::needs_emulator!();
    let group = emu().group("offline");
    let id = group
        .instance("web")
        .agent_offline()
        .running_for_an_hour()
        .launch();

    let out = ssmgo()
        .args(["connect", &id])
        .run()
        .expect_code(4)
        .stderr_has(&format!("SSM says {id} is not connected"))
        .stderr_has("ssmgo: doctor: problem (registration): managed, but ConnectionLost since its last ping")
        .stderr_has("restart the agent on the instance")
        .stderr_has(&format!("`ssmgo doctor {id}` checks again"));
    assert!(out.plugin.is_none());
}

#[test]
fn without_a_target_or_a_terminal_ssmgo_asks_for_a_target() {
    for args in [vec![], vec!["connect"]] {
        ssmgo()
            .args(args)
            .run()
            .expect_code(2)
            .stderr_has("Pass a TARGET");
    }
}

#[test]
fn plugin_versions_written_unusually_still_keep_the_token_off_the_command_line() {
    crate::needs_emulator!();
    let group = emu().group("oddversion");
    let id = group.instance("web").launch();
    for (version, warned) in [
        ("v1.2.694.0", false),
        ("1.2.694.0-beta", false),
        ("", true),
        ("garbage", true),
    ] {
        let out = ssmgo()
            .plugin_version(version)
            .args(["connect", &id])
            .run()
            .expect_success();
        let record = out.plugin();
        let argv = argv(record);
        assert_eq!(argv[1], RESPONSE_ENV, "{version:?}");
        let response = record["env"][RESPONSE_ENV].as_str().unwrap();
        let token: Value = serde_json::from_str(response).unwrap();
        let token = token["TokenValue"].as_str().unwrap();
        assert!(argv.iter().all(|a| !a.contains(token)), "{version:?}");
        assert_eq!(
            out.stderr.contains("could not read the version"),
            warned,
            "{version:?}: {}",
            out.stderr
        );
    }
}

#[test]
fn a_plugin_that_never_answers_its_version_is_stopped_and_no_session_starts() {
    crate::needs_emulator!();
    let group = emu().group("hungplugin");
    let id = group.instance("web").launch();
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("plugin.pid");
    // The plugin sleeps 600 s before it would answer: the message below is only printed when
    // ssmgo gives up on it at its own deadline instead (a plugin that answered late would be
    // read, not stopped).
    ssmgo()
        .env("FAKE_SMP_VERSION_HANG", &pid_file)
        .args(["connect", &id])
        .run()
        .expect_code(1)
        .stderr_has("gave no answer within 5 s");
    // Stopped, not left asleep: it would sleep for minutes yet.
    let pid = std::fs::read_to_string(&pid_file).expect("the hung plugin wrote its pid");
    let pid: i32 = pid.trim().parse().unwrap();
    assert!(
        crate::support::stops_within(pid, std::time::Duration::from_secs(30)),
        "the hung plugin {pid} was left running"
    );
    assert!(emu().sessions_on(&id).is_empty());
}
