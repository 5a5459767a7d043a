//! ECS Exec against the emulator (tests/emu/ecs.py): a container listed, picked, pre-checked and
//! opened with AWS's real plugin in one command; the pre-check catching what the emulator's
//! ExecuteCommand would refuse (the cluster allowed but not the task, a container-name condition
//! that doesn't hold), each with its mirror image from AWS's side; the ECS doctor naming each
//! cause, healthy and broken; its short form when ExecuteCommand fails.

use std::time::Duration;

use serde_json::Value;

use crate::precheck::READS;
use crate::support::fault::{Fault, FaultProxy, Gate};
use crate::support::pty::Pty;
use crate::support::{emu, ssmgo, Principal};

const WAIT: Duration = Duration::from_secs(30);

/// What a caller needs besides ecs:ExecuteCommand: to list the tasks, read a cluster and a task
/// definition, and what the pre-check reads.
const ECS_READS: &str = r#"{"Effect": "Allow", "Action": ["ecs:ListClusters", "ecs:ListTasks", "ecs:DescribeTasks", "ecs:DescribeClusters", "ecs:DescribeTaskDefinition", "ssm:DescribeSessions"], "Resource": "*"}"#;

fn user(name: &str, statement: &str) -> Principal {
    let policy =
        format!(r#"{{"Version": "2012-10-17", "Statement": [{statement}, {ECS_READS}, {READS}]}}"#);
    emu().user(name, &[("ecs-exec", &policy)])
}

/// `ssmgo ecs TASK --container app` as `who`, with the recorder as plugin (a started session is
/// recorded, not opened).
fn exec(who: &Principal, task: &str, extra: &[&str]) -> crate::support::Outcome {
    let mut args = vec!["ecs", task, "--container", "app"];
    args.extend_from_slice(extra);
    ssmgo().signed_in_as(who).args(args).run()
}

#[test]
fn a_container_is_listed_picked_pre_checked_and_opened_with_the_real_plugin() {
    crate::needs_emulator!();
    let g = emu().group("ecs-e2e");
    let cluster = emu().ecs_cluster(&g.name("c"));
    let other = emu()
        .ecs_task(&cluster, &g.name("other"))
        .service("api")
        .launch();
    let task = emu()
        .ecs_task(&cluster, &g.name("web"))
        .service("web")
        .launch();
    let who = user(
        &g.name("u"),
        r#"{"Effect": "Allow", "Action": "ecs:ExecuteCommand", "Resource": "*"}"#,
    );
    let Some(mut run) = ssmgo().signed_in_as(&who).with_real_plugin() else {
        return;
    };
    let mut pty = Pty::spawn(run.command().args(["ecs", "--cluster", &cluster]));
    pty.wait_for(&other.id, WAIT);
    pty.wait_for(&task.id, WAIT);
    pty.type_keys(&task.id[..12]);
    pty.wait_for(&format!("> {}", &task.id[..12]), WAIT);
    pty.type_keys("\r");
    pty.wait_for(
        "Starting session with SessionId: ecs-execute-command-",
        WAIT,
    );
    pty.wait_for("sh-remote$", WAIT);
    pty.type_keys("echo $((6*7))\r");
    pty.wait_for("\n42", WAIT);
    pty.type_keys("exit\r");
    let status = pty.wait(WAIT);
    assert!(status.success(), "{}", pty.tail());
    let text = pty.text();
    assert!(
        !text.contains("could not run"),
        "the pre-check ran: {}",
        pty.tail()
    );
    assert!(pty.terminal_is_cooked(), "the terminal is restored");
    // The session the plugin opened was ExecuteCommand's, on the container's runtime id.
    let listed = ssmgo()
        .args(["ecs", "list", "--cluster", &cluster, "--json"])
        .run()
        .json();
    let row = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["task_id"] == task.id.as_str())
        .expect("the task is listed")
        .clone();
    let target = format!(
        "ecs:{cluster}_{}_{}",
        task.id,
        row["runtime_id"].as_str().unwrap()
    );
    let sessions = emu().sessions_on(&target);
    assert_eq!(sessions.len(), 1, "{sessions:?}");
    assert_eq!(sessions[0].status, "Terminated");
}

