//! Reads a port, host or bind address expression into `ValueExpr`s:
//! literals, `std::env::var("PORT")` with its `unwrap_or…` default, a
//! `let` bound once in the enclosing function or a `const`, `format!`
//! addresses, tuples and `SocketAddr`/`Ipv4Addr` constructors.

use super::items::Items;
use super::src::Src;
use super::syntax::{
    call_path, chain, ends_with, ident, int_lit, last, macro_args, str_lit, strip, MAX_DEPTH,
};
use seamcheck_facts::{Located, Location, ValueExpr};
use std::collections::HashMap;
use std::ops::Range;
use syn::{Expr, Lit};

/// Where names are looked up: the enclosing function's `let`s, then the file.
pub struct Scope<'s, 'f> {
    pub items: &'s Items<'f>,
    pub lets: &'s HashMap<String, Vec<Option<&'f Expr>>>,
}

/// A value with where it is written, and, when it was reached through a name,
/// where that name's value is written.
pub struct Setting {
    pub value: Located<ValueExpr>,
    pub defined_at: Option<Location>,
}

pub struct Address {
    pub host: Option<Setting>,
    pub port: Option<Setting>,
}

/// Methods that keep a value (a `String` port parsed to a `u16` is the same port).
const TRANSPARENT: &[&str] = &[
    "parse",
    "unwrap",
    "expect",
    "ok",
    "to_string",
    "to_owned",
    "into",
    "clone",
    "as_str",
    "as_deref",
    "as_ref",
    "trim",
    "try_into",
    "unwrap_or_exit",
];

pub struct Values<'a> {
    pub src: &'a Src<'a>,
}

