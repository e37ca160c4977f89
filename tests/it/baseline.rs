//! Baselines: `--write-baseline` records today's findings, `--baseline`
//! hides exactly those; the baseline survives edits that shift lines and
//! stops matching when the facts change.

use crate::support::*;
use serde_json::Value;
use std::path::Path;

const BROKEN: &str = "sre-app/broken";

fn audit(dir: &Path, extra: &[&str]) -> (Value, i32) {
    let mut args = vec![".", "--format", "json"];
    args.extend_from_slice(extra);
    let run = run_in(dir, &args);
    (json(&run), run.code)
}

fn fingerprints(report: &Value) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["fingerprint"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

/// Adds `n` comment lines at the top of a file (YAML, Python and
/// Dockerfile all use `#`).
fn shift(dir: &Path, rel: &str, n: usize) {
    let text = read(dir, rel);
    write(dir, rel, &("# unrelated edit\n".repeat(n) + &text));
}

#[test]
fn fingerprints_survive_line_shifts_and_follow_the_facts() {
    let dir = scratch(BROKEN);
    let d = dir.path();
    let (before, _) = audit(d, &[]);
    for rel in ["k8s/deployment.yaml", "app/main.py", "Dockerfile"] {
        shift(d, rel, 3);
    }
    let (after, _) = audit(d, &[]);
    assert_ne!(triples(&before), triples(&after), "lines moved");
    assert_eq!(fingerprints(&before), fingerprints(&after));
    // Changing a fact changes that finding's fingerprint, not the others'.
    edit_line(d, "k8s/deployment.yaml", 24, |l| l.replace("80", "81"));
    let (changed, _) = audit(d, &[]);
    let differ: Vec<String> = fingerprints(&after)
        .into_iter()
        .zip(fingerprints(&changed))
        .filter(|(a, b)| a != b)
        .map(|(a, _)| a.0)
        .collect();
    assert_eq!(
        differ,
        ["container-port-mismatch"],
        "{:#?}",
        triples(&changed)
    );
}

#[test]
fn a_baseline_hides_todays_findings_and_reports_new_ones() {
    let dir = scratch(BROKEN);
    let d = dir.path();
    let (today, code) = audit(d, &[]);
    assert_eq!(code, 1);
    let count = today["findings"].as_array().expect("findings").len();

    // Writing the baseline passes the run: everything is now known.
    let run = run_in(
        d,
        &[
            ".",
            "--format",
            "json",
            "--write-baseline",
            "seamcheck-baseline.json",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = json(&run);
    assert_eq!(report["summary"]["baselined"], count);
    assert_eq!(report["findings"].as_array().map(Vec::len), Some(0));
    let file: Value = serde_json::from_str(&read(d, "seamcheck-baseline.json")).expect("baseline");
    assert_eq!(file["version"], 1);
    assert_eq!(file["findings"].as_array().map(Vec::len), Some(count));
    assert!(file["findings"][0]["fingerprint"].is_string());

    // Unrelated edits that shift every line: still clean.
    for rel in ["k8s/deployment.yaml", "app/main.py", "Dockerfile"] {
        shift(d, rel, 5);
    }
    let (report, code) = audit(d, &["--baseline", "seamcheck-baseline.json"]);
    assert_eq!(code, 0, "{:#?}", triples(&report));
    assert_eq!(report["summary"]["baselined"], count);

    // A new problem is reported; the known ones stay hidden.
    edit_line(d, "k8s/deployment.yaml", 21 + 5, |l| l.replace("80", "81"));
    let (report, code) = audit(
        d,
        &["--baseline", "seamcheck-baseline.json", "--show-suppressed"],
    );
    assert_eq!(code, 1);
    assert_eq!(rules_of(&report), ["container-port-mismatch"]);
    assert!(report["findings"][0]["message"]
        .as_str()
        .is_some_and(|m| m.contains("81")));
    let hidden = report["suppressed"].as_array().expect("listed");
    assert_eq!(hidden.len(), count - 1);
    assert!(hidden
        .iter()
        .all(|h| h["suppression"]["kind"] == "baseline"));

    // The human summary says what the baseline hid.
    let run = run_in(
        d,
        &[
            ".",
            "--color",
            "never",
            "--baseline",
            "seamcheck-baseline.json",
        ],
    );
    assert!(
        run.stdout.contains(&format!(
            "hidden: 0 suppressed inline, {} in the baseline",
            count - 1
        )),
        "{}",
        run.stdout
    );
}

#[test]
fn a_bad_baseline_is_a_usage_error() {
    let dir = scratch(BROKEN);
    write(dir.path(), "bad.json", "{\"not\": \"a baseline\"}");
    let run = run_in(dir.path(), &[".", "--baseline", "bad.json"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("bad.json: not a seamcheck baseline"),
        "{}",
        run.stderr
    );
    let run = run_in(dir.path(), &[".", "--baseline", "missing.json"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("cannot read the baseline"),
        "{}",
        run.stderr
    );
}

#[test]
fn fingerprints_survive_a_base_image_tag_bump() {
    // The incident's image runs as root on a full `python` base: bumping
    // the base's tag is the same two findings for a baseline.
    let dir = scratch(BROKEN);
    let d = dir.path();
    let (before, _) = audit(d, &[]);
    let text = read(d, "Dockerfile");
    let from = text
        .lines()
        .find(|l| l.starts_with("FROM "))
        .expect("a FROM line")
        .to_string();
    let (image, _) = from["FROM ".len()..]
        .split_once(':')
        .expect("a tagged base");
    write(
        d,
        "Dockerfile",
        &text.replacen(&from, &format!("FROM {image}:3.13"), 1),
    );
    let (after, _) = audit(d, &[]);
    let rules_of = |r: &Value, id: &str| -> Vec<(String, String)> {
        fingerprints(r)
            .into_iter()
            .filter(|(rule, _)| rule == id)
            .collect()
    };
    for id in ["runs-as-root", "full-base-image"] {
        let was = rules_of(&before, id);
        assert!(!was.is_empty(), "{id} fires on the incident");
        assert_eq!(was, rules_of(&after, id), "{id}");
    }
}
