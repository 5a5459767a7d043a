//! A JSON parser that remembers where everything is and sees duplicate keys.
//!
//! Policies are pasted from web pages and edited by hand: errors must say line and column and
//! what was expected, and a key written twice (which IAM rejects, and most parsers silently
//! resolve to the last one) must be reported, not lost. Arbitrary input never panics: nesting is
//! bounded and every error is a value.

use std::fmt;

/// A 1-based line and column (in characters), plus the byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, PartialOrd, Ord)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
    pub offset: usize,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// A JSON value and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub value: Json,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    /// The number as written (IAM treats numbers in policies as text).
    Number(String),
    String(String),
    Array(Vec<Node>),
    /// Members in document order, duplicates included.
    Object(Vec<Member>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub key: String,
    pub key_pos: Pos,
    pub value: Node,
}

/// The same key twice in one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    pub key: String,
    pub first: Pos,
    pub second: Pos,
}

/// Why a text is not JSON, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub pos: Pos,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pos, self.message)
    }
}

impl std::error::Error for ParseError {}

/// A parsed document: the tree and every duplicate key found in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub root: Node,
    pub duplicates: Vec<Duplicate>,
}

const MAX_DEPTH: usize = 128;

/// Parses one JSON document (a leading byte-order mark is allowed).
pub fn parse(text: &str) -> Result<Document, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut p = Parser {
        src: text.as_bytes(),
        text,
        i: 0,
        line: 1,
        col: 1,
        duplicates: Vec::new(),
    };
    p.skip_ws();
    if p.i >= p.src.len() {
        return Err(p.error("the document is empty; expected a JSON object such as {\"Version\": \"2012-10-17\", \"Statement\": [...]}"));
    }
    let root = p.value(0)?;
    p.skip_ws();
    if p.i < p.src.len() {
        return Err(p.error("unexpected text after the end of the JSON document"));
    }
    Ok(Document {
        root,
        duplicates: p.duplicates,
    })
}

struct Parser<'a> {
    src: &'a [u8],
    text: &'a str,
    i: usize,
    line: u32,
    col: u32,
    duplicates: Vec<Duplicate>,
}

