//! Strategic merge, as kustomize's kyaml merges a patch into an object:
//! maps merge key by key (`null` deletes), lists with a schema merge key
//! merge element by element (the patch's elements first, then the
//! object's others), other lists are replaced, `$patch: delete` and
//! `$patch: replace` are honoured.

use crate::value::{Data, Key, Node};

/// What merging asks of the caller.
pub enum Outcome {
    Keep,
    Delete,
}

pub struct Schema {
    /// The object is a built-in type: merge keys apply.
    pub builtin: bool,
    pub kind: String,
    /// Directives seen that are not supported (`$setElementOrder`, ...).
    pub unsupported: Vec<String>,
}

/// The merge keys of a list field, by the path of keys leading to it.
fn merge_keys(schema: &Schema, path: &[String]) -> Option<&'static [&'static str]> {
    if !schema.builtin {
        return None;
    }
    let field = path.last()?.as_str();
    Some(match field {
        "containers" | "initContainers" | "ephemeralContainers" => &["name"],
        "ports" => {
            let parent = path.len().checked_sub(2).map(|i| path[i].as_str());
            if schema.kind == "Service" && parent == Some("spec") {
                // kustomize 5.5 merges Service ports by `port` alone.
                &["port"]
            } else {
                &["containerPort", "protocol"]
            }
        }
        "env" | "volumes" | "imagePullSecrets" | "resourceClaims" => &["name"],
        "volumeMounts" => &["mountPath"],
        "volumeDevices" => &["devicePath"],
        "hostAliases" => &["ip"],
        "topologySpreadConstraints" => &["topologyKey", "whenUnsatisfiable"],
        "ownerReferences" => &["uid"],
        "conditions" => &["type"],
        "finalizers" => &[],
        _ => return None,
    })
}

fn directive(node: &Node) -> Option<&str> {
    node.get("$patch").and_then(Node::str)
}

/// A patch value with its directives removed (what lands in the object).
pub fn strip(mut node: Node) -> Option<Node> {
    match &mut node.data {
        Data::Map(m) => {
            if matches!(
                m.iter()
                    .find(|(k, _)| k.text == "$patch")
                    .and_then(|(_, v)| v.str()),
                Some("delete")
            ) {
                return None;
            }
            let entries = std::mem::take(m);
            *m = entries
                .into_iter()
                .filter(|(k, _)| !k.text.starts_with('$'))
                .filter_map(|(k, v)| strip(v).map(|v| (k, v)))
                .collect();
        }
        Data::Seq(s) => {
            let items = std::mem::take(s);
            *s = items
                .into_iter()
                .filter(|i| !(i.is_map() && i.entries().len() == 1 && directive(i).is_some()))
                .filter_map(strip)
                .collect();
        }
        Data::Scalar(_) => {}
    }
    Some(node)
}

/// Merges `patch` into `dest`.
pub fn merge(dest: &mut Node, patch: Node, schema: &mut Schema, path: &mut Vec<String>) -> Outcome {
    match &patch.data {
        Data::Map(_) => merge_map(dest, patch, schema, path),
        Data::Seq(_) => {
            merge_list(dest, patch, schema, path);
            Outcome::Keep
        }
        Data::Scalar(_) => {
            let mut patch = patch;
            replaced_here(&mut patch, dest);
            *dest = patch;
            Outcome::Keep
        }
    }
}

/// A patch value that replaces another keeps where the replaced one was
/// written in its `via` message, so the base's line can be found too.
fn replaced_here(patch: &mut Node, old: &Node) {
    let (Some(via), Some(before)) = (&patch.src.via, old.str()) else {
        return;
    };
    if patch.str() == Some(before) {
        return;
    }
    patch.src.via = Some(std::sync::Arc::new(seamcheck_facts::render::Via {
        loc: via.loc.clone(),
        message: format!(
            "{}, replacing `{before}` from `{}` line {}",
            via.message, old.src.loc.path, old.src.loc.line
        ),
    }));
}

fn merge_map(dest: &mut Node, patch: Node, schema: &mut Schema, path: &mut Vec<String>) -> Outcome {
    match directive(&patch) {
        Some("delete") => return Outcome::Delete,
        Some("replace") => {
            if let Some(p) = strip(patch) {
                *dest = p;
            }
            return Outcome::Keep;
        }
        _ => {}
    }
    if !dest.is_map() {
        if let Some(p) = strip(patch) {
            *dest = p;
        }
        return Outcome::Keep;
    }
    let Data::Map(entries) = patch.data else {
        return Outcome::Keep;
    };
    for (key, value) in entries {
        if key.text.starts_with('$') {
            if key.text != "$patch" {
                schema.unsupported.push(key.text.clone());
            }
            continue;
        }
        if value.is_null() {
            dest.remove(&key.text);
            continue;
        }
        if dest.get(&key.text).is_some_and(|d| !d.is_null()) {
            path.push(key.text.clone());
            let slot = dest.get_mut(&key.text).expect("present");
            let outcome = merge(slot, value, schema, path);
            path.pop();
            if matches!(outcome, Outcome::Delete) {
                dest.remove(&key.text);
            }
        } else if let Some(value) = strip(value) {
            if let Data::Map(m) = &mut dest.data {
                if let Some(slot) = m.iter_mut().find(|(k, _)| k.text == key.text) {
                    slot.1 = value;
                } else {
                    m.push((key, value));
                }
            }
        }
    }
    Outcome::Keep
}

