//! The fuzzy picker: nucleo matching on background threads, rows streamed in while the listing
//! is still paging, so the first instances are on screen as soon as the first page is, and a
//! cached listing replaced in place by the fresh one.
//!
//! It knows rows, not AWS: whoever lists instances (or ECS Exec's containers) pushes them
//! through a [`Feed`]; any row that says what a person sees of it ([`Item`]) can be picked.

use std::hash::{Hash, Hasher};
use std::io;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use nucleo_picker::error::PickError;
use nucleo_picker::event::{keybind_no_multi, Event, EventSource, RecvError, StdinReader};
use nucleo_picker::{Injector, Picker, PickerOptions, Render};

use crate::error::{Error, Result};
use crate::fleet::Instance;
use crate::output::sanitize::Untrusted;
use crate::settings::Column;

/// A row of the picker: an instance, which listing (account/region) it came from, and what is
/// worth knowing about it at a glance.
#[derive(Debug, Clone)]
pub struct Row {
    pub instance: Instance,
    /// Index of the listing (account/region) the row belongs to.
    pub scope: usize,
    pub mark: Mark,
}

/// How a row relates to your history and to the cached listing shown before the fresh one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Mark {
    Plain,
    /// Connected to recently.
    Recent,
    /// From the cache; the fresh listing is still on its way.
    Cached,
    /// Not in the cached listing.
    New,
    /// Its state or SSM status differs from the cached listing's.
    Changed,
    /// In the cached listing, but no longer there.
    Gone,
}

impl Mark {
    pub fn text(&self) -> &'static str {
        match self {
            Mark::Plain => "",
            Mark::Recent => "recent",
            Mark::Cached => "cached",
            Mark::New => "new",
            Mark::Changed => "changed",
            Mark::Gone => "gone",
        }
    }
}

/// One line per instance, in the chosen columns; what is shown is what the query matches.
///
/// Every character shown is matched on every key press, so the picker shows a few columns (name,
/// id, status, address, the filtered tags) rather than every tag: at 100,000 rows all tags would
/// double the cost of a key press. The `columns` setting chooses others.
pub struct RowRenderer {
    columns: Vec<Column>,
}

impl RowRenderer {
    pub fn new(columns: Vec<Column>) -> RowRenderer {
        RowRenderer { columns }
    }
}

/// The instances the picker would show for `query`, without a terminal (`run --all QUERY`):
/// the same rendered lines, matched the picker's way (nucleo's fuzzy pattern, smart case and
/// normalization).
pub fn matching(instances: Vec<Instance>, query: &str, columns: Vec<Column>) -> Vec<Instance> {
    use nucleo_picker::nucleo::pattern::{CaseMatching, Normalization, Pattern};
    use nucleo_picker::nucleo::{Config, Matcher, Utf32Str};
    let pattern = Pattern::parse(query, CaseMatching::Smart, Normalization::Smart);
    let mut matcher = Matcher::new(Config::DEFAULT);
    let renderer = RowRenderer::new(columns);
    let mut chars = Vec::new();
    instances
        .into_iter()
        .filter(|instance| {
            let line = renderer.render(&Row {
                instance: instance.clone(),
                scope: 0,
                mark: Mark::Plain,
            });
            pattern
                .score(Utf32Str::new(&line, &mut chars), &mut matcher)
                .is_some()
        })
        .collect()
}

impl Render<Row> for RowRenderer {
    type Str<'a> = String;

    fn render(&self, picked: &Row) -> String {
        use std::fmt::Write;
        let row = &picked.instance;
        let mut line = format!("{:<7} ", picked.mark.text());
        if let Some(origin) = &row.origin {
            let _ = write!(line, "{} ", Untrusted(&origin.label()));
        }
        for column in &self.columns {
            let value = row.cell(column);
            let _ = match column {
                // Only the tags a row has, each saying which it is: there is no header.
                Column::Tag(key) => match value {
                    Some(v) => write!(line, "{}={} ", Untrusted(key), Untrusted(v)),
                    None => Ok(()),
                },
                // No NOTE column here: what stands in the way of a session is said first.
                Column::Ssm => {
                    let status = match (row.note(), value) {
                        (Some(note), _) => note,
                        (None, Some(ping)) => ping.to_owned(),
                        (None, None) => row.state.clone(),
                    };
                    let width = picker_width(column);
                    write!(line, "{:<width$} ", Untrusted(&status))
                }
                _ => {
                    let width = picker_width(column);
                    write!(line, "{:<width$} ", Untrusted(value.unwrap_or("-")))
                }
            };
        }
        line.truncate(line.trim_end().len());
        line
    }
}

