//! Go `text/template` syntax: a lexer and parser producing the tree the
//! executor walks. It follows `text/template/parse`: `{{- ` / ` -}}` trim
//! markers, comments that must close right before the delimiter, `else if`
//! and `else with` chains ending with one `end`, `define` and `block` at the
//! top level only, fields chained after any term.
//!
//! Every node keeps byte offsets into the template source, so output can be
//! traced back to the template text and its actions.

use std::ops::Range;

/// A parse failure at a byte offset of the source.
#[derive(Debug, Clone)]
pub struct ParseError {
    pub message: String,
    pub at: usize,
}

type PResult<T> = Result<T, ParseError>;

fn err<T>(at: usize, message: impl Into<String>) -> PResult<T> {
    Err(ParseError {
        message: message.into(),
        at,
    })
}

#[derive(Debug, Clone)]
pub enum Node {
    /// Literal text: a byte range of the source (after trim markers).
    Text(Range<usize>),
    /// `{{ pipeline }}`; `span` covers the delimiters.
    Action {
        span: Range<usize>,
        pipe: Pipe,
    },
    If(Branch),
    Range(Branch),
    With(Branch),
    Template {
        span: Range<usize>,
        name: String,
        pipe: Option<Pipe>,
    },
    Break(Range<usize>),
    Continue(Range<usize>),
}

/// The shape shared by `if`, `range` and `with`.
#[derive(Debug, Clone)]
pub struct Branch {
    pub span: Range<usize>,
    pub pipe: Pipe,
    pub list: Vec<Node>,
    pub else_list: Option<Vec<Node>>,
}

#[derive(Debug, Clone)]
pub struct Pipe {
    pub span: Range<usize>,
    /// Declared or assigned variables (`$x :=`, `$i, $v :=`, `$x =`).
    pub decl: Vec<String>,
    pub is_assign: bool,
    pub cmds: Vec<Cmd>,
}

#[derive(Debug, Clone)]
pub struct Cmd {
    pub span: Range<usize>,
    pub args: Vec<Operand>,
}

#[derive(Debug, Clone)]
pub enum Operand {
    Dot,
    Nil,
    Bool(bool),
    Number(Number),
    Str(String),
    /// `.A.B`
    Field(Vec<String>),
    /// `$x.A.B` (`$` alone is the root data)
    Variable(String, Vec<String>),
    /// A function name.
    Ident(String),
    /// `(pipeline).A.B`
    Chain(Box<Operand>, Vec<String>),
    Pipe(Box<Pipe>),
}

/// A numeric constant as Go keeps it: an int form when it has one, and a
/// float form; `is_float` when the text makes it a float (`.`, `e`, `p`).
#[derive(Debug, Clone)]
pub struct Number {
    pub int: Option<i64>,
    pub float: f64,
    pub is_float: bool,
    pub text: String,
}

/// One parsed source: the top-level nodes and the `define`d templates.
pub struct Parsed {
    pub root: Vec<Node>,
    pub defines: Vec<(String, Vec<Node>)>,
}

// ---------------------------------------------------------------- lexer

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Text(Range<usize>),
    /// `{{` (span of the delimiter plus trim marker)
    Left,
    Right,
    Space,
    Ident(String),
    Field(String),
    Variable(String),
    Dot,
    Str(String),
    RawStr(String),
    Char(i64),
    Number(String),
    Bool(bool),
    Nil,
    Keyword(&'static str),
    Declare,
    Assign,
    Pipe,
    LParen,
    RParen,
    Comma,
    Eof,
}

/// Deepest nesting of parentheses and of control structures: the parser
/// recurses on both.
pub const MAX_NESTING: usize = 100;

const KEYWORDS: [&str; 10] = [
    "block", "break", "continue", "define", "else", "end", "if", "range", "template", "with",
];

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

struct Lexer<'s> {
    src: &'s str,
    pos: usize,
    toks: Vec<(Tok, Range<usize>)>,
    paren_depth: usize,
}

