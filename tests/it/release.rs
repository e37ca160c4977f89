//! What installing and releasing rely on: the top-level Dockerfile that
//! builds the seamcheck image is clean under seamcheck's own audit, and
//! `--version` names the commit when built from a git checkout.

use crate::support::*;

#[test]
fn the_release_dockerfile_passes_seamchecks_own_audit() {
    let run = run_in(
        &repo(),
        &[
            "audit",
            "Dockerfile",
            "--fail-on",
            "note",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let report = json(&run);
    assert_eq!(report["findings"].as_array().map(Vec::len), Some(0));
    // Multi-stage, a static binary in an empty image, not root.
    let text = read(&repo(), "Dockerfile");
    assert!(text.contains(" AS build\n"));
    assert!(text.contains("\nFROM scratch\n"));
    assert!(text.contains("-unknown-linux-musl"));
    assert!(text.contains("\nUSER 65532:65532\n"));
    assert!(text.contains("--locked"));
}

#[test]
fn version_names_the_commit_when_built_from_git() {
    let run = run_in(&repo(), &["--version"]);
    assert_eq!(run.code, 0);
    let line = run.stdout.trim();
    let plain = format!("seamcheck {}", env!("CARGO_PKG_VERSION"));
    assert!(line.starts_with(&plain), "{line}");
    if repo().join(".git").exists() {
        let commit = line
            .strip_prefix(&plain)
            .and_then(|rest| rest.trim().strip_prefix('('))
            .and_then(|rest| rest.strip_suffix(')'))
            .unwrap_or_default();
        assert_eq!(commit.len(), 12, "{line}");
        assert!(commit.bytes().all(|b| b.is_ascii_hexdigit()), "{line}");
    } else {
        assert_eq!(line, plain);
    }
}
