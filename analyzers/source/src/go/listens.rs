//! Calls that start a server and the address they bind:
//! `http.ListenAndServe(addr, h)` (also TLS), `srv.ListenAndServe()` on an
//! `http.Server{Addr: ...}`, gin `r.Run(addr)` (none: `PORT` or 8080), echo
//! `e.Start(addr)`, fiber `app.Listen(addr)`, and `net.Listen("tcp", addr)`
//! (gRPC when the file imports grpc).
//!
//! An address is split into host and port, each located at its own text:
//! `":8080"`, `"localhost:8080"`, `":" + port`, `host + ":" + port`,
//! `fmt.Sprintf(":%s", port)`, `net.JoinHostPort(h, p)`, a name with one
//! definition. An empty host binds every interface.

use super::imports::{Imports, GRPC, NET_HTTP};
use super::routers::{Routers, F_ECHO, F_FIBER, F_GIN, F_NET_HTTP};
use super::syntax::{
    call_args, dotted_name, named_children, string_value, strip, Source, MAX_CHAIN,
};
use super::values::{self, Value, Values};
use crate::treesitter::NodeNames;
use seamcheck_facts::source::Listen;
use seamcheck_facts::{Framework, Located, Location, ValueExpr};
use tree_sitter::Node;

const ALL_INTERFACES: &str = "0.0.0.0";

pub struct ListenFinder<'a, 't> {
    pub source: &'a Source<'t>,
    pub imports: &'a Imports,
    pub routers: &'a Routers,
    pub values: &'a Values<'a, 't>,
}

/// One side (host or port) of an address.
type Part = Option<(ValueExpr, Location, Option<Location>)>;

/// An address split into host and port. `empty`: the address is `""`.
struct Address {
    host: Part,
    port: Part,
    empty: bool,
}

