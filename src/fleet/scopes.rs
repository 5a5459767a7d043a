//! Listing several accounts and regions at once: one [`Scope`] per profile × region, or per
//! account × region of an organization (`--org`), loaded and listed concurrently, each row
//! labelled with where it came from, each listing cached. One scope that can't be listed (a role
//! that can't be assumed, a region the account hasn't enabled, no access) is a warning: the
//! others are still listed.

use std::sync::Arc;

use futures::stream::{self, StreamExt};
use serde::Serialize;

use crate::aws::{Aws, CallerIdentity};
use crate::error::{Error, Result};
use crate::settings::{ScopeSettings, Settings};
use crate::sso_login;

use super::{cache, org, Instance, Origin, Query};

/// One account/region to list, with what labels its rows and keys its cache.
#[derive(Clone)]
pub struct Scope {
    /// Shared: several sessions to one instance (`forward`'s tunnels) use one scope.
    pub aws: Arc<Aws>,
    /// Set when several scopes are listed at once (rows are labelled then).
    pub origin: Option<Arc<Origin>>,
    /// The caller, when labelling already asked STS (the pre-check needn't ask again).
    pub identity: Option<CallerIdentity>,
}

impl Scope {
    /// One account/region, its rows unlabelled.
    pub fn single(aws: Aws) -> Scope {
        Scope {
            aws: Arc::new(aws),
            origin: None,
            identity: None,
        }
    }

