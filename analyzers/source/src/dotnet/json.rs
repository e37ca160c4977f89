//! A small JSON reader for `appsettings*.json` that keeps byte spans and
//! accepts what .NET's configuration reader accepts beyond JSON: `//` and
//! `/* */` comments and trailing commas. It flattens the document into
//! `Section:Key` paths with their scalar values, iteratively (our stack is a
//! `Vec`, nesting is bounded).

use std::ops::Range;

const MAX_DEPTH: usize = 256;

#[derive(Debug, PartialEq)]
pub struct Scalar {
    /// `Kestrel:Endpoints:Http:Url`; array items are numbered (`Urls:0`).
    pub path: String,
    pub value: String,
    /// The token as written (a string's quotes included).
    pub span: Range<usize>,
    /// For a string without escapes: its contents, without quotes.
    pub content: Option<Range<usize>>,
}

#[derive(Debug)]
pub struct Error {
    pub message: String,
    pub at: usize,
}

enum Frame {
    Object {
        path: String,
        key: Option<String>,
        expect_key: bool,
    },
    Array {
        path: String,
        index: usize,
    },
}

pub fn read(text: &str) -> (Vec<Scalar>, Option<Error>) {
    let mut out = Vec::new();
    let error = parse(text, &mut out).err();
    (out, error)
}

fn parse(text: &str, out: &mut Vec<Scalar>) -> Result<(), Error> {
    let bytes = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let mut at = skip_blank(text, 0)?;
    // A BOM is allowed at the start.
    if text.get(at..).is_some_and(|r| r.starts_with('\u{feff}')) {
        at = skip_blank(text, at + 3)?;
    }
    let mut done_root = false;
    loop {
        at = skip_blank(text, at)?;
        let Some(&c) = bytes.get(at) else {
            if stack.is_empty() && done_root {
                return Ok(());
            }
            return Err(err("unexpected end of json", at));
        };
        // Inside an object, waiting for a key (or the end).
        if let Some(Frame::Object {
            expect_key: true,
            key,
            ..
        }) = stack.last_mut()
        {
            match c {
                b'}' => {
                    stack.pop();
                    at += 1;
                    at = after_value(text, at, &mut stack, &mut done_root)?;
                    continue;
                }
                b'"' => {
                    let (value, end, _) = string(text, at)?;
                    at = skip_blank(text, end)?;
                    if bytes.get(at) != Some(&b':') {
                        return Err(err("expected `:` after a key", at));
                    }
                    at += 1;
                    *key = Some(value);
                    if let Some(Frame::Object { expect_key, .. }) = stack.last_mut() {
                        *expect_key = false;
                    }
                    continue;
                }
                _ => return Err(err("expected a key", at)),
            }
        }
        if done_root {
            return Err(err("unexpected text after the json value", at));
        }
        if c == b']' {
            if let Some(Frame::Array { .. }) = stack.last() {
                stack.pop();
                at += 1;
                at = after_value(text, at, &mut stack, &mut done_root)?;
                continue;
            }
        }
        let path = value_path(&stack);
        match c {
            b'{' | b'[' => {
                if stack.len() >= MAX_DEPTH {
                    return Err(err(
                        &format!("json nested deeper than {MAX_DEPTH} levels"),
                        at,
                    ));
                }
                stack.push(if c == b'{' {
                    Frame::Object {
                        path,
                        key: None,
                        expect_key: true,
                    }
                } else {
                    Frame::Array { path, index: 0 }
                });
                at += 1;
            }
            b'"' => {
                let (value, end, exact) = string(text, at)?;
                out.push(Scalar {
                    path,
                    value,
                    span: at..end,
                    content: exact.then_some(at + 1..end - 1),
                });
                at = after_value(text, end, &mut stack, &mut done_root)?;
            }
            _ => {
                let end = text
                    .get(at..)
                    .and_then(|r| {
                        r.find(|ch: char| matches!(ch, ',' | '}' | ']' | '/') || ch.is_whitespace())
                    })
                    .map_or(text.len(), |n| at + n);
                let token = text.get(at..end).unwrap_or("");
                let valid = matches!(token, "true" | "false" | "null")
                    || (!token.is_empty() && token.parse::<f64>().is_ok());
                if !valid {
                    return Err(err("unexpected character in json", at));
                }
                out.push(Scalar {
                    path,
                    value: token.to_string(),
                    span: at..end,
                    content: Some(at..end),
                });
                at = after_value(text, end, &mut stack, &mut done_root)?;
            }
        }
    }
}

/// The configuration path of the value about to be read.
fn value_path(stack: &[Frame]) -> String {
    match stack.last() {
        None => String::new(),
        Some(Frame::Object { path, key, .. }) => join(path, key.as_deref().unwrap_or("")),
        Some(Frame::Array { path, index }) => join(path, &index.to_string()),
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}:{key}")
    }
}

