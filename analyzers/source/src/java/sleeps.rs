//! Blocking sleeps in a handler's own body: `Thread.sleep(ms)`,
//! `TimeUnit.SECONDS.sleep(n)`. Code in lambdas, anonymous or local classes
//! runs elsewhere (an executor, a callback) and is not the handler's.

use super::syntax::{named_children, parse_integer, walk, Source};
use crate::treesitter::NodeNames;
use seamcheck_facts::source::HandlerSleep;
use tree_sitter::Node;

/// Words of an `if` condition that make a sleep deliberate fault injection.
const GUARD_WORDS: &[&str] = &[
    "getenv",
    "getproperty",
    "chaos",
    "fault",
    "inject",
    "latency",
    "delay",
    "flag",
    "feature",
    "simulate",
    "slow",
    "environment",
];

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

const JAVA: SleepGrammar = SleepGrammar {
    is_elsewhere,
    if_kind: "if_statement",
    sleep: sleep_seconds,
    is_guard,
};

pub fn find(
    body: Node<'_>,
    handler: &str,
    is_async: bool,
    source: &Source<'_>,
) -> Vec<HandlerSleep> {
    find_with(&JAVA, body, handler, is_async, source)
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

/// Nodes whose code does not run as part of the enclosing body.
pub fn is_elsewhere(kind: &str) -> bool {
    matches!(
        kind,
        "lambda_expression" | "class_body" | "method_declaration" | "class_declaration"
    )
}

fn is_guard(condition: Node<'_>, source: &Source<'_>) -> bool {
    let text = source.text_of(condition);
    let inner = text.trim_matches(|c| c == '(' || c == ')' || c == ' ' || c == '!');
    let constant = !inner.is_empty()
        && inner
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_' || c == '.')
        && inner.chars().any(|c| c.is_ascii_uppercase());
    constant || crate::words::mentions_any(text, GUARD_WORDS)
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

fn sleep_seconds<'s>(node: Node<'_>, source: &Source<'s>) -> Option<Sleep<'s>> {
    if node.cached_kind() != "method_invocation" {
        return None;
    }
    let name = source.text_of(node.field_child("name")?);
    if name != "sleep" {
        return None;
    }
    let object = source.text_of(node.field_child("object")?);
    let per_unit = seconds_per_unit(object)?;
    let args = named_children(node.field_child("arguments")?);
    let amount = args
        .first()
        .filter(|a| a.cached_kind() == "decimal_integer_literal")
        .and_then(|a| parse_integer(source.text_of(*a)));
    Some((object, amount.map(|n| n as f64 * per_unit)))
}
