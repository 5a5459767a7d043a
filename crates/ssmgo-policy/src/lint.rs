//! Findings a platform team wants before anyone is locked out: each with a stable code, a
//! severity, a position and a one-line fix.

use crate::condition::{Base, SetQualifier};
use crate::json::Pos;
use crate::pattern::Glob;
use crate::policy::{Effect, Policy, ProblemKind, Statement, Version};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Stable: scripts match on it.
    pub code: &'static str,
    pub severity: Severity,
    pub pos: Pos,
    pub message: String,
    /// One line saying how to fix it.
    pub fix: String,
}

/// The codes, for documentation.
pub const CODES: &[(&str, &str)] = &[
    ("SSM001", "StartSession allowed on a session document only under resource-tag conditions (documents carry no instance tags)"),
    ("SSM002", "AWS-owned document ARN written with an account id (never matches)"),
    ("SSM003", "StartSession allowed without TerminateSession/ResumeSession for one's own sessions"),
    ("ECS001", "ExecuteCommand allowed on a cluster only under resource-tag conditions (the task's tags are not the cluster's)"),
    ("JSON001", "duplicate JSON key"),
    ("IAM001", "set operator (ForAnyValue/ForAllValues) on a single-valued key"),
    ("IAM002", "policy variable under Version 2008-10-17 or no Version (literal text there)"),
    ("IAM003", "unknown condition operator"),
    ("IAM004", "Effect other than Allow or Deny, or none"),
    ("IAM005", "statement without Action or NotAction"),
    ("IAM006", "statement without Resource or NotResource"),
    ("IAM007", "malformed policy structure"),
    ("IAM008", "unknown policy Version"),
];

/// A [`TagSplit`] mistake in one statement (the session document's, the cluster's): which
/// resource patterns can name the untagged resource, and which conditions need a resource tag it
/// doesn't have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DocTagIssue {
    pub document_patterns: Vec<usize>,
    pub tag_conditions: Vec<usize>,
}

const EXAMPLE_DOCUMENT: &str = "document/SSM-SessionManagerRunShell";

/// True when an Allow statement's (positive) Action list covers `action_lower`.
fn allows_action(st: &Statement, action_lower: &str) -> bool {
    st.effect == Effect::Allow
        && st.actions.as_ref().is_some_and(|a| {
            !a.negated
                && a.patterns
                    .iter()
                    .any(|p| Glob::new(&p.to_ascii_lowercase()).matches(action_lower))
        })
}

/// An action authorized on two resources where the statement's resource-tag conditions can only
/// hold for one: which resource patterns name the untagged one, and what the fix writes.
#[derive(Debug)]
pub struct TagSplit {
    pub action: &'static str,
    /// Can this Resource pattern name the untagged resource?
    pub names_untagged: fn(&str) -> bool,
    /// The condition keys' prefixes that read the resource's tags, as AWS spells them.
    pub tag_prefixes: &'static [&'static str],
    /// Appended to the split statement's Sid: "Document", "Cluster".
    pub sid_suffix: &'static str,
    /// Every untagged resource / every tagged one, in a partition (what a `*` stands for).
    pub any_untagged: fn(&str) -> Vec<String>,
    pub any_tagged: fn(&str) -> Vec<String>,
    /// Words and an example resource id for the proof's rows.
    pub untagged_label: &'static str,
    pub untagged_example: &'static str,
    /// "an instance", "a task"; the plural for notes.
    pub tagged_one: &'static str,
    pub tagged_plural: &'static str,
    pub tagged_example: &'static str,
}

/// StartSession: the session document carries no instance tags.
pub const SESSION_DOCUMENT: TagSplit = TagSplit {
    action: "ssm:StartSession",
    names_untagged: names_document,
    tag_prefixes: &["aws:ResourceTag/", "ssm:resourceTag/"],
    sid_suffix: "Document",
    any_untagged: |p| vec![format!("arn:{p}:ssm:*:*:document/*")],
    any_tagged: |p| {
        vec![
            format!("arn:{p}:ec2:*:*:instance/*"),
            format!("arn:{p}:ssm:*:*:managed-instance/*"),
        ]
    },
    untagged_label: "the session document",
    untagged_example: "SSM-SessionManagerRunShell",
    tagged_one: "an instance",
    tagged_plural: "instances",
    tagged_example: "i-0123456789abcdef0",
};

