//! The tree flattened once into an array, for the many walks of one file.
//!
//! A language module walks a file's tree several times: every node (imports,
//! apps, routes), the scope of each handler (statuses, sleeps), the module
//! with a context (listens). Each walk with a tree-sitter cursor pays for
//! moving the cursor (hidden nodes, aliases) at every node, and on a small
//! web app the walks cost more than the parse. [`Flat`] records the pre-order
//! once — each node, where its subtree ends, its field — and every later
//! walk is a scan of that array that skips a subtree by jumping to its end.

use super::kinds;
use tree_sitter::Node;

pub struct Flat<'t> {
    /// Every node, in pre-order (the order of a cursor walk).
    nodes: Vec<Node<'t>>,
    /// For each node, the index just after its subtree.
    ends: Vec<u32>,
    /// For each node, its field name in its parent.
    fields: Vec<Option<&'t str>>,
}

impl<'t> Flat<'t> {
    /// One cursor walk over `root`'s tree, without recursion (100,000-deep
    /// nesting must not overflow the stack).
    pub fn new(root: Node<'t>) -> Flat<'t> {
        let mut flat = Flat {
            nodes: Vec::new(),
            ends: Vec::new(),
            fields: Vec::new(),
        };
        let mut cursor = root.walk();
        // Indexes of the nodes whose subtree is still open.
        let mut open: Vec<usize> = Vec::new();
        loop {
            let index = flat.nodes.len();
            flat.nodes.push(cursor.node());
            flat.fields.push(kinds::cursor_field_name(&cursor));
            flat.ends.push(0);
            if cursor.goto_first_child() {
                open.push(index);
                continue;
            }
            flat.close(index);
            loop {
                if open.is_empty() {
                    return flat;
                }
                if cursor.goto_next_sibling() {
                    break;
                }
                if !cursor.goto_parent() {
                    return flat;
                }
                if let Some(parent) = open.pop() {
                    flat.close(parent);
                }
            }
        }
    }

    fn close(&mut self, index: usize) {
        let end = u32::try_from(self.nodes.len()).unwrap_or(u32::MAX);
        if let Some(slot) = self.ends.get_mut(index) {
            *slot = end;
        }
    }

    /// Every node, in source order.
    pub fn nodes(&self) -> &[Node<'t>] {
        &self.nodes
    }

    fn end_of(&self, index: usize) -> usize {
        self.ends
            .get(index)
            .map_or(self.nodes.len(), |&e| e as usize)
    }

    /// Where `node` is in the array. Pre-order keeps start bytes in order,
    /// so a binary search finds the run of nodes starting where it starts.
    fn index_of(&self, node: Node<'t>) -> Option<usize> {
        let start = node.start_byte();
        let first = self.nodes.partition_point(|n| n.start_byte() < start);
        self.nodes
            .get(first..)?
            .iter()
            .take_while(|n| n.start_byte() == start)
            .position(|n| n.id() == node.id())
            .map(|i| first + i)
    }

    /// Every node of `root`'s scope, `root` included, in source order: nodes
    /// for which `opens_scope` holds are kept but not entered. Same result as
    /// [`super::scope_nodes`].
    pub fn scope_nodes(
        &self,
        root: Node<'t>,
        opens_scope: impl Fn(Node<'t>) -> bool,
    ) -> Vec<Node<'t>> {
        let Some(first) = self.index_of(root) else {
            return super::scope_nodes(root, opens_scope);
        };
        let end = self.end_of(first);
        let mut out = vec![root];
        let mut i = first + 1;
        while i < end {
            let Some(&node) = self.nodes.get(i) else {
                break;
            };
            out.push(node);
            i = if opens_scope(node) {
                self.end_of(i)
            } else {
                i + 1
            };
        }
        out
    }

    /// Pre-order walk over `root` and its descendants with a context handed
    /// down, as [`super::walk_with_fields`] does. `root` itself gets no field
    /// name, as with a cursor created at it.
    pub fn walk_with_fields<C>(
        &self,
        root: Node<'t>,
        root_context: C,
        mut step: impl FnMut(Node<'t>, Option<&'t str>, &C) -> Option<C>,
    ) {
        let Some(first) = self.index_of(root) else {
            return super::walk_with_fields(root, root_context, step);
        };
        let end = self.end_of(first);
        // (end of the subtree, context for the nodes in it)
        let mut contexts: Vec<(usize, C)> = Vec::new();
        let mut i = first;
        while i < end {
            while contexts.last().is_some_and(|(e, _)| i >= *e) {
                contexts.pop();
            }
            let Some(&node) = self.nodes.get(i) else {
                break;
            };
            let field = if i == first {
                None
            } else {
                self.fields.get(i).copied().flatten()
            };
            let parent = contexts.last().map_or(&root_context, |(_, c)| c);
            let subtree_end = self.end_of(i);
            match step(node, field, parent) {
                Some(context) if subtree_end > i + 1 => {
                    contexts.push((subtree_end, context));
                    i += 1;
                }
                Some(_) => i += 1,
                None => i = subtree_end.max(i + 1),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{scope_nodes, walk_with_fields};
    use super::*;

    const TEXT: &str = "import os\n\
@app.get('/x')\n\
def f(a, *b):\n    if os.environ.get('X'):\n        time.sleep(1)\n    return a if b else (1, 2) # c\n\
class C:\n    def g(self):\n        return lambda: 3\n\
x = [\n";

    fn with_tree(check: impl FnOnce(Node<'_>)) {
        let mut parser = tree_sitter::Parser::new();
        assert!(parser
            .set_language(&tree_sitter_python::LANGUAGE.into())
            .is_ok());
        let Some(tree) = parser.parse(TEXT, None) else {
            panic!("no tree");
        };
        check(tree.root_node());
    }

    fn opens_scope(node: Node<'_>) -> bool {
        matches!(
            node.kind(),
            "function_definition" | "class_definition" | "lambda"
        )
    }

    #[test]
    fn the_array_is_the_cursor_walk() {
        with_tree(|root| {
            let flat = Flat::new(root);
            assert_eq!(flat.nodes(), super::super::all_nodes(root).as_slice());
        });
    }

    #[test]
    fn scopes_and_context_walks_match_the_cursor_versions_from_every_node() {
        with_tree(|root| {
            let flat = Flat::new(root);
            for &node in flat.nodes() {
                assert_eq!(
                    flat.scope_nodes(node, opens_scope),
                    scope_nodes(node, opens_scope),
                    "{}",
                    node.kind()
                );
                // Depth as the context; skip the children of every `call`.
                let mut by_flat: Vec<(usize, Option<String>, u32)> = Vec::new();
                flat.walk_with_fields(node, 0, |n, field, depth: &u32| {
                    by_flat.push((n.id(), field.map(str::to_string), *depth));
                    (n.kind() != "call").then_some(depth + 1)
                });
                let mut by_cursor: Vec<(usize, Option<String>, u32)> = Vec::new();
                walk_with_fields(node, 0, |n, field, depth: &u32| {
                    by_cursor.push((n.id(), field.map(str::to_string), *depth));
                    (n.kind() != "call").then_some(depth + 1)
                });
                assert_eq!(by_flat, by_cursor, "{}", node.kind());
            }
        });
    }

    #[test]
    fn field_names_match_the_cursor() {
        with_tree(|root| {
            let flat = Flat::new(root);
            let mut by_flat = Vec::new();
            flat.walk_with_fields(root, (), |n, field, _| {
                by_flat.push((n.id(), field));
                Some(())
            });
            let mut by_cursor = Vec::new();
            walk_with_fields(root, (), |n, field, _| {
                by_cursor.push((n.id(), field));
                Some(())
            });
            assert_eq!(by_flat, by_cursor);
        });
    }
}
