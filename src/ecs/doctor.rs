//! The ECS doctor: why a container can't take an ECS Exec session, one check per cause AWS
//! documents ("Using Amazon ECS Exec" and its troubleshooting, and what AWS's
//! amazon-ecs-exec-checker looks at), each ok / problem / unknown with the evidence and the next
//! step. The judges are pure; [`examine`] reads what they need (the task definition, the
//! cluster's configuration, the task role, simulations) and never fails: what can't be read is
//! an unknown finding.

use serde::Serialize;
use ssmgo_policy::Decision;

use super::{api, Cluster, Container, TaskDefinition};
use crate::aws::iam::{self, PolicyOwner};
use crate::aws::Aws;
use crate::doctor::{render_findings, render_short_findings, Finding, Status};
use crate::error::Error;
use crate::precheck::{read_policies, why_not_allowed, Who};

/// The channels the agent in the container opens with the task role (the ECS Developer Guide's
/// "IAM permissions required for ECS Exec").
pub const CHANNEL_ACTIONS: [&str; 4] = [
    "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
];

/// Everything the doctor found about one container. Serialized as `ssmgo ecs doctor --json`.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub target: String,
    pub task_arn: String,
    pub container: String,
    pub region: String,
    pub findings: Vec<Finding>,
    pub problems: usize,
}

/// `--enable-execute-command` for a service's task, or a new task.
fn restart_with_exec(c: &Container) -> String {
    match c.service() {
        Some(service) => format!(
            "Turn it on for the service and replace its tasks: aws ecs update-service --cluster {} --service {service} --enable-execute-command --force-new-deployment",
            c.cluster()
        ),
        None => "Run a new task with it: aws ecs run-task --enable-execute-command … (a running task can't be changed)".to_owned(),
    }
}

/// Whether the task was started with enableExecuteCommand.
pub fn judge_exec_enabled(c: &Container) -> Finding {
    match c.exec_enabled {
        true => Finding::new(
            "exec-enabled",
            Status::Ok,
            "the task was started with execute command enabled",
        ),
        false => Finding::new(
            "exec-enabled",
            Status::Problem,
            "the task was started without execute command (enableExecuteCommand is false)",
        )
        .next(restart_with_exec(c)),
    }
}

fn version(v: &str) -> Option<Vec<u64>> {
    v.split('.').map(|p| p.parse().ok()).collect()
}

/// Fargate runs ECS Exec from platform version 1.4.0 (Linux).
pub fn judge_platform(c: &Container) -> Finding {
    if c.launch_type != "FARGATE" {
        return Finding::new(
            "platform",
            Status::Ok,
            format!(
                "launch type {}: no platform version applies",
                if c.launch_type.is_empty() {
                    "EC2"
                } else {
                    &c.launch_type
                }
            ),
        );
    }
    let pv = c.platform_version.as_deref().unwrap_or("");
    match version(pv) {
        Some(v) if v >= vec![1, 4, 0] => Finding::new(
            "platform",
            Status::Ok,
            format!("Fargate platform version {pv} (ECS Exec needs 1.4.0 or later)"),
        ),
        Some(_) => Finding::new(
            "platform",
            Status::Problem,
            format!("Fargate platform version {pv} is older than 1.4.0, which ECS Exec needs"),
        )
        .next("Run the task (or update the service) with --platform-version 1.4.0 or LATEST"),
        None => Finding::new(
            "platform",
            Status::Unknown,
            format!("the Fargate platform version {pv:?} could not be read"),
        ),
    }
}

/// The agent writes to the container's file system: a read-only root file system stops it.
pub fn judge_read_only(c: &Container, def: &TaskDefinition) -> Finding {
    match def.read_only.contains(&c.name) {
        false => Finding::new(
            "rootfs",
            Status::Ok,
            format!("container {} has a writable root file system", c.name),
        ),
        true => Finding::new(
            "rootfs",
            Status::Problem,
            format!(
                "container {} has a read-only root file system (readonlyRootFilesystem), which ECS Exec doesn't support: its agent may say RUNNING, but it never opens a channel",
                c.name
            ),
        )
        .next("Set readonlyRootFilesystem to false for this container in a new task definition revision, and run tasks from it"),
    }
}

