//! ECS Exec, guarded: a shell in a running container, through the same session-manager-plugin
//! as an instance's session. The running tasks' containers are listed ([`api`]), one is picked
//! (the picker's own keys and terminal handling) or named, ecs:ExecuteCommand is pre-checked on
//! the cluster and on the task with the context AWS evaluates ([`guard`]), ExecuteCommand
//! starts the session and the session core hands it to the plugin exactly as the AWS CLI's
//! `ecs execute-command` does; when ECS refuses, the ECS doctor ([`doctor`]) says why. Port
//! forwarding to a container ([`forward`]) is StartSession with the container as its target,
//! through the same tunnel keeper as an instance's.

pub mod api;
pub mod doctor;
mod guard;
pub mod pick;
mod print;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::aws::Aws;
use crate::error::{Error, Result};
use crate::fleet::scopes::{store_cache, LeftOut};
use crate::fleet::{cache, Origin, Scope};
use crate::output::sanitize::Untrusted;
use crate::precheck::{self, Verdict, Who, WhoFailure};
use crate::session::{self, HandOff, Plugin, Request, SessionSpec};
use crate::settings::TagFilters;
pub use print::{write_json, write_table};

/// One container of a running task: a row of `ssmgo ecs list` and of the picker. Serialized
/// whole for the listing's cache (`ecs list --json` writes its own shape, print.rs); where it was
/// listed is not: a cached row learns it again from the scope it is read for.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Container {
    pub cluster_arn: String,
    pub task_arn: String,
    /// The task's group: "service:NAME" for a service's tasks, "family:NAME" otherwise.
    pub group: Option<String>,
    pub name: String,
    pub runtime_id: Option<String>,
    pub last_status: String,
    /// FARGATE, EC2, EXTERNAL, or the capacity provider's name.
    pub launch_type: String,
    pub platform_version: Option<String>,
    pub exec_enabled: bool,
    /// The ExecuteCommandAgent's last status (RUNNING, PENDING, STOPPED), None without one.
    pub agent_status: Option<String>,
    /// Why ECS says the agent stopped, when it says.
    pub agent_reason: Option<String>,
    pub task_definition_arn: String,
    pub task_role_override: Option<String>,
    pub tags: Vec<(String, String)>,
    /// The awsvpc task's network interface.
    pub eni: Option<String>,
    /// The container instance an EC2-launched task runs on (its network, without awsvpc).
    pub container_instance: Option<String>,
    /// Which listing (account/region) it came from: its index among the scopes listed, and,
    /// when several were, which one (JSON adds `profile`, `region`, `account`).
    #[serde(skip)]
    pub scope: usize,
    #[serde(skip)]
    pub origin: Option<Arc<Origin>>,
}

impl Container {
    /// The last part of an ARN: a cluster's name, a task's id.
    fn last_part(arn: &str) -> &str {
        arn.rsplit('/').next().unwrap_or(arn)
    }

    pub fn cluster(&self) -> &str {
        Self::last_part(&self.cluster_arn)
    }

    pub fn task_id(&self) -> &str {
        Self::last_part(&self.task_arn)
    }

    /// The service the task belongs to (its group "service:NAME").
    pub fn service(&self) -> Option<&str> {
        self.group.as_deref()?.strip_prefix("service:")
    }

    /// "cluster/task-id/container", for messages.
    pub fn label(&self) -> String {
        format!("{}/{}/{}", self.cluster(), self.task_id(), self.name)
    }

    /// The plugin's target for this container: `ecs:CLUSTER_TASKID_RUNTIMEID`, as the AWS CLI
    /// builds it from ExecuteCommand's answer and the container's runtime id.
    pub fn plugin_target(&self) -> String {
        format!(
            "ecs:{}_{}_{}",
            self.cluster(),
            self.task_id(),
            self.runtime_id.as_deref().unwrap_or_default()
        )
    }
}

