//! Never a panic, whatever the input: arbitrary bytes, arbitrary JSON, and valid policies with
//! random damage, all pushed through parse, lint, fix and evaluation (deterministic seeds, so a
//! failure reproduces).

use ssmgo_policy::{fix::fix, lint::lint, Context, Evaluator, Policy, Request};

mod common;
use common::Rng;

const SEED_POLICY: &str = r#"{"Version": "2012-10-17", "Statement": [
 {"Sid": "A", "Effect": "Allow", "Action": ["ssm:StartSession", "ssm:*"], "Resource": ["arn:aws:ssm:*:*:document/*", "arn:aws:ec2:*:*:instance/${aws:username}*"],
  "Condition": {"StringEquals": {"aws:ResourceTag/Env": ["dev", "${aws:PrincipalTag/env, 'x'}"]}, "ForAllValues:StringLike": {"aws:TagKeys": "a*"},
                "DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}, "IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "::1/128"]}, "Null": {"x": "true"}}},
 {"Effect": "Deny", "NotAction": "ec2:*", "NotResource": "arn:aws:s3:::b/${*}", "Condition": {"NumericLessThan": {"n": 3}, "Bool": {"b": true}}}]}"#;

const ALPHABET: &[u8] = br#"{}[]:,"\ *?$aA0-/.eE+tfnul"#;

fn exercise(text: &str) {
    let Ok(policy) = Policy::parse("fuzz", text) else {
        return;
    };
    let _ = lint(&policy);
    if let Some(fixed) = fix(&policy) {
        let _ = fixed.proof(&policy);
    }
    let mut ctx = Context::new();
    ctx.insert("aws:ResourceTag/Env", "dev");
    ctx.insert("aws:SourceIp", "10.1.1.1");
    ctx.insert("aws:TagKeys", "a1");
    ctx.insert("aws:TagKeys", "b");
    ctx.add_principal("arn:aws:iam::123456789012:user/alice");
    let policies = [policy];
    for (action, resource) in [
        (
            "ssm:StartSession",
            "arn:aws:ssm:us-east-1:123456789012:document/X",
        ),
        ("s3:GetObject", "arn:aws:s3:::b/*"),
        ("", ""),
        ("x", "*"),
    ] {
        let req = Request::new(action, resource, &ctx);
        let e = Evaluator::new(&policies, Some(&policies));
        assert_eq!(
            e.decide(&req),
            e.explain(&req).decision,
            "fast and explained paths agree on {text:?}"
        );
    }
}

#[test]
fn arbitrary_bytes_never_panic() {
    let mut rng = Rng(0x0123_4567_89ab_cdef);
    for _ in 0..20_000 {
        let len = rng.below(64);
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                if rng.below(3) == 0 {
                    rng.next() as u8
                } else {
                    ALPHABET[rng.below(ALPHABET.len())]
                }
            })
            .collect();
        exercise(&String::from_utf8_lossy(&bytes));
    }
}

#[test]
fn damaged_policies_never_panic() {
    let mut rng = Rng(0xfeed_face_cafe_beef);
    let seed: Vec<char> = SEED_POLICY.chars().collect();
    exercise(SEED_POLICY);
    for _ in 0..5_000 {
        let mut text = seed.clone();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(text.len());
            match rng.below(3) {
                0 => {
                    text.remove(at);
                }
                1 => text.insert(at, ALPHABET[rng.below(ALPHABET.len())] as char),
                _ => text[at] = ALPHABET[rng.below(ALPHABET.len())] as char,
            }
        }
        exercise(&text.iter().collect::<String>());
    }
}

fn random_json(rng: &mut Rng, depth: usize) -> String {
    let keys = [
        "Version",
        "Statement",
        "Effect",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Condition",
        "Sid",
        "StringEquals",
        "ForAnyValue:StringLike",
        "Null",
        "aws:ResourceTag/Env",
        "IpAddress",
        "DateEquals",
        "x",
    ];
    let strings = [
        "2012-10-17",
        "2008-10-17",
        "Allow",
        "Deny",
        "*",
        "ssm:*",
        "arn:aws:ssm:*:*:document/*",
        "${aws:username}",
        "10.0.0.0/8",
        "2026-01-01",
        "true",
        "",
        "arn:",
    ];
    match if depth > 4 {
        rng.below(4)
    } else {
        rng.below(7)
    } {
        0 => format!("{:?}", strings[rng.below(strings.len())]),
        1 => rng.below(1000).to_string(),
        2 => ["true", "false", "null"][rng.below(3)].to_owned(),
        3 => format!("{:?}", keys[rng.below(keys.len())]),
        4 | 5 => {
            let n = rng.below(5);
            let members: Vec<String> = (0..n)
                .map(|_| {
                    format!(
                        "{:?}: {}",
                        keys[rng.below(keys.len())],
                        random_json(rng, depth + 1)
                    )
                })
                .collect();
            format!("{{{}}}", members.join(", "))
        }
        _ => {
            let n = rng.below(4);
            let items: Vec<String> = (0..n).map(|_| random_json(rng, depth + 1)).collect();
            format!("[{}]", items.join(", "))
        }
    }
}

#[test]
fn arbitrary_json_never_panics() {
    let mut rng = Rng(0xdead_beef_0bad_f00d);
    for _ in 0..20_000 {
        exercise(&random_json(&mut rng, 0));
    }
}
