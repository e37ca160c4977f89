//! nginx configuration (`nginx.conf`, `conf.d/*.conf`, envsubst
//! `*.conf.template`): `listen` directives as listens, `location` blocks as
//! routes. A flat configuration language: a small tokenizer and a flat
//! directive tree, no grammar crate.

mod config;
mod lexer;
mod listens;
mod routes;

use crate::{LanguageAnalyzer, LanguageOutput};
use seamcheck_facts::{FileKind, LineIndex, ParseProblem, SourceFacts};

/// The nginx analyzer.
pub struct NginxAnalyzer;

impl LanguageAnalyzer for NginxAnalyzer {
    fn language(&self) -> &'static str {
        "nginx"
    }

    fn kind(&self) -> FileKind {
        FileKind::Nginx
    }

    fn reads_file_name(&self, lower_file_name: &str) -> bool {
        // discovery decides which `.conf` files are nginx's (by directory)
        lower_file_name.ends_with(".conf") || lower_file_name.ends_with(".conf.template")
    }

    fn analyze(&self, text: &str, index: &LineIndex) -> LanguageOutput {
        let (tokens, lex_error) = lexer::tokenize(text);
        let config = config::build(tokens, text.len());
        // The first problem found is the cause; later ones are often its
        // echo (an unterminated string leaves every block unclosed).
        let first_error = lex_error.or_else(|| config.errors.first().cloned());
        let problems = first_error
            .map(|e| ParseProblem {
                message: format!("nginx syntax error: {}", e.message),
                loc: index.location(e.at),
            })
            .into_iter()
            .collect();
        let found = routes::find(&config, index);
        let facts = SourceFacts {
            language: self.language().to_string(),
            listens: listens::find(&config, index),
            routes: found.routes,
            route_matches: found.matches,
            ..SourceFacts::default()
        };
        let has_facts = !(facts.listens.is_empty() && facts.routes.is_empty());
        LanguageOutput {
            facts: has_facts.then_some(facts),
            problems,
            notes: Vec::new(),
        }
    }
}