#[cfg(test)]
impl Container {
    /// A healthy container for unit tests: Fargate 1.4.0, exec enabled, agent RUNNING, in
    /// service "web" of cluster "prod", tagged Env=prod.
    pub(crate) fn example() -> Container {
        Container {
            cluster_arn: "arn:aws:ecs:us-east-1:123456789012:cluster/prod".into(),
            task_arn:
                "arn:aws:ecs:us-east-1:123456789012:task/prod/0123456789abcdef0123456789abcdef"
                    .into(),
            group: Some("service:web".into()),
            name: "app".into(),
            runtime_id: Some("0123456789abcdef0123456789abcdef-1234567890".into()),
            last_status: "RUNNING".into(),
            launch_type: "FARGATE".into(),
            platform_version: Some("1.4.0".into()),
            exec_enabled: true,
            agent_status: Some("RUNNING".into()),
            agent_reason: None,
            task_definition_arn: String::new(),
            task_role_override: None,
            tags: vec![("Env".into(), "prod".into())],
            eni: None,
            container_instance: None,
            scope: 0,
            origin: None,
        }
    }
}

/// A cluster's tags and execute-command configuration.
#[derive(Debug, Clone, Default)]
pub struct Cluster {
    pub arn: String,
    pub tags: Vec<(String, String)>,
    pub exec: ExecConfig,
}

/// The cluster's executeCommandConfiguration: the KMS key sessions are encrypted with, and
/// where their logs go (logging OVERRIDE: S3 and/or CloudWatch Logs).
#[derive(Debug, Clone, Default)]
pub struct ExecConfig {
    pub kms_key: Option<String>,
    pub logging: Option<String>,
    pub s3_bucket: Option<String>,
    pub s3_prefix: Option<String>,
    pub log_group: Option<String>,
}

/// What the doctor needs of a task definition.
#[derive(Debug, Clone, Default)]
pub struct TaskDefinition {
    pub task_role_arn: Option<String>,
    pub network_mode: Option<String>,
    /// The containers with readonlyRootFilesystem.
    pub read_only: Vec<String>,
}

/// Which containers to consider.
#[derive(Debug, Clone, Default)]
pub struct Select {
    pub clusters: Vec<String>,
    pub service: Option<String>,
    pub container: Option<String>,
    /// The task's tags, as `-t` filters instances (globs, alternatives, KEY alone).
    pub tags: TagFilters,
}

impl Select {
    fn keeps(&self, c: &Container) -> bool {
        self.container.as_ref().is_none_or(|n| &c.name == n)
            && self.tags.iter().all(|filter| filter.matches(&c.tags))
            && c.last_status == "RUNNING"
    }

    /// The containers of `rows` it keeps, sorted by where, cluster, service, task and container.
    fn kept(&self, mut rows: Vec<Container>) -> Vec<Container> {
        rows.retain(|c| self.keeps(c));
        rows.sort_by(|a, b| {
            (a.scope, a.cluster(), a.service(), a.task_id(), &a.name).cmp(&(
                b.scope,
                b.cluster(),
                b.service(),
                b.task_id(),
                &b.name,
            ))
        });
        rows
    }

    /// What ECS is asked for (the rest is kept or not by ssmgo), as a cached listing's filter:
    /// the same clusters and service find the same listing.
    fn asked(&self) -> String {
        format!(
            "clusters={} service={}",
            self.clusters.join(","),
            self.service.as_deref().unwrap_or("*")
        )
    }
}

/// A listing of the containers in several scopes (accounts/regions).
pub struct Listing {
    /// Sorted by where, cluster, service, task and container.
    pub rows: Vec<Container>,
    /// The scopes that could not be listed, each said on stderr as it was left out.
    pub left_out: Vec<LeftOut>,
    /// Their indexes among the scopes.
    pub unlisted: Vec<usize>,
}

