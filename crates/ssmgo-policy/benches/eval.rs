//! Evaluation speed: 10 policies of 10 statements (100 statements) against one request, reported
//! as statement evaluations per second for `decide` (the fast path), `explain`, and iam-rs on the
//! same policies. Run: cargo bench -p ssmgo-policy

use std::hint::black_box;
use std::time::{Duration, Instant};

use ssmgo_policy::{Context, Evaluator, Policy, Request};

fn policy_text(p: usize) -> String {
    let mut statements = Vec::new();
    for s in 0..10 {
        let text = match s % 5 {
            0 => format!(
                r#"{{"Sid": "S{p}x{s}", "Effect": "Allow", "Action": ["ec2:Describe*", "ec2:Get*"], "Resource": "*"}}"#
            ),
            1 => format!(
                r#"{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::bucket-{p}-{s}/*", "arn:aws:s3:::logs-{p}/*"]}}"#
            ),
            2 => format!(
                r#"{{"Effect": "Allow", "Action": ["ssm:StartSession"], "Resource": ["arn:aws:ec2:*:*:instance/*"], "Condition": {{"StringEquals": {{"aws:ResourceTag/Team": "team-{p}-{s}"}}}}}}"#
            ),
            3 => format!(
                r#"{{"Effect": "Deny", "Action": "ssm:*", "Resource": "arn:aws:ssm:eu-west-{s}:*:document/*", "Condition": {{"StringLike": {{"aws:ResourceTag/Env": "prod-{p}*"}}}}}}"#
            ),
            _ => format!(
                r#"{{"Effect": "Allow", "Action": ["ssm:SendCommand", "ssm:StartSession"], "Resource": "arn:aws:ssm:us-west-{p}:123456789012:document/Doc{s}", "Condition": {{"IpAddress": {{"aws:SourceIp": "10.{p}.0.0/16"}}}}}}"#
            ),
        };
        statements.push(text);
    }
    format!(
        r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#,
        statements.join(", ")
    )
}

fn measure(label: &str, statements_per_call: usize, mut f: impl FnMut()) {
    // Warm up, then run for about a second.
    for _ in 0..1000 {
        f();
    }
    let start = Instant::now();
    let mut calls = 0u64;
    while start.elapsed() < Duration::from_secs(1) {
        for _ in 0..1000 {
            f();
        }
        calls += 1000;
    }
    let secs = start.elapsed().as_secs_f64();
    let per_call = secs / calls as f64;
    println!(
        "{label:<28} {:>8.2} µs per request   {:>12.0} statements/s",
        per_call * 1e6,
        calls as f64 * statements_per_call as f64 / secs
    );
}

fn main() {
    let texts: Vec<String> = (0..10).map(policy_text).collect();
    let policies: Vec<Policy> = texts
        .iter()
        .map(|t| Policy::parse("bench", t).unwrap())
        .collect();
    assert_eq!(
        policies.iter().map(|p| p.statements.len()).sum::<usize>(),
        100
    );
    let mut ctx = Context::new();
    ctx.insert("aws:ResourceTag/Team", "nobody");
    ctx.insert("aws:ResourceTag/Env", "dev");
    ctx.insert("aws:SourceIp", "192.0.2.10");
    // No statement applies: every one of the 100 is evaluated.
    let resource = "arn:aws:ssm:us-east-1:123456789012:document/SSM-SessionManagerRunShell";
    let evaluator = Evaluator::new(&policies, None);
    println!(
        "10 policies, 100 statements, one request that no statement allows ({})",
        std::env::consts::ARCH
    );
    measure("ssmgo-policy decide", 100, || {
        let req = Request::new(black_box("ssm:StartSession"), black_box(resource), &ctx);
        black_box(evaluator.decide(&req));
    });
    let req = Request::new("ssm:StartSession", resource, &ctx);
    measure("ssmgo-policy decide (reused)", 100, || {
        black_box(evaluator.decide(black_box(&req)));
    });
    measure("ssmgo-policy explain", 100, || {
        black_box(evaluator.explain(black_box(&req)));
    });

    let theirs: Vec<iam_rs::IAMPolicy> = texts
        .iter()
        .map(|t| iam_rs::IAMPolicy::from_json(t).unwrap())
        .collect();
    let their_evaluator = iam_rs::PolicyEvaluator::with_policies(theirs);
    let their_ctx = iam_rs::Context::new()
        .with_string("aws:ResourceTag/Team", "nobody")
        .with_string("aws:ResourceTag/Env", "dev")
        .with_string("aws:SourceIp", "192.0.2.10");
    let request = iam_rs::IAMRequest::new_with_context(
        iam_rs::Principal::Aws(iam_rs::PrincipalId::String(
            "arn:aws:iam::123456789012:user/alice".into(),
        )),
        "ssm:StartSession",
        iam_rs::Arn::parse(resource).unwrap(),
        their_ctx,
    );
    measure("iam-rs 0.8 evaluate", 100, || {
        black_box(their_evaluator.evaluate(black_box(&request)).unwrap());
    });
}