#[test]
fn list_says_cluster_service_task_container_launch_type_platform_and_exec() {
    crate::needs_emulator!();
    let g = emu().group("ecs-list");
    let cluster = emu().ecs_cluster(&g.name("c"));
    let on = emu()
        .ecs_task(&cluster, &g.name("on"))
        .service("web")
        .containers(&[("app", false), ("sidecar", false)])
        .tag("Env", "prod")
        .launch();
    let off = emu()
        .ecs_task(&cluster, &g.name("off"))
        .exec_disabled()
        .launch();
    let rows = ssmgo()
        .args(["ecs", "list", "--cluster", &cluster, "--json"])
        .run()
        .json();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 3, "{rows:?}");
    let of = |task: &str, container: &str| -> Value {
        rows.iter()
            .find(|r| r["task_id"] == task && r["container"] == container)
            .cloned()
            .unwrap_or_else(|| panic!("{task}/{container} in {rows:?}"))
    };
    let app = of(&on.id, "app");
    assert_eq!(app["cluster"], cluster.as_str());
    assert_eq!(app["service"], "web");
    assert_eq!(app["launch_type"], "FARGATE");
    assert_eq!(app["platform_version"], "1.4.0");
    assert_eq!(app["exec_enabled"], true);
    assert_eq!(app["agent_status"], "RUNNING");
    assert_eq!(app["tags"]["Env"], "prod");
    assert_eq!(of(&on.id, "sidecar")["exec_enabled"], true);
    let disabled = of(&off.id, "app");
    assert_eq!(disabled["exec_enabled"], false);
    assert_eq!(disabled["agent_status"], Value::Null);
    // Filters: a tag, a container name.
    let prod = ssmgo()
        .args([
            "ecs",
            "list",
            "--cluster",
            &cluster,
            "-t",
            "Env=dev,pr?d",
            "--container",
            "sidecar",
            "--json",
        ])
        .run()
        .json();
    assert_eq!(prod.as_array().unwrap().len(), 1, "{prod}");
    ssmgo()
        .args(["ecs", "list", "--cluster", &cluster, "-t", "Env=none"])
        .run()
        .expect_code(4);
    // Words instead of a task id name a container when they are all in its row.
    ssmgo()
        .args(["ecs", "check", "--cluster", &cluster, "no-such-service"])
        .run()
        .expect_code(4)
        .stderr_has("no running container matches \"no-such-service\"");
    // A spec as for instances; a bad one is refused before any AWS call.
    ssmgo()
        .args([
            "ecs",
            "list",
            "--cluster",
            &cluster,
            "-t",
            "Env",
            "-t",
            "Env=x",
        ])
        .run()
        .expect_code(2)
        .stderr_has("filtered twice");
}

