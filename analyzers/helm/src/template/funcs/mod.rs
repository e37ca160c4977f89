//! The functions a Helm template can call: Go's builtins, the Sprig
//! library (v3) and Helm's own, with Go's argument typing (a `string`
//! parameter refuses a number, an `int` parameter refuses a values file's
//! float64) so that what fails in Helm fails here.
//!
//! Functions that would be random or read the clock are deterministic (see
//! `docs/helm.md`); functions that need the network, a cluster or key
//! generation are not defined here and fail the template with a note.

pub mod dates;
pub mod gofmt;
mod lists;
mod strings;

use super::codec;
use super::exec::{Exec, ExecError};
use super::value::{SemVer, Text, Time, Value, V};
use std::collections::BTreeMap;
use std::rc::Rc;

/// An evaluated argument. `lit`: an integer constant written in the
/// template (Go types it from the parameter: int, int64 or float64).
pub struct Arg {
    pub val: Value,
    pub lit: bool,
    pub lit_number: bool,
    /// A nil read from a field (Go's nil `interface{}`), not a pipeline's.
    pub field_nil: bool,
}

#[derive(Debug)]
pub enum FnError {
    Msg(String),
    /// An error from a nested template run (`include`, `tpl`).
    Inner(ExecError),
}

pub type FResult = Result<Value, FnError>;

pub fn msg<T>(m: impl Into<String>) -> Result<T, FnError> {
    Err(FnError::Msg(m.into()))
}

/// Every function name this engine defines.
const NAMES: &[&str] = &[
    // Go builtins
    "and",
    "or",
    "not",
    "len",
    "index",
    "slice",
    "print",
    "printf",
    "println",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "html",
    "js",
    "urlquery",
    "call",
    // Helm
    "include",
    "tpl",
    "required",
    "toYaml",
    "toYamlPretty",
    "fromYaml",
    "fromYamlArray",
    "toJson",
    "fromJson",
    "fromJsonArray",
    "toToml",
    "lookup",
    // Sprig: strings
    "abbrev",
    "abbrevboth",
    "trunc",
    "trim",
    "upper",
    "lower",
    "title",
    "untitle",
    "substr",
    "repeat",
    "trimall",
    "trimAll",
    "trimSuffix",
    "trimPrefix",
    "nospace",
    "initials",
    "randAlphaNum",
    "randAlpha",
    "randAscii",
    "randNumeric",
    "swapcase",
    "snakecase",
    "camelcase",
    "kebabcase",
    "wrap",
    "wrapWith",
    "contains",
    "hasPrefix",
    "hasSuffix",
    "quote",
    "squote",
    "cat",
    "indent",
    "nindent",
    "replace",
    "plural",
    "sha1sum",
    "sha256sum",
    "adler32sum",
    "toString",
    "atoi",
    "int64",
    "int",
    "float64",
    "seq",
    "toDecimal",
    "split",
    "splitList",
    "splitn",
    "toStrings",
    "until",
    "untilStep",
    "add1",
    "add",
    "sub",
    "div",
    "mod",
    "mul",
    "biggest",
    "max",
    "min",
    "maxf",
    "minf",
    "ceil",
    "floor",
    "round",
    "addf",
    "add1f",
    "subf",
    "mulf",
    "divf",
    "join",
    "sortAlpha",
    "default",
    "empty",
    "coalesce",
    "all",
    "any",
    "compact",
    "mustCompact",
    "toPrettyJson",
    "toRawJson",
    "mustToJson",
    "mustToPrettyJson",
    "mustToRawJson",
    "mustFromJson",
    "ternary",
    "deepCopy",
    "mustDeepCopy",
    "typeOf",
    "typeIs",
    "typeIsLike",
    "kindOf",
    "kindIs",
    "deepEqual",
    "base",
    "dir",
    "clean",
    "ext",
    "isAbs",
    "osBase",
    "osClean",
    "osDir",
    "osExt",
    "osIsAbs",
    "b64enc",
    "b64dec",
    "b32enc",
    "b32dec",
    "tuple",
    "list",
    "dict",
    "get",
    "set",
    "unset",
    "hasKey",
    "pluck",
    "keys",
    "pick",
    "omit",
    "merge",
    "mergeOverwrite",
    "mustMerge",
    "mustMergeOverwrite",
    "values",
    "append",
    "push",
    "mustAppend",
    "mustPush",
    "prepend",
    "mustPrepend",
    "first",
    "mustFirst",
    "rest",
    "mustRest",
    "last",
    "mustLast",
    "initial",
    "mustInitial",
    "reverse",
    "mustReverse",
    "uniq",
    "mustUniq",
    "without",
    "mustWithout",
    "has",
    "mustHas",
    "mustSlice",
    "concat",
    "dig",
    "chunk",
    "mustChunk",
    "uuidv4",
    "semver",
    "semverCompare",
    "fail",
    "regexMatch",
    "mustRegexMatch",
    "regexFindAll",
    "mustRegexFindAll",
    "regexFind",
    "mustRegexFind",
    "regexReplaceAll",
    "mustRegexReplaceAll",
    "regexReplaceAllLiteral",
    "mustRegexReplaceAllLiteral",
    "regexSplit",
    "mustRegexSplit",
    "regexQuoteMeta",
    "now",
    "date",
    "dateInZone",
    "date_in_zone",
    "htmlDate",
    "htmlDateInZone",
    "unixEpoch",
    "toDate",
    "mustToDate",
    "hello",
];

