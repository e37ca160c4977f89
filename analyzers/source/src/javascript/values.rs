//! Port and host expressions as `ValueExpr`: literals, `process.env.X`,
//! `process.env.X || 3000`, `?? 3000`, `parseInt(...)`/`Number(...)` around
//! them, `const { PORT = 3000 } = process.env`, and names with exactly one
//! declaration and no reassignment. Everything else is `Unknown`.

use super::syntax::{
    call_args, dotted_name, named_children, number_value, string_value, strip, Source,
};
use crate::treesitter::NodeNames;
use seamcheck_facts::{Location, ValueExpr};
use tree_sitter::Node;

/// How many names one evaluation may follow (`a = b`, `b = c` …).
const MAX_DEPTH: usize = 16;

/// A value and, when it was reached through a name, where that name's value
/// is written.
#[derive(Debug, Clone)]
pub struct Value {
    pub expr: ValueExpr,
    pub defined_at: Option<Location>,
}

/// One declaration of a name: its value expression, or an env default.
#[derive(Clone, Copy)]
enum Decl<'t> {
    /// `const x = value`.
    Value(Node<'t>),
    /// `const { X = d } = process.env` / `const { X: x } = process.env`:
    /// (the property name node, its default).
    EnvPattern(Node<'t>, Option<Node<'t>>),
    /// A parameter, a `for` variable, an import: unknown.
    Opaque,
}

pub struct Values<'a, 't> {
    source: &'a Source<'t>,
    decls: Vec<(&'t str, Decl<'t>)>,
    /// Names assigned after their declaration (`port = 8080`).
    reassigned: Vec<&'t str>,
    /// Functions declared by name (a callback passed as `listen(port, onListen)`).
    functions: Vec<&'t str>,
}

