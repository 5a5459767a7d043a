//! `ssmgo doctor TARGET`: why the instance can't take a session, from its side.

use crate::cli::TargetArgs;
use crate::commands::Ctx;
use crate::doctor;
use crate::error::Result;
use crate::launch::{examine_target, Target};
use crate::output::{write_json_value, write_text};
use crate::precheck::DEFAULT_DOCUMENT;

pub async fn run(ctx: &Ctx, args: TargetArgs) -> Result<()> {
    let examined = examine_target(
        &ctx.settings,
        ctx.verbose,
        &Target::parse(&args.target),
        &args.filter.tags,
        args.document,
    )
    .await?;
    let document = examined.document.as_deref().unwrap_or(DEFAULT_DOCUMENT);
    let who = examined.who.as_ref().ok();
    let report = doctor::examine(&examined.scope.aws, &examined.instance, document, who).await;
    if args.json {
        write_json_value(&serde_json::to_value(&report).expect("a report serializes"))?;
    } else {
        write_text(&doctor::render(&report))?;
    }
    doctor::outcome(report.target, report.problems)
}
