//! Choosing an instance in the picker: the cached listing at once, the fresh one behind it
//! (rows that changed or vanished marked), recent targets on top, several accounts and regions
//! at once with every row labelled.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use crate::aws::Aws;
use crate::cache;
use crate::config::{Column, Scope, Settings};
use crate::error::{Error, Result};
use crate::fleet::{self, Instance, Origin, Query};
use crate::history;
use crate::picker::{Mark, Row, RowPicker};
use crate::precheck::api::CallerIdentity;

/// One account/region to list, with what labels its rows and keys its cache.
pub struct Fleet {
    pub aws: Aws,
    /// Set when several fleets are listed at once (rows are labelled then).
    pub origin: Option<Arc<Origin>>,
    /// The caller, when labelling already asked STS (the pre-check needn't ask again).
    pub identity: Option<CallerIdentity>,
}

impl Fleet {
    /// One account/region, its rows unlabelled.
    pub fn single(aws: Aws) -> Fleet {
        Fleet {
            aws,
            origin: None,
            identity: None,
        }
    }

    fn cache_key(&self, query: &Query) -> cache::Key {
        cache::Key {
            profile: self.aws.profile_in_use().map(str::to_owned),
            region: self.aws.region().to_owned(),
            endpoint: self.aws.endpoint_url().map(cache::endpoint_for_key),
            tags: query.tags.describe(),
        }
    }

    fn label(&self, mut rows: Vec<Instance>) -> Vec<Instance> {
        if let Some(origin) = &self.origin {
            for r in &mut rows {
                r.origin = Some(Arc::clone(origin));
            }
        }
        rows
    }
}

/// Loads one [`Fleet`] per profile × region of `settings`, concurrently; with more than one,
/// each learns its account (sts:GetCallerIdentity) to label its rows.
pub async fn fleets(settings: &Settings, verbose: bool) -> Result<Vec<Fleet>> {
    let scopes = settings.scopes();
    let many = scopes.len() > 1;
    let loads = scopes.iter().map(|scope| load_fleet(scope, many, verbose));
    futures::future::try_join_all(loads).await
}

async fn load_fleet(scope: &Scope, labelled: bool, verbose: bool) -> Result<Fleet> {
    let aws = Aws::load(scope, verbose).await?;
    if !labelled {
        return Ok(Fleet::single(aws));
    }
    let identity = crate::precheck::api::caller_identity(&aws).await.ok();
    let origin = Some(Arc::new(Origin {
        profile: scope.profile.clone(),
        region: aws.region().to_owned(),
        account: identity.as_ref().map(|id| id.account.clone()),
    }));
    Ok(Fleet {
        aws,
        origin,
        identity,
    })
}

/// "eu-west-1" or "eu-west-1, us-east-1": where a listing looked, for messages.
pub fn regions(fleets: &[Fleet]) -> String {
    let mut regions: Vec<&str> = fleets.iter().map(|f| f.aws.region()).collect();
    regions.dedup();
    regions.join(", ")
}

/// Lists every fleet concurrently, rows labelled, sorted for display; caches each listing.
pub async fn list_all(fleets: &[Fleet], query: &Query) -> Result<Vec<Instance>> {
    let lists = fleets.iter().map(|f| async move {
        let rows = fleet::list(&f.aws, query).await?;
        if !query.all {
            store_cache(f, query, &rows);
        }
        Ok::<_, Error>(f.label(rows))
    });
    let mut rows: Vec<Instance> = futures::future::try_join_all(lists)
        .await?
        .into_iter()
        .flatten()
        .collect();
    if fleets.len() > 1 {
        fleet::sort_for_display(&mut rows);
    }
    Ok(rows)
}

fn store_cache(fleet: &Fleet, query: &Query, rows: &[Instance]) {
    if let Err(e) = cache::store(&fleet.cache_key(query), rows) {
        if fleet.aws.verbose() {
            eprintln!("ssmgo: could not write the listing cache: {e}");
        }
    }
}

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
            columns: settings.columns_with(&crate::picker::DEFAULT_COLUMNS, query.tags.keys()),
        }
    }
}

