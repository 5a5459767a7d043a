//! Listing several accounts and regions at once: one [`Scope`] per profile × region, or per
//! account × region of an organization (`--org`), loaded and listed concurrently, each row
//! labelled with where it came from, each listing cached. One scope that can't be listed (a role
//! that can't be assumed, a region the account hasn't enabled, no access) is a warning: the
//! others are still listed.

use std::sync::Arc;

use futures::stream::{self, StreamExt};

use crate::aws::{Aws, CallerIdentity};
use crate::error::{Error, Result};
use crate::settings::{ScopeSettings, Settings};
use crate::sso_login;

use super::{cache, org, Instance, Origin, Query};

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
            account: self.aws.assumed().map(|a| a.role_arn.clone()),
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

    /// "prod/111122223333/eu-west-1", or the region alone, for messages.
    pub fn describe(&self) -> String {
        self.origin
            .as_ref()
            .map_or_else(|| self.aws.region().to_owned(), |o| o.label())
    }
}

/// Says that a scope is left out of the listing, and why, on stderr (after the picker closes,
/// when one is open).
pub fn warn_skipped(what: &str, err: &Error) {
    let text = err.to_string();
    let mut lines = text.lines();
    let headline = lines.next().unwrap_or_default();
    crate::aws::trace::emit(format!("ssmgo: warning: {what} left out: {headline}"));
    for line in lines {
        crate::aws::trace::emit(line.to_owned());
    }
}

/// Loads one [`Scope`] per profile × region of `settings` (per account × region with `--org`),
/// concurrently; with more than one, each learns its account (sts:GetCallerIdentity) to label
/// its rows.
pub async fn load_all(settings: &Settings, verbose: bool) -> Result<Vec<Scope>> {
    if settings.org.value {
        return load_org(settings, verbose, false).await;
    }
    let scopes = settings.scopes();
    let many = scopes.len() > 1;
    let loads = scopes.iter().map(|scope| load_one(scope, many, verbose));
    futures::future::try_join_all(loads).await
}

/// [`load_all`] for the picker, which opens on the last listing at once: with `--org`, the
/// accounts found last time (within `cache-ttl`, unless `refresh`) are used without asking AWS
/// Organizations again, and each account's role is assumed when its listing first needs it. (An
/// account added since shows up once the remembered list is older than `cache-ttl`, with
/// `--refresh`, or after any `ssmgo list --org`.)
pub async fn load_for_picker(
    settings: &Settings,
    verbose: bool,
    refresh: bool,
) -> Result<Vec<Scope>> {
    if settings.org.value {
        return load_org(settings, verbose, !refresh).await;
    }
    load_all(settings, verbose).await
}

/// Every account of the organization (or of `[org] accounts`) × every region: the profile's
/// credentials assume each account's role, once per account, all accounts at once; or, when
/// `remembered_ok` and the last discovery is recent, its accounts with roles assumed on first
/// use.
async fn load_org(settings: &Settings, verbose: bool, remembered_ok: bool) -> Result<Vec<Scope>> {
    let wanted = settings.scopes();
    let mut profiles: Vec<&Option<String>> = wanted.iter().map(|s| &s.profile).collect();
    profiles.dedup();
    if profiles.len() > 1 {
        return Err(Error::BadInput {
            what: "--profile",
            value: settings.profiles.value.join(","),
            reason:
                "--org takes one profile: the one whose credentials assume the role in each account"
                    .into(),
        });
    }
    let base = sso_login::load_aws(&wanted[0], verbose).await?;
    let mut regions: Vec<String> = wanted
        .iter()
        .map(|s| s.region.clone().unwrap_or_else(|| base.region().to_owned()))
        .collect();
    regions.sort();
    regions.dedup();
    let plan = &settings.org_plan;
    if remembered_ok {
        if let Some((own, members)) = org::remembered(&base, plan, settings.cache_ttl.value) {
            let mut accesses = Vec::new();
            for member in members {
                let access = match member.id == own {
                    true => None,
                    false => Some(base.role_on_first_use(&member.id, &member.role).await),
                };
                accesses.push((member, Ok(access)));
            }
            return org_scopes(&base, None, &regions, accesses);
        }
    }
    // Pipelined: each ListAccounts page's roles are assumed as soon as it arrives (and our own
    // account is known), while the next page is on its way.
    let base = &base;
    let (pages_tx, pages_rx) = tokio::sync::mpsc::unbounded_channel::<Vec<org::Member>>();
    let discovering = async move {
        let members = org::members_by_page(base, plan, |page| {
            let _ = pages_tx.send(page.to_vec());
        })
        .await;
        // The last page is in: no more roles to assume.
        drop(pages_tx);
        members
    };
    let assuming = async {
        let me = crate::aws::caller_identity(base).await?;
        let me = &me;
        let members = stream::unfold(pages_rx, |mut rx| async move {
            rx.recv().await.map(|page| (stream::iter(page), rx))
        })
        .flatten();
        let accesses: Vec<_> = members
            .map(|member| async move {
                let access = match member.id == me.account {
                    // The caller's own account: its own credentials, no role to assume.
                    true => Ok(None),
                    false => base.assume_role(&member.id, &member.role).await.map(Some),
                };
                (member, access)
            })
            .buffer_unordered(crate::aws::gate::IN_FLIGHT)
            .collect()
            .await;
        Ok::<_, Error>((me.clone(), accesses))
    };
    let (members, (me, accesses)) = tokio::try_join!(discovering, assuming)?;
    org::remember(base, plan, &me.account, &members);
    let me = &me;
    org_scopes(base, Some(me), &regions, accesses)
}

