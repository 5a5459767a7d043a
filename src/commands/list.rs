//! `ssmgo list`: the fleet as a table for people or JSON for scripts; with several profiles or
//! regions, all of them at once, each row labelled with where it came from.

use std::io::IsTerminal;

use crate::cli::{JsonShape, ListArgs};
use crate::commands::Ctx;
use crate::error::Result;
use crate::fleet::scopes::{self, no_match};
use crate::fleet::{print, Query};
use crate::settings::Column;

pub async fn run(ctx: &Ctx, args: ListArgs) -> Result<()> {
    let tags = ctx.settings.tag_filters(&args.filter.tags)?;
    let query = Query {
        tags,
        all: args.all,
        page_size: args.page_size,
    };
    let json = match args.json {
        None if !std::io::stdout().is_terminal() => Some(JsonShape::Rows),
        shape => shape,
    };
    // JSON rows are cached from the bytes printed: serialized once.
    let cache_later = json == Some(JsonShape::Rows);
    let (reached, listing) =
        scopes::load_and_list(&ctx.settings, ctx.verbose, &query, cache_later).await?;
    let mut left_out = reached.left_out;
    left_out.extend(listing.left_out);
    let rows = listing.rows;
    match json {
        Some(JsonShape::Report) => print::write_json_report(&rows, &left_out)?,
        Some(JsonShape::Rows) => print::write_json_caching(&rows, &listing.to_cache)?,
        None if rows.is_empty() => {}
        None => {
            let columns = ctx
                .settings
                .columns_with(&Column::BUILT_IN, query.tags.keys());
            let notes = rows.iter().any(|r| r.note().is_some());
            print::write_table(&rows, &columns, notes)?;
        }
    }
    // An incomplete listing says so before anything else: its "no match" may not be one.
    scopes::complete(&left_out, "listed", "the listing")?;
    if rows.is_empty() {
        return Err(no_match(&query, &scopes::regions(&reached.scopes)));
    }
    Ok(())
}