/// A copy of a value sharing no map with it.
pub fn deep_copy(v: &Value) -> Value {
    lists::deep_copy(v, 0)
}

pub fn exists(name: &str) -> bool {
    NAMES.contains(&name)
}

// ------------------------------------------------------------ argument typing

pub fn want(args: &[Arg], n: usize, name: &str) -> Result<(), FnError> {
    if args.len() != n {
        return msg(format!(
            "wrong number of args for {name}: want {n} got {}",
            args.len()
        ));
    }
    Ok(())
}

pub fn at_least(args: &[Arg], n: usize, name: &str) -> Result<(), FnError> {
    if args.len() < n {
        return msg(format!(
            "wrong number of args for {name}: want at least {n} got {}",
            args.len()
        ));
    }
    Ok(())
}

fn wrong(expected: &str, v: &Value) -> FnError {
    if v.is_nil() {
        FnError::Msg(format!("invalid value; expected {expected}"))
    } else {
        FnError::Msg(format!(
            "wrong type for value; expected {expected}; got {}",
            v.type_name()
        ))
    }
}

/// A `string` parameter.
pub fn s(a: &Arg) -> Result<&str, FnError> {
    match &a.val.v {
        V::Str(t) => Ok(&t.s),
        _ => Err(wrong("string", &a.val)),
    }
}

/// An `int` parameter: an `int` value or an integer constant.
pub fn int(a: &Arg) -> Result<i64, FnError> {
    match a.val.v {
        V::Int(i) => Ok(i),
        V::Int64(i) if a.lit => Ok(i),
        _ => Err(wrong("int", &a.val)),
    }
}

/// A `map[string]interface{}` parameter (its current content).
pub fn map(a: &Arg) -> Result<Rc<BTreeMap<String, Value>>, FnError> {
    match &a.val.v {
        V::Map(m) => Ok(m.snap()),
        // Go passes a nil map for a pipeline's nil: reading it finds nothing.
        V::Nil if !a.field_nil => Ok(Rc::new(BTreeMap::new())),
        V::Nil => Err(FnError::Msg(
            "wrong type for value; expected map[string]interface {}; got interface {}".into(),
        )),
        _ => Err(wrong("map[string]interface {}", &a.val)),
    }
}

/// A `map[string]interface{}` parameter a function changes in place.
pub fn map_cell(a: &Arg) -> Result<Rc<super::value::MapCell>, FnError> {
    match &a.val.v {
        V::Map(m) => Ok(m.clone()),
        V::Nil => Err(FnError::Msg("assignment to entry in nil map".into())),
        _ => Err(wrong("map[string]interface {}", &a.val)),
    }
}

