//! `time.Sleep` inside request handlers: route handlers of the file and any
//! function whose parameters make it one (`http.ResponseWriter`,
//! `*gin.Context`, `echo.Context`, `*fiber.Ctx`), including closures passed
//! to `HandleFunc`. Only the function's own body counts: a sleep in a
//! goroutine it starts (`go func() { … }()`) or in another nested closure
//! does not delay the response. A sleep under an `if` that reads
//! `os.Getenv`, a config value or a flag word is `guarded` (fault injection).

use super::imports::Imports;
use super::syntax::{call_args, dotted_name, is_function, number_value, strip, walk, Source};
use super::values::Values;
use crate::treesitter::NodeNames;
use seamcheck_facts::source::HandlerSleep;
use seamcheck_facts::Location;
use tree_sitter::Node;

const CONFIG_ROOTS: &[&str] = &[
    "cfg", "config", "conf", "settings", "opts", "options", "flags", "features",
];
pub struct SleepFinder<'a, 't> {
    pub source: &'a Source<'t>,
    pub imports: &'a Imports,
    pub values: &'a Values<'a, 't>,
}

impl<'t> SleepFinder<'_, 't> {
    pub fn find(&self, function: Node<'t>, handler: &str) -> Vec<HandlerSleep> {
        let mut sleeps = Vec::new();
        let Some(body) = function.field_child("body") else {
            return sleeps;
        };
        walk(body, None::<Location>, |node, guard| {
            if node.id() != body.id() && is_function(node) {
                return None;
            }
            if node.cached_kind() == "go_statement" {
                return None;
            }
            if node.cached_kind() == "call_expression" {
                let callee = node
                    .field_child("function")
                    .and_then(|f| dotted_name(f, self.source));
                if callee
                    .as_deref()
                    .is_some_and(|c| self.imports.is(c, &["time"], "Sleep"))
                {
                    let seconds = call_args(node).first().and_then(|d| self.duration(*d, 0));
                    sleeps.push(HandlerSleep {
                        call: callee.unwrap_or_default(),
                        seconds,
                        handler: handler.to_string(),
                        handler_is_async: false,
                        guarded: guard.is_some(),
                        loc: self.source.loc(node),
                        guard_condition: guard.clone(),
                    });
                }
            }
            if guard.is_none() && node.cached_kind() == "if_statement" {
                if let Some(condition) = node
                    .field_child("condition")
                    .filter(|c| self.reads_config(*c))
                {
                    return Some(Some(self.source.loc(condition)));
                }
            }
            Some(guard.clone())
        });
        sleeps
    }

    /// Seconds of a constant duration: `10 * time.Second`, `time.Second`,
    /// `time.Duration(500) * time.Millisecond`, a name bound to one.
    fn duration(&self, node: Node<'t>, depth: usize) -> Option<f64> {
        self.nanoseconds(node, depth).map(|ns| ns / 1e9)
    }

    /// A duration is an integer of nanoseconds; products multiply as Go does.
    fn nanoseconds(&self, node: Node<'t>, depth: usize) -> Option<f64> {
        if depth > 8 {
            return None;
        }
        let node = strip(node);
        if let Some(n) = number_value(node, self.source) {
            return Some(n);
        }
        match node.cached_kind() {
            "selector_expression" => {
                let name = dotted_name(node, self.source)?;
                let (pkg, unit) = name.split_once('.')?;
                if self.imports.path_of(pkg) != Some("time") {
                    return None;
                }
                Some(match unit {
                    "Nanosecond" => 1.0,
                    "Microsecond" => 1e3,
                    "Millisecond" => 1e6,
                    "Second" => 1e9,
                    "Minute" => 60e9,
                    "Hour" => 3600e9,
                    _ => return None,
                })
            }
            "binary_expression" => {
                let op = node.field_child("operator").map(|o| self.source.text_of(o));
                if op != Some("*") {
                    return None;
                }
                let left = self.nanoseconds(node.field_child("left")?, depth + 1)?;
                let right = self.nanoseconds(node.field_child("right")?, depth + 1)?;
                Some(left * right)
            }
            "call_expression" => {
                // `time.Duration(n)`: a conversion.
                let callee = node
                    .field_child("function")
                    .and_then(|f| dotted_name(f, self.source))?;
                let (pkg, name) = callee.split_once('.')?;
                if name != "Duration" || self.imports.path_of(pkg) != Some("time") {
                    return None;
                }
                self.nanoseconds(*call_args(node).first()?, depth + 1)
            }
            "identifier" => self.nanoseconds(self.values.sole_value(node)?, depth + 1),
            _ => None,
        }
    }

    fn reads_config(&self, condition: Node<'t>) -> bool {
        let text = self.source.text_of(condition);
        let lower = text.to_ascii_lowercase();
        if text.contains("os.Getenv")
            || text.contains("os.LookupEnv")
            || crate::common::guard::mentions_fault_word(&lower)
        {
            return true;
        }
        let mut found = false;
        walk(condition, (), |n, _| {
            if n.cached_kind() == "identifier" && CONFIG_ROOTS.contains(&self.source.text_of(n)) {
                found = true;
            }
            (!found).then_some(())
        });
        found
    }
}
