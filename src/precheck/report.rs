//! The pre-check in words, for a person at a terminal.

use super::{Check, Verdict};
use ssmgo_policy::Decision;

/// The full report: every resource's verdict, the explanation of denials, the fix and its proof,
/// and warnings.
pub fn render(check: &Check) -> String {
    let mut out = String::new();
    let principal = check.principal.as_deref().unwrap_or("your identity");
    match (check.verdict, &check.reason) {
        (Verdict::Allowed, _) => out.push_str(&format!(
            "Access pre-check: {} may {} {} ({} allowed).\n",
            principal,
            doing(check),
            check.target,
            allowed_words(check)
        )),
        (Verdict::Unknown, Some(reason)) => {
            out.push_str(&format!("Access pre-check could not run: {reason}.\n"));
        }
        (Verdict::Unknown, None) => {
            out.push_str(&format!(
                "Access pre-check: whether {} may {} {} depends on what only AWS sees; AWS decides.\n",
                principal,
                doing(check),
                check.target
            ));
            resources(check, &mut out);
        }
        (Verdict::Denied, _) => {
            out.push_str(&format!(
                "Access pre-check: {} on {} would be DENIED for {}.\n",
                check.action, check.target, principal
            ));
            if let Some(source) = &check.policy_source_arn {
                if source != principal {
                    out.push_str(&format!("  (simulated as {source})\n"));
                }
            }
            resources(check, &mut out);
            if let Some(fix) = &check.fix_report {
                out.push_str(&format!(
                    "\nFix: {}. Corrected {}:\n{}\n",
                    fix.how, fix.policy, fix.text
                ));
                out.push_str(&fix.proof);
            }
        }
    }
    for w in &check.warnings {
        out.push_str(&format!("Warning: {w}\n"));
    }
    // Policy text and tag values quoted above are made harmless where the report is printed.
    out
}

/// What the action does, in words.
fn doing(check: &Check) -> &'static str {
    match check.action.as_str() {
        "ecs:ExecuteCommand" => "run a command in",
        _ => "start a session on",
    }
}

/// "document and instance both", "cluster and task both".
fn allowed_words(check: &Check) -> String {
    let nouns: Vec<&str> = check.resources.iter().map(|r| r.kind.noun()).collect();
    match nouns.as_slice() {
        [a, b] => format!("{a} and {b} both"),
        _ => nouns.join(", "),
    }
}

/// One line per resource with its verdict, then its explanation.
fn resources(check: &Check, out: &mut String) {
    for rc in &check.resources {
        let what = rc.kind.noun();
        let mark = match rc.decision {
            Some(Decision::Allowed) => "ok    ",
            None => "AWS?  ",
            Some(_) => "DENIED",
        };
        let decision = rc.decision_words();
        out.push_str(&format!("  {mark} {what} {}: {decision}\n", rc.arn));
        for line in &rc.explanation {
            out.push_str(&format!("           {line}\n"));
        }
    }
}

/// AWS refused although the pre-check did not (it was skipped, or the outcome depended on
/// context only AWS sees): on stderr, which statement and which context condition most likely
/// decided it.
pub fn say_why_refused(check: &Check) {
    let lines = denial_causes(check);
    if !lines.is_empty() {
        crate::say!("ssmgo: why AWS most likely refused:");
        for line in lines {
            crate::say!("  {line}");
        }
    }
}

/// After AWS refused StartSession or ExecuteCommand: for each resource that was not plainly
/// allowed, what decided it (the denying side of what an "unknown" depended on, or the denial
/// itself).
fn denial_causes(check: &Check) -> Vec<String> {
    check
        .resources
        .iter()
        .filter(|r| !r.allowed())
        .flat_map(|r| {
            std::iter::once(format!(
                "{} {}: {}",
                r.kind.words(),
                r.arn,
                r.decision_words()
            ))
            .chain(r.explanation.iter().map(|l| format!("  {l}")))
        })
        .collect()
}
