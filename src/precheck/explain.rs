//! The explanation, offline: with the caller's own policies (read through [`crate::aws::iam`],
//! evaluated by ssmgo's policy engine) say statement by statement why a resource is denied,
//! what an "unknown" depends on, and, for the document/tag-condition mistake, the corrected
//! policy with its proof on this very request. The doctor explains an instance role's denials
//! in the same words ([`why_not_allowed`]).

use ssmgo_policy::depends::depends_on;
use ssmgo_policy::{Context, Decision, Evaluator, Policy, Request};

use super::context::{self, Entry, Facts};
use super::{Check, Dependence, FixReport, Kind, ResourceCheck};
use crate::aws::iam::{self, PolicyOwner};
use crate::aws::Aws;
use crate::policy_report::PolicySets;

/// A principal's policies, read and parsed.
pub(crate) struct Policies {
    identity: Vec<Policy>,
    boundary: Option<Vec<Policy>>,
    /// What could not be read or parsed, in words.
    problems: Vec<String>,
}

/// `whose` names the owner in what can't be read: "your", or "the role's".
pub(crate) async fn read_policies(aws: &Aws, owner: &PolicyOwner, whose: &str) -> Policies {
    let read = iam::principal_policies(aws, owner).await;
    let mut problems: Vec<String> = Vec::new();
    if !read.unreadable.is_empty() {
        problems.push(format!(
            "could not read {whose} policies ({}), so this is the simulator's answer alone",
            read.unreadable.join(", ")
        ));
    }
    let mut parse = |p: &iam::NamedPolicy| match Policy::parse(&p.label, &p.text) {
        Ok(policy) => Some(policy),
        Err(e) => {
            problems.push(format!("could not parse {} ({e})", p.label));
            None
        }
    };
    let identity: Vec<Policy> = read.identity.iter().filter_map(&mut parse).collect();
    let boundary = read.boundary.as_ref().and_then(&mut parse).map(|b| vec![b]);
    Policies {
        identity,
        boundary,
        problems,
    }
}

/// Why `policies` don't allow `action` on `resource` with this context, in lines: the deny
/// statements, or the Allow statements that nearly applied and what they lacked — the pre-check's
/// words, for any principal (the doctor's instance role).
pub(crate) fn why_not_allowed(
    policies: &Policies,
    action: &str,
    resource: &str,
    context: &[(String, Vec<String>)],
) -> Vec<String> {
    let sets = PolicySets {
        identity: &policies.identity,
        boundary: policies.boundary.as_deref(),
    };
    let evaluator = Evaluator::new(&policies.identity, policies.boundary.as_deref());
    let mut ctx = Context::new();
    for (key, values) in context {
        for v in values {
            ctx.insert(key, v.clone());
        }
    }
    let ours = evaluator.explain(&Request::new(action, resource, &ctx));
    let mut lines = Vec::new();
    if ours.decision == Decision::ExplicitDeny {
        for at in &ours.matched {
            lines.push(format!("denied by {}", sets.describe(*at)));
        }
    } else if ours.denied_by_boundary {
        lines.push(format!(
            "its policies allow {action}, its permissions boundary does not"
        ));
    } else {
        for miss in &ours.near_misses {
            lines.push(format!(
                "{} would allow it, but: {}",
                sets.describe(miss.at),
                miss.failed.join("; ")
            ));
        }
        if ours.near_misses.is_empty() && !policies.identity.is_empty() {
            lines.push(format!("no statement of its policies allows {action}"));
        }
    }
    lines.extend(policies.problems.iter().cloned());
    lines
}

fn to_context(entries: &[Entry]) -> Context {
    let mut ctx = Context::new();
    for e in entries {
        for v in &e.values {
            ctx.insert(&e.key, v.clone());
        }
    }
    ctx
}

