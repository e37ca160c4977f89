//! Dynamic values of the template engine, modelled on what Helm hands Go's
//! `text/template`: `nil`, `bool`, `int` (template constants), `int64`
//! (Sprig arithmetic), `float64` (every number of a values file: Helm decodes
//! YAML through JSON), `string`, `[]interface{}` and
//! `map[string]interface{}` (kept sorted by key, as Go prints and ranges
//! them), plus the few Helm objects with methods (`.Files`,
//! `.Capabilities.APIVersions`, a parsed semver, a time).
//!
//! A value that came from a values file keeps the location of its node, and
//! a string keeps, per byte range, where its text came from: that is how the
//! output of `include`, `toYaml` or `nindent` still points at real lines.

use seamcheck_facts::render::{Origin, Via};
use seamcheck_facts::{Location, Span};
use std::collections::BTreeMap;
use std::ops::Range;
use std::rc::Rc;
use std::sync::Arc;

/// Where a value of a values file was written.
#[derive(Debug, Clone)]
pub struct NodeOrigin {
    /// The value node.
    pub value: Location,
    /// The key of the entry holding it, for a mapping entry.
    pub key: Option<Location>,
}

/// A run of a string's bytes and where they came from.
#[derive(Debug, Clone)]
pub struct TextSeg {
    pub range: Range<usize>,
    pub origin: Origin,
    pub via: Option<Arc<Via>>,
}

/// A string with the origin of its bytes (possibly none known).
#[derive(Debug, Clone, Default)]
pub struct Text {
    pub s: String,
    pub segs: Vec<TextSeg>,
}

impl Text {
    pub fn plain(s: impl Into<String>) -> Self {
        Text {
            s: s.into(),
            segs: Vec::new(),
        }
    }

    /// The segments of `range` of this text, shifted to start at `to`.
    pub fn segs_in(&self, range: Range<usize>, to: usize) -> impl Iterator<Item = TextSeg> + '_ {
        self.segs.iter().filter_map(move |seg| {
            let start = seg.range.start.max(range.start);
            let end = seg.range.end.min(range.end);
            (start < end).then(|| TextSeg {
                range: start - range.start + to..end - range.start + to,
                origin: shift_origin(&seg.origin, start - seg.range.start),
                via: seg.via.clone(),
            })
        })
    }

    /// A substring keeping its origins.
    pub fn slice(&self, range: Range<usize>) -> Text {
        Text {
            s: self.s[range.clone()].to_string(),
            segs: self.segs_in(range, 0).collect(),
        }
    }

    /// Builds a text from pieces: each either a part of `self` or new bytes.
    pub fn rebuild(&self, pieces: &[Piece<'_>]) -> Text {
        let mut out = Text::default();
        for piece in pieces {
            match piece {
                Piece::Old(r) => {
                    let at = out.s.len();
                    out.s.push_str(&self.s[r.clone()]);
                    out.segs.extend(self.segs_in(r.clone(), at));
                }
                Piece::New(s) => out.s.push_str(s),
            }
        }
        out
    }
}

pub enum Piece<'a> {
    Old(Range<usize>),
    New(&'a str),
}

/// The origin of the byte `delta` bytes into a run.
pub fn shift_origin(origin: &Origin, delta: usize) -> Origin {
    match origin {
        Origin::Copied { file, start } => Origin::Copied {
            file: file.clone(),
            start: start + delta,
        },
        Origin::Produced(loc) => Origin::Produced(loc.clone()),
    }
}

/// A `.Files` object: the chart's non-template files (or a `Glob` of them).
#[derive(Debug)]
pub struct Files {
    /// Chart-relative path, content, and the real root-relative path.
    pub entries: Vec<(String, Vec<u8>, String)>,
}

/// A calendar time (what `now` returns), as seconds since the epoch (UTC).
#[derive(Debug, Clone, Copy)]
pub struct Time(pub i64);

/// A parsed semantic version (Sprig's `semver`).
#[derive(Debug, Clone)]
pub struct SemVer {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    pub pre: String,
    pub meta: String,
    pub original: String,
}

/// The content of a Go map, replaced as a whole when `set`, `unset` or
/// `merge` change it, so that readers holding a snapshot are unaffected.
#[derive(Debug, Default)]
pub struct MapCell(std::cell::RefCell<Rc<BTreeMap<String, Value>>>);

