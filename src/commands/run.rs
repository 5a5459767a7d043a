//! `ssmgo run [TARGET…] [-t SPEC…] -- COMMAND…`: Run Command with its output and exit status.

use std::io::Write;

use crate::aws::arn::document_arn;
use crate::aws::Aws;
use crate::cli::RunArgs;
use crate::commands::Ctx;
use crate::error::{Error, Result};
use crate::fleet::{self, Instance, Query, Scope};
use crate::launch::{Resolve, Target};
use crate::output::{write_json_value, write_text};
use crate::precheck::{self, Resource};
use crate::run::{self, Ended, Plan, Row};
use crate::settings::Column;
use crate::sso_login;

pub async fn run(ctx: &Ctx, args: RunArgs) -> Result<()> {
    let tags = ctx.settings.tag_filters(&args.filter.tags)?;
    let scope =
        Scope::single(sso_login::load_aws(&ctx.settings.single_scope("run")?, ctx.verbose).await?);
    let aws = &scope.aws;
    let query = Query {
        tags,
        ..Query::default()
    };
    let check = !args.no_check;
    let (targets, who) = tokio::join!(targets(ctx, &scope, &query, &args), async {
        match check {
            true => Some(precheck::whoami(aws, Some("AWS-RunShellScript"), None).await),
            false => None,
        }
    });
    let targets = targets?;
    if let Some(Ok(who)) = &who {
        refuse_denied(aws, who, &targets).await?;
    }
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
    let single = targets.len() == 1 && !args.json;
    let width = targets
        .iter()
        .map(|i| unicode_width::UnicodeWidthStr::width(i.name.as_deref().unwrap_or(&i.instance_id)))
        .max()
        .unwrap_or(0);
    let mut cut = Vec::new();
    let ended = run::run(aws, &targets, &plan, |row| {
        if row.output_cut {
            cut.push(row.label());
        }
        if args.json {
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
    if args.json {
        write_json_value(&serde_json::to_value(&rows).expect("rows serialize"))?;
    } else if !single {
        write_text(&run::summary(&rows))?;
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
        0 => Ok(()),
        failed => Err(Error::RunNotAll {
            failed,
            total: rows.len(),
        }),
    }
}

/// The named targets (with -t restricting the names), or with none named every running instance
/// -t selects, or the picker on a terminal.
async fn targets(ctx: &Ctx, scope: &Scope, query: &Query, args: &RunArgs) -> Result<Vec<Instance>> {
    let named = &args.targets;
    if args.all {
        // `--all QUERY`: what the picker would show for it, all of it.
        let [words] = named.as_slice() else {
            return Err(Error::BadInput {
                what: "--all",
                value: named.join(" "),
                reason: "give one picker query as TARGET (quote it when it has spaces)".into(),
            });
        };
        let rows = fleet::list(&scope.aws, query).await?;
        // The picker's own columns: the same words match.
        let columns = ctx
            .settings
            .columns_with(&Column::PICKER_DEFAULT, query.tags.keys());
        let out = crate::picker::matching(rows, words, columns);
        if out.is_empty() {
            return Err(Error::NoMatch {
                filters: format!("the query {words:?} ({})", scope.aws.region()),
                list_args: query.tags.as_args(),
            });
        }
        return Ok(out);
    }
    let resolve = |may_pick| Resolve::in_one(scope, query, &ctx.settings, may_pick);
    let mut out: Vec<Instance> = Vec::new();
    if named.is_empty() && !query.tags.is_empty() {
        out = fleet::list(&scope.aws, query).await?;
        if out.is_empty() {
            return Err(fleet::scopes::no_match(query, scope.aws.region()));
        }
    } else if named.is_empty() {
        if !crate::output::can_ask() {
            return Err(Error::NotInteractive);
        }
        out.push(resolve(true).resolve(None).await?.1);
    }
    for target in named.iter().map(|word| Target::parse(word)) {
        let (_, instance) = resolve(false).resolve(Some(&target)).await?;
        if !out.iter().any(|i| i.instance_id == instance.instance_id) {
            out.push(instance);
        }
    }
    Ok(out)
}

/// The pre-check: ssm:SendCommand on the document and on every target; any denial stops the run
/// before anything is sent, naming each denied target and why.
async fn refuse_denied(aws: &Aws, who: &precheck::Who, targets: &[Instance]) -> Result<()> {
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
        total: resources.len(),
    })
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