#[test]
fn allowed_on_the_cluster_but_not_the_task_is_caught_before_the_call_and_explained() {
    crate::needs_emulator!();
    let g = emu().group("ecs-cluster-only");
    let cluster = emu().ecs_cluster(&g.name("c"));
    let task = emu().ecs_task(&cluster, &g.name("web")).launch();
    let cluster_arn = format!("arn:aws:ecs:us-east-1:123456789012:cluster/{cluster}");
    let who = user(
        &g.name("u"),
        &format!(
            r#"{{"Sid": "ClusterOnly", "Effect": "Allow", "Action": "ecs:ExecuteCommand", "Resource": "{cluster_arn}"}}"#
        ),
    );
    // AWS's side (the emulator, no pre-check): refused, and then explained.
    exec(&who, &task.id, &["--no-check"])
        .expect_code(3)
        .stderr_has("AWS denied ecs:ExecuteCommand")
        .stderr_has("ssmgo: why AWS most likely refused:")
        .stderr_has(&format!("the task {}: implicitDeny", task.arn))
        .stderr_has("no policy allows ecs:ExecuteCommand on the task");
    // The config's `check = "off"` is --no-check here too.
    ssmgo()
        .signed_in_as(&who)
        .config("check = \"off\"\n")
        .args(["ecs", &task.id, "--container", "app"])
        .run()
        .expect_code(3)
        .stderr_has("AWS denied ecs:ExecuteCommand");
    // The pre-check: refused before ExecuteCommand, the task named, the statement shown.
    exec(&who, &task.id, &[])
        .expect_code(3)
        .stderr_has("ecs:ExecuteCommand on ")
        .stderr_has("would be DENIED")
        .stderr_has(&format!("ok     cluster {cluster_arn}: allowed"))
        .stderr_has(&format!("DENIED task {}: implicitDeny", task.arn))
        .stderr_has("no policy allows ecs:ExecuteCommand on the task")
        .stderr_has("statement 1 \"ClusterOnly\"");
    let check = ssmgo()
        .signed_in_as(&who)
        .args(["ecs", "check", &task.id, "--json"])
        .run();
    assert_eq!(check.code, Some(3));
    let check = check.json();
    assert_eq!(check["decision"], "denied");
    let kinds: Vec<(&str, &str)> = check["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["kind"].as_str().unwrap(), r["decision"].as_str().unwrap()))
        .collect();
    assert_eq!(kinds, [("cluster", "allowed"), ("task", "implicitDeny")]);
    // The fix, proven on this request by ssmgo's evaluation and then by AWS's side: the
    // corrected policy in place, ExecuteCommand goes through.
    let tasks = format!("arn:aws:ecs:us-east-1:123456789012:task/{cluster}/*");
    exec(&who, &task.id, &[])
        .stderr_has(&format!(
            "Fix: add the cluster's tasks ({tasks}) to the Resource"
        ))
        .stderr_has("ecs:ExecuteCommand on this request, before and after the fix:")
        .stderr_has(&format!(
            "this task             implicitDeny  -> allowed        {}",
            task.arn
        ));
    let fixed = check["fix"]["Statement"][0].to_string();
    assert!(fixed.contains(&tasks), "{fixed}");
    let fixed_user = user(&g.name("fixed"), &fixed);
    let ok = exec(&fixed_user, &task.id, &[]).expect_success();
    assert!(ok.started_request()["Target"]
        .as_str()
        .unwrap()
        .starts_with("ecs:"));
}

#[test]
fn a_tag_condition_the_cluster_does_not_meet_is_fixed_with_a_statement_of_its_own() {
    crate::needs_emulator!();
    let g = emu().group("ecs-cluster-tag");
    let cluster = emu().ecs_cluster(&g.name("c"));
    let task = emu()
        .ecs_task(&cluster, &g.name("web"))
        .tag("Env", "dev")
        .launch();
    let cluster_arn = format!("arn:aws:ecs:us-east-1:123456789012:cluster/{cluster}");
    // The policy ECS's documentation leads to: cluster and tasks in one statement under the
    // task's tag. The cluster has no such tag.
    let who = user(
        &g.name("u"),
        r#"{"Sid": "DevExec", "Effect": "Allow", "Action": "ecs:ExecuteCommand", "Resource": ["arn:aws:ecs:us-east-1:123456789012:cluster/*", "arn:aws:ecs:us-east-1:123456789012:task/*"], "Condition": {"StringEquals": {"ecs:ResourceTag/Env": "dev", "ecs:container-name": "app"}}}"#,
    );
    exec(&who, &task.id, &["--no-check"])
        .expect_code(3)
        .stderr_has("AWS denied ecs:ExecuteCommand");
    exec(&who, &task.id, &[])
        .expect_code(3)
        .stderr_has(&format!("DENIED cluster {cluster_arn}: implicitDeny"))
        .stderr_has("statement 1 \"DevExec\"")
        .stderr_has("Fix: give the cluster its own statement without the resource-tag condition.")
        .stderr_has("\"Sid\": \"DevExecCluster\"")
        .stderr_has(&format!(
            "the cluster           implicitDeny  -> allowed        {cluster_arn}"
        ))
        .stderr_has(&format!(
            "this task             allowed       -> allowed        {}",
            task.arn
        ));
    let check = ssmgo()
        .signed_in_as(&who)
        .args(["ecs", "check", &task.id, "--json"])
        .run()
        .json();
    // The whole corrected policy: the split statement, then the reads as they were.
    let statements = check["fix"]["Statement"].as_array().expect("a fix").clone();
    assert_eq!(statements.len(), 4, "{statements:?}");
    assert_eq!(
        statements[1]["Condition"],
        serde_json::json!({"StringEquals": {"ecs:container-name": "app"}}),
        "the container condition stays, the tag condition goes"
    );
    // AWS's side agrees with the proof: with the fix, ExecuteCommand goes through.
    let fixed = statements[..2]
        .iter()
        .map(Value::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let fixed_user = user(&g.name("fixed"), &fixed);
    exec(&fixed_user, &task.id, &["--no-check"]).expect_success();
}

#[test]
fn a_container_name_condition_that_does_not_hold_is_caught_and_one_that_holds_goes_through() {
    crate::needs_emulator!();
    let g = emu().group("ecs-container-name");
    let cluster = emu().ecs_cluster(&g.name("c"));
    let task = emu()
        .ecs_task(&cluster, &g.name("web"))
        .containers(&[("app", false), ("nginx", false)])
        .launch();
    let who = user(
        &g.name("u"),
        r#"{"Sid": "OnlyNginx", "Effect": "Allow", "Action": "ecs:ExecuteCommand", "Resource": "*", "Condition": {"StringEquals": {"ecs:container-name": "nginx"}}}"#,
    );
    exec(&who, &task.id, &["--no-check"])
        .expect_code(3)
        .stderr_has("AWS denied ecs:ExecuteCommand");
    exec(&who, &task.id, &[])
        .expect_code(3)
        .stderr_has("statement 1 \"OnlyNginx\"")
        .stderr_has("StringEquals ecs:container-name: expected \"nginx\"")
        .stderr_has("\"app\"");
    // The container the condition names: allowed, and AWS agrees (the recorder plays the plugin).
    let ok = ssmgo()
        .signed_in_as(&who)
        .args(["ecs", &task.id, "--container", "nginx"])
        .run()
        .expect_success();
    let target = ok.started_request()["Target"].as_str().unwrap().to_owned();
    assert!(
        target.starts_with(&format!("ecs:{cluster}_{}_", task.id)),
        "{target}"
    );
}

#[test]
fn an_mfa_conditioned_deny_depends_on_mfa_instead_of_being_a_denial() {
    crate::needs_emulator!();
    let g = emu().group("ecs-mfa");
    let cluster = emu().ecs_cluster(&g.name("c"));
    let task = emu().ecs_task(&cluster, &g.name("web")).launch();
    let policy = format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "ecs:ExecuteCommand", "Resource": "*"}},
        {{"Sid": "NoMfaNoExec", "Effect": "Deny", "Action": "ecs:ExecuteCommand", "Resource": "*", "Condition": {{"BoolIfExists": {{"aws:MultiFactorAuthPresent": "false"}}}}}},
        {ECS_READS}, {READS}]}}"#
    );
    let (_, who) = emu().assumed_role(&g.name("r"), "/", &[("ecs-exec", &policy)]);
    let check = ssmgo()
        .signed_in_as(&who)
        .args(["ecs", "check", &task.id, "--json"])
        .run();
    assert_eq!(check.code, Some(5), "{}", check.stderr);
    let check = check.json();
    assert_eq!(check["decision"], "unknown");
    let deps: Vec<&str> = check["resources"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["depends_on"].as_array().unwrap())
        .map(|d| d["key"].as_str().unwrap())
        .collect();
    assert!(
        deps.iter()
            .all(|k| k.eq_ignore_ascii_case("aws:MultiFactorAuthPresent"))
            && !deps.is_empty(),
        "{check}"
    );
}

