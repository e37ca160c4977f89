//! Helpers shared by the integration tests.
#![allow(dead_code)]

use seamcheck_facts::{Facts, FileAnalysis, Location, SourceFacts};

pub fn analyze(path: &str, text: &str) -> FileAnalysis {
    seamcheck_source::analyze(path, text.as_bytes())
}

/// The source facts of a file that must have some.
pub fn facts(path: &str, text: &str) -> SourceFacts {
    let analysis = analyze(path, text);
    match analysis.facts {
        Facts::Source(facts) => facts,
        other => panic!("expected source facts, got {other:?}"),
    }
}

/// (line, column, end_line, end_column)
pub fn pos(loc: &Location) -> (u32, u32, u32, u32) {
    (loc.line, loc.column, loc.end_line, loc.end_column)
}

/// The text a location covers.
pub fn text_at<'a>(text: &'a str, loc: &Location) -> &'a str {
    &text[loc.span.start..loc.span.end]
}
