//! HTTP routes: `@app.route("/x", methods=[...])`, `@app.get("/x")`,
//! `@bp.route(...)`, `@router.get(...)`, `app.add_url_rule(...)` and
//! `app.add_api_route(...)`, with blueprint and router prefixes resolved
//! through the mounts of this file.

use super::apps::{App, Apps, Framework};
use super::statuses::StatusReader;
use super::syntax::{
    dotted_name, is_async_function, named_children, string_value, unparenthesize, CallArgs, Source,
};
use super::values::Values;
use crate::treesitter::NodeNames;
use seamcheck_facts::source::Route;
use seamcheck_facts::{Located, ValueExpr};
use std::collections::HashMap;
use tree_sitter::Node;

/// How many mounts deep a prefix is followed (bp in bp in app ...).
const MAX_MOUNT_DEPTH: usize = 8;
/// How many full prefixes one object may have (a router included twice).
const MAX_PREFIXES: usize = 16;

/// A route found in the file, with the handler function it runs.
pub struct FoundRoute<'t> {
    pub route: Route,
    pub function: Node<'t>,
}

pub struct RouteFinder<'a, 't> {
    pub source: &'a Source<'t>,
    pub apps: &'a Apps,
    pub values: &'a Values<'a, 't>,
    pub statuses: &'a StatusReader<'a, 't>,
}

/// One route declaration before its handler is attached.
struct Declaration {
    app_var: String,
    app: App,
    methods: Vec<String>,
    path: Located<String>,
    /// FastAPI decorator `status_code=`.
    status_code: Option<u16>,
}