impl MapCell {
    pub fn new(m: BTreeMap<String, Value>) -> Self {
        MapCell(std::cell::RefCell::new(Rc::new(m)))
    }

    /// The current content.
    pub fn snap(&self) -> Rc<BTreeMap<String, Value>> {
        self.0.borrow().clone()
    }

    /// Replaces the content (every alias sees it).
    pub fn replace(&self, m: BTreeMap<String, Value>) {
        *self.0.borrow_mut() = Rc::new(m);
    }
}

#[derive(Debug, Clone)]
pub enum V {
    Nil,
    Bool(bool),
    /// Go `int`.
    Int(i64),
    /// Go `int64`.
    Int64(i64),
    Float(f64),
    Str(Rc<Text>),
    List(Rc<Vec<Value>>),
    /// A Go map: shared by every holder (`set` on one alias is seen by
    /// all), its content swapped on write.
    Map(Rc<MapCell>),
    Files(Rc<Files>),
    ApiVersions(Rc<Vec<String>>),
    SemVer(Rc<SemVer>),
    Time(Time),
    /// A Go `[]string` (what `splitList`, `keys`, `regexFindAll` return):
    /// printed and typed as such.
    Strings(Rc<Vec<String>>),
}

#[derive(Debug, Clone)]
pub struct Value {
    pub v: V,
    pub origin: Option<Rc<NodeOrigin>>,
}

impl From<V> for Value {
    fn from(v: V) -> Self {
        Value { v, origin: None }
    }
}

impl Value {
    pub const NIL: Value = Value {
        v: V::Nil,
        origin: None,
    };

    pub fn str(s: impl Into<String>) -> Value {
        V::Str(Rc::new(Text::plain(s))).into()
    }

    pub fn text(t: Text) -> Value {
        V::Str(Rc::new(t)).into()
    }

    pub fn bool(b: bool) -> Value {
        V::Bool(b).into()
    }

    pub fn int(i: i64) -> Value {
        V::Int(i).into()
    }

    pub fn int64(i: i64) -> Value {
        V::Int64(i).into()
    }

    pub fn float(f: f64) -> Value {
        V::Float(f).into()
    }

    pub fn list(items: Vec<Value>) -> Value {
        V::List(Rc::new(items)).into()
    }

    pub fn map(m: BTreeMap<String, Value>) -> Value {
        V::Map(Rc::new(MapCell::new(m))).into()
    }

    pub fn strings(items: Vec<String>) -> Value {
        V::Strings(Rc::new(items)).into()
    }

    pub fn with_origin(mut self, origin: Option<Rc<NodeOrigin>>) -> Value {
        if self.origin.is_none() {
            self.origin = origin;
        }
        self
    }

    pub fn is_nil(&self) -> bool {
        matches!(self.v, V::Nil)
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.v {
            V::Str(t) => Some(&t.s),
            _ => None,
        }
    }

    /// The current content of a map.
    pub fn as_map(&self) -> Option<Rc<BTreeMap<String, Value>>> {
        match &self.v {
            V::Map(m) => Some(m.snap()),
            _ => None,
        }
    }

    /// The items of a list-like value (`[]interface{}` or `[]string`).
    pub fn as_list(&self) -> Option<Vec<Value>> {
        match &self.v {
            V::List(l) => Some(l.as_ref().clone()),
            V::Strings(l) => Some(l.iter().map(Value::str).collect()),
            _ => None,
        }
    }

    /// Go's `text/template` truth: empty values are false.
    pub fn truth(&self) -> bool {
        match &self.v {
            V::Nil => false,
            V::Bool(b) => *b,
            V::Int(i) | V::Int64(i) => *i != 0,
            V::Float(f) => *f != 0.0,
            V::Str(t) => !t.s.is_empty(),
            V::List(l) => !l.is_empty(),
            V::Strings(l) => !l.is_empty(),
            V::Map(m) => !m.snap().is_empty(),
            V::Files(_) | V::SemVer(_) | V::Time(_) => true,
            V::ApiVersions(l) => !l.is_empty(),
        }
    }

