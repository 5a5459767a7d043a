//! SDK error → our [`Error`]: one place that knows AWS's error codes and the SDK's error shapes.

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use std::error::Error as StdError;

use aws_credential_types::provider::error::CredentialsError;
use aws_sdk_ec2::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};

use super::Aws;
use crate::error::Error;

const ACCESS_DENIED: &[&str] = &[
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "UnauthorizedAccess",
];
pub(super) const THROTTLED: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestLimitExceeded",
    "TooManyRequestsException",
    "RequestThrottled",
    "RequestThrottledException",
    "SlowDown",
];
const BAD_CREDENTIALS: &[&str] = &[
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    "AuthFailure",
    "ExpiredToken",
    "ExpiredTokenException",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "IncompleteSignature",
];

/// The AWS error code of a service error, when there is one (e.g. "TargetNotConnected").
pub(crate) fn is_service_error<E, R>(err: &SdkError<E, R>, code: &str) -> bool
where
    E: ProvideErrorMetadata,
{
    matches!(err, SdkError::ServiceError(se) if se.err().code() == Some(code))
}

impl Aws {
    /// Explains a failed SDK call in one sentence and a next step. `action` is the IAM action the
    /// call needs, `service:Operation`, named in the access-denied advice; every call ssmgo makes
    /// needs the permission of its own name, so the operation the messages name is its second
    /// half. The SDK's own text (which can hold a whole HTTP response) is shown only with
    /// --verbose.
    pub(crate) fn explain<E>(&self, action: &'static str, err: SdkError<E, HttpResponse>) -> Error
    where
        E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
    {
        // The service is the action's prefix (ec2:…, ssm:…, iam:…, sts:…).
        let (service, operation) = action.split_once(':').unwrap_or(("ssm", action));
        if self.verbose {
            let full = DisplayErrorContext(&err).to_string();
            crate::say!("ssmgo: {operation}: {}", full);
        }
        if let Some(cred) = find_in_chain::<CredentialsError>(&err) {
            // A role assumed on first use (the picker's organization): its refusal is the role's.
            if let Some(assumed) = &self.assumed {
                return Error::RoleNotAssumable {
                    role_arn: assumed.role_arn.clone(),
                    detail: short(&innermost(cred)),
                };
            }
            return credentials_error(self.profile_in_use.as_deref(), self.profile_is_sso, cred);
        }
        let endpoint = || self.endpoint_for_messages(service);
        let timed_out = || Error::TimedOut {
            operation,
            endpoint: endpoint(),
            seconds: self.timeout.as_secs(),
        };
        match &err {
            SdkError::ServiceError(se) => {
                let message = short(se.err().message().unwrap_or(""));
                let Some(code) = se.err().code() else {
                    return Error::Aws {
                        operation,
                        detail: format!(
                            "{} answered HTTP {} without an AWS error in the body (a proxy, firewall or load balancer in between?)",
                            endpoint(),
                            status_of(se.raw())
                        ),
                    };
                };
                if ACCESS_DENIED.contains(&code) {
                    Error::AccessDenied {
                        operation,
                        action,
                        message,
                    }
                } else if THROTTLED.contains(&code) {
                    Error::Throttled {
                        operation,
                        detail: format!("{code}: {message}"),
                    }
                } else if let (Some(assumed), "AuthFailure" | "UnrecognizedClientException") =
                    (&self.assumed, code)
                {
                    // The role was just assumed, so its credentials are good: an account refuses
                    // them like this in a region it hasn't enabled.
                    Error::RegionNotEnabled {
                        operation,
                        account: assumed.account.clone(),
                        region: self.region.clone(),
                        detail: format!("{code}: {message}"),
                    }
                } else if BAD_CREDENTIALS.contains(&code) {
                    Error::BadCredentials {
                        operation,
                        detail: format!("{code}: {message}"),
                    }
                } else {
                    Error::Aws {
                        operation,
                        detail: format!("{}: {message}", short(code)),
                    }
                }
            }
            SdkError::TimeoutError(_) => timed_out(),
            SdkError::DispatchFailure(f) if f.is_timeout() => timed_out(),
            SdkError::DispatchFailure(_) => Error::EndpointUnreachable {
                operation,
                endpoint: endpoint(),
                region: self.region.clone(),
                detail: short(&innermost(&err)),
            },
            SdkError::ResponseError(r) => Error::Aws {
                operation,
                detail: format!(
                    "its answer from {} (HTTP {}) could not be read: {}",
                    endpoint(),
                    status_of(r.raw()),
                    short(&innermost(&err))
                ),
            },
            _ => Error::Aws {
                operation,
                detail: short(&innermost(&err)),
            },
        }
    }
}

/// Explains a credentials failure: for an SSO profile, the login it needs.
pub(super) fn credentials_error(
    profile: Option<&str>,
    profile_is_sso: bool,
    err: &CredentialsError,
) -> Error {
    let detail = short(&innermost(err));
    match (profile, profile_is_sso) {
        (Some(profile), true) => Error::SsoLoginNeeded {
            profile: profile.to_string(),
            detail,
        },
        _ => Error::NoCredentials { detail },
    }
}

fn status_of(raw: &HttpResponse) -> u16 {
    raw.status().as_u16()
}

/// One line of at most 200 characters, made safe for a terminal: an error's detail, never a
/// dump.
fn short(text: &str) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    crate::output::sanitize::truncated(line, 200).into_owned()
}

fn find_in_chain<'a, T: StdError + 'static>(err: &'a (dyn StdError + 'static)) -> Option<&'a T> {
    let mut cur: Option<&(dyn StdError + 'static)> = Some(err);
    while let Some(e) = cur {
        if let Some(hit) = e.downcast_ref::<T>() {
            return Some(hit);
        }
        cur = e.source();
    }
    None
}

/// The deepest cause's text: for a connection failure, "Connection refused (os error 111)" says
/// more than "dispatch failure".
fn innermost(err: &(dyn StdError + 'static)) -> String {
    let mut cur = err;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}
