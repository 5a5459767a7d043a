//! The pre-check: before a session starts, ask IAM's policy simulator whether ssm:StartSession
//! will be allowed — once per resource, because StartSession is authorized against both the
//! session document and the instance, and context entries apply to every resource of one call
//! (the instance's tags would make the document look allowed). When it will be denied, read the
//! principal's policies and explain, statement by statement, why, and how to fix the policy.

pub(crate) mod api;
pub mod context;
mod report;

use std::time::SystemTime;

use serde::Serialize;
use ssmgo_policy::depends::{depends_on, KeyDependence};
use ssmgo_policy::{Context, Decision, Evaluator, Policy, Request};

use crate::aws::Aws;
use crate::fleet::Instance;
use crate::policy_report::PolicySets;
pub use api::Matched;
use api::PolicyOwner;
use context::{Entry, Facts};
pub use report::render;

/// The service's own spelling of a resource-tag condition key for StartSession.
pub const SSM_TAG_PREFIX: &str = "ssm:resourceTag/";

/// The document a shell session uses when none is named (the AWS CLI's default too).
pub const DEFAULT_DOCUMENT: &str = "SSM-SessionManagerRunShell";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Document,
    Instance,
}

impl Kind {
    fn words(self) -> &'static str {
        match self {
            Kind::Document => "the session document",
            Kind::Instance => "the instance",
        }
    }
}

/// How a verdict depends on one key that only AWS sees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dependence {
    pub key: String,
    /// The values (in words) with which StartSession can be allowed.
    pub allowing: Vec<String>,
    /// The values with which it is denied.
    pub denying: Vec<String>,
}

impl From<KeyDependence> for Dependence {
    fn from(d: KeyDependence) -> Self {
        Dependence {
            key: d.key,
            allowing: d.allowing,
            denying: d.denying,
        }
    }
}

/// The verdict on one resource, and our explanation of it.
#[derive(Debug, Clone, Serialize)]
pub struct ResourceCheck {
    pub arn: String,
    pub kind: Kind,
    /// The simulator's decision, or None ("unknown") when the outcome depends on context only
    /// AWS sees.
    #[serde(serialize_with = "decision_or_unknown")]
    pub decision: Option<Decision>,
    pub matched: Vec<Matched>,
    pub missing_context: Vec<String>,
    /// What an "unknown" depends on.
    pub depends_on: Vec<Dependence>,
    /// Lines of plain-language explanation (empty when allowed).
    pub explanation: Vec<String>,
    #[serde(skip)]
    allowed_by_boundary: Option<bool>,
    #[serde(skip)]
    allowed_by_organizations: Option<bool>,
    /// The context this resource was checked with.
    #[serde(skip)]
    context: Vec<Entry>,
    #[serde(skip)]
    tags: Vec<(String, String)>,
}

impl ResourceCheck {
    pub fn allowed(&self) -> bool {
        self.decision == Some(Decision::Allowed)
    }

    /// "allowed", "explicitDeny", "implicitDeny" or "unknown".
    pub fn decision_words(&self) -> &'static str {
        self.decision.map_or("unknown", Decision::as_str)
    }
}

fn decision_or_unknown<S: serde::Serializer>(
    d: &Option<Decision>,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.serialize_str(d.map_or("unknown", Decision::as_str))
}

/// The pre-check's answer for the whole request, over every resource: allowed only when each
/// resource's [`Decision`] is; unknown when one depends on what only AWS sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Allowed,
    Denied,
    Unknown,
}

/// Everything the pre-check found. Serializes as `ssmgo check --json`.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub target: String,
    pub principal: Option<String>,
    pub policy_source_arn: Option<String>,
    /// Serialized as "decision", the key scripts read since `check --json` first shipped.
    #[serde(rename = "decision")]
    pub verdict: Verdict,
    /// The request context given to every check, with where each value came from (the
    /// resources' own tags are added per resource).
    pub context: Vec<Entry>,
    pub resources: Vec<ResourceCheck>,
    /// The corrected policy, when the denial is the document/tag-condition mistake.
    pub fix: Option<serde_json::Value>,
    pub warnings: Vec<String>,
    /// Why the check could not run (verdict unknown).
    pub reason: Option<String>,
    #[serde(skip)]
    fix_report: Option<FixReport>,
}