/// The running containers `select` keeps in every scope (account/region) at once, and the scopes
/// that could not be listed. Only when none could be listed is it an error. Each scope's listing
/// is cached for the picker's next start.
pub async fn list(scopes: &[Scope], select: &Select) -> Result<Listing> {
    let listed = futures::future::join_all(scopes.iter().map(|scope| async move {
        let found =
            api::containers(&scope.aws, &select.clusters, select.service.as_deref()).await?;
        store_cache(scope, select.asked(), &found);
        Ok::<_, Error>(found)
    }))
    .await;
    let (mut rows, mut left_out, mut unlisted, mut first_error) =
        (Vec::new(), Vec::new(), Vec::new(), None);
    for (n, (scope, listed)) in scopes.iter().zip(listed).enumerate() {
        match listed {
            Ok(found) => rows.extend(found.into_iter().map(|c| in_scope(c, n, scope))),
            Err(e) if scopes.len() == 1 => return Err(e),
            Err(e) => {
                left_out.push(LeftOut::scope(scope, &e));
                unlisted.push(n);
                first_error.get_or_insert(e);
            }
        }
    }
    if let (Some(e), true) = (first_error, left_out.len() == scopes.len()) {
        return Err(e);
    }
    Ok(Listing {
        rows: select.kept(rows),
        left_out,
        unlisted,
    })
}

/// What the last listings of `scopes` said (no older than `ttl`), as [`list`] would: the
/// containers `select` keeps, sorted. A cache that can't be used is said with --verbose.
fn cached(scopes: &[Scope], select: &Select, ttl: std::time::Duration) -> Vec<Container> {
    let mut rows = Vec::new();
    for (n, scope) in scopes.iter().enumerate() {
        match cache::load::<Container>(&scope.cache_key(select.asked()), ttl) {
            Ok(hit) => rows.extend(hit.rows.into_iter().map(|c| in_scope(c, n, scope))),
            Err(cache::Miss::Absent) => {}
            Err(miss) if scope.aws.verbose() => {
                crate::say!("ssmgo: cached listing not used: {miss}")
            }
            Err(_) => {}
        }
    }
    select.kept(rows)
}

/// A container as listed in the `n`th scope.
fn in_scope(c: Container, n: usize, scope: &Scope) -> Container {
    Container {
        scope: n,
        origin: scope.origin.clone(),
        ..c
    }
}

impl cache::Rows for Container {
    const FILES: &'static str = cache::CONTAINERS;
}

/// Whether `word` names a task: its ARN, or its id (32 hex digits, or the older UUID form).
fn is_task_name(word: &str) -> bool {
    let hex = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
    word.starts_with("arn:") && word.contains(":task/") || (word.len() >= 32 && hex(word))
}

/// The container to open: TARGET's task (its id or ARN) when it names one; otherwise, where the
/// picker may open (`picking`) and a person can be asked, the picker over the running
/// containers, pre-filled with the query and opened on the last listing ([`pick`]); otherwise
/// the one container whose row has every word of the query.
pub async fn resolve(
    scopes: &[Scope],
    select: &Select,
    target: Option<&str>,
    picking: Option<pick::Options>,
) -> Result<Container> {
    let task = target.filter(|t| is_task_name(t));
    let may_pick = picking.is_some() && crate::output::can_ask();
    if let (Some(options), None, true) = (picking, task, may_pick) {
        return pick::pick(scopes, select, target, options).await;
    }
    let rows = list(scopes, select).await?.rows;
    let what = || what(target);
    if let Some(task) = task {
        let named: Vec<Container> = rows
            .into_iter()
            .filter(|c| c.task_arn == task || c.task_id() == task)
            .collect();
        return match named.len() {
            0 => Err(Error::EcsNoMatch {
                what: format!("the task {}", what()),
            }),
            1 => Ok(named.into_iter().next().expect("one")),
            // A task of several containers: which one is picked, or --container says.
            _ if may_pick => pick::among(named).await,
            count => Err(Error::EcsAmbiguous {
                what: what(),
                count,
            }),
        };
    }
    // Without the picker a query narrows the containers itself: every word of it in the row the
    // picker would show (cluster, service, task, container …), case aside.
    let query = target.map(str::to_lowercase);
    let mut candidates: Vec<Container> = rows
        .into_iter()
        .filter(|c| {
            let line = print::picker_line(c).to_lowercase();
            query
                .iter()
                .flat_map(|q| q.split_whitespace())
                .all(|word| line.contains(word))
        })
        .collect();
    match candidates.len() {
        0 => Err(Error::EcsNoMatch { what: what() }),
        1 => Ok(candidates.remove(0)),
        count => Err(Error::EcsAmbiguous {
            what: what(),
            count,
        }),
    }
}

