//! Reading AWS's AccessDenied message for StartSession, which names the layer that refused:
//! identity-based policy, permissions boundary, session policy, service control policy, resource
//! control policy. The simulator reports SCPs (OrganizationsDecisionDetail) but can't see RCPs or
//! session policies, so such a denial only shows up here, and deserves words of its own.

/// What AWS's message says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denial {
    pub principal: Option<String>,
    pub action: Option<String>,
    pub resource: Option<String>,
    pub layer: Layer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    NoIdentityAllow,
    IdentityDeny,
    Boundary,
    BoundaryDeny,
    SessionPolicy,
    SessionPolicyDeny,
    ServiceControlPolicy,
    ResourceControlPolicy,
    ResourcePolicy,
    Unknown,
}

/// Parses messages such as "User: ARN is not authorized to perform: ssm:StartSession on
/// resource: ARN because no identity-based policy allows the ssm:StartSession action".
pub fn parse(message: &str) -> Denial {
    let between = |start: &str, end: &str| -> Option<String> {
        let from = message.find(start)? + start.len();
        let rest = &message[from..];
        let to = rest.find(end).unwrap_or(rest.len());
        Some(rest[..to].trim().to_owned()).filter(|s| !s.is_empty())
    };
    let principal = between("User: ", " is not authorized");
    let action = between("to perform: ", " ");
    let resource = between("on resource: ", " ").map(|r| r.trim_end_matches(['.', ',']).to_owned());
    let m = message.to_ascii_lowercase();
    let layer = if m.contains("service control policy") {
        Layer::ServiceControlPolicy
    } else if m.contains("resource control policy") {
        Layer::ResourceControlPolicy
    } else if m.contains("explicit deny in a permissions boundary") {
        Layer::BoundaryDeny
    } else if m.contains("no permissions boundary allows") {
        Layer::Boundary
    } else if m.contains("explicit deny in a session policy") {
        Layer::SessionPolicyDeny
    } else if m.contains("no session policy allows") {
        Layer::SessionPolicy
    } else if m.contains("explicit deny in an identity-based policy") {
        Layer::IdentityDeny
    } else if m.contains("no identity-based policy allows") {
        Layer::NoIdentityAllow
    } else if m.contains("resource-based policy") {
        Layer::ResourcePolicy
    } else {
        Layer::Unknown
    };
    Denial {
        principal,
        action,
        resource,
        layer,
    }
}

impl Denial {
    /// The layer in words.
    pub fn layer_text(&self) -> &'static str {
        match self.layer {
            Layer::NoIdentityAllow => "no identity-based policy allows it",
            Layer::IdentityDeny => "an explicit Deny in an identity-based policy refuses it",
            Layer::Boundary => "your permissions boundary does not allow it",
            Layer::BoundaryDeny => "an explicit Deny in your permissions boundary refuses it",
            Layer::SessionPolicy => {
                "the session policy of your assumed-role session does not allow it"
            }
            Layer::SessionPolicyDeny => {
                "an explicit Deny in the session policy of your assumed-role session refuses it"
            }
            Layer::ServiceControlPolicy => {
                "an AWS Organizations service control policy (SCP) refuses it"
            }
            Layer::ResourceControlPolicy => {
                "an AWS Organizations resource control policy (RCP) refuses it"
            }
            Layer::ResourcePolicy => "a resource-based policy refuses it",
            Layer::Unknown => "AWS gave no reason ssmgo recognises",
        }
    }

    /// What to do next.
    pub fn advice(&self, target: &str) -> String {
        match self.layer {
            Layer::NoIdentityAllow | Layer::IdentityDeny | Layer::Boundary | Layer::BoundaryDeny => format!(
                "Run `ssmgo check {target}` to see which statement and condition decide it, and the fix"
            ),
            Layer::SessionPolicy | Layer::SessionPolicyDeny => {
                "The policy passed when your role session was created (AssumeRole --policy, or your SSO permission set's session policy) limits it: start a session without it, or ask for it to include ssm:StartSession".into()
            }
            Layer::ServiceControlPolicy | Layer::ResourceControlPolicy => {
                "Organization policies are outside your account's IAM: ask your AWS Organizations administrator which policy applies to this account".into()
            }
            Layer::ResourcePolicy | Layer::Unknown => "Run with --verbose for AWS's full message, and show it to whoever manages your access".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_no_allow_message_names_principal_action_resource_and_layer() {
        let d = parse("User: arn:aws:iam::123456789012:user/alice is not authorized to perform: ssm:StartSession on resource: arn:aws:ssm:us-east-1:123456789012:document/SSM-SessionManagerRunShell because no identity-based policy allows the ssm:StartSession action");
        assert_eq!(
            d.principal.as_deref(),
            Some("arn:aws:iam::123456789012:user/alice")
        );
        assert_eq!(d.action.as_deref(), Some("ssm:StartSession"));
        assert_eq!(
            d.resource.as_deref(),
            Some("arn:aws:ssm:us-east-1:123456789012:document/SSM-SessionManagerRunShell")
        );
        assert_eq!(d.layer, Layer::NoIdentityAllow);
        assert!(d.advice("i-1").contains("ssmgo check i-1"));
    }

    #[test]
    fn every_layer_is_recognised() {
        let m = |tail: &str| {
            parse(&format!("User: arn:x is not authorized to perform: ssm:StartSession on resource: arn:y {tail}")).layer
        };
        assert_eq!(
            m("with an explicit deny in a service control policy"),
            Layer::ServiceControlPolicy
        );
        assert_eq!(
            m("with an explicit deny in a resource control policy"),
            Layer::ResourceControlPolicy
        );
        assert_eq!(
            m("because no permissions boundary allows the ssm:StartSession action"),
            Layer::Boundary
        );
        assert_eq!(
            m("with an explicit deny in a permissions boundary"),
            Layer::BoundaryDeny
        );
        assert_eq!(
            m("because no session policy allows the ssm:StartSession action"),
            Layer::SessionPolicy
        );
        assert_eq!(
            m("with an explicit deny in a session policy"),
            Layer::SessionPolicyDeny
        );
        assert_eq!(
            m("with an explicit deny in an identity-based policy"),
            Layer::IdentityDeny
        );
        assert_eq!(m("because of something new"), Layer::Unknown);
    }

    #[test]
    fn a_message_without_the_usual_parts_still_parses() {
        let d = parse("Access denied");
        assert_eq!(
            d,
            Denial {
                principal: None,
                action: None,
                resource: None,
                layer: Layer::Unknown
            }
        );
    }
}
