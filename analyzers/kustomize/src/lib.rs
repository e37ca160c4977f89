//! Native kustomize rendering for seamcheck.
//!
//! [`render_all`] takes every directory of the scan that holds a
//! kustomization, works out the *tops* (kustomizations no other one uses),
//! and renders each top the way `kustomize build` does, without running
//! anything: resources, bases and components, generators with kustomize's
//! hash suffixes, strategic-merge and JSON patches, name prefixes and
//! suffixes with references updated, namespaces, labels, annotations,
//! images, replicas and replacements. Every key and value of the output
//! keeps the location it was written at, and `via` names the kustomization
//! line that put it there (the patch entry, the `namePrefix`, the `images`
//! entry), so a finding on a rendered object points at the line to fix.
//!
//! What is not rendered (remote bases, `vars`, plugins) is a note; a top
//! that cannot be rendered faithfully (a missing file, a loop, a failed
//! patch) is a parse problem and emits no objects.

mod build;
pub mod compare;
mod emit;
mod fieldspec;
mod files;
mod generate;
mod inline;
mod json6902;
mod namerefs;
mod replace;
mod resource;
mod select;
mod smp;
mod transform;
mod value;
mod vars;

use build::{kustomization_file, Renderer};
use files::{is_remote, join, Files};
use resource::Resource;
use seamcheck_facts::render::{Rendered, RenderedFile, Tree, Unit, UnitKind};
use seamcheck_facts::{LineIndex, Location, SkipNote};
use std::collections::{BTreeMap, BTreeSet};

/// Renders every top kustomization among `kustomization_dirs` (root-relative
/// directories holding a kustomization file): one [`Rendered`] per top.
pub fn render_all(tree: &dyn Tree, kustomization_dirs: &[String]) -> Vec<Rendered> {
    let listed: BTreeSet<String> = kustomization_dirs
        .iter()
        .map(|d| d.trim_matches('/').to_string())
        .collect();
    let mut files = Files::new(tree);
    let mut uses: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut components: BTreeSet<String> = BTreeSet::new();
    for dir in &listed {
        let (refs, is_component) = local_references(&mut files, dir);
        if is_component {
            components.insert(dir.clone());
        }
        uses.insert(
            dir.clone(),
            refs.into_iter().filter(|r| listed.contains(r)).collect(),
        );
    }
    let used: BTreeSet<&String> = uses.values().flatten().collect();
    let mut tops: Vec<String> = listed
        .iter()
        .filter(|d| !used.contains(d) && !components.contains(*d))
        .cloned()
        .collect();
    // Kustomizations in a loop use each other: none is unused. The first of
    // each loop not reached from a top renders, to report the loop.
    let mut reached = reach(&uses, &tops);
    for dir in &listed {
        if !reached.contains(dir) && !components.contains(dir) {
            tops.push(dir.clone());
            reached = reach(&uses, &tops);
        }
    }
    // One cache of parsed files for every top: bases shared by many
    // overlays are read and parsed once.
    let mut out: Vec<Rendered> = Vec::new();
    for top in &tops {
        let (rendered, back) = render_with(files, top);
        files = back;
        out.push(rendered);
    }
    for c in components.iter().filter(|c| !reached.contains(*c)) {
        let (rendered, back) = unused_component(files, c);
        files = back;
        out.push(rendered);
    }
    out
}

fn reach(uses: &BTreeMap<String, Vec<String>>, from: &[String]) -> BTreeSet<String> {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut queue: Vec<String> = from.to_vec();
    while let Some(d) = queue.pop() {
        if seen.insert(d.clone()) {
            queue.extend(uses.get(&d).into_iter().flatten().cloned());
        }
    }
    seen
}

/// The local directories a kustomization names (resources, bases,
/// components), and whether it is a component.
fn local_references(files: &mut Files<'_>, dir: &str) -> (Vec<String>, bool) {
    let Some(path) = kustomization_file(files, dir) else {
        return (Vec::new(), false);
    };
    let Ok(yaml) = files.yaml(&path) else {
        return (Vec::new(), false);
    };
    let Some(k) = yaml.docs.first() else {
        return (Vec::new(), false);
    };
    let mut refs = Vec::new();
    for field in ["resources", "bases", "components"] {
        for entry in k.get(field).map(value::Node::items).unwrap_or_default() {
            if let Some(rel) = entry.str().filter(|r| !is_remote(r)) {
                refs.extend(join(dir, rel));
            }
        }
    }
    (refs, k.str_at(&["kind"]) == Some("Component"))
}

