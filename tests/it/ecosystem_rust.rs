//! Rust (axum on tokio, multi-stage build to distroless): a service whose
//! EXPOSE, containerPort and probes say 8080 while the code defaults `PORT`
//! to 3000 is caught with the code line in `related`; the agreeing one is
//! clean. The always-500 health handler and the `thread::sleep` in an async
//! handler are found; the sleep in the background refresh loop and the
//! listen in `tests/api.rs` are not.

use crate::common::{audit_json, expected_triples, of_rule, triples};

#[test]
fn axum_mismatch_is_caught_with_the_code_line() {
    let (report, code) = audit_json("ecosystems/rust-axum/mismatch", &[]);
    assert_eq!(code, 1);
    let expected = expected_triples(&[
        ("container-port-mismatch", "k8s/deployment.yaml", 23),
        ("expose-port-mismatch", "Dockerfile", 10),
        ("probe-handler-error-status", "src/main.rs", 8),
        ("probe-port-mismatch", "k8s/deployment.yaml", 27),
        ("probe-port-mismatch", "k8s/deployment.yaml", 30),
        ("sleep-in-handler", "src/main.rs", 13),
    ]);
    assert_eq!(triples(&report), expected);
    let expose = of_rule(&report, "expose-port-mismatch");
    let related = expose[0]["related"].as_array().expect("related");
    // `let port = env::var("PORT").unwrap_or_else(|_| "3000".to_string());`
    assert!(
        related
            .iter()
            .any(|r| r["path"] == "src/main.rs" && r["line"] == 27 && r["column"] == 16),
        "{related:?}"
    );
    let sleep = of_rule(&report, "sleep-in-handler");
    assert_eq!(
        sleep.len(),
        1,
        "the background loop's sleep is not a handler's"
    );
}

#[test]
fn axum_clean_has_no_error_or_warning() {
    let (report, code) = audit_json("ecosystems/rust-axum/clean", &[]);
    assert_eq!(code, 0, "{:?}", triples(&report));
    assert_eq!(report["summary"]["errors"], 0);
    assert_eq!(report["summary"]["warnings"], 0);
}
