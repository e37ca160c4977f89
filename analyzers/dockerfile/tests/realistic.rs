//! Realistic Dockerfiles of common stacks, facts asserted with locations.

mod common;
use common::*;
use seamcheck_facts::dockerfile::CommandForm;

const FLASK: &str = r#"# syntax=docker/dockerfile:1
FROM python:3.12-slim

ENV PYTHONUNBUFFERED=1 \
    PORT=8080
WORKDIR /srv
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN apt-get update && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
EXPOSE 80
USER nobody
HEALTHCHECK --interval=10s CMD curl -fsS http://localhost:8080/healthz || exit 1
CMD ["gunicorn", "--bind", "0.0.0.0:8080", "app:app"]
"#;

#[test]
fn flask_gunicorn_image() {
    let f = facts(FLASK);
    assert!(f.global_args.is_empty());
    assert_eq!(f.stages.len(), 1);
    let s = last_stage(&f);
    assert_eq!(s.from.value.repository, "python");
    assert_eq!(s.from.value.tag.as_deref(), Some("3.12-slim"));
    assert_eq!(pos(&s.from.loc), (2, 6, 2, 21));

    let env: Vec<(&str, Option<&str>)> = s
        .env
        .iter()
        .map(|e| (e.name.as_str(), e.value.as_deref()))
        .collect();
    assert_eq!(
        env,
        vec![("PYTHONUNBUFFERED", Some("1")), ("PORT", Some("8080"))]
    );
    assert_eq!(pos(&s.env[1].loc), (5, 5, 5, 13));
    assert_eq!(covered(FLASK, &s.env[1].loc), "PORT=8080");

    assert_eq!(s.workdir.as_ref().map(|w| w.value.as_str()), Some("/srv"));

    assert_eq!(s.copies.len(), 2);
    assert!(!s.copies[0].whole_context);
    assert!(s.copies[1].whole_context);
    assert_eq!(s.copies[1].loc.line, 9);

    assert_eq!(s.runs.len(), 2);
    assert!(s.runs[0].installs_dependencies);
    assert_eq!(s.runs[0].loc.line, 8);
    assert!(!s.runs[1].installs_dependencies);
    assert_eq!(s.runs[1].system_packages, vec!["curl"]);
    assert_eq!((s.runs[1].loc.line, s.runs[1].loc.end_line), (10, 11));

    assert_eq!(s.expose.len(), 1);
    assert_eq!(s.expose[0].port, Some(80));
    assert_eq!(s.expose[0].protocol, "tcp");
    assert_eq!(pos(&s.expose[0].loc), (12, 8, 12, 9));

    let user = s.user().expect("user");
    assert_eq!(user.value.user, "nobody");
    assert_eq!(user.value.uid, None);
    assert_eq!(pos(&user.loc), (13, 6, 13, 11));

    let hc = s.healthcheck.as_ref().expect("healthcheck");
    assert_eq!(hc.tool.as_deref(), Some("curl"));
    assert_eq!(hc.host.as_deref(), Some("localhost"));
    let port = hc.port.as_ref().expect("port");
    assert_eq!(port.value, 8080);
    assert_eq!(covered(FLASK, &port.loc), "8080");
    assert_eq!(pos(&port.loc), (14, 59, 14, 62));
    let path = hc.path.as_ref().expect("path");
    assert_eq!(path.value, "/healthz");
    assert_eq!(pos(&path.loc), (14, 63, 14, 70));
    assert_eq!(
        hc.command.as_ref().map(|c| c.form),
        Some(CommandForm::Shell)
    );

    let cmd = s.cmd.as_ref().expect("cmd");
    assert_eq!(cmd.form, CommandForm::Exec);
    assert_eq!(
        values(&cmd.argv),
        vec!["gunicorn", "--bind", "0.0.0.0:8080", "app:app"]
    );
    assert_eq!(pos(&cmd.argv[2].loc), (15, 29, 15, 40));
    assert!(s.entrypoint.is_none());

    let keywords = values(&s.instructions);
    assert_eq!(
        keywords,
        vec![
            "FROM",
            "ENV",
            "WORKDIR",
            "COPY",
            "RUN",
            "COPY",
            "RUN",
            "EXPOSE",
            "USER",
            "HEALTHCHECK",
            "CMD"
        ]
    );
}

const FASTAPI: &str = r#"ARG PYTHON_VERSION=3.11
FROM python:${PYTHON_VERSION} AS builder
WORKDIR /build
COPY pyproject.toml poetry.lock ./
RUN pip install poetry && poetry install --no-root
COPY app ./app

FROM python:${PYTHON_VERSION}-slim AS runtime
ARG PYTHON_VERSION
ARG APP_PORT=8000
ENV PORT=${APP_PORT}
WORKDIR /app
COPY --from=builder /build /app
EXPOSE ${PORT}
USER 10001
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD uvicorn app.main:app --host 0.0.0.0 --port ${PORT}
"#;

