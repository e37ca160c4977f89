//! Loads every YAML document of a file into saphyr `MarkedYaml` trees,
//! defensively.
//!
//! saphyr's own `Parser::load` recurses once per nesting level, and dropping
//! or cloning a `MarkedYaml` recurses too, so 100,000-deep input would
//! overflow the stack. Instead of `Parser::load`, this module pulls events
//! from the parser in a loop, measures how deep every node would nest (an
//! alias counts as deep as the anchor it copies), and refuses a document that
//! passes [`MAX_DEPTH`] before the tree is built. Trees are therefore never
//! deeper than `MAX_DEPTH`, and everything recursive downstream is bounded.
//!
//! Alias bombs ("billion laughs") are bounded by saphyr's alias budget: the
//! loader stops once alias expansion would create more than
//! [`ALIAS_NODE_BUDGET`] nodes.
//!
//! An error ends the parse, but not the file: documents completed before it
//! are kept, and parsing resumes at the next `---` line after the error, so
//! one broken document does not hide the others.

use crate::events::{span_of, EventReader};
use saphyr::{LoadableYamlNode, MarkedYaml, YamlLoader};
use saphyr_parser::{Event, SpannedEventReceiver};
use std::collections::HashMap;

/// Deepest nesting accepted. Kubernetes manifests nest about 15 levels; CRD
/// schemas reach perhaps 50.
pub const MAX_DEPTH: usize = 256;

/// Most nodes alias expansion may create in one parse run.
pub const ALIAS_NODE_BUDGET: usize = 50_000;

/// After this many errors the rest of the file is not parsed: each restart
/// gets a fresh alias budget, so restarts must be bounded too.
const MAX_RESTARTS: usize = 20;

/// What could not be loaded, at a character index of the file.
#[derive(Debug)]
pub struct LoadProblem {
    pub message: String,
    pub at_char: usize,
}

#[derive(Debug, Default)]
pub struct Loaded<'a> {
    pub docs: Vec<MarkedYaml<'a>>,
    pub problems: Vec<LoadProblem>,
}

/// How strict loading is.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Accept a key written twice in one mapping, the last value winning,
    /// as go-yaml v2 does when not strict (Helm's values files, `fromYaml`).
    /// Otherwise it is an error, as for Kubernetes and compose.
    pub allow_duplicate_keys: bool,
}

/// Loads all documents of `text`. `char_of` maps a byte offset of `text` to
/// its character index (saphyr counts characters).
pub fn load_documents<'a>(text: &'a str, char_of: impl Fn(usize) -> usize) -> Loaded<'a> {
    load_documents_with(text, char_of, LoadOptions::default())
}

/// [`load_documents`] with options.
pub fn load_documents_with<'a>(
    text: &'a str,
    char_of: impl Fn(usize) -> usize,
    options: LoadOptions,
) -> Loaded<'a> {
    let mut out = Loaded::default();
    let mut start_byte = 0usize;
    for _ in 0..=MAX_RESTARTS {
        let Some(segment) = text.get(start_byte..) else {
            break;
        };
        let (docs, problem) = load_segment(segment, start_byte, &char_of, options);
        out.docs.extend(docs);
        let Some(problem) = problem else {
            return out;
        };
        let error_byte = byte_of_char(text, problem.at_char).max(start_byte);
        out.problems.push(problem);
        match next_document_start(text, error_byte) {
            Some(next) if next > start_byte => start_byte = next,
            _ => return out,
        }
    }
    if let Some(last) = out.problems.last_mut() {
        last.message
            .push_str(" (too many errors: the rest of the file was not read)");
    }
    out
}

/// Parses one run of documents, starting at a line start of the file whose
/// byte offset is `base_byte`. Stops at the first error.
fn load_segment<'a>(
    segment: &'a str,
    base_byte: usize,
    char_of: &impl Fn(usize) -> usize,
    options: LoadOptions,
) -> (Vec<MarkedYaml<'a>>, Option<LoadProblem>) {
    // A panic inside the parser is a bug of the dependency; it must still not
    // take the whole audit down, so it becomes a problem of this file.
    let guarded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        load_segment_unguarded(segment, base_byte, char_of, options)
    }));
    guarded.unwrap_or_else(|_| {
        let problem = LoadProblem {
            message: "the yaml parser failed on this input".to_string(),
            at_char: char_of(base_byte),
        };
        (Vec::new(), Some(problem))
    })
}

