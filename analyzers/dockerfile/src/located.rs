//! Locations of parts of a word, checked against the file text.

use seamcheck_facts::{LineIndex, Located, Location};
use std::ops::Range;

/// The location of `range` (byte offsets into `word.value`) in the file, when
/// the word is written exactly as its value (bare or inside one pair of
/// quotes); otherwise the location of the whole word, which is still right,
/// only less precise.
pub fn exact_sub(
    word: &Located<String>,
    range: Range<usize>,
    text: &str,
    index: &LineIndex,
) -> Location {
    let span = word.loc.span;
    let raw = text.get(span.start..span.end).unwrap_or("");
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
    index.location(start..start + range.len())
}
