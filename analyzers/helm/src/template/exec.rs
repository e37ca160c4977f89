//! Executes parsed templates as Go's `text/template` does with Helm's
//! options (`missingkey=zero`), writing text and, for every byte, where it
//! came from.
//!
//! Bounds: template calls nest at most [`MAX_DEPTH`] deep, a template run
//! takes at most [`MAX_STEPS`] steps and writes at most [`MAX_OUTPUT`]
//! bytes; past them execution fails with an error, which the caller turns
//! into a note.

use super::funcs::{self, Arg};
use super::parse::{Branch, Cmd, Node, Number, Operand, Pipe};
use super::value::{format_v, Text, TextSeg, Value, V};
use seamcheck_facts::render::{Origin, Via};
use seamcheck_facts::{LineIndex, Location};
use std::collections::HashMap;
use std::ops::Range;
use std::rc::Rc;
use std::sync::Arc;

pub const MAX_DEPTH: usize = 200;
pub const MAX_STEPS: u64 = 5_000_000;
pub const MAX_OUTPUT: usize = 32 << 20;

/// Where a template's text lives.
pub struct Source {
    /// The real file, for sources that are files (byte offsets of nodes are
    /// offsets into it).
    pub file: Option<Arc<LineIndex>>,
    /// The text that was parsed.
    pub text: Rc<str>,
    /// For a string rendered by `tpl`: where that string came from.
    pub origin: Option<Location>,
    /// Root-relative path shown in `via` messages.
    pub path: String,
}

impl Source {
    fn location(&self, span: &Range<usize>) -> Option<Location> {
        match &self.file {
            Some(f) => Some(f.location(span.clone())),
            None => self.origin.clone(),
        }
    }
}

/// A named template: a file or a `define`.
pub struct Tmpl {
    pub name: String,
    pub body: Rc<Vec<Node>>,
    pub src: Rc<Source>,
}

/// The chart-wide context functions read (`.Files` for `tpl`, the template
/// set for `include`).
pub struct Engine {
    pub templates: HashMap<String, Rc<Tmpl>>,
    /// Steps taken by every template of this render together (bounded by
    /// [`MAX_RENDER_STEPS`], so that many templates cannot add up to hours).
    pub steps: std::cell::Cell<u64>,
    /// Bytes every template of this render wrote together.
    pub written: std::cell::Cell<usize>,
}

impl Engine {
    pub fn new(templates: HashMap<String, Rc<Tmpl>>) -> Self {
        Engine {
            templates,
            steps: std::cell::Cell::new(0),
            written: std::cell::Cell::new(0),
        }
    }
}

/// Steps of all templates of one chart render together.
pub const MAX_RENDER_STEPS: u64 = 50_000_000;
/// Bytes all templates of one chart render write together.
pub const MAX_RENDER_OUTPUT: usize = 128 << 20;

#[derive(Debug, Clone)]
pub struct ExecError {
    pub message: String,
    pub loc: Option<Location>,
}

pub enum Flow {
    Normal,
    Break,
    Continue,
}

/// Output with origins.
#[derive(Default)]
pub struct Out {
    pub text: Text,
}

impl Out {
    fn push(&mut self, s: &str, origin: Option<Origin>, via: Option<Arc<Via>>) {
        let start = self.text.s.len();
        self.text.s.push_str(s);
        if let Some(origin) = origin {
            if !s.is_empty() {
                self.text.segs.push(TextSeg {
                    range: start..start + s.len(),
                    origin,
                    via,
                });
            }
        }
    }

    fn push_text(&mut self, t: &Text) {
        let start = self.text.s.len();
        self.text.s.push_str(&t.s);
        self.text.segs.extend(t.segs_in(0..t.s.len(), start));
    }
}

pub struct Exec<'e> {
    pub engine: &'e Engine,
    vars: Vec<(String, Value)>,
    depth: usize,
    steps: u64,
    pub src: Rc<Source>,
    /// The action being evaluated (for errors and `via`).
    action: Range<usize>,
    /// The root-relative path of the template file being rendered
    /// (`.Template.Name` comes from the data, this is for messages).
    pub written: usize,
}

type R<T> = Result<T, ExecError>;

impl<'e> Exec<'e> {
    pub fn new(engine: &'e Engine, src: Rc<Source>) -> Self {
        Exec {
            engine,
            vars: Vec::new(),
            depth: 0,
            steps: 0,
            src,
            action: 0..0,
            written: 0,
        }
    }

    pub fn error(&self, message: impl Into<String>) -> ExecError {
        ExecError {
            message: message.into(),
            loc: self.src.location(&self.action),
        }
    }

