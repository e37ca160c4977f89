//! Words of Dockerfile arguments (ENV, ARG, EXPOSE, USER, WORKDIR, FROM,
//! COPY) and their evaluation the way BuildKit does it: quotes removed, the
//! escape character honoured, line continuations dropped, and `$VAR`,
//! `${VAR}`, `${VAR:-default}`, `${VAR:+alt}` substituted from the ARG/ENV
//! in scope. Works on the file text so every word keeps its span.

use std::ops::Range;
use std::rc::Rc;

/// Looks a variable up: `None` when no ARG/ENV in scope gives it a value.
/// Values are shared, not copied, per lookup.
pub type Lookup<'a> = &'a dyn Fn(&str) -> Option<Rc<str>>;

/// The value of a word after quote removal and substitution.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Evaluated {
    pub value: String,
    /// Variables referenced without a value in scope (they expand to nothing).
    pub unresolved: Vec<String>,
}

/// Bounds `${A:-${B:-${C…}}}` nesting.
const MAX_DEPTH: usize = 16;

/// Blank-separated raw words of `range` (quotes and escapes keep blanks inside
/// a word), as spans of the file.
pub fn split_raw(text: &str, range: Range<usize>, escape: char) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let Some(s) = text.get(range.clone()) else {
        return out;
    };
    let base = range.start;
    let mut chars = s.char_indices().peekable();
    let mut start: Option<usize> = None;
    let mut end = 0;
    let mut quote: Option<char> = None;
    while let Some((i, c)) = chars.next() {
        let next_i = chars.peek().map_or(s.len(), |&(j, _)| j);
        if c == escape {
            if let Some(skip) = continuation_len(s, next_i) {
                // A continuation separates nothing by itself.
                while chars.peek().is_some_and(|&(j, _)| j < next_i + skip) {
                    chars.next();
                }
                continue;
            }
            if quote != Some('\'') {
                start.get_or_insert(i);
                chars.next();
                end = chars.peek().map_or(s.len(), |&(j, _)| j);
                continue;
            }
        }
        match quote {
            Some(q) => {
                if c == q {
                    quote = None;
                }
                end = next_i;
            }
            None if c.is_whitespace() => {
                if let Some(st) = start.take() {
                    out.push(base + st..base + end);
                }
            }
            None => {
                if c == '"' || c == '\'' {
                    quote = Some(c);
                }
                start.get_or_insert(i);
                end = next_i;
            }
        }
    }
    if let Some(st) = start {
        out.push(base + st..base + end);
    }
    out
}

/// Length of a line continuation starting at `at` (just after an escape
/// character): blanks, a newline, then blank and comment lines.
fn continuation_len(s: &str, at: usize) -> Option<usize> {
    let rest = s.get(at..)?;
    let blanks = rest.len() - rest.trim_start_matches([' ', '\t', '\r']).len();
    let after = rest.get(blanks..)?;
    if !after.starts_with('\n') {
        return None;
    }
    let mut len = blanks + 1;
    loop {
        let line_rest = rest.get(len..).unwrap_or("");
        let Some(nl) = line_rest.find('\n') else {
            break;
        };
        let line = line_rest.get(..nl).unwrap_or("");
        let t = line.trim_start_matches([' ', '\t']);
        if t.trim().is_empty() || t.starts_with('#') {
            len += nl + 1;
        } else {
            break;
        }
    }
    Some(len)
}

/// Evaluates `range` as one word: blanks inside are kept (legacy
/// `ENV NAME some value`), quotes removed, variables substituted.
pub fn eval(text: &str, range: Range<usize>, escape: char, lookup: Lookup) -> Evaluated {
    let mut out = Evaluated::default();
    if let Some(s) = text.get(range) {
        eval_into(s, escape, lookup, 0, &mut out);
    }
    out
}

fn eval_into(s: &str, escape: char, lookup: Lookup, depth: usize, out: &mut Evaluated) {
    // Found once: searching for each `${` its `}` would be quadratic on
    // input like `${A:-${A:-${A:-…`.
    let braces = brace_matches(s);
    let mut chars = s.char_indices().peekable();
    let mut quote: Option<char> = None;
    while let Some((i, c)) = chars.next() {
        let next_i = chars.peek().map_or(s.len(), |&(j, _)| j);
        if c == escape && quote != Some('\'') {
            if let Some(skip) = continuation_len(s, next_i) {
                while chars.peek().is_some_and(|&(j, _)| j < next_i + skip) {
                    chars.next();
                }
                continue;
            }
            match chars.next() {
                // Inside double quotes only `"`, `$` and the escape itself are
                // escaped; elsewhere the escape is kept (`"C:\path"`).
                Some((_, n)) if quote.is_none() || matches!(n, '"' | '$') || n == escape => {
                    out.value.push(n)
                }
                Some((_, n)) => {
                    out.value.push(c);
                    out.value.push(n);
                }
                None => out.value.push(c),
            }
            continue;
        }
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (Some('\''), _) => out.value.push(c),
            (_, '$') => {
                let rest = s.get(i..).unwrap_or("");
                let close = braces.get(&(i + 1)).and_then(|c| c.checked_sub(i + 2));
                let consumed = substitute(rest, close, escape, lookup, depth, out);
                while chars.peek().is_some_and(|&(j, _)| j < i + consumed) {
                    chars.next();
                }
            }
            _ => out.value.push(c),
        }
    }
}

