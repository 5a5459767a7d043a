//! A conforming XML tokenizer, written by hand for EC2's DescribeInstances pages (`ec2_xml`).
//!
//! Why by hand: the project takes a well-kept crate unless a benchmark shows it costs more than
//! 10% over the best hand-written alternative. quick-xml did: on one canned page of 1,000
//! instances (4.4 MB), the page reader built on quick-xml took 89.8 M instructions, the same
//! reader on this tokenizer 69.3 M (−23%; callgrind, release builds, bench/README.md "Issue 25,
//! second round"); without the byte searches over unshown subtrees and the building of rows,
//! which both share, tokenizing and decoding went from ~55 M to ~33 M (−40%). What quick-xml
//! spends per event (its buffer and event types, decoding and escaping layers) this does once,
//! on the few markup forms XML has, with byte searches.
//!
//! What it delivers, as a conforming parser (botocore's expat among them;
//! tests/integration/xml_reference.rs compares the two) does: line ends normalized (`\r\n` and a
//! lone `\r` are `\n`, except when written as character references), the five predefined
//! entities and numeric character references (of characters XML allows) decoded, CDATA as
//! text, comments and processing instructions ignored, attributes checked and ignored. Not
//! well-formed is an error: a malformed tag or reference, an undefined entity, a control
//! character, `]]>` in text, `--` in a comment, a DOCTYPE (AWS never sends one, and the
//! entities it could define are a risk). Matching end tags to start tags is the caller's (it
//! keeps the open elements anyway). The input is a `&str`: the caller checks it is UTF-8, once.
//!
//! It reads from a position in a piece of the document and says when the piece ends inside a
//! token ([`Next::Cut`]): the caller keeps that tail and retries with more, so a chunk boundary
//! may fall anywhere (inside a tag name, a reference, `]]>`, a character).

use memchr::memmem;

/// One piece of markup or text, borrowed from the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Token<'a> {
    /// A start tag (`empty` for `<a/>`), its attributes checked and dropped.
    Start {
        name: &'a str,
        empty: bool,
    },
    End {
        name: &'a str,
    },
    /// Character data as written: [`text`] decodes or checks it.
    Text(&'a str),
    /// A CDATA section's content: [`cdata`] takes it.
    CData(&'a str),
    /// A comment or processing instruction; `declaration` for `<?xml …?>`, which may only come
    /// first.
    Ignored {
        declaration: bool,
    },
}

/// What comes next in a piece of a document.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Next<'a> {
    /// A token, and where the one after it starts.
    Token(Token<'a>, usize),
    /// The piece ends inside the token starting here: it needs more of the document.
    Cut,
    /// Nothing left.
    End,
}

/// The token starting at `at` in `data`. Unless `last` (the document ends with `data`), text
/// reaching the end of `data` is [`Next::Cut`] too: it may go on in the next piece.
pub(super) fn next(data: &str, at: usize, last: bool) -> Result<Next<'_>, String> {
    let bytes = data.as_bytes();
    let Some(&first) = bytes.get(at) else {
        return Ok(Next::End);
    };
    let cut = || match last {
        true => Err(format!("the document ends inside markup (at byte {at})")),
        false => Ok(Next::Cut),
    };
    if first != b'<' {
        return Ok(match memchr::memchr(b'<', &bytes[at..]) {
            Some(n) => Next::Token(Token::Text(&data[at..at + n]), at + n),
            None if last => Next::Token(Token::Text(&data[at..]), bytes.len()),
            None => Next::Cut,
        });
    }
    let rest = &bytes[at..];
    match rest.get(1) {
        None => cut(),
        Some(b'/') => end_tag(data, at)?.map_or_else(cut, Ok),
        Some(b'?') => match processing_instruction(data, at)? {
            Some(next) => Ok(next),
            None => cut(),
        },
        Some(b'!') => {
            const COMMENT: &[u8] = b"<!--";
            const CDATA: &[u8] = b"<![CDATA[";
            const DOCTYPE: &[u8] = b"<!DOCTYPE";
            if rest.starts_with(COMMENT) {
                match comment(data, at + COMMENT.len())? {
                    Some(end) => Ok(Next::Token(Token::Ignored { declaration: false }, end)),
                    None => cut(),
                }
            } else if rest.starts_with(CDATA) {
                let from = at + CDATA.len();
                match memmem::find(&bytes[from..], b"]]>") {
                    Some(n) => Ok(Next::Token(
                        Token::CData(&data[from..from + n]),
                        from + n + 3,
                    )),
                    None => cut(),
                }
            } else if rest.starts_with(DOCTYPE) {
                Err("a DOCTYPE in the document".into())
            } else if [COMMENT, CDATA, DOCTYPE]
                .iter()
                .any(|m| m.starts_with(rest))
            {
                cut()
            } else {
                Err(format!("markup that is not XML at byte {at}"))
            }
        }
        Some(_) => start_tag(data, at)?.map_or_else(cut, Ok),
    }
}

