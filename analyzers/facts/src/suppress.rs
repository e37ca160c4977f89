//! Inline suppressions: `seamcheck: ignore[rule-id, other-id] -- reason` in a
//! comment of the file's own syntax.
//!
//! A directive at the end of a line silences that line; a directive alone on
//! its line silences the next line that is not itself such a directive (so
//! several can be stacked above one line). Dockerfiles have no end-of-line
//! comments (`#` after an instruction is an argument), so there only the
//! own-line form counts, as in hadolint.
//!
//! This module only finds the directives; which findings they silence, and
//! which silence nothing, is decided after the rules ran.

use crate::{FileKind, LineIndex, Located, Location};
use serde::Serialize;

/// The marker every directive starts with, after the comment prefix.
const MARKER: &str = "seamcheck:";

/// How comments are written in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommentSyntax {
    /// `#` or `//`.
    pub prefix: &'static str,
    /// Whether a comment may follow code on the same line.
    pub end_of_line: bool,
}

impl CommentSyntax {
    pub const HASH: CommentSyntax = CommentSyntax {
        prefix: "#",
        end_of_line: true,
    };
    pub const SLASHES: CommentSyntax = CommentSyntax {
        prefix: "//",
        end_of_line: true,
    };
    /// Dockerfile: `#` only at the start of a line.
    pub const DOCKERFILE: CommentSyntax = CommentSyntax {
        prefix: "#",
        end_of_line: false,
    };

    /// The comment syntax of a file of this kind (`path` tells app config
    /// formats apart). `None` for formats without comments, and for
    /// application code, whose syntax its language's descriptor registers.
    pub fn for_file(kind: FileKind, path: &str) -> Option<CommentSyntax> {
        match kind {
            FileKind::Dockerfile => Some(Self::DOCKERFILE),
            FileKind::KubeYaml | FileKind::Compose | FileKind::DotEnv | FileKind::Nginx => {
                Some(Self::HASH)
            }
            FileKind::AppConfig => {
                let name = path.rsplit('/').next().unwrap_or(path);
                if name == "package.json" {
                    None
                } else if name.to_ascii_lowercase().ends_with(".json") {
                    // .NET reads appsettings.json with `//` comments allowed.
                    Some(Self::SLASHES)
                } else {
                    // .properties, .yml/.yaml, .toml
                    Some(Self::HASH)
                }
            }
            // Application code: its language's descriptor in the source
            // analyzer's registry (`seamcheck_source::LANGUAGES`) says.
            _ => None,
        }
    }
}

/// One `seamcheck: ignore[…]` directive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suppression {
    /// The rule IDs named, each with its own location (as written, not checked).
    pub rules: Vec<Located<String>>,
    /// The text after `--`, if any.
    pub reason: Option<String>,
    /// The directive, from `seamcheck:` to its closing `]`.
    pub loc: Location,
    /// The 1-based line whose findings it silences.
    pub target_line: u32,
    /// Alone on its line (it silences a following line) rather than at the
    /// end of one.
    pub own_line: bool,
    /// Why the directive cannot be used ("expected `[` after `ignore`"),
    /// lowercase, no trailing period. A malformed directive silences nothing.
    pub error: Option<String>,
}

/// Finds every suppression directive of a file's text.
pub fn scan_file(path: &str, text: &str, kind: FileKind) -> Vec<Suppression> {
    match CommentSyntax::for_file(kind, path) {
        Some(syntax) => scan(path, text, syntax),
        None => Vec::new(),
    }
}

/// Finds every suppression directive written in comments of `syntax`.
pub fn scan(path: &str, text: &str, syntax: CommentSyntax) -> Vec<Suppression> {
    // Nearly every file has none: skip the line index entirely.
    if !text.contains(MARKER) {
        return Vec::new();
    }
    let index = LineIndex::new(path, text);
    let lines = line_spans(text);
    let mut found = Vec::new();
    for (number, &(start, end)) in lines.iter().enumerate() {
        let line = text.get(start..end).unwrap_or("");
        let Some(directive) = find_directive(line, syntax) else {
            continue;
        };
        let own_line = directive.own_line;
        if !own_line && !syntax.end_of_line {
            continue;
        }
        found.push((number, start, directive));
    }
    // Own-line directives silence the next line that is not one of them;
    // walking backwards gives every one its target in a single pass.
    let mut targets = vec![0usize; found.len()];
    let mut next: Option<(usize, usize)> = None; // (line, its target) of the directive below
    for (i, (number, _, d)) in found.iter().enumerate().rev() {
        let target = if !d.own_line {
            *number
        } else {
            match next {
                Some((line, target)) if line == number + 1 => target,
                _ => number + 1,
            }
        };
        if let Some(t) = targets.get_mut(i) {
            *t = target;
        }
        next = d.own_line.then_some((*number, target));
    }
    found
        .into_iter()
        .zip(targets)
        .map(|((_, start, d), target)| Suppression {
            rules: d
                .rules
                .iter()
                .map(|(id, s, e)| index.located(id.clone(), start + s..start + e))
                .collect(),
            reason: d.reason,
            loc: index.location(start + d.span.0..start + d.span.1),
            target_line: u32::try_from(target + 1).unwrap_or(u32::MAX),
            own_line: d.own_line,
            error: d.error,
        })
        .collect()
}

