//! Small, panic-free helpers over the tree-sitter JavaScript/TypeScript tree:
//! node text, locations, a stack-free walk, literals, member chains, calls.

use crate::treesitter::scope_nodes;
use crate::treesitter::NodeNames;
pub use crate::treesitter::{all_nodes, named_children, walk, Source};
use tree_sitter::Node;

/// Bounds every loop that descends one level per iteration (member chains,
/// parentheses, `await`), so pathological input stays linear.
pub const MAX_CHAIN: usize = 64;

/// Functions of every form: code in them runs when called, not where written.
pub fn is_function(node: Node<'_>) -> bool {
    matches!(
        node.cached_kind(),
        "function_declaration"
            | "function_expression"
            | "function"
            | "arrow_function"
            | "method_definition"
            | "generator_function_declaration"
            | "generator_function"
    )
}

/// Every node inside `function`'s body, not inside nested functions when
/// `nested` is false.
pub fn body_nodes<'t>(function: Node<'t>, nested: bool) -> Vec<Node<'t>> {
    let Some(body) = function.field_child("body") else {
        return Vec::new();
    };
    if nested {
        all_nodes(body)
    } else {
        scope_nodes(body, is_function)
    }
}

/// Strips what does not change a value: parentheses, TypeScript `x as T`,
/// `x satisfies T`, `x!` and `<T>x`.
pub fn strip(mut node: Node<'_>) -> Node<'_> {
    for _ in 0..MAX_CHAIN {
        let children = named_children(node);
        let inner = match node.cached_kind() {
            "parenthesized_expression" | "non_null_expression" => children.first().copied(),
            "as_expression" | "satisfies_expression" => children.first().copied(),
            "type_assertion" => children.last().copied(),
            _ => None,
        };
        match inner {
            Some(inner) => node = inner,
            None => break,
        }
    }
    node
}

/// The arguments of a call or `new` expression (empty for a tagged template).
pub fn call_args<'t>(call: Node<'t>) -> Vec<Node<'t>> {
    match call.field_child("arguments") {
        Some(list) if list.cached_kind() == "arguments" => named_children(list),
        _ => Vec::new(),
    }
}

/// `a.b.c` as a dotted name (also `this.x`, `a?.b`, `a['b']`); `None` for
/// anything else (`f().x`).
pub fn dotted_name(node: Node<'_>, source: &Source<'_>) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    let mut current = strip(node);
    for _ in 0..MAX_CHAIN {
        match current.cached_kind() {
            "identifier" | "this" | "property_identifier" | "super" => {
                parts.push(source.text_of(current).to_string());
                parts.reverse();
                return Some(parts.join("."));
            }
            "member_expression" => {
                let property = current.field_child("property")?;
                parts.push(source.text_of(property).to_string());
                current = strip(current.field_child("object")?);
            }
            "subscript_expression" => {
                let index = current.field_child("index")?;
                parts.push(string_value(index, source)?);
                current = strip(current.field_child("object")?);
            }
            _ => return None,
        }
    }
    None
}

/// The value of a constant string (`'a'`, `"a"`, a template without `${}`),
/// escapes decoded.
pub fn string_value(node: Node<'_>, source: &Source<'_>) -> Option<String> {
    let node = strip(node);
    match node.cached_kind() {
        "string" | "template_string" => {
            let mut value = String::new();
            for child in named_children(node) {
                match child.cached_kind() {
                    "string_fragment" => value.push_str(source.text_of(child)),
                    "escape_sequence" => value.push_str(&decode_escape(source.text_of(child))),
                    _ => return None,
                }
            }
            Some(value)
        }
        _ => None,
    }
}

fn decode_escape(text: &str) -> String {
    match text {
        "\\n" => "\n".into(),
        "\\t" => "\t".into(),
        "\\r" => "\r".into(),
        "\\0" => "\0".into(),
        _ => text.get(1..).unwrap_or("").to_string(),
    }
}

/// A numeric literal's value (`3000`, `3_000`, `0x1F90`, `5e3`).
pub fn number_value(node: Node<'_>, source: &Source<'_>) -> Option<f64> {
    let node = strip(node);
    if node.cached_kind() != "number" {
        return None;
    }
    parse_number(source.text_of(node))
}

pub fn parse_number(text: &str) -> Option<f64> {
    let digits: String = text.chars().filter(|c| *c != '_').collect();
    let lower = digits.to_ascii_lowercase();
    let lower = lower.trim_end_matches('n');
    let radix = |prefix: &str, radix: u32| {
        lower
            .strip_prefix(prefix)
            .and_then(|b| i64::from_str_radix(b, radix).ok())
            .map(|v| v as f64)
    };
    radix("0x", 16)
        .or_else(|| radix("0o", 8))
        .or_else(|| radix("0b", 2))
        .or_else(|| lower.parse::<f64>().ok())
        .filter(|v| v.is_finite())
}

/// An integer literal in the range of a port or status code.
pub fn small_integer(node: Node<'_>, source: &Source<'_>) -> Option<u16> {
    let v = number_value(node, source)?;
    (v.fract() == 0.0 && (0.0..=65535.0).contains(&v)).then_some(v as u16)
}

/// `async` functions and methods.
pub fn is_async(function: Node<'_>) -> bool {
    let mut cursor = function.walk();
    let found = function
        .children(&mut cursor)
        .take_while(|c| {
            c.cached_kind() != "formal_parameters" && c.cached_kind() != "statement_block"
        })
        .any(|c| c.cached_kind() == "async");
    found
}

/// The object-literal property `key` (`{ port: 3000 }`, `{ port }`), as the
/// value node (for shorthand, the identifier itself).
pub fn property<'t>(object: Node<'t>, key: &str, source: &Source<'_>) -> Option<Node<'t>> {
    let object = strip(object);
    if object.cached_kind() != "object" {
        return None;
    }
    for child in named_children(object) {
        match child.cached_kind() {
            "pair" => {
                let k = child.field_child("key")?;
                let name = match k.cached_kind() {
                    "property_identifier" => Some(source.text_of(k).to_string()),
                    _ => string_value(k, source),
                };
                if name.as_deref() == Some(key) {
                    return child.field_child("value");
                }
            }
            "shorthand_property_identifier" if source.text_of(child) == key => {
                return Some(child);
            }
            _ => {}
        }
    }
    None
}

/// A spread (`...opts`) in an object literal: any property may hide in it.
pub fn has_spread(object: Node<'_>) -> bool {
    named_children(strip(object))
        .iter()
        .any(|c| c.cached_kind() == "spread_element")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_every_base() {
        assert_eq!(parse_number("3_000"), Some(3000.0));
        assert_eq!(parse_number("0x1F90"), Some(8080.0));
        assert_eq!(parse_number("5e3"), Some(5000.0));
        assert_eq!(parse_number("1e999"), None);
        assert_eq!(parse_number("abc"), None);
    }
}
