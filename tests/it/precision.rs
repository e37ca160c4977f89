//! Issue 13: no false error on real repositories. Each fixture under
//! `fixtures/precision/` is a construct seen on public repositories where a
//! naive check reports an error that is not true; the tests assert the
//! complete set of findings of the linking rules on each.

use crate::common::*;
use serde_json::Value;

const LINK_RULES: &str =
    "service-selector-no-match,ingress-backend-missing,service-target-port-mismatch";

/// `(severity, rule, path, line)` of every finding, sorted.
fn quads(report: &Value) -> Vec<(String, String, String, u64)> {
    let mut v: Vec<_> = findings(report)
        .iter()
        .map(|f| {
            (
                f["severity"].as_str().unwrap_or_default().to_string(),
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["location"]["path"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                f["location"]["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    v.sort();
    v
}

fn q(sev: &str, rule: &str, path: &str, line: u64) -> (String, String, String, u64) {
    (sev.into(), rule.into(), path.into(), line)
}

fn linking(rel: &str, extra: &[&str]) -> (Value, i32) {
    let mut args = vec!["--select", LINK_RULES];
    args.extend_from_slice(extra);
    audit_json(&format!("precision/{rel}"), &args)
}

fn message_of<'r>(report: &'r Value, path: &str) -> &'r str {
    findings(report)
        .iter()
        .find(|f| f["location"]["path"] == path)
        .and_then(|f| f["message"].as_str())
        .unwrap_or_default()
}

#[test]
fn pods_of_jobs_replication_controllers_and_shaped_workloads_are_selected() {
    // job-name (added by the Job controller), a ReplicationController, a
    // LeaderWorkerSet's leader (leaderworkerset.sigs.k8s.io/name), an Argo
    // Rollout whose named port the Service targets.
    let (report, code) = linking("controllers", &[]);
    assert_eq!(quads(&report), vec![], "{report}");
    assert_eq!(code, 0);
    let kinds: Vec<&str> = report["services"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["workloads"].as_array().into_iter().flatten())
        .filter_map(|w| w["id"].as_str())
        .collect();
    for kind in [
        "Job/",
        "ReplicationController/",
        "LeaderWorkerSet/",
        "Rollout/",
    ] {
        assert!(
            kinds.iter().any(|k| k.starts_with(kind)),
            "{kind} in {kinds:?}"
        );
    }
}

#[test]
fn operator_custom_resources_make_a_note_naming_the_creator() {
    let (report, code) = linking("operators", &[]);
    assert_eq!(
        quads(&report),
        vec![
            q("note", "ingress-backend-missing", "eck/02-ingress.yaml", 8),
            q("note", "service-selector-no-match", "cnpg/cluster.yaml", 14),
            q(
                "note",
                "service-selector-no-match",
                "custom/widget.yaml",
                14
            ),
            q(
                "note",
                "service-selector-no-match",
                "eck/02-ingress.yaml",
                17
            ),
            q("note", "service-selector-no-match", "smi/split.yaml", 7),
        ]
    );
    assert_eq!(code, 0);
    assert!(
        message_of(&report, "cnpg/cluster.yaml").contains("CloudNativePG from Cluster `orders-db`")
    );
    assert!(message_of(&report, "custom/widget.yaml").contains("WidgetCluster `gears`"));
    assert!(message_of(&report, "smi/split.yaml").contains("TrafficSplit `web-split`"));
    let eck = findings(&report)
        .iter()
        .find(|f| f["rule"] == "ingress-backend-missing")
        .cloned()
        .unwrap_or_default();
    assert!(
        eck["message"]
            .as_str()
            .unwrap_or_default()
            .contains("ECK operator from Elasticsearch `logs`"),
        "{eck}"
    );
    assert_eq!(
        eck["related"][0]["path"], "eck/01-elasticsearch.yaml",
        "{eck}"
    );
}

#[test]
fn namesakes_in_sibling_applications_do_not_cross_link() {
    // shop/ and blog/ each define `web` (Deployment, Service, Ingress) with
    // different ports; only typo/'s selector is wrong.
    let (report, code) = linking("boundaries", &[]);
    assert_eq!(
        quads(&report),
        vec![q("error", "service-selector-no-match", "typo/api.yaml", 23)]
    );
    assert_eq!(code, 1);
    // Each `web` service belongs to its own unit, and selects only its own pods.
    let units: Vec<String> = report["services"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|s| s["name"].as_str().unwrap_or_default().starts_with("web"))
        .map(|s| {
            format!(
                "{} {}",
                s["unit"]["root"].as_str().unwrap_or("?"),
                s["kube_services"]
            )
        })
        .collect();
    assert_eq!(
        units,
        vec!["blog/k8s [\"default/web\"]", "shop/k8s [\"default/web\"]"],
        "{units:?}"
    );
}

#[test]
fn a_chart_service_beside_unrendered_templates_is_a_note() {
    let (report, code) = linking("chart", &[]);
    assert_eq!(
        quads(&report),
        vec![q(
            "note",
            "service-selector-no-match",
            "web/templates/service.yaml",
            6
        )]
    );
    assert_eq!(code, 0);
    assert!(
        message_of(&report, "web/templates/service.yaml").contains("web/templates/deployment.yaml")
    );
}

#[test]
fn a_service_with_no_workload_near_it_is_a_note() {
    let (report, code) = linking("nothing-near", &[]);
    assert_eq!(
        quads(&report),
        vec![q("note", "service-selector-no-match", "ilb/ilb.yaml", 8)]
    );
    assert_eq!(code, 0);
}

#[test]
fn test_data_is_skipped_with_one_note_unless_asked() {
    let (report, code) = linking("testdata-repo", &[]);
    assert_eq!(quads(&report), vec![]);
    assert_eq!(code, 0);
    let skipped = report["skipped"].as_array().cloned().unwrap_or_default();
    let notes: Vec<&str> = skipped
        .iter()
        .filter_map(|s| s["reason"].as_str())
        .filter(|r| r.contains("test data"))
        .collect();
    assert_eq!(notes.len(), 1, "{skipped:?}");
    assert!(
        notes[0].starts_with("3 files of test data skipped"),
        "{notes:?}"
    );

    let (report, code) = linking("testdata-repo", &["--include-test-data"]);
    assert_eq!(
        quads(&report),
        vec![
            q(
                "error",
                "service-selector-no-match",
                "pkg/render/out.golden.yaml",
                6
            ),
            q(
                "error",
                "service-selector-no-match",
                "pkg/render/testdata/orphan.yaml",
                7
            ),
        ]
    );
    assert_eq!(code, 1);
}

#[test]
fn test_data_config_key_audits_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = fixture("precision/testdata-repo");
    for rel in [
        "deploy/worker.yaml",
        "pkg/render/testdata/orphan.yaml",
        "pkg/render/testdata/worker.yaml",
    ] {
        let to = dir.path().join(rel);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(src.join(rel), &to).expect("copy");
    }
    std::fs::write(
        dir.path().join(".seamcheck.toml"),
        "[paths]\ninclude-test-data = true\n",
    )
    .expect("config");
    let path = dir.path().to_string_lossy().into_owned();
    let run = seamcheck(&[
        "audit",
        &path,
        "--format",
        "json",
        "--select",
        "service-selector-no-match",
    ]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("orphan.yaml"));
}

#[test]
fn listings_exit_quietly_on_a_closed_pipe() {
    // `seamcheck explain ID | head`: the reader is gone before the write.
    for args in [
        &["explain", "service-selector-no-match"][..],
        &["rules"][..],
    ] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_seamcheck"))
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("wait");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    }
}

#[test]
fn categories_select_ignore_and_configure_their_rules() {
    let rules_of = |report: &Value| {
        let mut r: Vec<String> = findings(report)
            .iter()
            .filter_map(|f| f["rule"].as_str().map(str::to_string))
            .collect();
        r.sort();
        r.dedup();
        r
    };
    let (report, _) = audit_json("precision/boundaries", &["--select", "hygiene"]);
    assert_eq!(
        rules_of(&report),
        [
            "missing-liveness-probe",
            "missing-readiness-probe",
            "missing-resources"
        ]
    );
    let (report, code) = audit_json("precision/boundaries", &["--ignore", "hygiene"]);
    assert_eq!(rules_of(&report), ["service-selector-no-match"]);
    assert_eq!(code, 1);
    let run = seamcheck(&["audit", "--select", "hygeine", "."]);
    assert_eq!(run.code, 2, "an unknown category is a usage error");

    let dir = tempfile::tempdir().expect("tempdir");
    let src = fixture("precision/boundaries/typo/api.yaml");
    std::fs::copy(src, dir.path().join("api.yaml")).expect("copy");
    std::fs::write(
        dir.path().join(".seamcheck.toml"),
        "[rules]\nhygiene = \"off\"\nmissing-resources = \"note\"\nwiring = \"warning\"\n",
    )
    .expect("config");
    let path = dir.path().to_string_lossy().into_owned();
    let run = seamcheck(&["audit", &path, "--format", "json"]);
    let report: Value = serde_json::from_str(&run.stdout).expect("json");
    let got: Vec<(String, String)> = findings(&report)
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").into(),
                f["severity"].as_str().unwrap_or("").into(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("missing-resources".to_string(), "note".to_string()),
            (
                "service-selector-no-match".to_string(),
                "warning".to_string()
            ),
        ]
    );
    assert_eq!(run.code, 0);
}

