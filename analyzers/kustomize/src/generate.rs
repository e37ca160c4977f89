//! `configMapGenerator` and `secretGenerator`: objects made from literals,
//! env files and files, with kustomize's content hash in their names.

use crate::build::Renderer;
use crate::files::join;
use crate::resource::{Id, Resource};
use crate::value::{Data, Key, Node, Src};
use seamcheck_facts::{LineIndex, Location};
use sha2::{Digest, Sha256};

#[derive(Default, Clone)]
struct Options {
    labels: Vec<(Key, Node)>,
    annotations: Vec<(Key, Node)>,
    disable_hash: bool,
    immutable: Option<Node>,
}

fn options(node: Option<&Node>) -> Options {
    let Some(node) = node else {
        return Options::default();
    };
    Options {
        labels: node
            .get("labels")
            .map(|l| l.entries().to_vec())
            .unwrap_or_default(),
        annotations: node
            .get("annotations")
            .map(|l| l.entries().to_vec())
            .unwrap_or_default(),
        disable_hash: node.get("disableNameSuffixHash").and_then(Node::str) == Some("true"),
        immutable: node
            .get("immutable")
            .filter(|n| n.str() == Some("true"))
            .cloned(),
    }
}

/// The generator's own options over the kustomization's (kustomize's
/// `MergeGlobalOptionsIntoLocal`).
fn merged(global: &Options, local: Options) -> Options {
    let mut labels = global.labels.clone();
    for (k, v) in local.labels {
        labels.retain(|(g, _)| g.text != k.text);
        labels.push((k, v));
    }
    let mut annotations = global.annotations.clone();
    for (k, v) in local.annotations {
        annotations.retain(|(g, _)| g.text != k.text);
        annotations.push((k, v));
    }
    Options {
        labels,
        annotations,
        disable_hash: global.disable_hash || local.disable_hash,
        immutable: local.immutable.or_else(|| global.immutable.clone()),
    }
}

/// `KEY=value` with kustomize's quote stripping of the value.
fn literal(text: &str) -> Option<(String, String)> {
    let (k, v) = text.split_once('=')?;
    let v = strip_quotes(v);
    Some((k.to_string(), v.to_string()))
}

fn strip_quotes(v: &str) -> &str {
    if v.len() >= 2 {
        let (first, last) = (v.as_bytes()[0], v.as_bytes()[v.len() - 1]);
        if first == last && (first == b'"' || first == b'\'') {
            return &v[1..v.len() - 1];
        }
    }
    v
}