/// ExecuteCommand: a cluster without the task's tags.
pub const ECS_CLUSTER: TagSplit = TagSplit {
    action: "ecs:ExecuteCommand",
    names_untagged: names_cluster,
    tag_prefixes: &["aws:ResourceTag/", "ecs:ResourceTag/"],
    sid_suffix: "Cluster",
    any_untagged: |p| vec![format!("arn:{p}:ecs:*:*:cluster/*")],
    any_tagged: |p| vec![format!("arn:{p}:ecs:*:*:task/*")],
    untagged_label: "the cluster",
    untagged_example: "prod",
    tagged_one: "a task",
    tagged_plural: "tasks",
    tagged_example: "prod/0123456789abcdef0123456789abcdef",
};

/// Can this Resource pattern name an ECS cluster?
fn names_cluster(pattern: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    let segs: Vec<&str> = pattern.splitn(6, ':').collect();
    segs.len() == 6
        && Glob::new(segs[2]).matches("ecs")
        && (segs[5].starts_with("cluster/") || Glob::new(segs[5]).matches("cluster/x"))
}

/// Can this Resource pattern name a session document?
pub(crate) fn names_document(pattern: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    let segs: Vec<&str> = pattern.splitn(6, ':').collect();
    segs.len() == 6
        && Glob::new(segs[2]).matches("ssm")
        && (segs[5].starts_with("document/") || Glob::new(segs[5]).matches(EXAMPLE_DOCUMENT))
}

/// The `shape`'s mistake in one statement.
pub(crate) fn tag_split_issue(st: &Statement, shape: &TagSplit) -> Option<DocTagIssue> {
    if !allows_action(st, &shape.action.to_ascii_lowercase()) {
        return None;
    }
    let is_resource_tag_key = |key_lower: &str| {
        shape
            .tag_prefixes
            .iter()
            .any(|p| key_lower.starts_with(&p.to_ascii_lowercase()))
    };
    let res = st.resources.as_ref().filter(|r| !r.negated)?;
    let document_patterns: Vec<usize> = res
        .patterns
        .iter()
        .enumerate()
        .filter(|(_, p)| (shape.names_untagged)(p))
        .map(|(i, _)| i)
        .collect();
    // Conditions that fail when the key is absent, as it is for a document.
    let tag_conditions: Vec<usize> = st
        .conditions
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            is_resource_tag_key(&c.key_lower)
                && match c.operator {
                    Some(op) if op.base == Base::Null => {
                        c.values.iter().any(|v| v.eq_ignore_ascii_case("false"))
                    }
                    Some(op) => {
                        !op.if_exists
                            && !op.base.is_negated()
                            && op.qualifier != Some(SetQualifier::ForAllValues)
                    }
                    None => false,
                }
        })
        .map(|(i, _)| i)
        .collect();
    (!document_patterns.is_empty() && !tag_conditions.is_empty()).then_some(DocTagIssue {
        document_patterns,
        tag_conditions,
    })
}

const SINGLE_VALUED_PREFIXES: &[&str] = &[
    "aws:resourcetag/",
    "ssm:resourcetag/",
    "aws:requesttag/",
    "aws:principaltag/",
];
const SINGLE_VALUED: &[&str] = &[
    "aws:username",
    "aws:userid",
    "aws:principalarn",
    "aws:principalaccount",
    "aws:principaltype",
    "aws:principalorgid",
    "aws:sourceip",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:requestedregion",
    "aws:currenttime",
    "aws:epochtime",
    "aws:securetransport",
    "aws:multifactorauthpresent",
    "aws:multifactorauthage",
    "aws:sourcearn",
    "aws:sourceaccount",
];

