//! Turns saphyr positions into seamcheck `Location`s.
//!
//! saphyr counts marker positions in characters (Unicode scalar values), not
//! bytes, so every position goes through a character-to-byte table built once
//! per file (skipped for pure-ASCII text, where both are the same). Token ends
//! are recomputed here because saphyr's spans are not always the token:
//! a double-quoted scalar's span runs on over trailing blanks and comments,
//! and a block scalar's span swallows trailing blank lines.

use saphyr::{MarkedYaml, ScalarStyle, YamlData};
use seamcheck_facts::{LineIndex, Located, Location};

/// One file's text with the tables needed to locate YAML nodes in it.
pub struct SourceMap<'t> {
    text: &'t str,
    index: LineIndex,
    /// Byte offset of every character, plus one entry for the end of text.
    /// `None` when the text is ASCII (character index == byte offset).
    char_bytes: Option<Vec<usize>>,
}

impl<'t> SourceMap<'t> {
    pub fn new(path: &str, text: &'t str) -> Self {
        Self::with_index(text, LineIndex::new(path, text))
    }

    /// The map of a text whose line index is given: rendered output reads
    /// through an index that maps its locations to the real files.
    pub fn with_index(text: &'t str, index: LineIndex) -> Self {
        let char_bytes = if text.is_ascii() {
            None
        } else {
            let mut table: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
            table.push(text.len());
            Some(table)
        };
        SourceMap {
            text,
            index,
            char_bytes,
        }
    }

