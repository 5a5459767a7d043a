//! Starting a session and handing it to session-manager-plugin; ending it if the hand-off fails.

mod api;
pub mod denied;
pub mod plugin;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::aws::Aws;
use crate::error::{Error, Result};
use crate::settings::{parse_input, DocumentName};
use crate::signals;
pub(crate) use api::lost_outcome;
pub use plugin::Plugin;

/// What StartSession is asked for. Serialized as the plugin's fifth argument, in StartSession's
/// own field names, like the AWS CLI does.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Request {
    #[serde(rename = "Target")]
    pub target: String,
    #[serde(flatten)]
    pub spec: SessionSpec,
}

/// A session as asked for, before its instance is known: the document, its parameters, the
/// reason. A [`Request`] is made of it once the instance is.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SessionSpec {
    #[serde(rename = "DocumentName", skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    #[serde(rename = "Parameters", skip_serializing_if = "Option::is_none")]
    pub parameters: Option<BTreeMap<String, Vec<String>>>,
    #[serde(rename = "Reason", skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A started session: what the plugin needs to open the data channel. Debug output hides the
/// token.
pub struct Started {
    pub session_id: String,
    pub token_value: String,
    pub stream_url: String,
}

impl std::fmt::Debug for Started {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Started")
            .field("session_id", &self.session_id)
            .field("token_value", &"<redacted>")
            .field("stream_url", &self.stream_url)
            .finish()
    }
}

impl Started {
    /// The plugin's first argument (or the value of its environment variable).
    pub fn response_json(&self) -> String {
        serde_json::json!({
            "SessionId": self.session_id,
            "TokenValue": self.token_value,
            "StreamUrl": self.stream_url,
        })
        .to_string()
    }
}

impl SessionSpec {
    /// From the command line's raw values, each checked before anything is sent to AWS.
    pub fn new(
        document: Option<String>,
        parameters: Option<&str>,
        reason: Option<String>,
    ) -> Result<SessionSpec> {
        if let Some(doc) = &document {
            parse_input::<DocumentName>("--document", doc)?;
        }
        if let Some(reason) = &reason {
            let n = reason.chars().count();
            if n == 0 || n > 256 || reason.chars().any(char::is_control) {
                return Err(Error::BadInput {
                    what: "--reason",
                    value: reason.clone(),
                    reason: "give 1 to 256 characters on one line".into(),
                });
            }
        }
        let parameters = parameters.map(parse_parameters).transpose()?;
        Ok(SessionSpec {
            document,
            parameters,
            reason,
        })
    }
}

