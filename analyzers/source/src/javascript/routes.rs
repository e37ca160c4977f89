//! HTTP routes: `app.get('/x', handler)` on Express apps and routers, Koa
//! routers and Fastify (also `app.route('/x').get(h)`, `fastify.route({
//! method, url, handler })`), hapi `server.route({ method, path, handler })`
//! (also arrays), and NestJS controllers (`@Controller('cats')` +
//! `@Get(':id')`). Express mount prefixes of the same file are applied.

use super::apps::{Apps, EXPRESS, EXPRESS_ROUTER, FASTIFY, HAPI, KOA_ROUTER, NEST};
use super::imports::Imports;
use super::statuses::StatusReader;
use super::syntax::{
    call_args, dotted_name, is_function, named_children, property, small_integer, string_value,
    strip, Source, MAX_CHAIN,
};
use crate::treesitter::NodeNames;
use seamcheck_facts::source::Route;
use seamcheck_facts::{Framework, Located};
use tree_sitter::Node;

const METHODS: &[&str] = &[
    "get", "post", "put", "delete", "patch", "head", "options", "all",
];

/// A route and the function that handles it, when it is in this file.
pub struct FoundRoute<'t> {
    pub route: Route,
    pub function: Option<Node<'t>>,
}

pub struct RouteFinder<'a, 't> {
    pub source: &'a Source<'t>,
    pub imports: &'a Imports,
    pub apps: &'a Apps<'t>,
    pub statuses: &'a StatusReader<'a, 't>,
    /// Named functions of the file: `function health() {}`, `const health = () => {}`.
    pub functions: Vec<(&'t str, Node<'t>)>,
}

/// One route declaration before its handler is read.
struct Declared<'t> {
    methods: Vec<String>,
    path: Located<String>,
    handler: Node<'t>,
    app_var: String,
    framework: Framework,
}

