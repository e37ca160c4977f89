//! The HTTP status each return path of a Spring or JAX-RS handler answers.

use super::syntax::{last_segment, named_children, parse_integer, Source};
use crate::common::http_status::by_constant as status_by_name;
use crate::common::jvm::builder_status_by_name;
use crate::treesitter::NodeNames;
use tree_sitter::Node;

/// A status written as a number, `HttpStatus.X`, `Response.Status.X`,
/// `HttpStatus.valueOf(503)`, `HttpStatusCode.valueOf(503)`.
pub fn status_value(node: Node<'_>, source: &Source<'_>) -> Option<u16> {
    match node.cached_kind() {
        "decimal_integer_literal" | "hex_integer_literal" => {
            u16::try_from(parse_integer(source.text_of(node))?).ok()
        }
        "field_access" | "identifier" | "scoped_identifier" => {
            status_by_name(last_segment(source.text_of(node)))
        }
        "parenthesized_expression" => status_value(*named_children(node).first()?, source),
        "method_invocation" => {
            let name = source.text_of(node.field_child("name")?);
            if name != "valueOf" && name != "resolve" {
                return None;
            }
            let args = named_children(node.field_child("arguments")?);
            status_value(*args.first()?, source)
        }
        _ => None,
    }
}

/// What a `return` expression answers: `Some(Some(s))` a known status,
/// `Some(None)` computed, `None` when it is a plain body (the handler's
/// default status applies).
pub fn returned_status(expr: Node<'_>, source: &Source<'_>) -> Option<Option<u16>> {
    // Walk down a builder chain `ResponseEntity.status(503).body(x)` to its
    // first call, which carries the status. Bounded: a chain is short.
    let mut node = expr;
    for _ in 0..64 {
        match node.cached_kind() {
            "parenthesized_expression" => {
                node = *named_children(node).first()?;
            }
            "method_invocation" => {
                let Some(object) = node.field_child("object") else {
                    return Some(None);
                };
                let name = node.field_child("name").map_or("", |n| source.text_of(n));
                let receiver = source.text_of(object);
                if is_response_class(last_segment(receiver)) {
                    return Some(builder_status(node, name, source));
                }
                if object.cached_kind() == "method_invocation" {
                    node = object;
                    continue;
                }
                // Some other call: its result may be anything.
                return Some(None);
            }
            "object_creation_expression" => {
                let type_name = node.field_child("type").map_or("", |t| source.text_of(t));
                if !type_name.starts_with("ResponseEntity") {
                    return None;
                }
                let args = node
                    .field_child("arguments")
                    .map(named_children)
                    .unwrap_or_default();
                // `new ResponseEntity<>(body, headers, status)`: the status is last.
                return Some(args.last().and_then(|a| status_value(*a, source)));
            }
            // A string, an object, a variable: a body with the default status.
            _ => return None,
        }
    }
    Some(None)
}

fn is_response_class(name: &str) -> bool {
    matches!(
        name,
        "ResponseEntity" | "Response" | "RestResponse" | "HttpResponse"
    )
}

fn builder_status(call: Node<'_>, name: &str, source: &Source<'_>) -> Option<u16> {
    if name == "status" {
        let args = named_children(call.field_child("arguments")?);
        return status_value(*args.first()?, source);
    }
    builder_status_by_name(name)
}

/// `throw new ResponseStatusException(HttpStatus.X, …)` /
/// `throw new WebApplicationException(503)` / `ServiceUnavailableException()`.
pub fn thrown_status(expr: Node<'_>, source: &Source<'_>) -> Option<Option<u16>> {
    if expr.cached_kind() != "object_creation_expression" {
        return None;
    }
    let type_name = last_segment(expr.field_child("type").map_or("", |t| source.text_of(t)));
    let args = expr
        .field_child("arguments")
        .map(named_children)
        .unwrap_or_default();
    match type_name {
        "ResponseStatusException"
        | "WebApplicationException"
        | "HttpServerErrorException"
        | "HttpClientErrorException" => Some(args.first().and_then(|a| status_value(*a, source))),
        "ServiceUnavailableException" => Some(Some(503)),
        "InternalServerErrorException" => Some(Some(500)),
        "NotFoundException" => Some(Some(404)),
        "BadRequestException" => Some(Some(400)),
        // Any other exception: Spring answers 500 unless an exception handler
        // maps it, which seamcheck cannot see from here.
        _ => Some(None),
    }
}
