//! nginx configuration tokens: words (bare or quoted), `;`, `{`, `}`.
//! Comments (`#` at the start of a token) are skipped. Mirrors the rules of
//! nginx's own `ngx_conf_read_token`, including `${var}` inside a word.

use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenKind {
    /// A word with quotes removed and escapes decoded.
    Word(String),
    Semicolon,
    Open,
    Close,
}

#[derive(Debug, Clone)]
pub struct Token {
    pub kind: TokenKind,
    /// The token as written, quotes included.
    pub span: Range<usize>,
    /// For a quoted word, the span of its contents; otherwise `span`.
    pub inner: Range<usize>,
}

/// A lexical error: where, and what.
#[derive(Debug, Clone)]
pub struct LexError {
    pub at: Range<usize>,
    pub message: String,
}

pub fn tokenize(text: &str) -> (Vec<Token>, Option<LexError>) {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '#' => while chars.next_if(|&(_, c)| c != '\n').is_some() {},
            ';' | '{' | '}' => {
                chars.next();
                let kind = match c {
                    ';' => TokenKind::Semicolon,
                    '{' => TokenKind::Open,
                    _ => TokenKind::Close,
                };
                tokens.push(Token {
                    kind,
                    span: start..start + 1,
                    inner: start..start + 1,
                });
            }
            '"' | '\'' => {
                chars.next();
                let mut value = String::new();
                let mut end = None;
                while let Some((i, ch)) = chars.next() {
                    if ch == '\\' {
                        if let Some((_, escaped)) = chars.next() {
                            // nginx keeps the backslash except before a quote or backslash.
                            if escaped != c && escaped != '\\' {
                                value.push('\\');
                            }
                            value.push(escaped);
                        }
                    } else if ch == c {
                        end = Some(i);
                        break;
                    } else {
                        value.push(ch);
                    }
                }
                let Some(end) = end else {
                    return (
                        tokens,
                        Some(LexError {
                            at: start..start + 1,
                            message: format!("unterminated string starting with `{c}`"),
                        }),
                    );
                };
                tokens.push(Token {
                    kind: TokenKind::Word(value),
                    span: start..end + 1,
                    inner: start + 1..end,
                });
            }
            _ => {
                let mut end = start;
                let mut in_variable_braces = false;
                let mut previous = '\0';
                while let Some(&(i, ch)) = chars.peek() {
                    let ends_word = !in_variable_braces
                        && (ch.is_whitespace()
                            || matches!(ch, ';' | '}')
                            || (ch == '{' && previous != '$'));
                    if ends_word {
                        break;
                    }
                    if ch == '{' && previous == '$' {
                        in_variable_braces = true;
                    } else if ch == '}' && in_variable_braces {
                        in_variable_braces = false;
                    }
                    previous = ch;
                    end = i + ch.len_utf8();
                    chars.next();
                }
                let word = text.get(start..end).unwrap_or("").to_string();
                tokens.push(Token {
                    kind: TokenKind::Word(word),
                    span: start..end,
                    inner: start..end,
                });
            }
        }
    }
    (tokens, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        tokenize(text)
            .0
            .into_iter()
            .map(|t| match t.kind {
                TokenKind::Word(w) => w,
                TokenKind::Semicolon => ";".into(),
                TokenKind::Open => "{".into(),
                TokenKind::Close => "}".into(),
            })
            .collect()
    }

    #[test]
    fn words_quotes_comments_and_variables() {
        assert_eq!(
            words("listen 80; # listen 81;\nreturn 200 \"a;b\";"),
            ["listen", "80", ";", "return", "200", "a;b", ";"]
        );
        assert_eq!(words("listen ${PORT};"), ["listen", "${PORT}", ";"]);
        assert_eq!(
            words("server{listen 1;}"),
            ["server", "{", "listen", "1", ";", "}"]
        );
        assert_eq!(
            words(r#"return 200 'it\'s';"#),
            ["return", "200", "it's", ";"]
        );
    }

    #[test]
    fn an_unterminated_string_is_an_error_at_its_quote() {
        let (tokens, error) = tokenize("listen 80;\nreturn 200 \"oops;");
        assert_eq!(tokens.len(), 5);
        assert_eq!(error.map(|e| e.at), Some(22..23));
    }
}
