//! Blocking sleeps in a handler's own body: `Thread.sleep(ms)`,
//! `TimeUnit.SECONDS.sleep(n)`. Code in lambdas, object expressions, local
//! functions and classes runs elsewhere and is not the handler's.

use super::syntax::{call, parse_integer, Source};
use crate::common::jvm::{find_with, seconds_per_unit, Sleep, SleepGrammar};
use crate::treesitter::NodeNames;
use seamcheck_facts::source::HandlerSleep;
use tree_sitter::Node;

/// How Kotlin reads configuration in a condition; the fault-injection words
/// themselves are shared (`common::guard`).
const CONFIG_WORDS: &[&str] = &["getenv", "property", "environment"];

const KOTLIN: SleepGrammar = SleepGrammar {
    is_elsewhere,
    if_kind: "if_expression",
    sleep: sleep_seconds,
    is_guard,
};

pub fn find(
    body: Node<'_>,
    handler: &str,
    is_async: bool,
    source: &Source<'_>,
) -> Vec<HandlerSleep> {
    find_with(&KOTLIN, body, handler, is_async, source)
}

fn is_guard(condition: Node<'_>, source: &Source<'_>) -> bool {
    let text = source.text_of(condition);
    crate::words::mentions_any(text, CONFIG_WORDS)
        || crate::common::guard::mentions_fault_word(text)
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
fn sleep_seconds<'s>(node: Node<'_>, source: &Source<'s>) -> Option<Sleep<'s>> {
    let c = call(node, source)?;
    if c.name != "sleep" {
        return None;
    }
    let object = source.text_of(c.receiver?);
    let per_unit = seconds_per_unit(object)?;
    let amount = c
        .args
        .first()
        .filter(|a| a.cached_kind() == "number_literal")
        .and_then(|a| parse_integer(source.text_of(*a)));
    Some((object, amount.map(|n| n as f64 * per_unit)))
}