/// The scopes of the accounts that could be reached, every region each; the others are warned
/// about (all unreachable: the first one's error).
fn org_scopes(
    base: &Aws,
    me: Option<&CallerIdentity>,
    regions: &[String],
    accesses: Vec<(org::Member, Result<Option<crate::aws::AccountAccess>>)>,
) -> Result<Vec<Scope>> {
    let mut scopes = Vec::new();
    let mut first_failure = None;
    for (member, access) in accesses {
        let access = match access {
            Ok(access) => access,
            Err(e) => {
                let what = match &member.name {
                    Some(name) => format!("account {} ({name})", member.id),
                    None => format!("account {}", member.id),
                };
                warn_skipped(&what, &e);
                first_failure.get_or_insert(e);
                continue;
            }
        };
        let gate = base.account_gate().for_another_account();
        for region in regions {
            let aws = base.elsewhere(access.as_ref(), region, gate.clone());
            let origin = Origin {
                profile: None,
                region: region.clone(),
                account: Some(member.id.clone()),
                account_name: member.name.clone(),
            };
            scopes.push(Scope {
                aws,
                origin: Some(Arc::new(origin)),
                identity: me.filter(|_| access.is_none()).cloned(),
            });
        }
    }
    match (scopes.is_empty(), first_failure) {
        (true, Some(e)) => Err(e),
        _ => {
            scopes.sort_by_key(|s| s.describe());
            Ok(scopes)
        }
    }
}

async fn load_one(scope: &ScopeSettings, labelled: bool, verbose: bool) -> Result<Scope> {
    let aws = sso_login::load_aws(scope, verbose).await?;
    if !labelled {
        return Ok(Scope::single(aws));
    }
    let identity = crate::aws::caller_identity(&aws).await.ok();
    let origin = Some(Arc::new(Origin {
        profile: scope.profile.clone(),
        region: aws.region().to_owned(),
        account: identity.as_ref().map(|id| id.account.clone()),
        account_name: None,
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

/// Lists every scope concurrently, rows labelled, sorted for display; caches each listing. With
/// several scopes, one that fails is a warning (its rows are missing); all failing is an error.
pub async fn list_all(scopes: &[Scope], query: &Query) -> Result<Vec<Instance>> {
    let progress = Progress::start(scopes.len());
    let lists = scopes.iter().map(|f| {
        let progress = &progress;
        async move {
            let listed = super::list(&f.aws, query).await;
            progress.answered(listed.as_ref().map_or(0, Vec::len), listed.is_err());
            let rows = listed?;
            if !query.all {
                store_cache(f, query, &rows);
            }
            Ok::<_, Error>(f.label(rows))
        }
    });
    let listed = futures::future::join_all(lists).await;
    progress.finish();
    let rows = gather(scopes, listed)?;
    Ok(rows)
}

/// The rows of every scope that answered, sorted for display when there are several; a scope
/// that failed is a warning, unless every one did (the first error then).
pub(crate) fn gather(
    scopes: &[Scope],
    listed: Vec<Result<Vec<Instance>>>,
) -> Result<Vec<Instance>> {
    if scopes.len() == 1 {
        return listed.into_iter().next().unwrap_or_else(|| Ok(Vec::new()));
    }
    let mut rows = Vec::new();
    let mut first_failure = None;
    let mut answered = 0;
    for (scope, result) in scopes.iter().zip(listed) {
        match result {
            Ok(r) => {
                answered += 1;
                rows.extend(r);
            }
            Err(e) => {
                warn_skipped(&scope.describe(), &e);
                first_failure.get_or_insert(e);
            }
        }
    }
    if let (0, Some(e)) = (answered, first_failure) {
        return Err(e);
    }
    super::sort_for_display(&mut rows);
    Ok(rows)
}

/// "listing 300 accounts/regions: 212 answered, 2 failed, 18,204 instances" on a terminal's
/// stderr, redrawn as scopes answer, while several are listed.
struct Progress {
    total: usize,
    shown: bool,
    state: std::sync::Mutex<(usize, usize, usize)>,
}

impl Progress {
    fn start(total: usize) -> Progress {
        use std::io::IsTerminal;
        let shown = total > 1 && std::io::stderr().is_terminal();
        let progress = Progress {
            total,
            shown,
            state: std::sync::Mutex::new((0, 0, 0)),
        };
        progress.draw(0, 0, 0);
        progress
    }

    fn answered(&self, rows: usize, failed: bool) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.0 += 1;
        state.1 += usize::from(failed);
        state.2 += rows;
        self.draw(state.0, state.1, state.2);
    }

    // Written directly: the line is ssmgo's own, and its \r and erase-line are the point.
    fn draw(&self, answered: usize, failed: usize, rows: usize) {
        use std::io::Write;
        if self.shown {
            let _ = write!(
                std::io::stderr().lock(),
                "\r\x1b[2Kssmgo: listing {} accounts/regions: {answered} answered, {failed} failed, {rows} instances",
                self.total
            );
        }
    }

    fn finish(&self) {
        use std::io::Write;
        if self.shown {
            let _ = write!(std::io::stderr().lock(), "\r\x1b[2K");
        }
    }
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
