//! Which accounts an organization listing covers: AWS Organizations' list of active accounts, or
//! the config's `[org] accounts` for callers who may not read the organization.

use crate::aws::Aws;
use crate::error::{Error, Result};
use crate::settings::OrgPlan;

/// One account to list, and the role to assume there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: String,
    pub name: Option<String>,
    pub role: String,
}

/// The organization's active accounts (organizations:ListAccounts), or the configured ones.
pub async fn members(aws: &Aws, plan: &OrgPlan) -> Result<Vec<Member>> {
    let member = |id: String, name: Option<String>| Member {
        role: plan.role_for(&id).0.clone(),
        id,
        name,
    };
    if let Some(accounts) = &plan.accounts {
        return Ok(accounts.iter().map(|a| member(a.0.clone(), None)).collect());
    }
    let mut pages = aws.organizations().list_accounts().into_paginator().send();
    let mut out = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| unreadable(aws, e))?;
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
    let configure =
        "list the accounts in the config file instead: [org] accounts = [\"111122223333\", ...]";
    match code.as_deref() {
        Some("AWSOrganizationsNotInUseException") => Error::OrgUnreadable {
            detail: "your account is not in an AWS Organization".into(),
            next: format!("Leave out --org, or {configure}"),
        },
        Some("AccessDeniedException" | "AccessDenied") => Error::OrgUnreadable {
            detail: "organizations:ListAccounts was refused (only the management account and a delegated administrator may call it)".into(),
            next: format!("Use a profile of the management account, or {configure}"),
        },
        _ => aws.explain("ListAccounts", "organizations:ListAccounts", err),
    }
}
