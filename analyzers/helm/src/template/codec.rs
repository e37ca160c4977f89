//! YAML and JSON in and out, as Helm does them:
//!
//! - reading (values files, `fromYaml`): `sigs.k8s.io/yaml`, i.e. go-yaml v2
//!   (YAML 1.1 scalars, merge keys) converted through JSON, so every number
//!   is a float64 and every key a string;
//! - `toYaml`: `json.Marshal` then go-yaml v2's emitter (keys in go-yaml's
//!   natural order, sequences not indented under their key), with the origin
//!   of every emitted key and scalar;
//! - `toJson`: `encoding/json` (sorted keys, `<>&` escaped, floats in `f`
//!   form below 1e21).

use super::value::{
    go_float, go_float_g, MapCell, NodeOrigin, Text, TextSeg, Value, MAX_PRINT_DEPTH, V,
};
use seamcheck_facts::render::Origin;
use seamcheck_yaml::node::{self, Node};
use seamcheck_yaml::{ScalarStyle, SourceMap};
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::rc::Rc;

// ------------------------------------------------------------ YAML -> value

/// Converts a loaded YAML node, recording origins when `src` is given.
pub fn from_node(n: &Node<'_>, src: Option<&SourceMap<'_>>, key: Option<&Node<'_>>) -> Value {
    let origin = src.map(|s| {
        Rc::new(NodeOrigin {
            value: s.token_loc(n),
            key: key.map(|k| s.token_loc(k)),
        })
    });
    let v = if node::is_mapping(n) {
        let mut m = BTreeMap::new();
        for e in node::merged_entries(n) {
            let k = match node::scalar(e.key) {
                Some((text, style)) => key_string(text, style),
                None => continue,
            };
            m.insert(k, from_node(e.value, src, Some(e.key)));
        }
        V::Map(Rc::new(MapCell::new(m)))
    } else if node::is_sequence(n) {
        V::List(Rc::new(
            node::sequence(n)
                .iter()
                .map(|x| from_node(x, src, None))
                .collect(),
        ))
    } else {
        match node::scalar(n) {
            Some((text, style)) => scalar(text, style),
            None => V::Nil,
        }
    };
    Value { v, origin }
}

/// A mapping key as JSON sees it after go-yaml decoded it.
fn key_string(text: &str, style: ScalarStyle) -> String {
    match scalar(text, style) {
        V::Nil => "null".into(),
        V::Bool(b) => b.to_string(),
        V::Float(f) => json_number(f),
        V::Str(t) => t.s.clone(),
        _ => text.to_string(),
    }
}

/// A scalar as go-yaml v2 resolves it, numbers as JSON turns them into
/// float64.
pub fn scalar(text: &str, style: ScalarStyle) -> V {
    if style != ScalarStyle::Plain {
        return V::Str(Rc::new(Text::plain(text)));
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return V::Nil,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return V::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return V::Bool(false)
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return V::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return V::Float(f64::NEG_INFINITY),
        _ => {}
    }
    if let Some(i) = yaml_int(text) {
        return V::Float(i as f64);
    }
    if is_yaml_float(text) {
        if let Ok(f) = text.replace('_', "").parse::<f64>() {
            return V::Float(f);
        }
    }
    V::Str(Rc::new(Text::plain(text)))
}

/// go-yaml v2's integers: `strconv.ParseInt(s without _, 0, 64)`.
fn yaml_int(text: &str) -> Option<i64> {
    let plain: String = text.chars().filter(|c| *c != '_').collect();
    let (neg, body) = match plain.as_bytes().first()? {
        b'-' => (true, &plain[1..]),
        b'+' => (false, &plain[1..]),
        _ => (false, plain.as_str()),
    };
    if body.is_empty() {
        return None;
    }
    let v = if let Some(h) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        i64::from_str_radix(h, 16).ok()?
    } else if let Some(o) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
        i64::from_str_radix(o, 8).ok()?
    } else if let Some(b) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
        i64::from_str_radix(b, 2).ok()?
    } else if body.len() > 1 && body.starts_with('0') {
        i64::from_str_radix(&body[1..], 8).ok()?
    } else if body.bytes().all(|b| b.is_ascii_digit()) {
        body.parse().ok()?
    } else {
        return None;
    };
    Some(if neg { -v } else { v })
}

