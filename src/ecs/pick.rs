//! Picking a container as an instance is picked: the picker opens at once on the last listing
//! (cached per account, region, clusters and service), the fresh one is asked for behind it and
//! replaces it in place when it is in, new, changed and gone rows marked. The cache only shows:
//! a row picked from it is used as the fresh listing has it (its runtime id, its agent), or not
//! at all when its task no longer runs.

use std::hash::{Hash, Hasher};
use std::time::Duration;

use nucleo_picker::Render;

use super::{print, Container, Select};
use crate::error::{Error, Result};
use crate::fleet::Scope;
use crate::picker::{mark_against_cache, Item, Mark, RowPicker};
use crate::settings::Settings;

/// How the picker treats the cache.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// False with --refresh: wait for the fresh listing.
    pub read_cache: bool,
    pub ttl: Duration,
}

impl Options {
    pub fn new(settings: &Settings, refresh: bool) -> Options {
        Options {
            read_cache: !refresh,
            ttl: settings.cache_ttl.value,
        }
    }
}

/// A container in the picker, and how it relates to the cached listing.
#[derive(Debug, Clone)]
struct Pickable {
    container: Container,
    mark: Mark,
}

impl Pickable {
    fn marked(mark: Mark) -> impl Fn(Container) -> Pickable {
        move |container| Pickable {
            container,
            mark: mark.clone(),
        }
    }

    /// Which container it is: the same task's same container, listed in the same scope.
    fn key(&self) -> (usize, String, String) {
        let c = &self.container;
        (c.scope, c.task_arn.clone(), c.name.clone())
    }
}

impl Item for Pickable {
    fn fingerprint(&self) -> u64 {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (
            self.container.scope,
            &self.mark,
            print::picker_line(&self.container),
        )
            .hash(&mut h);
        h.finish()
    }
}

/// A row: its mark, then what `ecs list` shows of it (made harmless by `picker_line`).
struct Lines;

impl Render<Pickable> for Lines {
    type Str<'a> = String;

    fn render(&self, row: &Pickable) -> String {
        format!(
            "{:<7} {}",
            row.mark.text(),
            print::picker_line(&row.container)
        )
    }
}

/// The picker over the containers `select` keeps in `scopes`, pre-filled with `query`: the cached
/// listing at once, the fresh one when it is in.
pub async fn pick(
    scopes: &[Scope],
    select: &Select,
    query: Option<&str>,
    options: Options,
) -> Result<Container> {
    let cached: Vec<Pickable> = match options.read_cache {
        true => super::cached(scopes, select, options.ttl),
        false => Vec::new(),
    }
    .into_iter()
    .map(Pickable::marked(Mark::Cached))
    .collect();
    let from_cache = !cached.is_empty();
    let picker = RowPicker::new(query, Lines)?;
    let feed = picker.feed();
    if from_cache {
        feed.push(cached.clone());
    }
    // Warnings (a scope left out) and traces wait until the picker has given the terminal back.
    crate::aws::trace::hold();
    let mut shown = tokio::task::spawn_blocking(move || picker.run());
    let mut listing = std::pin::pin!(super::list(scopes, select));
    let mut fresh = None;
    let picked = tokio::select! {
        picked = &mut shown => picked,
        listed = &mut listing => {
            match listed {
                Err(e) => feed.fail(e),
                Ok(listed) if listed.rows.is_empty() && !from_cache => {
                    feed.fail(Error::EcsNoMatch {
                        what: super::what(query),
                    })
                }
                Ok(listed) => {
                    let rows_now = listed.rows.iter().cloned().map(Pickable::marked(Mark::Plain));
                    if from_cache {
                        // A scope that could not be listed keeps its cached rows, as cached:
                        // they are not gone.
                        let (unlisted, compared): (Vec<Pickable>, Vec<Pickable>) = cached
                            .iter()
                            .cloned()
                            .partition(|r| listed.unlisted.contains(&r.container.scope));
                        let mut rows = mark_against_cache(
                            &compared,
                            rows_now.collect(),
                            Pickable::key,
                            |old, new| {
                                print::picker_line(&old.container)
                                    != print::picker_line(&new.container)
                            },
                            |row| &mut row.mark,
                        );
                        rows.extend(unlisted);
                        feed.replace(rows);
                    } else {
                        feed.push(rows_now.collect());
                    }
                    fresh = Some(listed);
                }
            }
            shown.await
        }
    };
    crate::aws::trace::release();
    let picked = picked.map_err(|e| Error::Picker {
        detail: e.to_string(),
    })??;
    if !matches!(picked.mark, Mark::Cached | Mark::Gone) {
        return Ok(picked.container);
    }
    // Picked from the cache: only the fresh listing says whether, and how, it still runs.
    let listed = match fresh {
        Some(listed) => listed,
        None => listing.await?,
    };
    let key = picked.key();
    let why = match listed.unlisted.contains(&key.0) {
        true => "its account and region could not be listed again: the warning above says why",
        false => "its task no longer runs",
    };
    listed
        .rows
        .into_iter()
        .find(|c| (c.scope, &c.task_arn, &c.name) == (key.0, &key.1, &key.2))
        .ok_or_else(|| Error::EcsNoMatch {
            what: format!(
                "{} (picked from the cached listing: {why})",
                picked.container.label()
            ),
        })
}

/// One of `containers` (a task's, already listed), picked: no cache, nothing to refill.
pub async fn among(containers: Vec<Container>) -> Result<Container> {
    let picker = RowPicker::new(None, Lines)?;
    picker.feed().push(
        containers
            .into_iter()
            .map(Pickable::marked(Mark::Plain))
            .collect(),
    );
    let picked = tokio::task::spawn_blocking(move || picker.run())
        .await
        .map_err(|e| Error::Picker {
            detail: e.to_string(),
        })??;
    Ok(picked.container)
}