/// What TARGET asked for, in an error.
fn what(target: Option<&str>) -> String {
    match target {
        Some(t) => format!("{t:?}"),
        None => "the filters given".to_owned(),
    }
}

/// What `ssmgo ecs` does once the container is known.
pub struct Exec {
    pub command: String,
    pub dry_run: bool,
    pub no_check: bool,
    pub strict: bool,
}

/// Pre-checks ecs:ExecuteCommand on the container, starts the session with ExecuteCommand and
/// hands it to the plugin; a refusal on the task's side runs the doctor's short form.
pub async fn exec(aws: &Aws, container: &Container, how: &Exec) -> Result<()> {
    let plugin = match how.dry_run {
        true => Plugin::find().ok(),
        false => Some(Plugin::find()?),
    };
    let who = match how.no_check {
        true => None,
        false => Some(precheck::whoami(aws, None, None).await),
    };
    let summary = match &who {
        None => "skipped (--no-check)".to_owned(),
        Some(who) => guard::pre_check(aws, who, container, how.strict).await?,
    };
    let request = Request::new(
        container.plugin_target(),
        SessionSpec::new(None, None, None)?,
    );
    let Some(plugin) = plugin.filter(|_| !how.dry_run) else {
        return print::dry_run(aws, container, how, &summary, &request).await;
    };
    crate::say!(
        "ssmgo: running {} in {}",
        Untrusted(&how.command),
        Untrusted(&container.label())
    );
    let endpoint = aws.ecs_endpoint().await;
    let refused = std::sync::Mutex::new(None);
    let start = async {
        api::execute_command(aws, container, &how.command)
            .await
            .map_err(|r| match r {
                api::Refused::Other(e) => e,
                r => {
                    let error = refusal_error(container, &r);
                    *refused.lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
                    error
                }
            })
    };
    let handed = HandOff {
        request: &request,
        plugin: &plugin,
        interrupt_ends_it: false,
        endpoint: &endpoint,
    };
    let outcome = session::hand_off(aws, handed, start, || {}).await;
    let refused = refused.into_inner().unwrap_or_else(|e| e.into_inner());
    match (outcome, refused) {
        (Err(e), Some(api::Refused::Denied(_))) => {
            // Only AWS's own request context was left to decide (or the pre-check was skipped).
            let who = match who {
                Some(who) => who,
                None => precheck::whoami(aws, None, None).await,
            };
            precheck::say_why_refused(&guard::check(aws, &who, container).await);
            Err(e)
        }
        (Err(e), Some(api::Refused::TaskSide { .. })) => {
            // The doctor's short form: the causes it finds, before the error.
            let who = who.as_ref().and_then(|w| w.as_ref().ok());
            let report = doctor::examine(aws, container, who).await;
            crate::output::to_stderr(&doctor::render_problems(&report));
            Err(e)
        }
        (outcome, _) => outcome,
    }
}

/// What `ssmgo ecs forward` does once the container is known: one tunnel per session spec (the
/// port-forwarding document and its parameters), with its purpose and local port.
pub struct Forward {
    pub tunnels: Vec<(String, u16, SessionSpec)>,
    pub dry_run: bool,
    pub no_check: bool,
    pub strict: bool,
    pub reconnect: bool,
    pub keep_alive: Option<std::time::Duration>,
}

