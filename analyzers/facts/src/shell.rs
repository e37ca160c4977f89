//! Splits a shell command line into words, each with its location, the way a
//! POSIX shell does for simple commands: quotes removed, backslash escapes
//! honoured, no expansion. Used for shell-form CMD/ENTRYPOINT/RUN and for
//! `sh -c "…"` inside exec-form commands.
//!
//! Expansions (`$VAR`, `${VAR:-x}`, `$(cmd)`, `` `cmd` ``) are kept verbatim in
//! the word: resolving them depends on the deployment context, which is the
//! linker's job.

use crate::{LineIndex, Located, Location};
use std::ops::Range;

/// Words that separate commands or redirect, emitted as their own words.
/// An unquoted newline is emitted as `;` (it ends a command the same way).
pub const OPERATORS: &[&str] = &[
    "&&", "||", ";;", ";", "|&", "|", "&", ">>", ">&", ">|", ">", "<<", "<&", "<", "(", ")",
];

/// Operators that end one command and start the next (`a && b`, `a; b`).
pub fn is_command_separator(word: &str) -> bool {
    matches!(word, "&&" | "||" | ";" | ";;" | "|" | "|&" | "&")
}

/// Splits `text`, which starts at byte `base` of the file indexed by `index`.
/// Operators (`&&`, `;`, `|`) end up as their own words.
pub fn split_words(text: &str, base: usize, index: &LineIndex) -> Vec<Located<String>> {
    Lexer::new(text, None).run(base, index)
}

/// Like [`split_words`] for the shell form of a Dockerfile instruction, where
/// the Dockerfile parser runs before the shell: `escape` followed by a newline
/// is a line continuation that disappears, and comment lines inside a
/// continued instruction are dropped (as BuildKit does).
pub fn split_dockerfile_words(
    text: &str,
    base: usize,
    index: &LineIndex,
    escape: char,
) -> Vec<Located<String>> {
    Lexer::new(text, Some(escape)).run(base, index)
}

/// Splits the value of one argument that is itself a script (`sh -c "…"`),
/// when only its location is known, not the text of its file. A word gets its
/// exact location when the argument's span maps one-to-one onto its value (see
/// [`sub_location`]); otherwise it gets the location of the whole argument.
pub fn split_located(arg: &Located<String>) -> Vec<Located<String>> {
    let index = LineIndex::new(arg.loc.path.clone(), &arg.value);
    Lexer::new(&arg.value, None)
        .run(0, &index)
        .into_iter()
        .map(|w| {
            let range = w.loc.span.start..w.loc.span.end;
            let loc = sub_location(arg, range).unwrap_or_else(|| arg.loc.clone());
            Located::new(w.value, loc)
        })
        .collect()
}

/// The location of `range` (byte offsets into `word.value`) inside the file,
/// derived from the word's own location. Only possible when the word is on one
/// line and its span is its value as written, bare (same length) or between
/// one pair of quotes (two bytes longer, as a JSON or YAML string without
/// escapes). Returns `None` otherwise, or when `range` is not inside the value.
///
/// This is a best-effort heuristic: a value that lost exactly two bytes to
/// escapes elsewhere than around it (`a\ \ b`) would be misplaced by one byte.
pub fn sub_location(word: &Located<String>, range: Range<usize>) -> Option<Location> {
    let value = &word.value;
    let loc = &word.loc;
    let raw_len = loc.span.end.checked_sub(loc.span.start)?;
    let offset = if raw_len == value.len() {
        0
    } else if raw_len == value.len().checked_add(2)? {
        1
    } else {
        return None;
    };
    if loc.line != loc.end_line || value.contains('\n') || range.start > range.end {
        return None;
    }
    let before = value.get(..range.start)?;
    let inside = value.get(range.clone())?;
    let start_col = loc.column as usize + offset + before.chars().count();
    let end_col = if inside.is_empty() {
        start_col
    } else {
        start_col + inside.chars().count() - 1
    };
    let start = loc.span.start + offset + range.start;
    let end = loc.span.start + offset + range.end;
    Some(Location {
        path: loc.path.clone(),
        span: crate::Span::new(start, end),
        line: loc.line,
        column: u32::try_from(start_col).ok()?,
        end_line: loc.line,
        end_column: u32::try_from(end_col).ok()?,
        via: loc.via.clone(),
    })
}

/// The word being built: where its raw text starts and ends, and its value.
struct Word {
    start: usize,
    end: usize,
    value: String,
}

