//! Cross-check against an independent implementation (the iam-rs crate, used only here): random
//! policies and requests inside the subset where iam-rs is known to follow IAM (no duplicate
//! keys, Version 2012-10-17 without policy variables, no permissions boundary, concrete resource
//! ARNs), and the two must reach the same decision every time.

use ssmgo_policy::{Context, Decision, Evaluator, Policy, Request};

mod common;
use common::Rng;

const ACTIONS: &[&str] = &[
    "ssm:StartSession",
    "ssm:TerminateSession",
    "ec2:DescribeInstances",
    "s3:GetObject",
];
const ACTION_PATTERNS: &[&str] = &[
    "ssm:StartSession",
    "ssm:*",
    "ssm:Start*",
    "*",
    "ec2:Describe*",
    "s3:GetObject",
    "ssm:?erminateSession",
    "SSM:startsession",
];
const RESOURCES: &[&str] = &[
    "arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0",
    "arn:aws:ssm:us-east-1:123456789012:document/SSM-SessionManagerRunShell",
    "arn:aws:s3:::bucket/a/b.txt",
    "arn:aws:ec2:eu-west-1:999999999999:instance/i-0fedcba9876543210",
];
const RESOURCE_PATTERNS: &[&str] = &[
    "*",
    "arn:aws:ec2:*:*:instance/*",
    "arn:aws:ec2:us-east-1:123456789012:instance/*",
    "arn:aws:ssm:us-east-1:123456789012:document/SSM-SessionManagerRunShell",
    "arn:aws:ssm:*:*:document/*",
    "arn:aws:s3:::bucket/*",
    "arn:aws:ec2:eu-west-1:999999999999:instance/i-0fedcba9876543210",
];
const KEYS: &[&str] = &[
    "aws:ResourceTag/Env",
    "aws:ResourceTag/Team",
    "aws:SourceIp",
    "aws:SecureTransport",
    "ec2:Count",
];

/// No Arn* operator is drawn: iam-rs 0.8 differs from the IAM User Guide there (ArnEquals is plain
/// string equality, ArnLike a glob over the whole string whose `*` crosses colons), where IAM
/// checks each of the six ARN components separately. The conformance cases cover those operators.
fn condition(rng: &mut Rng) -> (String, String, String) {
    match rng.below(8) {
        0 => (
            "StringEquals".into(),
            rng.pick(&KEYS[..2]).into(),
            rng.pick(&["dev", "prod", "data"]).into(),
        ),
        1 => (
            "StringNotEquals".into(),
            rng.pick(&KEYS[..2]).into(),
            rng.pick(&["dev", "prod"]).into(),
        ),
        2 => (
            "StringLike".into(),
            rng.pick(&KEYS[..2]).into(),
            rng.pick(&["d*", "pr?d", "*"]).into(),
        ),
        3 => (
            "Bool".into(),
            "aws:SecureTransport".into(),
            rng.pick(&["true", "false"]).into(),
        ),
        4 => (
            "IpAddress".into(),
            "aws:SourceIp".into(),
            rng.pick(&["10.0.0.0/8", "203.0.113.0/24"]).into(),
        ),
        5 => (
            "NumericLessThan".into(),
            "ec2:Count".into(),
            rng.pick(&["5", "10"]).into(),
        ),
        6 => (
            "StringEqualsIgnoreCase".into(),
            rng.pick(&KEYS[..2]).into(),
            rng.pick(&["DEV", "Prod"]).into(),
        ),
        _ => (
            "NotIpAddress".into(),
            "aws:SourceIp".into(),
            "10.0.0.0/8".into(),
        ),
    }
}

