//! Small, panic-free helpers over the tree-sitter Python tree: node text,
//! locations, bounded tree walks, string literals and call arguments.

use crate::treesitter::NodeNames;
pub use crate::treesitter::{named_children, Source};
use tree_sitter::Node;

/// Function, class and lambda bodies open a new scope: code in them does not
/// run where it is written.
pub fn opens_scope(node: Node<'_>) -> bool {
    matches!(
        node.cached_kind(),
        "function_definition" | "class_definition" | "lambda"
    )
}

/// Every node of `root`'s scope (not inside a nested def, class or lambda),
/// `root` included, in source order.
pub fn scope_nodes<'t>(source: &Source<'t>, root: Node<'t>) -> Vec<Node<'t>> {
    source.scope_nodes(root, opens_scope)
}

/// Strips redundant parentheses: `((8080))` -> `8080`, iteratively.
pub fn unparenthesize(mut node: Node<'_>) -> Node<'_> {
    while node.cached_kind() == "parenthesized_expression" {
        match named_children(node).as_slice() {
            [inner] => node = *inner,
            _ => break,
        }
    }
    node
}

/// The arguments of a call, split into positional and keyword arguments.
/// `*args`/`**kwargs` may carry any argument, so `splat` tells callers not
/// to trust a missing one.
pub struct CallArgs<'t> {
    pub positional: Vec<Node<'t>>,
    /// (keyword, value)
    pub keywords: Vec<(&'t str, Node<'t>)>,
    /// The first `*args` or `**kwargs`, if any.
    pub splat: Option<Node<'t>>,
}

impl<'t> CallArgs<'t> {
    pub fn of(call: Node<'t>, source: &Source<'t>) -> CallArgs<'t> {
        let mut args = CallArgs {
            positional: Vec::new(),
            keywords: Vec::new(),
            splat: None,
        };
        let Some(list) = call.field_child("arguments") else {
            return args;
        };
        if list.cached_kind() != "argument_list" {
            return args;
        }
        for child in named_children(list) {
            match child.cached_kind() {
                "keyword_argument" => {
                    let name = child.field_child("name");
                    let value = child.field_child("value");
                    if let (Some(name), Some(value)) = (name, value) {
                        args.keywords.push((source.text_of(name), value));
                    }
                }
                "list_splat" | "dictionary_splat" => {
                    args.splat = args.splat.or(Some(child));
                }
                _ => args.positional.push(child),
            }
        }
        args
    }

    pub fn keyword(&self, name: &str) -> Option<Node<'t>> {
        self.keywords
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| *v)
    }

    /// A parameter that may be passed by position or by keyword.
    pub fn get(&self, position: usize, name: &str) -> Option<Node<'t>> {
        self.keyword(name)
            .or_else(|| self.positional.get(position).copied())
    }
}

/// The dotted name of an expression made of identifiers and attributes
/// (`uvicorn.run`, `app`), or `None` for anything else (`get_app().run`).
pub fn dotted_name(node: Node<'_>, source: &Source<'_>) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    let mut current = node;
    // Each step goes one attribute down; the bound stops pathological chains.
    for _ in 0..64 {
        match current.cached_kind() {
            "identifier" => {
                parts.push(source.text_of(current));
                parts.reverse();
                return Some(parts.join("."));
            }
            "attribute" => {
                let attribute = current.field_child("attribute")?;
                parts.push(source.text_of(attribute));
                current = current.field_child("object")?;
            }
            _ => return None,
        }
    }
    None
}

/// The value of a constant string literal (`"/x"`, `'a' 'b'`, `r"\d"`), with
/// escapes decoded. `None` for f-strings with interpolations, bytes, or
/// anything that is not a string.
pub fn string_value(node: Node<'_>, source: &Source<'_>) -> Option<String> {
    let node = unparenthesize(node);
    match node.cached_kind() {
        "string" => single_string_value(node, source),
        "concatenated_string" => {
            let mut value = String::new();
            for part in named_children(node) {
                value.push_str(&single_string_value(part, source)?);
            }
            Some(value)
        }
        _ => None,
    }
}

fn single_string_value(node: Node<'_>, source: &Source<'_>) -> Option<String> {
    if node.cached_kind() != "string" {
        return None;
    }
    let mut value = String::new();
    let mut raw = false;
    for child in named_children(node) {
        match child.cached_kind() {
            "string_start" => {
                let prefix = source.text_of(child).to_ascii_lowercase();
                if prefix.contains('b') {
                    return None;
                }
                raw = prefix.contains('r');
            }
            "string_content" => {
                let text = source.text_of(child);
                if raw {
                    value.push_str(text);
                } else {
                    value.push_str(&decode_escapes(text));
                }
            }
            "interpolation" => return None,
            _ => {}
        }
    }
    Some(value)
}

/// Decodes the common Python escapes; unknown ones are kept as written, as
/// Python itself does.
fn decode_escapes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            Some('\'') => out.push('\''),
            Some('"') => out.push('"'),
            Some('\n') => {}
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// An integer literal's value (`8080`, `8_080`, `0x1F90`, `-1`). Signs are
/// applied in a bounded loop: `- - - … 1` must not recurse.
pub fn integer_value(node: Node<'_>, source: &Source<'_>) -> Option<i64> {
    let mut node = unparenthesize(node);
    let mut negative = false;
    for _ in 0..8 {
        match node.cached_kind() {
            "integer" => {
                let value = parse_integer(source.text_of(node))?;
                return if negative {
                    value.checked_neg()
                } else {
                    Some(value)
                };
            }
            "unary_operator" => {
                let operator = node.field_child("operator")?;
                match source.text_of(operator) {
                    "-" => negative = !negative,
                    "+" => {}
                    _ => return None,
                }
                node = unparenthesize(node.field_child("argument")?);
            }
            _ => return None,
        }
    }
    None
}

fn parse_integer(text: &str) -> Option<i64> {
    let digits: String = text.chars().filter(|c| *c != '_').collect();
    let lower = digits.to_ascii_lowercase();
    let (radix, body) = if let Some(rest) = lower.strip_prefix("0x") {
        (16, rest)
    } else if let Some(rest) = lower.strip_prefix("0o") {
        (8, rest)
    } else if let Some(rest) = lower.strip_prefix("0b") {
        (2, rest)
    } else {
        (10, lower.as_str())
    };
    i64::from_str_radix(body, radix).ok()
}

/// `async def` rather than `def`.
pub fn is_async_function(function: Node<'_>) -> bool {
    let mut cursor = function.walk();
    let is_async = function
        .children(&mut cursor)
        .next()
        .is_some_and(|first| first.cached_kind() == "async");
    is_async
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_in_every_base() {
        assert_eq!(parse_integer("8_080"), Some(8080));
        assert_eq!(parse_integer("0x1F90"), Some(8080));
        assert_eq!(parse_integer("0o17620"), Some(8080));
        assert_eq!(parse_integer("99999999999999999999999"), None);
    }

    #[test]
    fn escapes() {
        assert_eq!(decode_escapes(r"a\tb\\c\q"), "a\tb\\c\\q");
        assert_eq!(decode_escapes("end\\"), "end\\");
    }
}
