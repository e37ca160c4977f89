//! Locations of parts of a scalar: a port inside `"127.0.0.1:8080:80"`, a
//! word inside `command: gunicorn -b 0.0.0.0:5000 app:app`.

use seamcheck_facts::shell::split_words;
use seamcheck_facts::{LineIndex, Located, Location};
use seamcheck_yaml::{Node, SourceMap};
use std::ops::Range;

/// A scalar's value together with where its characters are in the file.
pub(crate) struct ScalarText<'n> {
    pub(crate) value: &'n str,
    /// The whole token (quotes, anchor or tag prefix included).
    pub(crate) loc: Location,
    /// Byte offset of the value's first character in the file, when the
    /// value is written verbatim (plain on one line, or quoted without
    /// escapes): then every byte of the value maps to one byte of the file.
    content_start: Option<usize>,
}

impl<'n> ScalarText<'n> {
    pub(crate) fn new(value: &'n str, node: &Node<'_>, src: &SourceMap<'_>) -> Self {
        let loc = src.token_loc(node);
        let raw = src.text().get(loc.span.start..loc.span.end).unwrap_or("");
        let content_start = verbatim_offset(raw, value).map(|o| loc.span.start + o);
        ScalarText {
            value,
            loc,
            content_start,
        }
    }

    /// The location of a byte range of the value; the whole token when the
    /// value is not written verbatim.
    pub(crate) fn sub(&self, range: Range<usize>, src: &SourceMap<'_>) -> Location {
        match self.content_start {
            Some(start) if self.value.get(range.clone()).is_some() => {
                src.bytes_loc(start + range.start, start + range.end)
            }
            _ => self.loc.clone(),
        }
    }

    /// The value split into words the way compose splits a string command:
    /// shell quoting rules, newlines are blanks (not command separators).
    /// Each word is located exactly when the value is written verbatim, else
    /// at the whole token.
    pub(crate) fn words(&self, src: &SourceMap<'_>) -> Vec<Located<String>> {
        let local = LineIndex::new(src.index().path(), self.value);
        split_words(self.value, 0, &local)
            .into_iter()
            .filter(|w| {
                !(w.value == ";" && self.value.get(w.loc.span.start..w.loc.span.end) != Some(";"))
            })
            .map(|w| {
                let range = w.loc.span.start..w.loc.span.end;
                Located::new(w.value, self.sub(range, src))
            })
            .collect()
    }
}

/// Where `value` starts in `raw` when `raw` is the value itself or the value
/// in one pair of quotes, possibly after an `&anchor`/`!tag` prefix.
fn verbatim_offset(raw: &str, value: &str) -> Option<usize> {
    for quote in ["", "\"", "'"] {
        let Some(inner) = raw
            .strip_suffix(quote)
            .filter(|r| r.len() >= value.len() + quote.len())
        else {
            continue;
        };
        if !inner.ends_with(value) {
            continue;
        }
        let start = inner.len() - value.len();
        let before = inner.get(..start)?;
        let prefix_ok = match before.strip_suffix(quote) {
            Some(prefix) => prefix.is_empty() || prefix.ends_with(' '),
            None => false,
        };
        if prefix_ok {
            return Some(start);
        }
    }
    None
}

/// The location of a byte range of a word's value in the file, when the
/// word is written as its value (bare or in one pair of quotes); else the
/// word's own location, which is still right, only less precise.
pub(crate) fn word_part(
    word: &Located<String>,
    range: Range<usize>,
    src: &SourceMap<'_>,
) -> Location {
    let span = word.loc.span;
    let raw = src.text().get(span.start..span.end).unwrap_or("");
    let value = word.value.as_str();
    let quoted = |q: char| {
        raw.strip_prefix(q)
            .and_then(|r| r.strip_suffix(q))
            .is_some_and(|inner| inner == value)
    };
    let offset = if raw == value {
        0
    } else if quoted('"') || quoted('\'') {
        1
    } else {
        return word.loc.clone();
    };
    if value.get(range.clone()).is_none() {
        return word.loc.clone();
    }
    let start = span.start + offset + range.start;
    src.bytes_loc(start, start + range.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbatim_values() {
        assert_eq!(verbatim_offset("8080:80", "8080:80"), Some(0));
        assert_eq!(verbatim_offset("\"8080:80\"", "8080:80"), Some(1));
        assert_eq!(verbatim_offset("'80'", "80"), Some(1));
        assert_eq!(verbatim_offset("&p \"80\"", "80"), Some(4));
        assert_eq!(verbatim_offset("&p 80", "80"), Some(3));
        assert_eq!(verbatim_offset("\"a\\\"b\"", "a\"b"), None);
        assert_eq!(verbatim_offset("x80", "80"), None);
        assert_eq!(verbatim_offset("a\n  b", "a b"), None);
    }
}
