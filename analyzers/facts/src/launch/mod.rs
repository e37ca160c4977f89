//! What a container's start command runs and where it listens.
//!
//! Shared by the Dockerfile analyzer (CMD/ENTRYPOINT), the Kubernetes analyzer
//! (`command`/`args`) and the linker, which joins ENTRYPOINT and CMD the way the
//! runtime does and then asks this module what the resulting argv starts.
//! It interprets an argv that analyzers already split; it reads no file.

use crate::shell::{is_command_separator, split_located, sub_location};
mod dotnet;
mod jvm;
mod native;
mod node;

use crate::{Located, Location, ValueExpr};
use serde::Serialize;

/// The server a start command launches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ServerKind {
    /// `python app/main.py`: runs that file as `__main__`.
    PythonScript {
        file: String,
    },
    /// `python -m package.module`.
    PythonModule {
        module: String,
    },
    Gunicorn,
    Uvicorn,
    Hypercorn,
    /// `flask run` / `python -m flask run`.
    FlaskRun,
    /// `node server.js` (also `bun`, `deno run`, `ts-node`, `tsx`): runs that file.
    NodeScript {
        file: String,
    },
    /// `npm start`, `npm run NAME`, `yarn NAME`, `pnpm NAME`: runs a
    /// `package.json` script, whose own command decides.
    PackageScript {
        manager: String,
        script: String,
    },
    /// `next start` / `next dev` (Next.js: `-p`/`PORT`, default 3000).
    NextStart,
    /// `java [-Dserver.port=…] -jar app.jar` or `java -cp … Main`.
    Java {
        jar: Option<String>,
    },
    /// `dotnet App.dll [--urls …]`.
    Dotnet {
        dll: String,
    },
    /// A compiled program of the image (`/app/server`, `./api`): Go, Rust …
    Binary {
        path: String,
    },
    /// `nginx -g 'daemon off;'`: its configuration decides.
    Nginx,
    /// Some other program seamcheck does not model.
    Other {
        program: String,
    },
}

/// A host or port setting of the launch and where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Setting {
    pub value: ValueExpr,
    /// Where it is written; `None` for a server default (then `origin` says which).
    pub loc: Option<Location>,
    /// Human explanation: "`--bind 0.0.0.0:8080`", "gunicorn default".
    pub origin: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Launch {
    pub server: ServerKind,
    /// `module:app` for gunicorn/uvicorn/hypercorn; the script for `python x.py`;
    /// the module for `python -m`; `FLASK_APP` or `None` for `flask run`.
    pub app_target: Option<Located<String>>,
    /// Effective bind host: explicit flag, env var the server reads, or the
    /// server default. `None` when the server is `Other` or a Python script
    /// (the script's own code decides).
    pub host: Option<Setting>,
    pub port: Option<Setting>,
    /// Debug/reload switches (`flask run --debug`, `FLASK_DEBUG=1`, `--reload`).
    pub debug: Option<Setting>,
    /// The argv as interpreted (after stripping `sh -c`, `exec`, init wrappers).
    pub argv: Vec<Located<String>>,
}

/// Interprets a start command. `env` answers the container's environment
/// (image ENV overridden by the orchestrator), used for server defaults that
/// read variables (gunicorn `PORT`, `FLASK_RUN_PORT` …). Returns `None` for an
/// empty argv.
///
/// Environment values are not copied into the settings: a setting read from a
/// variable is `ValueExpr::Env` (with `loc: None`), so the linker can show
/// where the variable was set.
pub fn interpret(argv: &[Located<String>], env: &dyn Fn(&str) -> Option<String>) -> Option<Launch> {
    let unwrapped = unwrap(argv);
    let env = Env {
        overlay: &unwrapped.assignments,
        outer: env,
    };
    let words = unwrapped.argv;
    let first = words.first()?;
    let program = base_name(&first.value).to_string();
    let rest = words.get(1..).unwrap_or(&[]);
    let mut launch = if is_python(&program) {
        python(first, rest, &env)
    } else {
        server(&program, first, rest, &env)
            .or_else(|| node::launch(&program, first, rest, &env))
            .or_else(|| jvm::launch(&program, first, rest, &env))
            .or_else(|| dotnet::launch(&program, first, rest, &env))
            .or_else(|| native::launch(&program, first, rest, &env))
            .unwrap_or_else(|| other(&program))
    };
    launch.argv = words;
    Some(launch)
}

/// Strips what only wraps the real program: `exec`, `tini --`, `dumb-init`,
/// `env A=b`, `gosu user`, `poetry run`, `sh -c "…"`, leading `A=b`
/// assignments. For a `sh -c` script with several commands, the command kept
/// is the one run with `exec`, else the last one of the script (the one left
/// in the foreground), cut at `||` or `|`.
pub fn unwrap_command(argv: &[Located<String>]) -> Vec<Located<String>> {
    unwrap(argv).argv
}

/// The file name of a program path: `/usr/local/bin/gunicorn` -> `gunicorn`.
pub fn base_name(program: &str) -> &str {
    program.rsplit('/').next().unwrap_or(program)
}

/// Turns an argument into a value: a lone `$VAR`, `${VAR}`, `${VAR:-default}`
/// or `$(VAR)` (Kubernetes) is an `Env`; text without `$` is a `Literal`;
/// anything mixing both is `Unknown`.
pub fn value_expr(text: &str) -> ValueExpr {
    if !text.contains('$') {
        return ValueExpr::literal(text);
    }
    match single_var_ref(text) {
        Some((var, default)) => ValueExpr::env(var, default),
        None => ValueExpr::unknown(text),
    }
}

fn single_var_ref(text: &str) -> Option<(String, Option<String>)> {
    let rest = text.strip_prefix('$')?;
    if is_var_name(rest) {
        return Some((rest.to_string(), None));
    }
    if let Some(inner) = rest.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        return is_var_name(inner).then(|| (inner.to_string(), None));
    }
    let inner = rest.strip_prefix('{')?.strip_suffix('}')?;
    let name_len = inner
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(inner.len());
    let name = inner.get(..name_len)?;
    if !is_var_name(name) {
        return None;
    }
    let op = inner.get(name_len..)?;
    if op.is_empty() {
        return Some((name.to_string(), None));
    }
    for prefix in [":-", "-", ":=", "="] {
        if let Some(default) = op.strip_prefix(prefix) {
            return Some((name.to_string(), Some(default.to_string())));
        }
    }
    if op.starts_with(":?") || op.starts_with('?') {
        return Some((name.to_string(), None));
    }
    None
}

fn is_var_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The environment as the launched program sees it: `env A=b` / `A=b cmd`
/// assignments of the command line over the container environment.
pub(super) struct Env<'a> {
    overlay: &'a [(String, Option<String>)],
    outer: &'a dyn Fn(&str) -> Option<String>,
}

