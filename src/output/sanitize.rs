//! Neutralising untrusted text before it reaches a terminal.
//!
//! Tag values, names and AWS messages are written by whoever has `ec2:CreateTags`; printed raw, an
//! escape sequence could rewrite the screen or the window title, and a bidi override could make
//! `i-bad` read as `i-good`. Every such character is shown as a visible escape instead.

use std::borrow::Cow;
use std::fmt::Write as _;

/// True for characters that must never reach a terminal as themselves: they move the cursor,
/// reorder text, or are invisible, so that `web\u{200b}-prod` would read as `web-prod`.
fn is_dangerous(c: char) -> bool {
    c.is_control() // C0, DEL and C1 (includes ESC and the 8-bit CSI)
        || matches!(c,
            '\u{200E}' | '\u{200F}' | '\u{061C}'     // directional marks
            | '\u{202A}'..='\u{202E}'               // embeddings and overrides
            | '\u{2066}'..='\u{2069}'               // isolates
            | '\u{2028}' | '\u{2029}'               // line and paragraph separators
            | '\u{200B}'..='\u{200D}'               // zero-width space, non-joiner, joiner
            | '\u{2060}'..='\u{2064}'               // word joiner, invisible operators
            | '\u{206A}'..='\u{206F}'               // deprecated format characters
            | '\u{00AD}' | '\u{034F}' | '\u{180E}'   // soft hyphen, grapheme joiner, Mongolian space
            | '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' // Hangul fillers (blank)
            | '\u{FEFF}'                            // zero-width no-break space
            | '\u{FFF9}'..='\u{FFFB}'               // interlinear annotation
            | '\u{E0000}'..='\u{E007F}') // tag characters
}

/// True when `text` is printable ASCII with, at most, the characters in `kept` besides: every
/// dangerous character is a control or outside ASCII, so such text needs no closer look. (The
/// fast path of every check below: a listing's JSON is checked whole, about 10 MB per 10,000
/// instances, and a byte test is several times faster than decoding characters.)
fn plain_ascii(text: &str, kept: &[u8]) -> bool {
    text.bytes()
        .all(|b| (0x20..0x7f).contains(&b) || kept.contains(&b))
}

/// [`for_terminal`] for text of several lines: line breaks and tabs stay, everything else
/// dangerous is made visible. Every message, error and text on stdout is written through this
/// (see [`crate::output`]), so a tag value or an AWS message inside one can never reach the
/// terminal raw, whoever built the text.
pub fn lines_for_terminal(text: &str) -> Cow<'_, str> {
    let kept = |c: char| c == '\n' || c == '\t';
    if plain_ascii(text, b"\n\t") || !text.chars().any(|c| !kept(c) && is_dangerous(c)) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.split('\n')
            .map(|line| {
                line.split('\t')
                    .map(for_terminal)
                    .collect::<Vec<_>>()
                    .join("\t")
            })
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// Text from outside ssmgo (a tag, a Name, an AWS message) placed inside a layout that is
/// measured before it is written — a table cell, a picker row, a completion's description —
/// so it can't wait for the writer's sanitizing: it displays with every dangerous character
/// made visible, and honours width and alignment (`{:<32}`).
pub struct Untrusted<'a>(pub &'a str);

impl std::fmt::Display for Untrusted<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(&for_terminal(self.0))
    }
}

/// `text` cut to `max` characters, the cut marked with `…[+N chars]`, so that a 64 KB tag value
/// does not flood a table or a completion menu. Borrows when nothing is cut.
pub fn truncated(text: &str, max: usize) -> Cow<'_, str> {
    let count = text.chars().count();
    if count <= max {
        return Cow::Borrowed(text);
    }
    let kept: String = text.chars().take(max).collect();
    Cow::Owned(format!("{kept}…[+{} chars]", count - max))
}

/// Returns `text` with every control, bidi or line-separator character replaced by a visible
/// escape (`\x1b`, `\u{202e}`); borrows when there is nothing to replace (the common case).
pub(crate) fn for_terminal(text: &str) -> Cow<'_, str> {
    if plain_ascii(text, b"") || !text.chars().any(is_dangerous) {
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

/// True when `word` can be put on a shell's command line as it is, in every shell ssmgo completes
/// for (bash, zsh, fish, elvish, PowerShell): bash inserts a completion verbatim, so a Name tag
/// such as `pwn-$(touch x)` would run when the line is entered. Only letters, digits and
/// `. _ - + @ , /` pass (no `:` or `=`, which bash splits words at), never a leading `-`
/// (it would read as an option) and never more than [`MAX_COMPLETION_WORD`] characters.
pub fn is_shell_safe_word(word: &str) -> bool {
    !word.is_empty()
        && word.len() <= MAX_COMPLETION_WORD
        && !word.starts_with('-')
        && word.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+' | '@' | ',' | '/')
        })
}

/// Longer words are not offered for completion: EC2 allows 256-character tag values.
pub const MAX_COMPLETION_WORD: usize = 128;

