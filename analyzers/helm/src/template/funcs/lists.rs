//! Sprig's lists, dicts, defaults, types, numbers, regular expressions and
//! semantic versions.

use super::{
    at_least, empty, int, map, map_cell, msg, parse_semver, s, strval, to_f64, to_i64, want, Arg,
    FResult, FnError,
};
use crate::template::value::{SemVer, Value, V};
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::OnceLock;

/// Most items a list-making function may create.
const MAX_ITEMS: i64 = 1_000_000;

fn list_of(a: &Arg, what: &str) -> Result<Vec<Value>, FnError> {
    match a.val.as_list() {
        Some(l) => Ok(l),
        None => msg(format!("Cannot {what} on type {}", a.val.kind_name())),
    }
}

pub fn call(name: &str, args: &[Arg]) -> Option<FResult> {
    Some(match name {
        "default" => (|| {
            at_least(args, 1, name)?;
            if args.len() < 2 || empty(&args[1].val) {
                Ok(args[0].val.clone())
            } else {
                Ok(args[1].val.clone())
            }
        })(),
        "empty" => want(args, 1, name).map(|_| Value::bool(empty(&args[0].val))),
        "coalesce" => Ok(args
            .iter()
            .find(|a| !empty(&a.val))
            .map(|a| a.val.clone())
            .unwrap_or(Value::NIL)),
        "all" => Ok(Value::bool(args.iter().all(|a| !empty(&a.val)))),
        "any" => Ok(Value::bool(
            args.is_empty() || args.iter().any(|a| !empty(&a.val)),
        )),
        "ternary" => (|| {
            want(args, 3, name)?;
            let V::Bool(b) = args[2].val.v else {
                return Err(FnError::Msg(format!(
                    "wrong type for value; expected bool; got {}",
                    args[2].val.type_name()
                )));
            };
            Ok(if b {
                args[0].val.clone()
            } else {
                args[1].val.clone()
            })
        })(),
        "compact" | "mustCompact" => (|| {
            want(args, 1, name)?;
            let l = list_of(&args[0], "compact")?;
            Ok(Value::list(l.into_iter().filter(|v| !empty(v)).collect()))
        })(),
        "deepCopy" | "mustDeepCopy" => want(args, 1, name).map(|_| deep_copy(&args[0].val, 0)),
        "typeOf" => want(args, 1, name).map(|_| Value::str(args[0].val.type_name())),
        "kindOf" => want(args, 1, name).map(|_| Value::str(args[0].val.kind_name())),
        "typeIs" => (|| {
            want(args, 2, name)?;
            Ok(Value::bool(s(&args[0])? == args[1].val.type_name()))
        })(),
        "typeIsLike" => (|| {
            want(args, 2, name)?;
            let t = s(&args[0])?;
            let actual = args[1].val.type_name();
            Ok(Value::bool(t == actual || t == format!("*{actual}")))
        })(),
        "kindIs" => (|| {
            want(args, 2, name)?;
            Ok(Value::bool(s(&args[0])? == args[1].val.kind_name()))
        })(),
        "deepEqual" => (|| {
            want(args, 2, name)?;
            Ok(Value::bool(deep_equal(&args[0].val, &args[1].val)))
        })(),
        // numbers
        "atoi" => (|| {
            want(args, 1, name)?;
            Ok(Value::int(s(&args[0])?.parse::<i64>().unwrap_or(0)))
        })(),
        "int" => want(args, 1, name).map(|_| Value::int(to_i64(&args[0].val))),
        "int64" => want(args, 1, name).map(|_| Value::int64(to_i64(&args[0].val))),
        "float64" => want(args, 1, name).map(|_| Value::float(to_f64(&args[0].val))),
        "toDecimal" => (|| {
            want(args, 1, name)?;
            Ok(Value::int64(
                i64::from_str_radix(&strval(&args[0].val), 8).unwrap_or(0),
            ))
        })(),
        "add1" => want(args, 1, name).map(|_| Value::int64(to_i64(&args[0].val).wrapping_add(1))),
        "add" => Ok(Value::int64(
            args.iter()
                .fold(0i64, |a, b| a.wrapping_add(to_i64(&b.val))),
        )),
        "sub" => want(args, 2, name)
            .map(|_| Value::int64(to_i64(&args[0].val).wrapping_sub(to_i64(&args[1].val)))),
        "mul" => (|| {
            at_least(args, 1, name)?;
            Ok(Value::int64(
                args[1..]
                    .iter()
                    .fold(to_i64(&args[0].val), |a, b| a.wrapping_mul(to_i64(&b.val))),
            ))
        })(),
        "div" | "mod" => (|| {
            want(args, 2, name)?;
            let (a, b) = (to_i64(&args[0].val), to_i64(&args[1].val));
            if b == 0 {
                return msg("runtime error: integer divide by zero");
            }
            Ok(Value::int64(if name == "div" {
                a.wrapping_div(b)
            } else {
                a.wrapping_rem(b)
            }))
        })(),
        "max" | "biggest" | "min" => (|| {
            at_least(args, 1, name)?;
            let it = args.iter().map(|a| to_i64(&a.val));
            Ok(Value::int64(if name == "min" {
                it.min().unwrap_or(0)
            } else {
                it.max().unwrap_or(0)
            }))
        })(),
        "maxf" | "minf" => (|| {
            at_least(args, 1, name)?;
            let mut acc = to_f64(&args[0].val);
            for a in &args[1..] {
                let x = to_f64(&a.val);
                acc = if name == "maxf" {
                    acc.max(x)
                } else {
                    acc.min(x)
                };
            }
            Ok(Value::float(acc))
        })(),
        "addf" | "add1f" | "subf" | "mulf" | "divf" => (|| {
            let mut vals: Vec<f64> = args.iter().map(|a| to_f64(&a.val)).collect();
            if name == "add1f" {
                vals.push(1.0);
            }
            let first = if name == "addf" || name == "add1f" {
                0.0
            } else {
                *vals
                    .first()
                    .ok_or_else(|| FnError::Msg("missing argument".into()))?
            };
            let rest = if name == "addf" || name == "add1f" {
                &vals[..]
            } else {
                &vals[1..]
            };
            Ok(Value::float(rest.iter().fold(first, |a, b| match name {
                "subf" => a - b,
                "mulf" => a * b,
                "divf" => a / b,
                _ => a + b,
            })))
        })(),
        "ceil" => want(args, 1, name).map(|_| Value::float(to_f64(&args[0].val).ceil())),
        "floor" => want(args, 1, name).map(|_| Value::float(to_f64(&args[0].val).floor())),
        "round" => (|| {
            at_least(args, 2, name)?;
            let p = int(&args[1])?;
            let f = to_f64(&args[0].val);
            let pow = 10f64.powi(p as i32);
            let d = f * pow;
            let r = if d.fract().abs() >= 0.5 {
                d.trunc() + d.signum()
            } else {
                d.trunc()
            };
            Ok(Value::float(r / pow))
        })(),
        "until" => (|| {
            want(args, 1, name)?;
            let n = int(&args[0])?;
            until_step(0, n, if n < 0 { -1 } else { 1 })
        })(),
        "untilStep" => (|| {
            want(args, 3, name)?;
            until_step(int(&args[0])?, int(&args[1])?, int(&args[2])?)
        })(),
        "seq" => seq(args),
        // lists
        "list" | "tuple" => Ok(Value::list(args.iter().map(|a| a.val.clone()).collect())),
        "append" | "push" | "mustAppend" | "mustPush" => (|| {
            want(args, 2, name)?;
            let mut l = list_of(&args[0], "push")?;
            l.push(args[1].val.clone());
            Ok(Value::list(l))
        })(),
        "prepend" | "mustPrepend" => (|| {
            want(args, 2, name)?;
            let mut l = list_of(&args[0], "prepend")?;
            l.insert(0, args[1].val.clone());
            Ok(Value::list(l))
        })(),
        "first" | "mustFirst" => (|| {
            want(args, 1, name)?;
            Ok(list_of(&args[0], "find first")?
                .first()
                .cloned()
                .unwrap_or(Value::NIL))
        })(),
        "last" | "mustLast" => (|| {
            want(args, 1, name)?;
            Ok(list_of(&args[0], "find last")?
                .last()
                .cloned()
                .unwrap_or(Value::NIL))
        })(),
        "rest" | "mustRest" => (|| {
            want(args, 1, name)?;
            let l = list_of(&args[0], "find rest")?;
            Ok(if l.is_empty() {
                Value::NIL
            } else {
                Value::list(l[1..].to_vec())
            })
        })(),
        "initial" | "mustInitial" => (|| {
            want(args, 1, name)?;
            let l = list_of(&args[0], "find initial")?;
            Ok(if l.is_empty() {
                Value::NIL
            } else {
                Value::list(l[..l.len() - 1].to_vec())
            })
        })(),
        "reverse" | "mustReverse" => (|| {
            want(args, 1, name)?;
            let mut l = list_of(&args[0], "find reverse")?;
            l.reverse();
            Ok(Value::list(l))
        })(),
        "uniq" | "mustUniq" => (|| {
            want(args, 1, name)?;
            let l = list_of(&args[0], "find uniq")?;
            let mut out: Vec<Value> = Vec::new();
            for v in l {
                if !out.iter().any(|o| deep_equal(o, &v)) {
                    out.push(v);
                }
            }
            Ok(Value::list(out))
        })(),
        "without" | "mustWithout" => (|| {
            at_least(args, 1, name)?;
            let l = list_of(&args[0], "find without")?;
            Ok(Value::list(
                l.into_iter()
                    .filter(|v| !args[1..].iter().any(|o| deep_equal(&o.val, v)))
                    .collect(),
            ))
        })(),
        "has" | "mustHas" => (|| {
            want(args, 2, name)?;
            if args[1].val.is_nil() {
                return Ok(Value::bool(false));
            }
            let l = list_of(&args[1], "find has")?;
            Ok(Value::bool(l.iter().any(|v| deep_equal(v, &args[0].val))))
        })(),
        "concat" => (|| {
            let mut out = Vec::new();
            for a in args {
                out.extend(list_of(a, "concat")?);
            }
            Ok(Value::list(out))
        })(),
        "chunk" | "mustChunk" => (|| {
            want(args, 2, name)?;
            let size = int(&args[0])?;
            if size <= 0 {
                return msg("chunk size must be positive");
            }
            let l = list_of(&args[1], "chunk")?;
            Ok(Value::list(
                l.chunks(size as usize)
                    .map(|c| Value::list(c.to_vec()))
                    .collect(),
            ))
        })(),
        "sortAlpha" => (|| {
            want(args, 1, name)?;
            let mut l: Vec<String> = match args[0].val.as_list() {
                Some(l) => l.iter().filter(|v| !v.is_nil()).map(strval).collect(),
                None => vec![strval(&args[0].val)],
            };
            l.sort();
            Ok(Value::strings(l))
        })(),
        // dicts
        "dict" => {
            let mut m = BTreeMap::new();
            for pair in args.chunks(2) {
                let k = strval(&pair[0].val);
                let v = pair
                    .get(1)
                    .map(|a| a.val.clone())
                    .unwrap_or_else(|| Value::str(""));
                m.insert(k, v);
            }
            Ok(Value::map(m))
        }
        "get" => (|| {
            want(args, 2, name)?;
            Ok(map(&args[0])?
                .get(s(&args[1])?)
                .cloned()
                .unwrap_or_else(|| Value::str("")))
        })(),
        // Go maps are references: `set` and `unset` change the map every
        // alias sees, and return it.
        "set" => (|| {
            want(args, 3, name)?;
            let cell = map_cell(&args[0])?;
            let mut m = cell.snap().as_ref().clone();
            m.insert(s(&args[1])?.to_string(), args[2].val.clone());
            cell.replace(m);
            Ok(args[0].val.clone())
        })(),
        "unset" => (|| {
            want(args, 2, name)?;
            let cell = map_cell(&args[0])?;
            let mut m = cell.snap().as_ref().clone();
            m.remove(s(&args[1])?);
            cell.replace(m);
            Ok(args[0].val.clone())
        })(),
        "hasKey" => (|| {
            want(args, 2, name)?;
            Ok(Value::bool(map(&args[0])?.contains_key(s(&args[1])?)))
        })(),
        "pluck" => (|| {
            at_least(args, 1, name)?;
            let k = s(&args[0])?;
            let mut out = Vec::new();
            for a in &args[1..] {
                if let Some(v) = map(a)?.get(k) {
                    out.push(v.clone());
                }
            }
            Ok(Value::list(out))
        })(),
        "keys" => (|| {
            let mut out = Vec::new();
            for a in args {
                out.extend(map(a)?.keys().cloned());
            }
            Ok(Value::strings(out))
        })(),
        "values" => (|| {
            want(args, 1, name)?;
            Ok(Value::list(map(&args[0])?.values().cloned().collect()))
        })(),
        "pick" | "omit" => (|| {
            at_least(args, 1, name)?;
            let m = map(&args[0])?;
            let names: Vec<&str> = args[1..].iter().map(s).collect::<Result<_, _>>()?;
            Ok(Value::map(
                m.iter()
                    .filter(|(k, _)| names.contains(&k.as_str()) == (name == "pick"))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            ))
        })(),
        "merge" | "mustMerge" | "mergeOverwrite" | "mustMergeOverwrite" => (|| {
            at_least(args, 1, name)?;
            let cell = map_cell(&args[0])?;
            let mut dst = cell.snap().as_ref().clone();
            let overwrite = name.contains("Overwrite");
            for a in &args[1..] {
                let src = map(a)?;
                merge_into(&mut dst, &src, overwrite, 0);
            }
            cell.replace(dst);
            Ok(args[0].val.clone())
        })(),
        "dig" => {
            (|| {
                at_least(args, 3, name)?;
                let n = args.len();
                let mut cur = map(&args[n - 1])?;
                let default = args[n - 2].val.clone();
                for (i, k) in args[..n - 2].iter().enumerate() {
                    let k = s(k)?;
                    let Some(step) = cur.get(k).cloned() else {
                        return Ok(default);
                    };
                    if i == n - 3 {
                        return Ok(step);
                    }
                    match &step.v {
                    V::Map(m) => cur = m.snap(),
                    _ => return msg(format!("interface conversion: interface {{}} is {}, not map[string]interface {{}}", step.type_name())),
                }
                }
                Ok(default)
            })()
        }
        // regular expressions
        "regexMatch" | "mustRegexMatch" => (|| {
            want(args, 2, name)?;
            Ok(Value::bool(regex(s(&args[0])?)?.is_match(s(&args[1])?)))
        })(),
        "regexFind" | "mustRegexFind" => (|| {
            want(args, 2, name)?;
            Ok(Value::str(
                regex(s(&args[0])?)?
                    .find(s(&args[1])?)
                    .map(|m| m.as_str())
                    .unwrap_or(""),
            ))
        })(),
        "regexFindAll" | "mustRegexFindAll" => (|| {
            want(args, 3, name)?;
            let re = regex(s(&args[0])?)?;
            let n = int(&args[2])?;
            let all = re.find_iter(s(&args[1])?).map(|m| m.as_str().to_string());
            let out: Vec<String> = if n < 0 {
                all.collect()
            } else {
                all.take(n as usize).collect()
            };
            Ok(Value::strings(out))
        })(),
        "regexReplaceAll" | "mustRegexReplaceAll" => (|| {
            want(args, 3, name)?;
            let re = regex(s(&args[0])?)?;
            let repl = go_template_repl(s(&args[2])?);
            Ok(Value::str(
                re.replace_all(s(&args[1])?, repl.as_str()).into_owned(),
            ))
        })(),
        "regexReplaceAllLiteral" | "mustRegexReplaceAllLiteral" => (|| {
            want(args, 3, name)?;
            let re = regex(s(&args[0])?)?;
            Ok(Value::str(
                re.replace_all(s(&args[1])?, regex::NoExpand(s(&args[2])?))
                    .into_owned(),
            ))
        })(),
        "regexSplit" | "mustRegexSplit" => (|| {
            want(args, 3, name)?;
            let re = regex(s(&args[0])?)?;
            let n = int(&args[2])?;
            let text = s(&args[1])?;
            let out: Vec<String> = if n < 0 {
                re.split(text).map(str::to_string).collect()
            } else if n == 0 {
                Vec::new()
            } else {
                re.splitn(text, n as usize).map(str::to_string).collect()
            };
            Ok(Value::strings(out))
        })(),
        "regexQuoteMeta" => (|| {
            want(args, 1, name)?;
            Ok(Value::str(regex::escape(s(&args[0])?)))
        })(),
        // semantic versions
        "semver" => (|| {
            want(args, 1, name)?;
            let v = parse_semver(s(&args[0])?)
                .ok_or_else(|| FnError::Msg("Invalid Semantic Version".into()))?;
            Ok(V::SemVer(Rc::new(v)).into())
        })(),
        "semverCompare" => (|| {
            want(args, 2, name)?;
            let v = parse_semver(s(&args[1])?)
                .ok_or_else(|| FnError::Msg("Invalid Semantic Version".into()))?;
            Ok(Value::bool(constraint_check(s(&args[0])?, &v)?))
        })(),
        "uuidv4" => Ok(Value::str("00000000-0000-4000-8000-000000000000")),
        _ => return None,
    })
}

