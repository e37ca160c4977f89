//! ASP.NET Core routes: minimal APIs (`app.MapGet("/x", handler)`, groups
//! from `MapGroup("/api")`, `MapHealthChecks("/health")`) and attribute-routed
//! controllers (`[Route("api/[controller]")]` + `[HttpGet("x")]`).

use super::sleeps::{self, is_elsewhere, Sleeps};
use super::statuses::result_status;
use super::strings;
use crate::java::routes::join;
use crate::java::syntax::{named_children, walk, Source};
use crate::treesitter::NodeNames;
use seamcheck_facts::source::{ReturnStatus, Route};
use seamcheck_facts::{Framework, Located, Location};
use tree_sitter::Node;

const MAP_METHODS: &[(&str, &str)] = &[
    ("MapGet", "GET"),
    ("MapPost", "POST"),
    ("MapPut", "PUT"),
    ("MapDelete", "DELETE"),
    ("MapPatch", "PATCH"),
];

const HTTP_ATTRIBUTES: &[(&str, &str)] = &[
    ("HttpGet", "GET"),
    ("HttpPost", "POST"),
    ("HttpPut", "PUT"),
    ("HttpDelete", "DELETE"),
    ("HttpPatch", "PATCH"),
    ("HttpHead", "HEAD"),
];

/// How many `MapGroup` levels a prefix is followed through.
const MAX_GROUP_DEPTH: usize = 16;

pub struct Found {
    pub routes: Vec<Route>,
    pub sleeps: Sleeps,
}

pub struct Inputs<'a, 't> {
    pub source: &'a Source<'t>,
    pub invocations: &'a [Node<'t>],
    pub declarators: &'a [Node<'t>],
    pub classes: &'a [Node<'t>],
    /// Methods and local functions, to find a handler passed by name.
    pub functions: &'a [Node<'t>],
}

pub fn find(inputs: &Inputs<'_, '_>) -> Found {
    let mut found = Found {
        routes: Vec::new(),
        sleeps: Sleeps {
            blocking: Vec::new(),
            delays: Vec::new(),
        },
    };
    minimal_api(inputs, &mut found);
    controllers(inputs, &mut found);
    found
}

fn minimal_api(inputs: &Inputs<'_, '_>, found: &mut Found) {
    let source = inputs.source;
    for call in inputs.invocations {
        let Some(function) = call.field_child("function") else {
            continue;
        };
        if function.cached_kind() != "member_access_expression" {
            continue;
        }
        let name = function
            .field_child("name")
            .map_or("", |n| source.text_of(n));
        let method = MAP_METHODS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, m)| *m);
        let is_health = name == "MapHealthChecks";
        if method.is_none() && !is_health {
            continue;
        }
        let args: Vec<Node<'_>> = call
            .field_child("arguments")
            .map(named_children)
            .unwrap_or_default();
        let Some(path_arg) = args
            .first()
            .and_then(|a| named_children(*a).last().copied())
        else {
            continue;
        };
        let Some(path) = strings::constant(path_arg, source) else {
            continue;
        };
        let receiver = function.field_child("expression");
        let app_var = receiver.map_or("", |r| source.text_of(r)).to_string();
        let Some(prefix) = group_prefix(receiver, inputs) else {
            continue;
        };
        let full = join(&prefix, &path.value);
        if is_health {
            found.routes.push(Route {
                methods: vec!["GET".to_string()],
                path: Located::new(full, source.loc(path_arg)),
                handler: source.located("health checks".to_string(), function),
                handler_loc: source.loc(*call),
                is_async: false,
                // Healthy 200, Unhealthy 503: it depends on the checks.
                returns: Vec::new(),
                app_var,
                framework: Framework::AspNetCoreHealthChecks,
            });
            continue;
        }
        let Some(handler) = args.get(1).and_then(|a| named_children(*a).last().copied()) else {
            continue;
        };
        let (name, body_owner) = match handler.cached_kind() {
            // A lambda has no name: say which mapping it is.
            "lambda_expression" | "anonymous_method_expression" => {
                (format!("{name}(\"{}\") lambda", path.value), Some(handler))
            }
            "identifier" => {
                let name = source.text_of(handler);
                (name.to_string(), function_named(name, inputs))
            }
            _ => (source.short_text_of(handler), None),
        };
        let handler_loc = body_owner.map_or_else(|| source.loc(handler), |b| source.loc(b));
        let is_async = body_owner.is_some_and(|b| has_async(b, source));
        let returns = body_owner
            .map(|b| returns_of(b, source))
            .unwrap_or_default();
        found.routes.push(Route {
            methods: method.map(|m| vec![m.to_string()]).unwrap_or_default(),
            path: Located::new(full, source.loc(path_arg)),
            handler: Located::new(name.clone(), source.loc(handler)),
            handler_loc,
            is_async,
            returns,
            app_var,
            framework: Framework::AspNetCore,
        });
        if let Some(body) = body_owner.and_then(|b| b.field_child("body")) {
            sleeps::find(body, &name, is_async, source, &mut found.sleeps);
        }
    }
}