/// Rewrites the characters that JSON allows raw but a terminal obeys or hides (DEL, C1 controls
/// such as the 8-bit CSI, bidi, separators, zero-width) into `\uXXXX` escapes.
///
/// The decoded value is unchanged (scripts still see exactly what AWS returned); only its
/// rendering on a terminal is made harmless. serde_json already escapes C0 controls inside
/// strings, so any left are the document's own line breaks and stay.
pub fn json_escape_invisible(json: &str) -> Cow<'_, str> {
    let invisible = |c: char| is_dangerous(c) && !matches!(c, '\n' | '\r' | '\t');
    if plain_ascii(json, b"\n\r\t") || !json.chars().any(invisible) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if !invisible(c) {
            out.push(c);
        } else if let Ok(unit) = u16::try_from(c as u32) {
            let _ = write!(out, "\\u{unit:04x}");
        } else {
            // Outside the BMP, JSON spells a character as its UTF-16 surrogate pair.
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        }
    }
    Cow::Owned(out)
}

/// serde_json's pretty printing with [`json_escape_invisible`]'s escapes written as each string
/// is: the same text, without a second pass over it (a listing of 100,000 rows is ~100 MB).
pub struct PrettyEscaping<'a>(serde_json::ser::PrettyFormatter<'a>);

impl Default for PrettyEscaping<'_> {
    fn default() -> Self {
        PrettyEscaping(serde_json::ser::PrettyFormatter::new())
    }
}

impl serde_json::ser::Formatter for PrettyEscaping<'_> {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }

    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        // serde_json has escaped C0 controls, quotes and backslashes out of the fragments.
        if plain_ascii(fragment, b"") {
            return w.write_all(fragment.as_bytes());
        }
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if !is_dangerous(c) {
                continue;
            }
            w.write_all(&fragment.as_bytes()[start..i])?;
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                write!(w, "\\u{unit:04x}")?;
            }
            start = i + c.len_utf8();
        }
        w.write_all(&fragment.as_bytes()[start..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untrusted_text_shows_escapes_and_keeps_its_column_width() {
        assert_eq!(format!("[{:<8}]", Untrusted("a\x1bb")), "[a\\x1bb  ]");
        assert_eq!(format!("[{:<4}]", Untrusted("ok")), "[ok  ]");
    }

    #[test]
    fn text_keeps_its_line_breaks_and_tabs_but_nothing_else_that_moves_the_cursor() {
        assert_eq!(lines_for_terminal("a\tb\nc"), "a\tb\nc");
        assert_eq!(
            lines_for_terminal("a\r\n\u{202e}b\x1b]52;c;x\x07"),
            "a\\x0d\n\\u{202e}b\\x1b]52;c;x\\x07"
        );
    }

    #[test]
    fn only_words_no_shell_can_misread_are_safe_to_complete() {
        for ok in [
            "web-prod-01",
            "i-0123456789abcdef0",
            "db.internal",
            "a_b+c@d,e/f",
        ] {
            assert!(is_shell_safe_word(ok), "{ok}");
        }
        for hostile in [
            "pwn-$(touch${IFS}/tmp/PWNED)",
            "pwn-`id`",
            "pwn;id",
            "pwn|id",
            "pwn&id",
            "pwn'x",
            "pwn\"x",
            "pwn x",
            "pwn\nx",
            "pwn*",
            "pwn?",
            "pwn[a]",
            "pwn{a,b}",
            "~root",
            "-rf",
            "--endpoint-url=http://x",
            "a:b",
            "a=b",
            "pwn\\x",
            "pwn<x",
            "pwn>x",
            "pwn#x",
            "pwn!x",
            "pwn%x",
            "web\u{200b}-prod",
            "wéb",
            "",
        ] {
            assert!(!is_shell_safe_word(hostile), "{hostile:?}");
        }
        assert!(!is_shell_safe_word(&"a".repeat(MAX_COMPLETION_WORD + 1)));
    }

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
    fn invisible_characters_become_visible() {
        assert_eq!(
            for_terminal("web\u{200b}-prod\u{200d}-01"),
            "web\\u{200b}-prod\\u{200d}-01"
        );
        assert_eq!(for_terminal("a\u{e0041}"), "a\\u{e0041}");
        assert_eq!(for_terminal("x\u{7f}"), "x\\x7f");
    }

    #[test]
    fn messages_keep_their_lines_but_nothing_else() {
        assert_eq!(lines_for_terminal("a\n  b"), "a\n  b");
        assert_eq!(
            lines_for_terminal("Env=\x1b[2J\n  next"),
            "Env=\\x1b[2J\n  next"
        );
        assert_eq!(lines_for_terminal("already \\x1b"), "already \\x1b");
    }

    #[test]
    fn long_text_is_cut_with_a_marker() {
        assert_eq!(truncated("short", 10), "short");
        assert_eq!(
            truncated(&"é".repeat(12), 10),
            format!("{}…[+2 chars]", "é".repeat(10))
        );
    }

    #[test]
    fn json_escapes_c1_del_and_zero_width_but_keeps_the_value() {
        let raw = serde_json::to_string_pretty(&["a\u{9b}2J\u{7f}b\u{200b}c\u{e0041}"]).unwrap();
        let safe = json_escape_invisible(&raw);
        assert_eq!(safe, "[\n  \"a\\u009b2J\\u007fb\\u200bc\\udb40\\udc41\"\n]");
        let back: Vec<String> = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, ["a\u{9b}2J\u{7f}b\u{200b}c\u{e0041}"]);
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
