//! What a health check command targets: the program it runs and the URL or
//! address it aims at (host, port, path), found by pure string logic so every
//! layer (Dockerfile HEALTHCHECK, compose `healthcheck`, exec probes) reads
//! commands the same way. Locating a part of a word depends on how the layer
//! wrote it, so callers pass a `locate` function.

use crate::unwrap_command;
use seamcheck_facts::shell::{base_name, is_command_separator};
use seamcheck_facts::{value_expr, Located, Location, ValueExpr};
use std::ops::Range;

/// The program and address of a check command.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CheckTarget {
    /// Base name of the program (`curl`, `wget`, `grpc_health_probe`).
    pub tool: Option<String>,
    /// Host of the address (`0.0.0.0` when empty, as in `-addr=:50051`),
    /// brackets of an IPv6 host removed.
    pub host: Option<String>,
    /// The port when it is a number.
    pub port: Option<Located<u16>>,
    /// The port as written (`${PORT}` -> `Env { var: "PORT" }`).
    pub port_expr: Option<Located<ValueExpr>>,
    pub path: Option<Located<String>>,
}

/// Reads a check command: its first simple command (before `||`, `&&`, `;`),
/// wrappers (`sh -c`, `exec`) removed, and the first URL or local address in
/// its words. `locate(word, range)` gives the location of a byte range of a
/// word's value.
pub fn check_target(
    argv: &[Located<String>],
    locate: &dyn Fn(&Located<String>, Range<usize>) -> Location,
) -> CheckTarget {
    let first: Vec<Located<String>> = argv
        .iter()
        .take_while(|w| !is_command_separator(&w.value) && w.value != ";")
        .cloned()
        .collect();
    let words = unwrap_command(&first);
    let mut target = CheckTarget {
        tool: words.first().map(|w| base_name(&w.value).to_string()),
        ..CheckTarget::default()
    };
    let mut previous: Option<&Located<String>> = None;
    for w in &words {
        let address =
            url_in(&w.value).or_else(|| address_in(&w.value, previous.map(|p| p.value.as_str())));
        if let Some(address) = address {
            fill(&mut target, w, &address, locate);
            break;
        }
        previous = Some(w);
    }
    target
}

fn fill(
    target: &mut CheckTarget,
    word: &Located<String>,
    a: &Address,
    locate: &dyn Fn(&Located<String>, Range<usize>) -> Location,
) {
    let value = &word.value;
    let host = value.get(a.host.clone()).unwrap_or("");
    let host = host.trim_start_matches('[').trim_end_matches(']');
    target.host = Some(if host.is_empty() { "0.0.0.0" } else { host }.to_string());
    if let Some(p) = &a.port {
        let port_text = value.get(p.clone()).unwrap_or("");
        let loc = locate(word, p.clone());
        target.port_expr = Some(Located::new(value_expr(port_text), loc.clone()));
        if let Ok(n) = port_text.parse::<u16>() {
            target.port = Some(Located::new(n, loc));
        }
    }
    if let Some(p) = &a.path {
        let path = value.get(p.clone()).unwrap_or("").to_string();
        target.path = Some(Located::new(path, locate(word, p.clone())));
    }
}

/// Byte ranges of an address inside a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    /// As written, brackets of an IPv6 host included; may be empty.
    pub host: Range<usize>,
    pub port: Option<Range<usize>>,
    pub path: Option<Range<usize>>,
}

/// The first `http://` or `https://` URL in a word (also inside a script:
/// `urlopen('http://localhost:8000/health')`).
pub fn url_in(word: &str) -> Option<Address> {
    let start = ["http://", "https://"]
        .iter()
        .filter_map(|s| word.find(s).map(|i| i + s.len()))
        .min()?;
    let rest = word.get(start..)?;
    let len = rest
        .find(|c: char| c.is_whitespace() || matches!(c, '\'' | '"' | ')' | '`' | ';' | ','))
        .unwrap_or(rest.len());
    Some(split_authority(rest.get(..len)?, start))
}

/// `HOST:PORT[/path]` where the URL has no scheme: `wget localhost:8080/x`,
/// `grpc_health_probe -addr=:50051`, `-addr localhost:50051` (`previous` is
/// the word before, to see an `-addr` flag).
pub fn address_in(word: &str, previous: Option<&str>) -> Option<Address> {
    let (value, offset) = match word.split_once('=') {
        Some((flag, v)) if flag.trim_start_matches('-') == "addr" => (v, flag.len() + 1),
        _ => (word, 0),
    };
    let after_addr_flag =
        offset > 0 || previous.is_some_and(|p| p.trim_start_matches('-') == "addr");
    let local = ["localhost:", "127.0.0.1:", "0.0.0.0:", "[::1]:", "[::]:"]
        .iter()
        .any(|p| value.starts_with(p));
    if !(after_addr_flag || local) || !value.contains(':') {
        return None;
    }
    Some(split_authority(value, offset))
}

