//! actix-web, rocket (code and Rocket.toml), warp, std and tonic listens;
//! broken, binary and pathologically nested Rust.

mod common;
use common::{analyze, facts, pos, text_at};
use seamcheck_facts::source::RouteMatchKind;
use seamcheck_facts::{Facts, ValueExpr};

fn lit(v: &str) -> ValueExpr {
    ValueExpr::literal(v)
}

const ACTIX: &str = r#"use actix_web::{get, web, App, HttpResponse, HttpServer, Responder};
use std::time::Duration;

#[get("/healthz")]
async fn healthz() -> impl Responder {
    HttpResponse::ServiceUnavailable().body("not ready")
}

#[get("/orders")]
async fn orders() -> impl Responder {
    std::thread::sleep(Duration::from_secs(2));
    HttpResponse::Ok().json(vec![1, 2])
}

async fn index() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    HttpServer::new(|| {
        App::new()
            .service(healthz)
            .service(web::scope("/api").service(orders))
            .route("/", web::get().to(index))
            .service(web::resource("/items").route(web::post().to(index)))
    })
    .bind(("0.0.0.0", 8080))?
    .bind("127.0.0.1:9090")?
    .run()
    .await
}
"#;

#[test]
fn actix_listens_routes_scopes_and_statuses() {
    let f = facts("src/main.rs", ACTIX);
    let binds: Vec<(Option<ValueExpr>, Option<ValueExpr>)> = f
        .listens
        .iter()
        .map(|l| {
            (
                l.host.as_ref().map(|h| h.value.clone()),
                l.port.as_ref().map(|p| p.value.clone()),
            )
        })
        .collect();
    assert_eq!(
        binds,
        [
            (Some(lit("0.0.0.0")), Some(lit("8080"))),
            (Some(lit("127.0.0.1")), Some(lit("9090")))
        ]
    );
    assert!(f.listens.iter().all(|l| l.framework == "actix-web"));
    let port = f.listens[0].port.as_ref().expect("port");
    assert_eq!(pos(&port.loc), (28, 23, 28, 26));
    assert_eq!(
        text_at(ACTIX, &f.listens[1].port.as_ref().expect("p").loc),
        "9090"
    );

    let routes: Vec<(&str, &str, &str)> = f
        .routes
        .iter()
        .map(|r| {
            (
                r.path.value.as_str(),
                r.methods.join(",").leak() as &str,
                r.handler.value.as_str(),
            )
        })
        .collect();
    assert_eq!(
        routes,
        [
            ("/healthz", "GET", "healthz"),
            ("/api/orders", "GET", "orders"),
            ("/", "GET", "index"),
            ("/items", "POST", "index"),
        ]
    );
    let health = &f.routes[0];
    assert_eq!(health.framework, "actix-web");
    assert_eq!(pos(&health.path.loc), (4, 7, 4, 16));
    assert_eq!(
        health.constant_error_status().and_then(|r| r.status),
        Some(503)
    );
    assert_eq!(
        f.routes[1].returns.first().and_then(|r| r.status),
        Some(200)
    );
    assert_eq!(f.handler_sleeps.len(), 1);
    assert_eq!(f.handler_sleeps[0].handler, "orders");
    assert_eq!(pos(&f.handler_sleeps[0].loc), (11, 5, 11, 46));
}

const ROCKET: &str = r#"#[macro_use]
extern crate rocket;

use rocket::http::Status;

#[get("/health")]
fn health() -> Status {
    Status::InternalServerError
}

#[get("/hello/<name>?<lang>")]
fn hello(name: &str, lang: Option<&str>) -> String {
    std::thread::sleep(std::time::Duration::from_millis(250));
    format!("hello {name} {lang:?}")
}

#[launch]
fn rocket() -> _ {
    rocket::build()
        .mount("/", routes![health])
        .mount("/v1", routes![hello])
}
"#;

