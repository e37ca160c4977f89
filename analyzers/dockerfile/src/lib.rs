//! seamcheck analyzer: dockerfile (to be written).
use seamcheck_facts::{Facts, FileAnalysis, FileKind};

pub fn analyze(path: &str, bytes: &[u8]) -> FileAnalysis {
    let _ = bytes;
    FileAnalysis::new(path, FileKind::Dockerfile, Facts::Empty)
}
