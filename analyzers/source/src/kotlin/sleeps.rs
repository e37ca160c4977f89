//! Blocking sleeps in a handler's own body: `Thread.sleep(ms)`,
//! `TimeUnit.SECONDS.sleep(n)`. Code in lambdas, object expressions, local
//! functions and classes runs elsewhere and is not the handler's.

use super::syntax::{call, parse_integer, walk, Source};
use crate::treesitter::NodeNames;
use seamcheck_facts::source::HandlerSleep;
use tree_sitter::Node;

/// Words of an `if` condition that make a sleep deliberate fault injection.
const GUARD_WORDS: &[&str] = &[
    "getenv",
    "property",
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
        if let Some((object, seconds)) = sleep_seconds(node, source) {
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
        if node.cached_kind() == "if_expression" {
            if let Some(condition) = node.field_child("condition") {
                if crate::words::mentions_any(source.text_of(condition), GUARD_WORDS) {
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
        "lambda_literal"
            | "anonymous_function"
            | "object_literal"
            | "function_declaration"
            | "class_declaration"
            | "object_declaration"
    )
}

/// `Some((receiver, seconds))` when the node is a blocking sleep call
/// (`seconds` `None` when not a constant).
fn sleep_seconds<'s>(node: Node<'_>, source: &Source<'s>) -> Option<(&'s str, Option<f64>)> {
    let c = call(node, source)?;
    if c.name != "sleep" {
        return None;
    }
    let object = source.text_of(c.receiver?);
    let unit = object.rsplit('.').next().unwrap_or(object);
    let per_unit = match (object, unit) {
        ("Thread" | "java.lang.Thread", _) => 0.001,
        (_, "MILLISECONDS") => 0.001,
        (_, "SECONDS") => 1.0,
        (_, "MINUTES") => 60.0,
        _ => return None,
    };
    let amount = c
        .args
        .first()
        .filter(|a| a.cached_kind() == "number_literal")
        .and_then(|a| parse_integer(source.text_of(*a)));
    Some((object, amount.map(|n| n as f64 * per_unit)))
}
