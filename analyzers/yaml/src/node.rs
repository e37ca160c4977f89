//! Reading values out of `MarkedYaml` nodes.
//!
//! Scalars are kept as written (see `load`), and typed here with the rules of
//! the YAML 1.1 decoders Kubernetes (`sigs.k8s.io/yaml`) and compose
//! (`go-yaml` with merge keys) use: plain `yes`/`on` are booleans, merge keys
//! (`<<: *defaults`) are honoured, and a quoted scalar is always a string.

use saphyr::{MarkedYaml, ScalarStyle, YamlData};

pub type Node<'a> = MarkedYaml<'a>;

/// A `key: value` pair found in a mapping.
#[derive(Clone, Copy)]
pub struct Entry<'n, 'a> {
    pub key: &'n Node<'a>,
    pub value: &'n Node<'a>,
}

/// Merge keys may chain (`<<` inside a merged mapping); a few levels is
/// plenty and bounds the work.
const MAX_MERGE_HOPS: usize = 4;

/// Skips tags (`!!map`, custom tags) around a node.
pub fn untagged<'n, 'a>(node: &'n Node<'a>) -> &'n Node<'a> {
    let mut node = node;
    // A tag cannot wrap a tag more than once in saphyr, but loop defensively.
    for _ in 0..4 {
        match &node.data {
            YamlData::Tagged(_, inner) => node = inner,
            _ => break,
        }
    }
    node
}

/// The scalar text and style of a node, if it is a scalar.
pub fn scalar<'n>(node: &'n Node<'_>) -> Option<(&'n str, ScalarStyle)> {
    match &untagged(node).data {
        YamlData::Representation(text, style, _) => Some((text.as_ref(), *style)),
        _ => None,
    }
}

/// A plain scalar that YAML reads as null (`~`, `null`, empty).
pub fn is_null(node: &Node<'_>) -> bool {
    matches!(scalar(node), Some((text, ScalarStyle::Plain)) if matches!(text, "" | "~" | "null" | "Null" | "NULL"))
}

/// The text of a non-null scalar (a Kubernetes string field).
pub fn text<'n>(node: &'n Node<'_>) -> Option<&'n str> {
    if is_null(node) {
        return None;
    }
    scalar(node).map(|(text, _)| text)
}

/// An integer written as a plain decimal scalar.
pub fn integer(node: &Node<'_>) -> Option<i64> {
    match scalar(node)? {
        (text, ScalarStyle::Plain) => parse_decimal(text),
        _ => None,
    }
}

/// A plain boolean, with the YAML 1.1 spellings Kubernetes accepts.
pub fn boolean(node: &Node<'_>) -> Option<bool> {
    match scalar(node)? {
        (
            "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "y" | "Y",
            ScalarStyle::Plain,
        ) => Some(true),
        (
            "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "n" | "N",
            ScalarStyle::Plain,
        ) => Some(false),
        _ => None,
    }
}

/// A port number (1-65535) written as a plain integer.
pub fn port_number(node: &Node<'_>) -> Option<u16> {
    integer(node).and_then(valid_port)
}

/// A number that is a valid port (1-65535).
pub fn valid_port(n: i64) -> Option<u16> {
    u16::try_from(n).ok().filter(|&p| p > 0)
}

/// A decimal integer with an optional sign (`8080`, `+1`, `-3`).
pub fn parse_decimal(text: &str) -> Option<i64> {
    let digits = text.strip_prefix('+').unwrap_or(text);
    let body = digits.strip_prefix('-').unwrap_or(digits);
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

pub fn sequence<'n, 'a>(node: &'n Node<'a>) -> &'n [Node<'a>] {
    match &untagged(node).data {
        YamlData::Sequence(items) => items,
        _ => &[],
    }
}

pub fn is_sequence(node: &Node<'_>) -> bool {
    matches!(untagged(node).data, YamlData::Sequence(_))
}

pub fn is_mapping(node: &Node<'_>) -> bool {
    matches!(untagged(node).data, YamlData::Mapping(_))
}

/// The entries of a mapping, in document order (merge keys not expanded).
pub fn entries<'n, 'a>(node: &'n Node<'a>) -> Vec<Entry<'n, 'a>> {
    match &untagged(node).data {
        YamlData::Mapping(map) => map
            .iter()
            .map(|(key, value)| Entry { key, value })
            .collect(),
        _ => Vec::new(),
    }
}

/// The entries of a mapping with merge keys expanded, as a YAML 1.1 loader
/// sees them: keys written directly come first (in document order) and win;
/// then the keys of merged mappings (`<<: *a` or `<<: [*a, *b]`, earlier
/// ones first) that are not already present. The `<<` entries themselves are
/// left out.
pub fn merged_entries<'n, 'a>(node: &'n Node<'a>) -> Vec<Entry<'n, 'a>> {
    let mut out: Vec<Entry<'n, 'a>> = Vec::new();
    let mut pending: Vec<(&'n Node<'a>, usize)> = vec![(node, 0)];
    let mut cursor = 0;
    while let Some(&(map, hops)) = pending.get(cursor) {
        cursor += 1;
        let YamlData::Mapping(map_entries) = &untagged(map).data else {
            continue;
        };
        let mut merges = Vec::new();
        for (key, value) in map_entries.iter() {
            if is_merge_key(key) {
                if hops < MAX_MERGE_HOPS {
                    merges.push(value);
                }
                continue;
            }
            let name = scalar(key).map(|(k, _)| k);
            let seen = name.is_some_and(|name| {
                out.iter()
                    .any(|e| scalar(e.key).map(|(k, _)| k) == Some(name))
            });
            if !seen {
                out.push(Entry { key, value });
            }
        }
        for merged in merges {
            if is_mapping(merged) {
                pending.push((merged, hops + 1));
            } else {
                pending.extend(sequence(merged).iter().map(|m| (m, hops + 1)));
            }
        }
    }
    out
}

