//! Hostile input end to end, through the binary. The tree is generated at test
//! time in a temporary directory (a 1 GiB file, 100,000 entries and symbolic
//! links cannot be committed): alias bombs, 100,000-deep nesting in YAML and
//! Python, binary files with known names, Latin-1 and UTF-16 files, CRLF line
//! endings, an empty file, a sparse 1 GiB file, symbolic link loops and links
//! out of the root, beside one good service. Every bad file becomes a
//! `parse-error` finding or a skipped-file note with its path; the good
//! service is still audited; nothing is written outside `--output`.

mod common;
use common::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

/// The good service: the manifest's containerPort (8000) is not the port the
/// image listens on (8080), on line 13 column 30 of `k8s/api.yaml`.
const API_DOCKERFILE: &str = "FROM python:3.12-slim
WORKDIR /srv
RUN pip install --no-cache-dir flask gunicorn
COPY app/ app/
USER 10001
EXPOSE 8080
CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8080\", \"app.main:app\"]
";

const API_APP: &str = "from flask import Flask, jsonify

app = Flask(__name__)


@app.get(\"/healthz\")
def healthz():
    return jsonify(status=\"ok\")
";

const API_MANIFEST: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - {name: api, image: registry.example.com/api:1.0, ports: [{containerPort: 8000}]}
";

fn write(root: &Path, rel: &str, bytes: impl AsRef<[u8]>) {
    let path = root.join(rel);
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).expect("create the fixture directory");
    }
    fs::write(path, bytes).expect("write a fixture file");
}

/// A YAML alias bomb: nine aliases per level, twelve levels (9^12 nodes if
/// expanded).
fn alias_bomb() -> String {
    let mut s = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n");
    s.push_str("  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..12 {
        let p = format!("*l{}", i - 1);
        s.push_str(&format!("  l{i}: &l{i} [{}]\n", vec![p; 9].join(", ")));
    }
    s
}

