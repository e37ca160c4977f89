//! nginx as the app of an image (`COPY nginx.conf`, `CMD nginx -g …`): the
//! config listens on 8080 while EXPOSE, containerPort and probes say 80;
//! caught with the `listen` line in `related`. The `location = /healthz`
//! that always returns 503 is found; the agreeing variant is clean.

use crate::common::{audit_json, expected_triples, of_rule, triples};

#[test]
fn nginx_mismatch_is_caught_with_the_listen_line() {
    let (report, code) = audit_json("ecosystems/nginx-static/mismatch", &[]);
    assert_eq!(code, 1);
    let expected = expected_triples(&[
        ("container-port-mismatch", "k8s/deployment.yaml", 20),
        ("expose-port-mismatch", "Dockerfile", 5),
        ("probe-handler-error-status", "nginx.conf", 18),
        ("probe-port-mismatch", "k8s/deployment.yaml", 24),
        ("probe-port-mismatch", "k8s/deployment.yaml", 28),
    ]);
    assert_eq!(triples(&report), expected);
    let container = of_rule(&report, "container-port-mismatch");
    let related = container[0]["related"].as_array().expect("related");
    assert!(
        related
            .iter()
            .any(|r| r["path"] == "nginx.conf" && r["line"] == 12 && r["column"] == 16),
        "{related:?}"
    );
}

#[test]
fn nginx_clean_has_no_error_or_warning() {
    let (report, code) = audit_json("ecosystems/nginx-static/clean", &[]);
    assert_eq!(code, 0, "{:?}", triples(&report));
    assert_eq!(report["summary"]["errors"], 0);
    assert_eq!(report["summary"]["warnings"], 0);
}

/// `location /` serves every path that starts with `/`: a probe on a deep
/// path is served by that prefix route.
#[test]
fn a_prefix_location_serves_deeper_probe_paths() {
    let (report, _) = audit_json("ecosystems/nginx-static/prefix-location", &[]);
    assert_eq!(
        of_rule(&report, "probe-path-unserved").len(),
        0,
        "{:?}",
        triples(&report)
    );
    assert_eq!(report["services"][0]["listen"]["port"], 8080);
}