fn until_step(start: i64, stop: i64, step: i64) -> FResult {
    let mut out = Vec::new();
    let mut i = start;
    if stop < start {
        if step >= 0 {
            return Ok(Value::list(out));
        }
        while i > stop {
            out.push(Value::int(i));
            i += step;
            if out.len() as i64 > MAX_ITEMS {
                return msg("list too long");
            }
        }
    } else {
        if step <= 0 {
            return Ok(Value::list(out));
        }
        while i < stop {
            out.push(Value::int(i));
            i += step;
            if out.len() as i64 > MAX_ITEMS {
                return msg("list too long");
            }
        }
    }
    Ok(Value::list(out))
}

fn seq(args: &[Arg]) -> FResult {
    let p: Vec<i64> = args.iter().map(int).collect::<Result<_, _>>()?;
    let join = |v: Value| -> String {
        v.as_list()
            .unwrap_or_default()
            .iter()
            .map(|x| match x.v {
                V::Int(i) => i.to_string(),
                _ => String::new(),
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    Ok(Value::str(match p.len() {
        0 => String::new(),
        1 => {
            let (start, end) = (1, p[0]);
            let inc = if end < start { -1 } else { 1 };
            join(until_step(start, end + inc, inc)?)
        }
        2 => {
            let (start, end) = (p[0], p[1]);
            let inc = if end < start { -1 } else { 1 };
            join(until_step(start, end + inc, inc)?)
        }
        3 => {
            let (start, step, end) = (p[0], p[1], p[2]);
            let inc = if end < start { -1 } else { 1 };
            if end < start && step > 0 {
                String::new()
            } else {
                join(until_step(start, end + inc, step)?)
            }
        }
        _ => String::new(),
    }))
}

/// Sprig's `slice` (and Go's builtin `slice` on strings).
pub fn slice(args: &[Arg], _lenient: bool) -> FResult {
    at_least(args, 1, "slice")?;
    let idx: Vec<i64> = args[1..]
        .iter()
        .map(|a| match a.val.v {
            V::Int(i) | V::Int64(i) => Ok(i),
            _ => Ok(to_i64(&a.val)),
        })
        .collect::<Result<_, FnError>>()?;
    if let V::Str(_) = &args[0].val.v {
        // Sprig's `slice` replaces Go's builtin and refuses strings.
        return msg("list should be type of slice or array but string");
    }
    let len = list_of(&args[0], "slice")?.len() as i64;
    let start = idx.first().copied().unwrap_or(0);
    let end = idx.get(1).copied().unwrap_or(len);
    if start < 0 || end < start || end > len {
        return msg(format!("slice bounds out of range [{start}:{end}]"));
    }
    match &args[0].val.v {
        V::Str(t) => {
            let (a, b) = (start as usize, end as usize);
            if !t.s.is_char_boundary(a) || !t.s.is_char_boundary(b) {
                return msg("slice of a multi-byte character");
            }
            Ok(Value::text(t.slice(a..b)))
        }
        _ => Ok(Value::list(
            list_of(&args[0], "slice")?[start as usize..end as usize].to_vec(),
        )),
    }
}

/// A copy sharing no map with the original (maps are shared references).
pub fn deep_copy(v: &Value, depth: usize) -> Value {
    if depth > crate::template::value::MAX_PRINT_DEPTH {
        return Value::NIL;
    }
    let copied = match &v.v {
        V::Map(m) => V::Map(Rc::new(crate::template::value::MapCell::new(
            m.snap()
                .iter()
                .map(|(k, x)| (k.clone(), deep_copy(x, depth + 1)))
                .collect(),
        ))),
        V::List(l) => V::List(Rc::new(l.iter().map(|x| deep_copy(x, depth + 1)).collect())),
        other => other.clone(),
    };
    Value {
        v: copied,
        origin: v.origin.clone(),
    }
}

pub fn deep_equal(a: &Value, b: &Value) -> bool {
    deep_equal_depth(a, b, 0)
}

fn deep_equal_depth(a: &Value, b: &Value, depth: usize) -> bool {
    if depth > crate::template::value::MAX_PRINT_DEPTH {
        return false;
    }
    let deep_equal = |x: &Value, y: &Value| deep_equal_depth(x, y, depth + 1);
    match (&a.v, &b.v) {
        (V::Nil, V::Nil) => true,
        (V::Bool(x), V::Bool(y)) => x == y,
        (V::Int(x), V::Int(y)) | (V::Int64(x), V::Int64(y)) => x == y,
        (V::Float(x), V::Float(y)) => x == y,
        (V::Str(x), V::Str(y)) => x.s == y.s,
        (V::Strings(x), V::Strings(y)) => x == y,
        (V::List(x), V::List(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| deep_equal(p, q))
        }
        (V::Map(x), V::Map(y)) => {
            let (x, y) = (x.snap(), y.snap());
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| deep_equal(v, w)))
        }
        _ => false,
    }
}

/// mergo's `Merge` (fill missing and empty) / `MergeWithOverwrite`
/// (non-empty source values win), recursing into maps.
fn merge_into(
    dst: &mut BTreeMap<String, Value>,
    src: &BTreeMap<String, Value>,
    overwrite: bool,
    depth: usize,
) {
    if depth > 100 {
        return;
    }
    for (k, sv) in src {
        match dst.get_mut(k) {
            Some(dv) => {
                if let (V::Map(dm), V::Map(sm)) = (&dv.v, &sv.v) {
                    let mut merged = dm.snap().as_ref().clone();
                    merge_into(&mut merged, &sm.snap(), overwrite, depth + 1);
                    dm.replace(merged);
                } else if (overwrite && !empty(sv)) || (empty(dv) && !matches!(dv.v, V::Map(_))) {
                    *dv = sv.clone();
                }
            }
            None => {
                dst.insert(k.clone(), sv.clone());
            }
        }
    }
}

/// Compiles a regular expression, caching the last few.
fn regex(pat: &str) -> Result<regex::Regex, FnError> {
    static CACHE: OnceLock<std::sync::Mutex<Vec<(String, regex::Regex)>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| std::sync::Mutex::new(Vec::new()));
    if let Ok(c) = cache.lock() {
        if let Some((_, re)) = c.iter().find(|(p, _)| p == pat) {
            return Ok(re.clone());
        }
    }
    let re = regex::RegexBuilder::new(pat)
        .size_limit(1 << 20)
        .build()
        .map_err(|e| FnError::Msg(format!("error parsing regexp: {e}")))?;
    if let Ok(mut c) = cache.lock() {
        if c.len() > 64 {
            c.clear();
        }
        c.push((pat.to_string(), re.clone()));
    }
    Ok(re)
}

