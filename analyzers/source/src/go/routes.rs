//! HTTP routes: `http.HandleFunc("/healthz", h)` and `mux.HandleFunc("GET
//! /x", h)` (Go 1.22 patterns), gin `r.GET`, echo `e.GET`, fiber
//! `app.Get`, chi `r.Get`, gorilla `r.HandleFunc("/x", h).Methods("GET")`,
//! with group prefixes the file shows. Handlers are resolved to the function
//! of the file: a literal, a named function, a method (`s.health`), or the
//! literal a handler factory returns (`s.handleHealth()`).

use super::imports::{Imports, NET_HTTP};
use super::routers::{join, Routers, F_CHI, F_ECHO, F_FIBER, F_GIN, F_GORILLA, F_NET_HTTP};
use super::statuses::StatusReader;
use super::syntax::{
    call_args, dotted_name, named_children, own_body_nodes, string_value, strip, Source, MAX_CHAIN,
};
use crate::treesitter::NodeNames;
use seamcheck_facts::source::Route;
use seamcheck_facts::{Framework, Located};
use tree_sitter::Node;

const VERBS: &[&str] = &[
    "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "CONNECT", "TRACE",
];

pub struct FoundRoute<'t> {
    pub route: Route,
    pub function: Option<Node<'t>>,
}

pub struct RouteFinder<'a, 't> {
    pub source: &'a Source<'t>,
    pub imports: &'a Imports,
    pub routers: &'a Routers,
    pub statuses: &'a StatusReader<'a, 't>,
    /// Functions and methods of the file by name.
    functions: Vec<(&'t str, Node<'t>)>,
}

/// How a route call names its method and path.
enum Shape {
    /// `HandleFunc(pattern, h)`: `"GET /x"` or `"/x"` (any method).
    Pattern,
    /// `GET(path, h)`: the method is the verb.
    Verb(String),
    /// `Any(path, h)`, `All(path, h)`: every method.
    Any,
    /// `Handle("GET", path, h)`, `Add("GET", path, h)`, chi `Method("GET", path, h)`.
    MethodFirst,
}

