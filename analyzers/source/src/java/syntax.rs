//! Panic-free helpers over a tree-sitter tree, shared by the Java and C#
//! modules: nodes by kind, named children, names and integer literals. The
//! grammar-independent plumbing lives in [`crate::treesitter`].

use crate::treesitter::NodeNames;
pub use crate::treesitter::{walk, Source};
use tree_sitter::Node;

/// Every node of the tree whose kind is one of `kinds`, in source order.
pub fn nodes_of_kind<'t>(root: Node<'t>, kinds: &[&str]) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    walk(root, (), |node, _| {
        if kinds.contains(&node.cached_kind()) {
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
        .filter(|c| !c.cached_kind().contains("comment"))
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
