//! Calls that start a server: `TcpListener::bind` (std, tokio), hyper/axum
//! `Server::bind`, actix-web `HttpServer::new(..).bind(..)`, warp
//! `warp::serve(..).run(..)`, tonic `Server::builder()..serve(..)`, and
//! rocket's `rocket::build()` (configured by `Rocket.toml` and `ROCKET_*`).

use super::items::{lets, Items};
use super::src::Src;
use super::syntax::{call_path, chain, ends_with, is_cfg_test, is_test_fn, last, strip};
use super::values::{Address, Scope, Setting, Values};
use seamcheck_facts::source::{Listen, ListenScope};
use seamcheck_facts::{Framework, Location, ValueExpr};
use std::collections::HashMap;
use syn::visit::Visit;
use syn::{Expr, ItemFn};

/// Rocket's defaults (`Config::default()`): 127.0.0.1:8000, each overridden
/// by `Rocket.toml` and the `ROCKET_PORT` / `ROCKET_ADDRESS` variables.
pub const ROCKET_PORT: u16 = 8000;
pub const ROCKET_HOST: &str = "127.0.0.1";

pub struct Found {
    pub listens: Vec<Listen>,
    pub scopes: Vec<ListenScope>,
}

pub fn find(file: &syn::File, items: &Items, src: &Src) -> Found {
    let mut finder = Finder {
        items,
        values: Values { src },
        src,
        lets: vec![HashMap::new()],
        found: Found {
            listens: Vec::new(),
            scopes: Vec::new(),
        },
    };
    finder.visit_file(file);
    let mut found = finder.found;
    // The visit meets `a.bind(x).bind(y)` outside in; the file reads it
    // inside out. Order by where each call ends, and re-point the scopes.
    let mut order: Vec<usize> = (0..found.listens.len()).collect();
    order.sort_by_key(|&i| {
        found
            .listens
            .get(i)
            .map(|l| (l.loc.span.end, l.loc.span.start))
    });
    let mut listens: Vec<Option<Listen>> = found.listens.into_iter().map(Some).collect();
    found.listens = order
        .iter()
        .filter_map(|&i| listens.get_mut(i).and_then(Option::take))
        .collect();
    for scope in &mut found.scopes {
        if let Some(new) = order.iter().position(|&i| i == scope.listen) {
            scope.listen = new;
        }
    }
    found
}

struct Finder<'s, 'f> {
    items: &'s Items<'f>,
    values: Values<'s>,
    src: &'s Src<'s>,
    /// `let` bindings of the enclosing functions, innermost last.
    lets: Vec<HashMap<String, Vec<Option<&'f Expr>>>>,
    found: Found,
}

impl<'f> Visit<'f> for Finder<'_, 'f> {
    fn visit_item_fn(&mut self, f: &'f ItemFn) {
        if is_test_fn(&f.attrs) || is_cfg_test(&f.attrs) {
            return;
        }
        self.lets.push(lets(&f.block));
        syn::visit::visit_item_fn(self, f);
        self.lets.pop();
    }

    fn visit_impl_item_fn(&mut self, f: &'f syn::ImplItemFn) {
        if is_test_fn(&f.attrs) || is_cfg_test(&f.attrs) {
            return;
        }
        self.lets.push(lets(&f.block));
        syn::visit::visit_impl_item_fn(self, f);
        self.lets.pop();
    }

    fn visit_item_mod(&mut self, m: &'f syn::ItemMod) {
        if !is_cfg_test(&m.attrs) {
            syn::visit::visit_item_mod(self, m);
        }
    }

    fn visit_expr(&mut self, expr: &'f Expr) {
        self.listen(expr);
        syn::visit::visit_expr(self, expr);
    }
}

