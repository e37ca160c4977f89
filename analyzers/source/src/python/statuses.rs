//! The HTTP status of each way a handler answers: `return body` (200),
//! `return "x", 500` (Flask), `return JSONResponse(..., status_code=503)`,
//! `abort(503)`, `raise HTTPException(status_code=500)`. A status computed at
//! run time is `None`: rules only act on statuses that are certain.

use super::apps::Framework;
use super::imports::{is_one_of, Imports};
use super::syntax::{
    dotted_name, integer_value, named_children, scope_nodes, string_value, unparenthesize,
    CallArgs, Source,
};
use super::values::{Value, Values};
use crate::treesitter::NodeNames;
use seamcheck_facts::source::ReturnStatus;
use seamcheck_facts::ValueExpr;
use tree_sitter::Node;

/// How many names and wrapping calls (`make_response(make_response(x))`) a
/// returned value is followed through.
const MAX_DEPTH: usize = 8;

/// Calls whose result is a response body, answered with the default status.
const BODY_CALLS: &[&str] = &[
    "jsonify",
    "render_template",
    "render_template_string",
    "send_file",
    "send_from_directory",
    "str",
    "dict",
    "list",
    "dumps",
];

/// Response classes that take the status as their second argument.
const RESPONSE_CLASSES: &[&str] = &[
    "Response",
    "JSONResponse",
    "PlainTextResponse",
    "HTMLResponse",
    "ORJSONResponse",
    "UJSONResponse",
    "StreamingResponse",
    "FileResponse",
    "RedirectResponse",
];

pub struct StatusReader<'a, 't> {
    pub source: &'a Source<'t>,
    pub imports: &'a Imports,
    pub values: &'a Values<'a, 't>,
}