/// The path prefix of the object routes are mapped on: `""` for the app,
/// the `MapGroup` prefixes of a group variable. `None` when not constant.
fn group_prefix(receiver: Option<Node<'_>>, inputs: &Inputs<'_, '_>) -> Option<String> {
    let source = inputs.source;
    let mut prefixes: Vec<String> = Vec::new();
    let mut current = receiver;
    for _ in 0..MAX_GROUP_DEPTH {
        let Some(node) = current else {
            break;
        };
        let initializer = match node.cached_kind() {
            "identifier" => {
                let name = source.text_of(node);
                let decls: Vec<Node<'_>> = inputs
                    .declarators
                    .iter()
                    .copied()
                    .filter(|d| {
                        d.field_child("name")
                            .is_some_and(|n| source.text_of(n) == name)
                    })
                    .collect();
                match decls.as_slice() {
                    [one] => named_children(*one).into_iter().skip(1).last(),
                    // Not declared here (the app, a parameter): no prefix.
                    [] => None,
                    _ => return None,
                }
            }
            _ => Some(node),
        };
        let Some(group) = initializer.and_then(|i| map_group_call(i, source)) else {
            break;
        };
        let args = group
            .field_child("arguments")
            .map(named_children)
            .unwrap_or_default();
        let arg = args
            .first()
            .and_then(|a| named_children(*a).last().copied())?;
        prefixes.push(strings::constant(arg, source)?.value);
        current = group
            .field_child("function")
            .and_then(|f| f.field_child("expression"));
    }
    prefixes.reverse();
    Some(
        prefixes
            .iter()
            .fold(String::new(), |acc, p| join(&acc, p))
            .trim_end_matches('/')
            .to_string(),
    )
}

/// The `X.MapGroup(...)` call of a chain like `app.MapGroup("/api").WithTags("a")`.
fn map_group_call<'t>(node: Node<'t>, source: &Source<'t>) -> Option<Node<'t>> {
    let mut node = node;
    for _ in 0..32 {
        if node.cached_kind() != "invocation_expression" {
            return None;
        }
        let function = node.field_child("function")?;
        let name = function.field_child("name").map(|n| source.text_of(n));
        if name == Some("MapGroup") {
            return Some(node);
        }
        node = function.field_child("expression")?;
    }
    None
}

fn function_named<'t>(name: &str, inputs: &Inputs<'_, 't>) -> Option<Node<'t>> {
    let matching: Vec<Node<'t>> = inputs
        .functions
        .iter()
        .copied()
        .filter(|f| {
            f.field_child("name")
                .is_some_and(|n| inputs.source.text_of(n) == name)
        })
        .collect();
    match matching.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

fn has_async(node: Node<'_>, source: &Source<'_>) -> bool {
    let mut cursor = node.walk();
    let found = node
        .children(&mut cursor)
        .any(|c| c.cached_kind() == "modifier" && source.text_of(c) == "async")
        || source.text_of(node).starts_with("async");
    found
}

/// Each return of a lambda or method body with its status; an expression
/// body is one return; a body with no return answers 200.
fn returns_of(owner: Node<'_>, source: &Source<'_>) -> Vec<ReturnStatus> {
    let Some(body) = owner.field_child("body") else {
        return Vec::new();
    };
    let status_of = |expr: Option<Node<'_>>| match expr {
        None => Some(200),
        Some(e) => result_status(e, source).unwrap_or(Some(200)),
    };
    let body = if body.cached_kind() == "arrow_expression_clause" {
        match named_children(body).first() {
            Some(e) => *e,
            None => return Vec::new(),
        }
    } else {
        body
    };
    if body.cached_kind() != "block" {
        return vec![ReturnStatus {
            status: status_of(Some(body)),
            loc: source.loc(body),
        }];
    }
    let mut out = Vec::new();
    walk(body, (), |node, _| {
        if node.id() != body.id() && is_elsewhere(node.cached_kind()) {
            return None;
        }
        if node.cached_kind() == "return_statement" {
            out.push(ReturnStatus {
                status: status_of(named_children(node).first().copied()),
                loc: source.loc(node),
            });
        }
        Some(())
    });
    if out.is_empty() {
        out.push(ReturnStatus {
            status: Some(200),
            loc: source.loc(owner),
        });
    }
    out
}

/// An attribute as written: simple name and first positional string.
struct Attribute<'t> {
    name: &'t str,
    template: Option<(String, Node<'t>)>,
    node: Node<'t>,
}

