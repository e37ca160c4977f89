//! Every `ports:` / `expose:` syntax, with the container port located at
//! its own token.

mod common;
use common::{analyze, compose, pos, service, span_text};
use seamcheck_facts::compose::{ComposePort, VarOp};
use seamcheck_facts::ValueExpr;

const COMPOSE: &str = r#"services:
  api:
    image: example/api:2.1
    ports:
      - "8080:80"
      - "127.0.0.1:8081:81"
      - "82"
      - 83
      - "8000-8010:9000-9010"
      - "5353:53/udp"
      - "[::1]:8443:443"
      - "${HOST_IP:-0.0.0.0}:${API_PORT:-8084}:${APP_PORT:-84}/tcp"
      - 127.0.0.1::85
      - target: 86
        published: 8086-8087
        protocol: UDP
        name: metrics
      - target: "${GRPC_PORT}"
      - published: "9999"
      - [not, a, port]
    expose:
      - "3000"
      - 3001
      - "4000-4005"
      - "5000/udp"
"#;

fn ports() -> Vec<ComposePort> {
    let analysis = analyze("docker-compose.yml", COMPOSE);
    assert!(analysis.problems.is_empty(), "{:?}", analysis.problems);
    service(compose(&analysis), "api").ports.clone()
}

/// (container raw, container port, published raw, host ip, protocol).
fn summary(p: &ComposePort) -> (String, Option<u16>, Option<String>, Option<String>, String) {
    (
        p.container.raw.clone(),
        p.container.port,
        p.published.as_ref().map(|x| x.raw.clone()),
        p.host_ip.as_ref().map(|h| h.value.clone()),
        p.protocol.clone(),
    )
}

fn some(s: &str) -> Option<String> {
    Some(s.to_string())
}

#[test]
fn short_syntax_parts() {
    let ports = ports();
    let s: Vec<_> = ports.iter().map(summary).collect();
    assert_eq!(
        s[0],
        ("80".into(), Some(80), some("8080"), None, "tcp".into())
    );
    assert_eq!(
        s[1],
        (
            "81".into(),
            Some(81),
            some("8081"),
            some("127.0.0.1"),
            "tcp".into()
        )
    );
    assert_eq!(s[2], ("82".into(), Some(82), None, None, "tcp".into()));
    assert_eq!(s[3], ("83".into(), Some(83), None, None, "tcp".into()));
    assert_eq!(
        s[4],
        (
            "9000-9010".into(),
            Some(9000),
            some("8000-8010"),
            None,
            "tcp".into()
        )
    );
    assert_eq!(ports[4].container.range_end, Some(9010));
    assert_eq!(
        ports[4].published.as_ref().and_then(|p| p.range_end),
        Some(8010)
    );
    assert!(ports[4].container.covers(9005));
    assert_eq!(
        s[5],
        ("53".into(), Some(53), some("5353"), None, "udp".into())
    );
    assert_eq!(
        s[6],
        (
            "443".into(),
            Some(443),
            some("8443"),
            some("[::1]"),
            "tcp".into()
        )
    );
    assert_eq!(
        s[8],
        ("85".into(), Some(85), None, some("127.0.0.1"), "tcp".into())
    );
}

#[test]
fn container_ports_are_located_at_their_token() {
    let ports = ports();
    assert_eq!(pos(&ports[0].container.loc), (5, 15, 5, 16));
    assert_eq!(pos(&ports[1].container.loc), (6, 25, 6, 26));
    assert_eq!(pos(&ports[2].container.loc), (7, 10, 7, 11));
    assert_eq!(pos(&ports[3].container.loc), (8, 9, 8, 10));
    assert_eq!(span_text(COMPOSE, &ports[4].container.loc), "9000-9010");
    assert_eq!(
        span_text(
            COMPOSE,
            &ports[6]
                .host_ip
                .as_ref()
                .map(|h| h.loc.clone())
                .unwrap_or_else(|| panic!("ip"))
        ),
        "[::1]"
    );
    // The whole entry, quotes included.
    assert_eq!(span_text(COMPOSE, &ports[0].loc), "\"8080:80\"");
    assert_eq!(ports[0].raw, "8080:80");
}

#[test]
fn variables_keep_their_structure() {
    let ports = ports();
    let p = &ports[7];
    assert_eq!(p.container.port, None);
    assert_eq!(
        p.container.expr,
        ValueExpr::env("APP_PORT", Some("84".into()))
    );
    assert_eq!(span_text(COMPOSE, &p.container.loc), "${APP_PORT:-84}");
    assert_eq!(pos(&p.container.loc), (12, 48, 12, 62));
    assert_eq!(
        p.published.as_ref().map(|x| x.expr.clone()),
        Some(ValueExpr::env("API_PORT", Some("8084".into())))
    );
    assert_eq!(
        p.host_ip.as_ref().map(|h| h.value.as_str()),
        Some("${HOST_IP:-0.0.0.0}")
    );
    assert_eq!(p.protocol, "tcp");
    let vars: Vec<(&str, &VarOp)> = p.vars.iter().map(|v| (v.name.as_str(), &v.op)).collect();
    assert_eq!(vars.len(), 3);
    assert_eq!(vars[0].0, "HOST_IP");
    assert_eq!(
        vars[2].1,
        &VarOp::Default {
            value: "84".into(),
            or_empty: true
        }
    );
    assert_eq!(span_text(COMPOSE, &p.vars[1].loc), "${API_PORT:-8084}");
}

#[test]
fn long_syntax() {
    let ports = ports();
    let p = &ports[9];
    assert!(p.long_syntax);
    assert_eq!(p.container.port, Some(86));
    assert_eq!(pos(&p.container.loc), (14, 17, 14, 18));
    let published = p.published.as_ref().unwrap_or_else(|| panic!("published"));
    assert_eq!(
        (published.port, published.range_end),
        (Some(8086), Some(8087))
    );
    assert_eq!(p.protocol, "udp");
    assert_eq!(p.name.as_ref().map(|n| n.value.as_str()), Some("metrics"));
    assert!(p.raw.starts_with("target: 86"));

    let p = &ports[10];
    assert_eq!(p.container.expr, ValueExpr::env("GRPC_PORT", None));
    assert_eq!(p.vars[0].name, "GRPC_PORT");
    assert_eq!(span_text(COMPOSE, &p.vars[0].loc), "${GRPC_PORT}");
}

#[test]
fn unreadable_entries_are_unresolved_not_guessed() {
    let analysis = analyze("docker-compose.yml", COMPOSE);
    let api = service(compose(&analysis), "api");
    assert_eq!(api.ports.len(), 11);
    let unresolved: Vec<u32> = api.unresolved_ports.iter().map(|l| l.line).collect();
    // `published` without `target`, and a list.
    assert_eq!(unresolved, [19, 20]);
}

#[test]
fn expose_entries() {
    let analysis = analyze("docker-compose.yml", COMPOSE);
    let api = service(compose(&analysis), "api");
    let exposed: Vec<(Option<u16>, Option<u16>, &str)> = api
        .expose
        .iter()
        .map(|e| (e.port.port, e.port.range_end, e.protocol.as_str()))
        .collect();
    assert_eq!(
        exposed,
        [
            (Some(3000), None, "tcp"),
            (Some(3001), None, "tcp"),
            (Some(4000), Some(4005), "tcp"),
            (Some(5000), None, "udp"),
        ]
    );
    assert_eq!(pos(&api.expose[3].port.loc), (25, 10, 25, 13));
}
