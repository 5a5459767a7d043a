//! `ssmgo run [TARGET…] [-t SPEC…] -- COMMAND…`: Run Command with its output and exit status.

use std::io::Write;

use crate::aws::arn::document_arn;
use crate::aws::Aws;
use std::sync::Arc;

use crate::cli::{JsonShape, RunArgs};
use crate::commands::Ctx;
use crate::error::{Error, Result};
use crate::fleet::scopes::{self, LeftOut, Reached};
use crate::fleet::{Instance, Query, Scope};
use crate::launch::{Resolve, Target};
use crate::output::{write_json_value, write_text};
use crate::precheck::{self, Resource};
use crate::run::{self, Ended, Plan, Row};
use crate::settings::Column;

pub async fn run(ctx: &Ctx, args: RunArgs) -> Result<()> {
    let tags = ctx.settings.tag_filters(&args.filter.tags)?;
    let reached = scopes::load_all(&ctx.settings, ctx.verbose).await?;
    let query = Query {
        tags,
        ..Query::default()
    };
    let check = !args.no_check;
    let one = (reached.scopes.len() == 1).then(|| &reached.scopes[0]);
    // With one account and region, who is asking is looked up while the targets are found.
    let (found, early_who) = tokio::join!(targets(ctx, &reached, &query, &args), async {
        match (check, one) {
            (true, Some(scope)) => {
                Some(precheck::whoami(&scope.aws, Some("AWS-RunShellScript"), None).await)
            }
            _ => None,
        }
    });
    let (targets, left_out) = found?;
    let by_scope = by_scope(&reached.scopes, targets);
    if check {
        refuse_denied(&by_scope, early_who).await?;
    }
    let groups: Vec<run::Group<'_>> = by_scope
        .into_iter()
        .map(|(scope, targets)| run::Group {
            aws: &scope.aws,
            targets,
        })
        .collect();
    let targets: Vec<&Instance> = groups.iter().flat_map(|g| &g.targets).collect();
    let settings = &ctx.settings;
    let output_s3_set = args.output_s3.is_some() || settings.run_output_s3.value.is_some();
    let plan = Plan {
        // The words joined with spaces, as ssh does: `-- 'ls | wc -l'` is one pipeline.
        lines: vec![args.command.join(" ")],
        // Flags first, then the config file's run-* settings, then AWS's defaults.
        max_concurrency: args
            .max_concurrency
            .clone()
            .unwrap_or_else(|| settings.run_max_concurrency.value.clone())
            .0,
        max_errors: args
            .max_errors
            .clone()
            .unwrap_or_else(|| settings.run_max_errors.value.clone())
            .0,
        execution_timeout: args.timeout.or(settings.run_timeout.value),
        output_s3: args
            .output_s3
            .clone()
            .or_else(|| settings.run_output_s3.value.clone())
            .map(|l| (l.bucket, l.prefix)),
    };
    let single = targets.len() == 1 && args.json.is_none() && left_out.is_empty();
    let width = targets
        .iter()
        .map(|i| unicode_width::UnicodeWidthStr::width(i.name.as_deref().unwrap_or(&i.instance_id)))
        .max()
        .unwrap_or(0);
    let mut cut = Vec::new();
    let ended = run::run(&groups, &plan, |row| {
        if row.output_cut {
            cut.push(row.label());
        }
        if args.json.is_some() {
            return;
        }
        if single {
            // One target: its output as it is, for pipes and scripts.
            let _ = std::io::stdout().write_all(row.stdout.as_bytes());
            let _ = std::io::stderr().write_all(row.stderr.as_bytes());
            return;
        }
        print_one(row, args.group, width);
    })
    .await?;
    if !cut.is_empty() {
        let next = match output_s3_set {
            true => "the whole of it is in the S3 bucket, which could not be read (above)",
            false => {
                "--output-s3 BUCKET[/PREFIX] has SSM write all of it there, and ssmgo reads it back"
            }
        };
        crate::say!(
            "ssmgo: SSM cut the output of {} at {} characters of stdout and {} of stderr (GetCommandInvocation's limit); {next}",
            cut.join(", "),
            run::STDOUT_CUT,
            run::STDERR_CUT
        );
    }
    let (rows, interrupted) = match ended {
        Ended::Done(rows) => (rows, None),
        Ended::Interrupted(rows, signal) => (rows, Some(signal)),
    };
    match args.json {
        Some(JsonShape::Rows) => write_json_value(&serde_json::to_value(&rows).expect("rows"))?,
        Some(JsonShape::Report) => write_json_value(&serde_json::json!({
            "complete": left_out.is_empty(),
            "left_out": left_out,
            "results": rows,
        }))?,
        None if single => {}
        None => write_text(&run::summary(&rows))?,
    }
    match interrupted {
        Some(libc::SIGINT) => return Err(Error::Cancelled),
        Some(signal) => {
            return Err(Error::Stopped {
                signal,
                state: "while the command ran: it was cancelled where it still ran",
            })
        }
        None => {}
    }
    if single {
        return run::single_exit(&rows[0]);
    }
    let failed = rows.iter().filter(|r| !r.succeeded()).count();
    match failed {
        0 => scopes::complete(&left_out, "searched", "the run"),
        failed => Err(Error::RunNotAll {
            failed,
            total: rows.len(),
        }),
    }
}

