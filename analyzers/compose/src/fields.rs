//! Reading compose fields: absent, `null` and `!reset` values all mean "not
//! set"; strings, string lists and environment-style lists or maps.

use seamcheck_facts::{EnvVar, Located};
use seamcheck_yaml::node::{field, is_null, local_tag, merged_entries, sequence, text};
use seamcheck_yaml::{Entry, Node, SourceMap};

/// The entry of `key` when it is set: not absent, not `null`, not `!reset`
/// (compose's tag that resets an inherited value).
pub(crate) fn present<'n, 'a>(node: &'n Node<'a>, key: &str) -> Option<Entry<'n, 'a>> {
    field(node, key).filter(|e| !is_null(e.value) && local_tag(e.value) != Some("reset"))
}

/// A string field, located at its value's token.
pub(crate) fn located_text(
    node: &Node<'_>,
    key: &str,
    src: &SourceMap<'_>,
) -> Option<Located<String>> {
    let entry = present(node, key)?;
    located_scalar(entry.value, src)
}

/// A scalar value, located at its token.
pub(crate) fn located_scalar(value: &Node<'_>, src: &SourceMap<'_>) -> Option<Located<String>> {
    text(value).map(|t| src.located(t.to_string(), value))
}

/// A list of strings; a lone string counts as a one-item list (compose
/// accepts both for `env_file`, `profiles`, `depends_on` …).
pub(crate) fn string_list(value: &Node<'_>, src: &SourceMap<'_>) -> Vec<Located<String>> {
    if let Some(one) = located_scalar(value, src) {
        return vec![one];
    }
    sequence(value)
        .iter()
        .filter_map(|item| located_scalar(item, src))
        .collect()
}

/// `environment:` / `build.args:` in either form:
/// - list: `- NAME=value` (`- NAME` alone: from the shell, `value: None`),
///   located at the item's token;
/// - map: `NAME: value` (`NAME:` / `NAME: null`: from the shell), located
///   from the key through the value; merge keys expanded.
pub(crate) fn env_entries(value: &Node<'_>, src: &SourceMap<'_>) -> Vec<EnvVar> {
    let items = sequence(value);
    if !items.is_empty() {
        return items
            .iter()
            .filter_map(|item| {
                let written = text(item)?;
                let (name, value) = match written.split_once('=') {
                    Some((name, value)) => (name, Some(value.to_string())),
                    None => (written, None),
                };
                Some(EnvVar {
                    name: name.trim().to_string(),
                    value,
                    loc: src.token_loc(item),
                })
            })
            .collect();
    }
    merged_entries(value)
        .into_iter()
        .filter_map(|entry| {
            let name = text(entry.key)?;
            let value = match is_null(entry.value) {
                true => None,
                false => Some(text(entry.value)?.to_string()),
            };
            Some(EnvVar {
                name: name.to_string(),
                value,
                loc: src.entry_loc(entry.key, entry.value),
            })
        })
        .collect()
}