/// The last `:` outside `${…}` (`localhost:${PORT:-80}`).
fn last_top_level_colon(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut found = None;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ':' if depth == 0 => found = Some(i),
            _ => {}
        }
    }
    found
}

/// Splits `host[:port][/path…]` (offsets relative to `base`).
fn split_authority(s: &str, base: usize) -> Address {
    let auth_len = s.find(['/', '?', '#']).unwrap_or(s.len());
    let authority = s.get(..auth_len).unwrap_or("");
    // An IPv6 host is bracketed; the port follows the bracket.
    let search_from = authority.rfind(']').unwrap_or(0);
    let colon = authority
        .get(search_from..)
        .and_then(last_top_level_colon)
        .map(|i| i + search_from);
    let (host, port) = match colon {
        Some(c) => (0..c, Some(c + 1..auth_len)),
        None => (0..auth_len, None),
    };
    let path = s.get(auth_len..).filter(|p| p.starts_with('/')).map(|p| {
        let end = p.find(['?', '#']).unwrap_or(p.len());
        auth_len..auth_len + end
    });
    let shift = |r: Range<usize>| base + r.start..base + r.end;
    Address {
        host: shift(host),
        port: port.filter(|p| p.start < p.end).map(shift),
        path: path.map(shift),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use seamcheck_facts::LineIndex;

    type Parts = Option<(String, Option<String>, Option<String>)>;

    fn parts(word: &str) -> Parts {
        let a = url_in(word).or_else(|| address_in(word, None))?;
        let get = |r: &Range<usize>| word.get(r.clone()).unwrap_or("").to_string();
        Some((
            get(&a.host),
            a.port.as_ref().map(get),
            a.path.as_ref().map(get),
        ))
    }

    fn some(h: &str, p: Option<&str>, path: Option<&str>) -> Parts {
        Some((h.into(), p.map(Into::into), path.map(Into::into)))
    }

    #[test]
    fn urls_and_addresses() {
        assert_eq!(
            parts("http://localhost:8080/healthz"),
            some("localhost", Some("8080"), Some("/healthz"))
        );
        assert_eq!(
            parts("http://127.0.0.1/health?x=1"),
            some("127.0.0.1", None, Some("/health"))
        );
        assert_eq!(
            parts("https://[::1]:8443/"),
            some("[::1]", Some("8443"), Some("/"))
        );
        assert_eq!(
            parts("http://localhost:$PORT/h"),
            some("localhost", Some("$PORT"), Some("/h"))
        );
        assert_eq!(
            parts("http://localhost:${PORT:-80}/h"),
            some("localhost", Some("${PORT:-80}"), Some("/h"))
        );
        assert_eq!(parts("http://app:80"), some("app", Some("80"), None));
        assert_eq!(
            parts("import urllib.request as u; u.urlopen('http://localhost:8000/ping')"),
            some("localhost", Some("8000"), Some("/ping"))
        );
        assert_eq!(parts("-addr=:50051"), some("", Some("50051"), None));
        assert_eq!(
            parts("localhost:3000/ready"),
            some("localhost", Some("3000"), Some("/ready"))
        );
        assert_eq!(parts("-f"), None);
        assert_eq!(parts("example.com:80"), None);
    }

    #[test]
    fn check_target_reads_the_first_command_through_wrappers() {
        let text = "sh -c 'curl -fsS http://localhost:5000/health' || exit 1";
        let index = LineIndex::new("x", text);
        let argv = seamcheck_facts::shell::split_words(text, 0, &index);
        let locate = |w: &Located<String>, r: Range<usize>| {
            seamcheck_facts::shell::sub_location(w, r).unwrap_or_else(|| w.loc.clone())
        };
        let t = check_target(&argv, &locate);
        assert_eq!(t.tool.as_deref(), Some("curl"));
        assert_eq!(t.host.as_deref(), Some("localhost"));
        let port = t.port.unwrap_or_else(|| panic!("port"));
        assert_eq!(port.value, 5000);
        assert_eq!(
            text.get(port.loc.span.start..port.loc.span.end),
            Some("5000")
        );
        assert_eq!(t.path.map(|p| p.value).as_deref(), Some("/health"));
    }
}
