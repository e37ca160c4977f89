//! A voting-app-like stack: a Flask front end, a Node worker, a result app,
//! redis and postgres, with `x-` anchors and merge keys.

mod common;
use common::{analyze, compose, pos, service, span_text};
use seamcheck_facts::compose::ComposeSource;
use seamcheck_facts::dockerfile::CommandForm;
use seamcheck_facts::ValueExpr;

const COMPOSE: &str = r#"name: voting

x-common-env: &common-env
  REDIS_HOST: redis
  LOG_LEVEL: info

x-restart: &restart
  restart: unless-stopped
  networks: [back]

services:
  vote:
    <<: *restart
    build:
      context: ./vote
      dockerfile: Dockerfile.prod
      target: runtime
      args:
        - PYTHON_VERSION=3.12
    image: example/vote:${TAG:-latest}
    container_name: vote-web
    command: gunicorn --bind 0.0.0.0:5000 --workers 2 app:app
    environment:
      <<: *common-env
      FLASK_RUN_PORT: "5000"
      SECRET_KEY:
    ports:
      - "${VOTE_PORT:-5000}:5000"
    healthcheck:
      test: ["CMD", "curl", "-fsS", "http://localhost:5000/healthz"]
      interval: 10s
      retries: 3
    depends_on:
      redis:
        condition: service_healthy
    user: "1000:1000"

  worker:
    <<: *restart
    build: ./worker
    entrypoint: ["node", "src/worker.js"]
    environment:
      - REDIS_HOST=redis
      - DB_URL=postgres://postgres@db/votes
      - NODE_ENV
    env_file:
      - ./worker/.env
      - path: ./worker/local.env
        required: false
    depends_on: [redis, db]
    profiles: ["jobs"]

  result:
    build:
      context: result
    ports:
      - target: 80
        published: "8081"
        host_ip: 127.0.0.1
        protocol: tcp
    expose:
      - "9229"
    healthcheck:
      test: wget -qO- http://127.0.0.1:80/ || exit 1

  redis:
    image: redis:7-alpine
    healthcheck:
      test: ["CMD-SHELL", "redis-cli ping | grep PONG"]

  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: example
    healthcheck:
      disable: true
"#;

#[test]
fn services_are_read_in_order_with_their_names_located() {
    let analysis = analyze("compose.yaml", COMPOSE);
    assert!(analysis.problems.is_empty(), "{:?}", analysis.problems);
    let facts = compose(&analysis);
    assert_eq!(facts.source, ComposeSource::ComposeFile);
    let names: Vec<&str> = facts
        .services
        .iter()
        .map(|s| s.name.value.as_str())
        .collect();
    assert_eq!(names, ["vote", "worker", "result", "redis", "db"]);
    assert_eq!(pos(&service(facts, "vote").name.loc), (12, 3, 12, 6));
    let project = facts.project_name.as_ref().map(|n| n.value.as_str());
    assert_eq!(project, Some("voting"));
}

#[test]
fn build_target_names_the_stage_that_runs() {
    let analysis = analyze("compose.yaml", COMPOSE);
    let facts = compose(&analysis);
    let vote = service(facts, "vote");
    let build = vote.build.as_ref().unwrap_or_else(|| panic!("build"));
    let context = build.context.as_ref().unwrap_or_else(|| panic!("context"));
    assert_eq!(context.value, "./vote");
    assert_eq!(pos(&context.loc), (15, 16, 15, 21));
    let target = vote.build_target().unwrap_or_else(|| panic!("target"));
    assert_eq!(target.value, "runtime");
    assert_eq!(pos(&target.loc), (17, 15, 17, 21));
    assert_eq!(
        build.dockerfile.as_ref().map(|d| d.value.as_str()),
        Some("Dockerfile.prod")
    );
    assert_eq!(build.args.len(), 1);
    assert_eq!(build.args[0].name, "PYTHON_VERSION");
    assert_eq!(build.args[0].value.as_deref(), Some("3.12"));

    let worker = service(facts, "worker");
    let build = worker.build.as_ref().unwrap_or_else(|| panic!("build"));
    assert_eq!(
        build.context.as_ref().map(|c| c.value.as_str()),
        Some("./worker")
    );
    assert!(build.target.is_none());
    // Long form without context: the context is `.`, left as None.
    let result = service(facts, "result");
    let build = result.build.as_ref().unwrap_or_else(|| panic!("build"));
    assert_eq!(
        build.context.as_ref().map(|c| c.value.as_str()),
        Some("result")
    );
}

