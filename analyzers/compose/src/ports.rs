//! `ports:` (short and long syntax) and `expose:` of a service.
//!
//! Short syntax is `[[HOST_IP:]PUBLISHED:]TARGET[/PROTOCOL]`, each part a
//! port or a range, possibly `${VAR:-default}`; docker splits it at the last
//! two colons, so an IPv6 host may be bracketed (`[::1]:8080:80`) or not.
//! Colons inside `${…}` and `[…]` do not split.

use crate::fields::{located_text, present};
use crate::located::ScalarText;
use crate::vars::var_refs;
use seamcheck_facts::compose::{value_expr, ComposeExpose, ComposePort, PortSpec};
use seamcheck_facts::{Location, ValueExpr};
use seamcheck_yaml::node::{is_mapping, sequence, text};
use seamcheck_yaml::{Node, SourceMap};
use std::ops::Range;

/// The `ports:` entries read, and the locations of those that could not be.
pub(crate) fn ports(list: &Node<'_>, src: &SourceMap<'_>) -> (Vec<ComposePort>, Vec<Location>) {
    let mut read = Vec::new();
    let mut unresolved = Vec::new();
    for item in sequence(list) {
        let port = if is_mapping(item) {
            long_port(item, src)
        } else {
            text(item).and_then(|t| short_port(&ScalarText::new(t, item, src), src))
        };
        match port {
            Some(port) => read.push(port),
            None => unresolved.push(src.token_loc(item)),
        }
    }
    (read, unresolved)
}

/// `expose:` entries (`"3000"`, `8000`, `"8000-8010"`, `"9000/udp"`).
pub(crate) fn expose(list: &Node<'_>, src: &SourceMap<'_>) -> Vec<ComposeExpose> {
    sequence(list)
        .iter()
        .filter_map(|item| {
            let st = ScalarText::new(text(item)?, item, src);
            let (body, protocol) = split_protocol(st.value);
            Some(ComposeExpose {
                port: port_spec(&st, body, src),
                protocol: protocol_of(&st, protocol),
                loc: st.loc.clone(),
            })
        })
        .collect()
}

fn short_port(st: &ScalarText<'_>, src: &SourceMap<'_>) -> Option<ComposePort> {
    let parts = split_short(st.value)?;
    let part = |r: Option<Range<usize>>| r.filter(|r| r.start < r.end);
    Some(ComposePort {
        raw: st.value.to_string(),
        long_syntax: false,
        container: port_spec(st, parts.container, src),
        published: part(parts.published).map(|r| port_spec(st, r, src)),
        host_ip: part(parts.host_ip).map(|r| {
            let ip = st.value.get(r.clone()).unwrap_or_default().to_string();
            seamcheck_facts::Located::new(ip, st.sub(r, src))
        }),
        protocol: protocol_of(st, parts.protocol),
        name: None,
        vars: var_refs(st, src),
        loc: st.loc.clone(),
    })
}

fn long_port(item: &Node<'_>, src: &SourceMap<'_>) -> Option<ComposePort> {
    let scalar_of = |key: &str| {
        let entry = present(item, key)?;
        Some(ScalarText::new(text(entry.value)?, entry.value, src))
    };
    let target = scalar_of("target")?;
    let published = scalar_of("published");
    let protocol = scalar_of("protocol");
    let host_ip = scalar_of("host_ip");
    let mut vars = Vec::new();
    for st in [Some(&target), published.as_ref(), host_ip.as_ref()]
        .into_iter()
        .flatten()
    {
        vars.extend(var_refs(st, src));
    }
    let loc = src.token_loc(item);
    Some(ComposePort {
        raw: src
            .text()
            .get(loc.span.start..loc.span.end)
            .unwrap_or_default()
            .to_string(),
        long_syntax: true,
        container: port_spec(&target, 0..target.value.len(), src),
        published: published
            .as_ref()
            .filter(|p| !p.value.is_empty())
            .map(|p| port_spec(p, 0..p.value.len(), src)),
        host_ip: host_ip.map(|h| seamcheck_facts::Located::new(h.value.to_string(), h.loc)),
        protocol: protocol.map_or_else(|| "tcp".to_string(), |p| p.value.to_ascii_lowercase()),
        name: located_text(item, "name", src),
        vars,
        loc,
    })
}

/// A port or range at `range` of a scalar.
fn port_spec(st: &ScalarText<'_>, range: Range<usize>, src: &SourceMap<'_>) -> PortSpec {
    let raw = st.value.get(range.clone()).unwrap_or_default();
    let (port, range_end) = literal_ports(raw);
    let expr = match raw.contains('$') {
        true => value_expr(raw),
        false => ValueExpr::literal(raw),
    };
    PortSpec {
        raw: raw.to_string(),
        port,
        range_end,
        expr,
        loc: st.sub(range, src),
    }
}

