//! Spring Boot / Quarkus / Micronaut configuration files: where the server
//! listens, profiles, the management port and the actuator health routes.

mod common;
use common::{analyze, facts, pos, text_at};
use seamcheck_facts::source::EnvFormat;
use seamcheck_facts::{Facts, ValueExpr};

fn env(var: &str, default: Option<&str>) -> ValueExpr {
    ValueExpr::env(var, default.map(str::to_string))
}

#[test]
fn properties_port_reads_server_port_first() {
    let text = "spring.application.name=orders\n# server.port=1234\nserver.port = 9090\n";
    let f = facts("orders/src/main/resources/application.properties", text);
    assert_eq!(f.language, "jvm-config");
    assert_eq!(f.listens.len(), 1);
    let l = &f.listens[0];
    let port = l.port.as_ref().unwrap_or_else(|| panic!("port"));
    assert_eq!(port.value, env("SERVER_PORT", Some("9090")));
    assert_eq!(text_at(text, &port.loc), "9090");
    assert_eq!(pos(&port.loc), (3, 15, 3, 18));
    assert_eq!(text_at(text, &l.loc), "server.port = 9090");
    assert_eq!(
        (l.call.as_str(), l.framework.as_str()),
        ("server.port", "spring-boot")
    );
    assert!(l.host.is_none());
    assert_eq!((l.default_port, l.default_host.as_str()), (8080, "0.0.0.0"));
    let scope = &f.listen_scopes[0];
    assert!(!scope.implicit && !scope.management && scope.profile.is_none());
    assert!(scope.env_overrides.is_empty());
}

#[test]
fn placeholders_read_their_variable_and_server_port_overrides() {
    let text = "server.port=${PORT:8080}\nserver.address=${BIND_HOST:0.0.0.0}\n";
    let f = facts("src/main/resources/application.properties", text);
    let l = &f.listens[0];
    assert_eq!(
        l.port.as_ref().map(|p| p.value.clone()),
        Some(env("PORT", Some("8080")))
    );
    assert_eq!(
        l.host.as_ref().map(|p| p.value.clone()),
        Some(env("BIND_HOST", Some("0.0.0.0")))
    );
    let overrides = &f.listen_scopes[0].env_overrides;
    assert_eq!(overrides.len(), 1);
    assert_eq!(
        (overrides[0].var.as_str(), overrides[0].format),
        ("SERVER_PORT", EnvFormat::Port)
    );
}

const YAML: &str = r#"spring:
  application:
    name: billing
server:
  port: 8081
  address: 127.0.0.1
management:
  server:
    port: 9001
  endpoints:
    web:
      exposure:
        include: health,info
---
spring:
  config:
    activate:
      on-profile: prod
server:
  port: "${PORT:8080}"
"#;