/// Opens the picker over `fleets` and returns the index of the picked row's fleet and the row.
pub async fn pick(
    fleets: &[Fleet],
    query: &Query,
    prefill: Option<&str>,
    options: PickerOptions,
) -> Result<(usize, Row)> {
    let recents = history::load();
    let ranks: Vec<HashMap<String, usize>> = fleets
        .iter()
        .map(|f| history::ranks(&recents, f.aws.region()))
        .collect();

    let mut cached: Vec<Row> = Vec::new();
    if options.read_cache {
        for (i, f) in fleets.iter().enumerate() {
            match cache::load(&f.cache_key(query), options.ttl) {
                Ok(hit) => cached.extend(f.label(hit.rows).into_iter().map(|instance| Row {
                    instance,
                    fleet: i,
                    mark: Mark::Cached,
                })),
                Err(cache::Miss::Absent) => {}
                Err(miss) if f.aws.verbose() => {
                    eprintln!("ssmgo: cached listing not used: {miss}")
                }
                Err(_) => {}
            }
        }
    }
    let from_cache = !cached.is_empty();

    let picker = RowPicker::new(prefill, options.columns)?;
    let feed = picker.feed();
    if from_cache {
        feed.push(ordered(cached.clone(), &ranks));
    }
    crate::aws::trace::hold();
    let mut shown = tokio::task::spawn_blocking(move || picker.run());

    let listings = fleets.iter().enumerate().map(|(i, f)| {
        let feed = feed.clone();
        let ranks = &ranks;
        async move {
            let mut all = Vec::new();
            fleet::stream(&f.aws, query, |rows| {
                let rows = f.label(rows);
                if !from_cache {
                    let batch = rows
                        .iter()
                        .cloned()
                        .map(|instance| Row {
                            instance,
                            fleet: i,
                            mark: Mark::Plain,
                        })
                        .collect();
                    feed.push(ordered(batch, ranks));
                }
                all.extend(rows);
            })
            .await?;
            fleet::dedup(&mut all);
            store_cache(f, query, &all);
            Ok::<_, Error>((i, all))
        }
    });
    let picked = tokio::select! {
        picked = &mut shown => Some(picked),
        listed = futures::future::try_join_all(listings) => {
            match listed {
                Err(e) => feed.fail(e),
                Ok(lists) => {
                    let fresh: Vec<Row> = lists
                        .into_iter()
                        .flat_map(|(i, rows)| {
                            rows.into_iter()
                                .map(move |instance| Row { instance, fleet: i, mark: Mark::Plain })
                        })
                        .collect();
                    let recent_listed = fresh
                        .iter()
                        .any(|r| ranks[r.fleet].contains_key(&r.instance.instance_id));
                    if fresh.is_empty() && !from_cache {
                        feed.fail(crate::commands::list::no_match(query, &regions(fleets)));
                    } else if from_cache || recent_listed {
                        // Recent rows may have arrived in any page: show the whole listing in
                        // order now that it is complete.
                        feed.replace(ordered(compare(&cached, fresh, from_cache), &ranks));
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
    Ok((row.fleet, row))
}

/// The fresh listing, marked against the cached one: new rows, changed rows, and the cached
/// rows that vanished (kept, marked gone, so that nothing disappears under the cursor unsaid).
fn compare(cached: &[Row], fresh: Vec<Row>, from_cache: bool) -> Vec<Row> {
    if !from_cache {
        return fresh;
    }
    let key = |r: &Row| (r.fleet, r.instance.instance_id.clone());
    let before: HashMap<(usize, String), &Instance> =
        cached.iter().map(|r| (key(r), &r.instance)).collect();
    let mut seen = std::collections::HashSet::new();
    let mut rows: Vec<Row> = fresh
        .into_iter()
        .map(|mut r| {
            seen.insert(key(&r));
            r.mark = match before.get(&key(&r)) {
                None => Mark::New,
                Some(old) if differs(old, &r.instance) => Mark::Changed,
                Some(_) => Mark::Plain,
            };
            r
        })
        .collect();
    rows.extend(
        cached
            .iter()
            .filter(|r| !seen.contains(&key(r)))
            .map(|r| Row {
                mark: Mark::Gone,
                ..r.clone()
            }),
    );
    rows
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
            .get(r.fleet)
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
