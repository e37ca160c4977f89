//! Complexity traps, end to end through the binary: inputs generated at test
//! time that made one step of seamcheck quadratic or worse (or its memory a
//! product of two input sizes). Each case asserts the exit status, that the
//! expected finding or note still appears (the fix did not drop the facts),
//! and wall time and peak RSS of the child within generous bounds: about ten
//! times what a debug build measures on a loaded 2-core machine, and far
//! below what the trap cost before (see docs/performance.md for the
//! before/after table). The child runs under a 4 GiB address-space limit, so
//! a regression fails the test instead of exhausting the machine.

use serde_json::Value;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Wall-time bound of one audit (debug build, loaded machine).
const WALL: Duration = Duration::from_secs(120);

/// Peak RSS bound: a fixed part plus a factor of the input size. The audit
/// measures well under 100 bytes per input byte on these inputs (see
/// docs/performance.md); the bound leaves room for allocator noise.
fn rss_bound(input_bytes: u64) -> u64 {
    (96 << 20) + 150 * input_bytes
}

struct Outcome {
    code: i32,
    wall: Duration,
    peak_rss: u64,
    report: Value,
}

fn write(root: &Path, rel: &str, text: &str) -> u64 {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().expect("a parent")).expect("create the directory");
    fs::write(&path, text).expect("write an input file");
    text.len() as u64
}