#[test]
fn human_output_puts_errors_first_and_ends_with_tables_and_coverage() {
    let path = fixture("precision/boundaries");
    let run = seamcheck(&["audit", &path.to_string_lossy(), "--color", "never"]);
    let headers: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("── "))
        .collect();
    assert_eq!(headers, ["── 1 error ──", "── 8 warnings ──"]);
    let tail: Vec<&str> = run.stdout.lines().rev().take(2).collect();
    assert!(
        tail[0].starts_with("seamcheck: 1 error, 8 warnings"),
        "{tail:?}"
    );
    assert!(
        tail[1].starts_with("coverage: 0 of 3 services checked end to end"),
        "{tail:?}"
    );
    assert!(run
        .stdout
        .contains("\nby rule:\n  service-selector-no-match  error        1  (wiring)\n"));
    assert!(run.stdout.contains("\nby service:\n"));
}

#[test]
fn what_does_not_run_is_not_linted_as_if_it_did() {
    // A sleeping toolbox Pod, an injected istio-proxy, an image skaffold
    // builds and tags (`shop-web`), a scratch stage carrying a Wasm module,
    // a compose service with a healthcheck: only the real gaps remain.
    let (report, code) = audit_json(
        "precision/not-running",
        &[
            "--select",
            "missing-readiness-probe,missing-liveness-probe,latest-tag-pull-policy,runs-as-root,missing-healthcheck,missing-resources",
        ],
    );
    assert_eq!(
        quads(&report),
        vec![
            q("warning", "latest-tag-pull-policy", "k8s/web.yaml", 32),
            q("warning", "missing-liveness-probe", "k8s/web.yaml", 31),
            q("warning", "missing-readiness-probe", "k8s/web.yaml", 31),
            q("warning", "missing-resources", "k8s/toolbox.yaml", 8),
            q("warning", "missing-resources", "k8s/web.yaml", 16),
            q("warning", "missing-resources", "k8s/web.yaml", 31),
        ]
    );
    assert_eq!(code, 0);
}

