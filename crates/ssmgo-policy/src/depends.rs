//! Whether a decision depends on request-context keys the caller can't know (the source address,
//! MFA of temporary credentials, ...), and on which of their values.
//!
//! The keys are tried absent and with the values the policies' own conditions tell apart (an
//! address inside each range and one outside them all, true and false, each listed string and
//! another, each number or date and either side of it). If every combination gets the same
//! decision, the unknown keys don't matter; otherwise the answer says which values allow.

use crate::condition::Base;
use crate::context::Context;
use crate::eval::{Decision, Evaluator, Request};

/// One value to try for an unknown key: `None` for absent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub value: Option<String>,
    /// In words, e.g. `from 10.0.0.0/8`, `absent`, `"blue"`.
    pub label: String,
}

/// How the decision depends on one unknown key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyDependence {
    pub key: String,
    /// The labels of the values with which the request can be allowed.
    pub allowing: Vec<String>,
    /// The labels of the values with which it is denied whatever the other keys hold.
    pub denying: Vec<String>,
}

/// More combinations than this and each key is tried alone (the others absent).
const MAX_COMBINATIONS: usize = 512;

/// The values worth trying for `key`, from every condition on it in the evaluator's policies.
pub fn candidates(evaluator: &Evaluator, key: &str) -> Vec<Candidate> {
    let mut out = vec![Candidate {
        value: None,
        label: "absent".into(),
    }];
    let mut push = |value: String, label: String| {
        if !out
            .iter()
            .any(|c| c.value.as_deref() == Some(value.as_str()))
        {
            out.push(Candidate {
                value: Some(value),
                label,
            });
        }
    };
    let mut cidrs: Vec<String> = Vec::new();
    let policies = evaluator
        .identity
        .iter()
        .chain(evaluator.boundary.into_iter().flatten());
    for policy in policies {
        for st in &policy.statements {
            for c in st
                .conditions
                .iter()
                .filter(|c| c.key.eq_ignore_ascii_case(key))
            {
                let Some(op) = c.operator else { continue };
                let (base, _) = op.base.positive();
                for v in &c.values {
                    match base {
                        Base::IpAddress => cidrs.push(v.clone()),
                        Base::Bool => {
                            push("true".into(), "true".into());
                            push("false".into(), "false".into());
                        }
                        Base::NumericEquals
                        | Base::NumericLessThan
                        | Base::NumericLessThanEquals
                        | Base::NumericGreaterThan
                        | Base::NumericGreaterThanEquals => {
                            if let Ok(n) = v.trim().parse::<f64>() {
                                push(format!("{n}"), v.clone());
                                push(format!("{}", n - 1.0), format!("below {v}"));
                                push(format!("{}", n + 1.0), format!("above {v}"));
                            }
                        }
                        Base::DateEquals
                        | Base::DateLessThan
                        | Base::DateLessThanEquals
                        | Base::DateGreaterThan
                        | Base::DateGreaterThanEquals => {
                            if let Some(ms) = crate::condition::parse_date(v) {
                                let secs = ms / 1000;
                                push(format!("{secs}"), v.clone());
                                push(format!("{}", secs - 86_400), format!("before {v}"));
                                push(format!("{}", secs + 86_400), format!("after {v}"));
                            }
                        }
                        Base::Null => push("present".into(), "present".into()),
                        _ => {
                            let plain: String = v
                                .chars()
                                .map(|ch| if ch == '*' || ch == '?' { 'x' } else { ch })
                                .collect();
                            push(plain, format!("{v:?}"));
                        }
                    }
                }
                if !matches!(base, Base::IpAddress | Base::Bool | Base::Null) {
                    push("ssmgo-another-value".into(), "another value".into());
                }
            }
        }
    }
    for cidr in &cidrs {
        if let Some(inside) = address_in(cidr) {
            push(inside, format!("from {cidr}"));
        }
    }
    if !cidrs.is_empty() {
        let probes = [
            "192.0.2.123",
            "198.51.100.7",
            "203.0.113.201",
            "100.64.0.9",
            "0.0.0.1",
        ];
        if let Some(outside) = probes
            .iter()
            .find(|p| !cidrs.iter().any(|c| crate::condition::ip_in(p, c)))
        {
            push((*outside).to_owned(), format!("from elsewhere ({outside})"));
        }
    }
    out
}

/// The first address of a range (the address itself for a single one).
fn address_in(cidr: &str) -> Option<String> {
    let net = cidr.trim().split('/').next()?;
    net.parse::<std::net::IpAddr>().ok()?;
    crate::condition::ip_in(net, cidr).then(|| net.to_owned())
}

