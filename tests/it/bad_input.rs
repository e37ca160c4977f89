//! Bad input end to end (`fixtures/bad-input`): a truncated manifest, an alias
//! bomb, an unknown Dockerfile instruction, a binary `Dockerfile`, a Latin-1
//! Python file, an empty Dockerfile and a Helm template, beside one good
//! service. Each bad file is reported where it breaks, the run stays fast,
//! and the rest of the repository is still audited.

use crate::common::*;
use serde_json::Value;
use std::time::{Duration, Instant};

const FIXTURE: &str = "bad-input";

fn report() -> Value {
    audit_json(FIXTURE, &[]).0
}

/// The `parse-error` findings of `path`, as `(line, message)`.
fn parse_errors(report: &Value, path: &str) -> Vec<(u64, String)> {
    of_rule(report, "parse-error")
        .into_iter()
        .filter(|f| f["location"]["path"] == path)
        .map(|f| {
            (
                f["location"]["line"].as_u64().unwrap_or(0),
                f["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// `path` has exactly one parse error, on `line`.
fn assert_parse_error(path: &str, line: u64) {
    let report = report();
    let errors = parse_errors(&report, path);
    assert_eq!(errors.len(), 1, "{path}: {errors:?}");
    assert_eq!(errors[0].0, line, "{path}: {errors:?}");
}

#[test]
fn finishes_quickly_and_fails_on_parse_errors() {
    let start = Instant::now();
    let (report, code) = audit_json(FIXTURE, &[]);
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "took {:?}",
        start.elapsed()
    );
    assert_eq!(code, 1, "parse errors are errors");
    for f in of_rule(&report, "parse-error") {
        assert_eq!(f["severity"], "error", "{f}");
    }
}

#[test]
fn truncated_manifest() {
    // Cut off inside the flow sequence that opens on line 11, the file's last
    // line: the error belongs there, not on a line past the content.
    assert_parse_error("k8s/cache.yaml", 11);
}

#[test]
fn alias_bomb() {
    let report = report();
    let errors = parse_errors(&report, "k8s/laughs.yaml");
    assert_eq!(errors.len(), 1, "{errors:?}");
    // Refused at one of the aliases (lines 7-14), not after expanding them.
    assert!((7..=14).contains(&errors[0].0), "{errors:?}");
}

#[test]
fn unknown_instruction_does_not_hide_the_rest_of_the_dockerfile() {
    assert_parse_error("webhooks/Dockerfile", 8);
    let report = report();
    let expose: Vec<_> = of_rule(&report, "expose-port-mismatch")
        .into_iter()
        .filter(|f| f["location"]["path"] == "webhooks/Dockerfile")
        .collect();
    assert_eq!(expose.len(), 1, "{:?}", triples(&report));
    assert_eq!(expose[0]["location"]["line"], 10);
    assert!(expose[0]["message"]
        .as_str()
        .unwrap_or_default()
        .contains("8081"));
}

#[test]
fn binary_dockerfile() {
    assert_parse_error("legacy/Dockerfile", 1);
}

#[test]
fn latin1_python_file() {
    // The first non-UTF-8 byte (é) is on line 5.
    assert_parse_error("scripts/export_prices.py", 5);
}

#[test]
fn empty_dockerfile() {
    assert_parse_error("tools/Dockerfile", 1);
}

#[test]
fn helm_template_is_rendered_not_a_parse_error() {
    let report = report();
    let path = "chart/templates/deployment.yaml";
    assert_eq!(parse_errors(&report, path), vec![]);
    // The chart renders: its Deployment is audited, nothing is skipped.
    let skipped = report["skipped"].as_array().cloned().unwrap_or_default();
    assert!(skipped.iter().all(|s| s["path"] != path), "{skipped:?}");
    let rendered = report["services"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["workloads"].as_array().cloned().unwrap_or_default())
        .any(|w| w["path"] == path && w["id"] == "Deployment/default/release-name-api");
    assert!(rendered, "{}", report["services"]);
    // The chart's plain YAML files are valid and not Kubernetes objects.
    assert_eq!(parse_errors(&report, "chart/Chart.yaml"), vec![]);
    assert_eq!(parse_errors(&report, "chart/values.yaml"), vec![]);
}

#[test]
fn the_good_service_is_still_audited() {
    let report = report();
    // The chart renders a second Deployment of the same image: one service.
    let api = report["services"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["dockerfile"] == "api/Dockerfile"))
        .cloned()
        .unwrap_or_else(|| panic!("service api: {}", report["services"]));
    assert_eq!(api["dockerfile"], "api/Dockerfile");
    assert_eq!(api["listen"]["port"], 8080);
    let mismatch = of_rule(&report, "container-port-mismatch");
    assert_eq!(mismatch.len(), 1, "{:?}", triples(&report));
    assert_eq!(mismatch[0]["location"]["path"], "k8s/api.yaml");
    assert_eq!(mismatch[0]["location"]["line"], 21);
}

#[test]
fn no_other_file_reports_a_parse_error() {
    let report = report();
    let mut paths: Vec<String> = of_rule(&report, "parse-error")
        .into_iter()
        .map(|f| {
            f["location"]["path"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    paths.sort();
    assert_eq!(
        paths,
        [
            "k8s/cache.yaml",
            "k8s/laughs.yaml",
            "legacy/Dockerfile",
            "scripts/export_prices.py",
            "tools/Dockerfile",
            "webhooks/Dockerfile",
        ]
    );
}

#[test]
fn human_output_survives_binary_and_non_utf8_files() {
    // The human renderer quotes source lines; bytes that are not UTF-8 must
    // not crash it (exit 101) but be shown as best it can.
    let run = seamcheck(&[
        "audit",
        &fixture(FIXTURE).to_string_lossy(),
        "--color",
        "never",
    ]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    for path in [
        "legacy/Dockerfile",
        "scripts/export_prices.py",
        "k8s/cache.yaml",
    ] {
        assert!(run.stdout.contains(path), "{path} in:\n{}", run.stdout);
    }
    assert!(
        run.stdout.contains("[container-port-mismatch]"),
        "{}",
        run.stdout
    );
}
