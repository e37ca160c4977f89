//! Kotlin-specific reading of the tree: string literals, calls
//! (`a.b(c)`, `f<T>(x)`), and node searches.

pub use crate::java::syntax::{last_segment, parse_integer};
use crate::treesitter::NodeNames;
pub use crate::treesitter::{named_children, walk, Source};
use tree_sitter::Node;

/// Every node of the tree whose kind is one of `kinds`, in source order.
pub fn nodes_of_kind<'t>(root: Node<'t>, kinds: &[&str]) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    walk(root, (), |node, _| {
        if kinds.contains(&node.cached_kind()) {
            out.push(node);
        }
        Some(())
    });
    out
}

/// A string literal without templates (`"/x"`), escapes decoded; `None` for
/// `"$x"`, `"${x}"` or anything else computed.
pub fn string_literal(node: Node<'_>, source: &Source<'_>) -> Option<String> {
    if node.cached_kind() != "string_literal" {
        return None;
    }
    let mut out = String::new();
    for part in named_children(node) {
        let text = source.text_of(part);
        match part.cached_kind() {
            // The grammar leaves `$name` as plain content: refuse it.
            "string_content" if !text.contains('$') => out.push_str(text),
            "escape_sequence" => out.push(match text {
                "\\n" => '\n',
                "\\t" => '\t',
                "\\\"" => '"',
                "\\'" => '\'',
                "\\\\" => '\\',
                "\\$" => '$',
                _ => return None,
            }),
            _ => return None,
        }
    }
    Some(out)
}

/// The parts of a call `receiver.name(args)` / `name(args)`: the callee's
/// receiver (if any), its simple name and the argument expressions.
pub struct Call<'t> {
    pub receiver: Option<Node<'t>>,
    pub name: &'t str,
    pub args: Vec<Node<'t>>,
}

pub fn call<'t>(node: Node<'t>, source: &Source<'t>) -> Option<Call<'t>> {
    if node.cached_kind() != "call_expression" {
        return None;
    }
    let children = named_children(node);
    let callee = *children.first()?;
    let args = children
        .iter()
        .find(|c| c.cached_kind() == "value_arguments")
        .map(|a| arguments(*a))
        .unwrap_or_default();
    let (receiver, name) = match callee.cached_kind() {
        "navigation_expression" => {
            let parts = named_children(callee);
            let name = parts.last().filter(|n| n.cached_kind() == "identifier")?;
            (parts.first().copied(), source.text_of(*name))
        }
        "identifier" => (None, source.text_of(callee)),
        _ => return None,
    };
    Some(Call {
        receiver,
        name,
        args,
    })
}

/// The expressions of a `value_arguments` node (names such as `value =`
/// dropped: callers that need them read [`crate::kotlin::annotations`]).
pub fn arguments(value_arguments: Node<'_>) -> Vec<Node<'_>> {
    named_children(value_arguments)
        .into_iter()
        .filter_map(|a| named_children(a).last().copied())
        .collect()
}