/// The ExecuteCommandAgent's status in the container.
pub fn judge_agent(c: &Container) -> Finding {
    match (c.agent_status.as_deref(), c.exec_enabled) {
        (Some("RUNNING"), _) => Finding::new(
            "agent",
            Status::Ok,
            "the ExecuteCommandAgent is RUNNING",
        ),
        (None, false) => Finding::new(
            "agent",
            Status::Problem,
            "the container has no ExecuteCommandAgent: execute command was not enabled",
        )
        .next(restart_with_exec(c)),
        (None, true) => Finding::new(
            "agent",
            Status::Problem,
            "the container has no ExecuteCommandAgent although execute command is enabled",
        )
        .next("Check the platform version and the root file system above; a new task starts a new agent"),
        (Some(status), _) => Finding::new(
            "agent",
            Status::Problem,
            match &c.agent_reason {
                Some(reason) => format!("the ExecuteCommandAgent is {status}, not RUNNING: {reason}"),
                None => format!("the ExecuteCommandAgent is {status}, not RUNNING"),
            },
        )
        .next("PENDING: wait a minute and try again; STOPPED: the checks above and below say why, then start a new task"),
    }
}

/// The task role's simulated decisions for the channel actions, and why each denied one is.
pub fn judge_task_role(
    role: Option<&str>,
    decisions: Result<Vec<Decision>, Error>,
    why: &[String],
) -> Finding {
    let Some(role) = role else {
        return Finding::new(
            "task-role",
            Status::Problem,
            "the task has no task role (the task execution role doesn't count: the agent in the container uses the task role)",
        )
        .next("Give the task definition a taskRoleArn whose role allows the ssmmessages actions (CreateControlChannel, CreateDataChannel, OpenControlChannel, OpenDataChannel)");
    };
    let decisions = match decisions {
        Ok(d) => d,
        Err(e) => {
            return Finding::new(
                "task-role",
                Status::Unknown,
                format!("what task role {role} may call: unknown: {}", e.headline()),
            )
        }
    };
    let denied: Vec<&str> = CHANNEL_ACTIONS
        .iter()
        .zip(&decisions)
        .filter(|(_, d)| **d != Decision::Allowed)
        .map(|(a, _)| *a)
        .collect();
    match denied.is_empty() {
        true => Finding::new(
            "task-role",
            Status::Ok,
            format!(
                "task role {role} may call the 4 ssmmessages actions ECS Exec needs (simulated)"
            ),
        ),
        false => Finding::new(
            "task-role",
            Status::Problem,
            format!("task role {role} may not call {}", denied.join(", ")),
        )
        .evidence(why.to_vec())
        .next(format!(
            "Allow {} on \"*\" in a policy of role {}",
            denied.join(", "),
            role.rsplit('/').next().unwrap_or(role)
        )),
    }
}

/// One permission the cluster's execute-command configuration needs.
pub struct Needed {
    pub who: &'static str,
    pub action: &'static str,
    pub resource: String,
    pub why: &'static str,
}

/// What the cluster's executeCommandConfiguration needs: its KMS key → kms:Decrypt for the task
/// role and kms:GenerateDataKey for you; logging OVERRIDE to S3 or CloudWatch Logs → the task
/// role's permissions to write there.
pub fn needed(cluster: &Cluster, region: &str, account: &str, partition: &str) -> Vec<Needed> {
    let mut out = Vec::new();
    let exec = &cluster.exec;
    if let Some(key) = &exec.kms_key {
        let key = match key.starts_with("arn:") {
            true => key.clone(),
            false => format!("arn:{partition}:kms:{region}:{account}:key/{key}"),
        };
        out.push(Needed {
            who: "task role",
            action: "kms:Decrypt",
            resource: key.clone(),
            why: "the session is encrypted with the cluster's KMS key",
        });
        out.push(Needed {
            who: "you",
            action: "kms:GenerateDataKey",
            resource: key,
            why: "the session is encrypted with the cluster's KMS key",
        });
    }
    if exec.logging.as_deref() == Some("OVERRIDE") {
        if let Some(bucket) = &exec.s3_bucket {
            let prefix = exec.s3_prefix.as_deref().unwrap_or("");
            out.push(Needed {
                who: "task role",
                action: "s3:PutObject",
                resource: format!("arn:{partition}:s3:::{bucket}/{prefix}*"),
                why: "sessions are logged to S3",
            });
            out.push(Needed {
                who: "task role",
                action: "s3:GetEncryptionConfiguration",
                resource: format!("arn:{partition}:s3:::{bucket}"),
                why: "sessions are logged to S3",
            });
        }
        if let Some(group) = &exec.log_group {
            let arn = format!("arn:{partition}:logs:{region}:{account}:log-group:{group}:*");
            out.push(Needed {
                who: "task role",
                action: "logs:DescribeLogGroups",
                resource: "*".into(),
                why: "sessions are logged to CloudWatch Logs",
            });
            for action in [
                "logs:CreateLogStream",
                "logs:DescribeLogStreams",
                "logs:PutLogEvents",
            ] {
                out.push(Needed {
                    who: "task role",
                    action,
                    resource: arn.clone(),
                    why: "sessions are logged to CloudWatch Logs",
                });
            }
        }
    }
    out
}