/// The values of an element's merge keys (`None` for a missing one).
fn key_values(node: &Node, keys: &[&str]) -> Vec<Option<String>> {
    keys.iter()
        .map(|k| node.get(k).and_then(Node::str).map(str::to_string))
        .collect()
}

/// Two elements are the same when their first key is equal and the others
/// are equal or missing on one side (kyaml's `mergeValues`).
fn same_element(a: &[Option<String>], b: &[Option<String>]) -> bool {
    match (a.first(), b.first()) {
        (Some(Some(x)), Some(Some(y))) if x == y => {}
        _ => return false,
    }
    a.iter().zip(b).skip(1).all(|(x, y)| match (x, y) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    })
}

/// The merge-key entries of a patch element that sets a scalar of its
/// own (an env variable's value, a port's name): the patch names that
/// element, and the merged element is then located at the patch.
fn naming_entries(item: &Node, keys: &[&str]) -> Vec<(Key, Node)> {
    let sets_scalar = item.entries().iter().any(|(k, v)| {
        !keys.contains(&k.text.as_str())
            && !k.text.starts_with('$')
            && matches!(v.data, Data::Scalar(_))
    });
    if !sets_scalar {
        return Vec::new();
    }
    item.entries()
        .iter()
        .filter(|(k, _)| keys.contains(&k.text.as_str()))
        .cloned()
        .collect()
}

fn adopt(element: &mut Node, named: Vec<(Key, Node)>) {
    if let Data::Map(m) = &mut element.data {
        for (key, value) in named {
            if let Some(slot) = m.iter_mut().find(|(k, _)| k.text == key.text) {
                *slot = (key, value);
            }
        }
    }
}

fn merge_list(dest: &mut Node, patch: Node, schema: &mut Schema, path: &mut Vec<String>) {
    let keys = merge_keys(schema, path);
    let dest_is_seq = matches!(dest.data, Data::Seq(_));
    let (Some(keys), true) = (keys, dest_is_seq) else {
        if let Some(p) = strip(patch) {
            *dest = p;
        }
        return;
    };
    let Data::Seq(patch_items) = patch.data else {
        return;
    };
    // `- $patch: replace` as an element replaces the whole list.
    if patch_items
        .iter()
        .any(|i| i.is_map() && directive(i) == Some("replace") && i.entries().len() == 1)
    {
        let items = patch_items
            .into_iter()
            .filter(|i| !(i.is_map() && directive(i).is_some() && i.entries().len() == 1))
            .filter_map(strip)
            .collect();
        dest.data = Data::Seq(items);
        return;
    }
    let Data::Seq(dest_items) = &mut dest.data else {
        return;
    };
    if keys.is_empty() {
        // A list of scalars merged as a set: the patch's values first.
        let mut out: Vec<Node> = Vec::new();
        for item in patch_items.into_iter().chain(std::mem::take(dest_items)) {
            if !out.iter().any(|o| o.str() == item.str()) {
                out.push(item);
            }
        }
        *dest_items = out;
        return;
    }
    let mut old: Vec<Option<Node>> = std::mem::take(dest_items).into_iter().map(Some).collect();
    // With several merge keys kyaml re-appends the object's elements after
    // the patch's new ones: merged elements stay in the object's order.
    let in_place = keys.len() > 1;
    let mut out: Vec<Node> = Vec::new();
    for item in patch_items {
        let values = key_values(&item, keys);
        if values.first().is_none_or(Option::is_none) {
            if let Some(item) = strip(item) {
                out.push(item);
            }
            continue;
        }
        let matching = old.iter().position(|o| {
            o.as_ref()
                .is_some_and(|o| same_element(&key_values(o, keys), &values))
        });
        let deleting = directive(&item) == Some("delete");
        match matching {
            Some(i) if deleting => {
                old[i] = None;
            }
            Some(i) => {
                let mut element = old[i].take().expect("present");
                let named = naming_entries(&item, keys);
                if matches!(merge(&mut element, item, schema, path), Outcome::Keep) {
                    adopt(&mut element, named);
                    if in_place {
                        old[i] = Some(element);
                    } else {
                        out.push(element);
                    }
                }
            }
            None if deleting => {}
            None => {
                // A second patch element for the same key merges into the first.
                if let Some(prev) = out
                    .iter_mut()
                    .find(|o| same_element(&key_values(o, keys), &values))
                {
                    merge(prev, item, schema, path);
                } else if let Some(item) = strip(item) {
                    out.push(item);
                }
            }
        }
    }
    out.extend(old.into_iter().flatten());
    *dest_items = out;
}
