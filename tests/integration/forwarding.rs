//! Port forwarding and SSH through Session Manager, checked through the fake plugin's record.

use crate::support::{emu, ssmgo};

#[test]
fn forward_starts_a_port_forwarding_session_on_the_named_instance() {
    crate::needs_emulator!();
    let group = emu().group("fwd");
    let id = group.instance("app").launch();
    let out = ssmgo()
        .args(["forward", &group.name("app"), "8080:80", "--no-reconnect"])
        .run()
        .expect_success();
    let req = out.started_request();
    assert_eq!(req["Target"], id.as_str());
    assert_eq!(req["DocumentName"], "AWS-StartPortForwardingSession");
    assert_eq!(req["Parameters"]["portNumber"], serde_json::json!(["80"]));
    assert_eq!(
        req["Parameters"]["localPortNumber"],
        serde_json::json!(["8080"])
    );
    out.stderr_has(
        "starting port forwarding from localhost:8080 to the instance:80 (Ctrl-C ends it) on ",
    )
    .stderr_has(&group.name("app"));
}

#[test]
fn forward_to_a_remote_host_uses_the_remote_host_document() {
    crate::needs_emulator!();
    let group = emu().group("fwdhost");
    let id = group.instance("bastion").launch();
    let out = ssmgo()
        .args([
            "forward",
            &id,
            "5432",
            "--to",
            "orders.cluster.internal",
            "--no-reconnect",
        ])
        .run()
        .expect_success();
    let req = out.started_request();
    assert_eq!(
        req["DocumentName"],
        "AWS-StartPortForwardingSessionToRemoteHost"
    );
    assert_eq!(
        req["Parameters"]["host"],
        serde_json::json!(["orders.cluster.internal"])
    );
    assert_eq!(req["Parameters"]["portNumber"], serde_json::json!(["5432"]));
    assert_eq!(
        req["Parameters"]["localPortNumber"],
        serde_json::json!(["5432"])
    );

    ssmgo()
        .args(["forward", &id, "80:0"])
        .run()
        .expect_code(2)
        .stderr_has("not a port");
    ssmgo()
        .args(["forward", &id, "80", "--to", "a;b"])
        .run()
        .expect_code(2);
}

#[test]
fn forward_is_pre_checked_against_the_aws_owned_document() {
    crate::needs_emulator!();
    let group = emu().group("fwdcheck");
    let id = group.instance("app").launch();
    // Allowed on instances and the shell document only: port forwarding is not allowed.
    let user = emu().user(
        &group.name("user"),
        &[(
            "shell-only",
            r#"{"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Action":["ec2:DescribeInstances","ssm:DescribeInstanceInformation","ssm:ListTagsForResource","ssm:TerminateSession","sts:GetCallerIdentity","iam:*"],"Resource":"*"},
              {"Effect":"Allow","Action":"ssm:StartSession","Resource":["arn:aws:ec2:*:*:instance/*","arn:aws:ssm:*:*:document/SSM-SessionManagerRunShell"]}]}"#,
        )],
    );
    let out = ssmgo()
        .signed_in_as(&user)
        .args(["forward", &id, "8080:80"])
        .run();
    out.expect_code(3)
        .stderr_has("document/AWS-StartPortForwardingSession");
    assert!(emu().sessions_on(&id).is_empty(), "no session was started");
}

#[test]
fn ssh_proxy_hands_an_ssh_session_to_the_plugin_and_writes_nothing_of_its_own_to_stdout() {
    crate::needs_emulator!();
    let group = emu().group("sshp");
    let id = group.instance("box").launch();
    let out = ssmgo()
        .args(["ssh-proxy", &group.name("box"), "22"])
        .run()
        .expect_success();
    let req = out.started_request();
    assert_eq!(req["Target"], id.as_str());
    assert_eq!(req["DocumentName"], "AWS-StartSSHSession");
    assert_eq!(req["Parameters"]["portNumber"], serde_json::json!(["22"]));
    assert_eq!(out.stdout, "", "stdout is the SSH stream");
    assert!(!out.stderr.contains("starting a session"), "{}", out.stderr);

    // No picker under ProxyCommand: an unknown host is an error.
    ssmgo()
        .args(["ssh-proxy", &group.name("nothing"), "22"])
        .run()
        .expect_code(4);
}

#[test]
fn ssh_config_prints_a_block_using_ssh_proxy() {
    let out = ssmgo()
        .args(["--profile", "default", "ssh-config", "web-*"])
        .run()
        .expect_success();
    out.stdout_has("Host i-* mi-* web-*\n")
        .stdout_has("--profile default --region us-east-1 ssh-proxy --os-user %r %h %p\n");
}

#[test]
fn a_tunnel_whose_session_ends_as_it_starts_is_given_up_after_5_attempts() {
    crate::needs_emulator!();
    let group = emu().group("fwdgiveup");
    let id = group.instance("app").launch();
    // The recorder opens the data channel and leaves at once: each session ends as it starts.
    // Five attempts with pauses of 1, 2, 4 and 8 s between them: well within the limit.
    let out = ssmgo()
        .args(["forward", &id, "18083:80"])
        .spawn()
        .finish(std::time::Duration::from_secs(120));
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    let out = out
        .stderr_has("reconnecting in 1 s (1 of 5")
        .stderr_has("reconnecting in 8 s (4 of 5")
        .stderr_has("5 times in a row")
        .stderr_has(&format!("ssmgo doctor {id}"));
    assert!(
        !out.stderr.contains("(5 of 5"),
        "no pause after the last: {}",
        out.stderr
    );
    let sessions = emu().sessions_on(&id);
    assert_eq!(sessions.len(), 5, "{sessions:?}");
    assert!(
        sessions.iter().all(|s| s.status == "Terminated"),
        "{sessions:?}"
    );
}