    /// Go's type name (`%T`, Sprig's `typeOf`).
    pub fn type_name(&self) -> &'static str {
        match &self.v {
            V::Nil => "<nil>",
            V::Bool(_) => "bool",
            V::Int(_) => "int",
            V::Int64(_) => "int64",
            V::Float(_) => "float64",
            V::Str(_) => "string",
            V::List(_) => "[]interface {}",
            V::Strings(_) => "[]string",
            V::Map(_) => "map[string]interface {}",
            V::Files(_) => "engine.files",
            V::ApiVersions(_) => "chartutil.VersionSet",
            V::SemVer(_) => "*semver.Version",
            V::Time(_) => "time.Time",
        }
    }

    /// Go's kind name (Sprig's `kindOf`).
    pub fn kind_name(&self) -> &'static str {
        match &self.v {
            V::Nil => "invalid",
            V::Bool(_) => "bool",
            V::Int(_) => "int",
            V::Int64(_) => "int64",
            V::Float(_) => "float64",
            V::Str(_) => "string",
            V::List(_) | V::Strings(_) | V::ApiVersions(_) => "slice",
            V::Map(_) | V::Files(_) => "map",
            V::SemVer(_) => "ptr",
            V::Time(_) => "struct",
        }
    }
}

/// Go's `%v` of a float64, `strconv.FormatFloat(f, 'g', -1, 64)`: the
/// shortest digits, in e-form when the exponent is below -4 or at least 6
/// (so a values file's `1000000` prints `1e+06`, as in Helm).
pub fn go_float(f: f64) -> String {
    go_float_g(f, 6)
}

/// The shortest digits of `f`, in e-form when the exponent is below -4 or
/// at least `eprec_shortest` (6 for `%v`, 21 for JSON numbers).
pub fn go_float_g(f: f64, eprec_shortest: i32) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    // Rust's `{:e}` is the shortest round-trip form: "d.ddddde±x".
    let e = format!("{:e}", f);
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let neg = mant.starts_with('-');
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let nd = digits.len() as i32;
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if exp < -4 || exp >= eprec_shortest {
        out.push_str(&digits[..1]);
        if nd > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        let a = exp.unsigned_abs();
        if a < 10 {
            out.push('0');
        }
        out.push_str(&a.to_string());
    } else if exp < 0 {
        out.push_str("0.");
        for _ in 0..(-exp - 1) {
            out.push('0');
        }
        out.push_str(&digits);
    } else {
        let point = (exp + 1) as usize;
        if digits.len() <= point {
            out.push_str(&digits);
            for _ in digits.len()..point {
                out.push('0');
            }
        } else {
            out.push_str(&digits[..point]);
            out.push('.');
            out.push_str(&digits[point..]);
        }
    }
    out
}

/// Go's `%v` formatting of a value (`fmt.Sprint`), `nil` as `<nil>`.
pub fn format_v(v: &Value, out: &mut String) {
    format_v_depth(v, out, 0)
}

/// Maps can hold themselves after `set`: nesting is cut at this depth.
pub const MAX_PRINT_DEPTH: usize = 100;

fn format_v_depth(v: &Value, out: &mut String, depth: usize) {
    if depth > MAX_PRINT_DEPTH || out.len() > 64 << 20 {
        out.push_str("...");
        return;
    }
    match &v.v {
        V::Nil => out.push_str("<nil>"),
        V::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        V::Int(i) | V::Int64(i) => out.push_str(&i.to_string()),
        V::Float(f) => out.push_str(&go_float(*f)),
        V::Str(t) => out.push_str(&t.s),
        V::List(l) => {
            out.push('[');
            for (i, item) in l.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                format_v_depth(item, out, depth + 1);
            }
            out.push(']');
        }
        V::Strings(l) | V::ApiVersions(l) => {
            out.push('[');
            out.push_str(&l.join(" "));
            out.push(']');
        }
        V::Map(m) => {
            out.push_str("map[");
            for (i, (k, item)) in m.snap().iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(k);
                out.push(':');
                format_v_depth(item, out, depth + 1);
            }
            out.push(']');
        }
        V::Files(f) => {
            out.push_str("map[");
            let mut names: Vec<&str> = f.entries.iter().map(|e| e.0.as_str()).collect();
            names.sort();
            for (i, n) in names.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(n);
                out.push_str(":[...]");
            }
            out.push(']');
        }
        V::SemVer(s) => out.push_str(&s.original),
        V::Time(t) => out.push_str(&super::funcs::dates::format_time(
            *t,
            "2006-01-02 15:04:05.999999999 -0700 MST",
        )),
    }
}

pub fn to_v_string(v: &Value) -> String {
    let mut s = String::new();
    format_v(v, &mut s);
    s
}

/// The span of a location, for building origins.
pub fn span_of(r: &Range<usize>) -> Span {
    Span::new(r.start, r.end)
}
