//! docker-compose as a deployment context: build contexts and targets link
//! services, `.env` interpolation, compose rules.

use crate::common::*;

#[test]
fn compose_builds_link_services_and_a_target_names_the_stage_that_runs() {
    let (report, code) = audit_json("compose/shop", &[]);
    let names: Vec<&str> = report["services"]
        .as_array()
        .expect("services")
        .iter()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert_eq!(names, ["api", "web", "worker"]);
    // api's final stage runs pytest; compose runs the `runtime` target: port 8000.
    let found: Vec<_> = triples(&report)
        .into_iter()
        .filter(|(r, _, _)| r != "missing-healthcheck")
        .collect();
    assert_eq!(
        found,
        vec![(
            "compose-port-mismatch".to_string(),
            "compose.yaml".to_string(),
            25
        )]
    );
    let f = &of_rule(&report, "compose-port-mismatch")[0];
    assert_eq!(
        f["location"]["column"], 15,
        "the container side `80` of \"8000:80\""
    );
    assert!(f["related"]
        .as_array()
        .expect("related")
        .iter()
        .any(|r| r["path"] == "api/Dockerfile" && r["line"] == 8));
    assert_eq!(code, 1);
}

#[test]
fn a_compose_healthcheck_with_curl_in_a_distroless_image_is_reported() {
    let (report, _) = audit_json(
        "compose/distroless-healthcheck",
        &["--select", "healthcheck-tool-missing"],
    );
    assert_eq!(
        triples(&report),
        vec![(
            "healthcheck-tool-missing".to_string(),
            "compose.yaml".to_string(),
            7
        )]
    );
}

#[test]
fn compose_user_overrides_the_image_user() {
    // worker's image has no USER on python:3.12-slim, but compose runs it as 10001.
    let (report, _) = audit_json("compose/shop", &["--select", "runs-as-root"]);
    assert_eq!(triples(&report), vec![]);
}
