//! Splits a Dockerfile into logical instructions before any parsing, so that
//! one malformed instruction costs only itself: each piece is then parsed on
//! its own (see `parse`). Follows BuildKit's rules: parser directives at the
//! top, comment and blank lines between instructions, line continuations with
//! the escape character (comment and blank lines inside a continued
//! instruction are dropped), and here-documents after RUN/COPY/ADD.

use std::ops::Range;

/// One logical instruction, located in the file.
#[derive(Debug, Clone)]
pub struct RawInstruction {
    /// The keyword as written (`run`, `FOO`).
    pub keyword: String,
    pub keyword_span: Range<usize>,
    /// From the keyword to the end of the instruction's own lines (heredoc
    /// bodies excluded), trailing blanks excluded.
    pub command: Range<usize>,
    /// The whole instruction, heredoc bodies and terminators included.
    pub span: Range<usize>,
    pub heredocs: Vec<Heredoc>,
}

impl RawInstruction {
    pub fn keyword_upper(&self) -> String {
        self.keyword.to_ascii_uppercase()
    }
}

#[derive(Debug, Clone)]
pub struct Heredoc {
    pub delimiter: String,
    /// The body lines (without the terminator line).
    pub body: Range<usize>,
    /// `false` when the file ended before the delimiter line.
    pub terminated: bool,
}

const BOM: &str = "\u{feff}";

/// The escape character chosen by a `# escape=` parser directive (`\\` when
/// absent or invalid). Directives are only read in the comment lines at the
/// very top.
pub fn escape_directive(text: &str) -> char {
    match escape_directive_value(text) {
        Some((_, "`")) => '`',
        _ => '\\',
    }
}

/// An `# escape=` directive whose value is neither `\\` nor a backquote:
/// BuildKit refuses the file ("invalid escape token"). The value's span.
pub fn invalid_escape_directive(text: &str) -> Option<(Range<usize>, &str)> {
    match escape_directive_value(text)? {
        (_, "`" | "\\") => None,
        found => Some(found),
    }
}

/// The value of the last `# escape=` parser directive and its byte span.
fn escape_directive_value(text: &str) -> Option<(Range<usize>, &str)> {
    let offset = if text.starts_with(BOM) { BOM.len() } else { 0 };
    let mut found = None;
    let mut line_start = offset;
    for line in text.get(offset..).unwrap_or("").split('\n') {
        let here = line_start;
        line_start += line.len() + 1;
        let Some(rest) = line.trim_start_matches([' ', '\t']).strip_prefix('#') else {
            break;
        };
        let Some((key, value)) = rest.split_once('=') else {
            break;
        };
        let key = key.trim();
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphabetic()) {
            break;
        }
        if key.eq_ignore_ascii_case("escape") {
            let value_start = here + (line.len() - value.len());
            let trimmed = value.trim();
            let lead = value.len() - value.trim_start().len();
            let start = value_start + lead;
            found = Some((start..start + trimmed.len(), trimmed));
        }
    }
    found
}

/// A line of the file: `start..end` without its newline (nor a `\r` before it).
#[derive(Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
    /// Start of the next line (past the newline).
    next: usize,
}

fn line_at(text: &str, start: usize) -> Option<Line> {
    let rest = text.get(start..)?;
    if rest.is_empty() {
        return None;
    }
    let (len, next) = match rest.find('\n') {
        Some(i) => (i, start + i + 1),
        None => (rest.len(), text.len()),
    };
    let raw = rest.get(..len).unwrap_or("");
    let len = raw.strip_suffix('\r').map_or(len, str::len);
    Some(Line {
        start,
        end: start + len,
        next,
    })
}

fn line_text(text: &str, line: Line) -> &str {
    text.get(line.start..line.end).unwrap_or("")
}

fn is_blank_or_comment(s: &str) -> bool {
    let t = s.trim_start_matches([' ', '\t']);
    t.trim().is_empty() || t.starts_with('#')
}

/// The line continues on the next one: its last non-blank character is the
/// escape character (BuildKit's `\\[ \t]*$`).
fn continues(s: &str, escape: char) -> bool {
    s.trim_end_matches([' ', '\t']).ends_with(escape)
}

