//! Choosing an instance in the picker: the cached listing at once, the fresh one behind it
//! (rows that changed or vanished marked), recent targets on top, several accounts and regions
//! at once with every row labelled.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Mutex;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::fleet::scopes::{no_match, regions, store_cache, warn_skipped, warn_skipped_because};
use crate::fleet::{self, cache, Instance, Query, Scope};
use crate::history;
use crate::picker::{mark_against_cache, Mark, Row, RowPicker, RowRenderer};
use crate::settings::{Column, Settings};
use futures::FutureExt;

/// How the picker shows rows and treats the cache.
pub struct PickerOptions {
    /// False with --refresh: wait for the fresh listing.
    pub read_cache: bool,
    pub ttl: Duration,
    pub columns: Vec<Column>,
}

impl PickerOptions {
    /// From the settings, for a listing filtered as `query` is.
    pub fn new(settings: &Settings, query: &Query, refresh: bool) -> PickerOptions {
        PickerOptions {
            read_cache: !refresh,
            ttl: settings.cache_ttl.value,
            columns: settings.columns_with(&Column::PICKER_DEFAULT, query.tags.keys()),
        }
    }
}

/// Opens the picker over `scopes` and returns the index of the picked row's scope and the row.
pub async fn pick(
    scopes: &[Scope],
    query: &Query,
    prefill: Option<&str>,
    options: PickerOptions,
) -> Result<(usize, Row)> {
    let recents = history::load();
    let ranks: Vec<HashMap<String, usize>> = scopes
        .iter()
        .map(|f| history::ranks(&recents, f.aws.region()))
        .collect();

    let mut cached: Vec<Row> = Vec::new();
    if options.read_cache {
        for (i, f) in scopes.iter().enumerate() {
            match cache::load(&f.cache_key(query.tags.describe()), options.ttl) {
                Ok(hit) => cached.extend(f.label(hit.rows).into_iter().map(|instance| Row {
                    instance,
                    scope: i,
                    mark: Mark::Cached,
                })),
                Err(cache::Miss::Absent) => {}
                Err(miss) if f.aws.verbose() => {
                    crate::say!("ssmgo: cached listing not used: {miss}")
                }
                Err(_) => {}
            }
        }
    }
    let from_cache = !cached.is_empty();

    let picker = RowPicker::new(prefill, RowRenderer::new(options.columns))?;
    let feed = picker.feed();
    if from_cache {
        feed.push(ordered(cached.clone(), &ranks));
    }
    crate::aws::trace::hold();
    let mut shown = tokio::task::spawn_blocking(move || picker.run());

    // Which scopes have answered (a page, or a failure): a row picked before the fresh listing is
    // in still learns which accounts could not be reached (below).
    let answers: Vec<Mutex<Answer>> = scopes.iter().map(|_| Mutex::default()).collect();
    let listings = scopes.iter().enumerate().map(|(i, f)| {
        let feed = feed.clone();
        let ranks = &ranks;
        let answer = &answers[i];
        async move {
            let mut all = Vec::new();
            let listed = fleet::stream(&f.aws, query, |rows| {
                answer.lock().unwrap_or_else(|e| e.into_inner()).page();
                let rows = f.label(rows);
                if !from_cache {
                    let batch = rows
                        .iter()
                        .cloned()
                        .map(|instance| Row {
                            instance,
                            scope: i,
                            mark: Mark::Plain,
                        })
                        .collect();
                    feed.push(ordered(batch, ranks));
                }
                all.extend(rows);
            })
            .await;
            if let Err(e) = &listed {
                *answer.lock().unwrap_or_else(|e| e.into_inner()) = Answer::Failed(e.to_string());
            }
            listed?;
            fleet::dedup(&mut all);
            store_cache(f, query.tags.describe(), &all);
            Ok::<_, Error>(all)
        }
        .map(move |listed| (i, listed))
    });
    let mut listings = std::pin::pin!(futures::future::join_all(listings));
    let picked = tokio::select! {
        picked = &mut shown => {
            if scopes.len() > 1 {
                warn_unreachable_after_pick(scopes, &answers, listings.as_mut()).await;
            }
            Some(picked)
        }
        listed = &mut listings => {
            let mut lists = Vec::new();
            let mut failed = std::collections::HashSet::new();
            let mut first_failure = None;
            for (i, result) in listed {
                match result {
                    Ok(rows) => lists.push((i, rows)),
                    Err(e) => {
                        // One scope that can't be listed is a warning (after the picker).
                        if scopes.len() > 1 {
                            warn_skipped(&scopes[i].describe(), &e);
                        }
                        failed.insert(i);
                        first_failure.get_or_insert(e);
                    }
                }
            }
            match first_failure {
                Some(e) if lists.is_empty() => feed.fail(e),
                _ => {
                    let fresh: Vec<Row> = lists
                        .into_iter()
                        .flat_map(|(i, rows)| {
                            rows.into_iter()
                                .map(move |instance| Row { instance, scope: i, mark: Mark::Plain })
                        })
                        .collect();
                    let recent_listed = fresh
                        .iter()
                        .any(|r| ranks[r.scope].contains_key(&r.instance.instance_id));
                    // A scope that failed keeps its cached rows, as cached: they are not gone.
                    let (unlisted, cached): (Vec<Row>, Vec<Row>) =
                        cached.iter().cloned().partition(|r| failed.contains(&r.scope));
                    if fresh.is_empty() && !from_cache {
                        feed.fail(no_match(query, &regions(scopes)));
                    } else if from_cache || recent_listed {
                        // Recent rows may have arrived in any page: show the whole listing in
                        // order now that it is complete.
                        let mut rows = compare(&cached, fresh, from_cache);
                        rows.extend(unlisted);
                        feed.replace(ordered(rows, &ranks));
                    }
                }
            }
            None
        }
    };
    let picked = match picked {
        Some(p) => p,
        None => shown.await,
    };
    crate::aws::trace::release();
    let row = picked.map_err(|e| Error::Picker {
        detail: e.to_string(),
    })??;
    Ok((row.scope, row))
}

