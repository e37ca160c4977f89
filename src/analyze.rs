//! Runs the analyzers over the discovered files, in parallel. Each file is
//! analysed on its own; a panic in an analyzer (a bug: analyzers must not
//! panic) still becomes a parse-error finding for that file, not a crash.

use crate::discover::{Candidate, Skipped};
use seamcheck_facts::{Facts, FileAnalysis, FileKind, LineIndex, ParseProblem};
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Parsers recurse; a generous stack turns pathological nesting into a parse
/// error from the analyzer's own depth limit rather than an overflow.
const ANALYZER_STACK: usize = 64 * 1024 * 1024;

pub fn analyze_all(files: &[Candidate], skipped: &mut Vec<Skipped>) -> Vec<FileAnalysis> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(files.len().max(1));
    let next = AtomicUsize::new(0);
    let mut results: Vec<(usize, Result<FileAnalysis, Skipped>)> = Vec::with_capacity(files.len());
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .filter_map(|_| {
                std::thread::Builder::new()
                    .stack_size(ANALYZER_STACK)
                    .spawn_scoped(scope, || {
                        let mut local = Vec::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(file) = files.get(i) else { break };
                            local.push((i, analyze_one(file)));
                        }
                        local
                    })
                    .ok()
            })
            .collect();
        for h in handles {
            if let Ok(local) = h.join() {
                results.extend(local);
            }
        }
    });
    results.sort_by_key(|(i, _)| *i);
    let mut out = Vec::with_capacity(results.len());
    for (_, r) in results {
        match r {
            Ok(a) => out.push(a),
            Err(s) => skipped.push(s),
        }
    }
    out
}

fn analyze_one(file: &Candidate) -> Result<FileAnalysis, Skipped> {
    let bytes = std::fs::read(&file.abs).map_err(|e| Skipped {
        rel: file.rel.clone(),
        reason: format!("cannot read: {e}"),
    })?;
    let run = || match file.kind {
        FileKind::Dockerfile => seamcheck_dockerfile::analyze(&file.rel, &bytes),
        FileKind::KubeYaml => seamcheck_kube::analyze(&file.rel, &bytes),
        FileKind::Compose => seamcheck_compose::analyze(&file.rel, &bytes),
        _ => seamcheck_source::analyze(&file.rel, &bytes),
    };
    Ok(
        std::panic::catch_unwind(AssertUnwindSafe(run)).unwrap_or_else(|_| {
            let mut a = FileAnalysis::new(file.rel.clone(), file.kind, Facts::Empty);
            a.problems.push(ParseProblem {
                message: "internal analyzer error on this file (please report it)".to_string(),
                loc: LineIndex::new(file.rel.clone(), "").file_location(),
            });
            a
        }),
    )
}
