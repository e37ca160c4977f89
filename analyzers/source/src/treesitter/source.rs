//! The file being analyzed, and panic-free access to the text and location
//! of its nodes.

use seamcheck_facts::{LineIndex, Located, Location};
use tree_sitter::Node;

/// Longest expression text kept in an `Unknown` value or a message: a
/// 100,000-character argument must not be copied into every fact.
const MAX_TEXT_CHARS: usize = 200;

/// The file being analyzed: its text and line index.
pub struct Source<'s> {
    pub text: &'s str,
    pub index: &'s LineIndex,
}

impl<'s> Source<'s> {
    /// The node's text ("" if the span is not on char boundaries, which
    /// tree-sitter never produces for valid UTF-8, but we do not rely on it).
    pub fn text_of(&self, node: Node<'_>) -> &'s str {
        self.text.get(node.byte_range()).unwrap_or("")
    }

    /// The node's text, cut to a length fit for a message or an `Unknown`.
    pub fn short_text_of(&self, node: Node<'_>) -> String {
        let text = self.text_of(node);
        match text.char_indices().nth(MAX_TEXT_CHARS) {
            Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or("")),
            None => text.to_string(),
        }
    }

    pub fn loc(&self, node: Node<'_>) -> Location {
        self.index.location(node.byte_range())
    }

    pub fn loc_span(&self, start: usize, end: usize) -> Location {
        self.index.location(start..end)
    }

    pub fn located<T>(&self, value: T, node: Node<'_>) -> Located<T> {
        self.index.located(value, node.byte_range())
    }
}
