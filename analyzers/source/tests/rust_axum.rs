//! axum + tokio: listen with an env default, routes with nest, statuses,
//! handler sleeps, and the negatives (worker sleep, test module, comment).

mod common;
use common::{facts, pos, text_at};
use seamcheck_facts::ValueExpr;

const MAIN: &str = r#"use axum::{http::StatusCode, routing::get, Json, Router};
use std::{env, thread, time::Duration};

// tokio::net::TcpListener::bind("0.0.0.0:9999") is only a comment.
const BANNER: &str = "listening on 0.0.0.0:7777";

async fn healthz() -> StatusCode {
    StatusCode::INTERNAL_SERVER_ERROR
}

async fn ready() -> (StatusCode, &'static str) {
    if env::var("DRAINING").is_ok() {
        return (StatusCode::SERVICE_UNAVAILABLE, "draining");
    }
    (StatusCode::OK, "ready")
}

async fn slow() -> &'static str {
    thread::sleep(Duration::from_secs(10));
    "done"
}

async fn list_users() -> Json<Vec<String>> {
    if env::var("CHAOS_LATENCY").is_ok() {
        std::thread::sleep(Duration::from_millis(500));
    }
    Json(vec![])
}

fn api() -> Router {
    Router::new().route("/users", get(list_users).post(list_users))
}

fn worker() {
    loop {
        thread::sleep(Duration::from_secs(60));
    }
}

#[tokio::main]
async fn main() {
    std::thread::spawn(worker);
    let port = env::var("PORT").unwrap_or_else(|_| "3000".to_string());
    let app = Router::new()
        .route("/healthz", get(healthz))
        .route("/ready", get(ready))
        .route("/slow", get(slow))
        .route("/inline", get(|| async { "inline" }))
        .nest("/api", api());
    let listener = tokio::net::TcpListener::bind(format!("0.0.0.0:{port}"))
        .await
        .unwrap();
    println!("{BANNER}");
    axum::serve(listener, app).await.unwrap();
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn serves() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        std::thread::sleep(std::time::Duration::from_secs(1));
        drop(listener);
    }
}
"#;

#[test]
fn the_listen_reads_port_with_its_default() {
    let f = facts("src/main.rs", MAIN);
    assert_eq!(f.language, "rust");
    assert_eq!(f.listens.len(), 1, "{:?}", f.listens);
    let l = &f.listens[0];
    assert_eq!(l.framework, "tokio");
    assert_eq!(l.call, "tokio::net::TcpListener::bind");
    let host = l.host.as_ref().expect("host");
    assert_eq!(host.value, ValueExpr::literal("0.0.0.0"));
    assert_eq!(text_at(MAIN, &host.loc), "0.0.0.0");
    let port = l.port.as_ref().expect("port");
    assert_eq!(port.value, ValueExpr::env("PORT", Some("3000".into())));
    // An inline `{port}` capture is located where `port` is bound.
    assert_eq!(
        text_at(MAIN, &port.loc),
        r#"env::var("PORT").unwrap_or_else(|_| "3000".to_string())"#
    );
    assert_eq!(pos(&port.loc).0, 43);
    assert_eq!(pos(&l.loc).0, 50);
}

#[test]
fn routes_with_nested_prefixes_and_statuses() {
    let f = facts("src/main.rs", MAIN);
    let routes: Vec<(String, Vec<String>, String)> = f
        .routes
        .iter()
        .map(|r| {
            (
                r.path.value.clone(),
                r.methods.clone(),
                r.handler.value.clone(),
            )
        })
        .collect();
    let s = |p: &str, m: &str, h: &str| (p.to_string(), vec![m.to_string()], h.to_string());
    assert_eq!(
        routes,
        [
            s("/api/users", "GET", "list_users"),
            s("/api/users", "POST", "list_users"),
            s("/healthz", "GET", "healthz"),
            s("/ready", "GET", "ready"),
            s("/slow", "GET", "slow"),
            s("/inline", "GET", "closure"),
        ]
    );
    let health = f
        .routes
        .iter()
        .find(|r| r.path.value == "/healthz")
        .expect("healthz");
    assert_eq!(health.framework, "axum");
    assert!(health.is_async);
    assert_eq!(pos(&health.path.loc), (45, 16, 45, 25));
    assert_eq!(pos(&health.handler.loc), (7, 10, 7, 16));
    assert_eq!(pos(&health.handler_loc), (7, 1, 9, 1));
    assert_eq!(health.returns.len(), 1);
    assert_eq!(pos(&health.returns[0].loc), (8, 5, 8, 37));
    assert_eq!(
        health.constant_error_status().and_then(|r| r.status),
        Some(500)
    );
    let ready = f
        .routes
        .iter()
        .find(|r| r.path.value == "/ready")
        .expect("ready");
    let statuses: Vec<Option<u16>> = ready.returns.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [Some(503), Some(200)]);
    assert!(ready.constant_error_status().is_none());
    let inline = f
        .routes
        .iter()
        .find(|r| r.path.value == "/inline")
        .expect("inline");
    assert!(inline.is_async);
    assert_eq!(inline.returns.first().and_then(|r| r.status), Some(200));
}

#[test]
fn sleeps_in_handlers_only() {
    let f = facts("src/main.rs", MAIN);
    assert_eq!(f.handler_sleeps.len(), 2, "{:?}", f.handler_sleeps);
    let slow = &f.handler_sleeps[0];
    assert_eq!(slow.handler, "slow");
    assert_eq!(slow.call, "thread::sleep");
    assert!(slow.handler_is_async);
    assert_eq!(slow.seconds, Some(10.0));
    assert!(!slow.guarded);
    assert_eq!(pos(&slow.loc), (19, 5, 19, 42));
    let chaos = &f.handler_sleeps[1];
    assert_eq!(chaos.handler, "list_users");
    assert_eq!(chaos.seconds, Some(0.5));
    assert!(chaos.guarded);
    assert_eq!(
        chaos.guard_condition.as_ref().map(|l| text_at(MAIN, l)),
        Some(r#"env::var("CHAOS_LATENCY").is_ok()"#)
    );
}

#[test]
fn axum_06_server_bind_and_socket_addr() {
    let text = r#"use std::net::SocketAddr;
use axum::{routing::get, Router};

#[tokio::main]
async fn main() {
    let addr = SocketAddr::from(([0, 0, 0, 0], 8080));
    axum::Server::bind(&addr)
        .serve(Router::new().route("/", get(|| async { "hi" })).into_make_service())
        .await
        .unwrap();
}
"#;
    let f = facts("src/main.rs", text);
    assert_eq!(f.listens.len(), 1);
    let l = &f.listens[0];
    assert_eq!(l.framework, "axum");
    assert_eq!(
        l.host.as_ref().map(|h| h.value.clone()),
        Some(ValueExpr::literal("0.0.0.0"))
    );
    let port = l.port.as_ref().expect("port");
    assert_eq!(port.value, ValueExpr::literal("8080"));
    assert_eq!(pos(&port.loc), (6, 48, 6, 51));
    assert_eq!(f.routes.len(), 1);
}
