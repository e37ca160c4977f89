//! Where a fact came from: file, byte span, and 1-based line/column of both ends.

use serde::Serialize;
use std::ops::Range;
use std::sync::Arc;

/// A half-open byte range into the file's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start,
            end: end.max(start),
        }
    }
}

impl From<Range<usize>> for Span {
    fn from(r: Range<usize>) -> Self {
        Span::new(r.start, r.end)
    }
}

/// A precise place in one file. Lines and columns are 1-based; columns count
/// Unicode scalar values (characters), as rustc does. `end_*` is the position
/// of the last character of the span (inclusive), so a one-character span has
/// `column == end_column`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Location {
    /// Path relative to the audited root, with `/` separators. Shared by
    /// every location of the file: a service's facts hold hundreds of
    /// locations, and a copy of the path each was a fifth of the memory of
    /// a large audit.
    pub path: Arc<str>,
    pub span: Span,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    /// For a location inside rendered output (a Helm template, a
    /// kustomization) mapped back to a real file: the place that put the
    /// value here. `None` for ordinary files. Reports show it as related
    /// evidence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<Arc<crate::render::Via>>,
}

/// A value together with where it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Located<T> {
    pub value: T,
    pub loc: Location,
}

impl<T> Located<T> {
    pub fn new(value: T, loc: Location) -> Self {
        Located { value, loc }
    }
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Located<U> {
        Located {
            value: f(self.value),
            loc: self.loc,
        }
    }
}

/// Converts byte offsets of one file into `Location`s. Built once per file.
#[derive(Debug, Clone)]
pub struct LineIndex {
    path: Arc<str>,
    /// Byte offset of the start of every line.
    line_starts: Vec<usize>,
    text_len: usize,
    /// Only kept to count characters for columns; borrowed text would tie the
    /// index to a lifetime every analyzer then has to carry.
    text: String,
    /// Characters before every `CHECKPOINT`-th byte: a column is then a
    /// subtraction plus a count over less than `CHECKPOINT` bytes, instead of
    /// a count from the start of the line (quadratic on one long line, such
    /// as minified JavaScript or a 3 MB CMD). Empty when the text is ASCII,
    /// where a column is a byte difference.
    char_checkpoints: Vec<usize>,
    /// Set for rendered output: every location is mapped to the real file
    /// that produced it (see `render`).
    origins: Option<Arc<crate::render::OriginMap>>,
}

/// Bytes between two entries of `LineIndex::char_checkpoints`.
const CHECKPOINT: usize = 256;

/// Characters in valid UTF-8 bytes: every byte that does not continue a
/// character starts one. Exact on any byte range of a `str`, boundaries or not.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

impl LineIndex {
    pub fn new(path: impl Into<Arc<str>>, text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        let char_checkpoints = if text.is_ascii() {
            Vec::new()
        } else {
            let mut before = 0;
            let mut table = Vec::with_capacity(text.len() / CHECKPOINT + 1);
            for block in text.as_bytes().chunks(CHECKPOINT) {
                table.push(before);
                before += count_chars(block);
            }
            table
        };
        LineIndex {
            path: path.into(),
            line_starts,
            text_len: text.len(),
            text: text.to_string(),
            char_checkpoints,
            origins: None,
        }
    }

    /// The index of rendered text: locations are mapped through `origins`
    /// to the real files that produced each byte.
    pub fn rendered(
        path: impl Into<Arc<str>>,
        text: &str,
        origins: Arc<crate::render::OriginMap>,
    ) -> Self {
        LineIndex {
            origins: Some(origins),
            ..LineIndex::new(path, text)
        }
    }

    /// Whether this index maps locations to other files (rendered text).
    pub fn is_rendered(&self) -> bool {
        self.origins.is_some()
    }

