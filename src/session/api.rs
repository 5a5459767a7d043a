//! The two SSM calls a session needs, behind functions that return our own types.

use std::time::{Duration, SystemTime};

use aws_config::retry::RetryConfig;
use aws_sdk_ssm::error::SdkError;
use aws_sdk_ssm::types::{SessionFilter, SessionFilterKey, SessionState};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_types::date_time::{DateTime, Format as DateTimeFormat};

use super::{Request, Started};
use crate::aws::{is_service_error, Aws};
use crate::error::{Error, Result};

/// How often StartSession is tried when AWS throttles it (a throttled call was not carried out,
/// so trying again is safe); other failures are never retried blindly.
const THROTTLED_ATTEMPTS: u32 = 5;

/// Starts a session. StartSession is not idempotent: a retry after a lost answer would start a
/// second session and leave the first one open. So the SDK does not retry it; when its answer
/// may have been lost after AWS carried it out, the caller's sessions on the target started
/// since are found and terminated, and the error says so.
pub(super) async fn start_session(aws: &Aws, request: &Request) -> Result<Started> {
    let asked_at = SystemTime::now();
    let mut attempt = 1;
    let out = loop {
        let mut call = aws
            .ssm
            .start_session()
            .target(&request.target)
            .set_document_name(request.spec.document.clone())
            .set_reason(request.spec.reason.clone());
        if let Some(params) = &request.spec.parameters {
            call = call.set_parameters(Some(params.clone().into_iter().collect()));
        }
        let sent = call
            .customize()
            .config_override(
                aws_sdk_ssm::config::Builder::default().retry_config(RetryConfig::disabled()),
            )
            .send()
            .await;
        match sent {
            Ok(out) => break out,
            Err(e) if is_throttled(&e) && attempt < THROTTLED_ATTEMPTS => {
                tokio::time::sleep(Duration::from_millis(200 << attempt)).await;
                attempt += 1;
            }
            Err(
                e @ (SdkError::DispatchFailure(_)
                | SdkError::TimeoutError(_)
                | SdkError::ResponseError(_)),
            ) => return Err(after_lost_answer(aws, request, asked_at, e).await),
            Err(e) => return Err(explain_start_error(aws, request, e)),
        }
    };
    Ok(Started {
        session_id: out.session_id().unwrap_or_default().to_owned(),
        token_value: out.token_value().unwrap_or_default().to_owned(),
        stream_url: out.stream_url().unwrap_or_default().to_owned(),
    })
}

type StartError = SdkError<aws_sdk_ssm::operation::start_session::StartSessionError, HttpResponse>;

fn is_throttled(e: &StartError) -> bool {
    [
        "ThrottlingException",
        "Throttling",
        "TooManyRequestsException",
    ]
    .iter()
    .any(|code| is_service_error(e, code))
}

/// StartSession's answer did not arrive: ends whatever the call may have started.
async fn after_lost_answer(
    aws: &Aws,
    request: &Request,
    asked_at: SystemTime,
    err: StartError,
) -> Error {
    let dispatch = matches!(err, SdkError::DispatchFailure(_));
    let original = aws.explain("ssm:StartSession", err);
    let target = request.target.clone();
    let Some(outcome) = lost_outcome(aws, &target, asked_at, dispatch).await else {
        return original;
    };
    Error::StartSessionLost {
        target,
        detail: original
            .to_string()
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned(),
        outcome,
    }
}

/// After a call that starts a session lost its answer (StartSession, ECS's ExecuteCommand): the
/// sessions it may have started on `target` ended, in words; None when the request most likely
/// never left (`dispatch`: the endpoint is unreachable) and nothing could be checked.
pub(crate) async fn lost_outcome(
    aws: &Aws,
    target: &str,
    asked_at: SystemTime,
    dispatch: bool,
) -> Option<String> {
    Some(match end_sessions_started_since(aws, target, asked_at).await {
        Ok(0) => "it started no session".to_owned(),
        Ok(n) => format!("the {n} session(s) it had started were terminated, so none is left open"),
        Err(_) if dispatch => return None,
        Err(e) => format!(
            "ssmgo could not check whether it started one ({}); look with `aws ssm describe-sessions --state Active --filters key=Target,value={target}` and end it with `aws ssm terminate-session`",
            e.to_string().lines().next().unwrap_or_default()
        ),
    })
}