impl<'a, 't> RouteFinder<'a, 't> {
    pub fn find(&self, nodes: &[Node<'t>]) -> Vec<FoundRoute<'t>> {
        let functions = functions_by_name(nodes, self.source);
        let mut found = Vec::new();
        for node in nodes {
            match node.cached_kind() {
                "decorated_definition" => self.decorated(*node, &mut found),
                "call" => self.registered(*node, &functions, &mut found),
                _ => {}
            }
        }
        found
    }

    /// `@app.get("/x")` above a `def`.
    fn decorated(&self, node: Node<'t>, found: &mut Vec<FoundRoute<'t>>) {
        let Some(function) = node
            .field_child("definition")
            .filter(|d| d.cached_kind() == "function_definition")
        else {
            return;
        };
        for decorator in named_children(node) {
            if decorator.cached_kind() != "decorator" {
                continue;
            }
            let Some(call) = named_children(decorator)
                .into_iter()
                .next()
                .filter(|e| e.cached_kind() == "call")
            else {
                continue;
            };
            if let Some(declaration) = self.decorator_declaration(call) {
                self.push(declaration, function, found);
            }
        }
    }

    fn decorator_declaration(&self, call: Node<'t>) -> Option<Declaration> {
        let (app_var, app, method) = self.app_method(call)?;
        let args = CallArgs::of(call, self.source);
        let framework = app.kind.framework();
        let methods = match (framework, method.as_str()) {
            (Framework::Flask, "route") | (Framework::FastApi, "api_route") => {
                self.methods(args.keyword("methods"))
            }
            (Framework::Flask, "get" | "post" | "put" | "delete" | "patch")
            | (
                Framework::FastApi,
                "get" | "post" | "put" | "delete" | "patch" | "head" | "options" | "trace",
            ) => vec![method.to_ascii_uppercase()],
            _ => return None,
        };
        let path_keyword = match framework {
            Framework::Flask => "rule",
            Framework::FastApi => "path",
        };
        let path = self.path(args.get(0, path_keyword)?)?;
        let status_code = match framework {
            Framework::FastApi => args
                .keyword("status_code")
                .and_then(|s| self.statuses.status_value(s, None)),
            Framework::Flask => None,
        };
        Some(Declaration {
            app_var,
            app,
            methods,
            path,
            status_code,
        })
    }

    /// `app.add_url_rule("/x", "name", view)` and
    /// `app.add_api_route("/x", endpoint, methods=[...])`.
    fn registered(
        &self,
        call: Node<'t>,
        functions: &HashMap<&'t str, Option<Node<'t>>>,
        found: &mut Vec<FoundRoute<'t>>,
    ) {
        let Some((app_var, app, method)) = self.app_method(call) else {
            return;
        };
        let args = CallArgs::of(call, self.source);
        let framework = app.kind.framework();
        let (path_node, view) = match (framework, method.as_str()) {
            (Framework::Flask, "add_url_rule") => (args.get(0, "rule"), args.get(2, "view_func")),
            (Framework::FastApi, "add_api_route") => (args.get(0, "path"), args.get(1, "endpoint")),
            _ => return,
        };
        let Some(function) = view
            .filter(|v| v.cached_kind() == "identifier")
            .and_then(|v| functions.get(self.source.text_of(v)).copied().flatten())
        else {
            return;
        };
        let Some(path) = path_node.and_then(|p| self.path(p)) else {
            return;
        };
        let status_code = match framework {
            Framework::FastApi => args
                .keyword("status_code")
                .and_then(|s| self.statuses.status_value(s, None)),
            Framework::Flask => None,
        };
        let declaration = Declaration {
            app_var,
            app,
            methods: self.methods(args.keyword("methods")),
            path,
            status_code,
        };
        self.push(declaration, function, found);
    }

    /// `X.method(...)` where `X` is an application object of this file.
    fn app_method(&self, call: Node<'t>) -> Option<(String, App, String)> {
        let function = call.field_child("function")?;
        if function.cached_kind() != "attribute" {
            return None;
        }
        let object = function.field_child("object")?;
        let method = function.field_child("attribute")?;
        let var = dotted_name(object, self.source)?;
        let app = self.apps.by_var.get(&var)?.clone();
        Some((var, app, self.source.text_of(method).to_string()))
    }

    /// `methods=["GET", "POST"]`, upper-cased; empty when absent or not a
    /// list of constant strings.
    fn methods(&self, node: Option<Node<'t>>) -> Vec<String> {
        let Some(node) = node.map(unparenthesize) else {
            return Vec::new();
        };
        if !matches!(node.cached_kind(), "list" | "tuple" | "set") {
            return Vec::new();
        }
        let methods: Option<Vec<String>> = named_children(node)
            .into_iter()
            .map(|m| string_value(m, self.source).map(|s| s.to_ascii_uppercase()))
            .collect();
        methods.unwrap_or_default()
    }

    /// The route path: a string literal, or a name bound to one.
    fn path(&self, node: Node<'t>) -> Option<Located<String>> {
        if let Some(path) = string_value(node, self.source) {
            return Some(self.source.located(path, node));
        }
        match self.values.read(node, None)?.value {
            ValueExpr::Literal { value } => Some(self.source.located(value, node)),
            _ => None,
        }
    }

    fn push(&self, declaration: Declaration, function: Node<'t>, found: &mut Vec<FoundRoute<'t>>) {
        let Some(name) = function.field_child("name") else {
            return;
        };
        let framework = declaration.app.kind.framework();
        let is_async = is_async_function(function);
        let default_status = declaration.status_code.or(Some(200));
        let returns = self.statuses.returns(function, framework, default_status);
        for prefix in self.prefixes(&declaration.app_var, 0) {
            let full_path = join_path(framework, &prefix, &declaration.path.value);
            found.push(FoundRoute {
                route: Route {
                    methods: declaration.methods.clone(),
                    path: Located::new(full_path, declaration.path.loc.clone()),
                    handler: self
                        .source
                        .located(self.source.text_of(name).to_string(), name),
                    handler_loc: self.source.loc(function),
                    is_async,
                    returns: returns.clone(),
                    app_var: declaration.app_var.clone(),
                    framework: framework.fact(),
                },
                function,
            });
        }
    }

    /// The full prefixes of an object: its own prefix under each mount of it
    /// in this file (or alone when it is not mounted here).
    fn prefixes(&self, var: &str, depth: usize) -> Vec<String> {
        let own = self
            .apps
            .by_var
            .get(var)
            .and_then(|app| app.prefix.as_ref())
            .map_or(String::new(), |p| p.value.clone());
        if depth >= MAX_MOUNT_DEPTH {
            return vec![own];
        }
        let mounts: Vec<_> = self
            .apps
            .mounts
            .iter()
            .filter(|m| m.fact.child == var)
            .collect();
        if mounts.is_empty() {
            return vec![own];
        }
        let mut prefixes = Vec::new();
        for mount in mounts {
            let mount_prefix = mount.fact.prefix.as_ref().map(|p| p.value.clone());
            let segment = match mount.framework {
                // Flask: the registration's url_prefix replaces the blueprint's.
                Framework::Flask => mount_prefix.unwrap_or_else(|| own.clone()),
                // FastAPI: include_router's prefix goes before the router's.
                Framework::FastApi => format!("{}{own}", mount_prefix.unwrap_or_default()),
            };
            for parent in self.prefixes(&mount.fact.parent, depth + 1) {
                if prefixes.len() >= MAX_PREFIXES {
                    return prefixes;
                }
                prefixes.push(join_path(mount.framework, &parent, &segment));
            }
        }
        prefixes
    }
}

/// Flask joins `url_prefix.rstrip("/") + "/" + rule.lstrip("/")`; FastAPI
/// concatenates prefix and path as they are.
fn join_path(framework: Framework, prefix: &str, path: &str) -> String {
    if prefix.is_empty() {
        return path.to_string();
    }
    match framework {
        Framework::Flask if path.is_empty() => prefix.to_string(),
        Framework::Flask => format!(
            "{}/{}",
            prefix.trim_end_matches('/'),
            path.trim_start_matches('/')
        ),
        Framework::FastApi => format!("{prefix}{path}"),
    }
}

/// Every `def` by name; a name defined twice maps to `None` (which one a
/// registration means depends on execution order).
fn functions_by_name<'t>(
    nodes: &[Node<'t>],
    source: &Source<'t>,
) -> HashMap<&'t str, Option<Node<'t>>> {
    let mut functions: HashMap<&'t str, Option<Node<'t>>> = HashMap::new();
    for node in nodes
        .iter()
        .filter(|n| n.cached_kind() == "function_definition")
    {
        if let Some(name) = node.field_child("name") {
            functions
                .entry(source.text_of(name))
                .and_modify(|f| *f = None)
                .or_insert(Some(*node));
        }
    }
    functions
}
