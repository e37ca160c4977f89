//! nginx configurations: listens, locations as routes, return statuses,
//! envsubst templates, negatives and broken input.

mod common;
use common::{analyze, facts, pos, text_at};
use seamcheck_facts::source::RouteMatchKind;
use seamcheck_facts::{Facts, ValueExpr};

const SITE: &str = r#"# listen 9999;  (a comment, not a listen)
server {
    listen 8080;
    listen [::]:8080 ipv6only=on;
    server_name shop.example.com;

    location = /healthz {
        access_log off;
        return 200 "ok\n";
    }

    location /broken {
        return 500;
    }

    location / {
        root /usr/share/nginx/html;
        try_files $uri /index.html;
    }

    location ~* \.(png|jpg)$ {
        expires 7d;
    }

    location @fallback {
        return 404;
    }
}
"#;

fn lit(v: &str) -> ValueExpr {
    ValueExpr::literal(v)
}

#[test]
fn listens_with_hosts_and_ports_located() {
    let f = facts("nginx/default.conf", SITE);
    assert_eq!(f.language, "nginx");
    assert_eq!(f.listens.len(), 2, "{:?}", f.listens);
    let first = &f.listens[0];
    assert_eq!(first.framework, "nginx");
    assert!(first.host.is_none());
    assert_eq!(first.default_host, "0.0.0.0");
    let port = first.port.as_ref().expect("port");
    assert_eq!(port.value, lit("8080"));
    assert_eq!(pos(&port.loc), (3, 12, 3, 15));
    assert_eq!(text_at(SITE, &first.loc), "listen 8080;");
    let second = &f.listens[1];
    let host = second.host.as_ref().expect("host");
    assert_eq!(host.value, lit("::"));
    assert_eq!(pos(&host.loc), (4, 13, 4, 14));
    assert_eq!(
        second.port.as_ref().map(|p| pos(&p.loc)),
        Some((4, 17, 4, 20))
    );
}

#[test]
fn locations_are_routes_with_statuses_and_match_kinds() {
    let f = facts("nginx/default.conf", SITE);
    let paths: Vec<&str> = f.routes.iter().map(|r| r.path.value.as_str()).collect();
    assert_eq!(paths, ["/healthz", "/broken", "/", r"\.(png|jpg)$"]);
    let health = &f.routes[0];
    assert_eq!(pos(&health.path.loc), (7, 16, 7, 23));
    assert_eq!(health.handler.value, "location /healthz");
    assert_eq!(health.app_var, "shop.example.com");
    assert_eq!(health.returns.len(), 1);
    assert_eq!(health.returns[0].status, Some(200));
    assert_eq!(pos(&health.returns[0].loc), (9, 9, 9, 26));
    assert_eq!(pos(&health.handler_loc), (7, 5, 10, 5));
    assert!(health.constant_error_status().is_none());
    let broken = &f.routes[1];
    assert_eq!(
        broken.constant_error_status().and_then(|r| r.status),
        Some(500)
    );
    assert!(f.routes[2].returns.is_empty());
    // `= /healthz` is exact: absent from route_matches.
    let kinds: Vec<(usize, RouteMatchKind)> =
        f.route_matches.iter().map(|m| (m.route, m.kind)).collect();
    assert_eq!(
        kinds,
        [
            (1, RouteMatchKind::Prefix),
            (2, RouteMatchKind::Prefix),
            (
                3,
                RouteMatchKind::Regex {
                    case_insensitive: true
                }
            )
        ]
    );
}

