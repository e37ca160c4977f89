//! C# string literals: constant values, and where their contents start so a
//! part of a URL can be located exactly.

use crate::java::syntax::{named_children, Source};
use crate::treesitter::NodeNames;
use tree_sitter::Node;

/// A constant string and the file offset of its first content byte, when
/// every content byte maps one-to-one onto the value (no escapes).
pub struct Constant {
    pub value: String,
    pub content_start: Option<usize>,
}

pub fn constant(node: Node<'_>, source: &Source<'_>) -> Option<Constant> {
    match node.cached_kind() {
        "string_literal" => {
            let mut value = String::new();
            let mut exact = true;
            for part in named_children(node) {
                let text = source.text_of(part);
                match part.cached_kind() {
                    "string_literal_content" => value.push_str(text),
                    "escape_sequence" => {
                        exact = false;
                        value.push(match text {
                            "\\n" => '\n',
                            "\\t" => '\t',
                            "\\\"" => '"',
                            "\\\\" => '\\',
                            "\\'" => '\'',
                            _ => return None,
                        });
                    }
                    "string_literal_encoding" => {}
                    _ => return None,
                }
            }
            Some(Constant {
                value,
                content_start: exact.then(|| node.start_byte() + 1),
            })
        }
        "verbatim_string_literal" => {
            let text = source.text_of(node);
            let inner = text.strip_prefix("@\"")?.strip_suffix('"')?;
            Some(Constant {
                value: inner.replace("\"\"", "\""),
                content_start: (!inner.contains("\"\"")).then(|| node.start_byte() + 2),
            })
        }
        _ => None,
    }
}