/// go-yaml v2's float syntax: `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`.
fn is_yaml_float(text: &str) -> bool {
    let t = text.replace('_', "");
    let b = t.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        i += 1;
    }
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = i - int_start;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let frac_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if int_digits == 0 && i == frac_start {
            return false;
        }
    } else if int_digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            i += 1;
        }
        let s = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == s {
            return false;
        }
    }
    i == b.len()
}

/// How Helm's YAML decoder (go-yaml v2, not strict) reads: a key written
/// twice keeps its last value.
pub const GO_YAML_V2: seamcheck_yaml::LoadOptions = seamcheck_yaml::LoadOptions {
    allow_duplicate_keys: true,
};

/// Parses a YAML text (for `fromYaml`): the first document, or an error.
pub fn parse_yaml(text: &str) -> Result<Value, String> {
    let src = SourceMap::new("fromYaml", text);
    let loaded = seamcheck_yaml::load_file_with(&src, GO_YAML_V2);
    if let Some(p) = loaded.problems.first() {
        return Err(format!(
            "error converting YAML to JSON: yaml: line {}: {}",
            p.loc.line, p.message
        ));
    }
    Ok(match loaded.docs.first() {
        Some(doc) => from_node(doc, None, None),
        None => Value::NIL,
    })
}

// ------------------------------------------------------------ JSON

/// Go's `encoding/json` float encoding.
pub fn json_number(f: f64) -> String {
    let a = f.abs();
    if a != 0.0 && !(1e-6..1e21).contains(&a) {
        // 'e' form with a trimmed exponent: 1e-07 -> 1e-7.
        let s = go_float_g(f, -100);
        return match s.split_once('e') {
            Some((m, e)) => {
                let (sign, digits) = e.split_at(1);
                format!("{m}e{sign}{}", digits.trim_start_matches('0'))
            }
            None => s,
        };
    }
    // Rust's `Display` is the shortest form without exponent, as Go's 'f'.
    format!("{f}")
}

fn json_string(s: &str, html: bool, out: &mut String) {
    seamcheck_facts::go_json::write_string(s, html, out);
}

/// `json.Marshal` (`indent` for `MarshalIndent(v, "", "  ")`).
pub fn to_json(v: &Value, html: bool, indent: bool) -> String {
    let mut out = String::new();
    write_json(v, html, indent, 0, &mut out);
    out
}

fn write_json(v: &Value, html: bool, indent: bool, depth: usize, out: &mut String) {
    if depth > MAX_PRINT_DEPTH {
        // A map that holds itself (after `set`): Go would not end.
        out.push_str("null");
        return;
    }
    let nl = |out: &mut String, d: usize| {
        if indent {
            out.push('\n');
            for _ in 0..d {
                out.push_str("  ");
            }
        }
    };
    match &v.v {
        V::Nil => out.push_str("null"),
        V::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        V::Int(i) | V::Int64(i) => out.push_str(&i.to_string()),
        V::Float(f) => out.push_str(&json_number(*f)),
        V::Str(t) => json_string(&t.s, html, out),
        V::SemVer(s) => json_string(&s.original, html, out),
        V::Time(t) => json_string(
            &super::funcs::dates::format_time(*t, "2006-01-02T15:04:05Z07:00"),
            html,
            out,
        ),
        V::List(_) | V::Strings(_) | V::ApiVersions(_) => {
            let items = v.as_list().unwrap_or_else(|| match &v.v {
                V::ApiVersions(l) => l.iter().map(Value::str).collect(),
                _ => Vec::new(),
            });
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                nl(out, depth + 1);
                write_json(item, html, indent, depth + 1, out);
            }
            nl(out, depth);
            out.push(']');
        }
        V::Map(m) => {
            let m = m.snap();
            if m.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            for (i, (k, item)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                nl(out, depth + 1);
                json_string(k, html, out);
                out.push(':');
                if indent {
                    out.push(' ');
                }
                write_json(item, html, indent, depth + 1, out);
            }
            nl(out, depth);
            out.push('}');
        }
        V::Files(_) => out.push_str("{}"),
    }
}