/// Go's `Regexp.Expand` template syntax to the regex crate's: `$1` and
/// `${name}` are the same; `$name` in Go takes the longest word, as here.
fn go_template_repl(repl: &str) -> String {
    repl.to_string()
}

// ------------------------------------------------------------ semver

pub fn semver_string(v: &SemVer) -> String {
    let mut s = format!("{}.{}.{}", v.major, v.minor, v.patch);
    if !v.pre.is_empty() {
        s.push('-');
        s.push_str(&v.pre);
    }
    if !v.meta.is_empty() {
        s.push('+');
        s.push_str(&v.meta);
    }
    s
}

fn compare_pre_part(s: &str, o: &str) -> i32 {
    if s == o {
        return 0;
    }
    if s.is_empty() {
        return if o.is_empty() { 1 } else { -1 };
    }
    if o.is_empty() {
        return 1;
    }
    match (s.parse::<u64>(), o.parse::<u64>()) {
        (Err(_), Err(_)) => {
            if s > o {
                1
            } else {
                -1
            }
        }
        (Ok(_), Err(_)) => -1,
        (Err(_), Ok(_)) => 1,
        (Ok(a), Ok(b)) => {
            if a > b {
                1
            } else {
                -1
            }
        }
    }
}

fn compare_pre(a: &str, b: &str) -> i32 {
    let sa: Vec<&str> = a.split('.').collect();
    let sb: Vec<&str> = b.split('.').collect();
    for i in 0..sa.len().max(sb.len()) {
        let d = compare_pre_part(
            sa.get(i).copied().unwrap_or(""),
            sb.get(i).copied().unwrap_or(""),
        );
        if d != 0 {
            return d;
        }
    }
    0
}

