//! HTTP routes: axum `Router::new().route("/x", get(h))` with `.nest`/`.merge`,
//! actix-web `App::new().route(..)`, `web::scope`/`web::resource` and
//! `#[get("/x")]` functions (with the scope they are registered in), rocket
//! `#[get("/x")]` functions (with their `.mount` base), warp filter chains.

use super::items::{lets, Items};
use super::src::Src;
use super::statuses::StatusReader;
use super::syntax::{
    call_path, chain, ident, is_cfg_test, is_test_fn, last, path_segments, str_lit, strip,
    MAX_DEPTH,
};
use seamcheck_facts::source::{Route, RouteMatch, RouteMatchKind};
use seamcheck_facts::{Framework, Located};
use std::collections::{HashMap, HashSet};
use syn::visit::Visit;
use syn::{Expr, ItemFn};

const METHODS: &[&str] = &[
    "get", "post", "put", "delete", "patch", "head", "options", "trace",
];
const ANY: &[&str] = &["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

/// What handles a route: a function of this file, a closure, or something
/// seamcheck cannot see.
#[derive(Clone, Copy)]
pub enum Handler<'f> {
    Fn(&'f ItemFn),
    Closure(&'f syn::ExprClosure),
    Unknown,
}

pub struct Found<'f> {
    pub route: Route,
    pub handler: Handler<'f>,
}

pub struct Routes<'f> {
    pub found: Vec<Found<'f>>,
    pub matches: Vec<RouteMatch>,
}

pub fn find<'f>(file: &'f syn::File, items: &Items<'f>, src: &Src) -> Routes<'f> {
    let mut finder = Finder {
        items,
        src,
        statuses: StatusReader { src },
        lets: vec![HashMap::new()],
        consumed: HashSet::new(),
        consumed_names: consumed_names(file),
        owners: HashMap::new(),
        registered: HashMap::new(),
        found: Vec::new(),
        matches: Vec::new(),
    };
    finder.owners = owners(file);
    finder.visit_file(file);
    finder.attribute_routes();
    finder.found.sort_by_key(|f| f.route.path.loc.span.start);
    // Match kinds index routes by position: attach them after sorting.
    let mut matches = Vec::new();
    for (i, f) in finder.found.iter().enumerate() {
        if finder
            .matches
            .iter()
            .any(|m| m.route == f.route.path.loc.span.start)
        {
            matches.push(RouteMatch {
                route: i,
                kind: RouteMatchKind::Prefix,
            });
        }
    }
    Routes {
        found: finder.found,
        matches,
    }
}

struct Finder<'s, 'f> {
    items: &'s Items<'f>,
    src: &'s Src<'s>,
    statuses: StatusReader<'s>,
    lets: Vec<HashMap<String, Vec<Option<&'f Expr>>>>,
    /// Expressions already evaluated as part of a parent router.
    consumed: HashSet<*const Expr>,
    /// Variables and functions whose router is nested into another.
    consumed_names: HashSet<String>,
    /// Root expressions that are the value of `let NAME` or the tail of `fn NAME`.
    owners: HashMap<*const Expr, String>,
    /// Functions registered with a base path: actix `.service(f)` inside a
    /// `web::scope`, rocket `.mount(base, routes![f])`.
    registered: HashMap<String, String>,
    found: Vec<Found<'f>>,
    /// Prefix-matching routes (warp `path` without `end`), by path start.
    matches: Vec<RouteMatch>,
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

    fn visit_item_mod(&mut self, m: &'f syn::ItemMod) {
        if !is_cfg_test(&m.attrs) {
            syn::visit::visit_item_mod(self, m);
        }
    }

    fn visit_expr_method_call(&mut self, m: &'f syn::ExprMethodCall) {
        // Receivers belong to the chain of their parent call.
        self.consumed.insert(&*m.receiver as *const Expr);
        syn::visit::visit_expr_method_call(self, m);
    }

    fn visit_expr(&mut self, expr: &'f Expr) {
        let pointer = expr as *const Expr;
        let is_root = matches!(expr, Expr::MethodCall(_))
            && !self.consumed.contains(&pointer)
            && !self
                .owners
                .get(&pointer)
                .is_some_and(|name| self.consumed_names.contains(name));
        if is_root {
            self.router(expr, "", 0);
            self.warp(expr);
        }
        syn::visit::visit_expr(self, expr);
    }
}

