//! DescribeInstances responses read while they stream in (see `divert` for why ssmgo reads
//! them and not the SDK): each chunk goes to `xml_tokens`, a conforming tokenizer (written by
//! hand: it says why), as it arrives, so no page (up to ~5 MB) is ever held whole; the subtrees ssmgo doesn't show are
//! stepped over without being decoded (checked to be UTF-8, not parsed), and tag strings are
//! interned.
//!
//! What a conforming reader must deliver, and botocore does (tests/integration/xml_reference.rs
//! compares the two on awkward tags): line ends normalized (`\r\n` and a lone `\r` are `\n`,
//! except when written as character references), the five predefined entities and numeric
//! character references decoded, CDATA taken as text, comments and processing instructions
//! ignored, attributes ignored, unknown elements skipped; anything not well-formed (mismatched
//! tags, an undefined entity, bytes that are not UTF-8, a DOCTYPE, a second root) is an error.

use super::divert;
use super::xml_tokens::{self, Next, Token};
use super::{Instance, Interner};

thread_local! {
    /// The tag keys and values seen so far, one copy each (see [`Interner`]): shared by every
    /// page a thread reads, whatever its account, region or zone (bodies are read on the
    /// runtime's worker threads, so each has its own, with no lock).
    static STRINGS: std::cell::RefCell<Interner> = std::cell::RefCell::default();
}

/// One DescribeInstances page as ssmgo reads it.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Page {
    pub rows: Vec<Instance>,
    /// The top-level nextToken, when there are more pages.
    pub next_token: Option<String>,
}

impl divert::Reader for PageReader {
    type Output = Page;
    const EMPTY: &'static str =
        "<DescribeInstancesResponse><reservationSet/></DescribeInstancesResponse>";

    fn feed(&mut self, chunk: &[u8]) {
        STRINGS.with_borrow_mut(|strings| self.feed_with(chunk, strings));
    }

    fn finish(self) -> Result<Page, String> {
        STRINGS.with_borrow_mut(|strings| self.finish_with(strings))
    }
}

/// What an element is to the reader: the few names on the way to a shown field, and the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Elem {
    ReservationSet,
    Item,
    InstancesSet,
    InstanceId,
    InstanceState,
    Name,
    PrivateIpAddress,
    Placement,
    AvailabilityZone,
    LaunchTime,
    PlatformDetails,
    Platform,
    TagSet,
    Key,
    Value,
    NextToken,
    Other,
}

impl Elem {
    fn of(local: &[u8]) -> Elem {
        match local {
            b"reservationSet" => Elem::ReservationSet,
            b"item" => Elem::Item,
            b"instancesSet" => Elem::InstancesSet,
            b"instanceId" => Elem::InstanceId,
            b"instanceState" => Elem::InstanceState,
            b"name" => Elem::Name,
            b"privateIpAddress" => Elem::PrivateIpAddress,
            b"placement" => Elem::Placement,
            b"availabilityZone" => Elem::AvailabilityZone,
            b"launchTime" => Elem::LaunchTime,
            b"platformDetails" => Elem::PlatformDetails,
            b"platform" => Elem::Platform,
            b"tagSet" => Elem::TagSet,
            b"key" => Elem::Key,
            b"value" => Elem::Value,
            b"nextToken" => Elem::NextToken,
            _ => Elem::Other,
        }
    }
}

/// Which text of the open instance an element holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Id,
    State,
    PrivateIp,
    Zone,
    LaunchTime,
    PlatformDetails,
    Platform,
    TagKey,
    TagValue,
    NextToken,
}

/// Where the reader is: what each open element is, and what is being collected.
#[derive(Debug, Default)]
struct State {
    /// The open elements' kinds, root first.
    path: Vec<Elem>,
    /// The open elements' qualified names, end to end, and where each starts: an end tag must
    /// match its start tag.
    names: Vec<u8>,
    name_starts: Vec<usize>,
    /// Whether anything was read yet (an XML declaration must come first), and whether the
    /// root element has ended (nothing but comments may follow).
    started: bool,
    root_closed: bool,
    /// Inside an element that holds nothing shown: how deep below it (its own depth is 1).
    skipping: usize,
    /// The instance being read, and the depth of its `<item>`.
    current: Option<(Instance, usize)>,
    tag_key: Option<String>,
    tag_value: Option<String>,
    /// The field whose text is being collected, at which depth; `sealed` once a child element
    /// starts inside it (botocore keeps the text before the first child, as ElementTree does).
    field: Option<(Field, usize)>,
    sealed: bool,
    text: String,
    page: Page,
}

