//! The pre-check: before a session starts, ask IAM's policy simulator whether ssm:StartSession
//! will be allowed — once per resource, because StartSession is authorized against both the
//! session document and the instance, and context entries apply to every resource of one call
//! (the instance's tags would make the document look allowed). When it will be denied, read the
//! principal's policies and explain, statement by statement, why, and how to fix the policy.

pub(crate) mod api;
mod report;

use serde::Serialize;
use ssmgo_policy::{Context, Evaluator, Policy, Request};

use crate::aws::Aws;
use crate::fleet::Instance;
use crate::policy_report::{proof_text, PolicySets};
pub use api::Matched;
use api::{PolicyOwner, Simulated};
pub use report::render;

/// The document a shell session uses when none is named (the AWS CLI's default too).
pub const DEFAULT_DOCUMENT: &str = "SSM-SessionManagerRunShell";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Document,
    Instance,
}

/// The simulator's verdict on one resource, and our explanation of a denial.
#[derive(Debug, Clone, Serialize)]
pub struct ResourceCheck {
    pub arn: String,
    pub kind: Kind,
    pub decision: String,
    pub matched: Vec<Matched>,
    pub missing_context: Vec<String>,
    /// Lines of plain-language explanation (empty when allowed).
    pub explanation: Vec<String>,
    #[serde(skip)]
    allowed_by_boundary: Option<bool>,
    #[serde(skip)]
    context: Vec<(String, Vec<String>)>,
}

impl ResourceCheck {
    pub fn allowed(&self) -> bool {
        self.decision == "allowed"
    }
}

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
    pub decision: Verdict,
    pub resources: Vec<ResourceCheck>,
    /// The corrected policy, when the denial is the document/tag-condition mistake.
    pub fix: Option<serde_json::Value>,
    pub warnings: Vec<String>,
    /// Why the check could not run (decision "unknown").
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
        other => other
            .to_string()
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned(),
    }
}

