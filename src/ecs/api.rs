//! The ECS calls ECS Exec needs, behind functions that return our own types: the running tasks'
//! containers (ListClusters, ListTasks, DescribeTasks: paged, the clusters listed concurrently),
//! a cluster's execute-command configuration, a task definition's roles and containers, and
//! ExecuteCommand itself.

use aws_sdk_ecs::types::{ClusterField, DesiredStatus, TaskField};

use super::{Cluster, Container, ExecConfig, TaskDefinition};
use crate::aws::{is_service_error, Aws};
use crate::doctor::api::Placement;
use crate::error::{Error, Result};
use crate::session::Started;

/// DescribeTasks takes at most 100 tasks (ECS API Reference).
const DESCRIBE_BATCH: usize = 100;

/// How many clusters are listed at once.
const CONCURRENT_CLUSTERS: usize = 8;

/// Every cluster's ARN (ListClusters, every page).
pub async fn cluster_arns(aws: &Aws) -> Result<Vec<String>> {
    let mut arns = Vec::new();
    let mut next = None;
    loop {
        let out = aws
            .ecs()
            .list_clusters()
            .set_next_token(next)
            .send()
            .await
            .map_err(|e| aws.explain("ecs:ListClusters", e))?;
        arns.extend(out.cluster_arns().iter().cloned());
        next = out.next_token().map(str::to_owned);
        if next.is_none() {
            return Ok(arns);
        }
    }
}

/// The running tasks' containers of `clusters` (all of them when empty), of one service when
/// `service` is given: the clusters at once, each one's tasks a page at a time.
pub async fn containers(
    aws: &Aws,
    clusters: &[String],
    service: Option<&str>,
) -> Result<Vec<Container>> {
    use futures::stream::{self, StreamExt, TryStreamExt};
    let clusters = match clusters.is_empty() {
        true => cluster_arns(aws).await?,
        false => clusters.to_vec(),
    };
    let per_cluster: Vec<Vec<Container>> = stream::iter(clusters)
        .map(|cluster| async move { cluster_containers(aws, &cluster, service).await })
        .buffered(CONCURRENT_CLUSTERS)
        .try_collect()
        .await?;
    Ok(per_cluster.into_iter().flatten().collect())
}

async fn cluster_containers(
    aws: &Aws,
    cluster: &str,
    service: Option<&str>,
) -> Result<Vec<Container>> {
    let mut arns = Vec::new();
    let mut next = None;
    loop {
        let sent = aws
            .ecs()
            .list_tasks()
            .cluster(cluster)
            .set_service_name(service.map(str::to_owned))
            .desired_status(DesiredStatus::Running)
            .set_next_token(next)
            .send()
            .await;
        let out = match sent {
            Ok(out) => out,
            // A --cluster that is in another of the regions listed: nothing runs here.
            Err(e) if is_service_error(&e, "ClusterNotFoundException") => return Ok(Vec::new()),
            Err(e) => return Err(aws.explain("ecs:ListTasks", e)),
        };
        arns.extend(out.task_arns().iter().cloned());
        next = out.next_token().map(str::to_owned);
        if next.is_none() {
            break;
        }
    }
    let mut containers = Vec::new();
    for batch in arns.chunks(DESCRIBE_BATCH) {
        containers.extend(describe(aws, cluster, batch).await?);
    }
    Ok(containers)
}

