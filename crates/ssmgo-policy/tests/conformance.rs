//! The conformance suite: cases written from the IAM documentation's evaluation rules
//! (tests/conformance.json). Each case gives policies, an optional permissions boundary, a
//! request, the expected decision and, for some denials, text the near-miss explanation must
//! contain. All failures are reported together.

use serde_json::Value;
use ssmgo_policy::{Context, Evaluator, Policy, Request};

fn policies(value: &Value, name: &str) -> Vec<Policy> {
    let list = match value {
        Value::Array(items) => items.clone(),
        other => vec![other.clone()],
    };
    list.iter()
        .enumerate()
        .map(|(i, p)| {
            Policy::parse(
                &format!("{name}#{}", i + 1),
                &serde_json::to_string(p).unwrap(),
            )
            .unwrap()
        })
        .collect()
}

#[test]
fn every_conformance_case_gets_the_documented_decision_and_explanation() {
    let text = include_str!("conformance.json");
    let doc: Value = serde_json::from_str(text).unwrap();
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 150, "the suite has {} cases", cases.len());
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let identity = policies(&case["policies"], "policy");
        let boundary = case.get("boundary").map(|b| policies(b, "boundary"));
        let mut ctx = Context::new();
        for (k, values) in case["context"].as_object().unwrap() {
            for v in values.as_array().unwrap() {
                ctx.insert(k, v.as_str().unwrap());
            }
        }
        if let Some(p) = case.get("principal").and_then(Value::as_str) {
            ctx.add_principal(p);
        }
        let req = Request::new(
            case["action"].as_str().unwrap(),
            case["resource"].as_str().unwrap(),
            &ctx,
        );
        let evaluator = Evaluator::new(&identity, boundary.as_deref());
        let explained = evaluator.explain(&req);
        let expected = case["decision"].as_str().unwrap();
        if explained.decision.as_str() != expected {
            failures.push(format!(
                "{name}: expected {expected}, got {}",
                explained.decision.as_str()
            ));
            continue;
        }
        if evaluator.decide(&req) != explained.decision {
            failures.push(format!(
                "{name}: the fast path disagrees with the explained one"
            ));
        }
        if let Some(want) = case.get("failed").and_then(Value::as_str) {
            let all: Vec<&String> = explained
                .near_misses
                .iter()
                .flat_map(|m| &m.failed)
                .collect();
            if !all.iter().any(|f| f.contains(want)) {
                failures.push(format!(
                    "{name}: no near-miss reason contains {want:?}; got {all:?}"
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
