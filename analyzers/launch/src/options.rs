//! Command-line options and settings shared by the runtimes' servers:
//! `--bind 0.0.0.0:80`, `--port=…`, `-b…`, bind addresses, and the
//! [`Setting`]s they become.

use crate::{Env, Launch, ServerKind, Setting};
use seamcheck_facts::shell::sub_location;
use seamcheck_facts::{value_expr, Located, Location, ValueExpr};

/// One option as written: `--bind 0.0.0.0:80`, `--bind=…`, `-b …`, `-b…`.
pub(crate) struct Opt {
    pub(crate) name: String,
    /// The word holding the value and where the value starts in it.
    pub(crate) value: Option<(Located<String>, usize)>,
    /// The option word itself.
    pub(crate) word: Located<String>,
}

impl Opt {
    pub(crate) fn text(&self) -> Option<&str> {
        self.value.as_ref().and_then(|(w, at)| w.value.get(*at..))
    }
    /// As written, for messages: "`--bind 0.0.0.0:8080`".
    pub(crate) fn written(&self) -> String {
        match &self.value {
            Some((w, 0)) => format!("`{} {}`", self.word.value, w.value),
            _ => format!("`{}`", self.word.value),
        }
    }
    /// The location of `range` of the value, or of the value word.
    pub(crate) fn value_location(&self, range: std::ops::Range<usize>) -> Option<Location> {
        let (w, at) = self.value.as_ref()?;
        Some(sub_location(w, at + range.start..at + range.end).unwrap_or_else(|| w.loc.clone()))
    }
}

pub(crate) struct Options {
    pub(crate) opts: Vec<Opt>,
    pub(crate) positionals: Vec<Located<String>>,
}

impl Options {
    pub(crate) fn all(&self, names: &[&str]) -> Vec<&Opt> {
        self.opts
            .iter()
            .filter(|o| names.contains(&o.name.as_str()))
            .collect()
    }
    pub(crate) fn last(&self, names: &[&str]) -> Option<&Opt> {
        self.all(names).pop()
    }
}

/// Parses options the way argparse/click do. `flags` lists the options that
/// take no value; every other option takes one.
pub(crate) fn parse_options(args: &[Located<String>], flags: &[&str]) -> Options {
    let mut out = Options {
        opts: Vec::new(),
        positionals: Vec::new(),
    };
    let mut i = 0;
    while let Some(w) = args.get(i) {
        i += 1;
        let v = w.value.as_str();
        if v == "--" {
            out.positionals
                .extend(args.get(i..).unwrap_or(&[]).iter().cloned());
            break;
        }
        if !v.starts_with('-') || v == "-" {
            out.positionals.push(w.clone());
            continue;
        }
        let (name, attached) = if v.starts_with("--") {
            match v.split_once('=') {
                Some((n, _)) => (n.to_string(), Some(n.len() + 1)),
                None => (v.to_string(), None),
            }
        } else {
            // `-b:8080`, `-b=:8080`: argparse would keep the `=`; servers
            // then fail on it, so reading past it is the useful answer.
            let name: String = v.chars().take(2).collect();
            let mut at = name.len();
            if v.len() > at {
                if v.get(at..).is_some_and(|r| r.starts_with('=')) {
                    at += 1;
                }
                (name, Some(at))
            } else {
                (name, None)
            }
        };
        let takes_value = !flags.contains(&name.as_str());
        let value = match (takes_value, attached) {
            (false, _) => None,
            (true, Some(at)) => Some((w.clone(), at)),
            (true, None) => {
                let next = args.get(i).cloned();
                if next.is_some() {
                    i += 1;
                }
                next.map(|n| (n, 0))
            }
        };
        out.opts.push(Opt {
            name,
            value,
            word: w.clone(),
        });
    }
    out
}

pub(crate) fn setting(
    value: ValueExpr,
    loc: Option<Location>,
    origin: impl Into<String>,
) -> Setting {
    Setting {
        value,
        loc,
        origin: origin.into(),
    }
}

pub(crate) fn default_setting(value: &str, origin: impl Into<String>) -> Setting {
    setting(ValueExpr::literal(value), None, origin)
}

/// A setting read from an environment variable the server honours.
pub(crate) fn env_setting(var: &str, env: &Env) -> Option<Setting> {
    env.get(var).map(|v| {
        setting(
            ValueExpr::env(var, None),
            None,
            format!("`{var}={v}` in the environment"),
        )
    })
}

/// Flask's rule for FLASK_DEBUG and click's for boolean variables.
pub(crate) fn truthy(v: &str) -> bool {
    !v.is_empty()
        && !matches!(
            v.to_ascii_lowercase().as_str(),
            "0" | "false" | "no" | "off"
        )
}

pub(crate) fn flag_setting(opt: &Opt) -> Setting {
    setting(
        ValueExpr::literal("true"),
        Some(opt.word.loc.clone()),
        format!("`{}`", opt.word.value),
    )
}