/// Byte ranges of every line, without the line break (`\n` or `\r\n`).
fn line_spans(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            let end = if i > start && text.as_bytes().get(i - 1) == Some(&b'\r') {
                i - 1
            } else {
                i
            };
            out.push((start, end));
            start = i + 1;
        }
    }
    out.push((start, text.len()));
    out
}

/// A directive found in one line; offsets are relative to the line.
struct Directive {
    own_line: bool,
    span: (usize, usize),
    rules: Vec<(String, usize, usize)>,
    reason: Option<String>,
    error: Option<String>,
}

/// The first directive of a line: `MARKER` preceded by the comment prefix
/// (and nothing else but whitespace or more prefix characters in between),
/// the prefix starting the line or following whitespace.
fn find_directive(line: &str, syntax: CommentSyntax) -> Option<Directive> {
    let mut from = 0;
    while let Some(rel) = line.get(from..).and_then(|rest| rest.find(MARKER)) {
        let at = from + rel;
        from = at + MARKER.len();
        let before = line.get(..at).unwrap_or("").trim_end();
        // `#`, `##`, `// `, `///`: the comment opener right before the marker.
        let opener = before.trim_end_matches(|c: char| syntax.prefix.contains(c));
        if opener.len() == before.len() || !before.ends_with(syntax.prefix) {
            continue;
        }
        let own_line = opener.trim().is_empty();
        if !own_line && !opener.ends_with(char::is_whitespace) {
            // `http://seamcheck:` or `a#seamcheck:` is not a comment.
            continue;
        }
        return Some(parse_directive(line, at, own_line));
    }
    None
}