/// `ssmgo ecs doctor TASK --json`: each check's status by name, and the exit code.
fn doctor(task: &str) -> (Option<i32>, Vec<(String, String)>, Value) {
    doctor_as(None, task)
}

/// The same as `who` (the caller's own side of the configuration is simulated then).
fn doctor_as(who: Option<&Principal>, task: &str) -> (Option<i32>, Vec<(String, String)>, Value) {
    let run = match who {
        Some(who) => ssmgo().signed_in_as(who),
        None => ssmgo(),
    };
    let out = run.args(["ecs", "doctor", task, "--json"]).run();
    let report = out.json();
    let statuses = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["check"].as_str().unwrap().to_owned(),
                f["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    (out.code, statuses, report)
}

fn status_of<'a>(statuses: &'a [(String, String)], check: &str) -> &'a str {
    &statuses.iter().find(|(c, _)| c == check).expect(check).1
}

#[test]
fn the_doctor_finds_nothing_wrong_with_a_healthy_task() {
    crate::needs_emulator!();
    let g = emu().group("ecs-doc-ok");
    let cluster = emu().ecs_cluster(&g.name("c"));
    let task = emu().ecs_task(&cluster, &g.name("web")).launch();
    let (code, statuses, report) = doctor(&task.id);
    assert_eq!(code, Some(0), "{report}");
    for (check, status) in &statuses {
        assert_eq!(status, "ok", "{check}: {report}");
    }
    let names: Vec<&str> = statuses.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(
        names,
        [
            "exec-enabled",
            "platform",
            "rootfs",
            "agent",
            "task-role",
            "configuration",
            "network"
        ]
    );
}

#[test]
fn the_doctor_names_each_cause_with_its_evidence_and_next_step() {
    crate::needs_emulator!();
    let g = emu().group("ecs-doc-bad");
    let cluster = emu().ecs_cluster(&g.name("c"));
    let cases: Vec<(&str, crate::support::ecs::Task, &[&str], &str)> = vec![
        (
            "exec disabled",
            emu().ecs_task(&cluster, &g.name("off")).service("web").exec_disabled().launch(),
            &["exec-enabled", "agent"],
            "--enable-execute-command --force-new-deployment",
        ),
        (
            "old platform",
            emu().ecs_task(&cluster, &g.name("old")).platform_version("1.3.0").launch(),
            &["platform", "agent"],
            "--platform-version 1.4.0",
        ),
        (
            "read-only root",
            emu().ecs_task(&cluster, &g.name("ro")).containers(&[("app", true)]).launch(),
            &["rootfs"],
            "readonlyRootFilesystem to false",
        ),
        (
            "no task role",
            emu().ecs_task(&cluster, &g.name("norole")).task_role_policy(None).launch(),
            &["task-role"],
            "taskRoleArn",
        ),
        (
            "task role without the channels",
            emu()
                .ecs_task(&cluster, &g.name("nochan"))
                .task_role_policy(Some(r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["ssmmessages:CreateControlChannel", "ssmmessages:OpenControlChannel"], "Resource": "*"}]}"#))
                .launch(),
            &["task-role"],
            "ssmmessages:CreateDataChannel, ssmmessages:OpenDataChannel",
        ),
        (
            "no way to ssmmessages",
            emu().ecs_task(&cluster, &g.name("closed")).no_way_out().launch(),
            &["network"],
            "ssmmessages",
        ),
    ];
    for (cause, task, problems, next) in cases {
        let (code, statuses, report) = doctor(&task.id);
        assert_eq!(code, Some(6), "{cause}: {report}");
        for (check, status) in &statuses {
            let expected = match problems.contains(&check.as_str()) {
                true => "problem",
                false => "ok",
            };
            assert_eq!(status, expected, "{cause}: {check}: {report}");
        }
        assert!(report.to_string().contains(next), "{cause}: {report}");
        // AWS's side agrees: ExecuteCommand fails, and the doctor's short form says why.
        ssmgo()
            .args(["ecs", &task.id, "--no-check"])
            .run()
            .expect_code(4)
            .stderr_has(&format!("ssmgo: doctor: problem ({})", problems[0]));
    }
}

#[test]
fn a_task_without_awsvpc_is_judged_by_its_container_instances_network() {
    crate::needs_emulator!();
    let g = emu().group("ecs-doc-bridge");
    for (way_out, status) in [(true, "ok"), (false, "problem")] {
        let family = g.name(if way_out { "open" } else { "closed" });
        // A cluster each: ECS places a task on any instance of its cluster.
        let cluster = emu().ecs_cluster(&format!("{family}-c"));
        let (task, instance) = emu().ecs_task_on_instance(&cluster, &family, way_out);
        let (_, statuses, report) = doctor(&task.id);
        assert_eq!(status_of(&statuses, "network"), status, "{report}");
        let network = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["check"] == "network")
            .unwrap()
            .to_string();
        assert!(
            network.contains(&format!("its container instance {instance}")),
            "{network}"
        );
        if !way_out {
            // AWS's side agrees: the agent can't reach ssmmessages, the session can't open.
            ssmgo()
                .args(["ecs", &task.id, "--no-check"])
                .run()
                .expect_code(4)
                .stderr_has("ssmgo: doctor: problem (network)");
        }
    }
}

