//! Dockerfile syntax: heredocs, escape directive, lowercase, continuations,
//! comments, ENV forms, EXPOSE forms, USER forms.

mod common;
use common::*;
use seamcheck_facts::dockerfile::CommandForm;

#[test]
fn heredocs_do_not_leak_into_instructions() {
    let text = "FROM python:3.12-slim\n\
RUN <<EOF\n\
set -e\n\
pip install -r requirements.txt\n\
apt-get install -y wget\n\
EOF\n\
COPY <<-CONF /etc/app.conf\n\
\tlisten 8080\n\
\tCONF\n\
RUN cat <<'PY' > /app/health.py && chmod +x /app/health.py\n\
FROM scratch\n\
PY\n\
EXPOSE 8080\n";
    let f = facts(text);
    assert_eq!(f.stages.len(), 1, "heredoc body must not start a stage");
    let s = last_stage(&f);
    assert_eq!(
        values(&s.instructions),
        vec!["FROM", "RUN", "COPY", "RUN", "EXPOSE"]
    );
    assert!(s.runs[0].installs_dependencies);
    assert_eq!(s.runs[0].system_packages, vec!["wget"]);
    assert!(s.runs[0].text.contains("pip install -r requirements.txt"));
    assert_eq!((s.runs[0].loc.line, s.runs[0].loc.end_line), (2, 6));
    assert_eq!(s.copies[0].dest, "/etc/app.conf");
    assert!(s.copies[0].sources.is_empty());
    assert_eq!((s.runs[1].loc.line, s.runs[1].loc.end_line), (10, 12));
    assert_eq!(s.expose[0].loc.line, 13);
}

#[test]
fn escape_directive_with_backtick() {
    let text = "# escape=`\n\
FROM mcr.microsoft.com/windows/servercore:ltsc2022\n\
WORKDIR C:\\app\n\
ENV PORT=5000 `\n    MODE=prod\n\
EXPOSE $PORT\n\
CMD dotnet app.dll `\n    --urls http://+:5000\n";
    let f = facts(text);
    let s = last_stage(&f);
    assert_eq!(
        s.workdir.as_ref().map(|w| w.value.as_str()),
        Some("C:\\app")
    );
    assert_eq!(s.env.len(), 2);
    assert_eq!(s.env[1].value.as_deref(), Some("prod"));
    assert_eq!(s.expose[0].port, Some(5000));
    let cmd = s.cmd.as_ref().expect("cmd");
    assert_eq!(
        values(&cmd.argv),
        vec!["dotnet", "app.dll", "--urls", "http://+:5000"]
    );
    assert_eq!(pos(&cmd.argv[3].loc), (8, 12, 8, 24));
}

#[test]
fn lowercase_and_mixed_case_instructions() {
    let text = "from alpine:3.20\nexpose 8080\nUser app\nenv A=1\ncmd [\"sh\"]\nHealthCheck NONE\n";
    let f = facts(text);
    let s = last_stage(&f);
    assert_eq!(
        values(&s.instructions),
        vec!["FROM", "EXPOSE", "USER", "ENV", "CMD", "HEALTHCHECK"]
    );
    assert_eq!(s.expose[0].port, Some(8080));
    assert_eq!(s.user().map(|u| u.value.user.as_str()), Some("app"));
    let hc = s.healthcheck.as_ref().expect("healthcheck");
    assert!(hc.command.is_none());
    assert!(hc.tool.is_none());
    assert_eq!(hc.loc.line, 6);
}

#[test]
fn continuations_with_comments_inside() {
    let text = "FROM debian:12\n\
RUN apt-get update \\\n\
    # the tools the healthcheck needs\n\
    && apt-get install -y \\\n\
\n\
       curl=7.88.1-10 \\\n\
       netcat-openbsd\n\
# a comment between instructions\n\
    EXPOSE 80 \\\n  443\n";
    let f = facts(text);
    let s = last_stage(&f);
    assert_eq!(s.runs[0].system_packages, vec!["curl", "netcat-openbsd"]);
    assert_eq!((s.runs[0].loc.line, s.runs[0].loc.end_line), (2, 7));
    let ports: Vec<(Option<u16>, u32, u32)> = s
        .expose
        .iter()
        .map(|p| (p.port, p.loc.line, p.loc.column))
        .collect();
    assert_eq!(ports, vec![(Some(80), 9, 8), (Some(443), 10, 3)]);
}

