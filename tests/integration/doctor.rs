//! `ssmgo doctor`: each cause of "not connected", set up in the emulator the way it happens in
//! AWS (tests/emu/agent.py decides from the same state whether the agent reaches SSM), is named
//! with its evidence and next step; a healthy instance gets a clean bill.

use crate::support::agent::MANAGED_INSTANCE_CORE;
use crate::support::{emu, ssmgo, Outcome};

/// Status word and check name, as the report's line starts.
fn line(status: &str, check: &str) -> String {
    format!("  {status:<9}{check:<15}")
}

fn doctor(target: &str) -> Outcome {
    ssmgo().args(["doctor", target]).run()
}

/// Only the agent's registration and pings: no Session Manager channels, no Run Command.
const PING_ONLY: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ssm:UpdateInstanceInformation", "Resource": "*"}]}"#;

#[test]
fn a_healthy_instance_gets_a_clean_bill() {
    crate::needs_emulator!();
    let group = emu().group("doc-healthy");
    let id = group.instance("web").launch();

    let mut out = doctor(&id).expect_success();
    for (check, says) in [
        ("state", "running"),
        ("registration", "managed, Online, last ping"),
        ("agent-version", "SSM Agent 3.3.1142.0 (Session Manager (SSM-SessionManagerRunShell): 2.3.68.0 or later)"),
        ("credentials", "instance profile ssmgo-test-agent, role ssmgo-test-agent-role"),
        ("permissions", "role ssmgo-test-agent-role may call all 11 actions of AmazonSSMManagedInstanceCore"),
        ("network", "a way to ssm, ssmmessages and ec2messages on 443"),
        ("preferences", "sessions are not KMS-encrypted"),
    ] {
        out = out.stdout_has(&format!("{}{says}", line("ok", check)));
    }
    let out = out
        .stdout_has("sends 0.0.0.0/0 to the internet gateway igw-")
        .stdout_has("No problem found.");
    assert!(!out.stdout.contains("  problem "), "{}", out.stdout);
}

#[test]
fn a_stopped_instance_is_named_with_the_command_that_starts_it() {
    crate::needs_emulator!();
    let group = emu().group("doc-stopped");
    let id = group.instance("web").stopped().launch();

    doctor(&id)
        .expect_code(6)
        .stdout_has(&format!("{}stopped", line("problem", "state")))
        .stdout_has(&format!(
            "next: Start it and connect in one go: ssmgo connect {id} --start"
        ))
        .stdout_has(&format!(
            "{}managed, but ConnectionLost since its last ping",
            line("problem", "registration")
        ))
        .stdout_has("next: It pings again once it runs")
        .stdout_has("2 problems found (1 check could not run).")
        .stdout_has("can't be seen while it is stopped")
        .stderr_has("ssmgo: doctor found 2 problems on");
}

#[test]
fn an_agent_gone_quiet_shows_its_last_ping() {
    crate::needs_emulator!();
    let group = emu().group("doc-quiet");
    let id = group
        .instance("web")
        .agent_offline()
        .running_for_an_hour()
        .tag("ssmgo:last-ping", "2026-11-28T10:00:00Z")
        .launch();

    doctor(&id)
        .expect_code(6)
        .stdout_has("managed, but ConnectionLost since its last ping")
        .stdout_has("(2026-11-28T10:00:00Z)")
        .stdout_has("restart the agent on the instance");
}

#[test]
fn an_agent_just_started_is_given_time_not_blamed() {
    crate::needs_emulator!();
    let group = emu().group("doc-booting");
    let id = group.instance("web").agent_offline().launch();

    doctor(&id)
        .expect_success()
        .stdout_has(&format!(
            "{}ConnectionLost: it started ",
            line("unknown", "registration")
        ))
        // Seconds ago: how many depends on the machine's load.
        .stdout_has(" s ago, and its agent may still be booting")
        .stdout_has(&format!("next: Wait for it: ssmgo connect {id} --wait=10m"))
        .stdout_has("No problem found (1 check could not run).");
}

#[test]
fn no_instance_profile_means_no_credentials_and_no_registration() {
    crate::needs_emulator!();
    let group = emu().group("doc-noprofile");
    let id = group
        .instance("web")
        .profile(None)
        .running_for_an_hour()
        .launch();

    doctor(&id)
        .expect_code(6)
        .stdout_has(&format!(
            "{}not registered with SSM",
            line("problem", "registration")
        ))
        .stdout_has(&format!(
            "{}no instance profile, and Default Host Management Configuration is off",
            line("problem", "credentials")
        ))
        .stdout_has(&format!(
            "aws ec2 associate-iam-instance-profile --instance-id {id}"
        ))
        .stdout_has(&format!(
            "{}SSM has no agent version",
            line("unknown", "agent-version")
        ));

    // Connecting says the same, in short, instead of a list of guesses.
    ssmgo()
        .args(["connect", &id])
        .run()
        .expect_code(4)
        .stderr_has("it is not managed by SSM")
        .stderr_has("ssmgo: doctor: problem (credentials): no instance profile")
        .stderr_has(&format!(
            "Fix what `ssmgo doctor` found above; `ssmgo doctor {id}` checks again"
        ));
}

