//! The connection doctor: why an instance can't take a session, from the instance's side —
//! its state, SSM's record of its agent, the agent's version against the document, the
//! credentials the agent runs with and what its role may call (simulated), its network path to
//! Systems Manager, and the Session Manager preferences that ask more (KMS). Each check is ok, a
//! problem with its evidence and next step, or unknown when ssmgo can't read what it needs (then
//! it names the permission; an unreadable thing is never called a problem).

mod api;
pub mod network;
mod report;

use serde::Serialize;
use ssmgo_policy::Decision;

use crate::aws::Aws;
use crate::fleet::Instance;
use crate::precheck::api::{simulate_actions, PolicyOwner};
use crate::precheck::{self, Who};
pub use report::{render, render_short};

/// A check's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Problem,
    Unknown,
}

/// One check's outcome, with what it saw and what to do.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// A stable name for scripts: state, registration, agent-version, credentials,
    /// permissions, network, preferences.
    pub check: &'static str,
    pub status: Status,
    pub summary: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

impl Finding {
    fn new(check: &'static str, status: Status, summary: impl Into<String>) -> Finding {
        Finding {
            check,
            status,
            summary: summary.into(),
            evidence: Vec::new(),
            next: None,
        }
    }

    fn next(mut self, next: impl Into<String>) -> Finding {
        self.next = Some(next.into());
        self
    }

    fn evidence(mut self, lines: Vec<String>) -> Finding {
        self.evidence = lines;
        self
    }
}

/// Everything the doctor found about one instance. The serialized form is `doctor --json`.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub target: String,
    pub instance_id: String,
    pub region: String,
    pub document: String,
    pub findings: Vec<Finding>,
    pub problems: usize,
}

/// Minimum SSM Agent versions, as AWS documents them.
pub mod minimums {
    /// Sessions at all — Systems Manager User Guide, "Step 1: Complete Session Manager
    /// prerequisites" (SSM Agent).
    pub const SESSIONS: &str = "2.3.68.0";
    /// Encrypting session data with a KMS key — same page.
    pub const KMS: &str = "2.3.539.0";
    /// Port forwarding and SSH sessions — same page ("To start a Session Manager port
    /// forwarding or SSH session, SSM Agent version 3.0.222.0 or later").
    pub const PORT_AND_SSH: &str = "3.0.222.0";
    /// Port forwarding to a remote host — "Start a session", "Starting a session (port
    /// forwarding to remote host)".
    pub const REMOTE_HOST: &str = "3.1.1374.0";
    /// Multiplexed port forwarding (several connections over one session): session-manager-plugin,
    /// src/config/config.go, TCPMultiplexingSupportedAfterThisAgentVersion (later than this).
    /// Every agent new enough to forward at all ([`PORT_AND_SSH`]) is past it, so it is no
    /// check of its own (a unit test keeps that true).
    pub const MULTIPLEXING_AFTER: &str = "3.0.196.0";
    /// Default Host Management Configuration — "Default Host Management Configuration"
    /// (with IMDSv2).
    pub const DEFAULT_HOST_MANAGEMENT: &str = "3.2.582.0";
}

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

/// The services the agent talks to, and what for.
const SERVICES: &[(&str, &str)] = &[
    ("ssm", "registration and pings"),
    ("ssmmessages", "Session Manager"),
    ("ec2messages", "Run Command"),
];

/// "3.1.1374.0" → comparable parts (a part that isn't a number counts as 0).
fn version(v: &str) -> Vec<u64> {
    v.split('.').map(|p| p.parse().unwrap_or(0)).collect()
}

/// True when agent version `have` is at least `need`.
pub fn at_least(have: &str, need: &str) -> bool {
    version(have) >= version(need)
}

/// What `document` asks of the agent: (minimum version, what for).
pub fn document_minimum(document: &str) -> (&'static str, &'static str) {
    match document {
        "AWS-StartPortForwardingSessionToRemoteHost" => {
            (minimums::REMOTE_HOST, "port forwarding to a remote host")
        }
        "AWS-StartPortForwardingSession" => (minimums::PORT_AND_SSH, "port forwarding"),
        "AWS-StartSSHSession" => (minimums::PORT_AND_SSH, "SSH sessions"),
        _ => (minimums::SESSIONS, "Session Manager"),
    }
}

