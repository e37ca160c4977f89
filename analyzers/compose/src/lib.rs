//! seamcheck analyzer for docker-compose files (`compose.yaml`,
//! `docker-compose*.yml`) and the `.env` file beside them.
//!
//! [`analyze`] turns one compose file into [`ComposeFacts`]: services with
//! build (context, dockerfile, target), image, ports (short and long
//! syntax), expose, environment, env_file, command, entrypoint,
//! healthcheck, user, profiles, depends_on … every value with its precise
//! location. Values are kept as written: compose interpolates `${VAR}` from
//! the shell and `.env` at compose time, which is the linker's job (see
//! `seamcheck_facts::compose::interpolate`). [`analyze_dotenv`] reads a
//! `.env` file.
//!
//! YAML loading (depth and alias limits, recovery, locations) is
//! `seamcheck_yaml`'s; merge keys and `x-` anchors are honoured there.

mod command;
mod dotenv;
mod fields;
mod healthcheck;
mod located;
mod ports;
mod service;
mod vars;

use fields::{located_text, present};
use seamcheck_facts::compose::{ComposeFacts, ComposeSource};
use seamcheck_facts::{decode_text, Facts, FileAnalysis, FileKind, LineIndex, ParseProblem};
use seamcheck_yaml::node::{is_mapping, merged_entries, sequence, text};
use seamcheck_yaml::template::{first_template_action, template_note};
use seamcheck_yaml::{Node, SourceMap};

/// Analyzes one compose file. `path` is relative to the audited root.
///
/// Never fails: unreadable input becomes `problems`; YAML with no
/// `services:` mapping (not a compose file) yields `Facts::Empty` and no
/// problem; a file with `{{ … }}` template actions that does not parse gets
/// a note instead of parse errors.
pub fn analyze(path: &str, bytes: &[u8]) -> FileAnalysis {
    let mut analysis = FileAnalysis::new(path, FileKind::Compose, Facts::Empty);
    let text = match decode_text(path, bytes) {
        Ok(text) => text,
        Err(problem) => {
            analysis.problems.push(problem);
            return analysis;
        }
    };
    let src = SourceMap::new(path, text);
    let loaded = seamcheck_yaml::load_file(&src);
    if !loaded.problems.is_empty() {
        if let Some(at) = first_template_action(text) {
            analysis
                .notes
                .push(template_note(&src, at, "templated compose file"));
            return analysis;
        }
    }
    analysis.problems = loaded.problems;
    let compose_docs: Vec<&Node<'_>> = loaded.docs.iter().filter(|d| is_compose(d)).collect();
    if compose_docs.is_empty() {
        return analysis;
    }
    let mut facts = ComposeFacts::default();
    for doc in compose_docs {
        read_document(doc, &src, &mut facts, &mut analysis.problems);
    }
    facts.variables = vars::file_variables(&loaded.docs, &src);
    analysis.facts = Facts::Compose(facts);
    analysis.suppressions =
        seamcheck_facts::suppress::scan(path, text, seamcheck_facts::suppress::CommentSyntax::HASH);
    analysis
}

/// Analyzes a `.env` file: `Facts::Compose` with `source: DotEnv` and the
/// variables in `dotenv`. Lines that are not assignments are problems.
pub fn analyze_dotenv(path: &str, bytes: &[u8]) -> FileAnalysis {
    let mut analysis = FileAnalysis::new(path, FileKind::DotEnv, Facts::Empty);
    let text = match decode_text(path, bytes) {
        Ok(text) => text,
        Err(problem) => {
            analysis.problems.push(problem);
            return analysis;
        }
    };
    let index = LineIndex::new(path, text);
    let (vars, problems) = dotenv::parse(text, &index);
    analysis.problems = problems;
    analysis.facts = Facts::Compose(ComposeFacts {
        source: ComposeSource::DotEnv,
        dotenv: vars,
        ..ComposeFacts::default()
    });
    analysis
}

/// The compose facts of an analysis, if it holds any.
pub fn compose_facts(analysis: &FileAnalysis) -> Option<&ComposeFacts> {
    match &analysis.facts {
        Facts::Compose(facts) => Some(facts),
        _ => None,
    }
}

/// A compose document is a mapping with a `services:` mapping (possibly
/// empty), or an `include:` list.
fn is_compose(doc: &Node<'_>) -> bool {
    let services = present(doc, "services").is_some_and(|e| is_mapping(e.value));
    services || present(doc, "include").is_some()
}

fn read_document(
    doc: &Node<'_>,
    src: &SourceMap<'_>,
    facts: &mut ComposeFacts,
    problems: &mut Vec<ParseProblem>,
) {
    if facts.project_name.is_none() {
        facts.project_name = located_text(doc, "name", src);
    }
    if let Some(include) = present(doc, "include") {
        for item in sequence(include.value) {
            match text(item) {
                Some(_) => facts.includes.extend(fields::located_scalar(item, src)),
                None => {
                    let paths = present(item, "path").map(|e| fields::string_list(e.value, src));
                    facts.includes.extend(paths.unwrap_or_default());
                }
            }
        }
    }
    let Some(services) = present(doc, "services") else {
        return;
    };
    for entry in merged_entries(services.value) {
        let Some(name) = text(entry.key) else {
            continue;
        };
        if !(is_mapping(entry.value) || seamcheck_yaml::node::is_null(entry.value)) {
            problems.push(ParseProblem {
                message: format!("service `{name}` must be a mapping"),
                loc: src.token_loc(entry.value),
            });
            continue;
        }
        facts
            .services
            .push(service::service(entry, name, src, problems));
    }
}
