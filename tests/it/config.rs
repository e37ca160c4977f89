//! `.seamcheck.toml` and the audit flags around it: severities and "off",
//! `[paths] exclude`, `[[services]]`, `--config`, configuration errors
//! (exit 2 naming the key, with a suggestion), `seamcheck init`, and the
//! refusal to pass an audit that found nothing to check.

use crate::support::*;

const BROKEN: &str = "sre-app/broken";

#[test]
fn rule_severities_and_off_apply() {
    let dir = scratch(BROKEN);
    write(
        dir.path(),
        ".seamcheck.toml",
        "[rules]\nmissing-resources = \"error\"\nfull-base-image = \"off\"\nprobe-port-mismatch = \"note\"\n",
    );
    let report = json(&run_in(dir.path(), &[".", "--format", "json"]));
    let findings = report["findings"].as_array().expect("findings");
    let sev = |rule: &str| {
        findings
            .iter()
            .find(|f| f["rule"] == rule)
            .map(|f| f["severity"].as_str().unwrap_or_default().to_string())
    };
    assert_eq!(sev("missing-resources").as_deref(), Some("error"));
    assert_eq!(sev("probe-port-mismatch").as_deref(), Some("note"));
    assert_eq!(sev("full-base-image"), None, "off");
    assert_eq!(
        report["summary"]["errors"], 4,
        "3 errors + missing-resources - probe"
    );
    assert_eq!(report["summary"]["notes"], 2, "cache-busting + probe");

    // --select on the command line wins over "off" in the file.
    let report = json(&run_in(
        dir.path(),
        &[".", "--format", "json", "--select", "full-base-image"],
    ));
    assert_eq!(rules_of(&report), ["full-base-image"]);
}

#[test]
fn excluded_paths_are_not_audited() {
    let dir = scratch(BROKEN);
    write(
        dir.path(),
        "examples/k8s/demo.yaml",
        &read(dir.path(), "k8s/deployment.yaml"),
    );
    write(
        dir.path(),
        "deep/testdata/Dockerfile",
        "FROM ubuntu:22.04\nUSER root\n",
    );
    // Test data is skipped by default; this test is about `exclude`.
    let before = json(&run_in(
        dir.path(),
        &[".", "--format", "json", "--include-test-data"],
    ));
    assert_eq!(before["summary"]["files"], 6);
    write(
        dir.path(),
        ".seamcheck.toml",
        "[paths]\nexclude = [\"examples/**\", \"**/testdata\"]\n",
    );
    let after = json(&run_in(
        dir.path(),
        &[".", "--format", "json", "--include-test-data"],
    ));
    assert_eq!(after["summary"]["files"], 4);
    let paths: Vec<String> = triples(&after).into_iter().map(|t| t.1).collect();
    assert!(paths
        .iter()
        .all(|p| !p.starts_with("examples/") && !p.contains("testdata")));
}

#[test]
fn service_mappings_link_what_names_do_not() {
    let dir = tempfile::tempdir().expect("temp");
    let d = dir.path();
    write(d, "images/one/Dockerfile", "FROM python:3.12-slim\nCOPY app.py /app/\nEXPOSE 8080\nUSER 10001\nCMD [\"python\", \"/app/app.py\"]\n");
    write(d, "images/two/Dockerfile", "FROM python:3.12-slim\nCOPY app.py /app/\nEXPOSE 9000\nUSER 10001\nCMD [\"python\", \"/app/app.py\"]\n");
    write(
        d,
        "images/one/app.py",
        "from flask import Flask\napp = Flask(__name__)\napp.run(host=\"0.0.0.0\", port=8080)\n",
    );
    write(
        d,
        "images/two/app.py",
        "from flask import Flask\napp = Flask(__name__)\napp.run(host=\"0.0.0.0\", port=9000)\n",
    );
    write(
        d,
        "deploy/inventory.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: inventory\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: inventory}\n  template:\n    metadata:\n      labels: {app: inventory}\n    spec:\n      containers:\n        - name: inventory\n          image: registry.example.com/stock-keeper:2.1.0\n          ports:\n            - containerPort: 9000\n",
    );
    let linked = |report: &serde_json::Value| -> Option<String> {
        report["services"]
            .as_array()?
            .iter()
            .find(|s| {
                s["workloads"]
                    .as_array()
                    .is_some_and(|w| w.iter().any(|w| w["id"] == "Deployment/shop/inventory"))
            })
            .and_then(|s| s["dockerfile"].as_str().map(str::to_string))
    };
    let before = json(&run_in(d, &[".", "--format", "json"]));
    assert_eq!(linked(&before), None, "no naming convention links them");
    write(
        d,
        ".seamcheck.toml",
        "[[services]]\nname = \"inventory\"\ndockerfile = \"images/two/Dockerfile\"\nworkloads = [\"Deployment/shop/inventory\"]\n",
    );
    let after = json(&run_in(d, &[".", "--format", "json"]));
    assert_eq!(
        linked(&after).as_deref(),
        Some("images/two/Dockerfile"),
        "{after:#}"
    );
}

