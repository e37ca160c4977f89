//! Helpers shared by the integration tests.
#![allow(dead_code)]

use seamcheck_facts::dockerfile::Stage;
use seamcheck_facts::{DockerfileFacts, Facts, FileAnalysis, Location, ParseProblem};

pub fn analyze(text: &str) -> FileAnalysis {
    seamcheck_dockerfile::analyze("svc/Dockerfile", text.as_bytes())
}

/// The facts of a file that must parse without problems.
pub fn facts(text: &str) -> DockerfileFacts {
    let a = analyze(text);
    assert_eq!(
        a.problems,
        Vec::<ParseProblem>::new(),
        "unexpected problems"
    );
    match a.facts {
        Facts::Dockerfile(f) => f,
        other => panic!("not Dockerfile facts: {other:?}"),
    }
}

pub fn facts_of(a: &FileAnalysis) -> &DockerfileFacts {
    match &a.facts {
        Facts::Dockerfile(f) => f,
        other => panic!("not Dockerfile facts: {other:?}"),
    }
}

pub fn last_stage(f: &DockerfileFacts) -> &Stage {
    f.final_stage().expect("a stage")
}

/// (line, column, end_line, end_column)
pub fn pos(loc: &Location) -> (u32, u32, u32, u32) {
    (loc.line, loc.column, loc.end_line, loc.end_column)
}

/// The text a location covers.
pub fn covered<'a>(text: &'a str, loc: &Location) -> &'a str {
    text.get(loc.span.start..loc.span.end)
        .unwrap_or("<bad span>")
}

pub fn values<T: Clone>(items: &[seamcheck_facts::Located<T>]) -> Vec<T> {
    items.iter().map(|i| i.value.clone()).collect()
}
