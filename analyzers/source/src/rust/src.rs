//! Locating syn nodes in the file: proc-macro2 (with `span-locations`) gives
//! every span the byte range of the text it was lexed from.

use proc_macro2::Span;
use seamcheck_facts::{LineIndex, Located, Location};
use std::ops::Range;
use syn::spanned::Spanned;

pub struct Src<'a> {
    pub text: &'a str,
    pub index: &'a LineIndex,
}

impl Src<'_> {
    pub fn range(&self, span: Span) -> Range<usize> {
        let r = span.byte_range();
        let end = r.end.min(self.text.len());
        r.start.min(end)..end
    }

    pub fn loc_span(&self, span: Span) -> Location {
        self.index.location(self.range(span))
    }

    pub fn loc<T: Spanned>(&self, node: &T) -> Location {
        self.loc_span(node.span())
    }

    pub fn located<T, N: Spanned>(&self, value: T, node: &N) -> Located<T> {
        Located::new(value, self.loc(node))
    }

    /// The text of a node as written, cut to 200 characters for messages.
    pub fn short_text<T: Spanned>(&self, node: &T) -> String {
        let r = self.range(node.span());
        let text = self.text.get(r).unwrap_or("");
        let mut out: String = text.chars().take(200).collect();
        if out.len() < text.len() {
            out.push('…');
        }
        out
    }

    /// The byte range of the value of a plain string literal (`"…"` without
    /// escapes): positions in the value map one-to-one to the file. `None`
    /// for raw strings and strings with escapes.
    pub fn plain_string_contents(&self, lit: &syn::LitStr) -> Option<Range<usize>> {
        let r = self.range(lit.span());
        let written = self.text.get(r.clone())?;
        let inner = written.strip_prefix('"')?.strip_suffix('"')?;
        (inner == lit.value()).then(|| r.start + 1..r.end - 1)
    }
}
