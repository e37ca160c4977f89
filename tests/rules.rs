//! One fixture where each rule fires and one where it must not, run end to end
//! through the real binary (`fixtures/rules/<rule-id>/{fires,clean}`).
//!
//! A `fires` fixture marks every finding it expects inline, under the line
//! (`# ^ rule-id`, `// ^ rule-id`; `# v rule-id` above it where nothing may
//! follow): the test asserts the rule's findings are exactly the marked lines,
//! so an extra hit fails as a missing one does, and nobody counts lines.
//!
//! Each `clean` fixture is the near miss a naive linter gets wrong; where the
//! verdict depends on a resolved value (the port, the host, the code that
//! runs), the test also checks that seamcheck resolved it, so that "no
//! finding" means "understood and fine", not "understood nothing".

mod common;
use common::*;
use serde_json::Value;

const ERROR: &str = "error";
const WARNING: &str = "warning";
const NOTE: &str = "note";

/// The report and exit status of `rules/<rule>/<variant>`, with only `rule` selected.
fn run(rule: &str, variant: &str) -> (Value, i32) {
    audit_json(&format!("rules/{rule}/{variant}"), &["--select", rule])
}

/// The findings a fixture expects, from its inline markers (clippy UI-test
/// style): a comment `# ^ rule-id` (`// ^ rule-id`) under the line a finding
/// is on, or `# v rule-id` above it (where nothing may follow the line, as
/// in a file cut short for `parse-error`). One marker per finding; a marker
/// names the nearest line before (after) it that is not a marker.
fn marked(dir: &str, rule: &str) -> Vec<(String, u64)> {
    let root = fixture(dir);
    let mut out = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("fixture dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let rel = path
                .strip_prefix(&root)
                .expect("inside the fixture")
                .to_string_lossy()
                .replace('\\', "/");
            let lines: Vec<&str> = text.lines().collect();
            let marker = |line: &str| -> Option<(char, String)> {
                let rest = line.trim_start();
                let rest = rest.strip_prefix("//").or_else(|| rest.strip_prefix('#'))?;
                let rest = rest.trim_start();
                let dir = rest.chars().next().filter(|c| *c == '^' || *c == 'v')?;
                let id = rest[1..].strip_prefix(' ')?.trim();
                id.chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-')
                    .then(|| (dir, id.to_string()))
            };
            for (i, line) in lines.iter().enumerate() {
                let Some((dir, id)) = marker(line) else {
                    continue;
                };
                if id != rule {
                    continue;
                }
                let target = if dir == '^' {
                    (0..i).rev().find(|&j| marker(lines[j]).is_none())
                } else {
                    (i + 1..lines.len()).find(|&j| marker(lines[j]).is_none())
                };
                let target =
                    target.unwrap_or_else(|| panic!("{rel}:{}: marker names no line", i + 1));
                out.push((rel.clone(), target as u64 + 1));
            }
        }
    }
    out.sort();
    out
}

