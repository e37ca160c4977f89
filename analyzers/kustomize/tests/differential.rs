//! Every kustomization of the fixtures rendered by seamcheck and by
//! `kubectl kustomize`, compared object by object after normalisation
//! (key order, document order, scalar spelling).

mod support;

use seamcheck_kustomize::compare::normalized_documents;
use std::process::Command;
use support::{fixtures, DirTree};

fn kubectl_available() -> bool {
    Command::new("kubectl")
        .args(["version", "--client"])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn renders_match_kubectl_kustomize() {
    if !kubectl_available() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "kubectl is required under CI (.ci/run installs it)"
        );
        eprintln!("skipped: kubectl not found (the differential test needs `kubectl kustomize`)");
        return;
    }
    let root = fixtures();
    let tree = DirTree::new(&root);
    let dirs = tree.kustomization_dirs();
    let rendered = seamcheck_kustomize::render_all(&tree, &dirs);
    let (mut compared, mut identical, mut unrendered) = (0, 0, 0);
    let mut failures = Vec::new();
    for r in &rendered {
        let out = Command::new("kubectl")
            .arg("kustomize")
            .arg(root.join(&r.unit.dir))
            .output()
            .expect("kubectl runs");
        let theirs = String::from_utf8_lossy(&out.stdout).to_string();
        let Some(ours) = r.files.first() else {
            unrendered += 1;
            // Not rendered: it must say why, and kubectl must fail too unless
            // the reason is a documented unsupported feature (a note).
            let explained = !r.problems.is_empty() || !r.notes.is_empty();
            if !explained || (out.status.success() && r.notes.is_empty()) {
                failures.push(format!(
                    "{}: not rendered ({:?}) but kubectl renders it",
                    r.unit.dir, r.problems
                ));
            }
            continue;
        };
        if !out.status.success() {
            // Remote bases (no network here) and files outside the
            // kustomization (kustomize's load restrictor) are notes.
            let explained = r.notes.iter().any(|n| {
                n.message.contains("remote") || n.message.contains("LoadRestrictionsNone")
            });
            if !explained {
                failures.push(format!(
                    "{}: kubectl fails ({}) but seamcheck rendered it",
                    r.unit.dir,
                    String::from_utf8_lossy(&out.stderr).trim()
                ));
            }
            continue;
        }
        compared += 1;
        let a = normalized_documents("ours", &ours.text);
        let b = normalized_documents("kubectl", &theirs);
        if a == b {
            identical += 1;
        } else {
            let only_ours: Vec<_> = a.iter().filter(|d| !b.contains(d)).collect();
            let only_theirs: Vec<_> = b.iter().filter(|d| !a.contains(d)).collect();
            failures.push(format!(
                "{}: differs\n  seamcheck: {only_ours:#?}\n  kubectl:   {only_theirs:#?}\n--- rendered text:\n{}",
                r.unit.dir, ours.text
            ));
        }
    }
    eprintln!(
        "kustomize differential: {} tops, {compared} compared, {identical} identical to kubectl, {unrendered} not rendered",
        rendered.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(
        compared >= 10,
        "too few kustomizations compared: {compared}"
    );
}

/// The same comparison over real repositories, one folder each under
/// `$SEAMCHECK_KUSTOMIZE_CORPUS` (see docs/kustomize.md): prints figures,
/// and with `SEAMCHECK_KUSTOMIZE_DIFFS=FILE` writes every difference there.
#[test]
#[ignore = "needs a corpus of real repositories"]
fn realworld_corpus_against_kubectl() {
    let Ok(corpus) = std::env::var("SEAMCHECK_KUSTOMIZE_CORPUS") else {
        eprintln!("set SEAMCHECK_KUSTOMIZE_CORPUS to a folder of repositories");
        return;
    };
    let mut diffs = String::new();
    let mut repos: Vec<_> = std::fs::read_dir(&corpus)
        .expect("corpus")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    repos.sort();
    for repo in repos {
        let tree = DirTree::new(&repo);
        let dirs = tree.kustomization_dirs();
        let started = std::time::Instant::now();
        let rendered = seamcheck_kustomize::render_all(&tree, &dirs);
        let render_time = started.elapsed();
        let (
            mut ours,
            mut theirs_ok,
            mut identical,
            mut both_fail,
            mut only_kubectl,
            mut only_ours,
        ) = (0, 0, 0, 0, 0, 0);
        let mut reasons: Vec<String> = Vec::new();
        for r in &rendered {
            let out = Command::new("kubectl")
                .arg("kustomize")
                .arg(repo.join(&r.unit.dir))
                .output()
                .expect("kubectl");
            let ok = out.status.success();
            theirs_ok += usize::from(ok);
            match (r.files.first(), ok) {
                (Some(f), true) => {
                    ours += 1;
                    let a = normalized_documents("ours", &f.text);
                    let b = normalized_documents("kubectl", &String::from_utf8_lossy(&out.stdout));
                    if a == b {
                        identical += 1;
                    } else {
                        let only_a: Vec<_> = a.iter().filter(|d| !b.contains(d)).collect();
                        let only_b: Vec<_> = b.iter().filter(|d| !a.contains(d)).collect();
                        diffs.push_str(&format!(
                            "== {} {}\nours:   {only_a:#?}\nkubectl: {only_b:#?}\n\n",
                            repo.display(),
                            r.unit.dir
                        ));
                    }
                }
                (Some(_), false) => {
                    ours += 1;
                    only_ours += 1;
                    diffs.push_str(&format!(
                        "== {} {}: kubectl fails: {}\n\n",
                        repo.display(),
                        r.unit.dir,
                        String::from_utf8_lossy(&out.stderr).trim()
                    ));
                }
                (None, false) => both_fail += 1,
                (None, true) => {
                    only_kubectl += 1;
                    let why = r
                        .problems
                        .iter()
                        .map(|p| p.message.clone())
                        .chain(r.notes.iter().map(|n| n.message.clone()))
                        .collect::<Vec<_>>()
                        .join("; ");
                    reasons.push(format!("{}: {why}", r.unit.dir));
                }
            }
        }
        eprintln!(
            "{}: {} kustomizations, {} tops, kubectl renders {theirs_ok}, seamcheck renders {ours}, identical {identical}, both fail {both_fail}, only kubectl {only_kubectl}, only seamcheck {only_ours}, render {:.1} ms",
            repo.file_name().and_then(|n| n.to_str()).unwrap_or(""),
            dirs.len(),
            rendered.len(),
            render_time.as_secs_f64() * 1000.0
        );
        for r in reasons {
            eprintln!("  not rendered: {r}");
        }
    }
    if let Ok(path) = std::env::var("SEAMCHECK_KUSTOMIZE_DIFFS") {
        std::fs::write(path, diffs).expect("write diffs");
    }
}