/// How long a row picked before every scope answered waits for the others' first answer.
const ANSWER_GRACE: Duration = Duration::from_secs(5);

/// What a scope's listing has said so far.
#[derive(Default)]
enum Answer {
    #[default]
    Nothing,
    /// A page came: the account is reachable.
    Page,
    /// It failed, with this message.
    Failed(String),
}

impl Answer {
    fn page(&mut self) {
        if let Answer::Nothing = self {
            *self = Answer::Page;
        }
    }
}

/// A row was picked before the fresh listing was in: the scopes that have said nothing yet are
/// given until each has (its first page, or its failure; [`ANSWER_GRACE`] at most), so that an
/// account whose role can no longer be assumed is still said, however quick the pick. The
/// listings' rows are no longer wanted.
async fn warn_unreachable_after_pick(
    scopes: &[Scope],
    answers: &[Mutex<Answer>],
    mut listings: std::pin::Pin<&mut impl Future<Output = Vec<(usize, Result<Vec<Instance>>)>>>,
) {
    let read = |i: usize| answers[i].lock().unwrap_or_else(|e| e.into_inner());
    let deadline = tokio::time::Instant::now() + ANSWER_GRACE;
    while (0..scopes.len()).any(|i| matches!(*read(i), Answer::Nothing))
        && tokio::time::Instant::now() < deadline
    {
        tokio::select! {
            _ = &mut listings => break,
            _ = tokio::time::sleep(Duration::from_millis(20)) => {}
        }
    }
    for (i, scope) in scopes.iter().enumerate() {
        if let Answer::Failed(message) = &*read(i) {
            warn_skipped_because(&scope.describe(), message);
        }
    }
}

/// The fresh listing, marked against the cached one (new, changed, gone).
fn compare(cached: &[Row], fresh: Vec<Row>, from_cache: bool) -> Vec<Row> {
    if !from_cache {
        return fresh;
    }
    mark_against_cache(
        cached,
        fresh,
        |r| (r.scope, r.instance.instance_id.clone()),
        |old, new| differs(&old.instance, &new.instance),
        |r| &mut r.mark,
    )
}

/// What a person would notice: a different state, SSM status, address or name.
fn differs(a: &Instance, b: &Instance) -> bool {
    a.state != b.state
        || a.ping_status != b.ping_status
        || a.managed != b.managed
        || a.private_ip != b.private_ip
        || a.name != b.name
}

/// Recent targets first (most recent on top, marked), then the listing's usual order.
fn ordered(mut rows: Vec<Row>, ranks: &[HashMap<String, usize>]) -> Vec<Row> {
    let rank = |r: &Row| {
        ranks
            .get(r.scope)
            .and_then(|m| m.get(&r.instance.instance_id))
            .copied()
    };
    rows.sort_by(|a, b| {
        rank(a)
            .unwrap_or(usize::MAX)
            .cmp(&rank(b).unwrap_or(usize::MAX))
            .then_with(|| fleet::display_order(&a.instance, &b.instance))
    });
    for r in &mut rows {
        if rank(r).is_some() && r.mark == Mark::Plain {
            r.mark = Mark::Recent;
        }
    }
    rows
}