/// The configuration's permissions, each with its simulated decision (None: not simulated).
pub fn judge_configuration(needed: &[Needed], decisions: &[Option<Decision>]) -> Finding {
    if needed.is_empty() {
        return Finding::new(
            "configuration",
            Status::Ok,
            "the cluster's execute-command configuration needs no KMS key or log permissions",
        );
    }
    let mut denied = Vec::new();
    let mut unknown = Vec::new();
    for (n, d) in needed.iter().zip(decisions) {
        let line = format!("{} {} on {} ({})", n.who, n.action, n.resource, n.why);
        match d {
            Some(Decision::Allowed) => {}
            Some(_) => denied.push(line),
            None => unknown.push(line),
        }
    }
    match (denied.is_empty(), unknown.is_empty()) {
        (true, true) => Finding::new(
            "configuration",
            Status::Ok,
            format!(
                "the {} permissions the cluster's execute-command configuration needs are allowed (simulated)",
                needed.len()
            ),
        ),
        (false, _) => Finding::new(
            "configuration",
            Status::Problem,
            format!(
                "the cluster's execute-command configuration needs permissions that are not allowed: {}",
                denied.join("; ")
            ),
        )
        .evidence(unknown.into_iter().map(|u| format!("not simulated: {u}")).collect())
        .next("Allow those actions on those resources (the task role's for the agent, yours for the client), or change the cluster's executeCommandConfiguration"),
        (true, false) => Finding::new(
            "configuration",
            Status::Unknown,
            format!("could not simulate: {}", unknown.join("; ")),
        ),
    }
}

/// Examines `container` for an ECS Exec session; `who` is the caller (for kms:GenerateDataKey).
pub async fn examine(aws: &Aws, c: &Container, who: Option<&Who>) -> Report {
    let (def, cluster) = tokio::join!(
        api::task_definition(aws, &c.task_definition_arn),
        api::cluster(aws, &c.cluster_arn)
    );
    let mut findings = vec![judge_exec_enabled(c), judge_platform(c)];
    let role = c
        .task_role_override
        .clone()
        .or_else(|| def.as_ref().ok().and_then(|d| d.task_role_arn.clone()));
    match &def {
        Ok(def) => findings.push(judge_read_only(c, def)),
        Err(e) => findings.push(Finding::new(
            "rootfs",
            Status::Unknown,
            format!("the task definition could not be read: {}", e.headline()),
        )),
    }
    findings.push(judge_agent(c));
    let role_name = role
        .as_deref()
        .map(|r| r.rsplit('/').next().unwrap_or(r).to_owned());
    match (&def, &role, &role_name) {
        (Err(_), None, _) => findings.push(Finding::new(
            "task-role",
            Status::Unknown,
            "the task role is unknown: the task definition could not be read",
        )),
        (_, Some(role), Some(name)) => {
            let exists = iam::role(aws, name).await;
            findings.push(match exists {
                Ok(None) => Finding::new(
                    "task-role",
                    Status::Problem,
                    format!("the task role {role} does not exist"),
                )
                .next("Create the role (trusted by ecs-tasks.amazonaws.com) or fix the task definition's taskRoleArn"),
                _ => {
                    let decisions = iam::simulate_actions(aws, role, &CHANNEL_ACTIONS, "*", &[])
                        .await
                        .map(|s| s.into_iter().map(|s| s.decision).collect::<Vec<_>>());
                    let mut why = Vec::new();
                    if let Ok(d) = &decisions {
                        if let Some(first) = CHANNEL_ACTIONS
                            .iter()
                            .zip(d)
                            .find(|(_, d)| **d != Decision::Allowed)
                        {
                            let policies =
                                read_policies(aws, &PolicyOwner::Role(name.clone()), "the role's")
                                    .await;
                            why.push(format!("{}:", first.0));
                            why.extend(
                                why_not_allowed(&policies, first.0, "*", &[])
                                    .into_iter()
                                    .map(|l| format!("  {l}")),
                            );
                        }
                    }
                    judge_task_role(Some(role), decisions, &why)
                }
            });
        }
        _ => findings.push(judge_task_role(None, Ok(Vec::new()), &[])),
    }
    match &cluster {
        Ok(cluster) => {
            let (partition, account) = arn_parts(&c.task_arn);
            let needed = needed(cluster, aws.region(), &account, &partition);
            let mut decisions = Vec::new();
            for n in &needed {
                let source = match n.who {
                    "you" => who.map(|w| w.policy_source().to_owned()),
                    _ => role.clone(),
                };
                let decision = match source {
                    Some(source) => iam::simulate(aws, &source, n.action, &n.resource, &[])
                        .await
                        .ok()
                        .map(|s| s.decision),
                    None => None,
                };
                decisions.push(decision);
            }
            findings.push(judge_configuration(&needed, &decisions));
        }
        Err(e) => findings.push(Finding::new(
            "configuration",
            Status::Unknown,
            format!("the cluster could not be read: {}", e.headline()),
        )),
    }
    findings.push(check_network(aws, c).await);
    let problems = findings
        .iter()
        .filter(|f| f.status == Status::Problem)
        .count();
    Report {
        target: c.label(),
        task_arn: c.task_arn.clone(),
        container: c.name.clone(),
        region: aws.region().to_owned(),
        findings,
        problems,
    }
}

