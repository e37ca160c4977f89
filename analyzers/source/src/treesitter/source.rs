//! The file being analyzed, and panic-free access to the text and location
//! of its nodes.

use super::Flat;
use seamcheck_facts::{LineIndex, Located, Location};
use tree_sitter::Node;

/// Longest expression text kept in an `Unknown` value or a message: a
/// 100,000-character argument must not be copied into every fact.
const MAX_TEXT_CHARS: usize = 200;

/// The file being analyzed: its text, line index and, for the modules that
/// walk the tree many times, the tree flattened once ([`Flat`]).
pub struct Source<'s> {
    pub text: &'s str,
    pub index: &'s LineIndex,
    flat: Option<(Node<'s>, Flat<'s>)>,
}

impl<'s> Source<'s> {
    /// The file without its tree: walks go through a tree-sitter cursor.
    pub fn new(text: &'s str, index: &'s LineIndex) -> Source<'s> {
        Source {
            text,
            index,
            flat: None,
        }
    }

    /// The file and its parsed tree: walks scan the flattened tree.
    pub fn with_tree(text: &'s str, index: &'s LineIndex, root: Node<'s>) -> Source<'s> {
        Source {
            flat: Some((root, Flat::new(root))),
            ..Source::new(text, index)
        }
    }

    fn flat(&self) -> Option<&Flat<'s>> {
        self.flat.as_ref().map(|(_, flat)| flat)
    }

    /// Every node below `root` (itself included), in source order.
    pub fn all_nodes(&self, root: Node<'s>) -> Vec<Node<'s>> {
        match &self.flat {
            Some((tree_root, flat)) if tree_root.id() == root.id() => flat.nodes().to_vec(),
            _ => super::all_nodes(root),
        }
    }

    /// See [`super::scope_nodes`].
    pub fn scope_nodes(
        &self,
        root: Node<'s>,
        opens_scope: impl Fn(Node<'s>) -> bool,
    ) -> Vec<Node<'s>> {
        match self.flat() {
            Some(flat) => flat.scope_nodes(root, opens_scope),
            None => super::scope_nodes(root, opens_scope),
        }
    }

    /// See [`super::walk_with_fields`].
    pub fn walk_with_fields<C>(
        &self,
        root: Node<'s>,
        root_context: C,
        step: impl FnMut(Node<'s>, Option<&'s str>, &C) -> Option<C>,
    ) {
        match self.flat() {
            Some(flat) => flat.walk_with_fields(root, root_context, step),
            None => super::walk_with_fields(root, root_context, step),
        }
    }

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
