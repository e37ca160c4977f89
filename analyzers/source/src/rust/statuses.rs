//! The statuses a handler answers: its tail expression and `return`s, through
//! `if`/`match` branches, `Ok`/`Err`, tuples, `StatusCode::X`,
//! `HttpResponse::X()`, rocket `Status::X`, `Response::builder().status(n)`,
//! warp `reply::with_status`. A body the handler builds some other way is
//! `None` (unknown); a plain body (`"ok"`, `Json(..)`) is 200.

use super::src::Src;
use super::syntax::{call_path, chain, int_lit, last, path_segments, strip, MAX_DEPTH};
use seamcheck_facts::source::ReturnStatus;
use syn::visit::Visit;
use syn::{Block, Expr, ReturnType, Stmt};

/// `INTERNAL_SERVER_ERROR`, `InternalServerError` -> 500 (`http::StatusCode`
/// constants; actix `HttpResponse::X()`, rocket `Status::X` and `status::X`
/// use the same names in CamelCase).
pub fn status_named(name: &str) -> Option<u16> {
    crate::common::http_status::by_camel(name)
}

pub struct StatusReader<'a> {
    pub src: &'a Src<'a>,
}

impl StatusReader<'_> {
    /// Every way a function body returns.
    pub fn of_body(&self, block: &Block, output: Option<&ReturnType>) -> Vec<ReturnStatus> {
        let mut returns = Vec::new();
        let mut explicit = Returns { found: Vec::new() };
        explicit.visit_block(block);
        for r in explicit.found {
            match &r.expr {
                Some(e) => self.expr(e, 0, &mut returns),
                None => returns.push(ReturnStatus {
                    status: Some(200),
                    loc: self.src.loc(r),
                }),
            }
        }
        match block.stmts.last() {
            Some(Stmt::Expr(tail, None)) => self.expr(tail, 0, &mut returns),
            _ => {
                // No tail: `()` is 200 for axum/actix when the function
                // declares no output type.
                let unit = output.is_none_or(|o| matches!(o, ReturnType::Default));
                if unit {
                    returns.push(ReturnStatus {
                        status: Some(200),
                        loc: self.src.loc(block),
                    });
                }
            }
        }
        returns.sort_by_key(|r| r.loc.span.start);
        returns
    }

    /// A closure handler: `|| async { .. }` or `|| "ok"`.
    pub fn of_closure(&self, closure: &syn::ExprClosure) -> Vec<ReturnStatus> {
        let mut body = strip(&closure.body);
        if let Expr::Async(a) = body {
            return self.of_body(&a.block, None);
        }
        if let Expr::Block(b) = body {
            return self.of_body(&b.block, Some(&closure.output));
        }
        body = strip(body);
        let mut out = Vec::new();
        self.expr(body, 0, &mut out);
        out
    }

    fn expr(&self, expr: &Expr, depth: usize, out: &mut Vec<ReturnStatus>) {
        let push = |out: &mut Vec<ReturnStatus>, status| {
            out.push(ReturnStatus {
                status,
                loc: self.src.loc(expr),
            })
        };
        if depth > MAX_DEPTH {
            return push(out, None);
        }
        let expr = strip(expr);
        match expr {
            Expr::If(i) => {
                self.block_tail(&i.then_branch, depth, out);
                if let Some((_, e)) = &i.else_branch {
                    self.expr(e, depth + 1, out);
                }
            }
            Expr::Match(m) => {
                for arm in &m.arms {
                    self.expr(&arm.body, depth + 1, out);
                }
            }
            Expr::Block(b) => self.block_tail(&b.block, depth, out),
            Expr::Unsafe(b) => self.block_tail(&b.block, depth, out),
            Expr::Return(_) => {} // collected with the explicit returns
            _ => push(out, self.status(expr, depth)),
        }
    }

    fn block_tail(&self, block: &Block, depth: usize, out: &mut Vec<ReturnStatus>) {
        if let Some(Stmt::Expr(tail, None)) = block.stmts.last() {
            self.expr(tail, depth + 1, out);
        }
    }

    /// The status one response expression answers.
    fn status(&self, expr: &Expr, depth: usize) -> Option<u16> {
        if depth > MAX_DEPTH {
            return None;
        }
        let expr = strip(expr);
        match expr {
            Expr::Lit(_) | Expr::Macro(_) => Some(200),
            Expr::Tuple(t) if t.elems.is_empty() => Some(200),
            // `(StatusCode::X, body)`; a tuple led by anything else (headers,
            // parts) is not read: unknown.
            Expr::Tuple(t) => self.status_value(t.elems.first()?),
            Expr::Path(_) => {
                let path = path_segments(expr)?;
                if path.len() >= 2 {
                    self.status_value(expr)
                } else {
                    None
                }
            }
            Expr::Call(call) => {
                let (path, _) = call_path(expr)?;
                let name = last(&path);
                let first = call.args.first();
                let owner = path.iter().rev().nth(1).map(String::as_str);
                if let Some("HttpResponse" | "status") = owner {
                    // actix `HttpResponse::InternalServerError()`, rocket
                    // `status::NotFound(body)`.
                    return status_named(name);
                }
                match name {
                    "Ok" | "Err" | "Some" => self.status(first?, depth + 1),
                    // Body wrappers of axum/rocket/actix: 200.
                    "Json" | "Html" | "Text" | "Redirect" | "Form" | "Bytes" | "String" => {
                        Some(200)
                    }
                    // rocket `status::Custom(Status::X, body)`.
                    "Custom" => self.status_value(first?),
                    "from_u16" => int_lit(first?).and_then(|n| u16::try_from(n).ok()),
                    "with_status" => self.status_value(call.args.get(1)?),
                    "new" | "build" => self.status_value(first?),
                    _ => None,
                }
            }
            Expr::MethodCall(_) => {
                let (root, methods) = chain(expr);
                // `.status(n)` anywhere in a builder chain decides.
                if let Some(s) = methods
                    .iter()
                    .rev()
                    .find(|m| m.method == "status")
                    .and_then(|m| m.args.first())
                {
                    return self.status_value(s);
                }
                if let Some(plain) = methods.first().map(|m| m.method.to_string()) {
                    if matches!(plain.as_str(), "to_string" | "to_owned" | "into")
                        && matches!(strip(root), Expr::Lit(_))
                    {
                        return Some(200);
                    }
                }
                let is_builder = call_path(root).is_some_and(|(p, _)| {
                    p.iter().rev().nth(1).is_some_and(|o| o == "Response") && last(&p) == "builder"
                });
                if is_builder {
                    return Some(200);
                }
                self.status(root, depth + 1)
            }
            _ => None,
        }
    }

    /// A status value: `StatusCode::X`, `Status::X`, `500`, `StatusCode::from_u16(500)`.
    fn status_value(&self, expr: &Expr) -> Option<u16> {
        let expr = strip(expr);
        if let Some(n) = int_lit(expr) {
            return u16::try_from(n).ok();
        }
        if let Some(path) = path_segments(expr) {
            let owner = path.iter().rev().nth(1)?;
            if matches!(owner.as_str(), "StatusCode" | "Status") {
                return status_named(last(&path));
            }
            return None;
        }
        let (root, _) = chain(expr);
        let (path, call) = call_path(root)?;
        if last(&path) == "from_u16" {
            return int_lit(call.args.first()?).and_then(|n| u16::try_from(n).ok());
        }
        None
    }
}

/// `return` expressions of a body, not of nested closures, async blocks or items.
struct Returns<'a> {
    found: Vec<&'a syn::ExprReturn>,
}

impl<'a> Visit<'a> for Returns<'a> {
    fn visit_expr_return(&mut self, r: &'a syn::ExprReturn) {
        self.found.push(r);
        syn::visit::visit_expr_return(self, r);
    }
    fn visit_expr_closure(&mut self, _: &'a syn::ExprClosure) {}
    fn visit_expr_async(&mut self, _: &'a syn::ExprAsync) {}
    fn visit_item(&mut self, _: &'a syn::Item) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_both_cases() {
        assert_eq!(status_named("INTERNAL_SERVER_ERROR"), Some(500));
        assert_eq!(status_named("InternalServerError"), Some(500));
        assert_eq!(status_named("Ok"), Some(200));
        assert_eq!(status_named("ServiceUnavailable"), Some(503));
        assert_eq!(status_named("Nope"), None);
    }
}
