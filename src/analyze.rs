//! Runs the analyzers over the discovered files, in parallel. Each file is
//! read once and analysed on its own; a panic in an analyzer (a bug: analyzers
//! must not panic) still becomes a parse-error finding for that file, not a
//! crash.
//!
//! Before a parser runs, two cheap checks on the bytes:
//! - UTF-16 text (a byte order mark) is a parse error saying so: every
//!   runtime seamcheck models reads these files as UTF-8, and spans into a
//!   transcoded copy would not point at the bytes on disk.
//! - A Kubernetes-named YAML file is parsed only if it mentions both
//!   `apiVersion` and `kind`: CI workflows, Helm values and OpenAPI specs are
//!   most YAML files in a monorepo, and none of them is a Kubernetes object.

use crate::discover::{Candidate, Found, Skipped};
use seamcheck_facts::render::Unit;
use seamcheck_facts::{Facts, FileAnalysis, FileKind, LineIndex, ParseProblem, Span};
use std::collections::HashSet;
use std::io::Read;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::Mutex;

/// Parsers recurse; a generous stack turns pathological nesting into a parse
/// error from the analyzer's own depth limit rather than an overflow.
const ANALYZER_STACK: usize = 64 * 1024 * 1024;

/// What the analysis of the discovered files keeps.
pub struct Analysed {
    /// Analyses that hold something (facts, problems, notes, suppressions),
    /// sorted by path.
    pub files: Vec<FileAnalysis>,
    /// Files read and analysed, those that held nothing included.
    pub count: usize,
    /// Directories the walk found to render as a whole (charts,
    /// kustomizations), sorted; empty from [`analyze_all`].
    pub units: Vec<Unit>,
}

/// Analyses every candidate on a pool of threads. Files that hold nothing
/// ([`FileAnalysis::holds_nothing`]) are counted, not kept: on a large
/// repository they are most files, and keeping them was a tenth of the
/// audit's memory. The analyses come sorted by path; what could not be read
/// joins `skipped`, which is sorted too.
pub fn analyze_all(files: &[Candidate], skipped: &mut Vec<Skipped>) -> Analysed {
    let (analysed, more) = analyze_fed(|sender| {
        for file in files {
            // The workers hold the receiver until this returns.
            let _ = sender.send(file.clone());
        }
    });
    skipped.extend(more);
    skipped.sort_by(|a, b| (&a.rel, &a.reason).cmp(&(&b.rel, &b.reason)));
    analysed
}

/// Walks `paths` and analyses what the walk finds at the same time: each
/// file of a known kind goes to the analysis threads as soon as the walker
/// sees it, so reading and parsing start with the first directory instead
/// of after the last. Only files whose report path `keep` accepts (the
/// configuration's `[paths] exclude`) are analysed or reported skipped.
/// The result is the same as [`crate::discover::discover`] followed by
/// [`analyze_all`]: sorted by path, each file once.
pub fn discover_and_analyze(
    root: &Path,
    paths: &[PathBuf],
    max_size: u64,
    keep: &(dyn Fn(&str) -> bool + Sync),
) -> (Analysed, Vec<Skipped>) {
    let mut walk_skipped = Vec::new();
    let mut units = Vec::new();
    let (mut analysed, mut skipped) = analyze_fed(|sender| {
        let found = Streamed {
            sender,
            keep,
            seen: Mutex::new(HashSet::new()),
            skipped: Mutex::new(Vec::new()),
            units: Mutex::new(Vec::new()),
        };
        crate::discover::discover_into(root, paths, max_size, &found);
        walk_skipped = found
            .skipped
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        units = found.units.into_inner().unwrap_or_else(|e| e.into_inner());
    });
    units.sort();
    units.dedup();
    analysed.units = units;
    skipped.extend(walk_skipped);
    skipped.sort_by(|a, b| (&a.rel, &a.reason).cmp(&(&b.rel, &b.reason)));
    skipped.dedup_by(|a, b| a.rel == b.rel && a.reason == b.reason);
    (analysed, skipped)
}

