//! Kotlin / Spring Boot end to end: a Gradle-built jar whose
//! `application.yml` moves the port to 8081 while the Deployment says 8080
//! is caught with the configuration line in `related`; the agreeing variant
//! is clean. The `runApplication<Application>` listen is the implicit one
//! the configuration replaces.

use crate::common::{audit_json, of_rule, triples};

const MISMATCH: &str = "ecosystems/kotlin-spring/mismatch";
const CLEAN: &str = "ecosystems/kotlin-spring/clean";
const CONFIG: &str = "src/main/resources/application.yml";

#[test]
fn container_port_mismatch_points_at_server_port() {
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
            .any(|r| r["path"] == CONFIG && r["line"] == 5),
        "{related:#?}"
    );
    assert_eq!(of_rule(&report, "probe-port-mismatch").len(), 2);
}

#[test]
fn scheduled_sleep_and_test_sources_are_silent() {
    let (report, _) = audit_json(MISMATCH, &[]);
    let t = triples(&report);
    assert!(of_rule(&report, "sleep-in-handler").is_empty(), "{t:#?}");
    assert!(t.iter().all(|(_, path, _)| !path.contains("src/test/")));
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