/// `json.Unmarshal` into `interface{}` (numbers float64).
pub fn parse_json(text: &str) -> Result<Value, String> {
    let j: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    Ok(from_json(&j, 0))
}

fn from_json(j: &serde_json::Value, depth: usize) -> Value {
    if depth > 200 {
        return Value::NIL;
    }
    match j {
        serde_json::Value::Null => Value::NIL,
        serde_json::Value::Bool(b) => Value::bool(*b),
        serde_json::Value::Number(n) => Value::float(n.as_f64().unwrap_or(0.0)),
        serde_json::Value::String(s) => Value::str(s.clone()),
        serde_json::Value::Array(a) => {
            Value::list(a.iter().map(|x| from_json(x, depth + 1)).collect())
        }
        serde_json::Value::Object(o) => Value::map(
            o.iter()
                .map(|(k, x)| (k.clone(), from_json(x, depth + 1)))
                .collect(),
        ),
    }
}

// ------------------------------------------------------------ toYaml

/// go-yaml v2's map key order (`keyList.Less`): letters compare as runes,
/// non-letters sort before letters, runs of digits compare as numbers.
pub fn yaml_key_cmp(a: &str, b: &str) -> Ordering {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let mut i = 0;
    while i < ar.len() && i < br.len() {
        if ar[i] == br[i] {
            i += 1;
            continue;
        }
        let al = ar[i].is_alphabetic();
        let bl = br[i].is_alphabetic();
        if al && bl {
            return ar[i].cmp(&br[i]);
        }
        if al || bl {
            return if bl {
                Ordering::Less
            } else {
                Ordering::Greater
            };
        }
        let (mut an, mut bn) = (0i64, 0i64);
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && ar[j - 1].is_ascii_digit() {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_ascii_digit() {
            an = an.wrapping_mul(10).wrapping_add(ar[ai] as i64 - '0' as i64);
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_ascii_digit() {
            bn = bn.wrapping_mul(10).wrapping_add(br[bi] as i64 - '0' as i64);
            bi += 1;
        }
        if an != bn {
            return an.cmp(&bn);
        }
        if ai != bi {
            return ai.cmp(&bi);
        }
        return ar[i].cmp(&br[i]);
    }
    ar.len().cmp(&br.len())
}

struct YamlOut {
    text: Text,
}

impl YamlOut {
    fn push(&mut self, s: &str, origin: Option<Origin>) {
        let start = self.text.s.len();
        self.text.s.push_str(s);
        if let Some(o) = origin {
            if !s.is_empty() {
                self.text.segs.push(TextSeg {
                    range: start..self.text.s.len(),
                    origin: o,
                    via: None,
                });
            }
        }
    }
}

fn value_origin(v: &Value) -> Option<Origin> {
    v.origin.as_ref().map(|o| Origin::Produced(o.value.clone()))
}

fn key_origin(v: &Value) -> Option<Origin> {
    v.origin
        .as_ref()
        .and_then(|o| o.key.clone())
        .map(Origin::Produced)
}

/// Helm's `toYaml`: the YAML text without its final newline, with origins.
pub fn to_yaml(v: &Value) -> Text {
    let mut out = YamlOut {
        text: Text::default(),
    };
    if is_collection_nonempty(v) {
        emit(v, 0, &mut out, Ctx::Top);
    } else {
        let s = scalar_text(v, 2);
        out.push(&s, value_origin(v));
    }
    if out.text.s.ends_with('\n') {
        out.text.s.pop();
    }
    out.text
}

#[derive(Clone, Copy, PartialEq)]
enum Ctx {
    Top,
    /// After `key:` (value on the same line or the next).
    MapValue,
    /// After `- `.
    SeqItem,
}

fn is_collection_nonempty(v: &Value) -> bool {
    match &v.v {
        V::Map(m) => !m.snap().is_empty(),
        V::List(_) | V::Strings(_) | V::ApiVersions(_) => {
            v.as_list().is_some_and(|l| !l.is_empty())
        }
        _ => false,
    }
}

fn pad(n: usize) -> String {
    " ".repeat(n)
}

/// Emits `v` at indentation `ind`. In `MapValue` context the caller wrote
/// `key:`; in `SeqItem` context the caller wrote `- ` and the first line
/// continues it.
fn emit(v: &Value, ind: usize, out: &mut YamlOut, ctx: Ctx) {
    if ind > 4 * MAX_PRINT_DEPTH {
        out.push("null\n", None);
        return;
    }
    match &v.v {
        V::Map(m) if !m.snap().is_empty() => {
            let m = m.snap();
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort_by(|a, b| yaml_key_cmp(a, b));
            if ctx == Ctx::MapValue {
                out.push("\n", None);
            }
            for (i, k) in keys.into_iter().enumerate() {
                let item = &m[k];
                if !(ctx == Ctx::SeqItem && i == 0) {
                    out.push(&pad(ind), None);
                }
                out.push(&yaml_scalar_string(k, ind), key_origin(item));
                out.push(":", None);
                if is_collection_nonempty(item) {
                    let child = if matches!(item.v, V::Map(_)) {
                        ind + 2
                    } else {
                        ind
                    };
                    emit(item, child, out, Ctx::MapValue);
                } else {
                    out.push(" ", None);
                    emit(item, ind + 2, out, Ctx::MapValue);
                }
            }
        }
        V::List(_) | V::Strings(_) | V::ApiVersions(_) if is_collection_nonempty(v) => {
            let items = match &v.v {
                V::ApiVersions(l) => l.iter().map(Value::str).collect(),
                _ => v.as_list().unwrap_or_default(),
            };
            if ctx == Ctx::MapValue {
                out.push("\n", None);
            }
            for (i, item) in items.iter().enumerate() {
                if !(ctx == Ctx::SeqItem && i == 0) {
                    out.push(&pad(ind), None);
                }
                out.push("- ", None);
                emit(item, ind + 2, out, Ctx::SeqItem);
            }
        }
        _ => {
            let s = scalar_text(v, ind);
            out.push(&s, value_origin(v));
            out.push("\n", None);
        }
    }
}

/// The YAML text of a scalar (or an empty collection).
fn scalar_text(v: &Value, ind: usize) -> String {
    match &v.v {
        V::Nil => "null".into(),
        V::Bool(b) => b.to_string(),
        V::Int(i) | V::Int64(i) => i.to_string(),
        V::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 9.2e18 {
                format!("{f:.0}")
            } else if f.is_nan() {
                ".nan".into()
            } else if f.is_infinite() {
                if *f > 0.0 {
                    "+.inf".into()
                } else {
                    "-.inf".into()
                }
            } else {
                go_float(*f)
            }
        }
        V::Str(t) => yaml_scalar_string(&t.s, ind),
        V::SemVer(s) => yaml_scalar_string(&s.original, ind),
        V::Time(t) => super::funcs::dates::format_time(*t, "2006-01-02T15:04:05Z07:00"),
        V::Map(_) | V::Files(_) => "{}".into(),
        V::List(_) | V::Strings(_) | V::ApiVersions(_) => "[]".into(),
    }
}

/// Whether go-yaml would read this plain text as something else than the
/// same string (a bool, null, number, timestamp, base-60 number).
fn resolves_to_non_string(s: &str) -> bool {
    !matches!(scalar(s, ScalarStyle::Plain), V::Str(_))
        || s.starts_with('.') && s[1..].eq_ignore_ascii_case("nan")
        || looks_like_timestamp(s)
        || is_base60(s)
}

fn looks_like_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 8 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-'
}

