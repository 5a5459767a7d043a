//! Listing several accounts and regions at once: one [`Scope`] per profile × region, loaded
//! and listed concurrently, each row labelled with where it came from, each listing cached.

use std::sync::Arc;

use crate::aws::{Aws, CallerIdentity};
use crate::cache;
use crate::error::{Error, Result};
use crate::settings::{ScopeSettings, Settings};

use super::{Instance, Origin, Query};

/// One account/region to list, with what labels its rows and keys its cache.
pub struct Scope {
    pub aws: Aws,
    /// Set when several scopes are listed at once (rows are labelled then).
    pub origin: Option<Arc<Origin>>,
    /// The caller, when labelling already asked STS (the pre-check needn't ask again).
    pub identity: Option<CallerIdentity>,
}

impl Scope {
    /// One account/region, its rows unlabelled.
    pub fn single(aws: Aws) -> Scope {
        Scope {
            aws,
            origin: None,
            identity: None,
        }
    }

    pub(crate) fn cache_key(&self, query: &Query) -> cache::Key {
        cache::Key {
            profile: self.aws.profile_in_use().map(str::to_owned),
            region: self.aws.region().to_owned(),
            endpoint: self.aws.endpoint_url().map(cache::endpoint_for_key),
            tags: query.tags.describe(),
        }
    }

    pub(crate) fn label(&self, mut rows: Vec<Instance>) -> Vec<Instance> {
        if let Some(origin) = &self.origin {
            for r in &mut rows {
                r.origin = Some(Arc::clone(origin));
            }
        }
        rows
    }
}

/// Loads one [`Scope`] per profile × region of `settings`, concurrently; with more than one,
/// each learns its account (sts:GetCallerIdentity) to label its rows.
pub async fn load_all(settings: &Settings, verbose: bool) -> Result<Vec<Scope>> {
    let scopes = settings.scopes();
    let many = scopes.len() > 1;
    let loads = scopes.iter().map(|scope| load_one(scope, many, verbose));
    futures::future::try_join_all(loads).await
}

async fn load_one(scope: &ScopeSettings, labelled: bool, verbose: bool) -> Result<Scope> {
    let aws = Aws::load(scope, verbose).await?;
    if !labelled {
        return Ok(Scope::single(aws));
    }
    let identity = crate::aws::caller_identity(&aws).await.ok();
    let origin = Some(Arc::new(Origin {
        profile: scope.profile.clone(),
        region: aws.region().to_owned(),
        account: identity.as_ref().map(|id| id.account.clone()),
    }));
    Ok(Scope {
        aws,
        origin,
        identity,
    })
}

/// "eu-west-1" or "eu-west-1, us-east-1": where a listing looked, for messages.
pub fn regions(scopes: &[Scope]) -> String {
    let mut regions: Vec<&str> = scopes.iter().map(|f| f.aws.region()).collect();
    regions.dedup();
    regions.join(", ")
}

/// Lists every fleet concurrently, rows labelled, sorted for display; caches each listing.
pub async fn list_all(scopes: &[Scope], query: &Query) -> Result<Vec<Instance>> {
    let lists = scopes.iter().map(|f| async move {
        let rows = super::list(&f.aws, query).await?;
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
    if scopes.len() > 1 {
        super::sort_for_display(&mut rows);
    }
    Ok(rows)
}

pub(crate) fn store_cache(scope: &Scope, query: &Query, rows: &[Instance]) {
    if let Err(e) = cache::store(&scope.cache_key(query), rows) {
        if scope.aws.verbose() {
            crate::say!("ssmgo: could not write the listing cache: {e}");
        }
    }
}

/// "no instance matches Env=prod among running instances in eu-west-1", with a follow-up command.
pub fn no_match(query: &Query, region: &str) -> Error {
    let scope = if query.all {
        ""
    } else {
        " among running instances"
    };
    let filters = if query.tags.is_empty() {
        format!("in {region}{scope}")
    } else {
        format!("{}{scope} in {region}", query.tags.describe())
    };
    Error::NoMatch {
        filters: filters.to_string(),
        list_args: query.tags.as_args(),
    }
}