impl<'a, 't> RouteFinder<'a, 't> {
    pub fn new(
        nodes: &[Node<'t>],
        source: &'a Source<'t>,
        imports: &'a Imports,
        routers: &'a Routers,
        statuses: &'a StatusReader<'a, 't>,
    ) -> Self {
        let functions = nodes
            .iter()
            .filter(|n| {
                matches!(
                    n.cached_kind(),
                    "function_declaration" | "method_declaration"
                )
            })
            .filter_map(|n| Some((source.text_of(n.field_child("name")?), *n)))
            .collect();
        RouteFinder {
            source,
            imports,
            routers,
            statuses,
            functions,
        }
    }

    pub fn find(&self, nodes: &[Node<'t>]) -> Vec<FoundRoute<'t>> {
        nodes
            .iter()
            .filter(|n| n.cached_kind() == "call_expression")
            .filter_map(|n| self.route(*n))
            .collect()
    }

    fn shape(framework: Framework, method: &str) -> Option<Shape> {
        let shape = match (framework, method) {
            (F_NET_HTTP | F_CHI | F_GORILLA, "HandleFunc" | "Handle") => Shape::Pattern,
            (F_GIN | F_ECHO, m) if VERBS.contains(&m) => Shape::Verb(m.to_string()),
            (F_GIN | F_ECHO, "Any") => Shape::Any,
            (F_GIN, "Handle")
            | (F_ECHO, "Add")
            | (F_FIBER, "Add")
            | (F_CHI, "Method" | "MethodFunc") => Shape::MethodFirst,
            (F_FIBER, "All") => Shape::Any,
            (F_FIBER | F_CHI, m)
                if VERBS.contains(&m.to_ascii_uppercase().as_str())
                    && m.len() > 1
                    && m.chars().skip(1).all(|c| c.is_ascii_lowercase()) =>
            {
                Shape::Verb(m.to_ascii_uppercase())
            }
            _ => return None,
        };
        Some(shape)
    }

    fn route(&self, call: Node<'t>) -> Option<FoundRoute<'t>> {
        let function = strip(call.field_child("function")?);
        if function.cached_kind() != "selector_expression" {
            return None;
        }
        let method = self.source.text_of(function.field_child("field")?);
        let operand = strip(function.field_child("operand")?);
        let receiver = dotted_name(operand, self.source)?;
        let (framework, prefix) =
            if self.imports.path_of(&receiver) == Some("net/http") && !receiver.contains('.') {
                (F_NET_HTTP, String::new())
            } else {
                let router = self.routers.lookup(&receiver, call)?;
                (router.framework, router.prefix.clone())
            };
        let shape = Self::shape(framework, method)?;
        let args = call_args(call);
        let (mut methods, path_node) = match shape {
            Shape::Pattern | Shape::Verb(_) | Shape::Any => (Vec::new(), *args.first()?),
            Shape::MethodFirst => {
                let (m, _) = string_value(*args.first()?, self.source)?;
                (vec![m.to_ascii_uppercase()], *args.get(1)?)
            }
        };
        if let Shape::Verb(v) = &shape {
            methods.push(v.clone());
        }
        if args.len() < 2 {
            return None;
        }
        let (pattern, start) = string_value(path_node, self.source)?;
        let exact = self.source.text_of(path_node).len() == pattern.len() + 2;
        // Go 1.22: `"GET /items/{id}"`; the path is located after the method.
        let (path_text, path_loc) = match (&shape, pattern.split_once(' ')) {
            (Shape::Pattern, Some((verb, rest)))
                if VERBS.contains(&verb) && framework == F_NET_HTTP =>
            {
                methods.push(verb.to_string());
                let rest = rest.trim_start();
                let offset = pattern.len() - rest.len();
                let loc = if exact {
                    self.source.loc_span(start + offset, start + pattern.len())
                } else {
                    self.source.loc(path_node)
                };
                (rest.to_string(), loc)
            }
            _ => (pattern.clone(), self.source.loc(path_node)),
        };
        if !path_text.starts_with('/') {
            // A host pattern (`example.com/`) or not a path: not modelled.
            return None;
        }
        if framework == F_GORILLA {
            methods.extend(self.gorilla_methods(call));
        }
        let full = join(&prefix, &path_text);
        let handler = strip(*args.last()?);
        let label = format!("{} {full}", methods.first().map_or("ALL", String::as_str));
        let (name, handler_function) = self.handler_function(handler, &label);
        let returns = handler_function
            .map(|f| self.statuses.returns(f))
            .unwrap_or_default();
        Some(FoundRoute {
            route: Route {
                methods,
                path: Located::new(full, path_loc),
                handler: self.source.located(name, handler),
                handler_loc: self.source.loc(handler_function.unwrap_or(handler)),
                is_async: false,
                returns,
                app_var: receiver,
                framework,
            },
            function: handler_function,
        })
    }

    /// gorilla: `.Methods("GET", "HEAD")` chained on the route.
    fn gorilla_methods(&self, call: Node<'t>) -> Vec<String> {
        let mut methods = Vec::new();
        let mut current = call;
        for _ in 0..MAX_CHAIN {
            let Some(selector) = current
                .parent()
                .filter(|p| p.cached_kind() == "selector_expression")
            else {
                break;
            };
            let Some(outer) = selector
                .parent()
                .filter(|p| p.cached_kind() == "call_expression")
            else {
                break;
            };
            if selector
                .field_child("field")
                .is_some_and(|f| self.source.text_of(f) == "Methods")
            {
                for arg in call_args(outer) {
                    if let Some((m, _)) = string_value(arg, self.source) {
                        methods.push(m.to_ascii_uppercase());
                    } else if let Some(name) = dotted_name(arg, self.source) {
                        // `http.MethodGet`
                        if let Some(verb) = name
                            .rsplit('.')
                            .next()
                            .and_then(|n| n.strip_prefix("Method"))
                        {
                            methods.push(verb.to_ascii_uppercase());
                        }
                    }
                }
            }
            current = outer;
        }
        methods
    }

    /// The handler's name and its function in this file, when found.
    fn handler_function(&self, handler: Node<'t>, label: &str) -> (String, Option<Node<'t>>) {
        let mut node = handler;
        for _ in 0..MAX_CHAIN {
            match node.cached_kind() {
                "func_literal" => return (label.to_string(), Some(node)),
                "identifier" | "selector_expression" => {
                    let text = self.source.text_of(node).to_string();
                    let last = text.rsplit('.').next().unwrap_or(&text);
                    return (text.clone(), self.unique_function(last));
                }
                "call_expression" => {
                    let callee = node
                        .field_child("function")
                        .and_then(|f| dotted_name(f, self.source))
                        .unwrap_or_default();
                    let args = call_args(node);
                    // `http.HandlerFunc(f)`: a conversion.
                    if self.imports.is(&callee, NET_HTTP, "HandlerFunc") {
                        match args.first() {
                            Some(a) => {
                                node = strip(*a);
                                continue;
                            }
                            None => break,
                        }
                    }
                    // `s.handleHealth()`: a factory returning a literal.
                    let last = callee.rsplit('.').next().unwrap_or(&callee);
                    let produced = self.unique_function(last).and_then(|f| {
                        own_body_nodes(f)
                            .into_iter()
                            .filter(|n| n.cached_kind() == "return_statement")
                            .flat_map(named_children)
                            .flat_map(|e| {
                                if e.cached_kind() == "expression_list" {
                                    named_children(e)
                                } else {
                                    vec![e]
                                }
                            })
                            .find(|e| e.cached_kind() == "func_literal")
                    });
                    return (callee, produced);
                }
                _ => break,
            }
        }
        (self.source.short_text_of(handler), None)
    }

    fn unique_function(&self, name: &str) -> Option<Node<'t>> {
        let mut found = self.functions.iter().filter(|(n, _)| *n == name);
        match (found.next(), found.next()) {
            (Some((_, f)), None) => Some(*f),
            _ => None,
        }
    }
}
