//! `location` blocks as routes, with the statuses of their `return`s.

use super::config::{Config, Directive};
use seamcheck_facts::source::{ReturnStatus, Route, RouteMatch, RouteMatchKind};
use seamcheck_facts::{Framework, LineIndex};

pub struct Routes {
    pub routes: Vec<Route>,
    pub matches: Vec<RouteMatch>,
}

pub fn find(config: &Config, index: &LineIndex) -> Routes {
    let mut out = Routes {
        routes: Vec::new(),
        matches: Vec::new(),
    };
    for (i, directive) in config.directives.iter().enumerate() {
        if !(directive.is_block && directive.name.text == "location") {
            continue;
        }
        let Some((kind, uri)) = pattern(directive) else {
            continue;
        };
        let server_name = config
            .enclosing(i, "server")
            .and_then(|s| server_name(config, s))
            .unwrap_or_default();
        let route = Route {
            methods: Vec::new(),
            path: index.located(uri.text.clone(), uri.span.clone()),
            handler: index.located(
                format!("location {}", uri.text),
                directive.name.span.start..uri.span.end,
            ),
            handler_loc: index.location(directive.span.clone()),
            is_async: false,
            returns: returns(config, i, index),
            app_var: server_name,
            framework: Framework::Nginx,
        };
        if let Some(kind) = kind {
            out.matches.push(RouteMatch {
                route: out.routes.len(),
                kind,
            });
        }
        out.routes.push(route);
    }
    out
}

/// The match kind (`None` = exact) and the URI of `location [mod] uri {`.
/// Named locations (`@fallback`) only serve internal redirects: not routes.
fn pattern(location: &Directive) -> Option<(Option<RouteMatchKind>, &super::config::Word)> {
    let first = location.args.first()?;
    let (kind, uri) = match first.text.as_str() {
        "=" => (None, location.args.get(1)?),
        "^~" => (Some(RouteMatchKind::Prefix), location.args.get(1)?),
        "~" => (
            Some(RouteMatchKind::Regex {
                case_insensitive: false,
            }),
            location.args.get(1)?,
        ),
        "~*" => (
            Some(RouteMatchKind::Regex {
                case_insensitive: true,
            }),
            location.args.get(1)?,
        ),
        text if text.starts_with('@') => return None,
        // `location =/x` is written without a space too.
        _ => (Some(RouteMatchKind::Prefix), first),
    };
    Some((kind, uri))
}

fn server_name(config: &Config, server: usize) -> Option<String> {
    config
        .directives
        .iter()
        .enumerate()
        .find(|(_, d)| d.name.text == "server_name" && d.parent == Some(server))
        .and_then(|(_, d)| d.args.first())
        .map(|w| w.text.clone())
}

/// `return code [text];`, `return code URL;`, `return URL;` (302) directly in
/// the location or in an `if` inside it (not in a nested location, which is
/// its own route).
fn returns(config: &Config, location: usize, index: &LineIndex) -> Vec<ReturnStatus> {
    let end = config.directives.get(location).map_or(0, |d| d.span.end);
    config
        .directives
        .iter()
        .enumerate()
        .skip(location + 1)
        .take_while(|(_, d)| d.span.start < end)
        .filter(|(i, d)| {
            d.name.text == "return" && config.enclosing(*i, "location") == Some(location)
        })
        .map(|(_, d)| ReturnStatus {
            status: status(d),
            loc: index.location(d.span.clone()),
        })
        .collect()
}

fn status(directive: &Directive) -> Option<u16> {
    let first = directive.args.first()?;
    if let Ok(code) = first.text.parse::<u16>() {
        return (100..=999).contains(&code).then_some(code);
    }
    let is_url = ["http://", "https://", "$scheme"]
        .iter()
        .any(|p| first.text.starts_with(p));
    is_url.then_some(302)
}