fn lex(src: &str) -> PResult<Vec<(Tok, Range<usize>)>> {
    let mut lx = Lexer {
        src,
        pos: 0,
        toks: Vec::new(),
        paren_depth: 0,
    };
    lx.run()?;
    Ok(lx.toks)
}

impl<'s> Lexer<'s> {
    fn bytes(&self) -> &'s [u8] {
        self.src.as_bytes()
    }

    fn run(&mut self) -> PResult<()> {
        let mut trim_next = false;
        loop {
            let rest = &self.src[self.pos..];
            let next = rest.find("{{");
            let text_end = next.map_or(self.src.len(), |n| self.pos + n);
            let mut start = self.pos;
            if trim_next {
                while start < text_end && is_space(self.bytes()[start]) {
                    start += 1;
                }
            }
            let Some(_) = next else {
                if start < text_end {
                    self.toks
                        .push((Tok::Text(start..text_end), start..text_end));
                }
                self.toks.push((Tok::Eof, text_end..text_end));
                return Ok(());
            };
            let left = text_end;
            let b = self.bytes();
            let trim_left = b.len() > left + 3 && b[left + 2] == b'-' && is_space(b[left + 3]);
            let mut end = text_end;
            if trim_left {
                while end > start && is_space(b[end - 1]) {
                    end -= 1;
                }
            }
            if start < end {
                self.toks.push((Tok::Text(start..end), start..end));
            }
            self.pos = left + 2 + if trim_left { 2 } else { 0 };
            // A comment must close right before the delimiter.
            if self.src[self.pos..].starts_with("/*") {
                let Some(close) = self.src[self.pos..].find("*/") else {
                    return err(left, "unclosed comment");
                };
                self.pos += close + 2;
                let rest = &self.src[self.pos..];
                if rest.starts_with("}}") {
                    self.pos += 2;
                    trim_next = false;
                } else if rest.len() > 3
                    && is_space(rest.as_bytes()[0])
                    && rest[1..].starts_with("-}}")
                {
                    self.pos += 4;
                    trim_next = true;
                } else {
                    return err(left, "comment ends before closing delimiter");
                }
                continue;
            }
            self.toks.push((Tok::Left, left..self.pos));
            trim_next = self.inside_action(left)?;
        }
    }

    /// Lexes one action after `{{`; returns whether it ended with ` -}}`.
    fn inside_action(&mut self, left: usize) -> PResult<bool> {
        self.paren_depth = 0;
        loop {
            let b = self.bytes();
            let at = self.pos;
            if at >= b.len() {
                return err(left, "unclosed action");
            }
            // Right delimiter, with or without trim marker.
            if is_space(b[at]) {
                let mut p = at;
                while p < b.len() && is_space(b[p]) {
                    p += 1;
                }
                if self.src[p..].starts_with("-}}") {
                    self.pos = p + 3;
                    self.toks.push((Tok::Right, at..self.pos));
                    return Ok(true);
                }
                self.toks.push((Tok::Space, at..p));
                self.pos = p;
                continue;
            }
            if self.src[at..].starts_with("}}") {
                if self.paren_depth > 0 {
                    return err(at, "unclosed left paren");
                }
                self.pos = at + 2;
                self.toks.push((Tok::Right, at..self.pos));
                return Ok(false);
            }
            let c = self.src[at..].chars().next().unwrap_or('\0');
            let tok = match c {
                '|' => {
                    self.pos += 1;
                    Tok::Pipe
                }
                ',' => {
                    self.pos += 1;
                    Tok::Comma
                }
                '(' => {
                    self.pos += 1;
                    self.paren_depth += 1;
                    if self.paren_depth > MAX_NESTING {
                        return err(at, format!("parentheses nest more than {MAX_NESTING} deep"));
                    }
                    Tok::LParen
                }
                ')' => {
                    self.pos += 1;
                    if self.paren_depth == 0 {
                        return err(at, "unexpected right paren");
                    }
                    self.paren_depth -= 1;
                    Tok::RParen
                }
                ':' => {
                    if b.get(at + 1) != Some(&b'=') {
                        return err(at, "expected :=");
                    }
                    self.pos += 2;
                    Tok::Declare
                }
                '=' => {
                    self.pos += 1;
                    Tok::Assign
                }
                '"' => self.quoted(at)?,
                '`' => {
                    let Some(close) = self.src[at + 1..].find('`') else {
                        return err(at, "unterminated raw quoted string");
                    };
                    self.pos = at + 1 + close + 1;
                    Tok::RawStr(self.src[at + 1..at + 1 + close].to_string())
                }
                '\'' => self.char_const(at)?,
                '$' => {
                    self.pos += 1;
                    let name = self.word();
                    Tok::Variable(format!("${name}"))
                }
                '.' => {
                    if b.get(at + 1).is_some_and(|d| d.is_ascii_digit()) {
                        self.number()
                    } else {
                        self.pos += 1;
                        let name = self.word();
                        if name.is_empty() {
                            Tok::Dot
                        } else {
                            Tok::Field(name)
                        }
                    }
                }
                '+' | '-' | '0'..='9' => self.number(),
                c if is_alnum(c) => {
                    let w = self.word();
                    match w.as_str() {
                        "true" => Tok::Bool(true),
                        "false" => Tok::Bool(false),
                        "nil" => Tok::Nil,
                        _ => match KEYWORDS.iter().find(|k| **k == w) {
                            Some(k) => Tok::Keyword(k),
                            None => Tok::Ident(w),
                        },
                    }
                }
                _ => return err(at, format!("unrecognized character in action: {c:?}")),
            };
            self.toks.push((tok, at..self.pos));
        }
    }

    fn word(&mut self) -> String {
        let start = self.pos;
        let mut end = start;
        for (i, c) in self.src[start..].char_indices() {
            if !is_alnum(c) {
                break;
            }
            end = start + i + c.len_utf8();
        }
        self.pos = end;
        self.src[start..end].to_string()
    }

    fn number(&mut self) -> Tok {
        let start = self.pos;
        let b = self.bytes();
        let mut p = start;
        if p < b.len() && (b[p] == b'+' || b[p] == b'-') {
            p += 1;
        }
        while p < b.len() {
            let c = b[p];
            let exp_sign = (c == b'+' || c == b'-')
                && p > start
                && matches!(b[p - 1], b'e' | b'E' | b'p' | b'P')
                && !self.src[start..p].contains(['x', 'X']) | matches!(b[p - 1], b'p' | b'P');
            if c.is_ascii_alphanumeric() || c == b'.' || c == b'_' || exp_sign {
                p += 1;
            } else {
                break;
            }
        }
        self.pos = p;
        Tok::Number(self.src[start..p].to_string())
    }

    fn quoted(&mut self, at: usize) -> PResult<Tok> {
        let b = self.bytes();
        let mut p = at + 1;
        while p < b.len() {
            match b[p] {
                b'\\' => p += 2,
                b'\n' => return err(at, "unterminated quoted string"),
                b'"' => {
                    self.pos = p + 1;
                    let s = unquote(&self.src[at + 1..p]).ok_or(ParseError {
                        message: "invalid syntax in quoted string".into(),
                        at,
                    })?;
                    return Ok(Tok::Str(s));
                }
                _ => p += 1,
            }
        }
        err(at, "unterminated quoted string")
    }

    fn char_const(&mut self, at: usize) -> PResult<Tok> {
        let b = self.bytes();
        let mut p = at + 1;
        while p < b.len() {
            match b[p] {
                b'\\' => p += 2,
                b'\n' => break,
                b'\'' => {
                    self.pos = p + 1;
                    let inner = &self.src[at + 1..p];
                    let s = if inner == "\"" {
                        Some("\"".to_string())
                    } else if inner == "\\'" {
                        Some("'".to_string())
                    } else {
                        unquote(inner)
                    };
                    let mut chars = s.as_deref().unwrap_or("").chars();
                    return match (chars.next(), chars.next()) {
                        (Some(c), None) => Ok(Tok::Char(c as i64)),
                        _ => err(at, "malformed character constant"),
                    };
                }
                _ => p += 1,
            }
        }
        err(at, "unterminated character constant")
    }
}

