//! Go: net/http, gin, echo, fiber, chi, gorilla/mux and gRPC listeners,
//! parsed with tree-sitter-go.

mod imports;
mod listens;
mod routers;
mod routes;
mod sleeps;
mod statuses;
mod syntax;
mod values;

use crate::treesitter::parse_and_extract;
use crate::treesitter::NodeNames;
use crate::words::Sniff;
use crate::{LanguageAnalyzer, LanguageOutput};
use seamcheck_facts::source::AppObject;
use seamcheck_facts::{FileKind, LineIndex, SourceFacts};
use syntax::Source;
use tree_sitter::Node;

/// Import paths one of which every file we model contains.
const RELEVANT_WORDS: &[&str] = &[
    "\"net/http\"",
    "\"net\"",
    "gin-gonic/gin",
    "labstack/echo",
    "gofiber/fiber",
    "go-chi/chi",
    "gorilla/mux",
    "google.golang.org/grpc",
];
/// The sniff registered in this language's descriptor (`crate::registry`).
pub(crate) static SNIFF: Sniff = Sniff::exact(RELEVANT_WORDS);

/// `.go`.
pub struct GoAnalyzer;

impl LanguageAnalyzer for GoAnalyzer {
    fn language(&self) -> &'static str {
        "go"
    }
    fn kind(&self) -> FileKind {
        FileKind::Go
    }
    fn analyze(&self, text: &str, index: &LineIndex) -> LanguageOutput {
        // `go test` code starts servers (httptest) that never run in the image.
        if index.path().to_ascii_lowercase().ends_with("_test.go") {
            return LanguageOutput::default();
        }
        parse_and_extract(text, index, "go", tree_sitter_go::LANGUAGE.into(), extract)
    }
}

fn extract(root: Node<'_>, source: &Source<'_>) -> SourceFacts {
    let nodes = syntax::all_nodes(root);
    let imports = imports::Imports::collect(&nodes, source);
    let routers = routers::Routers::collect(&nodes, source, &imports);
    let values = values::Values::new(root, &nodes, source, &imports);
    let listens = listens::ListenFinder {
        source,
        imports: &imports,
        routers: &routers,
        values: &values,
    }
    .find(&nodes);
    let statuses = statuses::StatusReader {
        source,
        imports: &imports,
        values: &values,
    };
    let found =
        routes::RouteFinder::new(&nodes, source, &imports, &routers, &statuses).find(&nodes);
    // Handlers: route handlers of the file, then any function whose
    // parameters make it a handler, each once.
    let mut handlers: Vec<(Node<'_>, String)> = Vec::new();
    // By node id: a search of the list per route is quadratic in routes.
    let mut seen = std::collections::HashSet::new();
    for route in &found {
        if let Some(f) = route.function {
            if seen.insert(f.id()) {
                handlers.push((f, route.route.handler.value.clone()));
            }
        }
    }
    for node in nodes.iter().filter(|n| syntax::is_function(**n)) {
        if seen.contains(&node.id()) {
            continue;
        }
        if statuses::handler_kind(*node, source, &imports).is_some() {
            let name = node.field_child("name").map_or_else(
                || "func literal".to_string(),
                |n| source.text_of(n).to_string(),
            );
            handlers.push((*node, name));
        }
    }
    handlers.sort_by_key(|(h, _)| h.start_byte());
    let sleep_finder = sleeps::SleepFinder {
        source,
        imports: &imports,
        values: &values,
    };
    let handler_sleeps = handlers
        .iter()
        .flat_map(|(f, name)| sleep_finder.find(*f, name))
        .collect();
    let apps = routers
        .vars
        .iter()
        .filter_map(|r| {
            let (start, end) = r.call?;
            Some(AppObject {
                var: r.name.clone(),
                framework: r.framework,
                loc: source.loc_span(start, end),
                prefix: None,
            })
        })
        .collect();
    SourceFacts {
        language: "go".to_string(),
        apps,
        listens,
        routes: found.into_iter().map(|f| f.route).collect(),
        handler_sleeps,
        ..SourceFacts::default()
    }
}