/// The hostile tree, with the good service beside it. Returns the paths that
/// must be reported (as a parse error or a skipped note).
fn build(root: &Path, outside: &Path) {
    write(root, "api/Dockerfile", API_DOCKERFILE);
    write(root, "api/app/main.py", API_APP);
    write(root, "k8s/api.yaml", API_MANIFEST);

    write(root, "k8s/bomb.yaml", alias_bomb());
    let depth = 100_000;
    write(
        root,
        "k8s/deep.yaml",
        format!(
            "apiVersion: v1\nkind: ConfigMap\ndata:\n  x: {}{}\n",
            "[".repeat(depth),
            "]".repeat(depth)
        ),
    );
    write(root, "k8s/deep-block.yaml", {
        let mut s = String::from("apiVersion: v1\nkind: ConfigMap\ndata:\n");
        // Block nesting, one level per line: 100,000 "- " prefixes.
        s.push_str(&"- ".repeat(depth));
        s.push_str("x\n");
        s
    });
    write(
        root,
        "deep/app.py",
        format!(
            "from flask import Flask\napp = Flask(__name__)\nx = {}1{}\n",
            "(".repeat(depth),
            ")".repeat(depth)
        ),
    );
    write(root, "deep/nested.py", {
        // 2,000 blocks nested by indentation (2 million spaces).
        let mut s = String::from("from flask import Flask\napp = Flask(__name__)\n");
        for i in 0..2_000 {
            s.push_str(&" ".repeat(i));
            s.push_str("if True:\n");
        }
        s.push_str(&" ".repeat(2_000));
        s.push_str("pass\n");
        s
    });
    write(
        root,
        "deep/Dockerfile",
        format!(
            "FROM alpine:3.20\nCMD {}\"sh\"{}\n",
            "[".repeat(depth),
            "]".repeat(depth)
        ),
    );

    // Binary content under known names.
    let mut blob = b"\x7fELF\x02\x01\x01\x00".to_vec();
    blob.extend((0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    write(root, "bin/Dockerfile", &blob);
    write(root, "bin/tool.py", &blob);
    let mut yaml_blob = b"apiVersion: v1\nkind: Secret\n".to_vec();
    yaml_blob.extend(&blob);
    write(root, "bin/secret.yaml", yaml_blob);

    // Latin-1 and UTF-16 text.
    write(
        root,
        "latin1/Dockerfile",
        b"FROM alpine:3.20\nLABEL maintainer=\"Ren\xe9e\"\nCMD [\"sh\"]\n",
    );
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "apiVersion: v1\nkind: Service\nmetadata: {name: wide}\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    write(root, "k8s/utf16.yaml", utf16);
    // UTF-32 with a byte order mark: go-yaml (kubectl) refuses it.
    let utf32: Vec<u8> = [0xFF, 0xFE, 0, 0]
        .into_iter()
        .chain(
            "apiVersion: v1\nkind: Service\nmetadata: {name: wider}\n"
                .chars()
                .flat_map(|c| u32::from(c).to_le_bytes()),
        )
        .collect();
    write(root, "k8s/utf32.yaml", utf32);

    // CRLF line endings: a service whose manifest disagrees with its image.
    write(
        root,
        "crlf/Dockerfile",
        API_DOCKERFILE.replace('\n', "\r\n"),
    );
    write(root, "crlf/app/main.py", API_APP.replace('\n', "\r\n"));
    write(
        root,
        "crlf/k8s/crlf.yaml",
        API_MANIFEST
            .replace("name: api", "name: crlf")
            .replace("app: api", "app: crlf")
            .replace("registry.example.com/api", "registry.example.com/crlf")
            .replace('\n', "\r\n"),
    );

    // Empty files.
    write(root, "empty/Dockerfile", "");
    write(root, "empty/empty.yaml", "");
    write(root, "empty/app.py", "");

    // A 1 GiB file, sparse: no disk space, never read.
    let big = root.join("big/Dockerfile");
    fs::create_dir_all(big.parent().expect("a parent")).expect("create big/");
    fs::File::create(&big)
        .and_then(|f| f.set_len(1 << 30))
        .expect("a sparse 1 GiB file");

    // Symbolic links: a loop, a link to an enclosing directory, links out of
    // the root (a file and a directory), a broken link, and a link inside.
    write(outside, "secret.yaml", "apiVersion: v1\nkind: Secret\n");
    write(outside, "shared/Dockerfile", "FROM alpine:3.20\n");
    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        fs::create_dir_all(root.join("links")).expect("create links/");
        symlink("b.yaml", root.join("links/a.yaml")).expect("symlink");
        symlink("a.yaml", root.join("links/b.yaml")).expect("symlink");
        symlink(".", root.join("links/self")).expect("symlink");
        symlink("..", root.join("links/up")).expect("symlink");
        symlink(outside.join("secret.yaml"), root.join("links/outside.yaml")).expect("symlink");
        symlink(outside.join("shared"), root.join("links/shared")).expect("symlink");
        symlink("missing/Dockerfile", root.join("links/Dockerfile")).expect("symlink");
        symlink("../api/Dockerfile", root.join("links/api.Dockerfile")).expect("symlink");
    }
}

struct Audit {
    report: Value,
    code: i32,
    stderr: String,
}

fn audit(root: &Path, output: &Path) -> Audit {
    let run = seamcheck(&[
        "audit",
        &root.to_string_lossy(),
        "--format",
        "json",
        "--output",
        &output.to_string_lossy(),
    ]);
    let text = fs::read_to_string(output).unwrap_or_default();
    let report = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("invalid JSON ({e}); stderr: {}\n{text}", run.stderr));
    Audit {
        report,
        code: run.code,
        stderr: run.stderr,
    }
}

/// Every file below `dir` (links not followed) with its length and mtime.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (u64, Option<SystemTime>)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).into_iter().flatten().flatten() {
            let Ok(m) = fs::symlink_metadata(e.path()) else {
                continue;
            };
            if m.is_dir() {
                stack.push(e.path());
            }
            out.insert(e.path(), (m.len(), m.modified().ok()));
        }
    }
    out
}