/// Pre-checks ssm:StartSession for each tunnel's document on the container's task, then keeps
/// each tunnel up (StartSession with the target `ecs:CLUSTER_TASKID_RUNTIMEID`, as the AWS CLI
/// names a container, handed to the plugin) until Ctrl-C.
pub async fn forward(aws: &Aws, container: &Container, how: Forward) -> Result<()> {
    let plugin = match how.dry_run {
        true => Plugin::find().ok(),
        false => Some(Plugin::find()?),
    };
    let mut summaries: Vec<String> = Vec::new();
    if how.no_check {
        summaries.push("skipped (--no-check)".to_owned());
    } else {
        // Each document once: a tunnel to the container and one through it are two.
        let mut documents: Vec<&str> = how
            .tunnels
            .iter()
            .filter_map(|(_, _, spec)| spec.document.as_deref())
            .collect();
        documents.sort_unstable();
        documents.dedup();
        for document in documents {
            let who = precheck::whoami(aws, Some(document), None).await;
            let summary = guard::forward_pre_check(aws, &who, container, how.strict).await?;
            if !summaries.contains(&summary) {
                summaries.push(summary);
            }
        }
    }
    let target = container.plugin_target();
    let requests: Vec<Request> = how
        .tunnels
        .iter()
        .map(|(_, _, spec)| Request::new(target.clone(), spec.clone()))
        .collect();
    let Some(plugin) = plugin.filter(|_| !how.dry_run) else {
        return print::forward_dry_run(container, &summaries.join("; "), &requests);
    };
    let locals: Vec<u16> = how.tunnels.iter().map(|(_, local, _)| *local).collect();
    let label = container.label();
    let tunnels = how
        .tunnels
        .iter()
        .zip(&requests)
        .map(|((purpose, _, _), request)| {
            let plugin = &plugin;
            let label = &label;
            let reconnect = how.reconnect;
            let run = async move {
                crate::say!("ssmgo: starting {purpose} on {}", Untrusted(label));
                match reconnect {
                    true => crate::launch::keep_up(aws, request, plugin, || {}).await,
                    false => session::start_and_hand_off(aws, request, plugin, true, || {}).await,
                }
            };
            (purpose.clone(), run)
        })
        .collect();
    match crate::launch::run_tunnels(tunnels, &locals, how.keep_alive).await {
        Err(e @ Error::SessionDenied { .. }) => {
            let mut documents: Vec<&str> = how
                .tunnels
                .iter()
                .filter_map(|(_, _, spec)| spec.document.as_deref())
                .collect();
            documents.dedup();
            for document in documents {
                let who = precheck::whoami(aws, Some(document), None).await;
                precheck::say_why_refused(&guard::forward_check(aws, &who, container).await);
            }
            Err(e)
        }
        // SSM's advice is an instance's: the ECS doctor's short form says what is wrong with
        // the container instead.
        Err(Error::TargetNotConnected {
            target, message, ..
        }) => {
            let who = precheck::whoami(aws, None, None).await;
            let report = doctor::examine(aws, container, who_of(&who)).await;
            crate::output::to_stderr(&doctor::render_problems(&report));
            Err(Error::TargetNotConnected {
                target,
                message,
                next: format!(
                    "The container's agent can't take the session (exec not enabled, its ExecuteCommandAgent not RUNNING, the task role without the ssmmessages actions, no path to ssmmessages); `ssmgo ecs doctor {} --container {}` finds which",
                    container.task_arn, container.name
                ),
            })
        }
        other => other,
    }
}

/// ExecuteCommand's refusal as our error.
fn refusal_error(container: &Container, refused: &api::Refused) -> Error {
    match refused {
        api::Refused::Denied(message) => Error::EcsExecDenied {
            target: container.label(),
            message: message.clone(),
        },
        api::Refused::TaskSide { code, message } => Error::EcsExecRefused {
            target: container.label(),
            message: format!("{code}: {message}"),
            task: format!("{} --container {}", container.task_arn, container.name),
        },
        api::Refused::Other(_) => unreachable!("handled by the caller"),
    }
}