/// Appends `raw` (character data as written) to `out` as a conforming parser reads it:
/// references decoded, line ends normalized. With no `out`, only checks it.
pub(super) fn text(raw: &str, out: Option<&mut String>) -> Result<(), String> {
    characters(raw, false, out)
}

/// Appends a CDATA section's content to `out`: literally, but for line ends. With no `out`,
/// only checks it.
pub(super) fn cdata(raw: &str, out: Option<&mut String>) -> Result<(), String> {
    characters(raw, true, out)
}

fn characters(raw: &str, literal: bool, mut out: Option<&mut String>) -> Result<(), String> {
    let bytes = raw.as_bytes();
    let mut run = 0;
    let mut i = 0;
    let push = |out: &mut Option<&mut String>, s: &str| {
        if let Some(out) = out.as_deref_mut() {
            out.push_str(s);
        }
    };
    while i < bytes.len() {
        let b = bytes[i];
        // The common byte: nothing to do.
        if b >= 0x20 && b != b'&' && b != b']' && b != 0xEF {
            i += 1;
            continue;
        }
        match b {
            b'\t' | b'\n' => i += 1,
            b'\r' => {
                push(&mut out, &raw[run..i]);
                push(&mut out, "\n");
                i += if bytes.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                run = i;
            }
            b'&' if !literal => {
                let Some(len) = memchr::memchr(b';', &bytes[i..]) else {
                    return Err(format!("an unterminated reference in {raw:?}"));
                };
                let c = reference(&raw[i + 1..i + len])?;
                push(&mut out, &raw[run..i]);
                if let Some(out) = out.as_deref_mut() {
                    out.push(c);
                }
                i += len + 1;
                run = i;
            }
            b']' if !literal && bytes[i..].starts_with(b"]]>") => {
                return Err(format!("]]> in text: {raw:?}"));
            }
            // U+FFFE and U+FFFF are not characters XML allows (EF BF BE, EF BF BF).
            0xEF if matches!(bytes.get(i + 1..i + 3), Some([0xBF, 0xBE | 0xBF])) => {
                return Err(format!("a character XML doesn't allow in {raw:?}"));
            }
            b'&' | b']' | 0xEF => i += 1,
            _ => return Err(format!("a control character in {raw:?}")),
        }
    }
    push(&mut out, &raw[run..]);
    Ok(())
}

/// The character `&name;` stands for: one of the five predefined entities or a character
/// reference.
fn reference(name: &str) -> Result<char, String> {
    let code = match name {
        "amp" => return Ok('&'),
        "lt" => return Ok('<'),
        "gt" => return Ok('>'),
        "quot" => return Ok('"'),
        "apos" => return Ok('\''),
        _ => match name.strip_prefix('#') {
            Some(hex) if hex.starts_with('x') => number(&hex[1..], 16),
            Some(decimal) => number(decimal, 10),
            None => return Err(format!("an undefined entity &{name};")),
        },
    };
    code.and_then(char::from_u32)
        .filter(|&c| is_xml_char(c))
        .ok_or_else(|| format!("a reference to no character XML allows: &{name};"))
}

/// Digits in `radix`, nothing else (no sign, no white space), that fit a u32.
fn number(digits: &str, radix: u32) -> Option<u32> {
    if digits.is_empty() || !digits.bytes().all(|b| (b as char).is_digit(radix)) {
        return None;
    }
    u32::from_str_radix(digits, radix).ok()
}

/// XML 1.0's Char production.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// The bytes a name may hold: ASCII letters, digits, `_ - . :`, and any byte of a non-ASCII
/// character (XML allows most; AWS's names are ASCII).
static NAME_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b':') || c >= 0x80;
        b += 1;
    }
    table
};

