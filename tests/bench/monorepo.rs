//! The monorepo benchmark: `cargo bench --bench monorepo`.
//!
//! For each size (services; default 100, 1,000 and 5,000, or the
//! comma-separated `SEAMCHECK_BENCH_SIZES`) it generates a synthetic monorepo
//! in a temporary directory (see `generate.rs`), then measures, in this run:
//!
//! - **read limit**: walking the tree and reading every file in it once, on
//!   as many threads as seamcheck uses, page cache warm (after one untimed
//!   read). Also the narrower limit of reading only the files seamcheck
//!   analyses.
//! - **seamcheck**: wall time of the release binary auditing the tree
//!   (`--format json --output`), and its peak RSS (`wait4` on the child).
//! - **Checkov** (when `checkov` is on `PATH` or named by `CHECKOV`, and
//!   `SEAMCHECK_BENCH_CHECKOV` is not `0`): wall time of
//!   `checkov -d <tree> --framework dockerfile kubernetes`, as a ratio to
//!   seamcheck's.
//!
//! `SEAMCHECK_BENCH_KEEP=DIR` keeps the generated trees in DIR.
//!
//! Times are the median of `SEAMCHECK_BENCH_RUNS` runs (default 3; Checkov
//! runs once). Targets: seamcheck ≤ 2× the read limit, ≤ 200 MiB at 5,000
//! services, and time linear in size.

mod generate;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let sizes = env_list("SEAMCHECK_BENCH_SIZES", &[100, 1_000, 5_000]);
    let runs = env_list("SEAMCHECK_BENCH_RUNS", &[3])
        .first()
        .copied()
        .unwrap_or(3)
        .max(1);
    let checkov = checkov_command();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "seamcheck monorepo benchmark: {} CPU threads, median of {runs} runs, checkov: {}",
        threads,
        checkov.as_deref().unwrap_or("not run")
    );
    // SEAMCHECK_BENCH_KEEP=DIR generates the trees in DIR and leaves them
    // there, for profiling a run by hand.
    let keep = std::env::var_os("SEAMCHECK_BENCH_KEEP").map(PathBuf::from);
    let base = keep.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("seamcheck-bench-{}", std::process::id()))
    });
    let mut rows = Vec::new();
    for &size in &sizes {
        let root = base.join(format!("monorepo-{size}"));
        let _ = std::fs::remove_dir_all(&root);
        let started = Instant::now();
        let tree = match generate::generate(&root, size) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("cannot generate {}: {e}", root.display());
                std::process::exit(2);
            }
        };
        eprintln!(
            "generated {size} services: {} files, {} MiB in {:.1?}",
            tree.files,
            tree.bytes >> 20,
            started.elapsed()
        );
        let row = measure(&root, size, &tree, runs, threads, checkov.as_deref());
        print_row(&row);
        rows.push(row);
        if keep.is_none() {
            let _ = std::fs::remove_dir_all(&root);
        }
    }
    if keep.is_none() {
        let _ = std::fs::remove_dir_all(&base);
    }
    println!();
    print_table(&rows);
}

struct Row {
    services: usize,
    files: usize,
    read_all: Duration,
    read_analysed: Duration,
    seamcheck: Duration,
    rss_kib: u64,
    findings: usize,
    checkov: Option<Result<Duration, String>>,
    walk: Duration,
    analyze: Duration,
    analysed_files: usize,
}

fn measure(
    root: &Path,
    services: usize,
    tree: &generate::Tree,
    runs: usize,
    threads: usize,
    checkov: Option<&str>,
) -> Row {
    let all = walk(root);
    let analysed: Vec<PathBuf> = all
        .iter()
        .filter(|p| {
            let rel = p.strip_prefix(root).unwrap_or(p).to_string_lossy();
            !rel.split('/').any(|c| c == "vendor") && seamcheck::discover::classify(&rel).is_some()
        })
        .cloned()
        .collect();
    // Warm the page cache: every measurement below reads from memory.
    read_files(&all, threads);
    let read_all = median(runs, || {
        let t = Instant::now();
        let files = walk(root);
        read_files(&files, threads);
        t.elapsed()
    });
    let read_analysed = median(runs, || {
        let t = Instant::now();
        read_files(&analysed, threads);
        t.elapsed()
    });
    let report = root.with_extension("report.json");
    let mut rss_kib = 0;
    let seamcheck = median(runs, || {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_seamcheck"));
        cmd.arg("audit")
            .arg(root)
            .args(["--format", "json", "--fail-on", "never", "--output"])
            .arg(&report);
        let (elapsed, rss, code) = run_child(cmd);
        if code != Some(0) {
            eprintln!("seamcheck failed on {}", root.display());
            std::process::exit(2);
        }
        rss_kib = rss_kib.max(rss);
        elapsed
    });
    // Where the time goes: the walk and the analysis, timed in-process one
    // after the other (the binary overlaps them).
    let t = Instant::now();
    let disc = seamcheck::discover::discover(
        root,
        &[root.to_path_buf()],
        seamcheck::discover::DEFAULT_MAX_FILE_SIZE,
    );
    let walk = t.elapsed();
    let t = Instant::now();
    let analysed_files = seamcheck::analyze::analyze_all(&disc.files, &mut Vec::new()).count;
    let analyze = t.elapsed();
    let findings = std::fs::read_to_string(&report)
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|v| v["findings"].as_array().map(Vec::len))
        .unwrap_or(0);
    let _ = std::fs::remove_file(&report);
    let checkov = checkov.map(|bin| {
        let mut cmd = Command::new(bin);
        cmd.arg("-d")
            .arg(root)
            .args([
                "--framework",
                "dockerfile",
                "kubernetes",
                "--quiet",
                "--compact",
                "--skip-download",
                "-o",
                "json",
            ])
            .env("BC_SKIP_MAPPING", "TRUE");
        match run_child(cmd) {
            // Checkov exits 1 when a check fails.
            (elapsed, _, Some(0 | 1)) => Ok(elapsed),
            (_, _, code) => Err(format!("checkov failed (exit status {code:?})")),
        }
    });
    Row {
        services,
        files: tree.files,
        read_all,
        read_analysed,
        seamcheck,
        rss_kib,
        findings,
        checkov,
        walk,
        analyze,
        analysed_files,
    }
}

