//! Small readers of syn expressions shared by the fact finders.

use syn::{Expr, ExprPath, Lit};

/// Bounds every recursive reader of expressions (the parse guard already
/// bounds the tree; this bounds chains through names and functions).
pub const MAX_DEPTH: usize = 48;

/// Strips what does not change a value: parentheses, `&`, `?`, `.await`,
/// invisible groups.
pub fn strip(mut expr: &Expr) -> &Expr {
    for _ in 0..MAX_DEPTH {
        expr = match expr {
            Expr::Paren(p) => &p.expr,
            Expr::Group(g) => &g.expr,
            Expr::Reference(r) => &r.expr,
            Expr::Try(t) => &t.expr,
            Expr::Await(a) => &a.base,
            _ => return expr,
        };
    }
    expr
}

/// The segments of a path as written: `axum::routing::get` -> `["axum", "routing", "get"]`.
pub fn segments(path: &syn::Path) -> Vec<String> {
    path.segments.iter().map(|s| s.ident.to_string()).collect()
}

pub fn path_segments(expr: &Expr) -> Option<Vec<String>> {
    match strip(expr) {
        Expr::Path(ExprPath { path, .. }) => Some(segments(path)),
        _ => None,
    }
}

/// The callee path of a call `a::b(…)`.
pub fn call_path(expr: &Expr) -> Option<(Vec<String>, &syn::ExprCall)> {
    match strip(expr) {
        Expr::Call(call) => Some((path_segments(&call.func)?, call)),
        _ => None,
    }
}

/// `path` ends with `tail` (`["std", "thread", "sleep"]` ends with `["thread", "sleep"]`).
pub fn ends_with(path: &[String], tail: &[&str]) -> bool {
    path.len() >= tail.len()
        && path
            .iter()
            .rev()
            .zip(tail.iter().rev())
            .all(|(a, b)| a == b)
}

pub fn last(path: &[String]) -> &str {
    path.last().map_or("", String::as_str)
}

/// A single identifier expression (`port`, `PORT`).
pub fn ident(expr: &Expr) -> Option<String> {
    match strip(expr) {
        Expr::Path(p) if p.qself.is_none() => p.path.get_ident().map(|i| i.to_string()),
        _ => None,
    }
}

pub fn str_lit(expr: &Expr) -> Option<&syn::LitStr> {
    match strip(expr) {
        Expr::Lit(l) => match &l.lit {
            Lit::Str(s) => Some(s),
            _ => None,
        },
        _ => None,
    }
}

pub fn int_lit(expr: &Expr) -> Option<u64> {
    match strip(expr) {
        Expr::Lit(l) => match &l.lit {
            Lit::Int(i) => i.base10_parse::<u64>().ok(),
            _ => None,
        },
        _ => None,
    }
}

/// The methods of a chain from the innermost receiver outwards, and that
/// receiver: `a.b(x).c()` -> (`a`, [b(x), c()]).
pub fn chain(expr: &Expr) -> (&Expr, Vec<&syn::ExprMethodCall>) {
    let mut calls = Vec::new();
    let mut current = strip(expr);
    while let Expr::MethodCall(m) = current {
        calls.push(m);
        current = strip(&m.receiver);
    }
    calls.reverse();
    (current, calls)
}

/// Attribute path as written (`tokio::test` -> `["tokio", "test"]`).
pub fn attr_path(attr: &syn::Attribute) -> Vec<String> {
    segments(attr.path())
}

/// `#[test]`, `#[tokio::test]`, `#[actix_web::test]`, `#[rocket::async_test]`.
pub fn is_test_fn(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        let p = attr_path(a);
        matches!(last(&p), "test" | "async_test" | "bench")
    })
}

/// `#[cfg(test)]` (also inside `all(...)`; `not(test)` is not).
pub fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        if !a.path().is_ident("cfg") {
            return false;
        }
        let tokens = match &a.meta {
            syn::Meta::List(list) => list.tokens.to_string(),
            _ => return false,
        };
        let words: Vec<&str> = tokens
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty())
            .collect();
        words.contains(&"test") && !words.contains(&"not")
    })
}

/// Parses the comma-separated expressions of a function-like macro
/// (`format!("{}:{}", host, port)`); `None` when they are not expressions.
pub fn macro_args(mac: &syn::Macro) -> Option<Vec<Expr>> {
    use syn::punctuated::Punctuated;
    mac.parse_body_with(Punctuated::<Expr, syn::Token![,]>::parse_terminated)
        .ok()
        .map(|p| p.into_iter().collect())
}
