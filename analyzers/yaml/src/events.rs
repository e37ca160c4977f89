//! The YAML event stream seamcheck loads: libyaml's grammar (through
//! `libyaml-safer`, a safe Rust port of libyaml 0.2.5), shaped as saphyr
//! events so saphyr's loader builds the `MarkedYaml` trees.
//!
//! Why libyaml: the tools whose input seamcheck audits read YAML with go-yaml
//! (kubectl through `sigs.k8s.io/yaml` on go-yaml v2; compose-go, Helm and
//! kustomize on go-yaml v3), and go-yaml is a line-by-line port of libyaml.
//! saphyr follows the YAML 1.2 specification strictly and rejects files those
//! tools accept (flow items at the parent's indentation, quoted scalars
//! continued on a less-indented line, a tab after `key:`, `"v"# comment`).
//! See docs/architecture.md ("YAML parser") for the measured differences.
//!
//! Where go-yaml and libyaml 0.2.5 differ, go-yaml wins, here:
//! - `\'` inside double quotes is an escaped `'` in go-yaml, and `:` before
//!   a flow indicator stays in a plain scalar (`[k:, v]`); libyaml refuses
//!   both: the text is re-read with a same-length stand-in that the values
//!   then lose (see [`EventReader::patches_for`]);
//! - a `%YAML` directive other than 1.1 is an error (go-yaml's
//!   "incompatible YAML document"), and so is a mapping key that is a
//!   sequence or a mapping (neither kubectl nor go-yaml v3 can decode it);
//! - `\/` is not an escape in go-yaml (libyaml accepts it): an error;
//! - an alias to an anchor not defined before is an error (go-yaml's
//!   "unknown anchor"), and a key repeated in one mapping is an error naming
//!   the key and where it was first written (go-yaml v3 and strict decoding).

use crate::keys::{KeyError, KeyNode, KeyTracker};
use libyaml_safer::{EventData, Mark, Parser};
use saphyr::ScalarStyle;
use saphyr_parser::{Event, Marker, Span, Tag};
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Cursor;

/// A YAML error at a byte offset of the parsed text.
#[derive(Debug, Clone)]
pub struct EventError {
    pub message: String,
    pub at_byte: usize,
}

/// Line and column (1-based, columns in characters) of a byte offset.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let head = text.get(..at).unwrap_or(text);
    let line = head.matches('\n').count() + 1;
    let line_start = head.rfind('\n').map_or(0, |i| i + 1);
    let column = head.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

/// Most re-reads of one text (each costs a new parse of it).
const MAX_RETRIES: usize = 32;

/// The byte that stands in for an escaped `'`: `\a` decodes to BEL, which
/// cannot appear literally in YAML (a control character).
const QUOTE_STAND_IN: char = '\u{7}';

/// The byte that stands in for a `:` that go-yaml keeps inside a plain
/// scalar of a flow collection (`[k:, v]`), where libyaml refuses it.
const COLON_STAND_IN: char = '`';

/// A one-byte change made to the text libyaml reads, undone in the values.
#[derive(Clone, Copy)]
struct Patch {
    at: usize,
    stand_in: char,
}

/// Pulls saphyr events out of a text, with byte positions.
pub struct EventReader<'t> {
    /// The text as written.
    original: &'t str,
    /// The text given to libyaml: `original`, or a copy of the same length
    /// with [`Patch`]es (and a final line break, see [`readable_text`]).
    text: Cow<'t, str>,
    /// Where (in `text`) a byte order mark after a `---` line was left out.
    removed_boms: Vec<usize>,
    patches: Vec<Patch>,
    parser: Parser<Input<'t>>,
    anchors: HashMap<String, usize>,
    /// Anchor ids count from 1 (0 is "no anchor" for saphyr).
    last_anchor_id: usize,
    keys: KeyTracker,
    /// Whether a key written twice is accepted (go-yaml v2, not strict).
    allow_duplicate_keys: bool,
    /// Whether each open collection is a flow one (`[…]`, `{…}`).
    flow: Vec<bool>,
    events_sent: usize,
    done: bool,
}

/// One event, its byte range, and the byte range of its whole node start for
/// collections (saphyr's loader only needs the start of an end event).
pub struct Located<'t> {
    pub event: Event<'t>,
    pub start: usize,
    pub end: usize,
}