/// Runs a child to completion, output discarded: wall time, peak RSS (KiB)
/// of that child alone (`wait4`, not the cumulative `RUSAGE_CHILDREN`), and
/// its exit status (`None`: killed by a signal or not started).
fn run_child(mut cmd: Command) -> (Duration, u64, Option<i32>) {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let started = Instant::now();
    let child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("cannot run {:?}: {e}", cmd.get_program());
            return (Duration::ZERO, 0, None);
        }
    };
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid; wait4 writes it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our child, not yet waited for; both pointers are valid.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let elapsed = started.elapsed();
    let code = (waited == pid && libc::WIFEXITED(status)).then(|| libc::WEXITSTATUS(status));
    // `child` was reaped by wait4: dropping it does not wait again.
    drop(child);
    (elapsed, u64::try_from(usage.ru_maxrss).unwrap_or(0), code)
}

/// Every file below `root` (a plain recursive `read_dir`).
fn walk(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            match e.file_type() {
                Ok(t) if t.is_dir() => dirs.push(e.path()),
                Ok(t) if t.is_file() => files.push(e.path()),
                _ => {}
            }
        }
    }
    files
}

/// Reads every file once on `threads` threads; returns the bytes read.
fn read_files(files: &[PathBuf], threads: usize) -> u64 {
    let chunk = files.len().div_ceil(threads.max(1)).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|p| std::fs::read(p).map_or(0, |b| b.len() as u64))
                        .sum::<u64>()
                })
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).sum()
    })
}

fn median(runs: usize, mut f: impl FnMut() -> Duration) -> Duration {
    let mut times: Vec<Duration> = (0..runs).map(|_| f()).collect();
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

fn checkov_command() -> Option<String> {
    if std::env::var("SEAMCHECK_BENCH_CHECKOV").is_ok_and(|v| v == "0") {
        return None;
    }
    let bin = std::env::var("CHECKOV").unwrap_or_else(|_| "checkov".to_string());
    Command::new(&bin)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .ok()
        .filter(|s| s.success())
        .map(|_| bin)
}

fn env_list(name: &str, default: &[usize]) -> Vec<usize> {
    std::env::var(name)
        .ok()
        .map(|v| {
            v.split(',')
                .filter_map(|s| s.trim().replace('_', "").parse().ok())
                .collect::<Vec<usize>>()
        })
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_vec())
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-9)
}

fn print_row(r: &Row) {
    let checkov = match &r.checkov {
        None => "not run".to_string(),
        Some(Ok(d)) => format!("{} ({:.1}x seamcheck)", ms(*d), ratio(*d, r.seamcheck)),
        Some(Err(e)) => e.clone(),
    };
    println!(
        "{:>5} services, {:>6} files: seamcheck {} | read limit {} (analysed files only {}) | ratio {:.2} ({:.2} to the narrow limit) | peak RSS {:.1} MiB | {} findings | checkov {}",
        r.services,
        r.files,
        ms(r.seamcheck),
        ms(r.read_all),
        ms(r.read_analysed),
        ratio(r.seamcheck, r.read_all),
        ratio(r.seamcheck, r.read_analysed),
        r.rss_kib as f64 / 1024.0,
        r.findings,
        checkov
    );
    // seamcheck walks and analyses at once; timed here one after the other,
    // the two show where its time goes (the rest is link, rules, report).
    println!(
        "       in this process, one after the other: walk {} | read and analyse {} files {}",
        ms(r.walk),
        r.analysed_files,
        ms(r.analyze),
    );
}

fn print_table(rows: &[Row]) {
    println!("| services | files | seamcheck | read limit | ratio | read analysed only | ratio | peak RSS | Checkov | Checkov / seamcheck |");
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in rows {
        let (c, cr) = match &r.checkov {
            Some(Ok(d)) => (ms(*d), format!("{:.1}x", ratio(*d, r.seamcheck))),
            Some(Err(e)) => (e.clone(), "-".to_string()),
            None => ("not run".to_string(), "-".to_string()),
        };
        println!(
            "| {} | {} | {} | {} | {:.2} | {} | {:.2} | {:.1} MiB | {} | {} |",
            r.services,
            r.files,
            ms(r.seamcheck),
            ms(r.read_all),
            ratio(r.seamcheck, r.read_all),
            ms(r.read_analysed),
            ratio(r.seamcheck, r.read_analysed),
            r.rss_kib as f64 / 1024.0,
            c,
            cr
        );
    }
    for pair in rows.windows(2) {
        if let [a, b] = pair {
            println!(
                "growth {} -> {} services: {:.1}x the files, {:.1}x seamcheck's time",
                a.services,
                b.services,
                b.files as f64 / a.files as f64,
                ratio(b.seamcheck, a.seamcheck)
            );
        }
    }
}
