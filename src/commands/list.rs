//! `ssmgo list`: the fleet as a table for people or JSON for scripts.

use std::io::IsTerminal;

use crate::aws::Aws;
use crate::cli::{AwsArgs, ListArgs};
use crate::error::{Error, Result};
use crate::fleet::{self, Query, TagFilters};
use crate::output;

pub async fn run(aws_args: &AwsArgs, verbose: bool, args: ListArgs) -> Result<()> {
    let tags = TagFilters::parse(&args.filter.tags)?;
    let aws = Aws::load(aws_args, verbose).await?;
    let query = Query {
        tags,
        all: args.all,
        page_size: args.page_size,
    };
    let rows = fleet::list(&aws, &query).await?;
    let json = args.json || !std::io::stdout().is_terminal();
    if json {
        output::write_json(&rows)?;
    } else if !rows.is_empty() {
        let keys: Vec<&str> = query.tags.keys().filter(|k| *k != "Name").collect();
        let notes = rows.iter().any(|r| r.note().is_some());
        output::write_table(&rows, &keys, notes)?;
    }
    if rows.is_empty() {
        return Err(no_match(&query, aws.region()));
    }
    Ok(())
}

/// "no instance matches Env=prod among running instances in eu-west-1", with a follow-up command.
pub(crate) fn no_match(query: &Query, region: &str) -> Error {
    let scope = if query.all {
        ""
    } else {
        " among running instances"
    };
    let filters = if query.tags.is_empty() {
        format!("in {region}{scope}")
    } else {
        format!("{}{scope} in {region}", query.tags.describe())
    };
    Error::NoMatch {
        filters: crate::output::sanitize::for_terminal(&filters).into_owned(),
        list_args: query.tags.as_args(),
    }
}
