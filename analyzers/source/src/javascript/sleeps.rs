//! Sleeps inside request handlers.
//!
//! Blocking (into `handler_sleeps`): a busy wait — a `while`/`do`/`for` loop
//! whose condition reads the clock (`Date.now()`, `new Date()`,
//! `performance.now()`, `process.hrtime`) and whose body does not await —
//! and `Atomics.wait(...)`. Either freezes the whole event loop.
//!
//! Non-blocking delays (into `handler_delays`): `await new Promise(r =>
//! setTimeout(r, ms))`, `await setTimeout(ms)` from `timers/promises`, and
//! `await helper(ms)` where `helper` is a function of the file whose body is
//! such a promise.
//!
//! Only the handler's own body counts, not functions nested in it (a timer
//! callback does not delay the response). A sleep under an `if` that reads
//! `process.env`, a config object, a flag word or an UPPER_CASE constant is
//! `guarded` (fault injection).

use super::imports::Imports;
use super::syntax::{
    body_nodes, call_args, dotted_name, is_async, is_function, named_children, number_value, strip,
    walk, Source, MAX_CHAIN,
};
use super::values::Values;
use crate::treesitter::NodeNames;
use seamcheck_facts::source::HandlerSleep;
use seamcheck_facts::{Location, ValueExpr};
use tree_sitter::Node;

const CONFIG_ROOTS: &[&str] = &[
    "config", "settings", "conf", "cfg", "flags", "features", "options", "opts",
];
pub struct SleepFinder<'a, 't> {
    pub source: &'a Source<'t>,
    pub imports: &'a Imports,
    pub values: &'a Values<'a, 't>,
    /// Functions of the file whose body is a `setTimeout` promise, by name.
    pub delay_helpers: Vec<String>,
}

/// What was found in one handler.
#[derive(Default)]
pub struct Found {
    pub sleeps: Vec<HandlerSleep>,
    pub delays: Vec<HandlerSleep>,
}

impl<'a, 't> SleepFinder<'a, 't> {
    pub fn new(
        nodes: &[Node<'t>],
        source: &'a Source<'t>,
        imports: &'a Imports,
        values: &'a Values<'a, 't>,
    ) -> Self {
        let mut finder = SleepFinder {
            source,
            imports,
            values,
            delay_helpers: Vec::new(),
        };
        for node in nodes {
            let (name, function) = match node.cached_kind() {
                "function_declaration" => (node.field_child("name"), Some(*node)),
                "variable_declarator" => (
                    node.field_child("name"),
                    node.field_child("value")
                        .map(strip)
                        .filter(|v| is_function(*v)),
                ),
                _ => continue,
            };
            let (Some(name), Some(function)) = (name, function) else {
                continue;
            };
            if finder.is_delay_helper(function) {
                finder.delay_helpers.push(source.text_of(name).to_string());
            }
        }
        finder
    }

    /// A function whose result is `new Promise(... setTimeout ...)`.
    fn is_delay_helper(&self, function: Node<'t>) -> bool {
        let Some(body) = function.field_child("body") else {
            return false;
        };
        let returned: Vec<Node<'t>> = if body.cached_kind() == "statement_block" {
            body_nodes(function, false)
                .into_iter()
                .filter(|n| n.cached_kind() == "return_statement")
                .filter_map(|r| named_children(r).into_iter().next())
                .collect()
        } else {
            vec![body]
        };
        returned
            .into_iter()
            .any(|r| self.timeout_promise(r).is_some())
    }

