//! The guard against the emulator's StartSession, scenario by scenario, each with its mirror
//! image: what AWS (the emulator, authorizing with the context AWS fills in) does, next to what
//! `ssmgo check --json` and `ssmgo connect` say. No false allow; no false deny on a key ssmgo
//! can know; `unknown` naming the key where only AWS can tell.

use serde_json::Value;

use crate::precheck::{DOC, READS};
use crate::support::{emu, ssmgo, Group, Outcome, Principal};

/// Everything a scenario's caller may do besides what the scenario is about: list, simulate,
/// read its policies and tags, end its sessions.
fn with_reads(statements: &str) -> String {
    format!(r#"{{"Version": "2012-10-17", "Statement": [{statements}, {READS}]}}"#)
}

const ALLOW_START: &str = r#"{"Effect": "Allow", "Action": "ssm:StartSession", "Resource": "*"}"#;

/// What AWS did (StartSession without the pre-check), what `check --json` said, what a guarded
/// `connect` did.
struct Verdicts {
    aws_allowed: bool,
    check: Value,
    check_code: Option<i32>,
    connect: Outcome,
}

fn verdicts(who: &Principal, target: &str) -> Verdicts {
    let aws = ssmgo()
        .signed_in_as(who)
        .args(["connect", target, "--no-check"])
        .run();
    assert!(
        matches!(aws.code, Some(0 | 3)),
        "StartSession either started or was denied: {}",
        aws.stderr
    );
    let check = ssmgo()
        .signed_in_as(who)
        .args(["check", target, "--json"])
        .run();
    let connect = ssmgo().signed_in_as(who).args(["connect", target]).run();
    // Side by side, for whoever runs this with --nocapture.
    eprintln!(
        "--- {target}: StartSession {}; check {} (exit {:?}); connect exit {:?}\n{}",
        if aws.code == Some(0) {
            "allowed"
        } else {
            "denied"
        },
        check.json()["decision"],
        check.code,
        connect.code,
        connect.stderr
    );
    Verdicts {
        aws_allowed: aws.code == Some(0),
        check: check.json(),
        check_code: check.code,
        connect,
    }
}

fn resource<'a>(check: &'a Value, kind: &str) -> &'a Value {
    check["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} in {check:#}"))
}

fn user(group: &Group, short: &str, policy: &str, tags: &[(&str, &str)]) -> Principal {
    emu().tagged_user(&group.name(short), &[("access", policy)], tags)
}

#[track_caller]
fn agree_allowed(v: &Verdicts) {
    assert!(v.aws_allowed, "AWS allows");
    assert_eq!(v.check["decision"], "allowed", "{:#}", v.check);
    assert_eq!(v.check_code, Some(0));
    assert_eq!(v.connect.code, Some(0), "{}", v.connect.stderr);
}

#[track_caller]
fn agree_denied(v: &Verdicts) -> &Verdicts {
    assert!(!v.aws_allowed, "AWS denies");
    assert_eq!(v.check["decision"], "denied", "{:#}", v.check);
    assert_eq!(v.check_code, Some(3));
    assert_eq!(v.connect.code, Some(3), "{}", v.connect.stderr);
    assert!(
        v.connect.stderr.contains("would be DENIED"),
        "refused before StartSession: {}",
        v.connect.stderr
    );
    v
}

#[track_caller]
fn unknown_on(v: &Verdicts, key: &str) {
    assert_eq!(v.check["decision"], "unknown", "{:#}", v.check);
    assert_eq!(v.check_code, Some(5));
    let keys: Vec<&str> = v.check["resources"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["depends_on"].as_array().unwrap())
        .map(|d| d["key"].as_str().unwrap())
        .collect();
    assert!(keys.contains(&key), "{keys:?}");
    assert!(
        v.connect.stderr.contains("AWS decides"),
        "{}",
        v.connect.stderr
    );
    // connect lets AWS decide: it ends as StartSession did.
    let expected = if v.aws_allowed { 0 } else { 3 };
    assert_eq!(v.connect.code, Some(expected), "{}", v.connect.stderr);
}