    /// What its listing is cached under, for a listing asked for with `filter` (as typed).
    pub(crate) fn cache_key(&self, filter: String) -> cache::Key {
        cache::Key {
            profile: self.aws.profile_in_use().map(str::to_owned),
            account: self.aws.assumed().map(|a| a.role_arn.clone()),
            region: self.aws.region().to_owned(),
            endpoint: self.aws.endpoint_url().map(cache::endpoint_for_key),
            filter,
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

/// A scope left out of a listing or a search, and why: said on stderr as it happens
/// ([`warn_skipped`]), named in `--json=report`, and what makes the exit status partial.
#[derive(Debug, Clone, Serialize)]
pub struct LeftOut {
    pub profile: Option<String>,
    pub account: Option<String>,
    pub account_name: Option<String>,
    /// None: every region (the account's role could not be assumed, the profile not loaded).
    pub region: Option<String>,
    /// What went wrong: the error's first line.
    pub error: String,
    /// The exit status the error has on its own (3 for a denial, 1 for a failure…).
    pub exit_code: i32,
    /// Where, as the warning says it: "account 111122223333 (dev)", "prod/111122223333/eu-west-1".
    #[serde(skip)]
    pub label: String,
}

impl LeftOut {
    /// `scope` left out for `err`, said on stderr.
    pub fn scope(scope: &Scope, err: &Error) -> LeftOut {
        let origin = scope.origin.as_deref();
        LeftOut::warned(
            scope.describe(),
            err,
            LeftOut {
                profile: origin
                    .and_then(|o| o.profile.clone())
                    .or_else(|| scope.aws.profile_in_use().map(str::to_owned)),
                account: origin.and_then(|o| o.account.clone()),
                account_name: origin.and_then(|o| o.account_name.clone()),
                region: Some(scope.aws.region().to_owned()),
                ..LeftOut::default()
            },
        )
    }

    /// An organization's account left out (in every region) for `err`, said on stderr.
    fn account(member: &org::Member, err: &Error) -> LeftOut {
        let label = match &member.name {
            Some(name) => format!("account {} ({name})", member.id),
            None => format!("account {}", member.id),
        };
        LeftOut::warned(
            label,
            err,
            LeftOut {
                account: Some(member.id.clone()),
                account_name: member.name.clone(),
                ..LeftOut::default()
            },
        )
    }

    /// A profile (of several) that could not be loaded, said on stderr.
    fn profile(scope: &ScopeSettings, err: &Error) -> LeftOut {
        let name = scope.profile.as_deref().unwrap_or("default");
        LeftOut::warned(
            format!("profile {name}"),
            err,
            LeftOut {
                profile: Some(name.to_owned()),
                region: scope.region.clone(),
                ..LeftOut::default()
            },
        )
    }

    fn warned(label: String, err: &Error, mut out: LeftOut) -> LeftOut {
        warn_skipped(&label, err);
        out.error = err.headline();
        out.exit_code = err.exit_code();
        out.label = label;
        out
    }
}

impl Default for LeftOut {
    fn default() -> LeftOut {
        LeftOut {
            profile: None,
            account: None,
            account_name: None,
            region: None,
            error: String::new(),
            exit_code: crate::error::exit::FAILURE,
            label: String::new(),
        }
    }
}

/// The scopes that could be reached, and those left out (already warned about).
#[derive(Default)]
pub struct Reached {
    pub scopes: Vec<Scope>,
    pub left_out: Vec<LeftOut>,
}

/// A listing of several scopes: the rows of those that answered, and those left out.
#[derive(Default)]
pub struct Listing {
    pub rows: Vec<Instance>,
    pub left_out: Vec<LeftOut>,
    /// The scopes that answered whose listing is yet to be cached, by what prints the rows
    /// ([`load_and_list`]).
    pub to_cache: Vec<ToCache>,
}

/// A scope whose listing is cached from the bytes that print it: its rows are those whose
/// origin is `origin` (the same `Arc`; the one row set when one scope was listed).
pub struct ToCache {
    pub origin: Option<Arc<Origin>>,
    pub key: cache::Key,
    pub verbose: bool,
}

/// Ok when no scope was left out, else [`Error::Partial`] (exit 8), `doing` and `what` as it
/// says them ("listed", "the listing").
pub fn complete(left_out: &[LeftOut], doing: &'static str, what: &'static str) -> Result<()> {
    match left_out.is_empty() {
        true => Ok(()),
        false => Err(Error::Partial {
            left_out: left_out.iter().map(|l| l.label.clone()).collect(),
            doing,
            what,
        }),
    }
}

/// Says that a scope is left out of the listing, and why, on stderr (after the picker closes,
/// when one is open).
pub fn warn_skipped(what: &str, err: &Error) {
    warn_skipped_because(what, &err.to_string());
}

/// [`warn_skipped`] with the error's message.
pub fn warn_skipped_because(what: &str, text: &str) {
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
/// A profile of several that can't be loaded is left out (all of them failing: the first
/// one's error).
pub async fn load_all(settings: &Settings, verbose: bool) -> Result<Reached> {
    if settings.org.value {
        return load_org(settings, verbose, false).await;
    }
    let wanted = settings.scopes();
    let many = wanted.len() > 1;
    let loads = wanted.iter().map(|scope| load_one(scope, many, verbose));
    let loaded = futures::future::join_all(loads).await;
    if !many {
        let scope = loaded.into_iter().next().expect("one scope at least")?;
        return Ok(Reached {
            scopes: vec![scope],
            left_out: Vec::new(),
        });
    }
    let mut reached = Reached::default();
    let mut first_failure = None;
    for (scope, loaded) in wanted.iter().zip(loaded) {
        match loaded {
            Ok(s) => reached.scopes.push(s),
            // A word that names no profile is the caller's mistake, not a scope to skip.
            Err(e @ Error::UnknownProfile { .. }) => return Err(e),
            Err(e) => {
                reached.left_out.push(LeftOut::profile(scope, &e));
                first_failure.get_or_insert(e);
            }
        }
    }
    match (reached.scopes.is_empty(), first_failure) {
        (true, Some(e)) => Err(e),
        _ => Ok(reached),
    }
}

/// [`load_all`] for the picker, which opens on the last listing at once: with `--org`, the
/// accounts found last time (within `cache-ttl`, unless `refresh`) are used without asking AWS
/// Organizations again, and each account's role is assumed when its listing first needs it. (An
/// account added since shows up once the remembered list is older than `cache-ttl`, with
/// `--refresh`, or after any `ssmgo list --org`.)
pub async fn load_for_picker(settings: &Settings, verbose: bool, refresh: bool) -> Result<Reached> {
    if settings.org.value {
        return load_org(settings, verbose, !refresh).await;
    }
    load_all(settings, verbose).await
}

/// Every account of the organization (or of `[org] accounts`) × every region: the profile's
/// credentials assume each account's role, once per account, all accounts at once; or, when
/// `remembered_ok` and the last discovery is recent, its accounts with roles assumed on first
/// use.
async fn load_org(settings: &Settings, verbose: bool, remembered_ok: bool) -> Result<Reached> {
    let mut reached = Reached::default();
    let mut first_failure = None;
    discover_org(settings, verbose, remembered_ok, |found| match found {
        Found::Scopes(scopes) => reached.scopes.extend(scopes),
        Found::LeftOut(left_out) => {
            let (left_out, e) = *left_out;
            reached.left_out.push(left_out);
            first_failure.get_or_insert(e);
        }
    })
    .await?;
    match (reached.scopes.is_empty(), first_failure) {
        (true, Some(e)) => Err(e),
        _ => {
            reached.scopes.sort_by_key(|s| s.describe());
            Ok(reached)
        }
    }
}

/// What an organization's discovery finds, account by account.
enum Found {
    /// An account reached: its scopes, one per region.
    Scopes(Vec<Scope>),
    /// An account whose role could not be assumed (warned about).
    LeftOut(Box<(LeftOut, Error)>),
}

/// [`load_org`]'s discovery, each account handed to `found` as soon as it is reached (its
/// role assumed), while the other accounts' roles and ListAccounts pages are still on their
/// way: a listing can start with the first.
async fn discover_org(
    settings: &Settings,
    verbose: bool,
    remembered_ok: bool,
    mut found: impl FnMut(Found),
) -> Result<()> {
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
    let regions = &regions;
    let plan = &settings.org_plan;
    if remembered_ok {
        if let Some((own, members)) = org::remembered(&base, plan, settings.cache_ttl.value) {
            for member in members {
                let access = match member.id == own {
                    true => None,
                    false => Some(base.role_on_first_use(&member.id, &member.role).await),
                };
                found(member_scopes(&base, None, regions, member, Ok(access)));
            }
            return Ok(());
        }
    }
    // Pipelined: each ListAccounts page's roles are assumed as soon as it arrives (and our own
    // account is known), while the next page is on its way; each account is handed on as soon
    // as its role is assumed.
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
    let found = &mut found;
    let assuming = async move {
        let me = crate::aws::caller_identity(base).await?;
        let me = &me;
        let members = stream::unfold(pages_rx, |mut rx| async move {
            rx.recv().await.map(|page| (stream::iter(page), rx))
        })
        .flatten();
        members
            .map(|member| async move {
                let access = match member.id == me.account {
                    // The caller's own account: its own credentials, no role to assume.
                    true => Ok(None),
                    false => base.assume_role(&member.id, &member.role).await.map(Some),
                };
                (member, access)
            })
            .buffer_unordered(crate::aws::gate::IN_FLIGHT)
            .for_each(|(member, access)| {
                found(member_scopes(base, Some(me), regions, member, access));
                async {}
            })
            .await;
        Ok::<_, Error>(me.clone())
    };
    let (members, me) = tokio::try_join!(discovering, assuming)?;
    org::remember(base, plan, &me.account, &members);
    Ok(())
}

/// The scopes of an account, one per region, or why it is left out (said on stderr).
fn member_scopes(
    base: &Aws,
    me: Option<&CallerIdentity>,
    regions: &[String],
    member: org::Member,
    access: Result<Option<crate::aws::AccountAccess>>,
) -> Found {
    let access = match access {
        Ok(access) => access,
        Err(e) => return Found::LeftOut(Box::new((LeftOut::account(&member, &e), e))),
    };
    let gate = base.account_gate().for_another_account();
    let scopes = regions
        .iter()
        .map(|region| {
            let aws = base.elsewhere(access.as_ref(), region, gate.clone());
            let origin = Origin {
                profile: None,
                region: region.clone(),
                account: Some(member.id.clone()),
                account_name: member.name.clone(),
            };
            Scope {
                aws: Arc::new(aws),
                origin: Some(Arc::new(origin)),
                identity: me.filter(|_| access.is_none()).cloned(),
            }
        })
        .collect();
    Found::Scopes(scopes)
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
        aws: Arc::new(aws),
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
pub async fn list_all(scopes: &[Scope], query: &Query) -> Result<Listing> {
    list_scopes(scopes, query, false).await
}

async fn list_scopes(scopes: &[Scope], query: &Query, cache_later: bool) -> Result<Listing> {
    let progress = Progress::start(scopes.len());
    let to_cache = std::sync::Mutex::new(Vec::new());
    let lists = scopes
        .iter()
        .map(|f| list_scope(f, query, cache_later, &progress, &to_cache));
    let listed = futures::future::join_all(lists).await;
    progress.finish();
    let mut listing = gather(scopes, listed)?;
    listing.to_cache = to_cache.into_inner().expect("no panic holds it");
    Ok(listing)
}

/// One scope of [`list_scopes`]: its rows, labelled, and its listing cached (or to be).
async fn list_scope(
    f: &Scope,
    query: &Query,
    cache_later: bool,
    progress: &Progress,
    to_cache: &std::sync::Mutex<Vec<ToCache>>,
) -> Result<Vec<Instance>> {
    let listed = super::list(&f.aws, query).await;
    progress.answered(listed.as_ref().map_or(0, Vec::len), listed.is_err());
    let rows = listed?;
    match (query.all, cache_later) {
        (true, _) => {}
        (false, false) => store_cache(f, query.tags.describe(), &rows),
        (false, true) => to_cache.lock().expect("no panic holds it").push(ToCache {
            origin: f.origin.clone(),
            key: f.cache_key(query.tags.describe()),
            verbose: f.aws.verbose(),
        }),
    }
    Ok(f.label(rows))
}

/// [`load_all`] then [`list_all`], except that an organization's accounts are listed as soon as
/// each is reached, not once all are. With `cache_later`, the listings are cached by what
/// prints them (`list --json` serializes each row once, for stdout and the cache):
/// [`Listing::to_cache`] says which.
pub async fn load_and_list(
    settings: &Settings,
    verbose: bool,
    query: &Query,
    cache_later: bool,
) -> Result<(Reached, Listing)> {
    if !settings.org.value {
        let reached = load_all(settings, verbose).await?;
        let listing = list_scopes(&reached.scopes, query, cache_later).await?;
        return Ok((reached, listing));
    }
    let progress = Progress::start(0);
    let to_cache = std::sync::Mutex::new(Vec::new());
    let (scopes_tx, mut scopes_rx) = tokio::sync::mpsc::unbounded_channel::<Scope>();
    let mut reached = Reached::default();
    let mut first_failure = None;
    let discovering = async {
        let discovered = discover_org(settings, verbose, false, |found| match found {
            Found::Scopes(scopes) => {
                progress.more(scopes.len());
                for scope in scopes {
                    let _ = scopes_tx.send(scope);
                }
            }
            Found::LeftOut(left_out) => {
                let (left_out, e) = *left_out;
                reached.left_out.push(left_out);
                first_failure.get_or_insert(e);
            }
        })
        .await;
        drop(scopes_tx);
        discovered
    };
    let listing = async {
        let list = |scope: Scope| {
            let (progress, to_cache) = (&progress, &to_cache);
            async move {
                let listed = list_scope(&scope, query, cache_later, progress, to_cache).await;
                (scope, listed)
            }
        };
        let mut running = futures::stream::FuturesUnordered::new();
        let mut done = Vec::new();
        loop {
            tokio::select! {
                scope = scopes_rx.recv() => match scope {
                    Some(scope) => running.push(list(scope)),
                    None => break,
                },
                Some(listed) = running.next(), if !running.is_empty() => done.push(listed),
            }
        }
        while let Some(listed) = running.next().await {
            done.push(listed);
        }
        done
    };
    let (discovered, mut done) = tokio::join!(discovering, listing);
    progress.finish();
    discovered?;
    if let (true, Some(e)) = (done.is_empty(), first_failure) {
        return Err(e);
    }
    done.sort_by_key(|(scope, _)| scope.describe());
    let (scopes, listed): (Vec<Scope>, Vec<_>) = done.into_iter().unzip();
    let mut listing = gather(&scopes, listed)?;
    listing.to_cache = to_cache.into_inner().expect("no panic holds it");
    reached.scopes = scopes;
    Ok((reached, listing))
}

/// The rows of every scope that answered, sorted for display when there are several; a scope
/// that failed is a warning, unless every one did (the first error then).
pub(crate) fn gather(scopes: &[Scope], listed: Vec<Result<Vec<Instance>>>) -> Result<Listing> {
    if scopes.len() == 1 {
        let rows = listed
            .into_iter()
            .next()
            .unwrap_or_else(|| Ok(Vec::new()))?;
        return Ok(Listing {
            rows,
            ..Listing::default()
        });
    }
    let mut out = Listing::default();
    let mut first_failure = None;
    let mut answered = 0;
    for (scope, result) in scopes.iter().zip(listed) {
        match result {
            Ok(r) => {
                answered += 1;
                out.rows.extend(r);
            }
            Err(e) => {
                out.left_out.push(LeftOut::scope(scope, &e));
                first_failure.get_or_insert(e);
            }
        }
    }
    if let (0, Some(e)) = (answered, first_failure) {
        return Err(e);
    }
    super::sort_for_display(&mut out.rows);
    Ok(out)
}

/// "listing 300 accounts/regions: 212 answered, 2 failed, 18,204 instances" on a terminal's
/// stderr, redrawn as scopes answer, while several are listed.
struct Progress {
    /// Grows while an organization's accounts are reached ([`Progress::more`]).
    total: std::sync::atomic::AtomicUsize,
    shown: bool,
    state: std::sync::Mutex<(usize, usize, usize)>,
}

impl Progress {
    fn start(total: usize) -> Progress {
        use std::io::IsTerminal;
        // Zero: an organization, whose scopes are still being found.
        let shown = (total > 1 || total == 0) && std::io::stderr().is_terminal();
        let progress = Progress {
            total: total.into(),
            shown,
            state: std::sync::Mutex::new((0, 0, 0)),
        };
        progress.draw(0, 0, 0);
        progress
    }

    fn more(&self, scopes: usize) {
        self.total
            .fetch_add(scopes, std::sync::atomic::Ordering::Relaxed);
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
                self.total.load(std::sync::atomic::Ordering::Relaxed)
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

/// Keeps `rows`, `scope`'s listing asked for with `filter`, for the picker's next start.
pub(crate) fn store_cache<T: cache::Rows>(scope: &Scope, filter: String, rows: &[T]) {
    if let Err(e) = cache::store(&scope.cache_key(filter), rows) {
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