impl Values<'_> {
    pub fn setting(&self, expr: &Expr, scope: &Scope) -> Setting {
        let (value, defined_at) = self.read(expr, scope, 0);
        Setting {
            value: self.src.located(value, expr),
            defined_at,
        }
    }

    /// The value of an expression and, when read through a name, where that
    /// name's value is written.
    pub fn read(&self, expr: &Expr, scope: &Scope, depth: usize) -> (ValueExpr, Option<Location>) {
        let unknown = || (ValueExpr::unknown(self.src.short_text(expr)), None);
        if depth > MAX_DEPTH {
            return unknown();
        }
        let expr = strip(expr);
        match expr {
            Expr::Lit(l) => match &l.lit {
                Lit::Int(i) => (ValueExpr::literal(i.base10_digits()), None),
                Lit::Str(s) => (ValueExpr::literal(s.value()), None),
                _ => unknown(),
            },
            Expr::Cast(c) => self.read(&c.expr, scope, depth + 1),
            Expr::Path(_) => match ident(expr) {
                Some(name) => self.read_name(&name, scope, depth).unwrap_or_else(unknown),
                None => unknown(),
            },
            Expr::Call(_) => {
                if let Some(var) = self.env_var(expr, scope) {
                    return (ValueExpr::env(var, None), None);
                }
                let Some((path, call)) = call_path(expr) else {
                    return unknown();
                };
                let converts =
                    matches!(last(&path), "from" | "new" | "Some" | "Ok") && call.args.len() == 1;
                match call.args.first() {
                    Some(arg) if converts => self.read(arg, scope, depth + 1),
                    _ => unknown(),
                }
            }
            Expr::MethodCall(m) => {
                let method = m.method.to_string();
                let inner = || self.read(&m.receiver, scope, depth + 1);
                if TRANSPARENT.contains(&method.as_str()) && m.args.is_empty() {
                    return inner();
                }
                match method.as_str() {
                    "map" | "and_then" if m.args.len() == 1 => {
                        if m.args.first().is_some_and(is_transparent_closure) {
                            inner()
                        } else {
                            unknown()
                        }
                    }
                    "unwrap_or" | "unwrap_or_else" | "or_else" | "map_or" => {
                        let Some(arg) = m.args.first() else {
                            return unknown();
                        };
                        let default_expr = closure_body(arg).unwrap_or(arg);
                        let (default, _) = self.read(default_expr, scope, depth + 1);
                        match (inner(), default) {
                            (
                                (ValueExpr::Env { var, default: None }, at),
                                ValueExpr::Literal { value },
                            ) => (ValueExpr::env(var, Some(value)), at),
                            ((ValueExpr::Env { .. }, _), _) => unknown(),
                            (read, _) => read,
                        }
                    }
                    _ => unknown(),
                }
            }
            Expr::Macro(m) => {
                // `format!("{}", port)` / `format!("{port}")`: the one placeholder.
                let is_format = m
                    .mac
                    .path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == "format");
                if !is_format {
                    return unknown();
                }
                let Some(args) = macro_args(&m.mac) else {
                    return unknown();
                };
                let Some(format) = args.first().and_then(str_lit) else {
                    return unknown();
                };
                let pieces = format_pieces(&format.value());
                match pieces.as_slice() {
                    [Piece::Placeholder(name, _)] => self
                        .placeholder(name, &args, scope, depth)
                        .map_or_else(unknown, |s| (s.value.value, s.defined_at)),
                    _ => unknown(),
                }
            }
            _ => unknown(),
        }
    }

    /// A name: a `let` of the enclosing function bound exactly once, else a
    /// `const`/`static` of the file.
    fn read_name(
        &self,
        name: &str,
        scope: &Scope,
        depth: usize,
    ) -> Option<(ValueExpr, Option<Location>)> {
        let init = match scope.lets.get(name).map(Vec::as_slice) {
            Some([Some(one)]) => *one,
            Some(_) => return None,
            None => scope.items.constant(name)?,
        };
        let (value, defined_at) = self.read(init, scope, depth + 1);
        let at = defined_at.unwrap_or_else(|| self.src.loc(strip(init)));
        Some((value, Some(at)))
    }

    /// `std::env::var("PORT")` / `env::var_os("PORT")` / `var("PORT")` imported
    /// from `std::env`: the variable's name.
    fn env_var(&self, expr: &Expr, scope: &Scope) -> Option<String> {
        let (path, call) = call_path(expr)?;
        let full = scope.items.qualify(&path);
        let reads_env = ends_with(&full, &["env", "var"]) || ends_with(&full, &["env", "var_os"]);
        if !reads_env {
            return None;
        }
        Some(str_lit(call.args.first()?)?.value())
    }

    /// A bind address: `"0.0.0.0:8080"`, `("0.0.0.0", port)`,
    /// `SocketAddr::from(([0, 0, 0, 0], 3000))`, `format!("0.0.0.0:{port}")`,
    /// a name bound to one of these. Unreadable: both parts unknown.
    pub fn address(&self, expr: &Expr, scope: &Scope, depth: usize) -> Address {
        let unknown = || {
            let value = self
                .src
                .located(ValueExpr::unknown(self.src.short_text(expr)), expr);
            Address {
                host: Some(Setting {
                    value: value.clone(),
                    defined_at: None,
                }),
                port: Some(Setting {
                    value,
                    defined_at: None,
                }),
            }
        };
        if depth > MAX_DEPTH {
            return unknown();
        }
        let expr = strip(expr);
        let (root, methods) = chain(expr);
        if !methods.is_empty()
            && methods
                .iter()
                .all(|m| TRANSPARENT.contains(&m.method.to_string().as_str()) && m.args.is_empty())
        {
            return self.address(root, scope, depth + 1);
        }
        if let Some(lit) = str_lit(expr) {
            return self.address_literal(lit);
        }
        match expr {
            Expr::Tuple(t) if t.elems.len() == 2 => {
                let (Some(host), Some(port)) = (t.elems.first(), t.elems.last()) else {
                    return unknown();
                };
                Address {
                    host: Some(self.ip(host, scope, depth + 1)),
                    port: Some(self.setting_at(port, scope, depth + 1)),
                }
            }
            Expr::Call(call) => {
                let Some((path, _)) = call_path(expr) else {
                    return unknown();
                };
                let args: Vec<&Expr> = call.args.iter().collect();
                match (last(&path), args.as_slice()) {
                    ("from", [one]) => self.address(one, scope, depth + 1),
                    ("new", [ip, port, ..]) => Address {
                        host: Some(self.ip(ip, scope, depth + 1)),
                        port: Some(self.setting_at(port, scope, depth + 1)),
                    },
                    _ => unknown(),
                }
            }
            Expr::Macro(m)
                if m.mac
                    .path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == "format") =>
            {
                self.address_format(&m.mac, scope, depth)
                    .unwrap_or_else(unknown)
            }
            Expr::Path(_) => {
                let Some(name) = ident(expr) else {
                    return unknown();
                };
                let init = match scope.lets.get(&name).map(Vec::as_slice) {
                    Some([Some(one)]) => Some(*one),
                    Some(_) => None,
                    None => scope.items.constant(&name),
                };
                match init {
                    Some(init) => self.address(init, scope, depth + 1),
                    None => unknown(),
                }
            }
            _ => unknown(),
        }
    }

    fn setting_at(&self, expr: &Expr, scope: &Scope, depth: usize) -> Setting {
        let (value, defined_at) = self.read(expr, scope, depth);
        Setting {
            value: self.src.located(value, expr),
            defined_at,
        }
    }

    /// An IP address expression as text (`[0, 0, 0, 0]`, `Ipv4Addr::UNSPECIFIED`).
    fn ip(&self, expr: &Expr, scope: &Scope, depth: usize) -> Setting {
        let literal = |v: &str| Setting {
            value: self.src.located(ValueExpr::literal(v), expr),
            defined_at: None,
        };
        let stripped = strip(expr);
        if let Expr::Array(a) = stripped {
            let parts: Option<Vec<u64>> = a.elems.iter().map(int_lit).collect();
            return match parts.as_deref() {
                Some([a, b, c, d]) => literal(&format!("{a}.{b}.{c}.{d}")),
                Some([0, 0, 0, 0, 0, 0, 0, 0]) => literal("::"),
                Some([0, 0, 0, 0, 0, 0, 0, 1]) => literal("::1"),
                _ => self.setting_at(expr, scope, depth),
            };
        }
        if let Expr::Path(p) = stripped {
            let path = super::syntax::segments(&p.path);
            let text = match (path.iter().rev().nth(1).map(String::as_str), last(&path)) {
                (Some("Ipv4Addr"), "UNSPECIFIED") => Some("0.0.0.0"),
                (Some("Ipv4Addr"), "LOCALHOST") => Some("127.0.0.1"),
                (Some("Ipv6Addr"), "UNSPECIFIED") => Some("::"),
                (Some("Ipv6Addr"), "LOCALHOST") => Some("::1"),
                _ => None,
            };
            if let Some(text) = text {
                return literal(text);
            }
        }
        if let Some((path, call)) = call_path(stripped) {
            let args: Vec<&Expr> = call.args.iter().collect();
            match (last(&path), args.as_slice()) {
                ("V4" | "V6" | "from", [one]) => return self.ip(one, scope, depth + 1),
                ("new", [a, b, c, d]) => {
                    if let (Some(a), Some(b), Some(c), Some(d)) =
                        (int_lit(a), int_lit(b), int_lit(c), int_lit(d))
                    {
                        return literal(&format!("{a}.{b}.{c}.{d}"));
                    }
                }
                _ => {}
            }
        }
        let (root, methods) = chain(stripped);
        if !methods.is_empty() && str_lit(root).is_some() {
            return self.setting_at(root, scope, depth);
        }
        self.setting_at(expr, scope, depth)
    }

    /// `"0.0.0.0:8080"`, `"[::]:80"`, `":8080"`: host and port located inside the literal.
    fn address_literal(&self, lit: &syn::LitStr) -> Address {
        let value = lit.value();
        let contents = self.src.plain_string_contents(lit);
        let locate = |r: Range<usize>| match &contents {
            Some(c) => self.src.index.location(c.start + r.start..c.start + r.end),
            None => self.src.loc(lit),
        };
        let (host, port) = split_host_port(&value);
        let part = |r: Range<usize>| Setting {
            value: Located::new(
                ValueExpr::literal(value.get(r.clone()).unwrap_or("")),
                locate(r),
            ),
            defined_at: None,
        };
        Address {
            host: host.map(|h| {
                if h.is_empty() {
                    // `":8080"`: an empty host binds every interface.
                    Setting {
                        value: Located::new(ValueExpr::literal("0.0.0.0"), locate(0..value.len())),
                        defined_at: None,
                    }
                } else {
                    part(h)
                }
            }),
            port: port.map(part),
        }
    }

    /// `format!("0.0.0.0:{}", port)`, `format!("{host}:{port}")`.
    fn address_format(&self, mac: &syn::Macro, scope: &Scope, depth: usize) -> Option<Address> {
        let args = macro_args(mac)?;
        let format = args.first().and_then(str_lit)?;
        let contents = self.src.plain_string_contents(format);
        let pieces = format_pieces(&format.value());
        // The last `:` of literal text separates host and port.
        let colon = pieces.iter().enumerate().rev().find_map(|(i, p)| match p {
            Piece::Text(t, r) => t.rfind(':').map(|c| (i, r.start + c)),
            Piece::Placeholder(..) => None,
        })?;
        let side = |range: Range<usize>, pieces: &[Piece]| -> Option<Setting> {
            match pieces {
                [] => None,
                [Piece::Text(t, _)] => Some(Setting {
                    value: Located::new(
                        ValueExpr::literal(t.as_str()),
                        match &contents {
                            Some(c) => self
                                .src
                                .index
                                .location(c.start + range.start..c.start + range.end),
                            None => self.src.loc(format),
                        },
                    ),
                    defined_at: None,
                }),
                [Piece::Placeholder(name, _)] => self.placeholder(name, &args, scope, depth),
                _ => Some(Setting {
                    value: self
                        .src
                        .located(ValueExpr::unknown(self.src.short_text(format)), format),
                    defined_at: None,
                }),
            }
        };
        let (index, at) = colon;
        let mut before: Vec<Piece> = pieces.get(..index).unwrap_or(&[]).to_vec();
        let mut after: Vec<Piece> = pieces.get(index + 1..).unwrap_or(&[]).to_vec();
        if let Some(Piece::Text(t, r)) = pieces.get(index) {
            let cut = at - r.start;
            let head = t.get(..cut).unwrap_or("");
            let tail = t.get(cut + 1..).unwrap_or("");
            if !head.is_empty() {
                before.push(Piece::Text(head.to_string(), r.start..at));
            }
            if !tail.is_empty() {
                after.insert(0, Piece::Text(tail.to_string(), at + 1..r.end));
            }
        }
        let span_of = |ps: &[Piece]| match (ps.first(), ps.last()) {
            (Some(a), Some(b)) => a.range().start..b.range().end,
            _ => at..at,
        };
        let host = side(span_of(&before), &before).or_else(|| {
            // `format!(":{port}")`: every interface.
            Some(Setting {
                value: Located::new(ValueExpr::literal("0.0.0.0"), self.src.loc(format)),
                defined_at: None,
            })
        });
        let port = side(span_of(&after), &after);
        Some(Address { host, port })
    }

    /// The value of a `{}` / `{0}` / `{name}` placeholder of `format!`.
    fn placeholder(
        &self,
        name: &str,
        args: &[Expr],
        scope: &Scope,
        depth: usize,
    ) -> Option<Setting> {
        let positional: Vec<&Expr> = args
            .iter()
            .skip(1)
            .filter(|a| !matches!(a, Expr::Assign(_)))
            .collect();
        let named = args.iter().skip(1).find_map(|a| match a {
            Expr::Assign(assign) if ident(&assign.left).as_deref() == Some(name) => {
                Some(&*assign.right)
            }
            _ => None,
        });
        let expr = if name.is_empty() {
            positional.first().copied()
        } else if let Ok(i) = name.parse::<usize>() {
            positional.get(i).copied()
        } else {
            named
        };
        match expr {
            Some(e) => Some(self.setting_at(e, scope, depth + 1)),
            None => {
                // An inline capture (`{port}`): the name in scope.
                let (value, defined_at) = self.read_name(name, scope, depth + 1)?;
                let at = defined_at.clone()?;
                Some(Setting {
                    value: Located::new(value, at),
                    defined_at,
                })
            }
        }
    }
}

