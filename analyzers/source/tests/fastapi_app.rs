//! FastAPI: routers with prefixes, include_router, decorator status codes,
//! Response classes, HTTPException, uvicorn.run in the main guard.

mod common;
use common::{facts, pos, text_at};
use seamcheck_facts::ValueExpr;

const APP: &str = r#"import os
import asyncio
import time

import uvicorn
from fastapi import APIRouter, FastAPI, HTTPException, status
from fastapi.responses import JSONResponse, PlainTextResponse

app = FastAPI(title="inventory")
router = APIRouter(prefix="/v1")
db_ready = False


@router.get("/items")
async def list_items():
    await asyncio.sleep(0.1)
    return [{"id": 1}]


@router.post("/items", status_code=201)
async def create_item(item: dict):
    return item


@app.get("/health")
def health():
    if not db_ready:
        return JSONResponse({"status": "starting"}, status_code=503)
    return PlainTextResponse("ok")


@app.get("/ready")
async def ready():
    raise HTTPException(status_code=status.HTTP_503_SERVICE_UNAVAILABLE)


@app.api_route("/slow", methods=["GET", "post"])
async def slow():
    time.sleep(2)
    return {"slow": True}


app.include_router(router, prefix="/api")

if __name__ == "__main__":
    uvicorn.run(app, host="0.0.0.0", port=int(os.environ.get("PORT", 8000)))
"#;

#[test]
fn finds_app_and_router() {
    let f = facts("svc/main.py", APP);
    let kinds: Vec<_> = f
        .apps
        .iter()
        .map(|a| (a.var.as_str(), a.framework.as_str()))
        .collect();
    assert_eq!(kinds, vec![("app", "fastapi"), ("router", "apirouter")]);
    let prefix = f.apps[1].prefix.as_ref().expect("router prefix");
    assert_eq!(prefix.value, "/v1");
    assert_eq!(pos(&prefix.loc), (10, 27, 10, 31));
}

#[test]
fn router_routes_carry_both_prefixes() {
    let f = facts("svc/main.py", APP);
    let paths: Vec<_> = f
        .routes
        .iter()
        .map(|r| {
            (
                r.methods.join(","),
                r.path.value.as_str(),
                r.handler.value.as_str(),
            )
        })
        .collect();
    assert_eq!(
        paths,
        vec![
            ("GET".to_string(), "/api/v1/items", "list_items"),
            ("POST".to_string(), "/api/v1/items", "create_item"),
            ("GET".to_string(), "/health", "health"),
            ("GET".to_string(), "/ready", "ready"),
            ("GET,POST".to_string(), "/slow", "slow"),
        ]
    );
    let list = &f.routes[0];
    assert!(list.is_async);
    assert_eq!(list.framework, "fastapi");
    assert_eq!(list.app_var, "router");
    // The path is located at the literal as written, before prefixing.
    assert_eq!(text_at(APP, &list.path.loc), "\"/items\"");
    assert_eq!(pos(&list.path.loc), (14, 13, 14, 20));

    assert_eq!(f.mounts.len(), 1);
    let mount = &f.mounts[0];
    assert_eq!(
        (mount.parent.as_str(), mount.child.as_str()),
        ("app", "router")
    );
    assert_eq!(
        mount.prefix.as_ref().map(|p| p.value.as_str()),
        Some("/api")
    );
    assert_eq!(pos(&mount.loc), (43, 1, 43, 41));
}

#[test]
fn statuses_of_fastapi_handlers() {
    let f = facts("svc/main.py", APP);
    let statuses =
        |i: usize| -> Vec<Option<u16>> { f.routes[i].returns.iter().map(|r| r.status).collect() };
    assert_eq!(statuses(0), vec![Some(200)]);
    // The decorator's status_code is the default for plain returns.
    assert_eq!(statuses(1), vec![Some(201)]);
    assert_eq!(statuses(2), vec![Some(503), Some(200)]);
    assert!(f.routes[2].constant_error_status().is_none());
    assert_eq!(statuses(3), vec![Some(503)]);
    assert_eq!(pos(&f.routes[3].returns[0].loc), (34, 5, 34, 72));
}

#[test]
fn uvicorn_run_with_env_port() {
    let f = facts("svc/main.py", APP);
    assert_eq!(f.listens.len(), 1);
    let listen = &f.listens[0];
    assert_eq!(listen.call, "uvicorn.run");
    assert_eq!(listen.framework, "uvicorn");
    assert!(listen.in_main_guard);
    assert_eq!(
        (listen.default_port, listen.default_host.as_str()),
        (8000, "127.0.0.1")
    );
    let port = listen.port.as_ref().expect("port");
    assert_eq!(port.value, ValueExpr::env("PORT", Some("8000".into())));
    assert_eq!(
        text_at(APP, &port.loc),
        "int(os.environ.get(\"PORT\", 8000))"
    );
    assert_eq!(pos(&port.loc), (46, 43, 46, 75));
    let host = listen.host.as_ref().expect("host");
    assert_eq!(host.value, ValueExpr::literal("0.0.0.0"));
    let target = listen.app_target.as_ref().expect("target");
    assert_eq!(target.value, "app");
    assert_eq!(pos(&target.loc), (46, 17, 46, 19));
}

#[test]
fn blocking_sleep_in_async_handler_but_not_asyncio_sleep() {
    let f = facts("svc/main.py", APP);
    assert_eq!(f.handler_sleeps.len(), 1);
    let sleep = &f.handler_sleeps[0];
    assert_eq!(sleep.handler, "slow");
    assert!(sleep.handler_is_async);
    assert_eq!(sleep.seconds, Some(2.0));
    assert_eq!(pos(&sleep.loc), (39, 5, 39, 17));
}