/// How wide the picker pads a column, so that the rows line up while their text stays whole.
fn picker_width(column: &Column) -> usize {
    match column {
        Column::Name => 32,
        Column::Instance => 19,
        Column::State => 8,
        Column::Ssm => 16,
        Column::Ip => 15,
        Column::Platform => 18,
        Column::Az => 12,
        // KEY=VALUE, as long as it is.
        Column::Tag(_) => 0,
    }
}

/// A row the picker can show and replace: what a person sees of it, as a fingerprint (a
/// replacement that shows the same is not worth emptying the picker for).
pub trait Item: Clone + Send + Sync + 'static {
    fn fingerprint(&self) -> u64;
}

/// What a person sees of an instance's row: which listing, which instance, its mark, and what
/// [`RowRenderer`] shows that can change.
impl Item for Row {
    fn fingerprint(&self) -> u64 {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        let i = &self.instance;
        (self.scope, &self.mark, &i.instance_id, &i.name, &i.state).hash(&mut h);
        (&i.ping_status, i.managed, &i.private_ip, &i.platform).hash(&mut h);
        (&i.availability_zone, &i.tags).hash(&mut h);
        h.finish()
    }
}

/// The fresh listing, marked against the cached one shown before it: rows the cache didn't have
/// are new, rows that `differ` in what a person would notice are changed, and the cached rows
/// that vanished are kept, marked gone (so that nothing disappears under the cursor unsaid).
/// `key` says which rows are the same thing; `mark` is where a row keeps its mark.
pub fn mark_against_cache<T: Clone, K: Hash + Eq>(
    cached: &[T],
    fresh: Vec<T>,
    key: impl Fn(&T) -> K,
    differ: impl Fn(&T, &T) -> bool,
    mark: impl Fn(&mut T) -> &mut Mark,
) -> Vec<T> {
    let before: std::collections::HashMap<K, &T> = cached.iter().map(|r| (key(r), r)).collect();
    let mut seen = std::collections::HashSet::new();
    let mut rows: Vec<T> = fresh
        .into_iter()
        .map(|mut r| {
            let new_mark = match before.get(&key(&r)) {
                None => Mark::New,
                Some(old) if differ(old, &r) => Mark::Changed,
                Some(_) => Mark::Plain,
            };
            *mark(&mut r) = new_mark;
            seen.insert(key(&r));
            r
        })
        .collect();
    rows.extend(cached.iter().filter(|r| !seen.contains(&key(r))).map(|r| {
        let mut gone = r.clone();
        *mark(&mut gone) = Mark::Gone;
        gone
    }));
    rows
}

/// The picker, before it is shown: rows of `T`, each shown as `R` renders it.
pub struct RowPicker<T, R> {
    picker: Picker<T, R>,
    aborts: Receiver<Error>,
    abort_tx: Sender<Error>,
    restarts: Receiver<()>,
    restart_tx: Sender<()>,
    refilled: Receiver<()>,
    replacement: Arc<Mutex<Option<Vec<T>>>>,
    shown: Arc<Mutex<Vec<u64>>>,
    stop: CatchStopSignals,
}

/// The listing's end of the picker: rows go in, or the reason there will be none.
pub struct Feed<T, R> {
    injector: Injector<T, R>,
    abort: Sender<Error>,
    restart: Sender<()>,
    replacement: Arc<Mutex<Option<Vec<T>>>>,
    /// A fingerprint of each row shown, in order.
    shown: Arc<Mutex<Vec<u64>>>,
}

impl<T, R> Clone for Feed<T, R> {
    fn clone(&self) -> Self {
        Feed {
            injector: self.injector.clone(),
            abort: self.abort.clone(),
            restart: self.restart.clone(),
            replacement: Arc::clone(&self.replacement),
            shown: Arc::clone(&self.shown),
        }
    }
}

impl<T: Item, R: Render<T>> Feed<T, R> {
    pub fn push(&self, rows: Vec<T>) {
        let mut shown = self.shown.lock().unwrap_or_else(|e| e.into_inner());
        shown.extend(rows.iter().map(Item::fingerprint));
        self.injector.push_batch(rows);
    }

    /// Replaces every row shown (the fresh listing after the cached one), keeping the query.
    /// Rows equal to those shown, in the same order, are left alone: a replacement empties the
    /// picker for a moment.
    pub fn replace(&self, rows: Vec<T>) {
        let prints: Vec<u64> = rows.iter().map(Item::fingerprint).collect();
        {
            let mut shown = self.shown.lock().unwrap_or_else(|e| e.into_inner());
            if *shown == prints {
                return;
            }
            *shown = prints;
        }
        *self.replacement.lock().unwrap_or_else(|e| e.into_inner()) = Some(rows);
        let _ = self.restart.send(());
    }

    /// Closes the picker with `error` (the listing failed or found nothing).
    pub fn fail(&self, error: Error) {
        // The picker may already be closed by the user: nothing left to tell then.
        let _ = self.abort.send(error);
    }
}