/// Reads one DescribeInstances response fed in arbitrary chunks ([`PageReader::feed_with`]), keeping
/// only what has not yet formed a whole event (a tag, a run of text) between chunks.
#[derive(Debug, Default)]
pub(super) struct PageReader {
    pending: Vec<u8>,
    state: State,
    failed: Option<String>,
}

impl PageReader {
    /// Reads what `chunk` completes.
    pub fn feed_with(&mut self, chunk: &[u8], strings: &mut Interner) {
        if self.failed.is_some() {
            return;
        }
        let read = if self.pending.is_empty() {
            self.state.read(chunk, false, strings).map(|used| {
                self.pending.extend_from_slice(&chunk[used..]);
            })
        } else {
            self.pending.extend_from_slice(chunk);
            self.state
                .read(&self.pending, false, strings)
                .map(|used| drop(self.pending.drain(..used)))
        };
        if let Err(e) = read {
            self.failed = Some(e);
            self.pending = Vec::new();
        }
    }

    /// The page, once the whole response was fed.
    pub fn finish_with(mut self, strings: &mut Interner) -> Result<Page, String> {
        if let Some(e) = self.failed {
            return Err(e);
        }
        let pending = std::mem::take(&mut self.pending);
        self.state.read(&pending, true, strings)?;
        if !self.state.root_closed || self.state.current.is_some() {
            return Err("the response ended inside an element, or had none".into());
        }
        Ok(self.state.page)
    }
}

/// Children of an instance that hold nothing shown and have children of their own, whose
/// content is stepped over by a byte search for their end tag instead of event by event (about
/// half of a page: network interfaces, block devices, security groups, options). Every other
/// child ssmgo doesn't show is a leaf ([`end_of_leaf`]) or is skipped event by event.
static FAST_SKIPPED: std::sync::LazyLock<Vec<Subtree>> = std::sync::LazyLock::new(|| {
    [
        "networkInterfaceSet",
        "blockDeviceMapping",
        "groupSet",
        "metadataOptions",
        "privateDnsNameOptions",
        "cpuOptions",
        "capacityReservationSpecification",
        "maintenanceOptions",
        "hibernationOptions",
        "enclaveOptions",
        "networkPerformanceOptions",
        "iamInstanceProfile",
        "monitoring",
        "productCodes",
    ]
    .into_iter()
    .map(Subtree::new)
    .collect()
});

/// Outside comments, CDATA and processing instructions, `<` only starts a tag.
static MARKUP_DECLARATION: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"<!"));
static PROCESSING_INSTRUCTION: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"<?"));

/// An element searched for by bytes, its searches built once.
struct Subtree {
    name: &'static [u8],
    close: memchr::memmem::Finder<'static>,
    open: memchr::memmem::Finder<'static>,
}

impl Subtree {
    fn new(name: &'static str) -> Subtree {
        let close = format!("</{name}").into_bytes();
        let open = format!("<{name}").into_bytes();
        Subtree {
            name: name.as_bytes(),
            close: memchr::memmem::Finder::new(&close).into_owned(),
            open: memchr::memmem::Finder::new(&open).into_owned(),
        }
    }

    /// Where this element, whose start tag ends just before `data`, ends (just after its end
    /// tag), when a byte search is sure to be right: the same text read event by event would
    /// find the same end. When the content holds no `<!` or `<?` and no start tag of the same
    /// name, the first `</name` followed by `>` or white space is its end. None otherwise (or
    /// when the end is not in `data` yet): the caller then reads event by event.
    fn end_in(&self, data: &[u8]) -> Option<usize> {
        let name_end = |at: usize| {
            matches!(
                data.get(at),
                Some(b'>' | b'/' | b' ' | b'\t' | b'\r' | b'\n')
            )
        };
        let mut from = 0;
        let at = loop {
            let i = from + self.close.find(&data[from..])?;
            match data.get(i + 2 + self.name.len()) {
                Some(b'>' | b' ' | b'\t' | b'\r' | b'\n') => break i,
                Some(_) => from = i + 1,
                None => return None,
            }
        };
        let content = &data[..at];
        if MARKUP_DECLARATION.find(content).is_some()
            || PROCESSING_INSTRUCTION.find(content).is_some()
        {
            return None;
        }
        let mut from = 0;
        while let Some(i) = self.open.find(&content[from..]) {
            let after = from + i + 1 + self.name.len();
            // `<groupSet` may begin `<groupSetX`: only the name itself counts.
            if name_end(after) {
                return None;
            }
            from = after;
        }
        let end = at + memchr::memchr(b'>', &data[at..])?;
        Some(end + 1)
    }
}

