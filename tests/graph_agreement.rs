//! The two views of the port chain agree: on every fixture, each MISMATCH
//! edge of `seamcheck graph --format json` is exactly one port finding (or
//! one suppressed), and each port finding is one MISMATCH edge.

use seamcheck::audit::{run, Audit, AuditOptions};
use seamcheck::report::graph::{render, GraphFormat};
use seamcheck_facts::Location;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The rules whose findings are port-chain edges.
const PORT_RULES: &[&str] = &[
    "expose-port-mismatch",
    "container-port-mismatch",
    "compose-port-mismatch",
    "service-target-port-mismatch",
];

type Place = (String, u32, u32);

fn place(loc: &Location) -> Place {
    (loc.path.to_string(), loc.line, loc.column)
}

fn audit(dir: &Path) -> Audit {
    let config =
        seamcheck::config::load(&dir.join(seamcheck::config::FILE_NAME)).unwrap_or_default();
    run(&AuditOptions {
        paths: vec![dir.to_path_buf()],
        services: config.services,
        exclude: config.exclude,
        suppressions: config.suppressions,
        max_file_size: seamcheck::discover::DEFAULT_MAX_FILE_SIZE,
        ..AuditOptions::default()
    })
}

/// Where the findings of the MISMATCH edges of the graph's JSON go, and how
/// many edges (across services: a Service port drawn in two services'
/// chains is one verdict) name each place.
fn mismatch_places(audit: &Audit) -> Result<BTreeMap<Place, usize>, String> {
    let json: serde_json::Value = serde_json::from_str(&render(audit, GraphFormat::Json))
        .map_err(|e| format!("graph json: {e}"))?;
    let mut places = BTreeMap::new();
    let services = json.as_array().ok_or("graph json is a list")?;
    for (s, service) in services.iter().enumerate() {
        let edges = service["ports"]["edges"].as_array().ok_or("edges")?;
        for (e, edge) in edges.iter().enumerate() {
            if edge["status"] != "mismatch" {
                continue;
            }
            // The JSON edge and the model's edge are the same value.
            let model_edge = &audit.services[s].ports.edges[e];
            assert_eq!(edge["from"], model_edge.from.as_str());
            let at = model_edge
                .finding_at
                .as_ref()
                .ok_or_else(|| format!("mismatch edge {edge} names no finding"))?;
            places.insert(place(at), ());
        }
    }
    Ok(places.into_keys().map(|p| (p, 1)).collect())
}

/// The disagreements between the graph and the findings of one audit.
fn disagreements(audit: &Audit) -> Result<Vec<String>, String> {
    let edges = mismatch_places(audit)?;
    let mut findings: BTreeMap<Place, usize> = BTreeMap::new();
    let reported = audit.findings.iter();
    let hidden = audit.suppressed.iter().map(|s| &s.finding);
    for f in reported.chain(hidden) {
        if PORT_RULES.contains(&f.rule) {
            *findings.entry(place(&f.location)).or_default() += 1;
        }
    }
    let mut out = Vec::new();
    for at in edges.keys() {
        match findings.get(at) {
            Some(1) => {}
            n => out.push(format!(
                "MISMATCH edge at {at:?}: {} findings",
                n.unwrap_or(&0)
            )),
        }
    }
    for (at, n) in &findings {
        if !edges.contains_key(at) {
            out.push(format!(
                "{n} port finding(s) at {at:?} without a MISMATCH edge"
            ));
        }
    }
    Ok(out)
}

fn fixture_dirs(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .collect();
    dirs.sort();
    for d in dirs {
        out.push(d.clone());
        if depth > 1 {
            fixture_dirs(&d, depth - 1, out);
        }
    }
}

#[test]
fn every_mismatch_edge_is_one_port_finding_on_every_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut dirs = Vec::new();
    fixture_dirs(&root, 3, &mut dirs);
    assert!(dirs.len() > 50, "fixtures found: {}", dirs.len());
    let mut failures = Vec::new();
    let mut edges = 0;
    for dir in &dirs {
        let audit = audit(dir);
        edges += mismatch_places(&audit).map_or(0, |p| p.len());
        match disagreements(&audit) {
            Ok(d) if d.is_empty() => {}
            Ok(d) => failures.push(format!("{}: {d:#?}", dir.display())),
            Err(e) => failures.push(format!("{}: {e}", dir.display())),
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    // The fixtures hold mismatches of every port rule: the test is not empty.
    assert!(edges >= PORT_RULES.len(), "only {edges} mismatch edges");
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    assert!(path
        .parent()
        .is_some_and(|p| std::fs::create_dir_all(p).is_ok()));
    assert!(std::fs::write(path, text).is_ok());
}

/// A Deployment whose container declares the app's port and a metrics port.
fn metrics_repository(root: &Path, app_port: u16) {
    write(
        root,
        "api/Dockerfile",
        "FROM python:3.12-slim\nCOPY app/ app/\nUSER 10001\nEXPOSE 8080\n\
         CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8080\", \"app.main:app\"]\n",
    );
    write(
        root,
        "api/app/main.py",
        "from flask import Flask\napp = Flask(__name__)\n",
    );
    write(
        root,
        "api/requirements.txt",
        "flask==3.0.3\ngunicorn==22.0.0\n",
    );
    write(
        root,
        "k8s/api.yaml",
        &format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  \
             selector:\n    matchLabels:\n      app: api\n  template:\n    metadata:\n      \
             labels:\n        app: api\n    spec:\n      containers:\n        - name: api\n          \
             image: registry.example.com/api:1.0\n          ports:\n            \
             - containerPort: {app_port}\n            - containerPort: 9100\n              \
             name: metrics\n"
        ),
    );
}

#[test]
fn a_metrics_port_beside_the_app_port_is_no_mismatch_in_either_view() {
    let Ok(dir) = tempfile::tempdir() else { return };
    metrics_repository(dir.path(), 8080);
    let audit = audit(dir.path());
    assert!(
        audit
            .findings
            .iter()
            .all(|f| f.rule != "container-port-mismatch"),
        "{:#?}",
        audit.findings
    );
    let graph = render(&audit, GraphFormat::Text);
    assert!(!graph.contains("MISMATCH"), "{graph}");
    assert!(
        graph.contains("containerPort 8080 (container api)"),
        "{graph}"
    );
    assert!(
        graph.contains("another port: app port 8080 is declared beside it"),
        "{graph}"
    );
    assert_eq!(disagreements(&audit), Ok(Vec::new()));
}

#[test]
fn without_the_app_port_one_finding_and_one_mismatch_edge() {
    let Ok(dir) = tempfile::tempdir() else { return };
    metrics_repository(dir.path(), 80);
    let audit = audit(dir.path());
    let found: Vec<_> = audit
        .findings
        .iter()
        .filter(|f| f.rule == "container-port-mismatch")
        .map(|f| place(&f.location))
        .collect();
    assert_eq!(found, [("k8s/api.yaml".to_string(), 18, 30)]);
    let graph = render(&audit, GraphFormat::Text);
    assert_eq!(graph.matches("MISMATCH").count(), 1, "{graph}");
    assert_eq!(disagreements(&audit), Ok(Vec::new()));
}