/// How `action` on `resource` depends on the `unknown` keys, given the `known` context (which
/// must not hold them). `None` when the decision is the same whatever they hold.
pub fn depends_on(
    evaluator: &Evaluator,
    action: &str,
    resource: &str,
    known: &Context,
    unknown: &[String],
) -> Option<Vec<KeyDependence>> {
    let per_key: Vec<Vec<Candidate>> = unknown.iter().map(|k| candidates(evaluator, k)).collect();
    let total = per_key
        .iter()
        .try_fold(1usize, |acc, c| acc.checked_mul(c.len()))
        .unwrap_or(usize::MAX);
    // Each combination: the candidate index per key.
    let combinations: Vec<Vec<usize>> = if total <= MAX_COMBINATIONS {
        let mut all = vec![Vec::new()];
        for cands in &per_key {
            all = all
                .into_iter()
                .flat_map(|prefix| {
                    (0..cands.len()).map(move |i| {
                        let mut next = prefix.clone();
                        next.push(i);
                        next
                    })
                })
                .collect();
        }
        all
    } else {
        let mut some = Vec::new();
        for (k, cands) in per_key.iter().enumerate() {
            for i in 0..cands.len() {
                let mut combo = vec![0; per_key.len()];
                combo[k] = i;
                some.push(combo);
            }
        }
        some
    };
    let decide = |combo: &[usize]| {
        let mut ctx = known.clone();
        for ((key, cands), &i) in unknown.iter().zip(&per_key).zip(combo) {
            if let Some(v) = &cands[i].value {
                ctx.insert(key, v.clone());
            }
        }
        evaluator.decide(&Request::new(action, resource, &ctx))
    };
    let decided: Vec<(Vec<usize>, Decision)> = combinations
        .into_iter()
        .map(|c| {
            let d = decide(&c);
            (c, d)
        })
        .collect();
    // Only allowed or not matters: an explicit and an implicit deny end the same way.
    let first = decided.first()?.1 == Decision::Allowed;
    if decided
        .iter()
        .all(|(_, d)| (*d == Decision::Allowed) == first)
    {
        return None;
    }
    Some(
        unknown
            .iter()
            .enumerate()
            .map(|(k, key)| {
                let mut allowing = Vec::new();
                let mut denying = Vec::new();
                for (i, cand) in per_key[k].iter().enumerate() {
                    let with: Vec<Decision> = decided
                        .iter()
                        .filter(|(c, _)| c[k] == i)
                        .map(|(_, d)| *d)
                        .collect();
                    if with.contains(&Decision::Allowed) {
                        allowing.push(cand.label.clone());
                    } else if !with.is_empty() {
                        denying.push(cand.label.clone());
                    }
                }
                KeyDependence {
                    key: key.clone(),
                    allowing,
                    denying,
                }
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Policy;

    fn policy(text: &str) -> Vec<Policy> {
        vec![Policy::parse("p.json", text).unwrap()]
    }

    const INSTANCE: &str = "arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0";

    #[test]
    fn a_source_address_rule_makes_the_decision_depend_on_the_address() {
        let p = policy(
            r#"{"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "ssm:StartSession", "Resource": "*"},
              {"Effect": "Deny", "Action": "ssm:StartSession", "Resource": "*",
               "Condition": {"NotIpAddress": {"aws:SourceIp": ["10.0.0.0/8", "203.0.113.0/24"]}}}]}"#,
        );
        let ev = Evaluator::new(&p, None);
        let deps = depends_on(
            &ev,
            "ssm:StartSession",
            INSTANCE,
            &Context::new(),
            &["aws:SourceIp".into()],
        )
        .expect("it depends on the address");
        assert_eq!(deps[0].allowing, ["from 10.0.0.0/8", "from 203.0.113.0/24"]);
        assert_eq!(deps[0].denying, ["absent", "from elsewhere (192.0.2.123)"]);
    }

    #[test]
    fn a_rule_on_a_key_that_cannot_change_the_outcome_does_not_count() {
        // Denied by the missing Allow whatever the address.
        let p = policy(
            r#"{"Version": "2012-10-17", "Statement": [
              {"Effect": "Deny", "Action": "ssm:StartSession", "Resource": "*",
               "Condition": {"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}]}"#,
        );
        let ev = Evaluator::new(&p, None);
        assert_eq!(
            depends_on(
                &ev,
                "ssm:StartSession",
                INSTANCE,
                &Context::new(),
                &["aws:SourceIp".into()]
            ),
            None
        );
    }

    #[test]
    fn mfa_is_tried_true_false_and_absent() {
        let p = policy(
            r#"{"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "*", "Resource": "*"},
              {"Effect": "Deny", "Action": "*", "Resource": "*",
               "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]}"#,
        );
        let ev = Evaluator::new(&p, None);
        let deps = depends_on(
            &ev,
            "ssm:StartSession",
            INSTANCE,
            &Context::new(),
            &["aws:MultiFactorAuthPresent".into()],
        )
        .unwrap();
        assert_eq!(deps[0].allowing, ["true"]);
        assert_eq!(deps[0].denying, ["absent", "false"]);
    }
}
