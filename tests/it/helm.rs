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

fn run(dir: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_seamcheck"))
        .args(["--format", "json"])
        .args(args)
        .arg(fixtures().join(dir))
        .output()
        .expect("seamcheck runs")
}

fn report_with(dir: &str, args: &[&str]) -> Value {
    let out = run(dir, args);
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("JSON report: {e}: {}", String::from_utf8_lossy(&out.stderr)))
}

/// The chart's default values agree with the app; `deploy/prod-values.yaml`
/// sets a port the app does not listen on.
const PROD_PORT: (&str, &str, u64) = ("container-port-mismatch", "deploy/prod-values.yaml", 4);

/// What the prod context deploys wrong: the containerPort (at the line of
/// `prod-values.yaml` that sets it), and the probes that name the port
/// `http`, now 9090 (at the template lines that name it).
const PROD: &[(&str, &str, u64)] = &[
    PROD_PORT,
    ("probe-port-mismatch", "chart/templates/deployment.yaml", 25),
    ("probe-port-mismatch", "chart/templates/deployment.yaml", 29),
];

fn owned(f: &[(&str, &str, u64)]) -> Vec<(String, String, u64)> {
    f.iter()
        .map(|(r, p, l)| (r.to_string(), p.to_string(), *l))
        .collect()
}

#[test]
fn without_extra_values_the_chart_is_clean() {
    let r = report("values-context");
    assert_eq!(findings(&r), vec![], "{:#}", r["findings"]);
    assert_eq!(r["skipped"], serde_json::json!([]), "{}", r["skipped"]);
}

#[test]
fn a_values_flag_renders_one_more_context_and_reports_at_its_line() {
    let r = report_with(
        "values-context",
        &["--values", "chart=deploy/prod-values.yaml"],
    );
    assert_eq!(findings(&r), owned(PROD), "{:#}", r["findings"]);
    let rel = related(&r, PROD_PORT.0, PROD_PORT.1, PROD_PORT.2);
    assert!(
        rel.contains(&("chart/templates/deployment.yaml".into(), 21)),
        "{rel:?}"
    );
    assert!(rel.contains(&("shop/app/app.py".into(), 12)), "{rel:?}");
    assert_eq!(r["skipped"], serde_json::json!([]), "{}", r["skipped"]);
    // Two files for one chart: one context, the later file wins (the tag of
    // replicas.yaml, the port of prod-values.yaml still).
    let r = report_with(
        "values-context",
        &[
            "--values",
            "chart=deploy/prod-values.yaml",
            "--values",
            "./chart=deploy/replicas.yaml",
        ],
    );
    assert_eq!(findings(&r), owned(PROD), "{:#}", r["findings"]);
    // A values file that sets nothing wrong adds nothing.
    let r = report_with(
        "values-context",
        &["--values", "chart=deploy/replicas.yaml"],
    );
    assert_eq!(findings(&r), vec![], "{:#}", r["findings"]);
}

#[test]
fn charts_in_the_configuration_are_values_contexts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("seamcheck.toml");
    std::fs::write(
        &config,
        "[[charts]]\npath = \"chart\"\nvalues = [\"deploy/prod-values.yaml\"]\n\
         release = \"prod\"\nnamespace = \"shop\"\n",
    )
    .expect("config written");
    let config = config.to_string_lossy().into_owned();
    let r = report_with("values-context", &["--config", &config]);
    // In its own namespace, the prod Service selects only the prod pods:
    // its `targetPort: http` reaches 9090 too.
    let mut expected = PROD.to_vec();
    expected.push((
        "service-target-port-mismatch",
        "chart/templates/service.yaml",
        12,
    ));
    assert_eq!(findings(&r), owned(&expected), "{:#}", r["findings"]);
    let rel = related(&r, PROD_PORT.0, PROD_PORT.1, PROD_PORT.2);
    assert!(rel.contains(&("shop/app/app.py".into(), 12)), "{rel:?}");
    assert_eq!(r["skipped"], serde_json::json!([]), "{}", r["skipped"]);
}

