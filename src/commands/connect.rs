//! `ssmgo connect` (and plain `ssmgo`): resolve a target, then hand the session to the plugin.

use std::io::IsTerminal;

use crate::aws::Aws;
use crate::cli::{AwsArgs, ConnectArgs};
use crate::error::{Error, Result};
use crate::fleet::{self, Instance, Query, TagFilters};
use crate::output::sanitize::for_terminal;
use crate::picker::RowPicker;
use crate::precheck::{self, Verdict};
use crate::session::{self, Plugin, Request, Started};

pub async fn run(aws_args: &AwsArgs, verbose: bool, args: ConnectArgs) -> Result<()> {
    // Everything that can be checked locally is checked before the first AWS call.
    let tags = TagFilters::parse(&args.filter.tags)?;
    let template = Request::new(
        String::new(),
        args.document,
        args.parameters.as_deref(),
        args.reason,
    )?;
    if args.target.is_none() && !interactive() {
        return Err(Error::NotInteractive);
    }
    let plugin = if args.dry_run {
        Plugin::find().ok()
    } else {
        Some(Plugin::find()?)
    };

    let aws = Aws::load(aws_args, verbose).await?;
    // Who is asking doesn't depend on the target: look it up while the target is resolved.
    let (instance, who) = tokio::join!(resolve(&aws, args.target.as_deref(), tags), async {
        if args.no_check {
            None
        } else {
            Some(precheck::whoami(&aws, template.document.as_deref()).await)
        }
    });
    let instance = instance?;
    if let Some(blocker) = instance.blocker() {
        return Err(Error::NotConnectable {
            target: for_terminal(&instance.label()).into_owned(),
            reason: blocker.reason,
            next: blocker.next,
        });
    }
    let request = Request {
        target: instance.instance_id.clone(),
        ..template
    };
    let checked = match &who {
        None => "skipped (--no-check)".to_owned(),
        Some(who) => guard(&aws, who, &instance, args.strict).await?,
    };
    match plugin {
        Some(plugin) if !args.dry_run => {
            eprintln!(
                "ssmgo: starting a session on {}",
                for_terminal(&instance.label())
            );
            session::start_and_hand_off(&aws, &request, &plugin).await
        }
        plugin => print_dry_run(&aws, &instance, &request, plugin.as_ref(), &checked).await,
    }
}

/// The pre-check before StartSession: a denial stops here with its explanation; a check that
/// can't run is one line (or a refusal with --strict). Returns the outcome in a few words.
async fn guard(
    aws: &Aws,
    who: &Result<precheck::Who, precheck::WhoFailure>,
    instance: &Instance,
    strict: bool,
) -> Result<String> {
    let check = precheck::check_as(aws, who, instance).await;
    for w in &check.warnings {
        eprintln!("ssmgo: warning: {}", for_terminal(w));
    }
    match check.decision {
        Verdict::Allowed => Ok("allowed (document and instance)".into()),
        Verdict::Denied => {
            eprint!("{}", precheck::render(&check));
            Err(Error::PrecheckDenied {
                target: for_terminal(&instance.label()).into_owned(),
                target_id: instance.instance_id.clone(),
            })
        }
        Verdict::Unknown => {
            let reason =
                for_terminal(check.reason.as_deref().unwrap_or("unknown reason")).into_owned();
            if strict {
                return Err(Error::CouldNotCheck { reason });
            }
            eprintln!("ssmgo: the access pre-check could not run ({reason}); going on without it");
            Ok(format!("could not run ({reason})"))
        }
    }
}

fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// True for what can only be an instance id: i-… (EC2) or mi-… (hybrid), 8 or 17 hex digits.
pub fn looks_like_instance_id(s: &str) -> bool {
    let hex = s.strip_prefix("i-").or_else(|| s.strip_prefix("mi-"));
    matches!(hex, Some(h) if (h.len() == 8 || h.len() == 17) && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// TARGET → one instance: an id, an exact Name, or else the picker pre-filled with it.
pub(crate) async fn resolve(aws: &Aws, target: Option<&str>, tags: TagFilters) -> Result<Instance> {
    let query = Query {
        tags,
        ..Query::default()
    };
    let Some(target) = target else {
        return pick(aws, &query, None).await;
    };
    if looks_like_instance_id(target) {
        return fleet::by_id(aws, target)
            .await?
            .ok_or_else(|| Error::TargetNotFound {
                target: for_terminal(target).into_owned(),
                filters: format!(" in {}", aws.region()),
            });
    }
    let mut named = fleet::by_name(aws, target, &query.tags).await?;
    let running: Vec<&Instance> = named.iter().filter(|i| i.state == "running").collect();
    match (running.len(), named.len()) {
        (1, _) => Ok(running[0].clone()),
        (0, 1) => Ok(named.remove(0)),
        (0, 0) if interactive() => pick(aws, &query, Some(target)).await,
        (0, 0) => Err(Error::TargetNotFound {
            target: for_terminal(target).into_owned(),
            filters: if query.tags.is_empty() {
                format!(" in {}", aws.region())
            } else {
                format!(
                    " among {} in {}",
                    for_terminal(&query.tags.describe()),
                    aws.region()
                )
            },
        }),
        (0, n) => Err(Error::NotConnectable {
            target: format!("Name {:?}", for_terminal(target)),
            reason: format!("none of the {n} instances with that Name is running"),
            next: "Start one of them, or pick another with `ssmgo`".into(),
        }),
        _ => {
            let mut running: Vec<Instance> = running.into_iter().cloned().collect();
            fleet::sort_for_display(&mut running);
            Err(Error::AmbiguousName {
                name: for_terminal(target).into_owned(),
                first_id: running[0].instance_id.clone(),
                candidates: running.iter().map(candidate_line).collect(),
            })
        }
    }
}

fn candidate_line(i: &Instance) -> String {
    let line = format!(
        "{}  {}  SSM {}  {}  {}",
        i.instance_id,
        i.state,
        i.ping_status.as_deref().unwrap_or("not managed"),
        i.private_ip.as_deref().unwrap_or("-"),
        i.availability_zone.as_deref().unwrap_or("-"),
    );
    for_terminal(&line).into_owned()
}

/// Opens the picker and streams the listing into it.
async fn pick(aws: &Aws, query: &Query, prefill: Option<&str>) -> Result<Instance> {
    let picker = RowPicker::new(prefill)?;
    let feed = picker.feed();
    let mut shown = tokio::task::spawn_blocking(move || picker.run());
    let mut count = 0usize;
    let listing = fleet::stream(aws, query, |mut rows| {
        count += rows.len();
        fleet::sort_for_display(&mut rows);
        feed.push(rows);
    });
    tokio::select! {
        picked = &mut shown => return picked.map_err(|e| Error::Picker { detail: e.to_string() })?,
        listed = listing => match listed {
            Err(e) => feed.fail(e),
            Ok(()) if count == 0 => feed.fail(crate::commands::list::no_match(query, aws.region())),
            Ok(()) => {}
        },
    }
    shown.await.map_err(|e| Error::Picker {
        detail: e.to_string(),
    })?
}

async fn print_dry_run(
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
    let invocation = shown_plugin.invocation(
        &placeholder.response_json(),
        aws.region(),
        aws.profile_for_plugin(),
        &request.to_json(),
        &aws.ssm_endpoint().await,
    );
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
    print!("{}", for_terminal_multiline(&text));
    Ok(())
}

/// Sanitizes each line, keeping the line breaks that are ours.
fn for_terminal_multiline(text: &str) -> String {
    text.split_inclusive('\n')
        .map(|line| match line.strip_suffix('\n') {
            Some(l) => format!("{}\n", for_terminal(l)),
            None => for_terminal(line).into_owned(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_ids_are_recognised_by_shape() {
        assert!(looks_like_instance_id("i-0123456789abcdef0"));
        assert!(looks_like_instance_id("i-01234567"));
        assert!(looks_like_instance_id("mi-0123456789abcdef0"));
        assert!(!looks_like_instance_id("i-0123"));
        assert!(!looks_like_instance_id("i-0123456789abcdefg"));
        assert!(!looks_like_instance_id("web-01234567"));
        assert!(!looks_like_instance_id("i-"));
    }

    #[test]
    fn multiline_output_keeps_our_newlines_but_not_theirs() {
        assert_eq!(for_terminal_multiline("a\x1b\nb\n"), "a\\x1b\nb\n");
    }
}
