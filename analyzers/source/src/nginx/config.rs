//! The directive tree of an nginx configuration, kept flat: every directive
//! knows its parent block by index, so no walk needs recursion however deep
//! the blocks nest.

use super::lexer::{LexError, Token, TokenKind};
use std::ops::Range;

#[derive(Debug, Clone)]
pub struct Word {
    pub text: String,
    /// The word's contents (inside the quotes for a quoted word).
    pub span: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Directive {
    pub name: Word,
    pub args: Vec<Word>,
    /// From the name to the `;` or the block's `}` (or the end of the file
    /// when unterminated).
    pub span: Range<usize>,
    /// Whether the directive opens a block (`server {`).
    pub is_block: bool,
    /// Index of the enclosing block directive.
    pub parent: Option<usize>,
}

#[derive(Debug, Default)]
pub struct Config {
    pub directives: Vec<Directive>,
    pub errors: Vec<LexError>,
}

impl Config {
    /// The chain of enclosing block names, innermost first.
    pub fn ancestors(&self, index: usize) -> impl Iterator<Item = (usize, &Directive)> {
        let mut next = self.directives.get(index).and_then(|d| d.parent);
        std::iter::from_fn(move || {
            let i = next?;
            let d = self.directives.get(i)?;
            next = d.parent;
            Some((i, d))
        })
    }

    /// The innermost enclosing block called `name`.
    pub fn enclosing(&self, index: usize, name: &str) -> Option<usize> {
        self.ancestors(index)
            .find(|(_, d)| d.name.text == name)
            .map(|(i, _)| i)
    }
}

/// Real configurations nest a handful of blocks; past this, the file is
/// refused from there on (walks up the tree stay short).
pub const MAX_DEPTH: usize = 100;

pub fn build(tokens: Vec<Token>, text_len: usize) -> Config {
    let mut config = Config::default();
    let mut open: Vec<usize> = Vec::new();
    let mut pending: Vec<Word> = Vec::new();
    let mut pending_start = 0;
    for token in tokens {
        match token.kind {
            TokenKind::Word(text) => {
                if pending.is_empty() {
                    pending_start = token.span.start;
                }
                pending.push(Word {
                    text,
                    span: token.inner,
                });
            }
            TokenKind::Semicolon => {
                if pending.is_empty() {
                    config.errors.push(LexError {
                        at: token.span,
                        message: "unexpected `;`".to_string(),
                    });
                    continue;
                }
                push(
                    &mut config,
                    &mut pending,
                    pending_start..token.span.end,
                    false,
                    open.last().copied(),
                );
            }
            TokenKind::Open => {
                if pending.is_empty() {
                    config.errors.push(LexError {
                        at: token.span.clone(),
                        message: "block without a directive name".to_string(),
                    });
                }
                let start = if pending.is_empty() {
                    token.span.start
                } else {
                    pending_start
                };
                if pending.is_empty() {
                    pending.push(Word {
                        text: String::new(),
                        span: token.span.clone(),
                    });
                }
                if open.len() >= MAX_DEPTH {
                    config.errors.push(LexError {
                        at: token.span.clone(),
                        message: format!("blocks nested deeper than {MAX_DEPTH} levels"),
                    });
                    pending.clear();
                    break;
                }
                let index = push(
                    &mut config,
                    &mut pending,
                    start..token.span.end,
                    true,
                    open.last().copied(),
                );
                open.push(index);
            }
            TokenKind::Close => {
                if !pending.is_empty() {
                    let last = pending.last().map_or(token.span.start, |w| w.span.end);
                    config.errors.push(LexError {
                        at: last..last,
                        message: "missing `;`".to_string(),
                    });
                    pending.clear();
                }
                match open.pop() {
                    Some(block) => {
                        if let Some(d) = config.directives.get_mut(block) {
                            d.span.end = token.span.end;
                        }
                    }
                    None => config.errors.push(LexError {
                        at: token.span,
                        message: "unexpected `}`".to_string(),
                    }),
                }
            }
        }
    }
    if let Some(last) = pending.last() {
        let end = last.span.end;
        config.errors.push(LexError {
            at: end..end,
            message: "missing `;` at the end of the file".to_string(),
        });
    }
    // Unclosed blocks run to the end of the file; the outermost is reported.
    if let Some(&outermost) = open.first() {
        if let Some(d) = config.directives.get(outermost) {
            config.errors.push(LexError {
                at: d.name.span.clone(),
                message: format!("block `{}` is not closed", d.name.text),
            });
        }
    }
    for block in open {
        if let Some(d) = config.directives.get_mut(block) {
            d.span.end = text_len;
        }
    }
    config
}

fn push(
    config: &mut Config,
    pending: &mut Vec<Word>,
    span: Range<usize>,
    is_block: bool,
    parent: Option<usize>,
) -> usize {
    let mut words = std::mem::take(pending).into_iter();
    let name = words.next().unwrap_or(Word {
        text: String::new(),
        span: span.clone(),
    });
    config.directives.push(Directive {
        name,
        args: words.collect(),
        span,
        is_block,
        parent,
    });
    config.directives.len() - 1
}
