//! Go (net/http, multi-stage build to distroless): a service whose EXPOSE
//! and containerPort disagree with `ListenAndServe(":"+port)` (PORT unset,
//! default 8080) is caught with the code line in `related`; the agreeing one
//! is clean. The always-503 health handler and the `time.Sleep` in a handler
//! are found; the sleep in the background loop and the listen in
//! `main_test.go` are not.

use crate::common::{audit_json, expected_triples, of_rule, triples};

#[test]
fn net_http_mismatch_is_caught_with_the_code_line() {
    let (report, code) = audit_json("ecosystems/go-nethttp/mismatch", &[]);
    assert_eq!(code, 1);
    let got = triples(&report);
    let expected = expected_triples(&[
        ("container-port-mismatch", "k8s/deployment.yaml", 23),
        ("expose-port-mismatch", "Dockerfile", 11),
        ("probe-handler-error-status", "main.go", 24),
        ("probe-port-mismatch", "k8s/deployment.yaml", 27),
        ("probe-port-mismatch", "k8s/deployment.yaml", 30),
        ("sleep-in-handler", "main.go", 29),
    ]);
    assert_eq!(got, expected);
    let expose = of_rule(&report, "expose-port-mismatch");
    let related = expose[0]["related"].as_array().expect("related");
    assert!(
        related
            .iter()
            .any(|r| r["path"] == "main.go" && r["line"] == 47 && r["column"] == 36),
        "{related:?}"
    );
}

#[test]
fn net_http_clean_has_no_error_or_warning() {
    let (report, code) = audit_json("ecosystems/go-nethttp/clean", &[]);
    assert_eq!(code, 0, "{:?}", triples(&report));
    assert_eq!(report["summary"]["errors"], 0);
    assert_eq!(report["summary"]["warnings"], 0);
}
