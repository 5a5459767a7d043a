//! Asking IAM: the policy simulator (SimulatePrincipalPolicy), roles (by name, and an instance
//! profile's), a principal's tags and its policies (inline, attached, its groups', its
//! permissions boundary), each answer in our own types. The pre-check and the doctor both ask
//! IAM through here, so the SDK's IAM types stop in this file.

use aws_sdk_iam::error::SdkError;
use aws_sdk_iam::operation::get_role::GetRoleError;
use aws_sdk_iam::types::{ContextEntry, EvaluationResult, PolicyEvaluationDecisionType};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use ssmgo_policy::Decision;

use crate::aws::{is_service_error, Aws};
use crate::error::Result;

/// An IAM role: its name and ARN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    pub name: String,
    pub arn: String,
}

impl Role {
    /// The partition and account, from the ARN (arn:PARTITION:iam::ACCOUNT:…).
    pub fn partition_and_account(&self) -> Option<(String, String)> {
        let parts: Vec<&str> = self.arn.split(':').collect();
        (parts.len() > 4).then(|| (parts[1].to_owned(), parts[4].to_owned()))
    }

    fn of(role: &aws_sdk_iam::types::Role) -> Role {
        Role {
            name: role.role_name().to_owned(),
            arn: role.arn().to_owned(),
        }
    }
}

/// iam:GetRole, the one call behind a role by name, a role's ARN and a role's permissions
/// boundary. The SDK's error is left to the caller: each treats a missing role its own way.
async fn get_role(
    aws: &Aws,
    name: &str,
) -> std::result::Result<Option<aws_sdk_iam::types::Role>, SdkError<GetRoleError, HttpResponse>> {
    let out = aws.iam().get_role().role_name(name).send().await?;
    Ok(out.role)
}

/// A role by name (None when it doesn't exist).
pub async fn role(aws: &Aws, name: &str) -> Result<Option<Role>> {
    match get_role(aws, name).await {
        Ok(role) => Ok(role.as_ref().map(Role::of)),
        Err(e) if is_service_error(&e, "NoSuchEntity") => Ok(None),
        Err(e) => Err(aws.explain("iam:GetRole", e)),
    }
}

/// The role's ARN with its path (the simulator rejects assumed-role session ARNs). The caller's
/// own role, so one that doesn't exist is an error like any other.
pub async fn role_arn(aws: &Aws, role_name: &str) -> Result<String> {
    let role = get_role(aws, role_name)
        .await
        .map_err(|e| aws.explain("iam:GetRole", e))?;
    Ok(role.map(|r| r.arn().to_owned()).unwrap_or_default())
}

/// The roles of an instance profile (None when the profile no longer exists).
pub async fn instance_profile_roles(aws: &Aws, profile_name: &str) -> Result<Option<Vec<Role>>> {
    let out = aws
        .iam()
        .get_instance_profile()
        .instance_profile_name(profile_name)
        .send()
        .await;
    match out {
        Ok(out) => Ok(Some(
            out.instance_profile()
                .map(|p| p.roles().iter().map(Role::of).collect())
                .unwrap_or_default(),
        )),
        Err(e) if is_service_error(&e, "NoSuchEntity") => Ok(None),
        Err(e) => Err(aws.explain("iam:GetInstanceProfile", e)),
    }
}

/// A statement the simulator says decided, with its position when AWS gives one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Matched {
    pub policy: String,
    pub policy_type: String,
    pub line: Option<i32>,
    pub column: Option<i32>,
}

/// The simulator's answer for one action on one resource.
#[derive(Debug, Clone)]
pub struct Simulated {
    pub decision: Decision,
    pub matched: Vec<Matched>,
    pub missing_context: Vec<String>,
    /// Some(false) when a permissions boundary does not allow it.
    pub allowed_by_boundary: Option<bool>,
    /// Some(false) when the organization's service control policies do not allow it.
    pub allowed_by_organizations: Option<bool>,
}