impl<'t> StatusReader<'_, 't> {
    /// Every return, `abort(...)` and `raise HTTPException(...)` in the body
    /// of `function` (not in nested functions), with its status.
    /// `default_status` is what a plain return answers (FastAPI's decorator
    /// `status_code=`, else 200).
    pub fn returns(
        &self,
        function: Node<'t>,
        framework: Framework,
        default_status: Option<u16>,
    ) -> Vec<ReturnStatus> {
        let Some(body) = function.field_child("body") else {
            return Vec::new();
        };
        let handler = Handler {
            function,
            framework,
            // A handler that sets `response.status_code = ...` on the response
            // object it was given answers that status, not the default.
            default_status: if sets_status_attribute(body, self.source) {
                None
            } else {
                default_status
            },
        };
        let mut returns = Vec::new();
        // `return abort(404)`: the abort is the answer; count it once.
        let mut returned_aborts: Vec<usize> = Vec::new();
        for node in scope_nodes(self.source, body) {
            let status = match node.cached_kind() {
                "return_statement" => match named_children(node).first() {
                    Some(value) if self.is_abort(unparenthesize(*value)) => {
                        returned_aborts.push(unparenthesize(*value).id());
                        self.abort_status(unparenthesize(*value), &handler)
                    }
                    Some(value) => self.returned_status(*value, &handler, 0),
                    // A bare `return` answers nothing a rule can rely on.
                    None => None,
                },
                "raise_statement" => match named_children(node).first() {
                    Some(raised) if self.is_http_exception(*raised) => {
                        self.http_exception_status(*raised, &handler)
                    }
                    _ => continue,
                },
                "call" if self.is_abort(node) && !returned_aborts.contains(&node.id()) => {
                    self.abort_status(node, &handler)
                }
                _ => continue,
            };
            returns.push(ReturnStatus {
                status,
                loc: self.source.loc(node),
            });
        }
        returns
    }

    fn abort_status(&self, call: Node<'t>, handler: &Handler<'t>) -> Option<u16> {
        let args = CallArgs::of(call, self.source);
        args.get(0, "code")
            .and_then(|c| self.status_value(c, Some(handler.function)))
    }

    fn returned_status(&self, value: Node<'t>, handler: &Handler<'t>, depth: usize) -> Option<u16> {
        if depth > MAX_DEPTH {
            return None;
        }
        let value = unparenthesize(value);
        match value.cached_kind() {
            // Flask: `(body, status)` or `(body, status, headers)`; FastAPI
            // serializes a tuple as a JSON list with the default status.
            "expression_list" | "tuple" => match handler.framework {
                Framework::Flask => self.flask_tuple_status(value, handler),
                Framework::FastApi => handler.default_status,
            },
            "call" => self.call_status(value, handler, depth),
            "identifier" => self.name_status(value, handler, depth),
            "string"
            | "concatenated_string"
            | "dictionary"
            | "list"
            | "integer"
            | "float"
            | "true"
            | "false"
            | "binary_operator"
            | "list_comprehension"
            | "dictionary_comprehension" => handler.default_status,
            _ => None,
        }
    }

    fn flask_tuple_status(&self, tuple: Node<'t>, handler: &Handler<'t>) -> Option<u16> {
        let items = named_children(tuple);
        match items.as_slice() {
            [_body, second] | [_body, second, _] => {
                let second = unparenthesize(*second);
                // `(body, headers)`: the headers are a dict or a list of pairs.
                if matches!(second.cached_kind(), "dictionary" | "list") && items.len() == 2 {
                    handler.default_status
                } else {
                    self.status_value(second, Some(handler.function))
                }
            }
            _ => None,
        }
    }

    fn call_status(&self, call: Node<'t>, handler: &Handler<'t>, depth: usize) -> Option<u16> {
        let callee = call
            .field_child("function")
            .and_then(|f| dotted_name(f, self.source))?;
        let qualified = self.imports.qualify(&callee);
        let last = qualified.rsplit('.').next().unwrap_or(&qualified);
        let args = CallArgs::of(call, self.source);
        let web_modules = ["flask", "fastapi", "starlette", "werkzeug"];
        if is_one_of(&qualified, &web_modules, RESPONSE_CLASSES, true) {
            let keyword = match handler.framework {
                Framework::Flask => "status",
                Framework::FastApi => "status_code",
            };
            return match args.get(1, keyword) {
                Some(status) => self.status_value(status, Some(handler.function)),
                None if args.splat.is_some() => None,
                None if last == "RedirectResponse" => Some(307),
                None => Some(200),
            };
        }
        if is_one_of(&qualified, &["flask"], &["make_response"], true) {
            return match args.positional.as_slice() {
                [single] if args.splat.is_none() => {
                    self.returned_status(*single, handler, depth + 1)
                }
                [_, status, ..] => self.status_value(*status, Some(handler.function)),
                _ => None,
            };
        }
        if is_one_of(&qualified, &["flask", "werkzeug"], &["redirect"], true) {
            return match args.get(1, "code") {
                Some(code) => self.status_value(code, Some(handler.function)),
                None => Some(302),
            };
        }
        if BODY_CALLS.contains(&last) && is_one_of(&qualified, &["flask", "json"], BODY_CALLS, true)
        {
            return handler.default_status;
        }
        None
    }

    /// `return resp`: follows the one assignment of `resp` in the handler.
    fn name_status(&self, name: Node<'t>, handler: &Handler<'t>, depth: usize) -> Option<u16> {
        let text = self.source.text_of(name);
        match self.values.assignment_count(handler.function, text) {
            // A parameter, a global or a module constant holds a body.
            0 => handler.default_status,
            _ => {
                let value = self.values.single_assignment(handler.function, text)?;
                self.returned_status(value, handler, depth + 1)
            }
        }
    }

    /// A status argument (read in `function`'s scope, or the module's): an
    /// integer literal, a constant name,
    /// `HTTPStatus.SERVICE_UNAVAILABLE`, `status.HTTP_503_SERVICE_UNAVAILABLE`,
    /// or Flask's `"500 INTERNAL SERVER ERROR"`.
    pub fn status_value(&self, node: Node<'t>, function: Option<Node<'t>>) -> Option<u16> {
        let node = unparenthesize(node);
        if let Some(n) = integer_value(node, self.source) {
            return http_status(n);
        }
        if let Some(text) = string_value(node, self.source) {
            let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
            return digits.parse().ok().and_then(http_status);
        }
        if node.cached_kind() == "attribute" {
            let name = dotted_name(node, self.source)?;
            return named_status(&name);
        }
        if node.cached_kind() == "identifier" {
            let resolved = self.values.resolve(node, function, 0);
            if let Value::Known(ValueExpr::Literal { value }) = resolved.value {
                return value.parse().ok().and_then(http_status);
            }
        }
        None
    }

    fn is_abort(&self, call: Node<'t>) -> bool {
        call.field_child("function")
            .and_then(|f| dotted_name(f, self.source))
            .is_some_and(|name| {
                let qualified = self.imports.qualify(&name);
                // A bare `abort` not imported from flask could be anything.
                qualified == "flask.abort" || qualified == "werkzeug.exceptions.abort"
            })
    }

    fn is_http_exception(&self, raised: Node<'t>) -> bool {
        let raised = unparenthesize(raised);
        raised.cached_kind() == "call"
            && raised
                .field_child("function")
                .and_then(|f| dotted_name(f, self.source))
                .is_some_and(|name| {
                    is_one_of(
                        &self.imports.qualify(&name),
                        &["fastapi", "starlette"],
                        &["HTTPException"],
                        true,
                    )
                })
    }

    /// `HTTPException(status_code=500)` or `HTTPException(500)`.
    fn http_exception_status(&self, raised: Node<'t>, handler: &Handler<'t>) -> Option<u16> {
        let raised = unparenthesize(raised);
        let args = CallArgs::of(raised, self.source);
        let status = args.get(0, "status_code")?;
        self.status_value(status, Some(handler.function))
    }
}

struct Handler<'t> {
    function: Node<'t>,
    framework: Framework,
    default_status: Option<u16>,
}

fn http_status(n: i64) -> Option<u16> {
    u16::try_from(n).ok().filter(|s| (100..=599).contains(s))
}

/// `status.HTTP_503_SERVICE_UNAVAILABLE` (FastAPI/Starlette) and the common
/// `HTTPStatus` members.
fn named_status(dotted: &str) -> Option<u16> {
    let member = dotted.rsplit('.').next().unwrap_or(dotted);
    if let Some(rest) = member.strip_prefix("HTTP_") {
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        return digits.parse().ok().and_then(|n: i64| http_status(n));
    }
    if !dotted.contains("HTTPStatus.") {
        return None;
    }
    crate::common::http_status::by_constant(member)
}

/// `response.status_code = 503` / `resp.status = 500` anywhere in the body.
fn sets_status_attribute(body: Node<'_>, source: &Source<'_>) -> bool {
    scope_nodes(source, body).into_iter().any(|node| {
        node.cached_kind() == "assignment"
            && node
                .field_child("left")
                .filter(|l| l.cached_kind() == "attribute")
                .and_then(|l| l.field_child("attribute"))
                .is_some_and(|a| matches!(source.text_of(a), "status_code" | "status"))
    })
}
