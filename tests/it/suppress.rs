//! Inline suppressions end to end: each file type's comment syntax, at the
//! end of the line or on the line above (always above in a Dockerfile),
//! counted in the summary, listed with --show-suppressed, unused ones
//! reported as `unused-suppression` notes, and the configuration's policy.

use crate::support::*;
use serde_json::Value;

const BROKEN: &str = "sre-app/broken";

fn audit(dir: &std::path::Path, extra: &[&str]) -> (Value, i32) {
    let mut args = vec![".", "--format", "json"];
    args.extend_from_slice(extra);
    let run = run_in(dir, &args);
    (json(&run), run.code)
}

fn has(report: &Value, rule: &str) -> bool {
    rules_of(report).iter().any(|r| r == rule)
}

/// The incident with three suppressions: YAML at the end of the line,
/// Dockerfile on the line above, Python at the end of the line.
fn suppressed_incident() -> tempfile::TempDir {
    let dir = scratch(BROKEN);
    let d = dir.path();
    edit_line(d, "k8s/deployment.yaml", 21, |l| {
        format!(
            "{l}  # seamcheck: ignore[container-port-mismatch] -- the mesh sidecar listens on 80"
        )
    });
    edit_line(d, "Dockerfile", 9, |l| {
        format!("# seamcheck: ignore[expose-port-mismatch] -- EXPOSE is documentation here\n{l}")
    });
    edit_line(d, "app/main.py", 12, |l| {
        format!("{l}  # seamcheck: ignore[sleep-in-handler]")
    });
    dir
}

#[test]
fn suppressions_in_each_syntax_hide_their_findings() {
    let dir = suppressed_incident();
    let (report, code) = audit(dir.path(), &[]);
    assert_eq!(code, 1, "probe-port-mismatch and others remain");
    for rule in [
        "container-port-mismatch",
        "expose-port-mismatch",
        "sleep-in-handler",
    ] {
        assert!(
            !has(&report, rule),
            "{rule} suppressed: {:#?}",
            triples(&report)
        );
    }
    assert!(has(&report, "probe-port-mismatch"));
    assert!(
        !has(&report, "unused-suppression"),
        "{:#?}",
        triples(&report)
    );
    assert_eq!(report["summary"]["suppressed"], 3);
    assert_eq!(report["summary"]["errors"], 2);
    assert!(report.get("suppressed").is_none(), "listed only on request");
}

#[test]
fn show_suppressed_lists_them_with_their_reason() {
    let dir = suppressed_incident();
    let (report, _) = audit(dir.path(), &["--show-suppressed"]);
    let listed = report["suppressed"].as_array().expect("suppressed list");
    assert_eq!(listed.len(), 3);
    let cpm = listed
        .iter()
        .find(|s| s["rule"] == "container-port-mismatch")
        .expect("listed");
    assert_eq!(cpm["location"]["line"], 21);
    assert_eq!(cpm["suppression"]["kind"], "inline");
    assert_eq!(cpm["suppression"]["path"], "k8s/deployment.yaml");
    assert_eq!(cpm["suppression"]["line"], 21);
    assert_eq!(
        cpm["suppression"]["reason"],
        "the mesh sidecar listens on 80"
    );
    let sleep = listed
        .iter()
        .find(|s| s["rule"] == "sleep-in-handler")
        .expect("sleep");
    assert!(sleep["suppression"].get("reason").is_none());
    // The human report says how many were hidden and, on request, which.
    let run = run_in(dir.path(), &[".", "--color", "never", "--show-suppressed"]);
    assert!(
        run.stdout
            .contains("hidden: 3 suppressed inline, 0 in the baseline"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(
        "suppressed error[container-port-mismatch]: containerPort 80 but the app listens on 8080 at k8s/deployment.yaml:21:30 by k8s/deployment.yaml:21 (the mesh sidecar listens on 80)"
    ), "{}", run.stdout);
}

#[test]
fn a_directive_only_covers_its_line_and_rule() {
    let dir = scratch(BROKEN);
    let d = dir.path();
    // Above line 21, but for the probe rule: the containerPort finding stays,
    // and the directive is unused (the probe finding is on line 25).
    edit_line(d, "k8s/deployment.yaml", 21, |l| {
        format!("            # seamcheck: ignore[probe-port-mismatch]\n{l}")
    });
    // A Dockerfile has no end-of-line comments: this is not a directive.
    edit_line(d, "Dockerfile", 11, |l| {
        format!("{l}\n# seamcheck: ignore[expose-port-mismatch]")
    });
    let (report, _) = audit(d, &[]);
    assert!(has(&report, "container-port-mismatch"));
    assert!(has(&report, "probe-port-mismatch"));
    assert!(has(&report, "expose-port-mismatch"));
    let unused: Vec<(String, String, u64)> = triples(&report)
        .into_iter()
        .filter(|t| t.0 == "unused-suppression")
        .collect();
    assert_eq!(
        unused,
        [
            (
                "unused-suppression".to_string(),
                "Dockerfile".to_string(),
                12
            ),
            (
                "unused-suppression".to_string(),
                "k8s/deployment.yaml".to_string(),
                21
            ),
        ]
    );
    let note = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| {
            f["rule"] == "unused-suppression" && f["location"]["path"] == "k8s/deployment.yaml"
        })
        .expect("note");
    assert_eq!(note["severity"], "note");
    assert_eq!(note["location"]["column"], 15);
    assert_eq!(
        note["message"],
        "suppression of `probe-port-mismatch` matches no finding on the line it covers"
    );
}

