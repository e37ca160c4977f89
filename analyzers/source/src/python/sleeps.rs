//! Blocking sleeps inside request handlers: `time.sleep(10)` (or `sleep`
//! imported from `time`) in a route handler's own body. Sleeps in other
//! functions (worker loops, startup retries) and `await asyncio.sleep(...)`
//! are not handler sleeps. A sleep under an `if` that reads an env var,
//! config or flag is fault injection: reported as `guarded`.

use super::imports::Imports;
use super::syntax::{dotted_name, opens_scope, unparenthesize, CallArgs, Source};
use super::values::{Value, Values};
use crate::treesitter::NodeNames;
use seamcheck_facts::source::HandlerSleep;
use seamcheck_facts::{Location, ValueExpr};
use tree_sitter::Node;

/// Roots of attribute chains that hold configuration (`settings.x`, `config["x"]`).
const CONFIG_ROOTS: &[&str] = &[
    "settings",
    "config",
    "conf",
    "cfg",
    "flags",
    "features",
    "feature_flags",
    "options",
];

pub struct SleepFinder<'a, 't> {
    pub source: &'a Source<'t>,
    pub imports: &'a Imports,
    pub values: &'a Values<'a, 't>,
}

impl<'t> SleepFinder<'_, 't> {
    /// The blocking sleeps in `function`'s body, not in nested functions.
    pub fn find(&self, function: Node<'t>) -> Vec<HandlerSleep> {
        let Some(body) = function.field_child("body") else {
            return Vec::new();
        };
        let handler = function
            .field_child("name")
            .map_or_else(String::new, |n| self.source.text_of(n).to_string());
        let handler_is_async = super::syntax::is_async_function(function);
        let mut sleeps = Vec::new();
        // The context is the condition that guards the current node, if any.
        self.source
            .walk_with_fields(body, None::<Location>, |node, _, guard| {
                if node.id() != body.id() && opens_scope(node) {
                    return None;
                }
                if node.cached_kind() == "call" {
                    if let Some(call) = self.blocking_sleep(node) {
                        sleeps.push(HandlerSleep {
                            call,
                            seconds: self.seconds(node, function),
                            handler: handler.clone(),
                            handler_is_async,
                            guarded: guard.is_some(),
                            loc: self.source.loc(node),
                            guard_condition: guard.clone(),
                        });
                    }
                }
                if guard.is_none() && matches!(node.cached_kind(), "if_statement" | "elif_clause") {
                    let condition = node.field_child("condition");
                    if let Some(condition) = condition.filter(|c| self.reads_config(*c)) {
                        return Some(Some(self.source.loc(condition)));
                    }
                }
                Some(guard.clone())
            });
        sleeps
    }

    /// The callee as written when the call is `time.sleep`.
    fn blocking_sleep(&self, call: Node<'t>) -> Option<String> {
        let callee = call
            .field_child("function")
            .and_then(|f| dotted_name(f, self.source))?;
        (self.imports.qualify(&callee) == "time.sleep").then_some(callee)
    }

    fn seconds(&self, call: Node<'t>, function: Node<'t>) -> Option<f64> {
        let args = CallArgs::of(call, self.source);
        let argument = args.positional.first()?;
        match self.values.resolve(*argument, Some(function), 0).value {
            Value::Known(ValueExpr::Literal { value }) => value.parse().ok(),
            _ => None,
        }
    }

    /// The condition reads an env var, a config object or a flag.
    fn reads_config(&self, condition: Node<'t>) -> bool {
        if is_constant_name(self.source.text_of(strip_not(condition))) {
            // `if INJECT:` / `if not FAST_MODE:` test a module-level switch.
            return true;
        }
        let mut reads = false;
        self.source.walk_with_fields(condition, (), |node, _, _| {
            if reads || opens_scope(node) {
                return None;
            }
            match node.cached_kind() {
                "identifier" => reads = has_flag_word(self.source.text_of(node)),
                "attribute" => {
                    if let Some(name) = dotted_name(node, self.source) {
                        reads = self.is_config_chain(&name);
                    }
                }
                "call" => {
                    let callee = node
                        .field_child("function")
                        .and_then(|f| dotted_name(f, self.source));
                    if let Some(callee) = callee {
                        let qualified = self.imports.qualify(&callee);
                        reads = matches!(qualified.as_str(), "os.getenv" | "os.environ.get")
                            || self.is_config_chain(&callee);
                    }
                }
                _ => {}
            }
            Some(())
        });
        reads
    }

    fn is_config_chain(&self, dotted: &str) -> bool {
        let qualified = self.imports.qualify(dotted);
        if qualified == "os.environ" || qualified.starts_with("os.environ.") {
            return true;
        }
        let mut segments = dotted.split('.');
        let root = segments.next().unwrap_or("").to_ascii_lowercase();
        CONFIG_ROOTS.contains(&root.as_str())
            || dotted.split('.').any(|s| s == "config" || has_flag_word(s))
    }
}

/// A name with a fault-injection word in it (`add_delay`, `CHAOS_MODE`).
fn has_flag_word(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    crate::common::guard::mentions_fault_word(&lower)
}

/// An upper-case module constant (`SLOW_MODE`). Only a condition that is
/// just such a name counts as a switch: `x > MAX_RETRIES` is not one.
fn is_constant_name(name: &str) -> bool {
    name.len() > 1
        && name.chars().any(|c| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// `not (X)` -> `X`, in a bounded loop.
fn strip_not(mut node: Node<'_>) -> Node<'_> {
    for _ in 0..8 {
        node = unparenthesize(node);
        match node.cached_kind() {
            "not_operator" => match node.field_child("argument") {
                Some(argument) => node = argument,
                None => break,
            },
            _ => break,
        }
    }
    node
}