fn compare(a: &SemVer, b: &SemVer) -> i32 {
    for (x, y) in [(a.major, b.major), (a.minor, b.minor), (a.patch, b.patch)] {
        if x != y {
            return if x < y { -1 } else { 1 };
        }
    }
    match (a.pre.is_empty(), b.pre.is_empty()) {
        (true, true) => 0,
        (true, false) => 1,
        (false, true) => -1,
        _ => compare_pre(&a.pre, &b.pre),
    }
}

struct Constraint {
    op: String,
    con: SemVer,
    dirty: bool,
    minor_dirty: bool,
    patch_dirty: bool,
}

const CV: &str = r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?";
const OPS: &str = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";

struct Res {
    constraint: regex::Regex,
    range: regex::Regex,
    find: regex::Regex,
    valid: regex::Regex,
}

fn res() -> &'static Res {
    static R: OnceLock<Res> = OnceLock::new();
    R.get_or_init(|| {
        let c = |p: String| {
            regex::Regex::new(&p)
                .unwrap_or_else(|_| regex::Regex::new("$^").unwrap_or_else(|_| unreachable!()))
        };
        Res {
            constraint: c(format!(r"^\s*({OPS})\s*({CV})\s*$")),
            range: c(format!(r"\s*({CV})\s+-\s+({CV})\s*")),
            find: c(format!(r"({OPS})\s*({CV})")),
            valid: c(format!(
                r"^(\s*({OPS})\s*({CV})\s*)((?:\s+|,\s*)({OPS})\s*({CV})\s*)*$"
            )),
        }
    })
}

