//! The kustomization's built-in transformers other than patches:
//! namespace, name prefix and suffix, labels, annotations, replicas, images.

use crate::build::Renderer;
use crate::fieldspec::{self, FieldSpec};
use crate::resource::{is_cluster_scoped, Resource};
use crate::value::{Data, Key, Node, Src};
use seamcheck_facts::render::Via;
use std::sync::Arc;

pub fn via(node: &Node, message: &str) -> Arc<Via> {
    Arc::new(Via {
        loc: node.src.loc.clone(),
        message: message.to_string(),
    })
}

/// Sets `pairs` at every field `specs` name in `r`.
pub fn add_pairs(r: &mut Resource, specs: &[FieldSpec], pairs: &[(Key, Node)], src: &Src) {
    for spec in specs {
        if !spec.applies(r) {
            continue;
        }
        fieldspec::visit(&mut r.obj, &spec.path, spec.create, src, &mut |target| {
            if !target.is_map() {
                if target.is_null() {
                    *target = Node::map(src.clone());
                } else {
                    return;
                }
            }
            for (k, v) in pairs {
                let mut v = v.clone();
                // Label values are strings whatever they look like.
                if let Data::Scalar(s) = &mut v.data {
                    if !s.quoted {
                        s.quoted = true;
                        if s.raw.is_some() {
                            s.raw = None;
                            v.src.copy = None;
                        }
                    }
                }
                if let Data::Map(m) = &mut target.data {
                    match m.iter_mut().find(|(mk, _)| mk.text == k.text) {
                        Some(slot) => slot.1 = v,
                        None => m.push((k.clone(), v)),
                    }
                }
            }
        });
    }
}

impl Renderer<'_> {
    pub fn set_namespace(&mut self, k: &Node, ra: &mut [Resource]) {
        let Some(ns_node) = k.get("namespace").filter(|n| n.str().is_some()) else {
            return;
        };
        let ns = ns_node.str().unwrap_or_default().to_string();
        let v = via(ns_node, "the kustomization's `namespace` sets it");
        for r in ra.iter_mut() {
            let kind = r.kind().to_string();
            if kind == "Namespace" {
                r.store_prev();
                if let Some(name) = r.obj.get_mut("metadata").and_then(|m| m.get_mut("name")) {
                    name.rewrite(ns.clone(), Some(v.clone()));
                }
                continue;
            }
            if is_cluster_scoped(&kind) {
                continue;
            }
            if r.obj.str_at(&["metadata", "namespace"]) == Some(ns.as_str()) {
                continue;
            }
            r.store_prev();
            let src = Src::made(ns_node.src.loc.clone(), None);
            if let Some(meta) = r.obj.child_map("metadata", &src) {
                meta.set("namespace", Node::string(ns.clone(), src.clone()));
            }
        }
    }

    pub fn prefix_suffix(&mut self, k: &Node, ra: &mut [Resource]) {
        let prefix = k.get("namePrefix").filter(|n| n.str().is_some());
        let suffix = k.get("nameSuffix").filter(|n| n.str().is_some());
        for (node, is_prefix) in [(prefix, true), (suffix, false)] {
            let Some(node) = node else { continue };
            let affix = node.str().unwrap_or_default().to_string();
            let v = via(
                node,
                if is_prefix {
                    "the kustomization's `namePrefix` renames it"
                } else {
                    "the kustomization's `nameSuffix` renames it"
                },
            );
            for r in ra.iter_mut() {
                if matches!(
                    r.kind(),
                    "CustomResourceDefinition" | "APIService" | "Namespace"
                ) {
                    continue;
                }
                r.store_prev();
                if let Some(name) = r.obj.get_mut("metadata").and_then(|m| m.get_mut("name")) {
                    let Some(current) = name.str() else { continue };
                    let renamed = if is_prefix {
                        format!("{affix}{current}")
                    } else {
                        format!("{current}{affix}")
                    };
                    name.rewrite(renamed, Some(v.clone()));
                }
            }
        }
    }

    pub fn labels(&mut self, k: &Node, ra: &mut [Resource]) {
        if let Some(common) = k.get("commonLabels").filter(|n| n.is_map()) {
            let specs = fieldspec::common_labels();
            for r in ra.iter_mut() {
                add_pairs(r, &specs, common.entries(), &common.src);
            }
        }
        for entry in k.get("labels").map(Node::items).unwrap_or_default() {
            let Some(pairs) = entry.get("pairs").filter(|n| n.is_map()) else {
                continue;
            };
            let flag = |name: &str| entry.str_at(&[name]) == Some("true");
            let mut specs = entry
                .get("fields")
                .map(fieldspec::from_node)
                .unwrap_or_default();
            if flag("includeSelectors") {
                specs.extend(fieldspec::common_labels());
            } else {
                if flag("includeTemplates") {
                    specs.extend(fieldspec::template_labels("labels"));
                    // kustomize 5.5 writes template labels into claim templates too.
                    specs.extend(fieldspec::volume_claim_template_labels());
                }
                if flag("includeVolumeClaimTemplates") {
                    specs.extend(fieldspec::volume_claim_template_labels());
                }
                specs.push(FieldSpec {
                    path: vec!["metadata".into(), "labels".into()],
                    kind: None,
                    group: None,
                    create: true,
                });
            }
            for r in ra.iter_mut() {
                add_pairs(r, &specs, pairs.entries(), &pairs.src);
            }
        }
    }

    pub fn annotations(&mut self, k: &Node, ra: &mut [Resource]) {
        let Some(common) = k.get("commonAnnotations").filter(|n| n.is_map()) else {
            return;
        };
        let specs = fieldspec::template_labels("annotations");
        for r in ra.iter_mut() {
            add_pairs(r, &specs, common.entries(), &common.src);
        }
    }

    pub fn replicas(&mut self, k: &Node, ra: &mut [Resource]) {
        for entry in k.get("replicas").map(Node::items).unwrap_or_default() {
            let (Some(name), Some(count)) = (entry.str_at(&["name"]), entry.get("count")) else {
                continue;
            };
            let mut hit = false;
            for r in ra.iter_mut() {
                let kind_ok = matches!(
                    r.kind(),
                    "Deployment" | "ReplicationController" | "ReplicaSet" | "StatefulSet"
                );
                if !(r.name() == name || r.had_name(name)) {
                    continue;
                }
                hit = true;
                if !kind_ok {
                    continue;
                }
                let src = Src::made(count.src.loc.clone(), None);
                if let Some(spec) = r.obj.child_map("spec", &src) {
                    spec.set("replicas", count.clone());
                }
            }
            if !hit {
                self.note(
                    format!("`replicas` names `{name}`, which this kustomization does not have"),
                    entry.src.loc.clone(),
                );
            }
        }
    }

    pub fn images(&mut self, k: &Node, ra: &mut [Resource]) {
        for entry in k.get("images").map(Node::items).unwrap_or_default() {
            let Some(name) = entry.str_at(&["name"]) else {
                continue;
            };
            let v = via(entry, "the kustomization's `images` entry sets it");
            for r in ra.iter_mut() {
                each_container_image(&mut r.obj, &mut |image| {
                    let Some(current) = image.str() else { return };
                    if let Some(new) = retag(current, name, entry) {
                        image.rewrite(new, Some(v.clone()));
                    }
                });
            }
        }
    }
}

