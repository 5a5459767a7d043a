//! `ssmgo list`: the fleet as a table for people or JSON for scripts; with several profiles or
//! regions, all of them at once, each row labelled with where it came from.

use std::io::IsTerminal;

use crate::choose;
use crate::cli::ListArgs;
use crate::commands::Ctx;
use crate::config::Column;
use crate::error::{Error, Result};
use crate::fleet::{Query, TagFilters};
use crate::output;

pub async fn run(ctx: &Ctx, args: ListArgs) -> Result<()> {
    let tags = TagFilters::parse(&ctx.settings.tags_or(&args.filter.tags))?;
    let fleets = choose::fleets(&ctx.settings, ctx.verbose).await?;
    let query = Query {
        tags,
        all: args.all,
        page_size: args.page_size,
    };
    let rows = choose::list_all(&fleets, &query).await?;
    let json = args.json || !std::io::stdout().is_terminal();
    if json {
        output::write_json(&rows)?;
    } else if !rows.is_empty() {
        let columns = ctx
            .settings
            .columns_with(&Column::BUILT_IN, query.tags.keys());
        let notes = rows.iter().any(|r| r.note().is_some());
        output::write_table(&rows, &columns, notes)?;
    }
    if rows.is_empty() {
        return Err(no_match(&query, &choose::regions(&fleets)));
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
