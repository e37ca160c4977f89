//! Property tests (proptest), in the ordinary test suite so CI guards what the
//! fuzzers found: arbitrary bytes and arbitrary mutations of the fixture files
//! never panic an analyzer and always yield a `FileAnalysis` for that path;
//! a full audit of a mutated fixture tree always yields a valid JSON report.
//!
//! Case counts are kept small (CI runs them on every push); the fuzz targets
//! under `analyzers/*/fuzz/` explore much further.

use crate::common::*;
use proptest::prelude::*;
use proptest::sample::Index;
use seamcheck::discover::classify;
use seamcheck_facts::{FileAnalysis, FileKind};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Runs the analyzer discovery would pick for `path`.
fn analyze(path: &str, bytes: &[u8]) -> FileAnalysis {
    match classify(path) {
        Some(FileKind::Dockerfile) => seamcheck_dockerfile::analyze(path, bytes),
        Some(FileKind::KubeYaml) => seamcheck_kube::analyze(path, bytes),
        Some(FileKind::Compose) => seamcheck_compose::analyze(path, bytes),
        Some(FileKind::DotEnv) => seamcheck_compose::analyze_dotenv(path, bytes),
        _ => seamcheck_source::analyze(path, bytes),
    }
}

/// One name per analyzer and per source language.
const NAMES: &[&str] = &[
    "svc/Dockerfile",
    "k8s/deploy.yaml",
    "chart/templates/deployment.yaml",
    "compose.yaml",
    ".env",
    "app/main.py",
    "web/server.js",
    "web/server.ts",
    "cmd/api/main.go",
    "src/main.rs",
    "src/main/java/App.java",
    "src/main/kotlin/App.kt",
    "Api/Program.cs",
    "src/main/resources/application.properties",
    "src/main/resources/application.yml",
    "Api/appsettings.json",
    "web/package.json",
    "Rocket.toml",
    "nginx/nginx.conf",
];

/// Every fixture file an analyzer reads, as (relative name, bytes).
fn fixture_files() -> &'static [(String, Vec<u8>)] {
    static FILES: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    FILES.get_or_init(|| {
        let root = fixture("");
        let mut out = Vec::new();
        let mut stack = vec![root.clone()];
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = e.path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let rel = rel_name(&root, &path);
                if classify(&rel).is_some() {
                    if let Ok(bytes) = std::fs::read(&path) {
                        out.push((rel, bytes));
                    }
                }
            }
        }
        out.sort();
        out
    })
}

