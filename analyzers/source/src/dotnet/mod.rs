//! .NET: ASP.NET Core minimal APIs and attribute-routed controllers in C#
//! (tree-sitter-c-sharp), and `appsettings*.json` ([`appsettings`]).

pub mod appsettings;
mod json;
mod listens;
mod routes;
mod sleeps;
mod statuses;
mod strings;
mod urls;
mod values;

use crate::java::syntax::{is_test_path, nodes_of_kind, Source};
use crate::treesitter::parse_and_extract;
use crate::treesitter::NodeNames;
use crate::words::{mentions_any, Sniff};
use crate::{LanguageAnalyzer, LanguageOutput};
use seamcheck_facts::{FileKind, LineIndex, SourceFacts};

/// A C# file that mentions none of these is not an ASP.NET Core app file.
const RELEVANT_WORDS: &[&str] = &[
    "WebApplication",
    "AspNetCore",
    "MapGet",
    "MapPost",
    "MapHealthChecks",
    "ControllerBase",
    "ApiController",
    "UseUrls",
    "Kestrel",
    "HttpGet",
];
/// The sniff registered in this language's descriptor (`crate::registry`).
pub(crate) static SNIFF: Sniff = Sniff::any_case(RELEVANT_WORDS);

pub struct CSharpAnalyzer;

impl LanguageAnalyzer for CSharpAnalyzer {
    fn language(&self) -> &'static str {
        "csharp"
    }

    fn kind(&self) -> FileKind {
        FileKind::CSharp
    }

    fn analyze(&self, text: &str, index: &LineIndex) -> LanguageOutput {
        if is_test_path(index.path()) {
            return LanguageOutput::default();
        }
        parse_and_extract(
            text,
            index,
            "c#",
            tree_sitter_c_sharp::LANGUAGE.into(),
            extract,
        )
    }
}

fn extract(root: tree_sitter::Node<'_>, source: &Source<'_>) -> SourceFacts {
    let invocations = nodes_of_kind(root, &["invocation_expression"]);
    let declarators = nodes_of_kind(root, &["variable_declarator"]);
    let classes = nodes_of_kind(root, &["class_declaration"]);
    let functions = nodes_of_kind(root, &["method_declaration", "local_function_statement"]);
    let decls = values::Declarations::collect(&declarators, source);
    // Variables holding a built host (`var app = builder.Build();`).
    let built_hosts: Vec<&str> = declarators
        .iter()
        .filter(|d| {
            let text = source.text_of(**d);
            text.trim_end().ends_with(".Build()")
        })
        .filter_map(|d| d.field_child("name").map(|n| source.text_of(n)))
        .collect();
    let is_web_app = mentions_any(
        source.text,
        &["WebApplication", "WebHost", "ConfigureWebHost"],
    );
    let mut facts = SourceFacts {
        language: "csharp".to_string(),
        ..SourceFacts::default()
    };
    let hosts: &[&str] = if is_web_app { &built_hosts } else { &[] };
    for (i, (listen, mut scope)) in listens::find(&invocations, source, &decls, hosts)
        .into_iter()
        .filter(|(_, scope)| is_web_app || !scope.implicit)
        .enumerate()
    {
        scope.listen = i;
        facts.listens.push(listen);
        facts.listen_scopes.push(scope);
    }
    let found = routes::find(&routes::Inputs {
        source,
        invocations: &invocations,
        declarators: &declarators,
        classes: &classes,
        functions: &functions,
    });
    facts.routes = found.routes;
    facts.handler_sleeps = found.sleeps.blocking;
    facts.handler_delays = found.sleeps.delays;
    facts
}
