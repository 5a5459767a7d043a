//! The containers printed: an aligned table for people, JSON rows for scripts, a picker line,
//! and what --dry-run would do. Text from AWS (names, tags) is made harmless where it is shown.

use serde::Serialize;

use super::{Container, Exec};
use crate::aws::Aws;
use crate::error::Result;
use crate::fleet::Origin;
use crate::output::sanitize::{truncated, Untrusted};
use crate::session::{self, Request, Started};

const HEADERS: [&str; 8] = [
    "CLUSTER",
    "SERVICE",
    "TASK",
    "CONTAINER",
    "LAUNCH",
    "PLATFORM",
    "EXEC",
    "AGENT",
];

fn cells(c: &Container) -> [String; 8] {
    let shown = |s: &str| Untrusted(&truncated(s, 64)).to_string();
    [
        shown(c.cluster()),
        shown(c.service().unwrap_or("-")),
        shown(c.task_id()),
        shown(&c.name),
        shown(if c.launch_type.is_empty() {
            "-"
        } else {
            &c.launch_type
        }),
        shown(c.platform_version.as_deref().unwrap_or("-")),
        if c.exec_enabled {
            "enabled"
        } else {
            "disabled"
        }
        .to_owned(),
        shown(c.agent_status.as_deref().unwrap_or("-")),
    ]
}

/// The table, columns as wide as their widest cell; the CLUSTER column says where it is
/// (account/region) when several were listed.
pub fn table(rows: &[Container]) -> String {
    let rows: Vec<[String; 8]> = rows
        .iter()
        .map(|c| {
            let mut row = cells(c);
            if let Some(origin) = &c.origin {
                row[0] = format!("{}:{}", Untrusted(&origin.label()), row[0]);
            }
            row
        })
        .collect();
    let mut widths = HEADERS.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &mut dyn Iterator<Item = &str>| -> String {
        let mut out = String::new();
        for (cell, w) in cells.zip(widths) {
            out.push_str(&format!("{cell:<w$}  "));
        }
        format!("{}\n", out.trim_end())
    };
    let mut out = line(&mut HEADERS.iter().copied());
    for row in &rows {
        out.push_str(&line(&mut row.iter().map(String::as_str)));
    }
    out
}

pub fn write_table(rows: &[Container]) -> Result<()> {
    crate::output::write_text(&table(rows))
}

/// A container as `ecs list --json` writes it for scripts, in this order: its cluster, service
/// and task by name too, its tags as an object, and where it is when several were listed.
#[derive(Serialize)]
struct JsonRow<'a> {
    cluster_arn: &'a str,
    task_arn: &'a str,
    container: &'a str,
    runtime_id: Option<&'a str>,
    last_status: &'a str,
    launch_type: &'a str,
    platform_version: Option<&'a str>,
    exec_enabled: bool,
    agent_status: Option<&'a str>,
    task_definition_arn: &'a str,
    #[serde(serialize_with = "tag_object")]
    tags: &'a [(String, String)],
    #[serde(flatten)]
    origin: Option<&'a Origin>,
    cluster: &'a str,
    service: Option<&'a str>,
    task_id: &'a str,
}

fn tag_object<S: serde::Serializer>(
    tags: &&[(String, String)],
    out: S,
) -> std::result::Result<S::Ok, S::Error> {
    out.collect_map(tags.iter().map(|(k, v)| (k, v)))
}