fn explanation(v: &Verdicts, kind: &str) -> String {
    resource(&v.check, kind)["explanation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_source_address_rule_is_unknown_naming_the_ranges_and_aws_decides() {
    crate::needs_emulator!();
    let group = emu().group("g-sourceip");
    let id = group.instance("web").launch();
    let deny_outside = |ranges: &str| {
        with_reads(&format!(
            r#"{ALLOW_START}, {{"Sid": "OfficeOnly", "Effect": "Deny", "Action": "ssm:StartSession", "Resource": "*",
              "Condition": {{"NotIpAddress": {{"aws:SourceIp": [{ranges}]}}}}}}"#
        ))
    };
    // The emulator sees the call coming from 127.0.0.1: inside the first rule, outside the second.
    let inside = user(
        &group,
        "in",
        &deny_outside(r#""127.0.0.0/8", "203.0.113.0/24""#),
        &[],
    );
    let v = verdicts(&inside, &id);
    assert!(v.aws_allowed);
    unknown_on(&v, "aws:SourceIp");
    let text = explanation(&v, "instance");
    assert!(
        text.contains("allowed only when aws:SourceIp is from 127.0.0.0/8 or from 203.0.113.0/24"),
        "{text}"
    );
    assert!(text.contains("which ssmgo cannot see from here"), "{text}");

    let outside = user(&group, "out", &deny_outside(r#""10.0.0.0/8""#), &[]);
    let v = verdicts(&outside, &id);
    assert!(!v.aws_allowed);
    unknown_on(&v, "aws:SourceIp");
    // AWS refused: the statement and the address condition are named.
    let err = &v.connect.stderr;
    assert!(err.contains("why AWS most likely refused"), "{err}");
    assert!(
        err.contains(r#"statement 1 "OfficeOnly""#) || err.contains("\"OfficeOnly\""),
        "{err}"
    );
    assert!(
        err.contains("calls are refused unless they come from 10.0.0.0/8 (aws:SourceIp)"),
        "{err}"
    );
}

#[test]
fn attribute_based_access_compares_the_callers_tag_with_the_instances() {
    crate::needs_emulator!();
    let group = emu().group("g-abac");
    let blue = group.instance("blue").tag("Project", "blue").launch();
    let red = group.instance("red").tag("Project", "red").launch();
    let policy = with_reads(&format!(
        r#"{{"Effect": "Allow", "Action": "ssm:StartSession", "Resource": "{DOC}"}},
           {{"Effect": "Allow", "Action": "ssm:StartSession", "Resource": "arn:aws:ec2:*:*:instance/*",
             "Condition": {{"StringEquals": {{"ssm:resourceTag/Project": "${{aws:PrincipalTag/Project}}"}}}}}}"#
    ));
    let ann = user(&group, "ann", &policy, &[("Project", "blue")]);
    agree_allowed(&verdicts(&ann, &blue));
    let v = verdicts(&ann, &red);
    agree_denied(&v);
    let text = explanation(&v, "instance");
    assert!(
        text.contains(r#"your tag Project is "blue"; this resource's Project is "red""#),
        "{text}"
    );
    assert_eq!(
        v.check["fix"],
        Value::Null,
        "no fix for a denial it doesn't repair"
    );
}

#[test]
fn a_region_lock_is_decided_with_the_requested_region() {
    crate::needs_emulator!();
    let group = emu().group("g-region");
    let id = group.instance("web").launch();
    let lock = |regions: &str| {
        with_reads(&format!(
            r#"{ALLOW_START}, {{"Effect": "Deny", "Resource": "*",
              "NotAction": ["iam:*", "sts:*", "ec2:Describe*", "ssm:Describe*", "ssm:ListTagsForResource"],
              "Condition": {{"StringNotEquals": {{"aws:RequestedRegion": [{regions}]}}}}}}"#
        ))
    };
    let here = user(&group, "here", &lock(r#""us-east-1", "eu-west-1""#), &[]);
    agree_allowed(&verdicts(&here, &id));
    let elsewhere = user(&group, "away", &lock(r#""eu-west-1""#), &[]);
    // Global services (IAM, STS) and the reads are exempt, as AWS's example region lock does.
    let v = verdicts(&elsewhere, &id);
    agree_denied(&v);
    let text = explanation(&v, "instance");
    assert!(
        text.contains("regions are restricted to eu-west-1 (aws:RequestedRegion); this request is for us-east-1"),
        "{text}"
    );
}

#[test]
fn a_time_boxed_grant_is_decided_with_the_current_time() {
    crate::needs_emulator!();
    let group = emu().group("g-time");
    let id = group.instance("web").launch();
    let until = |date: &str| {
        with_reads(&format!(
            r#"{{"Effect": "Allow", "Action": "ssm:StartSession", "Resource": "*",
              "Condition": {{"DateLessThan": {{"aws:CurrentTime": "{date}"}}}}}}"#
        ))
    };
    agree_allowed(&verdicts(
        &user(&group, "now", &until("2099-01-01T00:00:00Z"), &[]),
        &id,
    ));
    let v = verdicts(
        &user(&group, "past", &until("2025-03-31T00:00:00Z"), &[]),
        &id,
    );
    agree_denied(&v);
    assert!(
        explanation(&v, "instance").contains("this grant ended on 2025-03-31T00:00:00Z"),
        "{}",
        explanation(&v, "instance")
    );
}

/// AWS's documented policy that denies almost everything without MFA.
fn mfa_policy() -> String {
    with_reads(
        r#"{"Effect": "Allow", "Action": "ssm:StartSession", "Resource": "*"},
           {"Sid": "DenyAllExceptListedIfNoMFA", "Effect": "Deny",
            "NotAction": ["iam:*", "sts:*", "ec2:DescribeInstances", "ssm:DescribeInstanceInformation", "ssm:ListTagsForResource", "ssm:TerminateSession"],
            "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}"#,
    )
}

#[test]
fn mfa_enforcement_denies_long_term_keys_and_says_so() {
    crate::needs_emulator!();
    let group = emu().group("g-mfa");
    let id = group.instance("web").launch();
    let v = verdicts(&user(&group, "keys", &mfa_policy(), &[]), &id);
    agree_denied(&v);
    let text = explanation(&v, "instance");
    assert!(
        text.contains("this condition is about MFA: these are long-term access keys"),
        "{text}"
    );
    assert!(
        text.contains("aws sts get-session-token --serial-number"),
        "{text}"
    );
}

#[test]
fn mfa_of_temporary_credentials_is_unknown_and_aws_decides() {
    crate::needs_emulator!();
    let group = emu().group("g-mfa-temp");
    let id = group.instance("web").launch();
    let (_, session) = emu().assumed_role(&group.name("role"), "/", &[("access", &mfa_policy())]);
    let v = verdicts(&session, &id);
    // Assumed without MFA: AWS denies; ssmgo can't see MFA of temporary credentials.
    assert!(!v.aws_allowed);
    unknown_on(&v, "aws:MultiFactorAuthPresent");
    assert!(
        v.connect.stderr.contains("this condition is about MFA"),
        "{}",
        v.connect.stderr
    );
}

#[test]
fn resource_wildcards_that_end_a_segment_cover_the_rest_of_the_arn() {
    crate::needs_emulator!();
    let group = emu().group("g-wild");
    let id = group.instance("web").launch();
    let allow = with_reads(&format!(
        r#"{{"Effect": "Allow", "Action": "ssm:StartSession", "Resource": ["arn:aws:ec2:*", "{DOC}"]}}"#
    ));
    agree_allowed(&verdicts(&user(&group, "allow", &allow, &[]), &id));
    let deny = with_reads(&format!(
        r#"{ALLOW_START}, {{"Effect": "Deny", "Action": "ssm:StartSession", "Resource": "arn:aws:ssm:*"}}"#
    ));
    let v = verdicts(&user(&group, "deny", &deny, &[]), &id);
    agree_denied(&v);
    assert_eq!(resource(&v.check, "document")["decision"], "explicitDeny");
}

#[test]
fn a_service_control_policy_is_named_as_the_organizations() {
    crate::needs_emulator!();
    let group = emu().group("g-scp");
    let id = group.instance("web").launch();
    // Scoped to this test's callers by a principal tag, as SCPs are written for groups of users.
    let scp = format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Deny", "Action": "ssm:StartSession", "Resource": "*",
           "Condition": {{"StringEquals": {{"aws:PrincipalTag/scp-scope": "{}"}}}}}}]}}"#,
        group.scope
    );
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/emu/run/scp");
    std::fs::write(dir.join(format!("{}.json", group.scope)), scp).unwrap();
    let policy = with_reads(ALLOW_START);
    let v = verdicts(
        &user(&group, "in-org", &policy, &[("scp-scope", &group.scope)]),
        &id,
    );
    agree_denied(&v);
    let text = explanation(&v, "instance");
    assert!(
        text.contains("a service control policy (SCP) of your AWS Organization"),
        "{text}"
    );
    assert!(!text.contains("no policy allows"), "{text}");
    agree_allowed(&verdicts(&user(&group, "free", &policy, &[]), &id));
}

