//! The guarded connect: the StartSession pre-check against the emulator's IAM simulator, with
//! principals each test creates for itself.

use std::time::Duration;

use crate::support::fault::{Fault, FaultProxy};
use crate::support::{emu, ssmgo, Group};

pub(crate) const DOC: &str =
    "arn:aws:ssm:us-east-1:123456789012:document/SSM-SessionManagerRunShell";
const INSTANCES: &str = "arn:aws:ec2:us-east-1:123456789012:instance/*";

/// What every principal here needs besides StartSession: to list, to ask the simulator about
/// itself, and to read its own policies.
pub(crate) const READS: &str = r#"{"Effect": "Allow", "Action": ["ec2:DescribeInstances", "ssm:DescribeInstanceInformation", "ssm:ListTagsForResource",
  "sts:GetCallerIdentity", "iam:SimulatePrincipalPolicy", "iam:GetUser", "iam:GetRole", "iam:ListUserPolicies", "iam:GetUserPolicy",
  "iam:ListAttachedUserPolicies", "iam:ListGroupsForUser", "iam:ListRolePolicies", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies",
  "iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListUserTags", "iam:ListRoleTags", "ssm:TerminateSession"], "Resource": "*"}"#;

/// The motivating mistake: document and instances in one statement under a tag condition.
pub(crate) fn broken() -> String {
    format!(
        r#"{{
  "Version": "2012-10-17",
  "Statement": [
    {{
      "Sid": "Connect",
      "Effect": "Allow",
      "Action": "ssm:StartSession",
      "Resource": ["{DOC}", "{INSTANCES}"],
      "Condition": {{"StringEquals": {{"aws:ResourceTag/Env": "dev"}}}}
    }},
    {READS}
  ]
}}"#
    )
}

/// The split fix.
fn fixed() -> String {
    format!(
        r#"{{"Version": "2012-10-17", "Statement": [
  {{"Effect": "Allow", "Action": "ssm:StartSession", "Resource": "{INSTANCES}", "Condition": {{"StringEquals": {{"aws:ResourceTag/Env": "dev"}}}}}},
  {{"Effect": "Allow", "Action": "ssm:StartSession", "Resource": "{DOC}"}},
  {READS}]}}"#
    )
}

pub(crate) fn user(group: &Group, short: &str, policy: &str) -> crate::support::Principal {
    emu().user(&group.name(short), &[("ssm-access", policy)])
}

fn start_session_calls(caller: &str) -> usize {
    emu()
        .calls_by(caller)
        .iter()
        .filter(|c| c.op == "StartSession")
        .count()
}

