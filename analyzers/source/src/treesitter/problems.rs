//! Syntax errors: tree-sitter recovers (an `ERROR` node around what it
//! skipped, a zero-width `MISSING` node for what it inserted), so the rest of
//! the file still yields facts; the first error becomes the problem.

use super::kinds::NodeNames;
use super::{walk, Source};
use seamcheck_facts::ParseProblem;
use tree_sitter::Node;

/// The first syntax error in source order, if the tree has any; `language`
/// starts the message (`go syntax error`).
pub fn first_syntax_error(
    root: Node<'_>,
    source: &Source<'_>,
    language: &str,
) -> Option<ParseProblem> {
    if !root.has_error() {
        return None;
    }
    let mut first: Option<Node<'_>> = None;
    walk(root, (), |node, _| {
        if first.is_some() {
            return None;
        }
        if node.is_error() || node.is_missing() {
            first = Some(node);
            return None;
        }
        // Only subtrees that contain an error are worth entering.
        node.has_error().then_some(())
    });
    let node = first?;
    if node.is_missing() {
        return Some(ParseProblem {
            message: format!("{language} syntax error: missing `{}`", node.cached_kind()),
            loc: source.loc_span(node.start_byte(), node.start_byte()),
        });
    }
    // An ERROR node can swallow the rest of the file; point at its first line.
    let start = node.start_byte();
    let line_end = source
        .text
        .get(start..)
        .and_then(|rest| rest.find('\n'))
        .map_or(node.end_byte(), |n| start.saturating_add(n));
    Some(ParseProblem {
        message: format!("{language} syntax error"),
        loc: source.loc_span(start, node.end_byte().min(line_end).max(start)),
    })
}