#[test]
fn files_are_read_for_what_they_are_not_what_their_name_says() {
    // Dockerfile.md and Dockerfile.j2 are not Dockerfiles; compose-dev.yaml
    // is compose (top-level services:), compose-deployment.yaml a manifest;
    // a sed template with {{cell}} in its name and selector is a template.
    let (report, code) = audit_json("precision/not-what-they-say", &[]);
    assert_eq!(
        quads(&report),
        vec![
            q("note", "missing-healthcheck", "app/Dockerfile", 1),
            q(
                "warning",
                "missing-liveness-probe",
                "compose-deployment.yaml",
                16
            ),
            q(
                "warning",
                "missing-readiness-probe",
                "compose-deployment.yaml",
                16
            ),
            q(
                "warning",
                "missing-resources",
                "compose-deployment.yaml",
                16
            ),
        ]
    );
    assert_eq!(code, 0);
    let services = report["services"].as_array().cloned().unwrap_or_default();
    assert_eq!(services.len(), 1, "{services:?}");
    assert_eq!(services[0]["dockerfile"], "app/Dockerfile");
    assert_eq!(services[0]["compose"][0]["path"], "compose-dev.yaml");
    assert_eq!(
        services[0]["workloads"][0]["path"],
        "compose-deployment.yaml"
    );
    let skipped: Vec<String> = report["skipped"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| {
            format!(
                "{} {}",
                s["path"].as_str().unwrap_or(""),
                s["reason"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        skipped,
        ["vitess/etcd-service-template.yaml templated yaml skipped: not yaml until rendered"]
    );
}

#[test]
fn identical_findings_on_copies_are_reported_once_with_the_copies_listed() {
    let (report, code) = linking("copies", &[]);
    assert_eq!(
        quads(&report),
        vec![q(
            "error",
            "service-selector-no-match",
            "deploy/base/api.yaml",
            23
        )]
    );
    assert_eq!(code, 1);
    let related: Vec<&str> = findings(&report)[0]["related"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["message"].as_str())
        .filter(|m| m.contains("copy"))
        .collect();
    assert_eq!(related, ["the same finding in a copy: release/api.yaml"]);
}
