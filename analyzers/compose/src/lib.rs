//! seamcheck analyzer: compose files (to be written).
use seamcheck_facts::{Facts, FileAnalysis, FileKind};

pub fn analyze(path: &str, bytes: &[u8]) -> FileAnalysis {
    let _ = bytes;
    FileAnalysis::new(path, FileKind::Compose, Facts::Empty)
}
