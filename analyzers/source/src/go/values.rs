//! Values of Go expressions as `ValueExpr`: literals, `os.Getenv("X")`, and
//! the two idioms that give an env var a default:
//!
//! ```go
//! port := os.Getenv("PORT")            port := "8080"
//! if port == "" { port = "9090" }      if v := os.Getenv("PORT"); v != "" { port = v }
//! ```
//!
//! (also `port, ok := os.LookupEnv("PORT"); if !ok { port = "9090" }`), and a
//! helper of the file called as `getEnv("PORT", "8080")` whose body reads
//! `os.Getenv`/`os.LookupEnv`. A name is followed through its one
//! definition in the innermost function that defines it, else the package.
//! Anything else is `Unknown`.

use super::imports::Imports;
use super::syntax::{
    call_args, dotted_name, int_value, is_function, named_children, parameters, string_value,
    strip, walk, Source, MAX_CHAIN,
};
use crate::treesitter::NodeNames;
use seamcheck_facts::{Location, ValueExpr};
use tree_sitter::Node;

const MAX_DEPTH: usize = 16;

#[derive(Debug, Clone)]
pub struct Value {
    pub expr: ValueExpr,
    pub defined_at: Option<Location>,
}

pub struct Values<'a, 't> {
    pub source: &'a Source<'t>,
    pub imports: &'a Imports,
    root: Node<'t>,
    /// Functions of the file that read an env var with a fallback parameter.
    env_helpers: Vec<&'t str>,
    /// Functions of the file that store an env var through a pointer:
    /// `mustMapEnv(&port, "PORT")` (`*target = os.Getenv(key)`).
    env_setters: Vec<&'t str>,
}

/// Definitions of a name (the name node and what it is bound to) and its
/// later assignments (the statement and the assigned value).
type Bindings<'t> = (Vec<(Node<'t>, Def<'t>)>, Vec<(Node<'t>, Node<'t>)>);

