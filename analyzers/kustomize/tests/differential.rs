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
            let remote = r.notes.iter().any(|n| n.message.contains("remote"));
            if !remote {
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