#[test]
fn the_fix_is_proven_on_the_real_request_and_says_when_the_instance_stays_denied() {
    crate::needs_emulator!();
    let group = emu().group("g-fix");
    let dev = group.instance("dev").tag("Env", "dev").launch();
    let prod = group.instance("prod").tag("Env", "prod").launch();
    let broken = with_reads(&format!(
        r#"{{"Sid": "Connect", "Effect": "Allow", "Action": "ssm:StartSession",
            "Resource": ["{DOC}", "arn:aws:ec2:us-east-1:123456789012:instance/*"],
            "Condition": {{"StringEquals": {{"aws:ResourceTag/Env": "dev"}}}}}}"#
    ));
    let who = user(&group, "u", &broken, &[]);
    let v = verdicts(&who, &dev);
    agree_denied(&v);
    let err = &v.connect.stderr;
    assert!(
        err.contains("ssm:StartSession on this request, before and after the fix"),
        "{err}"
    );
    let row = |before: &str, after: &str, id: &str| {
        format!(
            "  {:<22}{before:<14}-> {after:<14} arn:aws:ec2:us-east-1:123456789012:instance/{id}",
            "this instance"
        )
    };
    assert!(err.contains(&row("allowed", "allowed", &dev)), "{err}");
    assert!(!err.contains("stays denied"), "{err}");

    let v = verdicts(&who, &prod);
    agree_denied(&v);
    let err = &v.connect.stderr;
    assert!(
        err.contains(&row("implicitDeny", "implicitDeny", &prod)),
        "{err}"
    );
    assert!(
        err.contains("The fix repairs the session document, but this instance stays denied"),
        "{err}"
    );
    assert!(
        err.contains(r#"expected "dev", request has "prod""#),
        "{err}"
    );
}

