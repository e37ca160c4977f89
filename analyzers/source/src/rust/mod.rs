//! Rust: std/tokio `TcpListener`, axum, actix-web, warp, rocket, hyper,
//! tonic. Parsed with syn (full syntax tree) over proc-macro2 tokens whose
//! spans carry byte ranges (`span-locations`).
//!
//! proc-macro2 keeps the text of every file it lexed in a thread-local
//! source map, and syn recurses: each file is parsed on its own thread, with
//! a known stack, after an iterative nesting check. The thread's source map
//! goes away with it.

mod guard;
mod items;
mod listens;
mod rocket_toml;
mod routes;
mod sleeps;
mod src;
mod statuses;
mod syntax;
mod values;

pub use rocket_toml::RocketTomlAnalyzer;

use crate::words::Sniff;
use crate::{LanguageAnalyzer, LanguageOutput};
use seamcheck_facts::{FileKind, LineIndex, ParseProblem, SourceFacts};
use src::Src;
use std::str::FromStr;

/// Words one of which every file we model contains. Other Rust files (build
/// scripts, libraries, generated code) are not parsed: nothing to find, and
/// syntax seamcheck's syn does not know must not become a parse error.
const RELEVANT_WORDS: &[&str] = &[
    "TcpListener",
    "axum",
    "actix",
    "warp",
    "rocket",
    "hyper",
    "tonic",
    "HttpServer",
];
/// The sniff registered in this language's descriptor (`crate::registry`).
pub(crate) static SNIFF: Sniff = Sniff::exact(RELEVANT_WORDS);

/// Stack of the parsing thread: syn's recursion within the guard's limits
/// needs a few MiB in debug builds; the rest is margin.
const PARSER_STACK: usize = 64 * 1024 * 1024;

/// proc-macro2 positions are `u32` character counts shared by every file
/// the thread lexes; one file per thread must stay well inside.
const MAX_FILE_BYTES: usize = 256 * 1024 * 1024;

/// The Rust analyzer.
pub struct RustAnalyzer;

impl LanguageAnalyzer for RustAnalyzer {
    fn language(&self) -> &'static str {
        "rust"
    }

    fn kind(&self) -> FileKind {
        FileKind::Rust
    }

    fn analyze(&self, text: &str, index: &LineIndex) -> LanguageOutput {
        let mut output = LanguageOutput::default();
        if is_test_path(index.path()) {
            return output;
        }
        if text.len() > MAX_FILE_BYTES {
            output
                .problems
                .push(problem("file too large to parse", index.file_location()));
            return output;
        }
        let result = std::thread::scope(|scope| {
            std::thread::Builder::new()
                .name("seamcheck-rust".to_string())
                .stack_size(PARSER_STACK)
                .spawn_scoped(scope, || analyze_here(text, index))
                .map(|handle| handle.join())
        });
        match result {
            Ok(Ok(out)) => out,
            Ok(Err(_)) => {
                output.problems.push(problem(
                    "internal error while reading this rust file",
                    index.file_location(),
                ));
                output
            }
            Err(_) => {
                output.problems.push(problem(
                    "could not start the rust parser thread",
                    index.file_location(),
                ));
                output
            }
        }
    }
}

/// Integration tests, benches and test modules in their own files start
/// servers that are not the app.
fn is_test_path(path: &str) -> bool {
    let mut parts = path.split('/');
    let file = parts.next_back().unwrap_or("");
    parts.any(|d| d == "tests" || d == "benches")
        || file == "tests.rs"
        || file.ends_with("_test.rs")
        || file.ends_with("_tests.rs")
}

fn analyze_here(text: &str, index: &LineIndex) -> LanguageOutput {
    let mut output = LanguageOutput::default();
    let src = Src { text, index };
    let source = without_shebang(text);
    let tokens = match proc_macro2::TokenStream::from_str(&source) {
        Ok(tokens) => tokens,
        Err(e) => {
            output.problems.push(problem(
                &format!("rust syntax error: {}", lowercase(&e.to_string())),
                src.loc_span(e.span()),
            ));
            return output;
        }
    };
    if let Err(too_deep) = guard::check(&tokens) {
        output.problems.push(problem(
            &format!("rust file refused: {}", too_deep.message),
            src.loc_span(too_deep.span),
        ));
        return output;
    }
    let file: syn::File = match syn::parse2(tokens) {
        Ok(file) => file,
        Err(e) => {
            let loc = src.loc_span(e.span());
            output.problems.push(problem(
                &format!("rust syntax error: {}", lowercase(&e.to_string())),
                loc,
            ));
            return output;
        }
    };
    output.facts = Some(extract(&file, &src));
    output
}

fn extract(file: &syn::File, src: &Src) -> SourceFacts {
    let items = items::Items::collect(file);
    let found_listens = listens::find(file, &items, src);
    let found_routes = routes::find(file, &items, src);
    let sleeps = sleeps::SleepFinder { src, items: &items };
    let mut handler_sleeps = Vec::new();
    // One handler can serve several routes; its sleeps are reported once.
    let mut seen: Vec<usize> = Vec::new();
    for found in &found_routes.found {
        let start = found.route.handler_loc.span.start;
        if seen.contains(&start) {
            continue;
        }
        seen.push(start);
        let body = match found.handler {
            routes::Handler::Fn(f) => sleeps::Body::Block(&f.block),
            routes::Handler::Closure(c) => sleeps::Body::Expr(&c.body),
            routes::Handler::Unknown => continue,
        };
        handler_sleeps.extend(sleeps.find(&found.route.handler.value, found.route.is_async, body));
    }
    handler_sleeps.sort_by_key(|s| s.loc.span.start);
    SourceFacts {
        language: "rust".to_string(),
        listens: found_listens.listens,
        listen_scopes: found_listens.scopes,
        routes: found_routes.found.into_iter().map(|f| f.route).collect(),
        route_matches: found_routes.matches,
        handler_sleeps,
        ..SourceFacts::default()
    }
}

/// `#!/usr/bin/env run-cargo-script` on the first line is not Rust tokens;
/// blanked (same length) so that byte offsets stay those of the file.
/// `#![attr]` is Rust and stays.
fn without_shebang(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with("#!") && !text.starts_with("#![") {
        let end = text.find('\n').unwrap_or(text.len());
        let mut blanked = " ".repeat(end);
        blanked.push_str(text.get(end..).unwrap_or(""));
        return std::borrow::Cow::Owned(blanked);
    }
    std::borrow::Cow::Borrowed(text)
}

/// Problem messages are lowercase without a trailing period.
fn lowercase(message: &str) -> String {
    let mut chars = message.chars();
    let first = chars
        .next()
        .map(|c| c.to_lowercase().to_string())
        .unwrap_or_default();
    (first + chars.as_str()).trim_end_matches('.').to_string()
}

fn problem(message: &str, loc: seamcheck_facts::Location) -> ParseProblem {
    ParseProblem {
        message: message.to_string(),
        loc,
    }
}
