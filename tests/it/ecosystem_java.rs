//! Java / Spring Boot end to end: a jar whose Kubernetes ports disagree with
//! the app's default port is caught with the code line in `related`; the
//! agreeing variant is clean.

use crate::common::{audit_json, of_rule, triples};

const MISMATCH: &str = "ecosystems/java-spring/mismatch";
const CLEAN: &str = "ecosystems/java-spring/clean";
const ENTRY: &str = "src/main/java/com/example/inventory/InventoryApplication.java";
const CONTROLLER: &str = "src/main/java/com/example/inventory/StockController.java";

#[test]
fn container_port_mismatch_points_at_spring_application_run() {
    let (report, code) = audit_json(MISMATCH, &[]);
    assert_eq!(code, 1);
    let found = of_rule(&report, "container-port-mismatch");
    assert_eq!(found.len(), 1, "{report:#}");
    let f = found[0];
    assert_eq!(f["location"]["path"], "k8s/deployment.yaml");
    assert_eq!(f["location"]["line"], 22);
    let related = f["related"].as_array().cloned().unwrap_or_default();
    assert!(
        related
            .iter()
            .any(|r| r["path"] == ENTRY && r["line"] == 12),
        "{related:#?}"
    );
    assert_eq!(of_rule(&report, "probe-port-mismatch").len(), 2);
}

#[test]
fn handler_sleep_and_error_health_handler_are_found_and_negatives_are_silent() {
    let (report, _) = audit_json(MISMATCH, &[]);
    let t = triples(&report);
    assert!(
        t.contains(&("sleep-in-handler".into(), CONTROLLER.into(), 13)),
        "{t:#?}"
    );
    assert!(
        t.contains(&("probe-handler-error-status".into(), CONTROLLER.into(), 19)),
        "{t:#?}"
    );
    // The scheduled job's sleep and the test's listen are not findings.
    assert!(t
        .iter()
        .all(|(_, path, _)| !path.contains("StockRefresher") && !path.contains("src/test/")));
    assert_eq!(of_rule(&report, "sleep-in-handler").len(), 1);
}

#[test]
fn clean_variant_is_clean() {
    let (report, code) = audit_json(CLEAN, &[]);
    let t = triples(&report);
    let serious: Vec<_> = crate::common::findings(&report)
        .iter()
        .filter(|f| f["severity"] == "error" || f["severity"] == "warning")
        .collect();
    assert!(serious.is_empty(), "{t:#?}");
    assert_eq!(code, 0);
}

/// `application.yml` sets `server.port: 8081` while the Deployment says
/// 8080: the configuration listen replaces the implicit
/// `SpringApplication.run` one of the same build context.
#[test]
fn configured_port_wins_over_the_framework_default() {
    let (report, _) = audit_json("ecosystems/java-spring-config/mismatch", &[]);
    let found = of_rule(&report, "container-port-mismatch");
    assert_eq!(found.len(), 1, "{report:#}");
    let related = found[0]["related"].as_array().cloned().unwrap_or_default();
    assert!(related
        .iter()
        .any(|r| r["path"] == "src/main/resources/application.yml" && r["line"] == 5));
}

#[test]
fn the_framework_default_is_never_claimed_over_the_configuration() {
    let (report, _) = audit_json("ecosystems/java-spring-config/mismatch", &[]);
    // No finding may claim the app listens on 8080 (the implicit default).
    for f in crate::common::findings(&report) {
        let message = f["message"].as_str().unwrap_or_default();
        assert!(!message.contains("listens on 8080"), "{message}");
    }
}
