//! Flask blueprints, register_blueprint prefixes, add_url_rule, and the
//! statuses of Flask's return forms.

mod common;
use common::{facts, pos, text_at};

const APP: &str = r#"from http import HTTPStatus

import flask
from flask import Blueprint, abort, jsonify, make_response, Response

app = flask.Flask(__name__)
api = Blueprint("api", __name__, url_prefix="/api")
admin = Blueprint("admin", __name__, url_prefix="/admin")
HEALTH_FAIL = 503


@api.route("/users", methods=["GET", "POST"])
def users():
    return jsonify([])


@api.get("/users/<int:user_id>")
def user(user_id):
    if user_id > 100:
        abort(404)
    return jsonify({"id": user_id}), 200


@admin.route("/")
def admin_home():
    return make_response("forbidden", 403)


@app.route("/status")
def status():
    code = compute_status()
    return "status", code


@app.route("/live")
def live():
    return Response("down", status=HEALTH_FAIL)


@app.route("/gone")
def gone():
    return "gone", HTTPStatus.GONE if False else 410


def ping():
    resp = make_response("pong")
    return resp


def no_return():
    pass


app.add_url_rule("/ping", "ping", ping, methods=["GET"])
app.add_url_rule("/nothing", view_func=no_return)
app.register_blueprint(api)
app.register_blueprint(admin, url_prefix="/ops")
"#;

fn route<'a>(
    f: &'a seamcheck_facts::SourceFacts,
    path: &str,
) -> &'a seamcheck_facts::source::Route {
    f.routes
        .iter()
        .find(|r| r.path.value == path)
        .unwrap_or_else(|| {
            panic!(
                "no route {path}: {:?}",
                f.routes.iter().map(|r| &r.path.value).collect::<Vec<_>>()
            )
        })
}

#[test]
fn blueprint_prefixes() {
    let f = facts("web/app.py", APP);
    let apps: Vec<_> = f
        .apps
        .iter()
        .map(|a| (a.var.as_str(), a.framework.as_str()))
        .collect();
    assert_eq!(
        apps,
        vec![
            ("app", "flask"),
            ("api", "blueprint"),
            ("admin", "blueprint")
        ]
    );
    let users = route(&f, "/api/users");
    assert_eq!(users.methods, vec!["GET", "POST"]);
    assert_eq!(pos(&users.path.loc), (12, 12, 12, 19));
    assert_eq!(users.app_var, "api");
    assert_eq!(route(&f, "/api/users/<int:user_id>").methods, vec!["GET"]);
    // register_blueprint's url_prefix replaces the blueprint's own.
    let admin = route(&f, "/ops/");
    assert_eq!(admin.handler.value, "admin_home");
    assert_eq!(f.mounts.len(), 2);
}

#[test]
fn flask_return_forms() {
    let f = facts("web/app.py", APP);
    let statuses = |path: &str| -> Vec<Option<u16>> {
        route(&f, path).returns.iter().map(|r| r.status).collect()
    };
    assert_eq!(statuses("/api/users"), vec![Some(200)]);
    assert_eq!(
        statuses("/api/users/<int:user_id>"),
        vec![Some(404), Some(200)]
    );
    let abort = &route(&f, "/api/users/<int:user_id>").returns[0];
    assert_eq!(text_at(APP, &abort.loc), "abort(404)");
    assert_eq!(pos(&abort.loc), (20, 9, 20, 18));
    assert_eq!(statuses("/ops/"), vec![Some(403)]);
    // A status computed at run time is unknown.
    assert_eq!(statuses("/status"), vec![None]);
    // A module constant is followed.
    assert_eq!(statuses("/live"), vec![Some(503)]);
    assert_eq!(statuses("/gone"), vec![None]);
    assert_eq!(statuses("/ping"), vec![Some(200)]);
    // No return at all: unknown, not 200.
    assert_eq!(statuses("/nothing"), Vec::<Option<u16>>::new());
}

#[test]
fn add_url_rule_points_at_the_view_function() {
    let f = facts("web/app.py", APP);
    let ping = route(&f, "/ping");
    assert_eq!(ping.methods, vec!["GET"]);
    assert_eq!(ping.handler.value, "ping");
    assert_eq!(pos(&ping.handler.loc), (45, 5, 45, 8));
    assert_eq!(pos(&ping.path.loc), (54, 18, 54, 24));
}

#[test]
fn nested_blueprints_and_includes_of_imported_routers() {
    let text = r#"from fastapi import FastAPI
from flask import Flask, Blueprint
from .routers import users

parent = Blueprint("parent", __name__, url_prefix="/parent")
child = Blueprint("child", __name__, url_prefix="/child")
app = Flask(__name__)


@child.route("/leaf")
def leaf():
    return "leaf"


parent.register_blueprint(child)
app.register_blueprint(parent, url_prefix="/p")

api = FastAPI()
api.include_router(users.router, prefix="/users")
"#;
    let f = facts("web/nested.py", text);
    assert_eq!(f.routes.len(), 1);
    assert_eq!(f.routes[0].path.value, "/p/child/leaf");
    let imported = f
        .mounts
        .iter()
        .find(|m| m.child == "users.router")
        .expect("mount of an imported router");
    assert_eq!(imported.parent, "api");
    assert_eq!(
        imported.prefix.as_ref().map(|p| p.value.as_str()),
        Some("/users")
    );
}

#[test]
fn state_dependent_health_and_shared_handlers() {
    let text = r#"import time
from flask import Flask as F, make_response

app = F(__name__)
ready = False


@app.route("/healthz")
@app.route("/readyz")
def health():
    time.sleep(0.2)
    if not ready:
        return "starting", 503
    return "ok"


@app.route("/custom")
def custom():
    resp = make_response("x")
    resp.status_code = 500
    return resp
"#;
    let f = facts("health.py", text);
    let paths: Vec<_> = f.routes.iter().map(|r| r.path.value.as_str()).collect();
    assert_eq!(paths, vec!["/healthz", "/readyz", "/custom"]);
    let statuses: Vec<_> = f.routes[0].returns.iter().map(|r| r.status).collect();
    assert_eq!(statuses, vec![Some(503), Some(200)]);
    assert!(f.routes[0].constant_error_status().is_none());
    // One handler behind two routes: its sleep is reported once.
    assert_eq!(f.handler_sleeps.len(), 1);
    assert_eq!(pos(&f.handler_sleeps[0].loc), (11, 5, 11, 19));
    // A status set on the response object at run time is not the default.
    assert_eq!(f.routes[2].returns.len(), 1);
    assert_eq!(f.routes[2].returns[0].status, None);
}