#[test]
fn configuration_errors_exit_2_naming_the_key() {
    let dir = scratch(BROKEN);
    for (text, want) in [
        (
            "[rules]\nmissing-resource = \"off\"\n",
            ".seamcheck.toml:2:1: unknown rule `missing-resource` in `[rules]`; did you mean `missing-resources`?",
        ),
        ("[path]\nexclude = []\n", "unknown key `path`; did you mean `paths`?"),
        ("[paths]\nexclud = []\n", "unknown key `exclud` in `[paths]`; did you mean `exclude`?"),
        ("[rules]\nruns-as-root = \"warn\"\n", "did you mean `warning`?"),
        ("[suppressions]\nallowed = false\n", "did you mean `allow`?"),
        ("[rules\n", "invalid TOML"),
    ] {
        write(dir.path(), ".seamcheck.toml", text);
        let run = run_in(dir.path(), &["."]);
        assert_eq!(run.code, 2, "{text}: {}", run.stdout);
        assert!(run.stderr.contains(want), "{text}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "no report on a configuration error");
    }
    // Rule IDs on the command line get the same treatment.
    let run = run_in(dir.path(), &[".", "--ignore", "runs-as-rot"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean `runs-as-root`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_explicit_config_is_used_and_must_exist() {
    let dir = scratch(BROKEN);
    let other = tempfile::tempdir().expect("temp");
    write(
        other.path(),
        "policy.toml",
        "[rules]\nruns-as-root = \"off\"\n",
    );
    let policy = other.path().join("policy.toml");
    let report = json(&run_in(
        dir.path(),
        &[
            ".",
            "--format",
            "json",
            "--config",
            &policy.to_string_lossy(),
        ],
    ));
    assert!(!rules_of(&report).contains(&"runs-as-root".to_string()));
    let run = run_in(dir.path(), &[".", "--config", "missing.toml"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("missing.toml: cannot read"),
        "{}",
        run.stderr
    );
}

#[test]
fn init_writes_a_starter_config_that_changes_nothing() {
    let dir = scratch(BROKEN);
    let before = run_in(dir.path(), &[".", "--format", "json"]).stdout;
    let run = run_in(dir.path(), &["init"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = read(dir.path(), ".seamcheck.toml");
    assert!(text.contains("# missing-resources"), "{text}");
    assert!(text.contains("[suppressions]\n"));
    assert_eq!(
        run_in(dir.path(), &[".", "--format", "json"]).stdout,
        before
    );
    // A second init does not overwrite the file; --force does.
    let again = run_in(dir.path(), &["init"]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert_eq!(run_in(dir.path(), &["init", "--force"]).code, 0);
}

#[test]
fn an_audit_that_found_nothing_to_check_fails_unless_allowed() {
    let dir = tempfile::tempdir().expect("temp");
    write(dir.path(), "README.md", "# nothing here\n");
    write(dir.path(), "notes.txt", "neither\n");
    let run = run_in(dir.path(), &["."]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no file of a known kind"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--allow-empty"));
    let run = run_in(dir.path(), &[".", "--allow-empty", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(json(&run)["summary"]["files"], 0);
    // Excluding everything is the same as finding nothing.
    let dir = scratch(BROKEN);
    write(
        dir.path(),
        ".seamcheck.toml",
        "[paths]\nexclude = [\"**\"]\n",
    );
    assert_eq!(run_in(dir.path(), &["."]).code, 2);
}
