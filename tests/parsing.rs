//! What the real tools parse, seamcheck parses (`fixtures/parsing`, issue
//! 13 item 3): go-yaml-only YAML, UTF-16 manifests, BuildKit's heredoc
//! names, `EXPOSE HOST:CONTAINER` and a continuation on the last line are
//! read and linked; what the tools refuse is one located `parse-error` each,
//! and the rest of the repository is still audited.

mod common;
use common::*;
use serde_json::Value;

const FIXTURE: &str = "parsing";

fn report() -> Value {
    audit_json(FIXTURE, &[]).0
}

#[test]
fn the_complete_set_of_findings() {
    let (report, code) = audit_json(FIXTURE, &[]);
    assert_eq!(code, 1, "the broken files are errors");
    assert_eq!(
        triples(&report),
        expected_triples(&[
            // Refused by go-yaml (v3, strict), BuildKit: one error each.
            ("parse-error", "broken/compose/compose.yaml", 6),
            ("parse-error", "broken/k8s/duplicate-key.yaml", 18),
            ("parse-error", "broken/k8s/escaped-slash.yaml", 6),
            ("parse-error", "broken/k8s/unknown-anchor.yaml", 5),
            ("parse-error", "broken/k8s/utf32.yaml", 1),
            ("parse-error", "broken/worker/Dockerfile", 3),
            // The broken worker's Dockerfile is still audited.
            ("missing-healthcheck", "broken/worker/Dockerfile", 1),
            ("runs-as-root", "broken/worker/Dockerfile", 1),
            // `EXPOSE 9000:8080`: a note about the form, no error.
            ("expose-unresolved", "shop/Dockerfile", 17),
        ])
    );
}

#[test]
fn duplicate_keys_name_the_key_and_the_first_one() {
    let report = report();
    let message = |path: &str| {
        of_rule(&report, "parse-error")
            .into_iter()
            .find(|f| f["location"]["path"] == path)
            .and_then(|f| f["message"].as_str().map(str::to_string))
            .unwrap_or_default()
    };
    assert_eq!(
        message("broken/k8s/duplicate-key.yaml"),
        "duplicated key `image` in mapping (first at line 16, column 11)"
    );
    assert_eq!(
        message("broken/compose/compose.yaml"),
        "duplicated key `environment` in mapping (first at line 4, column 5)"
    );
    assert!(message("broken/k8s/utf32.yaml").starts_with("utf-32 little-endian text"));
}

#[test]
fn the_mapped_expose_form_is_a_note_on_the_container_port() {
    let report = report();
    let notes = of_rule(&report, "expose-unresolved");
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0]["severity"], "note");
    assert_eq!(
        notes[0]["message"],
        "EXPOSE 9000:8080 exposes container port 8080 only: an image cannot publish a host port, \
         BuildKit drops `9000`"
    );
}

#[test]
fn the_odd_but_valid_files_are_read_and_linked() {
    let report = report();
    let services = report["services"].as_array().cloned().unwrap_or_default();
    let shop = services
        .iter()
        .find(|s| s["name"] == "shop")
        .unwrap_or_else(|| panic!("no shop service: {services:?}"));
    // The Deployment of k8s/shop.yaml (flow items at the parent's
    // indentation, `"v"# comment`, a tab after `key:`, `\'`).
    assert_eq!(shop["workloads"][0]["path"], "k8s/shop.yaml");
    // The UTF-16 Service, located in lines and characters of the file.
    assert_eq!(shop["kube_services"][0], "default/shop");
    let nodes = shop["ports"]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let service_port = nodes
        .iter()
        .find(|n| n["kind"] == "service-port")
        .unwrap_or_else(|| panic!("{nodes:?}"));
    assert_eq!(service_port["path"], "k8s/shop-service.yaml");
    assert_eq!(
        (&service_port["line"], &service_port["column"]),
        (&Value::from(11), &Value::from(13))
    );
    // compose.yaml (a flow sequence closed at the parent's indentation).
    assert_eq!(shop["compose"][0]["path"], "compose.yaml");
    // Every port edge holds: EXPOSE 9000:8080 counts as 8080.
    let edges = shop["ports"]["edges"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(edges.len(), 3, "{edges:?}");
    assert!(edges.iter().all(|e| e["status"] == "ok"), "{edges:?}");
}