struct Lexer<'a> {
    text: &'a str,
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    /// Dockerfile escape character when the text is a Dockerfile shell form.
    dockerfile_escape: Option<char>,
    words: Vec<(Range<usize>, String)>,
    current: Option<Word>,
}

impl<'a> Lexer<'a> {
    fn new(text: &'a str, dockerfile_escape: Option<char>) -> Self {
        Lexer {
            text,
            chars: text.char_indices().peekable(),
            dockerfile_escape,
            words: Vec::new(),
            current: None,
        }
    }

    fn run(mut self, base: usize, index: &LineIndex) -> Vec<Located<String>> {
        self.lex();
        self.words
            .into_iter()
            .map(|(range, value)| {
                let span = base.saturating_add(range.start)..base.saturating_add(range.end);
                index.located(value, span)
            })
            .collect()
    }

    fn push_char(&mut self, at: usize, c: char, raw_end: usize) {
        let word = self.current.get_or_insert(Word {
            start: at,
            end: at,
            value: String::new(),
        });
        word.value.push(c);
        word.end = raw_end;
    }

    /// Extends the raw end of the current word (quotes add no character but
    /// belong to the word: `""` is an empty word).
    fn touch(&mut self, at: usize, raw_end: usize) {
        let word = self.current.get_or_insert(Word {
            start: at,
            end: at,
            value: String::new(),
        });
        word.end = raw_end;
    }

    fn finish_word(&mut self) {
        if let Some(w) = self.current.take() {
            self.words.push((w.start..w.end, w.value));
        }
    }

    fn next_end(&mut self) -> usize {
        self.chars.peek().map_or(self.text.len(), |&(i, _)| i)
    }

    fn lex(&mut self) {
        while let Some((i, c)) = self.chars.next() {
            if self.dockerfile_continuation(c) {
                continue;
            }
            match c {
                ' ' | '\t' | '\r' => self.finish_word(),
                '\n' => {
                    self.finish_word();
                    self.words.push((i..i + 1, ";".to_string()));
                }
                '#' if self.current.is_none() => self.skip_to_line_end(),
                '\'' => self.single_quoted(i),
                '"' => self.double_quoted(i),
                '\\' => self.backslash(i),
                '$' => self.dollar(i),
                '`' => {
                    self.push_char(i, c, i + 1);
                    self.verbatim_until(i, '`');
                }
                '&' | '|' | ';' | '<' | '>' | '(' | ')' => self.operator(i, c),
                _ => {
                    let end = self.next_end();
                    self.push_char(i, c, end);
                }
            }
        }
        self.finish_word();
    }

    /// In a Dockerfile, `escape` + optional blanks + newline joins lines before
    /// the shell runs; comment and empty lines that follow are dropped.
    fn dockerfile_continuation(&mut self, c: char) -> bool {
        let Some(escape) = self.dockerfile_escape else {
            return false;
        };
        if c != escape {
            return false;
        }
        let rest_start = self.next_end();
        let rest = self.text.get(rest_start..).unwrap_or("");
        let blanks = rest.len() - rest.trim_start_matches([' ', '\t', '\r']).len();
        if !rest.get(blanks..).unwrap_or("").starts_with('\n') {
            return false;
        }
        // Consume the blanks and the newline.
        while let Some(&(_, n)) = self.chars.peek() {
            self.chars.next();
            if n == '\n' {
                break;
            }
        }
        self.skip_comment_lines();
        true
    }

    fn skip_comment_lines(&mut self) {
        loop {
            let start = self.next_end();
            let rest = self.text.get(start..).unwrap_or("");
            let line_end = rest.find('\n');
            let line = line_end.map_or(rest, |e| rest.get(..e).unwrap_or(""));
            let trimmed = line.trim_start_matches([' ', '\t']);
            let is_skippable =
                trimmed.starts_with('#') || (trimmed.trim().is_empty() && line_end.is_some());
            if !is_skippable || rest.is_empty() {
                return;
            }
            let stop = start + line_end.map_or(rest.len(), |e| e + 1);
            while let Some(&(i, _)) = self.chars.peek() {
                if i >= stop {
                    break;
                }
                self.chars.next();
            }
        }
    }

    fn skip_to_line_end(&mut self) {
        while let Some(&(_, c)) = self.chars.peek() {
            if c == '\n' {
                break;
            }
            self.chars.next();
        }
    }

    fn single_quoted(&mut self, open: usize) {
        self.touch(open, open + 1);
        while let Some((i, c)) = self.chars.next() {
            if c == '\'' {
                self.touch(open, i + 1);
                return;
            }
            let end = self.next_end();
            self.push_char(open, c, end);
        }
    }