#[test]
fn a_profile_without_a_role_gives_the_agent_nothing() {
    crate::needs_emulator!();
    let group = emu().group("doc-roleless");
    let profile = emu().instance_profile(&format!("{}-empty", group.scope), None);
    let id = group
        .instance("web")
        .profile(Some(&profile))
        .running_for_an_hour()
        .launch();

    doctor(&id)
        .expect_code(6)
        .stdout_has(&format!(
            "{}its instance profile {profile} has no role, so the agent has no credentials",
            line("problem", "credentials")
        ))
        .stdout_has(&format!(
            "aws iam add-role-to-instance-profile --instance-profile-name {profile} --role-name ROLE"
        ))
        .stdout_has(&format!("{}not registered with SSM", line("problem", "registration")));
}

#[test]
fn a_role_without_the_session_channels_is_explained_statement_by_statement() {
    crate::needs_emulator!();
    let group = emu().group("doc-role");
    let profile = format!("{}-pingonly", group.scope);
    emu().instance_profile(&profile, Some(PING_ONLY));
    let id = group.instance("web").profile(Some(&profile)).launch();

    let out = doctor(&id).expect_code(6);
    out.stdout_has(&format!("{}managed, Online", line("ok", "registration")))
        .stdout_has(&format!(
            "{}role {profile}-role may not call ssmmessages:CreateControlChannel, ssmmessages:CreateDataChannel, ssmmessages:OpenControlChannel, ssmmessages:OpenDataChannel (for Session Manager's channels); ec2messages:AcknowledgeMessage",
            line("problem", "permissions")
        ))
        .stdout_has("no statement of its policies allows ssmmessages:CreateControlChannel")
        .stdout_has(&format!("aws iam attach-role-policy --role-name {profile}-role --policy-arn arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"));

    // SSM lists it Online, yet refuses the session: the doctor runs on its own and says why.
    let out = ssmgo()
        .args(["connect", &id])
        .run()
        .expect_code(4)
        .stderr_has(&format!("SSM says {id} is not connected"))
        .stderr_has("ssmgo: doctor: problem (permissions): role")
        .stderr_has("Fix what `ssmgo doctor` found above");
    assert!(out.plugin.is_none());
}

#[test]
fn an_old_agent_is_named_against_the_documents_minimum() {
    crate::needs_emulator!();
    let group = emu().group("doc-version");
    let id = group
        .instance("web")
        .tag("ssmgo:agent-version", "3.0.100.0")
        .launch();

    doctor(&id).expect_success().stdout_has(&format!(
        "{}SSM Agent 3.0.100.0 (Session Manager",
        line("ok", "agent-version")
    ));
    ssmgo()
        .args(["doctor", &id, "--document", "AWS-StartSSHSession"])
        .run()
        .expect_code(6)
        .stdout_has(&format!(
            "{}SSM Agent 3.0.100.0 is too old: SSH sessions (AWS-StartSSHSession) needs 3.0.222.0 or later",
            line("problem", "agent-version")
        ))
        .stdout_has("AWS-UpdateSSMAgent");
}

#[test]
fn a_private_subnet_with_no_way_out_is_found() {
    crate::needs_emulator!();
    let group = emu().group("doc-private");
    let net = emu().private_network("us-east-1", 41);
    let open = emu().security_group(
        &net,
        &format!("{}-open", group.scope),
        Some("0.0.0.0/0"),
        false,
    );
    let id = group
        .instance("web")
        .in_network(&net, &[&open])
        .running_for_an_hour()
        .launch();

    doctor(&id)
        .expect_code(6)
        .stdout_has(&format!("{}not registered with SSM", line("problem", "registration")))
        .stdout_has(&format!(
            "{}no way from {} in {} to ssm, ssmmessages, ec2messages on 443",
            line("problem", "network"),
            net.subnet,
            net.vpc
        ))
        .stdout_has("ssm (registration and pings): the VPC's main route table rtb-")
        .stdout_has("has no default route (0.0.0.0/0) and there is no interface endpoint for com.amazonaws.us-east-1.ssm")
        .stdout_has("next: Create interface VPC endpoints for ssm, ssmmessages and ec2messages");
}