impl Env<'_> {
    pub(super) fn get(&self, name: &str) -> Option<String> {
        match self.overlay.iter().rev().find(|(n, _)| n == name) {
            Some((_, value)) => value.clone(),
            None => (self.outer)(name),
        }
    }
}

// ---------------------------------------------------------------------------
// Wrappers

struct Unwrapped {
    argv: Vec<Located<String>>,
    /// `NAME=value` set on the command line; `None` value = unset (`env -u`).
    assignments: Vec<(String, Option<String>)>,
}

/// Bounds how many wrappers are peeled off (`sh -c "sh -c '…'"` nests).
const MAX_WRAPPERS: usize = 32;

fn unwrap(argv: &[Located<String>]) -> Unwrapped {
    let mut words = argv.to_vec();
    let mut assignments = Vec::new();
    for _ in 0..MAX_WRAPPERS {
        let before = words.len();
        let skip_assignments = words
            .iter()
            .take_while(|w| assignment(&w.value).is_some())
            .count();
        for w in words.iter().take(skip_assignments) {
            if let Some((n, v)) = assignment(&w.value) {
                assignments.push((n.to_string(), Some(v.to_string())));
            }
        }
        words.drain(..skip_assignments);
        let Some(first) = words.first() else { break };
        let name = base_name(&first.value).to_string();
        let skip = match name.as_str() {
            "exec" => skip_flags(&words, 1, &["-a"], false),
            "tini" | "tini-static" => skip_flags(&words, 1, &["-p", "-e"], true),
            "dumb-init" => skip_flags(&words, 1, &["-r", "--rewrite"], true),
            "gosu" | "su-exec" => 2,
            "env" => skip_env(&words, &mut assignments),
            "poetry" | "pipenv" | "pdm" | "hatch" | "rye"
                if words.get(1).is_some_and(|w| w.value == "run") =>
            {
                2
            }
            "uv" if words.get(1).is_some_and(|w| w.value == "run") => skip_flags(
                &words,
                2,
                &[
                    "--with",
                    "--python",
                    "-p",
                    "--directory",
                    "--project",
                    "--env-file",
                    "--extra",
                    "--group",
                    "--package",
                    "--module",
                ],
                true,
            ),
            "sh" | "bash" | "dash" | "ash" | "zsh" | "ksh" => match shell_script(&words) {
                Some(script) => {
                    words = main_command(split_located(script));
                    continue;
                }
                None => 0,
            },
            _ => 0,
        };
        if skip == 0 {
            break;
        }
        words.drain(..skip.min(words.len()));
        if words.len() == before {
            break;
        }
    }
    Unwrapped {
        argv: words,
        assignments,
    }
}

fn assignment(word: &str) -> Option<(&str, &str)> {
    let (name, value) = word.split_once('=')?;
    is_var_name(name).then_some((name, value))
}

/// Index of the first word after the wrapper's options. `with_value` lists
/// options that take the next word; `--` ends the options when `dashdash`.
fn skip_flags(
    words: &[Located<String>],
    from: usize,
    with_value: &[&str],
    dashdash: bool,
) -> usize {
    let mut i = from;
    while let Some(w) = words.get(i) {
        let v = w.value.as_str();
        if dashdash && v == "--" {
            return i + 1;
        }
        if !v.starts_with('-') || v == "-" {
            break;
        }
        i += if with_value.contains(&v) { 2 } else { 1 };
    }
    i
}

fn skip_env(words: &[Located<String>], assignments: &mut Vec<(String, Option<String>)>) -> usize {
    let mut i = 1;
    while let Some(w) = words.get(i) {
        let v = w.value.as_str();
        if v == "--" {
            return i + 1;
        }
        if v == "-u" || v == "--unset" {
            if let Some(name) = words.get(i + 1) {
                assignments.push((name.value.clone(), None));
            }
            i += 2;
        } else if let Some(name) = v.strip_prefix("--unset=") {
            assignments.push((name.to_string(), None));
            i += 1;
        } else if v.starts_with('-') {
            i += 1;
        } else if let Some((n, val)) = assignment(v) {
            assignments.push((n.to_string(), Some(val.to_string())));
            i += 1;
        } else {
            break;
        }
    }
    i
}

/// The command string of `sh [-euxc…] [-o opt] -c 'script'`, if any.
fn shell_script(words: &[Located<String>]) -> Option<&Located<String>> {
    let mut has_c = false;
    let mut i = 1;
    while let Some(w) = words.get(i) {
        let v = w.value.as_str();
        if v == "--" {
            i += 1;
            break;
        }
        let is_option = (v.starts_with('-') || v.starts_with('+')) && v.len() > 1;
        if !is_option {
            break;
        }
        if v.starts_with("--") {
            i += 1;
            continue;
        }
        let letters = v.get(1..).unwrap_or("");
        if letters.contains('c') && v.starts_with('-') {
            has_c = true;
        }
        i += if letters.ends_with('o') { 2 } else { 1 };
    }
    if has_c {
        words.get(i)
    } else {
        None
    }
}

/// Picks the command of a script that stays in the foreground (see
/// [`unwrap_command`]).
fn main_command(words: Vec<Located<String>>) -> Vec<Located<String>> {
    let mut commands: Vec<Vec<Located<String>>> = vec![Vec::new()];
    // Words after `||` or `|` until the next `&&`/`;` belong to a fallback or a
    // pipe reader, not to the command that serves.
    let mut skipping = false;
    for w in words {
        if is_command_separator(&w.value) {
            match w.value.as_str() {
                "||" | "|" | "|&" => skipping = true,
                "&" => {
                    // Runs in the background: not the foreground command.
                    if let Some(last) = commands.last_mut() {
                        last.clear();
                    }
                    skipping = false;
                }
                _ => {
                    skipping = false;
                    commands.push(Vec::new());
                }
            }
            continue;
        }
        if !skipping {
            if let Some(last) = commands.last_mut() {
                last.push(w);
            }
        }
    }
    commands.retain(|c| !c.is_empty());
    let exec = commands
        .iter()
        .position(|c| c.first().is_some_and(|w| w.value == "exec"));
    match exec {
        Some(i) => commands.swap_remove(i),
        None => commands.pop().unwrap_or_default(),
    }
}

// ---------------------------------------------------------------------------
// Programs

fn other(program: &str) -> Launch {
    Launch {
        server: ServerKind::Other {
            program: program.to_string(),
        },
        app_target: None,
        host: None,
        port: None,
        debug: None,
        argv: Vec::new(),
    }
}

