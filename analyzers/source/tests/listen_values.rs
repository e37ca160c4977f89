//! Port, host and debug expressions of listen calls.

mod common;
use common::{facts, pos, text_at};
use seamcheck_facts::source::Listen;
use seamcheck_facts::ValueExpr;

fn only_listen(text: &str) -> Listen {
    let f = facts("app.py", text);
    assert_eq!(f.listens.len(), 1, "{:?}", f.listens);
    f.listens.into_iter().next().expect("one listen")
}

fn port_of(text: &str) -> Option<ValueExpr> {
    only_listen(text).port.map(|p| p.value)
}

const HEADER: &str = "import os\nfrom flask import Flask\napp = Flask(__name__)\n";

#[test]
fn env_forms() {
    let cases: &[(&str, ValueExpr)] = &[
        (
            "app.run(port=int(os.environ.get(\"PORT\", 8080)))",
            ValueExpr::env("PORT", Some("8080".into())),
        ),
        (
            "app.run(port=os.getenv(\"PORT\", \"5000\"))",
            ValueExpr::env("PORT", Some("5000".into())),
        ),
        (
            "app.run(port=int(os.getenv(\"PORT\") or 5000))",
            ValueExpr::env("PORT", Some("5000".into())),
        ),
        (
            "app.run(port=os.environ[\"PORT\"])",
            ValueExpr::env("PORT", None),
        ),
        (
            "app.run(port=int(os.environ.get(\"PORT\")))",
            ValueExpr::env("PORT", None),
        ),
        (
            "app.run(port=os.getenv(\"PORT\", default=\"7000\"))",
            ValueExpr::env("PORT", Some("7000".into())),
        ),
        (
            "app.run(port=settings.port)",
            ValueExpr::unknown("settings.port"),
        ),
        ("app.run(port=get_port())", ValueExpr::unknown("get_port()")),
        (
            "app.run(port=os.getenv(\"PORT\", fallback()))",
            ValueExpr::unknown("os.getenv(\"PORT\", fallback())"),
        ),
        ("app.run(port=0x1F90)", ValueExpr::literal("8080")),
        ("app.run(port=\"8080\")", ValueExpr::literal("8080")),
    ];
    for (call, expected) in cases {
        let text = format!("{HEADER}{call}\n");
        assert_eq!(port_of(&text).as_ref(), Some(expected), "{call}");
    }
}

#[test]
fn aliased_imports_of_os() {
    let text = "from os import environ, getenv\nfrom flask import Flask\napp = Flask(__name__)\n\
                app.run(host=getenv('HOST', '0.0.0.0'), port=int(environ['PORT']))\n";
    let listen = only_listen(text);
    assert_eq!(
        listen.host.map(|h| h.value),
        Some(ValueExpr::env("HOST", Some("0.0.0.0".into())))
    );
    assert_eq!(
        listen.port.map(|p| p.value),
        Some(ValueExpr::env("PORT", None))
    );
}

#[test]
fn module_constant_is_followed_and_its_definition_located() {
    let text = "import os\nfrom flask import Flask\n\nPORT = int(os.environ.get(\"PORT\", \"8080\"))\n\
                app = Flask(__name__)\n\nif __name__ == '__main__':\n    app.run(host=\"0.0.0.0\", port=PORT, debug=True)\n";
    let listen = only_listen(text);
    let port = listen.port.expect("port");
    assert_eq!(port.value, ValueExpr::env("PORT", Some("8080".into())));
    // The value is located at the argument; its definition is kept too.
    assert_eq!(text_at(text, &port.loc), "PORT");
    assert_eq!(pos(&port.loc), (8, 34, 8, 37));
    let defined = listen.port_defined_at.expect("definition");
    assert_eq!(
        text_at(text, &defined),
        "int(os.environ.get(\"PORT\", \"8080\"))"
    );
    assert_eq!(pos(&defined), (4, 8, 4, 42));
    let debug = listen.debug.expect("debug");
    assert_eq!(debug.value, ValueExpr::literal("True"));
    assert_eq!(pos(&debug.loc), (8, 46, 8, 49));
}

