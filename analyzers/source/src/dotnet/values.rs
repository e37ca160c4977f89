//! Port and URL expressions of C# code: literals, environment reads
//! (`Environment.GetEnvironmentVariable("PORT") ?? "8080"`,
//! `builder.Configuration["PORT"]`), and names with one declaration in the
//! file (`var port = …;`). Anything else is `Unknown`.

use super::strings;
use super::urls::{first_url, normalize_host};
use crate::java::syntax::{named_children, parse_integer, Source};
use crate::treesitter::NodeNames;
use seamcheck_facts::{Located, ValueExpr};
use tree_sitter::Node;

/// How many names a value may be followed through.
const MAX_HOPS: usize = 8;

/// `var name = value;` declarations of the file, by name; a name declared
/// twice is ambiguous and left out.
pub struct Declarations<'t> {
    single: Vec<(&'t str, Node<'t>)>,
}

impl<'t> Declarations<'t> {
    pub fn collect(declarators: &[Node<'t>], source: &Source<'t>) -> Self {
        let mut all: Vec<(&'t str, Option<Node<'t>>)> = Vec::new();
        for d in declarators {
            let Some(name) = d.field_child("name") else {
                continue;
            };
            let name = source.text_of(name);
            // The initializer is the last named child (after `=`).
            let value = named_children(*d).into_iter().skip(1).last();
            all.push((name, value));
        }
        let single = all
            .iter()
            .filter(|(n, _)| all.iter().filter(|(m, _)| m == n).count() == 1)
            .filter_map(|(n, v)| v.map(|v| (*n, v)))
            .collect();
        Declarations { single }
    }

    fn value_of(&self, name: &str) -> Option<Node<'t>> {
        self.single
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
    }
}

/// A port written as a number, a string of digits, or an environment read.
pub fn port_expr(node: Node<'_>, source: &Source<'_>, decls: &Declarations<'_>) -> ValueExpr {
    let mut node = node;
    for _ in 0..MAX_HOPS {
        match node.cached_kind() {
            "integer_literal" => {
                return match parse_integer(source.text_of(node)) {
                    Some(n) => ValueExpr::literal(n.to_string()),
                    None => ValueExpr::unknown(source.short_text_of(node)),
                }
            }
            "identifier" => match decls.value_of(source.text_of(node)) {
                Some(value) => node = value,
                None => break,
            },
            "parenthesized_expression" | "argument" | "cast_expression" => {
                match named_children(node).last() {
                    Some(inner) => node = *inner,
                    None => break,
                }
            }
            "invocation_expression" => {
                // `int.Parse(x)`, `Convert.ToInt32(x)`: the argument.
                let function = node
                    .field_child("function")
                    .map_or("", |f| source.text_of(f));
                if matches!(
                    function,
                    "int.Parse" | "Convert.ToInt32" | "ushort.Parse" | "Int32.Parse"
                ) {
                    match node
                        .field_child("arguments")
                        .and_then(|a| named_children(a).first().copied())
                    {
                        Some(arg) => node = arg,
                        None => break,
                    }
                } else {
                    return env_read(node, source, decls)
                        .unwrap_or_else(|| ValueExpr::unknown(source.short_text_of(node)));
                }
            }
            _ => {
                if let Some(c) = strings::constant(node, source) {
                    return ValueExpr::literal(c.value);
                }
                return env_read(node, source, decls)
                    .unwrap_or_else(|| ValueExpr::unknown(source.short_text_of(node)));
            }
        }
    }
    ValueExpr::unknown(source.short_text_of(node))
}

/// `Environment.GetEnvironmentVariable("X")`, `config["X"]`, optionally
/// `?? "default"`.
fn env_read(node: Node<'_>, source: &Source<'_>, decls: &Declarations<'_>) -> Option<ValueExpr> {
    let mut node = node;
    for _ in 0..MAX_HOPS {
        match node.cached_kind() {
            "identifier" => node = decls.value_of(source.text_of(node))?,
            "parenthesized_expression" => node = *named_children(node).first()?,
            _ => break,
        }
    }
    match node.cached_kind() {
        "binary_expression" => {
            let operator = node.field_child("operator").map(|o| source.text_of(o));
            if operator != Some("??") {
                return None;
            }
            let ValueExpr::Env { var, .. } = env_read(node.field_child("left")?, source, decls)?
            else {
                return None;
            };
            let right = node.field_child("right")?;
            let default = match right.cached_kind() {
                "integer_literal" => source.text_of(right).to_string(),
                _ => strings::constant(right, source)?.value,
            };
            Some(ValueExpr::env(var, Some(default)))
        }
        "invocation_expression" => {
            let function = node
                .field_child("function")
                .map_or("", |f| source.text_of(f));
            if !function.ends_with("GetEnvironmentVariable") {
                return None;
            }
            let arg = named_children(node.field_child("arguments")?)
                .into_iter()
                .next()?;
            let name = strings::constant(*named_children(arg).last()?, source)?.value;
            Some(ValueExpr::env(name, None))
        }
        "element_access_expression" => {
            let object = source.text_of(node.field_child("expression")?);
            if !object.to_ascii_lowercase().ends_with("configuration")
                && !object.ends_with("config")
            {
                return None;
            }
            let subscript = node.field_child("subscript")?;
            let arg = *named_children(subscript).first()?;
            let key = strings::constant(*named_children(arg).last()?, source)?.value;
            // Configuration keys with `:` are sections, not environment names.
            (!key.contains(':')).then(|| ValueExpr::env(key, None))
        }
        _ => None,
    }
}