fn rel_name(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Byte sequences that reach parser corners: YAML anchors, aliases, flow
/// and block nesting, Helm templates, Dockerfile heredocs and continuations,
/// Python brackets and indentation, CRLF, a BOM, invalid UTF-8, NUL.
const TOKENS: &[&[u8]] = &[
    b"&a ",
    b"*a",
    b"<<: *a\n",
    b"[",
    b"]",
    b"{",
    b"}",
    b"\n- ",
    b": ",
    b"{{ .Values.x }}",
    b"---\n",
    b"\\\n",
    b"<<EOF\n",
    b"\nEOF\n",
    b"(",
    b")",
    b"\n    ",
    b"\r\n",
    b"\t",
    b"\xEF\xBB\xBF",
    b"\xFF",
    b"\xC3",
    b"\0",
    b"\"",
    b"'",
    b"${PORT:-80",
    b"0x",
    b"99999999999999999999",
    b"-1",
];

#[derive(Debug, Clone)]
enum Mutation {
    Insert(Index, Vec<u8>),
    InsertToken(Index, Index),
    Delete(Index, usize),
    Duplicate(Index, usize),
    Replace(Index, u8),
    Truncate(Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<Index>(), prop::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(i, b)| Mutation::Insert(i, b)),
        (any::<Index>(), any::<Index>()).prop_map(|(i, t)| Mutation::InsertToken(i, t)),
        (any::<Index>(), 1..64usize).prop_map(|(i, n)| Mutation::Delete(i, n)),
        (any::<Index>(), 1..256usize).prop_map(|(i, n)| Mutation::Duplicate(i, n)),
        (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::Replace(i, b)),
        any::<Index>().prop_map(Mutation::Truncate),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let at = |i: &Index, len: usize| i.index(len + 1);
    match m {
        Mutation::Insert(i, b) => {
            let p = at(i, bytes.len());
            bytes.splice(p..p, b.iter().copied());
        }
        Mutation::InsertToken(i, t) => {
            let p = at(i, bytes.len());
            let token = TOKENS[t.index(TOKENS.len())];
            bytes.splice(p..p, token.iter().copied());
        }
        Mutation::Delete(i, n) => {
            let p = at(i, bytes.len());
            let end = (p + n).min(bytes.len());
            bytes.drain(p..end);
        }
        Mutation::Duplicate(i, n) => {
            let p = at(i, bytes.len());
            let end = (p + n).min(bytes.len());
            let copy = bytes[p..end].to_vec();
            bytes.splice(p..p, copy);
        }
        Mutation::Replace(i, b) => {
            if !bytes.is_empty() {
                let p = i.index(bytes.len());
                bytes[p] = *b;
            }
        }
        Mutation::Truncate(i) => {
            let p = at(i, bytes.len());
            bytes.truncate(p);
        }
    }
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        // Failures are turned into named regression tests, not files.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(384))]

    #[test]
    fn arbitrary_bytes_never_panic_an_analyzer(
        name in prop::sample::select(NAMES),
        bytes in prop::collection::vec(any::<u8>(), 0..2048),
    ) {
        let a = analyze(name, &bytes);
        prop_assert_eq!(a.path.as_str(), name);
    }

    #[test]
    fn arbitrary_text_never_panics_an_analyzer(
        name in prop::sample::select(NAMES),
        text in "[ -~\t\n]{0,400}",
    ) {
        let a = analyze(name, text.as_bytes());
        prop_assert_eq!(a.path.as_str(), name);
    }

    #[test]
    fn mutated_fixtures_never_panic_an_analyzer(
        file in any::<Index>(),
        mutations in prop::collection::vec(mutation(), 1..8),
    ) {
        let files = fixture_files();
        prop_assume!(!files.is_empty());
        let (name, original) = &files[file.index(files.len())];
        let mut bytes = original.clone();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        let a = analyze(name, &bytes);
        prop_assert_eq!(&a.path, name);
        // Every location stays inside the file it names.
        for p in &a.problems {
            prop_assert!(p.loc.span.start <= p.loc.span.end, "{:?}", p);
            prop_assert!(p.loc.span.end <= bytes.len().max(1), "{:?} in {} bytes", p, bytes.len());
            prop_assert!(p.loc.line >= 1 && p.loc.column >= 1, "{:?}", p);
        }
    }
}

/// The fixture trees a mutated audit starts from.
const TREES: &[&str] = &["sre-app/broken", "bad-input", "linking"];

fn copy_tree(from: &Path, to: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![from.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = e.path();
            let target = to.join(path.strip_prefix(from).unwrap_or(&path));
            if path.is_dir() {
                let _ = std::fs::create_dir_all(&target);
                stack.push(path);
            } else if std::fs::create_dir_all(target.parent().unwrap_or(to)).is_ok()
                && std::fs::copy(&path, &target).is_ok()
            {
                files.push(target);
            }
        }
    }
    files.sort();
    files
}

proptest! {
    #![proptest_config(config(24))]

    #[test]
    fn a_mutated_fixture_tree_always_yields_a_valid_report(
        tree in prop::sample::select(TREES),
        edits in prop::collection::vec(
            (any::<Index>(), prop::collection::vec(mutation(), 1..6)),
            1..4,
        ),
    ) {
        let tmp = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let files = copy_tree(&fixture(tree), tmp.path());
        prop_assume!(!files.is_empty());
        for (file, mutations) in &edits {
            let path = &files[file.index(files.len())];
            let mut bytes = std::fs::read(path).unwrap_or_default();
            for m in mutations {
                apply(&mut bytes, m);
            }
            std::fs::write(path, bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
        }
        let out = tmp.path().join("report.json");
        let run = seamcheck(&[
            "audit",
            &tmp.path().to_string_lossy(),
            "--format",
            "json",
            "--output",
            &out.to_string_lossy(),
        ]);
        prop_assert!(run.code == 0 || run.code == 1, "exit {}: {}", run.code, run.stderr);
        prop_assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        let text = std::fs::read_to_string(&out).unwrap_or_default();
        let report: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| TestCaseError::fail(format!("invalid JSON: {e}")))?;
        prop_assert!(report["findings"].is_array());
        prop_assert!(report["services"].is_array());
        prop_assert!(report["skipped"].is_array());
        let internal = report["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|f| f["message"].as_str().is_some_and(|m| m.contains("internal analyzer error")))
            .count();
        prop_assert_eq!(internal, 0, "an analyzer panicked: {}", text);
    }
}