impl Request {
    /// The session `spec` on the instance `instance_id`.
    pub fn new(instance_id: String, spec: SessionSpec) -> Request {
        Request {
            target: instance_id,
            spec,
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a request always serializes")
    }
}

/// `--parameters`: a JSON object whose values are lists of strings (a lone string is taken as a
/// one-element list, which is what people mean).
pub fn parse_parameters(json: &str) -> Result<BTreeMap<String, Vec<String>>> {
    let bad = |reason: String| Error::BadParameters { reason };
    let value: serde_json::Value = serde_json::from_str(json).map_err(|e| {
        bad(format!(
            "not valid JSON at line {} column {}: {e}",
            e.line(),
            e.column()
        ))
    })?;
    let serde_json::Value::Object(map) = value else {
        return Err(bad("expected a JSON object".into()));
    };
    let mut out = BTreeMap::new();
    for (key, value) in map {
        let list = match value {
            serde_json::Value::String(s) => vec![s],
            serde_json::Value::Array(items) => items
                .into_iter()
                .map(|i| match i {
                    serde_json::Value::String(s) => Ok(s),
                    other => Err(bad(format!(
                        "the values of {key:?} must be strings, found {other}"
                    ))),
                })
                .collect::<Result<_>>()?,
            other => {
                return Err(bad(format!(
                    "{key:?} must be a list of strings, found {other}"
                )))
            }
        };
        out.insert(key, list);
    }
    Ok(out)
}

/// How `plugin` is run for `started`, exactly as the AWS CLI runs it; in an assumed role's
/// account, with that role's `credentials` ([`Aws::credentials_for_child`]) in its environment.
pub async fn invocation(
    aws: &Aws,
    plugin: &Plugin,
    started: &Started,
    request: &Request,
    credentials: Vec<(String, String)>,
) -> plugin::Invocation {
    let endpoint = aws.ssm_endpoint().await;
    invocation_at(aws, plugin, started, request, credentials, &endpoint)
}

/// [`invocation`] with the plugin's sixth argument given: ECS Exec passes ECS's endpoint, as
/// the AWS CLI's execute-command does.
pub fn invocation_at(
    aws: &Aws,
    plugin: &Plugin,
    started: &Started,
    request: &Request,
    credentials: Vec<(String, String)>,
    endpoint: &str,
) -> plugin::Invocation {
    let invocation = plugin.invocation(
        &started.response_json(),
        aws.region(),
        aws.profile_for_plugin(),
        &request.to_json(),
        endpoint,
    );
    invocation.with_credentials(credentials)
}

/// How long the data channel may take to open before ssmgo says what is happening.
const CHANNEL_PATIENCE: std::time::Duration = std::time::Duration::from_secs(5);

/// Starts the session and runs the plugin until the session ends. Whenever the plugin can't
/// start, dies from a signal or fails, the session is terminated so none is left open. AWS's
/// plugin also exits 0 when it could not start a session ("Cannot perform start session"), so
/// its exit status is not trusted alone: a session still open when it exits is terminated, and
/// one whose data channel never opened is a failure.
///
/// From just before StartSession to the end, the stop signals are this session's
/// ([`signals::claim`]): one that comes before the plugin runs terminates the session at once;
/// while it runs, SIGTERM and SIGHUP are passed to it ([`supervise`]).
///
/// `interrupt_ends_it` is for sessions a person ends with Ctrl-C (port forwarding, SSH): a
/// SIGINT sent to ssmgo alone, by a script say, is passed to the plugin, which ends as on
/// Ctrl-C. In a shell, Ctrl-C belongs to the remote shell and ssmgo ignores SIGINT.
pub async fn start_and_hand_off(
    aws: &Aws,
    request: &Request,
    plugin: &Plugin,
    interrupt_ends_it: bool,
    on_started: impl FnOnce(),
) -> Result<()> {
    let endpoint = aws.ssm_endpoint().await;
    let start = api::start_session(aws, request);
    let how = HandOff {
        request,
        plugin,
        interrupt_ends_it,
        endpoint: &endpoint,
    };
    hand_off(aws, how, start, on_started).await
}

/// What the plugin is run with, once the session has started.
pub struct HandOff<'a> {
    /// The plugin's fifth argument ({"Target": …}, and the document's request for SSM).
    pub request: &'a Request,
    pub plugin: &'a Plugin,
    /// Whether a SIGINT ends it (port forwarding, SSH) rather than belonging to a remote shell.
    pub interrupt_ends_it: bool,
    /// The plugin's sixth argument.
    pub endpoint: &'a str,
}

/// [`start_and_hand_off`] for a session that `start` starts, whatever the call (SSM's
/// StartSession, ECS's ExecuteCommand): the same contract, from just before `start` runs.
pub async fn hand_off(
    aws: &Aws,
    how: HandOff<'_>,
    start: impl std::future::Future<Output = Result<Started>>,
    on_started: impl FnOnce(),
) -> Result<()> {
    let HandOff {
        request,
        plugin,
        interrupt_ends_it,
        endpoint,
    } = how;
    // Before StartSession: a session is never left open for want of them.
    let credentials = aws.credentials_for_child().await?;
    let mut stops = signals::claim(&signals::STOP);
    // Told to stop already (another tunnel's session was): no session is started.
    if let Some(signal) = stops.try_recv() {
        return stopped_before_plugin(aws, None, signal, interrupt_ends_it).await;
    }
    // StartSession is not abandoned half way: a session it starts must be known to be ended.
    let started = start.await;
    if let Some(signal) = stops.try_recv() {
        return stopped_before_plugin(aws, started.ok(), signal, interrupt_ends_it).await;
    }
    let started = started?;
    on_started();
    let invocation = invocation_at(aws, plugin, &started, request, credentials, endpoint);
    if let Some(signal) = stops.try_recv() {
        return stopped_before_plugin(aws, Some(started), signal, interrupt_ends_it).await;
    }
    // (SIGQUIT and SIGTSTP stay the plugin's and the remote shell's, as with the AWS CLI.)
    let handled: &[libc::c_int] = match interrupt_ends_it {
        true => &[libc::SIGINT],
        false => &[],
    };
    let outcome = match invocation.spawn(handled) {
        Ok(running) => match supervise(aws, &started, running, &mut stops, interrupt_ends_it).await
        {
            Supervised::Exited(outcome) => outcome,
            Supervised::Stopped(signal) => {
                let _ = api::terminate_session(aws, &started.session_id).await;
                return Err(Error::Signalled {
                    signal,
                    session_id: started.session_id,
                    plugin_ran: true,
                });
            }
        },
        Err(e) => Err(e),
    };
    let failure = match outcome {
        Ok(status) if status.success() => {
            match api::session_status(aws, &started.session_id).await {
                Ok(None) => return Ok(()),
                Ok(Some(status)) if status != "Connecting" => {
                    // The shell is gone but the session is not: close it, as leaving it open
                    // until it times out serves no one.
                    return api::terminate_session(aws, &started.session_id)
                        .await
                        .or(Ok(()));
                }
                Ok(Some(_)) => {
                    "it exited without opening the session's data channel (see its message above)"
                        .to_owned()
                }
                // Can't tell: don't leave it open on a guess either way.
                Err(_) => {
                    let _ = api::terminate_session(aws, &started.session_id).await;
                    return Ok(());
                }
            }
        }
        Ok(status) => describe_exit(status),
        Err(e) => format!("it could not be started: {e}"),
    };
    let detail = match api::terminate_session(aws, &started.session_id).await {
        Ok(()) => failure,
        Err(e) => format!("{failure}; terminating the session also failed: {e}"),
    };
    Err(Error::PluginFailed {
        session_id: started.session_id,
        detail,
    })
}

