//! Java annotations as written: `@GetMapping("/x")`,
//! `@RequestMapping(value = {"/a", "/b"}, method = RequestMethod.GET)`.

use super::syntax::{last_segment, named_children, Source};
use crate::treesitter::NodeNames;
use tree_sitter::Node;

pub struct Annotation<'t> {
    /// Simple name (`GetMapping` for `@org.springframework.….GetMapping`).
    pub name: &'t str,
    pub node: Node<'t>,
    /// The single unnamed argument (`@GetMapping("/x")`), if any.
    pub value: Option<Node<'t>>,
    /// `key = value` arguments.
    pub pairs: Vec<(&'t str, Node<'t>)>,
}

impl<'t> Annotation<'t> {
    pub fn get(&self, key: &str) -> Option<Node<'t>> {
        self.pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }

    /// `value =` or `path =` or the unnamed argument.
    pub fn path_argument(&self) -> Option<Node<'t>> {
        self.value
            .or_else(|| self.get("value"))
            .or_else(|| self.get("path"))
    }
}

/// The annotations of a declaration (class, method): those in its
/// `modifiers` child.
pub fn of<'t>(declaration: Node<'t>, source: &Source<'t>) -> Vec<Annotation<'t>> {
    in_modifiers(declaration, named_children, |a| read(a, source))
}

/// The annotations in a declaration's `modifiers` child, for a JVM grammar
/// (Java, Kotlin) given its way of listing children and reading one annotation.
pub(crate) fn in_modifiers<'t>(
    declaration: Node<'t>,
    children: fn(Node<'t>) -> Vec<Node<'t>>,
    read: impl Fn(Node<'t>) -> Option<Annotation<'t>>,
) -> Vec<Annotation<'t>> {
    children(declaration)
        .into_iter()
        .filter(|c| c.cached_kind() == "modifiers")
        .flat_map(children)
        .filter_map(read)
        .collect()
}

fn read<'t>(node: Node<'t>, source: &Source<'t>) -> Option<Annotation<'t>> {
    if node.cached_kind() != "annotation" && node.cached_kind() != "marker_annotation" {
        return None;
    }
    let name = last_segment(source.text_of(node.field_child("name")?));
    let mut annotation = Annotation {
        name,
        node,
        value: None,
        pairs: Vec::new(),
    };
    if let Some(arguments) = node.field_child("arguments") {
        for argument in named_children(arguments) {
            if argument.cached_kind() == "element_value_pair" {
                let key = argument.field_child("key").map(|k| source.text_of(k));
                let value = argument.field_child("value");
                if let (Some(key), Some(value)) = (key, value) {
                    annotation.pairs.push((key, value));
                }
            } else if annotation.value.is_none() {
                annotation.value = Some(argument);
            }
        }
    }
    Some(annotation)
}

/// The string values of an annotation argument: one string literal or an
/// array of them (`{"/a", "/b"}`), each with its node. `None` when any
/// element is not a constant string.
pub fn strings<'t>(node: Node<'t>, source: &Source<'t>) -> Option<Vec<(String, Node<'t>)>> {
    if node.cached_kind() == "element_value_array_initializer" {
        return named_children(node)
            .into_iter()
            .map(|e| string_literal(e, source).map(|s| (s, e)))
            .collect();
    }
    Some(vec![(string_literal(node, source)?, node)])
}

/// A Java string literal without interpolation, escapes decoded.
pub fn string_literal(node: Node<'_>, source: &Source<'_>) -> Option<String> {
    if node.cached_kind() != "string_literal" {
        return None;
    }
    let mut out = String::new();
    for part in named_children(node) {
        let text = source.text_of(part);
        match part.cached_kind() {
            "string_fragment" | "multiline_string_fragment" => out.push_str(text),
            "escape_sequence" => out.push(match text {
                "\\n" => '\n',
                "\\t" => '\t',
                "\\\"" => '"',
                "\\'" => '\'',
                "\\\\" => '\\',
                _ => return None,
            }),
            _ => return None,
        }
    }
    Some(out)
}

/// Names in an annotation argument: `RequestMethod.GET` or
/// `{RequestMethod.GET, RequestMethod.HEAD}` -> `["GET", "HEAD"]`.
pub fn enum_names(node: Node<'_>, source: &Source<'_>) -> Vec<String> {
    let items = if node.cached_kind() == "element_value_array_initializer" {
        named_children(node)
    } else {
        vec![node]
    };
    items
        .into_iter()
        .map(|i| last_segment(source.text_of(i)).to_string())
        .collect()
}