pub fn split(text: &str, escape: char) -> Vec<RawInstruction> {
    let mut out = Vec::new();
    let mut pos = if text.starts_with(BOM) { BOM.len() } else { 0 };
    while let Some(line) = line_at(text, pos) {
        let s = line_text(text, line);
        if is_blank_or_comment(s) {
            pos = line.next;
            continue;
        }
        let start = line.start + (s.len() - s.trim_start_matches([' ', '\t']).len());
        let mut last = line;
        let mut next = line.next;
        while continues(line_text(text, last), escape) {
            // Blank and comment lines inside a continuation are skipped.
            let mut content = None;
            while let Some(l) = line_at(text, next) {
                next = l.next;
                if !is_blank_or_comment(line_text(text, l)) {
                    content = Some(l);
                    break;
                }
            }
            match content {
                Some(l) => last = l,
                None => break,
            }
        }
        let last_text = line_text(text, last);
        let command_end = last.start + last_text.trim_end_matches([' ', '\t']).len();
        let command = start..command_end.max(start);
        let (keyword, keyword_span) = keyword(text, start, escape);
        let mut inst = RawInstruction {
            keyword,
            keyword_span,
            command: command.clone(),
            span: command.clone(),
            heredocs: Vec::new(),
        };
        pos = last.next;
        if matches!(inst.keyword_upper().as_str(), "RUN" | "COPY" | "ADD") {
            let after_keyword = inst.keyword_span.end..command.end;
            for marker in heredoc_markers(text.get(after_keyword).unwrap_or("")) {
                let (heredoc, resume) = heredoc_body(text, pos, &marker);
                inst.span.end = if heredoc.terminated {
                    line_at(text, heredoc.body.end).map_or(text.len(), |l| l.end)
                } else {
                    heredoc.body.end
                };
                pos = resume;
                inst.heredocs.push(heredoc);
            }
        }
        out.push(inst);
        // Never loop in place, whatever the input.
        if pos <= start {
            pos = line.next.max(start + 1);
        }
    }
    out
}

/// The first word of an instruction, cut before blanks and before an escape
/// character that continues the line (`RUN\`).
fn keyword(text: &str, start: usize, escape: char) -> (String, Range<usize>) {
    let rest = text.get(start..).unwrap_or("");
    let len = rest
        .find(|c: char| c.is_whitespace() || c == escape)
        .unwrap_or(rest.len());
    let word = rest.get(..len).unwrap_or("");
    (word.to_string(), start..start + len)
}

struct Marker {
    delimiter: String,
    strip_tabs: bool,
}

/// Here-document markers of a command line, in order: words `<<EOF`,
/// `<<-EOF`, `<<"EOF"`, `2<<EOF`, outside quotes; `<<<` is a here-string.
fn heredoc_markers(command: &str) -> Vec<Marker> {
    let mut out = Vec::new();
    for word in raw_words(command) {
        let w = word.trim_start_matches(|c: char| c.is_ascii_digit());
        let Some(rest) = w.strip_prefix("<<") else {
            continue;
        };
        if rest.starts_with('<') {
            continue;
        }
        let (strip_tabs, rest) = match rest.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, rest),
        };
        let delimiter = heredoc_name(rest);
        if !delimiter.is_empty() {
            out.push(Marker {
                delimiter,
                strip_tabs,
            });
        }
    }
    out
}

/// The name of a here-document as BuildKit reads it: the word after `<<`
/// through BuildKit's shell lexer (escape `\\` whatever the `# escape=`
/// directive), so quotes are removed and `\\'` is a `'` (`<<eo\\'f` ends
/// at a line `eo'f`). The word ends at a shell operator.
fn heredoc_name(word: &str) -> String {
    let mut name = String::new();
    let mut quote = None;
    let mut chars = word.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') => match chars.next() {
                Some(n @ ('"' | '\\' | '$' | '`')) => name.push(n),
                Some(n) => {
                    name.push('\\');
                    name.push(n);
                }
                None => name.push('\\'),
            },
            (Some(_), c) => name.push(c),
            (None, '"' | '\'') => quote = Some(c),
            (None, '\\') => name.extend(chars.next()),
            (None, '>' | ';' | '|' | '&' | ')' | '<') => break,
            (None, c) => name.push(c),
        }
    }
    name
}

/// Blank-separated words with quotes kept, so `"a <<b"` is not a marker; a
/// backslash outside single quotes escapes the next character.
fn raw_words(s: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut quote = None;
    let mut start = None;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        if c == '\\' && quote != Some('\'') {
            escaped = true;
            start.get_or_insert(i);
            continue;
        }
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c.is_whitespace() => {
                if let Some(st) = start.take() {
                    words.extend(s.get(st..i));
                }
            }
            None => {
                if c == '"' || c == '\'' {
                    quote = Some(c);
                }
                start.get_or_insert(i);
            }
        }
    }
    if let Some(st) = start {
        words.extend(s.get(st..));
    }
    words
}