/// With the principal's policies: finds what each verdict depends on that ssmgo can't see,
/// explains every denial statement by statement, and finds the fix for the document/tag mistake.
pub(super) fn analyse(
    check: &mut Check,
    policies: &Policies,
    facts: &Facts,
    unknown_keys: &dyn Fn(&ResourceCheck, &[String]) -> Vec<String>,
) {
    let sets = PolicySets {
        identity: &policies.identity,
        boundary: policies.boundary.as_deref(),
    };
    let evaluator = Evaluator::new(&policies.identity, policies.boundary.as_deref());
    let readable = policies.problems.is_empty() && !policies.identity.is_empty();
    // Keys no client knows that the policies' conditions name, even where the simulator did not
    // list them (an IfExists condition on an absent key is no "missing" value to it).
    let named: Vec<String> = policies
        .identity
        .iter()
        .chain(policies.boundary.iter().flatten())
        .flat_map(|p| &p.statements)
        .flat_map(|st| &st.conditions)
        .map(|c| c.key.clone())
        .filter(|k| {
            context::UNKNOWABLE
                .iter()
                .any(|u| u.eq_ignore_ascii_case(k))
        })
        .collect();
    for rc in check.resources.iter_mut() {
        let keys = unknown_keys(rc, &named);
        let ctx = to_context(&rc.context);
        if !keys.is_empty() && rc.allowed_by_organizations != Some(false) {
            if readable {
                if let Some(deps) = depends_on(&evaluator, &check.action, &rc.arn, &ctx, &keys) {
                    rc.decision = None;
                    rc.depends_on = deps.into_iter().map(Dependence::from).collect();
                }
            } else if !rc.allowed() {
                rc.decision = None;
                rc.depends_on = keys
                    .iter()
                    .map(|k| Dependence {
                        key: k.clone(),
                        allowing: Vec::new(),
                        denying: Vec::new(),
                    })
                    .collect();
            }
        }
        rc.explanation = explain_resource(rc, &check.action, &sets, &evaluator, &ctx, facts);
        rc.explanation.extend(policies.problems.iter().cloned());
    }
    if let Some((report, fix)) = find_fix(check, policies, &evaluator) {
        check.fix = serde_json::from_str(&fix).ok();
        check.fix_report = Some(report);
    }
}

/// The resource without tags and the one with them, for an action authorized on both.
fn pair(action: &str) -> Option<(Kind, Kind, &'static ssmgo_policy::fix::TagSplit)> {
    use ssmgo_policy::fix::{ECS_CLUSTER, SESSION_DOCUMENT};
    match action {
        "ssm:StartSession" => Some((Kind::Document, Kind::Instance, &SESSION_DOCUMENT)),
        "ecs:ExecuteCommand" => Some((Kind::Cluster, Kind::Task, &ECS_CLUSTER)),
        _ => None,
    }
}

