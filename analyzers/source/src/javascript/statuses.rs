//! The statuses a handler answers. Each way it responds is one
//! `ReturnStatus`: Express `res.status(500).send()`, `res.sendStatus(503)`,
//! `res.json(x)` (200, or the status a preceding `res.status(n);` statement
//! set), Node `res.writeHead(n)` / `res.statusCode = n`, Fastify
//! `reply.code(n).send()`, Koa `ctx.status = n` / `ctx.body = x` /
//! `ctx.throw(n)`, hapi `h.response(x).code(n)`, and for frameworks that
//! answer with the returned value (Fastify, hapi, NestJS) each `return`.
//! NestJS `throw new ServiceUnavailableException()` / `HttpException(x, n)`.
//! Responses inside callbacks of the handler count too: they answer the
//! same request.

use super::apps::{FASTIFY, HAPI, KOA, KOA_ROUTER, NEST};
use super::syntax::{
    body_nodes, call_args, is_function, named_children, small_integer, strip, Source, MAX_CHAIN,
};
use super::values::Values;
use crate::treesitter::NodeNames;
use seamcheck_facts::source::ReturnStatus;
use seamcheck_facts::{Framework, ValueExpr};
use tree_sitter::Node;

/// Express/Node/Fastify methods that send the response.
const SENDS: &[&str] = &[
    "send", "json", "jsonp", "end", "render", "sendFile", "download", "redirect", "type",
];

/// Methods that set the status of the response being built.
const SETS_STATUS: &[&str] = &["status", "code", "writeHead", "sendStatus"];

pub struct StatusReader<'a, 't> {
    pub source: &'a Source<'t>,
    pub values: &'a Values<'a, 't>,
}

/// One step of a method chain on the response object: `status(500)`.
struct Step<'t> {
    method: &'t str,
    call: Node<'t>,
}