/// "3 h 5 min" — how long ago, for people.
fn age(seconds: i64) -> String {
    let s = seconds.max(0);
    match s {
        0..=119 => format!("{s} s"),
        120..=7199 => format!("{} min", s / 60),
        7200..=172_799 => format!("{} h {} min", s / 3600, s % 3600 / 60),
        _ => format!("{} days", s / 86_400),
    }
}

fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// The KMS key the document's preferences require, when they do (`inputs.kmsKeyId`).
pub fn kms_key_of(content: &str) -> Option<String> {
    let doc: serde_json::Value = serde_json::from_str(content).ok()?;
    doc.get("inputs")?
        .get("kmsKeyId")?
        .as_str()
        .filter(|k| !k.trim().is_empty())
        .map(str::to_owned)
}

/// A key id, key ARN or alias as the preferences name it → the key's ARN, when it can be known
/// without kms:DescribeKey (an alias can't).
fn key_arn(key: &str, partition: &str, region: &str, account: &str) -> Option<String> {
    if key.starts_with("arn:") {
        return (!key.contains(":alias/")).then(|| key.to_owned());
    }
    if key.starts_with("alias/") {
        return None;
    }
    Some(format!("arn:{partition}:kms:{region}:{account}:key/{key}"))
}

/// The account and partition, from an IAM ARN (arn:PARTITION:iam::ACCOUNT:…).
fn account_of(arn: &str) -> Option<(String, String)> {
    let parts: Vec<&str> = arn.split(':').collect();
    (parts.len() > 4).then(|| (parts[1].to_owned(), parts[4].to_owned()))
}

/// Examines `instance` for a session with `document`. `who` is the caller, when known (for the
/// caller's side of KMS). Never fails: what can't be read is an unknown finding.
pub async fn examine(aws: &Aws, instance: &Instance, document: &str, who: Option<&Who>) -> Report {
    let id = instance.instance_id.as_str();
    let mut findings = Vec::new();
    findings.push(state_finding(instance));

    let hybrid = id.starts_with("mi-");
    let (record, placement, content) = tokio::join!(
        api::agent_record(aws, id),
        async {
            match hybrid {
                true => Ok(None),
                false => api::placement(aws, id).await,
            }
        },
        api::document_content(aws, document)
    );
    let record = match record {
        Ok(r) => Some(r),
        Err(e) => {
            findings.push(Finding::new(
                "registration",
                Status::Unknown,
                api::unreadable("SSM's record of the node", &e),
            ));
            None
        }
    };
    if let Some(record) = &record {
        findings.push(registration_finding(instance, record.as_ref()));
    }
    let agent_version = record
        .as_ref()
        .and_then(|r| r.as_ref())
        .and_then(|r| r.agent_version.clone());
    let kms_key = match &content {
        Ok(Some(text)) => kms_key_of(text),
        _ => None,
    };
    findings.push(version_finding(
        agent_version.as_deref(),
        document,
        kms_key.is_some(),
    ));

    if hybrid {
        findings.push(Finding::new(
            "credentials",
            Status::Unknown,
            "a hybrid node's credentials come from its activation, and its network isn't EC2's: ssmgo can't examine them",
        ));
    } else {
        let placement = match placement {
            Ok(p) => p,
            Err(e) => {
                findings.push(Finding::new(
                    "network",
                    Status::Unknown,
                    api::unreadable("the instance's network and profile", &e),
                ));
                None
            }
        };
        if let Some(placement) = &placement {
            let (credentials, role) =
                credentials_finding(aws, id, placement, agent_version.as_deref()).await;
            findings.push(credentials);
            if let Some(role) = &role {
                findings.push(permissions_finding(aws, id, role).await);
            }
            findings.push(network_finding(aws, placement).await);
            findings.push(
                preferences_finding(
                    aws,
                    document,
                    &content,
                    kms_key.as_deref(),
                    who,
                    role.as_ref(),
                )
                .await,
            );
        }
    }
    let problems = findings
        .iter()
        .filter(|f| f.status == Status::Problem)
        .count();
    Report {
        target: instance.label(),
        instance_id: id.to_owned(),
        region: aws.region().to_owned(),
        document: document.to_owned(),
        findings,
        problems,
    }
}