/// The fix, only for a denial it repairs, proven on this very request: the untagged resource
/// (session document, cluster) denied by a resource-tag condition it can't meet gets its own
/// statement; or, for ECS Exec, the statement that allows the cluster gets the task's ARNs.
fn find_fix(
    check: &Check,
    policies: &Policies,
    evaluator: &Evaluator,
) -> Option<(FixReport, String)> {
    let (untagged, tagged, shape) = pair(&check.action)?;
    let denied = |kind: Kind| {
        check
            .resources
            .iter()
            .find(|r| r.kind == kind && !r.allowed() && r.decision.is_some())
    };
    let explain = |rc: &ResourceCheck| {
        let ctx = to_context(&rc.context);
        evaluator.explain(&Request::new(&check.action, &rc.arn, &ctx))
    };
    let prove_with = |at: usize, fixed: ssmgo_policy::fix::Fixed, how: String| {
        let mut after = policies.identity.clone();
        after[at] = fixed.policy.clone();
        let proof = prove(
            check,
            &policies.identity,
            &after,
            policies.boundary.as_deref(),
        );
        let report = FixReport {
            policy: policies.identity[at].name.clone(),
            how,
            text: fixed.text.clone(),
            proof,
        };
        (report, fixed.text)
    };
    if let Some(rc) = denied(untagged) {
        let ours = explain(rc);
        let culprit = ours.near_misses.iter().find(|m| {
            !m.at.boundary
                && m.failed.iter().any(|f| {
                    f.to_ascii_lowercase().contains("resourcetag/") && f.contains("no such key")
                })
        });
        if let Some(culprit) = culprit {
            let policy = &policies.identity[culprit.at.policy];
            let partition = rc.arn.split(':').nth(1).unwrap_or("aws");
            if let Some(fixed) = ssmgo_policy::fix::split_in(policy, partition, shape) {
                let how = format!(
                    "give {} its own statement without the resource-tag condition",
                    untagged.words()
                );
                return Some(prove_with(culprit.at.policy, fixed, how));
            }
        }
    }
    // ECS Exec: a statement that allows the cluster, and whose only miss on the task is its
    // Resource list, gets the cluster's tasks.
    let task = denied(Kind::Task).filter(|_| tagged == Kind::Task)?;
    let cluster = check.resources.iter().find(|r| r.kind == Kind::Cluster)?;
    let cluster_allowed_by = explain(cluster).matched;
    let ours = explain(task);
    let miss = ours.near_misses.iter().find(|m| {
        !m.at.boundary
            && cluster_allowed_by.contains(&m.at)
            && m.failed.iter().all(|f| f.starts_with("Resource:"))
    })?;
    let (prefix, _) = task.arn.rsplit_once('/')?;
    let pattern = format!("{prefix}/*");
    let fixed = ssmgo_policy::fix::add_resource(
        &policies.identity[miss.at.policy],
        miss.at.statement,
        &pattern,
    )?;
    let how = format!(
        "add the cluster's tasks ({pattern}) to the Resource of the statement that allows the cluster; ExecuteCommand is authorized on the task too"
    );
    Some(prove_with(miss.at.policy, fixed, how))
}

/// The resource a resource-tag condition is meant for: the instance, the task.
fn carries_the_tags(kind: Kind) -> bool {
    matches!(kind, Kind::Instance | Kind::Task)
}

/// Before and after the fix, for this request's own resources and context.
fn prove(
    check: &Check,
    before: &[Policy],
    after: &[Policy],
    boundary: Option<&[Policy]>,
) -> String {
    let mut out = format!(
        "{} on this request, before and after the fix:\n",
        check.action
    );
    let mut stays_denied = Vec::new();
    for rc in &check.resources {
        let ctx = to_context(&rc.context);
        let req = Request::new(&check.action, &rc.arn, &ctx);
        let was = Evaluator::new(before, boundary).decide(&req);
        let will = Evaluator::new(after, boundary).explain(&req);
        out.push_str(&format!(
            "  {:<22}{:<14}-> {:<14} {}\n",
            match rc.kind {
                Kind::Instance => "this instance",
                Kind::Task => "this task",
                other => other.words(),
            },
            was.as_str(),
            will.decision.as_str(),
            rc.arn
        ));
        if carries_the_tags(rc.kind) && will.decision != Decision::Allowed {
            // Why the statements meant for instances still don't allow it (not the document's
            // own statement, which never names an instance).
            stays_denied.extend(
                will.near_misses
                    .iter()
                    .filter(|m| !m.failed.iter().any(|f| f.starts_with("Resource")))
                    .flat_map(|m| m.failed.clone()),
            );
        }
    }
    if !stays_denied.is_empty()
        || check
            .resources
            .iter()
            .any(|r| carries_the_tags(r.kind) && !r.allowed())
    {
        let noun = match check.action.as_str() {
            "ecs:ExecuteCommand" => "task",
            _ => "instance",
        };
        let repaired = check
            .resources
            .iter()
            .find(|r| !carries_the_tags(r.kind))
            .map_or("the other resource", |r| r.kind.words());
        let why = if stays_denied.is_empty() {
            String::new()
        } else {
            format!(": {}", stays_denied.join("; "))
        };
        out.push_str(&format!(
            "The fix repairs {repaired}, but this {noun} stays denied{why}. The fix is right for the {noun}s the condition is meant for; this one isn't among them.\n"
        ));
    }
    out
}

