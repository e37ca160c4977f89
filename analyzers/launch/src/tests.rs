//! Tests of the start-command interpreter over every runtime.

use super::*;
use seamcheck_facts::shell::split_words;
use seamcheck_facts::{value_expr, LineIndex};

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

#[test]
fn a_shell_runs_the_command_only_with_dash_c() {
    assert!(runs_shell(&argv("sh -c 'exec gunicorn -b :$PORT app:app'")));
    assert!(runs_shell(&argv("/bin/bash -c 'node server.js'")));
    assert!(!runs_shell(&argv("sh ./start.sh")));
    assert!(!runs_shell(&argv("gunicorn -c conf.py app:app")));
    assert!(!runs_shell(&[]));
}

#[test]
fn each_runtime_says_which_source_files_a_command_runs() {
    let files = |v: &[&str]| Runs::Files(v.iter().map(|s| s.to_string()).collect());
    assert_eq!(
        run("python app/main.py", &[]).runs(),
        files(&["app/main.py"])
    );
    assert_eq!(
        run("python -m api.server", &[]).runs(),
        files(&["api/server.py", "api/server/__main__.py"])
    );
    assert_eq!(
        run("gunicorn -b :8000 app.main:app", &[]).runs(),
        files(&["app/main.py", "app/main/__init__.py"])
    );
    assert_eq!(run("uvicorn main.py", &[]).runs(), files(&["main.py"]));
    // No app target: nothing is guessed.
    assert_eq!(run("gunicorn", &[]).runs(), files(&[]));
    assert_eq!(
        run("node dist/server.js", &[]).runs(),
        files(&["dist/server.js"])
    );
    assert_eq!(
        run("node server", &[]).runs(),
        files(&["server.js", "server/index.js", "server.mjs", "server.cjs"])
    );
    for names_none in [
        "npm start",
        "next start",
        "java -jar app.jar",
        "dotnet Api.dll",
        "./server",
        "nginx -g 'daemon off;'",
    ] {
        assert_eq!(
            run(names_none, &[]).runs(),
            Runs::NoSourceNamed,
            "{names_none}"
        );
    }
    assert_eq!(run("redis-server", &[]).runs(), Runs::Unknown);
}

#[test]
fn each_launch_knows_its_runtime() {
    let runtime = |line: &str| run(line, &[]).runtime();
    assert_eq!(runtime("gunicorn app:app"), Some(Runtime::Python));
    assert_eq!(runtime("npm start"), Some(Runtime::Node));
    assert_eq!(runtime("java -jar app.jar"), Some(Runtime::Jvm));
    assert_eq!(runtime("dotnet Api.dll"), Some(Runtime::Dotnet));
    assert_eq!(runtime("/app/server"), Some(Runtime::Native));
    assert_eq!(runtime("redis-server"), None);
    assert!(run("uvicorn main:app", &[]).serves_app_object());
    assert!(!run("python main.py", &[]).serves_app_object());
    assert!(run("dotnet Api.dll --urls http://+:80", &[]).code_outranks_command());
    assert!(!run("java -jar app.jar", &[]).code_outranks_command());
}

#[test]
fn streamlit_run_serves_the_script_on_8501_unless_told() {
    let l = run("streamlit run /app/chat.py", &[]);
    assert_eq!(l.server, ServerKind::Streamlit);
    assert_eq!(
        l.app_target.as_ref().map(|t| t.value.as_str()),
        Some("/app/chat.py")
    );
    assert_eq!(value(&l.port), Some(lit("8501")));
    assert_eq!(value(&l.host), Some(lit("0.0.0.0")));
    assert!(l.serves_app_object());

    let line = "streamlit run app.py --server.port 8080 --server.address=127.0.0.1";
    let l = run(line, &[]);
    assert_eq!(value(&l.port), Some(lit("8080")));
    assert_eq!(written(line, &l.port), Some("8080"));
    assert_eq!(value(&l.host), Some(lit("127.0.0.1")));

    let l = run("streamlit run app.py", &[("STREAMLIT_SERVER_PORT", "9000")]);
    assert_eq!(value(&l.port), Some(env_var("STREAMLIT_SERVER_PORT", None)));

    // Not a server: another streamlit command, or `run` without a script.
    for line in ["streamlit hello", "streamlit run", "streamlit run --help"] {
        assert!(
            matches!(run(line, &[]).server, ServerKind::Other { .. }),
            "{line}"
        );
    }
}