#[test]
fn rocket_defaults_mounts_and_statuses() {
    let f = facts("src/main.rs", ROCKET);
    assert_eq!(f.listens.len(), 1);
    let l = &f.listens[0];
    assert_eq!(l.framework, "rocket");
    assert_eq!(l.default_port, 8000);
    assert_eq!(l.default_host, "127.0.0.1");
    assert_eq!(
        l.port.as_ref().map(|p| p.value.clone()),
        Some(ValueExpr::env("ROCKET_PORT", Some("8000".into())))
    );
    assert_eq!(
        l.host.as_ref().map(|p| p.value.clone()),
        Some(ValueExpr::env("ROCKET_ADDRESS", Some("127.0.0.1".into())))
    );
    assert_eq!(pos(&l.loc), (19, 5, 19, 19));
    // The code's listen is the framework default: Rocket.toml replaces it.
    assert_eq!(f.listen_scopes.len(), 1);
    assert!(f.listen_scopes[0].implicit);
    let paths: Vec<&str> = f.routes.iter().map(|r| r.path.value.as_str()).collect();
    assert_eq!(paths, ["/health", "/v1/hello/<name>"]);
    assert_eq!(f.routes[0].framework, "rocket");
    assert_eq!(
        f.routes[0].constant_error_status().and_then(|r| r.status),
        Some(500)
    );
    assert!(!f.routes[1].is_async);
    assert_eq!(f.handler_sleeps.len(), 1);
    assert!(!f.handler_sleeps[0].handler_is_async);
    assert_eq!(f.handler_sleeps[0].seconds, Some(0.25));
}

#[test]
fn rocket_toml_release_profile_over_default() {
    let text = "[default]\nport = 8000\naddress = \"127.0.0.1\"\n\n[debug]\nport = 9999\n\n[release]\nport = 8080\naddress = \"0.0.0.0\" # all interfaces\n";
    let f = facts("Rocket.toml", text);
    assert_eq!(f.listens.len(), 1);
    let l = &f.listens[0];
    assert_eq!(l.call, "Rocket.toml");
    let port = l.port.as_ref().expect("port");
    assert_eq!(
        port.value,
        ValueExpr::env("ROCKET_PORT", Some("8080".into()))
    );
    assert_eq!(pos(&port.loc), (9, 8, 9, 11));
    let host = l.host.as_ref().expect("host");
    assert_eq!(
        host.value,
        ValueExpr::env("ROCKET_ADDRESS", Some("0.0.0.0".into()))
    );
    assert_eq!(text_at(text, &host.loc), "0.0.0.0");
    assert!(f.listen_scopes.is_empty());

    let only_address = facts("Rocket.toml", "[default]\naddress = \"0.0.0.0\"\n");
    assert_eq!(
        only_address.listens[0]
            .port
            .as_ref()
            .map(|p| p.value.clone()),
        Some(ValueExpr::env("ROCKET_PORT", Some("8000".into())))
    );
    let unrelated = analyze("Rocket.toml", "[default]\nlimits = { json = \"1MiB\" }\n");
    assert!(matches!(unrelated.facts, Facts::Empty));
    let broken = analyze("Rocket.toml", "[default\nport = 1\n");
    assert_eq!(
        broken.problems[0].message,
        "rocket.toml syntax error: unclosed table header"
    );
}