#[test]
fn the_broken_policy_is_caught_before_start_session_and_explained_with_the_fix() {
    crate::needs_emulator!();
    let group = emu().group("pc-broken");
    let id = group.instance("web").tag("Env", "dev").launch();
    let alice = user(&group, "alice", &broken());

    let out = ssmgo()
        .signed_in_as(&alice)
        .args(["connect", &id])
        .run()
        .expect_code(3)
        .stderr_has("would be DENIED")
        .stderr_has(&format!("DENIED session document {DOC}: implicitDeny"))
        .stderr_has(&format!(
            "ok     instance arn:aws:ec2:us-east-1:123456789012:instance/{id}: allowed"
        ))
        .stderr_has(r#"statement 1 "Connect" (line 4, column 5) would allow it, but:"#)
        .stderr_has(r#"StringEquals aws:ResourceTag/Env: expected "dev", request has no such key"#)
        .stderr_has("the session document carries none of the instance's tags")
        .stderr_has("Fix: give the session document its own statement")
        .stderr_has("implicitDeny  -> allowed")
        .stderr_has(&format!("ssmgo check {id}"));
    assert!(
        out.stderr.contains(r#"inline policy "ssm-access" of user"#),
        "{}",
        out.stderr
    );
    assert!(out.plugin.is_none());
    assert_eq!(
        start_session_calls(&alice.arn),
        0,
        "StartSession never reached AWS"
    );
}

#[test]
fn check_json_names_the_denied_document_and_carries_the_fixed_policy() {
    crate::needs_emulator!();
    let group = emu().group("pc-json");
    let id = group.instance("web").tag("Env", "dev").launch();
    let alice = user(&group, "alice", &broken());

    let out = ssmgo()
        .signed_in_as(&alice)
        .args(["check", &id, "--json"])
        .run()
        .expect_code(3);
    let v = out.json();
    assert_eq!(v["decision"], "denied");
    assert_eq!(v["principal"], alice.arn.as_str());
    assert_eq!(v["policy_source_arn"], alice.arn.as_str());
    let resources = v["resources"].as_array().unwrap();
    assert_eq!(resources[0]["kind"], "document");
    assert_eq!(resources[0]["arn"], DOC);
    assert_eq!(resources[0]["decision"], "implicitDeny");
    assert_eq!(resources[0]["missing_context"][0], "aws:ResourceTag/Env");
    assert_eq!(resources[1]["kind"], "instance");
    assert_eq!(resources[1]["decision"], "allowed");
    assert_eq!(resources[1]["matched"][0]["line"], 4);
    let statements = v["fix"]["Statement"].as_array().expect("a fixed policy");
    assert_eq!(statements.len(), 3);
    assert_eq!(statements[1]["Resource"], DOC);
    assert!(statements[1].get("Condition").is_none());
    assert_eq!(start_session_calls(&alice.arn), 0);
}

#[test]
fn the_split_policy_connects() {
    crate::needs_emulator!();
    let group = emu().group("pc-fixed");
    let id = group.instance("web").tag("Env", "dev").launch();
    let bob = user(&group, "bob", &fixed());

    let out = ssmgo()
        .signed_in_as(&bob)
        .args(["connect", &id])
        .run()
        .expect_success();
    assert!(out.plugin.is_some());
    assert!(
        !out.stderr.contains("pre-check could not run"),
        "{}",
        out.stderr
    );
    assert_eq!(start_session_calls(&bob.arn), 1);
    ssmgo()
        .signed_in_as(&bob)
        .args(["check", &id])
        .run()
        .expect_success()
        .stdout_has("document and instance both allowed");
}

#[test]
fn an_explicit_deny_names_the_deny_statement() {
    crate::needs_emulator!();
    let group = emu().group("pc-deny");
    let id = group.instance("db").tag("Env", "prod").launch();
    let policy = format!(
        r#"{{"Version": "2012-10-17", "Statement": [
  {{"Effect": "Allow", "Action": "ssm:StartSession", "Resource": "*"}},
  {{"Sid": "NoProd", "Effect": "Deny", "Action": "ssm:StartSession", "Resource": "{INSTANCES}",
    "Condition": {{"StringEquals": {{"ssm:resourceTag/Env": "prod"}}}}}},
  {READS}]}}"#
    );
    let carol = user(&group, "carol", &policy);

    ssmgo()
        .signed_in_as(&carol)
        .args(["connect", &id])
        .run()
        .expect_code(3)
        .stderr_has("DENIED instance")
        .stderr_has("explicitDeny")
        .stderr_has(r#"an explicit Deny in policy "ssm-access" (line 3, column 3)"#)
        .stderr_has(r#"statement 2 "NoProd""#);
    assert_eq!(start_session_calls(&carol.arn), 0);
}

#[test]
fn without_simulator_permission_ssmgo_warns_and_connects_unless_strict() {
    crate::needs_emulator!();
    let group = emu().group("pc-nosim");
    let id = group.instance("web").launch();
    let policy = r#"{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": ["ssm:StartSession", "ssm:TerminateSession", "sts:GetCallerIdentity", "ec2:DescribeInstances", "ssm:DescribeInstanceInformation"], "Resource": "*"}]}"#;
    let dave = user(&group, "dave", policy);

    let out = ssmgo()
        .signed_in_as(&dave)
        .args(["connect", &id])
        .run()
        .expect_success()
        .stderr_has("the access pre-check could not run")
        .stderr_has("iam:SimulatePrincipalPolicy");
    assert_eq!(
        out.stderr.matches("pre-check could not run").count(),
        1,
        "one line: {}",
        out.stderr
    );
    assert!(out.plugin.is_some());

    ssmgo()
        .signed_in_as(&dave)
        .args(["connect", &id, "--strict"])
        .run()
        .expect_code(1)
        .stderr_has("--strict");
    ssmgo()
        .signed_in_as(&dave)
        .args(["check", &id])
        .run()
        .expect_code(1)
        .stderr_has("could not run");
}

#[test]
fn a_user_with_no_ssm_rights_is_told_no_policy_allows_it() {
    crate::needs_emulator!();
    let group = emu().group("pc-none");
    let id = group.instance("web").launch();
    let erin = user(
        &group,
        "erin",
        &format!(r#"{{"Version": "2012-10-17", "Statement": [{READS}]}}"#),
    );

    ssmgo()
        .signed_in_as(&erin)
        .args(["connect", &id])
        .run()
        .expect_code(3)
        .stderr_has("no policy allows ssm:StartSession on the session document")
        .stderr_has("no policy allows ssm:StartSession on the instance");
}

#[test]
fn without_iam_read_permission_the_simulators_answer_still_stands() {
    crate::needs_emulator!();
    let group = emu().group("pc-noread");
    let id = group.instance("web").tag("Env", "dev").launch();
    let policy = format!(
        r#"{{"Version": "2012-10-17", "Statement": [
  {{"Effect": "Allow", "Action": "ssm:StartSession", "Resource": ["{DOC}", "{INSTANCES}"], "Condition": {{"StringEquals": {{"aws:ResourceTag/Env": "dev"}}}}}},
  {{"Effect": "Allow", "Action": ["sts:GetCallerIdentity", "iam:SimulatePrincipalPolicy", "ec2:DescribeInstances"], "Resource": "*"}}]}}"#
    );
    let frank = user(&group, "frank", &policy);

    ssmgo()
        .signed_in_as(&frank)
        .args(["connect", &id])
        .run()
        .expect_code(3)
        .stderr_has(&format!("DENIED session document {DOC}: implicitDeny"))
        .stderr_has("could not read your policies (iam:ListUserPolicies (AccessDenied)")
        .stderr_has("the simulator's answer alone");
    assert_eq!(start_session_calls(&frank.arn), 0);
}

