//! Helpers for the CI-integration tests: run the binary in a directory,
//! scratch copies of fixtures, and JSON Schema validation.
#![allow(dead_code)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(rel: &str) -> PathBuf {
    repo().join("fixtures").join(rel)
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `seamcheck ARGS` in `cwd`.
pub fn run_in(cwd: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_seamcheck"))
        .args(args)
        .current_dir(cwd)
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

pub fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("invalid JSON ({e}); stderr: {}\n{}", run.stderr, run.stdout))
}

/// A scratch copy of a fixture directory.
pub fn scratch(rel: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&fixture(rel), dir.path());
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read fixture dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

pub fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, text).expect("write");
}

pub fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).expect("read")
}

/// Replaces the 1-based line `n` of a file.
pub fn edit_line(dir: &Path, rel: &str, n: usize, f: impl FnOnce(&str) -> String) {
    let text = read(dir, rel);
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let line = lines.get_mut(n - 1).expect("line exists");
    *line = f(line);
    write(dir, rel, &(lines.join("\n") + "\n"));
}

/// Every validation error of `instance` against `schema`, as text.
pub fn schema_errors(schema: &Value, instance: &Value) -> Vec<String> {
    // Formats (`uri`, `uri-reference` …) are checked too, not only structure.
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .expect("the schema compiles");
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// `(rule, path, line)` of every finding, sorted (the same helper as `common`).
pub use crate::common::triples;

pub fn rules_of(report: &Value) -> Vec<String> {
    let mut v: Vec<String> = triples(report).into_iter().map(|t| t.0).collect();
    v.dedup();
    v
}

/// Whether this is a CI run: there, optional tools must be present.
pub fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}