/// The pre-check alone (`ssmgo ecs check`): the report, and its verdict as the exit status.
pub async fn check(aws: &Aws, container: &Container, json: bool) -> Result<()> {
    let who = precheck::whoami(aws, None, None).await;
    let check = guard::check(aws, &who, container).await;
    if json {
        crate::output::write_json_value(
            &serde_json::to_value(&check).expect("a check serializes"),
        )?;
    } else {
        crate::output::write_text(&precheck::render(&check))?;
    }
    match check.verdict {
        Verdict::Allowed => Ok(()),
        Verdict::Denied => Err(Error::PolicyDenied { decision: "denied" }),
        Verdict::Unknown if check.reason.is_none() => Err(Error::DependsOnContext {
            target: container.label(),
            keys: check.depends_on_keys().join(", "),
        }),
        Verdict::Unknown => Err(Error::CouldNotCheck {
            reason: check.reason.unwrap_or_default(),
        }),
    }
}

/// Whether the pre-check's caller could be looked up (for the doctor's caller checks).
pub fn who_of(who: &std::result::Result<Who, WhoFailure>) -> Option<&Who> {
    who.as_ref().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn container() -> Container {
        Container::example()
    }

    #[test]
    fn the_plugin_target_is_the_aws_clis() {
        let c = container();
        assert_eq!(
            c.plugin_target(),
            "ecs:prod_0123456789abcdef0123456789abcdef_0123456789abcdef0123456789abcdef-1234567890"
        );
        assert_eq!(c.service(), Some("web"));
        assert_eq!(c.label(), "prod/0123456789abcdef0123456789abcdef/app");
    }

    #[test]
    fn a_cached_container_comes_back_whole_but_for_where_it_was_listed() {
        let mut c = container();
        c.agent_reason = Some("the agent \"stopped\"".into());
        c.eni = Some("eni-0123".into());
        c.container_instance = Some("arn:aws:ecs:us-east-1:1:container-instance/x".into());
        c.task_role_override = Some("arn:aws:iam::1:role/r".into());
        let text = serde_json::to_string(&c).unwrap();
        let back: Container = serde_json::from_str(&text).unwrap();
        assert_eq!(format!("{back:?}"), format!("{c:?}"));
        assert_eq!(<Container as cache::Rows>::FILES, "containers");
        let elsewhere = Container {
            scope: 3,
            origin: Some(Arc::new(Origin {
                profile: None,
                region: "eu-west-1".into(),
                account: None,
                account_name: None,
            })),
            ..c.clone()
        };
        let back: Container =
            serde_json::from_str(&serde_json::to_string(&elsewhere).unwrap()).unwrap();
        assert_eq!(
            (back.scope, back.origin.is_none()),
            (0, true),
            "the scope says it again"
        );
    }

    #[test]
    fn task_ids_and_arns_are_told_from_queries() {
        assert!(is_task_name("0123456789abcdef0123456789abcdef"));
        assert!(is_task_name("8772314e-3cbc-43b1-a7e0-2bd7c889583d"));
        assert!(is_task_name(&container().task_arn));
        assert!(!is_task_name("web"));
        assert!(!is_task_name("deadbeef"));
    }

    #[test]
    fn selection_keeps_running_containers_with_the_tags_and_name() {
        let c = container();
        let mut s = Select::default();
        assert!(s.keeps(&c));
        s.tags = TagFilters::parse(&["Env=dev"]).unwrap();
        assert!(!s.keeps(&c));
        s.tags = TagFilters::parse(&["Env=pr*"]).unwrap();
        s.container = Some("sidecar".into());
        assert!(!s.keeps(&c));
        s.container = Some("app".into());
        assert!(s.keeps(&c));
        let stopped = Container {
            last_status: "STOPPED".into(),
            ..c
        };
        assert!(!s.keeps(&stopped));
    }
}
