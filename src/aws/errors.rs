//! SDK error → our [`Error`]: one place that knows AWS's error codes and the SDK's error shapes.

use std::error::Error as StdError;
use std::fmt::Debug;

use aws_credential_types::provider::error::CredentialsError;
use aws_sdk_ec2::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};

use super::Aws;
use crate::error::Error;
use crate::output::sanitize::for_terminal;

const ACCESS_DENIED: &[&str] = &[
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "UnauthorizedAccess",
];
const THROTTLED: &[&str] = &[
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
    /// Explains a failed SDK call. `action` is the IAM action the call needs, named in the
    /// access-denied advice.
    pub(crate) fn explain<E, R>(
        &self,
        operation: &'static str,
        action: &'static str,
        err: SdkError<E, R>,
    ) -> Error
    where
        E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
        R: Debug + Send + Sync + 'static,
    {
        let full = DisplayErrorContext(&err).to_string();
        if self.verbose {
            eprintln!("ssmgo: {operation}: {}", for_terminal(&full));
        }
        if let Some(cred) = find_in_chain::<CredentialsError>(&err) {
            return self.credentials_error(cred);
        }
        match &err {
            SdkError::ServiceError(se) => {
                let code = se.err().code().unwrap_or("Unknown");
                let message = for_terminal(se.err().message().unwrap_or("")).into_owned();
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
                } else if BAD_CREDENTIALS.contains(&code) {
                    Error::BadCredentials {
                        operation,
                        detail: format!("{code}: {message}"),
                    }
                } else {
                    Error::Aws {
                        operation,
                        detail: format!("{code}: {message}"),
                    }
                }
            }
            SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => {
                let service = if operation.starts_with("DescribeInstances") {
                    "ec2"
                } else {
                    "ssm"
                };
                Error::EndpointUnreachable {
                    operation,
                    endpoint: for_terminal(&self.endpoint_for_messages(service)).into_owned(),
                    region: self.region.clone(),
                    detail: for_terminal(&innermost(&err)).into_owned(),
                }
            }
            _ => Error::Aws {
                operation,
                detail: for_terminal(&full).into_owned(),
            },
        }
    }

    fn credentials_error(&self, err: &CredentialsError) -> Error {
        let detail = for_terminal(&DisplayErrorContext(err).to_string()).into_owned();
        match (&self.profile_in_use, self.profile_is_sso) {
            (Some(profile), true) => Error::SsoLoginNeeded {
                profile: for_terminal(profile).into_owned(),
                detail,
            },
            _ => Error::NoCredentials { detail },
        }
    }
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
