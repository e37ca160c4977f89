//! Calls that start a server: `app.listen(port[, host][, cb])` on an
//! Express/Koa/NestJS/Fastify app or a `http.createServer(...)` server (also
//! chained: `http.createServer(app).listen(...)`), the options form
//! `listen({ port, host })`, and hapi's `Hapi.server({ port, host })`.

use super::apps::{built_by, App, Apps, FASTIFY, HAPI};
use super::imports::Imports;
use super::syntax::{call_args, dotted_name, has_spread, property, strip, Source};
use super::values::{Value, Values};
use crate::treesitter::NodeNames;
use seamcheck_facts::source::Listen;
use seamcheck_facts::{Framework, Located, Location, ValueExpr};
use tree_sitter::Node;

/// Node's `server.listen()` binds every interface (`::`, dual stack).
const ALL_INTERFACES: &str = "0.0.0.0";
/// Fastify (and NestJS on its adapter) listen on localhost unless told.
const LOCALHOST: &str = "127.0.0.1";

pub struct ListenFinder<'a, 't> {
    pub source: &'a Source<'t>,
    pub imports: &'a Imports,
    pub apps: &'a Apps<'t>,
    pub values: &'a Values<'a, 't>,
}

/// Framework, default host and the object the call starts.
struct Server {
    framework: Framework,
    default_host: &'static str,
    target: Option<String>,
}

impl<'t> ListenFinder<'_, 't> {
    pub fn find(&self, nodes: &[Node<'t>]) -> Vec<Listen> {
        let mut listens = Vec::new();
        for node in nodes {
            if node.cached_kind() == "call_expression" {
                if let Some(listen) = self.listen_call(*node) {
                    listens.push(listen);
                }
            }
        }
        for app in self.apps.apps.iter().filter(|a| a.framework == HAPI) {
            listens.push(self.hapi(app));
        }
        listens.sort_by_key(|l| l.loc.span.start);
        listens
    }

    fn server_of(&self, object: Node<'t>) -> Option<Server> {
        let of_app = |app: &App<'_>| Server {
            framework: app.framework,
            default_host: if app.framework == FASTIFY || app.fastify_adapter {
                LOCALHOST
            } else {
                ALL_INTERFACES
            },
            target: Some(app.var.clone()),
        };
        if let Some(name) = dotted_name(object, self.source) {
            return self
                .apps
                .get(&name)
                .filter(|a| a.framework != HAPI)
                .map(of_app);
        }
        let built = built_by(object, self.source, self.imports)?;
        (built.framework != HAPI).then(|| Server {
            framework: built.framework,
            default_host: if built.framework == FASTIFY || built.fastify_adapter {
                LOCALHOST
            } else {
                ALL_INTERFACES
            },
            target: None,
        })
    }

    fn listen_call(&self, call: Node<'t>) -> Option<Listen> {
        let callee = call.field_child("function")?;
        if callee.cached_kind() != "member_expression" {
            return None;
        }
        let method = self.source.text_of(callee.field_child("property")?);
        if method != "listen" {
            return None;
        }
        let object = strip(callee.field_child("object")?);
        let server = self.server_of(object)?;
        let call_text = match dotted_name(callee, self.source) {
            Some(name) => name,
            None => format!("{}(…).listen", self.callee_name(object)),
        };
        let args = call_args(call);
        let mut listen = empty_listen(
            call_text,
            server.framework,
            server.default_host,
            self.source.loc(call),
        );
        listen.app_target = server.target.map(|t| self.source.located(t, object));
        match args.first().map(|a| strip(*a)) {
            Some(options) if options.cached_kind() == "object" => {
                let port = property(options, "port", self.source);
                let host = property(options, "host", self.source);
                let spread = has_spread(options);
                self.set_port(&mut listen, port, spread, call);
                if let Some(host) = host {
                    self.set_host(&mut listen, host);
                } else if spread {
                    listen.host = Some(self.unknown_at("host from spread options", options));
                }
            }
            Some(first) if !self.is_callback(first) => {
                self.set_port(&mut listen, Some(first), false, call);
                if let Some(second) = args.get(1).map(|a| strip(*a)) {
                    if !self.is_callback(second) && second.cached_kind() != "number" {
                        self.set_host(&mut listen, second);
                    }
                }
            }
            _ => self.set_port(&mut listen, None, false, call),
        }
        Some(listen)
    }

    /// `Hapi.server({ port, host, address })`: hapi binds `address`, else
    /// `host`, else every interface; no port means an ephemeral one.
    fn hapi(&self, app: &App<'t>) -> Listen {
        let call_name = app
            .call
            .field_child("function")
            .or_else(|| app.call.field_child("constructor"))
            .map_or_else(
                || "Hapi.server".to_string(),
                |c| self.source.short_text_of(c),
            );
        let mut listen = empty_listen(call_name, HAPI, ALL_INTERFACES, self.source.loc(app.call));
        listen.app_target = Some(Located::new(app.var.clone(), self.source.loc(app.call)));
        let options = call_args(app.call).first().map(|o| strip(*o));
        let options = options.filter(|o| o.cached_kind() == "object");
        let spread = options.is_some_and(has_spread);
        let port = options.and_then(|o| property(o, "port", self.source));
        self.set_port(&mut listen, port, spread, app.call);
        let host = options.and_then(|o| {
            property(o, "address", self.source).or_else(|| property(o, "host", self.source))
        });
        if let Some(host) = host {
            self.set_host(&mut listen, host);
        }
        listen
    }

    fn callee_name(&self, call: Node<'t>) -> String {
        call.field_child("function")
            .or_else(|| call.field_child("constructor"))
            .and_then(|f| dotted_name(f, self.source))
            .unwrap_or_else(|| "server".to_string())
    }

    fn is_callback(&self, node: Node<'t>) -> bool {
        super::syntax::is_function(node)
            || (node.cached_kind() == "identifier"
                && self.values.is_function_name(self.source.text_of(node)))
    }

    fn unknown_at(&self, text: &str, node: Node<'t>) -> Located<ValueExpr> {
        self.source.located(ValueExpr::unknown(text), node)
    }

    /// No port (or `0`): the OS picks a free port, which no manifest can know.
    fn set_port(&self, listen: &mut Listen, port: Option<Node<'t>>, spread: bool, call: Node<'t>) {
        match port {
            Some(port) => {
                let Value { expr, defined_at } = self.values.eval(port);
                listen.port = Some(self.source.located(expr, port));
                listen.port_defined_at = defined_at;
            }
            None if spread => {
                listen.port = Some(self.unknown_at("port from spread options", call));
            }
            None => {
                listen.port = Some(self.unknown_at("no port: the OS picks a free one", call));
            }
        }
    }

    fn set_host(&self, listen: &mut Listen, host: Node<'t>) {
        let Value { expr, defined_at } = self.values.eval(host);
        listen.host = Some(self.source.located(expr, host));
        listen.host_defined_at = defined_at;
    }
}

fn empty_listen(call: String, framework: Framework, default_host: &str, loc: Location) -> Listen {
    Listen {
        call,
        framework,
        host: None,
        port: None,
        default_port: 0,
        default_host: default_host.to_string(),
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
