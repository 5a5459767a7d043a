//! The listing printed: the instance table for people (aligned, painted, untrusted text made
//! safe) and JSON rows for scripts. It sits with the rows it prints, above the terminal basics
//! (`output`) it writes through, which know nothing of instances.

use std::io::{self, Write};
use std::sync::Arc;

use serde::ser::{SerializeSeq, Serializer};

use super::scopes::{LeftOut, ToCache};
use super::{cache, Instance};
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
    write_routed(out, rows, &mut [], &|_| None)
}

/// Writes `rows` as [`write_json`] does, and caches each of `caches`' listing from the same
/// bytes: every row is serialized once, for stdout and for its scope's cache file (streamed
/// into it for one scope; with several, whose rows are printed mixed, gathered per scope first).
pub fn write_json_caching(rows: &[Instance], caches: &[ToCache]) -> Result<()> {
    match caches {
        [] => write_json(rows),
        [only] => {
            let mut printed = None;
            let stored = cache::store_serialized::<Instance>(&only.key, |file| {
                let mut sinks = [Sink::new(file)];
                let result = output::write_stdout(|stdout| {
                    write_routed(stdout, rows, &mut sinks, &|_| Some(0))
                });
                let failed = result.is_err();
                printed = Some(result);
                let [sink] = sinks;
                match failed {
                    // Not printed whole: nor cached.
                    true => Err(io::Error::other("the listing was not printed")),
                    false => sink.finish(),
                }
            });
            say_uncached(only, stored);
            // No cache directory: printed all the same.
            printed.unwrap_or_else(|| write_json(rows))
        }
        many => {
            let mut buffers = vec![Vec::new(); many.len()];
            let mut sinks: Vec<Sink> = buffers.iter_mut().map(|b| Sink::new(b)).collect();
            let route = |row: &Instance| {
                many.iter()
                    .position(|c| same_origin(c.origin.as_ref(), row.origin.as_ref()))
            };
            let printed =
                output::write_stdout(|stdout| write_routed(stdout, rows, &mut sinks, &route));
            let finished: Vec<io::Result<()>> = sinks.into_iter().map(Sink::finish).collect();
            if printed.is_ok() {
                for ((scope, bytes), finished) in many.iter().zip(buffers).zip(finished) {
                    let stored = finished.and_then(|()| {
                        cache::store_serialized::<Instance>(&scope.key, |out| out.write_all(&bytes))
                    });
                    say_uncached(scope, stored);
                }
            }
            printed
        }
    }
}

fn same_origin(a: Option<&Arc<super::Origin>>, b: Option<&Arc<super::Origin>>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => Arc::ptr_eq(a, b),
        (None, None) => true,
        _ => false,
    }
}

fn say_uncached(scope: &ToCache, stored: io::Result<()>) {
    if let (Err(e), true) = (stored, scope.verbose) {
        crate::say!("ssmgo: could not write the listing cache: {e}");
    }
}

/// Writes `rows` as the pretty-printed JSON array [`write_pretty`] writes, and each row's bytes
/// also to `sinks[route(row)]`, which so receives the JSON array of its rows.
fn write_routed(
    out: &mut dyn Write,
    rows: &[Instance],
    sinks: &mut [Sink<'_>],
    route: &dyn Fn(&Instance) -> Option<usize>,
) -> io::Result<()> {
    let to = std::cell::Cell::new(None);
    let rows = RoutedRows {
        rows,
        route,
        to: &to,
    };
    let mut out = Routed {
        out,
        sinks,
        to: &to,
        pending: Vec::with_capacity(Routed::HAND_ON_AT),
        pending_to: None,
    };
    write_pretty(&mut out, &rows)?;
    out.hand_on()
}

/// The rows as a JSON array, saying before each row where its bytes go.
struct RoutedRows<'a> {
    rows: &'a [Instance],
    route: &'a dyn Fn(&Instance) -> Option<usize>,
    to: &'a std::cell::Cell<Option<usize>>,
}

impl serde::Serialize for RoutedRows<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.rows.len()))?;
        for row in self.rows {
            self.to.set((self.route)(row));
            seq.serialize_element(row)?;
        }
        self.to.set(None);
        seq.end()
    }
}

/// Everything to `out`, and a row's bytes to its sink too. The serializer's many small writes
/// are gathered first and handed on in runs bound for one sink (a row, or rows of one scope).
struct Routed<'a, 'b> {
    out: &'a mut dyn Write,
    sinks: &'a mut [Sink<'b>],
    to: &'a std::cell::Cell<Option<usize>>,
    pending: Vec<u8>,
    /// Where `pending` goes besides `out`.
    pending_to: Option<usize>,
}

impl Routed<'_, '_> {
    const HAND_ON_AT: usize = 64 * 1024;

    #[inline(never)]
    fn hand_on(&mut self) -> io::Result<()> {
        self.out.write_all(&self.pending)?;
        if let Some(sink) = self.pending_to.and_then(|i| self.sinks.get_mut(i)) {
            sink.take(&self.pending);
        }
        self.pending.clear();
        Ok(())
    }
}

