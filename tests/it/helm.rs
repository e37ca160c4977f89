//! Helm charts end to end through the CLI: the chart is rendered natively
//! and findings land on the `values.yaml` line where the fix goes, with the
//! template line as related evidence.

use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/helm")
}

fn report(dir: &str) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_seamcheck"))
        .args(["--format", "json"])
        .arg(fixtures().join(dir))
        .output()
        .expect("seamcheck runs");
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("JSON report: {e}: {}", String::from_utf8_lossy(&out.stderr)))
}

fn findings(report: &Value) -> Vec<(String, String, u64)> {
    let mut out: Vec<(String, String, u64)> = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                f["location"]["path"].as_str().unwrap_or("").to_string(),
                f["location"]["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    out.sort();
    out
}

/// The related locations of the finding of `rule` at `path:line`.
fn related(report: &Value, rule: &str, path: &str, line: u64) -> Vec<(String, u64)> {
    report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| {
            f["rule"] == rule && f["location"]["path"] == path && f["location"]["line"] == line
        })
        .flat_map(|f| f["related"].as_array().cloned().unwrap_or_default())
        .map(|r| {
            let loc = if r["location"].is_object() {
                &r["location"]
            } else {
                &r
            };
            (
                loc["path"].as_str().unwrap_or("").to_string(),
                loc["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn helm_create_chart_reports_at_values_yaml_with_the_template_line_related() {
    let r = report("create-app");
    let t = |rule: &str, path: &str, line: u64| (rule.to_string(), path.to_string(), line);
    assert_eq!(
        findings(&r),
        vec![
            t("container-port-mismatch", "chart/values.yaml", 19),
            t("probe-path-unserved", "chart/values.yaml", 34),
            t("probe-path-unserved", "chart/values.yaml", 38),
            t("probe-port-mismatch", "chart/values.yaml", 35),
            t("probe-port-mismatch", "chart/values.yaml", 39),
            t("runs-as-root", "Dockerfile", 1),
            t(
                "service-target-port-mismatch",
                "chart/templates/service.yaml",
                11
            ),
        ],
        "{:#}",
        r["findings"]
    );
    let rel = related(&r, "container-port-mismatch", "chart/values.yaml", 19);
    assert!(
        rel.contains(&("chart/templates/deployment.yaml".into(), 28)),
        "{rel:?}"
    );
    assert!(rel.contains(&("app/app.py".into(), 12)), "{rel:?}");
    let rel = related(&r, "probe-path-unserved", "chart/values.yaml", 34);
    assert!(
        rel.contains(&("chart/templates/deployment.yaml".into(), 31)),
        "{rel:?}"
    );
    // Nothing of the chart is skipped: the test hook, NOTES.txt and the
    // helpers render nothing, and every template rendered.
    assert_eq!(r["skipped"], serde_json::json!([]), "{}", r["skipped"]);
}

#[test]
fn a_missing_required_value_is_a_note_and_the_rest_is_audited() {
    let r = report("required");
    assert_eq!(
        r["skipped"],
        serde_json::json!([{
            "path": "templates/secret.yaml",
            "reason": "Helm template `templates/secret.yaml` not rendered: error calling required: database.url is required"
        }])
    );
    // The Service still renders and is audited: it is clean.
    assert_eq!(findings(&r), vec![], "{:#}", r["findings"]);
}

#[test]
fn a_clean_chart_reports_nothing() {
    let r = report("clean");
    assert_eq!(findings(&r), vec![], "{:#}", r["findings"]);
    assert_eq!(r["skipped"], serde_json::json!([]), "{}", r["skipped"]);
}
