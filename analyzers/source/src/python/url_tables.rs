//! Routes declared in tables or registries rather than Flask/FastAPI
//! decorators: Django `path("healthz/", views.health)` / `re_path`,
//! aiohttp `app.router.add_get(..)`, `web.get(..)` and `@routes.get(..)`,
//! Starlette `Route("/x", endpoint)`, Tornado `Application([(r"/x", Handler)])`,
//! Sanic `@app.get("/x")`. Handlers defined in the same file get their span,
//! statuses and sleeps; others are located at the reference.

use super::imports::Imports;
use super::syntax::{
    dotted_name, named_children, scope_nodes, string_value, unparenthesize, CallArgs, Source,
};
use crate::treesitter::NodeNames;
use seamcheck_facts::source::{ReturnStatus, Route, RouteMatch, RouteMatchKind};
use seamcheck_facts::Framework;
use std::collections::HashMap;
use tree_sitter::Node;

const VERBS: &[&str] = &["get", "post", "put", "delete", "patch", "head", "options"];

pub struct Found<'t> {
    pub route: Route,
    /// The handler function (or Tornado handler method) in this file.
    pub function: Option<Node<'t>>,
}

pub struct UrlTables<'t> {
    pub found: Vec<Found<'t>>,
    pub matches: Vec<RouteMatch>,
}

pub struct UrlTableFinder<'a, 't> {
    pub source: &'a Source<'t>,
    pub imports: &'a Imports,
}