fn unit(dir: &str) -> Unit {
    Unit {
        kind: UnitKind::Kustomization,
        dir: dir.to_string(),
        context: if dir.is_empty() {
            ".".into()
        } else {
            dir.to_string()
        },
    }
}

fn file_location(files: &mut Files<'_>, dir: &str) -> Location {
    let path = kustomization_file(files, dir)
        .unwrap_or_else(|| join(dir, "kustomization.yaml").unwrap_or_default());
    match files.yaml(&path) {
        Ok(y) => y.index.file_location(),
        Err(_) => LineIndex::new(path.as_str(), "").file_location(),
    }
}

fn unused_component<'a>(mut files: Files<'a>, dir: &str) -> (Rendered, Files<'a>) {
    files.bytes_read = 0;
    let mut r = Renderer::new(files);
    let at = file_location(&mut r.files, dir);
    // Read it to know its files (they belong to it, not to a plain audit).
    let mut scratch = Vec::new();
    r.build(dir, &at, true, &mut scratch);
    let rendered = Rendered {
        unit: unit(dir),
        files: Vec::new(),
        consumed: r.consumed.into_iter().collect(),
        problems: Vec::new(),
        notes: vec![SkipNote {
            message: "component not used by any kustomization in the scan: not rendered".into(),
            loc: at,
        }],
    };
    (rendered, r.files)
}

/// Renders one top kustomization.
pub fn render_top(tree: &dyn Tree, dir: &str) -> Rendered {
    render_with(Files::new(tree), dir).0
}

fn render_with<'a>(mut files: Files<'a>, dir: &str) -> (Rendered, Files<'a>) {
    files.bytes_read = 0;
    let mut r = Renderer::new(files);
    let at = file_location(&mut r.files, dir);
    let mut ra: Vec<Resource> = Vec::new();
    r.build(dir, &at, false, &mut ra);
    finish(&mut ra);
    let defs = std::mem::take(&mut r.vars);
    for (name, def) in vars::resolve(&defs, &mut ra) {
        r.note(format!("var `{name}` names no field of this kustomization's objects: `$({name})` is left as is"), def.src.loc.clone());
    }
    drop_local(&mut ra);
    let mut files = Vec::new();
    if !r.failed {
        ra.sort_by_key(|x| kind_rank(x.kind()));
        let mut emitter = emit::Emitter::new(at.clone());
        for res in &ra {
            emitter.document(&res.obj);
        }
        files.push(RenderedFile {
            path: at.path.to_string(),
            text: emitter.text,
            origins: emitter.origins,
        });
    }
    let rendered = Rendered {
        unit: unit(dir),
        files,
        consumed: r.consumed.into_iter().collect(),
        problems: r.problems,
        notes: r.notes,
    };
    (rendered, r.files)
}

/// What only the top does: hash suffixes, references to renamed objects.
fn finish(ra: &mut [Resource]) {
    for r in ra.iter_mut().filter(|r| r.needs_hash) {
        let hash = generate::content_hash(&r.obj);
        r.store_prev();
        if let Some(name) = r.obj.get_mut("metadata").and_then(|m| m.get_mut("name")) {
            let new = format!("{}-{hash}", name.str().unwrap_or(""));
            name.rewrite(new, None);
        }
    }
    namerefs::fix(ra);
}

/// kustomize leaves out objects marked local-only.
fn drop_local(ra: &mut Vec<Resource>) {
    ra.retain(|r| {
        r.obj.str_at(&[
            "metadata",
            "annotations",
            "config.kubernetes.io/local-config",
        ]) != Some("true")
    });
}

/// kustomize's legacy output order by kind.
fn kind_rank(kind: &str) -> usize {
    const FIRST: [&str; 22] = [
        "Namespace",
        "ResourceQuota",
        "StorageClass",
        "CustomResourceDefinition",
        "ServiceAccount",
        "PodSecurityPolicy",
        "Role",
        "ClusterRole",
        "RoleBinding",
        "ClusterRoleBinding",
        "ConfigMap",
        "Secret",
        "Endpoints",
        "Service",
        "LimitRange",
        "PriorityClass",
        "PersistentVolume",
        "PersistentVolumeClaim",
        "Deployment",
        "StatefulSet",
        "CronJob",
        "PodDisruptionBudget",
    ];
    const LAST: [&str; 2] = [
        "MutatingWebhookConfiguration",
        "ValidatingWebhookConfiguration",
    ];
    if let Some(i) = FIRST.iter().position(|k| *k == kind) {
        return i;
    }
    if let Some(i) = LAST.iter().position(|k| *k == kind) {
        return 1000 + i;
    }
    100
}