fn is_merge_key(key: &Node<'_>) -> bool {
    matches!(scalar(key), Some(("<<", ScalarStyle::Plain)))
}

/// The local tag of a node (`reset` for `!reset`, `override` for
/// `!override`), if it has one. Core-schema tags (`!!str`) are not reported.
pub fn local_tag<'n>(node: &'n Node<'_>) -> Option<&'n str> {
    let tag = match &node.data {
        YamlData::Tagged(tag, _) => tag,
        YamlData::Representation(_, _, Some(tag)) => tag,
        _ => return None,
    };
    (tag.handle == "!").then_some(tag.suffix.as_str())
}

/// Looks a key up in a mapping; keys set directly win over merged ones, as
/// in YAML 1.1.
pub fn field<'n, 'a>(node: &'n Node<'a>, name: &str) -> Option<Entry<'n, 'a>> {
    let mut pending: Vec<(&'n Node<'a>, usize)> = vec![(node, 0)];
    let mut cursor = 0;
    while let Some(&(map, hops)) = pending.get(cursor) {
        cursor += 1;
        let YamlData::Mapping(entries) = &untagged(map).data else {
            continue;
        };
        let mut merges = Vec::new();
        for (key, value) in entries.iter() {
            match scalar(key) {
                Some((k, _)) if k == name => return Some(Entry { key, value }),
                _ if is_merge_key(key) && hops < MAX_MERGE_HOPS => merges.push(value),
                _ => {}
            }
        }
        for merged in merges {
            if is_mapping(merged) {
                pending.push((merged, hops + 1));
            } else {
                pending.extend(sequence(merged).iter().map(|m| (m, hops + 1)));
            }
        }
    }
    None
}

/// The value at `path` (a chain of mapping keys).
pub fn path<'n, 'a>(node: &'n Node<'a>, keys: &[&str]) -> Option<&'n Node<'a>> {
    let mut node = node;
    for key in keys {
        node = field(node, key)?.value;
    }
    Some(node)
}

/// The value of `key`, when it is a non-null string scalar.
pub fn text_field<'n>(node: &'n Node<'_>, key: &str) -> Option<&'n str> {
    field(node, key).and_then(|e| text(e.value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_doc(text: &str) -> Node<'_> {
        let loaded = crate::load::load_documents(text, |b| b);
        loaded
            .docs
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no doc"))
    }

    #[test]
    fn merge_keys_fill_in_missing_fields() {
        let doc = first_doc("base: &b {a: 1, b: 2}\nthing:\n  <<: *b\n  b: 3\n");
        let thing = path(&doc, &["thing"]).unwrap_or_else(|| panic!("thing"));
        assert_eq!(field(thing, "a").and_then(|e| integer(e.value)), Some(1));
        assert_eq!(field(thing, "b").and_then(|e| integer(e.value)), Some(3));
    }

    #[test]
    fn port_numbers_are_plain_decimals_in_range() {
        let doc = first_doc("a: 8080\nb: \"8080\"\nd: 70000\nf: 0\n");
        let get = |k: &str| path(&doc, &[k]).and_then(port_number);
        assert_eq!(get("a"), Some(8080));
        assert_eq!(get("b"), None);
        assert_eq!(get("d"), None);
        assert_eq!(get("f"), None);
    }

    #[test]
    fn merged_entries_put_direct_keys_first_and_let_them_win() {
        let doc =
            first_doc("x: &x {a: 1, b: 2}\ny: &y {c: 3}\nthing:\n  b: 9\n  <<: [*x, *y]\n  d: 4\n");
        let thing = path(&doc, &["thing"]).unwrap_or_else(|| panic!("thing"));
        let pairs: Vec<(&str, i64)> = merged_entries(thing)
            .iter()
            .filter_map(|e| Some((scalar(e.key)?.0, integer(e.value)?)))
            .collect();
        assert_eq!(pairs, vec![("b", 9), ("d", 4), ("a", 1), ("c", 3)]);
    }

    #[test]
    fn local_tags_are_reported() {
        let doc = first_doc("a: !reset []\nb: !override x\nc: !!str 1\n");
        let tag = |k: &str| path(&doc, &[k]).and_then(local_tag).map(str::to_string);
        assert_eq!(tag("a").as_deref(), Some("reset"));
        assert_eq!(tag("b").as_deref(), Some("override"));
        assert_eq!(tag("c"), None);
    }

    #[test]
    fn yaml_1_1_booleans() {
        let doc = first_doc("a: yes\nb: 'true'\nc: False\n");
        assert_eq!(path(&doc, &["a"]).and_then(boolean), Some(true));
        assert_eq!(path(&doc, &["b"]).and_then(boolean), None);
        assert_eq!(path(&doc, &["c"]).and_then(boolean), Some(false));
    }
}
