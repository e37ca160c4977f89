//! `metadata` of any object: name, namespace, labels.

use crate::yaml::{entries, field, text, text_field, Node};
use seamcheck_facts::kube::Label;
use seamcheck_facts::{Located, Location};
use seamcheck_yaml::SourceMap;

/// Name, namespace and whole-object location of one object.
pub(crate) struct ObjectMeta {
    pub(crate) name: Located<String>,
    pub(crate) namespace: Option<String>,
    pub(crate) loc: Location,
}

/// `metadata.name` at its token. An object with only `generateName` is named
/// by that prefix; one with neither gets an empty name located at the object,
/// so it is still linked and reported rather than silently dropped.
pub(crate) fn object_meta(object: &Node<'_>, src: &SourceMap<'_>) -> ObjectMeta {
    let loc = src.token_loc(object);
    let metadata = field(object, "metadata").map(|e| e.value);
    let named = |key: &str| {
        let entry = field(metadata?, key)?;
        text(entry.value).map(|n| src.located(n.to_string(), entry.value))
    };
    let name = named("name")
        .or_else(|| named("generateName"))
        .unwrap_or_else(|| Located::new(String::new(), loc.clone()));
    let namespace = metadata
        .and_then(|m| text_field(m, "namespace"))
        .map(str::to_string);
    ObjectMeta {
        name,
        namespace,
        loc,
    }
}

/// The entries of a string map (labels, a selector), each located from its
/// key through its value. Non-scalar values are skipped.
pub(crate) fn labels(map: &Node<'_>, src: &SourceMap<'_>) -> Vec<Label> {
    entries(map)
        .into_iter()
        .filter_map(|entry| {
            let key = text(entry.key)?;
            // `app:` with no value is the empty label value.
            let value = if crate::yaml::is_null(entry.value) {
                ""
            } else {
                text(entry.value)?
            };
            Some(Label {
                key: key.to_string(),
                value: value.to_string(),
                loc: src.entry_loc(entry.key, entry.value),
            })
        })
        .collect()
}