/// Go's interpreted string escapes.
fn unquote(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let e = chars.next()?;
        let hex = |chars: &mut std::iter::Peekable<std::str::Chars>, n: usize| -> Option<u32> {
            let mut v = 0u32;
            for _ in 0..n {
                v = v * 16 + chars.next()?.to_digit(16)?;
            }
            Some(v)
        };
        match e {
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'f' => out.push('\x0c'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\x0b'),
            '\\' => out.push('\\'),
            '"' => out.push('"'),
            '\'' => out.push('\''),
            'x' => out.push(char::from_u32(hex(&mut chars, 2)?)?),
            'u' => out.push(char::from_u32(hex(&mut chars, 4)?)?),
            'U' => out.push(char::from_u32(hex(&mut chars, 8)?)?),
            '0'..='7' => {
                let mut v = e.to_digit(8)?;
                for _ in 0..2 {
                    v = v * 8 + chars.next()?.to_digit(8)?;
                }
                out.push(char::from_u32(v)?);
            }
            _ => return None,
        }
    }
    Some(out)
}

/// Go's number syntax for template constants.
fn parse_number(text: &str, at: usize) -> PResult<Number> {
    let bad = || ParseError {
        message: format!("bad number syntax: {text:?}"),
        at,
    };
    let clean: String = text.chars().filter(|c| *c != '_').collect();
    let (neg, body) = match clean.as_bytes().first() {
        Some(b'-') => (true, &clean[1..]),
        Some(b'+') => (false, &clean[1..]),
        _ => (false, clean.as_str()),
    };
    if body.is_empty() || body.ends_with('i') {
        return Err(bad());
    }
    let lower = body.to_ascii_lowercase();
    let radix_int = |digits: &str, radix: u32| -> Option<i64> {
        i64::from_str_radix(digits, radix)
            .ok()
            .map(|v| if neg { -v } else { v })
    };
    let int = if let Some(h) = lower.strip_prefix("0x") {
        if h.contains(['.', 'p']) {
            None
        } else {
            Some(radix_int(h, 16).ok_or_else(bad)?)
        }
    } else if let Some(o) = lower.strip_prefix("0o") {
        Some(radix_int(o, 8).ok_or_else(bad)?)
    } else if let Some(bn) = lower.strip_prefix("0b") {
        Some(radix_int(bn, 2).ok_or_else(bad)?)
    } else if lower.contains(['.', 'e']) {
        None
    } else if lower.len() > 1 && lower.starts_with('0') {
        Some(radix_int(&lower[1..], 8).ok_or_else(bad)?)
    } else {
        Some(radix_int(&lower, 10).ok_or_else(bad)?)
    };
    let is_float = lower.contains(['.', 'e', 'p']) && !lower.starts_with("0x")
        || lower.starts_with("0x") && lower.contains('p');
    let float = match int {
        Some(i) if !is_float => i as f64,
        _ => {
            let f: f64 = lower.parse().map_err(|_| bad())?;
            if neg {
                -f
            } else {
                f
            }
        }
    };
    // A float constant with an exact integer value also has an int form.
    let int =
        int.or_else(|| (float.fract() == 0.0 && float.abs() < 9.2e18).then_some(float as i64));
    Ok(Number {
        int,
        float,
        is_float,
        text: text.to_string(),
    })
}