/// Told to stop before the plugin ran: the session StartSession started, if it did, is
/// terminated (a StartSession that failed ended what it may have started itself). A SIGINT
/// that ends the session (a tunnel's Ctrl-C) ends it as it would have ended the plugin; in a
/// shell it cancels.
async fn stopped_before_plugin(
    aws: &Aws,
    started: Option<Started>,
    signal: libc::c_int,
    interrupt_ends_it: bool,
) -> Result<()> {
    let mut session_id = None;
    if let Some(started) = started {
        let _ = api::terminate_session(aws, &started.session_id).await;
        session_id = Some(started.session_id);
    }
    match (signal, session_id) {
        (libc::SIGINT, _) if interrupt_ends_it => Ok(()),
        (libc::SIGINT, _) => Err(Error::Cancelled),
        (signal, Some(session_id)) => Err(Error::Signalled {
            signal,
            session_id,
            plugin_ran: false,
        }),
        (signal, None) => Err(Error::Stopped {
            signal,
            state: "before StartSession: no session was started",
        }),
    }
}

/// How the plugin's run ended.
enum Supervised {
    Exited(std::io::Result<std::process::ExitStatus>),
    /// ssmgo was told to stop (SIGTERM, SIGHUP, or SIGINT when it ends the session): the plugin
    /// was stopped with it.
    Stopped(i32),
}

/// How long after the plugin died of a signal ssmgo's own copy of it may take to arrive.
const GROUP_SIGNAL_WINDOW: std::time::Duration = std::time::Duration::from_millis(200);

/// How long a child (the plugin, ssh) may take to stop after ssmgo passed it a signal.
pub(crate) const STOP_GRACE: std::time::Duration = std::time::Duration::from_secs(3);

/// Waits for the plugin. A SIGTERM or SIGHUP to ssmgo (a supervisor, `timeout`, a closed
/// terminal), or a SIGINT when `interrupt_ends_it`, is passed on to the plugin, which is killed
/// if it hasn't stopped after [`STOP_GRACE`]: it must never outlive ssmgo and keep a session
/// open.
async fn supervise(
    aws: &Aws,
    started: &Started,
    running: plugin::Running,
    stops: &mut signals::Claim,
    interrupt_ends_it: bool,
) -> Supervised {
    let pid = running.id();
    let mut wait = tokio::task::spawn_blocking(move || running.wait());
    let mut watch = std::pin::pin!(watch_channel(aws, started));
    let stop = loop {
        tokio::select! {
            biased;
            signal = stops.recv() => match signal {
                libc::SIGTERM | libc::SIGHUP => break signal,
                libc::SIGINT if interrupt_ends_it => break signal,
                // SIGQUIT, and SIGINT in a shell, are the plugin's: ignored by ssmgo while it
                // runs, they come here only from the moment before it started.
                _ => continue,
            },
            outcome = &mut wait => {
                let outcome = signals::joined(outcome);
                // A signal to the whole process group reaches the plugin and ssmgo at once: when
                // it killed the plugin, it told ssmgo to stop too, and is answered so.
                let killed_by = outcome.as_ref().ok().and_then(|s| {
                    use std::os::unix::process::ExitStatusExt;
                    s.signal()
                });
                if let Some(signal @ (libc::SIGTERM | libc::SIGHUP)) = killed_by {
                    let ours = async {
                        while stops.recv().await != signal {}
                    };
                    if tokio::time::timeout(GROUP_SIGNAL_WINDOW, ours).await.is_ok() {
                        return Supervised::Stopped(signal);
                    }
                }
                return Supervised::Exited(outcome);
            }
            never = &mut watch => match never {},
        }
    };
    let exited = signals::pass_on(pid, stop, &mut wait, STOP_GRACE).await;
    match (stop, exited) {
        // Ended as on Ctrl-C: what follows is what follows the plugin's own exit.
        (libc::SIGINT, Some(outcome)) => Supervised::Exited(outcome),
        _ => Supervised::Stopped(stop),
    }
}