/// Where the element `name`, whose start tag ends just before `data`, ends when it holds only
/// text: its content has no `<` (text can't), so the first `<` is its end tag.
fn end_of_leaf(data: &[u8], name: &[u8]) -> Option<usize> {
    let i = memchr::memchr(b'<', data)?;
    let tag = data[i..].strip_prefix(b"</")?.strip_prefix(name)?;
    let close = tag
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))?;
    (tag[close] == b'>').then(|| data.len() - tag.len() + close + 1)
}

impl State {
    /// Reads the tokens of `data` that are whole, and says how many bytes they took. Unless
    /// `last`, a run of text that reaches the end of `data`, or markup cut short by it, is left
    /// for the next chunk (a real error then shows once the response is whole).
    fn read(&mut self, data: &[u8], last: bool, strings: &mut Interner) -> Result<usize, String> {
        // All of it, skipped subtrees included, once; a character cut by the chunk's end is
        // left for the next chunk.
        let data = match std::str::from_utf8(data) {
            Ok(text) => text,
            Err(e) if !last && e.error_len().is_none() => {
                std::str::from_utf8(&data[..e.valid_up_to()]).expect("valid up to there")
            }
            Err(e) => {
                return Err(format!(
                    "the response is not UTF-8 (at byte {})",
                    e.valid_up_to()
                ))
            }
        };
        let mut at = 0;
        if !self.started {
            // A byte order mark may open the document.
            at = if data.starts_with('\u{feff}') { 3 } else { 0 };
        }
        loop {
            match xml_tokens::next(data, at, last)? {
                Next::Token(token, end) => {
                    if self.started && token == (Token::Ignored { declaration: true }) {
                        return Err("an XML declaration after the start of the document".into());
                    }
                    self.started = true;
                    at = self.token(token, data, end, strings)?;
                }
                Next::Cut | Next::End => return Ok(at),
            }
        }
    }

    /// Takes one token in, which ends at `after`; returns where to go on reading from (past
    /// the subtrees it stepped over).
    fn token(
        &mut self,
        token: Token<'_>,
        data: &str,
        after: usize,
        strings: &mut Interner,
    ) -> Result<usize, String> {
        match token {
            Token::Start { name, empty } => {
                if self.path.is_empty() && self.root_closed {
                    return Err(format!("a second root element <{name}>"));
                }
                let kind = Elem::of(local_name(name));
                if self.skipping > 0 {
                    self.skipping += usize::from(!empty);
                    self.push_name(name, Elem::Other, empty);
                    return Ok(after);
                }
                if self.instance_child() && !shown(kind) {
                    if empty {
                        return Ok(self.then_unshown_siblings(data.as_bytes(), after));
                    }
                    let rest = &data.as_bytes()[after..];
                    let end = end_of_leaf(rest, name.as_bytes()).or_else(|| {
                        let subtree = FAST_SKIPPED.iter().find(|s| s.name == name.as_bytes())?;
                        subtree.end_in(rest)
                    });
                    if let Some(end) = end {
                        return Ok(skip_unshown_siblings(data.as_bytes(), after + end));
                    }
                    self.skipping = 1;
                    self.push_name(name, Elem::Other, false);
                    return Ok(after);
                }
                self.open(name, kind);
                if empty {
                    self.close(name, strings)?;
                    return Ok(self.then_unshown_siblings(data.as_bytes(), after));
                }
            }
            Token::End { name } => {
                if self.skipping > 0 {
                    self.skipping -= 1;
                    self.pop_name(name)?;
                    self.path.pop();
                    return Ok(after);
                }
                self.close(name, strings)?;
                return Ok(self.then_unshown_siblings(data.as_bytes(), after));
            }
            Token::Text(raw) => {
                if self.path.is_empty() {
                    if !raw
                        .bytes()
                        .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
                    {
                        return Err("text outside the root element".into());
                    }
                } else if self.collecting() {
                    xml_tokens::text(raw, Some(&mut self.text))?;
                } else {
                    xml_tokens::text(raw, None)?;
                }
            }
            Token::CData(raw) => {
                if self.path.is_empty() {
                    return Err("CDATA outside the root element".into());
                }
                let out = self.collecting().then_some(&mut self.text);
                xml_tokens::cdata(raw, out)?;
            }
            Token::Ignored { .. } => {}
        }
        Ok(after)
    }