// ---------------------------------------------------------------------------
// Bind addresses (`HOST:PORT`)

pub(crate) enum Bind {
    Tcp {
        /// Byte range of the host in the value; empty for `:8080`.
        host: std::ops::Range<usize>,
        port: Option<std::ops::Range<usize>>,
    },
    /// `unix:/run/app.sock`, `fd://3`: no TCP port.
    Socket,
    /// The whole address is one variable (`$BIND`): neither part is known.
    Opaque,
}

pub(crate) fn parse_bind(text: &str) -> Bind {
    if text.starts_with("unix:") || text.starts_with("fd://") {
        return Bind::Socket;
    }
    if matches!(value_expr(text), ValueExpr::Env { .. }) {
        return Bind::Opaque;
    }
    // The last `:` outside `${…}` and `[…]` separates the port.
    let mut depth = 0i32;
    let mut colon = None;
    for (i, c) in text.char_indices() {
        match c {
            '{' | '[' | '(' => depth += 1,
            '}' | ']' | ')' => depth -= 1,
            ':' if depth == 0 => colon = Some(i),
            _ => {}
        }
    }
    let (host, port) = match colon {
        Some(i) => (0..i, Some(i + 1..text.len())),
        None => (0..text.len(), None),
    };
    // `[::1]:8000`: the brackets are not part of the host.
    let host = match text.get(host.clone()) {
        Some(h) if h.starts_with('[') && h.ends_with(']') && h.len() >= 2 => {
            host.start + 1..host.end - 1
        }
        _ => host,
    };
    Bind::Tcp { host, port }
}

/// Host and port settings of a `--bind` option. `default_port` is what the
/// server uses for an address without port (gunicorn: 8000).
pub(crate) fn bind_settings(
    opt: &Opt,
    server: &str,
    default_port: Option<&str>,
) -> (Option<Setting>, Option<Setting>) {
    let Some(text) = opt.text() else {
        return (None, None);
    };
    let written = opt.written();
    match parse_bind(text) {
        Bind::Socket => (
            Some(setting(
                ValueExpr::literal(text),
                opt.value_location(0..text.len()),
                written,
            )),
            None,
        ),
        Bind::Opaque => {
            let loc = opt.value_location(0..text.len());
            let unknown = ValueExpr::unknown(text);
            (
                Some(setting(unknown.clone(), loc.clone(), written.clone())),
                Some(setting(unknown, loc, written)),
            )
        }
        Bind::Tcp { host, port } => {
            let host_text = text.get(host.clone()).unwrap_or("");
            let host_setting = if host_text.is_empty() {
                setting(
                    ValueExpr::literal("0.0.0.0"),
                    opt.value_location(0..text.len()),
                    format!("{written}: an empty host binds all interfaces"),
                )
            } else {
                setting(
                    value_expr(host_text),
                    opt.value_location(host),
                    written.clone(),
                )
            };
            let port_setting = match port {
                Some(p) => {
                    let port_text = text.get(p.clone()).unwrap_or("");
                    Some(setting(
                        value_expr(port_text),
                        opt.value_location(p),
                        written,
                    ))
                }
                None => default_port.map(|d| {
                    default_setting(
                        d,
                        format!("{server} default port {d} ({written} names no port)"),
                    )
                }),
            };
            (Some(host_setting), port_setting)
        }
    }
}

/// Notes "first of N" when a server is given several binds.
pub(crate) fn first_bind<'a>(options: &'a Options, names: &[&str]) -> Option<(&'a Opt, usize)> {
    let binds = options.all(names);
    Some((binds.first().copied()?, binds.len()))
}

pub(crate) fn with_count(mut s: Option<Setting>, count: usize) -> Option<Setting> {
    if count > 1 {
        if let Some(s) = s.as_mut() {
            s.origin = format!("{} (first of {count} binds)", s.origin);
        }
    }
    s
}

pub(crate) fn server_launch(server: ServerKind, options: &Options) -> Launch {
    Launch {
        server,
        app_target: options.positionals.first().cloned(),
        host: None,
        port: None,
        debug: None,
        argv: Vec::new(),
    }
}

/// The last occurrence of a value option (click keeps the last).
pub(crate) fn value_option(options: &Options, names: &[&str]) -> Option<Setting> {
    let opt = options.last(names)?;
    let text = opt.text()?;
    Some(setting(
        value_expr(text),
        opt.value_location(0..text.len()),
        opt.written(),
    ))
}

/// Locations of words split out of an environment variable's value point
/// nowhere in a file; they are dropped before a setting is returned.
pub(crate) fn unknown_location() -> Location {
    Location {
        path: "".into(),
        span: seamcheck_facts::Span::default(),
        line: 0,
        column: 0,
        end_line: 0,
        end_column: 0,
        via: None,
    }
}
