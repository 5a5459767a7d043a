//! Who is asking: the caller's ARN → the principal IAM's policy simulator evaluates (a user, or
//! the role behind an assumed-role session: the simulator rejects session ARNs), whose policies
//! explain a denial, and what ssmgo knows of the request context from them. None of it depends
//! on the target, so it is looked up while the target is still being resolved.

use std::time::SystemTime;

use super::context::Facts;
use super::{first_line, DEFAULT_DOCUMENT};
use crate::aws::iam::{self, PolicyOwner};
use crate::aws::{Aws, CallerIdentity};

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

/// Who is asking, resolved to what the simulator accepts. Independent of the target, so it can
/// be looked up while the target is still being resolved.
#[derive(Debug, Clone)]
pub struct Who {
    /// The session document's name and its own tags (the simulator's context for it).
    pub(super) document: String,
    pub(super) document_tags: Vec<(String, String)>,
    pub(super) identity: CallerIdentity,
    pub(super) partition: String,
    pub(super) source: String,
    pub(super) owner: PolicyOwner,
    pub(super) session_prefix: String,
    pub(super) username: Option<String>,
    /// What ssmgo knows of the request context (the time is set when checking).
    pub(super) facts: Facts,
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

    /// The session document it was looked up for, and that document's tags.
    pub fn document(&self) -> (&str, &[(String, String)]) {
        (&self.document, &self.document_tags)
    }

    /// The context every resource of a request by this caller shares, as of now.
    pub fn base_context(&self) -> Vec<super::context::Entry> {
        Facts {
            now: SystemTime::now(),
            ..self.facts.clone()
        }
        .entries()
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
    known: Option<CallerIdentity>,
) -> Result<Who, WhoFailure> {
    let document = document.unwrap_or(DEFAULT_DOCUMENT).to_owned();
    let (identity, document_tags) = tokio::join!(
        async {
            match known {
                Some(identity) => Ok(identity),
                None => crate::aws::caller_identity(aws).await,
            }
        },
        crate::fleet::ssm::document_tags(aws, &document)
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
        Principal::AssumedRole { role, session } => match iam::role_arn(aws, &role).await {
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
    let principal_tags = iam::principal_tags(aws, &owner).await.ok();
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
}
