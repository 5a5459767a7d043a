//! The listing printed: the instance table for people (aligned, painted, untrusted text made
//! safe) and JSON rows for scripts. It sits with the rows it prints, above the terminal basics
//! (`output`) it writes through, which know nothing of instances.

use std::io::{self, Write};

use super::scopes::LeftOut;
use super::Instance;
use crate::error::Result;
use crate::output::{self, sanitize, sanitize::Untrusted, style, style::Paint};
use crate::settings::Column;

/// Writes `rows` as a JSON array, one object per instance, to stdout.
pub fn write_json(rows: &[Instance]) -> Result<()> {
    output::write_stdout(|out| write_json_rows(out, rows))
}

/// Writes `--json=report` to stdout: whether every scope answered, those left out and why, and
/// the rows (as `--json` writes them), written as it is serialized.
pub fn write_json_report(rows: &[Instance], left_out: &[LeftOut]) -> Result<()> {
    output::write_stdout(|out| write_report(out, rows, left_out))
}

/// `--json=report`'s object, its keys in this order.
#[derive(serde::Serialize)]
struct Report<'a> {
    complete: bool,
    left_out: &'a [LeftOut],
    instances: &'a [Instance],
}

fn write_report(out: &mut dyn Write, rows: &[Instance], left_out: &[LeftOut]) -> io::Result<()> {
    let report = Report {
        complete: left_out.is_empty(),
        left_out,
        instances: rows,
    };
    write_pretty(out, &report)
}

fn write_json_rows(out: &mut dyn Write, rows: &[Instance]) -> io::Result<()> {
    write_pretty(out, &rows)
}

