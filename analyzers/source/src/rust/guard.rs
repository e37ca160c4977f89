//! Refuses input that would make syn recurse too deep.
//!
//! syn is a recursive-descent parser: every nested group, unary operator,
//! closure or generic argument costs stack. proc-macro2's lexer is iterative,
//! so the file is lexed first and its token tree measured with an explicit
//! stack; only a file within the limits is handed to syn.

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};

/// Bracket nesting of real code stays far below this.
pub const MAX_GROUP_DEPTH: usize = 128;
/// Operators and keywords that make syn recurse, counted between two
/// separators (`;` `,` `=>` `{}`) of one group: real expressions have a few
/// dozen; a method chain of hundreds of calls uses `.`, which is not counted.
pub const MAX_OPERATOR_RUN: usize = 1_000;

pub struct TooDeep {
    pub message: String,
    pub span: Span,
}

/// `Err` at the first place the token tree exceeds a limit.
pub fn check(tokens: &TokenStream) -> Result<(), TooDeep> {
    // Each frame: the rest of a group's tokens and the operator count of its
    // current segment.
    let mut stack: Vec<(proc_macro2::token_stream::IntoIter, usize)> =
        vec![(tokens.clone().into_iter(), 0)];
    while let Some((iter, run)) = stack.last_mut() {
        let Some(token) = iter.next() else {
            stack.pop();
            continue;
        };
        match &token {
            TokenTree::Group(group) => {
                if group.delimiter() == Delimiter::Brace {
                    *run = 0;
                } else {
                    *run += 1;
                }
                if stack.len() >= MAX_GROUP_DEPTH {
                    return Err(TooDeep {
                        message: format!("brackets nested deeper than {MAX_GROUP_DEPTH} levels"),
                        span: group.span_open(),
                    });
                }
                stack.push((group.stream().into_iter(), 0));
                continue;
            }
            TokenTree::Punct(p) => match p.as_char() {
                ';' | ',' => *run = 0,
                // `.`, `:`, `#`, `?` and `'` chain or annotate iteratively.
                '.' | ':' | '#' | '?' | '\'' => {}
                _ => *run += 1,
            },
            TokenTree::Ident(ident) => {
                let recursive_keyword = matches!(
                    ident.to_string().as_str(),
                    "return"
                        | "break"
                        | "yield"
                        | "move"
                        | "async"
                        | "if"
                        | "match"
                        | "while"
                        | "for"
                        | "loop"
                        | "let"
                        | "dyn"
                        | "impl"
                        | "mut"
                        | "ref"
                        | "box"
                        | "unsafe"
                        | "const"
                        | "static"
                );
                if recursive_keyword {
                    *run += 1;
                }
            }
            TokenTree::Literal(_) => {}
        }
        if *run > MAX_OPERATOR_RUN {
            return Err(TooDeep {
                message: format!("expression nested deeper than {MAX_OPERATOR_RUN} operators"),
                span: token.span(),
            });
        }
    }
    Ok(())
}