impl<'a> JsonRow<'a> {
    fn of(c: &'a Container) -> JsonRow<'a> {
        JsonRow {
            cluster_arn: &c.cluster_arn,
            task_arn: &c.task_arn,
            container: &c.name,
            runtime_id: c.runtime_id.as_deref(),
            last_status: &c.last_status,
            launch_type: &c.launch_type,
            platform_version: c.platform_version.as_deref(),
            exec_enabled: c.exec_enabled,
            agent_status: c.agent_status.as_deref(),
            task_definition_arn: &c.task_definition_arn,
            tags: &c.tags,
            origin: c.origin.as_deref(),
            cluster: c.cluster(),
            service: c.service(),
            task_id: c.task_id(),
        }
    }
}

/// JSON rows for scripts: one object per container.
pub fn write_json(rows: &[Container]) -> Result<()> {
    let rows: Vec<JsonRow> = rows.iter().map(JsonRow::of).collect();
    crate::output::write_json_value(&serde_json::to_value(rows).expect("containers serialize"))
}

/// One picker row: what people search by (where it is first, when several were listed).
pub fn picker_line(c: &Container) -> String {
    let cells = cells(c).join("  ");
    match &c.origin {
        Some(origin) => format!("{}  {cells}", Untrusted(&origin.label())),
        None => cells,
    }
}

/// What `ssmgo ecs --dry-run` would do: the target, the pre-check's outcome, the
/// ExecuteCommand request and the plugin's command line (the token never shown).
pub async fn dry_run(
    aws: &Aws,
    c: &Container,
    how: &Exec,
    check: &str,
    request: &Request,
) -> Result<()> {
    let placeholder = Started {
        session_id: "<sessionId from ExecuteCommand>".into(),
        token_value: "<redacted>".into(),
        stream_url: "<streamUrl from ExecuteCommand>".into(),
    };
    let plugin = session::Plugin::find().unwrap_or_else(|_| session::Plugin::not_installed());
    let endpoint = aws.ecs_endpoint().await;
    let invocation =
        session::invocation_at(aws, &plugin, &placeholder, request, Vec::new(), &endpoint);
    let execute = serde_json::json!({
        "cluster": c.cluster_arn, "task": c.task_arn, "container": c.name,
        "command": how.command, "interactive": true,
    });
    let text = format!(
        "Target:          {} (exec {}, agent {})\nPre-check:       {check}\nExecuteCommand:  {execute}\nPlugin:          {} (version {})\nCommand:         {}\nDry run: no session was started.\n",
        c.label(),
        if c.exec_enabled { "enabled" } else { "disabled" },
        c.agent_status.as_deref().unwrap_or("none"),
        plugin.path.display(),
        plugin.version,
        invocation.display_redacted("<redacted>"),
    );
    crate::output::write_text(&text)
}

/// `ecs forward --dry-run`: the container, the pre-check and each tunnel's StartSession request.
pub fn forward_dry_run(c: &Container, check: &str, requests: &[Request]) -> Result<()> {
    let mut text = format!(
        "Target:          {} (exec {}, agent {})\nPre-check:       {check}\n",
        Untrusted(&c.label()),
        if c.exec_enabled {
            "enabled"
        } else {
            "disabled"
        },
        c.agent_status.as_deref().unwrap_or("none"),
    );
    for r in requests {
        text.push_str(&format!("StartSession:    {}\n", Untrusted(&r.to_json())));
    }
    text.push_str("Dry run: no session was started.\n");
    crate::output::write_text(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_rows_are_what_scripts_read_in_this_order() {
        let mut c = Container::example();
        c.agent_reason = Some("not shown".into());
        c.eni = Some("eni-not-shown".into());
        c.origin = Some(std::sync::Arc::new(Origin {
            profile: Some("ops".into()),
            region: "us-east-1".into(),
            account: Some("123456789012".into()),
            account_name: None,
        }));
        let json = serde_json::to_string(&JsonRow::of(&c)).unwrap();
        assert_eq!(
            json,
            r#"{"cluster_arn":"arn:aws:ecs:us-east-1:123456789012:cluster/prod","task_arn":"arn:aws:ecs:us-east-1:123456789012:task/prod/0123456789abcdef0123456789abcdef","container":"app","runtime_id":"0123456789abcdef0123456789abcdef-1234567890","last_status":"RUNNING","launch_type":"FARGATE","platform_version":"1.4.0","exec_enabled":true,"agent_status":"RUNNING","task_definition_arn":"","tags":{"Env":"prod"},"profile":"ops","region":"us-east-1","account":"123456789012","cluster":"prod","service":"web","task_id":"0123456789abcdef0123456789abcdef"}"#
        );
    }

    #[test]
    fn the_table_lines_up_and_neutralises_names() {
        let c = Container {
            group: Some("service:web\u{1b}[31m".into()),
            ..Container::example()
        };
        let t = table(&[c]);
        let lines: Vec<&str> = t.lines().collect();
        assert!(lines[0].starts_with("CLUSTER  SERVICE"), "{t}");
        assert!(lines[1].contains("web\\x1b[31m"), "{t}");
        assert!(!t.contains('\u{1b}'));
        let at = |l: &str| l.find("CONTAINER").or_else(|| l.find("app")).unwrap();
        assert_eq!(at(lines[0]), at(lines[1]), "{t}");
    }
}