fn state_finding(instance: &Instance) -> Finding {
    let id = &instance.instance_id;
    match instance.state.as_str() {
        "running" => Finding::new("state", Status::Ok, "running"),
        "stopped" => Finding::new("state", Status::Problem, "stopped").next(format!(
            "Start it and connect in one go: ssmgo connect {id} --start"
        )),
        "pending" => Finding::new("state", Status::Problem, "starting (pending)").next(format!(
            "Wait for it and connect: ssmgo connect {id} --wait"
        )),
        "stopping" => Finding::new("state", Status::Problem, "stopping")
            .next(format!("Once it is stopped: ssmgo connect {id} --start")),
        other => Finding::new("state", Status::Problem, other.to_owned())
            .next("It can't be started again: pick another instance"),
    }
}

/// How long after a start an agent that isn't Online yet is given before that is a problem:
/// agents register within a minute or two of boot; slow Windows boots take longer.
const BOOT_GRACE_SECS: i64 = 600;

/// Seconds since EC2 last started the instance (its LaunchTime), when known.
fn since_start(instance: &Instance) -> Option<i64> {
    use aws_smithy_types::date_time::{DateTime, Format};
    let at = DateTime::from_str(instance.launch_time.as_deref()?, Format::DateTime).ok()?;
    Some(now_secs() - at.secs())
}

fn registration_finding(instance: &Instance, record: Option<&api::AgentRecord>) -> Finding {
    let online = record.is_some_and(|r| r.ping_status == "Online");
    if let Some(secs) = since_start(instance).filter(|s| *s < BOOT_GRACE_SECS) {
        if instance.state == "running" && !online {
            let status = record.map_or("not registered yet", |r| r.ping_status.as_str());
            return Finding::new(
                "registration",
                Status::Unknown,
                format!(
                    "{status}: it started {} ago, and its agent may still be booting",
                    age(secs)
                ),
            )
            .next(format!(
                "Wait for it: ssmgo connect {} --wait=10m (the checks below find what would keep it from ever coming Online)",
                instance.instance_id
            ));
        }
    }
    let Some(record) = record else {
        return Finding::new(
            "registration",
            Status::Problem,
            "not registered with SSM: its agent has never reached Systems Manager",
        )
        .next("The checks below say why, when they can; if all of them are ok, the SSM agent is not installed or not running on it (Amazon Linux, Ubuntu and Windows AMIs from AWS have it; `sudo systemctl status amazon-ssm-agent` on the instance)");
    };
    let ago = record.last_ping.map(|t| {
        format!(
            "last ping {} ago ({})",
            age(now_secs() - t),
            precheck::context::iso8601(t.max(0) as u64)
        )
    });
    if record.ping_status == "Online" {
        return Finding::new(
            "registration",
            Status::Ok,
            format!(
                "managed, Online{}",
                ago.map(|a| format!(", {a}")).unwrap_or_default()
            ),
        );
    }
    let summary = format!(
        "managed, but {}{}",
        record.ping_status,
        ago.map(|a| format!(" since its {a}")).unwrap_or_default()
    );
    let next = match instance.state.as_str() {
        "running" => "Its agent no longer reaches SSM: the checks below say why, when they can; otherwise restart the agent on the instance (`sudo systemctl restart amazon-ssm-agent`) or reboot it".to_owned(),
        _ => "It pings again once it runs".to_owned(),
    };
    Finding::new("registration", Status::Problem, summary).next(next)
}