fn is_x(s: &str) -> bool {
    matches!(s, "x" | "*" | "X")
}

fn parse_constraint(c: &str) -> Result<Constraint, FnError> {
    let m = res()
        .constraint
        .captures(c)
        .ok_or_else(|| FnError::Msg(format!("improper constraint: {c}")))?;
    let g = |i: usize| m.get(i).map(|x| x.as_str()).unwrap_or("");
    let (m3, m4, m5, m6) = (g(3), g(4), g(5), g(6));
    let mut ver = g(2).to_string();
    let (mut dirty, mut minor_dirty, mut patch_dirty) = (false, false, false);
    if is_x(m3) || m3.is_empty() {
        ver = format!("0.0.0{m6}");
        dirty = true;
    } else if is_x(m4.trim_start_matches('.')) || m4.is_empty() {
        minor_dirty = true;
        dirty = true;
        ver = format!("{m3}.0.0{m6}");
    } else if is_x(m5.trim_start_matches('.')) || m5.is_empty() {
        dirty = true;
        patch_dirty = true;
        ver = format!("{m3}{m4}.0{m6}");
    }
    let con = parse_semver(&ver).ok_or_else(|| FnError::Msg("constraint Parser Error".into()))?;
    Ok(Constraint {
        op: g(1).to_string(),
        con,
        dirty,
        minor_dirty,
        patch_dirty,
    })
}

