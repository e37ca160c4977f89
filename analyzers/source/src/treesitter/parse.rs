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
    parse_and_extract_inner(text, index, label, grammar, false, extract)
}

/// [`parse_and_extract`] for a module that walks the tree many times: its
/// `Source` carries the tree flattened once ([`super::Flat`]), and
/// `Source::scope_nodes`/`walk_with_fields` scan that array.
pub fn parse_and_extract_flat(
    text: &str,
    index: &LineIndex,
    label: &str,
    grammar: Language,
    extract: impl FnOnce(Node<'_>, &Source<'_>) -> SourceFacts,
) -> LanguageOutput {
    parse_and_extract_inner(text, index, label, grammar, true, extract)
}

fn parse_and_extract_inner(
    text: &str,
    index: &LineIndex,
    label: &str,
    grammar: Language,
    flat: bool,
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
    let parsed = PARSER.with_borrow_mut(|parser| {
        // A parse that stopped (or a panic in a previous file) leaves state
        // behind that the next parse would resume: start clean.
        parser.reset();
        if parser.set_language(&grammar).is_err() {
            return Err(format!("{label} grammar could not be loaded"));
        }
        parser
            .parse(text, None)
            .ok_or_else(|| format!("{label} parser gave no tree"))
    });
    let tree = match parsed {
        Ok(tree) => tree,
        Err(message) => {
            output.problems.push(problem(&message, index));
            return output;
        }
    };
    super::kinds::use_grammar(&grammar);
    let root = tree.root_node();
    let source = if flat {
        Source::with_tree(text, index, root)
    } else {
        Source::new(text, index)
    };
    output
        .problems
        .extend(first_syntax_error(root, &source, label));
    output.facts = Some(extract(root, &source));
    output
}

thread_local! {
    /// One parser per analysis thread, reused from file to file: creating a
    /// parser allocates its stacks and lexer each time.
    static PARSER: std::cell::RefCell<Parser> = std::cell::RefCell::new(Parser::new());
}

fn problem(message: &str, index: &LineIndex) -> ParseProblem {
    ParseProblem {
        message: message.to_string(),
        loc: index.file_location(),
    }
}
