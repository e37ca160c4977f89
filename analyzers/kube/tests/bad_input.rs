//! Malformed and hostile input: problems with precise locations, bounded
//! time and memory, and every fact the rest of the file still holds.

mod common;
use common::{analyze, kube, pos};
use seamcheck_facts::Facts;
use std::time::{Duration, Instant};

const SERVICE: &str = "\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
";

#[test]
fn truncated_yaml_is_a_problem_at_the_break_and_earlier_documents_survive() {
    let text = format!(
        "{SERVICE}---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: \"web:1"
    );
    let analysis = analyze("k8s/app.yaml", &text);
    assert_eq!(analysis.problems.len(), 1);
    let problem = &analysis.problems[0];
    assert!(
        problem.message.contains("quoted scalar"),
        "{}",
        problem.message
    );
    assert_eq!(problem.message, problem.message.to_lowercase());
    assert!(!problem.message.ends_with('.'));
    // The unterminated string starts on line 20, column 18.
    assert_eq!((problem.loc.line, problem.loc.column), (20, 18));
    let facts = kube(&analysis);
    assert_eq!(facts.services.len(), 1);
    assert!(facts.workloads.is_empty());
}

#[test]
fn a_broken_document_does_not_hide_the_next_one() {
    let text = format!(
        "apiVersion: v1
kind: Service
metadata: {{name: broken
spec: {{}}
---
{SERVICE}"
    );
    let analysis = analyze("k8s/two.yaml", &text);
    assert_eq!(analysis.problems.len(), 1);
    assert_eq!(analysis.problems[0].loc.line, 4);
    let facts = kube(&analysis);
    assert_eq!(facts.services.len(), 1);
    assert_eq!(facts.services[0].name.value, "web");
    assert_eq!(pos(&facts.services[0].name.loc), (9, 9, 9, 11));
}

#[test]
fn duplicate_keys_are_a_problem_as_in_kubectl() {
    let text = "\
apiVersion: v1
kind: Service
metadata:
  name: a
  name: b
";
    let analysis = analyze("k8s/dup.yaml", text);
    assert_eq!(analysis.problems.len(), 1);
    assert!(analysis.problems[0].message.contains("duplicated key"));
    assert_eq!(
        (
            analysis.problems[0].loc.line,
            analysis.problems[0].loc.column
        ),
        (5, 3)
    );
}

#[test]
fn alias_bomb_is_refused_quickly() {
    let mut text = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        let (prev, next) = (pair[0], pair[1]);
        let refs = vec![format!("*{prev}"); 9].join(",");
        text += &format!("{next}: &{next} [{refs}]\n");
    }
    text += "apiVersion: v1\nkind: Service\nmetadata: {name: bomb}\n";
    let started = Instant::now();
    let analysis = analyze("k8s/bomb.yaml", &text);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(analysis.problems.len(), 1);
    assert!(analysis.problems[0].message.contains("alias expansion"));
    assert_eq!(analysis.problems[0].loc.line, 5);
}

#[test]
fn deep_flow_nesting_does_not_overflow_the_stack() {
    let text = "[".repeat(100_000) + &"]".repeat(100_000);
    let analysis = analyze("k8s/deep.yaml", &text);
    assert_eq!(analysis.problems.len(), 1);
    assert_eq!(analysis.problems[0].loc.line, 1);
}

#[test]
fn deep_block_nesting_does_not_overflow_the_stack() {
    let sequences = "- ".repeat(100_000) + "x\n";
    let mappings = "{a: ".repeat(100_000) + "1" + &"}".repeat(100_000);
    for text in [sequences, mappings] {
        let started = Instant::now();
        let analysis = analyze("k8s/deep.yaml", &text);
        assert!(started.elapsed() < Duration::from_secs(2));
        assert_eq!(analysis.problems.len(), 1);
        assert!(matches!(analysis.facts, Facts::Empty));
    }
}

#[test]
fn deep_indented_mappings_are_refused_after_the_limit() {
    let mut text = String::new();
    for depth in 0..300 {
        text += &" ".repeat(depth);
        text += "k:\n";
    }
    let analysis = analyze("k8s/indented.yaml", &text);
    assert_eq!(analysis.problems.len(), 1);
    assert!(analysis.problems[0]
        .message
        .contains("nested deeper than 256"));
    assert_eq!(analysis.problems[0].loc.line, 257);
}

#[test]
fn deep_nesting_runs_on_a_small_thread_stack() {
    // Analyzers may run on worker threads with small stacks.
    let handle = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(|| {
            let text = "- ".repeat(255) + "x\n";
            let ok = analyze("k8s/deep.yaml", &text).problems.is_empty();
            let too_deep = "- ".repeat(100_000) + "x\n";
            (ok, analyze("k8s/deep.yaml", &too_deep).problems.len())
        })
        .expect("spawn");
    assert_eq!(handle.join().expect("no stack overflow"), (true, 1));
}

#[test]
fn non_utf8_is_a_problem_at_the_bad_byte() {
    let mut bytes = b"apiVersion: v1\nkind: Service\nmetadata:\n  name: caf".to_vec();
    bytes.push(0xe9); // Latin-1 'é'
    bytes.extend_from_slice(b"\n");
    let analysis = seamcheck_kube::analyze("k8s/latin1.yaml", &bytes);
    assert_eq!(analysis.problems.len(), 1);
    let message = analysis.problems[0].message.to_lowercase();
    assert!(message.contains("utf-8"), "{message}");
    assert_eq!(
        (
            analysis.problems[0].loc.line,
            analysis.problems[0].loc.column
        ),
        (4, 12)
    );
    assert!(matches!(analysis.facts, Facts::Empty));
}

#[test]
fn binary_is_a_problem() {
    let bytes = [0x7f, b'E', b'L', b'F', 0, 0, 1, 2];
    let analysis = seamcheck_kube::analyze("k8s/app.yaml", &bytes);
    assert_eq!(analysis.problems.len(), 1);
    assert!(matches!(analysis.facts, Facts::Empty));
}

#[test]
fn garbage_never_panics() {
    let inputs = [
        "apiVersion: v1\nkind: Service\nspec: {ports: [{port: }]}\n",
        "apiVersion: v1\nkind: Service\nspec:\n  ports: 80\n  selector: [a]\n",
        "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers: {a: 1}\n",
        "apiVersion: apps/v1\nkind: Deployment\nspec: {template: {spec: {containers: [1, [2], null]}}}\n",
        "apiVersion: [v1]\nkind: {a: b}\n",
        "? [complex]\n: key\n",
        "&a a: *a\n",
        "*unknown\n",
        "\u{feff}apiVersion: v1\nkind: Service\nmetadata: {name: bom}\n",
        "key: \"\\u00\"\n",
        "a: |\n  x\n b\n",
        "\t- tab\n",
        "%YAML 1.2\n%TAG ! tag:x,2000:\n--- !foo\na: 1\n",
        "apiVersion: v1\nkind: List\nitems: [{apiVersion: v1, kind: List, items: [{apiVersion: v1, kind: List}]}]\n",
    ];
    for text in inputs {
        let _ = analyze("k8s/garbage.yaml", text);
    }
}