/// Analyses the candidates `feed` sends, on a pool of threads started before
/// `feed` runs on this thread; the queue closes when `feed` drops its
/// sender. Returns the analyses that hold something, sorted by path, and the
/// files that could not be read.
fn analyze_fed(feed: impl FnOnce(Sender<Candidate>)) -> (Analysed, Vec<Skipped>) {
    let (sender, receiver) = channel::<Candidate>();
    let receiver = Mutex::new(receiver);
    let empty = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut results: Vec<Result<FileAnalysis, Skipped>> = Vec::new();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .filter_map(|_| {
                std::thread::Builder::new()
                    .stack_size(ANALYZER_STACK)
                    .spawn_scoped(scope, || analyze_received(&receiver, &empty))
                    .ok()
            })
            .collect();
        feed(sender);
        for h in handles {
            if let Ok(local) = h.join() {
                results.extend(local);
            }
        }
    });
    // Files no thread got to (every spawn failed) are still analysed, here.
    results.extend(analyze_received(&receiver, &empty));
    results.sort_by(|a, b| result_path(a).cmp(result_path(b)));
    let mut files = Vec::with_capacity(results.len());
    let mut skipped = Vec::new();
    for result in results {
        match result {
            Ok(a) => files.push(a),
            Err(s) => skipped.push(s),
        }
    }
    let analysed = Analysed {
        count: files.len() + empty.into_inner(),
        files,
        units: Vec::new(),
    };
    (analysed, skipped)
}

/// The walk's side of [`discover_and_analyze`].
struct Streamed<'k> {
    sender: Sender<Candidate>,
    keep: &'k (dyn Fn(&str) -> bool + Sync),
    /// Paths already sent: overlapping `paths` find a file twice.
    seen: Mutex<HashSet<String>>,
    skipped: Mutex<Vec<Skipped>>,
    units: Mutex<Vec<Unit>>,
}

impl Found for Streamed<'_> {
    fn file(&self, candidate: Candidate) {
        if !(self.keep)(&candidate.rel) {
            return;
        }
        let first = self
            .seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(candidate.rel.clone());
        if first {
            // The receiver lives until every file is analysed; a send can
            // only fail if it is gone, and then there is no one to tell.
            let _ = self.sender.send(candidate);
        }
    }

    fn skipped(&self, skipped: Skipped) {
        if (self.keep)(&skipped.rel) {
            self.skipped
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(skipped);
        }
    }

    fn unit(&self, unit: Unit, marker: &str) {
        if (self.keep)(marker) {
            self.units
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(unit);
        }
    }
}

/// Analyses candidates from the queue until it is closed and empty; files
/// that hold nothing are counted in `empty`, not returned.
fn analyze_received(
    receiver: &Mutex<Receiver<Candidate>>,
    empty: &AtomicUsize,
) -> Vec<Result<FileAnalysis, Skipped>> {
    let mut local = Vec::new();
    loop {
        // Waits while the queue is still open; fails once it is closed and
        // empty.
        let next = receiver.lock().unwrap_or_else(|e| e.into_inner()).recv();
        let Ok(file) = next else { break };
        // `analyze_one` turns an analyzer panic into a parse error; this
        // catches the rest, so that a worker never dies with the results
        // it holds.
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| analyze_one(&file)))
            .unwrap_or_else(|_| {
                Err(Skipped {
                    rel: file.rel.clone(),
                    reason: "internal error while reading (please report it)".to_string(),
                })
            });
        match result {
            Ok(a) if a.holds_nothing() => {
                empty.fetch_add(1, Ordering::Relaxed);
            }
            result => local.push(result),
        }
    }
    local
}

fn result_path(result: &Result<FileAnalysis, Skipped>) -> &str {
    match result {
        Ok(a) => &a.path,
        Err(s) => &s.rel,
    }
}

fn analyze_one(file: &Candidate) -> Result<FileAnalysis, Skipped> {
    let bytes = read_capped(file)?;
    if let Some(problem) = utf16_problem(&file.rel, &bytes) {
        let mut a = FileAnalysis::new(file.rel.clone(), file.kind, Facts::Empty);
        a.problems.push(problem);
        return Ok(a);
    }
    if file.kind == FileKind::KubeYaml && !may_hold_kube_object(&bytes) {
        return Ok(FileAnalysis::new(file.rel.clone(), file.kind, Facts::Empty));
    }
    let run = || match file.kind {
        FileKind::Dockerfile => seamcheck_dockerfile::analyze(&file.rel, &bytes),
        FileKind::KubeYaml => seamcheck_kube::analyze(&file.rel, &bytes),
        FileKind::Compose => seamcheck_compose::analyze(&file.rel, &bytes),
        FileKind::DotEnv => seamcheck_compose::analyze_dotenv(&file.rel, &bytes),
        _ => seamcheck_source::analyze(&file.rel, &bytes),
    };
    let analysis = std::panic::catch_unwind(AssertUnwindSafe(run)).map(|mut a| {
        a.facts = fitted(&a.facts);
        a
    });
    Ok(analysis.unwrap_or_else(|_| {
        let mut a = FileAnalysis::new(file.rel.clone(), file.kind, Facts::Empty);
        a.problems.push(ParseProblem {
            message: "internal analyzer error on this file (please report it)".to_string(),
            loc: LineIndex::new(file.rel.clone(), "").file_location(),
        });
        a
    }))
}