/// The agent in the container talks to ssmmessages alone.
const SERVICES: &[(&str, &str)] = &[("ssmmessages", "ECS Exec's channels")];

/// An awsvpc task's way to ssmmessages on 443 from its network interface, judged as an
/// instance's is; another task (bridge or host network on EC2) shares its container instance's
/// network, judged from that instance.
async fn check_network(aws: &Aws, c: &Container) -> Finding {
    let unknown = |summary: String| Finding::new("network", Status::Unknown, summary);
    if let Some(eni) = &c.eni {
        return match api::eni_placement(aws, eni).await {
            Ok(Some(placement)) => crate::doctor::check_network(aws, &placement, SERVICES).await,
            Ok(None) => unknown(format!(
                "EC2 does not know the task's network interface {eni}"
            )),
            Err(e) => unknown(format!(
                "the task's network interface could not be read: {}",
                e.headline()
            )),
        };
    }
    let Some(container_instance) = &c.container_instance else {
        return unknown(
            "the task has neither a network interface of its own (awsvpc) nor a container instance ECS names".into(),
        );
    };
    let instance = match api::container_instance_ec2(aws, &c.cluster_arn, container_instance).await {
        Ok(Some(id)) => id,
        Ok(None) => {
            return unknown(format!(
                "the task shares its container instance's network, and ECS names no EC2 instance for {container_instance}"
            ))
        }
        Err(e) => {
            return unknown(format!(
                "the task's container instance could not be read: {}",
                e.headline()
            ))
        }
    };
    let mut finding = match crate::doctor::api::placement(aws, &instance).await {
        Ok(Some(placement)) => crate::doctor::check_network(aws, &placement, SERVICES).await,
        Ok(None) => unknown(format!(
            "EC2 does not know the container instance {instance}"
        )),
        Err(e) => unknown(format!(
            "the container instance {instance} could not be read: {}",
            e.headline()
        )),
    };
    finding.evidence.insert(
        0,
        format!("the task has no network interface of its own: it uses its container instance {instance}'s"),
    );
    finding
}

/// The partition and account of an ARN.
fn arn_parts(arn: &str) -> (String, String) {
    let parts: Vec<&str> = arn.split(':').collect();
    match parts.as_slice() {
        [_, partition, _, _, account, ..] => ((*partition).to_owned(), (*account).to_owned()),
        _ => ("aws".into(), String::new()),
    }
}

/// The whole report.
pub fn render(report: &Report) -> String {
    render_findings(
        &format!("{} in {}, for ECS Exec", report.target, report.region),
        &report.findings,
    )
}

