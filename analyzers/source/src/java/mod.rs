//! Java: Spring Boot (MVC and WebFlux controllers), JAX-RS resources
//! (Quarkus, Jersey), and the `SpringApplication.run` / `Quarkus.run` /
//! `Micronaut.run` entry points. Parsed with tree-sitter-java. The
//! configuration files of these frameworks are read by [`config`].

pub(crate) mod annotations;
pub mod config;
pub(crate) mod listens;
pub(crate) mod routes;
pub(crate) mod sleeps;
pub(crate) mod statuses;
pub(crate) mod syntax;

use crate::treesitter::parse_and_extract;
use crate::treesitter::NodeNames;
use crate::words::Sniff;
use crate::{LanguageAnalyzer, LanguageOutput};
use seamcheck_facts::source::AppObject;
use seamcheck_facts::{FileKind, Framework, LineIndex, SourceFacts};
use syntax::{is_test_path, nodes_of_kind, Source};

/// A Java file that mentions none of these holds nothing we model and is
/// not parsed.
const RELEVANT_WORDS: &[&str] = &[
    "springframework",
    "SpringApplication",
    "Mapping",
    "jakarta.ws.rs",
    "javax.ws.rs",
    "Quarkus",
    "Micronaut",
];
/// The sniff registered in this language's descriptor (`crate::registry`).
pub(crate) static SNIFF: Sniff = Sniff::any_case(RELEVANT_WORDS);

pub struct JavaAnalyzer;

impl LanguageAnalyzer for JavaAnalyzer {
    fn language(&self) -> &'static str {
        "java"
    }

    fn kind(&self) -> FileKind {
        FileKind::Java
    }

    fn analyze(&self, text: &str, index: &LineIndex) -> LanguageOutput {
        if is_test_path(index.path()) {
            return LanguageOutput::default();
        }
        parse_and_extract(
            text,
            index,
            "java",
            tree_sitter_java::LANGUAGE.into(),
            extract,
        )
    }
}

fn extract(root: tree_sitter::Node<'_>, source: &Source<'_>) -> SourceFacts {
    let classes = nodes_of_kind(root, &["class_declaration"]);
    let calls = nodes_of_kind(root, &["method_invocation"]);
    let mut facts = SourceFacts {
        language: "java".to_string(),
        ..SourceFacts::default()
    };
    for class in &classes {
        let is_boot_app = annotations::of(*class, source)
            .iter()
            .any(|a| a.name == "SpringBootApplication");
        if let (true, Some(name)) = (is_boot_app, class.field_child("name")) {
            facts.apps.push(AppObject {
                var: source.text_of(name).to_string(),
                framework: Framework::SpringBoot,
                loc: source.loc(name),
                prefix: None,
            });
        }
    }
    for (i, (listen, mut scope)) in listens::find(&calls, source).into_iter().enumerate() {
        scope.listen = i;
        facts.listens.push(listen);
        facts.listen_scopes.push(scope);
    }
    let found = routes::find(&classes, source);
    facts.routes = found.routes;
    facts.handler_sleeps = found.sleeps;
    facts
}