impl<'a, 't> Values<'a, 't> {
    pub fn new(nodes: &[Node<'t>], source: &'a Source<'t>) -> Values<'a, 't> {
        let mut values = Values {
            source,
            decls: Vec::new(),
            reassigned: Vec::new(),
            functions: Vec::new(),
        };
        for node in nodes {
            match node.cached_kind() {
                "variable_declarator" => values.declarator(*node),
                "assignment_expression" | "augmented_assignment_expression" => {
                    if let Some(left) = node.field_child("left") {
                        if left.cached_kind() == "identifier" {
                            values.reassigned.push(source.text_of(left));
                        }
                    }
                }
                "update_expression" => {
                    if let Some(arg) = node.field_child("argument") {
                        values.reassigned.push(source.text_of(arg));
                    }
                }
                "function_declaration" | "generator_function_declaration" => {
                    if let Some(name) = node.field_child("name") {
                        values.functions.push(source.text_of(name));
                    }
                }
                "required_parameter" | "optional_parameter" | "formal_parameters" => {
                    for id in named_children(*node)
                        .into_iter()
                        .filter(|c| c.cached_kind() == "identifier")
                    {
                        values.decls.push((source.text_of(id), Decl::Opaque));
                    }
                }
                _ => {}
            }
        }
        values
    }

    fn declarator(&mut self, node: Node<'t>) {
        let Some(name) = node.field_child("name") else {
            return;
        };
        let value = node.field_child("value");
        match name.cached_kind() {
            "identifier" => {
                let text = self.source.text_of(name);
                if value.is_some_and(|v| super::syntax::is_function(strip(v))) {
                    self.functions.push(text);
                }
                let decl = value.map_or(Decl::Opaque, Decl::Value);
                self.decls.push((text, decl));
            }
            "object_pattern" => {
                let from_env = value.is_some_and(|v| is_process_env(v, self.source));
                for part in named_children(name) {
                    let (local, key, default) = match part.cached_kind() {
                        "shorthand_property_identifier_pattern" => (Some(part), part, None),
                        "object_assignment_pattern" => {
                            let left = part.field_child("left");
                            let right = part.field_child("right");
                            match left {
                                Some(l) => (Some(l), l, right),
                                None => continue,
                            }
                        }
                        "pair_pattern" => {
                            let (Some(key), Some(value)) =
                                (part.field_child("key"), part.field_child("value"))
                            else {
                                continue;
                            };
                            match value.cached_kind() {
                                "identifier" => (Some(value), key, None),
                                "assignment_pattern" => {
                                    (value.field_child("left"), key, value.field_child("right"))
                                }
                                _ => continue,
                            }
                        }
                        _ => continue,
                    };
                    let Some(local) = local else { continue };
                    let decl = if from_env {
                        Decl::EnvPattern(key, default)
                    } else {
                        Decl::Opaque
                    };
                    self.decls.push((self.source.text_of(local), decl));
                }
            }
            _ => {}
        }
    }

    /// Whether `name` is a function of this file (a callback, not a host).
    pub fn is_function_name(&self, name: &str) -> bool {
        self.functions.contains(&name)
    }

    pub fn eval(&self, node: Node<'t>) -> Value {
        self.eval_at(node, 0)
    }

    fn eval_at(&self, node: Node<'t>, depth: usize) -> Value {
        let node = strip(node);
        let plain = |expr| Value {
            expr,
            defined_at: None,
        };
        if depth > MAX_DEPTH {
            return plain(ValueExpr::unknown(self.source.short_text_of(node)));
        }
        if let Some(n) = number_value(node, self.source) {
            return plain(ValueExpr::literal(number_text(n)));
        }
        if let Some(s) = string_value(node, self.source) {
            return plain(ValueExpr::literal(s));
        }
        if let Some(var) = env_read(node, self.source) {
            return plain(ValueExpr::env(var, None));
        }
        match node.cached_kind() {
            "binary_expression" => self.binary(node, depth),
            "call_expression" => self.conversion(node, depth),
            "unary_expression" => {
                let op = node.field_child("operator").map(|o| self.source.text_of(o));
                match (op, node.field_child("argument")) {
                    (Some("+"), Some(arg)) => self.eval_at(arg, depth + 1),
                    _ => plain(ValueExpr::unknown(self.source.short_text_of(node))),
                }
            }
            "identifier" => self.name(node, depth),
            _ => plain(ValueExpr::unknown(self.source.short_text_of(node))),
        }
    }

    /// `a || d`, `a ?? d`: an env read with a constant fallback.
    fn binary(&self, node: Node<'t>, depth: usize) -> Value {
        let unknown = Value {
            expr: ValueExpr::unknown(self.source.short_text_of(node)),
            defined_at: None,
        };
        let op = node.field_child("operator").map(|o| self.source.text_of(o));
        if !matches!(op, Some("||" | "??")) {
            return unknown;
        }
        let (Some(left), Some(right)) = (node.field_child("left"), node.field_child("right"))
        else {
            return unknown;
        };
        let left = self.eval_at(left, depth + 1);
        let right = self.eval_at(right, depth + 1);
        match (&left.expr, &right.expr) {
            (ValueExpr::Env { var, default: None }, ValueExpr::Literal { value }) => Value {
                expr: ValueExpr::env(var.clone(), Some(value.clone())),
                defined_at: left.defined_at.or(right.defined_at),
            },
            (
                ValueExpr::Env {
                    default: Some(_), ..
                },
                _,
            ) => left,
            (ValueExpr::Literal { value }, _) if !value.is_empty() && value != "0" => left,
            _ => unknown,
        }
    }

    /// `parseInt(x, 10)`, `Number(x)`, `String(x)`, `Number.parseInt(x)`: the
    /// value of `x`.
    fn conversion(&self, node: Node<'t>, depth: usize) -> Value {
        let callee = node
            .field_child("function")
            .and_then(|f| dotted_name(f, self.source));
        let converts = matches!(
            callee.as_deref(),
            Some(
                "parseInt"
                    | "parseFloat"
                    | "Number"
                    | "String"
                    | "Number.parseInt"
                    | "Number.parseFloat"
            )
        );
        match call_args(node).first() {
            Some(arg) if converts => self.eval_at(*arg, depth + 1),
            _ => Value {
                expr: ValueExpr::unknown(self.source.short_text_of(node)),
                defined_at: None,
            },
        }
    }

    fn name(&self, node: Node<'t>, depth: usize) -> Value {
        let text = self.source.text_of(node);
        let unknown = Value {
            expr: ValueExpr::unknown(text),
            defined_at: None,
        };
        if self.reassigned.contains(&text) {
            return unknown;
        }
        let mut decls = self.decls.iter().filter(|(n, _)| *n == text);
        let (Some((_, decl)), None) = (decls.next(), decls.next()) else {
            return unknown;
        };
        match *decl {
            Decl::Value(value) => {
                let inner = self.eval_at(value, depth + 1);
                Value {
                    defined_at: inner
                        .defined_at
                        .or_else(|| Some(self.source.loc(strip(value)))),
                    expr: inner.expr,
                }
            }
            Decl::EnvPattern(key, default) => {
                let var = self.source.text_of(key).to_string();
                let default = default.map(|d| self.eval_at(d, depth + 1).expr);
                let default = match default {
                    None => None,
                    Some(ValueExpr::Literal { value }) => Some(value),
                    Some(_) => return unknown,
                };
                Value {
                    expr: ValueExpr::env(var, default),
                    defined_at: Some(self.source.loc(key.parent().unwrap_or(key))),
                }
            }
            Decl::Opaque => unknown,
        }
    }
}

/// `3000` not `3000.0`; non-integers as written by Rust.
fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// `process.env`, `Bun.env`.
fn is_process_env(node: Node<'_>, source: &Source<'_>) -> bool {
    matches!(
        dotted_name(node, source).as_deref(),
        Some("process.env" | "Bun.env" | "import.meta.env")
    )
}

/// `process.env.PORT`, `process.env['PORT']`, `Deno.env.get('PORT')`: the variable.
pub fn env_read(node: Node<'_>, source: &Source<'_>) -> Option<String> {
    let node = strip(node);
    match node.cached_kind() {
        "member_expression" | "subscript_expression" => {
            let object = node.field_child("object")?;
            if !is_process_env(object, source) {
                return None;
            }
            let name = match node.cached_kind() {
                "member_expression" => source.text_of(node.field_child("property")?).to_string(),
                _ => string_value(node.field_child("index")?, source)?,
            };
            Some(name)
        }
        "call_expression" => {
            let callee = dotted_name(node.field_child("function")?, source)?;
            if callee != "Deno.env.get" {
                return None;
            }
            string_value(*call_args(node).first()?, source)
        }
        _ => None,
    }
}