impl<'f> Finder<'_, 'f> {
    fn consume(&mut self, expr: &'f Expr) {
        self.consumed.insert(expr as *const Expr);
        self.consumed.insert(strip(expr) as *const Expr);
    }

    /// Routes of an axum `Router` or actix `App`/`ServiceConfig` chain.
    fn router(&mut self, expr: &'f Expr, prefix: &str, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let expr = strip(expr);
        match expr {
            Expr::MethodCall(m) => {
                let method = m.method.to_string();
                let args: Vec<&'f Expr> = m.args.iter().collect();
                self.router(&m.receiver, prefix, depth + 1);
                match (method.as_str(), args.as_slice()) {
                    ("route", [path, method_router]) => {
                        if let Some(path) = str_lit(path) {
                            let full = join(prefix, &path.value());
                            let located = Located::new(full, self.src.loc(path));
                            self.method_router(method_router, &located);
                        }
                    }
                    ("nest", [path, child]) => {
                        if let Some(path) = str_lit(path) {
                            self.consume(child);
                            let nested = join(prefix, &path.value());
                            self.router(child, &nested, depth + 1);
                        }
                    }
                    ("merge", [child]) => {
                        self.consume(child);
                        self.router(child, prefix, depth + 1);
                    }
                    ("service", [service]) => {
                        self.consume(service);
                        self.actix_service(service, prefix, depth + 1);
                    }
                    ("mount", [base, routes]) => {
                        if let (Some(base), Expr::Macro(mac)) = (str_lit(base), strip(routes)) {
                            for name in macro_idents(&mac.mac) {
                                self.registered.insert(name, base.value());
                            }
                        }
                    }
                    _ => {}
                }
            }
            Expr::Path(_) => {
                let Some(name) = ident(expr) else { return };
                let init =
                    self.lets
                        .last()
                        .and_then(|l| l.get(&name))
                        .and_then(|v| match v.as_slice() {
                            [Some(one)] => Some(*one),
                            _ => None,
                        });
                if let Some(init) = init {
                    self.consume(init);
                    self.router(init, prefix, depth + 1);
                }
            }
            Expr::Call(call) if call.args.is_empty() => {
                // `api_routes()`: a router built by a function of this file.
                let Some(path) = path_segments(&call.func) else {
                    return;
                };
                let Some(f) = self.items.function(last(&path)) else {
                    return;
                };
                if let Some(syn::Stmt::Expr(tail, None)) = f.block.stmts.last() {
                    self.consume(tail);
                    self.lets.push(lets(&f.block));
                    self.router(tail, prefix, depth + 1);
                    self.lets.pop();
                }
            }
            _ => {}
        }
    }

    /// axum `get(h).post(h2)`, `routing::any(h)`; actix `web::get().to(h)`,
    /// `web::route().to(h)`.
    fn method_router(&mut self, expr: &'f Expr, path: &Located<String>) {
        let (root, methods) = chain(expr);
        // actix: the handler is the argument of `.to(..)`.
        if let Some(to) = methods.iter().find(|m| m.method == "to") {
            let Some(handler) = to.args.first() else {
                return;
            };
            let Some((root_path, _)) = call_path(root) else {
                return;
            };
            let verb = last(&root_path);
            let verbs: Vec<String> = if METHODS.contains(&verb) {
                vec![verb.to_ascii_uppercase()]
            } else if verb == "route" {
                ANY.iter().map(|s| s.to_string()).collect()
            } else {
                return;
            };
            self.push(verbs, path, handler, Framework::ActixWeb, "app");
            return;
        }
        // axum: `get(h)` then `.post(h2)` …
        let mut pairs: Vec<(String, &'f Expr)> = Vec::new();
        if let Some((root_path, call)) = call_path(root) {
            let verb = last(&root_path);
            if let (Some(handler), true) = (call.args.first(), call.args.len() == 1) {
                if METHODS.contains(&verb) {
                    pairs.push((verb.to_ascii_uppercase(), handler));
                } else if verb == "any" {
                    pairs.push(("*".to_string(), handler));
                }
            }
        }
        if pairs.is_empty() {
            return;
        }
        for m in methods {
            let verb = m.method.to_string();
            if let (true, Some(handler)) = (METHODS.contains(&verb.as_str()), m.args.first()) {
                pairs.push((verb.to_ascii_uppercase(), handler));
            }
        }
        for (verb, handler) in pairs {
            let verbs = if verb == "*" {
                ANY.iter().map(|s| s.to_string()).collect()
            } else {
                vec![verb]
            };
            self.push(verbs, path, handler, Framework::Axum, "router");
        }
    }

    /// actix `.service(x)`: an attribute-routed function, a `web::scope`, a `web::resource`.
    fn actix_service(&mut self, service: &'f Expr, prefix: &str, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        if let Some(name) = ident(service) {
            self.registered.insert(name, prefix.to_string());
            return;
        }
        let (root, methods) = chain(service);
        let Some((root_path, call)) = call_path(root) else {
            return;
        };
        let Some(base) = call.args.first().and_then(|a| str_lit(a)) else {
            return;
        };
        match last(&root_path) {
            "scope" => {
                let scoped = join(prefix, &base.value());
                for m in methods {
                    let args: Vec<&'f Expr> = m.args.iter().collect();
                    match (m.method.to_string().as_str(), args.as_slice()) {
                        ("service", [inner]) => self.actix_service(inner, &scoped, depth + 1),
                        ("route", [path, method_router]) => {
                            if let Some(path) = str_lit(path) {
                                let located =
                                    Located::new(join(&scoped, &path.value()), self.src.loc(path));
                                self.method_router(method_router, &located);
                            }
                        }
                        _ => {}
                    }
                }
            }
            "resource" => {
                let located = Located::new(join(prefix, &base.value()), self.src.loc(base));
                for m in methods {
                    let method = m.method.to_string();
                    let Some(arg) = m.args.first() else { continue };
                    if method == "route" {
                        self.method_router(arg, &located);
                    } else if method == "to" {
                        let verbs = ANY.iter().map(|s| s.to_string()).collect();
                        self.push(verbs, &located, arg, Framework::ActixWeb, "app");
                    } else if METHODS.contains(&method.as_str()) {
                        self.push(
                            vec![method.to_ascii_uppercase()],
                            &located,
                            arg,
                            Framework::ActixWeb,
                            "app",
                        );
                    }
                }
            }
            _ => {}
        }
    }

    /// warp: `warp::path("a").and(warp::path("b")).and(warp::get()).map(h)`,
    /// `warp::path!("a" / "b").and_then(h)`.
    fn warp(&mut self, expr: &'f Expr) {
        let mut segments: Vec<String> = Vec::new();
        let mut verbs: Vec<String> = Vec::new();
        let mut exact = false;
        let mut is_warp = false;
        let mut handler: Option<&'f Expr> = None;
        let mut path_at: Option<seamcheck_facts::Location> = None;
        // Filters combined with `.and(…)`, taken apart in written order with
        // an explicit stack (and a bound).
        let mut stack: Vec<&'f Expr> = vec![expr];
        let mut steps = 0;
        while let Some(item) = stack.pop() {
            steps += 1;
            if steps > 256 {
                return;
            }
            let (root, methods) = chain(item);
            if !methods.is_empty() {
                let mut parts: Vec<&'f Expr> = vec![root];
                for m in &methods {
                    match (m.method.to_string().as_str(), m.args.first()) {
                        ("and", Some(arg)) => parts.push(arg),
                        ("map" | "and_then" | "then", Some(arg)) if std::ptr::eq(item, expr) => {
                            handler = Some(arg);
                        }
                        // `a.or(b)` combines routes declared elsewhere.
                        ("or", _) => return,
                        _ => {}
                    }
                }
                stack.extend(parts.into_iter().rev());
                continue;
            }
            let leaf = root;
            if let Expr::Macro(mac) = leaf {
                let p: Vec<String> = mac
                    .mac
                    .path
                    .segments
                    .iter()
                    .map(|s| s.ident.to_string())
                    .collect();
                if p.first().is_some_and(|s| s == "warp") && last(&p) == "path" {
                    is_warp = true;
                    exact = true;
                    path_at.get_or_insert_with(|| self.src.loc(leaf));
                    segments.extend(path_macro_segments(&mac.mac));
                }
                continue;
            }
            let Some((path, call)) = call_path(leaf) else {
                continue;
            };
            let full = self.items.qualify(&path);
            if full.first().is_none_or(|s| s != "warp") {
                continue;
            }
            is_warp = true;
            match (path.iter().rev().nth(1).map(String::as_str), last(&path)) {
                (Some("path"), "end") => exact = true,
                (Some("path"), "param") => segments.push("{param}".to_string()),
                (_, "path") => {
                    if let Some(s) = call.args.first().and_then(|a| str_lit(a)) {
                        path_at.get_or_insert_with(|| self.src.loc(s));
                        segments.push(s.value());
                    }
                }
                (_, verb) if METHODS.contains(&verb) => verbs.push(verb.to_ascii_uppercase()),
                _ => {}
            }
        }
        let (true, Some(handler), Some(at)) = (is_warp, handler, path_at) else {
            return;
        };
        let path = format!("/{}", segments.join("/"));
        let located = Located::new(path, at);
        let start = located.loc.span.start;
        self.push(verbs, &located, handler, Framework::Warp, "filter");
        if !exact {
            self.matches.push(RouteMatch {
                route: start,
                kind: RouteMatchKind::Prefix,
            });
        }
    }

    /// `#[get("/x")]` functions of actix-web or rocket.
    fn attribute_routes(&mut self) {
        let rocket = self.items.uses_crate("rocket");
        let actix = self.items.uses_crate("actix_web");
        let mut fns: Vec<&'f ItemFn> = self.items.fns.values().flatten().copied().collect();
        fns.sort_by_key(|f| self.src.range(f.sig.ident.span()).start);
        for f in fns {
            for attr in &f.attrs {
                let path: Vec<String> = super::syntax::attr_path(attr);
                let name = last(&path);
                if !(METHODS.contains(&name) || name == "route") {
                    continue;
                }
                let framework = match path.first().map(String::as_str) {
                    Some("rocket") if path.len() > 1 => Framework::Rocket,
                    Some("actix_web") if path.len() > 1 => Framework::ActixWeb,
                    _ if path.len() > 1 => continue,
                    _ if rocket && !actix => Framework::Rocket,
                    _ if actix && !rocket => Framework::ActixWeb,
                    _ => continue,
                };
                let Some((uri, verbs)) = attribute_args(attr, name) else {
                    continue;
                };
                let fn_name = f.sig.ident.to_string();
                let written = uri.value();
                let written = if framework == Framework::Rocket {
                    // The query part is not part of the path.
                    written.split('?').next().unwrap_or("").to_string()
                } else {
                    written
                };
                let full = match self.registered.get(&fn_name) {
                    Some(base) => join(base, &written),
                    None => written,
                };
                let located = Located::new(full, self.src.loc(&uri));
                self.push_fn(verbs, &located, f, framework, "");
            }
        }
    }

    fn push(
        &mut self,
        verbs: Vec<String>,
        path: &Located<String>,
        handler: &'f Expr,
        framework: Framework,
        app_var: &str,
    ) {
        let handler_expr = strip(handler);
        if let Expr::Closure(c) = handler_expr {
            let is_async = c.asyncness.is_some() || matches!(strip(&c.body), Expr::Async(_));
            self.found.push(Found {
                route: Route {
                    methods: verbs,
                    path: path.clone(),
                    handler: self.src.located("closure".to_string(), c),
                    handler_loc: self.src.loc(c),
                    is_async,
                    returns: self.statuses.of_closure(c),
                    app_var: app_var.to_string(),
                    framework,
                },
                handler: Handler::Closure(c),
            });
            return;
        }
        let function = path_segments(handler_expr).and_then(|p| self.items.function(last(&p)));
        match function {
            Some(f) => self.push_fn(verbs, path, f, framework, app_var),
            None => self.found.push(Found {
                route: Route {
                    methods: verbs,
                    path: path.clone(),
                    handler: self.src.located(self.src.short_text(handler), handler),
                    handler_loc: self.src.loc(handler),
                    is_async: false,
                    returns: Vec::new(),
                    app_var: app_var.to_string(),
                    framework,
                },
                handler: Handler::Unknown,
            }),
        }
    }

    fn push_fn(
        &mut self,
        verbs: Vec<String>,
        path: &Located<String>,
        f: &'f ItemFn,
        framework: Framework,
        app_var: &str,
    ) {
        self.found.push(Found {
            route: Route {
                methods: verbs,
                path: path.clone(),
                handler: self.src.located(f.sig.ident.to_string(), &f.sig.ident),
                handler_loc: self.src.loc(f),
                is_async: f.sig.asyncness.is_some(),
                returns: self.statuses.of_body(&f.block, Some(&f.sig.output)),
                app_var: app_var.to_string(),
                framework,
            },
            handler: Handler::Fn(f),
        });
    }
}