#[test]
fn env_forms_and_order_of_expansion() {
    let text = "FROM alpine\n\
ENV LEGACY some value here\n\
ENV A=1 B=\"two words\" C='$A'\n\
ENV A=2 D=$A\n\
ARG BUILD=dev\n\
ENV BUILD=prod\n\
ARG BUILD=ignored\n\
ENV E=$BUILD F=${MISSING}\n";
    let f = facts(text);
    let s = last_stage(&f);
    let env: Vec<(&str, Option<&str>)> = s
        .env
        .iter()
        .map(|e| (e.name.as_str(), e.value.as_deref()))
        .collect();
    assert_eq!(
        env,
        vec![
            ("LEGACY", Some("some value here")),
            ("A", Some("1")),
            ("B", Some("two words")),
            ("C", Some("$A")),
            ("A", Some("2")),
            // Every value of one ENV is expanded before any is set.
            ("D", Some("1")),
            ("BUILD", Some("prod")),
            // ENV wins over a later ARG of the same name.
            ("E", Some("prod")),
            // Unknown stays unknown.
            ("F", None),
        ]
    );
    assert_eq!(covered(text, &s.env[2].loc), "B=\"two words\"");
    assert_eq!(pos(&s.env[0].loc), (2, 5, 2, 26));
    assert_eq!(s.args.len(), 2);
    assert_eq!(pos(&s.args[0].loc), (5, 5, 5, 13));
}

#[test]
fn expose_forms() {
    let text = "FROM alpine\n\
ARG HTTP=8080\n\
EXPOSE 8080/tcp 53/udp 8000-8010 $HTTP ${ADMIN:-9000} ${NOPE} $UNSET/udp\n\
EXPOSE 99999\n";
    let a = analyze(text);
    let f = facts_of(&a);
    let s = last_stage(f);
    type Port = (String, Option<u16>, Option<u16>, String, Vec<String>);
    let got: Vec<Port> = s
        .expose
        .iter()
        .map(|p| {
            (
                p.raw.clone(),
                p.port,
                p.range_end,
                p.protocol.clone(),
                p.unresolved_vars.clone(),
            )
        })
        .collect();
    let e = |r: &str, p: Option<u16>, end: Option<u16>, proto: &str, u: &[&str]| {
        (
            r.to_string(),
            p,
            end,
            proto.to_string(),
            u.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        )
    };
    assert_eq!(
        got,
        vec![
            e("8080/tcp", Some(8080), None, "tcp", &[]),
            e("53/udp", Some(53), None, "udp", &[]),
            e("8000-8010", Some(8000), Some(8010), "tcp", &[]),
            e("$HTTP", Some(8080), None, "tcp", &[]),
            e("${ADMIN:-9000}", Some(9000), None, "tcp", &[]),
            e("${NOPE}", None, None, "tcp", &["NOPE"]),
            e("$UNSET/udp", None, None, "udp", &["UNSET"]),
            e("99999", None, None, "tcp", &[]),
        ]
    );
    assert!(s.expose[2].covers(8005));
    assert_eq!(pos(&s.expose[5].loc), (3, 55, 3, 61));
    assert_eq!(a.problems.len(), 1);
    assert_eq!(a.problems[0].message, "invalid port `99999` in EXPOSE");
    assert_eq!(pos(&a.problems[0].loc), (4, 8, 4, 12));
}

#[test]
fn user_forms_and_false_users() {
    let text = "FROM rust:1.80\n\
RUN USER=root cargo new app\n\
ENV USER=root\n\
USER 0\n\
ARG UID=1001\n\
USER ${UID}:${GID:-1001}\n\
FROM alpine\n\
USER $APP_UID\n\
FROM alpine\n\
USER root\n\
USER app:app\n";
    let f = facts(text);
    let first = &f.stages[0];
    assert_eq!(first.users.len(), 2, "RUN USER= and ENV USER= are not USER");
    assert!(first.users[0].value.is_root());
    let last = first.user().expect("user");
    assert_eq!(last.value.raw, "1001:1001");
    assert_eq!(last.value.uid, Some(1001));
    assert_eq!(last.value.group.as_deref(), Some("1001"));
    assert_eq!(pos(&last.loc), (6, 6, 6, 24));
    let unresolved = f.stages[1].user().expect("user");
    assert!(unresolved.value.unresolved);
    assert_eq!(unresolved.value.user, "$APP_UID");
    assert_eq!(unresolved.value.uid, None);
    let third = &f.stages[2];
    assert_eq!(third.user().map(|u| u.value.user.as_str()), Some("app"));
    assert!(!third.user().is_some_and(|u| u.value.is_root()));
}

#[test]
fn copy_forms() {
    let text = "FROM node:20\n\
COPY . /app\n\
ADD . .\n\
COPY ./ ./\n\
COPY --chown=node:node [\"package.json\", \"yarn.lock\", \"./\"]\n\
COPY --from=0 /a /b\n\
ADD https://example.com/x.tgz /tmp/\n";
    let f = facts(text);
    let c = &last_stage(&f).copies;
    let whole: Vec<bool> = c.iter().map(|c| c.whole_context).collect();
    assert_eq!(whole, vec![true, true, true, false, false, false]);
    assert_eq!(c[1].instruction, "ADD");
    assert_eq!(c[3].sources, vec!["package.json", "yarn.lock"]);
    assert_eq!(c[4].from.as_deref(), Some("0"));
    assert_eq!(c[0].loc.line, 2);
}

#[test]
fn workdir_relative_paths_join() {
    let f = facts("FROM alpine\nWORKDIR /srv\nWORKDIR app\n");
    let w = last_stage(&f).workdir.clone().expect("workdir");
    assert_eq!(w.value, "/srv/app");
    assert_eq!(pos(&w.loc), (3, 9, 3, 11));
}

