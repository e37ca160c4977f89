//! Every `healthcheck:` form, and who expands a variable in its port.

mod common;
use common::{analyze, compose, pos, service, span_text};
use seamcheck_facts::compose::{ComposeHealthcheck, VarScope};
use seamcheck_facts::dockerfile::CommandForm;
use seamcheck_facts::ValueExpr;

const COMPOSE: &str = r#"services:
  exec:
    image: example/api
    healthcheck:
      test: ["CMD", "wget", "-qO-", "http://localhost:8000/ready"]
  shell:
    image: example/api
    healthcheck:
      test: ["CMD-SHELL", "curl -f http://localhost:$${PORT:-3000}/health || exit 1"]
  string:
    image: example/api
    healthcheck:
      test: curl --fail http://127.0.0.1:${APP_PORT}/live
  grpc:
    image: example/grpc
    healthcheck:
      test: ["CMD", "/bin/grpc_health_probe", "-addr=:50051"]
  none:
    image: example/api
    healthcheck:
      test: ["NONE"]
  timing_only:
    image: example/api
    healthcheck:
      interval: 30s
      timeout: 5s
      start_period: 20s
  python:
    image: python:3.12-slim
    healthcheck:
      test:
        - CMD
        - python
        - -c
        - "import urllib.request; urllib.request.urlopen('http://localhost:8080/ping')"
  bad:
    image: example/api
    healthcheck:
      test: ["RUN", "true"]
"#;

fn check<'a>(
    facts: &'a seamcheck_facts::compose::ComposeFacts,
    name: &str,
) -> &'a ComposeHealthcheck {
    service(facts, name)
        .healthcheck
        .as_ref()
        .unwrap_or_else(|| panic!("no healthcheck for {name}"))
}

#[test]
fn exec_form() {
    let analysis = analyze("compose.yml", COMPOSE);
    let facts = compose(&analysis);
    let c = check(facts, "exec");
    let test = c.test.as_ref().unwrap_or_else(|| panic!("test"));
    assert_eq!(
        test.command.as_ref().map(|c| c.form),
        Some(CommandForm::Exec)
    );
    assert_eq!(test.tool.as_deref(), Some("wget"));
    let port = test.port.as_ref().unwrap_or_else(|| panic!("port"));
    assert_eq!((port.value, pos(&port.loc)), (8000, (5, 55, 5, 58)));
    assert_eq!(test.path.as_ref().map(|p| p.value.as_str()), Some("/ready"));
    assert_eq!(c.port_var_scope, None);
    assert_eq!(
        span_text(COMPOSE, &c.loc).lines().next(),
        Some("healthcheck:")
    );
}

#[test]
fn shell_form_with_an_escaped_variable_reads_the_container_env() {
    let analysis = analyze("compose.yml", COMPOSE);
    let facts = compose(&analysis);
    let c = check(facts, "shell");
    let test = c.test.as_ref().unwrap_or_else(|| panic!("test"));
    let command = test.command.as_ref().unwrap_or_else(|| panic!("command"));
    assert_eq!(command.form, CommandForm::Shell);
    let words: Vec<&str> = command.argv.iter().map(|w| w.value.as_str()).collect();
    assert_eq!(
        words,
        [
            "curl",
            "-f",
            "http://localhost:$${PORT:-3000}/health",
            "||",
            "exit",
            "1"
        ]
    );
    assert_eq!(test.tool.as_deref(), Some("curl"));
    assert!(test.port.is_none());
    let expr = test.port_expr.as_ref().unwrap_or_else(|| panic!("expr"));
    assert_eq!(expr.value, ValueExpr::env("PORT", Some("3000".into())));
    assert_eq!(span_text(COMPOSE, &expr.loc), "$${PORT:-3000}");
    assert_eq!(c.port_var_scope, Some(VarScope::Container));
}

#[test]
fn string_form_is_a_shell_check_with_a_compose_variable() {
    let analysis = analyze("compose.yml", COMPOSE);
    let facts = compose(&analysis);
    let c = check(facts, "string");
    let test = c.test.as_ref().unwrap_or_else(|| panic!("test"));
    assert_eq!(
        test.command.as_ref().map(|c| c.form),
        Some(CommandForm::Shell)
    );
    assert_eq!(test.host.as_deref(), Some("127.0.0.1"));
    let expr = test.port_expr.as_ref().unwrap_or_else(|| panic!("expr"));
    assert_eq!(expr.value, ValueExpr::env("APP_PORT", None));
    assert_eq!(pos(&expr.loc), (13, 42, 13, 52));
    assert_eq!(c.port_var_scope, Some(VarScope::Compose));
    assert_eq!(test.path.as_ref().map(|p| p.value.as_str()), Some("/live"));
}

#[test]
fn grpc_probe_address() {
    let analysis = analyze("compose.yml", COMPOSE);
    let c = check(compose(&analysis), "grpc");
    let test = c.test.as_ref().unwrap_or_else(|| panic!("test"));
    assert_eq!(test.tool.as_deref(), Some("grpc_health_probe"));
    assert_eq!(test.host.as_deref(), Some("0.0.0.0"));
    let port = test.port.as_ref().unwrap_or_else(|| panic!("port"));
    assert_eq!((port.value, pos(&port.loc)), (50051, (17, 55, 17, 59)));
}

#[test]
fn none_and_timing_only() {
    let analysis = analyze("compose.yml", COMPOSE);
    let facts = compose(&analysis);
    let none = check(facts, "none");
    assert!(none.disabled);
    assert!(none
        .test
        .as_ref()
        .is_some_and(|t| t.command.is_none() && t.tool.is_none()));
    let timing = check(facts, "timing_only");
    assert!(!timing.disabled);
    assert!(timing.test.is_none(), "the image's own test still runs");
    assert_eq!(
        timing.start_period.as_ref().map(|s| s.value.as_str()),
        Some("20s")
    );
    assert_eq!(
        timing.timeout.as_ref().map(|s| pos(&s.loc)),
        Some((26, 16, 26, 17))
    );
}

#[test]
fn block_list_and_inline_script() {
    let analysis = analyze("compose.yml", COMPOSE);
    let c = check(compose(&analysis), "python");
    let test = c.test.as_ref().unwrap_or_else(|| panic!("test"));
    assert_eq!(test.tool.as_deref(), Some("python"));
    let port = test.port.as_ref().unwrap_or_else(|| panic!("port"));
    assert_eq!(port.value, 8080);
    assert_eq!(span_text(COMPOSE, &port.loc), "8080");
    assert_eq!(port.loc.line, 35);
}

#[test]
fn an_unknown_test_form_is_a_problem_and_the_rest_is_kept() {
    let analysis = analyze("compose.yml", COMPOSE);
    assert_eq!(analysis.problems.len(), 1);
    let problem = &analysis.problems[0];
    assert!(problem.message.contains("`CMD`"), "{}", problem.message);
    assert_eq!(pos(&problem.loc), (39, 14, 39, 18));
    let bad = check(compose(&analysis), "bad");
    assert!(bad.test.is_none());
    assert_eq!(compose(&analysis).services.len(), 8);
}
