//! `package.json`: its `scripts`, so that the resolver can follow `npm start`
//! into the command the script runs.
//!
//! `serde_json` validates the document (its error position becomes the
//! problem's location) and decodes each string; a small tokenizer finds the
//! byte spans, which `serde_json` does not report: it walks the text once,
//! keeps a stack of open containers (no recursion, so 100,000-deep nesting is
//! fine) and records the key/value strings of the top-level `"scripts"`
//! object. It is tolerant: after a syntax error it still returns the scripts
//! it could read.

use crate::{LanguageAnalyzer, LanguageOutput};
use seamcheck_facts::source::PackageScript;
use seamcheck_facts::{FileKind, LineIndex, ParseProblem, SourceFacts};

/// `package.json`, matched by file name.
pub struct PackageJsonAnalyzer;

impl LanguageAnalyzer for PackageJsonAnalyzer {
    fn language(&self) -> &'static str {
        "javascript"
    }
    fn kind(&self) -> FileKind {
        FileKind::AppConfig
    }
    fn reads_file_name(&self, lower_file_name: &str) -> bool {
        lower_file_name == "package.json"
    }
    fn analyze(&self, text: &str, index: &LineIndex) -> LanguageOutput {
        let mut output = LanguageOutput::default();
        if let Err(e) = serde_json::from_str::<serde_json::Value>(text) {
            output.problems.push(ParseProblem {
                message: format!("invalid package.json: {}", lowercase_message(&e)),
                loc: error_location(&e, index),
            });
        }
        output.facts = Some(SourceFacts {
            language: self.language().to_string(),
            package_scripts: scripts(text, index),
            ..SourceFacts::default()
        });
        output
    }
}

/// serde_json says "EOF while parsing an object at line 3 column 1"; the
/// location already carries the position.
fn lowercase_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let text = match text.rfind(" at line ") {
        Some(cut) => text.get(..cut).unwrap_or(&text).to_string(),
        None => text,
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c
            .to_lowercase()
            .chain(chars)
            .collect::<String>()
            .trim_end_matches('.')
            .to_string(),
        None => "syntax error".to_string(),
    }
}

/// serde_json's 1-based line and column (bytes) as a zero-width location.
fn error_location(e: &serde_json::Error, index: &LineIndex) -> seamcheck_facts::Location {
    let line = u32::try_from(e.line()).unwrap_or(u32::MAX).max(1);
    let start = index.line_location(line).span.start;
    let offset = start.saturating_add(e.column().saturating_sub(1));
    index.location(offset..offset)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Token {
    Open(u8),
    Close,
    Colon,
    Comma,
    /// A string literal, quotes included.
    Str(usize, usize),
    Other,
}

/// Splits the text into JSON tokens with byte offsets.
fn tokens(text: &str) -> Vec<(Token, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'{' | b'[' => {
                out.push((Token::Open(b), i));
                i += 1;
            }
            b'}' | b']' => {
                out.push((Token::Close, i));
                i += 1;
            }
            b':' => {
                out.push((Token::Colon, i));
                i += 1;
            }
            b',' => {
                out.push((Token::Comma, i));
                i += 1;
            }
            b'"' => {
                let start = i;
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    i += 1;
                    match c {
                        b'\\' => i += 1,
                        b'"' => break,
                        _ => {}
                    }
                }
                out.push((Token::Str(start, i.min(bytes.len())), start));
            }
            _ => {
                let start = i;
                while bytes
                    .get(i)
                    .is_some_and(|c| !b" \t\n\r{}[]:,\"".contains(c))
                {
                    i += 1;
                }
                out.push((Token::Other, start));
            }
        }
    }
    out
}

/// The decoded value of a string token, and the span of its contents.
fn string_at(text: &str, start: usize, end: usize) -> Option<(String, std::ops::Range<usize>)> {
    let raw = text.get(start..end)?;
    let value: String = serde_json::from_str(raw).ok()?;
    Some((value, start + 1..end.saturating_sub(1).max(start + 1)))
}

/// The `"name": "command"` pairs of the top-level `"scripts"` object.
fn scripts(text: &str, index: &LineIndex) -> Vec<PackageScript> {
    let tokens = tokens(text);
    let mut out = Vec::new();
    // Depth of open containers; the scripts object is at depth 2 when it was
    // opened as the value of the top-level key `scripts`.
    let mut depth = 0usize;
    let mut scripts_depth: Option<usize> = None;
    let mut i = 0;
    while let Some(&(token, _)) = tokens.get(i) {
        match token {
            Token::Open(kind) => {
                depth += 1;
                let key_before = i
                    .checked_sub(2)
                    .and_then(|k| tokens.get(k))
                    .zip(i.checked_sub(1).and_then(|c| tokens.get(c)));
                if let (Some(((Token::Str(s, e), _), (Token::Colon, _))), b'{', 2) =
                    (key_before, kind, depth)
                {
                    if string_at(text, *s, *e).is_some_and(|(k, _)| k == "scripts") {
                        scripts_depth = Some(depth);
                    }
                }
            }
            Token::Close => {
                if scripts_depth == Some(depth) {
                    scripts_depth = None;
                }
                depth = depth.saturating_sub(1);
            }
            Token::Str(ks, ke) if scripts_depth == Some(depth) => {
                let is_key = matches!(tokens.get(i + 1), Some((Token::Colon, _)));
                if let (true, Some((Token::Str(vs, ve), _))) = (is_key, tokens.get(i + 2)) {
                    if let (Some((name, name_span)), Some((command, command_span))) =
                        (string_at(text, ks, ke), string_at(text, *vs, *ve))
                    {
                        out.push(PackageScript {
                            name: index.located(name, name_span),
                            command: index.located(command, command_span),
                        });
                    }
                    i += 3;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<(String, String, String)> {
        let index = LineIndex::new("package.json", text);
        scripts(text, &index)
            .into_iter()
            .map(|s| {
                let at = text
                    .get(s.command.loc.span.start..s.command.loc.span.end)
                    .unwrap_or("")
                    .to_string();
                (s.name.value, s.command.value, at)
            })
            .collect()
    }

    #[test]
    fn finds_scripts_and_their_spans() {
        let text = r#"{"name":"x","config":{"scripts":{"start":"no"}},
 "scripts": {"start": "node server.js", "dev": "nodemon \"a b\".js", "n": 1}}"#;
        let found = read(text);
        assert_eq!(found.len(), 2);
        assert_eq!(
            found[0],
            (
                "start".into(),
                "node server.js".into(),
                "node server.js".into()
            )
        );
        assert_eq!(found[1].1, "nodemon \"a b\".js");
        assert_eq!(found[1].2, "nodemon \\\"a b\\\".js");
    }

    #[test]
    fn broken_json_still_yields_what_it_can() {
        let found = read("{\"scripts\": {\"start\": \"node a.js\", \"x\": ");
        assert_eq!(found.len(), 1);
        assert!(read("\"").is_empty());
        assert!(read("{\"scripts\": \"\\").is_empty());
        let deep = "[".repeat(100_000);
        assert!(read(&deep).is_empty());
    }
}
