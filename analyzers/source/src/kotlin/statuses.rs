//! The HTTP status each return path of a Kotlin Spring handler answers.
//! Status names and builder names are the Java module's (same Spring API).

use super::syntax::{call, last_segment, named_children, parse_integer, Source};
use crate::common::http_status::by_constant as status_by_name;
use crate::common::jvm::builder_status_by_name;
use crate::treesitter::NodeNames;
use tree_sitter::Node;

/// A status written as a number, `HttpStatus.X`, `HttpStatus.valueOf(503)`.
pub fn status_value(node: Node<'_>, source: &Source<'_>) -> Option<u16> {
    match node.cached_kind() {
        "number_literal" => u16::try_from(parse_integer(source.text_of(node))?).ok(),
        "navigation_expression" | "identifier" => {
            status_by_name(last_segment(source.text_of(node)))
        }
        "parenthesized_expression" => status_value(*named_children(node).first()?, source),
        "call_expression" => {
            let c = call(node, source)?;
            if c.name != "valueOf" {
                return None;
            }
            status_value(*c.args.first()?, source)
        }
        _ => None,
    }
}

/// The status of a returned expression: `Some(Some(s))` constant,
/// `Some(None)` computed, `None` when it is a plain body (the handler's
/// default status applies).
pub fn returned_status(expr: Node<'_>, source: &Source<'_>) -> Option<Option<u16>> {
    // Walk down a builder chain `ResponseEntity.status(503).body(x)` to its
    // first call, which carries the status. Bounded: a chain is short.
    let mut node = expr;
    for _ in 0..64 {
        match node.cached_kind() {
            "parenthesized_expression" => node = *named_children(node).first()?,
            "call_expression" => {
                let Some(c) = call(node, source) else {
                    return Some(None);
                };
                let Some(receiver) = c.receiver else {
                    // `ResponseEntity(body, HttpStatus.X)`: the status is last.
                    if c.name == "ResponseEntity" {
                        return Some(c.args.last().and_then(|a| status_value(*a, source)));
                    }
                    return Some(None);
                };
                if last_segment(source.text_of(receiver)) == "ResponseEntity" {
                    return Some(if c.name == "status" {
                        c.args.first().and_then(|a| status_value(*a, source))
                    } else {
                        builder_status_by_name(c.name)
                    });
                }
                if receiver.cached_kind() == "call_expression" {
                    node = receiver;
                    continue;
                }
                return Some(None);
            }
            // A string, an object, a variable: a body with the default status.
            _ => return None,
        }
    }
    Some(None)
}

/// `throw ResponseStatusException(HttpStatus.X, …)`.
pub fn thrown_status(expr: Node<'_>, source: &Source<'_>) -> Option<Option<u16>> {
    let c = call(expr, source)?;
    if c.receiver.is_some() {
        return Some(None);
    }
    match c.name {
        "ResponseStatusException" | "HttpServerErrorException" | "HttpClientErrorException" => {
            Some(c.args.first().and_then(|a| status_value(*a, source)))
        }
        // Any other exception: Spring answers 500 unless an exception handler
        // maps it, which seamcheck cannot see from here.
        _ => Some(None),
    }
}
