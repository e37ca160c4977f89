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

#[test]
fn django_runserver_defaults_set_in_manage_py_decide_the_address() {
    // `manage.py` sets `runserver.default_addr`/`default_port` before running
    // the command: `runserver` without addrport listens on 0.0.0.0:$PORT
    // (8080 by default), as EXPOSE, HEALTHCHECK and the probe expect.
    let (report, code) = audit_json("ecosystems/python-django-runserver/defaults-in-manage", &[]);
    assert_eq!(triples(&report), expected_triples(&[]));
    assert_eq!(code, 0);
    let listen = &report["services"][0]["listen"];
    assert_eq!(listen["host"], "0.0.0.0");
    assert_eq!(listen["port"], 8080);
    assert!(listen["chain"]
        .as_array()
        .expect("chain")
        .iter()
        .any(|c| c["path"] == "manage.py" && c["line"] == 13));

    // Without them, runserver's own default 127.0.0.1:8000 stands.
    let (report, code) = audit_json("ecosystems/python-django-runserver/plain", &[]);
    assert_eq!(
        triples(&report),
        expected_triples(&[
            ("expose-port-mismatch", "Dockerfile", 7),
            ("healthcheck-port-mismatch", "Dockerfile", 8),
            ("localhost-bind", "Dockerfile", 9),
        ])
    );
    assert_eq!(code, 1);
}
