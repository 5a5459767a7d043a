//! What the agent's role may call, against what AWS's managed policy AmazonSSMManagedInstanceCore
//! gives it. Its own judge because a role that exists can still lack the session channels, and
//! the way on is one attach-role-policy. Pure: the simulation, and for a denial the role's
//! policies explained statement by statement, are done by the caller.

use ssmgo_policy::Decision;

use super::{Finding, Role, Status};
use crate::error::{Error, Result};

/// What the agent's role must be allowed, from AWS's managed policy AmazonSSMManagedInstanceCore,
/// with what each group is for.
const AGENT_ACTIONS: &[(&str, &[&str])] = &[
    (
        "registering and pinging SSM",
        &["ssm:UpdateInstanceInformation"],
    ),
    (
        "Session Manager's channels",
        &[
            "ssmmessages:CreateControlChannel",
            "ssmmessages:CreateDataChannel",
            "ssmmessages:OpenControlChannel",
            "ssmmessages:OpenDataChannel",
        ],
    ),
    (
        "Run Command's messages",
        &[
            "ec2messages:AcknowledgeMessage",
            "ec2messages:DeleteMessage",
            "ec2messages:FailMessage",
            "ec2messages:GetEndpoint",
            "ec2messages:GetMessages",
            "ec2messages:SendReply",
        ],
    ),
];

/// Every action the agent needs, in the order the simulation is asked (and answers).
pub fn agent_actions() -> Vec<&'static str> {
    AGENT_ACTIONS
        .iter()
        .flat_map(|(_, a)| a.iter().copied())
        .collect()
}

/// The groups with actions `decisions` (one per [`agent_actions`]) don't allow: what the group is
/// for, and those actions.
fn denied_groups(decisions: &[Decision]) -> Vec<(&'static str, Vec<&'static str>)> {
    let actions = agent_actions();
    let allowed = |action: &str| {
        actions
            .iter()
            .position(|a| *a == action)
            .is_some_and(|i| decisions[i] == Decision::Allowed)
    };
    AGENT_ACTIONS
        .iter()
        .map(|(purpose, group)| {
            let denied: Vec<&str> = group.iter().copied().filter(|a| !allowed(a)).collect();
            (*purpose, denied)
        })
        .filter(|(_, denied)| !denied.is_empty())
        .collect()
}

/// The first denied action of each group: the ones a problem explains (one is enough to see
/// what the role's policies lack).
pub fn to_explain(decisions: &[Decision]) -> Vec<&'static str> {
    denied_groups(decisions)
        .into_iter()
        .map(|(_, denied)| denied[0])
        .collect()
}

/// The permissions check for the agent's `role`, given the simulator's decisions (one per
/// [`agent_actions`]) and, for each action of [`to_explain`], why the role's policies don't allow
/// it (lines).
pub fn judge(
    role: &Role,
    decisions: Result<Vec<Decision>>,
    explained: &[(&str, Vec<String>)],
) -> Finding {
    let decisions = match decisions {
        Ok(d) => d,
        Err(e) => {
            return Finding::new(
                "permissions",
                Status::Unknown,
                format!(
                    "what role {} may call: {}",
                    role.name,
                    match &e {
                        Error::AccessDenied { .. } =>
                            "unknown: simulating it needs iam:SimulatePrincipalPolicy on the role"
                                .to_owned(),
                        other => format!("unknown: {}", other.headline()),
                    }
                ),
            )
        }
    };
    let denied: Vec<String> = denied_groups(&decisions)
        .iter()
        .map(|(purpose, actions)| format!("{} (for {purpose})", actions.join(", ")))
        .collect();
    if denied.is_empty() {
        return Finding::new(
            "permissions",
            Status::Ok,
            format!(
                "role {} may call all {} actions of AmazonSSMManagedInstanceCore the agent needs (simulated)",
                role.name,
                agent_actions().len()
            ),
        );
    }
    let mut evidence = Vec::new();
    for (action, why) in explained {
        evidence.push(format!("{action}:"));
        evidence.extend(why.iter().map(|l| format!("  {l}")));
    }
    let partition = role
        .partition_and_account()
        .map(|(p, _)| p)
        .unwrap_or_else(|| "aws".into());
    Finding::new(
        "permissions",
        Status::Problem,
        format!("role {} may not call {}", role.name, denied.join("; ")),
    )
    .evidence(evidence)
    .next(format!(
        "Attach AWS's managed policy: aws iam attach-role-policy --role-name {} --policy-arn arn:{partition}:iam::aws:policy/AmazonSSMManagedInstanceCore",
        role.name
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role() -> Role {
        Role {
            name: "web".into(),
            arn: "arn:aws-cn:iam::111122223333:role/web".into(),
        }
    }

    /// Every action allowed but those named.
    fn all_but(denied: &[&str]) -> Vec<Decision> {
        agent_actions()
            .iter()
            .map(|a| match denied.contains(a) {
                true => Decision::ImplicitDeny,
                false => Decision::Allowed,
            })
            .collect()
    }

    #[test]
    fn a_role_allowed_everything_is_ok() {
        let f = judge(&role(), Ok(all_but(&[])), &[]);
        assert_eq!(f.status, Status::Ok);
        assert_eq!(
            f.summary,
            "role web may call all 11 actions of AmazonSSMManagedInstanceCore the agent needs (simulated)"
        );
        assert!(to_explain(&all_but(&[])).is_empty());
    }

    #[test]
    fn denials_are_named_by_group_and_the_first_of_each_explained() {
        let decisions = all_but(&[
            "ssmmessages:CreateDataChannel",
            "ssmmessages:OpenDataChannel",
            "ec2messages:SendReply",
        ]);
        assert_eq!(
            to_explain(&decisions),
            ["ssmmessages:CreateDataChannel", "ec2messages:SendReply"]
        );
        let explained = [
            (
                "ssmmessages:CreateDataChannel",
                vec!["no statement allows it".to_owned()],
            ),
            ("ec2messages:SendReply", vec![]),
        ];
        let f = judge(&role(), Ok(decisions), &explained);
        assert_eq!(f.status, Status::Problem);
        assert_eq!(
            f.summary,
            "role web may not call ssmmessages:CreateDataChannel, ssmmessages:OpenDataChannel (for Session Manager's channels); ec2messages:SendReply (for Run Command's messages)"
        );
        assert_eq!(
            f.evidence,
            [
                "ssmmessages:CreateDataChannel:",
                "  no statement allows it",
                "ec2messages:SendReply:"
            ]
        );
        assert_eq!(
            f.next.as_deref(),
            Some("Attach AWS's managed policy: aws iam attach-role-policy --role-name web --policy-arn arn:aws-cn:iam::aws:policy/AmazonSSMManagedInstanceCore")
        );
    }

    #[test]
    fn a_simulation_that_cannot_run_is_unknown() {
        let denied = Err(Error::AccessDenied {
            operation: "SimulatePrincipalPolicy",
            action: "iam:SimulatePrincipalPolicy",
            message: String::new(),
        });
        let f = judge(&role(), denied, &[]);
        assert_eq!(f.status, Status::Unknown);
        assert_eq!(
            f.summary,
            "what role web may call: unknown: simulating it needs iam:SimulatePrincipalPolicy on the role"
        );
    }
}
