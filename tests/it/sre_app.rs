//! The seed incident end to end: every problem of the incident report is
//! found with the right rule, file and line; the fixed layout is clean.

use crate::common::*;

fn t(rule: &str, path: &str, line: u64) -> (String, String, u64) {
    (rule.to_string(), path.to_string(), line)
}

#[test]
fn broken_layout_reports_every_problem_of_the_incident() {
    let (report, code) = audit_json("sre-app/broken", &[]);
    let mut expected = vec![
        // application layer
        t("sleep-in-handler", "app/main.py", 12),
        t("probe-handler-error-status", "app/main.py", 18),
        // Dockerfile layer
        t("full-base-image", "Dockerfile", 1),
        t("runs-as-root", "Dockerfile", 1),
        t("cache-busting-copy", "Dockerfile", 5),
        t("expose-port-mismatch", "Dockerfile", 9),
        // Kubernetes layer
        t("missing-liveness-probe", "k8s/deployment.yaml", 18),
        t("missing-resources", "k8s/deployment.yaml", 18),
        t("latest-tag-pull-policy", "k8s/deployment.yaml", 19),
        t("container-port-mismatch", "k8s/deployment.yaml", 21),
        t("probe-port-mismatch", "k8s/deployment.yaml", 25),
    ];
    expected.sort();
    assert_eq!(triples(&report), expected);
    assert_eq!(code, 1, "errors make the audit fail");
}

#[test]
fn cross_layer_findings_point_at_the_code_line() {
    let (report, _) = audit_json("sre-app/broken", &[]);
    for rule in [
        "expose-port-mismatch",
        "container-port-mismatch",
        "probe-port-mismatch",
    ] {
        let f = of_rule(&report, rule);
        assert_eq!(f.len(), 1, "{rule}");
        let related = f[0]["related"].as_array().expect("related");
        assert!(
            related
                .iter()
                .any(|r| r["path"] == "app/main.py" && r["line"] == 22),
            "{rule} shows app.run(port=8080) at app/main.py:22: {related:?}"
        );
        assert!(
            f[0]["message"]
                .as_str()
                .unwrap_or_default()
                .contains("8080"),
            "{rule}"
        );
    }
    let status = of_rule(&report, "probe-handler-error-status");
    let related = status[0]["related"].as_array().expect("related");
    assert!(related
        .iter()
        .any(|r| r["path"] == "k8s/deployment.yaml" && r["line"] == 24));
}

#[test]
fn json_report_follows_the_version_1_contract() {
    let (report, _) = audit_json("sre-app/broken", &[]);
    assert_eq!(report["version"], 1);
    assert_eq!(report["tool"]["name"], "seamcheck");
    let s = &report["summary"];
    assert_eq!(s["files"], 4);
    assert_eq!(s["services"], 1);
    assert_eq!(s["errors"], 4);
    assert_eq!(s["warnings"], 5);
    assert_eq!(s["notes"], 2);
    assert_eq!(report["services"][0]["name"], "sre-app");
    assert_eq!(report["services"][0]["entry"]["path"], "app/main.py");
    assert_eq!(report["services"][0]["listen"]["port"], 8080);
    for f in findings(&report) {
        for key in [
            "rule",
            "severity",
            "message",
            "location",
            "related",
            "fingerprint",
        ] {
            assert!(f.get(key).is_some(), "finding has {key}: {f}");
        }
        let loc = &f["location"];
        for key in ["path", "line", "column", "end_line", "end_column"] {
            assert!(loc.get(key).is_some(), "location has {key}");
        }
        assert!(loc["line"].as_u64().unwrap_or(0) >= 1);
        assert!(loc["column"].as_u64().unwrap_or(0) >= 1);
    }
}

#[test]
fn exact_columns_of_the_port_tokens() {
    let (report, _) = audit_json("sre-app/broken", &[]);
    let cp = &of_rule(&report, "container-port-mismatch")[0]["location"];
    assert_eq!(
        (cp["line"].as_u64(), cp["column"].as_u64()),
        (Some(21), Some(30))
    );
    assert_eq!(cp["end_column"].as_u64(), Some(31));
    let ex = &of_rule(&report, "expose-port-mismatch")[0]["location"];
    assert_eq!(
        (ex["line"].as_u64(), ex["column"].as_u64()),
        (Some(9), Some(8))
    );
}

#[test]
fn fixed_layout_is_clean_even_at_fail_on_note() {
    let (report, code) = audit_json("sre-app/fixed", &["--fail-on", "note"]);
    assert_eq!(triples(&report), vec![]);
    assert_eq!(code, 0);
    assert_eq!(report["services"][0]["listen"]["port"], 8080);
    assert_eq!(report["services"][0]["listen"]["host"], "0.0.0.0");
}

#[test]
fn fail_on_controls_the_exit_status() {
    let (_, code) = audit_json("sre-app/broken", &["--fail-on", "never"]);
    assert_eq!(code, 0);
    let (_, code) = audit_json(
        "sre-app/broken",
        &["--select", "full-base-image", "--fail-on", "warning"],
    );
    assert_eq!(code, 0, "a note does not fail at --fail-on warning");
    let (_, code) = audit_json(
        "sre-app/broken",
        &["--select", "full-base-image", "--fail-on", "note"],
    );
    assert_eq!(code, 1);
}

#[test]
fn output_is_deterministic() {
    let a = seamcheck(&[
        "audit",
        &fixture("sre-app/broken").to_string_lossy(),
        "--format",
        "json",
    ]);
    let b = seamcheck(&[
        "audit",
        &fixture("sre-app/broken").to_string_lossy(),
        "--format",
        "json",
    ]);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn human_output_shows_every_layer_in_one_diagnostic() {
    let run = seamcheck(&[
        "audit",
        &fixture("sre-app/broken").to_string_lossy(),
        "--color",
        "never",
        "--select",
        "container-port-mismatch",
    ]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("[container-port-mismatch]"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("k8s/deployment.yaml:21:30"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("app/main.py"), "{}", run.stdout);
    assert!(run.stdout.contains("app.run(port=8080)"), "{}", run.stdout);
    assert!(
        !run.stdout.contains('\u{1b}'),
        "no colour with --color never"
    );
    assert!(
        run.stdout.trim_end().ends_with("(1 service)"),
        "{}",
        run.stdout
    );
}