/// Where the name starting at `from` ends; an error when there is none there (a name can't
/// start with a digit, `-` or `.`).
fn name_end(bytes: &[u8], from: usize) -> Result<usize, String> {
    let mut p = from;
    while p < bytes.len() && NAME_BYTE[bytes[p] as usize] {
        p += 1;
    }
    match bytes.get(from) {
        Some(b'0'..=b'9' | b'-' | b'.') => Err(format!(
            "a name starting with a digit, - or . at byte {from}"
        )),
        _ if p == from && p < bytes.len() => Err(format!("a name expected at byte {from}")),
        _ => Ok(p),
    }
}

fn skip_space(bytes: &[u8], mut p: usize) -> usize {
    while p < bytes.len() && is_space(bytes[p]) {
        p += 1;
    }
    p
}

/// `<name attr="value" …>` or `<name …/>` at `at`; None when cut short.
fn start_tag(data: &str, at: usize) -> Result<Option<Next<'_>>, String> {
    let bytes = data.as_bytes();
    let mut p = name_end(bytes, at + 1)?;
    let name = &data[at + 1..p];
    let mut attributes: Vec<&str> = Vec::new();
    loop {
        let before_space = p;
        p = skip_space(bytes, p);
        let Some(&b) = bytes.get(p) else {
            return Ok(None);
        };
        match b {
            b'>' => {
                return Ok(Some(Next::Token(
                    Token::Start { name, empty: false },
                    p + 1,
                )))
            }
            b'/' => {
                return match bytes.get(p + 1) {
                    None => Ok(None),
                    Some(b'>') => Ok(Some(Next::Token(Token::Start { name, empty: true }, p + 2))),
                    Some(_) => Err(format!("a / inside the tag <{name}")),
                }
            }
            _ if p == before_space => {
                return Err(format!("no white space before an attribute of <{name}"))
            }
            _ => {
                let attribute_start = p;
                p = name_end(bytes, p)?;
                if p == bytes.len() {
                    return Ok(None);
                }
                let attribute = &data[attribute_start..p];
                if attributes.contains(&attribute) {
                    return Err(format!("the attribute {attribute} twice in <{name}"));
                }
                attributes.push(attribute);
                p = skip_space(bytes, p);
                match bytes.get(p) {
                    None => return Ok(None),
                    Some(b'=') => p = skip_space(bytes, p + 1),
                    Some(_) => {
                        return Err(format!("the attribute {attribute} of <{name} has no value"))
                    }
                }
                let quote = match bytes.get(p) {
                    None => return Ok(None),
                    Some(&q @ (b'"' | b'\'')) => q,
                    Some(_) => {
                        return Err(format!(
                            "the attribute {attribute} of <{name} is not quoted"
                        ))
                    }
                };
                let Some(len) = memchr::memchr(quote, &bytes[p + 1..]) else {
                    return Ok(None);
                };
                let value = &data[p + 1..p + 1 + len];
                if value.contains('<') {
                    return Err(format!("a < in the attribute {attribute} of <{name}"));
                }
                text(value, None)?;
                p += len + 2;
            }
        }
    }
}

/// `</name >` at `at`; None when cut short.
fn end_tag(data: &str, at: usize) -> Result<Option<Next<'_>>, String> {
    let bytes = data.as_bytes();
    let end = name_end(bytes, at + 2)?;
    if end == bytes.len() {
        return Ok(None);
    }
    let p = skip_space(bytes, end);
    match bytes.get(p) {
        None => Ok(None),
        Some(b'>') if end > at + 2 => Ok(Some(Next::Token(
            Token::End {
                name: &data[at + 2..end],
            },
            p + 1,
        ))),
        Some(_) => Err(format!("a malformed end tag at byte {at}")),
    }
}

/// A comment whose text starts at `from`: where it ends, None when cut short.
fn comment(data: &str, from: usize) -> Result<Option<usize>, String> {
    let bytes = &data.as_bytes()[from..];
    // XML forbids `--` inside a comment, so the first `--` must be its end.
    let Some(n) = memmem::find(bytes, b"--") else {
        return Ok(None);
    };
    match bytes.get(n + 2) {
        None => Ok(None),
        Some(b'>') => Ok(Some(from + n + 3)),
        Some(_) => Err(format!("-- inside a comment at byte {}", from + n)),
    }
}

