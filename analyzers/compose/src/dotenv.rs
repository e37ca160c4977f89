//! The `.env` file compose reads beside a compose file to interpolate
//! `${VAR}`: `NAME=value` lines, `export NAME=value`, `#` comments, single
//! quotes (literal), double quotes (`\n`, `\"`, `\\` escapes; may span
//! lines), unquoted values (trimmed, ` #` starts a comment), `NAME` alone
//! (from the shell: `value: None`).

use seamcheck_facts::{EnvVar, LineIndex, ParseProblem};

/// The variables of a `.env` text and the lines that are not assignments.
pub(crate) fn parse(text: &str, index: &LineIndex) -> (Vec<EnvVar>, Vec<ParseProblem>) {
    let mut vars = Vec::new();
    let mut problems = Vec::new();
    let mut pos = 0usize;
    while pos < text.len() {
        let line_end = line_end(text, pos);
        let next = match parse_line(text, pos, line_end) {
            Line::Blank => line_end + 1,
            Line::Var {
                name,
                value,
                start,
                end,
            } => {
                vars.push(EnvVar {
                    name,
                    value,
                    loc: index.location(start..end),
                });
                line_end_after(text, end) + 1
            }
            Line::Bad { message, at } => {
                let end = line_end.max(at + 1).min(text.len());
                problems.push(ParseProblem {
                    message,
                    loc: index.location(at..end),
                });
                line_end + 1
            }
        };
        pos = next.max(pos + 1);
    }
    (vars, problems)
}

enum Line {
    Blank,
    Var {
        name: String,
        value: Option<String>,
        /// Byte range from the name through the value (closing quote included).
        start: usize,
        end: usize,
    },
    Bad {
        message: String,
        at: usize,
    },
}

fn line_end(text: &str, from: usize) -> usize {
    text.get(from..)
        .and_then(|rest| rest.find('\n'))
        .map_or(text.len(), |i| from + i)
}

/// End of the line holding byte `at` (a value may have spanned lines).
fn line_end_after(text: &str, at: usize) -> usize {
    line_end(text, at.saturating_sub(1))
}

fn parse_line(text: &str, start: usize, end: usize) -> Line {
    let line = text.get(start..end).unwrap_or_default();
    let body = line.trim_start();
    let mut at = start + (line.len() - body.len());
    if body.trim_end().is_empty() || body.starts_with('#') {
        return Line::Blank;
    }
    let body = match body.strip_prefix("export ") {
        Some(rest) => {
            let rest = rest.trim_start();
            at = start + (line.len() - rest.len());
            rest
        }
        None => body,
    };
    let name_len = body
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')))
        .unwrap_or(body.len());
    let name = body.get(..name_len).unwrap_or_default();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        return Line::Bad {
            message: "expected `NAME=value`".to_string(),
            at,
        };
    }
    let name_end = at + name_len;
    let after = body
        .get(name_len..)
        .unwrap_or_default()
        .trim_start_matches([' ', '\t']);
    if after.trim_end().is_empty() || after.starts_with('#') {
        return Line::Var {
            name: name.to_string(),
            value: None,
            start: at,
            end: name_end,
        };
    }
    let Some(raw_value) = after.strip_prefix('=') else {
        return Line::Bad {
            message: format!("expected `=` after `{name}`"),
            at: name_end,
        };
    };
    let value_text = raw_value.trim_start_matches([' ', '\t']);
    // Every slice here is a suffix of `line`, which starts at `start`.
    let value_start = start + (line.len() - value_text.len());
    match read_value(text, value_start, end) {
        Ok((value, value_end)) => Line::Var {
            name: name.to_string(),
            value: Some(value),
            start: at,
            end: value_end.max(name_end),
        },
        Err(message) => Line::Bad {
            message,
            at: value_start,
        },
    }
}

/// The value starting at byte `start` (the line ends at `line_end`), and
/// the byte just after it as written.
fn read_value(text: &str, start: usize, line_end: usize) -> Result<(String, usize), String> {
    let rest = text.get(start..).unwrap_or_default();
    if let Some(inner) = rest.strip_prefix('"') {
        let mut value = String::new();
        let mut chars = inner.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => return Ok((value, start + 1 + i + 1)),
                '\\' => match chars.next().map(|(_, e)| e) {
                    Some('n') => value.push('\n'),
                    Some('t') => value.push('\t'),
                    Some('r') => value.push('\r'),
                    Some(other) => {
                        if !matches!(other, '"' | '\\' | '$') {
                            value.push('\\');
                        }
                        value.push(other);
                    }
                    None => break,
                },
                c => value.push(c),
            }
        }
        return Err("unterminated double-quoted value".to_string());
    }
    if let Some(inner) = rest.strip_prefix('\'') {
        return match inner.find('\'') {
            Some(close) => Ok((
                inner.get(..close).unwrap_or_default().to_string(),
                start + 1 + close + 1,
            )),
            None => Err("unterminated single-quoted value".to_string()),
        };
    }
    let line = text.get(start..line_end).unwrap_or_default();
    // ` #` starts a comment in an unquoted value; `a#b` does not.
    let cut = line
        .char_indices()
        .find(|&(i, c)| {
            c == '#'
                && line
                    .get(..i)
                    .and_then(|b| b.chars().last())
                    .is_some_and(|p| p == ' ' || p == '\t')
        })
        .map_or(line.len(), |(i, _)| i);
    let value = line.get(..cut).unwrap_or_default().trim_end();
    Ok((value.to_string(), start + value.len()))
}
