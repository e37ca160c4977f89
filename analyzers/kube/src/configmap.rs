//! `kind: ConfigMap`: its `data`, which `envFrom` turns into environment variables.

use crate::meta::object_meta;
use crate::yaml::{entries, field, text, Node};
use seamcheck_facts::kube::ConfigMap;
use seamcheck_facts::EnvVar;
use seamcheck_yaml::SourceMap;

pub(crate) fn extract(object: &Node<'_>, src: &SourceMap<'_>) -> ConfigMap {
    let meta = object_meta(object, src);
    let data = field(object, "data")
        .map(|d| {
            entries(d.value)
                .iter()
                .filter_map(|e| {
                    Some(EnvVar {
                        name: text(e.key)?.to_string(),
                        value: text(e.value).map(str::to_string),
                        loc: src.entry_loc(e.key, e.value),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    ConfigMap {
        name: meta.name,
        namespace: meta.namespace,
        loc: meta.loc,
        data,
    }
}
