//! The pre-commit hooks (`.pre-commit-hooks.yaml`) run by the real
//! `pre-commit` from PyPI on a scratch git repository, and the composite
//! GitHub Action (`action.yml`) whose steps are run as the runner would run
//! them, with the runner's files (`GITHUB_STEP_SUMMARY`, `GITHUB_OUTPUT` …)
//! in a temp dir.
//!
//! Not run here: the `language: rust` hook's `cargo install` and the
//! action's install and SARIF-upload steps (a release build of the whole
//! workspace and GitHub's API); the hook manifest is still validated by
//! `pre-commit validate-manifest`, and the action's audit step uses the
//! binary under test. Without `pre-commit` or PyYAML these tests skip,
//! except under CI (`CI` set), where `.ci/run` installs them and a missing
//! tool is a failure.

use crate::support::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// How to run pre-commit here, if it is installed.
fn pre_commit() -> Option<Vec<String>> {
    for candidate in [vec!["pre-commit"], vec!["python3", "-m", "pre_commit"]] {
        let ok = Command::new(candidate[0])
            .args(&candidate[1..])
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        if ok {
            return Some(candidate.into_iter().map(str::to_string).collect());
        }
    }
    assert!(
        !in_ci(),
        "pre-commit is required under CI (pip install pre-commit)"
    );
    eprintln!("skipping: pre-commit is not installed");
    None
}

fn has_pyyaml() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import yaml"])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(ok || !in_ci(), "python3 with PyYAML is required under CI");
    if !ok {
        eprintln!("skipping: python3 with PyYAML is not available");
    }
    ok
}

/// The directory of the binary under test, first on PATH.
fn path_with_binary() -> String {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_seamcheck"));
    let dir = bin.parent().expect("bin dir").to_path_buf();
    let old = std::env::var("PATH").unwrap_or_default();
    format!("{}:{old}", dir.display())
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=seamcheck test",
            "-c",
            "user.email=test@example.com",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn the_hook_manifest_is_valid() {
    let Some(pc) = pre_commit() else { return };
    let out = Command::new(&pc[0])
        .args(&pc[1..])
        .args(["validate-manifest", ".pre-commit-hooks.yaml"])
        .current_dir(repo())
        .output()
        .expect("pre-commit runs");
    assert!(out.status.success(), "{}", text(&out));
}

#[test]
fn the_pre_commit_hook_gates_a_scratch_repository() {
    let Some(pc) = pre_commit() else { return };
    let tmp = tempfile::tempdir().expect("temp");
    // A hooks repository holding this repository's manifest, committed (a
    // `rev` must name a commit).
    let hooks = tmp.path().join("hooks");
    write(
        &hooks,
        ".pre-commit-hooks.yaml",
        &read(&repo(), ".pre-commit-hooks.yaml"),
    );
    git(&hooks, &["init", "-q"]);
    git(&hooks, &["add", "-A"]);
    git(&hooks, &["commit", "-q", "-m", "hooks"]);
    let rev = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(&hooks)
        .output()
        .expect("rev-parse");
    let rev = String::from_utf8_lossy(&rev.stdout).trim().to_string();

    let run_hook = |fixture_rel: &str, extra: &[&str]| -> Output {
        let project = tmp
            .path()
            .join(format!("project-{}", fixture_rel.replace('/', "-")));
        if !project.exists() {
            let copy = scratch(fixture_rel);
            for rel in [
                "Dockerfile",
                "app/main.py",
                "app/requirements.txt",
                "k8s/deployment.yaml",
                "k8s/service.yaml",
            ] {
                write(&project, rel, &read(copy.path(), rel));
            }
            write(&project, "README.md", "# demo\n");
            write(
                &project,
                ".pre-commit-config.yaml",
                &format!(
                    "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: seamcheck-system\n",
                    hooks.display()
                ),
            );
            git(&project, &["init", "-q"]);
            git(&project, &["add", "-A"]);
        }
        Command::new(&pc[0])
            .args(&pc[1..])
            .arg("run")
            .args(extra)
            .current_dir(&project)
            .env("PATH", path_with_binary())
            .env("PRE_COMMIT_HOME", tmp.path().join("cache"))
            .env_remove("NO_COLOR")
            .output()
            .expect("pre-commit runs")
    };

    let broken = run_hook("sre-app/broken", &["--all-files"]);
    let out = text(&broken);
    assert_eq!(broken.status.code(), Some(1), "{out}");
    assert!(out.contains("Failed"), "{out}");
    assert!(out.contains("[container-port-mismatch]"), "{out}");
    assert!(out.contains("k8s/deployment.yaml:21:30"), "{out}");

    // Only a README changed: the hook does not run.
    let readme = run_hook("sre-app/broken", &["--files", "README.md"]);
    let out = text(&readme);
    assert_eq!(readme.status.code(), Some(0), "{out}");
    assert!(out.contains("Skipped"), "{out}");

    let fixed = run_hook("sre-app/fixed", &["--all-files"]);
    let out = text(&fixed);
    assert_eq!(fixed.status.code(), Some(0), "{out}");
    assert!(out.contains("Passed"), "{out}");
}

/// Runs the steps of action.yml that have a `run:` script (not the cargo
/// install, not the upload), with `inputs` over the defaults, in `workspace`.
const ACTION_DRIVER: &str = r#"
import json, os, re, subprocess, sys
import yaml
action_file, workspace, overrides, runner = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4]
action = yaml.safe_load(open(action_file))
inputs = {k: str(v.get("default", "")) for k, v in action["inputs"].items()}
inputs.update(overrides)
def sub(s):
    return re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: inputs[m.group(1)], s)