/// Every `image` of a `containers`/`initContainers` list anywhere in the
/// object (kustomize's legacy image filter).
fn each_container_image(node: &mut Node, f: &mut dyn FnMut(&mut Node)) {
    let mut stack: Vec<&mut Node> = vec![node];
    while let Some(n) = stack.pop() {
        match &mut n.data {
            Data::Map(m) => {
                for (k, v) in m.iter_mut() {
                    if (k.text == "containers" || k.text == "initContainers")
                        && matches!(v.data, Data::Seq(_))
                    {
                        if let Data::Seq(items) = &mut v.data {
                            for c in items.iter_mut() {
                                if let Some(image) = c.get_mut("image") {
                                    f(image);
                                }
                            }
                        }
                    } else {
                        stack.push(v);
                    }
                }
            }
            Data::Seq(items) => stack.extend(items.iter_mut()),
            Data::Scalar(_) => {}
        }
    }
}

/// Splits `repo/name:tag@digest` into name, tag and digest.
fn split_image(image: &str) -> (&str, Option<&str>, Option<&str>) {
    let (rest, digest) = match image.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (image, None),
    };
    let slash = rest.rfind('/').map_or(0, |i| i + 1);
    match rest[slash..].rfind(':') {
        Some(i) => (&rest[..slash + i], Some(&rest[slash + i + 1..]), digest),
        None => (rest, None, digest),
    }
}

/// The new image for `current` when the entry `name` matches it.
fn retag(current: &str, name: &str, entry: &Node) -> Option<String> {
    let (base, tag, digest) = split_image(current);
    if base != name {
        return None;
    }
    let new_name = entry.str_at(&["newName"]).unwrap_or(base);
    if let Some(d) = entry.str_at(&["digest"]) {
        return Some(format!("{new_name}@{d}"));
    }
    if let Some(t) = entry.str_at(&["newTag"]) {
        return Some(format!("{new_name}:{t}"));
    }
    let mut out = new_name.to_string();
    if let Some(t) = tag {
        out.push(':');
        out.push_str(t);
    }
    if let Some(d) = digest {
        out.push('@');
        out.push_str(d);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_split_at_the_tag_after_the_registry_port() {
        assert_eq!(
            split_image("localhost:5000/app:v1"),
            ("localhost:5000/app", Some("v1"), None)
        );
        assert_eq!(split_image("nginx"), ("nginx", None, None));
        assert_eq!(split_image("a/b@sha256:x"), ("a/b", None, Some("sha256:x")));
    }
}