    fn double_quoted(&mut self, open: usize) {
        self.touch(open, open + 1);
        while let Some((i, c)) = self.chars.next() {
            match c {
                '"' => {
                    self.touch(open, i + 1);
                    return;
                }
                '\\' => match self.chars.peek().copied() {
                    Some((_, '\n')) => {
                        self.chars.next();
                        let end = self.next_end();
                        self.touch(open, end);
                    }
                    Some((_, n @ ('$' | '`' | '"' | '\\'))) => {
                        self.chars.next();
                        let end = self.next_end();
                        self.push_char(open, n, end);
                    }
                    _ => {
                        let end = self.next_end();
                        self.push_char(open, c, end);
                    }
                },
                '$' => self.dollar(i),
                '`' => {
                    let end = self.next_end();
                    self.push_char(open, c, end);
                    self.verbatim_until(open, '`');
                }
                _ => {
                    let end = self.next_end();
                    self.push_char(open, c, end);
                }
            }
        }
    }

    fn backslash(&mut self, at: usize) {
        match self.chars.next() {
            // Line continuation: nothing, not even a word break.
            Some((_, '\n')) => {}
            Some((_, n)) => {
                let end = self.next_end();
                self.push_char(at, n, end);
            }
            None => self.push_char(at, '\\', at + 1),
        }
    }

    /// `$(…)` and `${…}` are kept whole in the word, nested parentheses and
    /// braces included, so their spaces do not split it.
    fn dollar(&mut self, at: usize) {
        let end = self.next_end();
        self.push_char(at, '$', end);
        let (open, close) = match self.chars.peek() {
            Some(&(_, '(')) => ('(', ')'),
            Some(&(_, '{')) => ('{', '}'),
            _ => return,
        };
        let mut depth = 0usize;
        while let Some((_, c)) = self.chars.next() {
            let end = self.next_end();
            self.push_char(at, c, end);
            if c == open {
                depth += 1;
            } else if c == close {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return;
                }
            }
        }
    }

    fn verbatim_until(&mut self, at: usize, close: char) {
        while let Some((_, c)) = self.chars.next() {
            let end = self.next_end();
            self.push_char(at, c, end);
            if c == close {
                return;
            }
        }
    }

    fn operator(&mut self, at: usize, c: char) {
        self.finish_word();
        let mut op = c.to_string();
        if let Some(&(_, n)) = self.chars.peek() {
            let two = format!("{c}{n}");
            if OPERATORS.contains(&two.as_str()) {
                op = two;
                self.chars.next();
            }
        }
        let end = at + op.len();
        self.words.push((at..end, op));
    }
}

/// The file name of a program path: `/usr/local/bin/gunicorn` -> `gunicorn`.
pub fn base_name(program: &str) -> &str {
    program.rsplit('/').next().unwrap_or(program)
}