impl<'t> UrlTableFinder<'_, 't> {
    pub fn find(&self, nodes: &[Node<'t>]) -> UrlTables<'t> {
        // Every table below is a qualified name from one of these modules.
        if !self
            .imports
            .binds_any(&["django", "starlette", "tornado", "aiohttp", "sanic"])
        {
            return UrlTables {
                found: Vec::new(),
                matches: Vec::new(),
            };
        }
        let functions = definitions(nodes, "function_definition", self.source);
        let classes = definitions(nodes, "class_definition", self.source);
        let registries = self.assigned(nodes, &["aiohttp.web.RouteTableDef", "sanic.Sanic"]);
        let mut out = UrlTables {
            found: Vec::new(),
            matches: Vec::new(),
        };
        for &node in nodes {
            match node.cached_kind() {
                "call" => self.call(node, &functions, &classes, &mut out),
                "decorated_definition" => self.decorated(node, &registries, &mut out),
                _ => {}
            }
        }
        out.found.sort_by_key(|f| f.route.path.loc.span.start);
        out
    }

    fn call(
        &self,
        call: Node<'t>,
        functions: &HashMap<String, Node<'t>>,
        classes: &HashMap<String, Node<'t>>,
        out: &mut UrlTables<'t>,
    ) {
        let Some(callee) = call
            .field_child("function")
            .and_then(|f| dotted_name(f, self.source))
        else {
            return;
        };
        let qualified = self.imports.qualify(&callee);
        let args = CallArgs::of(call, self.source);
        let method = callee.rsplit('.').next().unwrap_or("");
        match qualified.as_str() {
            "django.urls.path" | "django.urls.re_path" | "django.conf.urls.url" => {
                let (Some(path), Some(view)) = (args.get(0, "route"), args.get(1, "view")) else {
                    return;
                };
                if self.is_include(view) {
                    // `include("api.urls")` mounts another module's table.
                    return;
                }
                let regex = !qualified.ends_with(".path");
                let Some(value) = string_value(path, self.source) else {
                    return;
                };
                let full = if regex {
                    value
                } else {
                    format!("/{}", value.trim_start_matches('/'))
                };
                self.push(
                    out,
                    Vec::new(),
                    path,
                    full,
                    view,
                    functions,
                    Framework::Django,
                    "urlpatterns",
                    regex,
                );
            }
            "starlette.routing.Route" => {
                let (Some(path), Some(endpoint)) = (args.get(0, "path"), args.get(1, "endpoint"))
                else {
                    return;
                };
                let Some(value) = string_value(path, self.source) else {
                    return;
                };
                let methods = self.string_list(args.keyword("methods"));
                self.push(
                    out,
                    methods,
                    path,
                    value,
                    endpoint,
                    functions,
                    Framework::Starlette,
                    "routes",
                    false,
                );
            }
            "tornado.web.Application" | "tornado.web.url" => {
                self.tornado(call, &args, &qualified, classes, out);
            }
            _ if qualified.starts_with("aiohttp.web.") && VERBS.contains(&method) => {
                // `web.get("/x", handler)` inside `app.add_routes([...])`.
                let (Some(path), Some(handler)) = (args.get(0, "path"), args.get(1, "handler"))
                else {
                    return;
                };
                let Some(value) = string_value(path, self.source) else {
                    return;
                };
                self.push(
                    out,
                    vec![method.to_ascii_uppercase()],
                    path,
                    value,
                    handler,
                    functions,
                    Framework::Aiohttp,
                    "app",
                    false,
                );
            }
            _ if callee.contains(".router.add_") => {
                let verb = method.strip_prefix("add_").unwrap_or("");
                let (verbs, path, handler) = if verb == "route" {
                    let m = args
                        .get(0, "method")
                        .and_then(|m| string_value(m, self.source));
                    (
                        m.map(|m| vec![m.to_ascii_uppercase()]).unwrap_or_default(),
                        args.get(1, "path"),
                        args.get(2, "handler"),
                    )
                } else if VERBS.contains(&verb) {
                    (
                        vec![verb.to_ascii_uppercase()],
                        args.get(0, "path"),
                        args.get(1, "handler"),
                    )
                } else {
                    return;
                };
                let (Some(path), Some(handler)) = (path, handler) else {
                    return;
                };
                let Some(value) = string_value(path, self.source) else {
                    return;
                };
                let app = callee.split('.').next().unwrap_or("app").to_string();
                self.push(
                    out,
                    verbs,
                    path,
                    value,
                    handler,
                    functions,
                    Framework::Aiohttp,
                    &app,
                    false,
                );
            }
            _ => {}
        }
    }

    /// `@routes.get("/x")` (aiohttp `RouteTableDef`), `@app.get("/x")` /
    /// `@app.route("/x", methods=[...])` (Sanic).
    fn decorated(
        &self,
        node: Node<'t>,
        registries: &HashMap<String, String>,
        out: &mut UrlTables<'t>,
    ) {
        let Some(function) = node
            .field_child("definition")
            .filter(|d| d.cached_kind() == "function_definition")
        else {
            return;
        };
        for decorator in named_children(node)
            .into_iter()
            .filter(|c| c.cached_kind() == "decorator")
        {
            let Some(call) = named_children(decorator)
                .into_iter()
                .next()
                .filter(|c| c.cached_kind() == "call")
            else {
                continue;
            };
            let Some(callee) = call
                .field_child("function")
                .and_then(|f| dotted_name(f, self.source))
            else {
                continue;
            };
            let Some((object, verb)) = callee.rsplit_once('.') else {
                continue;
            };
            let Some(class) = registries.get(object) else {
                continue;
            };
            let framework = if class.starts_with("sanic") {
                Framework::Sanic
            } else {
                Framework::Aiohttp
            };
            let args = CallArgs::of(call, self.source);
            let Some(path) = args.get(0, "uri").or_else(|| args.get(0, "path")) else {
                continue;
            };
            let Some(value) = string_value(path, self.source) else {
                continue;
            };
            let methods = if VERBS.contains(&verb) {
                vec![verb.to_ascii_uppercase()]
            } else if verb == "route" {
                self.string_list(args.keyword("methods"))
            } else {
                continue;
            };
            let name = function.field_child("name");
            out.found.push(Found {
                route: Route {
                    methods,
                    path: self.source.located(value, path),
                    handler: name.map_or_else(
                        || self.source.located(String::new(), function),
                        |n| self.source.located(self.source.text_of(n).to_string(), n),
                    ),
                    handler_loc: self.source.loc(function),
                    is_async: super::syntax::is_async_function(function),
                    returns: returns(function, self.source),
                    app_var: object.to_string(),
                    framework,
                },
                function: Some(function),
            });
        }
    }

    /// `Application([(r"/", MainHandler), url(r"/x", XHandler)])`: one route
    /// per HTTP method the handler class defines.
    fn tornado(
        &self,
        call: Node<'t>,
        args: &CallArgs<'t>,
        qualified: &str,
        classes: &HashMap<String, Node<'t>>,
        out: &mut UrlTables<'t>,
    ) {
        let entries: Vec<(Node<'t>, Node<'t>)> = if qualified.ends_with(".url") {
            args.get(0, "pattern")
                .zip(args.get(1, "handler"))
                .into_iter()
                .collect()
        } else {
            let Some(list) = args
                .get(0, "handlers")
                .map(unparenthesize)
                .filter(|l| l.cached_kind() == "list")
            else {
                return;
            };
            named_children(list)
                .into_iter()
                .filter(|t| t.cached_kind() == "tuple")
                .filter_map(|t| {
                    let items = named_children(t);
                    Some((*items.first()?, *items.get(1)?))
                })
                .collect()
        };
        let _ = call;
        for (pattern, handler) in entries {
            let Some(value) = string_value(pattern, self.source) else {
                continue;
            };
            let class_name = self
                .source
                .text_of(handler)
                .rsplit('.')
                .next()
                .unwrap_or("")
                .to_string();
            let class = classes.get(&class_name).copied();
            let methods: Vec<(String, Option<Node<'t>>)> = match class {
                Some(c) => class_methods(c, self.source)
                    .into_iter()
                    .filter(|(n, _)| VERBS.contains(&n.as_str()))
                    .map(|(n, f)| (n.to_ascii_uppercase(), Some(f)))
                    .collect(),
                None => vec![(String::new(), None)],
            };
            for (verb, function) in methods {
                let index = out.found.len();
                out.found.push(Found {
                    route: Route {
                        methods: if verb.is_empty() {
                            Vec::new()
                        } else {
                            vec![verb]
                        },
                        path: self.source.located(value.clone(), pattern),
                        handler: self.source.located(class_name.clone(), handler),
                        handler_loc: function
                            .map_or_else(|| self.source.loc(handler), |f| self.source.loc(f)),
                        is_async: function.is_some_and(super::syntax::is_async_function),
                        returns: function
                            .map(|f| returns(f, self.source))
                            .unwrap_or_default(),
                        app_var: "application".to_string(),
                        framework: Framework::Tornado,
                    },
                    function,
                });
                // Tornado patterns are regular expressions anchored at the end.
                if value.chars().any(|c| "()[]*+?\\$^".contains(c)) {
                    out.matches.push(RouteMatch {
                        route: index,
                        kind: RouteMatchKind::Regex {
                            case_insensitive: false,
                        },
                    });
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &self,
        out: &mut UrlTables<'t>,
        methods: Vec<String>,
        path: Node<'t>,
        full: String,
        handler: Node<'t>,
        functions: &HashMap<String, Node<'t>>,
        framework: Framework,
        app_var: &str,
        regex: bool,
    ) {
        let written = self.source.text_of(handler);
        let name = written.rsplit('.').next().unwrap_or(written).to_string();
        let function =
            dotted_name(handler, self.source).and_then(|_| functions.get(&name).copied());
        let index = out.found.len();
        out.found.push(Found {
            route: Route {
                methods,
                path: self.source.located(full, path),
                handler: match function.and_then(|f| f.field_child("name")) {
                    Some(n) => self.source.located(name.clone(), n),
                    None => self
                        .source
                        .located(self.source.short_text_of(handler), handler),
                },
                handler_loc: function
                    .map_or_else(|| self.source.loc(handler), |f| self.source.loc(f)),
                is_async: function.is_some_and(super::syntax::is_async_function),
                returns: function
                    .map(|f| returns(f, self.source))
                    .unwrap_or_default(),
                app_var: app_var.to_string(),
                framework,
            },
            function,
        });
        if regex {
            out.matches.push(RouteMatch {
                route: index,
                kind: RouteMatchKind::Regex {
                    case_insensitive: false,
                },
            });
        }
    }

    fn is_include(&self, view: Node<'t>) -> bool {
        let view = unparenthesize(view);
        view.cached_kind() == "call"
            && view
                .field_child("function")
                .and_then(|f| dotted_name(f, self.source))
                .is_some_and(|c| self.imports.qualify(&c).ends_with("include"))
    }

    /// `["GET", "POST"]` -> upper-case methods; anything else -> empty.
    fn string_list(&self, node: Option<Node<'t>>) -> Vec<String> {
        let Some(list) = node
            .map(unparenthesize)
            .filter(|l| matches!(l.cached_kind(), "list" | "tuple"))
        else {
            return Vec::new();
        };
        named_children(list)
            .into_iter()
            .filter_map(|item| string_value(item, self.source))
            .map(|m| m.to_ascii_uppercase())
            .collect()
    }

    /// Variables assigned an instance of one of `classes`, with the class.
    fn assigned(&self, nodes: &[Node<'t>], classes: &[&str]) -> HashMap<String, String> {
        let mut out = HashMap::new();
        for &node in nodes.iter().filter(|n| n.cached_kind() == "assignment") {
            let (Some(left), Some(right)) = (node.field_child("left"), node.field_child("right"))
            else {
                continue;
            };
            let class = right
                .field_child("function")
                .filter(|_| right.cached_kind() == "call")
                .and_then(|f| dotted_name(f, self.source))
                .map(|c| self.imports.qualify(&c));
            if let Some(class) = class.filter(|c| classes.contains(&c.as_str())) {
                out.insert(self.source.text_of(left).to_string(), class);
            }
        }
        out
    }
}

/// Definitions by name; a name defined twice is dropped (ambiguous).
fn definitions<'t>(
    nodes: &[Node<'t>],
    kind: &str,
    source: &Source<'t>,
) -> HashMap<String, Node<'t>> {
    let mut seen: HashMap<String, Option<Node<'t>>> = HashMap::new();
    for &node in nodes.iter().filter(|n| n.cached_kind() == kind) {
        if let Some(name) = node.field_child("name") {
            seen.entry(source.text_of(name).to_string())
                .and_modify(|e| *e = None)
                .or_insert(Some(node));
        }
    }
    seen.into_iter()
        .filter_map(|(k, v)| Some((k, v?)))
        .collect()
}

/// The methods of a class body: name -> function.
fn class_methods<'t>(class: Node<'t>, source: &Source<'t>) -> Vec<(String, Node<'t>)> {
    let Some(body) = class.field_child("body") else {
        return Vec::new();
    };
    named_children(body)
        .into_iter()
        .filter_map(|c| match c.cached_kind() {
            "function_definition" => Some(c),
            "decorated_definition" => c.field_child("definition"),
            _ => None,
        })
        .filter_map(|f| Some((source.text_of(f.field_child("name")?).to_string(), f)))
        .collect()
}

/// Statuses of a Django/aiohttp/Starlette/Sanic/Tornado handler: each
/// `return` (a response class or helper with `status=`), each `raise` of an
/// HTTP exception; Tornado's `self.set_status(n)` when nothing returns.
fn returns(function: Node<'_>, source: &Source<'_>) -> Vec<ReturnStatus> {
    let Some(body) = function.field_child("body") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut set_status = None;
    for node in scope_nodes(source, body) {
        match node.cached_kind() {
            "return_statement" => {
                let value = named_children(node).into_iter().next();
                out.push(ReturnStatus {
                    status: value.and_then(|v| response_status(v, source)),
                    loc: source.loc(node),
                });
            }
            "raise_statement" => {
                if let Some(status) = named_children(node)
                    .into_iter()
                    .next()
                    .and_then(|v| raised_status(v, source))
                {
                    out.push(ReturnStatus {
                        status: Some(status),
                        loc: source.loc(node),
                    });
                }
            }
            "call" => {
                let callee = node
                    .field_child("function")
                    .and_then(|f| dotted_name(f, source));
                if callee.as_deref() == Some("self.set_status") {
                    let args = CallArgs::of(node, source);
                    let code = args.get(0, "status_code").and_then(|a| integer(a, source));
                    set_status.get_or_insert((code, source.loc(node)));
                }
            }
            _ => {}
        }
    }
    if out.is_empty() {
        if let Some((status, loc)) = set_status {
            out.push(ReturnStatus { status, loc });
        }
    }
    out
}

fn response_status(value: Node<'_>, source: &Source<'_>) -> Option<u16> {
    let value = unparenthesize(value);
    if value.cached_kind() != "call" {
        return None;
    }
    let callee = value
        .field_child("function")
        .and_then(|f| dotted_name(f, source))?;
    let name = callee.rsplit('.').next().unwrap_or("");
    let args = CallArgs::of(value, source);
    if let Some(code) = args
        .keyword("status")
        .or_else(|| args.keyword("status_code"))
    {
        return integer(code, source);
    }
    match name {
        "HttpResponseServerError" => Some(500),
        "HttpResponseNotFound" => Some(404),
        "HttpResponseBadRequest" => Some(400),
        "HttpResponseForbidden" => Some(403),
        "HttpResponseNotAllowed" => Some(405),
        "HttpResponseGone" => Some(410),
        "HttpResponseRedirect" => Some(302),
        "HttpResponsePermanentRedirect" => Some(301),
        "HttpResponse" | "JsonResponse" | "Response" | "json_response" | "text" | "json"
        | "html" | "PlainTextResponse" | "JSONResponse" | "HTMLResponse" | "render" => Some(200),
        _ => None,
    }
}

fn raised_status(value: Node<'_>, source: &Source<'_>) -> Option<u16> {
    let value = unparenthesize(value);
    let (callee, args) = if value.cached_kind() == "call" {
        (
            value
                .field_child("function")
                .and_then(|f| dotted_name(f, source))?,
            Some(CallArgs::of(value, source)),
        )
    } else {
        (dotted_name(value, source)?, None)
    };
    let name = callee.rsplit('.').next().unwrap_or("");
    match name {
        "Http404" | "HTTPNotFound" => Some(404),
        "HTTPInternalServerError" => Some(500),
        "HTTPServiceUnavailable" => Some(503),
        "HTTPBadRequest" => Some(400),
        "HTTPForbidden" => Some(403),
        "HTTPUnauthorized" => Some(401),
        "HTTPError" | "HTTPException" | "SanicException" => {
            let args = args?;
            integer(
                args.get(0, "status_code")
                    .or_else(|| args.keyword("status_code"))?,
                source,
            )
        }
        _ => None,
    }
}

fn integer(node: Node<'_>, source: &Source<'_>) -> Option<u16> {
    super::syntax::integer_value(node, source).and_then(|n| u16::try_from(n).ok())
}