/// Runs `seamcheck audit ROOT --format json --output OUT` with `extra`
/// arguments, timing it and reading its peak RSS with `wait4`.
fn audit(root: &Path, input_bytes: u64, extra: &[&str]) -> Outcome {
    let out = root.with_extension("json");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_seamcheck"));
    cmd.arg("audit")
        .arg(root)
        .args(["--format", "json", "--output"])
        .arg(&out)
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let started = Instant::now();
    let child = cmd.spawn().expect("the seamcheck binary runs");
    let pid = child.id() as libc::pid_t;
    // Limited after the spawn, not in a `pre_exec` hook: a hook forces a
    // fork, and the forked copy of this test process (with its generated
    // inputs) would count in the child's peak RSS.
    let limit = libc::rlimit {
        rlim_cur: 4 << 30,
        rlim_max: 4 << 30,
    };
    // SAFETY: pid is our running child; `limit` is valid for the call.
    unsafe { libc::prlimit(pid, libc::RLIMIT_AS, &limit, std::ptr::null_mut()) };
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid; wait4 writes it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let mut peak_rss = 0;
    loop {
        if let Some(hwm) = vm_hwm(pid) {
            peak_rss = peak_rss.max(hwm);
        }
        // SAFETY: pid is our child, not yet reaped; both pointers are valid.
        let waited = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if waited == pid {
            break;
        }
        if started.elapsed() > WALL {
            // SAFETY: signalling our own child.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
                libc::wait4(pid, &mut status, 0, &mut usage);
            }
            panic!("the audit of {} ran over {WALL:?}", root.display());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let wall = started.elapsed();
    drop(child);
    assert!(
        libc::WIFEXITED(status),
        "the audit of {} was killed (status {status}); peak RSS {} MiB",
        root.display(),
        peak_rss >> 20
    );
    let report: Value = serde_json::from_slice(&fs::read(&out).expect("the report was written"))
        .expect("the report is JSON");
    let outcome = Outcome {
        code: libc::WEXITSTATUS(status),
        wall,
        peak_rss,
        report,
    };
    eprintln!(
        "{}: {} input bytes, {:.2} s, peak RSS {} MiB",
        root.display(),
        input_bytes,
        outcome.wall.as_secs_f64(),
        outcome.peak_rss >> 20
    );
    assert!(
        outcome.peak_rss <= rss_bound(input_bytes),
        "peak RSS {} MiB over the bound {} MiB",
        outcome.peak_rss >> 20,
        rss_bound(input_bytes) >> 20
    );
    outcome
}

/// The child's peak RSS so far (`VmHWM`), in bytes. Not `ru_maxrss` from
/// `wait4`: Linux starts a child's maximum from the memory of the process
/// that spawned it, here this test process with its generated inputs and
/// parsed reports. Sampled every 20 ms, it may miss a peak shorter than
/// that: a bound on it can only pass wrongly, never fail wrongly.
fn vm_hwm(pid: libc::pid_t) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

fn rules(report: &Value) -> Vec<String> {
    let mut out: Vec<String> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule"].as_str().unwrap_or("").to_string())
        .collect();
    out.sort();
    out.dedup();
    out
}

fn skipped(report: &Value) -> Vec<String> {
    report["skipped"]
        .as_array()
        .expect("skipped")
        .iter()
        .map(|s| s["reason"].as_str().unwrap_or("").to_string())
        .collect()
}

fn tree(name: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let root = dir.path().join(name);
    fs::create_dir_all(&root).expect("create the root");
    (dir, root)
}

/// 1,000 stages, each `FROM` the previous one, with 50 ENV each (took 3 GB:
/// every stage copied its parent's whole environment), then 100,000 stages
/// (the parent of each FROM was searched by name among all earlier stages,
/// and so was each link of the lineage). A `USER` in the first stage must
/// reach the last one through the whole chain, and `$K49` must resolve.
#[test]
fn chained_stages_share_their_environment() {
    let (_dir, root) = tree("stages");
    let mut text = String::from("FROM alpine:3.20 AS s0\nUSER 10001\n");
    for i in 1..1_000 {
        let _ = writeln!(text, "FROM s{} AS s{i}", i - 1);
        for j in 0..50 {
            let _ = writeln!(text, "ENV K{j}={}", 8_000 + j);
        }
    }
    text.push_str("EXPOSE $K49\n");
    let bytes = write(&root, "Dockerfile", &text);
    let run = audit(&root, bytes, &[]);
    assert_eq!(run.code, 0);
    // The USER of stage 0 is inherited: no runs-as-root; `EXPOSE $K49`
    // resolved: no expose-unresolved.
    assert_eq!(rules(&run.report), ["missing-healthcheck"]);

    let (_dir, root) = tree("stages100k");
    let mut text = String::from("FROM alpine:3.20 AS s0\nUSER 10001\nENV PORT=8080\n");
    for i in 1..100_000 {
        let _ = writeln!(text, "FROM s{} AS s{i}", i - 1);
    }
    text.push_str("EXPOSE $PORT\n");
    let bytes = write(&root, "Dockerfile", &text);
    let run = audit(&root, bytes, &[]);
    assert_eq!(run.code, 0);
    assert_eq!(rules(&run.report), ["missing-healthcheck"]);
}

/// 200,000 chained `ENV A1=$A0` (the environment was a list searched per
/// set), 300,000 EXPOSE (each port-chain node was looked for among all the
/// earlier ones), and a doubling chain `ENV B1=$B0$B0` that would store
/// 2^n bytes: expansion stops at its budget with a note.
#[test]
fn long_env_chains_and_many_exposes_stay_linear() {
    let (_dir, root) = tree("envchain");
    let mut text = String::from("FROM alpine:3.20\nUSER 10001\nENV A0=8080\n");
    for i in 1..200_000 {
        let _ = writeln!(text, "ENV A{i}=$A{}", i - 1);
    }
    text.push_str("EXPOSE $A199999\n");
    let bytes = write(&root, "Dockerfile", &text);
    let run = audit(&root, bytes, &[]);
    assert_eq!(run.code, 0);
    // `EXPOSE $A199999` resolved through the chain: no expose-unresolved.
    assert_eq!(rules(&run.report), ["missing-healthcheck"]);

    let (_dir, root) = tree("expose");
    let mut text = String::from("FROM alpine:3.20\nUSER 10001\n");
    for i in 0..300_000 {
        let _ = writeln!(text, "EXPOSE {}", 1_000 + i % 60_000);
    }
    let bytes = write(&root, "Dockerfile", &text);
    let run = audit(&root, bytes, &[]);
    assert_eq!(run.code, 0);
    assert_eq!(rules(&run.report), ["missing-healthcheck"]);
    let nodes = run.report["services"][0]["ports"]["nodes"]
        .as_array()
        .expect("port chain nodes");
    assert_eq!(nodes.len(), 300_000);

    let (_dir, root) = tree("doubling");
    let mut text = String::from("FROM alpine:3.20\nUSER 10001\nENV B0=xxxxxxxx\n");
    for i in 1..200 {
        let _ = writeln!(text, "ENV B{i}=$B{}$B{}", i - 1, i - 1);
    }
    let bytes = write(&root, "Dockerfile", &text);
    let run = audit(&root, bytes, &[]);
    assert_eq!(run.code, 0);
    let notes = skipped(&run.report);
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("variable expansion stopped here after 16777216 bytes")),
        "{notes:?}"
    );
}

