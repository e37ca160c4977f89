//! Servers beyond Flask and uvicorn: aiohttp `web.run_app(app, port=)`,
//! Sanic `app.run(host=, port=)`, Tornado `app.listen(port, address=)`,
//! gRPC `server.add_insecure_port("[::]:50051")`.

use super::imports::Imports;
use super::syntax::{dotted_name, named_children, string_value, unparenthesize, CallArgs, Source};
use super::values::Values;
use crate::treesitter::NodeNames;
use seamcheck_facts::source::Listen;
use seamcheck_facts::{Framework, Located, Location, ValueExpr};
use std::collections::HashMap;
use tree_sitter::Node;

pub struct ServerFinder<'a, 't> {
    pub source: &'a Source<'t>,
    pub imports: &'a Imports,
    pub values: &'a Values<'a, 't>,
}

struct Setting {
    value: Located<ValueExpr>,
    defined_at: Option<Location>,
}

impl<'t> ServerFinder<'_, 't> {
    pub fn find(&self, root: Node<'t>, nodes: &[Node<'t>]) -> Vec<Listen> {
        // Every server below is a qualified name from one of these modules.
        if !self
            .imports
            .binds_any(&["aiohttp", "sanic", "tornado", "grpc"])
        {
            return Vec::new();
        }
        let sanic_apps = self.instances(nodes, &["sanic.Sanic"]);
        let imports_tornado = self.imports_module("tornado");
        let imports_grpc = self.imports_module("grpc");
        // Each call with its enclosing function, in one walk: asking a
        // tree-sitter node for its parent costs the depth of the tree.
        let mut calls: Vec<(Node<'t>, Option<Node<'t>>)> = Vec::new();
        self.source
            .walk_with_fields(root, None, |node, _, function: &Option<Node<'t>>| {
                if node.cached_kind() == "call" {
                    calls.push((node, *function));
                }
                Some(if node.cached_kind() == "function_definition" {
                    Some(node)
                } else {
                    *function
                })
            });
        let mut listens = Vec::new();
        for (call, scope) in calls {
            let Some(function) = call.field_child("function") else {
                continue;
            };
            let Some(callee) = dotted_name(function, self.source) else {
                continue;
            };
            let qualified = self.imports.qualify(&callee);
            let (object, method) = match callee.rsplit_once('.') {
                Some((o, m)) => (o, m),
                None => ("", callee.as_str()),
            };
            // Only calls that can start a server are looked at further.
            let candidate = qualified == "aiohttp.web.run_app"
                || (method == "run" && sanic_apps.contains_key(object))
                || (method == "listen" && imports_tornado && !object.is_empty())
                || (matches!(method, "add_insecure_port" | "add_secure_port") && imports_grpc);
            if !candidate {
                continue;
            }
            let args = CallArgs::of(call, self.source);
            let listen = if qualified == "aiohttp.web.run_app" {
                // `run_app(app, host=None, port=None)`: all interfaces, 8080.
                Some(self.listen(
                    call,
                    &callee,
                    Framework::Aiohttp,
                    8080,
                    "0.0.0.0",
                    args.keyword("host"),
                    args.keyword("port"),
                    scope,
                ))
            } else if method == "run" && sanic_apps.contains_key(object) {
                Some(self.listen(
                    call,
                    &callee,
                    Framework::Sanic,
                    8000,
                    "127.0.0.1",
                    args.get(0, "host"),
                    args.get(1, "port"),
                    scope,
                ))
            } else if method == "listen" && imports_tornado && !object.is_empty() {
                // `listen(port, address="")`: an empty address is every interface.
                Some(self.listen(
                    call,
                    &callee,
                    Framework::Tornado,
                    0,
                    "0.0.0.0",
                    args.get(1, "address"),
                    args.get(0, "port"),
                    scope,
                ))
            } else if matches!(method, "add_insecure_port" | "add_secure_port") && imports_grpc {
                args.get(0, "address")
                    .map(|a| self.grpc(call, &callee, a, scope))
            } else {
                None
            };
            listens.extend(listen);
        }
        listens
    }

    fn imports_module(&self, module: &str) -> bool {
        let text = self.source.text;
        text.contains(&format!("import {module}")) || text.contains(&format!("from {module}"))
    }

    /// Variables assigned an instance of one of `classes` at module level or anywhere.
    fn instances(&self, nodes: &[Node<'t>], classes: &[&str]) -> HashMap<String, Node<'t>> {
        let mut out = HashMap::new();
        for &node in nodes.iter().filter(|n| n.cached_kind() == "assignment") {
            let (Some(left), Some(right)) = (node.field_child("left"), node.field_child("right"))
            else {
                continue;
            };
            if right.cached_kind() != "call" {
                continue;
            }
            let class = right
                .field_child("function")
                .and_then(|f| dotted_name(f, self.source))
                .map(|c| self.imports.qualify(&c));
            if class.is_some_and(|c| classes.contains(&c.as_str())) {
                out.insert(self.source.text_of(left).to_string(), right);
            }
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn listen(
        &self,
        call: Node<'t>,
        callee: &str,
        framework: Framework,
        default_port: u16,
        default_host: &str,
        host: Option<Node<'t>>,
        port: Option<Node<'t>>,
        scope: Option<Node<'t>>,
    ) -> Listen {
        let host = host.and_then(|h| self.setting(h, scope)).map(|mut s| {
            // Tornado/Sanic/aiohttp: an empty host string is every interface.
            if s.value.value == ValueExpr::literal("") {
                s.value.value = ValueExpr::literal("0.0.0.0");
            }
            s
        });
        let port = port.and_then(|p| self.setting(p, scope));
        self.make(
            call,
            callee,
            framework,
            default_port,
            default_host,
            host,
            port,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn make(
        &self,
        call: Node<'t>,
        callee: &str,
        framework: Framework,
        default_port: u16,
        default_host: &str,
        host: Option<Setting>,
        port: Option<Setting>,
    ) -> Listen {
        Listen {
            call: callee.to_string(),
            framework,
            port_defined_at: port.as_ref().and_then(|s| s.defined_at.clone()),
            host_defined_at: host.as_ref().and_then(|s| s.defined_at.clone()),
            host: host.map(|s| s.value),
            port: port.map(|s| s.value),
            default_port,
            default_host: default_host.to_string(),
            debug: None,
            in_main_guard: false,
            loc: self.source.loc(call),
            app_target: None,
            reload: None,
            via_function: None,
        }
    }

    fn setting(&self, node: Node<'t>, scope: Option<Node<'t>>) -> Option<Setting> {
        let read = self.values.read(node, scope)?;
        Some(Setting {
            value: self.source.located(read.value, node),
            defined_at: read.defined_at,
        })
    }

    /// `"[::]:50051"`, `f"[::]:{port}"`, `"0.0.0.0:" + str(port)`.
    fn grpc(
        &self,
        call: Node<'t>,
        callee: &str,
        address: Node<'t>,
        scope: Option<Node<'t>>,
    ) -> Listen {
        let address = unparenthesize(address);
        let unknown = || {
            let value = self.source.located(
                ValueExpr::unknown(self.source.short_text_of(address)),
                address,
            );
            (
                Some(Setting {
                    value: value.clone(),
                    defined_at: None,
                }),
                Some(Setting {
                    value,
                    defined_at: None,
                }),
            )
        };
        let (host, port) = if let Some(text) = string_value(address, self.source) {
            self.split_literal(address, &text)
        } else if address.cached_kind() == "string" {
            self.split_fstring(address, scope).unwrap_or_else(unknown)
        } else if address.cached_kind() == "binary_operator" {
            self.split_concatenation(address, scope)
                .unwrap_or_else(unknown)
        } else {
            unknown()
        };
        self.make(call, callee, Framework::Grpc, 0, "0.0.0.0", host, port)
    }

    fn split_literal(&self, node: Node<'t>, text: &str) -> (Option<Setting>, Option<Setting>) {
        // Positions map into the file only when the literal is written plainly.
        let written = self.source.text_of(node);
        let offset = written.find(text).filter(|_| !text.is_empty());
        let locate = |r: std::ops::Range<usize>| match offset {
            Some(o) => self.source.loc_span(
                node.start_byte() + o + r.start,
                node.start_byte() + o + r.end,
            ),
            None => self.source.loc(node),
        };
        let (host, port) = split_host_port(text);
        let part = |r: std::ops::Range<usize>| {
            let value = text.get(r.clone()).unwrap_or("");
            let value = if value == "[::]" || value == "::" {
                "::"
            } else {
                value
            };
            Setting {
                value: Located::new(
                    ValueExpr::literal(value.trim_matches(['[', ']'])),
                    locate(r),
                ),
                defined_at: None,
            }
        };
        (host.map(part), port.map(part))
    }

    /// `"[::]:" + port`, `"0.0.0.0:" + str(port)`: a literal host ending in
    /// `:` joined with one expression, the port.
    fn split_concatenation(
        &self,
        node: Node<'t>,
        scope: Option<Node<'t>>,
    ) -> Option<(Option<Setting>, Option<Setting>)> {
        let left = node.child_by_field_name("left")?;
        let right = node.child_by_field_name("right")?;
        let operator = node.child_by_field_name("operator")?;
        if self.source.text_of(operator) != "+" || left.cached_kind() != "string" {
            return None;
        }
        let text = string_value(left, self.source)?;
        let host_text = text.strip_suffix(':')?;
        let written = self.source.text_of(left);
        let offset = written.find(host_text).filter(|_| !host_text.is_empty());
        let host_loc = match offset {
            Some(o) => self.source.loc_span(
                left.start_byte() + o,
                left.start_byte() + o + host_text.len(),
            ),
            None => self.source.loc(left),
        };
        let host = Setting {
            value: Located::new(
                ValueExpr::literal(host_text.trim_matches(['[', ']'])),
                host_loc,
            ),
            defined_at: None,
        };
        Some((
            Some(host),
            self.setting(unwrap_str_call(right, self.source), scope),
        ))
    }

    /// `f"[::]:{port}"`: literal host, one interpolated port.
    fn split_fstring(
        &self,
        node: Node<'t>,
        scope: Option<Node<'t>>,
    ) -> Option<(Option<Setting>, Option<Setting>)> {
        let parts = named_children(node);
        let interpolations: Vec<Node<'t>> = parts
            .iter()
            .copied()
            .filter(|p| p.cached_kind() == "interpolation")
            .collect();
        let [interpolation] = interpolations.as_slice() else {
            return None;
        };
        let before = self
            .source
            .text
            .get(node.start_byte()..interpolation.start_byte())?;
        let host_text = before
            .trim_start_matches(['f', 'F', 'r', 'R', '"', '\''])
            .strip_suffix(':')?;
        let host_start = node.start_byte() + before.len() - 1 - host_text.len();
        let host = Setting {
            value: Located::new(
                ValueExpr::literal(host_text.trim_matches(['[', ']'])),
                self.source
                    .loc_span(host_start, host_start + host_text.len()),
            ),
            defined_at: None,
        };
        let expression = named_children(*interpolation).into_iter().next()?;
        Some((Some(host), self.setting(expression, scope)))
    }
}

/// `str(port)` → `port`: the conversion does not change the number.
fn unwrap_str_call<'t>(node: Node<'t>, source: &Source<'t>) -> Node<'t> {
    let node = unparenthesize(node);
    if node.cached_kind() != "call" {
        return node;
    }
    let is_str = node
        .child_by_field_name("function")
        .is_some_and(|f| source.text_of(f) == "str");
    let only_argument = node
        .child_by_field_name("arguments")
        .map(named_children)
        .and_then(|a| match a.as_slice() {
            [one] if one.cached_kind() != "keyword_argument" => Some(*one),
            _ => None,
        });
    match (is_str, only_argument) {
        (true, Some(inner)) => inner,
        _ => node,
    }
}

fn split_host_port(
    text: &str,
) -> (
    Option<std::ops::Range<usize>>,
    Option<std::ops::Range<usize>>,
) {
    match text.rfind(':') {
        Some(i) => (Some(0..i), Some(i + 1..text.len())),
        None => (None, Some(0..text.len())),
    }
}
