//! Python launchers: `python file.py`, `python -m module`, Django's
//! `manage.py runserver`, and the servers gunicorn, uvicorn, hypercorn,
//! `flask run` and `streamlit run` with their bind options, environment
//! variables and defaults.

use crate::options::*;
use crate::{other, Env, Launch, ServerKind, Setting};
use seamcheck_facts::shell::{base_name, split_located, sub_location};
use seamcheck_facts::{value_expr, Located, ValueExpr};

/// `None` when `program` is not one of this module's launchers.
pub(crate) fn launch(
    program: &str,
    first: &Located<String>,
    rest: &[Located<String>],
    env: &Env,
) -> Option<Launch> {
    if is_python(program) {
        Some(python(first, rest, env))
    } else {
        server(program, first, rest, env)
    }
}

/// Servers that import an app object (`module:app`) and serve it themselves:
/// the module's own `app.run()`/`uvicorn.run()` under `__main__` never runs.
pub(crate) fn serves_app_object(server: &ServerKind) -> bool {
    matches!(
        server,
        ServerKind::Gunicorn
            | ServerKind::Uvicorn
            | ServerKind::Hypercorn
            | ServerKind::FlaskRun
            | ServerKind::Streamlit
    )
}

/// Paths (relative to the working directory, or absolute) a Python launch
/// may run: the script itself, a module's file or package, or the module of
/// a server's `module:app` target.
pub(crate) fn runs(launch: &Launch) -> Vec<String> {
    let module_files = |module: &str| {
        let base = module.trim().replace('.', "/");
        vec![format!("{base}.py"), format!("{base}/__init__.py")]
    };
    match &launch.server {
        ServerKind::PythonScript { file } => vec![file.clone()],
        ServerKind::PythonModule { module } => {
            let base = module.replace('.', "/");
            vec![format!("{base}.py"), format!("{base}/__main__.py")]
        }
        ServerKind::Gunicorn
        | ServerKind::Uvicorn
        | ServerKind::Hypercorn
        | ServerKind::FlaskRun
        | ServerKind::Streamlit => {
            let Some(target) = &launch.app_target else {
                return Vec::new();
            };
            let t = target.value.as_str();
            if t.ends_with(".py") {
                return vec![t.to_string()];
            }
            let module = t.split(':').next().unwrap_or(t);
            module_files(module)
        }
        _ => Vec::new(),
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

/// `manage.py runserver` without `addrport`: host and port are runserver's
/// class defaults, which `manage.py` itself may set
/// (`runserver.default_addr = "0.0.0.0"`); the code's values then decide.
pub(crate) fn runserver_defaults_in_code(launch: &Launch) -> bool {
    let ServerKind::PythonScript { file } = &launch.server else {
        return false;
    };
    let defaulted = |s: &Option<Setting>| s.as_ref().is_some_and(|s| s.loc.is_none());
    base_name(file) == "manage.py" && defaulted(&launch.host) && defaulted(&launch.port)
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
        "streamlit" => Some(streamlit(args, env)),
        _ => None,
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

/// `streamlit run SCRIPT [--server.port P] [--server.address H] [-- args]`:
/// the script is the app, served on `STREAMLIT_SERVER_PORT` or 8501, on all
/// interfaces unless `--server.address`/`STREAMLIT_SERVER_ADDRESS` say
/// otherwise (https://docs.streamlit.io/develop/api-reference/configuration/config.toml).
/// Any other streamlit command (`hello`, `config show`) is `Other`.
fn streamlit(args: &[Located<String>], env: &Env) -> Launch {
    let (Some(run), Some(script)) = (args.first(), args.get(1)) else {
        return other("streamlit");
    };
    if run.value != "run" || script.value.starts_with('-') {
        return other("streamlit");
    }
    let script_args = args.get(2..).unwrap_or(&[]);
    let end = script_args
        .iter()
        .position(|w| w.value == "--")
        .unwrap_or(script_args.len());
    let options = parse_options(script_args.get(..end).unwrap_or(&[]), &[]);
    let mut launch = server_launch(ServerKind::Streamlit, &options);
    launch.app_target = Some(script.clone());
    launch.port = value_option(&options, &["--server.port"])
        .or_else(|| env_setting("STREAMLIT_SERVER_PORT", env))
        .or_else(|| Some(default_setting("8501", "streamlit default port 8501")));
    launch.host = value_option(&options, &["--server.address"])
        .or_else(|| env_setting("STREAMLIT_SERVER_ADDRESS", env))
        .or_else(|| {
            Some(default_setting(
                "0.0.0.0",
                "streamlit default: all interfaces",
            ))
        });
    launch
}

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