/// The body of one here-document starting at `pos`, and where the next
/// thing starts. The terminator is a line equal to the delimiter (after
/// leading tabs with `<<-`).
fn heredoc_body(text: &str, pos: usize, marker: &Marker) -> (Heredoc, usize) {
    let mut at = pos;
    while let Some(line) = line_at(text, at) {
        let mut s = line_text(text, line);
        if marker.strip_tabs {
            s = s.trim_start_matches('\t');
        }
        if s == marker.delimiter {
            let heredoc = Heredoc {
                delimiter: marker.delimiter.clone(),
                body: pos..line.start,
                terminated: true,
            };
            return (heredoc, line.next);
        }
        at = line.next;
    }
    let heredoc = Heredoc {
        delimiter: marker.delimiter.clone(),
        body: pos.min(text.len())..text.len(),
        terminated: false,
    };
    (heredoc, text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keywords(text: &str) -> Vec<String> {
        split(text, escape_directive(text))
            .into_iter()
            .map(|i| i.keyword)
            .collect()
    }

    #[test]
    fn comments_blank_lines_and_continuations() {
        let text = "# c\nFROM a\n\n  run apt-get update && \\\n  # inner comment\n\n  apt-get install -y x\nCMD [\"x\"]\n";
        let insts = split(text, '\\');
        assert_eq!(keywords(text), vec!["FROM", "run", "CMD"]);
        let run = &insts[1];
        assert_eq!(
            text.get(run.command.clone())
                .map(|s| s.ends_with("install -y x")),
            Some(true)
        );
        assert_eq!(run.keyword_span, 14..17);
    }

    #[test]
    fn escape_directive_changes_the_continuation() {
        let text = "# escape=`\nFROM a\nRUN dir c:\\ `\n  && echo\nWORKDIR c:\\app\n";
        assert_eq!(escape_directive(text), '`');
        assert_eq!(keywords(text), vec!["FROM", "RUN", "WORKDIR"]);
        // Not a directive once an instruction was seen.
        assert_eq!(escape_directive("FROM a\n# escape=`\n"), '\\');
    }

    #[test]
    fn an_invalid_escape_directive_is_found() {
        let text = "# escape=x\nFROM a\n";
        assert_eq!(invalid_escape_directive(text), Some((9..10, "x")));
        assert_eq!(escape_directive(text), '\\');
        assert_eq!(invalid_escape_directive("# escape=`\nFROM a\n"), None);
        assert_eq!(invalid_escape_directive("FROM a\n# escape=x\n"), None);
    }

    #[test]
    fn heredocs_belong_to_their_instruction() {
        let text = "FROM a\nRUN <<EOF\nFROM b\nEOF\nRUN cat <<-'X' >/f && cat <<Y\n\tbody\n\tX\ny\nY\nCMD x\n";
        let insts = split(text, '\\');
        assert_eq!(keywords(text), vec!["FROM", "RUN", "RUN", "CMD"]);
        let first = &insts[1];
        assert_eq!(first.heredocs.len(), 1);
        assert_eq!(text.get(first.heredocs[0].body.clone()), Some("FROM b\n"));
        assert_eq!(text.get(first.span.clone()), Some("RUN <<EOF\nFROM b\nEOF"));
        let second = &insts[2];
        let delims: Vec<&str> = second
            .heredocs
            .iter()
            .map(|h| h.delimiter.as_str())
            .collect();
        assert_eq!(delims, vec!["X", "Y"]);
        assert_eq!(text.get(second.heredocs[1].body.clone()), Some("y\n"));
    }

    #[test]
    fn heredoc_names_are_read_by_the_shell_lexer() {
        assert_eq!(heredoc_name("eo\\'f"), "eo'f");
        assert_eq!(heredoc_name("\"EOF\""), "EOF");
        assert_eq!(heredoc_name("'E'OF>out"), "EOF");
        assert_eq!(heredoc_name("\"a\\\"b\""), "a\"b");
        let text = "FROM a\nRUN <<eo\\'f\necho hi\neo'f\nCMD x\n";
        assert_eq!(keywords(text), vec!["FROM", "RUN", "CMD"]);
        let insts = split(text, '\\');
        assert!(insts[1].heredocs[0].terminated);
    }

    #[test]
    fn unterminated_heredoc_runs_to_the_end() {
        let text = "FROM a\nRUN <<EOF\necho\n";
        let insts = split(text, '\\');
        assert_eq!(insts.len(), 2);
        assert!(!insts[1].heredocs[0].terminated);
        assert_eq!(insts[1].span.end, text.len());
    }

    #[test]
    fn here_strings_and_quoted_markers_are_not_heredocs() {
        let text = "FROM a\nRUN cat <<< hi\nRUN echo \"<<EOF\"\nCMD x\n";
        assert_eq!(keywords(text), vec!["FROM", "RUN", "RUN", "CMD"]);
    }

    #[test]
    fn odd_input_terminates() {
        for text in [
            "",
            "\\",
            "\n\n",
            "FROM a\\",
            "\u{feff}FROM a",
            "RUN <<",
            "a\r\nb\r\n",
            "é\\\n",
        ] {
            let _ = split(text, '\\');
        }
        assert_eq!(keywords("\u{feff}FROM a\r\nRUN x\r\n"), vec!["FROM", "RUN"]);
    }
}