fn parse_errors<'a>(report: &'a Value, path: &str) -> Vec<&'a Value> {
    of_rule(report, "parse-error")
        .into_iter()
        .filter(|f| f["location"]["path"] == path)
        .collect()
}

fn skipped_reason(report: &Value, path: &str) -> Option<String> {
    report["skipped"]
        .as_array()?
        .iter()
        .find(|s| s["path"] == path)
        .and_then(|s| s["reason"].as_str())
        .map(str::to_string)
}

#[test]
fn hostile_tree_is_reported_file_by_file_and_the_rest_is_audited() {
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let root = tmp.path().join("repo");
    let outside = tmp.path().join("outside");
    let out_dir = tmp.path().join("out");
    fs::create_dir_all(&out_dir).expect("create out/");
    build(&root, &outside);
    let before = (snapshot(&root), snapshot(&outside));

    let started = Instant::now();
    let a = audit(&root, &out_dir.join("report.json"));
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(20), "took {elapsed:?}");
    assert!(!a.stderr.contains("panicked"), "{}", a.stderr);
    assert_eq!(a.code, 1, "parse errors fail the run; stderr: {}", a.stderr);
    let r = &a.report;

    // Each hostile file: one parse error where it breaks.
    let mut wrong = Vec::new();
    for (path, line) in [
        ("k8s/bomb.yaml", None),
        ("k8s/deep.yaml", Some(4)),
        ("k8s/deep-block.yaml", Some(4)),
        ("bin/Dockerfile", Some(1)),
        ("bin/tool.py", Some(1)),
        ("bin/secret.yaml", Some(3)),
        ("latin1/Dockerfile", Some(2)),
        ("k8s/utf32.yaml", Some(1)),
        ("empty/Dockerfile", Some(1)),
    ] {
        let errors = parse_errors(r, path);
        let at = errors.first().map(|e| e["location"]["line"].clone());
        if errors.len() != 1 || line.is_some_and(|l| at != Some(Value::from(l))) {
            wrong.push(format!("{path}: {errors:?}"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}\nskipped: {}", r["skipped"]);
    // UTF-16 YAML is decoded as go-yaml decodes it (issue 13); UTF-32 is
    // refused as go-yaml refuses it.
    assert!(parse_errors(r, "k8s/utf16.yaml").is_empty());
    let utf32 = parse_errors(r, "k8s/utf32.yaml");
    assert!(
        utf32[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("utf-32")),
        "{utf32:?}"
    );
    // The bomb is refused at an alias, not after expanding it.
    let bomb_line = parse_errors(r, "k8s/bomb.yaml")[0]["location"]["line"]
        .as_u64()
        .unwrap_or(0);
    assert!((6..=16).contains(&bomb_line), "bomb at line {bomb_line}");
    // No analyzer panicked (a caught panic becomes this parse error).
    let internal: Vec<&Value> = of_rule(r, "parse-error")
        .into_iter()
        .filter(|f| {
            f["message"]
                .as_str()
                .is_some_and(|m| m.contains("internal"))
        })
        .collect();
    assert_eq!(internal, Vec::<&Value>::new());
    // 2,000 Python blocks nested by indentation: past tree-sitter's indent
    // stack (and CPython's limit of 100), a syntax error, not a crash.
    assert_eq!(parse_errors(r, "deep/nested.py").len(), 1);
    // Deep nesting that is still valid syntax is read, not an error: 100,000
    // nested parentheses (tree-sitter keeps its own stack; CPython would
    // refuse them at run time, which seamcheck does not model); a Dockerfile
    // `CMD [[[…]]]`, not a JSON array of strings and so shell form, as Docker
    // reads it.
    for path in ["deep/app.py", "deep/Dockerfile"] {
        assert_eq!(parse_errors(r, path), Vec::<&Value>::new(), "{path}");
    }
    // Empty YAML and Python files are nothing to report.
    assert_eq!(parse_errors(r, "empty/empty.yaml"), Vec::<&Value>::new());
    assert_eq!(parse_errors(r, "empty/app.py"), Vec::<&Value>::new());

    // Skipped with a note: the 1 GiB file, by size; the links.
    let big = skipped_reason(r, "big/Dockerfile").unwrap_or_default();
    assert!(big.contains("1073741824 bytes"), "{big}");
    #[cfg(unix)]
    {
        for (path, words) in [
            ("links/a.yaml", "loop"),
            ("links/b.yaml", "loop"),
            ("links/self", "enclosing directory"),
            ("links/up", "enclosing directory"),
            ("links/outside.yaml", "outside"),
            ("links/shared", "outside"),
            ("links/Dockerfile", "broken"),
        ] {
            let reason = skipped_reason(r, path).unwrap_or_default();
            assert!(reason.contains(words), "{path}: {reason:?}");
        }
        // A link inside the root: its target is audited at its own path.
        assert_eq!(skipped_reason(r, "links/api.Dockerfile"), None);
        let paths: Vec<&str> = r["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f["location"]["path"].as_str())
            .collect();
        assert!(!paths.iter().any(|p| p.starts_with("links/")), "{paths:?}");
    }

    // The good services are still audited, with exact positions (CRLF too).
    let mismatch: Vec<(String, u64, u64)> = of_rule(r, "container-port-mismatch")
        .into_iter()
        .map(|f| {
            (
                f["location"]["path"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                f["location"]["line"].as_u64().unwrap_or(0),
                f["location"]["column"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        mismatch,
        [
            ("crlf/k8s/crlf.yaml".to_string(), 13, 86),
            ("k8s/api.yaml".to_string(), 13, 84)
        ],
        "{:?}",
        triples(r)
    );
    // Nothing written in the audited tree or beside it; only the report in out/.
    assert_eq!((snapshot(&root), snapshot(&outside)), before);
    let written: Vec<PathBuf> = snapshot(&out_dir).into_keys().collect();
    assert_eq!(written, [out_dir.join("report.json")]);
}

#[test]
fn a_directory_with_100000_entries_is_walked_quickly() {
    // tmpfs when there is one: creating 100,000 files on a disk-backed /tmp
    // can take longer than the audit this test is about.
    let shm = Path::new("/dev/shm");
    let tmp = if shm.is_dir() {
        tempfile::tempdir_in(shm)
    } else {
        tempfile::tempdir()
    }
    .expect("a temporary directory");
    let root = tmp.path();
    write(root, "api/Dockerfile", API_DOCKERFILE);
    write(root, "api/app/main.py", API_APP);
    write(root, "k8s/api.yaml", API_MANIFEST);
    let assets = root.join("assets");
    fs::create_dir_all(&assets).expect("create assets/");
    for i in 0..100_000 {
        // Empty files: the walk is what is measured, not the disk.
        fs::File::create(assets.join(format!("img-{i:06}.png"))).expect("create an asset");
    }
    let started = Instant::now();
    let a = audit(root, &tmp.path().join("report.json"));
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
    assert_eq!(a.report["summary"]["files"], 3, "{}", a.report["summary"]);
    assert_eq!(of_rule(&a.report, "container-port-mismatch").len(), 1);
}

#[test]
fn a_file_named_on_the_command_line_through_a_link_is_audited() {
    // A directory given as a symbolic link is the user's explicit choice:
    // it is walked, and paths are reported relative to it.
    #[cfg(unix)]
    {
        let tmp = tempfile::tempdir().expect("a temporary directory");
        let real = tmp.path().join("real");
        write(&real, "api/Dockerfile", API_DOCKERFILE);
        write(&real, "api/app/main.py", API_APP);
        write(&real, "k8s/api.yaml", API_MANIFEST);
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(&real, &link).expect("symlink");
        let a = audit(&link, &tmp.path().join("report.json"));
        let mismatch = of_rule(&a.report, "container-port-mismatch");
        assert_eq!(mismatch.len(), 1, "{:?}", triples(&a.report));
        assert_eq!(mismatch[0]["location"]["path"], "k8s/api.yaml");
    }
}