impl Check {
    fn unknown(target: String, principal: Option<String>, reason: String) -> Check {
        Check {
            target,
            principal,
            policy_source_arn: None,
            decision: Verdict::Unknown,
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
    identity: api::CallerIdentity,
    partition: String,
    source: String,
    owner: PolicyOwner,
    session_prefix: String,
    username: Option<String>,
}

/// Why the pre-check can't run for this caller: (the caller's ARN if known, the reason).
pub type WhoFailure = (Option<String>, String);

/// sts:GetCallerIdentity (unless the caller's identity is `known` already), and for an assumed
/// role iam:GetRole, to find the PolicySourceArn; and, at the same time, the session document's
/// tags. None of it depends on the target, so it all runs while the target is being resolved.
pub async fn whoami(
    aws: &Aws,
    document: Option<&str>,
    known: Option<api::CallerIdentity>,
) -> Result<Who, WhoFailure> {
    let document = document.unwrap_or(DEFAULT_DOCUMENT).to_owned();
    let (identity, document_tags) = tokio::join!(
        async {
            match known {
                Some(identity) => Ok(identity),
                None => api::caller_identity(aws).await,
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
    Ok(Who {
        document,
        document_tags,
        identity,
        partition,
        source,
        owner,
        session_prefix,
        username,
    })
}

/// The pre-check for a caller already looked up with [`whoami`]. Never fails: what can't be
/// checked is a [`Verdict::Unknown`] with its reason.
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
    let (owner, session_prefix, username) = (&who.owner, &who.session_prefix, &who.username);

    let region = aws.region();
    let account = &identity.account;
    let doc_arn = document_arn(partition, region, account, &who.document);
    let inst_arn = target_arn(partition, region, account, &instance.instance_id);
    let mut base: Vec<(String, Vec<String>)> =
        vec![("aws:userid".into(), vec![identity.user_id.clone()])];
    if let Some(name) = username {
        base.push(("aws:username".into(), vec![name.clone()]));
    }
    let mut inst_ctx = base.clone();
    for (k, v) in instance.tags.iter() {
        inst_ctx.push((format!("aws:ResourceTag/{k}"), vec![v.to_owned()]));
        inst_ctx.push((format!("ssm:resourceTag/{k}"), vec![v.to_owned()]));
    }
    let term_arn = format!(
        "arn:{partition}:ssm:{region}:{account}:session/{session_prefix}-0123456789abcdef0"
    );

    // One simulation per resource, all at once: one round trip of added latency.
    let mut doc_ctx = base.clone();
    for (k, v) in &who.document_tags {
        doc_ctx.push((format!("aws:ResourceTag/{k}"), vec![v.clone()]));
    }
    let doc_check = api::simulate(aws, source, "ssm:StartSession", &doc_arn, &doc_ctx);
    let inst_check = api::simulate(aws, source, "ssm:StartSession", &inst_arn, &inst_ctx);
    let term_check = api::simulate(aws, source, "ssm:TerminateSession", &term_arn, &base);
    let (doc, inst, term) = tokio::join!(doc_check, inst_check, term_check);

    let mut check = Check {
        target: target.clone(),
        principal,
        policy_source_arn: Some(source.clone()),
        decision: Verdict::Allowed,
        resources: Vec::new(),
        fix: None,
        warnings: Vec::new(),
        reason: None,
        fix_report: None,
    };
    let (doc, inst) = match (doc, inst) {
        (Ok(d), Ok(i)) => (d, i),
        (Err(e), _) | (_, Err(e)) => {
            let mut unknown = Check::unknown(target, check.principal, first_line(&e));
            unknown.policy_source_arn = Some(source.clone());
            return unknown;
        }
    };
    let resource = |arn: String,
                    kind: Kind,
                    sim: Simulated,
                    context: Vec<(String, Vec<String>)>| ResourceCheck {
        arn,
        kind,
        decision: sim.decision,
        matched: sim.matched,
        missing_context: sim.missing_context,
        explanation: Vec::new(),
        allowed_by_boundary: sim.allowed_by_boundary,
        context,
    };
    check
        .resources
        .push(resource(doc_arn, Kind::Document, doc, doc_ctx));
    check
        .resources
        .push(resource(inst_arn, Kind::Instance, inst, inst_ctx));
    if let Ok(term) = term {
        if term.decision != "allowed" {
            check.warnings.push(format!(
                "you may not call ssm:TerminateSession on your own sessions ({}): a session whose plugin fails can't be closed by ssmgo and stays open until it times out; allow ssm:TerminateSession on arn:aws:ssm:*:*:session/${{aws:username}}-* (roles: ${{aws:userid}}-*)",
                term_arn
            ));
        }
    }
    if check.resources.iter().all(ResourceCheck::allowed) {
        return check;
    }
    check.decision = Verdict::Denied;
    explain(aws, owner, &mut check).await;
    check
}

/// Reads the principal's policies and explains each denied resource with ssmgo's own evaluator;
/// finds a fix when the denial is the document/tag-condition mistake.
async fn explain(aws: &Aws, owner: &PolicyOwner, check: &mut Check) {
    let read = api::principal_policies(aws, owner).await;
    let mut unparsable = Vec::new();
    let mut parse = |p: &api::NamedPolicy| match Policy::parse(&p.label, &p.text) {
        Ok(policy) => Some(policy),
        Err(e) => {
            unparsable.push(format!("{} ({})", p.label, e));
            None
        }
    };
    let identity: Vec<Policy> = read.identity.iter().filter_map(&mut parse).collect();
    let boundary: Option<Vec<Policy>> =
        read.boundary.as_ref().and_then(&mut parse).map(|b| vec![b]);
    let sets = PolicySets {
        identity: &identity,
        boundary: boundary.as_deref(),
    };
    for rc in check.resources.iter_mut().filter(|r| !r.allowed()) {
        let mut ctx = Context::new();
        for (k, values) in &rc.context {
            for v in values {
                ctx.insert(k, v.clone());
            }
        }
        let req = Request::new("ssm:StartSession", &rc.arn, &ctx);
        let ours = Evaluator::new(&identity, boundary.as_deref()).explain(&req);
        let what = match rc.kind {
            Kind::Document => "the session document",
            Kind::Instance => "the instance",
        };
        let mut lines = Vec::new();
        if rc.decision == "explicitDeny" {
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
            }
            let tag_condition = ours.near_misses.iter().flat_map(|m| &m.failed).any(|f| {
                (f.contains("aws:ResourceTag/") || f.contains("ssm:resourceTag/"))
                    && f.contains("no such key")
            });
            if rc.kind == Kind::Document && tag_condition {
                lines.push("the session document carries none of the instance's tags, so a resource-tag condition in a statement that also names the document can never hold for it".into());
            }
            if ours.near_misses.is_empty() && !identity.is_empty() {
                lines.push(
                    "no Allow statement in your policies mentions ssm:StartSession for it".into(),
                );
            }
        }
        if !read.unreadable.is_empty() {
            lines.push(format!(
                "could not read your policies ({}), so this is the simulator's answer alone",
                read.unreadable.join(", ")
            ));
        }
        lines.extend(unparsable.iter().map(|u| format!("could not parse {u}")));
        rc.explanation = lines;
    }
    for policy in &identity {
        if let Some(fixed) = ssmgo_policy::fix::fix(policy) {
            check.fix = serde_json::from_str(&fixed.text).ok();
            check.fix_report = Some(FixReport {
                policy: policy.name.clone(),
                text: fixed.text.clone(),
                proof: proof_text(policy, &fixed),
            });
            break;
        }
    }
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