/// Terminates the caller's active sessions on `target` that started at or after `since`
/// (less a little clock skew), and returns how many there were (ECS Exec targets included:
/// `ecs:CLUSTER_TASKID_RUNTIMEID`).
async fn end_sessions_started_since(aws: &Aws, target: &str, since: SystemTime) -> Result<usize> {
    let me = crate::aws::caller_identity(aws).await?;
    let since = DateTime::from(since - Duration::from_secs(5))
        .fmt(DateTimeFormat::DateTime)
        .map_err(|e| Error::io("formatting a time", std::io::Error::other(e)))?;
    let filter = |key: SessionFilterKey, value: &str| {
        SessionFilter::builder()
            .key(key)
            .value(value)
            .build()
            .expect("key and value are set")
    };
    let out = aws
        .ssm
        .describe_sessions()
        .state(SessionState::Active)
        .filters(filter(SessionFilterKey::TargetId, target))
        .filters(filter(SessionFilterKey::Owner, &me.arn))
        .filters(filter(SessionFilterKey::InvokedAfter, &since))
        .send()
        .await
        .map_err(|e| aws.explain("ssm:DescribeSessions", e))?;
    let mut ended = 0;
    for session in out.sessions() {
        if let Some(id) = session.session_id() {
            terminate_session(aws, id).await?;
            ended += 1;
        }
    }
    Ok(ended)
}

fn explain_start_error(aws: &Aws, request: &Request, e: StartError) -> Error {
    if is_service_error(&e, "TargetNotConnected") {
        let message = e
            .as_service_error()
            .and_then(|s| s.meta().message())
            .unwrap_or("");
        return Error::TargetNotConnected {
            target: request.target.clone(),
            message: message.to_string(),
            next: format!(
                "The SSM agent may be stopped, the instance may lack an instance profile with AmazonSSMManagedInstanceCore, it may have no route to the SSM endpoints, or it lives in another region than {}; `ssmgo doctor {}` finds which",
                aws.region(),
                request.target
            ),
        };
    }
    if is_service_error(&e, "AccessDeniedException") {
        let message = e
            .as_service_error()
            .and_then(|s| s.meta().message())
            .unwrap_or("");
        let denial = super::denied::parse(message);
        if aws.verbose() {
            crate::say!(
                "ssmgo: StartSession: {}",
                aws_sdk_ssm::error::DisplayErrorContext(&e).to_string()
            );
        }
        return Error::SessionDenied {
            resource: denial
                .resource
                .as_deref()
                .map(|r| format!(" on {}", r))
                .unwrap_or_default(),
            layer: denial.layer_text().to_owned(),
            advice: denial.advice(&request.target),
        };
    }
    aws.explain("ssm:StartSession", e)
}

pub(super) async fn terminate_session(aws: &Aws, session_id: &str) -> Result<()> {
    aws.ssm
        .terminate_session()
        .session_id(session_id)
        .send()
        .await
        .map_err(|e| aws.explain("ssm:TerminateSession", e))?;
    Ok(())
}

/// The status of one of the caller's sessions while it is active ("Connecting", "Connected",
/// ...), or None once it has ended.
pub(super) async fn session_status(aws: &Aws, session_id: &str) -> Result<Option<String>> {
    let filter = SessionFilter::builder()
        .key(SessionFilterKey::SessionId)
        .value(session_id)
        .build()
        .expect("key and value are set");
    let out = aws
        .ssm
        .describe_sessions()
        .state(SessionState::Active)
        .filters(filter)
        .send()
        .await
        .map_err(|e| aws.explain("ssm:DescribeSessions", e))?;
    Ok(out
        .sessions()
        .iter()
        .find(|s| s.session_id() == Some(session_id))
        .map(|s| {
            s.status()
                .map(|x| x.as_str().to_owned())
                .unwrap_or_default()
        }))
}
