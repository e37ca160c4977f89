//! Panic-free helpers over a tree-sitter tree, shared by the Java and C#
//! modules: node text and locations, a bounded-memory walk without
//! recursion, string and integer literals.

use seamcheck_facts::{LineIndex, Located, Location, ParseProblem};
use tree_sitter::Node;

/// Longest expression text kept in an `Unknown` value or a message.
const MAX_TEXT_CHARS: usize = 200;

/// The file being analyzed.
pub struct Source<'s> {
    pub text: &'s str,
    pub index: &'s LineIndex,
}

impl<'s> Source<'s> {
    pub fn text_of(&self, node: Node<'_>) -> &'s str {
        self.text.get(node.byte_range()).unwrap_or("")
    }

    pub fn short_text_of(&self, node: Node<'_>) -> String {
        let text = self.text_of(node);
        match text.char_indices().nth(MAX_TEXT_CHARS) {
            Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or("")),
            None => text.to_string(),
        }
    }

    pub fn loc(&self, node: Node<'_>) -> Location {
        self.index.location(node.byte_range())
    }

    pub fn located<T>(&self, value: T, node: Node<'_>) -> Located<T> {
        self.index.located(value, node.byte_range())
    }
}

/// Pre-order walk without recursion (100,000-deep nesting must not
/// overflow the stack). `step` gets each node and its parent's context and
/// returns the context for the node's children, or `None` to skip them.
pub fn walk<'t, C>(
    root: Node<'t>,
    root_context: C,
    mut step: impl FnMut(Node<'t>, &C) -> Option<C>,
) {
    let mut cursor = root.walk();
    let mut contexts: Vec<C> = Vec::new();
    loop {
        let parent_context = contexts.last().unwrap_or(&root_context);
        if let Some(context) = step(cursor.node(), parent_context) {
            if cursor.goto_first_child() {
                contexts.push(context);
                continue;
            }
        }
        loop {
            if contexts.is_empty() {
                return;
            }
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
            contexts.pop();
        }
    }
}

/// Every node of the tree whose kind is one of `kinds`, in source order.
pub fn nodes_of_kind<'t>(root: Node<'t>, kinds: &[&str]) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    walk(root, (), |node, _| {
        if kinds.contains(&node.kind()) {
            out.push(node);
        }
        Some(())
    });
    out
}

/// Named children of a node, comments left out.
pub fn named_children<'t>(node: Node<'t>) -> Vec<Node<'t>> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .filter(|c| !c.kind().contains("comment"))
        .collect()
}

/// The last `.`-separated segment of a name (`org.x.GetMapping` -> `GetMapping`).
pub fn last_segment(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name).trim()
}

/// An integer literal (`8080`, `8_080`, `0x1F90`, `10L`).
pub fn parse_integer(text: &str) -> Option<i64> {
    let digits: String = text
        .chars()
        .filter(|c| *c != '_')
        .collect::<String>()
        .trim_end_matches(['l', 'L', 'u', 'U'])
        .to_ascii_lowercase();
    let (radix, body) = if let Some(rest) = digits.strip_prefix("0x") {
        (16, rest)
    } else if let Some(rest) = digits.strip_prefix("0b") {
        (2, rest)
    } else {
        (10, digits.as_str())
    };
    i64::from_str_radix(body, radix).ok()
}

/// The first syntax error of the tree (an `ERROR` node on its first line, or
/// a zero-width `MISSING` node), as a problem.
pub fn first_syntax_error(
    root: Node<'_>,
    source: &Source<'_>,
    language: &str,
) -> Option<ParseProblem> {
    if !root.has_error() {
        return None;
    }
    let mut first: Option<Node<'_>> = None;
    walk(root, (), |node, _| {
        if first.is_some() {
            return None;
        }
        if node.is_error() || node.is_missing() {
            first = Some(node);
            return None;
        }
        node.has_error().then_some(())
    });
    let node = first?;
    if node.is_missing() {
        return Some(ParseProblem {
            message: format!("{language} syntax error: missing `{}`", node.kind()),
            loc: source.index.location(node.start_byte()..node.start_byte()),
        });
    }
    let start = node.start_byte();
    let line_end = source
        .text
        .get(start..)
        .and_then(|rest| rest.find('\n'))
        .map_or(node.end_byte(), |n| start.saturating_add(n));
    Some(ParseProblem {
        message: format!("{language} syntax error"),
        loc: source
            .index
            .location(start..node.end_byte().min(line_end).max(start)),
    })
}

/// Case-insensitive ASCII search for any of `words` (lower case).
pub fn mentions_any(text: &str, words: &[&str]) -> bool {
    let bytes = text.as_bytes();
    words.iter().any(|word| {
        let word = word.as_bytes();
        word.len() <= bytes.len()
            && bytes
                .windows(word.len())
                .any(|window| window.eq_ignore_ascii_case(word))
    })
}

/// A path under a test source tree or a test class by naming convention
/// (`src/test/`, `tests/`, `Api.Tests/`, `FooTest.java`, `FooIT.java`,
/// `FooTests.cs`): its listens, routes and sleeps are not the service's.
pub fn is_test_path(path: &str) -> bool {
    let mut parts: Vec<&str> = path.split('/').collect();
    let file = parts.pop().unwrap_or("");
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    let test_dir = parts.iter().any(|d| {
        let lower = d.to_ascii_lowercase();
        lower == "test" || lower == "tests" || lower.ends_with(".tests") || lower.ends_with(".test")
    });
    let test_file = ["Test", "Tests", "IT"].iter().any(|s| stem.ends_with(s));
    test_dir || test_file
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers() {
        assert_eq!(parse_integer("8_080"), Some(8080));
        assert_eq!(parse_integer("0x1F90"), Some(8080));
        assert_eq!(parse_integer("10L"), Some(10));
        assert_eq!(parse_integer("99999999999999999999"), None);
    }

    #[test]
    fn test_paths() {
        assert!(is_test_path("svc/src/test/java/a/AppTest.java"));
        assert!(is_test_path("Api.Tests/HealthTests.cs"));
        assert!(!is_test_path("svc/src/main/java/a/HealthController.java"));
        assert!(!is_test_path("svc/src/main/java/a/Latest.java"));
    }
}