/// `|p| p.parse().ok()`: a closure that only converts its argument.
fn is_transparent_closure(expr: &Expr) -> bool {
    let Expr::Closure(c) = strip(expr) else {
        return false;
    };
    let (root, methods) = chain(&c.body);
    ident(root).is_some()
        && methods
            .iter()
            .all(|m| TRANSPARENT.contains(&m.method.to_string().as_str()) && m.args.is_empty())
}

/// The body of `|_| x` (`unwrap_or_else`), or `None` for a non-closure.
fn closure_body(expr: &Expr) -> Option<&Expr> {
    match strip(expr) {
        Expr::Closure(c) => Some(&c.body),
        _ => None,
    }
}

#[derive(Debug, Clone)]
enum Piece {
    /// Literal text and its byte range in the format string's value.
    Text(String, Range<usize>),
    /// A `{…}` placeholder: its argument name or index (`""` for `{}`).
    Placeholder(String, Range<usize>),
}

impl Piece {
    fn range(&self) -> Range<usize> {
        match self {
            Piece::Text(_, r) | Piece::Placeholder(_, r) => r.clone(),
        }
    }
}

/// Splits a `format!` string into text and placeholders (`{{` is a brace).
/// Escaped braces make the text differ from what is written; their ranges
/// then still index the value, which `plain_string_contents` maps 1:1 only
/// when the literal has no escapes of its own.
fn format_pieces(format: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut text_start = 0;
    let mut chars = format.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '{' if chars.peek().is_some_and(|&(_, n)| n == '{') => {
                chars.next();
                text.push('{');
            }
            '}' if chars.peek().is_some_and(|&(_, n)| n == '}') => {
                chars.next();
                text.push('}');
            }
            '{' => {
                if !text.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut text), text_start..i));
                }
                let mut inner = String::new();
                let mut end = format.len();
                for (j, d) in chars.by_ref() {
                    if d == '}' {
                        end = j + 1;
                        break;
                    }
                    inner.push(d);
                }
                let name = inner.split(':').next().unwrap_or("").trim().to_string();
                pieces.push(Piece::Placeholder(name, i..end));
                text_start = end;
            }
            _ => {
                if text.is_empty() {
                    text_start = i;
                }
                text.push(c);
            }
        }
    }
    if !text.is_empty() {
        pieces.push(Piece::Text(text, text_start..format.len()));
    }
    pieces
}

