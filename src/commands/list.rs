//! `ssmgo list`: the fleet as a table for people or JSON for scripts; with several profiles or
//! regions, all of them at once, each row labelled with where it came from.

use std::io::IsTerminal;

use crate::cli::ListArgs;
use crate::commands::Ctx;
use crate::error::Result;
use crate::fleet::scopes::{self, no_match};
use crate::fleet::{print, Query};
use crate::settings::Column;

pub async fn run(ctx: &Ctx, args: ListArgs) -> Result<()> {
    let tags = ctx.settings.tag_filters(&args.filter.tags)?;
    let scopes = scopes::load_all(&ctx.settings, ctx.verbose).await?;
    let query = Query {
        tags,
        all: args.all,
        page_size: args.page_size,
    };
    let rows = scopes::list_all(&scopes, &query).await?;
    let json = args.json || !std::io::stdout().is_terminal();
    if json {
        print::write_json(&rows)?;
    } else if !rows.is_empty() {
        let columns = ctx
            .settings
            .columns_with(&Column::BUILT_IN, query.tags.keys());
        let notes = rows.iter().any(|r| r.note().is_some());
        print::write_table(&rows, &columns, notes)?;
    }
    if rows.is_empty() {
        return Err(no_match(&query, &scopes::regions(&scopes)));
    }
    Ok(())
}
