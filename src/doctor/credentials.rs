//! Which credentials the agent runs with: the instance profile's role, or the role Default Host
//! Management Configuration (DHMC) gives an instance without one. Its own judge because it
//! decides the role the permissions and KMS checks then simulate. Pure, in steps: a profile's
//! roles are judged in one go; without a profile, [`without_profile`] judges the DHMC setting
//! and says which role to read next, which [`of_default_host_management`] judges.

use super::agent_version::{at_least, minimums};
use super::api;
use super::{Finding, Role, Status};
use crate::error::Result;

/// A hybrid node has no EC2 side to read (no profile, no VPC).
pub fn of_hybrid_node() -> Finding {
    Finding::new(
        "credentials",
        Status::Unknown,
        "a hybrid node's credentials come from its activation, and its network isn't EC2's: ssmgo can't examine them",
    )
}

/// The instance profile's name, from its ARN (…:instance-profile/PATH/NAME).
pub fn profile_name(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// The credentials check for instance `id` with the instance profile `name`, given its roles as
/// read (None when the profile no longer exists): the finding, and the agent's role when there
/// is one.
pub fn of_profile(
    id: &str,
    name: &str,
    roles: Result<Option<Vec<Role>>>,
) -> (Finding, Option<Role>) {
    match roles {
        Err(e) => (
            Finding::new(
                "credentials",
                Status::Unknown,
                format!(
                    "instance profile {name}; {}",
                    api::unreadable("its role", &e)
                ),
            ),
            None,
        ),
        Ok(None) => (
            Finding::new(
                "credentials",
                Status::Problem,
                format!("its instance profile {name} no longer exists"),
            )
            .next(format!("Attach an existing profile: aws ec2 replace-iam-instance-profile-association (or associate-iam-instance-profile --instance-id {id} --iam-instance-profile Name=PROFILE)")),
            None,
        ),
        Ok(Some(roles)) if roles.is_empty() => (
            Finding::new(
                "credentials",
                Status::Problem,
                format!("its instance profile {name} has no role, so the agent has no credentials"),
            )
            .next(format!("Add a role with AmazonSSMManagedInstanceCore: aws iam add-role-to-instance-profile --instance-profile-name {name} --role-name ROLE")),
            None,
        ),
        Ok(Some(mut roles)) => {
            let role = roles.remove(0);
            (
                Finding::new(
                    "credentials",
                    Status::Ok,
                    format!("instance profile {name}, role {}", role.name),
                ),
                Some(role),
            )
        }
    }
}

/// The next step when the agent has no credentials at all.
fn attach_a_profile(id: &str) -> String {
    format!("Attach an instance profile whose role has AmazonSSMManagedInstanceCore: aws ec2 associate-iam-instance-profile --instance-id {id} --iam-instance-profile Name=PROFILE (or turn on Default Host Management Configuration for the account and region)")
}

/// What the instance lacks for Default Host Management Configuration to serve it (IMDSv2 only,
/// and an agent new enough).
fn lacks_for_default_host_management(
    http_tokens: Option<&str>,
    agent_version: Option<&str>,
) -> Vec<String> {
    let mut lacks = Vec::new();
    if http_tokens != Some("required") {
        lacks.push(format!("it allows IMDSv1 (HttpTokens {}), and Default Host Management Configuration works with IMDSv2 only", http_tokens.unwrap_or("unknown")));
    }
    match agent_version {
        Some(v) if !at_least(v, minimums::DEFAULT_HOST_MANAGEMENT) => lacks.push(format!(
            "its agent {v} is older than {}",
            minimums::DEFAULT_HOST_MANAGEMENT
        )),
        _ => {}
    }
    lacks
}

/// What the DHMC setting means for an instance without a profile.
#[derive(Debug)]
pub enum WithoutProfile {
    /// The check is decided: DHMC is off, can't serve it, or its setting can't be read.
    Judged(Finding),
    /// DHMC would serve it with this role (as the setting names it): read the role, then
    /// [`of_default_host_management`].
    ReadRole(String),
}

/// The credentials check for instance `id` without an instance profile, given the DHMC setting
/// as read (the role it names, None when it is off), the instance's HttpTokens and its agent.
pub fn without_profile(
    id: &str,
    dhmc_role: Result<Option<String>>,
    http_tokens: Option<&str>,
    agent_version: Option<&str>,
) -> WithoutProfile {
    let role_name = match dhmc_role {
        Ok(Some(role_name)) => role_name,
        Ok(None) => return WithoutProfile::Judged(Finding::new(
            "credentials",
            Status::Problem,
            "no instance profile, and Default Host Management Configuration is off: the agent has no credentials",
        )
        .next(attach_a_profile(id))),
        Err(e) => return WithoutProfile::Judged(Finding::new(
            "credentials",
            Status::Unknown,
            format!(
                "no instance profile; whether Default Host Management Configuration gives it a role is unknown: {}",
                api::unreadable("the service setting", &e)
            ),
        )),
    };
    let lacks = lacks_for_default_host_management(http_tokens, agent_version);
    if !lacks.is_empty() {
        return WithoutProfile::Judged(Finding::new(
            "credentials",
            Status::Problem,
            format!(
                "no instance profile; Default Host Management Configuration (role {role_name}) can't serve it: {}",
                lacks.join("; ")
            ),
        )
        .next(format!("Require IMDSv2: aws ec2 modify-instance-metadata-options --instance-id {id} --http-tokens required (and update the agent), or attach an instance profile")));
    }
    WithoutProfile::ReadRole(role_name)
}

/// The role's name without its path, as iam:GetRole takes it.
pub fn bare_role_name(role_name: &str) -> &str {
    role_name.rsplit('/').next().unwrap_or(role_name)
}

/// The credentials check when DHMC serves instance `id` with `role_name`, given that role as
/// read (None when it doesn't exist): the finding, and the agent's role when there is one.
pub fn of_default_host_management(
    id: &str,
    role_name: &str,
    role: Result<Option<Role>>,
) -> (Finding, Option<Role>) {
    match role {
        Ok(Some(role)) => (
            Finding::new(
                "credentials",
                Status::Ok,
                format!("no instance profile; Default Host Management Configuration gives it role {}", role.name),
            ),
            Some(role),
        ),
        Ok(None) => (
            Finding::new(
                "credentials",
                Status::Problem,
                format!("no instance profile; Default Host Management Configuration names role {role_name}, which doesn't exist"),
            )
            .next(attach_a_profile(id)),
            None,
        ),
        Err(e) => (
            Finding::new(
                "credentials",
                Status::Unknown,
                format!(
                    "no instance profile; Default Host Management Configuration names role {role_name}: {}",
                    api::unreadable("it", &e)
                ),
            ),
            None,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    fn role(name: &str) -> Role {
        Role {
            name: name.into(),
            arn: format!("arn:aws:iam::111122223333:role/{name}"),
        }
    }

    fn denied(action: &'static str) -> Error {
        Error::AccessDenied {
            operation: "Get",
            action,
            message: String::new(),
        }
    }

    fn judged(w: WithoutProfile) -> Finding {
        match w {
            WithoutProfile::Judged(f) => f,
            WithoutProfile::ReadRole(r) => panic!("asked to read {r}"),
        }
    }

    #[test]
    fn a_profile_gives_its_first_role() {
        assert_eq!(
            profile_name("arn:aws:iam::1:instance-profile/path/web"),
            "web"
        );
        let (f, r) = of_profile("i-1", "web", Ok(Some(vec![role("a"), role("b")])));
        assert_eq!(
            (f.status, f.summary.as_str()),
            (Status::Ok, "instance profile web, role a")
        );
        assert_eq!(r, Some(role("a")));
    }

    #[test]
    fn a_profile_gone_or_empty_leaves_the_agent_without_credentials() {
        let (gone, r) = of_profile("i-1", "web", Ok(None));
        assert_eq!(gone.status, Status::Problem);
        assert_eq!(gone.summary, "its instance profile web no longer exists");
        assert!(gone.next.unwrap().contains("--instance-id i-1"));
        assert_eq!(r, None);
        let (empty, r) = of_profile("i-1", "web", Ok(Some(vec![])));
        assert_eq!(
            empty.summary,
            "its instance profile web has no role, so the agent has no credentials"
        );
        assert!(empty.next.unwrap().contains("--instance-profile-name web"));
        assert_eq!(r, None);
        let (unread, _) = of_profile("i-1", "web", Err(denied("iam:GetInstanceProfile")));
        assert_eq!(unread.status, Status::Unknown);
        assert_eq!(
            unread.summary,
            "instance profile web; could not read its role: this needs iam:GetInstanceProfile, which you may not call"
        );
    }

    #[test]
    fn without_a_profile_dhmc_decides() {
        let off = judged(without_profile("i-1", Ok(None), Some("required"), None));
        assert_eq!(off.status, Status::Problem);
        assert!(off
            .summary
            .contains("Default Host Management Configuration is off"));
        assert!(off.next.unwrap().starts_with("Attach an instance profile"));
        let unread = judged(without_profile(
            "i-1",
            Err(denied("ssm:GetServiceSetting")),
            None,
            None,
        ));
        assert_eq!(unread.status, Status::Unknown);
        assert!(unread.summary.ends_with("could not read the service setting: this needs ssm:GetServiceSetting, which you may not call"), "{}", unread.summary);
        match without_profile(
            "i-1",
            Ok(Some("path/dhmc".into())),
            Some("required"),
            Some("3.3.0.0"),
        ) {
            WithoutProfile::ReadRole(name) => assert_eq!(bare_role_name(&name), "dhmc"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn dhmc_serves_only_imdsv2_and_a_new_enough_agent() {
        let f = judged(without_profile(
            "i-1",
            Ok(Some("dhmc".into())),
            Some("optional"),
            Some("3.2.0.0"),
        ));
        assert_eq!(f.status, Status::Problem);
        assert_eq!(
            f.summary,
            "no instance profile; Default Host Management Configuration (role dhmc) can't serve it: it allows IMDSv1 (HttpTokens optional), and Default Host Management Configuration works with IMDSv2 only; its agent 3.2.0.0 is older than 3.2.582.0"
        );
        assert!(f.next.unwrap().starts_with("Require IMDSv2"));
    }

    #[test]
    fn the_dhmc_role_must_exist() {
        let (ok, r) = of_default_host_management("i-1", "dhmc", Ok(Some(role("dhmc"))));
        assert_eq!(ok.status, Status::Ok);
        assert_eq!(r, Some(role("dhmc")));
        let (missing, r) = of_default_host_management("i-1", "dhmc", Ok(None));
        assert_eq!(missing.status, Status::Problem);
        assert!(missing
            .summary
            .ends_with("names role dhmc, which doesn't exist"));
        assert_eq!(r, None);
        let (unread, _) = of_default_host_management("i-1", "dhmc", Err(denied("iam:GetRole")));
        assert_eq!(unread.status, Status::Unknown);
        assert!(unread.summary.ends_with(
            "names role dhmc: could not read it: this needs iam:GetRole, which you may not call"
        ));
    }
}