/// Sprig's `strval`: `fmt.Sprintf("%v")` of anything but a string.
pub fn strval(v: &Value) -> String {
    match &v.v {
        V::Str(t) => t.s.clone(),
        _ => super::value::to_v_string(v),
    }
}

/// `cast.ToInt64E` as Sprig uses it (errors are 0).
pub fn to_i64(v: &Value) -> i64 {
    match &v.v {
        V::Int(i) | V::Int64(i) => *i,
        V::Float(f) => {
            if f.is_finite() {
                *f as i64
            } else {
                i64::MIN
            }
        }
        V::Bool(b) => i64::from(*b),
        V::Str(t) => parse_go_int(trim_zero_decimal(&t.s)).unwrap_or(0),
        _ => 0,
    }
}

fn trim_zero_decimal(s: &str) -> &str {
    // cast's trimZeroDecimal: "8.0" -> "8", "8.00" -> "8"; "8.5" unchanged.
    if let Some((int, frac)) = s.split_once('.') {
        if !frac.is_empty() && frac.bytes().all(|b| b == b'0') && !int.is_empty() {
            return int;
        }
    }
    s
}

/// `strconv.ParseInt(s, 0, 64)`.
pub fn parse_go_int(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if body.is_empty() {
        return None;
    }
    let (digits, radix) =
        if let Some(h) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
            (h, 16)
        } else if let Some(o) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
            (o, 8)
        } else if let Some(b) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
            (b, 2)
        } else if body.len() > 1 && body.starts_with('0') {
            (&body[1..], 8)
        } else {
            (body, 10)
        };
    let digits = if radix != 10 {
        digits.replace('_', "")
    } else {
        digits.to_string()
    };
    if digits.is_empty() || digits.starts_with(['+', '-']) {
        return None;
    }
    let v = i64::from_str_radix(&digits, radix).ok()?;
    Some(if neg { -v } else { v })
}

/// `cast.ToFloat64E` (errors are 0).
pub fn to_f64(v: &Value) -> f64 {
    match &v.v {
        V::Int(i) | V::Int64(i) => *i as f64,
        V::Float(f) => *f,
        V::Bool(b) => f64::from(u8::from(*b)),
        V::Str(t) => t.s.parse().unwrap_or(0.0),
        _ => 0.0,
    }
}

/// Sprig's `empty`.
pub fn empty(v: &Value) -> bool {
    !v.truth()
}

// ------------------------------------------------------------ dispatch

pub fn call(ex: &mut Exec<'_>, name: &str, args: Vec<Arg>, _dot: &Value) -> FResult {
    if let Some(r) = builtin(name, &args) {
        return r;
    }
    if let Some(r) = helm(ex, name, &args) {
        return r;
    }
    if let Some(r) = strings::call(name, &args) {
        return r;
    }
    if let Some(r) = lists::call(name, &args) {
        return r;
    }
    msg(format!("function {name:?} not supported"))
}

fn builtin(name: &str, args: &[Arg]) -> Option<FResult> {
    Some(match name {
        "not" => want(args, 1, name).map(|_| Value::bool(!args[0].val.truth())),
        "len" => (|| {
            want(args, 1, name)?;
            let v = &args[0].val;
            let n = match &v.v {
                V::Str(t) => t.s.len(),
                V::List(l) => l.len(),
                V::Strings(l) | V::ApiVersions(l) => l.len(),
                V::Map(m) => m.snap().len(),
                V::Files(f) => f.entries.len(),
                V::Nil => return msg("len of nil pointer"),
                _ => return msg(format!("len of type {}", v.type_name())),
            };
            Ok(Value::int(n as i64))
        })(),
        "index" => index(args),
        "slice" | "mustSlice" => lists::slice(args, name == "slice"),
        "print" => Ok(Value::str(gofmt::sprint(&vals(args)))),
        "println" => Ok(Value::str(gofmt::sprintln(&vals(args)))),
        "printf" => printf(args),
        "eq" => eq(args),
        "ne" => (|| {
            want(args, 2, name)?;
            Ok(Value::bool(!eq_values(&args[0].val, &args[1].val)?))
        })(),
        "lt" | "le" | "gt" | "ge" => (|| {
            want(args, 2, name)?;
            let o = compare(&args[0].val, &args[1].val)?;
            Ok(Value::bool(match name {
                "lt" => o.is_lt(),
                "le" => o.is_le(),
                "gt" => o.is_gt(),
                _ => o.is_ge(),
            }))
        })(),
        "html" => Ok(Value::str(html_escape(&eval_args(args)))),
        "js" => Ok(Value::str(js_escape(&eval_args(args)))),
        "urlquery" => Ok(Value::str(query_escape(&eval_args(args)))),
        "call" => msg("call of a non-function"),
        _ => return None,
    })
}

