//! The JSON report's dashboard fields: run metadata (version, timestamp,
//! root name, git commit and branch, configuration hash), counts per
//! severity, rule and service, and coverage.

use crate::support::*;
use serde_json::Value;

const C1: &str = "0123456789abcdef0123456789abcdef01234567";

#[test]
fn run_metadata_names_the_tool_time_root_commit_and_config() {
    let dir = scratch("sre-app/broken");
    write(dir.path(), ".git/HEAD", "ref: refs/heads/release/1.2\n");
    write(
        dir.path(),
        ".git/packed-refs",
        &format!("# pack-refs with: peeled\n{C1} refs/heads/release/1.2\n"),
    );
    let report = json(&run_in(dir.path(), &[".", "--format", "json"]));
    let run = &report["run"];
    assert_eq!(run["timestamp"], "2023-11-14T22:13:20Z");
    assert!(run["tool_version"]
        .as_str()
        .is_some_and(|v| v.starts_with(env!("CARGO_PKG_VERSION"))));
    let name = dir
        .path()
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("");
    assert_eq!(run["root_name"], name);
    assert_eq!(run["git_commit"], C1);
    assert_eq!(run["git_branch"], "release/1.2");
    // The plain version stays where version 1 put it.
    assert_eq!(report["tool"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(report["version"], 1);

    // The configuration's hash changes with the configuration, not with
    // its comments.
    let hash = |r: &Value| r["run"]["config_hash"].as_str().unwrap_or("").to_string();
    let base = hash(&report);
    assert_eq!(base.len(), 16);
    write(dir.path(), ".seamcheck.toml", "# only a comment\n");
    assert_eq!(
        hash(&json(&run_in(dir.path(), &[".", "--format", "json"]))),
        base
    );
    write(
        dir.path(),
        ".seamcheck.toml",
        "[rules]\nmissing-resources = \"off\"\n",
    );
    assert_ne!(
        hash(&json(&run_in(dir.path(), &[".", "--format", "json"]))),
        base
    );
    assert_ne!(
        hash(&json(&run_in(
            dir.path(),
            &[".", "--format", "json", "--ignore", "runs-as-root"]
        ))),
        base
    );
}

#[test]
fn a_git_file_pointing_outside_the_root_is_not_read() {
    let top = tempfile::tempdir().expect("temp dir");
    let repo = top.path().join("repo");
    crate::support::copy_dir(&fixture("sre-app/broken"), &repo);
    write(top.path(), "elsewhere/HEAD", &format!("{C1}\n"));
    write(&repo, ".git", "gitdir: ../elsewhere\n");
    let report = json(&run_in(&repo, &[".", "--format", "json"]));
    assert!(
        report["run"].get("git_commit").is_none(),
        "{}",
        report["run"]
    );
    assert_eq!(report["run"]["root_name"], "repo");
}

#[test]
fn counts_add_up_to_the_findings() {
    let report = json(&run_in(
        &fixture("linking/monorepo"),
        &[".", "--format", "json"],
    ));
    let findings = report["findings"].as_array().expect("findings");
    let counts = &report["counts"];
    let sev = |k: &str| counts["by_severity"][k].as_u64().unwrap_or(0);
    assert_eq!(
        sev("errors"),
        report["summary"]["errors"].as_u64().unwrap_or(0)
    );
    assert_eq!(
        sev("warnings"),
        report["summary"]["warnings"].as_u64().unwrap_or(0)
    );
    assert_eq!(
        sev("notes"),
        report["summary"]["notes"].as_u64().unwrap_or(0)
    );
    let by_rule: u64 = counts["by_rule"]
        .as_object()
        .expect("by_rule")
        .values()
        .filter_map(Value::as_u64)
        .sum();
    assert_eq!(by_rule, findings.len() as u64);
    for f in findings {
        let rule = f["rule"].as_str().unwrap_or("");
        assert!(counts["by_rule"][rule].as_u64().unwrap_or(0) >= 1, "{rule}");
        let service = f["service"].as_str().unwrap_or("");
        assert!(counts["by_service"].get(service).is_some(), "{service}");
    }
}

#[test]
fn coverage_tells_clean_from_not_checked() {
    // The incident fixture: one service, every layer there.
    let report = json(&run_in(
        &fixture("sre-app/broken"),
        &[".", "--format", "json"],
    ));
    let c = &report["coverage"];
    assert_eq!(c["services_found"], 1);
    assert_eq!(c["services_checked_end_to_end"], 1);
    assert_eq!(c["workloads_image_not_built_here"], 0);
    assert_eq!(c["dockerfiles_linked_to_nothing"], 0);
    assert_eq!(c["templates_rendered"], 0);
    assert_eq!(c["templates_failed"], 0);

    // A workload running an image built elsewhere, and Dockerfiles nothing runs.
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "k8s/redis.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: cache\nspec:\n  selector:\n    matchLabels:\n      app: cache\n  template:\n    metadata:\n      labels:\n        app: cache\n    spec:\n      containers:\n        - name: redis\n          image: redis:7.2\n          ports:\n            - containerPort: 6379\n",
    );
    write(
        dir.path(),
        "tools/migrate/Dockerfile",
        "FROM alpine:3.20\nUSER 10001\nCMD [\"true\"]\n",
    );
    // Two Dockerfiles, so the one-Dockerfile-one-workload link does not apply.
    write(
        dir.path(),
        "tools/seed/Dockerfile",
        "FROM alpine:3.20\nUSER 10001\nCMD [\"true\"]\n",
    );
    let report = json(&run_in(dir.path(), &[".", "--format", "json"]));
    let c = &report["coverage"];
    assert_eq!(c["services_found"], 3, "{c}");
    assert_eq!(c["services_checked_end_to_end"], 0, "{c}");
    assert_eq!(c["workloads_image_not_built_here"], 1, "{c}");
    assert_eq!(c["unbuilt_workloads"][0], "Deployment/default/cache/redis");
    assert_eq!(c["dockerfiles_linked_to_nothing"], 2, "{c}");
    assert_eq!(c["unlinked_dockerfiles"][0], "tools/migrate/Dockerfile");
    assert_eq!(c["unlinked_dockerfiles"][1], "tools/seed/Dockerfile");
    assert_eq!(c["not_checked"].as_array().map(Vec::len), Some(3));
}