#[test]
fn a_nat_gateway_is_a_way_out() {
    crate::needs_emulator!();
    let group = emu().group("doc-nat");
    let net = emu().private_network("us-east-1", 42);
    let open = emu().security_group(
        &net,
        &format!("{}-open", group.scope),
        Some("0.0.0.0/0"),
        false,
    );
    emu().route_through_nat(&net);
    let id = group.instance("web").in_network(&net, &[&open]).launch();

    doctor(&id)
        .expect_success()
        .stdout_has(&format!("{}managed, Online", line("ok", "registration")))
        .stdout_has("sends 0.0.0.0/0 to the NAT gateway nat-");
}

#[test]
fn egress_closed_on_443_is_named_with_the_group_to_open() {
    crate::needs_emulator!();
    let group = emu().group("doc-egress");
    let net = emu().private_network("us-east-1", 43);
    let shut = emu().security_group(&net, &format!("{}-shut", group.scope), None, false);
    emu().route_through_nat(&net);
    let id = group.instance("web").in_network(&net, &[&shut]).launch();

    doctor(&id)
        .expect_code(6)
        .stdout_has(&format!("but its security groups ({shut}) allow no outbound TCP 443 to the internet"))
        .stdout_has(&format!("aws ec2 authorize-security-group-egress --group-id {shut} --protocol tcp --port 443 --cidr 0.0.0.0/0"));
}

#[test]
fn vpc_endpoints_with_private_dns_are_a_way_and_without_it_are_not() {
    crate::needs_emulator!();
    let group = emu().group("doc-endpoints");
    let services = ["ssm", "ssmmessages", "ec2messages"];

    let net = emu().private_network("us-east-1", 44);
    let to_vpc = emu().security_group(&net, &format!("{}-a", group.scope), Some(&net.cidr), false);
    let guard = emu().security_group(&net, &format!("{}-ep", group.scope), None, true);
    emu().endpoints(&net, &services, true, &guard);
    let id = group.instance("good").in_network(&net, &[&to_vpc]).launch();
    doctor(&id)
        .expect_success()
        .stdout_has(&format!("{}managed, Online", line("ok", "registration")))
        .stdout_has("ssmmessages (Session Manager): through the interface endpoint vpce-")
        .stdout_has("(private DNS on); security groups allow TCP 443 from the instance to it");

    let net = emu().private_network("us-east-1", 45);
    let to_vpc = emu().security_group(&net, &format!("{}-b", group.scope), Some(&net.cidr), false);
    let guard = emu().security_group(&net, &format!("{}-ep2", group.scope), None, true);
    emu().endpoints(&net, &services, false, &guard);
    let id = group
        .instance("nodns")
        .in_network(&net, &[&to_vpc])
        .launch();
    doctor(&id)
        .expect_code(6)
        .stdout_has("has private DNS off, so the agent resolves ssm.us-east-1.amazonaws.com to the public address");

    let net = emu().private_network("us-east-1", 46);
    let to_vpc = emu().security_group(&net, &format!("{}-c", group.scope), Some(&net.cidr), false);
    let closed = emu().security_group(&net, &format!("{}-ep3", group.scope), None, false);
    emu().endpoints(&net, &services, true, &closed);
    let id = group
        .instance("closed")
        .in_network(&net, &[&to_vpc])
        .launch();
    doctor(&id)
        .expect_code(6)
        .stdout_has(&format!("but the endpoint's security groups ({closed}) let no TCP 443 in from the instance"))
        .stdout_has(&format!("aws ec2 authorize-security-group-ingress --group-id {closed} --protocol tcp --port 443 --source-group {to_vpc}"));
}

#[test]
fn default_host_management_serves_instances_that_require_imdsv2() {
    crate::needs_emulator!();
    // A region of its own: the setting is the account's, per region.
    let region = "eu-north-1";
    let group = emu().group("doc-dhmc");
    let role = emu().instance_role(&format!("{}-dhmc", group.scope), MANAGED_INSTANCE_CORE);
    emu().default_host_management(region, &role);

    let id = group
        .instance("v2")
        .in_region(region)
        .profile(None)
        .imdsv2()
        .launch();
    ssmgo()
        .args(["doctor", &id, "--region", region])
        .run()
        .expect_success()
        .stdout_has(&format!(
            "{}no instance profile; Default Host Management Configuration gives it role {role}",
            line("ok", "credentials")
        ))
        .stdout_has(&format!("{}managed, Online", line("ok", "registration")));

    let id = group
        .instance("v1")
        .in_region(region)
        .profile(None)
        .launch();
    ssmgo()
        .args(["doctor", &id, "--region", region])
        .run()
        .expect_code(6)
        .stdout_has("it allows IMDSv1 (HttpTokens optional), and Default Host Management Configuration works with IMDSv2 only")
        .stdout_has(&format!("aws ec2 modify-instance-metadata-options --instance-id {id} --http-tokens required"));
}