/// The simulator's decision in the policy engine's terms (a value this SDK does not know is no
/// allow).
fn decision_of(d: &PolicyEvaluationDecisionType) -> Decision {
    match d {
        PolicyEvaluationDecisionType::Allowed => Decision::Allowed,
        PolicyEvaluationDecisionType::ExplicitDeny => Decision::ExplicitDeny,
        _ => Decision::ImplicitDeny,
    }
}

/// The simulator's type for a context key: dates, numbers, booleans and addresses are compared
/// as such only when typed so.
fn key_type(key: &str, many: bool) -> aws_sdk_iam::types::ContextKeyTypeEnum {
    use aws_sdk_iam::types::ContextKeyTypeEnum as T;
    let (one, list) = match key.to_ascii_lowercase().as_str() {
        "aws:currenttime" | "aws:tokenissuetime" => (T::Date, T::DateList),
        "aws:epochtime" | "aws:multifactorauthage" => (T::Numeric, T::NumericList),
        "aws:securetransport" | "aws:multifactorauthpresent" | "aws:viaawsservice" => {
            (T::Boolean, T::BooleanList)
        }
        "aws:sourceip" | "aws:vpcsourceip" => (T::Ip, T::IpList),
        _ => (T::String, T::StringList),
    };
    if many {
        list
    } else {
        one
    }
}

/// The principal's own IAM tags (iam:ListUserTags or iam:ListRoleTags).
pub async fn principal_tags(aws: &Aws, owner: &PolicyOwner) -> Result<Vec<(String, String)>> {
    let tags: Vec<(String, String)> = match owner {
        PolicyOwner::User(name) => aws
            .iam()
            .list_user_tags()
            .user_name(name)
            .send()
            .await
            .map_err(|e| aws.explain("iam:ListUserTags", e))?
            .tags()
            .iter()
            .map(|t| (t.key().to_owned(), t.value().to_owned()))
            .collect(),
        PolicyOwner::Role(name) => aws
            .iam()
            .list_role_tags()
            .role_name(name)
            .send()
            .await
            .map_err(|e| aws.explain("iam:ListRoleTags", e))?
            .tags()
            .iter()
            .map(|t| (t.key().to_owned(), t.value().to_owned()))
            .collect(),
    };
    Ok(tags)
}

/// Simulates one action on one resource with exactly `context` (the simulator looks nothing up).
pub async fn simulate(
    aws: &Aws,
    source_arn: &str,
    action: &str,
    resource: &str,
    context: &[(String, Vec<String>)],
) -> Result<Simulated> {
    let mut answers = simulate_actions(aws, source_arn, &[action], resource, context).await?;
    Ok(answers.remove(0))
}

/// Simulates several actions on one resource in one call: one answer per action, in order (an
/// action the simulator left out is no allow).
pub async fn simulate_actions(
    aws: &Aws,
    source_arn: &str,
    actions: &[&str],
    resource: &str,
    context: &[(String, Vec<String>)],
) -> Result<Vec<Simulated>> {
    let entries: Vec<ContextEntry> = context
        .iter()
        .map(|(k, v)| {
            ContextEntry::builder()
                .context_key_name(k)
                .set_context_key_values(Some(v.clone()))
                .context_key_type(key_type(k, v.len() > 1))
                .build()
        })
        .collect();
    let out = aws
        .iam()
        .simulate_principal_policy()
        .policy_source_arn(source_arn)
        .set_action_names(Some(actions.iter().map(|a| (*a).to_owned()).collect()))
        .resource_arns(resource)
        .set_context_entries(Some(entries))
        .send()
        .await
        .map_err(|e| aws.explain("iam:SimulatePrincipalPolicy", e))?;
    Ok(actions
        .iter()
        .map(|action| {
            let result = out
                .evaluation_results()
                .iter()
                .find(|r| r.eval_action_name().eq_ignore_ascii_case(action));
            simulated(result, resource)
        })
        .collect())
}

