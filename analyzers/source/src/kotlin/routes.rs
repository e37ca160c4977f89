//! Spring controllers in Kotlin (`@RestController` + `@RequestMapping`
//! prefix + `@GetMapping` … on `fun`s), with the statuses their handlers
//! answer and the sleeps in them.

use super::annotations::{self, enum_names, strings, Annotation};
use super::sleeps::{self, is_elsewhere};
use super::statuses::{returned_status, status_value, thrown_status};
use super::syntax::{named_children, walk, Source};
use crate::java::routes::join;
use crate::treesitter::NodeNames;
use seamcheck_facts::source::{HandlerSleep, ReturnStatus, Route};
use seamcheck_facts::{Framework, Located, Location};
use tree_sitter::Node;

const SPRING_MAPPINGS: &[(&str, &str)] = &[
    ("GetMapping", "GET"),
    ("PostMapping", "POST"),
    ("PutMapping", "PUT"),
    ("DeleteMapping", "DELETE"),
    ("PatchMapping", "PATCH"),
    ("RequestMapping", ""),
];

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
        if !class_annotations
            .iter()
            .any(|a| a.name == "RestController" || a.name == "Controller")
        {
            continue;
        }
        let prefix = class_annotations
            .iter()
            .find(|a| a.name == "RequestMapping")
            .and_then(|a| a.path_argument());
        let prefixes = match prefix {
            Some(arg) => match strings(arg, source) {
                Some(p) => p.into_iter().map(|(s, _)| s).collect(),
                // A prefix seamcheck cannot read: every path is unknown.
                None => continue,
            },
            None => vec![String::new()],
        };
        let class_name = class.field_child("name").map_or("", |n| source.text_of(n));
        let Some(body) = named_children(*class)
            .into_iter()
            .find(|c| c.cached_kind() == "class_body")
        else {
            continue;
        };
        for function in named_children(body) {
            if function.cached_kind() != "function_declaration" {
                continue;
            }
            let function_annotations = annotations::of(function, source);
            let Some((methods, paths)) = mapping(&function_annotations, source) else {
                continue;
            };
            let Some(name) = function.field_child("name") else {
                continue;
            };
            let handler = source.located(source.text_of(name).to_string(), name);
            let is_async = is_async(function, source);
            let returns = returns(function, &function_annotations, source, &handler.loc);
            for prefix in &prefixes {
                for (path, path_loc) in &paths {
                    found.routes.push(Route {
                        methods: methods.clone(),
                        path: Located::new(join(prefix, path), path_loc.clone()),
                        handler: handler.clone(),
                        handler_loc: handler_span(function, name, source),
                        is_async,
                        returns: returns.clone(),
                        app_var: class_name.to_string(),
                        framework: Framework::Spring,
                    });
                }
            }
            if let Some(body) = function_body(function) {
                found
                    .sleeps
                    .extend(sleeps::find(body, &handler.value, is_async, source));
            }
        }
    }
    found
}

type Mapping = (Vec<String>, Vec<(String, Location)>);

/// The methods and paths of a handler function, or `None` if it maps nothing
/// or its path is not constant.
fn mapping(annotations: &[Annotation<'_>], source: &Source<'_>) -> Option<Mapping> {
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
    let paths = match annotation.path_argument() {
        None => vec![(String::new(), source.loc(annotation.node))],
        Some(arg) => strings(arg, source)?
            .into_iter()
            .map(|(s, node)| (s, source.loc(node)))
            .collect(),
    };
    Some((methods, paths))
}

fn function_body(function: Node<'_>) -> Option<Node<'_>> {
    named_children(function)
        .into_iter()
        .find(|c| c.cached_kind() == "function_body")
}

/// The declared return type (the type after the parameters), if written.
fn return_type<'s>(function: Node<'_>, source: &Source<'s>) -> &'s str {
    let children = named_children(function);
    let after_parameters = children
        .iter()
        .skip_while(|c| c.cached_kind() != "function_value_parameters")
        .nth(1)
        .filter(|c| c.cached_kind().ends_with("_type"));
    after_parameters.map_or("", |t| source.text_of(*t))
}

/// From `fun` to the end of the body: annotations excluded.
fn handler_span(function: Node<'_>, name: Node<'_>, source: &Source<'_>) -> Location {
    let text = source.text.get(..name.start_byte()).unwrap_or("");
    let start = text
        .rfind("fun")
        .filter(|i| *i >= function.start_byte())
        .unwrap_or(name.start_byte());
    source.index.location(start..function.end_byte())
}

/// `suspend` functions and WebFlux types run on an event loop or coroutine
/// dispatcher: a blocking sleep there stalls other requests.
fn is_async(function: Node<'_>, source: &Source<'_>) -> bool {
    let suspend = named_children(function)
        .into_iter()
        .filter(|c| c.cached_kind() == "modifiers")
        .flat_map(named_children)
        .any(|m| source.text_of(m) == "suspend");
    let ty = return_type(function, source);
    suspend
        || ["Mono", "Flux"]
            .iter()
            .any(|r| ty == *r || ty.starts_with(&format!("{r}<")))
}

/// Each return/throw of the handler's own body with its status (an
/// expression body `= expr` is one return). The default status is
/// `@ResponseStatus(X)` of the function, else 200.
fn returns(
    function: Node<'_>,
    annotations: &[Annotation<'_>],
    source: &Source<'_>,
    name_loc: &Location,
) -> Vec<ReturnStatus> {
    let default = annotations
        .iter()
        .find(|a| a.name == "ResponseStatus")
        .and_then(|a| a.value.or_else(|| a.get("code")).or_else(|| a.get("value")))
        .map_or(Some(200), |v| status_value(v, source));
    let ty = return_type(function, source);
    // A variable of a response type may hold any status.
    let response_typed = ty.starts_with("ResponseEntity") || ty.starts_with("Mono<ResponseEntity");
    let status_of = |expr: Option<Node<'_>>| match expr {
        None => default,
        Some(e) => match returned_status(e, source) {
            Some(s) => s,
            None if response_typed => None,
            None => default,
        },
    };
    let Some(body) = function_body(function) else {
        return Vec::new();
    };
    let children = named_children(body);
    let Some(block) = children.first().filter(|c| c.cached_kind() == "block") else {
        // `fun x() = expr`
        return vec![ReturnStatus {
            status: status_of(children.first().copied()),
            loc: source.loc(body),
        }];
    };
    let mut out = Vec::new();
    walk(*block, (), |node, _| {
        if node.id() != block.id() && is_elsewhere(node.cached_kind()) {
            return None;
        }
        let expr = named_children(node).into_iter().next();
        match node.cached_kind() {
            "return_expression" => out.push(ReturnStatus {
                status: status_of(expr),
                loc: source.loc(node),
            }),
            "throw_expression" => {
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
    // A Unit handler that falls off its end answers the default.
    let ends_with_exit = named_children(*block)
        .last()
        .is_some_and(|last| matches!(last.cached_kind(), "return_expression" | "throw_expression"));
    let unit = ty.is_empty() || ty == "Unit";
    if unit && !ends_with_exit && !out.iter().any(|r| r.status == default) {
        out.push(ReturnStatus {
            status: default,
            loc: name_loc.clone(),
        });
    }
    out
}
