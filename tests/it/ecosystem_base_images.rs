//! Images that keep their base image's start command run what the base runs
//! (src/model/base_image.rs): `FROM php:8.3-apache` serves on 80, a
//! distroless Node image runs its CMD with `node`. A Dockerfile that edits
//! the server's configuration leaves the port unknown, and says why.

use crate::common::{audit_json, expected_triples, of_rule, triples};

#[test]
fn php_apache_serves_on_80_and_the_container_port_disagrees() {
    let (report, code) = audit_json("ecosystems/base-images/php-apache", &[]);
    assert_eq!(code, 1);
    assert_eq!(
        triples(&report),
        expected_triples(&[
            ("container-port-mismatch", "k8s/deployment.yaml", 19),
            ("missing-healthcheck", "Dockerfile", 1),
            ("missing-liveness-probe", "k8s/deployment.yaml", 16),
            ("missing-readiness-probe", "k8s/deployment.yaml", 16),
            ("missing-resources", "k8s/deployment.yaml", 20),
            ("runs-as-root", "Dockerfile", 1),
        ])
    );
    let service = &report["services"][0];
    assert_eq!(service["listen"]["port"], 80);
    assert_eq!(service["listen"]["chain"][0]["path"], "Dockerfile");
    assert_eq!(service["listen"]["chain"][0]["line"], 1);
    assert!(service.get("listen_unknown").is_none());
}

#[test]
fn php_apache_with_edited_ports_conf_is_unknown_not_guessed() {
    let (report, code) = audit_json("ecosystems/base-images/php-apache-ports-edited", &[]);
    assert_eq!(code, 0, "{:?}", triples(&report));
    assert_eq!(report["summary"]["errors"], 0);
    let service = &report["services"][0];
    assert!(service["listen"].is_null() || service["listen"]["port"].is_null());
    let why = service["listen_unknown"].as_str().expect("a reason");
    assert!(why.starts_with("base-config-changed:"), "{why}");
    assert!(why.contains("/etc/apache2"), "{why}");
}

#[test]
fn distroless_node_runs_the_cmd_with_node() {
    let (report, _) = audit_json("ecosystems/base-images/distroless-node", &[]);
    let service = &report["services"][0];
    assert_eq!(service["entry"]["path"], "server.js");
    assert_eq!(service["listen"]["port"], 3000);
}

#[test]
fn tomcat_restating_the_base_command_serves_on_8080() {
    let (report, _) = audit_json("ecosystems/base-images/tomcat", &[]);
    let service = &report["services"][0];
    assert_eq!(service["listen"]["port"], 8080);
    assert!(of_rule(&report, "expose-port-mismatch").is_empty());
}

#[test]
fn an_apache_edit_that_is_not_about_ports_keeps_80() {
    let (report, _) = audit_json("ecosystems/base-images/php-apache-log-edit", &[]);
    assert_eq!(report["services"][0]["listen"]["port"], 80);
    assert!(of_rule(&report, "expose-port-mismatch").is_empty());
}