#[test]
fn the_doctor_checks_the_clusters_kms_key_and_logging_permissions() {
    crate::needs_emulator!();
    let g = emu().group("ecs-doc-conf");
    let key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    let cluster = emu().ecs_cluster_configured(&g.name("c"), Some(key), Some(&g.name("logs")));
    let bare = emu().ecs_task(&cluster, &g.name("bare")).launch();
    let plain = user(
        &g.name("plain"),
        r#"{"Effect": "Allow", "Action": "ecs:ExecuteCommand", "Resource": "*"}"#,
    );
    let (code, statuses, report) = doctor_as(Some(&plain), &bare.id);
    assert_eq!(code, Some(6), "{report}");
    assert_eq!(status_of(&statuses, "configuration"), "problem", "{report}");
    let text = report.to_string();
    assert!(
        text.contains(&format!("task role kms:Decrypt on {key}")),
        "{report}"
    );
    assert!(
        text.contains(&format!("you kms:GenerateDataKey on {key}")),
        "{report}"
    );
    assert!(text.contains("s3:PutObject"), "{report}");
    ssmgo()
        .args(["ecs", &bare.id, "--no-check"])
        .run()
        .expect_code(4)
        .stderr_has("ssmgo: doctor: problem (configuration)");
    let full = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel", "kms:Decrypt", "s3:PutObject", "s3:GetEncryptionConfiguration"], "Resource": "*"}]}"#;
    let good = emu()
        .ecs_task(&cluster, &g.name("good"))
        .task_role_policy(Some(full))
        .launch();
    let keyed = user(
        &g.name("keyed"),
        r#"{"Effect": "Allow", "Action": ["ecs:ExecuteCommand", "kms:GenerateDataKey"], "Resource": "*"}"#,
    );
    let (code, statuses, report) = doctor_as(Some(&keyed), &good.id);
    assert_eq!(status_of(&statuses, "configuration"), "ok", "{report}");
    assert_eq!(code, Some(0), "{report}");
}

#[test]
fn the_hand_off_is_the_aws_clis_token_in_the_environment_and_a_failed_plugin_ends_the_session() {
    crate::needs_emulator!();
    let g = emu().group("ecs-handoff");
    let cluster = emu().ecs_cluster(&g.name("c"));
    let task = emu().ecs_task(&cluster, &g.name("web")).launch();
    let who = user(
        &g.name("u"),
        r#"{"Effect": "Allow", "Action": "ecs:ExecuteCommand", "Resource": "*"}"#,
    );
    let ok = exec(&who, &task.id, &[]).expect_success();
    let plugin = ok.plugin();
    let argv: Vec<&str> = plugin["argv"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    // response (by name), region, StartSession, profile, {"Target": ...}, the ECS endpoint.
    assert_eq!(argv[1], "AWS_SSM_START_SESSION_RESPONSE");
    assert_eq!(&argv[2..5], ["us-east-1", "StartSession", ""]);
    assert_eq!(argv[6], emu().endpoint);
    let target = ok.started_request()["Target"].as_str().unwrap().to_owned();
    assert!(
        target.starts_with(&format!("ecs:{cluster}_{}_", task.id)),
        "{target}"
    );
    let token = plugin["response"]["TokenValue"].as_str().unwrap();
    assert!(!token.is_empty());
    assert!(
        argv.iter().all(|a| !a.contains(token)),
        "the token is never on the command line: {argv:?}"
    );
    assert!(plugin["response"]["SessionId"]
        .as_str()
        .unwrap()
        .starts_with("ecs-execute-command-"));
    // A plugin that fails: its session is terminated, and ssmgo says so.
    ssmgo()
        .signed_in_as(&who)
        .plugin_exits_with(3)
        .args(["ecs", &task.id, "--container", "app"])
        .run()
        .expect_code(1)
        .stderr_has("session-manager-plugin failed");
    let sessions = emu().sessions_on(&target);
    assert_eq!(sessions.len(), 2, "{sessions:?}");
    assert!(
        sessions.iter().all(|s| s.status == "Terminated"),
        "{sessions:?}"
    );
}

#[test]
fn a_task_of_several_containers_without_a_terminal_needs_the_container_named() {
    crate::needs_emulator!();
    let g = emu().group("ecs-several");
    let cluster = emu().ecs_cluster(&g.name("c"));
    let task = emu()
        .ecs_task(&cluster, &g.name("web"))
        .containers(&[("app", false), ("sidecar", false)])
        .launch();
    ssmgo()
        .args(["ecs", &task.id, "--no-check"])
        .run()
        .expect_code(4)
        .stderr_has("2 running containers match")
        .stderr_has("--container NAME");
    let unknown = "0123456789abcdef0123456789abcdef";
    ssmgo()
        .args(["ecs", unknown, "--cluster", &cluster])
        .run()
        .expect_code(4)
        .stderr_has(&format!(
            "no running container matches the task \"{unknown}\""
        ));
}

#[test]
fn several_regions_are_listed_at_once_and_a_task_is_opened_in_its_own() {
    crate::needs_emulator!();
    let g = emu().group("ecs-regions");
    let cluster = emu().ecs_cluster(&g.name("c"));
    let task = emu().ecs_task(&cluster, &g.name("web")).launch();
    let regions = "eu-west-1,us-east-1";
    let rows = ssmgo()
        .args([
            "ecs",
            "list",
            "--cluster",
            &cluster,
            "--region",
            regions,
            "--json",
        ])
        .run();
    // The cluster is only in us-east-1: eu-west-1 has no such cluster, so nothing runs there.
    assert_eq!(rows.code, Some(0), "{}", rows.stderr);
    let json = rows.json();
    let found: Vec<&Value> = json
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["task_id"] == task.id.as_str())
        .collect();
    assert_eq!(found.len(), 1, "{json}");
    assert_eq!(found[0]["region"], "us-east-1", "{json}");
    let opened = ssmgo()
        .args(["ecs", &task.id, "--region", regions, "--no-check"])
        .run()
        .expect_success();
    let argv = opened.plugin()["argv"].as_array().unwrap().clone();
    assert_eq!(argv[2], "us-east-1");
}