#[derive(Debug, Clone)]
struct FixReport {
    policy: String,
    text: String,
    proof: String,
}

/// What the caller's ARN says about how to simulate it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Principal {
    User { name: String },
    AssumedRole { role: String, session: String },
    Unsupported(&'static str),
}

fn classify(arn: &str) -> Principal {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    if parts.len() != 6 {
        return Principal::Unsupported("an unrecognised principal");
    }
    let (service, resource) = (parts[2], parts[5]);
    match (service, resource) {
        (_, "root") => Principal::Unsupported("the account's root user"),
        ("iam", r) if r.starts_with("user/") => Principal::User {
            name: r.rsplit('/').next().unwrap_or(r).to_owned(),
        },
        ("sts", r) if r.starts_with("assumed-role/") => {
            let mut it = r["assumed-role/".len()..].splitn(2, '/');
            match (it.next(), it.next()) {
                (Some(role), Some(session)) if !role.is_empty() => Principal::AssumedRole {
                    role: role.to_owned(),
                    session: session.to_owned(),
                },
                _ => Principal::Unsupported("an assumed role without a session name"),
            }
        }
        ("sts", r) if r.starts_with("federated-user/") => {
            Principal::Unsupported("a federated user (GetFederationToken)")
        }
        _ => Principal::Unsupported("an unrecognised principal"),
    }
}

/// The ARN StartSession authorizes for a document: AWS-owned documents (AWS-…) have an empty
/// account field.
pub fn document_arn(partition: &str, region: &str, account: &str, name: &str) -> String {
    if name.starts_with("arn:") {
        return name.to_owned();
    }
    let owner = if name.starts_with("AWS-") {
        ""
    } else {
        account
    };
    format!("arn:{partition}:ssm:{region}:{owner}:document/{name}")
}

/// The ARN StartSession authorizes for a target: an EC2 instance or a hybrid managed node.
pub fn target_arn(partition: &str, region: &str, account: &str, id: &str) -> String {
    if id.starts_with("mi-") {
        format!("arn:{partition}:ssm:{region}:{account}:managed-instance/{id}")
    } else {
        format!("arn:{partition}:ec2:{region}:{account}:instance/{id}")
    }
}

/// Why a call of the pre-check failed, in a few words.
fn first_line(e: &crate::error::Error) -> String {
    match e {
        crate::error::Error::AccessDenied { action, .. } => format!("you may not call {action}"),
        crate::error::Error::Throttled { operation, .. } => {
            format!("AWS kept throttling {operation}")
        }
        other => other.headline(),
    }
}

impl Check {
    /// The keys an "unknown" verdict depends on.
    pub fn depends_on_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self
            .resources
            .iter()
            .flat_map(|r| r.depends_on.iter().map(|d| d.key.clone()))
            .collect();
        keys.sort();
        keys.dedup();
        keys
    }

    fn unknown(target: String, principal: Option<String>, reason: String) -> Check {
        Check {
            target,
            principal,
            policy_source_arn: None,
            verdict: Verdict::Unknown,
            context: Vec::new(),
            resources: Vec::new(),
            fix: None,
            warnings: Vec::new(),
            reason: Some(reason),
            fix_report: None,
        }
    }
}

/// Who is asking, resolved to what the simulator accepts. Independent of the target, so it can
/// be looked up while the target is still being resolved.
#[derive(Debug, Clone)]
pub struct Who {
    /// The session document's name and its own tags (the simulator's context for it).
    document: String,
    document_tags: Vec<(String, String)>,
    identity: crate::aws::CallerIdentity,
    partition: String,
    source: String,
    owner: PolicyOwner,
    session_prefix: String,
    username: Option<String>,
    /// What ssmgo knows of the request context (the time is set when checking).
    facts: Facts,
}

impl Who {
    /// The caller's ARN, as sts:GetCallerIdentity says it.
    pub fn arn(&self) -> &str {
        &self.identity.arn
    }

    /// The ARN the simulator evaluates for the caller (a role for an assumed-role session).
    pub fn policy_source(&self) -> &str {
        &self.source
    }

