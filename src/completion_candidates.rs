//! What dynamic shell completion offers for TARGET and `--preset`: instance ids and Names from
//! the listing cache, preset names from the config file. Completing must never call AWS, and bash
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
