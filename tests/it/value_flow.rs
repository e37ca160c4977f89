//! The port followed across layers: app default → image ENV → start command →
//! Kubernetes env and `$(VAR)` expansion, per deployment context.

use crate::common::*;

#[test]
fn a_deployment_env_overriding_the_image_env_is_followed_and_clean() {
    let (report, code) = audit_json("value-flow/env-override/clean", &["--fail-on", "warning"]);
    let svc = &report["services"][0];
    // The image alone listens on the ENV value, the Deployment on its own.
    assert_eq!(svc["listen"]["port"], 8080);
    let w = &svc["workloads"][0]["listen"];
    assert_eq!(w["port"], 9090);
    let chain = w["chain"].as_array().expect("chain");
    assert!(
        chain.iter().any(|c| c["path"] == "k8s/deploy.yaml"
            && c["line"] == 16
            && c["message"] == "PORT=9090 set by the Deployment env"),
        "{chain:?}"
    );
    assert!(chain
        .iter()
        .any(|c| c["path"] == "server.py" && c["line"] == 15));
    assert_eq!(triples(&report), vec![]);
    assert_eq!(code, 0);
}

#[test]
fn kubernetes_expands_var_references_in_args() {
    let (report, code) = audit_json("value-flow/args-expansion/mismatch", &[]);
    assert_eq!(
        report["services"][0]["workloads"][0]["listen"]["port"],
        7000
    );
    assert_eq!(
        triples(&report),
        vec![
            (
                "container-port-mismatch".to_string(),
                "k8s/deploy.yaml".to_string(),
                21
            ),
            (
                "probe-port-mismatch".to_string(),
                "k8s/deploy.yaml".to_string(),
                23
            ),
        ]
    );
    let f = &of_rule(&report, "container-port-mismatch")[0];
    assert_eq!(f["related"][0]["path"], "k8s/deploy.yaml");
    assert_eq!(
        f["related"][0]["line"], 18,
        "the args line that sets --port"
    );
    assert_eq!(code, 1);
}

#[test]
fn an_envfrom_configmap_in_the_scan_sets_the_port() {
    let (report, code) = audit_json("value-flow/configmap/mismatch", &[]);
    assert_eq!(
        report["services"][0]["workloads"][0]["listen"]["port"],
        7000
    );
    let f = &of_rule(&report, "container-port-mismatch")[0];
    assert_eq!(f["location"]["line"], 27);
    let related = f["related"].as_array().expect("related");
    assert!(related.iter().any(|r| r["path"] == "k8s/app.yaml"
        && r["line"] == 6
        && r["message"] == "PORT=7000 set by the ConfigMap `ledger-config`"));
    assert_eq!(of_rule(&report, "probe-port-mismatch").len(), 2);
    assert_eq!(code, 1);
}