fn single_valued(key_lower: &str) -> bool {
    SINGLE_VALUED.contains(&key_lower)
        || SINGLE_VALUED_PREFIXES
            .iter()
            .any(|p| key_lower.starts_with(p))
}

/// Every finding for one policy, in document order.
pub fn lint(policy: &Policy) -> Vec<Finding> {
    let mut out = Vec::new();
    for d in &policy.duplicates {
        out.push(Finding {
            code: "JSON001",
            severity: Severity::Error,
            pos: d.second,
            message: format!(
                "the key {:?} appears twice in one object (at {} and {}); IAM rejects the policy, and most tools silently keep only the second",
                d.key, d.first, d.second
            ),
            fix: format!("merge the two {:?} entries into one", d.key),
        });
    }
    for p in &policy.problems {
        let (code, fix) = match p.kind {
            ProblemKind::UnknownOperator => ("IAM003", "use one of IAM's condition operators, spelled exactly (e.g. StringEquals)"),
            ProblemKind::UnknownEffect => ("IAM004", "set \"Effect\" to \"Allow\" or \"Deny\""),
            ProblemKind::MissingAction => ("IAM005", "add an \"Action\" (or \"NotAction\") list"),
            ProblemKind::MissingResource => ("IAM006", "add a \"Resource\" (or \"NotResource\") list"),
            ProblemKind::Malformed => ("IAM007", "follow the IAM policy grammar: {\"Version\": \"2012-10-17\", \"Statement\": [{...}]}"),
        };
        out.push(Finding {
            code,
            severity: Severity::Error,
            pos: p.pos,
            message: p.message.clone(),
            fix: fix.into(),
        });
    }
    if let Version::Other(v) = &policy.version {
        out.push(Finding {
            code: "IAM008",
            severity: Severity::Error,
            pos: policy
                .root
                .get("Version")
                .map_or(policy.root.pos, |n| n.pos),
            message: format!("unknown policy Version {v:?}"),
            fix: "use \"Version\": \"2012-10-17\"".into(),
        });
    }
    for st in &policy.statements {
        lint_statement(policy, st, &mut out);
    }
    lint_session_housekeeping(policy, &mut out);
    out.sort_by_key(|f| (f.pos, f.code));
    out
}

fn label(st: &Statement) -> String {
    match &st.sid {
        Some(sid) => format!("statement {} ({sid:?})", st.index + 1),
        None => format!("statement {}", st.index + 1),
    }
}

