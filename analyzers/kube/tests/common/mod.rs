//! Helpers shared by the integration tests.
#![allow(dead_code)]

use seamcheck_facts::{Facts, FileAnalysis, KubeFacts, Location};

pub fn analyze(path: &str, text: &str) -> FileAnalysis {
    seamcheck_kube::analyze(path, text.as_bytes())
}

/// The Kubernetes facts, failing the test if there are none.
pub fn kube(analysis: &FileAnalysis) -> &KubeFacts {
    match &analysis.facts {
        Facts::Kube(facts) => facts,
        other => panic!("expected kube facts, got {other:?}"),
    }
}

/// (line, column, end_line, end_column).
pub fn pos(loc: &Location) -> (u32, u32, u32, u32) {
    (loc.line, loc.column, loc.end_line, loc.end_column)
}

/// The text a location's byte span covers.
pub fn span_text<'t>(text: &'t str, loc: &Location) -> &'t str {
    text.get(loc.span.start..loc.span.end)
        .unwrap_or_else(|| panic!("span {:?} not on char boundaries", loc.span))
}
