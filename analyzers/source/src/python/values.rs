//! Reads a port, host or flag expression into a `ValueExpr`: a literal, an
//! environment variable with its default, or unknown. Names are followed
//! through one unambiguous assignment in the enclosing function or module
//! (`PORT = int(os.environ.get("PORT", 8080))`), never further than that.

use super::imports::Imports;
use super::syntax::{
    dotted_name, integer_value, named_children, opens_scope, scope_nodes, string_value,
    unparenthesize, CallArgs, Source,
};
use crate::treesitter::NodeNames;
use seamcheck_facts::{Location, ValueExpr};
use std::cell::RefCell;
use std::collections::HashMap;
use tree_sitter::Node;

/// How many names or wrappers one value may pass through; deeper is unknown
/// (and keeps a 100,000-deep `int(int(...))` from exhausting the stack).
const MAX_DEPTH: usize = 16;

/// A value as far as it could be read.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Known(ValueExpr),
    /// The Python `None` constant: for a keyword argument, the same as not
    /// passing it (Flask and uvicorn fall back to their defaults).
    PyNone,
    Unknown,
}

/// A read value and, when it came through a name, where that name's value is
/// written.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub value: Value,
    pub defined_at: Option<Location>,
}

/// A value read for a fact.
#[derive(Debug, Clone)]
pub struct ReadValue {
    pub value: ValueExpr,
    /// Where the name it came through is given its value, if it came through one.
    pub defined_at: Option<Location>,
}

/// The assignments of one scope: name -> the right-hand sides assigned to it
/// (an entry with `None` is an assignment we cannot read, e.g. `a, b = f()`).
type Assignments<'t> = HashMap<String, Vec<Option<Node<'t>>>>;

pub struct Values<'a, 't> {
    source: &'a Source<'t>,
    imports: &'a Imports,
    module: Node<'t>,
    /// Per scope node id, built on first use.
    scopes: RefCell<HashMap<usize, std::rc::Rc<Assignments<'t>>>>,
}

impl<'a, 't> Values<'a, 't> {
    pub fn new(source: &'a Source<'t>, imports: &'a Imports, module: Node<'t>) -> Self {
        Values {
            source,
            imports,
            module,
            scopes: RefCell::new(HashMap::new()),
        }
    }

    /// Reads `node`, an expression inside `function` (or at module level when
    /// `None`), into a value. Unknown values carry the expression's text;
    /// `None` means the expression is Python's `None`.
    pub fn read(&self, node: Node<'t>, function: Option<Node<'t>>) -> Option<ReadValue> {
        let resolved = self.resolve(node, function, 0);
        let value = match resolved.value {
            Value::Known(value) => value,
            Value::PyNone => return None,
            Value::Unknown => ValueExpr::unknown(self.source.short_text_of(node)),
        };
        Some(ReadValue {
            value,
            defined_at: resolved.defined_at,
        })
    }

    pub fn resolve(&self, node: Node<'t>, function: Option<Node<'t>>, depth: usize) -> Resolved {
        let unknown = Resolved {
            value: Value::Unknown,
            defined_at: None,
        };
        if depth > MAX_DEPTH {
            return unknown;
        }
        let node = unparenthesize(node);
        let known = |value: ValueExpr| Resolved {
            value: Value::Known(value),
            defined_at: None,
        };
        match node.cached_kind() {
            "integer" => match integer_value(node, self.source) {
                Some(n) => known(ValueExpr::literal(n.to_string())),
                None => unknown,
            },
            "unary_operator" => match integer_value(node, self.source) {
                Some(n) => known(ValueExpr::literal(n.to_string())),
                None => unknown,
            },
            "float" => known(ValueExpr::literal(
                self.source.text_of(node).replace('_', ""),
            )),
            "string" | "concatenated_string" => match string_value(node, self.source) {
                Some(s) => known(ValueExpr::literal(s)),
                None => unknown,
            },
            "true" => known(ValueExpr::literal("True")),
            "false" => known(ValueExpr::literal("False")),
            "none" => Resolved {
                value: Value::PyNone,
                defined_at: None,
            },
            "identifier" => self.resolve_name(node, function, depth),
            "call" => self.resolve_call(node, function, depth),
            "subscript" => self.resolve_environ_subscript(node),
            "boolean_operator" => self.resolve_or(node, function, depth),
            _ => unknown,
        }
    }

