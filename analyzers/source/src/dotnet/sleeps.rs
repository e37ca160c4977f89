//! Sleeps in a handler's own body: blocking `Thread.Sleep(ms)` and
//! `Task.Delay(…).Wait()` (reported as handler sleeps), awaited
//! `await Task.Delay(…)` (every request waits, no thread blocks: reported as
//! handler delays). Nested lambdas and local functions run elsewhere.

use crate::java::syntax::{named_children, parse_integer, walk, Source};
use crate::treesitter::NodeNames;
use crate::words::mentions_any;
use seamcheck_facts::source::HandlerSleep;
use tree_sitter::Node;

/// How .NET reads configuration in a condition; the fault-injection words
/// themselves are shared (`common::guard`).
const CONFIG_WORDS: &[&str] = &["getenvironmentvariable", "configuration"];

pub struct Sleeps {
    pub blocking: Vec<HandlerSleep>,
    pub delays: Vec<HandlerSleep>,
}

pub fn is_elsewhere(kind: &str) -> bool {
    matches!(
        kind,
        "lambda_expression" | "anonymous_method_expression" | "local_function_statement"
    )
}

pub fn find(body: Node<'_>, handler: &str, is_async: bool, source: &Source<'_>, out: &mut Sleeps) {
    walk(body, None::<Node<'_>>, |node, guard| {
        if node.id() != body.id() && is_elsewhere(node.cached_kind()) {
            return None;
        }
        if node.cached_kind() == "invocation_expression" {
            let function = node
                .field_child("function")
                .map_or("", |f| source.text_of(f));
            let blocking = match function {
                "Thread.Sleep" | "System.Threading.Thread.Sleep" => Some(first_arg(node)),
                _ if function.ends_with(".Wait") => delay_of_wait(node, source),
                _ => None,
            };
            let awaited = node
                .parent()
                .is_some_and(|p| p.cached_kind() == "await_expression")
                && matches!(function, "Task.Delay" | "System.Threading.Tasks.Task.Delay");
            let make = |arg: Option<Node<'_>>, call: String| HandlerSleep {
                call,
                seconds: arg.and_then(|a| seconds(a, source)),
                handler: handler.to_string(),
                handler_is_async: is_async,
                guarded: guard.is_some(),
                loc: source.loc(node),
                guard_condition: guard.map(|g| source.loc(g)),
            };
            if let Some(arg) = blocking {
                let call = if function.ends_with(".Wait") {
                    "Task.Delay(…).Wait".to_string()
                } else {
                    function.to_string()
                };
                out.blocking.push(make(arg, call));
            } else if awaited {
                out.delays
                    .push(make(first_arg(node), "await Task.Delay".to_string()));
            }
        }
        if node.cached_kind() == "if_statement" {
            if let Some(condition) = node.field_child("condition") {
                let text = source.text_of(condition);
                let constant = !text.is_empty()
                    && text
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c == '_' || c == '.' || c == '!')
                    && text.chars().any(|c| c.is_ascii_uppercase());
                if constant
                    || mentions_any(text, CONFIG_WORDS)
                    || crate::common::guard::mentions_fault_word(text)
                {
                    return Some(Some(condition));
                }
            }
        }
        Some(*guard)
    });
}

fn first_arg(call: Node<'_>) -> Option<Node<'_>> {
    let args = named_children(call.field_child("arguments")?);
    named_children(*args.first()?).last().copied()
}

/// `Task.Delay(x).Wait()`: the delay's argument.
fn delay_of_wait<'t>(call: Node<'t>, source: &Source<'t>) -> Option<Option<Node<'t>>> {
    let function = call.field_child("function")?;
    let receiver = function.field_child("expression")?;
    if receiver.cached_kind() != "invocation_expression" {
        return None;
    }
    let inner = receiver
        .field_child("function")
        .map_or("", |f| source.text_of(f));
    matches!(inner, "Task.Delay" | "System.Threading.Tasks.Task.Delay").then(|| first_arg(receiver))
}

/// Milliseconds as an integer, or `TimeSpan.FromSeconds(n)` / `FromMilliseconds(n)`.
fn seconds(arg: Node<'_>, source: &Source<'_>) -> Option<f64> {
    match arg.cached_kind() {
        "integer_literal" => parse_integer(source.text_of(arg)).map(|ms| ms as f64 / 1000.0),
        "invocation_expression" => {
            let function = arg
                .field_child("function")
                .map_or("", |f| source.text_of(f));
            let factor = match function {
                "TimeSpan.FromSeconds" => 1.0,
                "TimeSpan.FromMilliseconds" => 0.001,
                "TimeSpan.FromMinutes" => 60.0,
                _ => return None,
            };
            let n = first_arg(arg)?;
            (n.cached_kind() == "integer_literal")
                .then(|| parse_integer(source.text_of(n)))
                .flatten()
                .map(|v| v as f64 * factor)
        }
        _ => None,
    }
}
