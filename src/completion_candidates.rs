//! What dynamic shell completion offers for TARGET, ECS Exec's TASK and `--preset`: instance ids
//! and Names, and task ids, from the listing caches, preset names from the config file. Completing must never call AWS, and bash
//! pastes a candidate into the command line as it is, so only words no shell can misread are
//! offered. The command line's description (`cli`) names these; it reads nothing itself.

use clap_complete::engine::CompletionCandidate;

use crate::output::sanitize::{is_shell_safe_word, truncated, Untrusted};

/// Instance ids and Names from the local cache.
///
/// Names are whatever anyone with ec2:CreateTags wrote: a Name is offered only when no shell can
/// misread it; otherwise only the instance id is, with the Name (made visible) as its description.
pub fn targets() -> Vec<CompletionCandidate> {
    let mut out = Vec::new();
    for (id, name) in crate::fleet::cache::known_targets() {
        if !is_shell_safe_word(&id) {
            continue;
        }
        let Some(name) = name else {
            out.push(CompletionCandidate::new(id));
            continue;
        };
        let shown = truncated(&Untrusted(&name).to_string(), 60).into_owned();
        if is_shell_safe_word(&name) {
            out.push(CompletionCandidate::new(name).help(Some(id.clone().into())));
        }
        out.push(CompletionCandidate::new(id).help(Some(shown.into())));
    }
    out
}

/// Task ids from the cached container listings (`ssmgo ecs`), each described by where it runs:
/// cluster, service and containers (made visible, shortened). Ids are AWS's; one no shell could
/// take as it is is never offered.
pub fn tasks() -> Vec<CompletionCandidate> {
    use crate::fleet::cache::{every_cached, Rows, CONTAINERS};
    // Only what is offered is read of each cached container.
    #[derive(serde::Serialize, serde::Deserialize)]
    struct Cached {
        cluster_arn: String,
        task_arn: String,
        group: Option<String>,
        name: String,
    }
    impl Rows for Cached {
        const FILES: &'static str = CONTAINERS;
    }
    let last_part = |arn: &str| arn.rsplit('/').next().unwrap_or(arn).to_owned();
    let mut containers: Vec<(String, String, String, String)> = every_cached::<Cached>()
        .into_iter()
        .map(|c| {
            let service = c.group.as_deref().and_then(|g| g.strip_prefix("service:"));
            let service = service.unwrap_or("-").to_owned();
            (
                last_part(&c.task_arn),
                c.name,
                last_part(&c.cluster_arn),
                service,
            )
        })
        .collect();
    containers.sort();
    containers.dedup();
    containers
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|task| is_shell_safe_word(&task[0].0))
        .map(|task| {
            let names: Vec<&str> = task.iter().map(|c| c.1.as_str()).collect();
            let (id, _, cluster, service) = &task[0];
            let help = format!("{cluster} {service} {}", names.join(","));
            let help = truncated(&Untrusted(&help).to_string(), 60).into_owned();
            CompletionCandidate::new(id.clone()).help(Some(help.into()))
        })
        .collect()
}

/// Preset names from the config file (the same rule as Names); none when it can't be read.
pub fn presets() -> Vec<CompletionCandidate> {
    crate::settings::Config::load()
        .map(|c| {
            c.preset_names()
                .into_iter()
                .filter(|p| is_shell_safe_word(p))
                .map(CompletionCandidate::new)
                .collect()
        })
        .unwrap_or_default()
}