/// `80` -> (80, None); `8000-8010` -> (8000, 8010); anything else unknown.
fn literal_ports(raw: &str) -> (Option<u16>, Option<u16>) {
    let number = |s: &str| {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u16>().ok())
            .flatten()
            .filter(|&p| p > 0)
    };
    match raw.split_once('-') {
        Some((a, b)) => match (number(a), number(b)) {
            (Some(a), Some(b)) if a <= b => (Some(a), Some(b)),
            _ => (None, None),
        },
        None => (number(raw), None),
    }
}

fn protocol_of(st: &ScalarText<'_>, protocol: Option<Range<usize>>) -> String {
    protocol
        .and_then(|r| st.value.get(r))
        .filter(|p| !p.is_empty())
        .map_or_else(|| "tcp".to_string(), str::to_ascii_lowercase)
}

/// Byte ranges of the parts of a short-syntax entry.
#[derive(Debug, PartialEq)]
struct ShortParts {
    host_ip: Option<Range<usize>>,
    published: Option<Range<usize>>,
    container: Range<usize>,
    protocol: Option<Range<usize>>,
}

/// Splits at top-level colons (docker's `ParsePortSpec` after compose
/// interpolation: the last part is the target, the one before it the
/// published port, the rest the host IP). `None` when the target is empty.
fn split_short(s: &str) -> Option<ShortParts> {
    let (body, protocol) = split_protocol(s);
    let colons = top_level_positions(s.get(body.clone())?, ':');
    let mut bounds = vec![body.start];
    for c in &colons {
        bounds.push(body.start + c + 1);
    }
    let part_end = |i: usize| -> usize { colons.get(i).map_or(body.end, |&c| body.start + c) };
    let n = bounds.len();
    let part =
        |i: usize| -> Range<usize> { bounds.get(i).copied().unwrap_or(body.end)..part_end(i) };
    let container = part(n - 1);
    if container.start >= container.end {
        return None;
    }
    let published = (n >= 2).then(|| part(n - 2));
    let host_ip = (n >= 3).then(|| body.start..part_end(n - 3));
    Some(ShortParts {
        host_ip,
        published,
        container,
        protocol,
    })
}

/// The body and the protocol of `80/udp` (split at the last top-level `/`).
fn split_protocol(s: &str) -> (Range<usize>, Option<Range<usize>>) {
    match top_level_positions(s, '/').last() {
        Some(&slash) => (0..slash, Some(slash + 1..s.len())),
        None => (0..s.len(), None),
    }
}

/// Byte positions of `sep` outside `${…}` and `[…]`.
fn top_level_positions(s: &str, sep: char) -> Vec<usize> {
    let mut braces = 0usize;
    let mut brackets = 0usize;
    let mut out = Vec::new();
    for (i, c) in s.char_indices() {
        match c {
            '{' => braces += 1,
            '}' => braces = braces.saturating_sub(1),
            '[' => brackets += 1,
            ']' => brackets = brackets.saturating_sub(1),
            c if c == sep && braces == 0 && brackets == 0 => out.push(i),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (host ip, published, container, protocol).
    type Parts<'s> = (Option<&'s str>, Option<&'s str>, &'s str, Option<&'s str>);

    fn parts(s: &str) -> Option<Parts<'_>> {
        let p = split_short(s)?;
        let get = |r: Range<usize>| s.get(r).unwrap_or("?");
        Some((
            p.host_ip.map(get),
            p.published.map(get),
            get(p.container),
            p.protocol.map(get),
        ))
    }

    #[test]
    fn short_syntax_parts() {
        assert_eq!(parts("80"), Some((None, None, "80", None)));
        assert_eq!(parts("8080:80"), Some((None, Some("8080"), "80", None)));
        assert_eq!(
            parts("127.0.0.1:8080:80/udp"),
            Some((Some("127.0.0.1"), Some("8080"), "80", Some("udp")))
        );
        assert_eq!(
            parts("[::1]:8080:80"),
            Some((Some("[::1]"), Some("8080"), "80", None))
        );
        assert_eq!(
            parts("::1:8080:80"),
            Some((Some("::1"), Some("8080"), "80", None))
        );
        assert_eq!(
            parts("127.0.0.1::80"),
            Some((Some("127.0.0.1"), Some(""), "80", None))
        );
        assert_eq!(
            parts("${WEB_PORT:-8080}:${APP_PORT:-5000}"),
            Some((None, Some("${WEB_PORT:-8080}"), "${APP_PORT:-5000}", None))
        );
        assert_eq!(parts("8080:"), None);
        assert_eq!(parts(""), None);
    }

    #[test]
    fn literal_port_values() {
        assert_eq!(literal_ports("80"), (Some(80), None));
        assert_eq!(literal_ports("8000-8010"), (Some(8000), Some(8010)));
        assert_eq!(literal_ports("0"), (None, None));
        assert_eq!(literal_ports("70000"), (None, None));
        assert_eq!(literal_ports("9-1"), (None, None));
        assert_eq!(literal_ports("${P}"), (None, None));
    }
}