fn load_segment_unguarded<'a>(
    segment: &'a str,
    base_byte: usize,
    char_of: &impl Fn(usize) -> usize,
    options: LoadOptions,
) -> (Vec<MarkedYaml<'a>>, Option<LoadProblem>) {
    let mut reader = EventReader::new(segment);
    if options.allow_duplicate_keys {
        reader = reader.allowing_duplicate_keys();
    }
    let mut loader: YamlLoader<'_, MarkedYaml<'_>> = YamlLoader::default();
    // Keep scalars as written (text + quoting style): Kubernetes decodes YAML
    // 1.1 style, not saphyr's YAML 1.2 core schema, so typing is done here.
    loader.early_parse(false);
    loader.alias_limit(ALIAS_NODE_BUDGET);
    // Duplicate keys are found by the event reader, which names them.
    loader.allow_duplicate_keys(true);
    let mut depth = DepthGuard::default();
    let mut problem = None;
    let file_char = |byte: usize| char_of(base_byte.saturating_add(byte));
    while let Some(next) = reader.next_event() {
        let located = match next {
            Ok(located) => located,
            Err(e) => {
                problem = Some(LoadProblem {
                    message: lowercase_message(&e.message),
                    at_char: file_char(e.at_byte),
                });
                break;
            }
        };
        let span = span_of(located.start, located.end, &file_char);
        if let Err(message) = depth.check(&located.event) {
            problem = Some(LoadProblem {
                message,
                at_char: span.start.index(),
            });
            break;
        }
        loader.on_event(located.event, span);
        if let Some(e) = loader.error() {
            problem = Some(LoadProblem {
                message: lowercase_message(e.info()),
                at_char: e.marker().index(),
            });
            break;
        }
    }
    let docs = loader
        .into_documents()
        .into_iter()
        .filter(|doc| !doc.is_badvalue())
        .collect();
    (docs, problem)
}

/// Tracks how deep the tree being built would nest, aliases included.
#[derive(Default)]
struct DepthGuard {
    /// Open collections: (anchor id, height of the tallest child so far).
    open: Vec<(usize, usize)>,
    /// Height of every anchored node seen, so an alias weighs what it copies.
    anchor_heights: HashMap<usize, usize>,
}

impl DepthGuard {
    fn check(&mut self, event: &Event<'_>) -> Result<(), String> {
        match event {
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if self.open.len() >= MAX_DEPTH {
                    return Err(format!("yaml nested deeper than {MAX_DEPTH} levels"));
                }
                self.open.push((*anchor, 0));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((anchor, tallest_child)) = self.open.pop() {
                    self.finish_node(anchor, tallest_child.saturating_add(1));
                }
            }
            Event::Scalar(_, _, anchor, _) => self.finish_node(*anchor, 1),
            Event::Alias(id) => {
                let height = self.anchor_heights.get(id).copied().unwrap_or(1);
                if self.open.len().saturating_add(height) > MAX_DEPTH {
                    return Err(format!(
                        "alias expansion nests deeper than {MAX_DEPTH} levels"
                    ));
                }
                self.finish_node(0, height);
            }
            _ => {}
        }
        Ok(())
    }

    fn finish_node(&mut self, anchor: usize, height: usize) {
        if anchor > 0 {
            self.anchor_heights.insert(anchor, height);
        }
        if let Some((_, tallest)) = self.open.last_mut() {
            *tallest = (*tallest).max(height);
        }
    }
}

/// saphyr messages are lowercase already; make sure and drop a final period.
fn lowercase_message(info: &str) -> String {
    let mut message = info.trim().trim_end_matches('.').to_string();
    if let Some(first) = message.get(..1) {
        let lower = first.to_lowercase();
        message.replace_range(..1, &lower);
    }
    message
}

fn byte_of_char(text: &str, char_index: usize) -> usize {
    text.char_indices()
        .nth(char_index)
        .map_or(text.len(), |(b, _)| b)
}

/// Byte offset of the first `---` document marker that starts a line after
/// the line holding `after_byte`.
fn next_document_start(text: &str, after_byte: usize) -> Option<usize> {
    let rest_start = text.get(after_byte..)?.find('\n')? + after_byte + 1;
    let mut line_start = rest_start;
    for line in text.get(rest_start..)?.split_inclusive('\n') {
        if is_document_marker(line) {
            return Some(line_start);
        }
        line_start += line.len();
    }
    None
}

fn is_document_marker(line: &str) -> bool {
    line.strip_prefix("---")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\r', '\n']))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ascii(b: usize) -> usize {
        b
    }

    #[test]
    fn keeps_documents_around_a_broken_one() {
        let text = "a: 1\n---\nb: [1, 2\nc: 3\n---\nd: 4\n";
        let loaded = load_documents(text, ascii);
        assert_eq!(loaded.docs.len(), 2);
        assert_eq!(loaded.problems.len(), 1);
    }

    #[test]
    fn refuses_deep_block_nesting() {
        let text = "- ".repeat(100_000) + "x\n";
        let loaded = load_documents(&text, ascii);
        assert!(loaded.docs.is_empty());
        assert!(loaded.problems[0].message.contains("nested deeper"));
    }

    #[test]
    fn refuses_aliases_that_stack_depth() {
        let mut text = String::from("a: &a0 ") + &"[".repeat(200) + &"]".repeat(200) + "\n";
        for i in 1..10 {
            text += &format!(
                "a{i}: &a{i} {}*a{} {}\n",
                "[".repeat(100),
                i - 1,
                "]".repeat(100)
            );
        }
        let loaded = load_documents(&text, ascii);
        assert!(loaded.docs.is_empty());
        assert!(loaded.problems[0].message.contains("alias expansion"));
    }

    #[test]
    fn finds_the_next_document_marker() {
        let text = "a: [\n--- # x\nb: 1\n";
        assert_eq!(next_document_start(text, 2), Some(5));
        assert_eq!(next_document_start("a\n---x\n", 0), None);
    }
}