impl<'t> EventReader<'t> {
    pub fn new(text: &'t str) -> Self {
        let (readable, removed_boms) = readable_text(text);
        let parser = match &readable {
            Cow::Borrowed(t) => parser_for(Cow::Borrowed(t.as_bytes())),
            Cow::Owned(t) => parser_for(Cow::Owned(t.clone().into_bytes())),
        };
        EventReader {
            original: text,
            text: readable,
            removed_boms,
            patches: Vec::new(),
            parser,
            anchors: HashMap::new(),
            last_anchor_id: 0,
            keys: KeyTracker::default(),
            allow_duplicate_keys: false,
            flow: Vec::new(),
            events_sent: 0,
            done: false,
        }
    }

    /// Accepts a key written twice in one mapping (the loader keeps the
    /// last value), as go-yaml v2 does when not strict: Helm reads values
    /// files and `fromYaml` that way.
    pub fn allowing_duplicate_keys(mut self) -> Self {
        self.allow_duplicate_keys = true;
        self
    }

    /// The next event, `None` after the stream ends or an error.
    pub fn next_event(&mut self) -> Option<Result<Located<'t>, EventError>> {
        if self.done {
            return None;
        }
        loop {
            match self.parser.parse() {
                Ok(event) => {
                    let out = self.translate(event);
                    match &out {
                        Ok(located) if matches!(located.event, Event::StreamEnd) => {
                            self.done = true;
                        }
                        Err(_) => self.done = true,
                        Ok(_) => {}
                    }
                    self.events_sent += 1;
                    return Some(out);
                }
                Err(e) => {
                    let error = self.error_of(&e);
                    if self.patches_for(&e).is_some_and(|p| self.retry(p)) {
                        continue;
                    }
                    self.done = true;
                    return Some(Err(error));
                }
            }
        }
    }

    fn error_of(&self, e: &libyaml_safer::Error) -> EventError {
        // An unclosed quote or bracket is reported at the end of the stream;
        // where it opened (the context) is where the reader looks.
        let at_end = e.problem().contains("unexpected end of stream");
        let mark = match (e.problem_mark(), e.context_mark()) {
            (Some(_), Some(context)) if at_end => Some(context),
            (problem, _) => problem,
        };
        let at_byte = match mark {
            Some(mark) => self.original_byte(byte_of(mark)),
            // Reader errors (a control character) carry no mark: find it.
            None => first_forbidden_char(self.original).unwrap_or(0),
        };
        let message = match e.context() {
            Some(context) if !context.is_empty() => format!("{context}, {}", e.problem()),
            _ => e.problem().to_string(),
        };
        EventError { message, at_byte }
    }

    /// Where go-yaml reads on but libyaml stops, the patches that let
    /// libyaml read on as go-yaml does:
    /// - `\'` in a double-quoted scalar is an escaped `'` for go-yaml;
    ///   libyaml refuses it, pointing at the opening quote (the context).
    ///   Each `\'` of that scalar becomes `\a`.
    /// - `:` followed by `,`, `?`, `[`, `]`, `{` or `}` in a flow collection
    ///   belongs to the plain scalar for go-yaml (`[k:, v]` is `["k:", "v"]`);
    ///   libyaml refuses it. It becomes a backquote.
    ///
    /// `None` when the stand-in already occurs where it could be mistaken.
    fn patches_for(&self, e: &libyaml_safer::Error) -> Option<Vec<Patch>> {
        if self.patches.len() >= MAX_RETRIES {
            return None;
        }
        match e.problem() {
            "found unknown escape character" => {
                let open = byte_of(e.context_mark()?);
                let escapes = escaped_quotes(&self.text, open)?;
                let patches: Vec<Patch> = escapes
                    .into_iter()
                    .map(|at| Patch {
                        at: at + 1,
                        stand_in: 'a',
                    })
                    .collect();
                (!patches.is_empty()).then_some(patches)
            }
            "found unexpected ':'" => {
                let at = byte_of(e.problem_mark()?);
                let start = byte_of(e.context_mark()?);
                let line_end = self
                    .text
                    .get(at..)?
                    .find('\n')
                    .map_or(self.text.len(), |i| at + i);
                let scalar_line = self.text.get(start.min(at)..line_end)?;
                if self.text.as_bytes().get(at) != Some(&b':')
                    || scalar_line.contains(COLON_STAND_IN)
                {
                    return None;
                }
                Some(vec![Patch {
                    at,
                    stand_in: COLON_STAND_IN,
                }])
            }
            _ => None,
        }
    }

    /// Applies `patches` (one byte each, so every position stays) and parses
    /// again from the start, dropping the events already handed out (they
    /// are the same).
    fn retry(&mut self, patches: Vec<Patch>) -> bool {
        let mut bytes = self.text.as_bytes().to_vec();
        for patch in &patches {
            let mut buf = [0u8; 4];
            let stand_in = patch.stand_in.encode_utf8(&mut buf).as_bytes();
            match (bytes.get_mut(patch.at), stand_in) {
                (Some(b), [one]) => *b = *one,
                _ => return false,
            }
        }
        let Ok(text) = String::from_utf8(bytes) else {
            return false;
        };
        self.patches.extend(patches);
        self.parser = parser_for(Cow::Owned(text.clone().into_bytes()));
        self.text = Cow::Owned(text);
        self.anchors.clear();
        self.last_anchor_id = 0;
        self.keys = KeyTracker::default();
        self.flow.clear();
        for _ in 0..self.events_sent {
            match self.parser.parse() {
                Ok(event) => {
                    if self.translate(event).is_err() {
                        return false;
                    }
                }
                Err(_) => return false,
            }
        }
        true
    }

    /// The offset in the file's text of an offset in the text libyaml reads.
    fn original_byte(&self, read: usize) -> usize {
        let boms_before = self.removed_boms.partition_point(|&at| at <= read);
        read + boms_before * BOM.len()
    }

    fn translate(&mut self, event: libyaml_safer::Event) -> Result<Located<'t>, EventError> {
        // `read_*` in the text libyaml reads (patches are there), the others
        // in the file's text (what is reported).
        let read_start = byte_of(event.start_mark);
        let read_end = byte_of(event.end_mark).max(read_start);
        let mut start = self.original_byte(read_start);
        let end = self.original_byte(read_end).max(start);
        let saphyr_event = match event.data {
            EventData::StreamStart { .. } => Event::StreamStart,
            EventData::StreamEnd => Event::StreamEnd,
            EventData::DocumentStart {
                implicit,
                version_directive,
                ..
            } => {
                if version_directive.is_some_and(|v| (v.major, v.minor) != (1, 1)) {
                    return Err(EventError {
                        message: "found incompatible YAML document (go-yaml reads YAML 1.1)"
                            .to_string(),
                        at_byte: start,
                    });
                }
                self.anchors.clear();
                Event::DocumentStart(!implicit)
            }
            EventData::DocumentEnd { .. } => Event::DocumentEnd,
            EventData::Alias { anchor } => {
                let Some(&id) = self.anchors.get(&anchor) else {
                    return Err(EventError {
                        message: format!("unknown anchor `{anchor}` referenced"),
                        at_byte: start,
                    });
                };
                self.keys
                    .node(KeyNode::Alias, start)
                    .or_else(|d| self.key_outcome(d))?;
                Event::Alias(id)
            }
            EventData::Scalar {
                anchor,
                tag,
                value,
                style,
                ..
            } => {
                let style = scalar_style(style);
                if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) {
                    start = block_content_start(self.original, start, end);
                }
                let value = self.scalar_value(value, style, start, end, read_start..read_end)?;
                self.keys
                    .node(KeyNode::Scalar(&value, style), start)
                    .or_else(|d| self.key_outcome(d))?;
                Event::Scalar(
                    Cow::Owned(value),
                    style,
                    self.anchor_id(anchor),
                    tag.map(split_tag),
                )
            }
            EventData::SequenceStart {
                anchor, tag, style, ..
            } => {
                self.flow.push(style == libyaml_safer::SequenceStyle::Flow);
                self.keys
                    .node(KeyNode::Collection, start)
                    .or_else(|d| self.key_outcome(d))?;
                self.keys.open(false);
                Event::SequenceStart(self.anchor_id(anchor), tag.map(split_tag))
            }
            EventData::MappingStart {
                anchor, tag, style, ..
            } => {
                self.flow.push(style == libyaml_safer::MappingStyle::Flow);
                self.keys
                    .node(KeyNode::Collection, start)
                    .or_else(|d| self.key_outcome(d))?;
                self.keys.open(true);
                Event::MappingStart(self.anchor_id(anchor), tag.map(split_tag))
            }
            EventData::SequenceEnd => {
                self.flow.pop();
                self.keys.close();
                Event::SequenceEnd
            }
            EventData::MappingEnd => {
                self.flow.pop();
                self.keys.close();
                Event::MappingEnd
            }
        };
        Ok(Located {
            event: saphyr_event,
            start,
            end,
        })
    }

    /// The value of a scalar, with go-yaml's double-quote escapes.
    fn scalar_value(
        &self,
        value: String,
        style: ScalarStyle,
        start: usize,
        end: usize,
        read: std::ops::Range<usize>,
    ) -> Result<String, EventError> {
        if style == ScalarStyle::Plain && self.flow.last() == Some(&true) {
            // go-yaml ends a plain scalar of a flow collection at `?` and
            // reads a key indicator there, which no flow entry may follow.
            let raw = self.original.get(start..end).unwrap_or("");
            if let Some(at) = raw
                .char_indices()
                .skip(1)
                .find(|&(_, c)| c == '?')
                .map(|(i, _)| i)
            {
                return Err(EventError {
                    message: "`?` inside a plain scalar of a flow collection: go-yaml ends the \
                              scalar there (quote the value)"
                        .to_string(),
                    at_byte: start + at,
                });
            }
        }
        let patched = |stand_in: char| {
            self.patches
                .iter()
                .any(|p| p.stand_in == stand_in && read.contains(&p.at))
        };
        if style == ScalarStyle::Plain && patched(COLON_STAND_IN) {
            return Ok(value.replace(COLON_STAND_IN, ":"));
        }
        if style != ScalarStyle::DoubleQuoted {
            return Ok(value);
        }
        let raw = self.original.get(start..end).unwrap_or("");
        if let Some(at) = escaped_slash(raw) {
            return Err(EventError {
                message: "while parsing a quoted scalar, found unknown escape character `\\/`"
                    .to_string(),
                at_byte: start + at,
            });
        }
        if patched('a') {
            return Ok(value.replace(QUOTE_STAND_IN, "'"));
        }
        Ok(value)
    }

    /// A key error, unless it is a duplicate and duplicates are accepted.
    fn key_outcome(&self, e: KeyError) -> Result<(), EventError> {
        match e {
            KeyError::Duplicate { .. } if self.allow_duplicate_keys => Ok(()),
            e => Err(self.key_error(e)),
        }
    }

    fn key_error(&self, e: KeyError) -> EventError {
        match e {
            KeyError::Duplicate { key, first, at } => {
                let (line, column) = line_col(self.original, first);
                EventError {
                    message: format!(
                        "duplicated key `{key}` in mapping (first at line {line}, column {column})"
                    ),
                    at_byte: at,
                }
            }
            KeyError::Collection { at } => EventError {
                message: "a mapping key that is a sequence or a mapping: kubectl and go-yaml \
                          cannot decode it"
                    .to_string(),
                at_byte: at,
            },
        }
    }

    fn anchor_id(&mut self, anchor: Option<String>) -> usize {
        let Some(name) = anchor else {
            return 0;
        };
        // A redefined anchor gets a new id: later aliases copy the new node.
        self.last_anchor_id += 1;
        self.anchors.insert(name, self.last_anchor_id);
        self.last_anchor_id
    }
}

