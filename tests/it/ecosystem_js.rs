//! JavaScript (Express, started by `npm start` and by `node file`): a
//! service whose Dockerfile and Deployment ports disagree with the code is
//! caught with the code line in `related`; the agreeing one is clean. The
//! handler busy wait and the always-500 health handler are found; the busy
//! wait in a timer callback, the listen in a test file and the port in a
//! comment are not.

use crate::common::{audit_json, expected_triples, of_rule, triples};

#[test]
fn express_mismatch_is_caught_with_the_code_line() {
    let (report, code) = audit_json("ecosystems/js-express/mismatch", &[]);
    assert_eq!(code, 1);
    let got = triples(&report);
    let expected = expected_triples(&[
        ("container-port-mismatch", "k8s/deployment.yaml", 22),
        ("expose-port-mismatch", "Dockerfile", 11),
        ("probe-handler-error-status", "src/server.js", 13),
        ("probe-port-mismatch", "k8s/deployment.yaml", 26),
        ("probe-port-mismatch", "k8s/deployment.yaml", 30),
        ("sleep-in-handler", "src/server.js", 19),
    ]);
    assert_eq!(got, expected);
    let mismatch = of_rule(&report, "container-port-mismatch");
    let related = mismatch[0]["related"].as_array().expect("related");
    assert!(
        related
            .iter()
            .any(|r| r["path"] == "src/server.js" && r["line"] == 25 && r["column"] == 12),
        "{related:?}"
    );
    let sleep = of_rule(&report, "sleep-in-handler");
    assert!(sleep[0]["message"]
        .as_str()
        .unwrap_or("")
        .contains("GET /orders/:id"));
}

#[test]
fn express_clean_has_no_error_or_warning() {
    let (report, code) = audit_json("ecosystems/js-express/clean", &[]);
    assert_eq!(code, 0, "{:?}", triples(&report));
    assert_eq!(report["summary"]["errors"], 0);
    assert_eq!(report["summary"]["warnings"], 0);
}

/// The app defaults to 3000, the image sets `ENV PORT=8080` and exposes 8080:
/// the variable bridges the two, so nothing is wrong.
#[test]
fn an_image_env_port_bridging_the_app_default_is_clean() {
    let (report, code) = audit_json(
        "ecosystems/js-express/env-bridge",
        &["--fail-on", "warning"],
    );
    assert_eq!(report["services"][0]["listen"]["port"], 8080);
    assert_eq!(triples(&report), vec![]);
    assert_eq!(code, 0);
}

/// `process.env.PORT || 3000` with the Deployment setting `PORT=8081` and
/// declaring and probing 8081: followed through the env, clean.
#[test]
fn a_deployment_env_overriding_the_node_default_is_clean() {
    let (report, code) = audit_json(
        "ecosystems/js-express/k8s-override",
        &["--fail-on", "warning"],
    );
    let svc = &report["services"][0];
    assert_eq!(
        svc["listen"]["port"], 3000,
        "the image alone listens on the default"
    );
    assert_eq!(svc["workloads"][0]["listen"]["port"], 8081);
    assert_eq!(triples(&report), vec![]);
    assert_eq!(code, 0);
}