    /// After a child of an instance closed at `after`: past the unshown siblings that follow,
    /// when there are any ([`skip_unshown_siblings`]).
    fn then_unshown_siblings(&self, data: &[u8], after: usize) -> usize {
        match self.instance_child() {
            true => skip_unshown_siblings(data, after),
            false => after,
        }
    }

    /// True when the next element opens directly inside an instance's `<item>`.
    fn instance_child(&self) -> bool {
        self.current
            .as_ref()
            .is_some_and(|(_, depth)| self.path.len() == *depth)
    }

    fn collecting(&self) -> bool {
        self.skipping == 0
            && !self.sealed
            && self
                .field
                .is_some_and(|(_, depth)| depth == self.path.len())
    }

    /// An element opens (not an empty one) : its name is kept to match its end tag.
    fn push_name(&mut self, name: &str, kind: Elem, empty: bool) {
        if !empty {
            self.name_starts.push(self.names.len());
            self.names.extend_from_slice(name.as_bytes());
            self.path.push(kind);
        }
    }

    /// The innermost open element ends with the end tag `name`: they must match.
    fn pop_name(&mut self, name: &str) -> Result<(), String> {
        let Some(start) = self.name_starts.pop() else {
            return Err(format!("a closing tag {name} that closes nothing"));
        };
        if &self.names[start..] != name.as_bytes() {
            return Err(format!(
                "the closing tag {name} doesn't match <{}>",
                String::from_utf8_lossy(&self.names[start..])
            ));
        }
        self.names.truncate(start);
        if self.name_starts.is_empty() {
            self.root_closed = true;
        }
        Ok(())
    }

    fn open(&mut self, name: &str, kind: Elem) {
        if self.field.is_some() {
            self.sealed = true;
        }
        self.push_name(name, kind, false);
        let depth = self.path.len();
        let field = match (&self.current, kind) {
            (None, Elem::Item) if depth >= 2 && self.path[depth - 2] == Elem::InstancesSet => {
                self.current = Some((Instance::new(String::new()), depth));
                None
            }
            (None, Elem::NextToken) if depth == 2 => Some(Field::NextToken),
            (None, _) => None,
            (Some((_, at)), _) => match &self.path[*at..] {
                [Elem::InstanceId] => Some(Field::Id),
                [Elem::InstanceState, Elem::Name] => Some(Field::State),
                [Elem::PrivateIpAddress] => Some(Field::PrivateIp),
                [Elem::Placement, Elem::AvailabilityZone] => Some(Field::Zone),
                [Elem::LaunchTime] => Some(Field::LaunchTime),
                [Elem::PlatformDetails] => Some(Field::PlatformDetails),
                [Elem::Platform] => Some(Field::Platform),
                [Elem::TagSet, Elem::Item, Elem::Key] => Some(Field::TagKey),
                [Elem::TagSet, Elem::Item, Elem::Value] => Some(Field::TagValue),
                _ => None,
            },
        };
        if let Some(field) = field {
            self.field = Some((field, depth));
            self.sealed = false;
            self.text.clear();
        }
    }