/// Columns were counted from the start of the line for every location:
/// quadratic on one long line. A 3 MB exec-form CMD, and a minified bundle
/// of 20,000 Express routes on one line with non-ASCII text in it; the
/// listen at the end of the line keeps its exact character column.
#[test]
fn long_single_lines_cost_linear_time() {
    let (_dir, root) = tree("cmd");
    let items: Vec<String> = (0..350_000).map(|i| format!("\"a{i}\"")).collect();
    let text = format!(
        "FROM alpine:3.20\nUSER 10001\nEXPOSE 8080\nCMD [{}]\n",
        items.join(",")
    );
    let bytes = write(&root, "Dockerfile", &text);
    let run = audit(&root, bytes, &[]);
    assert_eq!(run.code, 0);
    assert_eq!(rules(&run.report), ["missing-healthcheck"]);

    let (_dir, root) = tree("minified");
    let mut js = String::from("const express=require('express');const app=express();const é='ü';");
    for i in 0..20_000 {
        let _ = write!(js, "app.get('/r{i}',(q,s)=>s.send('ok — {i}'));");
    }
    let listen_column = js.chars().count() + 1;
    js.push_str("app.listen(3000);\n");
    let mut bytes = write(&root, "index.js", &js);
    bytes += write(
        &root,
        "package.json",
        "{\"name\":\"web\",\"main\":\"index.js\",\"dependencies\":{\"express\":\"4\"}}\n",
    );
    bytes += write(
        &root,
        "Dockerfile",
        "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nUSER node\nEXPOSE 8080\nCMD [\"node\", \"index.js\"]\n",
    );
    let run = audit(&root, bytes, &[]);
    let findings = run.report["findings"].as_array().expect("findings");
    let mismatch = findings
        .iter()
        .find(|f| f["rule"] == "expose-port-mismatch")
        .unwrap_or_else(|| panic!("no expose-port-mismatch in {findings:?}"));
    let related = mismatch["related"].as_array().expect("related");
    assert!(
        related.iter().any(|r| r["path"] == "index.js"
            && r["line"] == 1
            && r["column"].as_u64() == Some(listen_column as u64 + 11)),
        "the listen's column is {} + 11: {related:?}",
        listen_column
    );
    assert_eq!(run.code, 1);
}

/// tree-sitter-kotlin-ng's external scanner rescans to the end of the file
/// for each handler of a controller whose class carries an annotation with
/// arguments (quadratic inside the grammar: 16,000 handlers took minutes).
/// The parse has a step budget: the file becomes a note, not a stall.
#[test]
fn a_pathological_parse_stops_at_its_budget() {
    let (_dir, root) = tree("kotlin");
    let mut text = String::from(
        "package demo\n\nimport org.springframework.web.bind.annotation.*\n\n\
         @RestController\n@RequestMapping(\"/api\")\nclass Big {\n",
    );
    for i in 0..16_000 {
        let _ = writeln!(text, "    @GetMapping(\"/h{i}\") fun h{i}() = \"ok\"");
    }
    text.push_str("}\n");
    let bytes = write(&root, "src/main/kotlin/demo/Big.kt", &text);
    let run = audit(&root, bytes, &[]);
    assert_eq!(run.code, 0);
    let notes = skipped(&run.report);
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("analysis stopped after ") && n.contains("kotlin parser")),
        "{notes:?}"
    );
}

fn labels(n: usize, skip_last: bool, indent: &str) -> String {
    let count = if skip_last { n - 1 } else { n };
    let mut out = String::new();
    for i in 0..count {
        let _ = writeln!(out, "{indent}l{i}: v");
    }
    out
}

