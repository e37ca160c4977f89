//! JavaScript and TypeScript: Express, Fastify, Koa, hapi, NestJS and Node's
//! `http.createServer`, parsed with tree-sitter-javascript (`.js`, `.mjs`,
//! `.cjs`, `.jsx`) and tree-sitter-typescript (`.ts`, `.mts`, `.cts`, and the
//! TSX grammar for `.tsx`). `package.json` is read by [`PackageJsonAnalyzer`].

mod apps;
mod imports;
mod listens;
mod package_json;
mod routes;
mod sleeps;
mod statuses;
mod syntax;
mod values;

use crate::treesitter::parse_and_extract;
use crate::words::Sniff;
use crate::{LanguageAnalyzer, LanguageOutput};
use seamcheck_facts::{FileKind, LineIndex, SourceFacts};
use syntax::Source;
use tree_sitter::{Language, Node};

pub use package_json::PackageJsonAnalyzer;

/// Words one of which every file we model contains. Other files (build
/// scripts, bundles, browser code) are not parsed: they hold no facts, and
/// an unusual dialect must not become a parse error of the audit.
const RELEVANT_WORDS: &[&str] = &[
    "express",
    "fastify",
    "koa",
    "hapi",
    "@nestjs",
    "createserver",
    ".listen(",
];
/// The sniff registered in this language's descriptor (`crate::registry`).
pub(crate) static SNIFF: Sniff = Sniff::any_case(RELEVANT_WORDS);

/// `.js`, `.mjs`, `.cjs`, `.jsx`.
pub struct JavaScriptAnalyzer;

/// `.ts`, `.tsx`, `.mts`, `.cts`.
pub struct TypeScriptAnalyzer;

impl LanguageAnalyzer for JavaScriptAnalyzer {
    fn language(&self) -> &'static str {
        "javascript"
    }
    fn kind(&self) -> FileKind {
        FileKind::JavaScript
    }
    fn analyze(&self, text: &str, index: &LineIndex) -> LanguageOutput {
        analyze_with(
            text,
            index,
            self.language(),
            tree_sitter_javascript::LANGUAGE.into(),
        )
    }
}

impl LanguageAnalyzer for TypeScriptAnalyzer {
    fn language(&self) -> &'static str {
        "typescript"
    }
    fn kind(&self) -> FileKind {
        FileKind::TypeScript
    }
    fn analyze(&self, text: &str, index: &LineIndex) -> LanguageOutput {
        // TSX is its own grammar: `<T>x` casts and JSX cannot share one.
        let grammar = if index.path().to_ascii_lowercase().ends_with(".tsx") {
            tree_sitter_typescript::LANGUAGE_TSX
        } else {
            tree_sitter_typescript::LANGUAGE_TYPESCRIPT
        };
        analyze_with(text, index, self.language(), grammar.into())
    }
}

/// Test files start servers and declare routes that never run in the image:
/// `*.test.js`, `*.spec.ts`, anything under `__tests__/`, `test/`, `tests/`.
pub fn is_test_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    let test_name = [".test.", ".spec.", ".e2e-spec.", "-spec."]
        .iter()
        .any(|m| name.contains(m));
    let test_dir = lower
        .split('/')
        .rev()
        .skip(1)
        .any(|d| matches!(d, "__tests__" | "test" | "tests" | "__mocks__" | "e2e"));
    test_name || test_dir
}

fn analyze_with(
    text: &str,
    index: &LineIndex,
    language: &str,
    grammar: Language,
) -> LanguageOutput {
    if is_test_path(index.path()) {
        return LanguageOutput::default();
    }
    parse_and_extract(text, index, language, grammar, |root, source| {
        extract(root, source, language)
    })
}

fn extract(root: Node<'_>, source: &Source<'_>, language: &str) -> SourceFacts {
    let nodes = syntax::all_nodes(root);
    let imports = imports::Imports::collect(&nodes, source);
    let apps = apps::Apps::collect(&nodes, source, &imports);
    let values = values::Values::new(&nodes, source);
    let listens = listens::ListenFinder {
        source,
        imports: &imports,
        apps: &apps,
        values: &values,
    }
    .find(&nodes);
    let statuses = statuses::StatusReader {
        source,
        values: &values,
    };
    let found = routes::RouteFinder::new(&nodes, source, &imports, &apps, &statuses).find(&nodes);
    let sleep_finder = sleeps::SleepFinder::new(&nodes, source, &imports, &values);
    // One function can serve several routes; read its sleeps once.
    let mut handlers: Vec<(Node<'_>, String)> = Vec::new();
    for route in &found {
        if let Some(f) = route.function {
            if !handlers.iter().any(|(h, _)| h.id() == f.id()) {
                handlers.push((f, route.route.handler.value.clone()));
            }
        }
    }
    handlers.sort_by_key(|(h, _)| h.start_byte());
    let mut handler_sleeps = Vec::new();
    let mut handler_delays = Vec::new();
    for (function, name) in handlers {
        let found = sleep_finder.find(function, &name);
        handler_sleeps.extend(found.sleeps);
        handler_delays.extend(found.delays);
    }
    SourceFacts {
        language: language.to_string(),
        apps: apps.facts(source),
        listens,
        routes: found.into_iter().map(|f| f.route).collect(),
        handler_sleeps,
        handler_delays,
        mounts: apps.mounts.clone(),
        ..SourceFacts::default()
    }
}

#[cfg(test)]
mod tests {
    use super::is_test_path;

    #[test]
    fn test_paths() {
        assert!(is_test_path("src/app.test.ts"));
        assert!(is_test_path("api/__tests__/server.js"));
        assert!(is_test_path("test/app.e2e-spec.ts"));
        assert!(is_test_path("src/users.spec.js"));
        assert!(!is_test_path("src/server.ts"));
        assert!(!is_test_path("src/testing-utils/server.ts"));
        assert!(!is_test_path("latest/server.js"));
    }
}
