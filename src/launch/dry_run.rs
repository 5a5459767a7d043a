//! `--dry-run`: what a session would be (the target, the pre-check's outcome, the StartSession
//! request, the plugin's command line), printed instead of started.

use crate::aws::Aws;
use crate::error::Result;
use crate::fleet::Instance;
use crate::session::{self, Plugin, Request, Started};

pub(super) async fn print(
    aws: &Aws,
    instance: &Instance,
    request: &Request,
    plugin: Option<&Plugin>,
    checked: &str,
) -> Result<()> {
    let placeholder = Started {
        session_id: "<SessionId from StartSession>".into(),
        token_value: "<redacted>".into(),
        stream_url: "<StreamUrl from StartSession>".into(),
    };
    let (plugin_line, shown_plugin) = match plugin {
        Some(p) => (
            format!("{} (version {})", p.path.display(), p.version),
            p.clone(),
        ),
        None => (
            "not found on PATH: a real connect would stop here, before StartSession".to_owned(),
            Plugin::not_installed(),
        ),
    };
    let credentials = aws.credentials_for_child().await?;
    let invocation =
        session::invocation(aws, &shown_plugin, &placeholder, request, credentials).await;
    let ping = instance.ping_status.as_deref().unwrap_or("not managed");
    let text = format!(
        "Target:        {} {}, SSM {}\nPre-check:     {}\nStartSession:  {}\nPlugin:        {}\nCommand:       {}\nDry run: no session was started.\n",
        instance.label(),
        instance.state,
        ping,
        checked,
        request.to_json(),
        plugin_line,
        invocation.display_redacted(&placeholder.token_value),
    );
    crate::output::write_text(&text)
}