/// `#[get("/x", format = "json")]` -> ("/x", [GET]); `#[route("/x", method = "GET",
/// method = "POST")]` (actix); `#[route(GET, uri = "/x")]` (rocket).
fn attribute_args(attr: &syn::Attribute, name: &str) -> Option<(syn::LitStr, Vec<String>)> {
    use syn::punctuated::Punctuated;
    let args = attr
        .parse_args_with(Punctuated::<Expr, syn::Token![,]>::parse_terminated)
        .ok()?;
    let mut uri = None;
    let mut verbs = Vec::new();
    if METHODS.contains(&name) {
        verbs.push(name.to_ascii_uppercase());
    }
    for arg in &args {
        match arg {
            Expr::Lit(_) if uri.is_none() => uri = str_lit(arg).cloned(),
            Expr::Assign(a) => {
                let key = ident(&a.left).unwrap_or_default();
                match key.as_str() {
                    "uri" => uri = str_lit(&a.right).cloned(),
                    "method" => {
                        if let Some(m) = str_lit(&a.right) {
                            verbs.push(m.value().to_ascii_uppercase());
                        } else if let Some(m) = ident(&a.right) {
                            verbs.push(m.to_ascii_uppercase());
                        }
                    }
                    _ => {}
                }
            }
            Expr::Path(_) if name == "route" => {
                if let Some(m) = ident(arg) {
                    verbs.push(m.to_ascii_uppercase());
                }
            }
            _ => {}
        }
    }
    Some((uri?, verbs))
}

