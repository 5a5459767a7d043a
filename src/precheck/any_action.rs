//! The pre-check for the other actions ssmgo calls on behalf of the caller and that AWS
//! authorizes per resource (ssm:SendCommand, ec2:StartInstances,
//! ec2-instance-connect:SendSSHPublicKey): which resources the caller may not call them on, and
//! why, in the StartSession pre-check's words.

use std::time::SystemTime;

use ssmgo_policy::Decision;

use super::context::{self, Facts};
use super::explain::{read_policies, why_not_allowed};
use super::{Who, WhoFailure};
use crate::aws::arn::target_arn;
use crate::aws::{iam, Aws};
use crate::fleet::Instance;

/// Whether the caller may start `instance` (ec2:StartInstances on its ARN, with its tags as
/// the request's resource tags): the simulator's refusal in words, with the statements that would
/// have allowed it, or None when it allows it or can't tell (then AWS decides).
pub async fn may_start(
    aws: &Aws,
    who: &Result<Who, WhoFailure>,
    instance: &Instance,
) -> Option<String> {
    let who = who.as_ref().ok()?;
    let resource = Resource::instance(aws, who, instance);
    let denied = denied_resources(
        aws,
        who,
        "ec2:StartInstances",
        std::slice::from_ref(&resource),
        &[],
        "ec2:ResourceTag/",
    )
    .await;
    let denial = denied.into_iter().next()?;
    let mut words = format!(
        "ec2:StartInstances on {} is {} for {}",
        resource.arn,
        denial.decision.as_str(),
        who.identity.arn
    );
    for line in denial.why {
        words.push_str("\n  ");
        words.push_str(&line);
    }
    Some(words)
}

/// One resource an action is checked on: its ARN, its tags, and what to call it.
pub struct Resource {
    pub arn: String,
    pub tags: Vec<(String, String)>,
    pub label: String,
}

impl Resource {
    /// An instance (or hybrid node) in the caller's account and the client's region.
    pub fn instance(aws: &Aws, who: &Who, instance: &Instance) -> Resource {
        Resource {
            arn: target_arn(
                &who.partition,
                aws.region(),
                &who.identity.account,
                &instance.instance_id,
            ),
            tags: instance
                .tags
                .iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
            label: instance.label(),
        }
    }
}

/// A resource the caller may not call an action on: AWS's decision and why, in words.
pub struct Denied {
    pub label: String,
    pub decision: Decision,
    pub why: Vec<String>,
}

/// The pre-check for any action authorized per resource (ssm:SendCommand on the document and on
/// each instance): the resources the caller may not call it on, each with why, in the same
/// words as the StartSession pre-check. What the simulator can't answer is left to AWS (not
/// listed). Runs the simulations a few at a time.
/// `extra` is context the action's request carries besides the caller's and the resource's tags
/// (e.g. ec2:osuser); `tag_prefix` is the service's own resource-tag key (ssm:resourceTag/,
/// ec2:ResourceTag/), given with aws:ResourceTag/.
pub async fn denied_resources(
    aws: &Aws,
    who: &Who,
    action: &str,
    resources: &[Resource],
    extra: &[(String, Vec<String>)],
    tag_prefix: &str,
) -> Vec<Denied> {
    use futures::stream::{self, StreamExt};
    let facts = Facts {
        now: SystemTime::now(),
        ..who.facts.clone()
    };
    let base = facts.entries();
    let contexts: Vec<Vec<(String, Vec<String>)>> = resources
        .iter()
        .map(|r| {
            base.iter()
                .cloned()
                .chain(context::resource_tag_entries(
                    &r.tags,
                    tag_prefix,
                    "the resource's tags",
                ))
                .map(|e| (e.key, e.values))
                .chain(extra.iter().cloned())
                .collect()
        })
        .collect();
    let answers: Vec<(usize, Option<iam::Simulated>)> = stream::iter(resources.iter().enumerate())
        .map(|(n, r)| {
            let context = &contexts[n];
            async move {
                let sim = iam::simulate(aws, &who.source, action, &r.arn, context).await;
                (n, sim.ok())
            }
        })
        .buffer_unordered(8)
        .collect()
        .await;
    // A denial that hangs on context only AWS sees (the source address, MFA, …) is no denial
    // ssmgo may stop anyone on: AWS decides those.
    let mut denied: Vec<(usize, Decision)> = answers
        .into_iter()
        .filter_map(|(n, sim)| match sim {
            Some(sim) if sim.decision == Decision::ExplicitDeny => Some((n, sim.decision)),
            Some(sim)
                if sim.decision == Decision::ImplicitDeny
                    && sim.missing_context.iter().all(|k| facts.known_absent(k)) =>
            {
                Some((n, sim.decision))
            }
            _ => None,
        })
        .collect();
    denied.sort_unstable_by_key(|(n, _)| *n);
    if denied.is_empty() {
        return Vec::new();
    }
    let policies = read_policies(aws, &who.owner, "your").await;
    denied
        .into_iter()
        .map(|(n, decision)| Denied {
            label: resources[n].label.clone(),
            decision,
            why: why_not_allowed(&policies, action, &resources[n].arn, &contexts[n]),
        })
        .collect()
}
