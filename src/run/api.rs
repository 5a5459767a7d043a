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
    /// Where SSM writes the whole output: (bucket, key prefix).
    pub output_s3: Option<(&'a str, &'a str)>,
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
    if let Some((bucket, prefix)) = send.output_s3 {
        request = request
            .output_s3_bucket_name(bucket)
            .set_output_s3_key_prefix((!prefix.is_empty()).then(|| prefix.to_owned()));
    }
    let out = request
        .send()
        .await
        .map_err(|e| aws.explain("ssm:SendCommand", e))?;
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
            .map_err(|e| aws.explain("ssm:ListCommandInvocations", e))?;
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
    /// Where SSM put the whole of each, when it was asked to (an S3 URL).
    pub stdout_url: Option<String>,
    pub stderr_url: Option<String>,
}

pub async fn output(aws: &Aws, command_id: &str, instance_id: &str) -> Result<Output> {
    let out = aws
        .ssm
        .get_command_invocation()
        .command_id(command_id)
        .instance_id(instance_id)
        .send()
        .await
        .map_err(|e| aws.explain("ssm:GetCommandInvocation", e))?;
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
        stdout_url: out
            .standard_output_url()
            .filter(|u| !u.is_empty())
            .map(str::to_owned),
        stderr_url: out
            .standard_error_url()
            .filter(|u| !u.is_empty())
            .map(str::to_owned),
    })
}

/// The object key in `bucket` of an S3 URL as SSM writes it: path style
/// (https://s3.REGION.amazonaws.com/BUCKET/KEY) or virtual-hosted (https://BUCKET.s3…/KEY).
pub fn object_key(url: &str, bucket: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let (host, path) = rest.split_once('/')?;
    match host.starts_with(&format!("{bucket}.")) {
        true => Some(path.to_owned()),
        false => path.strip_prefix(&format!("{bucket}/")).map(str::to_owned),
    }
}

/// An S3 object's text.
pub async fn object_text(aws: &Aws, bucket: &str, key: &str) -> Result<String> {
    let out = aws
        .s3()
        .get_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .map_err(|e| aws.explain("s3:GetObject", e))?;
    let bytes = out
        .body
        .collect()
        .await
        .map_err(|e| crate::error::Error::Aws {
            operation: "GetObject",
            detail: format!("reading s3://{bucket}/{key}: {e}"),
        })?;
    Ok(String::from_utf8_lossy(&bytes.into_bytes()).into_owned())
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
        .map_err(|e| aws.explain("ssm:CancelCommand", e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_keys_come_from_both_kinds_of_s3_url() {
        assert_eq!(
            object_key("https://s3.eu-west-1.amazonaws.com/logs/run/cid/i-1/awsrunShellScript/0.awsrunshellscript/stdout", "logs").as_deref(),
            Some("run/cid/i-1/awsrunShellScript/0.awsrunshellscript/stdout")
        );
        assert_eq!(
            object_key("https://logs.s3.amazonaws.com/cid/stdout", "logs").as_deref(),
            Some("cid/stdout")
        );
        assert_eq!(object_key("https://s3.amazonaws.com/other/x", "logs"), None);
    }

    #[test]
    fn elapsed_times_are_read_as_ssm_writes_them() {
        assert_eq!(elapsed_seconds("PT1.5S"), Some(1.5));
        assert_eq!(elapsed_seconds("PT2M3S"), Some(123.0));
        assert_eq!(elapsed_seconds("PT1H"), Some(3600.0));
        assert_eq!(elapsed_seconds("1.5"), None);
    }
}