impl Parser<'_> {
    fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            column: self.col,
            offset: self.i,
        }
    }

    fn error(&self, message: impl Into<String>) -> ParseError {
        ParseError {
            pos: self.pos(),
            message: message.into(),
        }
    }

    fn error_at(pos: Pos, message: impl Into<String>) -> ParseError {
        ParseError {
            pos,
            message: message.into(),
        }
    }

    /// Advances over one character, keeping line and column right.
    fn bump(&mut self) {
        if let Some(&b) = self.src.get(self.i) {
            if b == b'\n' {
                self.line += 1;
                self.col = 1;
            } else if b & 0xC0 != 0x80 {
                self.col += 1;
            }
            self.i += 1;
            // Continuation bytes don't start a new column.
            while let Some(&c) = self.src.get(self.i) {
                if c & 0xC0 == 0x80 {
                    self.i += 1;
                } else {
                    break;
                }
            }
        }
    }

    fn peek(&self) -> Option<u8> {
        self.src.get(self.i).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.bump();
        }
    }

    fn describe_here(&self) -> String {
        match self.text[self.i..].chars().next() {
            None => "the end of the input".into(),
            Some(c) if c.is_control() => format!("the control character U+{:04X}", c as u32),
            Some(c) => format!("'{c}'"),
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, ParseError> {
        if depth > MAX_DEPTH {
            return Err(self.error(format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        let pos = self.pos();
        let value = match self.peek() {
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => Json::String(self.string()?),
            Some(b't') => self.literal("true", Json::Bool(true))?,
            Some(b'f') => self.literal("false", Json::Bool(false))?,
            Some(b'n') => self.literal("null", Json::Null)?,
            Some(b'-' | b'0'..=b'9') => Json::Number(self.number()?),
            Some(b'\'') => {
                return Err(self.error("strings must use double quotes (\"), not single quotes"))
            }
            None => return Err(self.error("unexpected end of the input; expected a value")),
            _ => {
                return Err(self.error(format!(
                "expected a value (object, array, string, number, true, false or null), found {}",
                self.describe_here()
            )))
            }
        };
        Ok(Node { pos, value })
    }

    fn literal(&mut self, word: &str, value: Json) -> Result<Json, ParseError> {
        if self.src[self.i..].starts_with(word.as_bytes()) {
            for _ in 0..word.len() {
                self.bump();
            }
            Ok(value)
        } else {
            Err(self.error(format!("expected a value, found {}", self.describe_here())))
        }
    }

    fn number(&mut self) -> Result<String, ParseError> {
        let start = self.i;
        let pos = self.pos();
        if self.peek() == Some(b'-') {
            self.bump();
        }
        match self.peek() {
            Some(b'0') => self.bump(),
            Some(b'1'..=b'9') => {
                while let Some(b'0'..=b'9') = self.peek() {
                    self.bump();
                }
            }
            _ => return Err(Self::error_at(pos, "invalid number")),
        }
        if self.peek() == Some(b'.') {
            self.bump();
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error("expected a digit after the decimal point"));
            }
            while let Some(b'0'..=b'9') = self.peek() {
                self.bump();
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.bump();
            if let Some(b'+' | b'-') = self.peek() {
                self.bump();
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error("expected a digit in the exponent"));
            }
            while let Some(b'0'..=b'9') = self.peek() {
                self.bump();
            }
        }
        Ok(self.text[start..self.i].to_owned())
    }

    fn string(&mut self) -> Result<String, ParseError> {
        let open = self.pos();
        self.bump(); // the opening quote
        let mut out = String::new();
        loop {
            let Some(b) = self.peek() else {
                return Err(Self::error_at(
                    open,
                    "this string is never closed (missing '\"')",
                ));
            };
            match b {
                b'"' => {
                    self.bump();
                    return Ok(out);
                }
                b'\\' => {
                    self.bump();
                    let esc = self.peek();
                    match esc {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'n') => out.push('\n'),
                        Some(b'r') => out.push('\r'),
                        Some(b't') => out.push('\t'),
                        Some(b'u') => {
                            self.bump();
                            let c = self.unicode_escape()?;
                            out.push(c);
                            continue;
                        }
                        _ => return Err(self.error(format!("invalid escape \\{}; valid ones are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX", self.text[self.i..].chars().next().unwrap_or(' ')))),
                    }
                    self.bump();
                }
                0x00..=0x1F => {
                    return Err(self.error(if b == b'\n' {
                        "a string cannot span lines (missing '\"' before the line break?)"
                            .to_owned()
                    } else {
                        format!("control character U+{b:04X} inside a string; escape it")
                    }))
                }
                _ => {
                    let c = self.text[self.i..].chars().next().expect("valid UTF-8");
                    out.push(c);
                    self.bump();
                }
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let mut v = 0u32;
        for _ in 0..4 {
            let d = match self.peek() {
                Some(c @ b'0'..=b'9') => c - b'0',
                Some(c @ b'a'..=b'f') => c - b'a' + 10,
                Some(c @ b'A'..=b'F') => c - b'A' + 10,
                _ => return Err(self.error("expected four hex digits after \\u")),
            };
            v = v * 16 + d as u32;
            self.bump();
        }
        Ok(v)
    }

    fn unicode_escape(&mut self) -> Result<char, ParseError> {
        let pos = self.pos();
        let hi = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&hi) {
            if !(self.peek() == Some(b'\\') && self.src.get(self.i + 1) == Some(&b'u')) {
                return Err(Self::error_at(
                    pos,
                    "a high surrogate \\u escape must be followed by a low one",
                ));
            }
            self.bump();
            self.bump();
            let lo = self.hex4()?;
            if !(0xDC00..0xE000).contains(&lo) {
                return Err(Self::error_at(pos, "invalid surrogate pair"));
            }
            0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
        } else {
            hi
        };
        char::from_u32(code)
            .ok_or_else(|| Self::error_at(pos, "invalid \\u escape (a lone surrogate)"))
    }

    fn array(&mut self, depth: usize) -> Result<Json, ParseError> {
        let open = self.pos();
        self.bump();
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.bump();
            return Ok(Json::Array(items));
        }
        loop {
            self.skip_ws();
            if self.peek() == Some(b']') {
                return Err(
                    self.error("trailing comma before ']' (JSON allows none): remove the last ','")
                );
            }
            if self.peek().is_none() {
                return Err(Self::error_at(
                    open,
                    format!("the array opened at {open} is never closed (missing ']')"),
                ));
            }
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.bump(),
                Some(b']') => {
                    self.bump();
                    return Ok(Json::Array(items));
                }
                None => {
                    return Err(Self::error_at(
                        open,
                        format!("the array opened at {open} is never closed (missing ']')"),
                    ))
                }
                _ => {
                    return Err(self.error(format!(
                        "expected ',' or ']' after an array element, found {}",
                        self.describe_here()
                    )))
                }
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json, ParseError> {
        let open = self.pos();
        self.bump();
        let mut members: Vec<Member> = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.bump();
            return Ok(Json::Object(members));
        }
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b'"') => {}
                Some(b'}') => {
                    return Err(self.error(
                        "trailing comma before '}' (JSON allows none): remove the last ','",
                    ))
                }
                None => {
                    return Err(Self::error_at(
                        open,
                        format!("the object opened at {open} is never closed (missing '}}')"),
                    ))
                }
                Some(b'\'') => {
                    return Err(self.error("keys must use double quotes (\"), not single quotes"))
                }
                _ => {
                    return Err(self.error(format!(
                        "expected a key in double quotes, found {}",
                        self.describe_here()
                    )))
                }
            }
            let key_pos = self.pos();
            let key = self.string()?;
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.error(format!(
                    "expected ':' after the key \"{key}\", found {}",
                    self.describe_here()
                )));
            }
            self.bump();
            self.skip_ws();
            let value = self.value(depth + 1)?;
            if let Some(first) = members.iter().find(|m| m.key == key) {
                self.duplicates.push(Duplicate {
                    key: key.clone(),
                    first: first.key_pos,
                    second: key_pos,
                });
            }
            members.push(Member {
                key,
                key_pos,
                value,
            });
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.bump(),
                Some(b'}') => {
                    self.bump();
                    return Ok(Json::Object(members));
                }
                None => {
                    return Err(Self::error_at(
                        open,
                        format!("the object opened at {open} is never closed (missing '}}')"),
                    ))
                }
                Some(b'"') => {
                    return Err(self.error(
                        "expected ',' between object members (missing ',' before this key?)",
                    ))
                }
                _ => {
                    return Err(self.error(format!(
                        "expected ',' or '}}' after an object member, found {}",
                        self.describe_here()
                    )))
                }
            }
        }
    }
}

