//! Spring MVC/WebFlux controllers (`@RestController` + `@RequestMapping`
//! prefix + `@GetMapping` …) and JAX-RS resources (`@Path` + `@GET`), with
//! the statuses their handlers answer.

use super::annotations::{self, enum_names, strings, Annotation};
use super::sleeps::{self, is_elsewhere};
use super::statuses::{returned_status, status_value, thrown_status};
use super::syntax::{named_children, walk, Source};
use crate::treesitter::NodeNames;
use seamcheck_facts::source::{HandlerSleep, ReturnStatus, Route};
use seamcheck_facts::{Framework, Location};
use tree_sitter::Node;

const SPRING_MAPPINGS: &[(&str, &str)] = &[
    ("GetMapping", "GET"),
    ("PostMapping", "POST"),
    ("PutMapping", "PUT"),
    ("DeleteMapping", "DELETE"),
    ("PatchMapping", "PATCH"),
    ("RequestMapping", ""),
];

const JAXRS_METHODS: &[&str] = &["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

pub struct Found {
    pub routes: Vec<Route>,
    pub sleeps: Vec<HandlerSleep>,
}

pub fn find(classes: &[Node<'_>], source: &Source<'_>) -> Found {
    let mut found = Found {
        routes: Vec::new(),
        sleeps: Vec::new(),
    };
    for class in classes {
        let class_annotations = annotations::of(*class, source);
        let has = |name: &str| class_annotations.iter().any(|a| a.name == name);
        let spring = has("RestController") || has("Controller");
        let jaxrs = has("Path");
        if !spring && !jaxrs {
            continue;
        }
        let prefix_annotation = class_annotations
            .iter()
            .find(|a| a.name == if spring { "RequestMapping" } else { "Path" });
        let prefixes = match prefix_annotation.and_then(|a| a.path_argument()) {
            Some(arg) => match strings(arg, source) {
                Some(p) => p.into_iter().map(|(s, _)| s).collect(),
                // A prefix seamcheck cannot read: every path is unknown.
                None => continue,
            },
            None => vec![String::new()],
        };
        let class_name = class.field_child("name").map_or("", |n| source.text_of(n));
        let Some(body) = class.field_child("body") else {
            continue;
        };
        for method in named_children(body) {
            if method.cached_kind() != "method_declaration" {
                continue;
            }
            let method_annotations = annotations::of(method, source);
            let Some((methods, paths, framework)) = mapping(&method_annotations, spring, source)
            else {
                continue;
            };
            let handler_name = method.field_child("name");
            let Some(handler_name) = handler_name else {
                continue;
            };
            let handler = source.located(source.text_of(handler_name).to_string(), handler_name);
            let is_async = is_reactive(method, source);
            let returns = returns(method, &method_annotations, source, &handler.loc);
            for prefix in &prefixes {
                for (path, path_loc) in &paths {
                    found.routes.push(Route {
                        methods: methods.clone(),
                        path: seamcheck_facts::Located::new(join(prefix, path), path_loc.clone()),
                        handler: handler.clone(),
                        handler_loc: handler_span(method, source),
                        is_async,
                        returns: returns.clone(),
                        app_var: class_name.to_string(),
                        framework,
                    });
                }
            }
            if let Some(body) = method.field_child("body") {
                found
                    .sleeps
                    .extend(sleeps::find(body, &handler.value, is_async, source));
            }
        }
    }
    found
}

type Mapping = (Vec<String>, Vec<(String, Location)>, Framework);

/// The methods and paths of a handler method, or `None` if it maps nothing.
fn mapping(annotations: &[Annotation<'_>], spring: bool, source: &Source<'_>) -> Option<Mapping> {
    if spring {
        let (annotation, method) = annotations.iter().find_map(|a| {
            SPRING_MAPPINGS
                .iter()
                .find(|(n, _)| *n == a.name)
                .map(|(_, m)| (a, *m))
        })?;
        let methods = if method.is_empty() {
            annotation
                .get("method")
                .map(|m| enum_names(m, source))
                .unwrap_or_default()
        } else {
            vec![method.to_string()]
        };
        let paths = paths_of(annotation, source)?;
        return Some((methods, paths, Framework::Spring));
    }
    let methods: Vec<String> = annotations
        .iter()
        .filter(|a| JAXRS_METHODS.contains(&a.name))
        .map(|a| a.name.to_string())
        .collect();
    if methods.is_empty() {
        return None;
    }
    let paths = match annotations.iter().find(|a| a.name == "Path") {
        Some(p) => paths_of(p, source)?,
        None => vec![(String::new(), source.loc(annotations.first()?.node))],
    };
    Some((methods, paths, Framework::JaxRs))
}

/// The constant paths of a mapping annotation; no argument is the class
/// prefix alone, located at the annotation. `None` when not constant.
fn paths_of(annotation: &Annotation<'_>, source: &Source<'_>) -> Option<Vec<(String, Location)>> {
    match annotation.path_argument() {
        None => Some(vec![(String::new(), source.loc(annotation.node))]),
        Some(arg) => Some(
            strings(arg, source)?
                .into_iter()
                .map(|(s, node)| (s, source.loc(node)))
                .collect(),
        ),
    }
}

/// `/api` + `health` -> `/api/health`; `""` + `""` -> `/`.
pub fn join(prefix: &str, path: &str) -> String {
    let mut out = String::new();
    for part in [prefix, path] {
        let part = part.trim_matches('/');
        if !part.is_empty() {
            out.push('/');
            out.push_str(part);
        }
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

/// From the return type (or name) to the end of the body: annotations excluded.
fn handler_span(method: Node<'_>, source: &Source<'_>) -> Location {
    let start = method
        .field_child("type_parameters")
        .or_else(|| method.field_child("type"))
        .or_else(|| method.field_child("name"))
        .map_or(method.start_byte(), |n| n.start_byte());
    source.index.location(start..method.end_byte())
}

/// WebFlux/Mutiny handlers run on the event loop: a sleep there stalls it.
fn is_reactive(method: Node<'_>, source: &Source<'_>) -> bool {
    let ty = method.field_child("type").map_or("", |t| source.text_of(t));
    ["Mono", "Flux", "Uni", "Multi"]
        .iter()
        .any(|r| ty == *r || ty.starts_with(&format!("{r}<")))
}

/// Each return/throw of the handler's own body with its status. The default
/// status is `@ResponseStatus(X)` of the method, else 200.
fn returns(
    method: Node<'_>,
    annotations: &[Annotation<'_>],
    source: &Source<'_>,
    name_loc: &Location,
) -> Vec<ReturnStatus> {
    let default = annotations
        .iter()
        .find(|a| a.name == "ResponseStatus")
        .and_then(|a| a.value.or_else(|| a.get("code")).or_else(|| a.get("value")))
        .map_or(Some(200), |v| status_value(v, source));
    let ty = method.field_child("type").map_or("", |t| source.text_of(t));
    // A variable of a response type may hold any status.
    let response_typed = [
        "ResponseEntity",
        "Response",
        "Mono<ResponseEntity",
        "RestResponse",
    ]
    .iter()
    .any(|r| ty.starts_with(r));
    let Some(body) = method.field_child("body") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    walk(body, (), |node, _| {
        if node.id() != body.id() && is_elsewhere(node.cached_kind()) {
            return None;
        }
        let expr = named_children(node).into_iter().next();
        match node.cached_kind() {
            "return_statement" => {
                let status = match expr {
                    None => default,
                    Some(e) => match returned_status(e, source) {
                        Some(s) => s,
                        None if response_typed => None,
                        None => default,
                    },
                };
                out.push(ReturnStatus {
                    status,
                    loc: source.loc(node),
                });
            }
            "throw_statement" => {
                if let Some(status) = expr.and_then(|e| thrown_status(e, source)) {
                    out.push(ReturnStatus {
                        status,
                        loc: source.loc(node),
                    });
                }
            }
            _ => {}
        }
        Some(())
    });
    // A void handler that falls off its end answers the default.
    let ends_with_exit = named_children(body)
        .last()
        .is_some_and(|last| matches!(last.cached_kind(), "return_statement" | "throw_statement"));
    if ty == "void" && !ends_with_exit && !out.iter().any(|r| r.status == default) {
        out.push(ReturnStatus {
            status: default,
            loc: name_loc.clone(),
        });
    }
    out
}