impl<'t> ListenFinder<'_, 't> {
    pub fn find(&self, nodes: &[Node<'t>]) -> Vec<Listen> {
        nodes
            .iter()
            .filter(|n| n.cached_kind() == "call_expression")
            .filter_map(|n| self.listen(*n))
            .collect()
    }

    fn listen(&self, call: Node<'t>) -> Option<Listen> {
        let function = strip(call.field_child("function")?);
        let callee = dotted_name(function, self.source);
        let args = call_args(call);
        if let Some(callee) = callee.as_deref() {
            for name in ["ListenAndServe", "ListenAndServeTLS"] {
                if self.imports.is(callee, NET_HTTP, name) {
                    return Some(self.with_address(
                        call,
                        callee,
                        F_NET_HTTP,
                        80,
                        args.first().copied(),
                    ));
                }
            }
            if self.imports.is(callee, &["net"], "Listen") {
                let network = args
                    .first()
                    .and_then(|n| string_value(*n, self.source))
                    .map(|(n, _)| n);
                if !network.as_deref().is_some_and(|n| n.starts_with("tcp")) {
                    return None;
                }
                let framework = if self.imports.imports_any(GRPC) {
                    Framework::Grpc
                } else {
                    Framework::GoNet
                };
                return Some(self.with_address(call, callee, framework, 0, args.get(1).copied()));
            }
        }
        if function.cached_kind() != "selector_expression" {
            return None;
        }
        let method = self.source.text_of(function.field_child("field")?);
        let operand = strip(function.field_child("operand")?);
        let call_name = format!(
            "{}.{method}",
            dotted_name(operand, self.source).unwrap_or_else(|| "server".to_string())
        );
        match method {
            "ListenAndServe" | "ListenAndServeTLS" => {
                let server = self.http_server_literal(operand)?;
                let addr = self.keyed(server, "Addr");
                Some(self.with_address(call, &call_name, F_NET_HTTP, 80, addr))
            }
            "Run" | "RunTLS" | "Start" | "StartTLS" | "Listen" | "ListenTLS" => {
                let router = self
                    .routers
                    .lookup(&dotted_name(operand, self.source)?, call)?;
                let expected = match method {
                    "Run" | "RunTLS" => F_GIN,
                    "Start" | "StartTLS" => F_ECHO,
                    _ => F_FIBER,
                };
                if router.framework != expected {
                    return None;
                }
                if method == "Run" && args.is_empty() {
                    // gin: `PORT` from the environment, else 8080, every interface.
                    let mut listen = empty_listen(&call_name, F_GIN, 8080, self.source.loc(call));
                    listen.port = Some(Located::new(
                        ValueExpr::env("PORT", Some("8080".to_string())),
                        self.source.loc(call),
                    ));
                    listen.app_target = Some(
                        self.source
                            .located(self.source.text_of(operand).to_string(), operand),
                    );
                    return Some(listen);
                }
                let mut listen =
                    self.with_address(call, &call_name, expected, 0, args.first().copied());
                listen.app_target = Some(
                    self.source
                        .located(self.source.text_of(operand).to_string(), operand),
                );
                Some(listen)
            }
            _ => None,
        }
    }

    fn with_address(
        &self,
        call: Node<'t>,
        name: &str,
        framework: Framework,
        default_port: u16,
        addr: Option<Node<'t>>,
    ) -> Listen {
        let mut listen = empty_listen(name, framework, default_port, self.source.loc(call));
        let Some(addr) = addr else {
            return listen;
        };
        let address = self.address(addr, 0);
        if address.empty {
            return listen;
        }
        if let Some((expr, loc, defined_at)) = address.port {
            listen.port = Some(Located::new(expr, loc));
            listen.port_defined_at = defined_at;
        }
        if let Some((expr, loc, defined_at)) = address.host {
            listen.host = Some(Located::new(expr, loc));
            listen.host_defined_at = defined_at;
        }
        listen
    }

    /// `&http.Server{...}` / `http.Server{...}` the operand stands for.
    fn http_server_literal(&self, operand: Node<'t>) -> Option<Node<'t>> {
        let mut node = strip(operand);
        for _ in 0..MAX_CHAIN {
            match node.cached_kind() {
                "unary_expression" => node = strip(node.field_child("operand")?),
                "identifier" => node = strip(self.values.sole_value(node)?),
                "composite_literal" => {
                    let ty = dotted_name(node.field_child("type")?, self.source)?;
                    return self.imports.is(&ty, NET_HTTP, "Server").then_some(node);
                }
                _ => return None,
            }
        }
        None
    }

    /// The value of `Key: value` in a composite literal.
    fn keyed(&self, literal: Node<'t>, key: &str) -> Option<Node<'t>> {
        let body = literal.field_child("body")?;
        for element in named_children(body)
            .into_iter()
            .filter(|e| e.cached_kind() == "keyed_element")
        {
            let children = named_children(element);
            let (Some(k), Some(v)) = (children.first(), children.get(1)) else {
                continue;
            };
            if self.source.text_of(*k) == key {
                return named_children(*v).first().copied().or(Some(*v));
            }
        }
        None
    }

    fn part(&self, value: Value, node: Node<'t>) -> Part {
        Some((value.expr, self.source.loc(node), value.defined_at))
    }

    fn unknown_address(&self, node: Node<'t>) -> Address {
        let expr = ValueExpr::unknown(self.source.short_text_of(node));
        let loc = self.source.loc(node);
        Address {
            host: Some((expr.clone(), loc.clone(), None)),
            port: Some((expr, loc, None)),
            empty: false,
        }
    }

    fn address(&self, node: Node<'t>, depth: usize) -> Address {
        let node = strip(node);
        if depth > 8 {
            return self.unknown_address(node);
        }
        if let Some((text, start)) = string_value(node, self.source) {
            return self.literal_address(node, &text, start);
        }
        match node.cached_kind() {
            "binary_expression" => self.concatenation(node),
            "call_expression" => {
                let callee = node
                    .field_child("function")
                    .and_then(|f| dotted_name(f, self.source))
                    .unwrap_or_default();
                let args = call_args(node);
                if self.imports.is(&callee, &["net"], "JoinHostPort") {
                    if let [host, port] = args.as_slice() {
                        let host_value = self.values.eval(*host);
                        let host_part = match &host_value.expr {
                            ValueExpr::Literal { value } if value.is_empty() => None,
                            _ => self.part(host_value, *host),
                        };
                        return Address {
                            host: host_part,
                            port: self.part(self.values.eval(*port), *port),
                            empty: false,
                        };
                    }
                }
                if self.imports.is(&callee, &["fmt"], "Sprintf") {
                    return self.sprintf(node, &args);
                }
                self.unknown_address(node)
            }
            "identifier" => match self.values.sole_value(node) {
                Some(value) => {
                    // Point at the name in the call; say where its value is written.
                    let mut inner = self.address(value, depth + 1);
                    let here = self.source.loc(node);
                    for part in [&mut inner.host, &mut inner.port].into_iter().flatten() {
                        part.2 = part.2.take().or_else(|| Some(part.1.clone()));
                        part.1 = here.clone();
                    }
                    inner
                }
                None => self
                    .reassigned_address(node, depth)
                    .unwrap_or_else(|| self.unknown_address(node)),
            },
            _ => self.unknown_address(node),
        }
    }

    /// An address variable with a default and an env override, in the two
    /// shapes real services write:
    ///
    /// ```go
    /// addr := ":8080"                          port := "50051"
    /// if p := os.Getenv("PORT"); p != "" {      if v, ok := os.LookupEnv("PORT"); ok {
    ///     addr = ":" + p                            port = v
    /// }                                         }
    ///                                           port = fmt.Sprintf(":%s", port)
    /// ```
    ///
    /// Anything else assigned to the name leaves it unknown.
    fn reassigned_address(&self, node: Node<'t>, depth: usize) -> Option<Address> {
        let name = self.source.text_of(node);
        let (initial, mut assigns) = self.values.value_and_assignments(node)?;
        assigns.sort_by_key(|(statement, _)| statement.start_byte());
        // Shape 2: the last assignment formats the port into an address.
        let mut formats_port = false;
        if let Some((statement, value)) = assigns.last() {
            let text = self.source.text_of(*value).replace([' ', '\t'], "");
            let formatted = [
                format!("fmt.Sprintf(\":%s\",{name})"),
                format!("fmt.Sprintf(\":%d\",{name})"),
                format!("fmt.Sprintf(\":%v\",{name})"),
                format!("\":\"+{name}"),
            ];
            if values::guarding_if(*statement).is_none() && formatted.contains(&text) {
                formats_port = true;
                assigns.pop();
            }
        }
        let mut var: Option<String> = None;
        for (statement, value) in &assigns {
            let guard = values::guarding_if(*statement)?;
            let read = self.values.env_read_in(guard)?;
            if var.as_ref().is_some_and(|v| *v != read) {
                return None;
            }
            // The value assigned is the variable read (or, for an address,
            // an address whose port is that variable).
            let port_is_read = if formats_port {
                matches!(self.values.eval(*value).expr, ValueExpr::Env { var: ref v, .. } if *v == read)
            } else {
                let address = self.address(*value, depth + 1);
                matches!(address.port, Some((ValueExpr::Env { var: ref v, .. }, _, _)) if *v == read)
                    && address.host.is_none()
            };
            if !port_is_read {
                return None;
            }
            var = Some(read);
        }
        let var = var?;
        let here = self.source.loc(node);
        let (default, defined_at) = if formats_port {
            let value = self.values.eval(initial);
            match value.expr {
                ValueExpr::Literal { value: v } if !v.contains(':') => (
                    v,
                    value
                        .defined_at
                        .or_else(|| Some(self.source.loc(strip(initial)))),
                ),
                _ => return None,
            }
        } else {
            let address = self.address(initial, depth + 1);
            if address.host.is_some() {
                return None;
            }
            match address.port {
                Some((ValueExpr::Literal { value: v }, loc, at)) => (v, at.or(Some(loc))),
                _ => return None,
            }
        };
        Some(Address {
            host: None,
            port: Some((ValueExpr::env(var, Some(default)), here, defined_at)),
            empty: false,
        })
    }

    /// `"host:port"` as written in a literal starting (after its quote) at `start`.
    fn literal_address(&self, node: Node<'t>, text: &str, start: usize) -> Address {
        if text.is_empty() {
            return Address {
                host: None,
                port: None,
                empty: true,
            };
        }
        // Escapes would shift offsets: then locate both parts at the literal.
        let exact = self.source.text_of(node).len() == text.len() + 2;
        let at = |range: std::ops::Range<usize>| {
            if exact {
                self.source.loc_span(start + range.start, start + range.end)
            } else {
                self.source.loc(node)
            }
        };
        let Some(colon) = text.rfind(':') else {
            return self.unknown_address(node);
        };
        let host_text = text.get(..colon).unwrap_or("");
        let port_text = text.get(colon + 1..).unwrap_or("");
        let (host_start, host_end) =
            if host_text.starts_with('[') && host_text.ends_with(']') && host_text.len() >= 2 {
                (1, colon - 1)
            } else {
                (0, colon)
            };
        let host = (!host_text.is_empty()).then(|| {
            let h = text.get(host_start..host_end).unwrap_or("");
            (ValueExpr::literal(h), at(host_start..host_end), None)
        });
        let port = Some((
            ValueExpr::literal(port_text),
            at(colon + 1..text.len()),
            None,
        ));
        Address {
            host,
            port,
            empty: false,
        }
    }

    /// `":" + port`, `host + ":" + port`, `"0.0.0.0:" + port`.
    fn concatenation(&self, node: Node<'t>) -> Address {
        let mut parts: Vec<Node<'t>> = Vec::new();
        let mut current = node;
        for _ in 0..MAX_CHAIN {
            let op = current
                .field_child("operator")
                .map(|o| self.source.text_of(o));
            if current.cached_kind() != "binary_expression" || op != Some("+") {
                parts.push(current);
                break;
            }
            let (Some(left), Some(right)) =
                (current.field_child("left"), current.field_child("right"))
            else {
                return self.unknown_address(node);
            };
            parts.push(strip(right));
            current = strip(left);
        }
        parts.reverse();
        let colon_part = parts.iter().enumerate().rev().find_map(|(i, p)| {
            string_value(*p, self.source)
                .filter(|(t, _)| t.contains(':'))
                .map(|s| (i, *p, s))
        });
        let Some((k, colon_node, (text, start))) = colon_part else {
            return self.unknown_address(node);
        };
        let colon = text.rfind(':').unwrap_or(0);
        let before = parts.get(..k).unwrap_or(&[]);
        let after = parts.get(k + 1..).unwrap_or(&[]);
        let prefix = text.get(..colon).unwrap_or("");
        let suffix = text.get(colon + 1..).unwrap_or("");
        let exact = self.source.text_of(colon_node).len() == text.len() + 2;
        let host = match (before, prefix.is_empty()) {
            ([], true) => None,
            ([], false) => {
                let loc = if exact {
                    self.source.loc_span(start, start + colon)
                } else {
                    self.source.loc(colon_node)
                };
                Some((ValueExpr::literal(prefix), loc, None))
            }
            ([one], true) => self.part(self.values.eval(*one), *one),
            _ => Some((
                ValueExpr::unknown(self.source.short_text_of(node)),
                self.source.loc(node),
                None,
            )),
        };
        let port = match (after, suffix.is_empty()) {
            ([one], true) => self.part(self.values.eval(*one), *one),
            ([], false) => {
                let loc = if exact {
                    self.source.loc_span(start + colon + 1, start + text.len())
                } else {
                    self.source.loc(colon_node)
                };
                Some((ValueExpr::literal(suffix), loc, None))
            }
            _ => Some((
                ValueExpr::unknown(self.source.short_text_of(node)),
                self.source.loc(node),
                None,
            )),
        };
        Address {
            host,
            port,
            empty: false,
        }
    }

    /// `fmt.Sprintf(":%s", port)`, `fmt.Sprintf("%s:%d", host, port)`.
    fn sprintf(&self, node: Node<'t>, args: &[Node<'t>]) -> Address {
        let Some((format, _)) = args.first().and_then(|f| string_value(*f, self.source)) else {
            return self.unknown_address(node);
        };
        let Some(colon) = format.rfind(':') else {
            return self.unknown_address(node);
        };
        let host_fmt = format.get(..colon).unwrap_or("");
        let port_fmt = format.get(colon + 1..).unwrap_or("");
        let verbs = |s: &str| s.matches('%').count();
        let is_verb = |s: &str| matches!(s, "%s" | "%d" | "%v");
        let mut next_arg = 1;
        let host = if host_fmt.is_empty() {
            None
        } else if is_verb(host_fmt) {
            next_arg += 1;
            args.get(1)
                .and_then(|a| self.part(self.values.eval(*a), *a))
        } else if verbs(host_fmt) == 0 {
            Some((ValueExpr::literal(host_fmt), self.source.loc(node), None))
        } else {
            return self.unknown_address(node);
        };
        let port = if is_verb(port_fmt) {
            args.get(next_arg)
                .and_then(|a| self.part(self.values.eval(*a), *a))
        } else if verbs(port_fmt) == 0 && !port_fmt.is_empty() {
            Some((ValueExpr::literal(port_fmt), self.source.loc(node), None))
        } else {
            return self.unknown_address(node);
        };
        Address {
            host,
            port,
            empty: false,
        }
    }
}

fn empty_listen(call: &str, framework: Framework, default_port: u16, loc: Location) -> Listen {
    Listen {
        call: call.to_string(),
        framework,
        host: None,
        port: None,
        default_port,
        default_host: ALL_INTERFACES.to_string(),
        debug: None,
        in_main_guard: false,
        loc,
        app_target: None,
        reload: None,
        port_defined_at: None,
        host_defined_at: None,
        via_function: None,
    }
}