/// The containers of the tasks `arns` (ids or ARNs) of `cluster`, with the tasks' tags.
pub async fn describe(aws: &Aws, cluster: &str, arns: &[String]) -> Result<Vec<Container>> {
    let out = aws
        .ecs()
        .describe_tasks()
        .cluster(cluster)
        .set_tasks(Some(arns.to_vec()))
        .include(TaskField::Tags)
        .send()
        .await
        .map_err(|e| aws.explain("ecs:DescribeTasks", e))?;
    let mut rows = Vec::new();
    for task in out.tasks() {
        let task_arn = task.task_arn().unwrap_or_default().to_owned();
        let cluster_arn = task.cluster_arn().unwrap_or(cluster).to_owned();
        let tags: Vec<(String, String)> = task
            .tags()
            .iter()
            .map(|t| {
                (
                    t.key().unwrap_or_default().to_owned(),
                    t.value().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        let detail = |name: &str| -> Option<String> {
            task.attachments()
                .iter()
                .flat_map(|a| a.details())
                .find(|d| d.name() == Some(name))
                .and_then(|d| d.value().map(str::to_owned))
        };
        let eni = detail("networkInterfaceId");
        let launch_type = task
            .launch_type()
            .map(|l| l.as_str().to_owned())
            .or_else(|| task.capacity_provider_name().map(str::to_owned))
            .unwrap_or_default();
        for c in task.containers() {
            let agent = c
                .managed_agents()
                .iter()
                .find(|a| a.name().map(|n| n.as_str()) == Some("ExecuteCommandAgent"));
            let agent_status = agent.and_then(|a| a.last_status().map(str::to_owned));
            let agent_reason = agent.and_then(|a| a.reason().map(str::to_owned));
            rows.push(Container {
                cluster_arn: cluster_arn.clone(),
                task_arn: task_arn.clone(),
                group: task.group().map(str::to_owned),
                name: c.name().unwrap_or_default().to_owned(),
                runtime_id: c.runtime_id().map(str::to_owned),
                last_status: c.last_status().unwrap_or_default().to_owned(),
                launch_type: launch_type.clone(),
                platform_version: task.platform_version().map(str::to_owned),
                exec_enabled: task.enable_execute_command(),
                agent_status,
                agent_reason,
                task_definition_arn: task.task_definition_arn().unwrap_or_default().to_owned(),
                task_role_override: task
                    .overrides()
                    .and_then(|o| o.task_role_arn())
                    .map(str::to_owned),
                tags: tags.clone(),
                eni: eni.clone(),
                container_instance: task.container_instance_arn().map(str::to_owned),
                // Set by the listing of several scopes.
                scope: 0,
                origin: None,
            });
        }
    }
    Ok(rows)
}

/// The cluster's tags and its execute-command configuration (DescribeClusters).
pub async fn cluster(aws: &Aws, cluster: &str) -> Result<Cluster> {
    let out = aws
        .ecs()
        .describe_clusters()
        .clusters(cluster)
        .include(ClusterField::Tags)
        .include(ClusterField::Configurations)
        .send()
        .await
        .map_err(|e| aws.explain("ecs:DescribeClusters", e))?;
    let Some(c) = out.clusters().first() else {
        return Err(Error::EcsNoMatch {
            what: format!("the cluster {cluster}"),
        });
    };
    let exec = c
        .configuration()
        .and_then(|conf| conf.execute_command_configuration());
    let log = exec.and_then(|e| e.log_configuration());
    Ok(Cluster {
        arn: c.cluster_arn().unwrap_or(cluster).to_owned(),
        tags: c
            .tags()
            .iter()
            .map(|t| {
                (
                    t.key().unwrap_or_default().to_owned(),
                    t.value().unwrap_or_default().to_owned(),
                )
            })
            .collect(),
        exec: ExecConfig {
            kms_key: exec.and_then(|e| e.kms_key_id()).map(str::to_owned),
            logging: exec
                .and_then(|e| e.logging())
                .map(|l| l.as_str().to_owned()),
            s3_bucket: log.and_then(|l| l.s3_bucket_name()).map(str::to_owned),
            s3_prefix: log.and_then(|l| l.s3_key_prefix()).map(str::to_owned),
            log_group: log
                .and_then(|l| l.cloud_watch_log_group_name())
                .map(str::to_owned),
        },
    })
}

/// The task definition's task role and its containers' read-only root file systems.
pub async fn task_definition(aws: &Aws, arn: &str) -> Result<TaskDefinition> {
    let out = aws
        .ecs()
        .describe_task_definition()
        .task_definition(arn)
        .send()
        .await
        .map_err(|e| aws.explain("ecs:DescribeTaskDefinition", e))?;
    let def = out.task_definition();
    Ok(TaskDefinition {
        task_role_arn: def.and_then(|d| d.task_role_arn()).map(str::to_owned),
        network_mode: def
            .and_then(|d| d.network_mode())
            .map(|m| m.as_str().to_owned()),
        read_only: def
            .map(|d| {
                d.container_definitions()
                    .iter()
                    .filter(|c| c.readonly_root_filesystem() == Some(true))
                    .filter_map(|c| c.name().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default(),
    })
}

/// Where an awsvpc task's network interface is: its VPC, subnet, addresses and security groups,
/// as the network check reads an instance's (ec2:DescribeNetworkInterfaces).
/// The EC2 instance behind a container instance of `cluster` (DescribeContainerInstances), None
/// when ECS does not know it (or it is an external one, registered without EC2).
pub async fn container_instance_ec2(
    aws: &Aws,
    cluster: &str,
    container_instance: &str,
) -> Result<Option<String>> {
    let out = aws
        .ecs()
        .describe_container_instances()
        .cluster(cluster)
        .container_instances(container_instance)
        .send()
        .await
        .map_err(|e| aws.explain("ecs:DescribeContainerInstances", e))?;
    Ok(out
        .container_instances()
        .first()
        .and_then(|c| c.ec2_instance_id())
        .map(str::to_owned))
}

pub async fn eni_placement(aws: &Aws, eni: &str) -> Result<Option<Placement>> {
    let out = aws
        .ec2
        .describe_network_interfaces()
        .network_interface_ids(eni)
        .send()
        .await
        .map_err(|e| aws.explain("ec2:DescribeNetworkInterfaces", e))?;
    let Some(n) = out.network_interfaces().first() else {
        return Ok(None);
    };
    Ok(Some(Placement {
        vpc: n.vpc_id().map(str::to_owned),
        subnet: n.subnet_id().map(str::to_owned),
        private_ip: n.private_ip_address().map(str::to_owned),
        public_ip: n
            .association()
            .and_then(|a| a.public_ip())
            .map(str::to_owned),
        running: true,
        groups: n
            .groups()
            .iter()
            .filter_map(|g| g.group_id().map(str::to_owned))
            .collect(),
        profile_arn: None,
        http_tokens: None,
    }))
}

/// Why ExecuteCommand was refused, in AWS's words: access (the caller's policies), or the task's
/// side (exec not enabled, the agent not running, its channel not up).
pub enum Refused {
    Denied(String),
    TaskSide {
        code: String,
        message: String,
    },
    /// Anything else (the network, credentials, throttling), explained as every call is.
    Other(Error),
}

/// How often ExecuteCommand is tried when AWS throttles it (a throttled call was not carried
/// out); other failures are never retried blindly: each call starts a session.
const THROTTLED_ATTEMPTS: u32 = 5;

/// ExecuteCommand, interactive as ECS requires: the session to hand to the plugin. Like
/// StartSession it is not idempotent, so the SDK does not retry it; when its answer may have been
/// lost after ECS carried it out, the caller's sessions on the container started since are found
/// and terminated, and the error says so.
pub async fn execute_command(
    aws: &Aws,
    container: &Container,
    command: &str,
) -> std::result::Result<Started, Refused> {
    use aws_config::retry::RetryConfig;
    use aws_sdk_ecs::error::{ProvideErrorMetadata, SdkError};
    let asked_at = std::time::SystemTime::now();
    let mut attempt = 1;
    let sent = loop {
        let sent = aws
            .ecs()
            .execute_command()
            .cluster(&container.cluster_arn)
            .task(&container.task_arn)
            .container(&container.name)
            .command(command)
            .interactive(true)
            .customize()
            .config_override(
                aws_sdk_ecs::config::Builder::default().retry_config(RetryConfig::disabled()),
            )
            .send()
            .await;
        match sent {
            Err(e)
                if attempt < THROTTLED_ATTEMPTS
                    && ["ThrottlingException", "Throttling"]
                        .iter()
                        .any(|c| is_service_error(&e, c)) =>
            {
                tokio::time::sleep(std::time::Duration::from_millis(200 << attempt)).await;
                attempt += 1;
            }
            other => break other,
        }
    };
    match sent {
        Ok(out) => {
            let session = out.session();
            Ok(Started {
                session_id: session
                    .and_then(|s| s.session_id())
                    .unwrap_or_default()
                    .to_owned(),
                token_value: session
                    .and_then(|s| s.token_value())
                    .unwrap_or_default()
                    .to_owned(),
                stream_url: session
                    .and_then(|s| s.stream_url())
                    .unwrap_or_default()
                    .to_owned(),
            })
        }
        Err(
            e @ (SdkError::DispatchFailure(_)
            | SdkError::TimeoutError(_)
            | SdkError::ResponseError(_)),
        ) => Err(Refused::Other(lost(aws, container, asked_at, e).await)),
        Err(e) => {
            let code = e.code().unwrap_or_default().to_owned();
            let message = e.message().unwrap_or_default().to_owned();
            Err(match code.as_str() {
                "AccessDeniedException" => Refused::Denied(message),
                "InvalidParameterException" | "TargetNotConnectedException" => {
                    Refused::TaskSide { code, message }
                }
                _ => Refused::Other(aws.explain("ecs:ExecuteCommand", e)),
            })
        }
    }
}

/// ExecuteCommand's answer did not arrive: ends whatever the call may have started.
async fn lost<E>(
    aws: &Aws,
    container: &Container,
    asked_at: std::time::SystemTime,
    err: aws_sdk_ecs::error::SdkError<
        E,
        aws_smithy_runtime_api::client::orchestrator::HttpResponse,
    >,
) -> Error
where
    E: aws_sdk_ecs::error::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let dispatch = matches!(err, aws_sdk_ecs::error::SdkError::DispatchFailure(_));
    let original = aws.explain("ecs:ExecuteCommand", err);
    let target = container.plugin_target();
    let Some(outcome) = crate::session::lost_outcome(aws, &target, asked_at, dispatch).await else {
        return original;
    };
    Error::EcsExecLost {
        target: container.label(),
        detail: original.headline(),
        outcome,
    }
}