    pub fn account(&self) -> &str {
        &self.identity.account
    }

    pub fn partition(&self) -> &str {
        &self.partition
    }
}

/// Why the pre-check can't run for this caller: (the caller's ARN if known, the reason).
pub type WhoFailure = (Option<String>, String);

/// sts:GetCallerIdentity (unless the caller's identity is `known` already), and for an assumed
/// role iam:GetRole, to find the PolicySourceArn; and, at the same time, the session document's
/// tags. None of it depends on the target, so it all runs while the target is being resolved.
pub async fn whoami(
    aws: &Aws,
    document: Option<&str>,
    known: Option<crate::aws::CallerIdentity>,
) -> Result<Who, WhoFailure> {
    let document = document.unwrap_or(DEFAULT_DOCUMENT).to_owned();
    let (identity, document_tags) = tokio::join!(
        async {
            match known {
                Some(identity) => Ok(identity),
                None => crate::aws::caller_identity(aws).await,
            }
        },
        api::document_tags(aws, &document)
    );
    let identity = identity.map_err(|e| (None, first_line(&e)))?;
    let arn = identity.arn.clone();
    let partition = arn.split(':').nth(1).unwrap_or("aws").to_owned();
    let (source, owner, session_prefix, username) = match classify(&arn) {
        Principal::User { name } => (
            arn.clone(),
            PolicyOwner::User(name.clone()),
            name.clone(),
            Some(name),
        ),
        Principal::AssumedRole { role, session } => match api::role_arn(aws, &role).await {
            Ok(role_arn) => (role_arn, PolicyOwner::Role(role), session, None),
            Err(e) => {
                return Err((
                    Some(arn),
                    format!(
                        "the assumed role {role} could not be mapped to its role ARN ({})",
                        first_line(&e)
                    ),
                ))
            }
        },
        Principal::Unsupported(what) => {
            return Err((
                Some(arn),
                format!(
                    "the credentials belong to {what}, which IAM's policy simulator can't check"
                ),
            ))
        }
    };
    let principal_tags = api::principal_tags(aws, &owner).await.ok();
    let facts = Facts {
        region: aws.region().to_owned(),
        now: SystemTime::now(),
        principal_arn: source.clone(),
        account: identity.account.clone(),
        principal_type: if username.is_some() {
            "User"
        } else {
            "AssumedRole"
        },
        user_id: identity.user_id.clone(),
        username: username.clone(),
        principal_tags,
        temporary: aws.temporary_credentials(),
    };
    Ok(Who {
        document,
        document_tags,
        identity,
        partition,
        source,
        owner,
        session_prefix,
        username,
        facts,
    })
}

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
    let principal = Some(who.identity.arn.clone());
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
    // One simulation per resource, all at once: one round trip of added latency.
    let pairs = |entries: &[Entry]| -> Vec<(String, Vec<String>)> {
        entries
            .iter()
            .map(|e| (e.key.clone(), e.values.clone()))
            .collect()
    };
    let (doc_pairs, inst_pairs, term_pairs) = (pairs(&doc_ctx), pairs(&inst_ctx), pairs(&term_ctx));
    let (doc, inst, term) = tokio::join!(
        api::simulate(aws, source, "ssm:StartSession", &doc_arn, &doc_pairs),
        api::simulate(aws, source, "ssm:StartSession", &inst_arn, &inst_pairs),
        api::simulate(aws, source, "ssm:TerminateSession", &term_arn, &term_pairs)
    );

    let mut check = Check {
        target: target.clone(),
        principal,
        policy_source_arn: Some(source.clone()),
        verdict: Verdict::Allowed,
        context: base,
        resources: Vec::new(),
        fix: None,
        warnings: Vec::new(),
        reason: None,
        fix_report: None,
    };
    let mut failed = Vec::new();
    for (arn, kind, sim, context, tags) in [
        (
            doc_arn,
            Kind::Document,
            doc,
            doc_ctx,
            who.document_tags.clone(),
        ),
        (inst_arn, Kind::Instance, inst, inst_ctx, instance_tags),
    ] {
        match sim {
            Ok(sim) => check.resources.push(ResourceCheck {
                arn,
                kind,
                decision: Some(sim.decision),
                matched: sim.matched,
                missing_context: sim.missing_context,
                depends_on: Vec::new(),
                explanation: Vec::new(),
                allowed_by_boundary: sim.allowed_by_boundary,
                allowed_by_organizations: sim.allowed_by_organizations,
                context,
                tags,
            }),
            Err(e) => failed.push(format!(
                "{} could not be checked: {}",
                kind.words(),
                first_line(&e)
            )),
        }
    }
    if check.resources.is_empty() {
        let mut unknown = Check::unknown(target, check.principal, failed.join("; "));
        unknown.policy_source_arn = Some(source.clone());
        return unknown;
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
    let answers: Vec<(usize, Option<api::Simulated>)> = stream::iter(resources.iter().enumerate())
        .map(|(n, r)| {
            let context = &contexts[n];
            async move {
                let sim = api::simulate(aws, &who.source, action, &r.arn, context).await;
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

/// A principal's policies, read and parsed.
pub(crate) struct Policies {
    identity: Vec<Policy>,
    boundary: Option<Vec<Policy>>,
    /// What could not be read or parsed, in words.
    problems: Vec<String>,
}

/// `whose` names the owner in what can't be read: "your", or "the role's".
pub(crate) async fn read_policies(aws: &Aws, owner: &PolicyOwner, whose: &str) -> Policies {
    let read = api::principal_policies(aws, owner).await;
    let mut problems: Vec<String> = Vec::new();
    if !read.unreadable.is_empty() {
        problems.push(format!(
            "could not read {whose} policies ({}), so this is the simulator's answer alone",
            read.unreadable.join(", ")
        ));
    }
    let mut parse = |p: &api::NamedPolicy| match Policy::parse(&p.label, &p.text) {
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
fn analyse(
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
                if let Some(deps) = depends_on(&evaluator, "ssm:StartSession", &rc.arn, &ctx, &keys)
                {
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
        rc.explanation = explain_resource(rc, &sets, &evaluator, &ctx, facts);
        rc.explanation.extend(policies.problems.iter().cloned());
    }
    // The fix, only for the denial it repairs, proven on this very request.
    let Some(doc) = check
        .resources
        .iter()
        .find(|r| r.kind == Kind::Document && !r.allowed() && r.decision.is_some())
    else {
        return;
    };
    let doc_ctx = to_context(&doc.context);
    let req = Request::new("ssm:StartSession", &doc.arn, &doc_ctx);
    let ours = evaluator.explain(&req);
    let culprit = ours.near_misses.iter().find(|m| {
        !m.at.boundary
            && m.failed.iter().any(|f| {
                (f.contains("aws:ResourceTag/") || f.contains("ssm:resourceTag/"))
                    && f.contains("no such key")
            })
    });
    let Some(culprit) = culprit else { return };
    let policy = &policies.identity[culprit.at.policy];
    let partition = doc.arn.split(':').nth(1).unwrap_or("aws");
    let Some(fixed) = ssmgo_policy::fix::fix_in(policy, partition) else {
        return;
    };
    let mut after = policies.identity.clone();
    after[culprit.at.policy] = fixed.policy.clone();
    let proof = prove(
        check,
        &policies.identity,
        &after,
        policies.boundary.as_deref(),
    );
    check.fix = serde_json::from_str(&fixed.text).ok();
    check.fix_report = Some(FixReport {
        policy: policy.name.clone(),
        text: fixed.text.clone(),
        proof,
    });
}

/// Before and after the fix, for this request's own resources and context.
fn prove(
    check: &Check,
    before: &[Policy],
    after: &[Policy],
    boundary: Option<&[Policy]>,
) -> String {
    let mut out = String::from("ssm:StartSession on this request, before and after the fix:\n");
    let mut stays_denied = Vec::new();
    for rc in &check.resources {
        let ctx = to_context(&rc.context);
        let req = Request::new("ssm:StartSession", &rc.arn, &ctx);
        let was = Evaluator::new(before, boundary).decide(&req);
        let will = Evaluator::new(after, boundary).explain(&req);
        out.push_str(&format!(
            "  {:<22}{:<14}-> {:<14} {}\n",
            match rc.kind {
                Kind::Document => "the session document",
                Kind::Instance => "this instance",
            },
            was.as_str(),
            will.decision.as_str(),
            rc.arn
        ));
        if rc.kind == Kind::Instance && will.decision != Decision::Allowed {
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
            .any(|r| r.kind == Kind::Instance && !r.allowed())
    {
        let why = if stays_denied.is_empty() {
            String::new()
        } else {
            format!(": {}", stays_denied.join("; "))
        };
        out.push_str(&format!(
            "The fix repairs the session document, but this instance stays denied{why}. The fix is right for the instances the condition is meant for; this one isn't among them.\n"
        ));
    }
    out
}

/// The lines that explain one resource's verdict.
fn explain_resource(
    rc: &ResourceCheck,
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
        let req = Request::new("ssm:StartSession", &rc.arn, ctx);
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
        lines.push(format!("a service control policy (SCP) of your AWS Organization denies ssm:StartSession on {what}: your own policies can't change that, only an administrator of the organization can"));
        return lines;
    }
    let req = Request::new("ssm:StartSession", &rc.arn, ctx);
    let ours = evaluator.explain(&req);
    if rc.decision == Some(Decision::ExplicitDeny) {
        for m in &rc.matched {
            let at = match (m.line, m.column) {
                (Some(l), Some(c)) => format!(" (line {l}, column {c})"),
                _ => String::new(),
            };
            lines.push(format!(
                "an explicit Deny in policy {:?}{at} denies ssm:StartSession on {what}",
                m.policy
            ));
        }
        for at in &ours.matched {
            lines.push(format!("the deny statement: {}", sets.describe(*at)));
            words_for(*at, &mut lines);
        }
    } else {
        if rc.allowed_by_boundary == Some(false) || ours.denied_by_boundary {
            lines.push(format!("your identity-based policies allow ssm:StartSession on {what}, but your permissions boundary does not"));
        } else {
            lines.push(format!("no policy allows ssm:StartSession on {what}"));
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
            lines.push(
                "no Allow statement in your policies mentions ssm:StartSession for it".into(),
            );
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn principals_are_classified_from_their_arn() {
        assert_eq!(
            classify("arn:aws:iam::123456789012:user/division/alice"),
            Principal::User {
                name: "alice".into()
            }
        );
        assert_eq!(
            classify("arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123/alice@example.com"),
            Principal::AssumedRole {
                role: "AWSReservedSSO_Admin_0123".into(),
                session: "alice@example.com".into()
            }
        );
        assert!(matches!(
            classify("arn:aws:iam::123456789012:root"),
            Principal::Unsupported(_)
        ));
        assert!(matches!(
            classify("arn:aws:sts::123456789012:federated-user/bob"),
            Principal::Unsupported(_)
        ));
        assert!(matches!(classify("not an arn"), Principal::Unsupported(_)));
    }

    #[test]
    fn aws_owned_documents_have_an_empty_account_field() {
        assert_eq!(
            document_arn(
                "aws",
                "eu-west-1",
                "123456789012",
                "SSM-SessionManagerRunShell"
            ),
            "arn:aws:ssm:eu-west-1:123456789012:document/SSM-SessionManagerRunShell"
        );
        assert_eq!(
            document_arn(
                "aws",
                "eu-west-1",
                "123456789012",
                "AWS-StartPortForwardingSession"
            ),
            "arn:aws:ssm:eu-west-1::document/AWS-StartPortForwardingSession"
        );
        assert_eq!(
            document_arn(
                "aws-cn",
                "cn-north-1",
                "1",
                "arn:aws-cn:ssm:cn-north-1:2:document/X"
            ),
            "arn:aws-cn:ssm:cn-north-1:2:document/X"
        );
    }

    #[test]
    fn hybrid_nodes_are_managed_instances() {
        assert_eq!(
            target_arn("aws", "us-east-1", "1", "i-0abc"),
            "arn:aws:ec2:us-east-1:1:instance/i-0abc"
        );
        assert_eq!(
            target_arn("aws", "us-east-1", "1", "mi-0abc"),
            "arn:aws:ssm:us-east-1:1:managed-instance/mi-0abc"
        );
    }
}