const BOM: &str = "\u{feff}";

/// The text libyaml is given, and where byte order marks were left out:
/// - a byte order mark that starts a line after a `---` line is left out:
///   kubectl decodes each piece between `---` lines as its own stream, where
///   a leading mark is allowed (files joined with `cat` carry them); libyaml
///   allows one only at the start of the stream;
/// - a line break is added when the last line holds only blanks
///   (libyaml-safer 0.3.0 panics on a block scalar that ends so; go-yaml
///   reads it as if the line ended).
fn readable_text(text: &str) -> (Cow<'_, str>, Vec<usize>) {
    let mut removed = Vec::new();
    let mut out: Cow<'_, str> = Cow::Borrowed(text);
    if text.contains(BOM) {
        let mut kept = String::with_capacity(text.len());
        let mut after_separator = false;
        for line in text.split_inclusive('\n') {
            let line = match line.strip_prefix(BOM) {
                Some(rest) if after_separator => {
                    removed.push(kept.len());
                    rest
                }
                _ => line,
            };
            after_separator = line.starts_with("---")
                && line[3..].starts_with(|c: char| c.is_whitespace() || c == '#')
                || line.trim_end() == "---";
            kept.push_str(line);
        }
        if !removed.is_empty() {
            out = Cow::Owned(kept);
        }
    }
    // A last line without its line break: libyaml-safer panics on it at the
    // end of a block scalar ("unexpected end of input"; go-yaml reads it) and
    // on a last line of blanks. With the break added the file reads as
    // go-yaml reads it, except that a clipped block scalar (`|`, `>`) ending
    // the file keeps one final newline in its value.
    if !out.is_empty() && !out.ends_with('\n') {
        out = Cow::Owned(format!("{out}\n"));
    }
    (out, removed)
}

