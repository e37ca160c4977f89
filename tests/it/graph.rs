//! `seamcheck graph`: the port chain of each service, in every format.

use crate::common::*;

fn graph(rel: &str, format: &str) -> Run {
    seamcheck(&["graph", &fixture(rel).to_string_lossy(), "--format", format])
}

#[test]
fn text_marks_the_mismatching_edges_with_their_places() {
    let run = graph("sre-app/broken", "text");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = run.stdout;
    assert!(
        out.starts_with("service sre-app (Dockerfile, Deployment/default/sre-app)"),
        "{out}"
    );
    let mismatches: Vec<&str> = out.lines().filter(|l| l.ends_with("MISMATCH")).collect();
    assert_eq!(mismatches.len(), 2, "{out}");
    assert!(
        mismatches[0].contains("containerPort 80 (container sre-app) [k8s/deployment.yaml:21]"),
        "{out}"
    );
    assert!(mismatches[1].contains("EXPOSE 80 [Dockerfile:9]"), "{out}");
    assert!(out.contains("Service sre-service port 80 [k8s/service.yaml:11] --targetPort 8080--> app listens on 0.0.0.0:8080"), "{out}");
}

#[test]
fn the_monorepo_chain_runs_from_the_ingress_to_the_app() {
    let out = graph("linking/monorepo", "text").stdout;
    assert!(!out.contains("MISMATCH"), "{out}");
    assert!(
        out.contains("Ingress shop /api [deploy/shop.yaml:87] --port 80--> Service api port 80"),
        "{out}"
    );
    assert!(
        out.contains("--targetPort http--> containerPort 5000 (http) (container web)"),
        "{out}"
    );
}

#[test]
fn json_carries_the_same_chain_as_the_report() {
    let run = graph("sre-app/broken", "json");
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let (report, _) = audit_json("sre-app/broken", &[]);
    assert_eq!(v[0]["ports"], report["services"][0]["ports"]);
    let edges = v[0]["ports"]["edges"].as_array().expect("edges");
    assert_eq!(
        edges.iter().filter(|e| e["status"] == "mismatch").count(),
        2
    );
}

#[test]
fn mermaid_styles_mismatches_red() {
    let out = graph("sre-app/broken", "mermaid").stdout;
    assert!(out.starts_with("flowchart LR\n"), "{out}");
    assert_eq!(out.matches("stroke:red").count(), 2, "{out}");
}

#[test]
fn dot_renders_with_graphviz() {
    let out = graph("linking/monorepo", "dot").stdout;
    assert!(out.starts_with("digraph seamcheck {"), "{out}");
    let dot = std::process::Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let mut child = match dot {
        Ok(c) => c,
        // CI installs graphviz (.ci/run); a developer machine may not have it.
        Err(_) if std::env::var_os("CI").is_none() => return,
        Err(e) => panic!("graphviz `dot` is required under CI: {e}"),
    };
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(out.as_bytes())
        .expect("write");
    let res = child.wait_with_output().expect("dot runs");
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    assert!(String::from_utf8_lossy(&res.stdout).contains("<svg"));
}