#[test]
fn a_lost_execute_command_answer_leaves_no_session_open_and_is_not_retried() {
    crate::needs_emulator!();
    let g = emu().group("ecs-lost");
    let cluster = emu().ecs_cluster(&g.name("c"));
    let task = emu().ecs_task(&cluster, &g.name("web")).launch();
    let proxy = FaultProxy::start(&emu().endpoint, |call| match call.operation.as_str() {
        "ExecuteCommand" => Fault::ForwardThenDrop,
        _ => Fault::Forward,
    });
    let out = ssmgo()
        .env("AWS_ENDPOINT_URL", &proxy.url)
        .args(["ecs", &task.id, "--no-check"])
        .run()
        .expect_code(1)
        .stderr_has("the answer to ExecuteCommand on")
        .stderr_has("the 1 session(s) it had started were terminated, so none is left open");
    assert!(out.plugin.is_none(), "no plugin without a session");
    assert_eq!(proxy.count("ExecuteCommand"), 1, "never retried blindly");
    let listed = ssmgo()
        .args(["ecs", "list", "--cluster", &cluster, "--json"])
        .run()
        .json();
    let runtime = listed[0]["runtime_id"].as_str().unwrap().to_owned();
    let sessions = emu().sessions_on(&format!("ecs:{cluster}_{}_{runtime}", task.id));
    assert_eq!(sessions.len(), 1, "{sessions:?}");
    assert_eq!(sessions[0].status, "Terminated");
}

/// A caller who may list ECS tasks and start port-forwarding sessions with `resource` as the
/// target's resource (the documents are always allowed).
fn forwarder(name: &str, resource: &str) -> Principal {
    user(
        name,
        &format!(
            r#"{{"Sid": "Forward", "Effect": "Allow", "Action": "ssm:StartSession", "Resource": ["{resource}", "arn:aws:ssm:*::document/AWS-StartPortForwarding*"]}}, {{"Effect": "Allow", "Action": "ssm:TerminateSession", "Resource": "*"}}"#
        ),
    )
}

#[test]
fn ecs_forward_hands_the_plugin_the_containers_target_the_document_and_its_parameters() {
    crate::needs_emulator!();
    let g = emu().group("ecs-fwd-rec");
    let cluster = emu().ecs_cluster(&g.name("c"));
    let task = emu().ecs_task(&cluster, &g.name("web")).launch();
    let who = forwarder(&g.name("u"), "arn:aws:ecs:*:*:task/*");
    let fwd = |extra: &[&str]| {
        let mut args = vec!["ecs", "forward", &task.id];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["--container", "app", "--no-reconnect"]);
        ssmgo().signed_in_as(&who).args(args).run().expect_success()
    };
    let ok = fwd(&["8080:80"]);
    let request = ok.started_request();
    let target = request["Target"].as_str().unwrap().to_owned();
    assert!(
        target.starts_with(&format!("ecs:{cluster}_{}_", task.id)) && target.contains('-'),
        "the AWS CLI's target, the runtime id last: {target}"
    );
    assert_eq!(request["DocumentName"], "AWS-StartPortForwardingSession");
    assert_eq!(
        request["Parameters"],
        serde_json::json!({"portNumber": ["80"], "localPortNumber": ["8080"]})
    );
    let argv: Vec<&str> = ok.plugin()["argv"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    // As for an instance's session: the response by name, SSM's endpoint.
    assert_eq!(argv[1], "AWS_SSM_START_SESSION_RESPONSE");
    assert_eq!(&argv[2..5], ["us-east-1", "StartSession", ""]);
    let token = ok.plugin()["response"]["TokenValue"].as_str().unwrap();
    assert!(!token.is_empty());
    assert!(argv.iter().all(|a| !a.contains(token)), "{argv:?}");
    // Through the container to a host it reaches: the remote-host document and its host.
    let ok = fwd(&["5432", "--to", "db.internal"]);
    let request = ok.started_request();
    assert_eq!(request["Target"], target.as_str());
    assert_eq!(
        request["DocumentName"],
        "AWS-StartPortForwardingSessionToRemoteHost"
    );
    assert_eq!(
        request["Parameters"],
        serde_json::json!({"host": ["db.internal"], "portNumber": ["5432"], "localPortNumber": ["5432"]})
    );
    let sessions = emu().sessions_on(&target);
    assert_eq!(sessions.len(), 2, "{sessions:?}");
    assert!(
        sessions.iter().all(|s| s.status == "Terminated"),
        "{sessions:?}"
    );
}