fn version_finding(agent_version: Option<&str>, document: &str, kms: bool) -> Finding {
    let Some(have) = agent_version else {
        return Finding::new(
            "agent-version",
            Status::Unknown,
            "SSM has no agent version for it (it isn't registered)",
        );
    };
    let (need, purpose) = document_minimum(document);
    let mut needs = vec![(need, format!("{purpose} ({document})"))];
    if kms {
        needs.push((minimums::KMS, "KMS-encrypted sessions".to_owned()));
    }
    let short: Vec<String> = needs
        .iter()
        .filter(|(n, _)| !at_least(have, n))
        .map(|(n, what)| format!("{what} needs {n} or later"))
        .collect();
    if !short.is_empty() {
        return Finding::new(
            "agent-version",
            Status::Problem,
            format!("SSM Agent {have} is too old: {}", short.join("; ")),
        )
        .next("Update the agent: aws ssm send-command --document-name AWS-UpdateSSMAgent --instance-ids ID (or turn on automatic agent updates in Fleet Manager)");
    }
    Finding::new(
        "agent-version",
        Status::Ok,
        format!("SSM Agent {have} ({}: {need} or later)", needs[0].1),
    )
}

/// The credentials the agent runs with: the finding, and the role when there is one.
async fn credentials_finding(
    aws: &Aws,
    id: &str,
    placement: &api::Placement,
    agent_version: Option<&str>,
) -> (Finding, Option<api::Role>) {
    if let Some(arn) = &placement.profile_arn {
        let name = arn.rsplit('/').next().unwrap_or(arn);
        return match api::profile_roles(aws, name).await {
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
        };
    }
    let attach = format!("Attach an instance profile whose role has AmazonSSMManagedInstanceCore: aws ec2 associate-iam-instance-profile --instance-id {id} --iam-instance-profile Name=PROFILE (or turn on Default Host Management Configuration for the account and region)");
    let dhmc = match api::default_host_management_role(aws).await {
        Ok(dhmc) => dhmc,
        Err(e) => {
            return (
                Finding::new(
                    "credentials",
                    Status::Unknown,
                    format!(
                        "no instance profile; whether Default Host Management Configuration gives it a role is unknown: {}",
                        api::unreadable("the service setting", &e)
                    ),
                ),
                None,
            )
        }
    };
    let Some(role_name) = dhmc else {
        return (
            Finding::new(
                "credentials",
                Status::Problem,
                "no instance profile, and Default Host Management Configuration is off: the agent has no credentials",
            )
            .next(attach),
            None,
        );
    };
    let mut lacks = Vec::new();
    if placement.http_tokens.as_deref() != Some("required") {
        lacks.push(format!("it allows IMDSv1 (HttpTokens {}), and Default Host Management Configuration works with IMDSv2 only", placement.http_tokens.as_deref().unwrap_or("unknown")));
    }
    match agent_version {
        Some(v) if !at_least(v, minimums::DEFAULT_HOST_MANAGEMENT) => lacks.push(format!(
            "its agent {v} is older than {}",
            minimums::DEFAULT_HOST_MANAGEMENT
        )),
        _ => {}
    }
    if !lacks.is_empty() {
        return (
            Finding::new(
                "credentials",
                Status::Problem,
                format!(
                    "no instance profile; Default Host Management Configuration (role {role_name}) can't serve it: {}",
                    lacks.join("; ")
                ),
            )
            .next(format!("Require IMDSv2: aws ec2 modify-instance-metadata-options --instance-id {id} --http-tokens required (and update the agent), or attach an instance profile")),
            None,
        );
    }
    let bare = role_name
        .rsplit('/')
        .next()
        .unwrap_or(&role_name)
        .to_owned();
    match api::role(aws, &bare).await {
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
            .next(attach),
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

/// The request context of the agent's calls, as far as IAM fills it for an instance's role.
fn agent_context(aws: &Aws, id: &str, role: &api::Role) -> Vec<(String, Vec<String>)> {
    let (partition, account) = account_of(&role.arn).unwrap_or_default();
    vec![
        ("aws:RequestedRegion".into(), vec![aws.region().to_owned()]),
        (
            "ec2:SourceInstanceARN".into(),
            vec![precheck::target_arn(&partition, aws.region(), &account, id)],
        ),
    ]
}

async fn permissions_finding(aws: &Aws, id: &str, role: &api::Role) -> Finding {
    let actions: Vec<&str> = AGENT_ACTIONS
        .iter()
        .flat_map(|(_, a)| a.iter().copied())
        .collect();
    let context = agent_context(aws, id, role);
    let simulated = match simulate_actions(aws, &role.arn, &actions, "*", &context).await {
        Ok(s) => s,
        Err(e) => {
            return Finding::new(
                "permissions",
                Status::Unknown,
                format!(
                    "what role {} may call: {}",
                    role.name,
                    match &e {
                        crate::error::Error::AccessDenied { .. } =>
                            "unknown: simulating it needs iam:SimulatePrincipalPolicy on the role"
                                .to_owned(),
                        other => format!("unknown: {}", other.headline()),
                    }
                ),
            )
        }
    };
    let allowed = |action: &str| {
        actions
            .iter()
            .position(|a| *a == action)
            .is_some_and(|i| simulated[i].decision == Decision::Allowed)
    };
    let mut denied_groups = Vec::new();
    let mut first_denied = Vec::new();
    for (purpose, group) in AGENT_ACTIONS {
        let denied: Vec<&str> = group.iter().copied().filter(|a| !allowed(a)).collect();
        if let Some(first) = denied.first() {
            denied_groups.push(format!("{} (for {purpose})", denied.join(", ")));
            first_denied.push(*first);
        }
    }
    if denied_groups.is_empty() {
        return Finding::new(
            "permissions",
            Status::Ok,
            format!(
                "role {} may call all {} actions of AmazonSSMManagedInstanceCore the agent needs (simulated)",
                role.name,
                actions.len()
            ),
        );
    }
    let policies =
        precheck::read_policies(aws, &PolicyOwner::Role(role.name.clone()), "the role's").await;
    let mut evidence = Vec::new();
    for action in first_denied {
        let why = precheck::why_not_allowed(&policies, action, "*", &context);
        evidence.push(format!("{action}:"));
        evidence.extend(why.into_iter().map(|l| format!("  {l}")));
    }
    let partition = account_of(&role.arn)
        .map(|(p, _)| p)
        .unwrap_or_else(|| "aws".into());
    Finding::new(
        "permissions",
        Status::Problem,
        format!("role {} may not call {}", role.name, denied_groups.join("; ")),
    )
    .evidence(evidence)
    .next(format!(
        "Attach AWS's managed policy: aws iam attach-role-policy --role-name {} --policy-arn arn:{partition}:iam::aws:policy/AmazonSSMManagedInstanceCore",
        role.name
    ))
}

async fn network_finding(aws: &Aws, placement: &api::Placement) -> Finding {
    let (Some(vpc), Some(subnet)) = (&placement.vpc, &placement.subnet) else {
        return Finding::new(
            "network",
            Status::Unknown,
            "EC2 names no VPC or subnet for it",
        );
    };
    let (endpoints, route, cidr) = tokio::join!(
        api::endpoints(aws, vpc),
        api::route_table(aws, vpc, subnet),
        api::vpc_cidr(aws, vpc)
    );
    let unknown = |what: &str, e: &crate::error::Error| {
        Finding::new("network", Status::Unknown, api::unreadable(what, e))
    };
    let endpoints = match endpoints {
        Ok(e) => e,
        Err(e) => return unknown("the VPC's endpoints", &e),
    };
    let route = match route {
        Ok(r) => r,
        Err(e) => return unknown("its subnet's route table", &e),
    };
    let cidr = cidr.ok().flatten();
    let mut ids: Vec<String> = placement.groups.clone();
    ids.extend(endpoints.iter().flat_map(|e| e.groups.iter().cloned()));
    ids.sort();
    ids.dedup();
    let groups = match api::groups(aws, &ids).await {
        Ok(g) => g,
        Err(e) => return unknown("its security groups", &e),
    };
    let nat = match route.as_ref().and_then(|r| r.default_route.as_ref()) {
        Some(api::RouteTarget::NatGateway(id)) => api::nat_state(aws, id).await.ok().flatten(),
        _ => None,
    };
    let net = network::Net {
        region: aws.region(),
        placement,
        vpc_cidr: cidr.as_deref(),
        route: route.as_ref(),
        nat_state: nat.as_deref(),
        endpoints: &endpoints,
        groups: &groups,
    };
    let paths: Vec<(&str, &str, network::Path)> = SERVICES
        .iter()
        .map(|(service, what)| (*service, *what, net.path_to(service)))
        .collect();
    let worst = if paths.iter().any(|p| p.2.status == Status::Problem) {
        Status::Problem
    } else if paths.iter().any(|p| p.2.status == Status::Unknown) {
        Status::Unknown
    } else {
        Status::Ok
    };
    let blocked: Vec<&str> = paths
        .iter()
        .filter(|p| p.2.status == Status::Problem)
        .map(|p| p.0)
        .collect();
    let summary = match worst {
        Status::Ok => {
            format!("a way to ssm, ssmmessages and ec2messages on 443 from {subnet} in {vpc}")
        }
        Status::Problem => format!(
            "no way from {subnet} in {vpc} to {} on 443",
            blocked.join(", ")
        ),
        Status::Unknown => {
            format!("the way from {subnet} in {vpc} to Systems Manager can't be fully judged")
        }
    };
    let next = paths.iter().find_map(|p| p.2.next.clone());
    let mut f = Finding::new("network", worst, summary).evidence(
        paths
            .iter()
            .map(|(service, what, p)| format!("{service} ({what}): {}", p.how))
            .collect(),
    );
    if worst == Status::Problem {
        f.next = next;
    }
    f
}

async fn preferences_finding(
    aws: &Aws,
    document: &str,
    content: &crate::error::Result<Option<String>>,
    kms_key: Option<&str>,
    who: Option<&Who>,
    role: Option<&api::Role>,
) -> Finding {
    let content = match content {
        Ok(c) => c,
        Err(e) => {
            return Finding::new(
                "preferences",
                Status::Unknown,
                api::unreadable(&format!("the document {document} (its KMS preference)"), e),
            )
        }
    };
    let Some(key) = kms_key else {
        let why = match content {
            None => {
                format!("no document {document} (Session Manager preferences were never saved)")
            }
            Some(_) => format!("{document} sets no kmsKeyId"),
        };
        return Finding::new(
            "preferences",
            Status::Ok,
            format!("sessions are not KMS-encrypted: {why}"),
        );
    };
    let (partition, account) = match (who, role) {
        (Some(w), _) => (w.partition().to_owned(), w.account().to_owned()),
        (None, Some(r)) => account_of(&r.arn).unwrap_or_default(),
        (None, None) => Default::default(),
    };
    let Some(arn) = key_arn(key, &partition, aws.region(), &account) else {
        return Finding::new(
            "preferences",
            Status::Unknown,
            format!("{document} requires KMS encryption with {key}; which key an alias names needs kms:DescribeKey, which ssmgo doesn't call: check kms:GenerateDataKey (yours) and kms:Decrypt (the instance role's) on it by hand"),
        );
    };
    let mut evidence = Vec::new();
    let mut problems = Vec::new();
    let mut unknown = false;
    let region = vec![aws.region().to_owned()];
    let sides = [
        (
            "kms:GenerateDataKey",
            who.map(|w| (w.policy_source().to_owned(), format!("you ({})", w.arn()))),
            "you start the session",
        ),
        (
            "kms:Decrypt",
            role.map(|r| (r.arn.clone(), format!("the instance role {}", r.name))),
            "the agent decrypts it",
        ),
    ];
    for (action, principal, why) in sides {
        let Some((source, name)) = principal else {
            unknown = true;
            evidence.push(format!(
                "{action} ({why}): unknown, the principal isn't known"
            ));
            continue;
        };
        let context = vec![("aws:RequestedRegion".to_owned(), region.clone())];
        match simulate_actions(aws, &source, &[action], &arn, &context).await {
            Ok(s) if s[0].decision == Decision::Allowed => {
                evidence.push(format!("{name} may call {action} on the key ({why})"))
            }
            Ok(s) => {
                evidence.push(format!(
                    "{name} may not call {action} on the key ({why}): {}",
                    s[0].decision.as_str()
                ));
                problems.push(format!("{name} may not call {action}"));
            }
            Err(e) => {
                unknown = true;
                evidence.push(format!("{action} for {name}: unknown ({})", e.headline()));
            }
        }
    }
    let status = match (problems.is_empty(), unknown) {
        (false, _) => Status::Problem,
        (true, true) => Status::Unknown,
        (true, false) => Status::Ok,
    };
    let summary = match status {
        Status::Problem => format!(
            "{document} requires KMS encryption with {arn}, but {}",
            problems.join(" and ")
        ),
        _ => format!("{document} requires KMS encryption with {arn}"),
    };
    let mut f = Finding::new("preferences", status, summary).evidence(evidence);
    if status == Status::Problem {
        f.next = Some(format!("Allow kms:GenerateDataKey on {arn} to the people who connect and kms:Decrypt on it to the instance role (in their policies or the key policy), or turn KMS encryption off in the Session Manager preferences"));
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agent_versions_compare_part_by_part() {
        assert!(at_least("3.1.1374.0", minimums::REMOTE_HOST));
        assert!(at_least("3.10.0.0", "3.9.9999.0"));
        assert!(!at_least("3.1.1188.0", minimums::REMOTE_HOST));
        assert!(!at_least("2.3.68", minimums::SESSIONS));
        assert!(at_least("2.3.68.0", minimums::SESSIONS));
    }

    #[test]
    fn every_agent_that_may_forward_multiplexes() {
        assert!(at_least(
            minimums::PORT_AND_SSH,
            minimums::MULTIPLEXING_AFTER
        ));
        assert_ne!(minimums::PORT_AND_SSH, minimums::MULTIPLEXING_AFTER);
    }

    #[test]
    fn each_document_has_its_minimum() {
        assert_eq!(
            document_minimum("AWS-StartPortForwardingSessionToRemoteHost").0,
            "3.1.1374.0"
        );
        assert_eq!(document_minimum("AWS-StartSSHSession").0, "3.0.222.0");
        assert_eq!(document_minimum("SSM-SessionManagerRunShell").0, "2.3.68.0");
        let old = version_finding(Some("3.0.100.0"), "AWS-StartSSHSession", false);
        assert_eq!(old.status, Status::Problem);
        assert!(
            old.summary
                .contains("SSH sessions (AWS-StartSSHSession) needs 3.0.222.0 or later"),
            "{}",
            old.summary
        );
        let kms = version_finding(Some("2.3.100.0"), "SSM-SessionManagerRunShell", true);
        assert!(
            kms.summary
                .contains("KMS-encrypted sessions needs 2.3.539.0"),
            "{}",
            kms.summary
        );
        assert_eq!(version_finding(None, "x", false).status, Status::Unknown);
    }

    #[test]
    fn the_kms_key_comes_from_the_preferences_inputs() {
        assert_eq!(
            kms_key_of(r#"{"inputs": {"kmsKeyId": "abc"}}"#).as_deref(),
            Some("abc")
        );
        assert_eq!(kms_key_of(r#"{"inputs": {"kmsKeyId": ""}}"#), None);
        assert_eq!(kms_key_of("schemaVersion: 1.0"), None);
        assert_eq!(
            key_arn("1234abcd", "aws", "eu-west-1", "1").as_deref(),
            Some("arn:aws:kms:eu-west-1:1:key/1234abcd")
        );
        assert_eq!(key_arn("alias/sessions", "aws", "eu-west-1", "1"), None);
        assert_eq!(
            key_arn("arn:aws:kms:eu-west-1:1:alias/x", "aws", "eu-west-1", "1"),
            None
        );
    }

    #[test]
    fn ages_read_like_people_say_them() {
        assert_eq!(age(5), "5 s");
        assert_eq!(age(600), "10 min");
        assert_eq!(age(3 * 3600 + 300), "3 h 5 min");
        assert_eq!(age(3 * 86_400), "3 days");
    }
}
