//! Legacy `vars`: `$(NAME)` in the fields kustomize's `varReference`
//! lists (container commands, args, env values, mount paths, Ingress hosts
//! and TLS, Service ports, pod template annotations) replaced by a field of
//! a named object, after every rename.

use crate::fieldspec::visit;
use crate::resource::{split_api_version, Resource};
use crate::transform::via;
use crate::value::{Data, Node};

/// Where `$(VAR)` is replaced (kustomize's `varReference`): the kind
/// (`None`: every kind) and the path.
fn reference_paths() -> Vec<(Option<&'static str>, Vec<String>)> {
    let mut out: Vec<(Option<&'static str>, String)> = Vec::new();
    let pods: [(&str, &str); 7] = [
        ("Pod", "spec"),
        ("Deployment", "spec/template/spec"),
        ("DaemonSet", "spec/template/spec"),
        ("ReplicaSet", "spec/template/spec"),
        ("StatefulSet", "spec/template/spec"),
        ("Job", "spec/template/spec"),
        ("CronJob", "spec/jobTemplate/spec/template/spec"),
    ];
    for (kind, pod) in pods {
        for c in ["containers", "initContainers"] {
            for f in ["args", "command", "env/value", "volumeMounts/mountPath"] {
                out.push((Some(kind), format!("{pod}/{c}/{f}")));
            }
        }
        out.push((Some(kind), format!("{pod}/volumes/nfs/server")));
    }
    out.push((
        Some("Deployment"),
        "spec/template/metadata/annotations".into(),
    ));
    for p in ["spec/rules/host", "spec/tls/hosts", "spec/tls/secretName"] {
        out.push((Some("Ingress"), p.into()));
    }
    out.push((Some("Service"), "spec/ports/port".into()));
    out.push((Some("Service"), "spec/ports/targetPort".into()));
    out.push((Some("PersistentVolume"), "spec/nfs/server".into()));
    out.push((None, "metadata/labels".into()));
    out.push((None, "metadata/annotations".into()));
    out.into_iter()
        .map(|(k, p)| (k, p.split('/').map(str::to_string).collect()))
        .collect()
}

/// The value at a dotted field path (`spec.ports[0].port`).
fn field<'n>(obj: &'n Node, path: &str) -> Option<&'n Node> {
    let mut node = obj;
    for part in path.split('.') {
        let (name, index) = match part.split_once('[') {
            Some((n, rest)) => (n, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        if !name.is_empty() {
            node = node.get(name)?;
        }
        if let Some(i) = index {
            node = node.items().get(i)?;
        }
    }
    Some(node)
}

/// Resolves every var of `defs` in `ra`. Returns the names of vars that
/// could not be resolved, with their definitions.
pub fn resolve(defs: &[Node], ra: &mut [Resource]) -> Vec<(String, Node)> {
    let mut values: Vec<(String, Node)> = Vec::new();
    let mut unresolved = Vec::new();
    for def in defs {
        let Some(name) = def.str_at(&["name"]) else {
            continue;
        };
        let kind = def.str_at(&["objref", "kind"]).unwrap_or("");
        let target = def.str_at(&["objref", "name"]).unwrap_or("");
        let group = def
            .str_at(&["objref", "apiVersion"])
            .map(|a| split_api_version(a).0);
        let path = def
            .str_at(&["fieldref", "fieldpath"])
            .unwrap_or("metadata.name");
        let found = ra.iter().find(|r| {
            r.kind() == kind
                && (r.org_id().name == target || r.name() == target)
                && group.as_deref().is_none_or(|g| g == r.group())
        });
        match found
            .and_then(|r| field(&r.obj, path))
            .filter(|v| v.str().is_some())
        {
            Some(v) => {
                let mut v = v.clone();
                v.src.via = Some(via(def, "the kustomization's `vars` entry substitutes it"));
                values.push((name.to_string(), v));
            }
            None => unresolved.push((name.to_string(), def.clone())),
        }
    }
    if values.is_empty() {
        return unresolved;
    }
    let paths = reference_paths();
    for r in ra.iter_mut() {
        let src = r.obj.src.clone();
        let kind = r.kind().to_string();
        for (only, path) in &paths {
            if only.is_some_and(|k| k != kind) {
                continue;
            }
            visit(&mut r.obj, path, false, &src, &mut |node: &mut Node| {
                substitute(node, &values)
            });
        }
    }
    unresolved
}

fn substitute(node: &mut Node, values: &[(String, Node)]) {
    match &mut node.data {
        Data::Scalar(_) => {
            let Some(text) = node.str() else { return };
            if !text.contains("$(") {
                return;
            }
            // The whole field is one var: it takes the var's value and place.
            for (name, value) in values {
                if text == format!("$({name})") {
                    let mut v = value.clone();
                    if let Data::Scalar(s) = &mut v.data {
                        s.quoted = true;
                        s.raw = None;
                    }
                    v.src.copy = None;
                    *node = v;
                    return;
                }
            }
            let mut out = text.to_string();
            let mut via = None;
            for (name, value) in values {
                let pattern = format!("$({name})");
                if out.contains(&pattern) {
                    out = out.replace(&pattern, value.str().unwrap_or(""));
                    via = value.src.via.clone();
                }
            }
            node.rewrite(out, via);
        }
        Data::Map(m) => {
            for (_, v) in m.iter_mut() {
                substitute(v, values);
            }
        }
        Data::Seq(items) => {
            for item in items.iter_mut() {
                substitute(item, values);
            }
        }
    }
}