/// Host and port ranges of `host:port`, `[v6]:port`, `:port`, `host`.
pub fn split_host_port(text: &str) -> (Option<Range<usize>>, Option<Range<usize>>) {
    if let Some(rest) = text.strip_prefix('[') {
        let Some(close) = rest.find(']') else {
            return (Some(0..text.len()), None);
        };
        let port = text
            .get(close + 2..)
            .and_then(|r| r.strip_prefix(':'))
            .map(|_| close + 3..text.len());
        return (Some(1..close + 1), port);
    }
    match text.rfind(':') {
        // More than one `:` without brackets is an IPv6 address alone.
        Some(i) if text.matches(':').count() == 1 => (Some(0..i), Some(i + 1..text.len())),
        Some(_) => (Some(0..text.len()), None),
        None if !text.is_empty() && text.chars().all(|c| c.is_ascii_digit()) => {
            (None, Some(0..text.len()))
        }
        None => (Some(0..text.len()), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_port_split() {
        assert_eq!(split_host_port("0.0.0.0:8080"), (Some(0..7), Some(8..12)));
        assert_eq!(split_host_port("[::]:80"), (Some(1..3), Some(5..7)));
        assert_eq!(split_host_port(":80"), (Some(0..0), Some(1..3)));
        assert_eq!(split_host_port("::1"), (Some(0..3), None));
        assert_eq!(split_host_port("["), (Some(0..1), None));
    }

    #[test]
    fn format_strings() {
        let p = format_pieces("0.0.0.0:{}");
        assert_eq!(p.len(), 2);
        let p = format_pieces("{host}:{port:>5}{{x}}");
        assert!(matches!(&p[0], Piece::Placeholder(n, r) if n == "host" && *r == (0..6)));
        assert!(matches!(&p[2], Piece::Placeholder(n, _) if n == "port"));
        assert!(format_pieces("{").len() == 1);
    }
}
