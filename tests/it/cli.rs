//! The report's JSON Schema (generated from the Rust types, checked in,
//! and real reports validated against it), and the smaller commands:
//! `graph`, `rules`, `explain`.

use crate::support::*;
use serde_json::Value;

#[test]
fn report_schema_is_current() {
    let path = repo().join("docs/report.schema.json");
    let want = seamcheck::report::json::schema();
    if std::env::var_os("SEAMCHECK_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &want).expect("write docs/report.schema.json");
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/report.schema.json is stale: run SEAMCHECK_UPDATE_DOCS=1 cargo test --test it cli::"
    );
}

#[test]
fn real_reports_validate_against_the_schema() {
    let schema: Value = serde_json::from_str(&seamcheck::report::json::schema()).expect("schema");
    // The schema is strict enough to catch a wrong report.
    assert!(!schema_errors(&schema, &serde_json::json!({"version": 1})).is_empty());

    let suppressed = scratch("sre-app/broken");
    edit_line(suppressed.path(), "k8s/deployment.yaml", 21, |l| {
        format!("{l}  # seamcheck: ignore[container-port-mismatch] -- reason")
    });
    let dirs = [
        fixture("sre-app/broken"),
        fixture("sre-app/fixed"),
        fixture("bad-input"),
        fixture("linking/monorepo"),
        suppressed.path().to_path_buf(),
    ];
    for dir in &dirs {
        let run = run_in(dir, &[".", "--format", "json", "--show-suppressed"]);
        let report = json(&run);
        let errors = schema_errors(&schema, &report);
        assert!(errors.is_empty(), "{}: {errors:#?}", dir.display());
    }
    // A broken report (a field of the wrong type) does not validate.
    let mut report = json(&run_in(&dirs[0], &[".", "--format", "json"]));
    report["findings"][0]["location"]["line"] = Value::from("21");
    assert!(!schema_errors(&schema, &report).is_empty());
}

#[test]
fn json_report_keeps_the_version_1_fields() {
    let report = json(&run_in(
        &fixture("sre-app/broken"),
        &[".", "--format", "json"],
    ));
    assert_eq!(report["version"], 1);
    for key in ["tool", "root", "summary", "services", "findings", "skipped"] {
        assert!(report.get(key).is_some(), "{key}");
    }
    for key in [
        "files",
        "services",
        "errors",
        "warnings",
        "notes",
        "suppressed",
        "baselined",
    ] {
        assert!(report["summary"][key].is_u64(), "summary.{key}");
    }
    let f = &report["findings"][0];
    for key in [
        "rule",
        "severity",
        "message",
        "service",
        "location",
        "related",
        "fingerprint",
    ] {
        assert!(f.get(key).is_some(), "finding.{key}");
    }
}

#[test]
fn graph_runs_the_audit_in_every_format() {
    for format in ["text", "dot", "mermaid", "json"] {
        let run = run_in(
            &fixture("sre-app/broken"),
            &["graph", ".", "--format", format],
        );
        assert_eq!(run.code, 0, "{format}: {}", run.stderr);
    }
    let run = run_in(
        &fixture("sre-app/broken"),
        &["graph", ".", "--format", "svg"],
    );
    assert_eq!(run.code, 2);
    let run = run_in(&fixture("sre-app/broken"), &["graph", "no/such/dir"]);
    assert_eq!(run.code, 2);
}

#[test]
fn rules_and_explain_know_unused_suppression() {
    let run = run_in(&repo(), &["rules", "--format", "json"]);
    let rules: Value = serde_json::from_str(&run.stdout).expect("json");
    assert!(rules
        .as_array()
        .expect("list")
        .iter()
        .any(|r| r["id"] == "unused-suppression" && r["severity"] == "note"));
    let run = run_in(&repo(), &["explain", "unused-suppression"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("## How to fix"));
    let run = run_in(&repo(), &["explain", "unused-supression"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean `unused-suppression`?"),
        "{}",
        run.stderr
    );
}
