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
    let budget = seamcheck_facts::budget::for_len(text.len());
    let parsed = PARSER.with_borrow_mut(|parser| -> Result<tree_sitter::Tree, Stop> {
        // A parse that stopped (or a panic in a previous file) leaves state
        // behind that the next parse would resume: start clean.
        parser.reset();
        if parser.set_language(&grammar).is_err() {
            return Err(format!("{label} grammar could not be loaded").into());
        }
        parse_within(parser, text, budget)
            .map_err(Stop::Budget)?
            .ok_or_else(|| format!("{label} parser gave no tree").into())
    });
    let tree = match parsed {
        Ok(tree) => tree,
        Err(Stop::Problem(message)) => {
            output.problems.push(problem(&message, index));
            return output;
        }
        Err(Stop::Budget(steps)) => {
            output.notes.push(seamcheck_facts::budget::stopped_note(
                steps,
                &format!("the {label} parser read this file over and over; its facts are not used"),
                index.file_location(),
            ));
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

/// Why there is no tree.
enum Stop {
    Problem(String),
    /// The work budget ran out after this many steps.
    Budget(usize),
}

impl From<String> for Stop {
    fn from(message: String) -> Self {
        Stop::Problem(message)
    }
}

/// Bytes handed to the parser per read. The lexer asks for the next chunk
/// each time it crosses one, so the reads count the bytes it lexes,
/// lookahead and rescans included.
const CHUNK: usize = 4096;

/// Parses `text`, counting every byte the lexer reads as a step. Some
/// grammars' external scanners rescan to the end of the file for each token
/// in some states (tree-sitter-kotlin-ng on a class with 16,000 handlers
/// after a class annotation: quadratic, 22 s); past `budget` steps the input
/// ends and the parse is cancelled. `Err(steps)` when that happened.
fn parse_within(
    parser: &mut Parser,
    text: &str,
    budget: usize,
) -> Result<Option<tree_sitter::Tree>, usize> {
    let bytes = text.as_bytes();
    let steps = std::cell::Cell::new(0usize);
    let mut read = |offset: usize, _: tree_sitter::Point| -> &[u8] {
        if steps.get() >= budget {
            return &[];
        }
        let chunk = bytes
            .get(offset..bytes.len().min(offset.saturating_add(CHUNK)))
            .unwrap_or(&[]);
        steps.set(steps.get() + chunk.len().max(1));
        chunk
    };
    let mut progress = |_: &tree_sitter::ParseState| {
        if steps.get() >= budget {
            std::ops::ControlFlow::Break(())
        } else {
            std::ops::ControlFlow::Continue(())
        }
    };
    let options = tree_sitter::ParseOptions::new().progress_callback(&mut progress);
    let tree = parser.parse_with_options(&mut read, None, Some(options));
    if steps.get() >= budget {
        return Err(steps.get());
    }
    Ok(tree)
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