    fn resolve_name(&self, node: Node<'t>, function: Option<Node<'t>>, depth: usize) -> Resolved {
        let name = self.source.text_of(node);
        let unknown = Resolved {
            value: Value::Unknown,
            defined_at: None,
        };
        // The innermost scope that assigns the name decides; a function
        // parameter is set by the caller, so it is unknown.
        let scope = match function {
            Some(f) if self.assigns(f, name) || is_parameter(f, name, self.source) => f,
            _ => self.module,
        };
        if scope.id() != self.module.id() && is_parameter(scope, name, self.source) {
            return unknown;
        }
        let Some(value_node) = self.single_assignment(scope, name) else {
            return unknown;
        };
        let mut resolved = self.resolve(
            value_node,
            Some(scope).filter(|s| s.id() != self.module.id()),
            depth + 1,
        );
        if resolved.defined_at.is_none() {
            resolved.defined_at = Some(self.source.loc(value_node));
        }
        resolved
    }

    /// The one right-hand side assigned to `name` in `scope`, if there is
    /// exactly one and it is a plain `name = value`.
    pub fn single_assignment(&self, scope: Node<'t>, name: &str) -> Option<Node<'t>> {
        let assignments = self.assignments(scope);
        match assignments.get(name).map(Vec::as_slice) {
            Some([Some(value)]) => Some(*value),
            _ => None,
        }
    }

    /// How many times `scope` assigns `name` (0 when never).
    pub fn assignment_count(&self, scope: Node<'t>, name: &str) -> usize {
        self.assignments(scope).get(name).map_or(0, Vec::len)
    }

    fn assigns(&self, scope: Node<'t>, name: &str) -> bool {
        self.assignment_count(scope, name) > 0
    }

    fn assignments(&self, scope: Node<'t>) -> std::rc::Rc<Assignments<'t>> {
        if let Some(found) = self.scopes.borrow().get(&scope.id()) {
            return found.clone();
        }
        let built = std::rc::Rc::new(collect_assignments(scope, self.source));
        self.scopes.borrow_mut().insert(scope.id(), built.clone());
        built
    }

    fn resolve_call(&self, node: Node<'t>, function: Option<Node<'t>>, depth: usize) -> Resolved {
        let unknown = Resolved {
            value: Value::Unknown,
            defined_at: None,
        };
        let Some(callee) = node
            .field_child("function")
            .and_then(|f| dotted_name(f, self.source))
        else {
            return unknown;
        };
        let args = CallArgs::of(node, self.source);
        let qualified = self.imports.qualify(&callee);
        match qualified.as_str() {
            // Conversions keep the value: `int(os.environ.get("PORT", 8080))`.
            "int" | "str" | "float" if args.positional.len() == 1 && args.keywords.is_empty() => {
                match args.positional.first() {
                    Some(inner) => self.resolve(*inner, function, depth + 1),
                    None => unknown,
                }
            }
            "os.getenv" | "os.environ.get" => self.resolve_env_read(&args, function, depth),
            _ => unknown,
        }
    }

    /// `os.getenv("PORT", "5000")`, `os.environ.get("PORT")`.
    fn resolve_env_read(
        &self,
        args: &CallArgs<'t>,
        function: Option<Node<'t>>,
        depth: usize,
    ) -> Resolved {
        let unknown = Resolved {
            value: Value::Unknown,
            defined_at: None,
        };
        if args.splat.is_some() {
            return unknown;
        }
        let Some(var) = args
            .get(0, "key")
            .and_then(|n| string_value(n, self.source))
        else {
            return unknown;
        };
        let default = match args.get(1, "default") {
            None => None,
            Some(default_node) => match self.resolve(default_node, function, depth + 1).value {
                Value::Known(ValueExpr::Literal { value }) => Some(value),
                Value::PyNone => None,
                // A default we cannot read is not "no default": unknown.
                _ => return unknown,
            },
        };
        Resolved {
            value: Value::Known(ValueExpr::env(var, default)),
            defined_at: None,
        }
    }

    /// `os.environ["PORT"]`: required, no default.
    fn resolve_environ_subscript(&self, node: Node<'t>) -> Resolved {
        let unknown = Resolved {
            value: Value::Unknown,
            defined_at: None,
        };
        let Some(value) = node.field_child("value") else {
            return unknown;
        };
        let is_environ = dotted_name(value, self.source)
            .is_some_and(|name| self.imports.qualify(&name) == "os.environ");
        let key = node.field_child("subscript");
        match (is_environ, key.and_then(|k| string_value(k, self.source))) {
            (true, Some(var)) => Resolved {
                value: Value::Known(ValueExpr::env(var, None)),
                defined_at: None,
            },
            _ => unknown,
        }
    }

    /// `os.getenv("PORT") or 5000`: the right side is the default when the
    /// variable is unset or empty.
    fn resolve_or(&self, node: Node<'t>, function: Option<Node<'t>>, depth: usize) -> Resolved {
        let unknown = Resolved {
            value: Value::Unknown,
            defined_at: None,
        };
        let is_or = node
            .field_child("operator")
            .is_some_and(|op| self.source.text_of(op) == "or");
        let (Some(left), Some(right)) = (node.field_child("left"), node.field_child("right"))
        else {
            return unknown;
        };
        if !is_or {
            return unknown;
        }
        let left = self.resolve(left, function, depth + 1);
        let right = self.resolve(right, function, depth + 1);
        match (left.value, right.value) {
            (
                Value::Known(ValueExpr::Env { var, default }),
                Value::Known(ValueExpr::Literal { value }),
            ) if default.as_deref().is_none_or(str::is_empty) => Resolved {
                value: Value::Known(ValueExpr::env(var, Some(value))),
                defined_at: right.defined_at,
            },
            (
                Value::Known(ValueExpr::Env {
                    var,
                    default: Some(d),
                }),
                _,
            ) if !d.is_empty() => Resolved {
                value: Value::Known(ValueExpr::env(var, Some(d))),
                defined_at: left.defined_at,
            },
            _ => unknown,
        }
    }
}

/// Whether `name` is a parameter of the function `scope`.
fn is_parameter(scope: Node<'_>, name: &str, source: &Source<'_>) -> bool {
    let Some(parameters) = scope.field_child("parameters") else {
        return false;
    };
    named_children(parameters).into_iter().any(|p| {
        let identifier = if p.cached_kind() == "identifier" {
            Some(p)
        } else {
            named_children(p)
                .into_iter()
                .find(|c| c.cached_kind() == "identifier")
        };
        identifier.is_some_and(|i| source.text_of(i) == name)
    })
}

/// Every assignment to a plain name in `scope` (not in nested functions).
fn collect_assignments<'t>(scope: Node<'t>, source: &Source<'t>) -> Assignments<'t> {
    let mut assignments: Assignments<'t> = HashMap::new();
    for node in scope_nodes(source, scope) {
        match node.cached_kind() {
            "assignment" => {
                let Some(left) = node.field_child("left") else {
                    continue;
                };
                let right = node.field_child("right");
                if left.cached_kind() == "identifier" {
                    // `x: int = 5` has a right side; `x: int` alone assigns nothing.
                    if let Some(right) = right {
                        let value = if right.cached_kind() == "assignment" {
                            // `a = b = 5`: the chained value is the innermost right side.
                            innermost_right(right)
                        } else {
                            Some(right)
                        };
                        assignments
                            .entry(source.text_of(left).to_string())
                            .or_default()
                            .push(value);
                    }
                } else {
                    for target in target_names(left, source) {
                        assignments.entry(target).or_default().push(None);
                    }
                }
            }
            "augmented_assignment" | "for_statement" | "for_in_clause" => {
                if let Some(target) = node.field_child("left") {
                    mark_unreadable(&mut assignments, target, source);
                }
            }
            "named_expression" => {
                if let Some(target) = node.field_child("name") {
                    mark_unreadable(&mut assignments, target, source);
                }
            }
            "as_pattern_target" => mark_unreadable(&mut assignments, node, source),
            "function_definition" | "class_definition" if node.id() != scope.id() => {
                if let Some(name) = node.field_child("name") {
                    assignments
                        .entry(source.text_of(name).to_string())
                        .or_default()
                        .push(None);
                }
            }
            _ => {}
        }
    }
    assignments
}

/// Records that the names in `target` are bound in a way we do not read.
fn mark_unreadable<'t>(assignments: &mut Assignments<'t>, target: Node<'t>, source: &Source<'t>) {
    for name in target_names(target, source) {
        assignments.entry(name).or_default().push(None);
    }
}

fn innermost_right(mut node: Node<'_>) -> Option<Node<'_>> {
    for _ in 0..MAX_DEPTH {
        if node.cached_kind() != "assignment" {
            return Some(node);
        }
        node = node.field_child("right")?;
    }
    None
}

/// The plain names bound by an assignment target (`a, (b, c)` -> a, b, c).
fn target_names(target: Node<'_>, source: &Source<'_>) -> Vec<String> {
    let mut names = Vec::new();
    source.walk_with_fields(target, (), |node, _, _| {
        if node.cached_kind() == "identifier" {
            names.push(source.text_of(node).to_string());
        }
        // `obj.attr = x` and `d[k] = x` bind no plain name.
        if matches!(node.cached_kind(), "attribute" | "subscript") || opens_scope(node) {
            None
        } else {
            Some(())
        }
    });
    names
}
