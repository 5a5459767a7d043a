//! `ssmgo check TARGET`: the pre-check alone, without connecting.

use crate::aws::Aws;
use crate::choose::PickerOptions;
use crate::cli::CheckArgs;
use crate::commands::Ctx;
use crate::error::{Error, Result};
use crate::fleet::{Query, Scope, TagFilters};
use crate::launch::Resolve;
use crate::output::{write_json_value, write_text};
use crate::precheck::{self, Verdict};
use crate::session::Request;

pub async fn run(ctx: &Ctx, args: CheckArgs) -> Result<()> {
    let tags = TagFilters::parse(&ctx.settings.tags_or(&args.filter.tags))?;
    let document = ctx.settings.document_or(args.document);
    // Validates the document name the same way connect does.
    Request::new(String::new(), document.clone(), None, None)?;
    let aws = Aws::load(&ctx.settings.single_scope("check")?, ctx.verbose).await?;
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
    if let Some(blocker) = instance.blocker() {
        crate::say!(
            "ssmgo: note: {} cannot be connected to now: {}",
            instance.label(),
            blocker.reason
        );
    }
    let check = precheck::check_as(aws, &who, &instance).await;
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