    /// `new Promise(r => setTimeout(r, ms))`: the `ms` argument (or the
    /// promise itself when it has none).
    fn timeout_promise(&self, node: Node<'t>) -> Option<Option<Node<'t>>> {
        let node = strip(node);
        if node.cached_kind() != "new_expression" {
            return None;
        }
        let class = node
            .field_child("constructor")
            .map(|c| self.source.text_of(c));
        if class != Some("Promise") {
            return None;
        }
        let executor = strip(*call_args(node).first()?);
        if !is_function(executor) {
            return None;
        }
        let mut ms = None;
        let mut found = false;
        walk(executor, (), |n, _| {
            if found {
                return None;
            }
            if n.cached_kind() == "call_expression" {
                let callee = n
                    .field_child("function")
                    .and_then(|f| dotted_name(f, self.source));
                if matches!(
                    callee.as_deref(),
                    Some("setTimeout" | "global.setTimeout" | "globalThis.setTimeout")
                ) {
                    found = true;
                    ms = call_args(n).get(1).copied();
                    return None;
                }
            }
            Some(())
        });
        found.then_some(ms)
    }

    pub fn find(&self, function: Node<'t>, handler: &str) -> Found {
        let mut found = Found::default();
        let Some(body) = function.field_child("body") else {
            return found;
        };
        let handler_is_async = is_async(function);
        let make = |call: String,
                    seconds: Option<f64>,
                    node: Node<'t>,
                    guard: &Option<Location>| HandlerSleep {
            call,
            seconds,
            handler: handler.to_string(),
            handler_is_async,
            guarded: guard.is_some(),
            loc: self.source.loc(node),
            guard_condition: guard.clone(),
        };
        walk(body, None::<Location>, |node, guard| {
            if node.id() != body.id() && is_function(node) {
                return None;
            }
            match node.cached_kind() {
                "while_statement" | "do_statement" | "for_statement" => {
                    if let Some(seconds) = self.busy_wait(node) {
                        found
                            .sleeps
                            .push(make("busy wait".to_string(), seconds, node, guard));
                        return None;
                    }
                }
                "call_expression" => {
                    let callee = node
                        .field_child("function")
                        .and_then(|f| dotted_name(f, self.source));
                    if callee.as_deref() == Some("Atomics.wait") {
                        let ms = call_args(node).get(3).copied();
                        found.sleeps.push(make(
                            "Atomics.wait".to_string(),
                            self.seconds(ms),
                            node,
                            guard,
                        ));
                    }
                }
                "await_expression" => {
                    if let Some((call, ms)) = self.awaited_delay(node) {
                        found.delays.push(make(call, self.seconds(ms), node, guard));
                        return None;
                    }
                }
                "if_statement" if guard.is_none() => {
                    if let Some(condition) = node
                        .field_child("condition")
                        .filter(|c| self.reads_config(*c))
                    {
                        return Some(Some(self.source.loc(condition)));
                    }
                }
                _ => {}
            }
            Some(guard.clone())
        });
        found
    }

    /// `await new Promise(r => setTimeout(r, ms))`, `await sleep(ms)` with a
    /// delay helper of the file, `await setTimeout(ms)` from `timers/promises`.
    fn awaited_delay(&self, node: Node<'t>) -> Option<(String, Option<Node<'t>>)> {
        let awaited = strip(*named_children(node).first()?);
        if let Some(ms) = self.timeout_promise(awaited) {
            return Some(("new Promise(setTimeout)".to_string(), ms));
        }
        if awaited.cached_kind() != "call_expression" {
            return None;
        }
        let callee = awaited.field_child("function")?;
        let name = dotted_name(callee, self.source)?;
        let args = call_args(awaited);
        if self.delay_helpers.contains(&name) {
            return Some((name, args.first().copied()));
        }
        let from_timers = self
            .imports
            .resolve(callee, self.source)
            .is_some_and(|(m, p)| {
                m == "timers/promises" && p.last().is_some_and(|l| l == "setTimeout")
            });
        from_timers.then(|| (name, args.first().copied()))
    }

    /// A loop that spins on the clock: the seconds it waits when the
    /// condition compares the clock with a constant (`Date.now() - start <
    /// 5000`, `Date.now() < end` with `end = Date.now() + 5000`).
    fn busy_wait(&self, node: Node<'t>) -> Option<Option<f64>> {
        let condition = node.field_child("condition")?;
        let text = self.source.text_of(condition);
        let reads_clock = [
            "Date.now()",
            "new Date()",
            "performance.now()",
            "process.hrtime",
            ".getTime()",
        ]
        .iter()
        .any(|c| text.contains(c));
        if !reads_clock {
            return None;
        }
        let awaits = node.field_child("body").is_some_and(|b| {
            let mut found = false;
            walk(b, (), |n, _| {
                if n.cached_kind() == "await_expression" || n.cached_kind() == "yield_expression" {
                    found = true;
                }
                (!found && !is_function(n)).then_some(())
            });
            found
        });
        if awaits {
            return None;
        }
        Some(self.loop_milliseconds(condition).map(|ms| ms / 1000.0))
    }

    /// The constant milliseconds of a clock comparison, if any: a number on
    /// either side, or a name declared as `Date.now() + N`.
    fn loop_milliseconds(&self, condition: Node<'t>) -> Option<f64> {
        let mut node = strip(condition);
        for _ in 0..MAX_CHAIN {
            if node.cached_kind() != "binary_expression" {
                break;
            }
            let left = node.field_child("left")?;
            let right = node.field_child("right")?;
            if let Some(n) =
                number_value(right, self.source).or_else(|| number_value(left, self.source))
            {
                return Some(n);
            }
            let named = [right, left]
                .into_iter()
                .find(|s| strip(*s).cached_kind() == "identifier");
            if let Some(name) = named {
                if let Some(n) = self.clock_offset(name) {
                    return Some(n);
                }
            }
            node = strip(left);
        }
        None
    }

    /// `const end = Date.now() + 5000` -> 5000.
    fn clock_offset(&self, name: Node<'t>) -> Option<f64> {
        let text = self.source.text_of(name);
        // Find the declaration by walking up to the function and scanning it.
        let mut scope = name;
        for _ in 0..256 {
            match scope.parent() {
                Some(p) => scope = p,
                None => break,
            }
            if is_function(scope) {
                break;
            }
        }
        let mut result = None;
        walk(scope, (), |n, _| {
            if result.is_some() {
                return None;
            }
            if n.cached_kind() == "variable_declarator" {
                let is_name = n
                    .field_child("name")
                    .is_some_and(|x| self.source.text_of(x) == text);
                if let (true, Some(value)) = (is_name, n.field_child("value")) {
                    let value = strip(value);
                    if value.cached_kind() == "binary_expression" {
                        result = value
                            .field_child("right")
                            .and_then(|r| number_value(r, self.source));
                    }
                }
            }
            Some(())
        });
        result
    }

    fn seconds(&self, ms: Option<Node<'t>>) -> Option<f64> {
        let ms = ms?;
        match self.values.eval(ms).expr {
            ValueExpr::Literal { value } => value.parse::<f64>().ok().map(|v| v / 1000.0),
            _ => None,
        }
    }

    /// A condition that switches fault injection on: an env read, a config
    /// object, a flag word, an UPPER_CASE constant.
    fn reads_config(&self, condition: Node<'t>) -> bool {
        let text = self.source.text_of(condition);
        let lower = text.to_ascii_lowercase();
        if text.contains("process.env") || crate::common::guard::mentions_fault_word(&lower) {
            return true;
        }
        let mut found = false;
        walk(condition, (), |n, _| {
            if found {
                return None;
            }
            if n.cached_kind() == "identifier" {
                let t = self.source.text_of(n);
                let upper = t.len() > 1
                    && t.chars()
                        .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit());
                if upper || CONFIG_ROOTS.contains(&t) {
                    found = true;
                }
            }
            Some(())
        });
        found
    }
}