/// The lines that explain one resource's verdict.
fn explain_resource(
    rc: &ResourceCheck,
    action: &str,
    sets: &PolicySets,
    evaluator: &Evaluator,
    ctx: &Context,
    facts: &Facts,
) -> Vec<String> {
    let what = rc.kind.words();
    let mut lines = Vec::new();
    let words_for = |at: ssmgo_policy::StatementRef, lines: &mut Vec<String>| {
        let (_, st) = sets.statement(at);
        for c in &st.conditions {
            if let Some(w) = context::in_words(c, facts, &rc.tags) {
                if !lines.contains(&format!("  {w}")) {
                    lines.push(format!("  {w}"));
                }
            }
        }
    };
    if rc.decision.is_none() {
        for d in &rc.depends_on {
            if d.allowing.is_empty() {
                lines.push(format!(
                    "the outcome depends on {}, which ssmgo cannot see from here, and your policies could not be read to say how: AWS decides",
                    d.key
                ));
            } else {
                lines.push(format!(
                    "allowed only when {} is {} ({}), which ssmgo cannot see from here: AWS decides",
                    d.key,
                    d.allowing.join(" or "),
                    if d.denying.is_empty() { String::new() } else { format!("denied when {}", d.denying.join(" or ")) }
                ).replace(" ()", ""));
            }
        }
        // The statements that make it depend, with their conditions in words.
        let req = Request::new(action, &rc.arn, ctx);
        let ours = evaluator.explain(&req);
        for at in ours
            .matched
            .iter()
            .chain(ours.near_misses.iter().map(|m| &m.at))
        {
            let (_, st) = sets.statement(*at);
            if st.conditions.iter().any(|c| {
                rc.depends_on
                    .iter()
                    .any(|d| d.key.eq_ignore_ascii_case(&c.key))
            }) {
                lines.push(format!("decided by {}", sets.describe(*at)));
                words_for(*at, &mut lines);
            }
        }
        return lines;
    }
    if rc.allowed() {
        return lines;
    }
    if rc.allowed_by_organizations == Some(false) {
        lines.push(format!("a service control policy (SCP) of your AWS Organization denies {action} on {what}: your own policies can't change that, only an administrator of the organization can"));
        return lines;
    }
    let req = Request::new(action, &rc.arn, ctx);
    let ours = evaluator.explain(&req);
    if rc.decision == Some(Decision::ExplicitDeny) {
        for m in &rc.matched {
            let at = match (m.line, m.column) {
                (Some(l), Some(c)) => format!(" (line {l}, column {c})"),
                _ => String::new(),
            };
            lines.push(format!(
                "an explicit Deny in policy {:?}{at} denies {action} on {what}",
                m.policy
            ));
        }
        for at in &ours.matched {
            lines.push(format!("the deny statement: {}", sets.describe(*at)));
            words_for(*at, &mut lines);
        }
    } else {
        if rc.allowed_by_boundary == Some(false) || ours.denied_by_boundary {
            lines.push(format!("your identity-based policies allow {action} on {what}, but your permissions boundary does not"));
        } else {
            lines.push(format!("no policy allows {action} on {what}"));
        }
        for miss in &ours.near_misses {
            lines.push(format!("{} would allow it, but:", sets.describe(miss.at)));
            for f in &miss.failed {
                lines.push(format!("  - {f}"));
            }
            words_for(miss.at, &mut lines);
        }
        let tag_condition = ours.near_misses.iter().flat_map(|m| &m.failed).any(|f| {
            (f.contains("aws:ResourceTag/") || f.contains("ssm:resourceTag/"))
                && f.contains("no such key")
        });
        if rc.kind == Kind::Document && tag_condition {
            lines.push("the session document carries none of the instance's tags, so a resource-tag condition in a statement that also names the document can never hold for it".into());
        }
        if ours.near_misses.is_empty() && !sets.identity.is_empty() {
            lines.push(format!(
                "no Allow statement in your policies mentions {action} for it"
            ));
        }
    }
    lines
}
