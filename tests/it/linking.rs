//! Linking and resolution: which Dockerfile, workload and code make a service,
//! with their evidence, and where its app listens.

use crate::common::*;

#[test]
fn monorepo_links_images_to_dockerfiles_by_directory_name() {
    let (report, _) = audit_json("linking/monorepo", &[]);
    let services = report["services"].as_array().expect("services");
    assert_eq!(services.len(), 2);
    let api = &services[0];
    assert_eq!(api["name"], "api");
    assert_eq!(api["dockerfile"], "services/api/Dockerfile");
    assert_eq!(api["workloads"][0]["id"], "Deployment/shop/api");
    assert!(api["workloads"][0]["evidence"]
        .as_str()
        .unwrap_or_default()
        .contains("matches the Dockerfile's directory `api/`"));
    assert_eq!(api["entry"]["path"], "services/api/main.py");
    assert_eq!(api["listen"]["port"], 8000);
    assert_eq!(api["kube_services"][0], "shop/api");
    let web = &services[1];
    assert_eq!(web["entry"]["path"], "services/web/app.py");
    assert_eq!(web["listen"]["port"], 5000);
    assert_eq!(web["listen"]["host"], "0.0.0.0");
}

#[test]
fn monorepo_reports_only_the_unserved_probe_path() {
    let (report, code) = audit_json("linking/monorepo", &[]);
    assert_eq!(
        triples(&report),
        vec![(
            "probe-path-unserved".to_string(),
            "deploy/shop.yaml".to_string(),
            46
        )]
    );
    assert_eq!(code, 1);
}

#[test]
fn a_stage_built_from_a_stage_inherits_cmd_expose_and_workdir() {
    let (report, _) = audit_json("linking/stage-inheritance", &[]);
    let svc = &report["services"][0];
    assert_eq!(svc["entry"]["path"], "src/server.py");
    assert_eq!(svc["listen"]["port"], 9000);
    assert_eq!(
        triples(&report),
        vec![(
            "expose-port-mismatch".to_string(),
            "Dockerfile".to_string(),
            6
        )]
    );
    let f = &of_rule(&report, "expose-port-mismatch")[0];
    let related = f["related"].as_array().expect("related");
    assert!(related
        .iter()
        .any(|r| r["path"] == "src/server.py" && r["line"] == 14));
    assert!(related
        .iter()
        .any(|r| r["path"] == "Dockerfile" && r["line"] == 7));
}

#[test]
fn the_monorepo_compose_file_links_by_build_context() {
    let (report, _) = audit_json("linking/monorepo", &[]);
    let web = &report["services"][1];
    assert_eq!(web["name"], "web");
    let c = &web["compose"][0];
    assert_eq!(c["service"], "web");
    assert_eq!(c["path"], "compose.yaml");
    assert!(c["evidence"]
        .as_str()
        .unwrap_or_default()
        .contains("builds `services/web/Dockerfile`"));
    assert_eq!(c["listen"]["port"], 5000);
}

#[test]
fn skaffold_artifacts_link_images_to_their_build_context() {
    let (report, _) = audit_json("linking/skaffold", &[]);
    let notifier = &report["services"][0];
    assert_eq!(notifier["dockerfile"], "services/notify/Dockerfile");
    assert_eq!(
        notifier["workloads"][0]["evidence"],
        "skaffold.yaml builds image `notifier` from `services/notify/Dockerfile`"
    );
    assert_eq!(
        report["services"][1]["dockerfile"],
        "services/payments-svc/Dockerfile"
    );
    assert_eq!(
        triples(&report),
        vec![
            (
                "container-port-mismatch".to_string(),
                "k8s/deploy.yaml".to_string(),
                42
            ),
            (
                "probe-port-mismatch".to_string(),
                "k8s/deploy.yaml".to_string(),
                44
            ),
            (
                "probe-port-mismatch".to_string(),
                "k8s/deploy.yaml".to_string(),
                46
            ),
        ]
    );
}

#[test]
fn two_candidate_dockerfiles_link_nothing_and_say_so() {
    let (report, code) = audit_json("linking/ambiguous", &[]);
    let notes = report["link_notes"].as_array().expect("link_notes");
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0]["path"], "k8s/api.yaml");
    assert_eq!(notes[0]["line"], 14);
    let message = notes[0]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("`v1/api/Dockerfile` or `v2/api/Dockerfile`"),
        "{message}"
    );
    // Not guessed into an error: no port rule speaks about the Deployment.
    assert!(of_rule(&report, "container-port-mismatch").is_empty());
    assert!(of_rule(&report, "probe-port-mismatch").is_empty());
    assert_eq!(code, 0);
}
