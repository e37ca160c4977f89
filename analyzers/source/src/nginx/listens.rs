//! `listen` directives of `server` blocks, and the implicit `*:80` of a
//! server block that has none.

use super::config::{Config, Word};
use seamcheck_facts::source::Listen;
use seamcheck_facts::{Framework, LineIndex, ValueExpr};
use std::ops::Range;

/// nginx's port when `listen` names only an address, and a server block's
/// listen when it has no `listen` at all (the master runs as root in images).
const DEFAULT_PORT: u16 = 80;
/// `listen 8080;` binds every IPv4 address (`*:8080`).
const DEFAULT_HOST: &str = "0.0.0.0";

pub fn find(config: &Config, index: &LineIndex) -> Vec<Listen> {
    let mut listens = Vec::new();
    for (i, directive) in config.directives.iter().enumerate() {
        let is_server_block = directive.is_block && directive.name.text == "server";
        if directive.name.text == "listen" && !directive.is_block {
            if config.enclosing(i, "server").is_none() {
                continue;
            }
            if let Some(listen) = listen(&directive.args, directive.span.clone(), index) {
                listens.push(listen);
            }
        } else if is_server_block && in_http_context(config, i) && !has_listen(config, i) {
            listens.push(implicit(directive.name.span.clone(), index));
        }
    }
    listens.sort_by_key(|l| l.loc.span.start);
    listens
}

/// `server {` at the top of a file (a `conf.d/*.conf` included into `http`)
/// or inside `http`; not a `stream` server, which must say `listen`.
fn in_http_context(config: &Config, server: usize) -> bool {
    config.ancestors(server).all(|(_, d)| d.name.text == "http")
}

fn has_listen(config: &Config, server: usize) -> bool {
    config
        .directives
        .iter()
        .enumerate()
        .skip(server + 1)
        .take_while(|(_, d)| d.span.start < config.directives.get(server).map_or(0, |s| s.span.end))
        .any(|(i, d)| d.name.text == "listen" && config.enclosing(i, "server") == Some(server))
}

fn implicit(at: Range<usize>, index: &LineIndex) -> Listen {
    Listen {
        call: "server".to_string(),
        framework: Framework::Nginx,
        host: None,
        port: None,
        default_port: DEFAULT_PORT,
        default_host: DEFAULT_HOST.to_string(),
        debug: None,
        in_main_guard: false,
        loc: index.location(at),
        app_target: None,
        reload: None,
        port_defined_at: None,
        host_defined_at: None,
        via_function: None,
    }
}

/// `listen address[:port] [params…];` / `listen port;` / `listen unix:path;`.
fn listen(args: &[Word], span: Range<usize>, index: &LineIndex) -> Option<Listen> {
    let address = args.first()?;
    let text = address.text.as_str();
    if text.starts_with("unix:") {
        return None;
    }
    let base = address.span.start;
    // Positions in `text` map to the file only for a bare word, whose text is
    // exactly what is written; a quoted word with escapes is located whole.
    let exact = address.span.len() == text.len();
    let locate = |range: Range<usize>| {
        if exact {
            base + range.start..base + range.end
        } else {
            address.span.clone()
        }
    };
    let (host, port) = split_address(text);
    let host = host.map(|r| {
        let written = text.get(r.clone()).unwrap_or("");
        let value = if written == "*" {
            ValueExpr::literal(DEFAULT_HOST)
        } else {
            value(written)
        };
        index.located(value, locate(r))
    });
    let port = port.map(|r| index.located(value(text.get(r.clone()).unwrap_or("")), locate(r)));
    Some(Listen {
        call: "listen".to_string(),
        framework: Framework::Nginx,
        host,
        port,
        default_port: DEFAULT_PORT,
        default_host: DEFAULT_HOST.to_string(),
        debug: None,
        in_main_guard: false,
        loc: index.location(span),
        app_target: None,
        reload: None,
        port_defined_at: None,
        host_defined_at: None,
        via_function: None,
    })
}

/// Host and port ranges of a listen address: `8080`, `[::]:80`,
/// `127.0.0.1:8080`, `localhost`, `*:80`, `${HOST}:${PORT}`.
fn split_address(text: &str) -> (Option<Range<usize>>, Option<Range<usize>>) {
    if is_port(text) {
        return (None, Some(0..text.len()));
    }
    if text.starts_with('[') {
        let Some(close) = text.find(']') else {
            return (Some(0..text.len()), None);
        };
        let host = 1..close;
        let port = text
            .get(close + 1..)
            .and_then(|rest| rest.strip_prefix(':'))
            .map(|_| close + 2..text.len());
        return (Some(host), port);
    }
    // The last `:` outside `${…}` separates the port.
    let mut depth = 0i32;
    let mut colon = None;
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ':' if depth == 0 => colon = Some(i),
            _ => {}
        }
    }
    match colon {
        Some(i) => (Some(0..i), Some(i + 1..text.len())),
        None => (Some(0..text.len()), None),
    }
}

/// A port number or a lone variable (envsubst templates put the port there).
fn is_port(text: &str) -> bool {
    (!text.is_empty() && text.chars().all(|c| c.is_ascii_digit())) || is_lone_variable(text)
}

fn is_lone_variable(text: &str) -> bool {
    matches!(
        seamcheck_facts::value_expr(text),
        ValueExpr::Env { default: None, .. }
    ) && !text.contains('-')
}

/// nginx itself allows no variable in `listen`: a `$VAR`/`${VAR}` there is
/// an envsubst template filled from the environment at start (the official
/// image's `/etc/nginx/templates`), which has no default.
fn value(written: &str) -> ValueExpr {
    match seamcheck_facts::value_expr(written) {
        ValueExpr::Env { var, .. } => ValueExpr::env(var, None),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert_eq!(split_address("8080"), (None, Some(0..4)));
        assert_eq!(split_address("[::]:80"), (Some(1..3), Some(5..7)));
        assert_eq!(split_address("[::1]"), (Some(1..4), None));
        assert_eq!(split_address("127.0.0.1:8080"), (Some(0..9), Some(10..14)));
        assert_eq!(split_address("localhost"), (Some(0..9), None));
        assert_eq!(split_address("${PORT}"), (None, Some(0..7)));
        assert_eq!(split_address("${H}:${P}"), (Some(0..4), Some(5..9)));
        assert_eq!(split_address("["), (Some(0..1), None));
    }
}