/// What is wrong or unknown, after ExecuteCommand failed.
pub fn render_problems(report: &Report) -> String {
    render_short_findings(&report.findings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ecs::ExecConfig;

    fn container() -> Container {
        Container::example()
    }

    #[test]
    fn exec_disabled_is_a_problem_with_the_services_fix() {
        assert_eq!(judge_exec_enabled(&container()).status, Status::Ok);
        let off = Container {
            exec_enabled: false,
            agent_status: None,
            ..container()
        };
        let f = judge_exec_enabled(&off);
        assert_eq!(f.status, Status::Problem);
        assert!(f.next.unwrap().contains("update-service --cluster prod --service web --enable-execute-command --force-new-deployment"));
        assert_eq!(judge_agent(&off).status, Status::Problem);
    }

    #[test]
    fn fargate_before_1_4_0_is_a_problem_and_ec2_has_no_platform_version() {
        let old = Container {
            platform_version: Some("1.3.0".into()),
            ..container()
        };
        assert_eq!(judge_platform(&old).status, Status::Problem);
        assert_eq!(judge_platform(&container()).status, Status::Ok);
        let newer = Container {
            platform_version: Some("1.10.0".into()),
            ..container()
        };
        assert_eq!(
            judge_platform(&newer).status,
            Status::Ok,
            "numbers, not text"
        );
        let ec2 = Container {
            launch_type: "EC2".into(),
            platform_version: None,
            ..container()
        };
        assert_eq!(judge_platform(&ec2).status, Status::Ok);
    }

    #[test]
    fn a_read_only_root_and_a_stopped_agent_are_problems() {
        let def = TaskDefinition {
            read_only: vec!["app".into()],
            ..TaskDefinition::default()
        };
        assert_eq!(judge_read_only(&container(), &def).status, Status::Problem);
        assert_eq!(
            judge_read_only(&container(), &TaskDefinition::default()).status,
            Status::Ok
        );
        let stopped = Container {
            agent_status: Some("STOPPED".into()),
            ..container()
        };
        let f = judge_agent(&stopped);
        assert_eq!(f.status, Status::Problem);
        assert_eq!(f.summary, "the ExecuteCommandAgent is STOPPED, not RUNNING");
    }

    #[test]
    fn the_task_role_is_judged_on_the_four_channel_actions() {
        let role = "arn:aws:iam::1:role/app-task";
        assert_eq!(
            judge_task_role(None, Ok(Vec::new()), &[]).status,
            Status::Problem
        );
        let all = vec![Decision::Allowed; 4];
        assert_eq!(judge_task_role(Some(role), Ok(all), &[]).status, Status::Ok);
        let mut some = vec![Decision::Allowed; 4];
        some[1] = Decision::ImplicitDeny;
        let f = judge_task_role(Some(role), Ok(some), &["why".into()]);
        assert_eq!(f.status, Status::Problem);
        assert_eq!(
            f.summary,
            "task role arn:aws:iam::1:role/app-task may not call ssmmessages:CreateDataChannel"
        );
        assert_eq!(f.evidence, ["why"]);
        assert!(f.next.unwrap().contains("of role app-task"));
    }

    #[test]
    fn the_configuration_needs_kms_and_log_permissions() {
        let cluster = Cluster {
            arn: String::new(),
            tags: Vec::new(),
            exec: ExecConfig {
                kms_key: Some("1234abcd".into()),
                logging: Some("OVERRIDE".into()),
                s3_bucket: Some("logs".into()),
                s3_prefix: Some("exec/".into()),
                log_group: None,
            },
        };
        let n = needed(&cluster, "us-east-1", "123456789012", "aws");
        let names: Vec<(&str, &str)> = n.iter().map(|n| (n.who, n.action)).collect();
        assert_eq!(
            names,
            [
                ("task role", "kms:Decrypt"),
                ("you", "kms:GenerateDataKey"),
                ("task role", "s3:PutObject"),
                ("task role", "s3:GetEncryptionConfiguration")
            ]
        );
        assert_eq!(
            n[0].resource,
            "arn:aws:kms:us-east-1:123456789012:key/1234abcd"
        );
        assert_eq!(n[2].resource, "arn:aws:s3:::logs/exec/*");
        let mut d = vec![Some(Decision::Allowed); 4];
        assert_eq!(judge_configuration(&n, &d).status, Status::Ok);
        d[0] = Some(Decision::ImplicitDeny);
        let f = judge_configuration(&n, &d);
        assert_eq!(f.status, Status::Problem);
        assert!(f
            .summary
            .contains("task role kms:Decrypt on arn:aws:kms:us-east-1:123456789012:key/1234abcd"));
        let none = Cluster::default();
        assert!(needed(&none, "us-east-1", "1", "aws").is_empty());
        assert_eq!(judge_configuration(&[], &[]).status, Status::Ok);
    }
}