/// A copy of `facts` whose vectors and strings are exactly as long as their
/// contents. Analyzers build facts by pushing, which leaves vectors up to
/// twice (and a first push four times) their length, and the facts of every
/// file stay in memory until the report is written: on a 5,000-service
/// repository the spare capacity was a fifth of the audit's memory. A clone
/// allocates exact sizes all the way down.
fn fitted(facts: &Facts) -> Facts {
    facts.clone()
}

/// Reads the file, unless it is larger than `max_size` (then a skipped note,
/// without reading it). At most `max_size` bytes are read even if the file
/// grows meanwhile. A file that vanished or became unreadable since the walk
/// is a skipped note too.
fn read_capped(file: &Candidate) -> Result<Vec<u8>, Skipped> {
    read_file_capped(&file.abs, file.max_size).map_err(|reason| Skipped {
        rel: file.rel.clone(),
        reason,
    })
}

/// [`read_capped`] for any path (the render stage's tree reads through it):
/// a regular file of at most `max_size` bytes, or the reason why not.
pub(crate) fn read_file_capped(abs: &Path, max_size: u64) -> Result<Vec<u8>, String> {
    let cannot = |e: std::io::Error| format!("cannot read: {e}");
    let f = std::fs::File::open(abs).map_err(cannot)?;
    let meta = f.metadata().map_err(cannot)?;
    if !meta.is_file() {
        return Err("not a regular file".to_string());
    }
    let len = meta.len();
    if len > max_size {
        return Err(too_large(len, max_size));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    f.take(max_size.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > max_size {
        return Err(format!(
            "grew past the {max_size}-byte limit while being read"
        ));
    }
    Ok(bytes)
}

/// The note for a file over `--max-file-size`.
pub fn too_large(len: u64, max: u64) -> String {
    format!("{len} bytes, larger than the {max}-byte limit (--max-file-size)")
}

/// A UTF-16 byte order mark: the file is text, but not UTF-8.
fn utf16_problem(rel: &str, bytes: &[u8]) -> Option<ParseProblem> {
    let endian = match bytes.get(..2) {
        Some([0xFF, 0xFE]) => "little-endian",
        Some([0xFE, 0xFF]) => "big-endian",
        _ => return None,
    };
    let mut loc = LineIndex::new(rel, "").file_location();
    loc.span = Span::new(0, 2);
    Some(ParseProblem {
        message: format!(
            "utf-16 {endian} text (byte order mark): re-save the file as utf-8, \
             the encoding the tools that read it expect"
        ),
        loc,
    })
}

/// Whether YAML bytes can hold a Kubernetes object: both keys must appear.
fn may_hold_kube_object(bytes: &[u8]) -> bool {
    contains(bytes, b"apiVersion") && contains(bytes, b"kind")
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    match std::str::from_utf8(hay) {
        // `str::contains` uses a vectorised two-way search.
        Ok(text) => std::str::from_utf8(needle).is_ok_and(|n| text.contains(n)),
        Err(_) => hay.windows(needle.len().max(1)).any(|w| w == needle),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_kubernetes_yaml() {
        assert!(may_hold_kube_object(b"apiVersion: v1\nkind: Service\n"));
        assert!(may_hold_kube_object(
            b"{\"kind\": \"List\", \"apiVersion\": \"v1\"}"
        ));
        assert!(!may_hold_kube_object(b"on: push\njobs:\n  build: {}\n"));
        assert!(!may_hold_kube_object(b"replicaCount: 2\nimage: {tag: x}\n"));
        assert!(may_hold_kube_object(b"apiVersion: v1\nkind: \xE9\n"));
    }

    #[test]
    fn utf16_is_a_clear_problem() {
        let p = utf16_problem("k8s/a.yaml", b"\xFF\xFEa\x00").map(|p| p.message);
        assert!(p.is_some_and(|m| m.starts_with("utf-16 little-endian text")));
        assert!(utf16_problem("k8s/a.yaml", b"apiVersion: v1").is_none());
        assert!(utf16_problem("k8s/a.yaml", b"").is_none());
    }

    fn candidate(abs: std::path::PathBuf, max_size: u64) -> Candidate {
        Candidate {
            rel: "svc/Dockerfile".to_string(),
            abs,
            kind: FileKind::Dockerfile,
            max_size,
        }
    }

    #[test]
    fn a_file_that_vanished_after_the_walk_is_a_skipped_note() {
        let dir = tempfile::tempdir().map_err(|e| e.to_string());
        let Ok(dir) = dir else { return };
        let mut skipped = Vec::new();
        let files = [candidate(dir.path().join("gone"), 100)];
        let out = analyze_all(&files, &mut skipped);
        assert!(out.files.is_empty());
        assert_eq!(out.count, 0);
        assert_eq!(skipped.len(), 1);
        assert_eq!(skipped[0].rel, "svc/Dockerfile");
        assert!(skipped[0].reason.starts_with("cannot read"), "{skipped:?}");
    }

    #[test]
    fn a_file_over_the_cap_is_not_read() {
        let Ok(dir) = tempfile::tempdir() else { return };
        let path = dir.path().join("Dockerfile");
        assert!(std::fs::write(&path, "FROM alpine:3.20\n").is_ok());
        let mut skipped = Vec::new();
        let out = analyze_all(&[candidate(path.clone(), 4)], &mut skipped);
        assert!(out.files.is_empty());
        assert_eq!(skipped[0].reason, too_large(17, 4));
        let out = analyze_all(&[candidate(path, 17)], &mut Vec::new());
        assert_eq!(out.files.len(), 1);
        assert_eq!(out.count, 1);
    }

    #[test]
    fn walking_and_analysing_at_once_gives_what_one_after_the_other_gives() {
        let Ok(dir) = tempfile::tempdir() else { return };
        let root = dir.path();
        let write = |rel: &str, text: &str| {
            let path = root.join(rel);
            assert!(path
                .parent()
                .is_some_and(|p| std::fs::create_dir_all(p).is_ok()));
            assert!(std::fs::write(path, text).is_ok());
        };
        for i in 0..40 {
            write(
                &format!("svc{i}/Dockerfile"),
                "FROM python:3.12-slim\nEXPOSE 8000\n",
            );
            write(
                &format!("svc{i}/app.py"),
                "from flask import Flask\napp = Flask(__name__)\n",
            );
            write(
                &format!("svc{i}/util.py"),
                "def double(x):\n    return 2 * x\n",
            );
            write(&format!("svc{i}/README.md"), "# svc\n");
        }
        write("svc3/big.yaml", &"a: b\n".repeat(100));
        let paths = [root.to_path_buf()];
        let disc = crate::discover::discover(root, &paths, 200);
        let mut skipped_before = disc.skipped;
        let before = analyze_all(&disc.files, &mut skipped_before);
        let (after, skipped_after) = discover_and_analyze(root, &paths, 200, &|_| true);
        assert_eq!(after.count, before.count);
        assert_eq!(after.count, 120);
        let paths_of = |a: &Analysed| a.files.iter().map(|f| f.path.clone()).collect::<Vec<_>>();
        assert_eq!(paths_of(&after), paths_of(&before));
        let skipped = |s: &[Skipped]| s.iter().map(|s| s.rel.clone()).collect::<Vec<_>>();
        assert_eq!(skipped(&skipped_after), skipped(&skipped_before));
        assert_eq!(skipped(&skipped_after), ["svc3/big.yaml"]);
        // Overlapping paths find files twice; each is analysed once.
        let overlapping = [root.to_path_buf(), root.join("svc1")];
        let (twice, _) = discover_and_analyze(root, &overlapping, 200, &|_| true);
        assert_eq!(paths_of(&twice), paths_of(&before));
        // What `keep` refuses is neither analysed nor reported skipped.
        let keep = |rel: &str| !rel.starts_with("svc3/");
        let (kept, kept_skipped) = discover_and_analyze(root, &paths, 200, &keep);
        assert_eq!(kept.count, 117);
        assert!(kept.files.iter().all(|f| !f.path.starts_with("svc3/")));
        assert!(kept_skipped.is_empty());
    }

    #[test]
    fn a_file_that_holds_nothing_is_counted_not_kept() {
        let Ok(dir) = tempfile::tempdir() else { return };
        let helper = dir.path().join("util.py");
        let app = dir.path().join("app.py");
        assert!(std::fs::write(&helper, "def double(x):\n    return 2 * x\n").is_ok());
        assert!(std::fs::write(&app, "from flask import Flask\napp = Flask(__name__)\n").is_ok());
        let python = |abs: std::path::PathBuf, rel: &str| Candidate {
            rel: rel.to_string(),
            abs,
            kind: FileKind::Python,
            max_size: 1 << 20,
        };
        let out = analyze_all(
            &[python(helper, "util.py"), python(app, "app.py")],
            &mut Vec::new(),
        );
        assert_eq!(out.count, 2);
        let kept: Vec<&str> = out.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(kept, ["app.py"]);
    }
}