fn check_one(v: &SemVer, c: &Constraint) -> bool {
    if !v.pre.is_empty() && c.con.pre.is_empty() {
        return false;
    }
    let cmp = compare(v, &c.con);
    let tilde = |v: &SemVer, c: &Constraint| -> bool {
        if cmp < 0 {
            return false;
        }
        if c.con.major == 0
            && c.con.minor == 0
            && c.con.patch == 0
            && !c.minor_dirty
            && !c.patch_dirty
        {
            return true;
        }
        if v.major != c.con.major {
            return false;
        }
        v.minor == c.con.minor || c.minor_dirty
    };
    match c.op.as_str() {
        "" | "=" => {
            if c.dirty {
                tilde(v, c)
            } else {
                cmp == 0
            }
        }
        "!=" => {
            if c.dirty {
                if c.con.major != v.major {
                    return true;
                }
                if c.con.minor != v.minor && !c.minor_dirty {
                    return true;
                } else if c.minor_dirty {
                    return false;
                } else if c.con.patch != v.patch && !c.patch_dirty {
                    return true;
                } else if c.patch_dirty {
                    if !v.pre.is_empty() || !c.con.pre.is_empty() {
                        return compare_pre(&v.pre, &c.con.pre) != 0;
                    }
                    return false;
                }
            }
            cmp != 0
        }
        ">" => {
            if !c.dirty {
                return cmp == 1;
            }
            if v.major > c.con.major {
                true
            } else if v.major < c.con.major || c.minor_dirty {
                false
            } else if c.patch_dirty {
                v.minor > c.con.minor
            } else {
                cmp == 1
            }
        }
        "<" => cmp < 0,
        ">=" | "=>" => cmp >= 0,
        "<=" | "=<" => {
            if !c.dirty {
                return cmp <= 0;
            }
            !(v.major > c.con.major
                || v.major == c.con.major && v.minor > c.con.minor && !c.minor_dirty)
        }
        "~" | "~>" => tilde(v, c),
        "^" => {
            if cmp < 0 {
                return false;
            }
            if c.con.major > 0 || c.minor_dirty {
                return v.major == c.con.major;
            }
            if c.con.major == 0 && v.major > 0 {
                return false;
            }
            if c.con.minor > 0 || c.patch_dirty {
                return v.minor == c.con.minor;
            }
            if c.con.minor == 0 && v.minor > 0 {
                return false;
            }
            c.con.patch == v.patch
        }
        _ => false,
    }
}