#[test]
fn yaml_documents_profiles_and_management() {
    let f = facts("billing/src/main/resources/application.yml", YAML);
    let summary: Vec<(Option<ValueExpr>, Option<String>, bool)> = f
        .listens
        .iter()
        .zip(&f.listen_scopes)
        .map(|(l, s)| {
            (
                l.port.as_ref().map(|p| p.value.clone()),
                s.profile.clone(),
                s.management,
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (Some(env("SERVER_PORT", Some("8081"))), None, false),
            (
                Some(env("PORT", Some("8080"))),
                Some("prod".to_string()),
                false
            ),
            (
                Some(env("MANAGEMENT_SERVER_PORT", Some("9001"))),
                None,
                true
            ),
        ]
    );
    assert!(f
        .listen_scopes
        .iter()
        .enumerate()
        .all(|(i, s)| s.listen == i));
    let main = &f.listens[0];
    assert_eq!(
        pos(&main.port.as_ref().unwrap_or_else(|| panic!("p")).loc),
        (5, 9, 5, 12)
    );
    let host = main.host.as_ref().unwrap_or_else(|| panic!("host"));
    assert_eq!(host.value, env("SERVER_ADDRESS", Some("127.0.0.1")));
    assert_eq!(pos(&host.loc), (6, 12, 6, 20));
    let prod_port = f.listens[1].port.as_ref().unwrap_or_else(|| panic!("p"));
    assert_eq!(text_at(YAML, &prod_port.loc), "\"${PORT:8080}\"");
    assert_eq!(pos(&prod_port.loc), (20, 9, 20, 22));
    // Actuator health routes, served on the management port.
    let paths: Vec<&str> = f.routes.iter().map(|r| r.path.value.as_str()).collect();
    assert_eq!(
        paths,
        vec![
            "/actuator/health",
            "/actuator/health/liveness",
            "/actuator/health/readiness"
        ]
    );
    assert!(f
        .routes
        .iter()
        .all(|r| r.returns.is_empty() && r.methods == vec!["GET"]));
    assert_eq!(f.route_ports.len(), 3);
    assert!(f.route_ports.iter().all(|rp| rp.listen == 2));
}

#[test]
fn profile_files_base_paths_and_context_paths() {
    let text = "server.port=7000\nmanagement.endpoints.web.base-path=/manage\nserver.servlet.context-path=/orders\n";
    let f = facts("src/main/resources/application-Staging.properties", text);
    assert_eq!(f.listen_scopes[0].profile.as_deref(), Some("Staging"));
    let paths: Vec<&str> = f.routes.iter().map(|r| r.path.value.as_str()).collect();
    assert_eq!(
        paths,
        vec![
            "/manage/health",
            "/manage/health/liveness",
            "/manage/health/readiness"
        ]
    );
    assert!(f.route_ports.is_empty());
    assert_eq!(text_at(text, &f.routes[0].path.loc), "/manage");
    // Context path only from profile-less settings; this file is a profile.
    assert!(f.apps.is_empty());
    let f = facts(
        "src/main/resources/application.properties",
        "server.servlet.context-path=/orders\n",
    );
    let app = f.apps.first().unwrap_or_else(|| panic!("context path"));
    assert_eq!(
        app.prefix.as_ref().map(|p| p.value.as_str()),
        Some("/orders")
    );
    assert!(f.listens.is_empty());
}

#[test]
fn management_port_minus_one_disables_actuator_over_http() {
    let f = facts(
        "src/main/resources/application.properties",
        "server.port=8080\nmanagement.server.port=-1\n",
    );
    assert_eq!(f.listens.len(), 1);
    assert!(f.routes.is_empty());
}

#[test]
fn quarkus_and_micronaut_keys() {
    let text = "quarkus.http.port=8180\n%dev.quarkus.http.port=9999\n%prod.quarkus.http.host=0.0.0.0\n%staging.quarkus.http.port=7000\n";
    let f = facts("src/main/resources/application.properties", text);
    let summary: Vec<(String, Option<ValueExpr>, Option<String>)> = f
        .listens
        .iter()
        .zip(&f.listen_scopes)
        .map(|(l, s)| {
            (
                l.framework.to_string(),
                l.port.as_ref().map(|p| p.value.clone()),
                s.profile.clone(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            // `%prod.` is the packaged app's profile: it joins the defaults.
            (
                "quarkus".to_string(),
                Some(env("QUARKUS_HTTP_PORT", Some("8180"))),
                None
            ),
            (
                "quarkus".to_string(),
                Some(env("QUARKUS_HTTP_PORT", Some("7000"))),
                Some("staging".to_string())
            ),
        ]
    );
    assert_eq!(
        f.listens[0].host.as_ref().map(|h| h.value.clone()),
        Some(env("QUARKUS_HTTP_HOST", Some("0.0.0.0")))
    );
    let f = facts(
        "src/main/resources/application.yml",
        "micronaut:\n  server:\n    port: 8083\n",
    );
    assert_eq!(f.listens[0].framework, "micronaut");
    assert_eq!(
        f.listens[0].port.as_ref().map(|p| p.value.clone()),
        Some(env("MICRONAUT_SERVER_PORT", Some("8083")))
    );
}

#[test]
fn negatives_and_other_names() {
    // Test resources never run in the image.
    let a = analyze(
        "svc/src/test/resources/application.properties",
        "server.port=1\n",
    );
    assert!(matches!(a.facts, Facts::Empty));
    // Nothing about the server: no facts.
    let a = analyze(
        "src/main/resources/application.properties",
        "spring.application.name=x\n# server.port=9090\nlogging.level.root=INFO\n",
    );
    assert!(matches!(a.facts, Facts::Empty));
    // Files that are not Spring configuration.
    assert!(seamcheck_source::analyzer_for("src/main/resources/bootstrap.yml").is_none());
    assert!(seamcheck_source::analyzer_for("x/applications.yml").is_none());
    assert!(seamcheck_source::analyzer_for("x/Application.YML").is_some());
}

#[test]
fn bad_input() {
    let a = analyze(
        "src/main/resources/application.yml",
        "server:\n  port: 8080\nbad: [\n",
    );
    assert_eq!(a.problems.len(), 1);
    assert!(a.problems[0].message.starts_with("yaml syntax error"));
    match a.facts {
        Facts::Source(f) => assert_eq!(f.listens.len(), 1),
        other => panic!("{other:?}"),
    }
    let deep = "a: ".to_string() + &"[".repeat(100_000);
    let a = analyze("src/main/resources/application.yml", &deep);
    assert!(!a.problems.is_empty());
    let deep_props = "a=".to_string() + &"\\\n".repeat(100_000);
    let _ = analyze("src/main/resources/application.properties", &deep_props);
    let a = seamcheck_source::analyze(
        "src/main/resources/application.properties",
        b"server.port=\xff\n",
    );
    assert!(!a.problems.is_empty());
    let a = seamcheck_source::analyze("src/main/resources/application.yml", b"a\0b");
    assert!(!a.problems.is_empty());
}