/// After a value: a `,` (optional before a closing bracket) or the end.
fn after_value(
    text: &str,
    at: usize,
    stack: &mut [Frame],
    done_root: &mut bool,
) -> Result<usize, Error> {
    let at = skip_blank(text, at)?;
    let bytes = text.as_bytes();
    match stack.last_mut() {
        None => {
            *done_root = true;
            Ok(at)
        }
        Some(frame) => {
            let close = match frame {
                Frame::Object { .. } => b'}',
                Frame::Array { .. } => b']',
            };
            match bytes.get(at) {
                Some(b',') => {
                    match frame {
                        Frame::Object { expect_key, .. } => *expect_key = true,
                        Frame::Array { index, .. } => *index += 1,
                    }
                    Ok(at + 1)
                }
                Some(c) if *c == close => {
                    if let Frame::Object { expect_key, .. } = frame {
                        *expect_key = true;
                    }
                    Ok(at)
                }
                _ => Err(err("expected `,` or a closing bracket", at)),
            }
        }
    }
}

/// Skips blanks and comments.
fn skip_blank(text: &str, mut at: usize) -> Result<usize, Error> {
    loop {
        let rest = text.get(at..).unwrap_or("");
        let trimmed = rest.trim_start();
        at += rest.len() - trimmed.len();
        if trimmed.starts_with("//") {
            at += trimmed.find('\n').unwrap_or(trimmed.len());
        } else if let Some(body) = trimmed.strip_prefix("/*") {
            let end = body
                .find("*/")
                .ok_or_else(|| err("unterminated comment", at))?;
            at += 2 + end + 2;
        } else {
            return Ok(at);
        }
    }
}

/// A string starting at `at` (a `"`): its value, the offset after the
/// closing quote, and whether it has no escapes.
fn string(text: &str, at: usize) -> Result<(String, usize, bool), Error> {
    let body = text
        .get(at + 1..)
        .ok_or_else(|| err("unterminated string", at))?;
    let mut value = String::new();
    let mut exact = true;
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Ok((value, at + 1 + i + 1, exact)),
            '\\' => {
                exact = false;
                match chars.next().map(|(_, e)| e) {
                    Some('n') => value.push('\n'),
                    Some('t') => value.push('\t'),
                    Some('r') => value.push('\r'),
                    Some('b') => value.push('\u{8}'),
                    Some('f') => value.push('\u{c}'),
                    Some('u') => {
                        let hex: String = chars.by_ref().take(4).map(|(_, h)| h).collect();
                        let decoded = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32);
                        value.push(decoded.unwrap_or('\u{fffd}'));
                    }
                    Some(other) => value.push(other),
                    None => break,
                }
            }
            '\n' => return Err(err("unterminated string", at)),
            _ => value.push(c),
        }
    }
    Err(err("unterminated string", at))
}

fn err(message: &str, at: usize) -> Error {
    Error {
        message: message.to_string(),
        at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flattens_with_spans() {
        let text = "{\n  // comment\n  \"Kestrel\": { \"Endpoints\": { \"Http\": { \"Url\": \"http://0.0.0.0:5000\" } } },\n  \"Urls\": [\"a\", 1,],\n  /* x */ \"On\": true,\n}\n";
        let (scalars, error) = read(text);
        assert!(error.is_none(), "{error:?}");
        let rows: Vec<(&str, &str, &str)> = scalars
            .iter()
            .map(|s| {
                (
                    s.path.as_str(),
                    s.value.as_str(),
                    text.get(s.span.clone()).unwrap_or("?"),
                )
            })
            .collect();
        assert_eq!(
            rows,
            vec![
                (
                    "Kestrel:Endpoints:Http:Url",
                    "http://0.0.0.0:5000",
                    "\"http://0.0.0.0:5000\""
                ),
                ("Urls:0", "a", "\"a\""),
                ("Urls:1", "1", "1"),
                ("On", "true", "true"),
            ]
        );
    }

    #[test]
    fn errors_keep_what_came_before() {
        let (scalars, error) = read("{\"a\": \"x\", \"b\": tru }");
        assert_eq!(scalars.len(), 1);
        assert_eq!(error.map(|e| e.at), Some(16));
        for bad in [
            "",
            "{",
            "[",
            "\"",
            "{\"a\"",
            "{\"a\":",
            "/*",
            "{\"a\":\"\\u12",
            "}",
            "]",
            "{}{}",
            "{\"é\":é}",
        ] {
            let _ = read(bad);
        }
        let deep = "[".repeat(100_000);
        assert!(read(&deep).1.is_some());
    }
}