#[test]
fn image_and_container_name() {
    let analysis = analyze("compose.yaml", COMPOSE);
    let facts = compose(&analysis);
    let vote = service(facts, "vote");
    let image = vote.image.as_ref().unwrap_or_else(|| panic!("image"));
    assert_eq!(image.value, "example/vote:${TAG:-latest}");
    assert_eq!(pos(&image.loc), (20, 12, 20, 38));
    let name = vote
        .container_name
        .as_ref()
        .unwrap_or_else(|| panic!("name"));
    assert_eq!(
        (name.value.as_str(), pos(&name.loc)),
        ("vote-web", (21, 21, 21, 28))
    );
}

#[test]
fn environment_merges_anchors_and_keeps_shell_variables_unknown() {
    let analysis = analyze("compose.yaml", COMPOSE);
    let facts = compose(&analysis);
    let vote = service(facts, "vote");
    let env: Vec<(&str, Option<&str>)> = vote
        .environment
        .iter()
        .map(|e| (e.name.as_str(), e.value.as_deref()))
        .collect();
    assert_eq!(
        env,
        [
            ("FLASK_RUN_PORT", Some("5000")),
            ("SECRET_KEY", None),
            ("REDIS_HOST", Some("redis")),
            ("LOG_LEVEL", Some("info")),
        ]
    );
    // A merged value is located where the anchor writes it.
    let redis_host = &vote.environment[2];
    assert_eq!(pos(&redis_host.loc), (4, 3, 4, 19));
    let port = &vote.environment[0];
    assert_eq!(span_text(COMPOSE, &port.loc), "FLASK_RUN_PORT: \"5000\"");

    let worker = service(facts, "worker");
    let env: Vec<(&str, Option<&str>)> = worker
        .environment
        .iter()
        .map(|e| (e.name.as_str(), e.value.as_deref()))
        .collect();
    assert_eq!(
        env,
        [
            ("REDIS_HOST", Some("redis")),
            ("DB_URL", Some("postgres://postgres@db/votes")),
            ("NODE_ENV", None),
        ]
    );
    assert_eq!(pos(&worker.environment[2].loc), (45, 9, 45, 16));
}

#[test]
fn env_files_in_both_forms() {
    let analysis = analyze("compose.yaml", COMPOSE);
    let worker = service(compose(&analysis), "worker");
    let files: Vec<(&str, bool)> = worker
        .env_files
        .iter()
        .map(|f| (f.path.value.as_str(), f.required))
        .collect();
    assert_eq!(
        files,
        [("./worker/.env", true), ("./worker/local.env", false)]
    );
    assert_eq!(pos(&worker.env_files[1].path.loc), (48, 15, 48, 32));
}

#[test]
fn command_string_is_split_into_located_words() {
    let analysis = analyze("compose.yaml", COMPOSE);
    let vote = service(compose(&analysis), "vote");
    let command = vote.command.as_ref().unwrap_or_else(|| panic!("command"));
    assert!(command.from_string);
    let words: Vec<&str> = command.argv.iter().map(|w| w.value.as_str()).collect();
    assert_eq!(
        words,
        [
            "gunicorn",
            "--bind",
            "0.0.0.0:5000",
            "--workers",
            "2",
            "app:app"
        ]
    );
    assert_eq!(pos(&command.argv[2].loc), (22, 30, 22, 41));
    assert!(vote.entrypoint.is_none());

    let worker = service(compose(&analysis), "worker");
    let entrypoint = worker
        .entrypoint
        .as_ref()
        .unwrap_or_else(|| panic!("entrypoint"));
    assert!(!entrypoint.from_string);
    assert_eq!(entrypoint.argv[1].value, "src/worker.js");
    assert_eq!(
        span_text(COMPOSE, &entrypoint.argv[1].loc),
        "\"src/worker.js\""
    );
}

