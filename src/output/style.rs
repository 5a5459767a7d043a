//! Colour, when wanted: `--color`, NO_COLOR and the config decide; "auto" means only when the
//! stream is a terminal. Colour is applied after text is sanitized and padded, so it can neither
//! carry untrusted escapes nor break alignment.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::settings::ColorChoice;

static STDOUT: AtomicBool = AtomicBool::new(false);
static STDERR: AtomicBool = AtomicBool::new(false);

/// Decides once, at start-up, whether stdout and stderr get colour.
pub fn init(choice: ColorChoice) {
    use std::io::IsTerminal;
    let (out, err) = match choice {
        ColorChoice::Always => (true, true),
        ColorChoice::Never => (false, false),
        ColorChoice::Auto => {
            let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
            (
                !dumb && std::io::stdout().is_terminal(),
                !dumb && std::io::stderr().is_terminal(),
            )
        }
    };
    STDOUT.store(out, Ordering::Relaxed);
    STDERR.store(err, Ordering::Relaxed);
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paint {
    Bold,
    Good,
    Warn,
    Bad,
}

impl Paint {
    fn code(self) -> &'static str {
        match self {
            Paint::Bold => "1",
            Paint::Good => "32",
            Paint::Warn => "33",
            Paint::Bad => "31",
        }
    }
}

/// `text` in `paint` if stdout gets colour.
pub fn stdout(text: &str, paint: Option<Paint>) -> String {
    apply(STDOUT.load(Ordering::Relaxed), text, paint)
}

/// `text` in `paint` if stderr gets colour.
pub fn stderr(text: &str, paint: Paint) -> String {
    apply(STDERR.load(Ordering::Relaxed), text, Some(paint))
}

fn apply(enabled: bool, text: &str, paint: Option<Paint>) -> String {
    match paint {
        Some(p) if enabled && !text.trim().is_empty() => {
            format!("\x1b[{}m{text}\x1b[0m", p.code())
        }
        _ => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_wraps_text_only_when_enabled() {
        assert_eq!(
            apply(true, "Online", Some(Paint::Good)),
            "\x1b[32mOnline\x1b[0m"
        );
        assert_eq!(apply(false, "Online", Some(Paint::Good)), "Online");
        assert_eq!(apply(true, "  ", Some(Paint::Bad)), "  ");
        assert_eq!(apply(true, "x", None), "x");
    }
}