/// `rule` fires on `rules/<rule>/fires` exactly where the fixture's markers
/// say — every marked line, and nothing else — with `severity`, and the exit
/// status follows the default `--fail-on error`. Returns the findings in
/// path and line order.
fn assert_fires_all(rule: &str, severity: &str) -> Vec<Value> {
    let (report, code) = run(rule, "fires");
    let expected = marked(&format!("rules/{rule}/fires"), rule);
    assert!(!expected.is_empty(), "{rule}: the fixture marks no finding");
    let mut found: Vec<Value> = of_rule(&report, rule).into_iter().cloned().collect();
    found.sort_by_key(|f| {
        (
            f["location"]["path"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            f["location"]["line"].as_u64().unwrap_or_default(),
        )
    });
    let at: Vec<(String, u64)> = found
        .iter()
        .map(|f| {
            (
                f["location"]["path"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                f["location"]["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        at,
        expected,
        "{rule}: findings vs markers; all: {:?}",
        triples(&report)
    );
    // `--select` leaves this rule alone in the report.
    assert_eq!(
        findings(&report).len(),
        found.len(),
        "{:?}",
        triples(&report)
    );
    for hit in &found {
        assert_eq!(hit["severity"], severity, "{rule}: {hit}");
        assert!(
            hit["location"]["column"].as_u64().unwrap_or(0) >= 1,
            "{rule}: {hit}"
        );
    }
    let expected_code = if severity == ERROR { 1 } else { 0 };
    assert_eq!(code, expected_code, "{rule}: exit status");
    found
}

/// [`assert_fires_all`] for a fixture with one marked finding, in `path`.
fn assert_fires(rule: &str, severity: &str, path: &str) -> Value {
    let found = assert_fires_all(rule, severity);
    let [hit] = found.as_slice() else {
        panic!("{rule}: one finding expected, got {found:?}");
    };
    assert_eq!(hit["location"]["path"], path, "{rule}");
    hit.clone()
}

/// `rule` does not fire on `rules/<rule>/clean`; returns the report for more checks.
fn assert_clean(rule: &str) -> Value {
    let (report, code) = run(rule, "clean");
    assert_eq!(
        of_rule(&report, rule).len(),
        0,
        "{rule}: {:?}",
        triples(&report)
    );
    assert_eq!(code, 0, "{rule}: exit status");
    report
}

/// The service built from a Dockerfile of the scan (each fixture has one).
fn built_service(report: &Value) -> &Value {
    report["services"]
        .as_array()
        .and_then(|s| s.iter().find(|s| !s["dockerfile"].is_null()))
        .unwrap_or_else(|| panic!("a service built by a Dockerfile: {}", report["services"]))
}

/// The listen port of the first workload linked to the built service.
fn workload_port(report: &Value) -> Value {
    built_service(report)["workloads"][0]["listen"]["port"].clone()
}

// ---------------------------------------------------------------- ports

#[test]
fn expose_port_mismatch_fires() {
    let f = assert_fires("expose-port-mismatch", ERROR, "Dockerfile");
    assert!(
        f["message"].as_str().unwrap_or_default().contains("8080"),
        "{f}"
    );
}

#[test]
fn expose_port_mismatch_clean() {
    // EXPOSE ${PORT} with ENV PORT=8080, gunicorn reading PORT; app.run(port=5000) is dev-only.
    let report = assert_clean("expose-port-mismatch");
    assert_eq!(built_service(&report)["listen"]["port"], 8080);
}

#[test]
fn container_port_mismatch_fires() {
    assert_fires("container-port-mismatch", ERROR, "k8s/deployment.yaml");
}

#[test]
fn container_port_mismatch_clean() {
    // The image listens on 8000; the Deployment's env PORT=9090 moves it to the declared 9090.
    let report = assert_clean("container-port-mismatch");
    assert_eq!(built_service(&report)["listen"]["port"], 8000);
    assert_eq!(workload_port(&report), 9090);
}

#[test]
fn probe_port_mismatch_fires() {
    assert_fires("probe-port-mismatch", ERROR, "k8s/deployment.yaml");
}

#[test]
fn probe_port_mismatch_clean() {
    // `port: http` resolves to containerPort 8080, where gunicorn binds.
    let report = assert_clean("probe-port-mismatch");
    assert_eq!(workload_port(&report), 8080);
}

#[test]
fn service_target_port_mismatch_fires() {
    assert_fires("service-target-port-mismatch", ERROR, "k8s/service.yaml");
}

#[test]
fn service_target_port_mismatch_clean() {
    // No targetPort: it defaults to `port` (8080), the app's port.
    let report = assert_clean("service-target-port-mismatch");
    assert_eq!(workload_port(&report), 8080);
}

// ---------------------------------------------------------------- wiring

#[test]
fn service_selector_no_match_fires() {
    assert_fires("service-selector-no-match", ERROR, "k8s/service.yaml");
}

#[test]
fn service_selector_no_match_clean() {
    // Pod labels (not the Deployment's own labels) match; a selector-less Service is intended.
    let report = assert_clean("service-selector-no-match");
    assert_eq!(
        built_service(&report)["kube_services"][0],
        "default/billing"
    );
}

#[test]
fn ingress_backend_missing_fires() {
    assert_fires("ingress-backend-missing", ERROR, "k8s/ingress.yaml");
}

#[test]
fn ingress_backend_missing_clean() {
    // Backends by Service port name and by Service port number, in namespace `shop`.
    assert_clean("ingress-backend-missing");
}

#[test]
fn localhost_bind_fires() {
    // uvicorn without --host binds 127.0.0.1.
    assert_fires("localhost-bind", ERROR, "Dockerfile");
}

#[test]
fn localhost_bind_clean() {
    // app.run() (127.0.0.1:5000) sits under the main guard; gunicorn binds 0.0.0.0.
    let report = assert_clean("localhost-bind");
    assert_eq!(built_service(&report)["listen"]["host"], "0.0.0.0");
}

// ---------------------------------------------------------------- handlers

#[test]
fn probe_path_unserved_fires() {
    let found = assert_fires_all("probe-path-unserved", ERROR);
    assert_eq!(found.len(), 2, "the readiness and the liveness probe");
}

#[test]
fn probe_path_unserved_clean() {
    // `/ready` and `/live` on an APIRouter with prefix `/ops` serve /ops/ready and /ops/live.
    let report = assert_clean("probe-path-unserved");
    assert_eq!(built_service(&report)["entry"]["path"], "app/main.py");
}

#[test]
fn probe_handler_error_status_fires() {
    assert_fires("probe-handler-error-status", ERROR, "app/main.py");
}

#[test]
fn probe_handler_error_status_clean() {
    // 503 only until warmed up, then 200: right for a readiness probe.
    let report = assert_clean("probe-handler-error-status");
    assert_eq!(built_service(&report)["entry"]["path"], "app/main.py");
}

#[test]
fn sleep_in_handler_fires() {
    let f = assert_fires("sleep-in-handler", WARNING, "app/main.py");
    assert!(
        f["message"]
            .as_str()
            .unwrap_or_default()
            .contains("event loop"),
        "{f}"
    );
}

#[test]
fn sleep_in_handler_clean() {
    // Sleeps in a refresher thread and a startup retry; `await asyncio.sleep` in the handler.
    assert_clean("sleep-in-handler");
}

// ---------------------------------------------------------------- users

#[test]
fn run_as_non_root_unverifiable_fires() {
    let f = assert_fires("run-as-non-root-unverifiable", ERROR, "k8s/deployment.yaml");
    let related = f["related"].as_array().cloned().unwrap_or_default();
    assert!(
        related
            .iter()
            .any(|r| r["path"] == "Dockerfile" && r["line"] == 12),
        "shows USER appuser: {related:?}"
    );
}

#[test]
fn run_as_non_root_unverifiable_clean() {
    // USER 10001:10001 in the final stage; the builder stage's named user does not run.
    let report = assert_clean("run-as-non-root-unverifiable");
    assert_eq!(
        built_service(&report)["workloads"].as_array().map(Vec::len),
        Some(1)
    );
}

#[test]
fn runs_as_root_fires() {
    assert_fires("runs-as-root", WARNING, "Dockerfile");
}

#[test]
fn runs_as_root_clean() {
    // No USER, but the pod sets runAsNonRoot and runAsUser.
    let report = assert_clean("runs-as-root");
    assert_eq!(
        built_service(&report)["workloads"].as_array().map(Vec::len),
        Some(1)
    );
}

// ---------------------------------------------------------------- workload hygiene

#[test]
fn latest_tag_pull_policy_fires() {
    assert_fires("latest-tag-pull-policy", WARNING, "k8s/deployment.yaml");
}

#[test]
fn latest_tag_pull_policy_clean() {
    // `:latest` with imagePullPolicy: Always, and a pinned init container.
    assert_clean("latest-tag-pull-policy");
}

#[test]
fn missing_resources_fires() {
    // A CPU limit but no memory limit.
    assert_fires("missing-resources", WARNING, "k8s/deployment.yaml");
}

#[test]
fn missing_resources_clean() {
    // Requests and a memory limit; no CPU limit on purpose.
    assert_clean("missing-resources");
}

#[test]
fn missing_readiness_probe_fires() {
    assert_fires("missing-readiness-probe", WARNING, "k8s/deployment.yaml");
}

#[test]
fn missing_readiness_probe_clean() {
    // A CronJob, and a queue worker with no port and no Service.
    let report = assert_clean("missing-readiness-probe");
    assert_eq!(
        built_service(&report)["workloads"].as_array().map(Vec::len),
        Some(2)
    );
}

#[test]
fn missing_liveness_probe_fires() {
    assert_fires("missing-liveness-probe", WARNING, "k8s/deployment.yaml");
}

#[test]
fn missing_liveness_probe_clean() {
    // A CronJob and a migration Job run to completion.
    let report = assert_clean("missing-liveness-probe");
    assert_eq!(
        built_service(&report)["workloads"].as_array().map(Vec::len),
        Some(2)
    );
}

#[test]
fn debug_mode_enabled_fires() {
    // CMD python app/main.py runs the main guard's app.run(debug=True).
    assert_fires("debug-mode-enabled", WARNING, "app/main.py");
}

#[test]
fn debug_mode_enabled_clean() {
    // The same debug=True under the main guard, but CMD is gunicorn.
    let report = assert_clean("debug-mode-enabled");
    assert_eq!(built_service(&report)["entry"]["path"], "app/main.py");
}

// ---------------------------------------------------------------- images

#[test]
fn full_base_image_fires() {
    assert_fires("full-base-image", NOTE, "Dockerfile");
}

#[test]
fn full_base_image_clean() {
    // The full python:3.12 only builds wheels; the final stage is slim.
    assert_clean("full-base-image");
}

#[test]
fn cache_busting_copy_fires() {
    assert_fires("cache-busting-copy", NOTE, "Dockerfile");
}

#[test]
fn cache_busting_copy_clean() {
    // Dependencies from requirements.txt first; after `COPY . .` only `pip install --no-deps .`.
    assert_clean("cache-busting-copy");
}

#[test]
fn missing_healthcheck_fires() {
    assert_fires("missing-healthcheck", NOTE, "Dockerfile");
}

#[test]
fn missing_healthcheck_clean() {
    // No HEALTHCHECK, but the Deployment that runs the image probes it.
    let report = assert_clean("missing-healthcheck");
    assert_eq!(
        built_service(&report)["dockerfile"],
        "services/notifier/Dockerfile"
    );
}

// ---------------------------------------------------------------- parsing

#[test]
fn parse_error_fires() {
    assert_fires("parse-error", ERROR, "k8s/service.yaml");
}

#[test]
fn parse_error_clean() {
    // Multi-document YAML with merge keys, a Helm template, a CI workflow, a
    // Dockerfile with a heredoc, Python `match`: all valid.
    let report = assert_clean("parse-error");
    let skipped = report["skipped"].as_array().cloned().unwrap_or_default();
    assert!(
        skipped
            .iter()
            .any(|s| s["path"] == "chart/templates/service.yaml"),
        "the Helm template is skipped with a note: {skipped:?}"
    );
}

// ---------------------------------------------------------------- value flow

#[test]
fn port_env_required_fires() {
    let f = assert_fires("port-env-required", WARNING, "app.py");
    assert!(
        f["related"][0]["path"] == "Dockerfile" && f["related"][0]["line"] == 7,
        "{f}"
    );
}

#[test]
fn port_env_required_clean() {
    // ENV PORT=8080 in the image: os.environ["PORT"] resolves.
    let report = assert_clean("port-env-required");
    assert_eq!(built_service(&report)["listen"]["port"], 8080);
}

#[test]
fn port_env_ignored_fires() {
    let f = assert_fires("port-env-ignored", WARNING, "Dockerfile");
    assert!(
        f["message"]
            .as_str()
            .unwrap_or_default()
            .contains("listens on 8000"),
        "{f}"
    );
}

#[test]
fn port_env_ignored_clean() {
    // gunicorn with no --bind reads PORT itself.
    let report = assert_clean("port-env-ignored");
    assert_eq!(built_service(&report)["listen"]["port"], 8000);
    assert_eq!(built_service(&report)["listen"]["host"], "0.0.0.0");
}

#[test]
fn expose_unresolved_fires() {
    assert_fires("expose-unresolved", NOTE, "Dockerfile");
}

#[test]
fn expose_unresolved_clean() {
    assert_clean("expose-unresolved");
}

#[test]
fn healthcheck_tool_missing_fires() {
    let f = assert_fires("healthcheck-tool-missing", WARNING, "Dockerfile");
    assert_eq!(f["location"]["column"], 32, "points at `curl`: {f}");
}

#[test]
fn healthcheck_tool_missing_clean() {
    // The same slim image installs curl.
    assert_clean("healthcheck-tool-missing");
}

#[test]
fn healthcheck_port_mismatch_fires() {
    let f = assert_fires("healthcheck-port-mismatch", WARNING, "Dockerfile");
    assert!(
        f["message"].as_str().unwrap_or_default().contains("8080"),
        "{f}"
    );
}

#[test]
fn healthcheck_port_mismatch_fires_on_an_unserved_path() {
    let (report, _) = run("healthcheck-port-mismatch", "path-fires");
    assert_eq!(
        triples(&report),
        vec![(
            "healthcheck-port-mismatch".to_string(),
            "Dockerfile".to_string(),
            8
        )]
    );
}

#[test]
fn healthcheck_port_mismatch_clean() {
    assert_clean("healthcheck-port-mismatch");
}

// ---------------------------------------------------------------- compose

#[test]
fn compose_port_mismatch_fires() {
    // compose sets PORT=5001, which gunicorn reads; the container side is still 5000.
    let f = assert_fires("compose-port-mismatch", ERROR, "compose.yaml");
    assert!(
        f["message"]
            .as_str()
            .unwrap_or_default()
            .contains("listens on 5001"),
        "{f}"
    );
    assert!(f["related"]
        .as_array()
        .expect("related")
        .iter()
        .any(|r| r["path"] == "compose.yaml" && r["line"] == 5));
}

#[test]
fn compose_port_mismatch_clean() {
    assert_clean("compose-port-mismatch");
}
