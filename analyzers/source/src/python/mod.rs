//! Python: Flask and FastAPI applications, served by Flask's development
//! server or uvicorn. Parsed with tree-sitter-python.

mod apps;
mod imports;
mod listens;
mod main_guard;
mod routes;
mod servers;
mod sleeps;
mod statuses;
mod syntax;
mod url_tables;
mod values;

use crate::treesitter::parse_and_extract_flat;
use crate::words::Sniff;
use crate::{LanguageAnalyzer, LanguageOutput};
use seamcheck_facts::{FileKind, LineIndex, SourceFacts};
use syntax::Source;

/// Words one of which every file we model contains (an import of the
/// framework or the server, or Flask's factory). Files without any are not
/// parsed: they hold no facts, and a script in Python 2 or a broken test
/// helper must not become a parse error of the audit.
const RELEVANT_WORDS: &[&str] = &[
    "flask",
    "fastapi",
    "uvicorn",
    "create_app",
    // Frameworks read by `servers` and `url_tables`.
    "django",
    "aiohttp",
    "starlette",
    "sanic",
    "tornado",
    "grpc",
];
/// The sniff registered in this language's descriptor (`crate::registry`).
pub(crate) static SNIFF: Sniff = Sniff::any_case(RELEVANT_WORDS);

/// The Python analyzer.
pub struct PythonAnalyzer;

impl LanguageAnalyzer for PythonAnalyzer {
    fn language(&self) -> &'static str {
        "python"
    }

    fn kind(&self) -> FileKind {
        FileKind::Python
    }

    fn analyze(&self, text: &str, index: &LineIndex) -> LanguageOutput {
        let language = self.language();
        parse_and_extract_flat(
            text,
            index,
            language,
            tree_sitter_python::LANGUAGE.into(),
            |root, source| extract(root, source, language),
        )
    }
}

fn extract(root: tree_sitter::Node<'_>, source: &Source<'_>, language: &str) -> SourceFacts {
    let nodes = source.all_nodes(root);
    let imports = imports::Imports::collect(&nodes, source);
    let apps = apps::Apps::collect(&nodes, source, &imports);
    let values = values::Values::new(source, &imports, root);
    let guard = main_guard::find(root, source);
    let listens = listens::ListenFinder {
        source,
        imports: &imports,
        apps: &apps,
        values: &values,
        guard: guard.as_ref(),
    }
    .find(root);
    let statuses = statuses::StatusReader {
        source,
        imports: &imports,
        values: &values,
    };
    let found_routes = routes::RouteFinder {
        source,
        apps: &apps,
        values: &values,
        statuses: &statuses,
    }
    .find(&nodes);
    let mut listens = listens;
    listens.extend(
        servers::ServerFinder {
            source,
            imports: &imports,
            values: &values,
        }
        .find(root, &nodes),
    );
    listens.sort_by_key(|l| l.loc.span.start);
    let tables = url_tables::UrlTableFinder {
        source,
        imports: &imports,
    }
    .find(&nodes);
    let sleep_finder = sleeps::SleepFinder {
        source,
        imports: &imports,
        values: &values,
    };
    // One handler can serve several routes; report its sleeps once.
    let mut handlers: Vec<tree_sitter::Node<'_>> = Vec::new();
    for found in &found_routes {
        if !handlers.iter().any(|h| h.id() == found.function.id()) {
            handlers.push(found.function);
        }
    }
    for function in tables.found.iter().filter_map(|f| f.function) {
        if !handlers.iter().any(|h| h.id() == function.id()) {
            handlers.push(function);
        }
    }
    handlers.sort_by_key(|h| h.start_byte());
    let handler_sleeps = handlers
        .into_iter()
        .flat_map(|h| sleep_finder.find(h))
        .collect();
    let mut routes: Vec<_> = found_routes.into_iter().map(|f| f.route).collect();
    // Table routes follow the decorator routes; their match kinds shift with them.
    let route_matches = tables
        .matches
        .into_iter()
        .map(|mut m| {
            m.route += routes.len();
            m
        })
        .collect();
    routes.extend(tables.found.into_iter().map(|f| f.route));
    SourceFacts {
        language: language.to_string(),
        apps: apps.facts,
        listens,
        routes,
        route_matches,
        handler_sleeps,
        main_guard: guard.map(|g| g.loc),
        mounts: apps.mounts.into_iter().map(|m| m.fact).collect(),
        ..SourceFacts::default()
    }
}
