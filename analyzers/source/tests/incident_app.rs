//! The app of the incident that motivates seamcheck: a Flask app whose `/`
//! sleeps 10 s, whose `/healthz` answers 500, listening on 0.0.0.0:8080.

mod common;
use common::{facts, pos, text_at};
use seamcheck_facts::ValueExpr;

const APP: &str = r#"import time
from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    time.sleep(10)  # simulate slow work
    return "Hello from the SRE app"


@app.route("/healthz")
def healthz():
    return "Unhealthy", 500


if __name__ == "__main__":
    app.run(host='0.0.0.0', port=8080)
"#;

#[test]
fn finds_the_flask_app_object() {
    let f = facts("app/main.py", APP);
    assert_eq!(f.language, "python");
    assert_eq!(f.apps.len(), 1);
    let app = &f.apps[0];
    assert_eq!((app.var.as_str(), app.framework.as_str()), ("app", "flask"));
    assert_eq!(text_at(APP, &app.loc), "Flask(__name__)");
    assert_eq!(pos(&app.loc), (4, 7, 4, 21));
    assert!(app.prefix.is_none());
}

#[test]
fn finds_the_listen_in_the_main_guard() {
    let f = facts("app/main.py", APP);
    assert_eq!(f.listens.len(), 1);
    let listen = &f.listens[0];
    assert_eq!(listen.call, "app.run");
    assert_eq!(listen.framework, "flask");
    assert!(listen.in_main_guard);
    assert!(listen.via_function.is_none());
    assert_eq!(
        (listen.default_port, listen.default_host.as_str()),
        (5000, "127.0.0.1")
    );

    let port = listen.port.as_ref().expect("port");
    assert_eq!(port.value, ValueExpr::literal("8080"));
    assert_eq!(pos(&port.loc), (19, 34, 19, 37));
    assert_eq!(text_at(APP, &port.loc), "8080");

    let host = listen.host.as_ref().expect("host");
    assert_eq!(host.value, ValueExpr::literal("0.0.0.0"));
    assert_eq!(pos(&host.loc), (19, 18, 19, 26));
    assert_eq!(text_at(APP, &host.loc), "'0.0.0.0'");

    assert!(listen.debug.is_none());
    assert_eq!(pos(&listen.loc), (19, 5, 19, 38));
    let target = listen.app_target.as_ref().expect("app target");
    assert_eq!(target.value, "app");

    let guard = f.main_guard.as_ref().expect("main guard");
    assert_eq!(pos(guard), (18, 1, 18, 25));
    assert_eq!(text_at(APP, guard), "if __name__ == \"__main__\"");
}

#[test]
fn finds_both_routes_with_their_statuses() {
    let f = facts("app/main.py", APP);
    assert_eq!(f.routes.len(), 2);

    let index = &f.routes[0];
    assert_eq!(index.path.value, "/");
    assert_eq!(pos(&index.path.loc), (7, 12, 7, 14));
    assert_eq!(index.handler.value, "index");
    assert_eq!(pos(&index.handler.loc), (8, 5, 8, 9));
    assert_eq!(pos(&index.handler_loc), (8, 1, 10, 35));
    assert!(index.methods.is_empty());
    assert!(!index.is_async);
    assert_eq!(index.framework, "flask");
    assert_eq!(index.app_var, "app");
    assert_eq!(index.returns.len(), 1);
    assert_eq!(index.returns[0].status, Some(200));
    assert!(index.constant_error_status().is_none());

    let health = &f.routes[1];
    assert_eq!(health.path.value, "/healthz");
    assert_eq!(pos(&health.path.loc), (13, 12, 13, 21));
    assert_eq!(health.returns.len(), 1);
    assert_eq!(health.returns[0].status, Some(500));
    assert_eq!(pos(&health.returns[0].loc), (15, 5, 15, 27));
    assert_eq!(
        health.constant_error_status().and_then(|r| r.status),
        Some(500)
    );
}

#[test]
fn finds_the_sleep_in_the_index_handler() {
    let f = facts("app/main.py", APP);
    assert_eq!(f.handler_sleeps.len(), 1);
    let sleep = &f.handler_sleeps[0];
    assert_eq!(sleep.call, "time.sleep");
    assert_eq!(sleep.seconds, Some(10.0));
    assert_eq!(sleep.handler, "index");
    assert!(!sleep.handler_is_async);
    assert!(!sleep.guarded);
    assert!(sleep.guard_condition.is_none());
    assert_eq!(pos(&sleep.loc), (9, 5, 9, 18));
    assert_eq!(text_at(APP, &sleep.loc), "time.sleep(10)");
}

#[test]
fn reports_no_problem_for_a_clean_file() {
    let analysis = common::analyze("app/main.py", APP);
    assert!(analysis.problems.is_empty(), "{:?}", analysis.problems);
    assert!(analysis.notes.is_empty());
    assert_eq!(analysis.path, "app/main.py");
    assert_eq!(analysis.kind, seamcheck_facts::FileKind::Python);
}
