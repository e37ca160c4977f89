//! seamcheck analyzer: kube (to be written).
use seamcheck_facts::{FileAnalysis, FileKind, Facts};

pub fn analyze(path: &str, bytes: &[u8]) -> FileAnalysis {
    let _ = bytes;
    FileAnalysis::new(path, FileKind::Dockerfile, Facts::Empty)
}