#[test]
fn local_variable_in_the_main_guard() {
    let text = "import os\nfrom flask import Flask\napp = Flask(__name__)\n\n\
                if __name__ == \"__main__\":\n    port = int(os.environ.get(\"PORT\", 5000))\n    app.run(\"0.0.0.0\", port)\n";
    let listen = only_listen(text);
    assert!(listen.in_main_guard);
    // Positional host and port.
    assert_eq!(
        listen.host.map(|h| h.value),
        Some(ValueExpr::literal("0.0.0.0"))
    );
    assert_eq!(
        listen.port.map(|p| p.value),
        Some(ValueExpr::env("PORT", Some("5000".into())))
    );
}

#[test]
fn a_name_assigned_twice_is_unknown() {
    let text = format!(
        "{HEADER}PORT = 8080\nif os.environ.get('PROD'):\n    PORT = 80\napp.run(port=PORT)\n"
    );
    assert_eq!(port_of(&text), Some(ValueExpr::unknown("PORT")));
}

#[test]
fn a_function_parameter_is_unknown() {
    let text = format!("{HEADER}def serve(port=8080):\n    app.run(port=port)\n");
    assert_eq!(port_of(&text), Some(ValueExpr::unknown("port")));
}

#[test]
fn defaults_when_nothing_is_passed() {
    let listen = only_listen(&format!("{HEADER}app.run()\n"));
    assert!(listen.port.is_none() && listen.host.is_none() && listen.debug.is_none());
    assert_eq!(listen.default_port, 5000);
    assert!(!listen.in_main_guard);
    // `port=None` is the same as not passing it.
    assert!(only_listen(&format!("{HEADER}app.run(port=None)\n"))
        .port
        .is_none());
}

#[test]
fn kwargs_splat_makes_missing_settings_unknown() {
    let listen = only_listen(&format!(
        "{HEADER}opts = load()\napp.run(debug=False, **opts)\n"
    ));
    assert_eq!(
        listen.port.map(|p| p.value),
        Some(ValueExpr::unknown("**opts"))
    );
    assert_eq!(
        listen.debug.map(|d| d.value),
        Some(ValueExpr::literal("False"))
    );
}

#[test]
fn uvicorn_forms() {
    let text = "import uvicorn\n\nif __name__ == \"__main__\":\n    uvicorn.run(\"main:app\", reload=True)\n";
    let listen = only_listen(text);
    assert_eq!(listen.framework, "uvicorn");
    assert!(listen.port.is_none());
    assert_eq!(listen.default_port, 8000);
    let target = listen.app_target.expect("target");
    assert_eq!(target.value, "main:app");
    assert_eq!(text_at(text, &target.loc), "\"main:app\"");
    assert_eq!(
        listen.reload.map(|r| r.value),
        Some(ValueExpr::literal("True"))
    );

    let text = "from uvicorn import run\nfrom api import app\nrun(app, port=9000)\n";
    let listen = only_listen(text);
    assert_eq!(listen.call, "run");
    assert_eq!(
        listen.port.map(|p| p.value),
        Some(ValueExpr::literal("9000"))
    );
}

#[test]
fn listen_in_a_function_the_guard_calls() {
    let text = "import uvicorn\nfrom fastapi import FastAPI\napp = FastAPI()\n\n\
                def main():\n    uvicorn.run(app, host=\"0.0.0.0\", port=8080)\n\n\
                if __name__ == \"__main__\":\n    main()\n";
    let listen = only_listen(text);
    assert!(listen.in_main_guard);
    assert_eq!(listen.via_function.as_deref(), Some("main"));
}

#[test]
fn reversed_main_check() {
    let text = "from flask import Flask\napp = Flask(__name__)\nif '__main__' == __name__:\n    app.run(port=8080)\n";
    let f = facts("app.py", text);
    assert!(f.main_guard.is_some());
    assert!(f.listens[0].in_main_guard);
}

#[test]
fn factory_app_run() {
    let text = "from myservice import create_app\n\napp = create_app()\n\nif __name__ == \"__main__\":\n    app.run(host=\"0.0.0.0\", port=8000)\n";
    let listen = only_listen(text);
    assert_eq!(listen.framework, "flask");
    assert_eq!(
        listen.port.map(|p| p.value),
        Some(ValueExpr::literal("8000"))
    );
}
