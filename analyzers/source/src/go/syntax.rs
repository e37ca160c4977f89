//! Small, panic-free helpers over the tree-sitter Go tree.

use crate::treesitter::NodeNames;
pub use crate::treesitter::{all_nodes, named_children, walk, Source};
use tree_sitter::Node;

/// Bounds loops that descend one level per iteration.
pub const MAX_CHAIN: usize = 64;

/// Function declarations, methods and function literals.
pub fn is_function(node: Node<'_>) -> bool {
    matches!(
        node.cached_kind(),
        "function_declaration" | "method_declaration" | "func_literal"
    )
}

/// Nodes of a function's own body: not inside nested function literals.
pub fn own_body_nodes<'t>(function: Node<'t>) -> Vec<Node<'t>> {
    let Some(body) = function.field_child("body") else {
        return Vec::new();
    };
    let mut nodes = Vec::new();
    walk(body, (), |node, _| {
        if node.id() != body.id() && is_function(node) {
            return None;
        }
        nodes.push(node);
        Some(())
    });
    nodes
}

/// Strips parentheses.
pub fn strip(mut node: Node<'_>) -> Node<'_> {
    for _ in 0..MAX_CHAIN {
        if node.cached_kind() != "parenthesized_expression" {
            break;
        }
        match named_children(node).first() {
            Some(inner) => node = *inner,
            None => break,
        }
    }
    node
}

pub fn call_args<'t>(call: Node<'t>) -> Vec<Node<'t>> {
    match call.field_child("arguments") {
        Some(list) => named_children(list),
        None => Vec::new(),
    }
}

/// `pkg.Name` / `x.y.z` / `x` as a dotted name.
pub fn dotted_name(node: Node<'_>, source: &Source<'_>) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    let mut current = strip(node);
    for _ in 0..MAX_CHAIN {
        match current.cached_kind() {
            "identifier" | "field_identifier" | "package_identifier" | "type_identifier" => {
                parts.push(source.text_of(current));
                parts.reverse();
                return Some(parts.join("."));
            }
            "selector_expression" => {
                parts.push(source.text_of(current.field_child("field")?));
                current = strip(current.field_child("operand")?);
            }
            "qualified_type" => {
                parts.push(source.text_of(current.field_child("name")?));
                current = current.field_child("package")?;
            }
            _ => return None,
        }
    }
    None
}

/// A string literal's value and the byte offset of its first character in
/// the file (escapes decoded for interpreted strings).
pub fn string_value(node: Node<'_>, source: &Source<'_>) -> Option<(String, usize)> {
    let node = strip(node);
    match node.cached_kind() {
        "interpreted_string_literal" => {
            let mut value = String::new();
            for child in named_children(node) {
                match child.cached_kind() {
                    "interpreted_string_literal_content" => value.push_str(source.text_of(child)),
                    "escape_sequence" => {
                        let t = source.text_of(child);
                        value.push_str(match t {
                            "\\n" => "\n",
                            "\\t" => "\t",
                            "\\\"" => "\"",
                            "\\\\" => "\\",
                            _ => t,
                        });
                    }
                    _ => return None,
                }
            }
            Some((value, node.start_byte().saturating_add(1)))
        }
        "raw_string_literal" => {
            let text = source.text_of(node);
            let inner = text.strip_prefix('`')?.strip_suffix('`')?;
            Some((inner.to_string(), node.start_byte().saturating_add(1)))
        }
        _ => None,
    }
}

/// An integer literal (`8080`, `8_080`, `0x1F90`).
pub fn int_value(node: Node<'_>, source: &Source<'_>) -> Option<i64> {
    let node = strip(node);
    if node.cached_kind() != "int_literal" {
        return None;
    }
    let digits: String = source.text_of(node).chars().filter(|c| *c != '_').collect();
    let lower = digits.to_ascii_lowercase();
    if let Some(hex) = lower.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok();
    }
    if let Some(oct) = lower.strip_prefix("0o") {
        return i64::from_str_radix(oct, 8).ok();
    }
    if let Some(bin) = lower.strip_prefix("0b") {
        return i64::from_str_radix(bin, 2).ok();
    }
    lower.parse().ok()
}

/// A float or integer literal.
pub fn number_value(node: Node<'_>, source: &Source<'_>) -> Option<f64> {
    let node = strip(node);
    match node.cached_kind() {
        "int_literal" => int_value(node, source).map(|v| v as f64),
        "float_literal" => source.text_of(node).replace('_', "").parse().ok(),
        _ => None,
    }
}

/// Parameter (name, type text) pairs of a function, in order.
pub fn parameters<'t>(function: Node<'t>, source: &Source<'t>) -> Vec<(String, String)> {
    let Some(list) = function.field_child("parameters") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for decl in named_children(list) {
        if decl.cached_kind() != "parameter_declaration" {
            continue;
        }
        let ty = decl
            .field_child("type")
            .map_or("", |t| source.text_of(t))
            .to_string();
        let mut cursor = decl.walk();
        let names: Vec<Node<'t>> = decl.children_by_field_name("name", &mut cursor).collect();
        if names.is_empty() {
            out.push((String::new(), ty.clone()));
        }
        for name in names {
            out.push((source.text_of(name).to_string(), ty.clone()));
        }
    }
    out
}