pub fn vals(args: &[Arg]) -> Vec<Value> {
    args.iter().map(|a| a.val.clone()).collect()
}

/// `evalArgs` of Go's escapers: one string as is, else `fmt.Sprint`.
fn eval_args(args: &[Arg]) -> String {
    if args.len() == 1 {
        if let V::Str(t) = &args[0].val.v {
            return t.s.clone();
        }
    }
    gofmt::sprint(&vals(args))
}

fn printf(args: &[Arg]) -> FResult {
    at_least(args, 1, "printf")?;
    let format = s(&args[0])?;
    let rest = vals(&args[1..]);
    let (out, placed) = gofmt::sprintf(format, &rest);
    // Keep where each argument's text came from.
    let mut text = Text::plain(out);
    for (range, i) in placed {
        let arg = &rest[i];
        match &arg.v {
            V::Str(t) if t.s.len() == range.len() && text.s[range.clone()] == t.s => {
                let shifted: Vec<_> = t.segs_in(0..t.s.len(), range.start).collect();
                if shifted.is_empty() {
                    if let Some(o) = &arg.origin {
                        text.segs.push(super::value::TextSeg {
                            range,
                            origin: seamcheck_facts::render::Origin::Produced(o.value.clone()),
                            via: None,
                        });
                    }
                } else {
                    text.segs.extend(shifted);
                }
            }
            _ => {
                if let Some(o) = &arg.origin {
                    text.segs.push(super::value::TextSeg {
                        range,
                        origin: seamcheck_facts::render::Origin::Produced(o.value.clone()),
                        via: None,
                    });
                }
            }
        }
    }
    Ok(Value::text(text))
}

fn index(args: &[Arg]) -> FResult {
    at_least(args, 1, "index")?;
    let mut cur = args[0].val.clone();
    for a in &args[1..] {
        cur = match &cur.v {
            V::Map(m) => {
                let V::Str(k) = &a.val.v else {
                    return msg(format!(
                        "value has type {}; should be string",
                        a.val.type_name()
                    ));
                };
                m.snap().get(&k.s).cloned().unwrap_or(Value::NIL)
            }
            V::List(_) | V::Strings(_) | V::Str(_) => {
                let i = match a.val.v {
                    V::Int(i) | V::Int64(i) => i,
                    _ => {
                        return msg(format!(
                            "cannot index slice/array with type {}",
                            a.val.type_name()
                        ))
                    }
                };
                let len = match &cur.v {
                    V::List(l) => l.len(),
                    V::Strings(l) => l.len(),
                    V::Str(t) => t.s.len(),
                    _ => 0,
                };
                if i < 0 || i as usize >= len {
                    return msg(format!("index out of range: {i}"));
                }
                match &cur.v {
                    V::List(l) => l[i as usize].clone(),
                    V::Strings(l) => Value::str(l[i as usize].clone()),
                    V::Str(t) => Value::int64(i64::from(t.s.as_bytes()[i as usize])),
                    _ => Value::NIL,
                }
            }
            V::Nil => return msg("index of untyped nil"),
            _ => return msg(format!("can't index item of type {}", cur.type_name())),
        };
    }
    Ok(cur)
}

#[derive(PartialEq)]
enum Basic {
    Bool,
    Int,
    Float,
    Str,
    Other,
    Invalid,
}