/// A shell variable name: a letter or `_`, then letters, digits and `_`.
pub fn is_var_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<(String, usize, usize)> {
        let index = LineIndex::new("f", text);
        split_words(text, 0, &index)
            .into_iter()
            .map(|w| (w.value, w.loc.span.start, w.loc.span.end))
            .collect()
    }

    fn values(text: &str) -> Vec<String> {
        words(text).into_iter().map(|w| w.0).collect()
    }

    #[test]
    fn splits_on_blanks_and_keeps_spans() {
        assert_eq!(
            words("gunicorn  -b :8080 app:app"),
            vec![
                ("gunicorn".into(), 0, 8),
                ("-b".into(), 10, 12),
                (":8080".into(), 13, 18),
                ("app:app".into(), 19, 26)
            ]
        );
    }

    #[test]
    fn quotes_are_removed_and_belong_to_the_span() {
        assert_eq!(
            words(r#"echo "a b" 'c d' e"f"g"#),
            vec![
                ("echo".into(), 0, 4),
                ("a b".into(), 5, 10),
                ("c d".into(), 11, 16),
                ("efg".into(), 17, 22)
            ]
        );
        assert_eq!(
            words(r#"x """#),
            vec![("x".into(), 0, 1), ("".into(), 2, 4)]
        );
    }

    #[test]
    fn backslash_escapes_and_continuations() {
        assert_eq!(values(r"a\ b c"), vec!["a b", "c"]);
        assert_eq!(values("a \\\n  b"), vec!["a", "b"]);
        assert_eq!(values(r#""x\"y\$z\q""#), vec![r#"x"y$z\q"#]);
        assert_eq!(values("'it''s'"), vec!["its"]);
        assert_eq!(values("trailing\\"), vec!["trailing\\"]);
    }

    #[test]
    fn operators_are_words() {
        assert_eq!(
            values("a&&b || c;d|e & f >/dev/null 2>&1"),
            vec![
                "a",
                "&&",
                "b",
                "||",
                "c",
                ";",
                "d",
                "|",
                "e",
                "&",
                "f",
                ">",
                "/dev/null",
                "2",
                ">&",
                "1"
            ]
        );
        assert_eq!(values("a\nb"), vec!["a", ";", "b"]);
    }

    #[test]
    fn comments_only_at_word_start() {
        assert_eq!(values("a # b c\nd"), vec!["a", ";", "d"]);
        assert_eq!(values("a#b"), vec!["a#b"]);
    }

    #[test]
    fn expansions_stay_whole() {
        assert_eq!(
            values(r#"--bind 0.0.0.0:${PORT:-8 0} $(echo a b) `x y` "$(a "b")""#),
            vec![
                "--bind",
                "0.0.0.0:${PORT:-8 0}",
                "$(echo a b)",
                "`x y`",
                r#"$(a "b")"#
            ]
        );
    }

    #[test]
    fn unterminated_input_never_panics() {
        for text in [
            "'abc", "\"abc", "${abc", "$(a", "`a", "\\", "é'ü", "\"\\", "&", "((((", "$",
        ] {
            let _ = values(text);
        }
        let deep = "$(".repeat(100_000);
        assert_eq!(values(&deep).len(), 1);
    }

    #[test]
    fn base_offset_and_line_column() {
        let file = "CMD gunicorn \\\n    -b 0.0.0.0:8080 app:app\n";
        let index = LineIndex::new("Dockerfile", file);
        let text = file.get(4..file.len() - 1).unwrap_or("");
        let w = split_words(text, 4, &index);
        let bind = &w[2];
        assert_eq!(bind.value, "0.0.0.0:8080");
        assert_eq!(
            (bind.loc.line, bind.loc.column, bind.loc.end_column),
            (2, 8, 19)
        );
    }

    #[test]
    fn dockerfile_continuations_and_comment_lines() {
        let file = "apt-get update && `\n  # a comment\n\n  apt-get install -y curl";
        let index = LineIndex::new("Dockerfile", file);
        let v: Vec<String> = split_dockerfile_words(file, 0, &index, '`')
            .into_iter()
            .map(|w| w.value)
            .collect();
        assert_eq!(
            v,
            vec!["apt-get", "update", "&&", "apt-get", "install", "-y", "curl"]
        );
    }

    #[test]
    fn sub_location_of_a_quoted_and_a_bare_word() {
        let file = r#"CMD ["gunicorn", "-b", "0.0.0.0:8080"]"#;
        let index = LineIndex::new("Dockerfile", file);
        // A JSON string's span without its quotes.
        let w = index.located("0.0.0.0:8080".to_string(), 24..36);
        let port = sub_location(&w, 8..12).map(|l| (l.span.start, l.column, l.end_column));
        assert_eq!(port, Some((32, 33, 36)));
        // With its quotes.
        let w = index.located("0.0.0.0:8080".to_string(), 23..37);
        let port = sub_location(&w, 8..12).map(|l| l.span.start);
        assert_eq!(port, Some(32));
        // An escaped value cannot be mapped.
        let w = index.located("ab".to_string(), 0..5);
        assert_eq!(sub_location(&w, 0..1), None);
        assert_eq!(sub_location(&w, 5..9), None);
    }

    #[test]
    fn split_located_maps_words_of_a_script() {
        let file = r#"CMD ["sh", "-c", "exec gunicorn -b :$PORT app"]"#;
        let index = LineIndex::new("Dockerfile", file);
        let arg = index.located("exec gunicorn -b :$PORT app".to_string(), 18..45);
        let w = split_located(&arg);
        assert_eq!(w.len(), 5);
        let bind = &w[3];
        assert_eq!(bind.value, ":$PORT");
        assert_eq!(
            file.get(bind.loc.span.start..bind.loc.span.end),
            Some(":$PORT")
        );
        // Escaped script: every word falls back to the argument's location.
        let arg = index.located("a b".to_string(), 18..45);
        assert!(split_located(&arg).iter().all(|w| w.loc == arg.loc));
    }
}