fn is_python(program: &str) -> bool {
    let version = program
        .strip_prefix("python")
        .or_else(|| program.strip_prefix("pypy"));
    version.is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// `python [flags] file.py | -m module | -c code`.
fn python(program: &Located<String>, args: &[Located<String>], env: &Env) -> Launch {
    let name = base_name(&program.value).to_string();
    let mut i = 0;
    while let Some(w) = args.get(i) {
        let v = w.value.as_str();
        if v == "-" || (v == "--" && args.get(i + 1).is_none()) {
            return other(&name);
        }
        if v == "--" {
            i += 1;
            continue;
        }
        if let Some(cluster) = v.strip_prefix('-').filter(|c| !c.starts_with('-')) {
            // Short options can be clustered: `-um app`, `-Wignore`.
            let mut consumed_next = false;
            for (at, c) in cluster.char_indices() {
                let attached = cluster.get(at + c.len_utf8()..).unwrap_or("");
                match c {
                    'm' => {
                        let (module, loc) = if attached.is_empty() {
                            match args.get(i + 1) {
                                Some(m) => (m.value.clone(), m.loc.clone()),
                                None => return other(&name),
                            }
                        } else {
                            let offset = 1 + at + 1;
                            let loc =
                                sub_location(w, offset..v.len()).unwrap_or_else(|| w.loc.clone());
                            (attached.to_string(), loc)
                        };
                        let rest_from = if attached.is_empty() { i + 2 } else { i + 1 };
                        let rest = args.get(rest_from..).unwrap_or(&[]);
                        let module_word = Located::new(module.clone(), loc);
                        return python_module(&module_word, rest, env);
                    }
                    'c' => return other(&name),
                    'W' | 'X' | 'Q' => {
                        consumed_next = attached.is_empty();
                        break;
                    }
                    _ => {}
                }
            }
            i += if consumed_next { 2 } else { 1 };
            continue;
        }
        if v.starts_with("--") {
            // `--check-hash-based-pycs default` is the only long option with a value.
            i += if v == "--check-hash-based-pycs" { 2 } else { 1 };
            continue;
        }
        let mut launch = Launch {
            server: ServerKind::PythonScript {
                file: w.value.clone(),
            },
            app_target: Some(w.clone()),
            ..other(&name)
        };
        if base_name(&w.value) == "manage.py" {
            django_runserver(args.get(i + 1..).unwrap_or(&[]), &mut launch);
        }
        return launch;
    }
    other(&name)
}

/// `manage.py runserver [options] [addrport]`: Django's development server,
/// 127.0.0.1:8000 unless `addrport` (`8080`, `0.0.0.0:8000`, `[::]:80`) says
/// otherwise.
fn django_runserver(args: &[Located<String>], launch: &mut Launch) {
    if args.first().is_none_or(|w| w.value != "runserver") {
        return;
    }
    let addrport = args
        .get(1..)
        .unwrap_or(&[])
        .iter()
        .find(|w| !w.value.starts_with('-'));
    let Some(word) = addrport else {
        launch.host = Some(default_setting(
            "127.0.0.1",
            "django runserver default 127.0.0.1:8000",
        ));
        launch.port = Some(default_setting(
            "8000",
            "django runserver default 127.0.0.1:8000",
        ));
        return;
    };
    let opt = Opt {
        name: "runserver".to_string(),
        value: Some((word.clone(), 0)),
        word: word.clone(),
    };
    let text = word.value.as_str();
    if text.chars().all(|c| c.is_ascii_digit()) {
        launch.host = Some(default_setting(
            "127.0.0.1",
            "django runserver default host 127.0.0.1",
        ));
        launch.port = Some(setting(
            value_expr(text),
            Some(word.loc.clone()),
            format!("`runserver {text}`"),
        ));
        return;
    }
    let (host, port) = bind_settings(&opt, "django runserver", Some("8000"));
    launch.host = host.map(|mut h| {
        h.origin = format!("`runserver {text}`");
        h
    });
    launch.port = port;
}

fn python_module(module: &Located<String>, rest: &[Located<String>], env: &Env) -> Launch {
    if let Some(launch) = server(&module.value, module, rest, env) {
        return launch;
    }
    Launch {
        server: ServerKind::PythonModule {
            module: module.value.clone(),
        },
        app_target: Some(module.clone()),
        ..other(&module.value)
    }
}

/// A server seamcheck models, run as a program or as `python -m`.
fn server(
    name: &str,
    program: &Located<String>,
    args: &[Located<String>],
    env: &Env,
) -> Option<Launch> {
    match name {
        "gunicorn" => Some(gunicorn(args, env)),
        "uvicorn" => Some(uvicorn(args, env)),
        "hypercorn" => Some(hypercorn(args, env)),
        "flask" => Some(flask(program, args, env)),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// Command-line options

/// One option as written: `--bind 0.0.0.0:80`, `--bind=…`, `-b …`, `-b…`.
struct Opt {
    name: String,
    /// The word holding the value and where the value starts in it.
    value: Option<(Located<String>, usize)>,
    /// The option word itself.
    word: Located<String>,
}

impl Opt {
    fn text(&self) -> Option<&str> {
        self.value.as_ref().and_then(|(w, at)| w.value.get(*at..))
    }
    /// As written, for messages: "`--bind 0.0.0.0:8080`".
    fn written(&self) -> String {
        match &self.value {
            Some((w, 0)) => format!("`{} {}`", self.word.value, w.value),
            _ => format!("`{}`", self.word.value),
        }
    }
    /// The location of `range` of the value, or of the value word.
    fn value_location(&self, range: std::ops::Range<usize>) -> Option<Location> {
        let (w, at) = self.value.as_ref()?;
        Some(sub_location(w, at + range.start..at + range.end).unwrap_or_else(|| w.loc.clone()))
    }
}

struct Options {
    opts: Vec<Opt>,
    positionals: Vec<Located<String>>,
}

impl Options {
    fn all(&self, names: &[&str]) -> Vec<&Opt> {
        self.opts
            .iter()
            .filter(|o| names.contains(&o.name.as_str()))
            .collect()
    }
    fn last(&self, names: &[&str]) -> Option<&Opt> {
        self.all(names).pop()
    }
}

/// Parses options the way argparse/click do. `flags` lists the options that
/// take no value; every other option takes one.
fn parse_options(args: &[Located<String>], flags: &[&str]) -> Options {
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

fn setting(value: ValueExpr, loc: Option<Location>, origin: impl Into<String>) -> Setting {
    Setting {
        value,
        loc,
        origin: origin.into(),
    }
}

fn default_setting(value: &str, origin: impl Into<String>) -> Setting {
    setting(ValueExpr::literal(value), None, origin)
}

/// A setting read from an environment variable the server honours.
fn env_setting(var: &str, env: &Env) -> Option<Setting> {
    env.get(var).map(|v| {
        setting(
            ValueExpr::env(var, None),
            None,
            format!("`{var}={v}` in the environment"),
        )
    })
}

/// Flask's rule for FLASK_DEBUG and click's for boolean variables.
fn truthy(v: &str) -> bool {
    !v.is_empty()
        && !matches!(
            v.to_ascii_lowercase().as_str(),
            "0" | "false" | "no" | "off"
        )
}

fn flag_setting(opt: &Opt) -> Setting {
    setting(
        ValueExpr::literal("true"),
        Some(opt.word.loc.clone()),
        format!("`{}`", opt.word.value),
    )
}

// ---------------------------------------------------------------------------
// Bind addresses (`HOST:PORT`)

enum Bind {
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

fn parse_bind(text: &str) -> Bind {
    if text.starts_with("unix:") || text.starts_with("fd://") {
        return Bind::Socket;
    }
    if single_var_ref(text).is_some() {
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
fn bind_settings(
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
fn first_bind<'a>(options: &'a Options, names: &[&str]) -> Option<(&'a Opt, usize)> {
    let binds = options.all(names);
    Some((binds.first().copied()?, binds.len()))
}

fn with_count(mut s: Option<Setting>, count: usize) -> Option<Setting> {
    if count > 1 {
        if let Some(s) = s.as_mut() {
            s.origin = format!("{} (first of {count} binds)", s.origin);
        }
    }
    s
}

fn server_launch(server: ServerKind, options: &Options) -> Launch {
    Launch {
        server,
        app_target: options.positionals.first().cloned(),
        host: None,
        port: None,
        debug: None,
        argv: Vec::new(),
    }
}

// ---------------------------------------------------------------------------
// gunicorn

const GUNICORN_FLAGS: &[&str] = &[
    "--reload",
    "-D",
    "--daemon",
    "--preload",
    "--check-config",
    "--print-config",
    "--spew",
    "--capture-output",
    "--no-sendfile",
    "--reuse-port",
    "-R",
    "--enable-stdio-inheritance",
    "--strip-header-spaces",
    "--suppress-ragged-eofs",
    "--do-handshake-on-connect",
    "--proxy-protocol",
    "--disable-redirect-access-to-syslog",
    "--log-syslog",
    "-v",
    "--version",
    "-h",
    "--help",
    "--no-control-socket",
];
const GUNICORN_BIND: &[&str] = &["-b", "--bind"];

/// gunicorn: `--bind` on the command line, else `--bind` in
/// `GUNICORN_CMD_ARGS`, else a config file (`-c`: unknown here), else
/// `0.0.0.0:$PORT` when PORT is set, else 127.0.0.1:8000.
fn gunicorn(args: &[Located<String>], env: &Env) -> Launch {
    let options = parse_options(args, GUNICORN_FLAGS);
    let mut launch = server_launch(ServerKind::Gunicorn, &options);
    if let Some(reload) = options.last(&["--reload"]) {
        launch.debug = Some(flag_setting(reload));
    }
    if let Some((bind, count)) = first_bind(&options, GUNICORN_BIND) {
        let (host, port) = bind_settings(bind, "gunicorn", Some("8000"));
        launch.host = with_count(host, count);
        launch.port = with_count(port, count);
        return launch;
    }
    if let Some(cmd_args) = env.get("GUNICORN_CMD_ARGS") {
        let words = split_located(&Located::new(cmd_args, unknown_location()));
        let from_env = parse_options(&words, GUNICORN_FLAGS);
        if let Some((bind, count)) = first_bind(&from_env, GUNICORN_BIND) {
            let (host, port) = bind_settings(bind, "gunicorn", Some("8000"));
            let from_env = |s: Option<Setting>| {
                with_count(s, count).map(|mut s| {
                    s.loc = None;
                    s.origin = format!("{} in `GUNICORN_CMD_ARGS`", s.origin);
                    s
                })
            };
            launch.host = from_env(host);
            launch.port = from_env(port);
            return launch;
        }
    }
    if let Some(config) = options.last(&["-c", "--config"]) {
        let origin = format!("{}: the config file may set `bind`", config.written());
        let unknown = ValueExpr::unknown("bind from the gunicorn config file");
        let loc = Some(config.word.loc.clone());
        launch.host = Some(setting(unknown.clone(), loc.clone(), origin.clone()));
        launch.port = Some(setting(unknown, loc, origin));
        return launch;
    }
    if env.get("PORT").is_some() {
        launch.host = Some(default_setting(
            "0.0.0.0",
            "gunicorn default 0.0.0.0:$PORT (PORT is set)",
        ));
        launch.port = Some(setting(
            ValueExpr::env("PORT", None),
            None,
            "gunicorn default 0.0.0.0:$PORT (PORT is set)",
        ));
    } else {
        launch.host = Some(default_setting(
            "127.0.0.1",
            "gunicorn default 127.0.0.1:8000",
        ));
        launch.port = Some(default_setting("8000", "gunicorn default 127.0.0.1:8000"));
    }
    launch
}

/// Locations of words split out of an environment variable's value point
/// nowhere in a file; they are dropped before a setting is returned.
fn unknown_location() -> Location {
    Location {
        path: "".into(),
        span: crate::Span::default(),
        line: 0,
        column: 0,
        end_line: 0,
        end_column: 0,
        via: None,
    }
}

// ---------------------------------------------------------------------------
// uvicorn

const UVICORN_FLAGS: &[&str] = &[
    "--reload",
    "--factory",
    "--version",
    "--help",
    "--use-colors",
    "--no-use-colors",
    "--access-log",
    "--no-access-log",
    "--proxy-headers",
    "--no-proxy-headers",
    "--server-header",
    "--no-server-header",
    "--date-header",
    "--no-date-header",
];

/// uvicorn: `--host` (default 127.0.0.1, or `UVICORN_HOST`), `--port`
/// (default 8000, or `UVICORN_PORT`), `--uds`/`--fd` listen on no TCP port.
fn uvicorn(args: &[Located<String>], env: &Env) -> Launch {
    let options = parse_options(args, UVICORN_FLAGS);
    let mut launch = server_launch(ServerKind::Uvicorn, &options);
    if let Some(reload) = options.last(&["--reload"]) {
        launch.debug = Some(flag_setting(reload));
    } else if env.get("UVICORN_RELOAD").is_some_and(|v| truthy(&v)) {
        launch.debug = env_setting("UVICORN_RELOAD", env);
    }
    if let Some(socket) = options.last(&["--uds", "--fd"]) {
        let text = socket.text().unwrap_or("");
        launch.host = Some(setting(
            ValueExpr::literal(format!("{} {text}", socket.name)),
            socket.value_location(0..text.len()),
            socket.written(),
        ));
        return launch;
    }
    launch.host = value_option(&options, &["--host"])
        .or_else(|| env_setting("UVICORN_HOST", env))
        .or_else(|| {
            Some(default_setting(
                "127.0.0.1",
                "uvicorn default host 127.0.0.1",
            ))
        });
    launch.port = value_option(&options, &["--port"])
        .or_else(|| env_setting("UVICORN_PORT", env))
        .or_else(|| Some(default_setting("8000", "uvicorn default port 8000")));
    launch
}

/// The last occurrence of a value option (click keeps the last).
fn value_option(options: &Options, names: &[&str]) -> Option<Setting> {
    let opt = options.last(names)?;
    let text = opt.text()?;
    Some(setting(
        value_expr(text),
        opt.value_location(0..text.len()),
        opt.written(),
    ))
}

// ---------------------------------------------------------------------------
// hypercorn

const HYPERCORN_FLAGS: &[&str] = &["--reload", "--debug", "--version", "-h", "--help"];

/// hypercorn: `--bind`/`-b` (default 127.0.0.1:8000).
fn hypercorn(args: &[Located<String>], env: &Env) -> Launch {
    let _ = env;
    let options = parse_options(args, HYPERCORN_FLAGS);
    let mut launch = server_launch(ServerKind::Hypercorn, &options);
    if let Some(flag) = options.last(&["--reload", "--debug"]) {
        launch.debug = Some(flag_setting(flag));
    }
    if let Some((bind, count)) = first_bind(&options, &["-b", "--bind"]) {
        let (host, port) = bind_settings(bind, "hypercorn", None);
        launch.host = with_count(host, count);
        launch.port = with_count(port, count);
    } else if let Some(config) = options.last(&["-c", "--config"]) {
        let origin = format!("{}: the config file may set `bind`", config.written());
        let unknown = ValueExpr::unknown("bind from the hypercorn config file");
        launch.host = Some(setting(
            unknown.clone(),
            Some(config.word.loc.clone()),
            origin.clone(),
        ));
        launch.port = Some(setting(unknown, Some(config.word.loc.clone()), origin));
    } else {
        launch.host = Some(default_setting(
            "127.0.0.1",
            "hypercorn default 127.0.0.1:8000",
        ));
        launch.port = Some(default_setting("8000", "hypercorn default 127.0.0.1:8000"));
    }
    launch
}

// ---------------------------------------------------------------------------
// flask run

const FLASK_FLAGS: &[&str] = &[
    "--debug",
    "--no-debug",
    "--version",
    "--help",
    "--reload",
    "--no-reload",
    "--debugger",
    "--no-debugger",
    "--with-threads",
    "--without-threads",
    "--eager-loading",
    "--lazy-loading",
];

/// `flask [--app X] [--debug] run [--host H] [--port P]`: defaults
/// 127.0.0.1:5000, `FLASK_RUN_HOST`/`FLASK_RUN_PORT`, `FLASK_APP`, `FLASK_DEBUG`.
/// Any other flask command is `Other`.
fn flask(program: &Located<String>, args: &[Located<String>], env: &Env) -> Launch {
    let options = parse_options(args, FLASK_FLAGS);
    let is_run = options
        .positionals
        .first()
        .is_some_and(|w| w.value == "run");
    if !is_run {
        return other("flask");
    }
    let mut launch = server_launch(ServerKind::FlaskRun, &options);
    // `--app` (or `-A`) names the app; `FLASK_APP` otherwise. An app named by
    // the environment has no place in the command: it points at `flask`.
    launch.app_target = options
        .last(&["--app", "-A"])
        .and_then(|o| {
            let text = o.text()?.to_string();
            Some(Located::new(text.clone(), o.value_location(0..text.len())?))
        })
        .or_else(|| {
            env.get("FLASK_APP")
                .map(|app| Located::new(app, program.loc.clone()))
        });
    let debug_flag = options.opts.iter().rev().find(|o| {
        matches!(
            o.name.as_str(),
            "--debug" | "--no-debug" | "--reload" | "--no-reload"
        )
    });
    launch.debug = match debug_flag {
        Some(o) if o.name == "--debug" || o.name == "--reload" => Some(flag_setting(o)),
        Some(_) => None,
        None => env
            .get("FLASK_DEBUG")
            .filter(|v| truthy(v))
            .and_then(|_| env_setting("FLASK_DEBUG", env)),
    };
    launch.host = value_option(&options, &["--host", "-h"])
        .or_else(|| env_setting("FLASK_RUN_HOST", env))
        .or_else(|| {
            Some(default_setting(
                "127.0.0.1",
                "flask run default host 127.0.0.1",
            ))
        });
    launch.port = value_option(&options, &["--port", "-p"])
        .or_else(|| env_setting("FLASK_RUN_PORT", env))
        .or_else(|| Some(default_setting("5000", "flask run default port 5000")));
    launch
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::split_words;
    use crate::LineIndex;

    const FILE: &str = "cmd.sh";

    /// Splits a command line as a shell-form CMD would be, so every word has
    /// a real location in a one-line "file".
    fn argv(line: &str) -> Vec<Located<String>> {
        split_words(line, 0, &LineIndex::new(FILE, line))
    }

    /// Exec-form argv: each element located at its own JSON string (without
    /// quotes), as the Dockerfile analyzer produces it.
    fn exec(parts: &[&str]) -> (String, Vec<Located<String>>) {
        let mut text = String::from("[");
        let mut spans = Vec::new();
        for (i, p) in parts.iter().enumerate() {
            if i > 0 {
                text.push_str(", ");
            }
            text.push('"');
            spans.push(text.len()..text.len() + p.len());
            text.push_str(p);
            text.push('"');
        }
        text.push(']');
        let index = LineIndex::new(FILE, &text);
        let words = parts
            .iter()
            .zip(spans)
            .map(|(p, s)| index.located(p.to_string(), s))
            .collect();
        (text, words)
    }

    fn run(line: &str, env: &[(&str, &str)]) -> Launch {
        let lookup = |name: &str| {
            env.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        };
        interpret(&argv(line), &lookup).unwrap_or_else(|| other("<empty>"))
    }

    fn lit(v: &str) -> ValueExpr {
        ValueExpr::literal(v)
    }

    fn env_var(v: &str, d: Option<&str>) -> ValueExpr {
        ValueExpr::env(v, d.map(str::to_string))
    }

    fn value(s: &Option<Setting>) -> Option<ValueExpr> {
        s.as_ref().map(|s| s.value.clone())
    }

    /// The text a setting's location covers in the one-line file.
    fn written<'a>(line: &'a str, s: &Option<Setting>) -> Option<&'a str> {
        let loc = s.as_ref()?.loc.as_ref()?;
        line.get(loc.span.start..loc.span.end)
    }

    #[test]
    fn empty_argv_is_none() {
        assert!(interpret(&[], &|_| None).is_none());
        assert!(interpret(&argv("sh -c ''"), &|_| None).is_none());
    }

    #[test]
    fn servers_and_their_binds() {
        // (command, env, server, app, host, port, host text, port text)
        type Row<'a> = (
            &'a str,
            &'a [(&'a str, &'a str)],
            ServerKind,
            Option<&'a str>,
            Option<ValueExpr>,
            Option<ValueExpr>,
            Option<&'a str>,
            Option<&'a str>,
        );
        let rows: Vec<Row> = vec![
            (
                "gunicorn -b 0.0.0.0:8080 app:app",
                &[],
                ServerKind::Gunicorn,
                Some("app:app"),
                Some(lit("0.0.0.0")),
                Some(lit("8080")),
                Some("0.0.0.0"),
                Some("8080"),
            ),
            (
                "gunicorn --bind=127.0.0.1:5000 -w 4 wsgi:app",
                &[],
                ServerKind::Gunicorn,
                Some("wsgi:app"),
                Some(lit("127.0.0.1")),
                Some(lit("5000")),
                Some("127.0.0.1"),
                Some("5000"),
            ),
            (
                "gunicorn -b=:9000 app:app",
                &[],
                ServerKind::Gunicorn,
                Some("app:app"),
                Some(lit("0.0.0.0")),
                Some(lit("9000")),
                Some(":9000"),
                Some("9000"),
            ),
            (
                "gunicorn -b:9001 app:app",
                &[],
                ServerKind::Gunicorn,
                Some("app:app"),
                Some(lit("0.0.0.0")),
                Some(lit("9001")),
                Some(":9001"),
                Some("9001"),
            ),
            (
                "gunicorn --bind :$PORT main:app",
                &[],
                ServerKind::Gunicorn,
                Some("main:app"),
                Some(lit("0.0.0.0")),
                Some(env_var("PORT", None)),
                Some(":$PORT"),
                Some("$PORT"),
            ),
            (
                "gunicorn -b 0.0.0.0:${PORT:-8000} app:app",
                &[],
                ServerKind::Gunicorn,
                Some("app:app"),
                Some(lit("0.0.0.0")),
                Some(env_var("PORT", Some("8000"))),
                Some("0.0.0.0"),
                Some("${PORT:-8000}"),
            ),
            (
                "gunicorn -b [::]:8080 app:app",
                &[],
                ServerKind::Gunicorn,
                Some("app:app"),
                Some(lit("::")),
                Some(lit("8080")),
                Some("::"),
                Some("8080"),
            ),
            (
                "gunicorn -b localhost app:app",
                &[],
                ServerKind::Gunicorn,
                Some("app:app"),
                Some(lit("localhost")),
                Some(lit("8000")),
                Some("localhost"),
                None,
            ),
            (
                "gunicorn app:app",
                &[],
                ServerKind::Gunicorn,
                Some("app:app"),
                Some(lit("127.0.0.1")),
                Some(lit("8000")),
                None,
                None,
            ),
            (
                "gunicorn app:app",
                &[("PORT", "5000")],
                ServerKind::Gunicorn,
                Some("app:app"),
                Some(lit("0.0.0.0")),
                Some(env_var("PORT", None)),
                None,
                None,
            ),
            (
                "gunicorn app:app",
                &[("GUNICORN_CMD_ARGS", "--workers 2 --bind 0.0.0.0:7000")],
                ServerKind::Gunicorn,
                Some("app:app"),
                Some(lit("0.0.0.0")),
                Some(lit("7000")),
                None,
                None,
            ),
            (
                "gunicorn -k uvicorn.workers.UvicornWorker --preload app.main:app -b 0.0.0.0:80",
                &[],
                ServerKind::Gunicorn,
                Some("app.main:app"),
                Some(lit("0.0.0.0")),
                Some(lit("80")),
                Some("0.0.0.0"),
                Some("80"),
            ),
            (
                "/usr/local/bin/gunicorn -b 0.0.0.0:1 a:b",
                &[],
                ServerKind::Gunicorn,
                Some("a:b"),
                Some(lit("0.0.0.0")),
                Some(lit("1")),
                Some("0.0.0.0"),
                Some("1"),
            ),
            (
                "gunicorn -b unix:/tmp/app.sock app:app",
                &[],
                ServerKind::Gunicorn,
                Some("app:app"),
                Some(lit("unix:/tmp/app.sock")),
                None,
                Some("unix:/tmp/app.sock"),
                None,
            ),
            (
                "gunicorn -b $BIND app:app",
                &[],
                ServerKind::Gunicorn,
                Some("app:app"),
                Some(ValueExpr::unknown("$BIND")),
                Some(ValueExpr::unknown("$BIND")),
                Some("$BIND"),
                Some("$BIND"),
            ),
            (
                "gunicorn -c gunicorn.conf.py app:app",
                &[],
                ServerKind::Gunicorn,
                Some("app:app"),
                Some(ValueExpr::unknown("bind from the gunicorn config file")),
                Some(ValueExpr::unknown("bind from the gunicorn config file")),
                Some("-c"),
                Some("-c"),
            ),
            (
                "uvicorn app.main:app --host 0.0.0.0 --port 8080",
                &[],
                ServerKind::Uvicorn,
                Some("app.main:app"),
                Some(lit("0.0.0.0")),
                Some(lit("8080")),
                Some("0.0.0.0"),
                Some("8080"),
            ),
            (
                "uvicorn main:app --port=${PORT}",
                &[],
                ServerKind::Uvicorn,
                Some("main:app"),
                Some(lit("127.0.0.1")),
                Some(env_var("PORT", None)),
                None,
                Some("${PORT}"),
            ),
            (
                "uvicorn main:app",
                &[("UVICORN_PORT", "9000"), ("UVICORN_HOST", "0.0.0.0")],
                ServerKind::Uvicorn,
                Some("main:app"),
                Some(env_var("UVICORN_HOST", None)),
                Some(env_var("UVICORN_PORT", None)),
                None,
                None,
            ),
            (
                "uvicorn --uds /tmp/u.sock main:app",
                &[],
                ServerKind::Uvicorn,
                Some("main:app"),
                Some(lit("--uds /tmp/u.sock")),
                None,
                Some("/tmp/u.sock"),
                None,
            ),
            (
                "hypercorn -b 0.0.0.0:8443 app:app",
                &[],
                ServerKind::Hypercorn,
                Some("app:app"),
                Some(lit("0.0.0.0")),
                Some(lit("8443")),
                Some("0.0.0.0"),
                Some("8443"),
            ),
            (
                "hypercorn app:app",
                &[],
                ServerKind::Hypercorn,
                Some("app:app"),
                Some(lit("127.0.0.1")),
                Some(lit("8000")),
                None,
                None,
            ),
            (
                "flask run --host=0.0.0.0 --port 8080",
                &[],
                ServerKind::FlaskRun,
                None,
                Some(lit("0.0.0.0")),
                Some(lit("8080")),
                Some("0.0.0.0"),
                Some("8080"),
            ),
            (
                "flask run -h 0.0.0.0 -p 5001",
                &[],
                ServerKind::FlaskRun,
                None,
                Some(lit("0.0.0.0")),
                Some(lit("5001")),
                Some("0.0.0.0"),
                Some("5001"),
            ),
            (
                "flask run",
                &[],
                ServerKind::FlaskRun,
                None,
                Some(lit("127.0.0.1")),
                Some(lit("5000")),
                None,
                None,
            ),
            (
                "flask --app hello run",
                &[("FLASK_RUN_PORT", "8000")],
                ServerKind::FlaskRun,
                Some("hello"),
                Some(lit("127.0.0.1")),
                Some(env_var("FLASK_RUN_PORT", None)),
                None,
                None,
            ),
            (
                "flask run",
                &[("FLASK_APP", "web.app"), ("FLASK_RUN_HOST", "0.0.0.0")],
                ServerKind::FlaskRun,
                Some("web.app"),
                Some(env_var("FLASK_RUN_HOST", None)),
                Some(lit("5000")),
                None,
                None,
            ),
            (
                "python -m flask run --host 0.0.0.0",
                &[],
                ServerKind::FlaskRun,
                None,
                Some(lit("0.0.0.0")),
                Some(lit("5000")),
                Some("0.0.0.0"),
                None,
            ),
            (
                "python3 -u -m gunicorn -b :80 app:app",
                &[],
                ServerKind::Gunicorn,
                Some("app:app"),
                Some(lit("0.0.0.0")),
                Some(lit("80")),
                Some(":80"),
                Some("80"),
            ),
            (
                "python3.11 -m uvicorn app:app --host 0.0.0.0",
                &[],
                ServerKind::Uvicorn,
                Some("app:app"),
                Some(lit("0.0.0.0")),
                Some(lit("8000")),
                Some("0.0.0.0"),
                None,
            ),
            (
                "python -m hypercorn app:app",
                &[],
                ServerKind::Hypercorn,
                Some("app:app"),
                Some(lit("127.0.0.1")),
                Some(lit("8000")),
                None,
                None,
            ),
        ];
        for (line, env, server, app, host, port, host_text, port_text) in rows {
            let l = run(line, env);
            assert_eq!(l.server, server, "{line}");
            assert_eq!(
                l.app_target.as_ref().map(|a| a.value.as_str()),
                app,
                "{line}"
            );
            assert_eq!(value(&l.host), host, "{line}: host");
            assert_eq!(value(&l.port), port, "{line}: port");
            assert_eq!(written(line, &l.host), host_text, "{line}: host location");
            assert_eq!(written(line, &l.port), port_text, "{line}: port location");
        }
    }

    #[test]
    fn python_scripts_modules_and_others() {
        let rows: Vec<(&str, ServerKind, Option<&str>)> = vec![
            (
                "python app.py",
                ServerKind::PythonScript {
                    file: "app.py".into(),
                },
                Some("app.py"),
            ),
            (
                "python3 -u -W ignore src/main.py --port 80",
                ServerKind::PythonScript {
                    file: "src/main.py".into(),
                },
                Some("src/main.py"),
            ),
            (
                "/usr/bin/python3.12 -OO -X dev server.py",
                ServerKind::PythonScript {
                    file: "server.py".into(),
                },
                Some("server.py"),
            ),
            (
                "python -m myapp.server",
                ServerKind::PythonModule {
                    module: "myapp.server".into(),
                },
                Some("myapp.server"),
            ),
            (
                "python -mhttp.server 8000",
                ServerKind::PythonModule {
                    module: "http.server".into(),
                },
                Some("http.server"),
            ),
            (
                "python -um myapp",
                ServerKind::PythonModule {
                    module: "myapp".into(),
                },
                Some("myapp"),
            ),
            (
                "python -c 'import app'",
                ServerKind::Other {
                    program: "python".into(),
                },
                None,
            ),
            (
                "python",
                ServerKind::Other {
                    program: "python".into(),
                },
                None,
            ),
            (
                "ruby server.rb",
                ServerKind::Other {
                    program: "ruby".into(),
                },
                None,
            ),
            (
                "/app/bin/server --port 80",
                ServerKind::Binary {
                    path: "/app/bin/server".into(),
                },
                Some("/app/bin/server"),
            ),
            (
                "flask db upgrade",
                ServerKind::Other {
                    program: "flask".into(),
                },
                None,
            ),
            (
                "pythonic app.py",
                ServerKind::Other {
                    program: "pythonic".into(),
                },
                None,
            ),
        ];
        for (line, server, app) in rows {
            let l = run(line, &[]);
            assert_eq!(l.server, server, "{line}");
            assert_eq!(
                l.app_target.as_ref().map(|a| a.value.as_str()),
                app,
                "{line}"
            );
            assert!(l.host.is_none() && l.port.is_none(), "{line}");
        }
        let l = run("python -mhttp.server", &[]);
        assert_eq!(l.app_target.map(|a| a.loc.span.start), Some(9));
    }

    #[test]
    fn django_runserver_addrport() {
        type Row<'a> = (
            &'a str,
            Option<ValueExpr>,
            Option<ValueExpr>,
            Option<&'a str>,
        );
        let rows: Vec<Row> = vec![
            (
                "python manage.py runserver 0.0.0.0:8000",
                Some(lit("0.0.0.0")),
                Some(lit("8000")),
                Some("8000"),
            ),
            (
                "python3 manage.py runserver 8080",
                Some(lit("127.0.0.1")),
                Some(lit("8080")),
                Some("8080"),
            ),
            (
                "python manage.py runserver --noreload [::]:9000",
                Some(lit("::")),
                Some(lit("9000")),
                Some("9000"),
            ),
            (
                "python manage.py runserver",
                Some(lit("127.0.0.1")),
                Some(lit("8000")),
                None,
            ),
            ("python manage.py migrate", None, None, None),
        ];
        for (line, host, port, port_text) in rows {
            let l = run(line, &[]);
            assert_eq!(
                l.server,
                ServerKind::PythonScript {
                    file: "manage.py".into()
                },
                "{line}"
            );
            assert_eq!(value(&l.host), host, "{line}");
            assert_eq!(value(&l.port), port, "{line}");
            assert_eq!(written(line, &l.port), port_text, "{line}");
        }
    }

    #[test]
    fn wrappers_are_stripped() {
        let rows: Vec<(&str, &str)> = vec![
            ("exec gunicorn app:app", "gunicorn"),
            ("tini -- gunicorn app:app", "gunicorn"),
            ("/sbin/tini -s -p SIGTERM -- uvicorn a:b", "uvicorn"),
            ("tini uvicorn a:b", "uvicorn"),
            ("dumb-init --single-child -r 15:2 gunicorn a:b", "gunicorn"),
            (
                "/usr/bin/env PYTHONUNBUFFERED=1 -u X gunicorn a:b",
                "gunicorn",
            ),
            ("gosu app gunicorn a:b", "gunicorn"),
            ("poetry run uvicorn a:b", "uvicorn"),
            ("uv run --frozen --with x gunicorn a:b", "gunicorn"),
            ("PORT=1 exec gunicorn a:b", "gunicorn"),
            ("sh -c 'gunicorn -b :$PORT a:b'", "gunicorn"),
            (
                "/bin/bash -euo pipefail -c 'cd /app && exec uvicorn a:b'",
                "uvicorn",
            ),
            (
                "sh -c 'python manage.py migrate && gunicorn a:b'",
                "gunicorn",
            ),
            ("sh -c 'exec gunicorn a:b; echo done'", "gunicorn"),
            ("sh -c 'gunicorn a:b || exit 1'", "gunicorn"),
            ("sh -c 'celery worker & gunicorn a:b'", "gunicorn"),
            ("sh -c \"sh -c 'exec hypercorn a:b'\"", "hypercorn"),
            ("tini -- sh -c 'exec dumb-init gunicorn a:b'", "gunicorn"),
            ("sh start.sh", "sh"),
            ("bash", "bash"),
        ];
        for (line, program) in rows {
            let l = run(line, &[]);
            let first = l.argv.first().map(|w| base_name(&w.value).to_string());
            assert_eq!(first.as_deref(), Some(program), "{line}");
        }
    }

    #[test]
    fn assignments_on_the_command_line_reach_the_server() {
        let l = run("env PORT=7000 gunicorn a:b", &[]);
        assert_eq!(value(&l.port), Some(env_var("PORT", None)));
        assert_eq!(value(&l.host), Some(lit("0.0.0.0")));
        let l = run("env -u PORT gunicorn a:b", &[("PORT", "1")]);
        assert_eq!(value(&l.port), Some(lit("8000")));
        let l = run("FLASK_RUN_PORT=9 flask run", &[]);
        assert_eq!(value(&l.port), Some(env_var("FLASK_RUN_PORT", None)));
    }

    #[test]
    fn debug_switches() {
        type Row<'a> = (&'a str, &'a [(&'a str, &'a str)], bool);
        let rows: Vec<Row> = vec![
            ("uvicorn a:b --reload", &[], true),
            ("uvicorn a:b", &[("UVICORN_RELOAD", "true")], true),
            ("gunicorn --reload a:b", &[], true),
            ("gunicorn a:b", &[], false),
            ("flask --debug run", &[], true),
            ("flask run --reload", &[], true),
            ("flask run", &[("FLASK_DEBUG", "1")], true),
            ("flask run", &[("FLASK_DEBUG", "0")], false),
            ("flask run", &[("FLASK_DEBUG", "False")], false),
            ("flask --no-debug run", &[("FLASK_DEBUG", "1")], false),
            ("hypercorn --debug a:b", &[], true),
        ];
        for (line, env, on) in rows {
            assert_eq!(run(line, env).debug.is_some(), on, "{line}");
        }
        let line = "uvicorn a:b --reload";
        assert_eq!(written(line, &run(line, &[]).debug), Some("--reload"));
    }

    #[test]
    fn several_binds_take_the_first_and_say_so() {
        let line = "gunicorn -b 0.0.0.0:8080 -b [::]:8080 a:b";
        let l = run(line, &[]);
        assert_eq!(value(&l.port), Some(lit("8080")));
        assert_eq!(
            l.port
                .as_ref()
                .map(|s| s.loc.as_ref().map(|l| l.span.start)),
            Some(Some(20))
        );
        assert!(l.port.is_some_and(|p| p.origin.contains("first of 2")));
    }

    #[test]
    fn defaults_have_no_location_and_say_whose() {
        let l = run("gunicorn a:b", &[]);
        let port = l.port.as_ref();
        assert_eq!(port.and_then(|p| p.loc.clone()), None);
        assert_eq!(
            port.map(|p| p.origin.as_str()),
            Some("gunicorn default 127.0.0.1:8000")
        );
    }

    #[test]
    fn exec_form_words_are_located_inside_sh_c() {
        let (text, words) = exec(&[
            "/bin/sh",
            "-c",
            "exec gunicorn --bind 0.0.0.0:${PORT:-8080} app:app",
        ]);
        let l = interpret(&words, &|_| None);
        let port = l.as_ref().and_then(|l| l.port.clone());
        let loc = port.as_ref().and_then(|p| p.loc.clone());
        assert_eq!(port.map(|p| p.value), Some(env_var("PORT", Some("8080"))));
        assert_eq!(
            loc.and_then(|l| text.get(l.span.start..l.span.end).map(str::to_string))
                .as_deref(),
            Some("${PORT:-8080}")
        );
        // An escaped script cannot be mapped: words fall back to the argument.
        let (_, mut words) = exec(&["sh", "-c", "gunicorn -b :80 a:b"]);
        if let Some(w) = words.get_mut(2) {
            w.loc.span.end += 1;
        }
        let l = interpret(&words, &|_| None);
        let port_loc = l.and_then(|l| l.port).and_then(|p| p.loc);
        assert_eq!(port_loc.map(|l| l.span), words.get(2).map(|w| w.loc.span));
    }

    #[test]
    fn value_expressions() {
        assert_eq!(value_expr("8080"), lit("8080"));
        assert_eq!(value_expr("$PORT"), env_var("PORT", None));
        assert_eq!(value_expr("${PORT}"), env_var("PORT", None));
        assert_eq!(value_expr("${PORT:-80}"), env_var("PORT", Some("80")));
        assert_eq!(value_expr("${PORT-80}"), env_var("PORT", Some("80")));
        assert_eq!(value_expr("${PORT:?required}"), env_var("PORT", None));
        assert_eq!(value_expr("$(PORT)"), env_var("PORT", None));
        assert_eq!(value_expr("80$X"), ValueExpr::unknown("80$X"));
        assert_eq!(value_expr("${1abc}"), ValueExpr::unknown("${1abc}"));
        assert_eq!(value_expr("$"), ValueExpr::unknown("$"));
    }

    #[test]
    fn malformed_commands_never_panic() {
        for line in [
            "-",
            "--",
            "gunicorn -b",
            "gunicorn --bind=",
            "uvicorn --port",
            "flask",
            "flask run -p",
            "python -m",
            "python -W",
            "tini --",
            "env",
            "env -u",
            "sh -c",
            "sh -o",
            "exec",
            "gunicorn -b [",
            "gunicorn -b ]:1",
            "é -bé",
        ] {
            let _ = run(line, &[]);
        }
        let deep = "sh -c ".repeat(1000) + "gunicorn a:b";
        let _ = run(&deep, &[]);
    }
}
