//! Runs the real binary on a fixture and reads its JSON report.
#![allow(dead_code)]

use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

pub fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn seamcheck(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_seamcheck"))
        .args(args)
        .env_remove("NO_COLOR")
        // Reports carry a timestamp: fixed, so two runs are byte-identical.
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .expect("the seamcheck binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `seamcheck audit <fixture> --format json <extra>`: the report and the exit status.
pub fn audit_json(rel: &str, extra: &[&str]) -> (Value, i32) {
    let path = fixture(rel);
    let path = path.to_string_lossy().into_owned();
    let mut args = vec!["audit", path.as_str(), "--format", "json"];
    args.extend_from_slice(extra);
    let run = seamcheck(&args);
    let report: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("invalid JSON ({e}); stderr: {}\n{}", run.stderr, run.stdout));
    (report, run.code)
}

pub fn findings(report: &Value) -> &Vec<Value> {
    report["findings"].as_array().expect("findings is an array")
}

/// `(rule, path, line)` of every finding, sorted.
pub fn triples(report: &Value) -> Vec<(String, String, u64)> {
    let mut v: Vec<_> = findings(report)
        .iter()
        .map(|f| {
            (
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

pub fn of_rule<'a>(report: &'a Value, rule: &str) -> Vec<&'a Value> {
    findings(report)
        .iter()
        .filter(|f| f["rule"] == rule)
        .collect()
}

/// `(rule, path, line)` triples written as literals, sorted like `triples`.
pub fn expected_triples(list: &[(&str, &str, u64)]) -> Vec<(String, String, u64)> {
    let mut v: Vec<_> = list
        .iter()
        .map(|(r, p, l)| (r.to_string(), p.to_string(), *l))
        .collect();
    v.sort();
    v
}
