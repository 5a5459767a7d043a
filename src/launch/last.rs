//! `-`, the last connection: each session that starts is remembered, and `-` looks for its
//! instance where it was found then (the profile and region it was reached with, and the role
//! assumed to reach its account), not where the settings point now.

use super::target::Target;
use crate::aws::Aws;
use crate::error::{Error, Result};
use crate::fleet::{Instance, Scope};
use crate::history;
use crate::settings::{ScopeSettings, Settings};
use crate::sso_login;

/// The most recent entry of the history.
pub(super) fn connection() -> Result<history::Entry> {
    history::load().into_iter().next().ok_or(Error::NoHistory)
}

/// The last connection's instance, and the one scope it is in; `announce` says so on stderr.
pub(super) async fn reach(
    settings: &Settings,
    verbose: bool,
    announce: bool,
) -> Result<(Target, Scope)> {
    let last = connection()?;
    let scope = ScopeSettings {
        profile: last.profile.clone(),
        region: Some(last.region.clone()),
        endpoint_url: settings.endpoint_url.value.clone(),
        timeout: settings.timeout.value,
    };
    if announce {
        crate::say!(
            "ssmgo: reconnecting to {} in {}",
            last.name.map_or_else(
                || last.instance_id.clone(),
                |n| format!("{n} ({})", last.instance_id)
            ),
            last.region
        );
    }
    let mut aws = sso_login::load_aws(&scope, verbose).await?;
    // Last time through a role in another account (`--org`): through it again.
    if let Some((account, role)) = last.role_arn.as_deref().and_then(split_role_arn) {
        let access = aws.assume_role(account, role).await?;
        let gate = aws.account_gate().clone();
        aws = aws.elsewhere(Some(&access), &last.region, gate);
    }
    Ok((Target::parse(&last.instance_id), Scope::single(aws)))
}

/// Records a session on `instance`, reached with `aws`, as the last connection. A history that
/// can't be written is no reason to fail the session: only -v says so.
pub(super) fn remember(aws: &Aws, instance: &Instance) {
    let entry = history::Entry {
        instance_id: instance.instance_id.clone(),
        name: instance.name.clone(),
        profile: aws.profile_in_use().map(str::to_owned),
        region: aws.region().to_owned(),
        role_arn: aws.assumed().map(|a| a.role_arn.clone()),
        at: 0,
    };
    if let Err(e) = history::record(entry) {
        if aws.verbose() {
            crate::say!("ssmgo: could not record the connection in the history: {e}");
        }
    }
}

/// "arn:aws:iam::111122223333:role/ops/ReadOnly" → ("111122223333", "ops/ReadOnly").
fn split_role_arn(arn: &str) -> Option<(&str, &str)> {
    let mut parts = arn.splitn(6, ':');
    let account = parts.nth(4)?;
    let role = parts.next()?.strip_prefix("role/")?;
    Some((account, role))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_role_arn_gives_its_account_and_its_name_with_the_path() {
        assert_eq!(
            split_role_arn("arn:aws:iam::111122223333:role/ops/ReadOnly"),
            Some(("111122223333", "ops/ReadOnly"))
        );
        assert_eq!(split_role_arn("arn:aws:iam::111122223333:user/x"), None);
        assert_eq!(split_role_arn("garbage"), None);
    }
}