    fn close(&mut self, name: &str, strings: &mut Interner) -> Result<(), String> {
        self.pop_name(name)?;
        let depth = self.path.len();
        if let Some((field, _)) = self.field.filter(|(_, at)| *at == depth) {
            self.field = None;
            self.sealed = false;
            let text = std::mem::take(&mut self.text);
            self.set(field, text);
        }
        if let Some((inst, at)) = self.current.as_mut() {
            if depth == *at + 2
                && self.path[depth - 1] == Elem::Item
                && self.path[depth - 2] == Elem::TagSet
            {
                if let Some(k) = self.tag_key.take() {
                    let v = self.tag_value.take().unwrap_or_default();
                    inst.tags.insert(strings.intern(&k), strings.intern(&v));
                }
                self.tag_value = None;
            } else if depth == *at {
                let (mut done, _) = self.current.take().expect("an instance is open");
                if done.instance_id.is_empty() {
                    return Err("an instance without instanceId".into());
                }
                done.name = done.tags.get("Name").map(str::to_owned);
                self.page.rows.push(done);
            }
        }
        self.path.pop();
        Ok(())
    }

    fn set(&mut self, field: Field, text: String) {
        if field == Field::NextToken {
            self.page.next_token = Some(text).filter(|t| !t.is_empty());
            return;
        }
        let Some((inst, _)) = self.current.as_mut() else {
            return;
        };
        match field {
            Field::Id => inst.instance_id = text,
            Field::State => inst.state = text,
            Field::PrivateIp => inst.private_ip = Some(text).filter(|v| !v.is_empty()),
            Field::Zone => inst.availability_zone = Some(text),
            Field::LaunchTime => inst.launch_time = Some(text),
            Field::PlatformDetails => inst.platform = Some(text),
            Field::Platform => {
                if inst.platform.is_none() {
                    inst.platform = Some(text)
                }
            }
            Field::TagKey => self.tag_key = Some(text),
            Field::TagValue => self.tag_value = Some(text),
            Field::NextToken => {}
        }
    }
}

/// Past the unshown children of an instance from `at` on, stepped over by bytes while they are
/// plain (white space between them, start tags without attributes or prefix, leaves or
/// [`FAST_SKIPPED`] subtrees): the tokenizer then reads only what is shown. Stops before anything
/// else, which the reader reads as usual; returns `at` when nothing was stepped over.
fn skip_unshown_siblings(data: &[u8], mut at: usize) -> usize {
    loop {
        let mut p = at;
        while p < data.len() && matches!(data[p], b' ' | b'\t' | b'\r' | b'\n') {
            p += 1;
        }
        if p >= data.len() || data[p] != b'<' {
            return at;
        }
        let start = p + 1;
        let mut q = start;
        while q < data.len()
            && (data[q].is_ascii_alphanumeric() || matches!(data[q], b'_' | b'-' | b'.'))
        {
            q += 1;
        }
        if q == start || q >= data.len() {
            return at;
        }
        let name = &data[start..q];
        if shown(Elem::of(name)) {
            return at;
        }
        let end = match data[q] {
            b'/' if data.get(q + 1) == Some(&b'>') => Some(q + 2),
            b'>' => {
                let rest = &data[q + 1..];
                end_of_leaf(rest, name)
                    .or_else(|| FAST_SKIPPED.iter().find(|s| s.name == name)?.end_in(rest))
                    .map(|e| q + 1 + e)
            }
            _ => None,
        };
        match end {
            Some(e) => at = e,
            None => return at,
        }
    }
}

/// True for a child of an instance that holds a shown field.
fn shown(kind: Elem) -> bool {
    matches!(
        kind,
        Elem::InstanceId
            | Elem::InstanceState
            | Elem::PrivateIpAddress
            | Elem::Placement
            | Elem::LaunchTime
            | Elem::PlatformDetails
            | Elem::Platform
            | Elem::TagSet
    )
}