/// Masterminds/semver v3 `NewConstraint(c).Check(v)`.
pub fn constraint_check(c: &str, v: &SemVer) -> Result<bool, FnError> {
    let r = res();
    let mut rewritten = c.to_string();
    for caps in r.range.captures_iter(c) {
        let whole = caps.get(0).map(|m| m.as_str()).unwrap_or("");
        let a = caps.get(1).map(|m| m.as_str()).unwrap_or("");
        let b = caps.get(11).map(|m| m.as_str()).unwrap_or("");
        rewritten = rewritten.replacen(whole, &format!(">= {a}, <= {b}"), 1);
    }
    let mut groups = Vec::new();
    for part in rewritten.split("||") {
        if !r.valid.is_match(part) {
            return msg(format!("improper constraint: {part}"));
        }
        let found: Vec<&str> = r.find.find_iter(part).map(|m| m.as_str()).collect();
        let found = if found.is_empty() { vec![part] } else { found };
        let cs: Vec<Constraint> = found
            .into_iter()
            .map(parse_constraint)
            .collect::<Result<_, _>>()?;
        groups.push(cs);
    }
    Ok(groups.iter().any(|g| g.iter().all(|c| check_one(v, c))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(c: &str, v: &str) -> bool {
        constraint_check(c, &parse_semver(v).unwrap()).unwrap()
    }

    #[test]
    fn semver_constraints() {
        assert!(check(">=1.21-0", "v1.32.0"));
        assert!(!check(">=1.21", "1.22.0-gke.1"));
        assert!(check(">=1.21-0", "1.22.0-gke.1"));
        assert!(check("^1.2", "1.9.0"));
        assert!(!check("~1.2", "1.3.0"));
        assert!(check("1.2.x", "1.2.7"));
        assert!(check("<1.19 || >=1.25", "1.30.0"));
    }
}