impl<'f> Finder<'_, 'f> {
    fn listen(&mut self, expr: &'f Expr) {
        // Borrowed out of `self` for the call, put back after.
        let lets = self.lets.last_mut().map(std::mem::take).unwrap_or_default();
        self.listen_in(expr, &lets);
        if let Some(slot) = self.lets.last_mut() {
            *slot = lets;
        }
    }

    fn listen_in(&mut self, expr: &'f Expr, lets: &HashMap<String, Vec<Option<&'f Expr>>>) {
        let scope = Scope {
            items: self.items,
            lets,
        };
        match expr {
            Expr::Call(call) => {
                let Some((path, _)) = call_path(expr) else {
                    return;
                };
                let full = self.items.qualify(&path);
                let first_arg = call.args.first();
                if ends_with(&full, &["TcpListener", "bind"]) {
                    let framework = if full.first().is_some_and(|c| c == "tokio")
                        || (full.len() < 3 && self.items.uses_crate("tokio"))
                    {
                        Framework::Tokio
                    } else {
                        Framework::RustStd
                    };
                    if let Some(arg) = first_arg {
                        let address = self.values.address(arg, &scope, 0);
                        self.push(expr, &path, framework, address, None);
                    }
                } else if ends_with(&full, &["Server", "bind"])
                    || ends_with(&full, &["Server", "try_bind"])
                    || full == ["axum_server", "bind"]
                {
                    let framework = if self.items.uses_crate("axum") {
                        Framework::Axum
                    } else {
                        Framework::Hyper
                    };
                    if let Some(arg) = first_arg {
                        let address = self.values.address(arg, &scope, 0);
                        self.push(expr, &path, framework, address, None);
                    }
                } else if full.first().is_some_and(|c| c == "rocket")
                    && matches!(last(&full), "build" | "ignite" | "custom")
                    && full.len() == 2
                {
                    self.rocket(expr, &path, first_arg, &scope);
                }
            }
            Expr::MethodCall(m) => {
                let method = m.method.to_string();
                let (root, _) = chain(&m.receiver);
                let root_path = call_path(root).map(|(p, _)| self.items.qualify(&p));
                let root_is =
                    |tail: &[&str]| root_path.as_ref().is_some_and(|p| ends_with(p, tail));
                let framework = match method.as_str() {
                    "bind" | "bind_rustls" | "bind_rustls_021" | "bind_rustls_0_22"
                    | "bind_rustls_0_23" | "bind_openssl" | "bind_auto_h2c"
                        if root_is(&["HttpServer", "new"]) =>
                    {
                        Some(Framework::ActixWeb)
                    }
                    "run"
                    | "bind"
                    | "try_bind"
                    | "bind_with_graceful_shutdown"
                    | "try_bind_with_graceful_shutdown"
                    | "bind_ephemeral"
                        if root_path.as_ref().is_some_and(|p| {
                            p.first().is_some_and(|c| c == "warp") && last(p) == "serve"
                        }) =>
                    {
                        Some(Framework::Warp)
                    }
                    "serve" | "serve_with_shutdown" if root_is(&["Server", "builder"]) => {
                        Some(Framework::Tonic)
                    }
                    _ => None,
                };
                let (Some(framework), Some(arg)) = (framework, m.args.first()) else {
                    return;
                };
                let address = self.values.address(arg, &scope, 0);
                let call = vec![format!(".{method}")];
                self.push(expr, &call, framework, address, None);
            }
            _ => {}
        }
    }

    /// `rocket::build()` reads `Rocket.toml` and `ROCKET_*`; `rocket::custom(Config { .. })`
    /// only the fields given.
    fn rocket(&mut self, expr: &Expr, path: &[String], arg: Option<&Expr>, scope: &Scope) {
        let at = || self.src.loc(expr);
        let env = |var: &str, default: &str| Setting {
            value: seamcheck_facts::Located::new(
                ValueExpr::env(var, Some(default.to_string())),
                at(),
            ),
            defined_at: None,
        };
        let custom = last(path) == "custom";
        let address = if custom {
            match arg.and_then(|a| self.config_struct(a, scope)) {
                Some(address) => address,
                None => self.values.address(
                    // Anything but a `Config { .. }` literal is unknown.
                    arg.unwrap_or(expr),
                    scope,
                    super::syntax::MAX_DEPTH + 1,
                ),
            }
        } else {
            Address {
                host: Some(env("ROCKET_ADDRESS", ROCKET_HOST)),
                port: Some(env("ROCKET_PORT", &ROCKET_PORT.to_string())),
            }
        };
        let scope_fact = (!custom).then_some(ListenScope {
            listen: 0,
            profile: None,
            // `Rocket.toml` in the build context is the written configuration.
            implicit: true,
            management: false,
            env_overrides: Vec::new(),
        });
        self.push(expr, path, Framework::Rocket, address, scope_fact);
    }

    /// `Config { port: 8080, address: …, ..Config::default() }`: fields not
    /// given keep Rocket's defaults (no environment is read by `custom`).
    fn config_struct(&self, expr: &Expr, scope: &Scope) -> Option<Address> {
        let expr = strip(expr);
        let s = match expr {
            Expr::Struct(s) => s,
            _ => {
                let name = super::syntax::ident(expr)?;
                match scope.lets.get(&name).map(Vec::as_slice) {
                    Some([Some(Expr::Struct(s))]) => s,
                    _ => return None,
                }
            }
        };
        if s.path.segments.last()?.ident != "Config" {
            return None;
        }
        let field = |name: &str| {
            s.fields.iter().find_map(|f| match &f.member {
                syn::Member::Named(n) if n == name => Some(&f.expr),
                _ => None,
            })
        };
        let default = |v: &str| Setting {
            value: seamcheck_facts::Located::new(ValueExpr::literal(v), self.src.loc(expr)),
            defined_at: None,
        };
        let port = match field("port") {
            Some(e) => self.values.setting(e, scope),
            None => default(&ROCKET_PORT.to_string()),
        };
        let host = match field("address") {
            Some(e) => {
                let address = self.values.address(e, scope, 0);
                address
                    .host
                    .unwrap_or_else(|| self.values.setting(e, scope))
            }
            None => default(ROCKET_HOST),
        };
        Some(Address {
            host: Some(host),
            port: Some(port),
        })
    }

    fn push(
        &mut self,
        expr: &Expr,
        path: &[String],
        framework: Framework,
        address: Address,
        scope: Option<ListenScope>,
    ) {
        let (default_port, default_host) = if framework == Framework::Rocket {
            (ROCKET_PORT, ROCKET_HOST)
        } else {
            // A bind call always names its address; no framework default.
            (0, "0.0.0.0")
        };
        let defined = |s: &Option<Setting>| -> Option<Location> {
            s.as_ref().and_then(|s| s.defined_at.clone())
        };
        let listen = Listen {
            call: path.join("::"),
            framework,
            port_defined_at: defined(&address.port),
            host_defined_at: defined(&address.host),
            host: address.host.map(|s| s.value),
            port: address.port.map(|s| s.value),
            default_port,
            default_host: default_host.to_string(),
            debug: None,
            in_main_guard: false,
            loc: self.src.loc(expr),
            app_target: None,
            reload: None,
            via_function: None,
        };
        if let Some(mut scope) = scope {
            scope.listen = self.found.listens.len();
            self.found.scopes.push(scope);
        }
        self.found.listens.push(listen);
    }
}
