//! Pre-order tree walks without recursion: 100,000-deep nesting must not
//! overflow the stack.

use super::kinds::NodeNames;
use tree_sitter::Node;

/// Pre-order walk over `root` and its descendants. `step` gets each node,
/// its field name in the parent and the context its parent handed down; it
/// returns the context for the node's children, or `None` to skip them.
/// One cursor serves the whole walk; `contexts` holds one entry per level of
/// the cursor below `root`.
pub fn walk_with_fields<'t, C>(
    root: Node<'t>,
    root_context: C,
    mut step: impl FnMut(Node<'t>, Option<&'t str>, &C) -> Option<C>,
) {
    let mut cursor = root.walk();
    let mut contexts: Vec<C> = Vec::new();
    loop {
        let parent_context = contexts.last().unwrap_or(&root_context);
        let child_context = step(
            cursor.node(),
            super::kinds::cursor_field_name(&cursor),
            parent_context,
        );
        if let Some(context) = child_context {
            if cursor.goto_first_child() {
                contexts.push(context);
                continue;
            }
        }
        // No children to enter: move to the next sibling, climbing as needed.
        loop {
            if contexts.is_empty() {
                return;
            }
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
            contexts.pop();
        }
    }
}

/// [`walk_with_fields`] for steps that do not need the field name.
pub fn walk<'t, C>(
    root: Node<'t>,
    root_context: C,
    mut step: impl FnMut(Node<'t>, &C) -> Option<C>,
) {
    walk_with_fields(root, root_context, |node, _, context| step(node, context));
}

/// Every node of the tree, in source order.
pub fn all_nodes<'t>(root: Node<'t>) -> Vec<Node<'t>> {
    let mut nodes = Vec::new();
    walk(root, (), |node, _| {
        nodes.push(node);
        Some(())
    });
    nodes
}

/// Every node of `root`'s scope, `root` included, in source order: nodes for
/// which `opens_scope` holds are kept but not entered (their code does not run
/// where it is written).
pub fn scope_nodes<'t>(root: Node<'t>, opens_scope: impl Fn(Node<'t>) -> bool) -> Vec<Node<'t>> {
    let mut nodes = Vec::new();
    walk(root, (), |node, _| {
        nodes.push(node);
        if node.id() != root.id() && opens_scope(node) {
            None
        } else {
            Some(())
        }
    });
    nodes
}

/// Named children of a node, in order, without `comment` nodes (the kind
/// grammars such as Go, JavaScript and Python give comments).
pub fn named_children<'t>(node: Node<'t>) -> Vec<Node<'t>> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .filter(|c| c.cached_kind() != "comment")
        .collect()
}
