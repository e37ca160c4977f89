//! The command line's helpers: completions and man page from the clap
//! definition, "did you mean" for a mistyped command, `graph` on a tree
//! with nothing to draw, paths outside the audited root, `--manifests -`,
//! and the human report's layout for large repositories (`--summary`,
//! `--group-by`, `--max-findings` per group, identical messages collapsed).

use crate::support::*;
use std::io::Write;
use std::process::{Command, Stdio};

#[test]
fn completions_and_man_page_come_from_the_cli_definition() {
    let here = repo();
    for (shell, marker) in [
        ("bash", "_seamcheck()"),
        ("zsh", "#compdef seamcheck"),
        ("fish", "complete -c seamcheck"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let run = run_in(&here, &["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(run.stdout.contains(marker), "{shell}");
        for flag in ["group-by", "manifests", "fail-on"] {
            assert!(run.stdout.contains(flag), "{shell}: {flag}");
        }
    }
    let man = run_in(&here, &["man"]);
    assert_eq!(man.code, 0, "{}", man.stderr);
    assert!(man.stdout.contains(".TH seamcheck 1"));
    assert!(man.stdout.contains("completions"));
    let bad = run_in(&here, &["completions", "tcsh"]);
    assert_eq!(bad.code, 2);
}

#[test]
fn a_mistyped_command_gets_a_suggestion_and_a_real_path_stays_a_path() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = run_in(dir.path(), &["grpah"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean `graph`?"),
        "{}",
        run.stderr
    );
    let run = run_in(dir.path(), &["expalin"]);
    assert!(
        run.stderr.contains("did you mean `explain`?"),
        "{}",
        run.stderr
    );
    // A directory of that name is audited, as `seamcheck PATH` always was.
    write(
        dir.path(),
        "grpah/Dockerfile",
        "FROM alpine:3.20\nUSER 10001\nCMD [\"true\"]\n",
    );
    let run = run_in(dir.path(), &["grpah", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(json(&run)["summary"]["files"], 1);
    // A word far from every command is a missing path.
    let run = run_in(dir.path(), &["xyzzy-nothing"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no such file or directory"),
        "{}",
        run.stderr
    );
}

#[test]
fn graph_with_nothing_to_draw_says_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = run_in(dir.path(), &["graph", "."]);
    assert_eq!(run.code, 2, "as audit: nothing of a known kind");
    assert!(run.stderr.contains("nothing to draw"), "{}", run.stderr);
    let run = run_in(dir.path(), &["graph", ".", "--allow-empty"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Files, but no service: said on stderr, exit 0.
    write(dir.path(), "app/main.py", "print('hello')\n");
    let run = run_in(dir.path(), &["graph", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("nothing to draw: no service was linked"),
        "{}",
        run.stderr
    );
}

#[test]
fn paths_outside_the_root_are_shown_with_dotdot_and_get_snippets() {
    let k8s = fixture("sre-app/broken/k8s");
    let report = json(&run_in(
        &k8s,
        &[".", "../Dockerfile", "../app", "--format", "json"],
    ));
    let paths: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["location"]["path"].as_str())
        .collect();
    assert!(paths.contains(&"../Dockerfile"), "{paths:?}");
    assert!(paths.contains(&"deployment.yaml"), "{paths:?}");
    let human = run_in(&k8s, &[".", "../Dockerfile", "../app", "--color", "never"]);
    assert!(
        human.stdout.contains("├─[ ../app/main.py:22:34 ]"),
        "{}",
        human.stdout
    );
    assert!(human
        .stdout
        .contains(" 22 │     app.run(host=\"0.0.0.0\", port=8080)"));
}

fn with_stdin(cwd: &std::path::Path, args: &[&str], input: &[u8]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_seamcheck"))
        .args(args)
        .current_dir(cwd)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    if let Some(mut stdin) = child.stdin.take() {
        // The process may refuse the rest (the size cap): a closed pipe is fine.
        let _ = stdin.write_all(input);
    }
    let out = child.wait_with_output().expect("wait");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn rendered_manifests_on_stdin_are_audited_as_stdin() {
    // `helm template … | seamcheck audit --manifests - .`: here the
    // incident's manifest arrives on stdin, the image and app from the tree.
    let dir = scratch("sre-app/broken");
    let manifest = read(dir.path(), "k8s/deployment.yaml");
    std::fs::remove_dir_all(dir.path().join("k8s")).expect("rm k8s");
    let run = with_stdin(
        dir.path(),
        &["audit", "--manifests", "-", ".", "--format", "json"],
        manifest.as_bytes(),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = json(&run);
    let at_stdin: Vec<(String, u64)> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["location"]["path"] == "<stdin>")
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["location"]["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert!(
        at_stdin.contains(&("container-port-mismatch".to_string(), 21)),
        "{at_stdin:?}"
    );
    assert!(at_stdin.contains(&("probe-port-mismatch".to_string(), 25)));
    // Snippets of the stream too.
    let human = with_stdin(
        dir.path(),
        &["audit", "--manifests", "-", ".", "--color", "never"],
        manifest.as_bytes(),
    );
    assert!(
        human.stdout.contains("├─[ <stdin>:") || human.stdout.contains("╭─[ <stdin>:21:"),
        "{}",
        human.stdout
    );
    assert!(human
        .stdout
        .contains(" 21 │             - containerPort: 80"));
    // The stream is size-capped like any file.
    let big = vec![b'#'; 4096];
    let run = with_stdin(
        dir.path(),
        &["audit", "--manifests", "-", ".", "--max-file-size", "1000"],
        &big,
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("larger than the 1000-byte limit"),
        "{}",
        run.stderr
    );
    let run = run_in(dir.path(), &["audit", "--manifests", "x.yaml", "."]);
    assert_eq!(run.code, 2);
}

fn many_workloads(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut yaml = String::new();
    for i in 0..n {
        yaml.push_str(&format!(
            "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: w{i}\nspec:\n  selector:\n    matchLabels: {{app: w{i}}}\n  template:\n    metadata:\n      labels: {{app: w{i}}}\n    spec:\n      containers:\n        - name: c\n          image: shop/w{i}:1.0.0\n"
        ));
    }
    write(dir.path(), "k8s/all.yaml", &yaml);
    dir
}

#[test]
fn identical_messages_are_drawn_once_with_the_other_places() {
    // Each workload is a service of its own: grouped by rule, the eight
    // identical messages of each rule are one group.
    let dir = many_workloads(8);
    let run = run_in(dir.path(), &[".", "--color", "never", "--group-by", "rule"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Two rules, eight workloads each: two diagnostics drawn.
    assert_eq!(run.stdout.matches("[missing-resources]").count(), 1);
    assert_eq!(run.stdout.matches("[missing-liveness-probe]").count(), 1);
    assert_eq!(
        run.stdout
            .matches("… and 7 more places: k8s/all.yaml:")
            .count(),
        2,
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(", …\n"),
        "more than five places end with …"
    );
}

#[test]
fn group_by_rule_caps_each_rule_and_summary_prints_only_tables() {
    let dir = scratch("sre-app/broken");
    let by_rule = run_in(
        dir.path(),
        &[
            ".",
            "--color",
            "never",
            "--group-by",
            "rule",
            "--max-findings",
            "1",
        ],
    );
    assert_eq!(by_rule.code, 1);
    // Eleven rules, one finding each: every rule keeps its one.
    assert_eq!(
        by_rule.stdout.matches("── rule ").count(),
        11,
        "{}",
        by_rule.stdout
    );
    assert!(by_rule
        .stdout
        .contains("── rule container-port-mismatch: 1 error, 0 warnings, 0 notes ──"));
    let by_file = run_in(dir.path(), &[".", "--color", "never", "--group-by", "file"]);
    assert!(
        by_file.stdout.contains("── file Dockerfile: "),
        "{}",
        by_file.stdout
    );
    assert!(by_file.stdout.contains("── file k8s/deployment.yaml: "));

    let many = many_workloads(30);
    let capped = run_in(
        many.path(),
        &[
            ".",
            "--color",
            "never",
            "--group-by",
            "rule",
            "--max-findings",
            "2",
        ],
    );
    assert!(
        capped
            .stdout
            .contains("note: 56 more findings not shown (--max-findings 2 per rule)"),
        "{}",
        capped.stdout
    );

    let summary = run_in(dir.path(), &[".", "--summary"]);
    assert_eq!(summary.code, 1);
    assert!(!summary.stdout.contains("╭─["), "no diagnostics");
    assert!(summary.stdout.contains("findings by rule:\n"));
    assert!(
        summary
            .stdout
            .contains("  container-port-mismatch     1 error\n"),
        "{}",
        summary.stdout
    );
    assert!(summary
        .stdout
        .contains("  sre-app: 4 errors, 5 warnings, 2 notes\n"));
    assert!(summary
        .stdout
        .ends_with("seamcheck: 4 errors, 5 warnings, 2 notes in 4 files (1 service)\n"));
}