/// `<?target …?>` at `at`; None when cut short.
fn processing_instruction(data: &str, at: usize) -> Result<Option<Next<'_>>, String> {
    let bytes = data.as_bytes();
    let target_end = name_end(bytes, at + 2)?;
    let Some(n) = memmem::find(&bytes[target_end..], b"?>") else {
        return Ok(None);
    };
    let target = &data[at + 2..target_end];
    if target.is_empty() || (n > 0 && !is_space(bytes[target_end])) {
        return Err(format!("a malformed processing instruction at byte {at}"));
    }
    let declaration = target == "xml";
    if !declaration && target.eq_ignore_ascii_case("xml") {
        return Err(format!("the reserved processing instruction <?{target}"));
    }
    Ok(Some(Next::Token(
        Token::Ignored { declaration },
        target_end + n + 2,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every token of `doc`, read as one piece.
    fn tokens(doc: &str) -> Result<Vec<Token<'_>>, String> {
        let mut out = Vec::new();
        let mut at = 0;
        loop {
            match next(doc, at, true)? {
                Next::Token(token, end) => {
                    out.push(token);
                    at = end;
                }
                Next::End => return Ok(out),
                Next::Cut => unreachable!("the last piece is never cut"),
            }
        }
    }

    fn decoded(raw: &str) -> Result<String, String> {
        let mut out = String::new();
        text(raw, Some(&mut out))?;
        Ok(out)
    }

    #[test]
    fn markup_forms_are_told_apart() {
        let doc = "<?xml version=\"1.0\"?><a x='1>' y = \"&amp;\"><b/>t<![CDATA[<c>]]><!-- - --><?pi d?></a >";
        assert_eq!(
            tokens(doc).unwrap(),
            [
                Token::Ignored { declaration: true },
                Token::Start {
                    name: "a",
                    empty: false
                },
                Token::Start {
                    name: "b",
                    empty: true
                },
                Token::Text("t"),
                Token::CData("<c>"),
                Token::Ignored { declaration: false },
                Token::Ignored { declaration: false },
                Token::End { name: "a" },
            ]
        );
    }

    #[test]
    fn a_piece_cut_inside_a_token_asks_for_more() {
        let doc = "<a x='1'>t&amp;<![CDATA[]]]><!--c--><?p?></a>";
        let whole = tokens(doc).unwrap();
        for cut in 0..doc.len() {
            let piece = &doc[..cut];
            let mut at = 0;
            let mut seen = Vec::new();
            while let Next::Token(token, end) = next(piece, at, false).unwrap() {
                seen.push(token);
                at = end;
            }
            assert_eq!(seen, whole[..seen.len()], "cut at {cut}");
        }
    }

    #[test]
    fn references_and_line_ends_decode_as_xml_says() {
        assert_eq!(decoded("a&lt;&gt;&amp;&quot;&apos;").unwrap(), "a<>&\"'");
        assert_eq!(decoded("&#65;&#x42;").unwrap(), "AB");
        assert!(decoded("&#X43;").is_err(), "&#X is not hex");
        assert_eq!(decoded("&#x1F600;&#128512;").unwrap(), "😀😀");
        assert_eq!(decoded("a\r\nb\rc\r\r\nd").unwrap(), "a\nb\nc\n\nd");
        assert_eq!(decoded("&#13;&#10;&#xd;").unwrap(), "\r\n\r");
        let mut out = String::new();
        cdata("x&amp;\r\n]]", Some(&mut out)).unwrap();
        assert_eq!(out, "x&amp;\n]]");
        for bad in [
            "&bogus;",
            "&amp",
            "a & b",
            "&#;",
            "&#x;",
            "&#0;",
            "&#x1;",
            "&#xD800;",
            "&#xFFFE;",
            "&#x110000;",
            "&#99999999999;",
            "&#-1;",
            "a]]>b",
            "\u{1}",
            "\u{fffe}",
            "\u{ffff}",
        ] {
            assert!(decoded(bad).is_err(), "{bad:?}");
        }
        assert!(cdata("\u{0}", None).is_err());
    }

    #[test]
    fn malformed_markup_is_an_error() {
        for bad in [
            "<!DOCTYPE a><a/>",
            "<!ELEMENT a>",
            "< a/>",
            "<1a/>",
            "<a x=1/>",
            "<a x/>",
            "<a x='1'y='2'/>",
            "<a x='1' x='2'/>",
            "<a x='<'/>",
            "<a x='&nope;'/>",
            "<a / >",
            "</>",
            "</a b>",
            "<!-- a -- b -->",
            "<!-- a --->",
            "<?XML version='1.0'?>",
            "<?pi?x?>",
            "<a",
            "<!-- x",
            "<![CDATA[x",
        ] {
            assert!(tokens(bad).is_err(), "{bad:?}");
        }
    }
}
