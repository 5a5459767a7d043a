//! The two SSM calls a session needs, behind functions that return our own types.

use super::{Request, Started};
use crate::aws::{is_service_error, Aws};
use crate::error::{Error, Result};
use crate::output::sanitize::for_terminal;

pub(super) async fn start_session(aws: &Aws, request: &Request) -> Result<Started> {
    let mut call = aws
        .ssm
        .start_session()
        .target(&request.target)
        .set_document_name(request.document.clone())
        .set_reason(request.reason.clone());
    if let Some(params) = &request.parameters {
        call = call.set_parameters(Some(params.clone().into_iter().collect()));
    }
    let out = call.send().await.map_err(|e| {
        if is_service_error(&e, "TargetNotConnected") {
            let message = e
                .as_service_error()
                .and_then(|s| s.meta().message())
                .unwrap_or("");
            return Error::TargetNotConnected {
                target: request.target.clone(),
                region: aws.region().to_owned(),
                message: for_terminal(message).into_owned(),
            };
        }
        if is_service_error(&e, "AccessDeniedException") {
            let message = e
                .as_service_error()
                .and_then(|s| s.meta().message())
                .unwrap_or("");
            let denial = super::denied::parse(message);
            if aws.verbose() {
                eprintln!(
                    "ssmgo: StartSession: {}",
                    for_terminal(&aws_sdk_ssm::error::DisplayErrorContext(&e).to_string())
                );
            }
            return Error::SessionDenied {
                resource: denial
                    .resource
                    .as_deref()
                    .map(|r| format!(" on {}", for_terminal(r)))
                    .unwrap_or_default(),
                layer: denial.layer_text().to_owned(),
                advice: denial.advice(&request.target),
            };
        }
        aws.explain("StartSession", "ssm:StartSession", e)
    })?;
    Ok(Started {
        session_id: out.session_id().unwrap_or_default().to_owned(),
        token_value: out.token_value().unwrap_or_default().to_owned(),
        stream_url: out.stream_url().unwrap_or_default().to_owned(),
    })
}

pub(super) async fn terminate_session(aws: &Aws, session_id: &str) -> Result<()> {
    aws.ssm
        .terminate_session()
        .session_id(session_id)
        .send()
        .await
        .map_err(|e| aws.explain("TerminateSession", "ssm:TerminateSession", e))?;
    Ok(())
}