fn is_base60(s: &str) -> bool {
    let t = s.trim_start_matches(['-', '+']);
    t.contains(':')
        && t.split(':').all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_digit() || b == b'.' || b == b'_')
        })
}

fn plain_allowed(s: &str) -> bool {
    if s.is_empty() || resolves_to_non_string(s) {
        return false;
    }
    let b = s.as_bytes();
    let first = b[0];
    if b" \t".contains(&b[b.len() - 1]) || b" \t".contains(&first) {
        return false;
    }
    if b",[]{}#&*!|>'\"%@`".contains(&first) {
        return false;
    }
    // `-`, `?` and `:` start a plain scalar unless a blank follows them.
    if b"-?:".contains(&first) && b.get(1).is_none_or(|c| matches!(c, b' ' | b'\t')) {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') || s.contains('\t') {
        return false;
    }
    if s.chars()
        .any(|c| c.is_control() || c == '\u{feff}' || c == '\u{85}')
    {
        return false;
    }
    if s == "-" || s.starts_with("---") || s.starts_with("...") {
        return false;
    }
    !s.contains(['\n', '\r'])
}

fn literal_allowed(s: &str) -> bool {
    s.contains('\n')
        && !s.starts_with([' ', '\t', '\n'])
        && !s.split('\n').any(|l| l.ends_with([' ', '\t']))
        && !s.chars().any(|c| {
            (c.is_control() && c != '\n')
                || c == '\u{feff}'
                || c == '\u{85}'
                || c == '\u{2028}'
                || c == '\u{2029}'
        })
}

