//! How ssmgo retries AWS calls, and saying so when AWS throttles.
//!
//! AWS's standard mode: exponential back-off with full jitter from 100 ms up to 5 s, up to 10
//! attempts (`AWS_MAX_ATTEMPTS`; `AWS_RETRY_MODE` hands the choice back to the SDK). Adaptive
//! mode was used before: after one ThrottlingException its client-side rate limiter held the
//! next request for up to 20 s, and at 30% throttling listings took minutes and usually failed.
//! Every client of a run shares one retry budget in which a throttling retry costs one token and
//! a success earns one back, so that a throttled listing completes while an endpoint that only
//! fails still stops being retried.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_smithy_runtime::client::retries::{RetryPartition, TokenBucket};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::FinalizerInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

use super::errors::THROTTLED;

/// Attempts per call, the first included, unless AWS_MAX_ATTEMPTS says otherwise.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 10;

/// The retry policy, or None when AWS_RETRY_MODE is set (the SDK then reads it and
/// AWS_MAX_ATTEMPTS itself).
pub(super) fn config() -> Option<RetryConfig> {
    if std::env::var_os("AWS_RETRY_MODE").is_some() {
        return None;
    }
    let attempts = std::env::var("AWS_MAX_ATTEMPTS")
        .ok()
        .and_then(|a| a.parse::<u32>().ok())
        .filter(|a| *a > 0)
        .unwrap_or(DEFAULT_MAX_ATTEMPTS);
    Some(
        RetryConfig::standard()
            .with_max_attempts(attempts)
            .with_initial_backoff(Duration::from_millis(100))
            .with_max_backoff(Duration::from_secs(5)),
    )
}

/// The retry budget every client of this run draws on.
pub(super) fn partition() -> RetryPartition {
    static PARTITION: OnceLock<RetryPartition> = OnceLock::new();
    PARTITION
        .get_or_init(|| {
            RetryPartition::custom("ssmgo")
                .token_bucket(
                    TokenBucket::builder()
                        .capacity(500)
                        .throttling_retry_cost(1)
                        .retry_cost(5)
                        .timeout_retry_cost(10)
                        .success_reward(1.0)
                        .build(),
                )
                .build()
        })
        .clone()
}

/// Says once per run, on stderr, that AWS is throttling and ssmgo is waiting: a listing that
/// slows down for no visible reason looks hung.
#[derive(Debug)]
pub(super) struct ThrottleNotice;

static SAID: AtomicBool = AtomicBool::new(false);

impl Intercept for ThrottleNotice {
    fn name(&self) -> &'static str {
        "ssmgo-throttle-notice"
    }

    fn read_after_attempt(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let Some(response) = context.response() else {
            return Ok(());
        };
        let body = response.body().bytes().unwrap_or_default();
        if is_throttling(response.status().as_u16(), body) && !SAID.swap(true, Ordering::Relaxed) {
            let (service, operation) = cfg
                .load::<Metadata>()
                .map(|m| (m.service().to_lowercase(), m.name().to_owned()))
                .unwrap_or_else(|| ("aws".into(), "a call".into()));
            super::trace::emit(format!(
                "ssmgo: AWS is throttling {service} {operation}; waiting and retrying (up to {} attempts per call, AWS_MAX_ATTEMPTS)",
                config().map_or(DEFAULT_MAX_ATTEMPTS, |c| c.max_attempts())
            ));
        }
        Ok(())
    }
}

/// Whether an answer is AWS telling the caller to slow down: HTTP 429, or an error whose code
/// is one of the throttling codes (SSM answers 400, EC2 503).
fn is_throttling(status: u16, body: &[u8]) -> bool {
    status == 429
        || (matches!(status, 400 | 503)
            && THROTTLED
                .iter()
                .any(|code| memchr::memmem::find(body, code.as_bytes()).is_some()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttling_answers_are_recognised_in_both_protocols() {
        assert!(is_throttling(
            400,
            br#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#
        ));
        assert!(is_throttling(
            503,
            b"<Response><Errors><Error><Code>RequestLimitExceeded</Code>"
        ));
        assert!(is_throttling(429, b""));
        assert!(!is_throttling(
            400,
            br#"{"__type":"ValidationException","message":"x"}"#
        ));
        assert!(!is_throttling(200, b"Throttling"));
    }
}