#[test]
fn ecs_forward_denied_on_the_task_is_caught_before_start_session() {
    crate::needs_emulator!();
    let g = emu().group("ecs-fwd-deny");
    let cluster = emu().ecs_cluster(&g.name("c"));
    let task = emu().ecs_task(&cluster, &g.name("web")).launch();
    // StartSession allowed on instances only: not on the task.
    let who = forwarder(&g.name("u"), "arn:aws:ec2:*:*:instance/*");
    let fwd = |extra: &[&str]| {
        let mut args = vec!["ecs", "forward", &task.id, "8080:80", "--no-reconnect"];
        args.extend_from_slice(extra);
        ssmgo().signed_in_as(&who).args(args).run()
    };
    // AWS's side (the emulator, no pre-check): refused on the task's ARN.
    // After it, the same machinery says why.
    fwd(&["--no-check"])
        .expect_code(3)
        .stderr_has("AWS denied ssm:StartSession")
        .stderr_has(&task.arn)
        .stderr_has("ssmgo: why AWS most likely refused:")
        .stderr_has(&format!("the task {}: implicitDeny", task.arn));
    // The pre-check: refused before StartSession, the document allowed, the task not.
    let denied = fwd(&[])
        .expect_code(3)
        .stderr_has("would be DENIED")
        .stderr_has("ok     session document arn:aws:ssm:us-east-1::document/AWS-StartPortForwardingSession: allowed")
        .stderr_has(&format!("DENIED task {}: implicitDeny", task.arn))
        .stderr_has("ssm:StartSession would be denied on");
    assert!(denied.plugin.is_none(), "no session was started");
    let listed = ssmgo()
        .signed_in_as(&who)
        .args(["ecs", "list", "--cluster", &cluster, "--json"])
        .run()
        .expect_success()
        .json();
    let runtime = listed[0]["runtime_id"].as_str().unwrap().to_owned();
    let target = format!("ecs:{cluster}_{}_{runtime}", task.id);
    assert_eq!(
        emu().sessions_on(&target).len(),
        0,
        "no session was ever started"
    );
}

#[test]
fn ecs_forward_is_refused_where_the_tasks_agent_is_not_running() {
    crate::needs_emulator!();
    let g = emu().group("ecs-fwd-agent");
    let cluster = emu().ecs_cluster(&g.name("c"));
    let task = emu()
        .ecs_task(&cluster, &g.name("web"))
        .tag("ssmgo:exec-agent", "STOPPED")
        .launch();
    let who = forwarder(&g.name("u"), "arn:aws:ecs:*:*:task/*");
    ssmgo()
        .signed_in_as(&who)
        .args(["ecs", "forward", &task.id, "8080:80", "--no-reconnect"])
        .run()
        .expect_code(4)
        .stderr_has("is not connected")
        .stderr_has("ExecuteCommandAgent")
        .stderr_has(&format!("`ssmgo ecs doctor {} --container app`", task.arn));
}

/// ssmgo in `home` (one person's successive commands), through `proxy`: the endpoint is part of
/// what a cached listing answers, so every run of a test goes through it.
fn through(proxy: &FaultProxy, home: &std::path::Path) -> crate::support::Ssmgo {
    ssmgo().in_home(home).env("AWS_ENDPOINT_URL", &proxy.url)
}

/// A proxy in front of the emulator whose DescribeTasks waits at `gate` once it is armed.
fn holding_describe_tasks(gate: &Gate) -> FaultProxy {
    let gate = gate.clone();
    FaultProxy::start(&emu().endpoint, move |call| {
        if call.operation == "DescribeTasks" {
            gate.hold();
        }
        Fault::Forward
    })
}