#[test]
fn unknown_and_malformed_directives_are_reported() {
    let dir = scratch(BROKEN);
    let d = dir.path();
    edit_line(d, "k8s/deployment.yaml", 21, |l| {
        format!("{l}  # seamcheck: ignore[container-port-mismatc]")
    });
    edit_line(d, "app/main.py", 12, |l| {
        format!("{l}  # seamcheck: ignore sleep-in-handler")
    });
    let (report, _) = audit(d, &[]);
    let messages: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "unused-suppression")
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "malformed suppression: expected `[` after `ignore`",
            "suppression names an unknown rule `container-port-mismatc` (did you mean `container-port-mismatch`?)",
        ]
    );
    assert!(has(&report, "container-port-mismatch"));
    assert!(has(&report, "sleep-in-handler"));
}

#[test]
fn directives_for_rules_that_did_not_run_are_not_unused() {
    let dir = suppressed_incident();
    let (report, _) = audit(
        dir.path(),
        &["--select", "probe-port-mismatch,unused-suppression"],
    );
    assert_eq!(rules_of(&report), ["probe-port-mismatch"]);
    // unused-suppression itself can be turned off.
    let dir = scratch(BROKEN);
    edit_line(dir.path(), "app/main.py", 1, |l| {
        format!("{l}  # seamcheck: ignore[localhost-bind]")
    });
    let (report, _) = audit(dir.path(), &[]);
    assert!(has(&report, "unused-suppression"));
    let (report, _) = audit(dir.path(), &["--ignore", "unused-suppression"]);
    assert!(!has(&report, "unused-suppression"));
}

#[test]
fn a_central_policy_can_forbid_inline_suppressions_or_demand_reasons() {
    let dir = suppressed_incident();
    write(
        dir.path(),
        ".seamcheck.toml",
        "[suppressions]\nallow = false\n",
    );
    let (report, _) = audit(dir.path(), &[]);
    for rule in [
        "container-port-mismatch",
        "expose-port-mismatch",
        "sleep-in-handler",
    ] {
        assert!(has(&report, rule), "{rule} is reported despite the comment");
    }
    assert_eq!(report["summary"]["suppressed"], 0);
    let notes: Vec<&Value> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "unused-suppression")
        .collect();
    assert_eq!(notes.len(), 3);
    assert!(notes[0]["message"]
        .as_str()
        .is_some_and(|m| m.contains("disabled by the configuration")));

    write(
        dir.path(),
        ".seamcheck.toml",
        "[suppressions]\nrequire-reason = true\n",
    );
    let (report, _) = audit(dir.path(), &[]);
    assert_eq!(
        report["summary"]["suppressed"], 2,
        "the Python one gives no reason"
    );
    assert!(has(&report, "sleep-in-handler"));
}

#[test]
fn javascript_directives_use_slashes() {
    let dir = tempfile::tempdir().expect("temp");
    let d = dir.path();
    write(
        d,
        "web/server.js",
        "const express = require('express');\nconst app = express();\n// seamcheck: ignore[localhost-bind] -- dev-only server\napp.listen(3000, '127.0.0.1'); // seamcheck: ignore[sleep-in-handler]\n",
    );
    write(
        d,
        "web/Dockerfile",
        "FROM node:20-slim\nWORKDIR /app\nCOPY . .\nEXPOSE 3000\nUSER node\nCMD [\"node\", \"server.js\"]\n",
    );
    let (report, _) = audit(d, &["--show-suppressed"]);
    assert!(!has(&report, "localhost-bind"), "{:#?}", triples(&report));
    let hidden = report["suppressed"].as_array().expect("listed");
    assert_eq!(hidden.len(), 1, "{hidden:#?}");
    assert_eq!(hidden[0]["rule"], "localhost-bind");
    assert_eq!(hidden[0]["location"]["line"], 4);
    assert_eq!(hidden[0]["suppression"]["reason"], "dev-only server");
    // The end-of-line `//` directive is found, at its exact place, and
    // reported: no sleep-in-handler finding is on that line.
    let notes: Vec<(u64, u64)> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "unused-suppression")
        .map(|f| {
            (
                f["location"]["line"].as_u64().unwrap_or_default(),
                f["location"]["column"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(notes, [(4, 35)], "{:#?}", triples(&report));
}