fn random_policy(rng: &mut Rng) -> String {
    let n = 1 + rng.below(4);
    let mut statements = Vec::new();
    for _ in 0..n {
        let effect = if rng.chance(25) { "Deny" } else { "Allow" };
        let actions: Vec<String> = (0..1 + rng.below(2))
            .map(|_| format!("{:?}", rng.pick(ACTION_PATTERNS)))
            .collect();
        let resources: Vec<String> = (0..1 + rng.below(2))
            .map(|_| format!("{:?}", rng.pick(RESOURCE_PATTERNS)))
            .collect();
        let mut text = format!(
            r#"{{"Effect": "{effect}", "Action": [{}], "Resource": [{}]"#,
            actions.join(", "),
            resources.join(", ")
        );
        if rng.chance(60) {
            let mut blocks: Vec<(String, Vec<(String, String)>)> = Vec::new();
            for _ in 0..1 + rng.below(2) {
                let (op, key, value) = condition(rng);
                match blocks.iter_mut().find(|(o, _)| *o == op) {
                    Some((_, keys)) if !keys.iter().any(|(k, _)| *k == key) => {
                        keys.push((key, value))
                    }
                    Some(_) => {}
                    None => blocks.push((op, vec![(key, value)])),
                }
            }
            let body: Vec<String> = blocks
                .iter()
                .map(|(op, keys)| {
                    let kv: Vec<String> =
                        keys.iter().map(|(k, v)| format!("{k:?}: {v:?}")).collect();
                    format!("{op:?}: {{{}}}", kv.join(", "))
                })
                .collect();
            text.push_str(&format!(r#", "Condition": {{{}}}"#, body.join(", ")));
        }
        text.push('}');
        statements.push(text);
    }
    format!(
        r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#,
        statements.join(", ")
    )
}

fn random_context(rng: &mut Rng) -> Vec<(&'static str, &'static str)> {
    let mut ctx = Vec::new();
    if rng.chance(60) {
        ctx.push(("aws:ResourceTag/Env", rng.pick(&["dev", "prod", "Dev"])));
    }
    if rng.chance(40) {
        ctx.push(("aws:ResourceTag/Team", rng.pick(&["data", "web"])));
    }
    if rng.chance(50) {
        ctx.push((
            "aws:SourceIp",
            rng.pick(&["10.1.2.3", "203.0.113.9", "192.0.2.1"]),
        ));
    }
    if rng.chance(50) {
        ctx.push(("aws:SecureTransport", rng.pick(&["true", "false"])));
    }
    if rng.chance(40) {
        ctx.push(("ec2:Count", rng.pick(&["3", "7", "12"])));
    }
    ctx
}

#[test]
fn random_policies_get_the_same_decision_as_an_independent_implementation() {
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let (mut compared, mut disagreements) = (0, Vec::new());
    for round in 0..3000 {
        let text = random_policy(&mut rng);
        let ours = Policy::parse("random", &text).unwrap();
        let theirs = iam_rs::IAMPolicy::from_json(&text).expect("iam-rs reads the policy");
        let action = rng.pick(ACTIONS);
        let resource = rng.pick(RESOURCES);
        let pairs = random_context(&mut rng);

        let mut ctx = Context::new();
        let mut their_ctx = iam_rs::Context::new();
        for (k, v) in &pairs {
            ctx.insert(k, *v);
            // iam-rs types its context: booleans and numbers as such, like IAM's own context.
            their_ctx = match *k {
                "aws:SecureTransport" => their_ctx.with_boolean(*k, *v == "true"),
                "ec2:Count" => their_ctx.with_number(*k, v.parse().unwrap()),
                _ => their_ctx.with_string(*k, *v),
            };
        }
        let decision = Evaluator::new(std::slice::from_ref(&ours), None)
            .decide(&Request::new(action, resource, &ctx));
        let request = iam_rs::IAMRequest::new_with_context(
            iam_rs::Principal::Aws(iam_rs::PrincipalId::String(
                "arn:aws:iam::123456789012:user/alice".into(),
            )),
            action,
            iam_rs::Arn::parse(resource).unwrap(),
            their_ctx,
        );
        let Ok(result) = iam_rs::PolicyEvaluator::with_policies(vec![theirs]).evaluate(&request)
        else {
            continue;
        };
        let expected = match result.decision {
            iam_rs::Decision::Allow => Decision::Allowed,
            iam_rs::Decision::Deny => Decision::ExplicitDeny,
            iam_rs::Decision::NotApplicable => Decision::ImplicitDeny,
        };
        compared += 1;
        if decision != expected {
            disagreements.push(format!("round {round}: {action} on {resource} with {pairs:?}\n  ours {decision:?}, iam-rs {expected:?}\n  {text}"));
        }
    }
    assert!(compared > 2500, "only {compared} cases could be compared");
    assert!(
        disagreements.is_empty(),
        "{} disagreements:\n{}",
        disagreements.len(),
        disagreements
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