/// One action's answer in our terms.
fn simulated(result: Option<&EvaluationResult>, resource: &str) -> Simulated {
    // Prefer the per-resource result: it is the one for exactly this ARN.
    let specific = result.and_then(|r| {
        r.resource_specific_results()
            .iter()
            .find(|s| s.eval_resource_name() == resource)
    });
    // The organization's verdict is reported per action, not per resource.
    let organizations = result
        .and_then(|r| r.organizations_decision_detail())
        .map(|d| d.allowed_by_organizations());
    let (decision, statements, missing, boundary) = match (specific, result) {
        (Some(s), _) => (
            decision_of(s.eval_resource_decision()),
            s.matched_statements(),
            s.missing_context_values(),
            s.permissions_boundary_decision_detail()
                .map(|d| d.allowed_by_permissions_boundary()),
        ),
        (None, Some(r)) => (
            decision_of(r.eval_decision()),
            r.matched_statements(),
            r.missing_context_values(),
            r.permissions_boundary_decision_detail()
                .map(|d| d.allowed_by_permissions_boundary()),
        ),
        (None, None) => (Decision::ImplicitDeny, &[][..], &[][..], None),
    };
    Simulated {
        decision,
        matched: statements
            .iter()
            .map(|s| Matched {
                policy: s.source_policy_id().unwrap_or_default().to_owned(),
                policy_type: s
                    .source_policy_type()
                    .map(|t| t.as_str().to_owned())
                    .unwrap_or_default(),
                line: s.start_position().map(|p| p.line()),
                column: s.start_position().map(|p| p.column()),
            })
            .collect(),
        missing_context: missing.to_vec(),
        allowed_by_boundary: boundary,
        allowed_by_organizations: organizations,
    }
}

/// Whose policies to read.
#[derive(Debug, Clone)]
pub enum PolicyOwner {
    User(String),
    Role(String),
}

/// A policy document and how to name it to a person.
#[derive(Debug, Clone)]
pub struct NamedPolicy {
    /// e.g. `inline policy "ssm-access" of user alice`
    pub label: String,
    pub text: String,
}

/// What could be read of a principal's policies.
#[derive(Debug, Clone, Default)]
pub struct PrincipalPolicies {
    pub identity: Vec<NamedPolicy>,
    pub boundary: Option<NamedPolicy>,
    /// The read calls that failed, e.g. "iam:ListUserPolicies (access denied)".
    pub unreadable: Vec<String>,
}

/// Reads a principal's inline and attached policies (a user's groups' too) and its permissions
/// boundary. Failures are recorded, not fatal: whatever could be read still explains something.
pub async fn principal_policies(aws: &Aws, owner: &PolicyOwner) -> PrincipalPolicies {
    let mut out = PrincipalPolicies::default();
    match owner {
        PolicyOwner::User(user) => {
            read_entity(aws, Entity::User(user), &mut out).await;
            let groups = aws
                .iam()
                .list_groups_for_user()
                .user_name(user)
                .max_items(1000)
                .send()
                .await;
            match groups {
                Ok(g) => {
                    for group in g.groups() {
                        read_entity(aws, Entity::Group(group.group_name()), &mut out).await;
                    }
                }
                Err(e) => out.unreadable.push(unreadable("iam:ListGroupsForUser", &e)),
            }
        }
        PolicyOwner::Role(role) => read_entity(aws, Entity::Role(role), &mut out).await,
    }
    out
}

fn unreadable<E: aws_sdk_iam::error::ProvideErrorMetadata>(action: &str, e: &E) -> String {
    format!("{action} ({})", e.code().unwrap_or("failed"))
}

