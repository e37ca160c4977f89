//! `.properties` files, as `java.util.Properties` reads them: `key=value`,
//! `key: value` or `key value`; `#`/`!` comments; a trailing odd backslash
//! continues the line; `\uXXXX` and the usual escapes. Spring Boot 2.4+
//! splits a file into documents at a `#---` or `!---` line.

use super::entries::ConfigEntry;
use seamcheck_facts::LineIndex;

/// Every entry of the file, in order.
pub fn read(text: &str, index: &LineIndex) -> Vec<ConfigEntry> {
    let mut entries = Vec::new();
    let mut document = 0;
    let mut lines = logical_lines(text).into_iter();
    for line in lines.by_ref() {
        let trimmed = line.text.trim_start();
        if trimmed == "#---" || trimmed == "!---" {
            document += 1;
            continue;
        }
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with('!') {
            continue;
        }
        if let Some(entry) = parse_line(&line, document, index) {
            entries.push(entry);
        }
    }
    entries
}

/// A logical line: physical lines joined at continuations. `pieces` maps
/// the joined text back to the file: (offset in `text`, offset in the file).
struct Line {
    text: String,
    pieces: Vec<(usize, usize)>,
}

impl Line {
    /// File offset of a byte offset of the joined text.
    fn file_offset(&self, at: usize) -> usize {
        let piece = self
            .pieces
            .iter()
            .rev()
            .find(|(text_at, _)| *text_at <= at)
            .copied()
            .unwrap_or((0, 0));
        piece.1 + (at - piece.0)
    }
}

fn logical_lines(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut current: Option<Line> = None;
    let mut offset = 0;
    for physical in text.split_inclusive('\n') {
        let start = offset;
        offset += physical.len();
        let content = physical.trim_end_matches(['\n', '\r']);
        let (content, skipped) = match &current {
            // Leading blanks of a continuation line are dropped.
            Some(_) => {
                let t = content.trim_start_matches([' ', '\t', '\x0c']);
                (t, content.len() - t.len())
            }
            None => (content, 0),
        };
        let continues = trailing_backslashes(content) % 2 == 1;
        let kept = if continues {
            content.get(..content.len() - 1).unwrap_or("")
        } else {
            content
        };
        let line = current.get_or_insert_with(|| Line {
            text: String::new(),
            pieces: Vec::new(),
        });
        line.pieces.push((line.text.len(), start + skipped));
        line.text.push_str(kept);
        // A comment line never continues.
        let is_comment = {
            let t = line.text.trim_start();
            line.pieces.len() == 1 && (t.starts_with('#') || t.starts_with('!'))
        };
        if !continues || is_comment {
            if let Some(done) = current.take() {
                out.push(done);
            }
        }
    }
    if let Some(done) = current.take() {
        out.push(done);
    }
    out
}

fn trailing_backslashes(s: &str) -> usize {
    s.bytes().rev().take_while(|b| *b == b'\\').count()
}

fn parse_line(line: &Line, document: usize, index: &LineIndex) -> Option<ConfigEntry> {
    let text = line.text.as_str();
    let key_start = text.len() - text.trim_start().len();
    // The key ends at an unescaped `=`, `:` or blank.
    let mut key_end = text.len();
    let mut escaped = false;
    for (i, c) in text.char_indices().skip_while(|(i, _)| *i < key_start) {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '=' | ':' | ' ' | '\t' | '\x0c' => {
                key_end = i;
                break;
            }
            _ => {}
        }
    }
    let raw_key = text.get(key_start..key_end)?;
    // Separator: blanks, then at most one `=`/`:`, then blanks.
    let rest = text.get(key_end..)?;
    let after_blanks = rest.trim_start_matches([' ', '\t', '\x0c']);
    let after_separator = after_blanks
        .strip_prefix(['=', ':'])
        .unwrap_or(after_blanks)
        .trim_start_matches([' ', '\t', '\x0c']);
    let value_start = text.len() - after_separator.len();
    let raw_value = after_separator.trim_end();
    let value_end = value_start + raw_value.len();
    let value_loc_start = line.file_offset(value_start);
    let value_loc_end = if value_end > value_start {
        line.file_offset(value_end - 1) + last_char_len(raw_value)
    } else {
        value_loc_start
    };
    Some(ConfigEntry {
        key: unescape(raw_key),
        value: unescape(raw_value),
        value_loc: index.location(value_loc_start..value_loc_end),
        entry_loc: index
            .location(line.file_offset(key_start)..value_loc_end.max(line.file_offset(key_end))),
        document,
    })
}

fn last_char_len(s: &str) -> usize {
    s.chars().next_back().map_or(0, char::len_utf8)
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('f') => out.push('\x0c'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(decoded) => out.push(decoded),
                    None => out.push_str(&hex),
                }
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::entries::test_rows::{row, rows, Row};
    use super::*;

    fn entries(text: &str) -> Vec<Row> {
        let index = LineIndex::new("application.properties", text);
        rows(text, read(text, &index))
    }

    #[test]
    fn separators_comments_and_documents() {
        let text = "# server\nserver.port=8081\nserver.address : 0.0.0.0  \n! x\nspring.application.name app\n#---\nspring.config.activate.on-profile=prod\nserver.port=${PORT:8080}\n";
        assert_eq!(
            entries(text),
            vec![
                row("server.port", "8081", "8081", 0),
                row("server.address", "0.0.0.0", "0.0.0.0", 0),
                row("spring.application.name", "app", "app", 0),
                row("spring.config.activate.on-profile", "prod", "prod", 1),
                row("server.port", "${PORT:8080}", "${PORT:8080}", 1),
            ]
        );
    }

    #[test]
    fn continuations_and_escapes() {
        let text = "a=x\\\n   y\nb\\:c=\\u0041\nempty=\n# c \\\nd=1\r\n";
        assert_eq!(
            entries(text),
            vec![
                row("a", "xy", "x\\\n   y", 0),
                row("b:c", "A", "\\u0041", 0),
                row("empty", "", "", 0),
                row("d", "1", "1", 0),
            ]
        );
    }

    #[test]
    fn odd_input_never_panics() {
        for text in [
            "\\",
            "=",
            ":",
            "a=\\u12",
            "a=\\uZZZZ",
            "é=é\\",
            "\n\n\\\n",
            "a=b\\\\",
        ] {
            let _ = entries(text);
        }
    }
}