/// Parses `seamcheck: ignore[a, b] -- reason` starting at `at` (the marker).
fn parse_directive(line: &str, at: usize, own_line: bool) -> Directive {
    let mut d = Directive {
        own_line,
        span: (at, line.len()),
        rules: Vec::new(),
        reason: None,
        error: None,
    };
    let after_marker = at + MARKER.len();
    let rest = line.get(after_marker..).unwrap_or("");
    let skipped = rest.len() - rest.trim_start().len();
    let pos = after_marker + skipped;
    let Some(after_ignore) = line
        .get(pos..)
        .and_then(|r| r.strip_prefix("ignore"))
        .map(|r| line.len() - r.len())
    else {
        d.error = Some("expected `ignore[rule-id, …]` after `seamcheck:`".to_string());
        return d;
    };
    let rest = line.get(after_ignore..).unwrap_or("");
    let open = after_ignore + (rest.len() - rest.trim_start().len());
    if line.get(open..).and_then(|r| r.chars().next()) != Some('[') {
        d.error = Some("expected `[` after `ignore`".to_string());
        d.span = (at, after_ignore);
        return d;
    }
    let Some(close) = line.get(open..).and_then(|r| r.find(']')).map(|c| open + c) else {
        d.error = Some("missing `]` to close the rule list".to_string());
        return d;
    };
    d.span = (at, close + 1);
    let mut item_start = open + 1;
    for item in line.get(open + 1..close).unwrap_or("").split(',') {
        let lead = item.len() - item.trim_start().len();
        let id = item.trim();
        if !id.is_empty() {
            let s = item_start + lead;
            d.rules.push((id.to_string(), s, s + id.len()));
        }
        item_start += item.len() + 1;
    }
    if d.rules.is_empty() {
        d.error = Some("the rule list is empty".to_string());
    }
    let tail = line.get(close + 1..).unwrap_or("").trim();
    if let Some(reason) = tail.strip_prefix("--") {
        let reason = reason.trim().trim_end_matches("*/").trim();
        if !reason.is_empty() {
            d.reason = Some(reason.to_string());
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str, syntax: CommentSyntax) -> Suppression {
        let mut all = scan("f", text, syntax);
        assert_eq!(all.len(), 1, "{all:?}");
        all.remove(0)
    }

    fn ids(s: &Suppression) -> Vec<&str> {
        s.rules.iter().map(|r| r.value.as_str()).collect()
    }

    #[test]
    fn end_of_line_directive_targets_its_own_line() {
        let text = "a: 1\nport: 80  # seamcheck: ignore[container-port-mismatch] -- legacy\n";
        let s = one(text, CommentSyntax::HASH);
        assert_eq!(ids(&s), ["container-port-mismatch"]);
        assert_eq!(s.target_line, 2);
        assert!(!s.own_line);
        assert_eq!(s.reason.as_deref(), Some("legacy"));
        assert_eq!((s.loc.line, s.loc.column), (2, 13));
        assert_eq!(s.loc.end_column, 54);
        let r = &s.rules[0].loc;
        assert_eq!((r.line, r.column, r.end_column), (2, 31, 53));
        assert!(s.error.is_none());
    }

    #[test]
    fn own_line_directive_targets_the_next_line_and_stacks() {
        let text = "x = 1\n    // seamcheck: ignore[a, b]\n// seamcheck: ignore[c]\nlisten(8080)\n";
        let all = scan("f.js", text, CommentSyntax::SLASHES);
        assert_eq!(all.len(), 2);
        assert!(all.iter().all(|s| s.own_line && s.target_line == 4));
        assert_eq!(ids(&all[0]), ["a", "b"]);
        assert_eq!(all[0].rules[1].loc.column, 29);
        assert_eq!(all[0].reason, None);
    }

    #[test]
    fn dockerfile_only_counts_directives_alone_on_their_line() {
        let text = "FROM python:3.12\n# seamcheck: ignore[runs-as-root] -- base image drops privileges\nUSER root\nRUN echo hi # seamcheck: ignore[x]\n";
        let s = one(text, CommentSyntax::DOCKERFILE);
        assert_eq!(ids(&s), ["runs-as-root"]);
        assert_eq!(s.target_line, 3);
        assert_eq!(s.reason.as_deref(), Some("base image drops privileges"));
    }

    #[test]
    fn not_a_comment_is_not_a_directive() {
        let text = "url = 'http://seamcheck: ignore[a]'\nx = 'a#seamcheck: ignore[b]'\nplain seamcheck: ignore[c]\n";
        assert!(scan("f", text, CommentSyntax::HASH).is_empty());
        assert!(scan(
            "f",
            "see http://seamcheck: ignore[a]\n",
            CommentSyntax::SLASHES
        )
        .is_empty());
    }

    #[test]
    fn malformed_directives_are_kept_with_an_error() {
        for (text, error) in [
            ("# seamcheck: ignor[a]\n", "expected `ignore[rule-id, …]`"),
            ("# seamcheck: ignore a\n", "expected `[`"),
            ("# seamcheck: ignore[a, b\n", "missing `]`"),
            ("# seamcheck: ignore[ , ]\n", "empty"),
        ] {
            let s = one(text, CommentSyntax::HASH);
            assert!(
                s.error.as_deref().is_some_and(|e| e.contains(error)),
                "{text}: {s:?}"
            );
        }
    }

    #[test]
    fn crlf_unicode_and_block_comment_end() {
        let text = "é = 1\r\nlisten(80) // seamcheck: ignore[localhost-bind] -- ça va */\r\n";
        let s = one(text, CommentSyntax::SLASHES);
        assert_eq!(s.target_line, 2);
        assert_eq!(s.reason.as_deref(), Some("ça va"));
        assert_eq!(s.loc.column, 15);
    }

    #[test]
    fn a_directive_on_the_last_line_targets_a_line_past_the_end() {
        let s = one("x\n# seamcheck: ignore[a]", CommentSyntax::HASH);
        assert_eq!(s.target_line, 3);
    }

    #[test]
    fn kinds_pick_their_comment_syntax() {
        assert_eq!(
            CommentSyntax::for_file(FileKind::Dockerfile, "Dockerfile"),
            Some(CommentSyntax::DOCKERFILE)
        );
        // Application code's syntax is its language's (seamcheck_source's
        // registry test checks `main.go` -> `//`).
        assert_eq!(CommentSyntax::for_file(FileKind::Go, "main.go"), None);
        assert_eq!(
            CommentSyntax::for_file(FileKind::AppConfig, "api/appsettings.json"),
            Some(CommentSyntax::SLASHES)
        );
        assert_eq!(
            CommentSyntax::for_file(FileKind::AppConfig, "package.json"),
            None
        );
        assert_eq!(
            CommentSyntax::for_file(FileKind::AppConfig, "application.properties"),
            Some(CommentSyntax::HASH)
        );
    }

    #[test]
    fn hostile_input_never_panics() {
        let long = "# seamcheck: ignore[".repeat(10_000);
        let _ = scan("f", &long, CommentSyntax::HASH);
        let _ = scan("f", "seamcheck:", CommentSyntax::HASH);
        let _ = scan("f", "#seamcheck:ignore[]]]--", CommentSyntax::HASH);
        let _ = scan("f", "é#seamcheck:ignoreé[é,é]é--é", CommentSyntax::HASH);
        let s = one("#seamcheck:ignore[a]--r", CommentSyntax::HASH);
        assert_eq!(ids(&s), ["a"]);
        assert_eq!(s.reason.as_deref(), Some("r"));
    }
}
