//! `ssmgo doctor TARGET`: why the instance can't take a session, from its side.

use crate::aws::Aws;
use crate::choose::PickerOptions;
use crate::cli::DoctorArgs;
use crate::commands::Ctx;
use crate::doctor;
use crate::error::{Error, Result};
use crate::fleet::{Query, Scope, TagFilters};
use crate::launch::Resolve;
use crate::output::{write_json_value, write_text};
use crate::precheck::{self, DEFAULT_DOCUMENT};
use crate::session::Request;

pub async fn run(ctx: &Ctx, args: DoctorArgs) -> Result<()> {
    let tags = TagFilters::parse(&ctx.settings.tags_or(&args.filter.tags))?;
    let document = ctx.settings.document_or(args.document);
    // Validates the document name the same way connect does.
    Request::new(String::new(), document.clone(), None, None)?;
    let aws = Aws::load(&ctx.settings.single_scope("doctor")?, ctx.verbose).await?;
    let scopes = [Scope::single(aws)];
    let aws = &scopes[0].aws;
    let query = Query {
        tags,
        ..Query::default()
    };
    let resolving = Resolve {
        scopes: &scopes,
        query: &query,
        may_pick: true,
        picker: PickerOptions::new(&ctx.settings, &query, false),
    };
    let (instance, who) = tokio::join!(
        resolving.resolve(Some(&args.target)),
        precheck::whoami(aws, document.as_deref(), None)
    );
    let (_, instance) = instance?;
    let document = document.as_deref().unwrap_or(DEFAULT_DOCUMENT);
    let report = doctor::examine(aws, &instance, document, who.as_ref().ok()).await;
    if args.json {
        write_json_value(&serde_json::to_value(&report).expect("a report serializes"))?;
    } else {
        write_text(&doctor::render(&report))?;
    }
    match report.problems {
        0 => Ok(()),
        n => Err(Error::DoctorFound {
            target: report.target,
            count: match n {
                1 => "1 problem".into(),
                n => format!("{n} problems"),
            },
        }),
    }
}