#[test]
fn warp_routes_and_run() {
    let text = r#"use warp::Filter;
use warp::http::StatusCode;

#[tokio::main]
async fn main() {
    let health = warp::path!("healthz")
        .map(|| warp::reply::with_status("down", StatusCode::INTERNAL_SERVER_ERROR));
    let api = warp::path("api")
        .and(warp::get())
        .and_then(list);
    warp::serve(health.or(api)).run(([0, 0, 0, 0], 3030)).await;
}

async fn list() -> Result<impl warp::Reply, warp::Rejection> {
    Ok(warp::reply::json(&Vec::<u8>::new()))
}
"#;
    let f = facts("src/main.rs", text);
    assert_eq!(f.listens.len(), 1);
    let l = &f.listens[0];
    assert_eq!(l.framework, "warp");
    assert_eq!(
        l.host.as_ref().map(|h| h.value.clone()),
        Some(lit("0.0.0.0"))
    );
    assert_eq!(l.port.as_ref().map(|h| pos(&h.loc)), Some((11, 52, 11, 55)));
    let routes: Vec<(&str, Vec<String>)> = f
        .routes
        .iter()
        .map(|r| (r.path.value.as_str(), r.methods.clone()))
        .collect();
    assert_eq!(
        routes,
        [("/healthz", vec![]), ("/api", vec!["GET".to_string()])]
    );
    assert_eq!(
        f.routes[0].constant_error_status().and_then(|r| r.status),
        Some(500)
    );
    // `warp::path("api")` without `path::end()` matches a prefix.
    assert_eq!(f.route_matches.len(), 1);
    assert_eq!(f.route_matches[0].route, 1);
    assert_eq!(f.route_matches[0].kind, RouteMatchKind::Prefix);
}

#[test]
fn std_listener_with_env_port_and_constant() {
    let text = r#"use std::net::TcpListener;

const HOST: &str = "0.0.0.0";

fn main() {
    let port: u16 = std::env::var("APP_PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(9000);
    let listener = TcpListener::bind((HOST, port)).expect("bind");
    for stream in listener.incoming() {
        let _ = stream;
    }
}
"#;
    let f = facts("src/main.rs", text);
    let l = &f.listens[0];
    assert_eq!(l.framework, "std");
    assert_eq!(
        l.host.as_ref().map(|h| h.value.clone()),
        Some(lit("0.0.0.0"))
    );
    assert_eq!(l.host_defined_at.as_ref().map(pos), Some((3, 20, 3, 28)));
    assert_eq!(
        l.port.as_ref().map(|p| p.value.clone()),
        Some(ValueExpr::env("APP_PORT", Some("9000".into())))
    );
    assert_eq!(l.port_defined_at.as_ref().map(|d| d.line), Some(6));
}

#[test]
fn unknowns_stay_unknown() {
    let text = r#"use tokio::net::TcpListener;
async fn serve(config: Config) {
    let mut port = 8080;
    if let Ok(p) = std::env::var("PORT") { port = p.parse().unwrap(); }
    let a = TcpListener::bind(config.addr()).await;
    let b = TcpListener::bind(("0.0.0.0", port)).await;
    let c = TcpListener::bind(std::env::var("BIND").unwrap()).await;
}
"#;
    let f = facts("src/server.rs", text);
    assert_eq!(f.listens.len(), 3);
    assert!(matches!(
        f.listens[0].port.as_ref().map(|p| &p.value),
        Some(ValueExpr::Unknown { .. })
    ));
    // A `let mut` may be reassigned: not followed.
    assert_eq!(
        f.listens[1].port.as_ref().map(|p| p.value.clone()),
        Some(ValueExpr::unknown("port"))
    );
    assert!(matches!(
        f.listens[2].host.as_ref().map(|p| &p.value),
        Some(ValueExpr::Unknown { .. })
    ));
}

#[test]
fn tonic_serve_is_a_listen() {
    let text = r#"use tonic::transport::Server;
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let addr = "[::]:50051".parse()?;
    Server::builder().add_service(GreeterServer::new(MyGreeter::default())).serve(addr).await?;
    Ok(())
}
"#;
    let f = facts("src/main.rs", text);
    assert_eq!(f.listens.len(), 1);
    assert_eq!(f.listens[0].framework, "tonic");
    assert_eq!(
        f.listens[0].host.as_ref().map(|h| h.value.clone()),
        Some(lit("::"))
    );
    assert_eq!(
        f.listens[0].port.as_ref().map(|h| h.value.clone()),
        Some(lit("50051"))
    );
}

