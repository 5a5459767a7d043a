//! Another account's credentials: a role assumed with the caller's own credentials, once per
//! account, shared by every region listed there. The first AssumeRole is ssmgo's own call (its
//! refusal names the role and says what to fix); later ones, when the credentials near their
//! expiry, are the SDK's AssumeRole provider's.

use std::sync::{Arc, Mutex};

use aws_config::sts::AssumeRoleProvider;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_credential_types::Credentials;

use super::credentials::FirstThenChain;
use super::Aws;
use crate::error::{Error, Result};

/// A role assumed in one account, ready to sign requests in any region.
#[derive(Clone)]
pub struct AccountAccess {
    pub account: String,
    pub role_arn: String,
    provider: SharedCredentialsProvider,
}

/// An AssumeRole provider asked once for all the regions (and requests) that need it at the
/// same moment, then again only near expiry.
#[derive(Debug)]
struct AssumedOnce {
    provider: AssumeRoleProvider,
    held: tokio::sync::Mutex<Option<Credentials>>,
}

impl aws_credential_types::provider::ProvideCredentials for AssumedOnce {
    fn provide_credentials<'a>(
        &'a self,
    ) -> aws_credential_types::provider::future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        aws_credential_types::provider::future::ProvideCredentials::new(async move {
            let mut held = self.held.lock().await;
            let soon = std::time::SystemTime::now() + std::time::Duration::from_secs(60);
            if let Some(c) = held
                .as_ref()
                .filter(|c| c.expiry().is_none_or(|e| e > soon))
            {
                return Ok(c.clone());
            }
            let fresh = self.provider.provide_credentials().await?;
            *held = Some(fresh.clone());
            Ok(fresh)
        })
    }
}

/// Where an [`Aws`] of an assumed role acts: for messages, the history and the plugin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assumed {
    pub account: String,
    pub role_arn: String,
}

/// The partition a region belongs to, for the role's ARN.
fn partition_of(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    }
}

/// The session name CloudTrail shows in the account: who started it, when.
fn session_name() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    format!("ssmgo-{secs}")
}

impl Aws {
    /// Assumes `role` (a name, with its path if any) in `account` with this configuration's
    /// credentials.
    pub async fn assume_role(&self, account: &str, role: &str) -> Result<AccountAccess> {
        let role_arn = format!(
            "arn:{}:iam::{account}:role/{role}",
            partition_of(&self.region)
        );
        let session = session_name();
        let out = self
            .sts()
            .assume_role()
            .role_arn(&role_arn)
            .role_session_name(&session)
            .send()
            .await
            .map_err(|e| match self.explain("sts:AssumeRole", e) {
                Error::AccessDenied { message, .. } => Error::RoleNotAssumable {
                    role_arn: role_arn.clone(),
                    detail: message,
                },
                other => other,
            })?;
        let given = out.credentials().ok_or_else(|| Error::Aws {
            operation: "AssumeRole",
            detail: "the answer had no credentials".into(),
        })?;
        let first = Credentials::new(
            given.access_key_id(),
            given.secret_access_key(),
            Some(given.session_token().to_owned()),
            std::time::SystemTime::try_from(*given.expiration()).ok(),
            "AssumeRole",
        );
        let refresh = AssumeRoleProvider::builder(&role_arn)
            .session_name(session)
            .configure(&self.sdk)
            .build()
            .await;
        let provider = SharedCredentialsProvider::new(FirstThenChain {
            first: Mutex::new(Some(first)),
            chain: SharedCredentialsProvider::new(refresh),
        });
        Ok(AccountAccess {
            account: account.to_owned(),
            role_arn,
            provider,
        })
    }

    /// `role` in `account`, assumed when a request first needs it (no request now): for the
    /// picker, which opens on the last listing of an organization before any account answers.
    /// A role that can't be assumed is then that request's error ([`Error::RoleNotAssumable`]).
    pub async fn role_on_first_use(&self, account: &str, role: &str) -> AccountAccess {
        let role_arn = format!(
            "arn:{}:iam::{account}:role/{role}",
            partition_of(&self.region)
        );
        let provider = AssumeRoleProvider::builder(&role_arn)
            .session_name(session_name())
            .configure(&self.sdk)
            .build()
            .await;
        AccountAccess {
            account: account.to_owned(),
            role_arn,
            provider: SharedCredentialsProvider::new(AssumedOnce {
                provider,
                held: tokio::sync::Mutex::new(None),
            }),
        }
    }

    /// This configuration in `region`, acting in `access`'s account (or, without one, in the
    /// caller's own); `gate` is the account's share of the run's requests.
    pub fn elsewhere(
        &self,
        access: Option<&AccountAccess>,
        region: &str,
        gate: super::gate::Gate,
    ) -> Aws {
        let mut sdk = self
            .sdk
            .to_builder()
            .region(aws_config::Region::new(region.to_owned()));
        if let Some(access) = access {
            sdk = sdk.credentials_provider(access.provider.clone());
        }
        let assumed = access.map(|a| {
            Arc::new(Assumed {
                account: a.account.clone(),
                role_arn: a.role_arn.clone(),
            })
        });
        self.rebuilt(sdk.build(), assumed, gate)
    }

    /// The role this configuration acts as, when it assumed one.
    pub fn assumed(&self) -> Option<&Assumed> {
        self.assumed.as_deref()
    }

    /// The credentials a child process (the plugin) needs to act in the assumed role's account,
    /// as the environment variables every AWS SDK reads; none for the caller's own credentials,
    /// which the plugin finds as the AWS CLI's plugin does (the profile, the environment).
    pub async fn credentials_for_child(&self) -> Result<Vec<(String, String)>> {
        if self.assumed.is_none() {
            return Ok(Vec::new());
        }
        use aws_credential_types::provider::ProvideCredentials;
        let provider = self
            .sdk
            .credentials_provider()
            .ok_or(Error::NoCredentials {
                detail: "the assumed role has no credentials provider".into(),
            })?;
        let creds = provider
            .provide_credentials()
            .await
            .map_err(|e| Error::NoCredentials {
                detail: e.to_string(),
            })?;
        let mut env = vec![
            (
                "AWS_ACCESS_KEY_ID".to_owned(),
                creds.access_key_id().to_owned(),
            ),
            (
                "AWS_SECRET_ACCESS_KEY".to_owned(),
                creds.secret_access_key().to_owned(),
            ),
        ];
        if let Some(token) = creds.session_token() {
            env.push(("AWS_SESSION_TOKEN".to_owned(), token.to_owned()));
        }
        Ok(env)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_arns_are_in_the_regions_partition() {
        assert_eq!(partition_of("eu-west-1"), "aws");
        assert_eq!(partition_of("cn-north-1"), "aws-cn");
        assert_eq!(partition_of("us-gov-west-1"), "aws-us-gov");
    }
}
