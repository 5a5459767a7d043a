//! `ssmgo connect` (and plain `ssmgo`): a shell session on a target, through the session core.

use crate::cli::ConnectArgs;
use crate::commands::Ctx;
use crate::error::Result;
use crate::launch::{self, Plan, SessionTarget};
use crate::session::SessionSpec;

pub async fn run(ctx: &Ctx, args: ConnectArgs) -> Result<()> {
    let target = args.target.as_deref().map(SessionTarget::parse);
    let document = ctx.settings.document_or(args.document);
    let spec = SessionSpec::new(
        document,
        args.parameters.as_deref(),
        args.session.reason.clone(),
    )?;
    let tags = ctx.settings.tags_or(&args.filter.tags);
    let plan = Plan::interactive(target, tags, spec, args.session);
    launch::start(&ctx.settings, ctx.verbose, plan).await
}