/// The function names of `routes![a, b, module::c]`.
fn macro_idents(mac: &syn::Macro) -> Vec<String> {
    super::syntax::macro_args(mac)
        .unwrap_or_default()
        .iter()
        .filter_map(|e| path_segments(e).map(|p| last(&p).to_string()))
        .collect()
}

/// `warp::path!("api" / "users" / u32)` -> ["api", "users", "{param}"].
fn path_macro_segments(mac: &syn::Macro) -> Vec<String> {
    let mut out = Vec::new();
    for token in mac.tokens.clone() {
        match token {
            proc_macro2::TokenTree::Literal(l) => {
                let text = l.to_string();
                out.push(text.trim_matches('"').to_string());
            }
            proc_macro2::TokenTree::Ident(_) => out.push("{param}".to_string()),
            _ => {}
        }
    }
    out
}

/// `/api` + `/users` -> `/api/users`; `/api` + `/` -> `/api` (rocket, actix).
fn join(prefix: &str, path: &str) -> String {
    if prefix.is_empty() || prefix == "/" {
        return path.to_string();
    }
    let base = prefix.trim_end_matches('/');
    if path.is_empty() || path == "/" {
        return base.to_string();
    }
    if path.starts_with('/') {
        format!("{base}{path}")
    } else {
        format!("{base}/{path}")
    }
}