#[test]
fn ports_with_a_variable_and_in_long_syntax() {
    let analysis = analyze("compose.yaml", COMPOSE);
    let facts = compose(&analysis);
    let vote = service(facts, "vote");
    let port = &vote.ports[0];
    assert_eq!(port.container.port, Some(5000));
    assert_eq!(pos(&port.container.loc), (28, 29, 28, 32));
    let published = port
        .published
        .as_ref()
        .unwrap_or_else(|| panic!("published"));
    assert_eq!(published.port, None);
    assert_eq!(
        published.expr,
        ValueExpr::env("VOTE_PORT", Some("5000".into()))
    );
    assert_eq!(span_text(COMPOSE, &published.loc), "${VOTE_PORT:-5000}");
    assert_eq!(port.vars.len(), 1);
    assert_eq!(port.vars[0].name, "VOTE_PORT");

    let result = service(facts, "result");
    let port = &result.ports[0];
    assert!(port.long_syntax);
    assert_eq!(port.container.port, Some(80));
    assert_eq!(pos(&port.container.loc), (57, 17, 57, 18));
    assert_eq!(port.published.as_ref().and_then(|p| p.port), Some(8081));
    assert_eq!(
        port.host_ip.as_ref().map(|h| h.value.as_str()),
        Some("127.0.0.1")
    );
    assert_eq!(port.protocol, "tcp");
    assert_eq!(result.expose[0].port.port, Some(9229));
    assert_eq!(pos(&result.expose[0].port.loc), (62, 10, 62, 13));
}

#[test]
fn healthchecks_in_every_form() {
    let analysis = analyze("compose.yaml", COMPOSE);
    let facts = compose(&analysis);

    let vote = service(facts, "vote");
    let check = vote.healthcheck.as_ref().unwrap_or_else(|| panic!("check"));
    let test = check.test.as_ref().unwrap_or_else(|| panic!("test"));
    let command = test.command.as_ref().unwrap_or_else(|| panic!("command"));
    assert_eq!(command.form, CommandForm::Exec);
    assert_eq!(command.argv[0].value, "curl");
    assert_eq!(test.tool.as_deref(), Some("curl"));
    assert_eq!(test.host.as_deref(), Some("localhost"));
    let port = test.port.as_ref().unwrap_or_else(|| panic!("port"));
    assert_eq!((port.value, pos(&port.loc)), (5000, (30, 55, 30, 58)));
    let path = test.path.as_ref().unwrap_or_else(|| panic!("path"));
    assert_eq!(
        (path.value.as_str(), pos(&path.loc)),
        ("/healthz", (30, 59, 30, 66))
    );
    assert_eq!(
        check.interval.as_ref().map(|i| i.value.as_str()),
        Some("10s")
    );
    assert!(!check.disabled);

    let result = service(facts, "result");
    let test = result
        .healthcheck
        .as_ref()
        .and_then(|c| c.test.as_ref())
        .unwrap_or_else(|| panic!("test"));
    assert_eq!(
        test.command.as_ref().map(|c| c.form),
        Some(CommandForm::Shell)
    );
    assert_eq!(test.tool.as_deref(), Some("wget"));
    assert_eq!(
        test.port.as_ref().map(|p| pos(&p.loc)),
        Some((64, 40, 64, 41))
    );

    let redis = service(facts, "redis");
    let test = redis
        .healthcheck
        .as_ref()
        .and_then(|c| c.test.as_ref())
        .unwrap_or_else(|| panic!("test"));
    assert_eq!(test.tool.as_deref(), Some("redis-cli"));
    assert!(test.port.is_none());

    let db = service(facts, "db");
    let check = db.healthcheck.as_ref().unwrap_or_else(|| panic!("check"));
    assert!(check.disabled);
    assert!(check.test.as_ref().is_some_and(|t| t.command.is_none()));
}

#[test]
fn user_profiles_and_depends_on() {
    let analysis = analyze("compose.yaml", COMPOSE);
    let facts = compose(&analysis);
    let vote = service(facts, "vote");
    let user = vote.user.as_ref().unwrap_or_else(|| panic!("user"));
    assert_eq!(user.value.uid, Some(1000));
    assert_eq!(user.value.group.as_deref(), Some("1000"));
    assert!(!user.value.is_root());
    assert_eq!(pos(&user.loc), (36, 11, 36, 21));
    let deps: Vec<&str> = vote.depends_on.iter().map(|d| d.value.as_str()).collect();
    assert_eq!(deps, ["redis"]);

    let worker = service(facts, "worker");
    let deps: Vec<&str> = worker.depends_on.iter().map(|d| d.value.as_str()).collect();
    assert_eq!(deps, ["redis", "db"]);
    assert_eq!(worker.profiles[0].value, "jobs");
}

#[test]
fn every_interpolated_variable_is_listed_once() {
    let analysis = analyze("compose.yaml", COMPOSE);
    let facts = compose(&analysis);
    let names: Vec<&str> = facts.variables.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["TAG", "VOTE_PORT"]);
    assert_eq!(pos(&facts.variables[0].loc), (20, 25, 20, 38));
}
