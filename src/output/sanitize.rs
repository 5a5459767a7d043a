//! Neutralising untrusted text before it reaches a terminal.
//!
//! Tag values, names and AWS messages are written by whoever has `ec2:CreateTags`; printed raw, an
//! escape sequence could rewrite the screen or the window title, and a bidi override could make
//! `i-bad` read as `i-good`. Every such character is shown as a visible escape instead.

use std::borrow::Cow;
use std::fmt::Write as _;

/// True for characters that must never reach a terminal as themselves.
fn is_dangerous(c: char) -> bool {
    c.is_control() // C0, DEL and C1 (includes ESC and the 8-bit CSI)
        || matches!(c,
            '\u{200E}' | '\u{200F}' | '\u{061C}'     // directional marks
            | '\u{202A}'..='\u{202E}'               // embeddings and overrides
            | '\u{2066}'..='\u{2069}'               // isolates
            | '\u{2028}' | '\u{2029}'               // line and paragraph separators
            | '\u{FEFF}')
}

/// Returns `text` with every control, bidi or line-separator character replaced by a visible
/// escape (`\x1b`, `\u{202e}`); borrows when there is nothing to replace (the common case).
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_dangerous) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !is_dangerous(c) {
            out.push(c);
        } else if (c as u32) < 0x100 {
            let _ = write!(out, "\\x{:02x}", c as u32);
        } else {
            let _ = write!(out, "\\u{{{:04x}}}", c as u32);
        }
    }
    Cow::Owned(out)
}

/// Rewrites the bidi and separator characters that JSON allows raw into `\uXXXX` escapes.
///
/// The decoded value is unchanged (scripts still see exactly what AWS returned); only its
/// rendering on a terminal is made harmless. serde_json already escapes control characters
/// inside strings, so any left are the document's own whitespace and stay.
pub fn json_escape_invisible(json: &str) -> Cow<'_, str> {
    let invisible = |c: char| is_dangerous(c) && !c.is_control();
    if !json.chars().any(invisible) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if invisible(c) {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        assert!(matches!(
            for_terminal("web-prod-01 ü 東京"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn escape_sequences_become_visible() {
        assert_eq!(for_terminal("a\x1b]0;pwned\x07b"), "a\\x1b]0;pwned\\x07b");
        assert_eq!(for_terminal("x\u{9b}2J"), "x\\x9b2J");
        assert_eq!(
            for_terminal("line\nbreak\ttab\r"),
            "line\\x0abreak\\x09tab\\x0d"
        );
    }

    #[test]
    fn bidi_overrides_become_visible() {
        assert_eq!(for_terminal("i-\u{202e}doog"), "i-\\u{202e}doog");
        assert_eq!(for_terminal("\u{2066}x\u{2069}"), "\\u{2066}x\\u{2069}");
    }

    #[test]
    fn json_keeps_its_value_but_loses_raw_bidi() {
        let raw = serde_json::to_string_pretty(&["a\u{202e}b\x1b"]).unwrap();
        let safe = json_escape_invisible(&raw);
        assert_eq!(safe, "[\n  \"a\\u202eb\\u001b\"\n]");
        let back: Vec<String> = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, ["a\u{202e}b\x1b"]);
    }
}
