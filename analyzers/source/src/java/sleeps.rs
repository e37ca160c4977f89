//! Blocking sleeps in a handler's own body: `Thread.sleep(ms)`,
//! `TimeUnit.SECONDS.sleep(n)`. Code in lambdas, anonymous or local classes
//! runs elsewhere (an executor, a callback) and is not the handler's.

use super::syntax::{named_children, parse_integer, Source};
use crate::common::jvm::{find_with, seconds_per_unit, Sleep, SleepGrammar};
use crate::treesitter::NodeNames;
use seamcheck_facts::source::HandlerSleep;
use tree_sitter::Node;

/// How Java reads configuration in a condition; the fault-injection words
/// themselves are shared (`common::guard`).
const CONFIG_WORDS: &[&str] = &["getenv", "getproperty", "environment"];

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
    constant
        || crate::words::mentions_any(text, CONFIG_WORDS)
        || crate::common::guard::mentions_fault_word(text)
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
