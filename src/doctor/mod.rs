//! The connection doctor: why an instance can't take a session, from the instance's side —
//! its state, SSM's record of its agent, the agent's version against the document, the
//! credentials the agent runs with and what its role may call (simulated), its network path to
//! Systems Manager, and the Session Manager preferences that ask more (KMS). Each check is ok, a
//! problem with its evidence and next step, or unknown when ssmgo can't read what it needs (then
//! it names the permission; an unreadable thing is never called a problem).
//!
//! Each check is a pure judge in a file of its own, so it can be tested with facts alone; this
//! module does the reads (through [`api`], and IAM's through [`crate::aws::iam`]) that each judge
//! needs, in the order the report lists the checks, and assembles the report.

mod agent_version;
pub(crate) mod api;
mod credentials;
pub mod network;
mod permissions;
mod preferences;
mod registration;
mod report;
mod state;

use serde::Serialize;
use ssmgo_policy::Decision;

// What the doctor shares with the pre-check (IAM's calls, ARNs and IAM's times from aws/; the
// pre-check's policy explanations) is imported in this file alone, so that moving it changes
// these lines alone.
use crate::aws::arn::target_arn;
use crate::aws::iam::{self, simulate_actions, PolicyOwner, Role};
use crate::aws::time::iso8601;
use crate::aws::Aws;
use crate::error::{Error, Result};
use crate::fleet::Instance;
use crate::precheck::{self, Who};
pub use agent_version::{at_least, document_minimum, minimums};
use api::Placement;
use credentials::WithoutProfile;
pub use preferences::kms_key_of;
use preferences::KeyAccess;
pub use report::{render, render_findings, render_short, render_short_findings};

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
    pub(crate) fn new(check: &'static str, status: Status, summary: impl Into<String>) -> Finding {
        Finding {
            check,
            status,
            summary: summary.into(),
            evidence: Vec::new(),
            next: None,
        }
    }

    /// `check` is unknown because `what` could not be read.
    fn unreadable(check: &'static str, what: &str, e: &Error) -> Finding {
        Finding::new(check, Status::Unknown, api::unreadable(what, e))
    }

    pub(crate) fn next(mut self, next: impl Into<String>) -> Finding {
        self.next = Some(next.into());
        self
    }

    pub(crate) fn evidence(mut self, lines: Vec<String>) -> Finding {
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

/// A doctor's exit: fine without a problem, [`Error::DoctorFound`] (exit 6) with `problems`.
pub fn outcome(target: String, problems: usize) -> Result<()> {
    match problems {
        0 => Ok(()),
        n => Err(Error::DoctorFound {
            target,
            count: match n {
                1 => "1 problem".into(),
                n => format!("{n} problems"),
            },
        }),
    }
}

/// The clock, read here so the judges stay pure (0 if it is before the epoch).
fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Examines `instance` for a session with `document`. `who` is the caller, when known (for the
/// caller's side of KMS). Never fails: what can't be read is an unknown finding.
pub async fn examine(aws: &Aws, instance: &Instance, document: &str, who: Option<&Who>) -> Report {
    let id = instance.instance_id.as_str();
    let mut findings = vec![state::judge(id, &instance.state)];

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
    findings.push(registration::judge(&registration::Facts {
        id,
        state: &instance.state,
        launch_time: instance.launch_time.as_deref(),
        record: &record,
        now: now_secs(),
    }));
    let agent_version = record
        .as_ref()
        .ok()
        .and_then(Option::as_ref)
        .and_then(|r| r.agent_version.as_deref());
    let kms_key = match &content {
        Ok(Some(text)) => kms_key_of(text),
        _ => None,
    };
    findings.push(agent_version::judge(
        agent_version,
        document,
        kms_key.is_some(),
    ));

    if hybrid {
        findings.push(credentials::of_hybrid_node());
    } else {
        match placement {
            Err(e) => findings.push(Finding::unreadable(
                "network",
                "the instance's network and profile",
                &e,
            )),
            Ok(None) => {}
            Ok(Some(placement)) => {
                let (credentials, role) =
                    check_credentials(aws, id, &placement, agent_version).await;
                findings.push(credentials);
                if let Some(role) = &role {
                    findings.push(check_permissions(aws, id, role).await);
                }
                findings.push(check_network(aws, &placement, network::SERVICES).await);
                findings.push(
                    check_preferences(
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

/// Reads the agent's credentials — the profile's roles, or Default Host Management
/// Configuration's setting and then its role — and judges them: the finding, and the role.
async fn check_credentials(
    aws: &Aws,
    id: &str,
    placement: &Placement,
    agent_version: Option<&str>,
) -> (Finding, Option<Role>) {
    if let Some(arn) = &placement.profile_arn {
        let name = credentials::profile_name(arn);
        return credentials::of_profile(id, name, iam::instance_profile_roles(aws, name).await);
    }
    let dhmc_role = api::default_host_management_role(aws).await;
    let http_tokens = placement.http_tokens.as_deref();
    match credentials::without_profile(id, dhmc_role, http_tokens, agent_version) {
        WithoutProfile::Judged(finding) => (finding, None),
        WithoutProfile::ReadRole(role_name) => {
            let role = iam::role(aws, credentials::bare_role_name(&role_name)).await;
            credentials::of_default_host_management(id, &role_name, role)
        }
    }
}

/// The request context of the agent's calls, as far as IAM fills it for an instance's role.
fn agent_context(aws: &Aws, id: &str, role: &Role) -> Vec<(String, Vec<String>)> {
    let (partition, account) = role.partition_and_account().unwrap_or_default();
    vec![
        ("aws:RequestedRegion".into(), vec![aws.region().to_owned()]),
        (
            "ec2:SourceInstanceARN".into(),
            vec![target_arn(&partition, aws.region(), &account, id)],
        ),
    ]
}

/// Simulates what the agent's role may call and, when it may not call something, reads the
/// role's policies to explain why; then judges.
async fn check_permissions(aws: &Aws, id: &str, role: &Role) -> Finding {
    let actions = permissions::agent_actions();
    let context = agent_context(aws, id, role);
    let decisions = simulate_actions(aws, &role.arn, &actions, "*", &context)
        .await
        .map(|simulated| simulated.iter().map(|s| s.decision).collect::<Vec<_>>());
    let to_explain = match &decisions {
        Ok(decisions) => permissions::to_explain(decisions),
        Err(_) => Vec::new(),
    };
    let mut explained = Vec::new();
    if !to_explain.is_empty() {
        let owner = PolicyOwner::Role(role.name.clone());
        let policies = precheck::read_policies(aws, &owner, "the role's").await;
        explained = to_explain
            .into_iter()
            .map(|action| {
                let why = precheck::why_not_allowed(&policies, action, "*", &context);
                (action, why)
            })
            .collect();
    }
    permissions::judge(role, decisions, &explained)
}

/// Reads the instance's (or a task's network interface's) subnet, VPC, endpoints and security
/// groups, and judges its way to the `services` of Systems Manager. The first read that fails
/// makes the check unknown.
pub(crate) async fn check_network(
    aws: &Aws,
    placement: &Placement,
    services: &[(&str, &str)],
) -> Finding {
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
    let unknown = |what: &str, e: &Error| Finding::unreadable("network", what, e);
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
    network::judge_for(&net, vpc, subnet, services)
}

/// What `principal_arn` may do with the key, simulated.
async fn may_use_key(
    aws: &Aws,
    principal_arn: &str,
    action: &str,
    key_arn: &str,
) -> Result<Decision> {
    let context = vec![(
        "aws:RequestedRegion".to_owned(),
        vec![aws.region().to_owned()],
    )];
    simulate_actions(aws, principal_arn, &[action], key_arn, &context)
        .await
        .map(|s| s[0].decision)
}

/// When the preferences name a key whose ARN can be known, simulates what the caller and the
/// instance role may do with it; then judges the preferences.
async fn check_preferences(
    aws: &Aws,
    document: &str,
    content: &Result<Option<String>>,
    key: Option<&str>,
    who: Option<&Who>,
    role: Option<&Role>,
) -> Finding {
    let (partition, account) = match (who, role) {
        (Some(w), _) => (w.partition().to_owned(), w.account().to_owned()),
        (None, Some(r)) => r.partition_and_account().unwrap_or_default(),
        (None, None) => Default::default(),
    };
    let key_arn = key.and_then(|k| preferences::key_arn(k, &partition, aws.region(), &account));
    let (mut caller, mut instance_role) = (None, None);
    if let Some(arn) = &key_arn {
        if let Some(w) = who {
            caller = Some(KeyAccess {
                principal: w.arn().to_owned(),
                decision: may_use_key(aws, w.policy_source(), preferences::CALLER_NEEDS, arn).await,
            });
        }
        if let Some(r) = role {
            instance_role = Some(KeyAccess {
                principal: r.name.clone(),
                decision: may_use_key(aws, &r.arn, preferences::ROLE_NEEDS, arn).await,
            });
        }
    }
    preferences::judge(preferences::Facts {
        document,
        content,
        key,
        key_arn: key_arn.as_deref(),
        caller,
        role: instance_role,
    })
}