fn attributes<'t>(declaration: Node<'t>, source: &Source<'t>) -> Vec<Attribute<'t>> {
    let mut out = Vec::new();
    for list in named_children(declaration) {
        if list.cached_kind() != "attribute_list" {
            continue;
        }
        for attribute in named_children(list) {
            if attribute.cached_kind() != "attribute" {
                continue;
            }
            let name = attribute
                .field_child("name")
                .map_or("", |n| source.text_of(n));
            let name = name.rsplit('.').next().unwrap_or(name);
            let name = name.strip_suffix("Attribute").unwrap_or(name);
            let template = named_children(attribute)
                .into_iter()
                .find(|c| c.cached_kind() == "attribute_argument_list")
                .and_then(|args| {
                    named_children(args)
                        .into_iter()
                        .find(|a| a.field_child("name").is_none())
                })
                .and_then(|arg| named_children(arg).last().copied())
                .and_then(|e| strings::constant(e, source).map(|c| (c.value, e)));
            out.push(Attribute {
                name,
                template,
                node: attribute,
            });
        }
    }
    out
}

fn controllers(inputs: &Inputs<'_, '_>, found: &mut Found) {
    let source = inputs.source;
    for class in inputs.classes {
        let class_attributes = attributes(*class, source);
        let bases = named_children(*class)
            .into_iter()
            .find(|c| c.cached_kind() == "base_list")
            .map_or("", |b| source.text_of(b));
        let is_controller = class_attributes.iter().any(|a| a.name == "ApiController")
            || bases.contains("ControllerBase")
            || bases.contains("Controller");
        if !is_controller {
            continue;
        }
        let class_name = class.field_child("name").map_or("", |n| source.text_of(n));
        let controller = class_name.strip_suffix("Controller").unwrap_or(class_name);
        let class_route = class_attributes
            .iter()
            .find(|a| a.name == "Route")
            .and_then(|a| a.template.as_ref().map(|(t, _)| t.clone()))
            .unwrap_or_default();
        let Some(body) = class.field_child("body") else {
            continue;
        };
        for method in named_children(body) {
            if method.cached_kind() != "method_declaration" {
                continue;
            }
            let method_attributes = attributes(method, source);
            let http = method_attributes.iter().find_map(|a| {
                HTTP_ATTRIBUTES
                    .iter()
                    .find(|(n, _)| *n == a.name)
                    .map(|(_, m)| (a, *m))
            });
            let route = method_attributes.iter().find(|a| a.name == "Route");
            let Some((http_attribute, verb)) = http else {
                continue;
            };
            let Some(name_node) = method.field_child("name") else {
                continue;
            };
            let action = source.text_of(name_node);
            let template = http_attribute
                .template
                .as_ref()
                .or(route.and_then(|r| r.template.as_ref()));
            let (path, path_loc) = match template {
                Some((t, node)) => (t.clone(), source.loc(*node)),
                None => (String::new(), source.loc(http_attribute.node)),
            };
            let full = if path.starts_with('/') || path.starts_with("~/") {
                join("", path.trim_start_matches('~'))
            } else {
                join(&class_route, &path)
            };
            let full = replace_tokens(&full, controller, action);
            let is_async = has_async(method, source);
            let returns = returns_of(method, source);
            found.routes.push(Route {
                methods: vec![verb.to_string()],
                path: Located::new(full, path_loc),
                handler: source.located(action.to_string(), name_node),
                handler_loc: method_span(method, source),
                is_async,
                returns,
                app_var: class_name.to_string(),
                framework: Framework::AspNetCoreMvc,
            });
            if let Some(body) = method.field_child("body") {
                sleeps::find(body, action, is_async, source, &mut found.sleeps);
            }
        }
    }
}

/// `[controller]` and `[action]` tokens (case-insensitive, as ASP.NET does).
fn replace_tokens(path: &str, controller: &str, action: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(open) = rest.find('[') {
        out.push_str(rest.get(..open).unwrap_or(""));
        let after = rest.get(open..).unwrap_or("");
        let Some(close) = after.find(']') else {
            out.push_str(after);
            return out;
        };
        let token = after.get(1..close).unwrap_or("");
        match token.to_ascii_lowercase().as_str() {
            "controller" => out.push_str(controller),
            "action" => out.push_str(action),
            _ => out.push_str(after.get(..=close).unwrap_or("")),
        }
        rest = after.get(close + 1..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// From the return type to the end of the body (attributes excluded).
fn method_span(method: Node<'_>, source: &Source<'_>) -> Location {
    let start = method
        .field_child("returns")
        .or_else(|| method.field_child("name"))
        .map_or(method.start_byte(), |n| n.start_byte());
    source.index.location(start..method.end_byte())
}