/// While the plugin runs: if the session's data channel has not opened after a few seconds,
/// says so once (the plugin itself retries in silence). Never completes.
async fn watch_channel(aws: &Aws, started: &Started) -> std::convert::Infallible {
    tokio::time::sleep(CHANNEL_PATIENCE).await;
    if let Ok(Some(status)) = api::session_status(aws, &started.session_id).await {
        if status == "Connecting" {
            let host = started
                .stream_url
                .split("://")
                .nth(1)
                .and_then(|rest| rest.split('/').next())
                .unwrap_or(&started.stream_url);
            crate::say!(
                "\r\nssmgo: the session's data channel has not opened after {} s: session-manager-plugin keeps trying to reach {}. Ctrl-C stops it (the session is then terminated).\r",
                CHANNEL_PATIENCE.as_secs(),
                host
            );
        }
    }
    std::future::pending().await
}

fn describe_exit(status: std::process::ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            return format!("it was killed by signal {sig}");
        }
    }
    match status.code() {
        Some(code) => format!("it exited with status {code}"),
        None => "it ended abnormally".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_json_uses_start_session_field_names_and_omits_what_was_not_given() {
        let r = Request::new("i-1".into(), SessionSpec::new(None, None, None).unwrap());
        assert_eq!(r.to_json(), r#"{"Target":"i-1"}"#);
        let spec = SessionSpec::new(
            Some("AWS-StartPortForwardingSession".into()),
            Some(r#"{"portNumber":["22"],"localPortNumber":"2222"}"#),
            Some("ticket 42".into()),
        )
        .unwrap();
        assert_eq!(
            Request::new("i-1".into(), spec).to_json(),
            r#"{"Target":"i-1","DocumentName":"AWS-StartPortForwardingSession","Parameters":{"localPortNumber":["2222"],"portNumber":["22"]},"Reason":"ticket 42"}"#
        );
    }

    #[test]
    fn malformed_parameters_say_where_and_what() {
        let e = parse_parameters(r#"{"a": ["x",]}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 1 column"), "{e}");
        let e = parse_parameters(r#"["x"]"#).unwrap_err().to_string();
        assert!(e.contains("expected a JSON object"), "{e}");
        let e = parse_parameters(r#"{"n": [1]}"#).unwrap_err().to_string();
        assert!(e.contains("must be strings"), "{e}");
        let e = parse_parameters(r#"{"n": {"x":1}}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("list of strings"), "{e}");
        assert_eq!(parse_parameters("{").unwrap_err().exit_code(), 2);
    }

    #[test]
    fn reasons_and_document_names_are_checked_locally() {
        assert!(SessionSpec::new(Some("x".into()), None, None).is_err());
        assert!(SessionSpec::new(Some("bad name".into()), None, None).is_err());
        assert!(SessionSpec::new(None, None, Some("a\nb".into())).is_err());
        assert!(SessionSpec::new(None, None, Some("r".repeat(257))).is_err());
        assert!(SessionSpec::new(None, None, Some("r".repeat(256))).is_ok());
    }

    #[test]
    fn debug_output_never_contains_the_token() {
        let s = Started {
            session_id: "s-1".into(),
            token_value: "SECRET".into(),
            stream_url: "wss://x".into(),
        };
        assert!(!format!("{s:?}").contains("SECRET"));
        assert!(s.response_json().contains(r#""TokenValue":"SECRET""#));
    }
}
