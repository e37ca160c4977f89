//! Kotlin: Spring Boot (`runApplication<App>(*args)`, `SpringApplication.run`,
//! `@RestController` classes with `@GetMapping` … functions). Parsed with
//! tree-sitter-kotlin-ng. Spring Boot is modelled exactly as in Java: the
//! listen and the status names are the Java module's, and the configuration
//! files (`application.yml`) are read by the Java module's config analyzer.

mod annotations;
mod listens;
mod routes;
mod sleeps;
mod statuses;
mod syntax;

use crate::java::syntax::is_test_path;
use crate::treesitter::NodeNames;
use crate::treesitter::{parse_and_extract, Source};
use crate::words::Sniff;
use crate::{LanguageAnalyzer, LanguageOutput};
use seamcheck_facts::source::AppObject;
use seamcheck_facts::{FileKind, Framework, LineIndex, SourceFacts};
use syntax::nodes_of_kind;

/// A Kotlin file that mentions none of these holds nothing we model and is
/// not parsed.
const RELEVANT_WORDS: &[&str] = &[
    "springframework",
    "SpringApplication",
    "runApplication",
    "Mapping",
];
/// The sniff registered in this language's descriptor (`crate::registry`).
pub(crate) static SNIFF: Sniff = Sniff::any_case(RELEVANT_WORDS);

pub struct KotlinAnalyzer;

impl LanguageAnalyzer for KotlinAnalyzer {
    fn language(&self) -> &'static str {
        "kotlin"
    }

    fn kind(&self) -> FileKind {
        FileKind::Kotlin
    }

    fn analyze(&self, text: &str, index: &LineIndex) -> LanguageOutput {
        if is_test_path(index.path()) {
            return LanguageOutput::default();
        }
        parse_and_extract(
            text,
            index,
            "kotlin",
            tree_sitter_kotlin_ng::LANGUAGE.into(),
            extract,
        )
    }
}

fn extract(root: tree_sitter::Node<'_>, source: &Source<'_>) -> SourceFacts {
    let classes = nodes_of_kind(root, &["class_declaration"]);
    let mut facts = SourceFacts {
        language: "kotlin".to_string(),
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
    for (i, (listen, mut scope)) in listens::find(root, source).into_iter().enumerate() {
        scope.listen = i;
        facts.listens.push(listen);
        facts.listen_scopes.push(scope);
    }
    let found = routes::find(&classes, source);
    facts.routes = found.routes;
    facts.handler_sleeps = found.sleeps;
    facts
}
