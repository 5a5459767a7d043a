//! The Run Command calls `ssmgo run` makes, returning our own types.

use aws_sdk_ssm::types::CommandInvocationStatus;

use crate::aws::Aws;
use crate::error::Result;

/// What to send: one document, its script lines, up to 50 instances.
pub struct Send<'a> {
    pub document: &'a str,
    pub lines: &'a [String],
    pub instance_ids: &'a [String],
    pub max_concurrency: &'a str,
    pub max_errors: &'a str,
    /// The script's own time limit (the document's executionTimeout), seconds.
    pub execution_timeout: Option<u64>,
}

/// SendCommand; returns the command id.
pub async fn send(aws: &Aws, send: &Send<'_>) -> Result<String> {
    let mut request = aws
        .ssm
        .send_command()
        .document_name(send.document)
        .set_instance_ids(Some(send.instance_ids.to_vec()))
        .parameters("commands", send.lines.to_vec())
        .max_concurrency(send.max_concurrency)
        .max_errors(send.max_errors)
        .comment("ssmgo run");
    if let Some(secs) = send.execution_timeout {
        request = request.parameters("executionTimeout", vec![secs.to_string()]);
    }
    let out = request
        .send()
        .await
        .map_err(|e| aws.explain("SendCommand", "ssm:SendCommand", e))?;
    Ok(out
        .command()
        .and_then(|c| c.command_id())
        .unwrap_or_default()
        .to_owned())
}

/// Where one instance's copy of the command is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    pub instance_id: String,
    pub finished: bool,
}

/// ListCommandInvocations, every page.
pub async fn states(aws: &Aws, command_id: &str) -> Result<Vec<State>> {
    let mut out = Vec::new();
    let mut token = None;
    loop {
        let page = aws
            .ssm
            .list_command_invocations()
            .command_id(command_id)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| aws.explain("ListCommandInvocations", "ssm:ListCommandInvocations", e))?;
        for inv in page.command_invocations() {
            let finished = matches!(
                inv.status(),
                Some(
                    CommandInvocationStatus::Success
                        | CommandInvocationStatus::Failed
                        | CommandInvocationStatus::TimedOut
                        | CommandInvocationStatus::Cancelled
                )
            );
            out.push(State {
                instance_id: inv.instance_id().unwrap_or_default().to_owned(),
                finished,
            });
        }
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            return Ok(out);
        }
    }
}

/// One instance's result, as GetCommandInvocation gives it (output cut at 24,000 and 8,000
/// characters by SSM).
#[derive(Debug, Clone)]
pub struct Output {
    pub status: String,
    pub details: String,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub seconds: Option<f64>,
}

pub async fn output(aws: &Aws, command_id: &str, instance_id: &str) -> Result<Output> {
    let out = aws
        .ssm
        .get_command_invocation()
        .command_id(command_id)
        .instance_id(instance_id)
        .send()
        .await
        .map_err(|e| aws.explain("GetCommandInvocation", "ssm:GetCommandInvocation", e))?;
    Ok(Output {
        status: out
            .status()
            .map(|s| s.as_str().to_owned())
            .unwrap_or_default(),
        details: out.status_details().unwrap_or_default().to_owned(),
        code: out.response_code(),
        stdout: out.standard_output_content().unwrap_or_default().to_owned(),
        stderr: out.standard_error_content().unwrap_or_default().to_owned(),
        seconds: out.execution_elapsed_time().and_then(elapsed_seconds),
    })
}

/// "PT1.234S" (ISO 8601, as SSM writes it) → seconds.
fn elapsed_seconds(iso: &str) -> Option<f64> {
    let rest = iso.strip_prefix("PT")?;
    let mut total = 0.0;
    let mut number = String::new();
    for c in rest.chars() {
        match c {
            'H' | 'M' | 'S' => {
                let n: f64 = number.parse().ok()?;
                total += n * match c {
                    'H' => 3600.0,
                    'M' => 60.0,
                    _ => 1.0,
                };
                number.clear();
            }
            c => number.push(c),
        }
    }
    Some(total)
}

/// CancelCommand on every instance still running it.
pub async fn cancel(aws: &Aws, command_id: &str) -> Result<()> {
    aws.ssm
        .cancel_command()
        .command_id(command_id)
        .send()
        .await
        .map_err(|e| aws.explain("CancelCommand", "ssm:CancelCommand", e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elapsed_times_are_read_as_ssm_writes_them() {
        assert_eq!(elapsed_seconds("PT1.5S"), Some(1.5));
        assert_eq!(elapsed_seconds("PT2M3S"), Some(123.0));
        assert_eq!(elapsed_seconds("PT1H"), Some(3600.0));
        assert_eq!(elapsed_seconds("1.5"), None);
    }
}