#[test]
fn an_assumed_role_under_a_path_is_simulated_as_the_role() {
    crate::needs_emulator!();
    let group = emu().group("pc-role");
    let id = group.instance("web").tag("Env", "dev").launch();
    let role_name = group.name("ops");
    let (role_arn, session) = emu().assumed_role(
        &role_name,
        "/aws-reserved/sso.amazonaws.com/",
        &[("ssm-access", &fixed())],
    );
    assert!(
        role_arn.contains(":role/aws-reserved/sso.amazonaws.com/"),
        "{role_arn}"
    );

    let out = ssmgo()
        .signed_in_as(&session)
        .args(["check", &id, "--json"])
        .run()
        .expect_success();
    let v = out.json();
    assert_eq!(v["principal"], session.arn.as_str());
    assert!(session.arn.contains(":assumed-role/"));
    assert_eq!(v["policy_source_arn"], role_arn.as_str());
    assert_eq!(v["decision"], "allowed");
}

#[test]
fn a_denial_only_start_session_reveals_is_explained_from_the_message() {
    crate::needs_emulator!();
    // The role allows StartSession (the pre-check, which simulates the role, says so), but the
    // session was created with a session policy that doesn't: only AWS sees that.
    let group = emu().group("pc-sessionpolicy");
    let id = group.instance("web").tag("Env", "dev").launch();
    let (_, gina) = emu().assumed_role_with_session_policy(
        &group.name("gina"),
        "/",
        &[("ssm-access", &fixed())],
        Some(r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotAction": "ssm:StartSession", "Resource": "*"}]}"#),
    );

    let out = ssmgo()
        .signed_in_as(&gina)
        .args(["connect", &id])
        .run()
        .expect_code(3)
        .stderr_has("AWS denied ssm:StartSession on arn:aws:ec2:us-east-1:123456789012:instance/")
        .stderr_has("the session policy of your assumed-role session does not allow it")
        .stderr_has("AssumeRole --policy");
    assert!(
        !out.stderr.contains("AccessDeniedException"),
        "no raw SDK error without --verbose: {}",
        out.stderr
    );
    assert_eq!(start_session_calls(&gina.arn), 1);

    let verbose = ssmgo()
        .signed_in_as(&gina)
        .args(["-v", "connect", &id])
        .run()
        .expect_code(3);
    assert!(
        verbose.stderr.contains("AccessDeniedException"),
        "{}",
        verbose.stderr
    );
}

#[test]
fn skipping_the_check_lets_aws_refuse_and_the_refusal_is_explained() {
    crate::needs_emulator!();
    let group = emu().group("pc-nocheck");
    let id = group.instance("web").tag("Env", "dev").launch();
    let hank = user(&group, "hank", &broken());

    ssmgo()
        .signed_in_as(&hank)
        .args(["connect", &id, "--no-check"])
        .run()
        .expect_code(3)
        .stderr_has(&format!(
            "AWS denied ssm:StartSession on {DOC}: no identity-based policy allows it"
        ))
        .stderr_has(&format!("ssmgo check {id}"));
    assert_eq!(start_session_calls(&hank.arn), 1);
}

#[test]
fn the_two_simulations_run_concurrently() {
    crate::needs_emulator!();
    let group = emu().group("pc-concurrent");
    let id = group.instance("web").tag("Env", "dev").launch();
    let ivan = user(&group, "ivan", &fixed());
    // Concurrent means the second is asked before the first is answered: each StartSession
    // simulation is held on its way until the other one has come too (or, if it never does,
    // for a while). How long each takes, and so whether they overlap in time, is the machine's.
    let arrived = std::sync::Arc::new((std::sync::Mutex::new(0usize), std::sync::Condvar::new()));
    let met = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let proxy = {
        let (arrived, met) = (arrived.clone(), met.clone());
        FaultProxy::start(&emu().endpoint, move |call| {
            if call.operation == "SimulatePrincipalPolicy"
                && (call.body.contains("ssm%3AStartSession")
                    || call.body.contains("ssm:StartSession"))
            {
                let (count, changed) = &*arrived;
                let mut count = count.lock().unwrap();
                *count += 1;
                changed.notify_all();
                let (_count, waited) = changed
                    .wait_timeout_while(count, Duration::from_secs(30), |n| *n < 2)
                    .unwrap();
                if !waited.timed_out() {
                    met.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                }
            }
            Fault::Forward
        })
    };

    ssmgo()
        .signed_in_as(&ivan)
        .env("AWS_ENDPOINT_URL", &proxy.url)
        .args(["check", &id])
        .run()
        .expect_success();
    let sims: Vec<_> = emu()
        .calls_by(&ivan.arn)
        .into_iter()
        .filter(|c| c.op == "SimulatePrincipalPolicy" && c.actions == ["ssm:StartSession"])
        .collect();
    assert_eq!(sims.len(), 2, "one simulation per resource: {sims:?}");
    let (a, b) = (&sims[0], &sims[1]);
    assert_ne!(a.resources, b.resources);
    assert_eq!(a.resources.len(), 1, "never one call with both ARNs");
    assert_eq!(
        met.load(std::sync::atomic::Ordering::SeqCst),
        2,
        "each simulation was asked while the other was on its way"
    );
}
