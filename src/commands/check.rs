//! `ssmgo check TARGET`: the pre-check alone, without connecting.

use crate::aws::Aws;
use crate::cli::{AwsArgs, CheckArgs};
use crate::commands::connect::resolve;
use crate::error::{Error, Result};
use crate::fleet::TagFilters;
use crate::output::{write_json_value, write_text};
use crate::precheck::{self, Verdict};
use crate::session::Request;

pub async fn run(aws_args: &AwsArgs, verbose: bool, args: CheckArgs) -> Result<()> {
    let tags = TagFilters::parse(&args.filter.tags)?;
    // Validates the document name the same way connect does.
    Request::new(String::new(), args.document.clone(), None, None)?;
    let aws = Aws::load(aws_args, verbose).await?;
    let (instance, who) = tokio::join!(
        resolve(&aws, Some(&args.target), tags),
        precheck::whoami(&aws, args.document.as_deref())
    );
    let instance = instance?;
    if let Some(blocker) = instance.blocker() {
        eprintln!(
            "ssmgo: note: {} cannot be connected to now: {}",
            crate::output::sanitize::for_terminal(&instance.label()),
            blocker.reason
        );
    }
    let check = precheck::check_as(&aws, &who, &instance).await;
    if args.json {
        write_json_value(&serde_json::to_value(&check).expect("a check serializes"))?;
    } else {
        write_text(&precheck::render(&check))?;
    }
    match check.decision {
        Verdict::Allowed => Ok(()),
        Verdict::Denied => Err(Error::PolicyDenied { decision: "denied" }),
        Verdict::Unknown => Err(Error::CouldNotCheck {
            reason: check.reason.unwrap_or_default(),
        }),
    }
}