fn basic(v: &Value) -> Basic {
    match v.v {
        V::Nil => Basic::Invalid,
        V::Bool(_) => Basic::Bool,
        V::Int(_) | V::Int64(_) => Basic::Int,
        V::Float(_) => Basic::Float,
        V::Str(_) => Basic::Str,
        _ => Basic::Other,
    }
}

pub fn eq_values(a: &Value, b: &Value) -> Result<bool, FnError> {
    let (ka, kb) = (basic(a), basic(b));
    if ka != kb {
        if ka != Basic::Invalid && kb != Basic::Invalid {
            return msg("incompatible types for comparison");
        }
        return Ok(false);
    }
    Ok(match (&a.v, &b.v) {
        (V::Bool(x), V::Bool(y)) => x == y,
        (V::Int(x) | V::Int64(x), V::Int(y) | V::Int64(y)) => x == y,
        (V::Float(x), V::Float(y)) => x == y,
        (V::Str(x), V::Str(y)) => x.s == y.s,
        (V::Nil, V::Nil) => true,
        _ => return msg(format!("non-comparable type {}", a.type_name())),
    })
}

fn eq(args: &[Arg]) -> FResult {
    at_least(args, 1, "eq")?;
    if args.len() == 1 {
        return msg("missing argument for comparison");
    }
    for b in &args[1..] {
        if eq_values(&args[0].val, &b.val)? {
            return Ok(Value::bool(true));
        }
    }
    Ok(Value::bool(false))
}

fn compare(a: &Value, b: &Value) -> Result<std::cmp::Ordering, FnError> {
    let (ka, kb) = (basic(a), basic(b));
    if matches!(ka, Basic::Other | Basic::Invalid | Basic::Bool) {
        return msg("invalid type for comparison");
    }
    if ka != kb {
        return msg("incompatible types for comparison");
    }
    Ok(match (&a.v, &b.v) {
        (V::Int(x) | V::Int64(x), V::Int(y) | V::Int64(y)) => x.cmp(y),
        (V::Float(x), V::Float(y)) => x.partial_cmp(y).unwrap_or(std::cmp::Ordering::Equal),
        (V::Str(x), V::Str(y)) => x.s.cmp(&y.s),
        _ => return msg("invalid type for comparison"),
    })
}

fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\0' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn js_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// `url.QueryEscape`.
pub fn query_escape(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

// ------------------------------------------------------------ Helm

fn helm(ex: &mut Exec<'_>, name: &str, args: &[Arg]) -> Option<FResult> {
    Some(match name {
        "include" => (|| {
            want(args, 2, name)?;
            let n = s(&args[0])?.to_string();
            ex.run_named(&n, &args[1].val)
                .map(Value::text)
                .map_err(FnError::Inner)
        })(),
        "tpl" => (|| {
            want(args, 2, name)?;
            let text = s(&args[0])?.to_string();
            let origin = args[0].val.origin.as_ref().map(|o| o.value.clone());
            let origin = origin.or_else(|| ex.action_location());
            let parsed = super::parse::parse(&text)
                .map_err(|e| FnError::Msg(format!("parse error in tpl: {}", e.message)))?;
            if !parsed.defines.is_empty() {
                return msg("define inside tpl text is not supported");
            }
            let src = Rc::new(super::exec::Source {
                file: None,
                text: Rc::from(text.as_str()),
                origin,
                path: ex.src.path.clone(),
            });
            let t = Rc::new(super::exec::Tmpl {
                name: "tpl".into(),
                body: Rc::new(parsed.root),
                src,
            });
            ex.run(&t, &args[1].val)
                .map(Value::text)
                .map_err(FnError::Inner)
        })(),
        "required" => (|| {
            want(args, 2, name)?;
            let warn = s(&args[0])?;
            let v = &args[1].val;
            if v.is_nil() || v.as_str() == Some("") {
                return msg(warn.to_string());
            }
            Ok(v.clone())
        })(),
        "fail" => (|| {
            want(args, 1, name)?;
            msg(s(&args[0])?.to_string())
        })(),
        "toYaml" | "toYamlPretty" => (|| {
            want(args, 1, name)?;
            Ok(Value::text(codec::to_yaml(&args[0].val)))
        })(),
        "fromYaml" | "fromYamlArray" => (|| {
            want(args, 1, name)?;
            let text = s(&args[0])?;
            let array = name == "fromYamlArray";
            let parsed = codec::parse_yaml(text);
            Ok(match parsed {
                Ok(v) if !array && matches!(v.v, V::Map(_)) => v,
                Ok(v) if array && matches!(v.v, V::List(_)) => v,
                Ok(v) if v.is_nil() => {
                    if array {
                        Value::list(Vec::new())
                    } else {
                        Value::map(BTreeMap::new())
                    }
                }
                Ok(v) => error_value(
                    array,
                    format!(
                        "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type {}",
                        json_kind(&v),
                        if array { "[]interface {}" } else { "map[string]interface {}" }
                    ),
                ),
                Err(e) => error_value(array, e),
            })
        })(),
        "toJson" | "mustToJson" => (|| {
            want(args, 1, name)?;
            Ok(Value::str(codec::to_json(&args[0].val, true, false)))
        })(),
        "toRawJson" | "mustToRawJson" => (|| {
            want(args, 1, name)?;
            Ok(Value::str(codec::to_json(&args[0].val, false, false)))
        })(),
        "toPrettyJson" | "mustToPrettyJson" => (|| {
            want(args, 1, name)?;
            Ok(Value::str(codec::to_json(&args[0].val, true, true)))
        })(),
        "fromJson" | "fromJsonArray" | "mustFromJson" => (|| {
            want(args, 1, name)?;
            let text = s(&args[0])?;
            let array = name == "fromJsonArray";
            Ok(match codec::parse_json(text) {
                Ok(v) if name == "mustFromJson" => v,
                Ok(v) if !array && matches!(v.v, V::Map(_)) => v,
                Ok(v) if array && matches!(v.v, V::List(_)) => v,
                Ok(v) => error_value(
                    array,
                    format!(
                        "json: cannot unmarshal {} into Go value of type {}",
                        json_kind(&v),
                        if array {
                            "[]interface {}"
                        } else {
                            "map[string]interface {}"
                        }
                    ),
                ),
                Err(e) if name == "mustFromJson" => return msg(e),
                Err(e) => error_value(array, e),
            })
        })(),
        "toToml" => (|| {
            want(args, 1, name)?;
            Ok(Value::str(to_toml(&args[0].val)))
        })(),
        "lookup" => Ok(Value::map(BTreeMap::new())),
        "now" => Ok(V::Time(Time(dates::FIXED_NOW)).into()),
        "unixEpoch" => (|| {
            want(args, 1, name)?;
            match args[0].val.v {
                V::Time(t) => Ok(Value::str(t.0.to_string())),
                _ => Err(wrong("time.Time", &args[0].val)),
            }
        })(),
        "date" | "dateInZone" | "date_in_zone" | "htmlDate" | "htmlDateInZone" => (|| {
            let layout = match name {
                "htmlDate" | "htmlDateInZone" => "2006-01-02".to_string(),
                _ => s(&args[0])?.to_string(),
            };
            let when = match name {
                "htmlDate" => args.first(),
                "htmlDateInZone" => args.first(),
                _ => args.get(1),
            };
            let t = match when.map(|a| &a.val.v) {
                Some(V::Time(t)) => *t,
                Some(V::Int(i) | V::Int64(i)) => Time(*i),
                Some(V::Float(f)) => Time(*f as i64),
                _ => Time(dates::FIXED_NOW),
            };
            Ok(Value::str(dates::format_time(t, &layout)))
        })(),
        "toDate" | "mustToDate" => msg("toDate is not supported"),
        "hello" => Ok(Value::str("Hello!")),
        _ => return None,
    })
}

fn json_kind(v: &Value) -> &'static str {
    match v.v {
        V::List(_) | V::Strings(_) => "array",
        V::Map(_) => "object",
        V::Str(_) => "string",
        V::Bool(_) => "bool",
        V::Nil => "null",
        _ => "number",
    }
}