impl Renderer<'_> {
    /// Runs both generators of the kustomization `k` in `dir`.
    pub fn generate(&mut self, k: &Node, dir: &str, ra: &mut Vec<Resource>) {
        let global = options(k.get("generatorOptions"));
        for (field, kind) in [
            ("configMapGenerator", "ConfigMap"),
            ("secretGenerator", "Secret"),
        ] {
            let Some(list) = k.get(field) else { continue };
            for generator in list.items() {
                self.generate_one(generator, kind, dir, &global, ra);
            }
        }
    }

    fn generate_one(
        &mut self,
        g: &Node,
        kind: &str,
        dir: &str,
        global: &Options,
        ra: &mut Vec<Resource>,
    ) {
        let Some(name_node) = g.get("name").filter(|n| n.str().is_some()) else {
            self.problem("a generator without a `name`", g.src.loc.clone());
            return;
        };
        let opts = merged(global, options(g.get("options")));
        let mut data: Vec<(Key, Node)> = Vec::new();
        let push = |data: &mut Vec<(Key, Node)>,
                    key: String,
                    value: String,
                    key_loc: Location,
                    value_loc: Location| {
            data.retain(|(k, _)| k.text != key);
            data.push((
                Key {
                    text: key,
                    raw: None,
                    src: Src::made(key_loc, None),
                },
                Node::string(value, Src::made(value_loc, None)),
            ));
        };
        for env in g
            .get("envs")
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .chain(g.get("env"))
        {
            let Some(rel) = env.str() else { continue };
            let Some(path) = join(dir, rel) else {
                self.problem(
                    format!("env file `{rel}` is outside the audited tree"),
                    env.src.loc.clone(),
                );
                continue;
            };
            match self.files.text(&path) {
                Ok(text) => {
                    self.check_inside(dir, &path, env);
                    self.consumed.insert(path.clone());
                    let index = LineIndex::new(path.as_str(), &text);
                    let mut offset = 0;
                    for raw_line in text.split_inclusive('\n') {
                        let start = offset;
                        offset += raw_line.len();
                        let line = raw_line.trim_end_matches(['\n', '\r']);
                        let line = line.strip_prefix('\u{feff}').unwrap_or(line);
                        let trimmed = line.trim_start();
                        if trimmed.is_empty() || trimmed.starts_with('#') {
                            continue;
                        }
                        let lead = line.len() - trimmed.len();
                        let loc = index.location(start + lead..start + line.len());
                        match trimmed.split_once('=') {
                            Some((k, v)) => {
                                push(&mut data, k.to_string(), v.to_string(), loc.clone(), loc)
                            }
                            None => {
                                // kustomize reads a bare name from the environment of
                                // the build, where it is usually unset: empty.
                                self.note(
                                    format!("`{trimmed}` takes its value from the environment of the build: rendered empty"),
                                    loc.clone(),
                                );
                                push(
                                    &mut data,
                                    trimmed.to_string(),
                                    String::new(),
                                    loc.clone(),
                                    loc,
                                );
                            }
                        }
                    }
                }
                Err(e) => self.missing(&path, &e, env.src.loc.clone()),
            }
        }
        for lit in g.get("literals").map(Node::items).unwrap_or_default() {
            let Some(text) = lit.str() else { continue };
            match literal(text) {
                Some((k, v)) => push(&mut data, k, v, lit.src.loc.clone(), lit.src.loc.clone()),
                None => self.problem(
                    format!("literal `{text}` is not `KEY=value`"),
                    lit.src.loc.clone(),
                ),
            }
        }
        for file in g.get("files").map(Node::items).unwrap_or_default() {
            let Some(text) = file.str() else { continue };
            let (key, rel) = match text.split_once('=') {
                Some((k, p)) => (k.to_string(), p.to_string()),
                None => (
                    text.rsplit('/').next().unwrap_or(text).to_string(),
                    text.to_string(),
                ),
            };
            let Some(path) = join(dir, &rel) else {
                self.problem(
                    format!("file `{rel}` is outside the audited tree"),
                    file.src.loc.clone(),
                );
                continue;
            };
            match self.files.bytes(&path) {
                Ok(bytes) => {
                    self.check_inside(dir, &path, file);
                    self.consumed.insert(path.clone());
                    match String::from_utf8(bytes) {
                        Ok(content) => {
                            let loc = LineIndex::new(path.as_str(), &content).file_location();
                            push(&mut data, key, content, file.src.loc.clone(), loc);
                        }
                        Err(_) => self.note(
                            format!("`{rel}` is binary: its `binaryData` entry is not rendered"),
                            file.src.loc.clone(),
                        ),
                    }
                }
                Err(e) => self.missing(&path, &e, file.src.loc.clone()),
            }
        }
        let src = Src::made(name_node.src.loc.clone(), None);
        let behavior = g.get("behavior").and_then(Node::str).unwrap_or("create");
        let namespace = g.get("namespace").filter(|n| n.str().is_some());
        let obj = self.generated_object(kind, name_node, namespace, g, data, &opts, &src);
        match behavior {
            "merge" | "replace" => {
                let target = Id::of(&obj);
                let existing = ra.iter_mut().find(|r| {
                    r.kind() == kind
                        && (r.name() == target.name || r.had_name(&target.name))
                        && (namespace.is_none() || r.id().namespace == target.namespace)
                });
                let Some(existing) = existing else {
                    self.problem(
                        format!(
                            "`behavior: {behavior}` but no {kind} `{}` to {behavior}",
                            target.name
                        ),
                        g.get("behavior")
                            .map_or(g.src.loc.clone(), |b| b.src.loc.clone()),
                    );
                    return;
                };
                merge_generated(existing, obj, behavior == "replace");
                if opts.disable_hash {
                    existing.needs_hash = false;
                }
            }
            _ => {
                let mut r = Resource::new(obj);
                r.needs_hash = !opts.disable_hash;
                ra.push(r);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn generated_object(
        &mut self,
        kind: &str,
        name: &Node,
        namespace: Option<&Node>,
        g: &Node,
        data: Vec<(Key, Node)>,
        opts: &Options,
        src: &Src,
    ) -> Node {
        let mut obj = Node::map(src.clone());
        obj.set("apiVersion", Node::string("v1", src.clone()));
        obj.set("kind", Node::string(kind, src.clone()));
        let mut meta = Node::map(src.clone());
        meta.set("name", name.clone());
        if let Some(ns) = namespace {
            meta.set("namespace", ns.clone());
        }
        if !opts.labels.is_empty() {
            meta.set(
                "labels",
                Node {
                    data: Data::Map(opts.labels.clone()),
                    src: src.clone(),
                },
            );
        }
        if !opts.annotations.is_empty() {
            meta.set(
                "annotations",
                Node {
                    data: Data::Map(opts.annotations.clone()),
                    src: src.clone(),
                },
            );
        }
        obj.set("metadata", meta);
        if kind == "Secret" {
            let ty = g.get("type").filter(|t| t.str().is_some()).cloned();
            let encoded = data
                .into_iter()
                .map(|(k, mut v)| {
                    let text = base64(v.str().unwrap_or("").as_bytes());
                    v.rewrite(text, None);
                    (k, v)
                })
                .collect();
            obj.set(
                "type",
                ty.unwrap_or_else(|| Node::string("Opaque", src.clone())),
            );
            obj.set(
                "data",
                Node {
                    data: Data::Map(encoded),
                    src: src.clone(),
                },
            );
        } else {
            obj.set(
                "data",
                Node {
                    data: Data::Map(data),
                    src: src.clone(),
                },
            );
        }
        if let Some(imm) = &opts.immutable {
            obj.set("immutable", imm.clone());
        }
        obj
    }
}

/// `behavior: merge` (data and metadata maps merged, new keys win) or
/// `replace` (the new data replaces the old); the object keeps its name.
fn merge_generated(existing: &mut Resource, new: Node, replace: bool) {
    for field in ["data", "binaryData"] {
        let Some(new_data) = new.get(field).cloned() else {
            continue;
        };
        if replace || existing.obj.get(field).is_none() {
            existing.obj.set(field, new_data);
            continue;
        }
        if let Some(old) = existing.obj.get_mut(field) {
            for (k, v) in new_data.entries() {
                if old.is_map() {
                    old.set(&k.text, v.clone());
                }
            }
        }
    }
    for field in ["labels", "annotations"] {
        let Some(new_map) = new.at(&["metadata", field]).cloned() else {
            continue;
        };
        let src = new_map.src.clone();
        if let Some(meta) = existing.obj.get_mut("metadata") {
            if let Some(old) = meta.child_map(field, &src) {
                for (k, v) in new_map.entries() {
                    old.set(&k.text, v.clone());
                }
            }
        }
    }
}

/// kustomize's name suffix: SHA-256 of a JSON encoding of the object's
/// data (keys sorted, as Go's `json.Marshal` writes them), the first ten
/// hex digits with some letters swapped. The encoding has a `name` field,
/// always empty: kustomize looks `metadata/name` up as one key, which no
/// object has.
pub fn content_hash(obj: &Node) -> String {
    let name = "";
    let mut json = String::from("{");
    let data = |field: &str| -> Option<String> {
        let node = obj.get(field)?;
        if !node.is_map() {
            return None;
        }
        let mut entries: Vec<(&str, &str)> = node
            .entries()
            .iter()
            .map(|(k, v)| (k.text.as_str(), v.str().unwrap_or("")))
            .collect();
        entries.sort();
        let mut s = String::from("{");
        for (i, (k, v)) in entries.iter().enumerate() {
            if i > 0 {
                s.push(',');
            }
            go_json_string(k, &mut s);
            s.push(':');
            go_json_string(v, &mut s);
        }
        s.push('}');
        Some(s)
    };
    let data_or_empty = |field: &str| data(field).unwrap_or_else(|| "\"\"".to_string());
    if obj.str_at(&["kind"]) == Some("Secret") {
        json.push_str("\"data\":");
        json.push_str(&data_or_empty("data"));
        json.push_str(",\"kind\":\"Secret\",\"name\":");
        go_json_string(name, &mut json);
        if let Some(sd) = data("stringData") {
            json.push_str(",\"stringData\":");
            json.push_str(&sd);
        }
        json.push_str(",\"type\":");
        go_json_string(obj.str_at(&["type"]).unwrap_or(""), &mut json);
    } else {
        if let Some(bd) = data("binaryData") {
            json.push_str("\"binaryData\":");
            json.push_str(&bd);
            json.push(',');
        }
        json.push_str("\"data\":");
        json.push_str(&data_or_empty("data"));
        json.push_str(",\"kind\":\"ConfigMap\",\"name\":");
        go_json_string(name, &mut json);
    }
    json.push('}');
    let digest = Sha256::digest(json.as_bytes());
    digest
        .iter()
        .take(5)
        .flat_map(|b| [b >> 4, b & 0xf])
        .map(|n| match n {
            0 => 'g',
            1 => 'h',
            3 => 'k',
            10 => 'm',
            14 => 't',
            n => char::from_digit(u32::from(n), 16).unwrap_or('0'),
        })
        .collect()
}

/// A JSON string as Go's `encoding/json` writes it (HTML characters and
/// line separators escaped).
fn go_json_string(s: &str, out: &mut String) {
    seamcheck_facts::go_json::write_string(s, true, out);
}

pub fn base64(bytes: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_pads() {
        assert_eq!(base64(b"a"), "YQ==");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"abc"), "YWJj");
    }

    #[test]
    fn go_escapes_html() {
        let mut s = String::new();
        go_json_string("a<b>&\"\n", &mut s);
        assert_eq!(s, r#""a\u003cb\u003e\u0026\"\n""#);
    }

    #[test]
    fn quotes_around_literal_values_are_stripped() {
        assert_eq!(literal("A=\"x y\""), Some(("A".into(), "x y".into())));
        assert_eq!(literal("A=b=c"), Some(("A".into(), "b=c".into())));
    }
}
