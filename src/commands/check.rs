//! `ssmgo check TARGET`: the pre-check alone, without connecting.

use crate::cli::TargetArgs;
use crate::commands::Ctx;
use crate::error::{Error, Result};
use crate::launch::{examine_target, Target};
use crate::output::{write_json_value, write_text};
use crate::precheck::{self, Verdict};

pub async fn run(ctx: &Ctx, args: TargetArgs) -> Result<()> {
    let examined = examine_target(
        &ctx.settings,
        ctx.verbose,
        &Target::parse(&args.target),
        &args.filter.tags,
        args.document,
    )
    .await?;
    let instance = &examined.instance;
    if let Some(blocker) = instance.blocker() {
        crate::say!(
            "ssmgo: note: {} cannot be connected to now: {}",
            instance.label(),
            blocker.reason
        );
    }
    let check = precheck::check_as(&examined.scope.aws, &examined.who, instance).await;
    if args.json {
        write_json_value(&serde_json::to_value(&check).expect("a check serializes"))?;
    } else {
        write_text(&precheck::render(&check))?;
    }
    match check.verdict {
        Verdict::Allowed => Ok(()),
        Verdict::Denied => Err(Error::PolicyDenied { decision: "denied" }),
        Verdict::Unknown if check.reason.is_none() => Err(Error::DependsOnContext {
            target: instance.label().to_string(),
            keys: check.depends_on_keys().join(", "),
        }),
        Verdict::Unknown => Err(Error::CouldNotCheck {
            reason: check.reason.unwrap_or_default(),
        }),
    }
}
