//! Objects compared by value, not by spelling: keys in any order, scalars
//! typed as YAML 1.2 reads them (`8080` and `"8080"` differ, `'a'` and `a`
//! do not). Used by JSON patch `test` and by the differential tests.

use crate::value::{Data, Node};
use std::collections::BTreeMap;
use std::fmt::Write;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Canon {
    Null,
    Bool(bool),
    Int(i128),
    Float(String),
    Str(String),
    Seq(Vec<Canon>),
    Map(BTreeMap<String, Canon>),
}

fn plain(text: &str) -> Canon {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Canon::Null,
        "true" | "True" | "TRUE" => return Canon::Bool(true),
        "false" | "False" | "FALSE" => return Canon::Bool(false),
        _ => {}
    }
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    // `0755` is octal to Kubernetes (YAML 1.1), as kustomize prints it (493).
    if digits.len() > 1
        && digits.starts_with('0')
        && digits.bytes().all(|b| (b'0'..=b'7').contains(&b))
    {
        if let Ok(i) = i128::from_str_radix(digits, 8) {
            return Canon::Int(if text.starts_with('-') { -i } else { i });
        }
    }
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(i) = text.parse::<i128>() {
            return Canon::Int(i);
        }
    }
    if let Some(hex) = text.strip_prefix("0x") {
        if let Ok(i) = i128::from_str_radix(hex, 16) {
            return Canon::Int(i);
        }
    }
    if let Some(oct) = text.strip_prefix("0o") {
        if let Ok(i) = i128::from_str_radix(oct, 8) {
            return Canon::Int(i);
        }
    }
    let looks_float = digits.bytes().any(|b| b.is_ascii_digit())
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'));
    if looks_float {
        if let Ok(f) = text.parse::<f64>() {
            return Canon::Float(format!("{f}"));
        }
    }
    Canon::Str(text.to_string())
}

pub fn canonical(node: &Node) -> Canon {
    match &node.data {
        Data::Scalar(s) if s.quoted => Canon::Str(s.text.clone()),
        Data::Scalar(s) => plain(&s.text),
        Data::Seq(items) => Canon::Seq(items.iter().map(canonical).collect()),
        Data::Map(m) => Canon::Map(
            m.iter()
                .map(|(k, v)| (k.text.clone(), canonical(v)))
                .collect(),
        ),
    }
}

pub fn same(a: &Node, b: &Node) -> bool {
    canonical(a) == canonical(b)
}

/// A canonical one-line text of a value (JSON-like), for sorting and diffs.
pub fn render(c: &Canon, out: &mut String) {
    match c {
        Canon::Null => out.push_str("null"),
        Canon::Bool(b) => {
            let _ = write!(out, "{b}");
        }
        Canon::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Canon::Float(f) => out.push_str(f),
        Canon::Str(s) => {
            let _ = write!(out, "{s:?}");
        }
        Canon::Seq(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                render(item, out);
            }
            out.push(']');
        }
        Canon::Map(m) => {
            out.push('{');
            for (i, (k, v)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                let _ = write!(out, "{k:?}:");
                render(v, out);
            }
            out.push('}');
        }
    }
}

/// Every document of a YAML text as canonical one-line texts, sorted (by
/// kind, namespace and name first, as they lead each text's sort key).
pub fn normalized_documents(path: &str, text: &str) -> Vec<String> {
    let yaml = crate::files::parse_yaml(path, text);
    let mut docs: Vec<(String, String)> = yaml
        .docs
        .iter()
        .map(|d| {
            let key = format!(
                "{}/{}/{}",
                d.str_at(&["kind"]).unwrap_or(""),
                d.str_at(&["metadata", "namespace"]).unwrap_or(""),
                d.str_at(&["metadata", "name"]).unwrap_or("")
            );
            let mut s = String::new();
            render(&canonical(d), &mut s);
            (key, s)
        })
        .collect();
    docs.sort();
    docs.into_iter().map(|(k, s)| format!("{k} {s}")).collect()
}
