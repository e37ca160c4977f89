//! Kotlin annotations as written: `@GetMapping("/x")`,
//! `@RequestMapping(value = ["/a", "/b"], method = [RequestMethod.GET])`.

use super::syntax::{last_segment, named_children, string_literal, Source};
use crate::treesitter::NodeNames;
use tree_sitter::Node;

/// The same annotation model as Java's: only the grammar differs.
pub use crate::java::annotations::Annotation;

/// The annotations in a declaration's `modifiers` child.
pub fn of<'t>(declaration: Node<'t>, source: &Source<'t>) -> Vec<Annotation<'t>> {
    crate::java::annotations::in_modifiers(declaration, named_children, |a| read(a, source))
}

fn read<'t>(node: Node<'t>, source: &Source<'t>) -> Option<Annotation<'t>> {
    if node.cached_kind() != "annotation" {
        return None;
    }
    let inner = *named_children(node).last()?;
    let (type_node, arguments) = match inner.cached_kind() {
        "constructor_invocation" => {
            let parts = named_children(inner);
            let ty = *parts.first()?;
            (
                ty,
                parts
                    .iter()
                    .find(|p| p.cached_kind() == "value_arguments")
                    .copied(),
            )
        }
        "user_type" => (inner, None),
        _ => return None,
    };
    let mut annotation = Annotation {
        name: last_segment(source.text_of(type_node)),
        node,
        value: None,
        pairs: Vec::new(),
    };
    for argument in arguments.map(named_children).unwrap_or_default() {
        let parts = named_children(argument);
        // `key = value` has the key identifier before the value; a lone
        // identifier is a positional value.
        let has_key = parts.len() == 2 && source.text_of(argument).contains('=');
        match (has_key, parts.first(), parts.last()) {
            (true, Some(key), Some(value)) => {
                annotation.pairs.push((source.text_of(*key), *value));
            }
            (false, _, Some(value)) if annotation.value.is_none() => {
                annotation.value = Some(*value);
            }
            _ => {}
        }
    }
    Some(annotation)
}

/// The string values of an annotation argument: one string, `["/a", "/b"]`
/// or `arrayOf("/a")`, each with its node. `None` when any is not constant.
pub fn strings<'t>(node: Node<'t>, source: &Source<'t>) -> Option<Vec<(String, Node<'t>)>> {
    let items = list_items(node, source);
    items
        .into_iter()
        .map(|e| string_literal(e, source).map(|s| (s, e)))
        .collect()
}

/// Names in an annotation argument: `RequestMethod.GET` or
/// `[RequestMethod.GET, RequestMethod.HEAD]` -> `["GET", "HEAD"]`.
pub fn enum_names(node: Node<'_>, source: &Source<'_>) -> Vec<String> {
    list_items(node, source)
        .into_iter()
        .map(|i| last_segment(source.text_of(i)).to_string())
        .collect()
}

/// The elements of `[a, b]` / `arrayOf(a, b)`, or the node itself.
fn list_items<'t>(node: Node<'t>, source: &Source<'t>) -> Vec<Node<'t>> {
    if node.cached_kind() == "collection_literal" {
        return named_children(node);
    }
    if let Some(call) = super::syntax::call(node, source) {
        if call.receiver.is_none() && call.name == "arrayOf" {
            return call.args;
        }
    }
    vec![node]
}
