//! The parse skeleton of every tree-sitter language module: parse the file,
//! report what stopped the parse or the first syntax error, and hand the
//! tree to the module's fact extraction.

use super::{first_syntax_error, Source};
use crate::LanguageOutput;
use seamcheck_facts::{LineIndex, ParseProblem, SourceFacts};
use tree_sitter::{Language, Node, Parser};

/// Parses `text` with `grammar` and returns what `extract` finds in the tree,
/// with the first syntax error (tree-sitter recovers, so the rest of the file
/// still yields facts). `label` names the language in messages (`go`, `c#`).
pub fn parse_and_extract(
    text: &str,
    index: &LineIndex,
    label: &str,
    grammar: Language,
    extract: impl FnOnce(Node<'_>, &Source<'_>) -> SourceFacts,
) -> LanguageOutput {
    let mut output = LanguageOutput::default();
    // tree-sitter offsets are 32-bit.
    if u32::try_from(text.len()).is_err() {
        output
            .problems
            .push(problem("file too large to parse", index));
        return output;
    }
    let mut parser = Parser::new();
    if parser.set_language(&grammar).is_err() {
        output.problems.push(problem(
            &format!("{label} grammar could not be loaded"),
            index,
        ));
        return output;
    }
    let Some(tree) = parser.parse(text, None) else {
        output
            .problems
            .push(problem(&format!("{label} parser gave no tree"), index));
        return output;
    };
    super::kinds::use_grammar(&grammar);
    let source = Source { text, index };
    let root = tree.root_node();
    output
        .problems
        .extend(first_syntax_error(root, &source, label));
    output.facts = Some(extract(root, &source));
    output
}

fn problem(message: &str, index: &LineIndex) -> ParseProblem {
    ParseProblem {
        message: message.to_string(),
        loc: index.file_location(),
    }
}