#[test]
fn addresses_and_defaults() {
    let text = "http {\n  server { listen 127.0.0.1:8081; }\n  server { listen *:80 default_server; }\n  server { listen localhost; }\n  server { server_name x; }\n  server { listen unix:/run/nginx.sock; }\n}\n";
    let f = facts("nginx.conf", text);
    let got: Vec<(Option<ValueExpr>, Option<ValueExpr>, u16)> = f
        .listens
        .iter()
        .map(|l| {
            (
                l.host.as_ref().map(|h| h.value.clone()),
                l.port.as_ref().map(|p| p.value.clone()),
                l.default_port,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (Some(lit("127.0.0.1")), Some(lit("8081")), 80),
            (Some(lit("0.0.0.0")), Some(lit("80")), 80),
            (Some(lit("localhost")), None, 80),
            // A server block without listen listens on *:80, located at `server`.
            (None, None, 80),
        ]
    );
    assert_eq!(pos(&f.listens[3].loc), (5, 3, 5, 8));
}

#[test]
fn envsubst_templates_read_the_environment() {
    let text = "server {\n    listen ${NGINX_PORT};\n    listen ${HOST}:$PORT;\n}\n";
    let f = facts("templates/default.conf.template", text);
    assert_eq!(
        f.listens[0].port.as_ref().map(|p| &p.value),
        Some(&ValueExpr::env("NGINX_PORT", None))
    );
    assert_eq!(
        f.listens[0].port.as_ref().map(|p| pos(&p.loc)),
        Some((2, 12, 2, 24))
    );
    assert_eq!(
        f.listens[1].host.as_ref().map(|p| &p.value),
        Some(&ValueExpr::env("HOST", None))
    );
    assert_eq!(
        f.listens[1].port.as_ref().map(|p| &p.value),
        Some(&ValueExpr::env("PORT", None))
    );
}

#[test]
fn stream_servers_and_upstreams_are_not_http_listens() {
    let text = "upstream app { server app:8080; }\nstream {\n  server { listen 5432; proxy_pass db:5432; }\n}\n";
    let f = facts("nginx.conf", text);
    // The stream server still listens on 5432; the upstream `server` is not a block.
    assert_eq!(f.listens.len(), 1);
    assert_eq!(
        f.listens[0].port.as_ref().map(|p| p.value.clone()),
        Some(lit("5432"))
    );
    let empty = analyze("nginx.conf", "events {}\n# listen 80;\n");
    assert!(matches!(empty.facts, Facts::Empty));
    assert!(empty.problems.is_empty());
}

#[test]
fn conditional_returns_are_all_kept() {
    let text = "server {\n  location /ready {\n    if ($draining) { return 503; }\n    return 200;\n    location /ready/deep { return 404; }\n  }\n}\n";
    let f = facts("nginx.conf", text);
    let statuses: Vec<Option<u16>> = f.routes[0].returns.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [Some(503), Some(200)]);
    assert_eq!(f.routes[1].returns.len(), 1);
    let redirect = facts(
        "nginx.conf",
        "server { location /old { return https://x/new; } }",
    );
    assert_eq!(redirect.routes[0].returns[0].status, Some(302));
}

#[test]
fn broken_configs_are_located_problems_and_keep_their_facts() {
    let text = "server {\n    listen 8080;\n    location / {\n        return 200\n    }\n";
    let a = analyze("nginx.conf", text);
    assert_eq!(a.problems.len(), 1, "{:?}", a.problems);
    assert_eq!(a.problems[0].message, "nginx syntax error: missing `;`");
    assert_eq!(pos(&a.problems[0].loc), (4, 19, 4, 19));
    let Facts::Source(f) = a.facts else {
        panic!("facts expected")
    };
    assert_eq!(f.listens.len(), 1);
    assert_eq!(f.routes.len(), 1);

    let a = analyze("nginx.conf", "server { listen 80; }\n}\n");
    assert_eq!(a.problems[0].message, "nginx syntax error: unexpected `}`");
    assert_eq!(pos(&a.problems[0].loc), (2, 1, 2, 1));

    let a = analyze(
        "nginx.conf",
        "server {\n listen 80;\n return 200 \"unterminated;\n",
    );
    assert_eq!(
        a.problems[0].message,
        "nginx syntax error: unterminated string starting with `\"`"
    );
    assert_eq!(pos(&a.problems[0].loc), (3, 13, 3, 13));

    let a = analyze("nginx.conf", "server {\n listen 80;\n");
    assert_eq!(
        a.problems[0].message,
        "nginx syntax error: block `server` is not closed"
    );
}

#[test]
fn binary_non_utf8_and_deep_nesting_never_panic() {
    let a = analyze("nginx.conf", "server {\0}");
    assert!(a.problems[0].message.starts_with("binary content"));
    let a = seamcheck_source::analyze("nginx.conf", b"listen \xff;");
    assert!(a.problems[0].message.starts_with("not valid UTF-8"));
    let deep = "server { ".to_string() + &"location / { ".repeat(100_000) + &"}".repeat(100_001);
    let a = analyze("nginx.conf", &deep);
    assert_eq!(
        a.problems[0].message,
        "nginx syntax error: blocks nested deeper than 100 levels"
    );
    let many = "server { listen 80; }\n".repeat(2_000);
    assert_eq!(facts("nginx.conf", &many).listens.len(), 2_000);
}