/// The text of pretty-printing `value` with invisible characters escaped
/// ([`sanitize::json_escape_invisible`]), written as it is serialized: 100,000 rows never sit in
/// memory twice, nor as text.
fn write_pretty(out: &mut dyn Write, value: &impl serde::Serialize) -> io::Result<()> {
    let mut json =
        serde_json::Serializer::with_formatter(&mut *out, sanitize::PrettyEscaping::default());
    // An io::Error keeps its kind (a closed pipe is not a failure: see output).
    value.serialize(&mut json).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

/// Writes `rows` as an aligned table to stdout: the given columns, where each row comes from
/// when several accounts or regions were listed, and, when `notes` is set, a NOTE column saying
/// why a row can't be connected to.
pub fn write_table(rows: &[Instance], columns: &[Column], notes: bool) -> Result<()> {
    let origins = rows.iter().any(|r| r.origin.is_some());
    let mut header: Vec<Cell> = Vec::new();
    if origins {
        let profiles = rows
            .iter()
            .any(|r| r.origin.as_ref().is_some_and(|o| o.profile.is_some()));
        let title = if profiles {
            "PROFILE/ACCOUNT/REGION"
        } else {
            "ACCOUNT/REGION"
        };
        header.push((title.into(), Some(Paint::Bold)));
    }
    header.extend(
        columns
            .iter()
            .map(|c| (Untrusted(&c.header()).to_string(), Some(Paint::Bold))),
    );
    if notes {
        header.push(("NOTE".into(), Some(Paint::Bold)));
    }
    let mut table: Vec<Vec<Cell>> = Vec::with_capacity(rows.len() + 1);
    table.push(header);
    let text = |v: Option<&str>| {
        (
            v.map_or_else(
                || "-".to_owned(),
                |v| sanitize::truncated(&Untrusted(v).to_string(), MAX_CELL).into_owned(),
            ),
            None,
        )
    };
    for r in rows {
        let mut line: Vec<Cell> = Vec::with_capacity(columns.len() + 2);
        if origins {
            line.push(text(r.origin.as_ref().map(|o| o.label()).as_deref()));
        }
        for column in columns {
            // Status columns are painted (and not cut: AWS writes them); the rest are plain text.
            line.push(match (column, r.cell(column)) {
                (Column::State, Some(state)) => {
                    let paint = if state == "running" {
                        Paint::Good
                    } else {
                        Paint::Bad
                    };
                    (Untrusted(state).to_string(), Some(paint))
                }
                (Column::Ssm, None) => ("not managed".into(), Some(Paint::Bad)),
                (Column::Ssm, Some("Online")) => ("Online".into(), Some(Paint::Good)),
                (Column::Ssm, Some(ping)) => (Untrusted(ping).to_string(), Some(Paint::Warn)),
                (_, value) => text(value),
            });
        }
        if notes {
            line.push((r.note().unwrap_or_default(), Some(Paint::Warn)));
        }
        table.push(line);
    }
    output::write_stdout(|out| write_aligned(out, &table))
}

/// The most characters a table cell shows of a name or tag value (EC2 allows 256; a longer
/// cell is cut with a marker rather than pushing every other column off the screen).
const MAX_CELL: usize = 64;

/// A table cell: its (sanitized) text and how to paint it.
type Cell = (String, Option<Paint>);

/// Pads every column but the last to its widest cell (in terminal columns: CJK characters and
/// emoji take two), then paints.
fn write_aligned(out: &mut dyn Write, table: &[Vec<Cell>]) -> io::Result<()> {
    use unicode_width::UnicodeWidthStr;
    let columns = table.first().map_or(0, Vec::len);
    let mut widths = vec![0usize; columns];
    for line in table {
        for (w, (cell, _)) in widths.iter_mut().zip(line) {
            *w = (*w).max(cell.width());
        }
    }
    for line in table {
        let mut text = String::new();
        let last = line
            .iter()
            .rposition(|(c, _)| !c.is_empty())
            .map_or(0, |i| i + 1);
        for (i, (cell, paint)) in line[..last].iter().enumerate() {
            text.push_str(&style::stdout(cell, *paint));
            if i + 1 < last {
                let pad = widths[i] - cell.width() + 2;
                text.extend(std::iter::repeat_n(' ', pad));
            }
        }
        writeln!(out, "{text}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_characters_take_two_columns() {
        let cell = |s: &str| (s.to_owned(), None);
        let table = vec![
            vec![cell("NAME"), cell("ID")],
            vec![cell("東京-web"), cell("i-1")],
            vec![cell("web"), cell("i-2")],
        ];
        let mut out = Vec::new();
        write_aligned(&mut out, &table).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "NAME      ID\n東京-web  i-1\nweb       i-2\n"
        );
    }

    #[test]
    fn columns_align_on_character_width_and_lines_have_no_trailing_space() {
        let cell = |s: &str| (s.to_owned(), None);
        let table = vec![
            vec![cell("NAME"), cell("ID"), cell("NOTE")],
            vec![cell("wéb"), cell("i-1"), cell("")],
        ];
        let mut out = Vec::new();
        write_aligned(&mut out, &table).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "NAME  ID   NOTE\nwéb   i-1\n"
        );
    }

    #[test]
    fn rows_written_one_at_a_time_are_the_pretty_printed_array() {
        let row = |id: &str| {
            Instance::example(id)
                .named("web \u{202e}x")
                .tagged("Env", "a\nb")
        };
        let rows = vec![row("i-1"), row("i-2")];
        let mut out = Vec::new();
        write_json_rows(&mut out, &rows).unwrap();
        let whole = serde_json::to_string_pretty(&rows).unwrap();
        let expected = format!("{}\n", sanitize::json_escape_invisible(&whole));
        assert_eq!(String::from_utf8(out).unwrap(), expected);

        let mut empty = Vec::new();
        write_json_rows(&mut empty, &[]).unwrap();
        assert_eq!(empty, b"[]\n");
    }

    #[test]
    fn the_report_is_the_pretty_printed_object_of_rows_and_scopes_left_out() {
        let rows = [
            Instance::example("i-1").named("web"),
            Instance::example("i-2"),
        ];
        let left_out = [LeftOut {
            account: Some("444455556666".into()),
            account_name: Some("locked \u{202e}".into()),
            error: "could not assume arn:aws:iam::444455556666:role/R: denied".into(),
            exit_code: 3,
            ..LeftOut::default()
        }];
        for (rows, left_out) in [(&rows[..], &left_out[..]), (&[][..], &[][..])] {
            let mut out = Vec::new();
            write_report(&mut out, rows, left_out).unwrap();
            let whole = serde_json::json!({
                "complete": left_out.is_empty(),
                "left_out": left_out,
                "instances": rows,
            });
            let whole = serde_json::to_string_pretty(&whole).unwrap();
            let expected = format!("{}\n", sanitize::json_escape_invisible(&whole));
            assert_eq!(String::from_utf8(out).unwrap(), expected);
        }
    }
}