impl Node {
    /// The last member named `key` (case-sensitive, as IAM's element names are).
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Json::Object(members) => members
                .iter()
                .rev()
                .find(|m| m.key == key)
                .map(|m| &m.value),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// Writes the value back as indented JSON.
    pub fn to_pretty(&self) -> String {
        let mut out = String::new();
        write_value(&mut out, &self.value, 0);
        out
    }
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20
                || c.is_control()
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}') =>
            {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn write_value(out: &mut String, v: &Json, indent: usize) {
    let pad = |out: &mut String, n: usize| out.extend(std::iter::repeat_n(' ', n));
    match v {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Number(n) => out.push_str(n),
        Json::String(s) => write_string(out, s),
        Json::Array(items) if items.is_empty() => out.push_str("[]"),
        Json::Array(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                pad(out, indent + 2);
                write_value(out, &item.value, indent + 2);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            pad(out, indent);
            out.push(']');
        }
        Json::Object(members) if members.is_empty() => out.push_str("{}"),
        Json::Object(members) => {
            out.push_str("{\n");
            for (i, m) in members.iter().enumerate() {
                pad(out, indent + 2);
                write_string(out, &m.key);
                out.push_str(": ");
                write_value(out, &m.value.value, indent + 2);
                out.push_str(if i + 1 < members.len() { ",\n" } else { "\n" });
            }
            pad(out, indent);
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> ParseError {
        parse(text).unwrap_err()
    }

    #[test]
    fn values_remember_their_line_and_column() {
        let doc = parse("{\n  \"a\": [1, \"x\"],\n  \"b\": {\"c\": true}\n}").unwrap();
        assert_eq!(
            doc.root.pos,
            Pos {
                line: 1,
                column: 1,
                offset: 0
            }
        );
        let a = doc.root.get("a").unwrap();
        assert_eq!((a.pos.line, a.pos.column), (2, 8));
        let Json::Array(items) = &a.value else {
            panic!()
        };
        assert_eq!((items[1].pos.line, items[1].pos.column), (2, 12));
        assert_eq!(
            doc.root.get("b").unwrap().get("c").unwrap().value,
            Json::Bool(true)
        );
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let doc = parse("{\"ü\": \"é\", \"k\": 1}").unwrap();
        let Json::Object(m) = &doc.root.value else {
            panic!()
        };
        assert_eq!(m[1].key_pos.column, 12);
    }

    #[test]
    fn duplicate_keys_are_reported_with_both_positions() {
        let doc = parse("{\"k\": 1,\n \"k\": 2}").unwrap();
        assert_eq!(doc.duplicates.len(), 1);
        let d = &doc.duplicates[0];
        assert_eq!(d.key, "k");
        assert_eq!((d.first.line, d.first.column), (1, 2));
        assert_eq!((d.second.line, d.second.column), (2, 2));
        assert_eq!(
            doc.root.get("k").unwrap().value,
            Json::Number("2".into()),
            "the last one wins, like most parsers"
        );
    }

    #[test]
    fn trailing_commas_are_named_as_such() {
        let e = err("{\"a\": [1, 2,]}");
        assert!(e.message.contains("trailing comma before ']'"), "{e}");
        assert_eq!((e.pos.line, e.pos.column), (1, 13));
        let e = err("{\"a\": 1,\n}");
        assert!(e.message.contains("trailing comma before '}'"), "{e}");
        assert_eq!(e.pos.line, 2);
    }

    #[test]
    fn a_missing_brace_points_at_the_opening_one() {
        let e = err("{\n  \"Statement\": [\n    {\"Effect\": \"Allow\"\n  ]\n}");
        assert!(e.message.contains("expected ',' or '}'"), "{e}");
        let e = err("{\"a\": {\"b\": 1}");
        assert!(e.message.contains("never closed (missing '}')"), "{e}");
        assert_eq!((e.pos.line, e.pos.column), (1, 1));
    }

    #[test]
    fn common_paste_mistakes_get_specific_messages() {
        assert!(err("{'a': 1}").message.contains("double quotes"));
        assert!(err("{\"a\": 1 \"b\": 2}").message.contains("missing ','"));
        assert!(err("{\"a\" 1}").message.contains("expected ':'"));
        assert!(err("").message.contains("empty"));
        assert!(err("{\"a\": \"x\n\"}").message.contains("span lines"));
        assert!(err("{} x").message.contains("after the end"));
        assert!(err("{\"a\": tru}").message.contains("expected a value"));
        assert!(err("{\"a\": \"\\q\"}").message.contains("invalid escape"));
    }

    #[test]
    fn escapes_and_surrogates_decode() {
        let doc = parse(r#"["\u00e9\ud83d\ude00\n\"\/"]"#).unwrap();
        let Json::Array(items) = &doc.root.value else {
            panic!()
        };
        assert_eq!(items[0].as_str(), Some("é😀\n\"/"));
        assert!(parse(r#"["\ud83d"]"#).is_err());
        assert!(parse(r#"["\udc00"]"#).is_err());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(10_000);
        assert!(err(&deep).message.contains("nesting"));
    }

    #[test]
    fn pretty_printing_round_trips() {
        let text = "{\"a\": [1, \"x\\u202e\"], \"b\": {}, \"c\": null, \"d\": -1.5e3}";
        let doc = parse(text).unwrap();
        let again = parse(&doc.root.to_pretty()).unwrap();
        assert_eq!(strip(&doc.root), strip(&again.root));
        assert!(doc.root.to_pretty().contains("\\u202e"));
    }

    fn strip(n: &Node) -> String {
        format!("{:?}", n.value).split("pos").count().to_string() + &n.to_pretty()
    }
}