    /// Runs a named template with `data` as dot and `$`.
    pub fn run_named(&mut self, name: &str, data: &Value) -> R<Text> {
        let Some(t) = self.engine.templates.get(name).cloned() else {
            return Err(self.error(format!("no template {name:?} associated with template")));
        };
        self.run(&t, data)
    }

    pub fn run(&mut self, t: &Rc<Tmpl>, data: &Value) -> R<Text> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error(format!(
                "template {:?} nests more than {MAX_DEPTH} calls deep",
                t.name
            )));
        }
        self.depth += 1;
        let saved_vars = std::mem::replace(&mut self.vars, vec![("$".into(), data.clone())]);
        let saved_src = std::mem::replace(&mut self.src, t.src.clone());
        let saved_action = self.action.clone();
        let mut out = Out::default();
        let body = t.body.clone();
        let result = self.walk_list(&body, data, &mut out);
        self.vars = saved_vars;
        self.src = saved_src;
        self.action = saved_action;
        self.depth -= 1;
        match result? {
            Flow::Normal => Ok(out.text),
            _ => Err(self.error("break or continue outside range")),
        }
    }

    fn step(&mut self) -> R<()> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err(self.error(format!("rendering took more than {MAX_STEPS} steps")));
        }
        let total = self.engine.steps.get() + 1;
        self.engine.steps.set(total);
        if total > MAX_RENDER_STEPS {
            return Err(self.error(format!(
                "the chart's templates took more than {MAX_RENDER_STEPS} steps together"
            )));
        }
        Ok(())
    }

    fn walk_list(&mut self, nodes: &[Node], dot: &Value, out: &mut Out) -> R<Flow> {
        for n in nodes {
            match self.walk(n, dot, out)? {
                Flow::Normal => {}
                f => return Ok(f),
            }
        }
        Ok(Flow::Normal)
    }

    fn walk(&mut self, node: &Node, dot: &Value, out: &mut Out) -> R<Flow> {
        self.step()?;
        match node {
            Node::Text(r) => {
                let src = self.src.clone();
                let s = &src.text[r.clone()];
                let origin = match &src.file {
                    Some(f) => Some(Origin::Copied {
                        file: f.clone(),
                        start: r.start,
                    }),
                    None => src.origin.clone().map(Origin::Produced),
                };
                self.add_written(s.len());
                self.check_output()?;
                out.push(s, origin, None);
            }
            Node::Action { span, pipe } => {
                self.action = span.clone();
                let v = self.pipeline(dot, pipe)?;
                if pipe.decl.is_empty() {
                    self.action = span.clone();
                    self.print(&v, out)?;
                }
            }
            Node::If(b) => return self.branch(b, dot, out, BranchKind::If),
            Node::With(b) => return self.branch(b, dot, out, BranchKind::With),
            Node::Range(b) => return self.range(b, dot, out),
            Node::Break(_) => return Ok(Flow::Break),
            Node::Continue(_) => return Ok(Flow::Continue),
            Node::Template { span, name, pipe } => {
                self.action = span.clone();
                let data = match pipe {
                    Some(p) => self.pipeline(dot, p)?,
                    None => Value::NIL,
                };
                let text = self.run_named(name, &data)?;
                out.push_text(&text);
            }
        }
        Ok(Flow::Normal)
    }

    fn add_written(&mut self, n: usize) {
        self.written += n;
        self.engine
            .written
            .set(self.engine.written.get().saturating_add(n));
    }

    fn check_output(&self) -> R<()> {
        if self.written > MAX_OUTPUT {
            return Err(self.error(format!("output larger than {MAX_OUTPUT} bytes")));
        }
        if self.engine.written.get() > MAX_RENDER_OUTPUT {
            return Err(self.error(format!(
                "the chart's templates wrote more than {MAX_RENDER_OUTPUT} bytes together"
            )));
        }
        Ok(())
    }

    fn via(&self) -> Option<Arc<Via>> {
        let loc = self.src.location(&self.action)?;
        Some(Arc::new(Via {
            loc,
            message: format!("`{}` uses it", self.src.path),
        }))
    }

    /// Prints a pipeline's value as Go's `printValue` (nil prints
    /// `<no value>`, which Helm then removes: we print nothing).
    fn print(&mut self, v: &Value, out: &mut Out) -> R<()> {
        let via = self.via();
        let action_origin = self.src.location(&self.action).map(Origin::Produced);
        match &v.v {
            V::Nil => {}
            V::Str(t) => {
                // Known parts keep their origins; the rest is the value's
                // node or the action.
                let fallback = v
                    .origin
                    .as_ref()
                    .map(|o| Origin::Produced(o.value.clone()))
                    .or(action_origin);
                let start = out.text.s.len();
                out.text.s.push_str(&t.s);
                let mut at = 0;
                let fill_via = if v.origin.is_some() {
                    via.clone()
                } else {
                    None
                };
                for seg in t.segs_in(0..t.s.len(), 0) {
                    if seg.range.start > at {
                        if let Some(f) = &fallback {
                            out.text.segs.push(TextSeg {
                                range: start + at..start + seg.range.start,
                                origin: f.clone(),
                                via: fill_via.clone(),
                            });
                        }
                    }
                    at = seg.range.end;
                    let via = seg.via.or_else(|| {
                        matches!(seg.origin, Origin::Produced(_))
                            .then(|| via.clone())
                            .flatten()
                    });
                    out.text.segs.push(TextSeg {
                        range: seg.range.start + start..seg.range.end + start,
                        origin: seg.origin,
                        via,
                    });
                }
                if at < t.s.len() {
                    if let Some(f) = fallback {
                        out.text.segs.push(TextSeg {
                            range: start + at..start + t.s.len(),
                            origin: f,
                            via: fill_via,
                        });
                    }
                }
                self.add_written(t.s.len());
            }
            _ => {
                let mut s = String::new();
                format_v(v, &mut s);
                self.add_written(s.len());
                match &v.origin {
                    Some(o) => out.push(&s, Some(Origin::Produced(o.value.clone())), via),
                    None => out.push(&s, action_origin, None),
                }
            }
        }
        self.check_output()
    }

    fn branch(&mut self, b: &Branch, dot: &Value, out: &mut Out, kind: BranchKind) -> R<Flow> {
        let mark = self.vars.len();
        self.action = b.span.clone();
        let v = self.pipeline(dot, &b.pipe)?;
        let result = if v.truth() {
            let inner_dot = match kind {
                BranchKind::With => v,
                BranchKind::If => dot.clone(),
            };
            self.walk_list(&b.list, &inner_dot, out)
        } else if let Some(e) = &b.else_list {
            self.walk_list(e, dot, out)
        } else {
            Ok(Flow::Normal)
        };
        self.vars.truncate(mark);
        result
    }

    fn range(&mut self, b: &Branch, dot: &Value, out: &mut Out) -> R<Flow> {
        let mark = self.vars.len();
        self.action = b.span.clone();
        let v = self.pipeline(dot, &b.pipe)?;
        // Declared variables were pushed by the pipeline; we set them per item.
        let items: Vec<(Value, Value)> = match &v.v {
            V::List(l) => l
                .iter()
                .enumerate()
                .map(|(i, x)| (Value::int(i as i64), x.clone()))
                .collect(),
            V::Strings(l) | V::ApiVersions(l) => l
                .iter()
                .enumerate()
                .map(|(i, x)| (Value::int(i as i64), Value::str(x.clone())))
                .collect(),
            V::Map(m) => m
                .snap()
                .iter()
                .map(|(k, x)| (Value::str(k.clone()), x.clone()))
                .collect(),
            V::Files(f) => {
                let mut names: Vec<&String> = f.entries.iter().map(|e| &e.0).collect();
                names.sort();
                names
                    .into_iter()
                    .map(|n| (Value::str(n.clone()), Value::NIL))
                    .collect()
            }
            V::Int(n) | V::Int64(n) => (0..(*n).max(0))
                .map(|i| (Value::int(i), Value::int(i)))
                .collect(),
            V::Nil => Vec::new(),
            _ => {
                return Err(self.error(format!(
                    "range can't iterate over {}",
                    super::value::to_v_string(&v)
                )))
            }
        };
        if items.is_empty() {
            let r = match &b.else_list {
                Some(e) => self.walk_list(e, dot, out),
                None => Ok(Flow::Normal),
            };
            self.vars.truncate(mark);
            return r.map(|_| Flow::Normal);
        }
        let decl = &b.pipe.decl;
        for (k, item) in items {
            self.step()?;
            let inner = self.vars.len();
            if b.pipe.is_assign {
                match decl.len() {
                    1 => self.set_var(&decl[0], item.clone())?,
                    2 => {
                        self.set_var(&decl[0], k.clone())?;
                        self.set_var(&decl[1], item.clone())?;
                    }
                    _ => {}
                }
            } else {
                match decl.len() {
                    1 => self.vars.push((decl[0].clone(), item.clone())),
                    2 => {
                        self.vars.push((decl[0].clone(), k));
                        self.vars.push((decl[1].clone(), item.clone()));
                    }
                    _ => {}
                }
            }
            let flow = self.walk_list(&b.list, &item, out)?;
            self.vars.truncate(inner);
            if let Flow::Break = flow {
                break;
            }
        }
        self.vars.truncate(mark);
        Ok(Flow::Normal)
    }

    fn set_var(&mut self, name: &str, v: Value) -> R<()> {
        match self.vars.iter_mut().rev().find(|(n, _)| n == name) {
            Some(slot) => {
                slot.1 = v;
                Ok(())
            }
            None => Err(self.error(format!("undefined variable: {name}"))),
        }
    }

    fn var(&self, name: &str) -> R<Value> {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .ok_or_else(|| self.error(format!("undefined variable: {name}")))
    }

    fn pipeline(&mut self, dot: &Value, pipe: &Pipe) -> R<Value> {
        let mut value: Option<Value> = None;
        for cmd in &pipe.cmds {
            value = Some(self.command(dot, cmd, value)?);
        }
        let value = value.unwrap_or(Value::NIL);
        if pipe.is_assign {
            if pipe.decl.len() == 1 {
                self.set_var(&pipe.decl[0], value.clone())?;
            }
        } else if pipe.decl.len() == 1 {
            self.vars.push((pipe.decl[0].clone(), value.clone()));
        } else if pipe.decl.len() == 2 {
            // `range $i, $v := ...`: the range sets them per item.
        }
        Ok(value)
    }

    fn command(&mut self, dot: &Value, cmd: &Cmd, fin: Option<Value>) -> R<Value> {
        self.step()?;
        let first = &cmd.args[0];
        let rest = &cmd.args[1..];
        match first {
            Operand::Field(fields) => self.field_chain(dot, dot.clone(), fields, rest, fin, true),
            Operand::Variable(name, fields) => {
                let v = self.var(name)?;
                if fields.is_empty() {
                    self.no_args(rest, &fin, name)?;
                    return Ok(v);
                }
                self.field_chain(dot, v, fields, rest, fin, false)
            }
            Operand::Chain(term, fields) => {
                let v = self.operand(dot, term)?;
                self.field_chain(dot, v, fields, rest, fin, false)
            }
            Operand::Ident(name) => self.call(dot, name, rest, fin),
            Operand::Nil => Err(self.error("nil is not a command")),
            Operand::Pipe(p) => {
                self.no_args(rest, &fin, "parenthesized pipeline")?;
                let mark = self.vars.len();
                let v = self.pipeline(dot, p);
                self.vars.truncate(mark);
                v
            }
            other => {
                self.no_args(rest, &fin, "constant")?;
                self.operand(dot, other)
            }
        }
    }

    fn no_args(&self, rest: &[Operand], fin: &Option<Value>, what: &str) -> R<()> {
        if !rest.is_empty() || fin.is_some() {
            return Err(self.error(format!("can't give argument to non-function {what}")));
        }
        Ok(())
    }

    /// Evaluates an operand used as an argument.
    fn operand(&mut self, dot: &Value, op: &Operand) -> R<Value> {
        Ok(match op {
            Operand::Dot => dot.clone(),
            Operand::Nil => Value::NIL,
            Operand::Bool(b) => Value::bool(*b),
            Operand::Str(s) => Value::str(s.clone()),
            Operand::Number(n) => number_value(n),
            Operand::Field(f) => self.field_chain(dot, dot.clone(), f, &[], None, true)?,
            Operand::Variable(name, f) => {
                let v = self.var(name)?;
                if f.is_empty() {
                    v
                } else {
                    self.field_chain(dot, v, f, &[], None, false)?
                }
            }
            Operand::Chain(term, f) => {
                let v = self.operand(dot, term)?;
                self.field_chain(dot, v, f, &[], None, false)?
            }
            Operand::Ident(name) => self.call(dot, name, &[], None)?,
            Operand::Pipe(p) => {
                let mark = self.vars.len();
                let v = self.pipeline(dot, p);
                self.vars.truncate(mark);
                v?
            }
        })
    }

    fn args(&mut self, dot: &Value, ops: &[Operand], fin: Option<Value>) -> R<Vec<Arg>> {
        let mut args = Vec::with_capacity(ops.len() + 1);
        for op in ops {
            let lit = matches!(op, Operand::Number(n) if !n.is_float);
            let lit_float = matches!(op, Operand::Number(_));
            let val = self.operand(dot, op)?;
            // A field that holds nil is a nil `interface{}` in Go, which a
            // typed parameter refuses; a pipeline's nil is "no value", which
            // becomes the parameter's zero value.
            let field = matches!(op, Operand::Field(_) | Operand::Chain(..))
                || matches!(op, Operand::Variable(_, f) if !f.is_empty());
            args.push(Arg {
                field_nil: field && val.is_nil(),
                val,
                lit,
                lit_number: lit_float,
            });
        }
        if let Some(f) = fin {
            args.push(Arg {
                val: f,
                lit: false,
                lit_number: false,
                field_nil: false,
            });
        }
        Ok(args)
    }

    /// `.A.B.C` on `receiver`; the last field may be a method taking the
    /// command's remaining arguments. `strict_nil`: a nil receiver reached
    /// through the chain is an error, as with Helm's `missingkey=zero`.
    fn field_chain(
        &mut self,
        dot: &Value,
        receiver: Value,
        fields: &[String],
        rest: &[Operand],
        fin: Option<Value>,
        strict_first: bool,
    ) -> R<Value> {
        let mut cur = receiver;
        let n = fields.len();
        for (i, name) in fields.iter().enumerate() {
            let last = i + 1 == n;
            let has_args = last && (!rest.is_empty() || fin.is_some());
            let strict = i > 0 || strict_first;
            let args = if has_args {
                self.args(dot, rest, fin.clone())?
            } else {
                Vec::new()
            };
            cur = self.field(&cur, name, args, has_args, strict)?;
        }
        Ok(cur)
    }

    fn field(
        &mut self,
        recv: &Value,
        name: &str,
        args: Vec<Arg>,
        has_args: bool,
        strict: bool,
    ) -> R<Value> {
        match &recv.v {
            V::Nil => {
                if strict {
                    Err(self.error(format!("nil pointer evaluating interface {{}}.{name}")))
                } else {
                    Ok(Value::NIL)
                }
            }
            V::Map(m) => {
                if has_args {
                    return Err(self.error(format!("{name} is not a method but has arguments")));
                }
                Ok(m.snap().get(name).cloned().unwrap_or(Value::NIL))
            }
            V::Files(_) | V::ApiVersions(_) | V::SemVer(_) | V::Time(_) => {
                funcs::method(self, recv, name, args).map_err(|m| self.error(m))
            }
            _ => Err(self.error(format!(
                "can't evaluate field {name} in type {}",
                recv.type_name()
            ))),
        }
    }

    fn call(&mut self, dot: &Value, name: &str, ops: &[Operand], fin: Option<Value>) -> R<Value> {
        // `and` and `or` stop at the first value that decides.
        if name == "and" || name == "or" {
            if ops.is_empty() && fin.is_none() {
                return Err(self.error(format!(
                    "wrong number of args for {name}: want at least 1 got 0"
                )));
            }
            let mut last = Value::NIL;
            let total = ops.len() + usize::from(fin.is_some());
            for (i, op) in ops.iter().enumerate() {
                last = self.operand(dot, op)?;
                if (name == "and") != last.truth() && i + 1 < total {
                    return Ok(last);
                }
                if (name == "and") != last.truth() {
                    return Ok(last);
                }
            }
            if let Some(f) = fin {
                last = f;
            }
            return Ok(last);
        }
        if !funcs::exists(name) {
            return Err(self.error(format!("function {name:?} not defined")));
        }
        let args = self.args(dot, ops, fin)?;
        let action = self.action.clone();
        let r = funcs::call(self, name, args, dot);
        self.action = action;
        // Strings built by functions (`print`, `repeat`, `join`) are bounded
        // like the output, so that doubling loops stop.
        if let Ok(Value { v: V::Str(t), .. }) = &r {
            if t.s.len() > MAX_OUTPUT {
                return Err(self.error(format!(
                    "{name} made a string larger than {MAX_OUTPUT} bytes"
                )));
            }
        }
        r.map_err(|e| match e {
            funcs::FnError::Msg(m) => self.error(format!("error calling {name}: {m}")),
            funcs::FnError::Inner(e) => e,
        })
    }

    /// The location of the current action (for `via`, fallbacks).
    pub fn action_location(&self) -> Option<Location> {
        self.src.location(&self.action)
    }

    pub fn action_via(&self) -> Option<Arc<Via>> {
        self.via()
    }
}

enum BranchKind {
    If,
    With,
}

/// A constant as Go's `idealConstant` types it for an `interface{}`.
pub fn number_value(n: &Number) -> Value {
    if n.is_float {
        Value::float(n.float)
    } else {
        match n.int {
            Some(i) => Value::int(i),
            None => Value::float(n.float),
        }
    }
}
