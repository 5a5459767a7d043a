//! `ssmgo ecs`: ECS Exec, guarded — open (the default), `list`, `check`, `doctor`, `forward` — over the
//! ECS module, in every profile/region (or account of the organization) the settings point at.

use crate::aws::Aws;
use crate::cli::{EcsArgs, EcsCommand, EcsForwardArgs, EcsSelectArgs, EcsTaskArgs};
use crate::commands::Ctx;
use crate::ecs::{self, Exec, Select};
use crate::error::{Error, Result};
use crate::fleet::scopes;
use crate::fleet::Scope;
use crate::output::{write_json_value, write_text};
use crate::settings::CheckMode;

pub async fn run(ctx: &Ctx, args: EcsArgs) -> Result<()> {
    // The mappings and the selection are checked before any AWS call.
    let forwarding = match &args.action {
        Some(EcsCommand::Forward(f)) => Some(tunnels(f)?),
        _ => None,
    };
    let select = select(match &args.action {
        Some(EcsCommand::List(list)) => &list.select,
        Some(EcsCommand::Forward(f)) => &f.select,
        Some(EcsCommand::Check(task) | EcsCommand::Doctor(task)) => &task.select,
        None => &args.open.select,
    })?;
    let reached = crate::fleet::scopes::load_all(&ctx.settings, ctx.verbose).await?;
    let scopes = &reached.scopes;
    match args.action {
        Some(EcsCommand::List(list)) => {
            let ecs::Listing {
                rows, mut left_out, ..
            } = ecs::list(scopes, &select).await?;
            let json = list.json || !std::io::IsTerminal::is_terminal(&std::io::stdout());
            match json {
                true => ecs::write_json(&rows)?,
                false => ecs::write_table(&rows)?,
            }
            left_out.extend(reached.left_out.iter().cloned());
            scopes::complete(&left_out, "listed", "the listing")?;
            match rows.is_empty() {
                true => Err(Error::EcsNoMatch {
                    what: "the filters given".into(),
                }),
                false => Ok(()),
            }
        }
        Some(EcsCommand::Check(task)) => {
            let container = one(scopes, &select, &task).await?;
            let aws: &Aws = &scopes[container.scope].aws;
            ecs::check(aws, &container, task.json).await
        }
        Some(EcsCommand::Forward(f)) => {
            let container = ecs::resolve(scopes, &select, Some(&f.task), None).await?;
            let aws: &Aws = &scopes[container.scope].aws;
            let mode = ctx.settings.check_mode(f.no_check, f.strict);
            let how = ecs::Forward {
                tunnels: forwarding.unwrap_or_default(),
                dry_run: f.dry_run,
                no_check: mode == CheckMode::Off,
                strict: mode == CheckMode::Strict,
                reconnect: !f.no_reconnect && !f.dry_run && ctx.settings.forward_reconnect.value,
                keep_alive: f.keep_alive.or(ctx.settings.forward_keep_alive.value),
            };
            ecs::forward(aws, &container, how).await
        }
        Some(EcsCommand::Doctor(task)) => {
            let container = one(scopes, &select, &task).await?;
            let aws: &Aws = &scopes[container.scope].aws;
            let who = crate::precheck::whoami(aws, None, None).await;
            let report = ecs::doctor::examine(aws, &container, ecs::who_of(&who)).await;
            match task.json {
                true => write_json_value(&serde_json::to_value(&report).expect("serializes"))?,
                false => write_text(&ecs::doctor::render(&report))?,
            }
            crate::doctor::outcome(report.target, report.problems)
        }
        None => {
            let open = args.open;
            let picking = ecs::pick::Options::new(&ctx.settings, open.refresh);
            let container =
                ecs::resolve(scopes, &select, open.target.as_deref(), Some(picking)).await?;
            let aws: &Aws = &scopes[container.scope].aws;
            let mode = ctx.settings.check_mode(open.no_check, open.strict);
            let how = Exec {
                command: open.command,
                dry_run: open.dry_run,
                no_check: mode == CheckMode::Off,
                strict: mode == CheckMode::Strict,
            };
            ecs::exec(aws, &container, &how).await
        }
    }
}

/// Each tunnel of `ecs forward`: its purpose, local port and session, as `forward` makes them.
fn tunnels(f: &EcsForwardArgs) -> Result<Vec<(String, u16, crate::session::SessionSpec)>> {
    crate::commands::forward::parse_mappings(&f.mappings, f.to.as_deref())?
        .iter()
        .map(|m| {
            let spec = crate::commands::forward::tunnel_spec(m, f.reason.clone())?;
            let purpose = crate::commands::forward::purpose(m, "the container");
            Ok((purpose, m.local, spec))
        })
        .collect()
}

fn select(args: &EcsSelectArgs) -> Result<Select> {
    Ok(Select {
        clusters: args.clusters.clone(),
        service: args.service.clone(),
        container: args.container.clone(),
        tags: crate::settings::TagFilters::parse(&args.tags)?,
    })
}

/// TASK's container, for `check` and `doctor` (never the picker: a task is named).
async fn one(scopes: &[Scope], select: &Select, task: &EcsTaskArgs) -> Result<ecs::Container> {
    ecs::resolve(scopes, select, Some(&task.task), None).await
}