#[test]
fn values_outside_the_root_or_not_a_chart_are_usage_errors() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["--values", "chart=../create-app/prod-values.yaml"],
            "--values chart=../create-app/prod-values.yaml: `../create-app/prod-values.yaml` \
             is not inside the audited directory",
        ),
        (
            &["--values", "chart=deploy/missing.yaml"],
            "`deploy/missing.yaml`: no such file or directory",
        ),
        (
            &["--values", "deploy=deploy/prod-values.yaml"],
            "`deploy` is not a Helm chart directory (no Chart.yaml)",
        ),
        (&["--values", "chart"], "expected CHART=FILE"),
    ];
    for (args, message) in cases {
        let out = run("values-context", args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    let outside = fixtures().join("create-app/prod-values.yaml");
    let outside = format!("chart={}", outside.display());
    let out = run("values-context", &["--values", &outside]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("is not inside the audited directory"),
        "{stderr}"
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("seamcheck.toml");
    std::fs::write(
        &config,
        "[rules]\n[[charts]]\npath = \"chart\"\nvalues = [\"../clean/values.yaml\"]\n",
    )
    .expect("config written");
    let config = config.to_string_lossy().into_owned();
    let out = run("values-context", &["--config", &config]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("seamcheck.toml:2: `[[charts]]`: `../clean/values.yaml` is not inside"),
        "{stderr}"
    );
}

/// A gzipped tar of `(path, bytes)` regular files; names are written raw
/// (`set_path` refuses `..`, which a hostile archive holds).
fn tgz(files: &[(&str, &[u8])]) -> Vec<u8> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut b = tar::Builder::new(gz);
    for (path, bytes) in files {
        let mut h = tar::Header::new_gnu();
        h.set_size(bytes.len() as u64);
        h.set_mode(0o644);
        h.set_entry_type(tar::EntryType::Regular);
        h.as_old_mut().name[..path.len()].copy_from_slice(path.as_bytes());
        h.set_cksum();
        b.append(&h, *bytes).expect("appended");
    }
    b.into_inner().expect("tar").finish().expect("gzip")
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("dir");
    for e in std::fs::read_dir(from).expect("listed").flatten() {
        let target = to.join(e.file_name());
        if e.file_type().expect("type").is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).expect("copied");
        }
    }
}

#[test]
fn a_packaged_subchart_is_audited_and_a_hostile_one_is_a_note() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("values-context");
    copy_dir(&fixtures().join("values-context"), &root);
    let charts = root.join("chart/charts");
    std::fs::create_dir_all(&charts).expect("charts/");
    let deployment = b"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n\
        \x20 selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n\
        \x20     labels: {app: web}\n    spec:\n      containers:\n        - name: web\n\
        \x20         image: registry.example.com/shop:1\n          ports:\n\
        \x20           - containerPort: {{ .Values.port }}\n";
    std::fs::write(
        charts.join("web-1.0.0.tgz"),
        tgz(&[
            (
                "web/Chart.yaml",
                b"apiVersion: v2\nname: web\nversion: 1.0.0\n",
            ),
            ("web/values.yaml", b"# the subchart's port\nport: 7070\n"),
            ("web/templates/deployment.yaml", deployment),
        ]),
    )
    .expect("archive written");
    std::fs::write(
        charts.join("evil-1.0.0.tgz"),
        tgz(&[("evil/../../escape.yaml", b"kind: Secret\n")]),
    )
    .expect("archive written");
    let out = Command::new(env!("CARGO_BIN_EXE_seamcheck"))
        .args(["--format", "json"])
        .arg(&root)
        .output()
        .expect("seamcheck runs");
    let r: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("JSON report: {e}: {}", String::from_utf8_lossy(&out.stderr)));
    let archive = "chart/charts/web-1.0.0.tgz!/web";
    let t = |rule: &str, path: String, line: u64| (rule.to_string(), path, line);
    assert_eq!(
        findings(&r),
        vec![
            t(
                "container-port-mismatch",
                format!("{archive}/values.yaml"),
                2
            ),
            t(
                "missing-liveness-probe",
                format!("{archive}/templates/deployment.yaml"),
                13
            ),
            t(
                "missing-readiness-probe",
                format!("{archive}/templates/deployment.yaml"),
                13
            ),
            t(
                "missing-resources",
                format!("{archive}/templates/deployment.yaml"),
                13
            ),
        ],
        "{:#}",
        r["findings"]
    );
    assert_eq!(
        r["skipped"],
        serde_json::json!([{
            "path": "chart/charts/evil-1.0.0.tgz",
            "reason": "packaged subchart `evil-1.0.0.tgz` is not rendered: entry `evil/../../escape.yaml` leaves the archive (`..`, empty or `.` component)"
        }])
    );
    // Every format renders a location inside an archive (no snippet: it is
    // not a file of the tree).
    for format in ["human", "sarif", "github", "gitlab", "markdown", "html"] {
        let out = Command::new(env!("CARGO_BIN_EXE_seamcheck"))
            .args(["--format", format])
            .arg(&root)
            .output()
            .expect("seamcheck runs");
        assert_eq!(
            out.status.code(),
            Some(1),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("web-1.0.0.tgz!/web/values.yaml"),
            "{format}"
        );
    }
}