#[test]
fn check_json_says_where_each_context_value_came_from() {
    crate::needs_emulator!();
    let group = emu().group("g-ctx");
    let id = group.instance("web").launch();
    let who = user(&group, "ctx", &with_reads(ALLOW_START), &[("Team", "ops")]);
    let out = ssmgo()
        .signed_in_as(&who)
        .args(["check", &id, "--json"])
        .run()
        .expect_success();
    let ctx = out.json()["context"].clone();
    let source = |key: &str| -> String {
        ctx.as_array()
            .unwrap()
            .iter()
            .find(|e| e["key"] == key)
            .unwrap_or_else(|| panic!("{key} missing in {ctx:#}"))["source"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(source("aws:RequestedRegion"), "the region in use");
    assert_eq!(source("aws:CurrentTime"), "this machine's clock");
    assert_eq!(source("aws:username"), "sts:GetCallerIdentity");
    assert_eq!(source("aws:PrincipalTag/Team"), "iam:ListUserTags");
    assert!(
        !ctx.to_string().contains("MultiFactorAuthPresent"),
        "no MFA key for long-term keys"
    );
    ssmgo()
        .signed_in_as(&who)
        .args(["-v", "check", &id])
        .run()
        .expect_success()
        .stderr_has("ssmgo: context: aws:RequestedRegion = us-east-1 (the region in use)")
        .stderr_has("ssmgo: context: aws:PrincipalTag/Team = ops (iam:ListUserTags)");
}

#[test]
fn a_refusal_says_how_to_let_aws_decide_and_the_config_can_say_so_for_good() {
    crate::needs_emulator!();
    let group = emu().group("g-off");
    let id = group.instance("web").tag("Env", "dev").launch();
    let broken = with_reads(&format!(
        r#"{{"Effect": "Allow", "Action": "ssm:StartSession", "Resource": ["{DOC}", "arn:aws:ec2:*:*:instance/*"],
            "Condition": {{"StringEquals": {{"aws:ResourceTag/Env": "dev"}}}}}}"#
    ));
    let who = user(&group, "u", &broken, &[]);
    ssmgo()
        .signed_in_as(&who)
        .args(["connect", &id])
        .run()
        .expect_code(3)
        .stderr_has("pass --no-check (or set `check = \"off\"` in the config file)");
    // With the check off, AWS decides (and refuses), and the refusal is still explained.
    ssmgo()
        .signed_in_as(&who)
        .config("check = \"off\"\n")
        .args(["connect", &id])
        .run()
        .expect_code(3)
        .stderr_has("AWS denied ssm:StartSession")
        .stderr_has("why AWS most likely refused")
        .stderr_has("the session document carries none of the instance's tags");
    // --strict on the command line wins over the config.
    ssmgo()
        .signed_in_as(&who)
        .config("check = \"off\"\n")
        .args(["connect", &id, "--strict"])
        .run()
        .expect_code(3)
        .stderr_has("would be DENIED");
}