/// Helm's `fromYaml`/`fromJson` error value: `{"Error": msg}` (arrays:
/// `[msg]`).
fn error_value(array: bool, e: String) -> Value {
    if array {
        Value::list(vec![Value::str(e)])
    } else {
        let mut m = BTreeMap::new();
        m.insert("Error".to_string(), Value::str(e));
        Value::map(m)
    }
}

/// A small TOML encoder for `toToml` (scalars, arrays and nested tables).
fn to_toml(v: &Value) -> String {
    fn scalar(v: &Value) -> Option<String> {
        Some(match &v.v {
            V::Str(t) => codec::to_json(&Value::str(t.s.clone()), false, false),
            V::Bool(b) => b.to_string(),
            V::Int(i) | V::Int64(i) => i.to_string(),
            V::Float(f) if f.fract() == 0.0 => format!("{f:.1}"),
            V::Float(f) => f.to_string(),
            V::List(l) => {
                let items: Option<Vec<String>> = l.iter().map(scalar).collect();
                format!("[{}]", items?.join(", "))
            }
            _ => return None,
        })
    }
    fn table(prefix: &str, m: &BTreeMap<String, Value>, out: &mut String, depth: usize) {
        if depth > 64 {
            return;
        }
        for (k, v) in m {
            if let Some(s) = scalar(v) {
                out.push_str(&format!("{k} = {s}\n"));
            }
        }
        for (k, v) in m {
            if let V::Map(sub) = &v.v {
                let name = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                out.push_str(&format!("\n[{name}]\n"));
                table(&name, &sub.snap(), out, depth + 1);
            }
        }
    }
    let mut out = String::new();
    if let V::Map(m) = &v.v {
        table("", &m.snap(), &mut out, 0);
    }
    out
}

// ------------------------------------------------------------ methods

pub fn method(
    _ex: &mut Exec<'_>,
    recv: &Value,
    name: &str,
    args: Vec<Arg>,
) -> Result<Value, String> {
    let arg_str = |i: usize| -> Result<String, String> {
        match args.get(i).map(|a| &a.val.v) {
            Some(V::Str(t)) => Ok(t.s.clone()),
            _ => Err(format!("wrong number or type of args for {name}")),
        }
    };
    match &recv.v {
        V::Files(f) => match name {
            "Get" | "GetBytes" => {
                let p = arg_str(0)?;
                let content = f.entries.iter().find(|e| e.0 == p).map(|e| e.1.clone());
                Ok(Value::str(
                    content
                        .map(|c| String::from_utf8_lossy(&c).into_owned())
                        .unwrap_or_default(),
                ))
            }
            "Glob" => {
                let pat = arg_str(0)?;
                let entries = f
                    .entries
                    .iter()
                    .filter(|e| glob_match(&pat, &e.0))
                    .cloned()
                    .collect();
                Ok(V::Files(Rc::new(super::value::Files { entries })).into())
            }
            "Lines" => {
                let p = arg_str(0)?;
                let content = f.entries.iter().find(|e| e.0 == p).map(|e| e.1.clone());
                Ok(match content {
                    None => Value::strings(Vec::new()),
                    Some(c) => Value::strings(
                        String::from_utf8_lossy(&c)
                            .split('\n')
                            .map(str::to_string)
                            .collect(),
                    ),
                })
            }
            "AsConfig" | "AsSecrets" => {
                let mut m = BTreeMap::new();
                for (p, c, _) in &f.entries {
                    let base = p.rsplit('/').next().unwrap_or(p).to_string();
                    let text = if name == "AsSecrets" {
                        use base64::Engine as _;
                        base64::engine::general_purpose::STANDARD.encode(c)
                    } else {
                        String::from_utf8_lossy(c).into_owned()
                    };
                    m.insert(base, Value::str(text));
                }
                if m.is_empty() {
                    return Ok(Value::str(""));
                }
                Ok(Value::text(codec::to_yaml(&Value::map(m))))
            }
            _ => Err(format!("can't evaluate field {name} in type engine.files")),
        },
        V::ApiVersions(list) => match name {
            "Has" => {
                let v = arg_str(0)?;
                Ok(Value::bool(list.contains(&v)))
            }
            _ => Err(format!(
                "can't evaluate field {name} in type chartutil.VersionSet"
            )),
        },
        V::SemVer(sv) => Ok(match name {
            "Major" => Value::int64(sv.major as i64),
            "Minor" => Value::int64(sv.minor as i64),
            "Patch" => Value::int64(sv.patch as i64),
            "Prerelease" => Value::str(sv.pre.clone()),
            "Metadata" => Value::str(sv.meta.clone()),
            "Original" => Value::str(sv.original.clone()),
            "String" => Value::str(lists::semver_string(sv)),
            _ => {
                return Err(format!(
                    "can't evaluate field {name} in type *semver.Version"
                ))
            }
        }),
        V::Time(t) => match name {
            "Unix" => Ok(Value::int64(t.0)),
            "Year" => Ok(Value::int(
                dates::format_time(*t, "2006").parse().unwrap_or(0),
            )),
            "Format" => Ok(Value::str(dates::format_time(*t, &arg_str(0)?))),
            _ => Err(format!("can't evaluate field {name} in type time.Time")),
        },
        _ => Err(format!(
            "can't evaluate field {name} in type {}",
            recv.type_name()
        )),
    }
}

