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

pub fn find(
    body: Node<'_>,
    handler: &str,
    is_async: bool,
    source: &Source<'_>,
) -> Vec<HandlerSleep> {
    let mut out = Vec::new();
    walk(body, None::<Node<'_>>, |node, guard| {
        if node.id() != body.id() && is_elsewhere(node.cached_kind()) {
            return None;
        }
        if node.cached_kind() == "method_invocation" {
            if let Some(seconds) = sleep_seconds(node, source) {
                out.push(HandlerSleep {
                    call: call_name(node, source),
                    seconds,
                    handler: handler.to_string(),
                    handler_is_async: is_async,
                    guarded: guard.is_some(),
                    loc: source.loc(node),
                    guard_condition: guard.map(|g| source.loc(g)),
                });
            }
        }
        if node.cached_kind() == "if_statement" {
            if let Some(condition) = node.field_child("condition") {
                if is_guard(condition, source) {
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

fn call_name(node: Node<'_>, source: &Source<'_>) -> String {
    let object = node.field_child("object").map_or("", |o| source.text_of(o));
    format!("{object}.sleep")
}

/// `Some(seconds)` when the call is a blocking sleep (`seconds` `None` when
/// not a constant).
fn sleep_seconds(node: Node<'_>, source: &Source<'_>) -> Option<Option<f64>> {
    let name = source.text_of(node.field_child("name")?);
    if name != "sleep" {
        return None;
    }
    let object = source.text_of(node.field_child("object")?);
    let unit = object.rsplit('.').next().unwrap_or(object);
    let per_unit = match (object, unit) {
        ("Thread" | "java.lang.Thread", _) => 0.001,
        (_, "NANOSECONDS") => 1e-9,
        (_, "MICROSECONDS") => 1e-6,
        (_, "MILLISECONDS") => 0.001,
        (_, "SECONDS") => 1.0,
        (_, "MINUTES") => 60.0,
        (_, "HOURS") => 3600.0,
        _ => return None,
    };
    let args = named_children(node.field_child("arguments")?);
    let amount = args
        .first()
        .filter(|a| a.cached_kind() == "decimal_integer_literal")
        .and_then(|a| parse_integer(source.text_of(*a)));
    Some(amount.map(|n| n as f64 * per_unit))
}
