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
    let mut containers = crate::fleet::cache::every_cached::<crate::ecs::Container>();
    containers.sort_by(|a, b| (a.task_id(), &a.name).cmp(&(b.task_id(), &b.name)));
    containers.dedup_by(|a, b| (a.task_id(), &a.name) == (b.task_id(), &b.name));
    containers
        .chunk_by(|a, b| a.task_id() == b.task_id())
        .filter(|task| is_shell_safe_word(task[0].task_id()))
        .map(|task| {
            let names: Vec<&str> = task.iter().map(|c| c.name.as_str()).collect();
            let first = &task[0];
            let help = format!(
                "{} {} {}",
                first.cluster(),
                first.service().unwrap_or("-"),
                names.join(",")
            );
            let help = truncated(&Untrusted(&help).to_string(), 60).into_owned();
            CompletionCandidate::new(first.task_id().to_owned()).help(Some(help.into()))
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
