//! Helpers shared by the integration tests.
#![allow(dead_code)]

use seamcheck_facts::compose::{ComposeFacts, ComposeService};
use seamcheck_facts::{Facts, FileAnalysis, Location};

pub fn analyze(path: &str, text: &str) -> FileAnalysis {
    seamcheck_compose::analyze(path, text.as_bytes())
}

/// The compose facts, failing the test if there are none.
pub fn compose(analysis: &FileAnalysis) -> &ComposeFacts {
    match &analysis.facts {
        Facts::Compose(facts) => facts,
        other => panic!("expected compose facts, got {other:?}"),
    }
}

pub fn service<'f>(facts: &'f ComposeFacts, name: &str) -> &'f ComposeService {
    facts
        .services
        .iter()
        .find(|s| s.name.value == name)
        .unwrap_or_else(|| panic!("no service {name}"))
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