/// Variables and functions passed whole to `.nest`/`.merge`/`.service`:
/// their routers are read through the parent, not on their own.
fn consumed_names(file: &syn::File) -> HashSet<String> {
    struct Names(HashSet<String>);
    impl Visit<'_> for Names {
        fn visit_expr_method_call(&mut self, m: &syn::ExprMethodCall) {
            let method = m.method.to_string();
            if matches!(method.as_str(), "nest" | "merge" | "service") {
                if let Some(child) = m.args.last() {
                    if let Some(name) = ident(child) {
                        self.0.insert(name);
                    } else if let Expr::Call(c) = strip(child) {
                        if c.args.is_empty() {
                            if let Some(p) = path_segments(&c.func) {
                                self.0.insert(last(&p).to_string());
                            }
                        }
                    }
                }
            }
            syn::visit::visit_expr_method_call(self, m);
        }
    }
    let mut names = Names(HashSet::new());
    names.visit_file(file);
    names.0
}

/// Expressions that are the value of a `let NAME = …` or the tail of `fn NAME`.
fn owners(file: &syn::File) -> HashMap<*const Expr, String> {
    struct Owners(HashMap<*const Expr, String>);
    impl Visit<'_> for Owners {
        fn visit_local(&mut self, local: &syn::Local) {
            let mut pat = &local.pat;
            if let syn::Pat::Type(t) = pat {
                pat = &t.pat;
            }
            if let (syn::Pat::Ident(id), Some(init)) = (pat, &local.init) {
                self.0
                    .insert(&*init.expr as *const Expr, id.ident.to_string());
            }
            syn::visit::visit_local(self, local);
        }
        fn visit_item_fn(&mut self, f: &syn::ItemFn) {
            if let Some(syn::Stmt::Expr(tail, None)) = f.block.stmts.last() {
                self.0.insert(tail as *const Expr, f.sig.ident.to_string());
            }
            syn::visit::visit_item_fn(self, f);
        }
    }
    let mut owners = Owners(HashMap::new());
    owners.visit_file(file);
    owners.0
}