#[test]
fn fastapi_multi_stage() {
    let f = facts(FASTAPI);
    assert_eq!(f.global_args.len(), 1);
    assert_eq!(f.global_args[0].value.as_deref(), Some("3.11"));
    assert_eq!(f.stages.len(), 2);
    let builder = &f.stages[0];
    assert_eq!(builder.name.as_deref(), Some("builder"));
    assert_eq!(builder.from.value.raw, "python:3.11");
    assert!(builder.runs[0].installs_dependencies);
    assert_eq!(
        builder.copies[0].sources,
        vec!["pyproject.toml", "poetry.lock"]
    );
    assert_eq!(builder.copies[0].dest, "./");

    let rt = last_stage(&f);
    assert_eq!(rt.index, 1);
    assert_eq!(rt.name.as_deref(), Some("runtime"));
    assert_eq!(rt.from.value.tag.as_deref(), Some("3.11-slim"));
    assert!(!rt.from.value.is_stage);
    // `ARG PYTHON_VERSION` re-declared without default takes the global value.
    assert_eq!(rt.args[0].value.as_deref(), Some("3.11"));
    assert_eq!(rt.env[0].value.as_deref(), Some("8000"));
    assert_eq!(rt.expose[0].port, Some(8000));
    assert_eq!(rt.expose[0].raw, "${PORT}");
    assert_eq!(pos(&rt.expose[0].loc), (14, 8, 14, 14));
    let copy = &rt.copies[0];
    assert_eq!(copy.from.as_deref(), Some("builder"));
    assert!(!copy.whole_context);
    assert_eq!(rt.user().map(|u| u.value.uid), Some(Some(10001)));

    let ep = rt.entrypoint.as_ref().expect("entrypoint");
    assert_eq!(values(&ep.argv), vec!["/usr/bin/tini", "--"]);
    let cmd = rt.cmd.as_ref().expect("cmd");
    assert_eq!(cmd.form, CommandForm::Shell);
    assert_eq!(
        values(&cmd.argv),
        vec![
            "uvicorn",
            "app.main:app",
            "--host",
            "0.0.0.0",
            "--port",
            "${PORT}"
        ]
    );
    assert_eq!(pos(&cmd.argv[5].loc), (17, 48, 17, 54));
    assert_eq!(f.stage_named("BUILDER").map(|s| s.index), Some(0));
}

const NODE: &str = r#"FROM node:20-alpine AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev

FROM deps AS app
COPY . .
ENV NODE_ENV=production PORT=3000
EXPOSE 3000
USER node
CMD ["node", "server.js"]
"#;

#[test]
fn node_stage_built_from_a_stage() {
    let f = facts(NODE);
    let app = last_stage(&f);
    assert!(app.from.value.is_stage);
    assert_eq!(app.from.value.repository, "deps");
    assert!(f.stages[0].runs[0].installs_dependencies);
    assert!(app.copies[0].whole_context);
    assert_eq!(app.env.len(), 2);
    assert_eq!(covered(NODE, &app.env[1].loc), "PORT=3000");
    assert_eq!(app.user().map(|u| u.value.user.as_str()), Some("node"));
}

const GO: &str = r#"FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/server ./cmd/server

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/server /server
EXPOSE 8080/tcp 9090
USER nonroot:nonroot
ENTRYPOINT ["/server"]
"#;

#[test]
fn go_distroless() {
    let f = facts(GO);
    let build = &f.stages[0];
    assert!(build.runs.iter().all(|r| r.installs_dependencies));
    let run = last_stage(&f);
    assert_eq!(
        run.from.value.repository,
        "gcr.io/distroless/static-debian12"
    );
    assert_eq!(run.from.value.tag.as_deref(), Some("nonroot"));
    let ports: Vec<Option<u16>> = run.expose.iter().map(|p| p.port).collect();
    assert_eq!(ports, vec![Some(8080), Some(9090)]);
    assert_eq!(run.expose[0].raw, "8080/tcp");
    let user = run.user().expect("user");
    assert_eq!(
        (user.value.user.as_str(), user.value.group.as_deref()),
        ("nonroot", Some("nonroot"))
    );
    assert!(run.cmd.is_none());
    assert_eq!(run.entrypoint.as_ref().map(|e| e.argv.len()), Some(1));
}

#[test]
fn start_command_interpreted_with_file_locations() {
    use seamcheck_facts::ValueExpr;
    use seamcheck_launch::{interpret, ServerKind};
    let text = "FROM python:3.12-slim\nENV PORT=8080\nCMD [\"/bin/sh\", \"-c\", \"exec gunicorn -b 0.0.0.0:${PORT} app:app\"]\n";
    let f = facts(text);
    let s = last_stage(&f);
    let env = |name: &str| {
        s.env
            .iter()
            .rev()
            .find(|e| e.name == name)
            .and_then(|e| e.value.clone())
    };
    let launch = interpret(&s.cmd.as_ref().expect("cmd").argv, &env).expect("launch");
    assert_eq!(launch.server, ServerKind::Gunicorn);
    let port = launch.port.expect("port");
    assert_eq!(port.value, ValueExpr::env("PORT", None));
    let loc = port.loc.expect("port location");
    assert_eq!(covered(text, &loc), "${PORT}");
    assert_eq!(pos(&loc), (3, 49, 3, 55));
    let app = launch.app_target.expect("app");
    assert_eq!(covered(text, &app.loc), "app:app");

    // Shell form: the words are located directly.
    let text =
        "FROM python:3.12-slim\nCMD flask --app web run \\\n    --host=0.0.0.0 --port 5000\n";
    let f = facts(text);
    let cmd = last_stage(&f).cmd.clone().expect("cmd");
    let launch = interpret(&cmd.argv, &|_| None).expect("launch");
    assert_eq!(launch.server, ServerKind::FlaskRun);
    let host = launch.host.and_then(|h| h.loc).expect("host location");
    assert_eq!(pos(&host), (3, 12, 3, 18));
    assert_eq!(launch.app_target.map(|a| a.value).as_deref(), Some("web"));
}
