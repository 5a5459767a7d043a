//! Which accounts an organization listing covers: AWS Organizations' list of active accounts, or
//! the config's `[org] accounts` for callers who may not read the organization; and the last
//! such list, remembered, so that the picker opens on the last listing before AWS answers.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::aws::Aws;
use crate::error::{Error, Result};
use crate::settings::OrgPlan;

/// One account to list, and the role to assume there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub id: String,
    pub name: Option<String>,
    pub role: String,
}

/// The organization's active accounts (organizations:ListAccounts), or the configured ones.
pub async fn members(aws: &Aws, plan: &OrgPlan) -> Result<Vec<Member>> {
    members_by_page(aws, plan, |_| {}).await
}

/// [`members`], each page's accounts also handed to `page` as soon as the page arrives (so
/// that their roles can be assumed while the next page is on its way).
pub async fn members_by_page(
    aws: &Aws,
    plan: &OrgPlan,
    mut page_arrived: impl FnMut(&[Member]),
) -> Result<Vec<Member>> {
    let member = |id: String, name: Option<String>| Member {
        role: plan.role_for(&id).0.clone(),
        id,
        name,
    };
    if let Some(accounts) = &plan.accounts {
        let all: Vec<Member> = accounts.iter().map(|a| member(a.0.clone(), None)).collect();
        page_arrived(&all);
        return Ok(all);
    }
    let mut pages = aws.organizations().list_accounts().into_paginator().send();
    let mut out = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| unreadable(aws, e))?;
        let before = out.len();
        for account in page.accounts() {
            // A suspended or closing account answers nothing; AWS keeps listing it for 90 days.
            let active = match (account.state(), account.status()) {
                (Some(state), _) => state.as_str() == "ACTIVE",
                (None, Some(status)) => status.as_str() == "ACTIVE",
                (None, None) => true,
            };
            if let (true, Some(id)) = (active, account.id()) {
                out.push(member(id.to_owned(), account.name().map(str::to_owned)));
            }
        }
        page_arrived(&out[before..]);
    }
    Ok(out)
}

fn unreadable<E>(
    aws: &Aws,
    err: aws_sdk_organizations::error::SdkError<E, aws_smithy_runtime_api::http::Response>,
) -> Error
where
    E: aws_sdk_organizations::error::ProvideErrorMetadata
        + std::error::Error
        + Send
        + Sync
        + 'static,
{
    let code = match &err {
        aws_sdk_organizations::error::SdkError::ServiceError(se) => {
            se.err().code().map(str::to_owned)
        }
        _ => None,
    };
    refusal(code.as_deref()).unwrap_or_else(|| aws.explain("organizations:ListAccounts", err))
}

/// What AWS Organizations' error `code` means for `--org`, when it is one of its own.
fn refusal(code: Option<&str>) -> Option<Error> {
    let configure =
        "list the accounts in the config file instead: [org] accounts = [\"111122223333\", ...]";
    match code {
        // Asking for the organization of an account that has none is a usage problem.
        Some("AWSOrganizationsNotInUseException") => Some(Error::NotInOrganization),
        Some("AccessDeniedException" | "AccessDenied") => Some(Error::OrgUnreadable {
            detail: "organizations:ListAccounts was refused (only the management account and a delegated administrator may call it)".into(),
            next: format!("Use a profile of the management account, or {configure}"),
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_organization_is_a_usage_problem_and_a_refusal_a_denial() {
        let none = refusal(Some("AWSOrganizationsNotInUseException")).unwrap();
        assert_eq!(none.exit_code(), crate::error::exit::USAGE);
        assert!(none.to_string().contains("[org] accounts"), "{none}");
        let denied = refusal(Some("AccessDeniedException")).unwrap();
        assert_eq!(denied.exit_code(), crate::error::exit::DENIED);
        assert!(refusal(Some("TooManyRequestsException")).is_none());
    }
}

/// The accounts found last time, with the caller's own account, as written to the cache
/// directory (`org-*.json`; account ids, names and role names only).
#[derive(Serialize, Deserialize)]
struct Remembered {
    key: String,
    written_at: u64,
    own_account: String,
    members: Vec<Member>,
}

/// What the remembered list answers: the same profile, endpoint and `[org]` settings.
fn remembered_key(aws: &Aws, plan: &OrgPlan) -> String {
    format!(
        "{:?}|{:?}|{plan:?}",
        aws.profile_in_use(),
        aws.endpoint_url().map(super::cache::endpoint_for_key)
    )
}

fn remembered_file(key: &str) -> String {
    format!("org-{:016x}.json", super::cache::fnv1a(key.as_bytes()))
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Remembers `members` (and the caller's own account) for [`remembered`]. Best effort: a
/// listing doesn't fail for a cache it can't write.
pub fn remember(aws: &Aws, plan: &OrgPlan, own_account: &str, members: &[Member]) {
    let Some(dir) = crate::paths::cache_dir() else {
        return;
    };
    let key = remembered_key(aws, plan);
    let file = Remembered {
        written_at: now(),
        own_account: own_account.to_owned(),
        members: members.to_vec(),
        key: key.clone(),
    };
    let written = crate::paths::write_atomically(&dir, &remembered_file(&key), |out| {
        serde_json::to_writer(out, &file).map_err(std::io::Error::other)
    });
    if let (Err(e), true) = (written, aws.verbose()) {
        crate::say!("ssmgo: could not remember the organization's accounts: {e}");
    }
}

/// The accounts found last time for the same profile, endpoint and `[org]` settings, and the
/// caller's own account, unless that was longer ago than `ttl`.
pub fn remembered(aws: &Aws, plan: &OrgPlan, ttl: Duration) -> Option<(String, Vec<Member>)> {
    let key = remembered_key(aws, plan);
    let path = crate::paths::cache_dir()?.join(remembered_file(&key));
    let text = crate::paths::read_text_file(&path, 16 << 20).ok()?;
    let file: Remembered = serde_json::from_str(&text).ok()?;
    let fresh = now().saturating_sub(file.written_at) <= ttl.as_secs();
    (file.key == key && fresh).then_some((file.own_account, file.members))
}
