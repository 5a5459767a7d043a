//! The ECS Exec pre-check: ecs:ExecuteCommand simulated once on the cluster and once on the task
//! (the Service Authorization Reference lists both resources for it), each with the context AWS
//! evaluates — ecs:cluster, ecs:container-name, ecs:task, and that resource's own tags as
//! aws:ResourceTag/K and ecs:ResourceTag/K — through the instance pre-check's machinery, so a
//! denial is explained statement by statement and what hangs on MFA or the source address is
//! "AWS decides", not a denial.

use super::{api, Container};
use crate::aws::Aws;
use crate::error::{Error, Result};
use crate::precheck::context::{resource_tag_entries, Entry};
use crate::precheck::{self, Check, Checked, Kind, Who, WhoFailure};

pub const ACTION: &str = "ecs:ExecuteCommand";

/// Port forwarding to a container is not ExecuteCommand but ssm:StartSession with the target
/// `ecs:CLUSTER_TASKID_RUNTIMEID`.
pub const START_SESSION: &str = "ssm:StartSession";

/// The request's own condition keys, the same for both resources.
fn request_keys(container: &Container) -> Vec<Entry> {
    let entry = |key: &str, value: &str| Entry {
        key: key.to_owned(),
        values: vec![value.to_owned()],
        source: "the ExecuteCommand request".to_owned(),
    };
    vec![
        entry("ecs:cluster", &container.cluster_arn),
        entry("ecs:container-name", &container.name),
        entry("ecs:task", &container.task_arn),
    ]
}

/// Who is asking, or the pre-check of `action` that could not run because that is unknown.
fn known<'a>(
    who: &'a std::result::Result<Who, WhoFailure>,
    container: &Container,
    action: &str,
) -> std::result::Result<&'a Who, Box<Check>> {
    who.as_ref().map_err(|(principal, reason)| {
        let mut unknown = Check::unknown(container.label(), principal.clone(), reason.clone());
        unknown.action = action.to_owned();
        Box::new(unknown)
    })
}

/// The pre-check's findings for `container` as `who`. Never fails (an unreadable cluster is a
/// warning; its tags are then left out).
pub async fn check(
    aws: &Aws,
    who: &std::result::Result<Who, WhoFailure>,
    container: &Container,
) -> Check {
    let who = match known(who, container, ACTION) {
        Ok(who) => who,
        Err(unknown) => return *unknown,
    };
    let (cluster, warning) = match api::cluster(aws, &container.cluster_arn).await {
        Ok(c) => (c.tags, None),
        Err(e) => (
            Vec::new(),
            Some(format!(
                "the cluster's tags could not be read ({}), so they were left out of its context",
                e.headline()
            )),
        ),
    };
    let base = who.base_context();
    let with = |tags: &[(String, String)], source: &str| -> Vec<Entry> {
        base.iter()
            .cloned()
            .chain(request_keys(container))
            .chain(resource_tag_entries(tags, "ecs:ResourceTag/", source))
            .collect()
    };
    let resources = vec![
        Checked {
            arn: container.cluster_arn.clone(),
            kind: Kind::Cluster,
            context: with(&cluster, "the cluster's tags"),
            tags: cluster.clone(),
        },
        Checked {
            arn: container.task_arn.clone(),
            kind: Kind::Task,
            context: with(&container.tags, "the task's tags"),
            tags: container.tags.clone(),
        },
    ];
    let mut check =
        precheck::check_resources(aws, who, ACTION, container.label(), base, resources).await;
    check.warnings.extend(warning);
    check
}

/// The pre-check acted on ([`precheck::act_on`]): a denial stops here, explained (exit 3).
/// Returns the outcome in a few words.
pub async fn pre_check(
    aws: &Aws,
    who: &std::result::Result<Who, WhoFailure>,
    container: &Container,
    strict: bool,
) -> Result<String> {
    let check = check(aws, who, container).await;
    precheck::act_on(
        &check,
        container.label(),
        strict,
        "allowed (cluster and task)",
        || Error::EcsPrecheckDenied {
            target: container.label(),
            task: format!("{} --container {}", container.task_arn, container.name),
        },
    )
}

/// The pre-check of a port forward to `container` (ssm:StartSession with an `ecs:` target) as
/// `who`, whose document is the tunnel's: StartSession is authorized on the session document, as
/// for an instance, and on the task (the Service Authorization Reference lists the ECS task among
/// StartSession's resources; the ECS Developer Guide's "Limiting access to the Start Session
/// action" names `task/CLUSTER/*`), with the task's tags as aws:ResourceTag/K.
pub async fn forward_check(
    aws: &Aws,
    who: &std::result::Result<Who, WhoFailure>,
    container: &Container,
) -> Check {
    let who = match known(who, container, START_SESSION) {
        Ok(who) => who,
        Err(unknown) => return *unknown,
    };
    let base = who.base_context();
    let global_tags = |tags: &[(String, String)], source: &str| -> Vec<Entry> {
        base.iter()
            .cloned()
            .chain(
                resource_tag_entries(tags, "ssm:resourceTag/", source)
                    .into_iter()
                    .filter(|e| e.key.starts_with("aws:")),
            )
            .collect()
    };
    let (document, document_tags) = who.document();
    let document =
        crate::aws::arn::document_arn(who.partition(), aws.region(), who.account(), document);
    let resources = vec![
        Checked {
            arn: document,
            kind: Kind::Document,
            context: global_tags(document_tags, "the document's tags"),
            tags: document_tags.to_vec(),
        },
        Checked {
            arn: container.task_arn.clone(),
            kind: Kind::Task,
            context: global_tags(&container.tags, "the task's tags"),
            tags: container.tags.clone(),
        },
    ];
    precheck::check_resources(aws, who, START_SESSION, container.label(), base, resources).await
}

/// [`forward_check`] acted on: a denial stops before StartSession, explained (exit 3).
pub async fn forward_pre_check(
    aws: &Aws,
    who: &std::result::Result<Who, WhoFailure>,
    container: &Container,
    strict: bool,
) -> Result<String> {
    let check = forward_check(aws, who, container).await;
    precheck::act_on(
        &check,
        container.label(),
        strict,
        "allowed (document and task)",
        || Error::EcsForwardPrecheckDenied {
            target: container.label(),
        },
    )
}