fn lint_statement(policy: &Policy, st: &Statement, out: &mut Vec<Finding>) {
    for (shape, code, severity, why, fix) in [
        (
            &SESSION_DOCUMENT,
            "SSM001",
            Severity::Error,
            "documents don't carry the instance's tags, so StartSession is denied on the document",
            "give the document its own statement without the resource-tag condition (`ssmgo policy fix` writes it)",
        ),
        (
            &ECS_CLUSTER,
            "ECS001",
            // A cluster has tags of its own, which may be the same.
            Severity::Warning,
            "those are the cluster's own tags, not its tasks', so unless the cluster is tagged the same, ExecuteCommand is denied on the cluster",
            "give the cluster its own statement without the resource-tag condition (`ssmgo policy fix` writes it), or tag the cluster the same",
        ),
    ] {
        let Some(issue) = tag_split_issue(st, shape) else {
            continue;
        };
        let res = st.resources.as_ref().expect("an issue needs resources");
        let untagged: Vec<String> = issue
            .document_patterns
            .iter()
            .map(|&i| format!("{:?}", res.patterns[i]))
            .collect();
        let conds: Vec<String> = issue
            .tag_conditions
            .iter()
            .map(|&i| {
                let c = &st.conditions[i];
                format!("{} {}", c.operator_text, c.key)
            })
            .collect();
        out.push(Finding {
            code,
            severity,
            pos: st.pos,
            message: format!(
                "{} allows {} on {} {} only under {}; {why}",
                label(st),
                shape.action,
                shape.untagged_label,
                untagged.join(", "),
                conds.join(" and ")
            ),
            fix: fix.into(),
        });
    }
    if let Some(res) = &st.resources {
        for p in &res.patterns {
            let segs: Vec<&str> = p.splitn(6, ':').collect();
            if segs.len() == 6
                && segs[2] == "ssm"
                && segs[5].starts_with("document/AWS-")
                && !segs[4].is_empty()
                && !Glob::new(segs[4]).matches("")
            {
                out.push(Finding {
                    code: "SSM002",
                    severity: Severity::Warning,
                    pos: res.pos,
                    message: format!("{}: {p:?} names an AWS-owned document with account {:?}, but AWS-owned document ARNs have an empty account field, so it never matches", label(st), segs[4]),
                    fix: format!("write it as {:?}", format!("{}:{}:{}:{}::{}", segs[0], segs[1], segs[2], segs[3], segs[5])),
                });
            }
        }
    }
    for c in &st.conditions {
        if let Some(op) = c.operator {
            if op.qualifier.is_some() && single_valued(&c.key_lower) {
                let q = if op.qualifier == Some(SetQualifier::ForAnyValue) {
                    "ForAnyValue"
                } else {
                    "ForAllValues"
                };
                let danger = if op.qualifier == Some(SetQualifier::ForAllValues) {
                    " (and ForAllValues holds when the key is absent, which allows more than intended)"
                } else {
                    ""
                };
                out.push(Finding {
                    code: "IAM001",
                    severity: Severity::Warning,
                    pos: c.operator_pos,
                    message: format!(
                        "{}: {q} on {}, a single-valued key{danger}",
                        label(st),
                        c.key
                    ),
                    fix: format!(
                        "use {} without the {q}: qualifier",
                        c.operator_text
                            .split_once(':')
                            .map_or(c.operator_text.as_str(), |(_, b)| b)
                    ),
                });
            }
        }
    }
    if !policy.version.variables_enabled() {
        let res = st
            .resources
            .iter()
            .flat_map(|r| r.patterns.iter().map(move |p| (p, r.pos)));
        let conds = st
            .conditions
            .iter()
            .flat_map(|c| c.values.iter().map(move |v| (v, c.key_pos)));
        if let Some((text, pos)) = res.chain(conds).find(|(t, _)| t.contains("${")) {
            out.push(Finding {
                code: "IAM002",
                severity: Severity::Warning,
                pos,
                message: format!(
                    "{}: {text:?} uses a policy variable, but without \"Version\": \"2012-10-17\" it is literal text",
                    label(st)
                ),
                fix: "set \"Version\": \"2012-10-17\" at the top of the policy".into(),
            });
        }
    }
}

fn lint_session_housekeeping(policy: &Policy, out: &mut Vec<Finding>) {
    let Some(first) = policy
        .statements
        .iter()
        .find(|s| allows_action(s, "ssm:startsession"))
    else {
        return;
    };
    let missing: Vec<&str> = ["ssm:TerminateSession", "ssm:ResumeSession"]
        .into_iter()
        .filter(|a| {
            !policy
                .statements
                .iter()
                .any(|s| allows_action(s, &a.to_ascii_lowercase()))
        })
        .collect();
    if missing.is_empty() {
        return;
    }
    out.push(Finding {
        code: "SSM003",
        severity: Severity::Warning,
        pos: first.pos,
        message: format!(
            "the policy allows ssm:StartSession but not {} for the user's own sessions: sessions can't be ended or resumed cleanly",
            missing.join(" or ")
        ),
        fix: format!(
            "add {{\"Effect\": \"Allow\", \"Action\": [{}], \"Resource\": \"arn:aws:ssm:*:*:session/${{aws:username}}-*\"}} (roles and federated users: ${{aws:userid}}-*)",
            missing.iter().map(|a| format!("\"{a}\"")).collect::<Vec<_>>().join(", ")
        ),
    });
}