/// Keys from the terminal, plus the listing's aborts, read on the picker's own thread (so that
/// no reader is left behind to steal keystrokes from the session that follows).
struct Events {
    keys: StdinReader<Error>,
    aborts: Receiver<Error>,
    restarts: Receiver<()>,
    /// Told when the rows of a replacement are in.
    refilled: Receiver<()>,
    /// Keys wait in the terminal until then: a restart empties the picker, and Enter pressed on
    /// an empty picker would be lost.
    hold_keys_until: Option<Instant>,
    refilling_since: Option<Instant>,
}

/// The last stop signal received while the picker is open (0: none).
static STOP_SIGNAL: AtomicI32 = AtomicI32::new(0);

/// The signals that must close the picker through its own exit, which restores the terminal:
/// killed by their default action, ssmgo would leave the terminal raw and on the alternate
/// screen. (Ctrl-C and Ctrl-\ are keys here: the terminal is raw.)
const STOP_SIGNALS: [libc::c_int; 4] = [libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT, libc::SIGINT];

extern "C" fn note_stop(signal: libc::c_int) {
    // Only an atomic store: async-signal-safe.
    STOP_SIGNAL.store(signal, Ordering::Relaxed);
}

/// While alive, [`STOP_SIGNALS`] are noted for the picker to close on; the dispositions before
/// (the run's listener's, src/signals.rs) are put back exactly on drop. Made with the picker,
/// before its thread starts: a signal in between would otherwise end the run while that thread
/// takes the terminal over, and leave it raw.
struct CatchStopSignals {
    previous: Vec<(libc::c_int, libc::sigaction)>,
}

impl CatchStopSignals {
    fn new() -> CatchStopSignals {
        STOP_SIGNAL.store(0, Ordering::Relaxed);
        let previous = STOP_SIGNALS
            .iter()
            .filter_map(|&signal| {
                // SAFETY: sigaction with zeroed, then filled, structs we own; the handler only
                // stores to an atomic.
                unsafe {
                    let mut action: libc::sigaction = std::mem::zeroed();
                    action.sa_sigaction = note_stop as *const () as libc::sighandler_t;
                    libc::sigemptyset(&mut action.sa_mask);
                    let mut old: libc::sigaction = std::mem::zeroed();
                    (libc::sigaction(signal, &action, &mut old) == 0).then_some((signal, old))
                }
            })
            .collect();
        CatchStopSignals { previous }
    }
}

impl Drop for CatchStopSignals {
    fn drop(&mut self) {
        for (signal, old) in &self.previous {
            // SAFETY: restores the exact action saved above.
            unsafe {
                libc::sigaction(*signal, old, std::ptr::null_mut());
            }
        }
    }
}

/// After a replacement's rows are in, how long keys wait for them to be matched and drawn.
const SETTLE: Duration = Duration::from_millis(50);

/// A replacement that never arrives holds keys no longer than this.
const REFILL_LIMIT: Duration = Duration::from_secs(1);

impl EventSource for Events {
    type AbortErr = Error;

    fn recv_timeout(&mut self, duration: Duration) -> Result<Event<Error>, RecvError> {
        if let Ok(err) = self.aborts.try_recv() {
            return Ok(Event::Abort(err));
        }
        let signal = STOP_SIGNAL.swap(0, Ordering::Relaxed);
        if signal != 0 {
            return Ok(Event::Abort(Error::Stopped {
                signal,
                state: "while the picker was open: it was closed and nothing was started",
            }));
        }
        if self.restarts.try_recv().is_ok() {
            self.refilling_since = Some(Instant::now());
            return Ok(Event::Restart);
        }
        if let Some(since) = self.refilling_since {
            if self.refilled.try_recv().is_ok() || since.elapsed() > REFILL_LIMIT {
                self.refilling_since = None;
                self.hold_keys_until = Some(Instant::now() + SETTLE);
            }
        }
        let holding = self.refilling_since.is_some()
            || self.hold_keys_until.is_some_and(|t| Instant::now() < t);
        if holding {
            std::thread::sleep(duration.min(Duration::from_millis(10)));
            return Err(RecvError::Timeout);
        }
        self.keys
            .recv_timeout(duration.min(Duration::from_millis(50)))
    }
}

