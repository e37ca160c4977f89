//! The status an ASP.NET Core handler answers on each return path:
//! `Results.StatusCode(500)`, `Results.Problem()`, `TypedResults.Ok()`,
//! controller helpers (`StatusCode(503)`, `NotFound()`), `new
//! StatusCodeResult(503)`; a plain value is 200.

use crate::java::syntax::{named_children, parse_integer, Source};
use crate::treesitter::NodeNames;
use tree_sitter::Node;

/// Result helpers with a fixed status (`Results.X`, `TypedResults.X`,
/// controller methods `X(...)`).
const HELPERS: &[(&str, u16)] = &[
    ("Ok", 200),
    ("Json", 200),
    ("Text", 200),
    ("Content", 200),
    ("File", 200),
    ("Bytes", 200),
    ("Stream", 200),
    ("Empty", 200),
    ("Created", 201),
    ("CreatedAtAction", 201),
    ("CreatedAtRoute", 201),
    ("Accepted", 202),
    ("AcceptedAtAction", 202),
    ("NoContent", 204),
    ("Redirect", 302),
    ("LocalRedirect", 302),
    ("BadRequest", 400),
    ("ValidationProblem", 400),
    ("Unauthorized", 401),
    ("Forbid", 403),
    ("NotFound", 404),
    ("Conflict", 409),
    ("UnprocessableEntity", 422),
    ("Problem", 500),
    ("InternalServerError", 500),
];

/// Result types created with `new` and their status.
const RESULT_TYPES: &[(&str, u16)] = &[
    ("OkResult", 200),
    ("OkObjectResult", 200),
    ("NoContentResult", 204),
    ("BadRequestResult", 400),
    ("BadRequestObjectResult", 400),
    ("UnauthorizedResult", 401),
    ("NotFoundResult", 404),
    ("NotFoundObjectResult", 404),
    ("ConflictResult", 409),
];

/// A status written as `500`, `StatusCodes.Status503ServiceUnavailable`,
/// `(int)HttpStatusCode.ServiceUnavailable`, `HttpStatusCode.BadGateway`.
pub fn status_value(node: Node<'_>, source: &Source<'_>) -> Option<u16> {
    let mut node = node;
    for _ in 0..8 {
        match node.cached_kind() {
            "argument" | "parenthesized_expression" => node = *named_children(node).last()?,
            "cast_expression" => node = node.field_child("value")?,
            _ => break,
        }
    }
    match node.cached_kind() {
        "integer_literal" => u16::try_from(parse_integer(source.text_of(node))?).ok(),
        "member_access_expression" => {
            let name = source.text_of(node.field_child("name")?);
            if let Some(rest) = name.strip_prefix("Status") {
                let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                return digits.parse().ok();
            }
            crate::common::http_status::by_camel(name)
        }
        _ => None,
    }
}

/// `Some(Some(s))` a known status, `Some(None)` computed, `None` a plain
/// value (200).
pub fn result_status(expr: Node<'_>, source: &Source<'_>) -> Option<Option<u16>> {
    let mut expr = expr;
    for _ in 0..8 {
        match expr.cached_kind() {
            "parenthesized_expression" => expr = *named_children(expr).first()?,
            "await_expression" => return Some(None),
            _ => break,
        }
    }
    match expr.cached_kind() {
        "invocation_expression" => Some(helper_status(expr, source)),
        "object_creation_expression" => {
            let ty = expr.field_child("type").map_or("", |t| source.text_of(t));
            let ty = ty.rsplit('.').next().unwrap_or(ty);
            let args: Vec<Node<'_>> = expr
                .field_child("arguments")
                .map(named_children)
                .unwrap_or_default();
            if ty == "StatusCodeResult" || ty == "StatusCodeHttpResult" {
                return Some(args.first().and_then(|a| status_value(*a, source)));
            }
            if let Some((_, s)) = RESULT_TYPES.iter().find(|(n, _)| *n == ty) {
                return Some(Some(*s));
            }
            if ty == "ObjectResult" {
                return Some(initializer_status(expr, source));
            }
            // Some other object: serialized as a JSON body.
            None
        }
        "string_literal"
        | "verbatim_string_literal"
        | "interpolated_string_expression"
        | "anonymous_object_creation_expression"
        | "integer_literal"
        | "boolean_literal"
        | "raw_string_literal" => None,
        // A variable or anything else may hold any result.
        _ => Some(None),
    }
}

fn helper_status(call: Node<'_>, source: &Source<'_>) -> Option<u16> {
    let function = call.field_child("function")?;
    let (receiver, name) = match function.cached_kind() {
        "member_access_expression" => (
            function
                .field_child("expression")
                .map(|r| source.text_of(r)),
            source.text_of(function.field_child("name")?),
        ),
        "identifier" | "generic_name" => (None, source.text_of(function)),
        _ => return None,
    };
    if receiver.is_some_and(|r| !matches!(r, "Results" | "TypedResults" | "this")) {
        return None;
    }
    let name = name.split('<').next().unwrap_or(name);
    let args: Vec<Node<'_>> = call
        .field_child("arguments")
        .map(named_children)
        .unwrap_or_default();
    // `statusCode: 503` wins for helpers that take one.
    let named = args.iter().find(|a| {
        a.field_child("name")
            .is_some_and(|n| source.text_of(n) == "statusCode")
    });
    if let Some(arg) = named {
        return status_value(*arg, source);
    }
    if name == "StatusCode" {
        return args.first().and_then(|a| status_value(*a, source));
    }
    HELPERS.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

/// `new ObjectResult(x) { StatusCode = 503 }`.
fn initializer_status(creation: Node<'_>, source: &Source<'_>) -> Option<u16> {
    let initializer = creation.field_child("initializer")?;
    for assignment in named_children(initializer) {
        if assignment.cached_kind() != "assignment_expression" {
            continue;
        }
        let left = assignment.field_child("left").map(|l| source.text_of(l));
        if left == Some("StatusCode") {
            return status_value(assignment.field_child("right")?, source);
        }
    }
    Some(200)
}