/// Registers a hybrid managed node (mi-…) with these tags in the emulator.
fn hybrid_node(group: &Group, tags: &[(&str, &str)]) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let id = format!("mi-{:017x}", nanos & 0x000f_ffff_ffff_ffff_ffff);
    let tags: serde_json::Map<String, Value> = tags
        .iter()
        .map(|(k, v)| (k.to_string(), Value::from(*v)))
        .collect();
    let node =
        serde_json::json!({"InstanceId": id, "ComputerName": group.name("edge"), "Tags": tags});
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/emu/run/hybrid");
    std::fs::write(dir.join(format!("{id}.json")), node.to_string()).unwrap();
    id
}

#[test]
fn hybrid_nodes_are_checked_with_their_own_tags() {
    crate::needs_emulator!();
    let group = emu().group("g-hybrid");
    let dev = hybrid_node(&group, &[("Env", "dev")]);
    let prod = hybrid_node(&group, &[("Env", "prod")]);
    let policy = with_reads(&format!(
        r#"{{"Effect": "Allow", "Action": "ssm:StartSession", "Resource": "{DOC}"}},
           {{"Effect": "Allow", "Action": "ssm:StartSession", "Resource": "arn:aws:ssm:*:*:managed-instance/*",
             "Condition": {{"StringEquals": {{"ssm:resourceTag/Env": "dev"}}}}}}"#
    ));
    let who = user(&group, "u", &policy, &[]);
    let v = verdicts(&who, &dev);
    agree_allowed(&v);
    assert_eq!(
        resource(&v.check, "instance")["arn"],
        format!("arn:aws:ssm:us-east-1:123456789012:managed-instance/{dev}")
    );
    let v = verdicts(&who, &prod);
    agree_denied(&v);
    assert!(
        explanation(&v, "instance").contains(r#"expected "dev", request has "prod""#),
        "{}",
        explanation(&v, "instance")
    );
}

#[test]
fn a_failed_simulation_never_hides_the_denial_the_other_found() {
    crate::needs_emulator!();
    let group = emu().group("g-halfsim");
    let id = group.instance("web").tag("Env", "dev").launch();
    let broken = with_reads(&format!(
        r#"{{"Effect": "Allow", "Action": "ssm:StartSession", "Resource": ["{DOC}", "arn:aws:ec2:*:*:instance/*"],
            "Condition": {{"StringEquals": {{"aws:ResourceTag/Env": "dev"}}}}}}"#
    ));
    let who = user(&group, "u", &broken, &[]);
    // The instance's simulation fails; the document's (denied) comes back.
    let proxy = crate::support::fault::FaultProxy::start(&emu().endpoint, |call| {
        if call.operation == "SimulatePrincipalPolicy" && call.body.contains("instance%2F") {
            crate::support::fault::Fault::html_500()
        } else {
            crate::support::fault::Fault::Forward
        }
    });
    let out = ssmgo()
        .signed_in_as(&who)
        .env("AWS_ENDPOINT_URL", &proxy.url)
        .args(["check", &id, "--json"])
        .run()
        .expect_code(3);
    let v = out.json();
    assert_eq!(v["decision"], "denied", "{v:#}");
    assert_eq!(resource(&v, "document")["decision"], "implicitDeny");
    assert!(
        v["warnings"]
            .to_string()
            .contains("the instance could not be checked"),
        "{v:#}"
    );
}

