//! Kustomize overlays audited as they deploy, through the CLI: a base and
//! two overlays of a service, a generator-provided PORT, probes and
//! resources added by patches, a component. Drift that only an overlay
//! causes is reported at the patch line; the patch files themselves get
//! nothing of their own.

use crate::common::{audit_json, expected_triples, findings, fixture, seamcheck, triples};
use serde_json::Value;

const PATCH: &str = "orders/deploy/overlays/production/orders-port.yaml";

#[test]
fn overlay_only_drift_is_reported_at_the_patch_line_and_nothing_else() {
    let (report, code) = audit_json("kustomize/repo", &[]);
    assert_eq!(
        triples(&report),
        expected_triples(&[
            ("container-port-mismatch", PATCH, 11),
            ("probe-port-mismatch", PATCH, 11),
            ("service-target-port-mismatch", PATCH, 11),
        ])
    );
    assert_eq!(code, 1, "errors found");
    let container = findings(&report)
        .iter()
        .find(|f| f["rule"] == "container-port-mismatch")
        .expect("the drift");
    assert_eq!(
        container["message"],
        "containerPort 8080 but the app listens on 9090"
    );
    let related: Vec<(String, u64)> = container["related"]
        .as_array()
        .expect("related")
        .iter()
        .map(|r| {
            (
                r["path"].as_str().unwrap_or("").to_string(),
                r["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    // The base's containerPort and the kustomization line that applied the patch.
    assert!(
        related.contains(&("orders/deploy/base/deployment.yaml".into(), 24)),
        "{related:?}"
    );
    assert!(
        related.contains(&(
            "orders/deploy/overlays/production/kustomization.yaml".into(),
            8
        )),
        "{related:?}"
    );
}

#[test]
fn patch_files_and_bases_are_audited_only_through_their_tops() {
    let (report, _) = audit_json("kustomize/repo", &[]);
    for f in findings(&report) {
        let path = f["location"]["path"].as_str().unwrap_or("");
        assert!(
            path == PATCH,
            "only the production patch is to blame, not {path}: {}",
            f["message"]
        );
    }
}

fn graph_json(rel: &str) -> Value {
    let path = fixture(rel).to_string_lossy().into_owned();
    let run = seamcheck(&["graph", "--format", "json", &path]);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stderr))
}

#[test]
fn the_graph_has_one_port_chain_per_top() {
    let graph = graph_json("kustomize/repo");
    let orders = graph
        .as_array()
        .expect("services")
        .iter()
        .find(|s| {
            s["ports"]["nodes"]
                .as_array()
                .is_some_and(|n| n.iter().any(|n| n["path"] == "orders/Dockerfile"))
        })
        .expect("the orders service");
    let edges = orders["ports"]["edges"].as_array().expect("edges");
    let status = |from: &str| -> Vec<&str> {
        edges
            .iter()
            .filter(|e| e["from"].as_str().is_some_and(|f| f.starts_with(from)))
            .map(|e| e["status"].as_str().unwrap_or(""))
            .collect()
    };
    // Production (patched to 9090) and staging (as the base) each have a chain.
    assert_eq!(
        status("port:Deployment/production/prod-orders/"),
        vec!["mismatch"]
    );
    assert_eq!(status("svc:production/prod-orders/"), vec!["mismatch"]);
    assert_eq!(status("port:Deployment/staging/orders/"), vec!["ok"]);
    assert_eq!(status("svc:staging/orders/"), vec!["ok"]);
    // No chain for the base on its own: it is not deployed as is.
    assert!(edges
        .iter()
        .all(|e| !e["from"].as_str().unwrap_or("").contains("/default/orders")));
}

#[test]
fn a_kustomization_loop_and_a_remote_base_are_reported_and_the_rest_audited() {
    let (report, _) = audit_json("kustomize/loop", &[]);
    let problems: Vec<_> = findings(&report)
        .iter()
        .filter(|f| f["rule"] == "parse-error")
        .collect();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["message"], "kustomization loop: a → b → a");
    assert_eq!(problems[0]["location"]["path"], "b/kustomization.yaml");
    let (remote, _) = audit_json("kustomize/remote", &[]);
    let skipped = remote["skipped"].as_array().cloned().unwrap_or_default();
    assert!(
        skipped
            .iter()
            .any(|n| n["path"] == "overlay/kustomization.yaml"
                && n["reason"]
                    .as_str()
                    .unwrap_or("")
                    .contains("github.com/example-org/platform")),
        "{skipped:?}"
    );
    // The rest renders: the local ConfigMap is audited through the overlay
    // (three files on disk and the overlay's rendered output).
    assert_eq!(remote["summary"]["files"], 4);
    // A remote patch and a patch whose target is in the remote base are
    // notes, never errors: the base may hold the object.
    assert_eq!(remote["summary"]["errors"], 0, "{:?}", findings(&remote));
}