/// A name without its namespace prefix.
fn local_name(name: &str) -> &[u8] {
    let name = name.as_bytes();
    match memchr::memrchr(b':', name) {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>r-1</requestId>
  <reservationSet>
    <item>
      <reservationId>r-0abc</reservationId>
      <groupSet><item><groupId>sg-1</groupId></item></groupSet>
      <instancesSet>
        <item>
          <instanceId>i-0123456789abcdef0</instanceId>
          <instanceState><code>16</code><name>running</name></instanceState>
          <privateIpAddress>10.0.0.5</privateIpAddress>
          <placement><availabilityZone>us-east-1b</availabilityZone><tenancy>default</tenancy></placement>
          <launchTime>2026-11-02T08:15:00.000Z</launchTime>
          <networkInterfaceSet><item><privateIpAddress>10.9.9.9</privateIpAddress>
            <privateIpAddressesSet><item><privateIpAddress>10.9.9.9</privateIpAddress></item></privateIpAddressesSet>
          </item></networkInterfaceSet>
          <tagSet>
            <item><key>Name</key><value>web &amp; &lt;api&gt; &#x202E;x</value></item>
            <item><key>Env</key><value>prod</value></item>
            <item><key>Empty</key><value/></item>
            <item><key>Blank</key><value>   </value></item>
          </tagSet>
          <platformDetails>Linux/UNIX</platformDetails>
        </item>
        <item>
          <instanceId>i-0fedcba9876543210</instanceId>
          <instanceState><code>80</code><name>stopped</name></instanceState>
          <platform>windows</platform>
          <tagSet/>
        </item>
      </instancesSet>
    </item>
  </reservationSet>
  <nextToken>abc&amp;def</nextToken>
</DescribeInstancesResponse>"#;

    /// Reads `xml` fed in pieces of `size` bytes.
    fn read_in(xml: &[u8], size: usize) -> Result<Page, String> {
        let mut strings = Interner::default();
        let mut reader = PageReader::default();
        for chunk in xml.chunks(size.max(1)) {
            reader.feed_with(chunk, &mut strings);
        }
        reader.finish_with(&mut strings)
    }

    fn read(xml: &[u8]) -> Result<Page, String> {
        read_in(xml, xml.len())
    }

    #[test]
    fn a_page_yields_the_shown_fields_of_every_instance() {
        let page = read(PAGE.as_bytes()).unwrap();
        let rows = &page.rows;
        assert_eq!(rows.len(), 2);
        let a = &rows[0];
        assert_eq!(a.instance_id, "i-0123456789abcdef0");
        assert_eq!(a.state, "running");
        assert_eq!(
            a.private_ip.as_deref(),
            Some("10.0.0.5"),
            "not the network interface's address"
        );
        assert_eq!(a.availability_zone.as_deref(), Some("us-east-1b"));
        assert_eq!(a.launch_time.as_deref(), Some("2026-11-02T08:15:00.000Z"));
        assert_eq!(a.platform.as_deref(), Some("Linux/UNIX"));
        assert_eq!(a.name.as_deref(), Some("web & <api> \u{202e}x"));
        assert_eq!(&a.tags["Env"], "prod");
        assert_eq!(&a.tags["Empty"], "");
        assert_eq!(&a.tags["Blank"], "   ", "a whitespace-only value is kept");
        let b = &rows[1];
        assert_eq!(
            (
                b.state.as_str(),
                b.platform.as_deref(),
                b.private_ip.as_deref()
            ),
            ("stopped", Some("windows"), None)
        );
        assert!(b.tags.is_empty() && b.name.is_none());
        assert_eq!(page.next_token.as_deref(), Some("abc&def"));
    }

    #[test]
    fn any_split_into_chunks_reads_the_same() {
        let whole = read(PAGE.as_bytes()).unwrap();
        for size in [1, 2, 3, 7, 64, 100, 333] {
            assert_eq!(
                read_in(PAGE.as_bytes(), size).unwrap(),
                whole,
                "chunks of {size}"
            );
        }
        // Every place a single cut can fall.
        for cut in 0..PAGE.len() {
            let mut strings = Interner::default();
            let mut reader = PageReader::default();
            reader.feed_with(&PAGE.as_bytes()[..cut], &mut strings);
            reader.feed_with(&PAGE.as_bytes()[cut..], &mut strings);
            assert_eq!(
                reader.finish_with(&mut strings).unwrap(),
                whole,
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn skipped_subtrees_hide_nothing_that_is_shown() {
        let page = br#"<R><reservationSet><item><instancesSet><item>
          <instanceId>i-1</instanceId>
          <networkInterfaceSet><item><privateIpAddress>10.9.9.9</privateIpAddress>
            <tagSet><item><key>Name</key><value>decoy</value></item></tagSet></item></networkInterfaceSet>
          <groupSet/>
          <monitoring><state>disabled</state></monitoring>
          <groupSet><item><groupSet>nested</groupSet><x><![CDATA[</groupSet>]]></x></item></groupSet >
          <unknownThing><tagSet><item><key>Name</key><value>decoy</value></item></tagSet></unknownThing>
          <privateIpAddress>10.0.0.1</privateIpAddress>
          <tagSet><item><key>Name</key><value>real</value></item></tagSet>
        </item><item><instanceId>i-2</instanceId><blockDeviceMapping><item/></blockDeviceMapping></item>
        </instancesSet></item></reservationSet></R>"#;
        for size in [page.len(), 1, 5, 40] {
            let rows = read_in(page, size).unwrap().rows;
            assert_eq!(rows.len(), 2);
            assert_eq!(rows[0].private_ip.as_deref(), Some("10.0.0.1"));
            assert_eq!(rows[0].name.as_deref(), Some("real"));
            assert_eq!(rows[1].instance_id, "i-2");
        }
        // An unclosed skipped element is read event by event (and found broken).
        let broken = b"<R><reservationSet><item><instancesSet><item><instanceId>i-1</instanceId><groupSet><item>";
        assert!(read(broken).is_err());
    }

    #[test]
    fn the_byte_searches_only_answer_when_they_are_sure() {
        let groups = Subtree::new("groupSet");
        assert_eq!(groups.end_in(b"<item/></groupSet>rest"), Some(18));
        assert_eq!(groups.end_in(b"x</groupSetX></groupSet\n>"), Some(25));
        assert_eq!(groups.end_in(b"<groupSet></groupSet></groupSet>"), None);
        assert_eq!(groups.end_in(b"<!-- </groupSet> --></groupSet>"), None);
        assert_eq!(groups.end_in(b"<?pi </groupSet> ?></groupSet>"), None);
        assert_eq!(groups.end_in(b"<item>"), None);
        assert_eq!(groups.end_in(b"</groupSet"), None);
        assert_eq!(end_of_leaf(b"ami-1</imageId>rest", b"imageId"), Some(15));
        assert_eq!(end_of_leaf(b"ami-1</imageId \n>", b"imageId"), Some(17));
        assert_eq!(end_of_leaf(b"ami-1</imageIdX>", b"imageId"), None);
        assert_eq!(end_of_leaf(b"<x/></imageId>", b"imageId"), None);
        assert_eq!(end_of_leaf(b"a<!-- c --></imageId>", b"imageId"), None);
        assert_eq!(end_of_leaf(b"ami-1</imageId", b"imageId"), None);
    }

    #[test]
    fn the_next_token_is_read_from_the_top_level_only() {
        let token = |xml: &[u8]| read(xml).unwrap().next_token;
        assert_eq!(
            token(b"<R><requestId>x</requestId><nextToken>first</nextToken><reservationSet><item/></reservationSet></R>").as_deref(),
            Some("first")
        );
        assert_eq!(
            token(
                b"<R><reservationSet><item><nextToken>no</nextToken></item></reservationSet></R>"
            ),
            None
        );
        assert_eq!(token(b"<R><reservationSet/><nextToken/></R>"), None);
        assert_eq!(token(b"<R><a><nextToken>inner</nextToken></a></R>"), None);
    }

    #[test]
    fn an_empty_page_has_no_instances_and_broken_xml_is_an_error() {
        assert!(
            read(b"<DescribeInstancesResponse><reservationSet/></DescribeInstancesResponse>")
                .unwrap()
                .rows
                .is_empty()
        );
        for broken in [
            &b"<R><reservationSet><item><instancesSet><item><instanceId>i-1</instanceId>"[..],
            b"<R><x></y></R>",
            b"<R></R></R>",
            b"<R>&bogus;</R>",
            b"<R><a",
            b"<R><!-- x",
            b"<!DOCTYPE R [<!ENTITY e \"x\">]><R>&e;</R>",
            b"<R><reservationSet><item><instancesSet><item><tagSet/></item></instancesSet></item></reservationSet></R>",
            b"",
            b"<R/><R/>",
            b"<R/>text",
            b"<R></R><!--",
            b"<R><a>]]></a></R>",
            b"<R><a>&#0;</a></R>",
            b"<R>\x01</R>",
            b"<R><a x=1/></R>",
            b"<R><!-- a -- b --></R>",
            b" <?xml version=\"1.0\"?><R/>",
            b"<R><?xml version=\"1.0\"?></R>",
        ] {
            assert!(read(broken).is_err(), "{}", String::from_utf8_lossy(broken));
        }
    }

    /// A page with every form of markup and text in the fields ssmgo reads, and in between.
    const AWKWARD: &str = "\u{feff}<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<!-- a -->\
        <ec2:R xmlns:ec2=\"urn:x\"><reservationSet><item><instancesSet><item a=\"1>\" b='&amp;'>\
        <instanceId>i-<![CDATA[1]]>&#x32;</instanceId><?pi x?>\
        <instanceState><code>16</code><name>run<!-- c -->ning</name></instanceState>\
        <unknownThing><deep><deeper x='y'>&lt;</deeper></deep><!-- > --></unknownThing>\
        <tagSet><item><key>K&#xD;\r\n\r</key><value><![CDATA[]]]]><![CDATA[>]]>&amp;&#128512;東京\r\n</value></item>\
        <item><key>Name</key><value>a&#13;&#10;b\rc\r\n</value></item></tagSet>\
        </item></instancesSet></item></reservationSet><nextToken>t&#x3C;</nextToken></ec2:R >\r\n<!-- after -->";

    #[test]
    fn awkward_markup_reads_the_same_cut_anywhere() {
        let whole = read(AWKWARD.as_bytes()).unwrap();
        let row = &whole.rows[0];
        assert_eq!(row.instance_id, "i-12");
        assert_eq!(row.state, "running");
        assert_eq!(&row.tags["K\r\n\n"], "]]>&😀東京\n");
        assert_eq!(row.name.as_deref(), Some("a\r\nb\nc\n"));
        assert_eq!(whole.next_token.as_deref(), Some("t<"));
        for size in 1..=8 {
            assert_eq!(
                read_in(AWKWARD.as_bytes(), size).unwrap(),
                whole,
                "chunks of {size}"
            );
        }
        let bytes = AWKWARD.as_bytes();
        for cut in 0..bytes.len() {
            for second in [cut + 1, cut + 3, cut + 17] {
                let mut strings = Interner::default();
                let mut reader = PageReader::default();
                let second = second.min(bytes.len());
                reader.feed_with(&bytes[..cut], &mut strings);
                reader.feed_with(&bytes[cut..second], &mut strings);
                reader.feed_with(&bytes[second..], &mut strings);
                assert_eq!(
                    reader.finish_with(&mut strings).unwrap(),
                    whole,
                    "cut at {cut} and {second}"
                );
            }
        }
    }

    #[test]
    fn a_tag_value_that_is_not_utf8_is_an_error_not_a_panic() {
        let page = b"<R><reservationSet><item><instancesSet><item><instanceId>i-1</instanceId><tagSet><item><key>Name</key><value>web-\xff\xfe</value></item></tagSet></item></instancesSet></item></reservationSet></R>";
        for size in [page.len(), 3] {
            assert!(read_in(page, size).is_err());
        }
    }

    #[test]
    fn text_is_read_as_a_conforming_parser_reads_it() {
        let value = |v: &str| {
            let xml = format!("<R><reservationSet><item><instancesSet><item><instanceId>i-1</instanceId><tagSet><item><key a=\"1>\">k</key><value>{v}</value></item></tagSet></item></instancesSet></item></reservationSet></R>");
            let rows = read_in(xml.as_bytes(), 4).unwrap().rows;
            rows[0].tags["k"].to_owned()
        };
        assert_eq!(
            value("a&amp;b&lt;&gt;&quot;&apos;&#65;&#x42;&#x1F600;"),
            "a&b<>\"'AB\u{1f600}"
        );
        assert_eq!(value("a\r\nb\rc\n"), "a\nb\nc\n", "line ends normalized");
        assert_eq!(
            value("a&#13;&#10;b&#xD;"),
            "a\r\nb\r",
            "unless written as references"
        );
        assert_eq!(
            value("<![CDATA[<x>&amp;]]]]><![CDATA[>\r\n]]>"),
            "<x>&amp;]]>\n"
        );
        assert_eq!(value("a<!-- c -->b<?pi x?>c"), "abc");
        assert_eq!(
            value("before<child>x</child>after"),
            "before",
            "the text before a child"
        );
        assert_eq!(value("東京 \t😀"), "東京 \t😀");
    }
}
