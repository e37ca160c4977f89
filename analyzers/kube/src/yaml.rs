//! Reading values out of `MarkedYaml` nodes the way Kubernetes decodes them.
//!
//! Scalars are kept as written (see `load`), and typed here with the rules of
//! the YAML 1.1 decoder Kubernetes uses (`sigs.k8s.io/yaml`): plain `yes`/`on`
//! are booleans, merge keys (`<<: *defaults`) are honoured, and a quoted
//! scalar is always a string.

use saphyr::{MarkedYaml, ScalarStyle, YamlData};
use seamcheck_facts::PortRef;

pub(crate) type Node<'a> = MarkedYaml<'a>;

/// A `key: value` pair found in a mapping.
#[derive(Clone, Copy)]
pub(crate) struct Entry<'n, 'a> {
    pub(crate) key: &'n Node<'a>,
    pub(crate) value: &'n Node<'a>,
}

/// Merge keys may chain (`<<` inside a merged mapping); a few levels is
/// plenty and bounds the work.
const MAX_MERGE_HOPS: usize = 4;

/// Skips tags (`!!map`, custom tags) around a node.
pub(crate) fn untagged<'n, 'a>(node: &'n Node<'a>) -> &'n Node<'a> {
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
pub(crate) fn scalar<'n>(node: &'n Node<'_>) -> Option<(&'n str, ScalarStyle)> {
    match &untagged(node).data {
        YamlData::Representation(text, style, _) => Some((text.as_ref(), *style)),
        _ => None,
    }
}

/// A plain scalar that YAML reads as null (`~`, `null`, empty).
pub(crate) fn is_null(node: &Node<'_>) -> bool {
    matches!(scalar(node), Some((text, ScalarStyle::Plain)) if matches!(text, "" | "~" | "null" | "Null" | "NULL"))
}

/// The text of a non-null scalar (a Kubernetes string field).
pub(crate) fn text<'n>(node: &'n Node<'_>) -> Option<&'n str> {
    if is_null(node) {
        return None;
    }
    scalar(node).map(|(text, _)| text)
}

/// An integer written as a plain decimal scalar.
pub(crate) fn integer(node: &Node<'_>) -> Option<i64> {
    match scalar(node)? {
        (text, ScalarStyle::Plain) => parse_decimal(text),
        _ => None,
    }
}

/// A plain boolean, with the YAML 1.1 spellings Kubernetes accepts.
pub(crate) fn boolean(node: &Node<'_>) -> Option<bool> {
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
pub(crate) fn port_number(node: &Node<'_>) -> Option<u16> {
    integer(node).and_then(valid_port)
}

/// An int-or-string port (probe `port`, Service `targetPort`): a number, or a
/// name. A numeric string such as `"8080"` counts as the number.
pub(crate) fn port_ref(node: &Node<'_>) -> Option<PortRef> {
    let (text, _) = scalar(node)?;
    if is_null(node) {
        return None;
    }
    if let Some(n) = parse_decimal(text) {
        return valid_port(n).map(PortRef::Number);
    }
    is_port_name(text).then(|| PortRef::Name(text.to_string()))
}

/// Kubernetes port names are IANA service names (at most 15 lowercase
/// letters, digits and dashes, one letter at least). This is looser, so that
/// a slightly invalid name is still matched and reported, but a template
/// placeholder (`{{ .Values.port }}`) is not taken for a name.
fn is_port_name(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 63
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
        && text.chars().any(|c| c.is_ascii_alphabetic())
}

fn valid_port(n: i64) -> Option<u16> {
    u16::try_from(n).ok().filter(|&p| p > 0)
}

fn parse_decimal(text: &str) -> Option<i64> {
    let digits = text.strip_prefix('+').unwrap_or(text);
    let body = digits.strip_prefix('-').unwrap_or(digits);
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

pub(crate) fn sequence<'n, 'a>(node: &'n Node<'a>) -> &'n [Node<'a>] {
    match &untagged(node).data {
        YamlData::Sequence(items) => items,
        _ => &[],
    }
}

pub(crate) fn is_sequence(node: &Node<'_>) -> bool {
    matches!(untagged(node).data, YamlData::Sequence(_))
}

pub(crate) fn is_mapping(node: &Node<'_>) -> bool {
    matches!(untagged(node).data, YamlData::Mapping(_))
}

/// The entries of a mapping, in document order (merge keys not expanded).
pub(crate) fn entries<'n, 'a>(node: &'n Node<'a>) -> Vec<Entry<'n, 'a>> {
    match &untagged(node).data {
        YamlData::Mapping(map) => map
            .iter()
            .map(|(key, value)| Entry { key, value })
            .collect(),
        _ => Vec::new(),
    }
}

/// Looks a key up in a mapping; keys set directly win over merged ones, as
/// in YAML 1.1.
pub(crate) fn field<'n, 'a>(node: &'n Node<'a>, name: &str) -> Option<Entry<'n, 'a>> {
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
                Some(("<<", ScalarStyle::Plain)) if hops < MAX_MERGE_HOPS => merges.push(value),
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
pub(crate) fn path<'n, 'a>(node: &'n Node<'a>, keys: &[&str]) -> Option<&'n Node<'a>> {
    let mut node = node;
    for key in keys {
        node = field(node, key)?.value;
    }
    Some(node)
}

/// The value of `key`, when it is a non-null string scalar.
pub(crate) fn text_field<'n>(node: &'n Node<'_>, key: &str) -> Option<&'n str> {
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
    fn ports_numbers_and_names() {
        let doc =
            first_doc("a: 8080\nb: \"8080\"\nc: http\nd: 70000\ne: '{{ .Values.p }}'\nf: 0\n");
        let get = |k: &str| path(&doc, &[k]).and_then(port_ref);
        assert_eq!(get("a"), Some(PortRef::Number(8080)));
        assert_eq!(get("b"), Some(PortRef::Number(8080)));
        assert_eq!(get("c"), Some(PortRef::Name("http".into())));
        assert_eq!(get("d"), None);
        assert_eq!(get("e"), None);
        assert_eq!(get("f"), None);
        assert_eq!(path(&doc, &["b"]).and_then(port_number), None);
    }

    #[test]
    fn yaml_1_1_booleans() {
        let doc = first_doc("a: yes\nb: 'true'\nc: False\n");
        assert_eq!(path(&doc, &["a"]).and_then(boolean), Some(true));
        assert_eq!(path(&doc, &["b"]).and_then(boolean), None);
        assert_eq!(path(&doc, &["c"]).and_then(boolean), Some(false));
    }
}
