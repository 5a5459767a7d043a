//! Who the credentials belong to (sts:GetCallerIdentity): labels listings of several accounts
//! and names the principal the pre-check simulates.

use super::Aws;
use crate::error::Result;

/// Who the credentials belong to.
#[derive(Debug, Clone)]
pub struct CallerIdentity {
    pub arn: String,
    pub account: String,
    pub user_id: String,
}

pub async fn caller_identity(aws: &Aws) -> Result<CallerIdentity> {
    let out = aws
        .sts()
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| aws.explain("sts:GetCallerIdentity", e))?;
    Ok(CallerIdentity {
        arn: out.arn().unwrap_or_default().to_owned(),
        account: out.account().unwrap_or_default().to_owned(),
        user_id: out.user_id().unwrap_or_default().to_owned(),
    })
}