#[test]
fn last_cmd_and_entrypoint_win() {
    let text = "FROM python:3.12\nCMD [\"python\", \"a.py\"]\nENTRYPOINT [\"x\"]\nCMD python b.py\nENTRYPOINT sh -c 'exec \"$@\"'\n";
    let s = facts(text).stages.remove(0);
    let cmd = s.cmd.expect("cmd");
    assert_eq!(cmd.form, CommandForm::Shell);
    assert_eq!(values(&cmd.argv), vec!["python", "b.py"]);
    assert_eq!(cmd.loc.line, 4);
    let ep = s.entrypoint.expect("entrypoint");
    assert_eq!(values(&ep.argv), vec!["sh", "-c", "exec \"$@\""]);
    assert_eq!(covered(text, &ep.argv[2].loc), "'exec \"$@\"'");
}

#[test]
fn from_with_args_platform_and_digest() {
    let text = "ARG REGISTRY=docker.io\nARG TAG\nFROM --platform=$BUILDPLATFORM ${REGISTRY}/library/python:3.12@sha256:0123 AS b\nFROM python:${TAG}\n";
    let f = facts(text);
    let b = &f.stages[0].from.value;
    assert_eq!(b.repository, "docker.io/library/python");
    assert_eq!(b.tag.as_deref(), Some("3.12"));
    assert_eq!(b.digest.as_deref(), Some("sha256:0123"));
    assert_eq!(f.global_args[1].value, None);
    // Unresolvable ARG: kept as written, never guessed.
    assert_eq!(f.stages[1].from.value.raw, "python:${TAG}");
}

#[test]
fn healthcheck_forms() {
    type Case<'a> = (
        &'a str,
        Option<&'a str>,
        Option<&'a str>,
        Option<u16>,
        Option<&'a str>,
    );
    let cases: Vec<Case> = vec![
        ("HEALTHCHECK CMD [\"curl\", \"-f\", \"http://127.0.0.1:8000/health\"]", Some("curl"), Some("127.0.0.1"), Some(8000), Some("/health")),
        ("HEALTHCHECK CMD wget -qO- http://localhost/ready || exit 1", Some("wget"), Some("localhost"), None, Some("/ready")),
        ("HEALTHCHECK CMD [\"/bin/grpc_health_probe\", \"-addr=:50051\"]", Some("grpc_health_probe"), Some("0.0.0.0"), Some(50051), None),
        ("HEALTHCHECK CMD python -c \"import urllib.request as u; u.urlopen('http://localhost:5000/healthz')\"", Some("python"), Some("localhost"), Some(5000), Some("/healthz")),
        ("HEALTHCHECK CMD [\"sh\", \"-c\", \"curl -f http://localhost:$PORT/ || exit 1\"]", Some("curl"), Some("localhost"), None, Some("/")),
        ("HEALTHCHECK CMD pg_isready", Some("pg_isready"), None, None, None),
    ];
    for (line, tool, host, port, path) in cases {
        let text = format!("FROM alpine\n{line}\n");
        let f = facts(&text);
        let hc = last_stage(&f).healthcheck.clone().expect("healthcheck");
        assert_eq!(hc.tool.as_deref(), tool, "{line}");
        assert_eq!(hc.host.as_deref(), host, "{line}");
        assert_eq!(hc.port.as_ref().map(|p| p.value), port, "{line}");
        assert_eq!(hc.path.as_ref().map(|p| p.value.as_str()), path, "{line}");
        if let Some(p) = &hc.port {
            assert_eq!(covered(&text, &p.loc), p.value.to_string(), "{line}");
        }
        if let Some(p) = &hc.path {
            assert_eq!(covered(&text, &p.loc), p.value, "{line}");
        }
    }
    // The port variable is kept as an expression.
    let f = facts("FROM alpine\nHEALTHCHECK CMD [\"sh\", \"-c\", \"curl -f http://localhost:${PORT:-80}/\"]\n");
    let hc = last_stage(&f).healthcheck.clone().expect("healthcheck");
    let expr = hc.port_expr.expect("port expression");
    assert_eq!(
        expr.value,
        seamcheck_facts::ValueExpr::env("PORT", Some("80".into()))
    );
    assert_eq!(pos(&expr.loc), (2, 56, 2, 66));
    assert_eq!(hc.port, None);
}

#[test]
fn an_empty_exec_form_entrypoint_clears_the_entrypoint() {
    // BuildKit accepts `ENTRYPOINT []` (as `CMD []`): the base image's
    // entrypoint is cleared. Not a parse error.
    for written in ["ENTRYPOINT []", "ENTRYPOINT [ ]", "entrypoint []  "] {
        let f = facts(&format!("FROM kindest/node:v1.31.0\n{written}\nCMD []\n"));
        let s = last_stage(&f);
        let ep = s.entrypoint.as_ref().expect("an entrypoint fact");
        assert_eq!(ep.form, CommandForm::Exec, "{written}");
        assert!(ep.argv.is_empty(), "{written}");
        assert_eq!((ep.loc.line, ep.loc.column), (2, 12), "{written}");
    }
}