#[test]
fn kms_encrypted_sessions_need_both_sides_allowed_on_the_key() {
    crate::needs_emulator!();
    // A region of its own: Session Manager preferences are the account's, per region.
    let region = "eu-west-3";
    let key = "1234abcd-12ab-34cd-56ef-1234567890ab";
    let key_arn = format!("arn:aws:kms:{region}:123456789012:key/{key}");
    emu().session_preferences_kms(region, key);
    let group = emu().group("doc-kms");
    let caller = emu().user(
        &format!("{}-user", group.scope),
        &[(
            "doctor",
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iam:SimulatePrincipalPolicy", "iam:GetRole", "iam:ListRolePolicies", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies", "kms:GenerateDataKey"], "Resource": "*"}]}"#,
        )],
    );

    let id = group.instance("nodecrypt").in_region(region).launch();
    ssmgo()
        .signed_in_as(&caller)
        .args(["doctor", &id, "--region", region])
        .run()
        .expect_code(6)
        .stdout_has(&format!(
            "{}SSM-SessionManagerRunShell requires KMS encryption with {key_arn}, but the instance role ssmgo-test-agent-role may not call kms:Decrypt",
            line("problem", "preferences")
        ))
        .stdout_has(&format!("you ({}) may call kms:GenerateDataKey on the key", caller.arn));

    let profile = format!("{}-kms", group.scope);
    let with_decrypt = MANAGED_INSTANCE_CORE.replacen(
        "\"Statement\": [",
        &format!("\"Statement\": [{{\"Effect\": \"Allow\", \"Action\": \"kms:Decrypt\", \"Resource\": \"{key_arn}\"}},"),
        1,
    );
    emu().instance_profile(&profile, Some(&with_decrypt));
    let id = group
        .instance("decrypt")
        .in_region(region)
        .profile(Some(&profile))
        .launch();
    ssmgo()
        .signed_in_as(&caller)
        .args(["doctor", &id, "--region", region])
        .run()
        .expect_success()
        .stdout_has(&format!(
            "{}SSM-SessionManagerRunShell requires KMS encryption with {key_arn}",
            line("ok", "preferences")
        ))
        .stdout_has(&format!(
            "the instance role {profile}-role may call kms:Decrypt on the key"
        ));

    // The same instance, for someone who may not use the key: the other side of the problem.
    let no_key = emu().user(
        &format!("{}-nokey", group.scope),
        &[(
            "doctor",
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iam:SimulatePrincipalPolicy", "iam:GetRole", "iam:ListRolePolicies", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies"], "Resource": "*"}]}"#,
        )],
    );
    ssmgo()
        .signed_in_as(&no_key)
        .args(["doctor", &id, "--region", region])
        .run()
        .expect_code(6)
        .stdout_has(&format!(
            "{}SSM-SessionManagerRunShell requires KMS encryption with {key_arn}, but you ({}) may not call kms:GenerateDataKey",
            line("problem", "preferences"),
            no_key.arn
        ))
        .stdout_has("next: Allow kms:GenerateDataKey on");
}

#[test]
fn what_the_caller_may_not_read_is_unknown_and_never_a_problem() {
    crate::needs_emulator!();
    let group = emu().group("doc-unknown");
    // May read nothing of IAM: the role can't be simulated.
    let caller = emu().user(
        &format!("{}-user", group.scope),
        &[(
            "nothing-of-iam",
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["ec2:*", "ssm:*"], "Resource": "*"}]}"#,
        )],
    );
    let id = group.instance("web").launch();
    ssmgo()
        .signed_in_as(&caller)
        .args(["doctor", &id])
        .run()
        .expect_success()
        .stdout_has(&format!(
            "{}what role ssmgo-test-agent-role may call: unknown: simulating it needs iam:SimulatePrincipalPolicy on the role",
            line("unknown", "permissions")
        ))
        .stdout_has("No problem found (1 check could not run).");
}

#[test]
fn json_names_every_check_for_scripts() {
    crate::needs_emulator!();
    let group = emu().group("doc-json");
    let id = group
        .instance("web")
        .profile(None)
        .running_for_an_hour()
        .launch();
    let out = ssmgo().args(["doctor", &id, "--json"]).run().expect_code(6);
    let report = out.json();
    assert_eq!(report["instance_id"], id.as_str());
    assert_eq!(report["problems"], 2);
    let checks: Vec<(String, String)> = report["findings"]
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
    let expect = [
        ("state", "ok"),
        ("registration", "problem"),
        ("agent-version", "unknown"),
        ("credentials", "problem"),
        ("network", "ok"),
        ("preferences", "ok"),
    ];
    assert_eq!(
        checks,
        expect
            .iter()
            .map(|(c, s)| (c.to_string(), s.to_string()))
            .collect::<Vec<_>>()
    );
}