/// A string scalar: plain when it reads back as the same string, a literal
/// block for multi-line text, single quotes, else double quotes.
fn yaml_scalar_string(s: &str, ind: usize) -> String {
    if plain_allowed(s) {
        return s.to_string();
    }
    // go-yaml asks for double quotes when the plain text would read as
    // another type; its emitter falls back to single quotes otherwise.
    let special = s.chars().any(|c| {
        c.is_control() || c == '\u{feff}' || c == '\u{85}' || c == '\u{2028}' || c == '\u{2029}'
    });
    if !s.contains('\n') && !special && (s.is_empty() || resolves_to_non_string(s)) {
        return format!("\"{s}\"");
    }
    if literal_allowed(s) {
        let trailing = s.len() - s.trim_end_matches('\n').len();
        let chomp = match trailing {
            0 => "-",
            1 => "",
            _ => "+",
        };
        let mut out = format!("|{chomp}");
        let body = if trailing > 0 { &s[..s.len() - 1] } else { s };
        for line in body.split('\n') {
            out.push('\n');
            if !line.is_empty() {
                out.push_str(&pad(ind));
                out.push_str(line);
            }
        }
        return out;
    }
    if !s.chars().any(|c| {
        c.is_control() || c == '\u{feff}' || c == '\u{85}' || c == '\u{2028}' || c == '\u{2029}'
    }) {
        return format!("'{}'", s.replace('\'', "''"));
    }
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control()
                || c == '\u{feff}'
                || c == '\u{85}'
                || c == '\u{2028}'
                || c == '\u{2029}' =>
            {
                out.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_order_is_natural() {
        let mut k = vec!["b", "a10", "a2", "_x", "A"];
        k.sort_by(|a, b| yaml_key_cmp(a, b));
        assert_eq!(k, vec!["_x", "A", "a2", "a10", "b"]);
    }

    #[test]
    fn numbers_as_json_sees_them() {
        assert_eq!(json_number(80.0), "80");
        assert_eq!(json_number(1e21), "1e+21");
        assert_eq!(json_number(1e-7), "1e-7");
        assert_eq!(json_number(0.5), "0.5");
    }

    #[test]
    fn yaml_strings_that_would_change_are_quoted() {
        assert_eq!(yaml_scalar_string("80", 0), "\"80\"");
        assert_eq!(yaml_scalar_string("yes", 0), "\"yes\"");
        assert_eq!(yaml_scalar_string("nginx", 0), "nginx");
        assert_eq!(yaml_scalar_string("a\nb\n", 2), "|\n  a\n  b");
    }
}