impl Write for Routed<'_, '_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    // The serializer's every write: kept small enough to inline, the rest out of line.
    #[inline]
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        if self.to.get() != self.pending_to || self.pending.len() >= Self::HAND_ON_AT {
            self.hand_on()?;
            self.pending_to = self.to.get();
        }
        self.pending.extend_from_slice(buf);
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.hand_on()?;
        self.out.flush()
    }
}

/// One scope's rows, as printed, made a JSON array of their own: each row arrives as the
/// pretty printer separates it from the one before (`,\n  {…}`), rows of other scopes between.
/// Its line breaks and indentation are left out ([`write_unindented`]): the picker's first frame
/// reads the file whole.
struct Sink<'a> {
    out: &'a mut dyn Write,
    started: bool,
    failed: Option<io::Error>,
}

impl<'a> Sink<'a> {
    fn new(out: &'a mut dyn Write) -> Sink<'a> {
        Sink {
            out,
            started: false,
            failed: None,
        }
    }

    /// Never fails the printing: a cache that can't be written is only not written.
    fn take(&mut self, mut bytes: &[u8]) {
        if self.failed.is_some() {
            return;
        }
        let mut write = || {
            if !self.started {
                self.started = true;
                self.out.write_all(b"[")?;
                bytes = bytes.strip_prefix(b",").unwrap_or(bytes);
            }
            write_unindented(self.out, bytes)
        };
        if let Err(e) = write() {
            self.failed = Some(e);
        }
    }

    fn finish(self) -> io::Result<()> {
        if let Some(e) = self.failed {
            return Err(e);
        }
        self.out.write_all(if self.started { b"]" } else { b"[]" })
    }
}

/// `bytes` of pretty-printed JSON without its line breaks and the indentation after them: a line
/// break never stands inside a JSON string (JSON escapes it), so each one is layout. (A run that
/// ends between a line break and its indentation keeps those spaces: still valid JSON.) At
/// 100,000 rows the cached listing is 23% smaller for it, and the picker reads it whole.
fn write_unindented(out: &mut dyn Write, mut bytes: &[u8]) -> io::Result<()> {
    while let Some(n) = memchr::memchr(b'\n', bytes) {
        out.write_all(&bytes[..n])?;
        let rest = &bytes[n + 1..];
        bytes = &rest[rest.iter().take_while(|&&b| b == b' ').count()..];
    }
    out.write_all(bytes)
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
    fn cached_rows_are_the_printed_ones_without_their_layout() {
        let rows = vec![
            Instance::example("i-1").named("two  spaces\nand a line"),
            Instance::example("i-2").tagged("Env", "  prod  "),
        ];
        let mut printed = Vec::new();
        write_json_rows(&mut printed, &rows).unwrap();
        let mut cached = Vec::new();
        write_unindented(&mut cached, &printed).unwrap();
        assert!(
            !cached.contains(&b'\n'),
            "{}",
            String::from_utf8_lossy(&cached)
        );
        assert!(
            cached.len() < printed.len() * 5 / 6,
            "{} of {}",
            cached.len(),
            printed.len()
        );
        let back: Vec<Instance> = serde_json::from_slice(&cached).unwrap();
        assert_eq!(
            back, rows,
            "strings keep their spaces and escaped line breaks"
        );
    }

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
    fn each_scope_receives_the_printed_bytes_of_its_own_rows() {
        let origin = |region: &str| {
            Arc::new(super::super::Origin {
                profile: None,
                region: region.into(),
                account: Some("111122223333".into()),
                account_name: None,
            })
        };
        let (east, west) = (origin("us-east-1"), origin("eu-west-1"));
        let row = |id: &str, origin: &Arc<super::super::Origin>| {
            let mut row = Instance::example(id)
                .named("web \u{202e}x")
                .tagged("Env", "a\nb");
            row.origin = Some(Arc::clone(origin));
            row
        };
        let rows = vec![row("i-1", &east), row("i-2", &west), row("i-3", &east)];
        let (mut a, mut b, mut c) = (Vec::new(), Vec::new(), Vec::new());
        let mut sinks = [Sink::new(&mut a), Sink::new(&mut b), Sink::new(&mut c)];
        let route = |r: &Instance| match r.origin.as_deref().map(|o| o.region.as_str()) {
            Some("us-east-1") => Some(0),
            Some("eu-west-1") => Some(1),
            _ => None,
        };
        let mut out = Vec::new();
        write_routed(&mut out, &rows, &mut sinks, &route).unwrap();
        let [a_sink, b_sink, c_sink] = sinks;
        for sink in [a_sink, b_sink, c_sink] {
            sink.finish().unwrap();
        }
        let mut printed = Vec::new();
        write_json_rows(&mut printed, &rows).unwrap();
        assert_eq!(out, printed, "what is printed is unchanged");
        let read = |bytes: &[u8]| serde_json::from_slice::<Vec<Instance>>(bytes).unwrap();
        assert_eq!(read(&a), [rows[0].clone(), rows[2].clone()]);
        assert_eq!(read(&b), [rows[1].clone()]);
        assert!(read(&c).is_empty(), "a scope without rows caches none");
        let text = String::from_utf8(a).unwrap();
        assert!(
            text.contains("\\u202e") && text.contains("},{\"instance_id\": \"i-3\""),
            "the bytes printed, invisible characters escaped, without their layout: {text}"
        );
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
