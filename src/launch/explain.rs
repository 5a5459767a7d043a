//! Why a session could not be had, said where it failed: the short doctor when SSM can't reach
//! the instance, the pre-check's machinery when AWS refused StartSession.

use crate::aws::Aws;
use crate::doctor;
use crate::error::Error;
use crate::fleet::Instance;
use crate::precheck::{self, Check, Who, WhoFailure};

/// The short doctor on `instance`, which SSM can't reach: prints what is wrong or unknown and,
/// when it found a problem, makes its next step `error`'s (an [`Error::NotConnectable`] or
/// [`Error::TargetNotConnected`]; any other error is returned as it is, the doctor not run).
pub(super) async fn with_doctors_finding(
    aws: &Aws,
    instance: &Instance,
    document: Option<&str>,
    who: Option<&Result<Who, WhoFailure>>,
    error: Error,
) -> Error {
    if !matches!(
        error,
        Error::NotConnectable { .. } | Error::TargetNotConnected { .. }
    ) {
        return error;
    }
    let document = document.unwrap_or(precheck::DEFAULT_DOCUMENT);
    let who = who.and_then(|w| w.as_ref().ok());
    let report = doctor::examine(aws, instance, document, who).await;
    crate::output::to_stderr(&doctor::render_short(&report));
    if report.problems == 0 {
        return error;
    }
    let found = format!(
        "Fix what `ssmgo doctor` found above; `ssmgo doctor {}` checks again",
        instance.instance_id
    );
    match error {
        Error::NotConnectable { target, reason, .. } => Error::NotConnectable {
            target,
            reason,
            next: found,
        },
        Error::TargetNotConnected {
            target, message, ..
        } => Error::TargetNotConnected {
            target,
            message,
            next: found,
        },
        other => other,
    }
}

/// AWS refused StartSession although the pre-check did not (it was skipped, or the outcome
/// depended on context only AWS sees): the same machinery says which statement and which
/// context condition most likely decided it.
pub(super) async fn denial(
    aws: &Aws,
    check: Option<Check>,
    document: Option<&str>,
    instance: &Instance,
) {
    // The pre-check's own findings when it ran; only a skipped one is done now.
    let check = match check {
        Some(check) => check,
        None => {
            let who = precheck::whoami(aws, document, None).await;
            precheck::check_as(aws, &who, instance).await
        }
    };
    precheck::say_why_refused(&check);
}