    /// The whole text of the file.
    pub fn text(&self) -> &'t str {
        self.text
    }

    /// The line index of the file, for locating byte ranges directly.
    pub fn index(&self) -> &LineIndex {
        &self.index
    }

    /// Byte offset of a character index (clamped to the end of the text).
    pub fn byte_of(&self, char_index: usize) -> usize {
        match &self.char_bytes {
            None => char_index.min(self.text.len()),
            Some(table) => table.get(char_index).or(table.last()).copied().unwrap_or(0),
        }
    }

    /// Character index of a byte offset (the character containing it).
    pub fn char_of(&self, byte: usize) -> usize {
        match &self.char_bytes {
            None => byte.min(self.text.len()),
            Some(table) => match table.binary_search(&byte) {
                Ok(i) => i,
                Err(i) => i.saturating_sub(1),
            },
        }
    }

    /// The character at a character index, if any.
    fn char_at(&self, char_index: usize) -> Option<char> {
        let byte = self.byte_of(char_index);
        self.text.get(byte..).and_then(|rest| rest.chars().next())
    }

    /// Location of a half-open range of character indices.
    pub fn chars_loc(&self, start: usize, end: usize) -> Location {
        self.index
            .location(self.byte_of(start)..self.byte_of(end.max(start)))
    }

    /// Location of a parse error at a character index. An error at the end of
    /// the stream (an unclosed `[` or quote) is put on the last character
    /// written, where the reader looks, not on the empty line after it.
    pub fn error_loc(&self, at_char: usize) -> Location {
        let start = self.byte_of(at_char);
        let only_blank_after = self
            .text
            .get(start..)
            .is_none_or(|rest| rest.trim().is_empty());
        if only_blank_after {
            let last = self
                .text
                .get(..start)
                .and_then(|head| head.char_indices().rev().find(|(_, c)| !c.is_whitespace()));
            if let Some((i, c)) = last {
                return self.bytes_loc(i, i + c.len_utf8());
            }
        }
        self.chars_loc(at_char, at_char.saturating_add(1))
    }

    /// Location of a byte range.
    pub fn bytes_loc(&self, start: usize, end: usize) -> Location {
        self.index.location(start..end.max(start))
    }

    /// The token of a scalar node: quotes included, trailing blanks, comments
    /// and blank lines excluded. For a collection, the whole collection.
    pub fn token_loc(&self, node: &MarkedYaml<'_>) -> Location {
        let start = node.span.start.index();
        self.chars_loc(start, self.node_end(node))
    }

    pub fn located<T>(&self, value: T, node: &MarkedYaml<'_>) -> Located<T> {
        Located::new(value, self.token_loc(node))
    }

    /// From the start of `key` through the end of `value`.
    pub fn entry_loc(&self, key: &MarkedYaml<'_>, value: &MarkedYaml<'_>) -> Location {
        let start = key.span.start.index();
        let end = self.node_end(key).max(self.node_end(value));
        self.chars_loc(start, end)
    }

    /// Character index just past the last character of `node`.
    ///
    /// A block collection's end marker is where the next token starts (after
    /// trailing comments and blank lines), so the end is taken from its last
    /// descendant instead. Walks down iteratively: no recursion on input depth.
    pub fn node_end(&self, node: &MarkedYaml<'_>) -> usize {
        let mut node = node;
        loop {
            match &node.data {
                YamlData::Tagged(_, inner) => node = inner,
                YamlData::Sequence(items) => {
                    if let Some(close) = self.flow_close(node) {
                        return close;
                    }
                    match items.last() {
                        Some(last) => node = last,
                        None => return node.span.start.index(),
                    }
                }
                YamlData::Mapping(map) => {
                    if let Some(close) = self.flow_close(node) {
                        return close;
                    }
                    match map.back() {
                        Some((key, value)) => {
                            // An empty value (`key:`) sits at the key's end.
                            if value.span.end.index() <= key.span.end.index()
                                && is_empty_scalar(value)
                            {
                                node = key;
                            } else {
                                node = value;
                            }
                        }
                        None => return node.span.start.index(),
                    }
                }
                YamlData::Representation(_, style, _) => return self.scalar_end(node, *style),
                _ => return node.span.end.index().max(node.span.start.index()),
            }
        }
    }

    /// A flow collection (`[..]`, `{..}`) ends at its closing bracket, which
    /// its end marker points at; a block collection's marker never does.
    fn flow_close(&self, node: &MarkedYaml<'_>) -> Option<usize> {
        let end = node.span.end.index();
        match self.char_at(end) {
            Some(']' | '}') if end > node.span.start.index() => Some(end + 1),
            _ => None,
        }
    }

    fn scalar_end(&self, node: &MarkedYaml<'_>, style: ScalarStyle) -> usize {
        let start = node.span.start.index();
        let end = node.span.end.index().max(start);
        let (start_byte, end_byte) = (self.byte_of(start), self.byte_of(end));
        let Some(raw) = self.text.get(start_byte..end_byte) else {
            return end;
        };
        let token_bytes = match style {
            ScalarStyle::DoubleQuoted => quoted_len(raw, '"'),
            ScalarStyle::SingleQuoted => quoted_len(raw, '\''),
            ScalarStyle::Literal | ScalarStyle::Folded => Some(raw.trim_end().len()),
            _ => None,
        };
        match token_bytes {
            Some(len) => self.char_of(start_byte.saturating_add(len)),
            None => end,
        }
    }
}

/// Byte length of a quoted scalar token at the start of `raw` (which may be
/// preceded by a tag or anchor), through its closing quote.
fn quoted_len(raw: &str, quote: char) -> Option<usize> {
    let open = raw.find(quote)?;
    let mut chars = raw.get(open + 1..)?.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if quote == '"' && c == '\\' {
            chars.next();
        } else if c == quote {
            // `''` inside a single-quoted scalar is an escaped quote.
            if quote == '\'' && chars.peek().map(|&(_, n)| n) == Some('\'') {
                chars.next();
                continue;
            }
            return Some(open + 1 + i + c.len_utf8());
        }
    }
    None
}

fn is_empty_scalar(node: &MarkedYaml<'_>) -> bool {
    matches!(&node.data, YamlData::Representation(text, ScalarStyle::Plain, _) if text.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_length_stops_at_the_closing_quote() {
        assert_eq!(quoted_len(r#""a\"b" # c"#, '"'), Some(6));
        assert_eq!(quoted_len("'it''s'  ", '\''), Some(7));
        assert_eq!(quoted_len("\"open", '"'), None);
    }

    #[test]
    fn characters_map_to_bytes() {
        let map = SourceMap::new("a.yaml", "é: 1");
        assert_eq!(map.byte_of(1), 2);
        assert_eq!(map.char_of(2), 1);
        assert_eq!(map.byte_of(99), 5);
    }
}