#[test]
fn terminate_session_is_checked_for_roles_the_way_aws_documents_it() {
    crate::needs_emulator!();
    let group = emu().group("g-term");
    let id = group.instance("web").launch();
    let own_sessions = r#"{"Effect": "Allow", "Action": "ssm:TerminateSession", "Resource": "arn:aws:ssm:*:*:session/*",
        "Condition": {"StringLike": {"ssm:resourceTag/aws:ssmmessages:session-id": ["${aws:userid}"]}}}"#;
    let reads_without_terminate = READS.replace(r#", "ssm:TerminateSession""#, "");
    let policy = |extra: &str| {
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [{ALLOW_START}, {reads_without_terminate}{extra}]}}"#
        )
    };
    let (_, allowed) = emu().assumed_role(
        &group.name("ends"),
        "/",
        &[("access", &policy(&format!(", {own_sessions}")))],
    );
    let out = ssmgo()
        .signed_in_as(&allowed)
        .args(["check", &id, "--json"])
        .run()
        .expect_success();
    assert_eq!(
        out.json()["warnings"],
        serde_json::json!([]),
        "{}",
        out.stdout
    );
    let (_, not_allowed) =
        emu().assumed_role(&group.name("keeps"), "/", &[("access", &policy(""))]);
    let out = ssmgo()
        .signed_in_as(&not_allowed)
        .args(["check", &id, "--json"])
        .run()
        .expect_success();
    assert!(
        out.json()["warnings"]
            .to_string()
            .contains("ssm:resourceTag/aws:ssmmessages:session-id = ${aws:userid}"),
        "{}",
        out.stdout
    );
}

/// A public key file (its directory kept alive by the first value).
fn public_key_file() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let public = dir.path().join("id.pub");
    std::fs::write(
        &public,
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq0Bj1dGFkZXN0a2V5Zm9ydGVzdHMAAAAAAAAAAA tester\n",
    )
    .unwrap();
    (dir, public)
}

#[test]
fn a_key_push_for_an_os_user_the_policy_does_not_allow_is_refused_before_any_session() {
    crate::needs_emulator!();
    let group = emu().group("guard-eic");
    let id = group.instance("web").launch();
    // May connect, and push keys for ec2-user only.
    let policy = with_reads(&format!(
        r#"{ALLOW_START}, {{"Effect": "Allow", "Action": "ec2-instance-connect:SendSSHPublicKey", "Resource": "arn:aws:ec2:*:*:instance/*", "Condition": {{"StringEquals": {{"ec2:osuser": "ec2-user"}}}}}}"#
    ));
    let erin = emu().user(&format!("{}-erin", group.scope), &[("eic", &policy)]);
    let (_key, public) = public_key_file();
    let key_arg = public.display().to_string();

    let out = ssmgo()
        .signed_in_as(&erin)
        .args([
            "ssh-proxy",
            "--send-key",
            "--os-user",
            "admin",
            "--public-key",
            &key_arg,
            &id,
            "22",
        ])
        .run()
        .expect_code(3)
        .stderr_has("ssmgo: the pre-check says you may not push a key for admin to")
        .stderr_has("would allow it, but:")
        .stderr_has("ec2:osuser")
        .stderr_has("you may not push an SSH key for admin to");
    assert!(out.plugin.is_none());
    let calls = emu().calls_by(&erin.arn);
    assert!(
        !calls
            .iter()
            .any(|c| c.op == "SendSSHPublicKey" || c.op == "StartSession"),
        "{calls:?}"
    );

    // For ec2-user it is pushed, then the session starts.
    ssmgo()
        .signed_in_as(&erin)
        .args([
            "ssh-proxy",
            "--send-key",
            "--os-user",
            "ec2-user",
            "--public-key",
            &key_arg,
            &id,
            "22",
        ])
        .run()
        .expect_success();
    let calls = emu().calls_by(&erin.arn);
    let pushed = calls.iter().position(|c| c.op == "SendSSHPublicKey");
    let started = calls.iter().position(|c| c.op == "StartSession");
    assert!(
        pushed.is_some() && pushed < started,
        "the key goes first: {calls:?}"
    );
}