/// Host and port of a URL expression (`"http://0.0.0.0:8080"`,
/// `$"http://+:{port}"`), each located as precisely as the text allows.
pub struct UrlValue {
    pub host: Located<ValueExpr>,
    pub port: Located<ValueExpr>,
}

pub fn url_expr(node: Node<'_>, source: &Source<'_>, decls: &Declarations<'_>) -> Option<UrlValue> {
    let mut node = node;
    for _ in 0..MAX_HOPS {
        match node.cached_kind() {
            "argument" | "parenthesized_expression" => node = *named_children(node).last()?,
            "identifier" => node = decls.value_of(source.text_of(node))?,
            _ => break,
        }
    }
    if let Some(c) = strings::constant(node, source) {
        let url = first_url(&c.value)?;
        let locate = |r: std::ops::Range<usize>| match c.content_start {
            Some(start) => source.index.location(start + r.start..start + r.end),
            None => source.loc(node),
        };
        let host_text = c.value.get(url.host.clone()).unwrap_or("");
        let host = Located::new(
            ValueExpr::literal(normalize_host(host_text)),
            locate(url.host.clone()),
        );
        let port = match url.port {
            Some(p) => Located::new(
                ValueExpr::literal(c.value.get(p.clone()).unwrap_or("")),
                locate(p),
            ),
            None => Located::new(
                ValueExpr::literal(url.scheme_port.to_string()),
                source.loc(node),
            ),
        };
        return Some(UrlValue { host, port });
    }
    if node.cached_kind() == "interpolated_string_expression" {
        return interpolated_url(node, source, decls);
    }
    None
}

/// `$"http://0.0.0.0:{port}"`: the text with each interpolation replaced by a
/// marker, so the URL parser finds which part is the port.
fn interpolated_url(
    node: Node<'_>,
    source: &Source<'_>,
    decls: &Declarations<'_>,
) -> Option<UrlValue> {
    let mut text = String::new();
    // (range in `text`, the interpolation node)
    let mut holes: Vec<(std::ops::Range<usize>, Node<'_>)> = Vec::new();
    // (range in `text`, file offset) of literal pieces
    let mut pieces: Vec<(usize, usize)> = Vec::new();
    for part in named_children(node) {
        match part.cached_kind() {
            "string_content" => {
                pieces.push((text.len(), part.start_byte()));
                text.push_str(source.text_of(part));
            }
            "interpolation" => {
                let start = text.len();
                text.push_str(&format!("\u{1}{}\u{1}", holes.len()));
                holes.push((start..text.len(), part));
            }
            "interpolation_start" | "interpolation_quote" => {}
            _ => return None,
        }
    }
    let url = first_url(&text)?;
    let part_value = |r: std::ops::Range<usize>, as_port: bool| -> Located<ValueExpr> {
        if let Some((_, hole)) = holes.iter().find(|(h, _)| *h == r) {
            let expr = named_children(*hole)
                .into_iter()
                .find(|c| !c.cached_kind().starts_with("interpolation_"));
            let value = match expr {
                Some(e) if as_port => port_expr(e, source, decls),
                Some(e) => env_read(e, source, decls)
                    .unwrap_or_else(|| ValueExpr::unknown(source.short_text_of(e))),
                None => ValueExpr::unknown(source.short_text_of(*hole)),
            };
            return Located::new(value, source.loc(*hole));
        }
        let value = text.get(r.clone()).unwrap_or("");
        if value.contains('\u{1}') {
            return Located::new(
                ValueExpr::unknown(source.short_text_of(node)),
                source.loc(node),
            );
        }
        let start = pieces
            .iter()
            .rev()
            .find(|(at, _)| *at <= r.start)
            .map(|(at, file)| file + (r.start - at));
        let loc = start.map_or_else(
            || source.loc(node),
            |s| source.index.location(s..s + r.len()),
        );
        let value = if as_port {
            value.to_string()
        } else {
            normalize_host(value)
        };
        Located::new(ValueExpr::literal(value), loc)
    };
    let host = part_value(url.host.clone(), false);
    let port = match url.port {
        Some(p) => part_value(p, true),
        None => Located::new(
            ValueExpr::literal(url.scheme_port.to_string()),
            source.loc(node),
        ),
    };
    Some(UrlValue { host, port })
}
