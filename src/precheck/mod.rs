//! The pre-check: before a session starts, ask IAM's policy simulator whether ssm:StartSession
//! will be allowed — once per resource, because StartSession is authorized against both the
//! session document and the instance, and context entries apply to every resource of one call
//! (the instance's tags would make the document look allowed). When it will be denied, read the
//! principal's policies and explain, statement by statement, why, and how to fix the policy.
//!
//! This file holds what the pre-check answers (its types); the work is split by job: who is
//! asking (`who.rs`), the request context ([`context`]), the simulation per resource and the
//! verdict (`simulate.rs`), the same for any other action (`any_action.rs`), the explanation
//! from the caller's own policies and the proven fix (`explain.rs`), and the report in words
//! (`report.rs`). IAM itself is asked through [`crate::aws::iam`].

mod any_action;
pub mod context;
mod explain;
mod report;
mod simulate;
mod who;

use serde::Serialize;
use ssmgo_policy::depends::KeyDependence;
use ssmgo_policy::Decision;

use crate::aws::iam::Matched;
use context::Entry;

pub use any_action::{denied_resources, may_start, Denied, Resource};
pub(crate) use explain::{read_policies, why_not_allowed};
pub use report::{render, say_why_refused};
pub use simulate::{check_as, check_resources, Checked};
pub use who::{whoami, Who, WhoFailure};

/// The service's own spelling of a resource-tag condition key for StartSession.
pub const SSM_TAG_PREFIX: &str = "ssm:resourceTag/";

/// The document a shell session uses when none is named (the AWS CLI's default too).
pub const DEFAULT_DOCUMENT: &str = "SSM-SessionManagerRunShell";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Document,
    Instance,
    /// ECS Exec: ecs:ExecuteCommand is authorized on the cluster and on the task.
    Cluster,
    Task,
}

impl Kind {
    fn words(self) -> &'static str {
        match self {
            Kind::Document => "the session document",
            Kind::Instance => "the instance",
            Kind::Cluster => "the cluster",
            Kind::Task => "the task",
        }
    }

    /// What the report calls it.
    fn noun(self) -> &'static str {
        match self {
            Kind::Document => "session document",
            Kind::Instance => "instance",
            Kind::Cluster => "cluster",
            Kind::Task => "task",
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
    /// The corrected policy, when the denial is a mistake ssmgo knows the fix for (the
    /// document's or the cluster's tag condition, the cluster's tasks left out).
    pub fix: Option<serde_json::Value>,
    pub warnings: Vec<String>,
    /// Why the check could not run (verdict unknown).
    pub reason: Option<String>,
    /// The action checked (ssm:StartSession, ecs:ExecuteCommand).
    #[serde(skip)]
    pub action: String,
    #[serde(skip)]
    fix_report: Option<FixReport>,
}

#[derive(Debug, Clone)]
struct FixReport {
    policy: String,
    /// What the fix does, in words.
    how: String,
    text: String,
    proof: String,
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

    pub(crate) fn unknown(target: String, principal: Option<String>, reason: String) -> Check {
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
            action: "ssm:StartSession".into(),
            fix_report: None,
        }
    }
}

/// The pre-check acted on before anything is started: warnings said; a denial stops here with
/// its report and the error `denied` makes; what depends on context only AWS sees goes on
/// (AWS decides), refused with `strict`; a check that can't run is one line (a refusal with
/// `strict`). Returns the outcome in a few words (for --dry-run), `allowed` when allowed.
pub fn act_on(
    check: &Check,
    target: String,
    strict: bool,
    allowed: &str,
    denied: impl FnOnce() -> crate::error::Error,
) -> crate::error::Result<String> {
    use crate::error::Error;
    for w in &check.warnings {
        crate::say!("ssmgo: warning: {w}");
    }
    match check.verdict {
        Verdict::Allowed => Ok(allowed.to_owned()),
        Verdict::Denied => {
            crate::output::to_stderr(&render(check));
            Err(denied())
        }
        Verdict::Unknown if check.reason.is_none() => {
            // It depends on context only AWS sees (the source address, MFA, ...): AWS decides.
            crate::output::to_stderr(&render(check));
            let keys = check.depends_on_keys().join(", ");
            if strict {
                return Err(Error::DependsOnContext { target, keys });
            }
            crate::say!("ssmgo: going on: AWS decides (--strict refuses instead)");
            Ok(format!("depends on {keys}; AWS decides"))
        }
        Verdict::Unknown => {
            let reason = check
                .reason
                .as_deref()
                .unwrap_or("unknown reason")
                .to_string();
            if strict {
                return Err(Error::CouldNotCheck { reason });
            }
            crate::say!(
                "ssmgo: the access pre-check could not run ({reason}); going on without it"
            );
            Ok(format!("could not run ({reason})"))
        }
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