/// The named targets (with -t restricting the names), or with none named every running instance
/// -t selects, or the picker on a terminal: in every scope reached, each target labelled with
/// where it is when there are several; and the scopes left out, where none could be searched.
async fn targets(
    ctx: &Ctx,
    reached: &Reached,
    query: &Query,
    args: &RunArgs,
) -> Result<(Vec<Instance>, Vec<LeftOut>)> {
    let named = &args.targets;
    let mut left_out = reached.left_out.clone();
    let scopes = &reached.scopes;
    if args.all {
        // `--all QUERY`: what the picker would show for it, all of it.
        let [words] = named.as_slice() else {
            return Err(Error::BadInput {
                what: "--all",
                value: named.join(" "),
                reason: "give one picker query as TARGET (quote it when it has spaces)".into(),
            });
        };
        let listing = scopes::list_all(scopes, query).await?;
        left_out.extend(listing.left_out);
        // The picker's own columns: the same words match.
        let columns = ctx
            .settings
            .columns_with(&Column::PICKER_DEFAULT, query.tags.keys());
        let out = crate::picker::matching(listing.rows, words, columns);
        if out.is_empty() {
            scopes::complete(&left_out, "searched", "the run")?;
            return Err(Error::NoMatch {
                filters: format!("the query {words:?} ({})", scopes::regions(scopes)),
                list_args: query.tags.as_args(),
            });
        }
        return Ok((out, left_out));
    }
    let resolve = |may_pick| Resolve::new(reached, query, &ctx.settings, may_pick);
    let mut out: Vec<Instance> = Vec::new();
    if named.is_empty() && !query.tags.is_empty() {
        let listing = scopes::list_all(scopes, query).await?;
        left_out.extend(listing.left_out);
        out = listing.rows;
        if out.is_empty() {
            scopes::complete(&left_out, "searched", "the run")?;
            return Err(scopes::no_match(query, &scopes::regions(scopes)));
        }
    } else if named.is_empty() {
        if !crate::output::can_ask() {
            return Err(Error::NotInteractive);
        }
        out.push(resolve(true).resolve(None).await?.1);
    }
    for target in named.iter().map(|word| Target::parse(word)) {
        let (_, instance) = resolve(false).resolve(Some(&target)).await?;
        let same =
            |i: &Instance| i.instance_id == instance.instance_id && i.origin == instance.origin;
        if !out.iter().any(same) {
            out.push(instance);
        }
    }
    Ok((out, left_out))
}