/// Substitutes the reference at the start of `s` (which starts with `$`) and
/// returns how many bytes it took. `close` is the offset of the `}` matching
/// a `{` right after the `$`, counted from after that `{`.
fn substitute(
    s: &str,
    close: Option<usize>,
    escape: char,
    lookup: Lookup,
    depth: usize,
    out: &mut Evaluated,
) -> usize {
    let after = s.get(1..).unwrap_or("");
    let name_len = var_name_len(after);
    if name_len > 0 {
        let name = after.get(..name_len).unwrap_or("");
        expand(name, lookup, out);
        return 1 + name_len;
    }
    let Some(inner_start) = after.strip_prefix('{') else {
        out.value.push('$');
        return 1;
    };
    let Some(close) = close else {
        // `${` never closed: literal text, as BuildKit would fail on it.
        out.value.push('$');
        return 1;
    };
    let inner = inner_start.get(..close).unwrap_or("");
    let consumed = 2 + close + 1;
    let name_len = var_name_len(inner);
    let name = inner.get(..name_len).unwrap_or("");
    let op = inner.get(name_len..).unwrap_or("");
    if name.is_empty() || depth >= MAX_DEPTH {
        out.value.push_str(s.get(..consumed).unwrap_or(""));
        return consumed;
    }
    let value = lookup(name);
    let word = |w: &str, out: &mut Evaluated| eval_into(w, escape, lookup, depth + 1, out);
    if op.is_empty() {
        expand(name, lookup, out);
    } else if let Some(w) = op.strip_prefix(":-") {
        match value.filter(|v| !v.is_empty()) {
            Some(v) => out.value.push_str(&v),
            None => word(w, out),
        }
    } else if let Some(w) = op.strip_prefix('-') {
        match value {
            Some(v) => out.value.push_str(&v),
            None => word(w, out),
        }
    } else if let Some(w) = op.strip_prefix(":+") {
        if value.is_some_and(|v| !v.is_empty()) {
            word(w, out);
        }
    } else if let Some(w) = op.strip_prefix('+') {
        if value.is_some() {
            word(w, out);
        }
    } else {
        // `${VAR:?msg}` and anything else: the variable itself.
        expand(name, lookup, out);
    }
    consumed
}

fn expand(name: &str, lookup: Lookup, out: &mut Evaluated) {
    match lookup(name) {
        Some(v) => out.value.push_str(&v),
        None => {
            if !out.unresolved.iter().any(|u| u == name) {
                out.unresolved.push(name.to_string());
            }
        }
    }
}

fn var_name_len(s: &str) -> usize {
    let mut len = 0;
    for (i, c) in s.char_indices() {
        let ok = c == '_' || c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit());
        if !ok {
            break;
        }
        len = i + c.len_utf8();
    }
    len
}

/// For every `{` of `s` that is closed, the offset of its `}`.
fn brace_matches(s: &str) -> std::collections::HashMap<usize, usize> {
    let mut open = Vec::new();
    let mut out = std::collections::HashMap::new();
    for (i, c) in s.char_indices() {
        match c {
            '{' => open.push(i),
            '}' => {
                if let Some(o) = open.pop() {
                    out.insert(o, i);
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(name: &str) -> Option<Rc<str>> {
        match name {
            "PORT" => Some("8080".into()),
            "EMPTY" => Some("".into()),
            "APP" => Some("web".into()),
            _ => None,
        }
    }

    fn ev(s: &str) -> Evaluated {
        eval(s, 0..s.len(), '\\', &vars)
    }

    #[test]
    fn substitution_forms() {
        assert_eq!(ev("$PORT").value, "8080");
        assert_eq!(ev("${PORT}/tcp").value, "8080/tcp");
        assert_eq!(ev("${NOPE:-9000}").value, "9000");
        assert_eq!(ev("${EMPTY:-1}").value, "1");
        assert_eq!(ev("${EMPTY-1}").value, "");
        assert_eq!(ev("${PORT:+on}").value, "on");
        assert_eq!(ev("${NOPE:+on}").value, "");
        assert_eq!(ev("${NOPE:-${PORT}}").value, "8080");
        assert_eq!(ev("$NOPE").unresolved, vec!["NOPE"]);
        assert_eq!(ev("${NOPE:-x}").unresolved, Vec::<String>::new());
        assert_eq!(ev("a$").value, "a$");
        assert_eq!(ev("${unclosed").value, "${unclosed");
    }

    #[test]
    fn quotes_and_escapes() {
        assert_eq!(ev("'$PORT'").value, "$PORT");
        assert_eq!(ev("\"$APP app\"").value, "web app");
        assert_eq!(ev("\\$PORT").value, "$PORT");
        assert_eq!(ev("\"C:\\dir\"").value, "C:\\dir");
        assert_eq!(eval("a`\n  b", 0..6, '`', &vars).value, "a  b");
    }

    #[test]
    fn raw_words_keep_quoted_blanks() {
        let s = "A=\"x y\" B=z\\ w \\\n  # c\n  C=1";
        let words: Vec<&str> = split_raw(s, 0..s.len(), '\\')
            .into_iter()
            .filter_map(|r| s.get(r))
            .collect();
        assert_eq!(words, vec!["A=\"x y\"", "B=z\\ w", "C=1"]);
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let s = "${A:-".repeat(10_000) + &"}".repeat(10_000);
        let _ = ev(&s);
    }
}
