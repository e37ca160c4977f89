//! What Java and Kotlin share: the walk for blocking sleeps in a handler's
//! body (each grammar says which nodes run elsewhere, what a sleep call and a
//! guarding `if` look like), the `Thread.sleep`/`TimeUnit` units, and the
//! `ResponseEntity` builders with a fixed status. Status names
//! (`HttpStatus.SERVICE_UNAVAILABLE`) are in `common::http_status`.

use crate::java::syntax::{walk, Source};
use crate::treesitter::NodeNames;
use seamcheck_facts::source::HandlerSleep;
use tree_sitter::Node;

/// `(receiver as written, seconds)` of a blocking sleep call; `seconds` is
/// `None` when not a constant.
pub type Sleep<'s> = (&'s str, Option<f64>);

/// What differs between the JVM grammars (Java, Kotlin) in the walk for
/// sleeps in a handler's body.
pub struct SleepGrammar {
    /// Nodes whose code does not run as part of the enclosing body.
    pub is_elsewhere: fn(&str) -> bool,
    /// The `if` node (`if_statement`, `if_expression`).
    pub if_kind: &'static str,
    /// The sleep, when the node is a blocking sleep call.
    pub sleep: for<'s> fn(Node<'_>, &Source<'s>) -> Option<Sleep<'s>>,
    /// The `if` condition makes a sleep under it deliberate fault injection.
    pub is_guard: fn(Node<'_>, &Source<'_>) -> bool,
}

/// The sleeps in `body`, not counting code that runs elsewhere; a sleep
/// under a guarding `if` is marked guarded, with the condition's location.
pub fn find_with(
    grammar: &SleepGrammar,
    body: Node<'_>,
    handler: &str,
    is_async: bool,
    source: &Source<'_>,
) -> Vec<HandlerSleep> {
    let mut out = Vec::new();
    walk(body, None::<Node<'_>>, |node, guard| {
        if node.id() != body.id() && (grammar.is_elsewhere)(node.cached_kind()) {
            return None;
        }
        if let Some((object, seconds)) = (grammar.sleep)(node, source) {
            out.push(HandlerSleep {
                call: format!("{object}.sleep"),
                seconds,
                handler: handler.to_string(),
                handler_is_async: is_async,
                guarded: guard.is_some(),
                loc: source.loc(node),
                guard_condition: guard.map(|g| source.loc(g)),
            });
        }
        if node.cached_kind() == grammar.if_kind {
            if let Some(condition) = node.field_child("condition") {
                if (grammar.is_guard)(condition, source) {
                    return Some(Some(condition));
                }
            }
        }
        Some(*guard)
    });
    out
}

/// Seconds per unit of `Thread.sleep(ms)` and `TimeUnit.X.sleep(n)`, by
/// the receiver as written; `None` for any other receiver.
pub fn seconds_per_unit(object: &str) -> Option<f64> {
    let unit = object.rsplit('.').next().unwrap_or(object);
    match (object, unit) {
        ("Thread" | "java.lang.Thread", _) => Some(0.001),
        (_, "NANOSECONDS") => Some(1e-9),
        (_, "MICROSECONDS") => Some(1e-6),
        (_, "MILLISECONDS") => Some(0.001),
        (_, "SECONDS") => Some(1.0),
        (_, "MINUTES") => Some(60.0),
        (_, "HOURS") => Some(3600.0),
        _ => None,
    }
}

/// `ResponseEntity.x()` / `Response.x()` builders with a fixed status.
const BUILDERS: &[(&str, u16)] = &[
    ("ok", 200),
    ("created", 201),
    ("accepted", 202),
    ("noContent", 204),
    ("seeOther", 303),
    ("temporaryRedirect", 307),
    ("badRequest", 400),
    ("notFound", 404),
    ("unprocessableEntity", 422),
    ("internalServerError", 500),
    ("serverError", 500),
    ("notAcceptable", 406),
];

/// The fixed status of a `ResponseEntity.x()` builder (`internalServerError`
/// -> 500); shared with the Kotlin module.
pub fn builder_status_by_name(name: &str) -> Option<u16> {
    BUILDERS.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}
