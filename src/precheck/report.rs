//! The pre-check in words, for a person at a terminal.

use super::{Check, Kind, Verdict};
use ssmgo_policy::Decision;

/// The full report: every resource's verdict, the explanation of denials, the fix and its proof,
/// and warnings.
pub fn render(check: &Check) -> String {
    let mut out = String::new();
    let principal = check.principal.as_deref().unwrap_or("your identity");
    match (check.verdict, &check.reason) {
        (Verdict::Allowed, _) => out.push_str(&format!(
            "Access pre-check: {} may start a session on {} (document and instance both allowed).\n",
            principal, check.target
        )),
        (Verdict::Unknown, Some(reason)) => {
            out.push_str(&format!("Access pre-check could not run: {reason}.\n"));
        }
        (Verdict::Unknown, None) => {
            out.push_str(&format!(
                "Access pre-check: whether {} may start a session on {} depends on what only AWS sees; AWS decides.\n",
                principal, check.target
            ));
            resources(check, &mut out);
        }
        (Verdict::Denied, _) => {
            out.push_str(&format!(
                "Access pre-check: ssm:StartSession on {} would be DENIED for {}.\n",
                check.target, principal
            ));
            if let Some(source) = &check.policy_source_arn {
                if source != principal {
                    out.push_str(&format!("  (simulated as {source})\n"));
                }
            }
            resources(check, &mut out);
            if let Some(fix) = &check.fix_report {
                out.push_str(&format!(
                    "\nFix: give the session document its own statement without the resource-tag condition. Corrected {}:\n{}\n",
                    fix.policy, fix.text
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

/// One line per resource with its verdict, then its explanation.
fn resources(check: &Check, out: &mut String) {
    for rc in &check.resources {
        let what = match rc.kind {
            Kind::Document => "session document",
            Kind::Instance => "instance",
        };
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

/// After AWS refused StartSession: for each resource that was not plainly allowed, what decided
/// it (the denying side of what an "unknown" depended on, or the denial itself).
pub fn denial_causes(check: &Check) -> Vec<String> {
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