impl<T: Item, R: Render<T> + Send + Sync + 'static> RowPicker<T, R> {
    /// A picker showing rows as `renderer` does, pre-filled with `query`; fails unless stdin and
    /// stderr are terminals.
    pub fn new(query: Option<&str>, renderer: R) -> Result<RowPicker<T, R>> {
        if !crate::output::can_ask() {
            return Err(Error::NotInteractive);
        }
        let mut options = PickerOptions::default();
        if let Some(q) = query {
            options = options.query(q);
        }
        let (abort_tx, aborts) = mpsc::channel();
        let (restart_tx, restarts) = mpsc::channel();
        let stop = CatchStopSignals::new();
        let mut picker = options.picker(renderer);
        let replacement: Arc<Mutex<Option<Vec<T>>>> = Arc::default();
        // After a restart the picker hands out a new injector; the replacement rows go there.
        let injectors = picker.injector_observer(false);
        let pending = Arc::clone(&replacement);
        let (refilled_tx, refilled) = mpsc::channel();
        std::thread::spawn(move || {
            while let Ok(injector) = injectors.recv() {
                let rows = pending.lock().unwrap_or_else(|e| e.into_inner()).take();
                injector.push_batch(rows.unwrap_or_default());
                let _ = refilled_tx.send(());
            }
        });
        Ok(RowPicker {
            picker,
            aborts,
            abort_tx,
            restarts,
            restart_tx,
            refilled,
            replacement,
            shown: Arc::default(),
            stop,
        })
    }

    pub fn feed(&self) -> Feed<T, R> {
        Feed {
            injector: self.picker.injector(),
            abort: self.abort_tx.clone(),
            restart: self.restart_tx.clone(),
            replacement: Arc::clone(&self.replacement),
            shown: Arc::clone(&self.shown),
        }
    }

    /// Shows the picker until the user picks (Enter) or leaves (Esc, Ctrl-C: [`Error::Cancelled`]).
    /// Blocks: run it off the async runtime.
    pub fn run(mut self) -> Result<T> {
        let events = Events {
            keys: StdinReader::new(keybind_no_multi),
            aborts: self.aborts,
            restarts: self.restarts,
            refilled: self.refilled,
            hold_keys_until: None,
            refilling_since: None,
        };
        let mut stderr = io::stderr().lock();
        let _stop = self.stop;
        picked(self.picker.pick_with_io(events, &mut stderr))
    }
}

/// What the user did in a picker: picked a row, left (Esc, Ctrl-C), or it was closed.
fn picked<T: Clone>(outcome: std::result::Result<Option<&T>, PickError<Error>>) -> Result<T> {
    match outcome {
        Ok(Some(row)) => Ok(row.clone()),
        Ok(None) | Err(PickError::UserInterrupted) => Err(Error::Cancelled),
        Err(PickError::Aborted(e)) => Err(e),
        Err(e) => Err(Error::Picker {
            detail: e.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fresh_listing_is_marked_against_the_cached_one() {
        let row = |id: &str, state: &str, mark: Mark| Row {
            instance: Instance::example(id).in_state(state),
            scope: 0,
            mark,
        };
        let cached = [
            row("i-same", "running", Mark::Cached),
            row("i-changed", "running", Mark::Cached),
            row("i-gone", "running", Mark::Cached),
        ];
        let fresh = vec![
            row("i-same", "running", Mark::Plain),
            row("i-changed", "stopped", Mark::Plain),
            row("i-new", "running", Mark::Plain),
        ];
        let marked = mark_against_cache(
            &cached,
            fresh,
            |r| r.instance.instance_id.clone(),
            |old, new| old.instance.state != new.instance.state,
            |r| &mut r.mark,
        );
        let got: Vec<(&str, Mark)> = marked
            .iter()
            .map(|r| (r.instance.instance_id.as_str(), r.mark.clone()))
            .collect();
        assert_eq!(
            got,
            [
                ("i-same", Mark::Plain),
                ("i-changed", Mark::Changed),
                ("i-new", Mark::New),
                ("i-gone", Mark::Gone),
            ]
        );
    }

    #[test]
    fn a_row_shows_what_people_search_by_and_neutralises_tag_text() {
        let row = Instance::example("i-0123456789abcdef0")
            .named("web-\x1b[31mprod")
            .pinged("Online")
            .with_private_ip("10.1.2.3")
            .tagged("Env", "prod\u{202e}")
            .tagged("Name", "x");
        let renderer = RowRenderer::new(
            Column::PICKER_DEFAULT
                .into_iter()
                .chain([Column::Tag("Env".into())])
                .collect(),
        );
        let line = renderer.render(&Row {
            instance: row.clone(),
            scope: 0,
            mark: Mark::Recent,
        });
        assert!(line.starts_with("recent  web-\\x1b[31mprod"), "{line}");
        assert!(line.contains("i-0123456789abcdef0"));
        assert!(line.contains("Online"));
        assert!(line.contains("10.1.2.3"));
        assert!(line.ends_with("Env=prod\\u{202e}"), "{line}");
        assert!(!line.contains("Name=x"), "the name is shown once");
        let plain = RowRenderer::new(Column::PICKER_DEFAULT.to_vec()).render(&Row {
            instance: row,
            scope: 0,
            mark: Mark::Plain,
        });
        assert!(!plain.contains("Env="), "tags only when asked for: {plain}");
    }
}
