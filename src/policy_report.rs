//! Policy decisions in words: which statement decided, why the near misses missed, and the
//! before/after proof of a fix. Shared by `ssmgo policy` and the connect pre-check. Policy
//! contents are untrusted: everything here is sanitized for the terminal.

use serde_json::{json, Value};
use ssmgo_policy::{Decision, Explanation, Policy, StatementRef};

/// The policies an explanation refers to.
pub struct PolicySets<'a> {
    pub identity: &'a [Policy],
    pub boundary: Option<&'a [Policy]>,
}

impl PolicySets<'_> {
    pub fn statement(&self, at: StatementRef) -> (&Policy, &ssmgo_policy::Statement) {
        let set = if at.boundary {
            self.boundary.unwrap_or_default()
        } else {
            self.identity
        };
        let policy = &set[at.policy];
        (policy, &policy.statements[at.statement])
    }

    /// `broken.json statement 1 "Connect" (line 4, column 5)`.
    pub fn describe(&self, at: StatementRef) -> String {
        let (policy, st) = self.statement(at);
        let kind = if at.boundary {
            "permissions boundary "
        } else {
            ""
        };
        let sid = st
            .sid
            .as_deref()
            .map(|s| format!(" {s:?}"))
            .unwrap_or_default();
        format!(
            "{kind}{} statement {}{sid} (line {}, column {})",
            policy.name,
            st.index + 1,
            st.pos.line,
            st.pos.column
        )
    }

    fn json_ref(&self, at: StatementRef) -> Value {
        let (policy, st) = self.statement(at);
        json!({
            "policy": policy.name,
            "boundary": at.boundary,
            "statement": st.index + 1,
            "sid": st.sid,
            "line": st.pos.line,
            "column": st.pos.column,
        })
    }
}

pub fn explanation_text(
    sets: &PolicySets,
    e: &Explanation,
    action: &str,
    resource: &str,
) -> String {
    let mut out = format!("{}  {} on {}\n", e.decision.as_str(), action, resource);
    match e.decision {
        Decision::Allowed => {
            out.push_str("Allowed by:\n");
            for at in &e.matched {
                out.push_str(&format!("  {}\n", sets.describe(*at)));
            }
        }
        Decision::ExplicitDeny => {
            out.push_str("Denied explicitly by:\n");
            for at in &e.matched {
                out.push_str(&format!("  {}\n", sets.describe(*at)));
            }
        }
        Decision::ImplicitDeny => {
            if e.denied_by_boundary {
                out.push_str("The identity-based policies allow it, but the permissions boundary does not.\n");
            } else {
                out.push_str("No statement allows it.\n");
            }
            if e.near_misses.is_empty() {
                out.push_str("No Allow statement mentions this action.\n");
            } else {
                out.push_str("Near misses (the action matches, but):\n");
                for miss in &e.near_misses {
                    out.push_str(&format!("  {}:\n", sets.describe(miss.at)));
                    for f in &miss.failed {
                        out.push_str(&format!("    - {}\n", f));
                    }
                }
            }
        }
    }
    out
}

pub fn explanation_json(sets: &PolicySets, e: &Explanation, action: &str, resource: &str) -> Value {
    json!({
        "decision": e.decision.as_str(),
        "action": action,
        "resource": resource,
        "matched": e.matched.iter().map(|m| sets.json_ref(*m)).collect::<Vec<_>>(),
        "near_misses": e.near_misses.iter().map(|m| {
            let mut v = sets.json_ref(m.at);
            v["failed"] = json!(m.failed);
            v
        }).collect::<Vec<_>>(),
        "denied_by_boundary": e.denied_by_boundary,
    })
}

/// The before/after table (one per action the fix is about) and the reviewer's notes.
pub fn proof_text(original: &Policy, fixed: &ssmgo_policy::fix::Fixed) -> String {
    let rows = fixed.proof(original);
    let untagged: Vec<&str> = fixed.shapes.iter().map(|s| s.untagged_label).collect();
    let mut out = format!(
        "Fixed statement(s) {} of {}: {} now {} its own statement without the resource-tag condition.\n",
        fixed.split.iter().map(|i| (i + 1).to_string()).collect::<Vec<_>>().join(", "),
        original.name,
        untagged.join(" and "),
        if untagged.len() == 1 { "has" } else { "each have" },
    );
    let width = rows.iter().map(|r| r.label.len()).max().unwrap_or(0);
    for shape in &fixed.shapes {
        out.push_str(&format!("{}, before and after the fix:\n", shape.action));
        for r in rows.iter().filter(|r| r.action == shape.action) {
            out.push_str(&format!(
                "  {:<width$}  {:<13} -> {:<13}  {}\n",
                r.label,
                r.before.as_str(),
                r.after.as_str(),
                r.resource
            ));
        }
    }
    for note in &fixed.notes {
        out.push_str(&format!("Note: {}\n", note));
    }
    out
}
