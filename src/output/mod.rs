//! The terminal basics: stdout and stderr writers, colour, whether a person can be asked.
//!
//! Untrusted text is sanitized here, at the last step before the terminal, so that no caller can
//! forget to. A closed pipe (`ssmgo list | head`) ends the output quietly: it is not an error.
//! What is written (instance rows, reports) is its owner's business; this module knows none of
//! it, so every layer, the AWS one included, can write through it.

pub mod sanitize;
pub mod style;
pub mod terminal;

use std::io::{self, BufWriter, Write};

use crate::error::{Error, Result};
use style::Paint;

/// Writes any JSON value to stdout (pretty, with invisible characters escaped).
pub fn write_json_value(value: &serde_json::Value) -> Result<()> {
    let json = serde_json::to_string_pretty(value).expect("JSON values always serialize");
    let json = sanitize::json_escape_invisible(&json);
    write_stdout(|out| writeln!(out, "{json}"))
}

/// True when a person can be asked: stdin and stderr are a terminal (the picker, a yes/no
/// question, a choice). Scripts and ssh's ProxyCommand are never asked.
pub fn can_ask() -> bool {
    use std::io::IsTerminal;
    io::stdin().is_terminal() && io::stderr().is_terminal()
}

/// Writes text to stdout, sanitized here (line breaks and tabs kept).
pub fn write_text(text: &str) -> Result<()> {
    let text = sanitize::lines_for_terminal(text);
    write_stdout(|out| out.write_all(text.as_bytes()))
}

/// Writes to stdout, buffered, whatever `write` writes (its caller has sanitized it).
pub fn write_stdout(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    finish(write(&mut out).and_then(|()| out.flush()))
}

/// Writes text to stderr as it is, sanitized here (line breaks and tabs kept). Our own words
/// never hold a control character, so any that a message holds came from outside. A closed
/// stderr is not worth failing for.
pub fn to_stderr(text: &str) {
    let _ = io::stderr()
        .lock()
        .write_all(sanitize::lines_for_terminal(text).as_bytes());
}

/// Writes ssmgo's own terminal controls (carriage return, erase line, show cursor) to stderr as
/// they are: unlike text, they are the point, and never carry anything from outside.
pub fn controls_to_stderr(controls: &str) {
    let _ = io::stderr().lock().write_all(controls.as_bytes());
}

/// `say!("...", args)`: one line (or several) on stderr, through [`to_stderr`], as `eprintln!`
/// would write it.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::output::to_stderr(&format!("{}\n", format_args!($($arg)*)))
    };
}

/// The error ending a run, on stderr: "ssmgo:" (in red on a colour terminal), then the message.
/// Cancelling says nothing: the person who cancelled knows.
pub fn report_error(err: &Error) {
    // Cancelled: the user knows; a remote exit status: the remote command said what it had to.
    if matches!(err, Error::Cancelled | Error::RemoteExit { .. }) {
        return;
    }
    let prefix = style::stderr("ssmgo:", Paint::Bad);
    let text = sanitize::lines_for_terminal(&err.to_string()).into_owned();
    let _ = writeln!(io::stderr().lock(), "{prefix} {text}");
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
    fn a_closed_pipe_is_not_an_error() {
        assert!(finish(Err(io::Error::from(io::ErrorKind::BrokenPipe))).is_ok());
        assert!(finish(Err(io::Error::from(io::ErrorKind::PermissionDenied))).is_err());
    }
}
