//! Python beyond Flask/FastAPI (aiohttp run by `python server.py`): the code
//! defaults `PORT` to 8081 while EXPOSE, containerPort and probes say 9000;
//! caught with the `web.run_app` line in `related`. The health handler that
//! always raises 503 and the `time.sleep` in an async handler are found; the
//! sleep in the background task is not. The agreeing variant is clean.

use crate::common::{audit_json, expected_triples, of_rule, triples};

#[test]
fn aiohttp_mismatch_is_caught_with_the_code_line() {
    let (report, code) = audit_json("ecosystems/python-aiohttp/mismatch", &[]);
    assert_eq!(code, 1);
    let expected = expected_triples(&[
        ("container-port-mismatch", "k8s/deployment.yaml", 20),
        ("expose-port-mismatch", "Dockerfile", 7),
        ("probe-handler-error-status", "app/server.py", 14),
        ("probe-port-mismatch", "k8s/deployment.yaml", 24),
        ("probe-port-mismatch", "k8s/deployment.yaml", 27),
        ("sleep-in-handler", "app/server.py", 20),
    ]);
    assert_eq!(triples(&report), expected);
    let expose = of_rule(&report, "expose-port-mismatch");
    let related = expose[0]["related"].as_array().expect("related");
    assert!(
        related
            .iter()
            .any(|r| r["path"] == "app/server.py" && r["line"] == 34 && r["column"] == 27),
        "{related:?}"
    );
}

#[test]
fn aiohttp_clean_has_no_error_or_warning() {
    let (report, code) = audit_json("ecosystems/python-aiohttp/clean", &[]);
    assert_eq!(code, 0, "{:?}", triples(&report));
    assert_eq!(report["summary"]["errors"], 0);
    assert_eq!(report["summary"]["warnings"], 0);
}
