//! Writing results: the instance table for people, JSON for scripts.
//!
//! Untrusted text is sanitized here, at the last step before the terminal, so that no caller can
//! forget to. A closed pipe (`ssmgo list | head`) ends the output quietly: it is not an error.

pub mod sanitize;

use std::io::{self, BufWriter, Write};

use crate::error::{Error, Result};
use crate::fleet::Instance;
use sanitize::for_terminal;

/// Writes `rows` as a JSON array, one object per instance, to stdout.
pub fn write_json(rows: &[Instance]) -> Result<()> {
    finish(write_stdout(|out| write_json_rows(out, rows)))
}

/// The same text as pretty-printing the whole array, but one row at a time, so that 100,000 rows
/// never sit in memory twice.
fn write_json_rows(out: &mut dyn Write, rows: &[Instance]) -> io::Result<()> {
    if rows.is_empty() {
        return writeln!(out, "[]");
    }
    out.write_all(b"[\n")?;
    for (i, row) in rows.iter().enumerate() {
        let json = serde_json::to_string_pretty(row).expect("instance rows always serialize");
        let json = sanitize::json_escape_invisible(&json);
        for (n, line) in json.lines().enumerate() {
            if n > 0 {
                out.write_all(b"\n")?;
            }
            out.write_all(b"  ")?;
            out.write_all(line.as_bytes())?;
        }
        out.write_all(if i + 1 < rows.len() { b",\n" } else { b"\n" })?;
    }
    out.write_all(b"]\n")
}

/// Writes any JSON value to stdout (pretty, with invisible characters escaped).
pub fn write_json_value(value: &serde_json::Value) -> Result<()> {
    let json = serde_json::to_string_pretty(value).expect("JSON values always serialize");
    let json = sanitize::json_escape_invisible(&json);
    finish(write_stdout(|out| writeln!(out, "{json}")))
}

/// Writes text that the caller has already sanitized to stdout.
pub fn write_text(text: &str) -> Result<()> {
    finish(write_stdout(|out| out.write_all(text.as_bytes())))
}

/// Writes `rows` as an aligned table to stdout, with one column per filtered tag key and, when
/// `notes` is set, a NOTE column saying why a row can't be connected to.
pub fn write_table(rows: &[Instance], tag_columns: &[&str], notes: bool) -> Result<()> {
    let mut header: Vec<String> = [
        "NAME",
        "INSTANCE",
        "STATE",
        "SSM",
        "PRIVATE IP",
        "PLATFORM",
        "AZ",
    ]
    .map(String::from)
    .to_vec();
    header.extend(tag_columns.iter().map(|k| for_terminal(k).into_owned()));
    if notes {
        header.push("NOTE".into());
    }
    let dash = || "-".to_owned();
    let mut table: Vec<Vec<String>> = Vec::with_capacity(rows.len() + 1);
    table.push(header);
    for r in rows {
        let mut line = vec![
            r.name
                .as_deref()
                .map_or_else(dash, |n| for_terminal(n).into_owned()),
            for_terminal(&r.instance_id).into_owned(),
            for_terminal(&r.state).into_owned(),
            r.ping_status.as_deref().map_or_else(
                || "not managed".to_owned(),
                |p| for_terminal(p).into_owned(),
            ),
            r.private_ip
                .as_deref()
                .map_or_else(dash, |v| for_terminal(v).into_owned()),
            r.platform
                .as_deref()
                .map_or_else(dash, |v| for_terminal(v).into_owned()),
            r.availability_zone
                .as_deref()
                .map_or_else(dash, |v| for_terminal(v).into_owned()),
        ];
        for key in tag_columns {
            line.push(
                r.tags
                    .get(key)
                    .map_or_else(dash, |v| for_terminal(v).into_owned()),
            );
        }
        if notes {
            line.push(r.note().unwrap_or_default());
        }
        table.push(line);
    }
    finish(write_stdout(|out| write_aligned(out, &table)))
}

/// Pads every column but the last to its widest cell (counted in characters).
fn write_aligned(out: &mut dyn Write, table: &[Vec<String>]) -> io::Result<()> {
    let columns = table.first().map_or(0, Vec::len);
    let mut widths = vec![0usize; columns];
    for line in table {
        for (w, cell) in widths.iter_mut().zip(line) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for line in table {
        let mut text = String::new();
        for (i, cell) in line.iter().enumerate() {
            text.push_str(cell);
            if i + 1 < line.len() {
                let pad = widths[i] - cell.chars().count() + 2;
                text.extend(std::iter::repeat_n(' ', pad));
            }
        }
        writeln!(out, "{}", text.trim_end())?;
    }
    Ok(())
}

fn write_stdout(f: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    f(&mut out)?;
    out.flush()
}

/// A reader that went away (`| head`) is the end of the output, not a failure.
fn finish(res: io::Result<()>) -> Result<()> {
    match res {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::io("writing to standard output", e)),
        Ok(()) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_on_character_width_and_lines_have_no_trailing_space() {
        let table = vec![
            vec!["NAME".to_string(), "ID".into(), "NOTE".into()],
            vec!["wéb".to_string(), "i-1".into(), String::new()],
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
        let row = |id: &str| Instance {
            instance_id: id.into(),
            name: Some("web \u{202e}x".into()),
            state: "running".into(),
            ping_status: None,
            managed: false,
            private_ip: None,
            platform: None,
            availability_zone: None,
            tags: [("Env".to_string(), "a\nb".to_string())].into(),
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
    fn a_closed_pipe_is_not_an_error() {
        assert!(finish(Err(io::Error::from(io::ErrorKind::BrokenPipe))).is_ok());
        assert!(finish(Err(io::Error::from(io::ErrorKind::PermissionDenied))).is_err());
    }
}