    /// Characters in `text[..offset]` (`offset` on a character boundary).
    fn chars_before(&self, offset: usize) -> usize {
        if self.char_checkpoints.is_empty() {
            return offset;
        }
        let block = offset / CHECKPOINT;
        let from = block * CHECKPOINT;
        let base = self.char_checkpoints.get(block).copied().unwrap_or(0);
        base + self
            .text
            .as_bytes()
            .get(from..offset)
            .map_or(0, count_chars)
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    /// 1-based line and character column of a byte offset (clamped to the text).
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        let offset = self.floor_char_boundary(offset.min(self.text_len));
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        let col = self
            .chars_before(offset)
            .saturating_sub(self.chars_before(start.min(offset)));
        (line as u32 + 1, col as u32 + 1)
    }

    fn floor_char_boundary(&self, mut offset: usize) -> usize {
        while offset > 0 && !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    /// The location of a byte span. An empty span points at its start.
    pub fn location(&self, span: impl Into<Span>) -> Location {
        let span: Span = span.into();
        let start = span.start.min(self.text_len);
        let end = span.end.min(self.text_len).max(start);
        if let Some(origins) = &self.origins {
            return origins.locate(Span::new(start, end));
        }
        let (line, column) = self.line_col(start);
        let last = if end > start {
            // The last character of the span, not the position after it.
            self.floor_char_boundary(end - 1)
        } else {
            start
        };
        let (end_line, end_column) = self.line_col(last);
        Location {
            path: self.path.clone(),
            span: Span::new(start, end),
            line,
            column,
            end_line,
            end_column,
            via: None,
        }
    }

    pub fn located<T>(&self, value: T, span: impl Into<Span>) -> Located<T> {
        Located::new(value, self.location(span))
    }

    /// The location of a whole 1-based line (without its newline).
    pub fn line_location(&self, line: u32) -> Location {
        let i = (line.max(1) - 1) as usize;
        let start = self.line_starts.get(i).copied().unwrap_or(self.text_len);
        let end = self
            .line_starts
            .get(i + 1)
            .map_or(self.text_len, |n| n.saturating_sub(1));
        self.location(start..end.max(start))
    }

    /// Location of a whole-file fact (the first line), used for facts about a
    /// file as a whole, such as "no HEALTHCHECK in this Dockerfile".
    pub fn file_location(&self) -> Location {
        self.line_location(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let idx = LineIndex::new("a.txt", "ab\nçd\n");
        assert_eq!(idx.line_col(0), (1, 1));
        assert_eq!(idx.line_col(3), (2, 1));
        // 'd' is after the two-byte 'ç'
        assert_eq!(idx.line_col(5), (2, 2));
        let loc = idx.location(3..6);
        assert_eq!(
            (loc.line, loc.column, loc.end_line, loc.end_column),
            (2, 1, 2, 2)
        );
    }

    #[test]
    fn offsets_past_the_end_are_clamped() {
        let idx = LineIndex::new("a", "x");
        let loc = idx.location(5..9);
        assert_eq!(loc.span, Span::new(1, 1));
        assert_eq!(loc.line, 1);
    }

    /// The checkpoint table gives the columns counting from the line start
    /// would, on lines that cross many checkpoints and mix 1- to 4-byte
    /// characters.
    #[test]
    fn columns_match_a_count_from_the_line_start() {
        let mut text = String::new();
        for i in 0..3_000 {
            text.push(['a', 'é', '€', '😀'][i % 4]);
            if i % 700 == 699 {
                text.push('\n');
            }
        }
        let idx = LineIndex::new("a", &text);
        let mut line = 1;
        let mut line_start = 0;
        for (offset, c) in text.char_indices() {
            let col = text[line_start..offset].chars().count() as u32 + 1;
            assert_eq!(idx.line_col(offset), (line, col), "offset {offset}");
            if c == '\n' {
                line += 1;
                line_start = offset + 1;
            }
        }
        let ascii = LineIndex::new("a", "abc\ndef");
        assert_eq!(ascii.line_col(6), (2, 3));
    }

    #[test]
    fn a_byte_inside_a_character_rounds_down() {
        let idx = LineIndex::new("a", "é");
        assert_eq!(idx.line_col(1), (1, 1));
    }
}
