//! The StartSession pre-check proper: one simulation per resource (the session document, the
//! instance), each with its own context (the instance's tags would make the document look
//! allowed), and the verdict over both. Reads the caller's policies only when a resource is not
//! plainly allowed (see [`super::explain`]).

use std::time::SystemTime;

use ssmgo_policy::Decision;

use super::context::{self, Entry, Facts};
use super::explain::{analyse, read_policies};
use super::{first_line, Check, Kind, ResourceCheck, Verdict, Who, WhoFailure, SSM_TAG_PREFIX};
use crate::aws::arn::{document_arn, target_arn};
use crate::aws::{iam, Aws};
use crate::fleet::Instance;

/// The pre-check for a caller already looked up with [`whoami`]. Never fails: what can't be
/// checked is a [`Verdict::Unknown`] with its reason, and what depends on context only AWS sees
/// is a [`Verdict::Unknown`] that says on what.
pub async fn check_as(aws: &Aws, who: &Result<Who, WhoFailure>, instance: &Instance) -> Check {
    let target = instance.label();
    let who = match who {
        Ok(who) => who,
        Err((principal, reason)) => {
            return Check::unknown(target, principal.clone(), reason.clone())
        }
    };
    let (identity, partition, source) = (&who.identity, &who.partition, &who.source);
    let facts = Facts {
        now: SystemTime::now(),
        ..who.facts.clone()
    };
    let region = aws.region();
    let account = &identity.account;
    let doc_arn = document_arn(partition, region, account, &who.document);
    let inst_arn = target_arn(partition, region, account, &instance.instance_id);
    let base = facts.entries();
    let instance_tags: Vec<(String, String)> = instance
        .tags
        .iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let tag_source = if instance.instance_id.starts_with("mi-") {
        "ssm:ListTagsForResource of the managed node"
    } else {
        "EC2 tags of the instance"
    };
    let inst_ctx: Vec<Entry> = base
        .iter()
        .cloned()
        .chain(context::resource_tag_entries(
            &instance_tags,
            SSM_TAG_PREFIX,
            tag_source,
        ))
        .collect();
    let doc_ctx: Vec<Entry> = base
        .iter()
        .cloned()
        .chain(
            context::resource_tag_entries(
                &who.document_tags,
                SSM_TAG_PREFIX,
                "the document's tags",
            )
            .into_iter()
            .filter(|e| e.key.starts_with("aws:")),
        )
        .collect();
    // A session's own id is its tag aws:ssmmessages:session-id (AWS's documented way to let a
    // role end its own sessions); a user's sessions are named after the user.
    let term_arn = format!(
        "arn:{partition}:ssm:{region}:{account}:session/{}-0123456789abcdef0",
        who.session_prefix
    );
    let mut term_ctx = base.clone();
    term_ctx.push(Entry {
        key: "ssm:resourceTag/aws:ssmmessages:session-id".into(),
        values: vec![identity.user_id.clone()],
        source: "the session AWS would create".into(),
    });

    if aws.verbose() {
        for e in base.iter().chain(inst_ctx.iter().skip(base.len())) {
            crate::say!(
                "ssmgo: context: {} = {} ({})",
                e.key,
                e.values.join(", "),
                e.source
            );
        }
    }
    let resources = vec![
        Checked {
            arn: doc_arn,
            kind: Kind::Document,
            context: doc_ctx,
            tags: who.document_tags.clone(),
        },
        Checked {
            arn: inst_arn,
            kind: Kind::Instance,
            context: inst_ctx,
            tags: instance_tags,
        },
    ];
    let term_pairs = pairs(&term_ctx);
    let (mut check, term) = tokio::join!(
        check_resources(aws, who, "ssm:StartSession", target, base, resources),
        iam::simulate(aws, source, "ssm:TerminateSession", &term_arn, &term_pairs)
    );
    if check.reason.is_some() && check.resources.is_empty() {
        return check;
    }
    if let Ok(term) = term {
        if term.decision != Decision::Allowed {
            let how = if who.username.is_some() {
                format!("allow ssm:TerminateSession on arn:{partition}:ssm:*:*:session/${{aws:username}}-*")
            } else {
                format!("allow ssm:TerminateSession on arn:{partition}:ssm:*:*:session/* with the condition StringLike ssm:resourceTag/aws:ssmmessages:session-id = ${{aws:userid}}")
            };
            check.warnings.push(format!(
                "you may not call ssm:TerminateSession on your own sessions ({term_arn}): a session whose plugin fails can't be closed by ssmgo and stays open until it times out; {how}"
            ));
        }
    }
    check
}