#[test]
fn send_key_in_the_config_pushes_the_key_without_the_flag() {
    crate::needs_emulator!();
    let group = emu().group("guard-eic-config");
    let id = group.instance("web").launch();
    let policy = with_reads(&format!(
        r#"{ALLOW_START}, {{"Effect": "Allow", "Action": "ec2-instance-connect:SendSSHPublicKey", "Resource": "*"}}"#
    ));
    let finn = emu().user(&format!("{}-finn", group.scope), &[("eic", &policy)]);
    let (_key, public) = public_key_file();
    ssmgo()
        .signed_in_as(&finn)
        .config("send-key = true\n")
        .args([
            "ssh-proxy",
            "--os-user",
            "ubuntu",
            "--public-key",
            &public.display().to_string(),
            &id,
            "22",
        ])
        .run()
        .expect_success();
    assert!(emu().log().iter().any(|v| v["op"] == "SendSSHPublicKey"
        && v["target"] == id.as_str()
        && v["user"] == "ubuntu"));
}

#[test]
fn the_key_pushed_is_ssh_agents_when_one_runs() {
    crate::needs_emulator!();
    let group = emu().group("guard-eic-agent");
    let dir_for_keys = tempfile::tempdir().unwrap();
    let id = group
        .instance("web")
        .tag(
            "ssmgo:eic-keys-dir",
            &dir_for_keys.path().display().to_string(),
        )
        .launch();
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("id");
    let made = std::process::Command::new("ssh-keygen")
        .args([
            "-q",
            "-t",
            "ed25519",
            "-N",
            "",
            "-C",
            "from-the-agent",
            "-f",
        ])
        .arg(&key)
        .status()
        .unwrap();
    assert!(made.success());
    let socket = dir.path().join("agent.sock");
    let mut agent = std::process::Command::new("ssh-agent")
        .arg("-D")
        .arg("-a")
        .arg(&socket)
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("ssh-agent (openssh-client)");
    // Until it answers: its socket exists once bound, a moment before it listens. `ssh-add -l`
    // exits 2 while it can't reach the agent, 1 for an agent without keys.
    let started = std::time::Instant::now();
    let reached = || {
        std::process::Command::new("ssh-add")
            .arg("-l")
            .env("SSH_AUTH_SOCK", &socket)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap()
            .code()
            != Some(2)
    };
    while !reached() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "ssh-agent never listened"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let added = std::process::Command::new("ssh-add")
        .arg(&key)
        .env("SSH_AUTH_SOCK", &socket)
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(added.success());
    ssmgo()
        .env("SSH_AUTH_SOCK", &socket)
        .args([
            "ssh-proxy",
            "--send-key",
            "--os-user",
            "ec2-user",
            &id,
            "22",
        ])
        .run()
        .expect_success();
    let _ = agent.kill();
    let _ = agent.wait();
    let pushed = std::fs::read_to_string(dir_for_keys.path().join("ec2-user.keys")).unwrap();
    assert!(pushed.contains("from-the-agent"), "{pushed}");
}