#[test]
fn negatives_tests_comments_strings_and_unrelated_files() {
    // A listen in an integration test file is not a listen.
    let test_file = "use tokio::net::TcpListener;\n#[tokio::test]\nasync fn t() { TcpListener::bind(\"0.0.0.0:1\").await.unwrap(); }\n";
    assert!(matches!(
        analyze("tests/api.rs", test_file).facts,
        Facts::Empty
    ));
    // Nor in a #[test] function of the app's own file.
    let f = facts("src/lib.rs", test_file);
    assert!(f.listens.is_empty());
    // A port in a string or a comment.
    let text = "// axum::serve on 0.0.0.0:8080\nfn main() { println!(\"TcpListener::bind 0.0.0.0:8080\"); }\n";
    let f = facts("src/main.rs", text);
    assert!(f.listens.is_empty() && f.routes.is_empty());
    // Unrelated Rust is not even parsed (broken syntax is not our problem).
    let a = analyze("build.rs", "fn main( {");
    assert!(a.problems.is_empty());
    assert!(matches!(a.facts, Facts::Empty));
}

#[test]
fn syntax_errors_are_located() {
    let a = analyze(
        "src/main.rs",
        "use axum::Router;\nfn main() {\n    let x = ;\n}\n",
    );
    assert_eq!(a.problems.len(), 1);
    assert_eq!(
        a.problems[0].message,
        "rust syntax error: expected an expression"
    );
    assert_eq!(pos(&a.problems[0].loc), (3, 13, 3, 13));
    let a = analyze(
        "src/main.rs",
        "use axum::Router;\nfn main() {\n    let x = (1;\n}\n",
    );
    assert_eq!(a.problems.len(), 1);
    assert!(
        a.problems[0].message.starts_with("rust syntax error"),
        "{}",
        a.problems[0].message
    );
    let a = analyze(
        "src/main.rs",
        "use axum::Router;\nfn main() { let s = \"unterminated; }\n",
    );
    assert_eq!(a.problems.len(), 1);
    assert_eq!(a.problems[0].loc.line, 2);
}

#[test]
fn binary_non_utf8_and_deep_nesting_never_panic() {
    let a = analyze("src/main.rs", "use axum;\0");
    assert!(a.problems[0].message.starts_with("binary content"));
    let a = seamcheck_source::analyze("src/main.rs", b"use axum; \xff");
    assert!(a.problems[0].message.starts_with("not valid UTF-8"));
    for (open, close) in [("(", ")"), ("[", "]"), ("{", "}")] {
        let deep = format!(
            "use axum;\nfn main() {{ let x = {}1{}; }}\n",
            open.repeat(100_000),
            close.repeat(100_000)
        );
        let a = analyze("src/main.rs", &deep);
        assert_eq!(a.problems.len(), 1);
        assert_eq!(
            a.problems[0].message,
            "rust file refused: brackets nested deeper than 128 levels"
        );
        assert_eq!(a.problems[0].loc.line, 2);
    }
    for (prefix, body) in [
        ("-", "1"),
        ("!", "x"),
        ("&", "x"),
        ("*", "x"),
        ("|| ", "1"),
        ("return ", "1"),
    ] {
        let deep = format!(
            "use axum;\nfn main() {{ let x = {}{}; }}\n",
            prefix.repeat(100_000),
            body
        );
        let a = analyze("src/main.rs", &deep);
        assert_eq!(a.problems.len(), 1, "{prefix}");
        assert_eq!(
            a.problems[0].message,
            "rust file refused: expression nested deeper than 1000 operators"
        );
    }
    let generics = format!(
        "use axum;\ntype T = {}u8{};\n",
        "Vec<".repeat(100_000),
        ">".repeat(100_000)
    );
    assert_eq!(analyze("src/main.rs", &generics).problems.len(), 1);
    let assign = format!("use axum;\nfn main() {{ {}1; }}\n", "a = ".repeat(100_000));
    assert_eq!(analyze("src/main.rs", &assign).problems.len(), 1);
    // Just under the limits, syn parses on its own stack.
    let ok = format!(
        "use axum;\nfn main() {{ let x = {}1{}; let y = {}1; }}\n",
        "(".repeat(120),
        ")".repeat(120),
        "-".repeat(900)
    );
    assert!(analyze("src/main.rs", &ok).problems.is_empty());
}