/// The parser's input: the file's text, or a patched copy of it.
type Input<'t> = Cursor<Cow<'t, [u8]>>;

/// A block scalar (`|`, `>`) is located at its content, as saphyr did:
/// past the header line and the blank lines after it.
fn block_content_start(text: &str, start: usize, end: usize) -> usize {
    let Some(token) = text.get(start..end) else {
        return start;
    };
    let Some(header_end) = token.find('\n') else {
        return start;
    };
    let body = &token[header_end..];
    let blank = body.len() - body.trim_start().len();
    if blank == body.len() {
        return start;
    }
    start + header_end + blank
}

fn parser_for(bytes: Cow<'_, [u8]>) -> Parser<Input<'_>> {
    let mut parser = Parser::new();
    parser.set_input(Cursor::new(bytes));
    parser
}

fn byte_of(mark: Mark) -> usize {
    usize::try_from(mark.index).unwrap_or(usize::MAX)
}

fn scalar_style(style: libyaml_safer::ScalarStyle) -> ScalarStyle {
    match style {
        libyaml_safer::ScalarStyle::SingleQuoted => ScalarStyle::SingleQuoted,
        libyaml_safer::ScalarStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
        libyaml_safer::ScalarStyle::Literal => ScalarStyle::Literal,
        libyaml_safer::ScalarStyle::Folded => ScalarStyle::Folded,
        _ => ScalarStyle::Plain,
    }
}

const CORE_TAG_PREFIX: &str = "tag:yaml.org,2002:";

/// libyaml hands tags resolved (`tag:yaml.org,2002:str`, `!reset`); saphyr
/// keeps a handle and a suffix.
fn split_tag<'t>(tag: String) -> Cow<'t, Tag> {
    let (handle, suffix) = if let Some(suffix) = tag.strip_prefix(CORE_TAG_PREFIX) {
        (CORE_TAG_PREFIX.to_string(), suffix.to_string())
    } else if let Some(suffix) = tag.strip_prefix('!') {
        ("!".to_string(), suffix.to_string())
    } else {
        (String::new(), tag)
    };
    Cow::Owned(Tag { handle, suffix })
}

/// Byte offsets of the `\'` escapes of the double-quoted scalar whose
/// opening quote is at `open`. `None` when the scalar is not closed or holds
/// a character that decodes to the stand-in.
fn escaped_quotes(text: &str, open: usize) -> Option<Vec<usize>> {
    let body = text.get(open..)?.strip_prefix('"')?;
    let mut out = Vec::new();
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some(out),
            '\\' => {
                let (_, next) = chars.next()?;
                match next {
                    '\'' => out.push(open + 1 + i),
                    'a' => return None,
                    'x' | 'u' | 'U' => {
                        let rest = body.get(i + 2..)?;
                        let hex: String = rest
                            .chars()
                            .take_while(char::is_ascii_hexdigit)
                            .take(8)
                            .collect();
                        if u32::from_str_radix(&hex, 16).ok() == Some(7) {
                            return None;
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    None
}

/// Offset of a `\/` escape in a double-quoted scalar token (go-yaml has no
/// such escape; libyaml 0.2.5 does).
fn escaped_slash(raw: &str) -> Option<usize> {
    let mut chars = raw.char_indices();
    while let Some((i, c)) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some((_, '/')) => return Some(i),
                Some(_) => {}
                None => return None,
            }
        }
    }
    None
}

/// The first character YAML does not allow in a stream (a C0 control other
/// than tab and line breaks, DEL, C1 controls other than NEL, surrogates,
/// U+FFFE/U+FFFF), as libyaml checks it.
fn first_forbidden_char(text: &str) -> Option<usize> {
    text.char_indices()
        .find(|&(_, c)| {
            let allowed = matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7E}' | '\u{85}')
                || matches!(c, '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
                || c == '\u{FEFF}';
            !allowed
        })
        .map(|(i, _)| i)
}

/// saphyr spans count characters; `char_of` maps a byte offset to one.
pub fn span_of(start: usize, end: usize, char_of: &impl Fn(usize) -> usize) -> Span {
    let marker = |byte: usize| Marker::new(char_of(byte), 0, 0);
    Span::new(marker(start), marker(end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(text: &str) -> Result<Vec<String>, EventError> {
        let mut reader = EventReader::new(text);
        let mut out = Vec::new();
        while let Some(next) = reader.next_event() {
            let located = next?;
            if let Event::Scalar(v, _, _, _) = &located.event {
                out.push(v.to_string());
            }
        }
        Ok(out)
    }

    #[test]
    fn escaped_single_quote_is_read_as_go_yaml_does() {
        assert_eq!(
            events("a: \"it\\'s\"\nb: 'x'\n").ok(),
            Some(vec!["a".into(), "it's".into(), "b".into(), "x".into()])
        );
        assert!(events("a: \"\\a\\'\"\n").is_err());
    }

    #[test]
    fn escaped_slash_is_an_error_as_in_go_yaml() {
        let e = events("a: \"x\\/y\"\n").err();
        assert_eq!(e.map(|e| e.at_byte), Some(5));
        assert!(events("a: \"x\\\\/y\"\n").is_ok());
    }

    #[test]
    fn duplicate_keys_name_the_key_and_the_first_one() {
        let e = events("a: 1\nb:\n  c: 1\n  'c': 2\n").err();
        let e = e.unwrap_or_else(|| panic!("no error"));
        assert_eq!(e.at_byte, 17);
        assert!(
            e.message.contains("`c`") && e.message.contains("line 3, column 3"),
            "{}",
            e.message
        );
        assert!(events("a: 1\n'1': x\n1: y\n<<: {}\n<<: {}\n").is_ok());
        assert!(events("- a: 1\n- a: 2\n").is_ok());
    }

    #[test]
    fn a_colon_before_a_flow_indicator_stays_in_the_scalar() {
        let e = events("a: [k:, v]\nb: {x:}\nc: [http://h:80]\n");
        let values = e.unwrap_or_else(|e| panic!("{}", e.message));
        assert_eq!(values, ["a", "k:", "v", "b", "x:", "", "c", "http://h:80"]);
    }

    #[test]
    fn collection_keys_and_other_yaml_versions_are_errors() {
        assert!(events("? [a, b]\n: c\n").is_err());
        assert!(events("{[a]: b}\n").is_err());
        assert!(events("%YAML 1.2\n---\na: 1\n").is_err());
        assert!(events("%YAML 1.1\n---\na: 1\n").is_ok());
    }

    #[test]
    fn a_question_mark_inside_a_flow_plain_scalar_is_an_error() {
        assert_eq!(events("a: [x?y]\n").err().map(|e| e.at_byte), Some(5));
        assert!(events("a: [\"x?y\"]\nb: x?y\nc: [?x]\n").is_ok());
    }

    #[test]
    fn a_byte_order_mark_after_a_separator_is_read_as_kubectl_reads_it() {
        let text = "a: 1\n---\n\u{feff}b: 2\n";
        let mut reader = EventReader::new(text);
        let mut b_at = None;
        while let Some(Ok(located)) = reader.next_event() {
            if matches!(&located.event, Event::Scalar(v, ..) if v == "b") {
                b_at = Some(located.start);
            }
        }
        assert_eq!(b_at, Some(12));
        assert!(events("a: 1\n\u{feff}b: 2\n").is_err());
    }

    #[test]
    fn a_block_scalar_before_a_blank_last_line_is_read() {
        assert!(events("foo: |\n  x\n   ").is_ok());
    }

    #[test]
    fn a_block_scalar_ending_the_file_without_a_line_break_is_read() {
        // A release note's last line; libyaml-safer alone panics on it.
        assert!(events("notes:\n- |\n    Added a flag.\n    Use it.").is_ok());
        assert!(events("a: >\n  folded").is_ok());
        assert!(events("a: b").is_ok());
    }

    #[test]
    fn unknown_anchor_is_an_error() {
        assert!(events("a: *x\n").is_err());
        assert!(events("a: &x 1\nb: *x\n").is_ok());
    }
}