/// An IAM identity whose policies are read. Only the SDK calls differ between the kinds; what is
/// read, and how failures are recorded, is the same ([`read_entity`]).
#[derive(Clone, Copy)]
enum Entity<'a> {
    User(&'a str),
    Group(&'a str),
    Role(&'a str),
}

/// The outcome of one read call: a value, or the "iam:Action (Code)" that failed.
type Read<T> = std::result::Result<T, String>;

impl Entity<'_> {
    /// "of user alice" — how policies are labelled.
    fn owner(&self) -> String {
        match self {
            Entity::User(n) => format!("of user {n}"),
            Entity::Group(n) => format!("of group {n}"),
            Entity::Role(n) => format!("of role {n}"),
        }
    }

    async fn inline_names(&self, aws: &Aws) -> Read<Vec<String>> {
        let iam = &aws.iam();
        match *self {
            Entity::User(n) => iam
                .list_user_policies()
                .user_name(n)
                .max_items(1000)
                .send()
                .await
                .map(|l| l.policy_names().to_vec())
                .map_err(|e| unreadable("iam:ListUserPolicies", &e)),
            Entity::Group(n) => iam
                .list_group_policies()
                .group_name(n)
                .max_items(1000)
                .send()
                .await
                .map(|l| l.policy_names().to_vec())
                .map_err(|e| unreadable("iam:ListGroupPolicies", &e)),
            Entity::Role(n) => iam
                .list_role_policies()
                .role_name(n)
                .max_items(1000)
                .send()
                .await
                .map(|l| l.policy_names().to_vec())
                .map_err(|e| unreadable("iam:ListRolePolicies", &e)),
        }
    }

    async fn inline_document(&self, aws: &Aws, name: &str) -> Read<String> {
        let iam = &aws.iam();
        match *self {
            Entity::User(n) => iam
                .get_user_policy()
                .user_name(n)
                .policy_name(name)
                .send()
                .await
                .map(|p| p.policy_document().to_owned())
                .map_err(|e| unreadable("iam:GetUserPolicy", &e)),
            Entity::Group(n) => iam
                .get_group_policy()
                .group_name(n)
                .policy_name(name)
                .send()
                .await
                .map(|p| p.policy_document().to_owned())
                .map_err(|e| unreadable("iam:GetGroupPolicy", &e)),
            Entity::Role(n) => iam
                .get_role_policy()
                .role_name(n)
                .policy_name(name)
                .send()
                .await
                .map(|p| p.policy_document().to_owned())
                .map_err(|e| unreadable("iam:GetRolePolicy", &e)),
        }
    }

    async fn attached_arns(&self, aws: &Aws) -> Read<Vec<String>> {
        let iam = &aws.iam();
        let arns = |list: &[aws_sdk_iam::types::AttachedPolicy]| {
            list.iter()
                .filter_map(|p| p.policy_arn().map(str::to_owned))
                .collect()
        };
        match *self {
            Entity::User(n) => iam
                .list_attached_user_policies()
                .user_name(n)
                .max_items(1000)
                .send()
                .await
                .map(|l| arns(l.attached_policies()))
                .map_err(|e| unreadable("iam:ListAttachedUserPolicies", &e)),
            Entity::Group(n) => iam
                .list_attached_group_policies()
                .group_name(n)
                .max_items(1000)
                .send()
                .await
                .map(|l| arns(l.attached_policies()))
                .map_err(|e| unreadable("iam:ListAttachedGroupPolicies", &e)),
            Entity::Role(n) => iam
                .list_attached_role_policies()
                .role_name(n)
                .max_items(1000)
                .send()
                .await
                .map(|l| arns(l.attached_policies()))
                .map_err(|e| unreadable("iam:ListAttachedRolePolicies", &e)),
        }
    }

    /// The permissions boundary's ARN (groups have none).
    async fn boundary_arn(&self, aws: &Aws) -> Read<Option<String>> {
        let iam = &aws.iam();
        match *self {
            Entity::User(n) => iam
                .get_user()
                .user_name(n)
                .send()
                .await
                .map(|u| {
                    u.user()
                        .and_then(|u| u.permissions_boundary())
                        .and_then(|b| b.permissions_boundary_arn())
                        .map(str::to_owned)
                })
                .map_err(|e| unreadable("iam:GetUser", &e)),
            Entity::Group(_) => Ok(None),
            Entity::Role(n) => get_role(aws, n)
                .await
                .map(|r| {
                    r.as_ref()
                        .and_then(|r| r.permissions_boundary())
                        .and_then(|b| b.permissions_boundary_arn())
                        .map(str::to_owned)
                })
                .map_err(|e| unreadable("iam:GetRole", &e)),
        }
    }
}

/// Inline policies, attached managed policies and the permissions boundary of one identity.
async fn read_entity(aws: &Aws, entity: Entity<'_>, out: &mut PrincipalPolicies) {
    let owner = entity.owner();
    match entity.inline_names(aws).await {
        Ok(names) => {
            for name in names {
                match entity.inline_document(aws, &name).await {
                    Ok(doc) => out.identity.push(NamedPolicy {
                        label: format!("inline policy {name:?} {owner}"),
                        text: decode_document(&doc),
                    }),
                    Err(e) => out.unreadable.push(e),
                }
            }
        }
        Err(e) => out.unreadable.push(e),
    }
    match entity.attached_arns(aws).await {
        Ok(arns) => {
            for arn in arns {
                read_managed(aws, &arn, &owner, out, false).await;
            }
        }
        Err(e) => out.unreadable.push(e),
    }
    match entity.boundary_arn(aws).await {
        Ok(Some(arn)) => read_managed(aws, &arn, &owner, out, true).await,
        Ok(None) => {}
        Err(e) => out.unreadable.push(e),
    }
}

async fn read_managed(
    aws: &Aws,
    arn: &str,
    owner: &str,
    out: &mut PrincipalPolicies,
    boundary: bool,
) {
    let policy = match aws.iam().get_policy().policy_arn(arn).send().await {
        Ok(p) => p,
        Err(e) => return out.unreadable.push(unreadable("iam:GetPolicy", &e)),
    };
    let Some(version) = policy.policy().and_then(|p| p.default_version_id()) else {
        return;
    };
    let name = policy
        .policy()
        .and_then(|p| p.policy_name())
        .unwrap_or(arn)
        .to_owned();
    match aws
        .iam()
        .get_policy_version()
        .policy_arn(arn)
        .version_id(version)
        .send()
        .await
    {
        Ok(v) => {
            let text = decode_document(
                v.policy_version()
                    .and_then(|v| v.document())
                    .unwrap_or_default(),
            );
            let label = if boundary {
                format!("permissions boundary {name:?} {owner}")
            } else {
                format!("managed policy {name:?} attached {owner}")
            };
            let named = NamedPolicy { label, text };
            if boundary {
                out.boundary = Some(named);
            } else {
                out.identity.push(named);
            }
        }
        Err(e) => out.unreadable.push(unreadable("iam:GetPolicyVersion", &e)),
    }
}

/// IAM returns policy documents URL-encoded (RFC 3986); a document that already is JSON is
/// left alone.
pub fn decode_document(text: &str) -> String {
    if text.trim_start().starts_with('{') {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((hi * 16 + lo) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_encoded_documents_are_decoded_and_json_is_left_alone() {
        assert_eq!(
            decode_document("%7B%22Version%22%3A%222012-10-17%22%7D"),
            r#"{"Version":"2012-10-17"}"#
        );
        assert_eq!(decode_document(r#"{"a": "100%25"}"#), r#"{"a": "100%25"}"#);
        assert_eq!(decode_document("%7B%E2%82%AC%7D"), "{€}");
        assert_eq!(decode_document("%7B%zz%7"), "{%zz%7");
        assert_eq!(
            decode_document("%7B%é"),
            "{%é",
            "a multi-byte character after % is kept"
        );
    }
}
