//! Escaping of repository-derived text for the sinks that print it.
//!
//! The notation, shared by the human report, `graph` and error messages:
//! a C0 control character or DEL is shown `\xHH`, a C1 control character or
//! a bidirectional-formatting character (which can reorder what a reader
//! sees) `\u{HHHH}`. So an escape sequence (ESC, OSC, CSI, C1) never reaches
//! a terminal raw, and a value holding a newline cannot start a line.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether `c` is shown escaped.
pub fn needs_escape(c: char) -> bool {
    c.is_control() || is_bidi(c)
}

/// Bidirectional overrides, embeddings, isolates and marks.
fn is_bidi(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn push_escaped(out: &mut String, c: char) {
    if (c as u32) < 0x80 {
        let _ = write!(out, "\\x{:02x}", c as u32);
    } else {
        let _ = write!(out, "\\u{{{:x}}}", c as u32);
    }
}

/// `s` with every control and bidi character made visible.
pub fn terminal(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if needs_escape(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `s` with every control and bidi character made visible except the
/// layout of a whole text: newline and tab.
pub fn visible_except_layout(s: &str) -> Cow<'_, str> {
    let hidden = |c: char| needs_escape(c) && c != '\n' && c != '\t';
    if !s.chars().any(hidden) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if hidden(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A source file's text for a snippet: control characters made visible
/// except the line structure (`\n`, `\t`, and `\r` before `\n`), with the
/// map from byte offsets in the original to offsets in the escaped text.
pub struct ShownSource {
    pub text: String,
    /// (original offset just past an escaped character, bytes added so far).
    shifts: Vec<(usize, usize)>,
}

impl ShownSource {
    pub fn new(original: &str) -> Self {
        let keep = |i: usize, c: char| {
            c == '\n' || c == '\t' || (c == '\r' && original.as_bytes().get(i + 1) == Some(&b'\n'))
        };
        if !original
            .char_indices()
            .any(|(i, c)| needs_escape(c) && !keep(i, c))
        {
            return ShownSource {
                text: original.to_string(),
                shifts: Vec::new(),
            };
        }
        let mut text = String::with_capacity(original.len() + 16);
        let mut shifts = Vec::new();
        for (i, c) in original.char_indices() {
            if needs_escape(c) && !keep(i, c) {
                push_escaped(&mut text, c);
                let end = i + c.len_utf8();
                shifts.push((end, text.len() - end));
            } else {
                text.push(c);
            }
        }
        ShownSource { text, shifts }
    }

    /// The offset in `text` of the original's byte offset `at`.
    pub fn map(&self, at: usize) -> usize {
        let i = self.shifts.partition_point(|&(end, _)| end <= at);
        let added = i
            .checked_sub(1)
            .and_then(|i| self.shifts.get(i))
            .map_or(0, |s| s.1);
        at + added
    }
}

/// Line-based outputs read by CI logs: no line may look like a workflow
/// command. A line whose first non-blank characters are `::` (GitHub's
/// command syntax, whitespace allowed before it) gets its first `:` shown
/// `\x3a`; `##[` (the older syntax, matched anywhere in a line) becomes
/// `#\x23[`. `allowed` tells the lines that are the format's own commands.
pub fn defuse_lines(text: &str, allowed: impl Fn(&str) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if allowed(line) {
            out.push_str(line);
            continue;
        }
        let trimmed = line.trim_start();
        let line: Cow<'_, str> = if trimmed.starts_with("::") {
            let blank = line.len() - trimmed.len();
            Cow::Owned(format!("{}\\x3a{}", &line[..blank], &trimmed[1..]))
        } else {
            Cow::Borrowed(line)
        };
        out.push_str(&line.replace("##[", "#\\x23["));
    }
    out
}

/// `s` for HTML text or a quoted attribute value: control and bidi
/// characters made visible as `terminal` shows them, then `& < > " '`
/// written as character references. `:` and `[` are references too, so no
/// line of an HTML file (a CI log may print it) reads as a workflow command
/// (`::error::`, `##[`); a browser shows them unchanged.
pub fn html(s: &str) -> Cow<'_, str> {
    let special = |c: char| matches!(c, '&' | '<' | '>' | '"' | '\'' | ':' | '[');
    if !s.chars().any(|c| special(c) || needs_escape(c)) {
        return Cow::Borrowed(s);
    }
    let visible = terminal(s);
    let mut out = String::with_capacity(visible.len() + 16);
    for c in visible.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            ':' => out.push_str("&#58;"),
            '[' => out.push_str("&#91;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Whether `text` holds a raw control or bidi character other than the
/// newline and the tab: what no output of seamcheck may hold (tests).
pub fn has_raw_control(text: &str) -> bool {
    text.chars()
        .any(|c| needs_escape(c) && !matches!(c, '\n' | '\t'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_escapes_are_visible() {
        assert_eq!(terminal("a\u{1b}]0;x\u{7}b"), "a\\x1b]0;x\\x07b");
        assert_eq!(terminal("x\n::error::y"), "x\\x0a::error::y");
        assert_eq!(terminal("\u{9b}31m\u{202e}"), "\\u{9b}31m\\u{202e}");
        assert_eq!(terminal("plain"), "plain");
    }

    #[test]
    fn shown_source_maps_offsets() {
        let s = ShownSource::new("ab\u{1b}cd\r\nef\u{85}g");
        assert_eq!(s.text, "ab\\x1bcd\r\nef\\u{85}g");
        assert_eq!(s.map(0), 0);
        assert_eq!(s.map(2), 2);
        assert_eq!(s.map(3), 6);
        assert_eq!(s.map(4), 7);
        let g = "ab\u{1b}cd\r\nef\u{85}".len();
        assert_eq!(&s.text[s.map(g)..], "g");
    }

    #[test]
    fn html_escapes_markup_quotes_and_controls() {
        assert_eq!(
            html("<script>alert('x\"&')</script>"),
            "&lt;script&gt;alert(&#39;x&quot;&amp;&#39;)&lt;/script&gt;"
        );
        assert_eq!(html("a\u{1b}[31m\u{202e}b"), "a\\x1b&#91;31m\\u{202e}b");
        assert_eq!(
            html("::error::x ##[y"),
            "&#58;&#58;error&#58;&#58;x ##&#91;y"
        );
        assert_eq!(html("plain text 8080"), "plain text 8080");
    }

    #[test]
    fn no_line_starts_a_workflow_command() {
        let out = defuse_lines("  ::error::x\nok ##[error]y\n::notice::ours\n", |l| {
            l.starts_with("::notice::ours")
        });
        assert_eq!(out, "  \\x3a:error::x\nok #\\x23[error]y\n::notice::ours\n");
    }
}