/// The targets by scope, in the scopes' order: one per account/region with targets.
fn by_scope(scopes: &[Scope], targets: Vec<Instance>) -> Vec<(&Scope, Vec<Instance>)> {
    let mut out: Vec<(&Scope, Vec<Instance>)> = Vec::new();
    for target in targets {
        // A row knows its scope by its label (one scope: no label).
        let scope = scopes
            .iter()
            .find(|s| match (&s.origin, &target.origin) {
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                (None, None) => true,
                _ => false,
            })
            .expect("every target comes from a scope");
        match out.iter_mut().find(|(s, _)| std::ptr::eq(*s, scope)) {
            Some((_, targets)) => targets.push(target),
            None => out.push((scope, vec![target])),
        }
    }
    out
}

/// The pre-check: ssm:SendCommand on the document and on every target, as each account's
/// caller (the role assumed there); any denial stops the run before anything is sent, naming
/// each denied target and why. Where who is asking can't be told, AWS decides (as for one
/// account).
async fn refuse_denied(
    groups: &[(&Scope, Vec<Instance>)],
    early_who: Option<std::result::Result<precheck::Who, precheck::WhoFailure>>,
) -> Result<()> {
    let mut early_who = early_who;
    let checks = groups.iter().map(|(scope, targets)| {
        let known = early_who.take();
        async move {
            let who = match known {
                Some(who) => who,
                None => {
                    let identity = scope.identity.clone();
                    precheck::whoami(&scope.aws, Some("AWS-RunShellScript"), identity).await
                }
            };
            match who {
                Ok(who) => denied_in(&scope.aws, &who, targets).await,
                Err(_) => (Vec::new(), 0),
            }
        }
    });
    let mut denied = Vec::new();
    let mut total = 0;
    for (d, t) in futures::future::join_all(checks).await {
        denied.extend(d);
        total += t;
    }
    if denied.is_empty() {
        return Ok(());
    }
    crate::say!("ssmgo: the pre-check says you may not call ssm:SendCommand on:");
    for denial in &denied {
        crate::say!("  {}", denial.label);
        for line in &denial.why {
            crate::say!("    {line}");
        }
    }
    Err(Error::RunDenied {
        denied: denied.len(),
        total,
    })
}

/// The resources of one account/region's targets that SendCommand would be denied on, and how
/// many were checked.
async fn denied_in(
    aws: &Aws,
    who: &precheck::Who,
    targets: &[Instance],
) -> (Vec<precheck::Denied>, usize) {
    let mut resources: Vec<Resource> = Vec::new();
    for document in ["AWS-RunShellScript", "AWS-RunPowerShellScript"] {
        if targets.iter().any(|t| run::document_for(t) == document) {
            resources.push(Resource {
                arn: document_arn(who.partition(), aws.region(), who.account(), document),
                tags: Vec::new(),
                label: format!("the document {document}"),
            });
        }
    }
    resources.extend(targets.iter().map(|t| Resource::instance(aws, who, t)));
    let denied = precheck::denied_resources(
        aws,
        who,
        "ssm:SendCommand",
        &resources,
        &[],
        precheck::SSM_TAG_PREFIX,
    )
    .await;
    (denied, resources.len())
}

/// One instance's result among several: its lines marked with its name, or a block under it.
fn print_one(row: &Row, group: bool, width: usize) {
    if row.status == "NotRun" {
        crate::say!("ssmgo: not run on {}: {}", row.label(), row.details);
        return;
    }
    if group {
        let code = row.exit_code.map_or_else(|| "-".into(), |c| c.to_string());
        let mut block = format!(
            "── {}: {}, exit {code}\n{}",
            row.label(),
            row.status,
            row.stdout
        );
        if !block.ends_with('\n') {
            block.push('\n');
        }
        let _ = write_text(&block);
        crate::output::to_stderr(&row.stderr);
        return;
    }
    let (out, err) = run::prefixed(row, width);
    let _ = write_text(&out);
    crate::output::to_stderr(&err);
}
