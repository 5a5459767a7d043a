//! The terminal around what changes it: questions asked on it (dialoguer), whose modes are put
//! back when a stop signal ends the run mid-question, and the modes a plugin may leave behind.

use crate::error::{Error, Result};

/// The terminal's modes at one moment, to put back later.
pub(crate) struct TerminalModes(Option<libc::termios>);

impl TerminalModes {
    pub(crate) fn save() -> TerminalModes {
        // SAFETY: tcgetattr fills a struct we own; it fails harmlessly when stdin is no terminal.
        unsafe {
            let mut modes: libc::termios = std::mem::zeroed();
            TerminalModes((libc::tcgetattr(libc::STDIN_FILENO, &mut modes) == 0).then_some(modes))
        }
    }

    pub(crate) fn restore(&self) {
        if let Some(modes) = &self.0 {
            // SAFETY: sets the modes read from this same terminal.
            unsafe {
                libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, modes);
            }
        }
    }
}

/// Until disarmed: on drop, the terminal as it was, cursor shown (dialoguer hides it).
struct PutBack(Option<TerminalModes>);

impl Drop for PutBack {
    fn drop(&mut self) {
        if let Some(modes) = self.0.take() {
            modes.restore();
            super::controls_to_stderr("\x1b[?25h\n");
        }
    }
}

/// Asks `question` on a thread of its own: the runtime's thread, blocked in the terminal's read,
/// would not hear a stop signal until the person answers. Should the run be ended meanwhile,
/// the terminal is put back as it was. Ctrl-C at the question, or a stop signal that broke its
/// read, is left to the run's listener (src/signals.rs), which ends the run with that signal's
/// status: dialoguer raises SIGINT on Ctrl-C, and a read broken by a signal looks the same.
pub async fn ask<T: Send + 'static>(
    question: impl FnOnce() -> dialoguer::Result<T> + Send + 'static,
) -> Result<T> {
    let mut put_back = PutBack(Some(TerminalModes::save()));
    let answer = tokio::task::spawn_blocking(question)
        .await
        .map_err(|e| Error::Prompt {
            detail: e.to_string(),
        })?;
    match answer {
        Err(dialoguer::Error::IO(e)) if e.kind() == std::io::ErrorKind::Interrupted => {
            // The listener ends the run at once; should the signal be claimed by something else
            // that goes on (another tunnel), this question is cancelled after a moment.
            tokio::time::sleep(std::time::Duration::from_secs(2)).await;
            Err(Error::Cancelled)
        }
        other => {
            put_back.0 = None;
            other.map_err(|e| Error::Prompt {
                detail: e.to_string(),
            })
        }
    }
}