impl<'a, 't> RouteFinder<'a, 't> {
    pub fn new(
        nodes: &[Node<'t>],
        source: &'a Source<'t>,
        imports: &'a Imports,
        apps: &'a Apps<'t>,
        statuses: &'a StatusReader<'a, 't>,
    ) -> Self {
        let mut functions = Vec::new();
        for node in nodes {
            let (name, function) = match node.cached_kind() {
                "function_declaration" => (node.field_child("name"), Some(*node)),
                "variable_declarator" => (
                    node.field_child("name"),
                    node.field_child("value")
                        .map(strip)
                        .filter(|v| is_function(*v)),
                ),
                _ => continue,
            };
            if let (Some(name), Some(function)) = (name, function) {
                functions.push((source.text_of(name), function));
            }
        }
        RouteFinder {
            source,
            imports,
            apps,
            statuses,
            functions,
        }
    }

    pub fn find(&self, nodes: &[Node<'t>]) -> Vec<FoundRoute<'t>> {
        let mut declared = Vec::new();
        for node in nodes {
            match node.cached_kind() {
                "call_expression" => {
                    declared.extend(self.method_call(*node));
                    declared.extend(self.route_object_call(*node));
                }
                "class_declaration" => declared.extend(self.nest_controller(*node)),
                _ => {}
            }
        }
        declared.into_iter().map(|d| self.complete(d)).collect()
    }

    /// The framework of routes declared on `var`: a known app or router, or a
    /// function parameter named like one in a file that imports a framework
    /// (`export default async function routes(fastify) { fastify.get(...) }`).
    fn framework_of(&self, var: &str) -> Option<Framework> {
        if let Some(app) = self.apps.get(var) {
            return match app.framework {
                EXPRESS | EXPRESS_ROUTER | FASTIFY | KOA_ROUTER => Some(app.framework),
                _ => None,
            };
        }
        let conventional = matches!(
            var,
            "app" | "router" | "fastify" | "server" | "instance" | "api"
        );
        if !conventional {
            return None;
        }
        if self.imports.uses("fastify") || var == "fastify" {
            Some(FASTIFY)
        } else if self.imports.uses("@koa/router") || self.imports.uses("koa-router") {
            Some(KOA_ROUTER)
        } else if self.imports.uses("express") {
            Some(EXPRESS_ROUTER)
        } else {
            None
        }
    }

    /// `app.get('/x', h)`, `router.post('/x', mw, h)`, `app.route('/x').get(h)`.
    fn method_call(&self, call: Node<'t>) -> Option<Declared<'t>> {
        let callee = strip(call.field_child("function")?);
        if callee.cached_kind() != "member_expression" {
            return None;
        }
        let method = self.source.text_of(callee.field_child("property")?);
        if !METHODS.contains(&method) {
            return None;
        }
        let object = strip(callee.field_child("object")?);
        let args = call_args(call);
        let handler = *args.last()?;
        let methods = if method == "all" {
            Vec::new()
        } else {
            vec![method.to_ascii_uppercase()]
        };
        if object.cached_kind() == "call_expression" {
            // `app.route('/x').get(h).post(h2)`: find `.route(path)` down the chain.
            let (var, path_node) = self.route_chain(object)?;
            let framework = self.framework_of(&var)?;
            let path = self.full_path(&var, path_node)?;
            return Some(Declared {
                methods,
                path,
                handler,
                app_var: var,
                framework,
            });
        }
        let var = dotted_name(object, self.source)?;
        let framework = self.framework_of(&var)?;
        if args.len() < 2 {
            return None;
        }
        // koa-router named routes: `router.get('name', '/path', h)`.
        let path_node = match (args.first(), args.get(1)) {
            (Some(first), Some(second))
                if framework == KOA_ROUTER
                    && args.len() >= 3
                    && string_value(*second, self.source).is_some() =>
            {
                let _ = first;
                *second
            }
            (Some(first), _) => *first,
            _ => return None,
        };
        let path = self.full_path(&var, path_node)?;
        Some(Declared {
            methods,
            path,
            handler,
            app_var: var,
            framework,
        })
    }

    /// Walks `app.route('/x').get(h).post(h)` down to `app.route('/x')`.
    fn route_chain(&self, mut node: Node<'t>) -> Option<(String, Node<'t>)> {
        for _ in 0..MAX_CHAIN {
            let callee = strip(node.field_child("function")?);
            if callee.cached_kind() != "member_expression" {
                return None;
            }
            let method = self.source.text_of(callee.field_child("property")?);
            let object = strip(callee.field_child("object")?);
            if method == "route" {
                let var = dotted_name(object, self.source)?;
                let path = *call_args(node).first()?;
                return Some((var, path));
            }
            if !METHODS.contains(&method) || object.cached_kind() != "call_expression" {
                return None;
            }
            node = object;
        }
        None
    }

    fn full_path(&self, var: &str, path_node: Node<'t>) -> Option<Located<String>> {
        let path = string_value(path_node, self.source)?;
        let prefix = self.apps.prefix_of(var);
        Some(self.source.located(join(&prefix, &path), path_node))
    }

    /// Fastify `x.route({ method, url, handler })`, hapi `server.route({
    /// method, path, handler })` or an array of such objects.
    fn route_object_call(&self, call: Node<'t>) -> Vec<Declared<'t>> {
        let mut out = Vec::new();
        let Some(callee) = call.field_child("function").map(strip) else {
            return out;
        };
        if callee.cached_kind() != "member_expression" {
            return out;
        }
        let method = callee
            .field_child("property")
            .map(|p| self.source.text_of(p));
        if method != Some("route") {
            return out;
        }
        let Some(var) = callee
            .field_child("object")
            .and_then(|o| dotted_name(o, self.source))
        else {
            return out;
        };
        let framework = match self.apps.get(&var).map(|a| a.framework) {
            Some(HAPI) => HAPI,
            Some(FASTIFY) => FASTIFY,
            Some(_) => return out,
            None => match self.framework_of(&var) {
                Some(FASTIFY) => FASTIFY,
                _ if self.imports.uses("@hapi/hapi") || self.imports.uses("hapi") => HAPI,
                _ => return out,
            },
        };
        let Some(first) = call_args(call).first().map(|a| strip(*a)) else {
            return out;
        };
        let objects = if first.cached_kind() == "array" {
            named_children(first)
        } else {
            vec![first]
        };
        for object in objects
            .into_iter()
            .map(strip)
            .filter(|o| o.cached_kind() == "object")
        {
            let path_key = if framework == HAPI { "path" } else { "url" };
            let Some(path_node) = property(object, path_key, self.source) else {
                continue;
            };
            let Some(path) = self.full_path(&var, path_node) else {
                continue;
            };
            let handler = property(object, "handler", self.source).or_else(|| {
                ["options", "config"]
                    .iter()
                    .find_map(|k| property(object, k, self.source))
                    .and_then(|o| property(o, "handler", self.source))
            });
            let Some(handler) = handler else { continue };
            let methods = property(object, "method", self.source)
                .map(|m| self.method_list(m))
                .unwrap_or_default();
            out.push(Declared {
                methods,
                path,
                handler,
                app_var: var.clone(),
                framework,
            });
        }
        out
    }

    /// `'GET'`, `['GET', 'HEAD']`; `'*'` is every method (empty list).
    fn method_list(&self, node: Node<'t>) -> Vec<String> {
        let node = strip(node);
        let items = if node.cached_kind() == "array" {
            named_children(node)
        } else {
            vec![node]
        };
        let mut methods: Vec<String> = items
            .into_iter()
            .filter_map(|m| string_value(m, self.source))
            .map(|m| m.to_ascii_uppercase())
            .collect();
        if methods.iter().any(|m| m == "*") {
            methods.clear();
        }
        methods
    }

    /// NestJS: `@Controller('cats')` on the class, `@Get(':id')` on methods.
    fn nest_controller(&self, class: Node<'t>) -> Vec<Declared<'t>> {
        let mut out = Vec::new();
        let mut decorators = field_children(class, "decorator");
        if let Some(parent) = class
            .parent()
            .filter(|p| p.cached_kind() == "export_statement")
        {
            decorators.extend(field_children(parent, "decorator"));
        }
        let Some(controller) = decorators
            .iter()
            .find_map(|d| self.decorator_call(*d, &["Controller"]))
        else {
            return out;
        };
        let (_, controller_call) = controller;
        let prefix = call_args(controller_call)
            .first()
            .and_then(|a| {
                string_value(*a, self.source).or_else(|| {
                    property(*a, "path", self.source).and_then(|p| string_value(p, self.source))
                })
            })
            .unwrap_or_default();
        let class_name = class
            .field_child("name")
            .map_or_else(String::new, |n| self.source.text_of(n).to_string());
        let Some(body) = class.field_child("body") else {
            return out;
        };
        let mut pending: Vec<Node<'t>> = Vec::new();
        let mut cursor = body.walk();
        for member in body.named_children(&mut cursor) {
            match member.cached_kind() {
                "decorator" => pending.push(member),
                "method_definition" => {
                    let mut method_decorators = std::mem::take(&mut pending);
                    method_decorators.extend(field_children(member, "decorator"));
                    out.extend(self.nest_method(member, &method_decorators, &prefix, &class_name));
                }
                "comment" => {}
                _ => pending.clear(),
            }
        }
        out
    }

    fn nest_method(
        &self,
        method: Node<'t>,
        decorators: &[Node<'t>],
        prefix: &str,
        class_name: &str,
    ) -> Vec<Declared<'t>> {
        let verbs = [
            "Get", "Post", "Put", "Delete", "Patch", "Options", "Head", "All",
        ];
        let mut out = Vec::new();
        for decorator in decorators {
            let Some((verb, call)) = self.decorator_call(*decorator, &verbs) else {
                continue;
            };
            let methods = if verb == "All" {
                Vec::new()
            } else {
                vec![verb.to_ascii_uppercase()]
            };
            let (path, at) = match call_args(call).first() {
                Some(arg) => match string_value(*arg, self.source) {
                    Some(p) => (p, *arg),
                    None => continue,
                },
                None => (String::new(), *decorator),
            };
            let full = join(&format!("/{}", prefix.trim_matches('/')), &path);
            out.push(Declared {
                methods,
                path: self.source.located(full, at),
                handler: method,
                app_var: class_name.to_string(),
                framework: NEST,
            });
        }
        out
    }

    /// `@Name(...)` or `@Name` for one of `names`: the name and the call.
    fn decorator_call(&self, decorator: Node<'t>, names: &[&str]) -> Option<(String, Node<'t>)> {
        let expr = named_children(decorator).into_iter().next()?;
        if expr.cached_kind() != "call_expression" {
            return None;
        }
        let name = dotted_name(expr.field_child("function")?, self.source)?;
        let last = name.rsplit('.').next().unwrap_or(&name).to_string();
        names.contains(&last.as_str()).then_some((last, expr))
    }

    /// Resolves the handler function and reads its statuses.
    fn complete(&self, declared: Declared<'t>) -> FoundRoute<'t> {
        let Declared {
            methods,
            path,
            handler,
            app_var,
            framework,
        } = declared;
        let label = format!(
            "{} {}",
            methods.first().map_or("ALL", String::as_str),
            path.value
        );
        let (name, function) = self.handler_function(handler, &label);
        let mut default_status = 200;
        if framework == NEST {
            if methods.first().is_some_and(|m| m == "POST") {
                default_status = 201;
            }
            if let Some(code) = self.nest_http_code(handler) {
                default_status = code;
            }
        }
        let returns = function
            .map(|f| self.statuses.returns(f, framework, default_status))
            .unwrap_or_default();
        let handler_node = function.unwrap_or(handler);
        FoundRoute {
            route: Route {
                methods,
                path,
                handler: self.source.located(name, handler),
                handler_loc: self.source.loc(handler_node),
                is_async: function.is_some_and(super::syntax::is_async),
                returns,
                app_var,
                framework,
            },
            function,
        }
    }

    /// The handler's name and function: an inline function, a wrapper call
    /// around one (`asyncHandler(async (req, res) => …)`), a named function
    /// of the file, or a NestJS method.
    fn handler_function(&self, handler: Node<'t>, label: &str) -> (String, Option<Node<'t>>) {
        let node = strip(handler);
        if node.cached_kind() == "method_definition" {
            let name = node
                .field_child("name")
                .map_or_else(|| label.to_string(), |n| self.source.text_of(n).to_string());
            return (name, Some(node));
        }
        if is_function(node) {
            let name = node
                .field_child("name")
                .map_or_else(|| label.to_string(), |n| self.source.text_of(n).to_string());
            return (name, Some(node));
        }
        if node.cached_kind() == "identifier" {
            let name = self.source.text_of(node);
            let mut named = self.functions.iter().filter(|(n, _)| *n == name);
            let function = match (named.next(), named.next()) {
                (Some((_, f)), None) => Some(*f),
                _ => None,
            };
            return (name.to_string(), function);
        }
        if node.cached_kind() == "call_expression" {
            if let Some(inner) = call_args(node)
                .last()
                .map(|a| strip(*a))
                .filter(|a| is_function(*a))
            {
                return (label.to_string(), Some(inner));
            }
        }
        (self.source.short_text_of(node), None)
    }

    /// `@HttpCode(204)` on a NestJS method.
    fn nest_http_code(&self, method: Node<'t>) -> Option<u16> {
        let mut decorators = field_children(method, "decorator");
        let mut sibling = method.prev_named_sibling();
        while let Some(s) = sibling.filter(|s| s.cached_kind() == "decorator") {
            decorators.push(s);
            sibling = s.prev_named_sibling();
        }
        decorators.into_iter().find_map(|d| {
            let (_, call) = self.decorator_call(d, &["HttpCode"])?;
            small_integer(*call_args(call).first()?, self.source)
        })
    }
}

/// Joins a prefix and a path the way routers do: one `/` between them.
fn join(prefix: &str, path: &str) -> String {
    let prefix = prefix.trim_end_matches('/');
    let path = path.trim_start_matches('/');
    let joined = if path.is_empty() {
        prefix.to_string()
    } else {
        format!("{prefix}/{path}")
    };
    if joined.is_empty() {
        "/".to_string()
    } else if joined.starts_with('/') {
        joined
    } else {
        format!("/{joined}")
    }
}

fn field_children<'t>(node: Node<'t>, field: &str) -> Vec<Node<'t>> {
    let mut cursor = node.walk();
    node.children_by_field_name(field, &mut cursor).collect()
}

#[cfg(test)]
mod tests {
    use super::join;

    #[test]
    fn joins_prefixes() {
        assert_eq!(join("", "/healthz"), "/healthz");
        assert_eq!(join("/api/", "/users"), "/api/users");
        assert_eq!(join("/cats", ""), "/cats");
        assert_eq!(join("", ""), "/");
        assert_eq!(join("", "x"), "/x");
    }
}