// ---------------------------------------------------------------- parser

struct Parser {
    toks: Vec<(Tok, Range<usize>)>,
    pos: usize,
    depth: usize,
    defines: Vec<(String, Vec<Node>)>,
}

/// What ended a list.
enum Stop {
    End,
    Else(usize),
    Eof,
}

pub fn parse(src: &str) -> Result<Parsed, ParseError> {
    let toks = lex(src)?;
    let mut p = Parser {
        toks,
        pos: 0,
        depth: 0,
        defines: Vec::new(),
    };
    let (root, end) = p.list(true)?;
    match end {
        Stop::Eof => {}
        Stop::End => return err(p.at(), "unexpected {{end}}"),
        Stop::Else(at) => return err(at, "unexpected {{else}}"),
    }
    Ok(Parsed {
        root,
        defines: p.defines,
    })
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos.min(self.toks.len() - 1)].0
    }

    fn at(&self) -> usize {
        self.toks[self.pos.min(self.toks.len() - 1)].1.start
    }

    fn next(&mut self) -> (Tok, Range<usize>) {
        let t = self.toks[self.pos.min(self.toks.len() - 1)].clone();
        if self.pos < self.toks.len() {
            self.pos += 1;
        }
        t
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Tok::Space) {
            self.pos += 1;
        }
    }

    fn next_non_space(&mut self) -> (Tok, Range<usize>) {
        self.skip_space();
        self.next()
    }

    fn expect_right(&mut self, context: &str) -> PResult<usize> {
        let (t, r) = self.next_non_space();
        match t {
            Tok::Right => Ok(r.end),
            _ => err(r.start, format!("unexpected token in {context}")),
        }
    }

    /// Parses nodes up to `{{end}}`, `{{else}}` or the end of input.
    fn list(&mut self, top: bool) -> PResult<(Vec<Node>, Stop)> {
        let mut nodes = Vec::new();
        loop {
            let (t, r) = self.next();
            match t {
                Tok::Eof => return Ok((nodes, Stop::Eof)),
                Tok::Text(range) => nodes.push(Node::Text(range)),
                Tok::Left => {
                    let left = r.start;
                    self.skip_space();
                    match self.peek().clone() {
                        Tok::Keyword("end") => {
                            self.next();
                            self.expect_right("end")?;
                            return Ok((nodes, Stop::End));
                        }
                        Tok::Keyword("else") => {
                            self.next();
                            return Ok((nodes, Stop::Else(left)));
                        }
                        Tok::Keyword("define") if top => {
                            self.next();
                            self.define(left)?;
                        }
                        Tok::Keyword("define") => {
                            return err(left, "unexpected define: not at top level")
                        }
                        Tok::Keyword(k) => {
                            self.next();
                            if let Some(n) = self.control(k, left)? {
                                nodes.push(n);
                            }
                        }
                        _ => {
                            let pipe = self.pipeline("command", false)?;
                            let end = self.toks[self.pos - 1].1.end;
                            nodes.push(Node::Action {
                                span: left..end,
                                pipe,
                            });
                        }
                    }
                }
                _ => return err(r.start, "unexpected token"),
            }
        }
    }

    fn string_arg(&mut self, context: &str) -> PResult<String> {
        let (t, r) = self.next_non_space();
        match t {
            Tok::Str(s) | Tok::RawStr(s) => Ok(s),
            _ => err(
                r.start,
                format!("unexpected token in {context}: expected a name"),
            ),
        }
    }

    fn define(&mut self, left: usize) -> PResult<()> {
        let name = self.string_arg("define clause")?;
        self.expect_right("define clause")?;
        let (body, end) = self.list(false)?;
        match end {
            Stop::End => {}
            _ => return err(left, "unexpected EOF in define clause"),
        }
        self.defines.push((name, body));
        Ok(())
    }

    fn control(&mut self, kw: &str, left: usize) -> PResult<Option<Node>> {
        match kw {
            "if" | "range" | "with" => Ok(Some(self.branch(kw, left)?)),
            "break" | "continue" => {
                let end = self.expect_right(kw)?;
                Ok(Some(if kw == "break" {
                    Node::Break(left..end)
                } else {
                    Node::Continue(left..end)
                }))
            }
            "template" | "block" => {
                let name = self.string_arg(&format!("{kw} clause"))?;
                self.skip_space();
                let pipe = if matches!(self.peek(), Tok::Right) {
                    self.next();
                    None
                } else {
                    Some(self.pipeline(kw, false)?)
                };
                let end = self.toks[self.pos - 1].1.end;
                if kw == "block" {
                    let (body, e) = self.list(false)?;
                    if !matches!(e, Stop::End) {
                        return err(left, "unexpected EOF in block clause");
                    }
                    self.defines.push((name.clone(), body));
                }
                Ok(Some(Node::Template {
                    span: left..end,
                    name,
                    pipe,
                }))
            }
            _ => err(left, format!("unexpected {kw}")),
        }
    }

    fn branch(&mut self, kw: &str, left: usize) -> PResult<Node> {
        self.depth += 1;
        let r = self.branch_inner(kw, left);
        self.depth -= 1;
        r
    }

    fn branch_inner(&mut self, kw: &str, left: usize) -> PResult<Node> {
        if self.depth > MAX_NESTING {
            return err(
                left,
                format!("control structures nest more than {MAX_NESTING} deep"),
            );
        }
        let pipe = self.pipeline(kw, kw == "range")?;
        let head_end = self.toks[self.pos - 1].1.end;
        let (list, end) = self.list(false)?;
        let else_list = match end {
            Stop::End => None,
            Stop::Eof => return err(left, format!("unexpected EOF in {kw}")),
            Stop::Else(else_at) => {
                self.skip_space();
                // `else if` / `else with`: the chained branch ends with our `end`.
                match self.peek().clone() {
                    Tok::Keyword(k @ ("if" | "with")) if k == "if" || kw == "with" => {
                        self.next();
                        let nested = self.branch(k, else_at)?;
                        Some(vec![nested])
                    }
                    _ => {
                        self.expect_right("else")?;
                        let (else_list, end) = self.list(false)?;
                        match end {
                            Stop::End => {}
                            Stop::Else(at) => return err(at, "expected end; found {{else}}"),
                            Stop::Eof => return err(left, format!("unexpected EOF in {kw}")),
                        }
                        Some(else_list)
                    }
                }
            }
        };
        let b = Branch {
            span: left..head_end,
            pipe,
            list,
            else_list,
        };
        Ok(match kw {
            "if" => Node::If(b),
            "range" => Node::Range(b),
            _ => Node::With(b),
        })
    }

    /// A pipeline up to the closing `}}` (or `)` when nested).
    fn pipeline(&mut self, context: &str, multi_decl: bool) -> PResult<Pipe> {
        self.skip_space();
        let start = self.at();
        let mut decl = Vec::new();
        let mut is_assign = false;
        // Declarations: `$x :=`, `$x =`, `$i, $v :=`.
        let save = self.pos;
        if let Tok::Variable(v) = self.peek().clone() {
            self.next();
            self.skip_space();
            match self.peek().clone() {
                Tok::Declare | Tok::Assign => {
                    is_assign = matches!(self.peek(), Tok::Assign);
                    self.next();
                    decl.push(v);
                }
                Tok::Comma if multi_decl => {
                    self.next();
                    self.skip_space();
                    let (t, r) = self.next();
                    let Tok::Variable(v2) = t else {
                        return err(r.start, "range can only initialize variables");
                    };
                    self.skip_space();
                    match self.next().0 {
                        Tok::Declare => {}
                        Tok::Assign => is_assign = true,
                        _ => return err(r.start, "expected := after range variables"),
                    }
                    decl.push(v);
                    decl.push(v2);
                }
                _ => self.pos = save,
            }
        }
        let mut cmds = Vec::new();
        loop {
            self.skip_space();
            match self.peek() {
                Tok::Right | Tok::RParen => {
                    let (_, r) = self.next();
                    if cmds.is_empty() {
                        return err(r.start, format!("missing value for {context}"));
                    }
                    return Ok(Pipe {
                        span: start..r.start,
                        decl,
                        is_assign,
                        cmds,
                    });
                }
                _ => cmds.push(self.command()?),
            }
        }
    }

    fn command(&mut self) -> PResult<Cmd> {
        let start = self.at();
        let mut args = Vec::new();
        loop {
            self.skip_space();
            match self.peek() {
                Tok::Right | Tok::RParen => break,
                Tok::Pipe => {
                    let at = self.at();
                    self.next();
                    if args.is_empty() {
                        return err(at, "missing command before |");
                    }
                    break;
                }
                _ => args.push(self.operand()?),
            }
        }
        if args.is_empty() {
            return err(start, "empty command");
        }
        let end = self.toks[self.pos.saturating_sub(1)].1.end;
        Ok(Cmd {
            span: start..end,
            args,
        })
    }

    fn operand(&mut self) -> PResult<Operand> {
        let term = self.term()?;
        let mut fields = Vec::new();
        while let Tok::Field(f) = self.peek().clone() {
            self.next();
            fields.push(f);
        }
        if fields.is_empty() {
            return Ok(term);
        }
        Ok(match term {
            Operand::Field(mut f) => {
                f.extend(fields);
                Operand::Field(f)
            }
            Operand::Variable(v, mut f) => {
                f.extend(fields);
                Operand::Variable(v, f)
            }
            Operand::Pipe(_) | Operand::Ident(_) => Operand::Chain(Box::new(term), fields),
            _ => return err(self.at(), "unexpected . after term"),
        })
    }

    fn term(&mut self) -> PResult<Operand> {
        let (t, r) = self.next();
        Ok(match t {
            Tok::Ident(name) => Operand::Ident(name),
            Tok::Dot => Operand::Dot,
            Tok::Nil => Operand::Nil,
            Tok::Bool(b) => Operand::Bool(b),
            Tok::Field(f) => Operand::Field(vec![f]),
            Tok::Variable(v) => Operand::Variable(v, Vec::new()),
            Tok::Str(s) | Tok::RawStr(s) => Operand::Str(s),
            Tok::Char(c) => Operand::Number(Number {
                int: Some(c),
                float: c as f64,
                is_float: false,
                text: c.to_string(),
            }),
            Tok::Number(text) => Operand::Number(parse_number(&text, r.start)?),
            Tok::LParen => Operand::Pipe(Box::new(self.pipeline("parenthesized pipeline", false)?)),
            _ => return err(r.start, "unexpected token in operand"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_comments() {
        let p = parse("a  {{- /* c */ -}}  b {{- .X -}} c").unwrap();
        assert_eq!(p.root.len(), 4);
    }

    #[test]
    fn else_if_chains() {
        let p = parse("{{if .A}}a{{else if .B}}b{{else}}c{{end}}").unwrap();
        let Node::If(b) = &p.root[0] else { panic!() };
        assert!(matches!(b.else_list.as_deref(), Some([Node::If(_)])));
    }

    #[test]
    fn defines_are_collected() {
        let p = parse("{{define \"x\"}}hi{{end}}{{template \"x\" .}}").unwrap();
        assert_eq!(p.defines.len(), 1);
    }

    #[test]
    fn numbers() {
        let n = parse_number("0x1F", 0).unwrap();
        assert_eq!(n.int, Some(31));
        let f = parse_number("1.5", 0).unwrap();
        assert!(f.is_float && f.int.is_none());
        assert_eq!(parse_number("1e3", 0).unwrap().int, Some(1000));
    }
}