impl<'t> StatusReader<'_, 't> {
    /// The statuses `function` answers, as a handler of `framework`.
    /// `default_status` is what a returned value answers (NestJS `@HttpCode`,
    /// 201 for `@Post`).
    pub fn returns(
        &self,
        function: Node<'t>,
        framework: Framework,
        default_status: u16,
    ) -> Vec<ReturnStatus> {
        let params = parameter_names(function, self.source);
        let responder = match framework {
            KOA | KOA_ROUTER => params.first().cloned(),
            NEST => None,
            _ => params.get(1).cloned(),
        };
        let next = match framework {
            KOA | KOA_ROUTER | NEST | FASTIFY | HAPI => None,
            _ => params.get(2).cloned(),
        };
        let mut out = Vec::new();
        for node in body_nodes(function, true) {
            match node.cached_kind() {
                "call_expression" => {
                    if let Some(r) = responder.as_deref() {
                        if let Some(status) = self.chain_status(node, r, framework) {
                            out.push(status);
                        }
                    }
                    // `next(err)`: the error handler answers, with whatever status.
                    if let Some(n) = next.as_deref() {
                        let callee = node.field_child("function").map(|f| self.source.text_of(f));
                        if callee == Some(n) && !call_args(node).is_empty() {
                            out.push(self.point(None, node));
                        }
                    }
                }
                "assignment_expression" if matches!(framework, KOA | KOA_ROUTER) => {
                    if let Some(r) = responder.as_deref() {
                        if let Some(status) = self.koa_assignment(node, r) {
                            out.push(status);
                        }
                    }
                }
                "throw_statement" if framework == NEST => {
                    if let Some(value) = named_children(node).first() {
                        out.push(self.point(
                            nest_exception_status(*value, self.source, self.values),
                            node,
                        ));
                    }
                }
                _ => {}
            }
        }
        if matches!(framework, FASTIFY | HAPI | NEST) {
            out.extend(self.returned_values(function, responder.as_deref(), default_status));
        }
        out.sort_by_key(|r| r.loc.span.start);
        out
    }

    fn point(&self, status: Option<u16>, node: Node<'t>) -> ReturnStatus {
        ReturnStatus {
            status,
            loc: self.source.loc(node),
        }
    }

    /// The status of a response chain rooted at `responder`, evaluated only at
    /// the outermost call of the chain.
    fn chain_status(
        &self,
        call: Node<'t>,
        responder: &str,
        framework: Framework,
    ) -> Option<ReturnStatus> {
        if is_inner_chain_call(call) {
            return None;
        }
        let steps = self.chain(call, responder)?;
        let has = |m: &str| steps.iter().find(|s| s.method == m);
        if let Some(step) = has("sendStatus").or_else(|| has("writeHead")) {
            return Some(self.point(self.status_arg(step.call, 0), call));
        }
        if framework == KOA || framework == KOA_ROUTER {
            if let Some(step) = has("throw") {
                return Some(self.point(self.status_arg(step.call, 0), call));
            }
            if has("redirect").is_some() {
                return Some(self.point(Some(302), call));
            }
            return None;
        }
        let sends = steps
            .iter()
            .any(|s| SENDS.contains(&s.method) || (framework == HAPI && s.method == "response"));
        let status_step = steps
            .iter()
            .find(|s| s.method == "status" || s.method == "code");
        if !sends {
            return None;
        }
        if let Some(step) = status_step {
            return Some(self.point(self.status_arg(step.call, 0), call));
        }
        if let Some(step) = has("redirect") {
            // `res.redirect(301, url)`; one argument means 302.
            let args = call_args(step.call);
            let status = if args.len() >= 2 {
                self.status_arg(step.call, 0)
            } else {
                Some(302)
            };
            return Some(self.point(status, call));
        }
        let status = self.preceding_status(call, responder).unwrap_or(Some(200));
        Some(self.point(status, call))
    }

    /// The steps of `responder.a(..).b(..)` from the responder out; `None`
    /// when the chain does not start at the responder.
    fn chain(&self, call: Node<'t>, responder: &str) -> Option<Vec<Step<'t>>> {
        let mut steps = Vec::new();
        let mut current = call;
        for _ in 0..MAX_CHAIN {
            let node = strip(current);
            match node.cached_kind() {
                "call_expression" => {
                    let callee = strip(node.field_child("function")?);
                    if callee.cached_kind() != "member_expression" {
                        return None;
                    }
                    let method = self.source.text_of(callee.field_child("property")?);
                    steps.push(Step { method, call: node });
                    current = callee.field_child("object")?;
                }
                "identifier" if self.source.text_of(node) == responder => {
                    steps.reverse();
                    return Some(steps);
                }
                _ => return None,
            }
        }
        None
    }

    /// A status argument: a constant, a name bound to one, `HttpStatus.X`.
    fn status_arg(&self, call: Node<'t>, position: usize) -> Option<u16> {
        let arg = *call_args(call).get(position)?;
        status_value(arg, self.source, self.values)
    }

    /// `res.status(503);` or `res.statusCode = 503;` as an earlier statement
    /// of an enclosing block: the status a later plain `send` answers.
    /// `Some(None)`: a status is set but not constant.
    fn preceding_status(&self, node: Node<'t>, responder: &str) -> Option<Option<u16>> {
        let mut current = node;
        for _ in 0..256 {
            let parent = current.parent()?;
            if is_function(current) {
                return None;
            }
            if matches!(
                parent.cached_kind(),
                "statement_block" | "program" | "switch_case" | "switch_default"
            ) {
                let mut sibling = current.prev_named_sibling();
                while let Some(s) = sibling {
                    if let Some(status) = self.status_statement(s, responder) {
                        return Some(status);
                    }
                    sibling = s.prev_named_sibling();
                }
            }
            current = parent;
        }
        None
    }

    fn status_statement(&self, statement: Node<'t>, responder: &str) -> Option<Option<u16>> {
        if statement.cached_kind() != "expression_statement" {
            return None;
        }
        let expr = strip(*named_children(statement).first()?);
        match expr.cached_kind() {
            "call_expression" => {
                let steps = self.chain(expr, responder)?;
                let step = steps.iter().find(|s| SETS_STATUS.contains(&s.method))?;
                Some(self.status_arg(step.call, 0))
            }
            "assignment_expression" => {
                let left = expr.field_child("left")?;
                let target = self.source.text_of(left);
                if target == format!("{responder}.statusCode")
                    || target == format!("{responder}.status")
                {
                    Some(status_value(
                        expr.field_child("right")?,
                        self.source,
                        self.values,
                    ))
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    /// Koa: `ctx.status = n` answers n; `ctx.body = x` answers 200 unless a
    /// status statement came before it.
    fn koa_assignment(&self, node: Node<'t>, ctx: &str) -> Option<ReturnStatus> {
        let left = self.source.text_of(node.field_child("left")?);
        if left == format!("{ctx}.status") {
            let right = node.field_child("right")?;
            return Some(self.point(status_value(right, self.source, self.values), node));
        }
        if left == format!("{ctx}.body") {
            let status = self.preceding_status(node, ctx).unwrap_or(Some(200));
            if status == Some(200) || status.is_none() {
                return Some(self.point(status, node));
            }
            // The status assignment before it is already a point.
            return None;
        }
        None
    }

    /// `return value` in the handler's own body (and an arrow function's
    /// expression body): the framework answers the value with its default
    /// status; a returned response chain was already counted.
    fn returned_values(
        &self,
        function: Node<'t>,
        responder: Option<&str>,
        default_status: u16,
    ) -> Vec<ReturnStatus> {
        let mut out = Vec::new();
        let Some(body) = function.field_child("body") else {
            return out;
        };
        let returned: Vec<(Node<'t>, Option<Node<'t>>)> = if body.cached_kind() == "statement_block"
        {
            body_nodes(function, false)
                .into_iter()
                .filter(|n| n.cached_kind() == "return_statement")
                .map(|r| (r, named_children(r).into_iter().next()))
                .collect()
        } else {
            vec![(body, Some(body))]
        };
        for (statement, value) in returned {
            let Some(value) = value else { continue };
            let value = strip(value);
            let value = if value.cached_kind() == "await_expression" {
                named_children(value)
                    .into_iter()
                    .next()
                    .map_or(value, strip)
            } else {
                value
            };
            let is_chain = value.cached_kind() == "call_expression"
                && responder.is_some_and(|r| self.chain(value, r).is_some());
            if !is_chain {
                out.push(self.point(Some(default_status), statement));
            }
        }
        out
    }
}

/// A call that is the object of a further method call in the same chain
/// (`res.status(500)` in `res.status(500).send()`).
fn is_inner_chain_call(call: Node<'_>) -> bool {
    call.parent()
        .filter(|p| p.cached_kind() == "member_expression")
        .and_then(|p| p.parent())
        .is_some_and(|g| g.cached_kind() == "call_expression")
}

/// Parameter names in order (`(req, res)`, `(req: Request, res: Response)`);
/// a destructured parameter is an empty name.
pub fn parameter_names(function: Node<'_>, source: &Source<'_>) -> Vec<String> {
    if let Some(single) = function.field_child("parameter") {
        return vec![source.text_of(single).to_string()];
    }
    let Some(params) = function.field_child("parameters") else {
        return Vec::new();
    };
    named_children(params)
        .into_iter()
        .map(|p| {
            let id = match p.cached_kind() {
                "identifier" => Some(p),
                "required_parameter" | "optional_parameter" => p
                    .field_child("pattern")
                    .filter(|n| n.cached_kind() == "identifier"),
                "assignment_pattern" => p
                    .field_child("left")
                    .filter(|n| n.cached_kind() == "identifier"),
                _ => None,
            };
            id.map_or_else(String::new, |i| source.text_of(i).to_string())
        })
        .collect()
}

/// A status written as a number, a name bound to one, or an enum member
/// (`HttpStatus.SERVICE_UNAVAILABLE`, `StatusCodes.SERVICE_UNAVAILABLE`).
pub fn status_value(node: Node<'_>, source: &Source<'_>, values: &Values<'_, '_>) -> Option<u16> {
    let node = strip(node);
    if let Some(n) = small_integer(node, source) {
        return Some(n);
    }
    if node.cached_kind() == "member_expression" {
        let name = source.text_of(node.field_child("property")?);
        return status_named(name);
    }
    match values.eval(node).expr {
        ValueExpr::Literal { value } => value.parse().ok(),
        _ => None,
    }
}

/// NestJS's built-in exceptions and `HttpException(body, status)`.
fn nest_exception_status(
    value: Node<'_>,
    source: &Source<'_>,
    values: &Values<'_, '_>,
) -> Option<u16> {
    let value = strip(value);
    if value.cached_kind() != "new_expression" {
        return None;
    }
    let class = source.text_of(value.field_child("constructor")?);
    if class == "HttpException" {
        return call_args(value)
            .get(1)
            .and_then(|s| status_value(*s, source, values));
    }
    let code = match class {
        "BadRequestException" => 400,
        "UnauthorizedException" => 401,
        "ForbiddenException" => 403,
        "NotFoundException" => 404,
        "MethodNotAllowedException" => 405,
        "NotAcceptableException" => 406,
        "RequestTimeoutException" => 408,
        "ConflictException" => 409,
        "GoneException" => 410,
        "PayloadTooLargeException" => 413,
        "UnsupportedMediaTypeException" => 415,
        "UnprocessableEntityException" => 422,
        "InternalServerErrorException" => 500,
        "NotImplementedException" => 501,
        "BadGatewayException" => 502,
        "ServiceUnavailableException" => 503,
        "GatewayTimeoutException" => 504,
        _ => return None,
    };
    Some(code)
}

/// `HttpStatus` member names (NestJS, http-status-codes).
fn status_named(name: &str) -> Option<u16> {
    crate::common::http_status::by_constant(name)
}