assert action["runs"]["using"] == "composite"
results = {}
for step in action["runs"]["steps"]:
    if "run" not in step:
        continue
    assert "${{" not in step["run"], "inputs must reach scripts through env, not ${{ }}"
    assert step["shell"] == "bash"
    if step.get("id") == "install":
        assert "inputs.install" in step["if"]
        continue
    env = dict(os.environ)
    env.update({k: sub(str(v)) for k, v in step.get("env", {}).items()})
    env.update(RUNNER_TEMP=runner, GITHUB_STEP_SUMMARY=os.path.join(runner, "summary.md"),
               GITHUB_OUTPUT=os.path.join(runner, "output.txt"), GITHUB_PATH=os.path.join(runner, "path.txt"))
    r = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                       env=env, cwd=workspace, capture_output=True, text=True)
    sys.stdout.write(r.stdout)
    sys.stderr.write(r.stderr)
    results[step.get("id", "?")] = r.returncode
print("RESULTS " + json.dumps(results))
"#;

fn run_action(workspace: &Path, runner: &Path, inputs: &str) -> (String, String) {
    let out = Command::new("python3")
        .args([
            "-c",
            ACTION_DRIVER,
            &repo().join("action.yml").to_string_lossy(),
            &workspace.to_string_lossy(),
            inputs,
            &runner.to_string_lossy(),
        ])
        .env("PATH", path_with_binary())
        .output()
        .expect("python3 runs");
    assert!(out.status.success(), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let results = stdout
        .lines()
        .find_map(|l| l.strip_prefix("RESULTS "))
        .unwrap_or_default()
        .to_string();
    (stdout, results)
}

#[test]
fn the_action_annotates_summarises_and_writes_sarif() {
    if !has_pyyaml() {
        return;
    }
    let tmp = tempfile::tempdir().expect("temp");
    let workspace = tmp.path().join("workspace");
    let copy = scratch("sre-app/broken");
    for rel in [
        "Dockerfile",
        "app/main.py",
        "app/requirements.txt",
        "k8s/deployment.yaml",
        "k8s/service.yaml",
    ] {
        write(
            &workspace.join("services/sre"),
            rel,
            &read(copy.path(), rel),
        );
    }
    let runner = tmp.path().join("runner");
    std::fs::create_dir_all(&runner).expect("runner dir");

    let (stdout, results) = run_action(&workspace, &runner, r#"{"path": "services/sre"}"#);
    assert_eq!(results, r#"{"audit": 1}"#, "{stdout}");
    // Annotations carry paths from the workspace root.
    assert!(stdout.contains(
        "::error file=services/sre/k8s/deployment.yaml,line=21,col=30,endLine=21,endColumn=31,title=container-port-mismatch::"
    ), "{stdout}");
    let summary = read(&runner, "summary.md");
    assert!(summary.starts_with("## seamcheck: failed"), "{summary}");
    assert!(read(&runner, "output.txt").contains("exit-code=1"));
    let sarif: serde_json::Value =
        serde_json::from_str(&read(&workspace, "seamcheck.sarif")).expect("sarif");
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(
        sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
            ["uri"]
            .as_str()
            .map(|u| u.starts_with("services/sre/")),
        Some(true)
    );

    // fail-on and extra arguments are passed through.
    let (stdout, results) = run_action(
        &workspace,
        &runner,
        r#"{"path": "services/sre", "fail-on": "never", "args": "--select probe-port-mismatch", "sarif-file": "out/x.sarif"}"#,
    );
    assert_eq!(results, r#"{"audit": 0}"#, "{stdout}");
    assert_eq!(stdout.matches("::error ").count(), 1, "{stdout}");
    assert!(
        workspace.join("out/x.sarif").is_file(),
        "the output directory is created"
    );
}