/// The context entries as the simulator takes them.
fn pairs(entries: &[Entry]) -> Vec<(String, Vec<String>)> {
    entries
        .iter()
        .map(|e| (e.key.clone(), e.values.clone()))
        .collect()
}

/// One resource an action is authorized on, with the whole context it is checked with (the
/// caller's, the request's own keys, the resource's tags) and those tags for the explanation.
pub struct Checked {
    pub arn: String,
    pub kind: Kind,
    pub context: Vec<Entry>,
    pub tags: Vec<(String, String)>,
}

/// The pre-check of `action` on every resource AWS authorizes it against, each simulated with
/// its own context, all at once: the verdict over all of them, each denial explained from the
/// caller's own policies and what depends on context only AWS sees said so (StartSession's
/// document and instance; ECS Exec's cluster and task). `base` is the caller's context, shown
/// in the report. Never fails: what can't be checked is a [`Verdict::Unknown`] with its reason.
pub async fn check_resources(
    aws: &Aws,
    who: &Who,
    action: &str,
    target: String,
    base: Vec<Entry>,
    resources: Vec<Checked>,
) -> Check {
    let source = &who.source;
    let facts = Facts {
        now: SystemTime::now(),
        ..who.facts.clone()
    };
    let contexts: Vec<Vec<(String, Vec<String>)>> =
        resources.iter().map(|r| pairs(&r.context)).collect();
    let sims = futures::future::join_all(
        resources
            .iter()
            .zip(&contexts)
            .map(|(r, ctx)| iam::simulate(aws, source, action, &r.arn, ctx)),
    )
    .await;

    let mut check = Check {
        target: target.clone(),
        principal: Some(who.identity.arn.clone()),
        policy_source_arn: Some(source.clone()),
        verdict: Verdict::Allowed,
        context: base,
        resources: Vec::new(),
        fix: None,
        warnings: Vec::new(),
        reason: None,
        action: action.to_owned(),
        fix_report: None,
    };
    let mut failed = Vec::new();
    for (r, sim) in resources.into_iter().zip(sims) {
        match sim {
            Ok(sim) => check.resources.push(ResourceCheck {
                arn: r.arn,
                kind: r.kind,
                decision: Some(sim.decision),
                matched: sim.matched,
                missing_context: sim.missing_context,
                depends_on: Vec::new(),
                explanation: Vec::new(),
                allowed_by_boundary: sim.allowed_by_boundary,
                allowed_by_organizations: sim.allowed_by_organizations,
                context: r.context,
                tags: r.tags,
            }),
            Err(e) => failed.push(format!(
                "{} could not be checked: {}",
                r.kind.words(),
                first_line(&e)
            )),
        }
    }
    if check.resources.is_empty() {
        let mut unknown = Check::unknown(target, check.principal, failed.join("; "));
        unknown.policy_source_arn = Some(source.clone());
        unknown.action = action.to_owned();
        return unknown;
    }

    let unknown_keys = |rc: &ResourceCheck, extra: &[String]| -> Vec<String> {
        let mut keys: Vec<String> = rc
            .missing_context
            .iter()
            .chain(extra)
            .filter(|k| !facts.known_absent(k))
            .filter(|k| !rc.context.iter().any(|e| e.key.eq_ignore_ascii_case(k)))
            .cloned()
            .collect();
        keys.sort_by_key(|k| k.to_ascii_lowercase());
        keys.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        keys
    };
    let needs_policies = check
        .resources
        .iter()
        .any(|rc| !rc.allowed() || !unknown_keys(rc, &[]).is_empty());
    if needs_policies {
        let policies = read_policies(aws, &who.owner, "your").await;
        analyse(&mut check, &policies, &facts, &unknown_keys);
    }
    let denied = check.resources.iter().any(|r| {
        matches!(
            r.decision,
            Some(Decision::ExplicitDeny | Decision::ImplicitDeny)
        )
    });
    let unknown = check.resources.iter().any(|r| r.decision.is_none());
    check.verdict = if denied {
        Verdict::Denied
    } else if unknown || !failed.is_empty() {
        Verdict::Unknown
    } else {
        Verdict::Allowed
    };
    if !failed.is_empty() {
        if denied {
            // A denial already known stands, whatever the other simulation did.
            check.warnings.extend(failed);
        } else {
            check.reason = Some(failed.join("; "));
        }
    }
    check
}