#[test]
fn the_picker_opens_on_the_last_container_listing_and_refills_it_in_place() {
    crate::needs_emulator!();
    let g = emu().group("ecs-cached");
    let cluster = emu().ecs_cluster(&g.name("c"));
    let kept = emu().ecs_task(&cluster, &g.name("kept")).launch();
    let stopping = emu().ecs_task(&cluster, &g.name("stopping")).launch();
    let home = tempfile::tempdir().unwrap();
    let gate = Gate::default();
    let proxy = holding_describe_tasks(&gate);
    let listed = through(&proxy, home.path())
        .args(["ecs", "list", "--cluster", &cluster, "--json"])
        .run()
        .json();
    assert_eq!(listed.as_array().unwrap().len(), 2, "{listed}");
    emu().stop_ecs_task(&cluster, &stopping.arn);
    let started = emu().ecs_task(&cluster, &g.name("started")).launch();
    gate.arm();
    let mut run = through(&proxy, home.path()).args([
        "ecs",
        "--cluster",
        &cluster,
        "--dry-run",
        "--no-check",
    ]);
    let mut pty = Pty::spawn(run.command());
    // The last listing, at once: ECS's answer is held.
    pty.wait_for(&stopping.id, WAIT);
    pty.wait_for("cached", WAIT);
    assert!(!pty.text().contains(&started.id), "{}", pty.tail());
    gate.open();
    // The fresh listing, in place: the task started since is new, the one stopped is gone.
    pty.wait_for(&started.id, WAIT);
    pty.wait_for("gone", WAIT);
    pty.wait_for("new", WAIT);
    pty.type_keys(&kept.id[..12]);
    pty.wait_for(&format!("> {}", &kept.id[..12]), WAIT);
    pty.type_keys("\r");
    let status = pty.wait(WAIT);
    assert!(status.success(), "{}", pty.tail());
    pty.wait_for(&format!("Target:          {cluster}/{}/app", kept.id), WAIT);
    // The fresh listing was cached in turn: the stopped task is no longer in it.
    let cached = std::fs::read_dir(home.path().join("cache/ssmgo"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("/containers-"))
        .expect("a container listing is cached");
    let cached = std::fs::read_to_string(cached).unwrap();
    assert!(cached.contains(&started.id) && !cached.contains(&stopping.id));
}

#[test]
fn a_container_picked_from_the_cache_whose_task_has_stopped_is_not_opened() {
    crate::needs_emulator!();
    let g = emu().group("ecs-cached-gone");
    let cluster = emu().ecs_cluster(&g.name("c"));
    emu().ecs_task(&cluster, &g.name("stays")).launch();
    let stopping = emu().ecs_task(&cluster, &g.name("stopping")).launch();
    let home = tempfile::tempdir().unwrap();
    let gate = Gate::default();
    let proxy = holding_describe_tasks(&gate);
    through(&proxy, home.path())
        .args(["ecs", "list", "--cluster", &cluster])
        .run()
        .expect_success();
    emu().stop_ecs_task(&cluster, &stopping.arn);
    gate.arm();
    let mut run = through(&proxy, home.path()).args(["ecs", "--cluster", &cluster, "--no-check"]);
    let mut pty = Pty::spawn(run.command());
    pty.wait_for(&stopping.id, WAIT);
    pty.type_keys(&stopping.id[..12]);
    pty.wait_for(&format!("> {}", &stopping.id[..12]), WAIT);
    pty.type_keys("\r");
    // Picked while ECS's answer is held, or just after it came: either way it is not opened.
    gate.open();
    let status = pty.wait(WAIT);
    assert_eq!(status.code(), Some(4), "{}", pty.tail());
    pty.wait_for(
        "(picked from the cached listing: its task no longer runs)",
        WAIT,
    );
    let out = run.outcome(status.code(), Vec::new(), Vec::new());
    assert!(out.plugin.is_none(), "no session was started");
}

#[test]
fn a_region_that_could_not_be_listed_again_keeps_its_cached_containers_as_cached() {
    crate::needs_emulator!();
    let g = emu().group("ecs-cached-unlisted");
    let cluster = emu().ecs_cluster(&g.name("c"));
    let task = emu().ecs_task(&cluster, &g.name("web")).launch();
    let home = tempfile::tempdir().unwrap();
    // Once set, ECS refuses every call in us-east-1 (the task's region); eu-west-1 answers.
    let refusing = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let proxy = {
        let refusing = refusing.clone();
        FaultProxy::start(&emu().endpoint, move |call| {
            let ecs = [
                "ListClusters",
                "ListTasks",
                "DescribeTasks",
                "DescribeClusters",
            ];
            match refusing.load(std::sync::atomic::Ordering::SeqCst)
                && call.region == "us-east-1"
                && ecs.contains(&call.operation.as_str())
            {
                true => Fault::Respond {
                    status: 400,
                    content_type: "application/x-amz-json-1.1",
                    body: r#"{"__type":"AccessDeniedException","message":"not today"}"#.into(),
                },
                false => Fault::Forward,
            }
        })
    };
    let regions = "us-east-1,eu-west-1";
    let listed = through(&proxy, home.path())
        .args([
            "--region",
            regions,
            "ecs",
            "list",
            "--cluster",
            &cluster,
            "--json",
        ])
        .run()
        .json();
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    refusing.store(true, std::sync::atomic::Ordering::SeqCst);
    let mut run = through(&proxy, home.path()).args([
        "--region",
        regions,
        "ecs",
        "--cluster",
        &cluster,
        "--no-check",
    ]);
    let mut pty = Pty::spawn(run.command());
    pty.wait_for(&task.id, WAIT);
    pty.wait_for("cached", WAIT);
    pty.type_keys(&task.id[..12]);
    pty.wait_for(&format!("> {}", &task.id[..12]), WAIT);
    pty.type_keys("\r");
    // Whether it was picked before or after us-east-1 failed, its row is not taken as gone.
    let status = pty.wait(WAIT);
    assert_eq!(status.code(), Some(4), "{}", pty.tail());
    pty.wait_for("left out", WAIT);
    pty.wait_for(
        "(picked from the cached listing: its account and region could not be listed again",
        WAIT,
    );
    assert!(run
        .outcome(status.code(), Vec::new(), Vec::new())
        .plugin
        .is_none());
}