/// A 100,000-label selector against a pod template missing only the last
/// label (each selector label was searched for among all pod labels), then
/// 4,000 Services × 1,000 Deployments with the same labels (the Service ↔
/// workload relation, the port chains and the report were products of the
/// two counts).
#[test]
fn selectors_match_through_a_label_index() {
    let (_dir, root) = tree("selector");
    let n = 100_000;
    let service = format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: wide\nspec:\n  selector:\n{}  ports:\n    - port: 80\n      targetPort: 8080\n",
        labels(n, false, "    ")
    );
    let deployment = format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: wide\nspec:\n  selector:\n    matchLabels: {{l0: v}}\n  template:\n    metadata:\n      labels:\n{}    spec:\n      containers:\n        - name: c\n          image: registry.example.com/wide:1.0\n          ports: [{{containerPort: 8080}}]\n",
        labels(n, true, "        ")
    );
    let bytes = write(&root, "k8s/service.yaml", &service)
        + write(&root, "k8s/deployment.yaml", &deployment);
    let run = audit(&root, bytes, &[]);
    assert!(
        rules(&run.report).contains(&"service-selector-no-match".to_string()),
        "{:?}",
        rules(&run.report)
    );

    let (_dir, root) = tree("product");
    let mut services = String::new();
    for i in 0..4_000 {
        let _ = write!(
            services,
            "---\napiVersion: v1\nkind: Service\nmetadata: {{name: s{i}}}\nspec:\n  selector: {{app: same}}\n  ports: [{{port: 80, targetPort: 8080}}]\n"
        );
    }
    let mut deployments = String::new();
    for i in 0..1_000 {
        let _ = write!(
            deployments,
            "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: d{i}}}\nspec:\n  selector: {{matchLabels: {{app: same}}}}\n  template:\n    metadata: {{labels: {{app: same}}}}\n    spec:\n      containers: [{{name: c, image: registry.example.com/d:1.0, ports: [{{containerPort: 8080}}]}}]\n"
        );
    }
    let bytes = write(&root, "k8s/services.yaml", &services)
        + write(&root, "k8s/deployments.yaml", &deployments);
    let run = audit(&root, bytes, &[]);
    assert_eq!(run.code, 0);
    let reported = run.report["services"].as_array().expect("services");
    assert_eq!(reported.len(), 1_000);
    for s in reported {
        // The first MAX_SELECTING (16) Services in scan order.
        let kube = s["kube_services"].as_array().expect("kube_services");
        assert_eq!(kube.len(), 16);
        assert_eq!(kube[0], "default/s0");
    }
    assert_eq!(
        rules(&run.report),
        [
            "missing-liveness-probe",
            "missing-readiness-probe",
            "missing-resources"
        ]
    );
}

/// 5,000 Services and 10,000 Ingress backends naming none of them: each
/// backend scanned every Service, and each finding's help listed all 5,000
/// names (10 GB at 20,000 × 50,000). The help lists ten and a count.
#[test]
fn ingress_backends_find_services_by_name() {
    let (_dir, root) = tree("ingress");
    let mut services = String::new();
    for i in 0..5_000 {
        let _ = write!(
            services,
            "---\napiVersion: v1\nkind: Service\nmetadata: {{name: s{i}}}\nspec:\n  selector: {{app: s{i}}}\n  ports: [{{port: 80, targetPort: 8080}}]\n"
        );
    }
    let mut ingress = String::from(
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: edge}\nspec:\n  rules:\n    - http:\n        paths:\n",
    );
    for i in 0..10_000 {
        let _ = writeln!(
            ingress,
            "          - {{path: /p{i}, pathType: Prefix, backend: {{service: {{name: gone{i}, port: {{number: 80}}}}}}}}"
        );
    }
    let bytes =
        write(&root, "k8s/services.yaml", &services) + write(&root, "k8s/ingress.yaml", &ingress);
    let run = audit(&root, bytes, &[]);
    assert_eq!(run.code, 1);
    let missing: Vec<&Value> = run.report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "ingress-backend-missing")
        .collect();
    assert_eq!(missing.len(), 10_000);
    let help = missing[0]["help"].as_str().expect("a help");
    assert!(
        help.starts_with("Services in this namespace: `s0`, `s1`, ")
            && help.ends_with("`s9` and 4,990 more"),
        "{help}"
    );
}