/// One definition of a name: the value node, or a `LookupEnv` first result.
#[derive(Clone, Copy)]
enum Def<'t> {
    Value(Node<'t>),
    /// `x, ok := os.LookupEnv("X")`: the call.
    Lookup(Node<'t>),
    Opaque,
}

impl<'a, 't> Values<'a, 't> {
    pub fn new(
        root: Node<'t>,
        nodes: &[Node<'t>],
        source: &'a Source<'t>,
        imports: &'a Imports,
    ) -> Self {
        let mut env_helpers = Vec::new();
        let mut env_setters = Vec::new();
        for f in nodes
            .iter()
            .filter(|n| n.cached_kind() == "function_declaration")
        {
            let body = f.field_child("body").map_or("", |b| source.text_of(b));
            let reads_env = body.contains("os.Getenv") || body.contains("os.LookupEnv");
            let params = parameters(*f, source);
            if reads_env && params.len() == 2 {
                if let Some(name) = f.field_child("name") {
                    env_helpers.push(source.text_of(name));
                    let (target, ty) = &params[0];
                    let stores = body.replace(' ', "").contains(&format!("*{target}="));
                    if ty.starts_with('*') && stores {
                        env_setters.push(source.text_of(name));
                    }
                }
            }
        }
        Values {
            source,
            imports,
            root,
            env_helpers,
            env_setters,
        }
    }

    pub fn eval(&self, node: Node<'t>) -> Value {
        self.eval_at(node, 0)
    }

    fn unknown(&self, node: Node<'t>) -> Value {
        Value {
            expr: ValueExpr::unknown(self.source.short_text_of(node)),
            defined_at: None,
        }
    }

    pub fn eval_at(&self, node: Node<'t>, depth: usize) -> Value {
        let node = strip(node);
        if depth > MAX_DEPTH {
            return self.unknown(node);
        }
        let plain = |expr| Value {
            expr,
            defined_at: None,
        };
        if let Some((s, _)) = string_value(node, self.source) {
            return plain(ValueExpr::literal(s));
        }
        if let Some(i) = int_value(node, self.source) {
            return plain(ValueExpr::literal(i.to_string()));
        }
        match node.cached_kind() {
            "call_expression" => self.call(node, depth),
            "identifier" => self.name(node, depth),
            _ => self.unknown(node),
        }
    }

    fn call(&self, node: Node<'t>, depth: usize) -> Value {
        let callee = node
            .field_child("function")
            .and_then(|f| dotted_name(f, self.source))
            .unwrap_or_default();
        let args = call_args(node);
        if let Some(var) = self.env_var_of(node) {
            return Value {
                expr: ValueExpr::env(var, None),
                defined_at: None,
            };
        }
        // Conversions that keep the value: `strconv.Itoa(port)`, `fmt.Sprint(port)`.
        if matches!(
            callee.as_str(),
            "strconv.Itoa" | "fmt.Sprint" | "string" | "int" | "uint16"
        ) {
            if let [arg] = args.as_slice() {
                return self.eval_at(*arg, depth + 1);
            }
        }
        if self.env_helpers.contains(&callee.as_str()) {
            if let [key, fallback] = args.as_slice() {
                let key = string_value(*key, self.source).map(|(k, _)| k);
                let fallback = self.eval_at(*fallback, depth + 1).expr;
                if let (Some(key), ValueExpr::Literal { value }) = (key, fallback) {
                    return Value {
                        expr: ValueExpr::env(key, Some(value)),
                        defined_at: None,
                    };
                }
            }
        }
        self.unknown(node)
    }

    /// `os.Getenv("X")` / `os.LookupEnv("X")`: `X`.
    pub fn env_var_of(&self, call: Node<'t>) -> Option<String> {
        let call = strip(call);
        if call.cached_kind() != "call_expression" {
            return None;
        }
        let callee = dotted_name(call.field_child("function")?, self.source)?;
        let is_env = ["Getenv", "LookupEnv"]
            .iter()
            .any(|f| self.imports.is(&callee, &["os"], f));
        if !is_env {
            return None;
        }
        string_value(*call_args(call).first()?, self.source).map(|(v, _)| v)
    }

    /// The definitions and assignments of `name` seen from `at`: the innermost
    /// enclosing function that defines it, else the package level.
    fn scope_of(&self, name: &str, at: Node<'t>) -> Bindings<'t> {
        let mut scope = at;
        for _ in 0..4096 {
            let Some(parent) = scope.parent() else { break };
            scope = parent;
            if is_function(scope) || scope.id() == self.root.id() {
                let found = self.definitions_in(name, scope);
                if !found.0.is_empty() {
                    return found;
                }
            }
        }
        (Vec::new(), Vec::new())
    }

    /// (definitions: (name node, def), assignments: (statement, value)).
    fn definitions_in(&self, name: &str, scope: Node<'t>) -> Bindings<'t> {
        let mut defs = Vec::new();
        let mut assigns = Vec::new();
        let top_level = scope.id() == self.root.id();
        walk(scope, (), |node, _| {
            if node.id() != scope.id() && is_function(node) && top_level {
                return None;
            }
            match node.cached_kind() {
                "short_var_declaration" | "assignment_statement" | "var_spec" | "const_spec" => {
                    let (left, right) = match node.cached_kind() {
                        "var_spec" | "const_spec" => {
                            let mut cursor = node.walk();
                            let names: Vec<Node<'t>> =
                                node.children_by_field_name("name", &mut cursor).collect();
                            (
                                names,
                                node.field_child("value")
                                    .map(named_children)
                                    .unwrap_or_default(),
                            )
                        }
                        _ => (
                            node.field_child("left")
                                .map(named_children)
                                .unwrap_or_default(),
                            node.field_child("right")
                                .map(named_children)
                                .unwrap_or_default(),
                        ),
                    };
                    for (i, target) in left.iter().enumerate() {
                        if target.cached_kind() != "identifier"
                            || self.source.text_of(*target) != name
                        {
                            continue;
                        }
                        let def = if left.len() == right.len() {
                            right.get(i).map_or(Def::Opaque, |v| Def::Value(*v))
                        } else if i == 0
                            && right.len() == 1
                            && right.first().is_some_and(|r| self.env_var_of(*r).is_some())
                        {
                            right.first().map_or(Def::Opaque, |r| Def::Lookup(*r))
                        } else {
                            Def::Opaque
                        };
                        let plain_assignment = node.cached_kind() == "assignment_statement"
                            && node.field_child("operator").map(|o| self.source.text_of(o))
                                == Some("=");
                        if plain_assignment {
                            if let Def::Value(v) = def {
                                assigns.push((node, v));
                            } else {
                                assigns.push((node, node));
                            }
                        } else if node.cached_kind() == "assignment_statement" {
                            assigns.push((node, node));
                        } else {
                            defs.push((*target, def));
                        }
                    }
                }
                "inc_statement" | "dec_statement"
                    if named_children(node)
                        .first()
                        .is_some_and(|n| self.source.text_of(*n) == name) =>
                {
                    assigns.push((node, node));
                }
                _ => {}
            }
            Some(())
        });
        (defs, assigns)
    }

    /// The value node of a name with exactly one definition and no later
    /// assignment (`srv := &http.Server{...}`, `addr := ":8080"`).
    pub fn sole_value(&self, node: Node<'t>) -> Option<Node<'t>> {
        let (defs, assigns) = self.scope_of(self.source.text_of(node), node);
        if !assigns.is_empty() {
            return None;
        }
        match defs.as_slice() {
            [(_, Def::Value(v))] => Some(*v),
            _ => None,
        }
    }

    fn name(&self, node: Node<'t>, depth: usize) -> Value {
        let name = self.source.text_of(node);
        let (defs, assigns) = self.scope_of(name, node);
        let [(_, def)] = defs.as_slice() else {
            return self.unknown(node);
        };
        if let (Def::Opaque, true) = (def, assigns.is_empty()) {
            if let Some(value) = self.set_through_env_setter(name, node) {
                return value;
            }
        }
        let (base, defined_at) = match *def {
            Def::Value(v) => {
                let inner = self.eval_at(v, depth + 1);
                let at = inner
                    .defined_at
                    .clone()
                    .or_else(|| Some(self.source.loc(strip(v))));
                (inner.expr, at)
            }
            Def::Lookup(call) => match self.env_var_of(call) {
                Some(var) => (ValueExpr::env(var, None), Some(self.source.loc(call))),
                None => return self.unknown(node),
            },
            Def::Opaque => return self.unknown(node),
        };
        if assigns.is_empty() {
            return Value {
                expr: base,
                defined_at,
            };
        }
        match base {
            // port := os.Getenv("PORT"); if port == "" { port = "9090" }
            ValueExpr::Env { var, default: None } => {
                let mut default: Option<(String, Location)> = None;
                for (statement, value) in &assigns {
                    let Some(condition) =
                        guarding_if(*statement).and_then(|i| i.field_child("condition"))
                    else {
                        return self.unknown(node);
                    };
                    let text = self.source.text_of(condition).replace(' ', "");
                    let unset = text == format!("{name}==\"\"")
                        || text == format!("\"\"=={name}")
                        || text == format!("len({name})==0")
                        || text.starts_with('!');
                    let literal = match self.eval_at(*value, depth + 1).expr {
                        ValueExpr::Literal { value: v } if unset => v,
                        _ => return self.unknown(node),
                    };
                    if default.as_ref().is_some_and(|(d, _)| *d != literal) {
                        return self.unknown(node);
                    }
                    default = Some((literal, self.source.loc(*value)));
                }
                match default {
                    Some((d, at)) => Value {
                        expr: ValueExpr::env(var, Some(d)),
                        defined_at: Some(at),
                    },
                    None => self.unknown(node),
                }
            }
            // port := "8080"; if v := os.Getenv("PORT"); v != "" { port = v }
            ValueExpr::Literal { value: default } => {
                let mut var: Option<String> = None;
                for (statement, _) in &assigns {
                    let Some(guard) = guarding_if(*statement) else {
                        return self.unknown(node);
                    };
                    let read = self.env_read_in(guard);
                    match (&var, read) {
                        (_, None) => return self.unknown(node),
                        (Some(v), Some(r)) if *v != r => return self.unknown(node),
                        (_, Some(r)) => var = Some(r),
                    }
                }
                match var {
                    Some(v) => Value {
                        expr: ValueExpr::env(v, Some(default)),
                        defined_at,
                    },
                    None => self.unknown(node),
                }
            }
            _ => self.unknown(node),
        }
    }

    /// `var port string; mustMapEnv(&port, "PORT")`: the one call of an env
    /// setter of the file that stores into `name`, in the function that
    /// uses it.
    fn set_through_env_setter(&self, name: &str, at: Node<'t>) -> Option<Value> {
        if self.env_setters.is_empty() {
            return None;
        }
        let mut function = at;
        for _ in 0..4096 {
            function = function.parent()?;
            if is_function(function) {
                break;
            }
        }
        let mut found: Vec<(String, Node<'t>)> = Vec::new();
        walk(function, (), |node, _| {
            if node.cached_kind() == "call_expression" {
                let callee = node
                    .field_child("function")
                    .map_or("", |f| self.source.text_of(f));
                if self.env_setters.contains(&callee) {
                    if let [target, key] = call_args(node).as_slice() {
                        let target = self.source.text_of(*target).replace(' ', "");
                        if target == format!("&{name}") {
                            if let Some((key, _)) = string_value(*key, self.source) {
                                found.push((key, node));
                            }
                        }
                    }
                }
            }
            Some(())
        });
        match found.as_slice() {
            [(var, call)] => Some(Value {
                expr: ValueExpr::env(var.clone(), None),
                defined_at: Some(self.source.loc(*call)),
            }),
            _ => None,
        }
    }

    /// The one definition of a name (its value) and its later assignments
    /// (statement, assigned value), seen from `node`.
    pub fn value_and_assignments(
        &self,
        node: Node<'t>,
    ) -> Option<(Node<'t>, Vec<(Node<'t>, Node<'t>)>)> {
        let (defs, assigns) = self.scope_of(self.source.text_of(node), node);
        match defs.as_slice() {
            [(_, Def::Value(v))] => Some((*v, assigns)),
            _ => None,
        }
    }

    /// The env var an `if` reads in its initializer or condition.
    pub fn env_read_in(&self, if_statement: Node<'t>) -> Option<String> {
        let mut found = None;
        for part in ["initializer", "condition"] {
            let Some(n) = if_statement.field_child(part) else {
                continue;
            };
            walk(n, (), |c, _| {
                if found.is_none() {
                    found = self.env_var_of(c);
                }
                found.is_none().then_some(())
            });
        }
        found
    }
}

/// The `if` whose consequence directly holds `statement` (through blocks).
pub fn guarding_if(statement: Node<'_>) -> Option<Node<'_>> {
    let mut current = statement;
    for _ in 0..MAX_CHAIN {
        let parent = current.parent()?;
        match parent.cached_kind() {
            "block" | "statement_list" => current = parent,
            "if_statement" => {
                let consequence = parent.field_child("consequence")?;
                return (consequence.id() == current.id()).then_some(parent);
            }
            _ => return None,
        }
    }
    None
}
