//! Credentials, resolved once per configuration, up front and with a deadline.
//!
//! Left to the SDK, a hung `credential_process` (or SSO or metadata endpoint) surfaced 33 s later
//! as a network timeout of whatever call came first, and the process it had started was left
//! running. Resolving first tells the two apart, says what ssmgo is waiting for, stops the
//! process at the deadline, and hands the SDK the result, so that nothing is asked twice.

use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{future, ProvideCredentials, SharedCredentialsProvider};
use aws_credential_types::Credentials;
use aws_types::SdkConfig;

use crate::error::{Error, Result};

/// After this long, ssmgo says it is still waiting for credentials.
const SAY_WAITING_AFTER: Duration = Duration::from_secs(3);

/// Resolves `sdk`'s credentials within `deadline`; `explain` turns a provider's failure into
/// our error. Returns the configuration with the resolved credentials in front of its chain, and
/// whether they are temporary (they carry a session token), when known.
pub(super) async fn resolve_first(
    sdk: SdkConfig,
    deadline: Duration,
    source: &str,
    explain: impl FnOnce(&CredentialsError) -> Error,
) -> Result<(SdkConfig, Option<bool>)> {
    let Some(chain) = sdk.credentials_provider() else {
        return Ok((sdk, None));
    };
    let notice = {
        let source = source.to_owned();
        tokio::spawn(async move {
            tokio::time::sleep(SAY_WAITING_AFTER).await;
            super::trace::emit(format!(
                "ssmgo: waiting for AWS credentials from {source} (giving up after {} s)",
                deadline.as_secs()
            ));
        })
    };
    let outcome = tokio::time::timeout(deadline, chain.provide_credentials()).await;
    notice.abort();
    match outcome {
        Err(_) => {
            // At this point the only processes ssmgo started are a credential provider's (e.g.
            // `sh -c <credential_process>` and what it runs).
            let stopped = crate::signals::stop_descendants(libc::SIGKILL);
            Err(Error::CredentialsTimedOut {
                origin: source.to_owned(),
                seconds: deadline.as_secs(),
                stopped,
            })
        }
        Ok(Err(e)) => Err(explain(&e)),
        Ok(Ok(first)) => {
            let temporary = first.session_token().is_some();
            let sdk = sdk
                .into_builder()
                .credentials_provider(SharedCredentialsProvider::new(FirstThenChain {
                    first: Mutex::new(Some(first)),
                    chain,
                }))
                .build();
            Ok((sdk, Some(temporary)))
        }
    }
}

/// The credentials already resolved while they are valid, then the chain again.
#[derive(Debug)]
pub(super) struct FirstThenChain {
    pub(super) first: Mutex<Option<Credentials>>,
    pub(super) chain: SharedCredentialsProvider,
}

impl ProvideCredentials for FirstThenChain {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        let mut first = self.first.lock().unwrap_or_else(|e| e.into_inner());
        let soon = SystemTime::now() + Duration::from_secs(60);
        match first.as_ref() {
            Some(c) if c.expiry().is_none_or(|e| e > soon) => {
                future::ProvideCredentials::ready(Ok(c.clone()))
            }
            _ => {
                *first = None;
                self.chain.provide_credentials()
            }
        }
    }
}