/// A glob as Helm's `.Files.Glob` matches (gobwas/glob with `/` as
/// separator: `*` stays within a path segment, `**` crosses them).
pub fn glob_match(pat: &str, path: &str) -> bool {
    fn m(p: &[u8], s: &[u8], steps: &mut usize) -> bool {
        *steps += 1;
        if *steps > 100_000 {
            return false;
        }
        match p.first() {
            None => s.is_empty(),
            Some(b'*') if p.get(1) == Some(&b'*') => {
                (0..=s.len()).any(|i| m(&p[2..], &s[i..], steps))
            }
            Some(b'*') => {
                let mut i = 0;
                loop {
                    if m(&p[1..], &s[i..], steps) {
                        return true;
                    }
                    if i >= s.len() || s[i] == b'/' {
                        return false;
                    }
                    i += 1;
                }
            }
            Some(b'?') => !s.is_empty() && s[0] != b'/' && m(&p[1..], &s[1..], steps),
            Some(b'{') => {
                let Some(close) = p.iter().position(|c| *c == b'}') else {
                    return false;
                };
                let alts = &p[1..close];
                alts.split(|c| *c == b',').any(|alt| {
                    let mut q = alt.to_vec();
                    q.extend_from_slice(&p[close + 1..]);
                    m(&q, s, steps)
                })
            }
            Some(c) => !s.is_empty() && s[0] == *c && m(&p[1..], &s[1..], steps),
        }
    }
    let mut steps = 0;
    m(pat.as_bytes(), path.as_bytes(), &mut steps)
}

/// Parses a semantic version as Masterminds/semver does (lenient:
/// `v1.2`, `1`).
pub fn parse_semver(s: &str) -> Option<SemVer> {
    let orig = s.to_string();
    let t = s.trim();
    let t = t.strip_prefix('v').unwrap_or(t);
    let (main, meta) = match t.split_once('+') {
        Some((a, b)) => (a, b.to_string()),
        None => (t, String::new()),
    };
    let (nums, pre) = match main.split_once('-') {
        Some((a, b)) => (a, b.to_string()),
        None => (main, String::new()),
    };
    let parts: Vec<&str> = nums.split('.').collect();
    if parts.is_empty() || parts.len() > 3 {
        return None;
    }
    let mut n = [0u64; 3];
    for (i, p) in parts.iter().enumerate() {
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        n[i] = p.parse().ok()?;
    }
    Some(SemVer {
        major: n[0],
        minor: n[1],
        patch: n[2],
        pre,
        meta,
        original: orig,
    })
}
