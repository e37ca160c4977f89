//! Builds one kustomization the way `kustomize build` does: resources,
//! generators, components, then the transformers in kustomize's order.

use crate::files::{is_remote, join, Files};
use crate::json6902;
use crate::resource::{Id, Resource};
use crate::smp::{self, Outcome, Schema};
use crate::transform::via;
use crate::value::Node;
use seamcheck_facts::{Location, ParseProblem, SkipNote};
use std::collections::BTreeSet;

/// File names kustomize recognises, in its order.
pub const KUSTOMIZATION_FILES: [&str; 3] =
    ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// Deepest chain of nested kustomizations followed.
const MAX_NESTING: usize = 32;
/// Most objects one top may hold.
const MAX_OBJECTS: usize = 5_000;
/// Most kustomization builds for one top: bases shared in a diamond are
/// built once per use, so a deep lattice of them would take exponential time.
const MAX_BUILDS: usize = 1_000;

pub struct Renderer<'a> {
    pub files: Files<'a>,
    pub consumed: BTreeSet<String>,
    pub problems: Vec<ParseProblem>,
    pub notes: Vec<SkipNote>,
    /// A problem that makes the render unfaithful: nothing is emitted.
    pub failed: bool,
    /// Something the render could not read (a remote base, a file the
    /// repository generates before deploying): a patch that then finds no
    /// target is a consequence, not a finding of its own.
    pub incomplete: bool,
    stack: Vec<String>,
    builds: usize,
    /// Legacy `vars` of every kustomization built, resolved at the top.
    pub vars: Vec<Node>,
}

/// The kustomization file of `dir`, if any.
pub fn kustomization_file(files: &Files<'_>, dir: &str) -> Option<String> {
    let names = files.list(dir);
    KUSTOMIZATION_FILES
        .iter()
        .find(|n| names.iter().any(|e| e == *n))
        .map(|n| join(dir, n).unwrap_or_default())
}

impl<'a> Renderer<'a> {
    pub fn new(files: Files<'a>) -> Self {
        Renderer {
            files,
            consumed: BTreeSet::new(),
            problems: Vec::new(),
            notes: Vec::new(),
            failed: false,
            incomplete: false,
            stack: Vec::new(),
            builds: 0,
            vars: Vec::new(),
        }
    }

    pub fn problem(&mut self, message: impl Into<String>, loc: Location) {
        self.failed = true;
        self.problems.push(ParseProblem {
            message: message.into(),
            loc,
        });
    }

    pub fn note(&mut self, message: impl Into<String>, loc: Location) {
        self.notes.push(SkipNote {
            message: message.into(),
            loc,
        });
    }

    /// kustomize refuses files outside the kustomization's directory unless
    /// built with `--load-restrictor LoadRestrictionsNone`; seamcheck renders
    /// them as with that option, and says so.
    pub fn check_inside(&mut self, dir: &str, path: &str, entry: &Node) {
        let inside = dir.is_empty()
            || path
                .strip_prefix(dir)
                .is_some_and(|rest| rest.starts_with('/'));
        if !inside {
            self.note(
                format!(
                    "`{path}` is outside `{}`: `kustomize build` refuses it unless run with `--load-restrictor LoadRestrictionsNone`; rendered as with that option",
                    if dir.is_empty() { "." } else { dir }
                ),
                entry.src.loc.clone(),
            );
        }
    }

    /// A file the kustomization names is not there. `kubectl kustomize`
    /// would fail, but real repositories list files that a build step
    /// generates (and `.gitignore` keeps out of the tree): a note, and the
    /// unit is not rendered (never a guess at what the file would hold).
    pub fn missing(&mut self, path: &str, error: &str, loc: Location) {
        // The tree's own messages may already name the file.
        let why = if error.contains(path) {
            error.to_string()
        } else {
            format!("cannot read `{path}`: {error}")
        };
        // A file that is there but cannot be read (binary, malformed, too
        // large) is a problem of the repository's.
        let (parent, name) = path.rsplit_once('/').unwrap_or(("", path));
        if self.files.list(parent).iter().any(|e| e == name) {
            return self.problem(why, loc);
        }
        self.failed = true;
        self.incomplete = true;
        self.note(
            format!("{why}; not rendered (a file generated before deploying, or a wrong path)"),
            loc,
        );
    }

    /// Loads the kustomization of `dir` (its file consumed).
    pub fn load_kustomization(&mut self, dir: &str, at: &Location) -> Option<(String, Node)> {
        let Some(path) = kustomization_file(&self.files, dir) else {
            self.problem(format!("`{dir}` has no kustomization file"), at.clone());
            return None;
        };
        self.consumed.insert(path.clone());
        let yaml = match self.files.yaml(&path) {
            Ok(y) => y,
            Err(e) => {
                self.missing(&path, &e, at.clone());
                return None;
            }
        };
        if !yaml.problems.is_empty() {
            self.failed = true;
            self.problems.extend(yaml.problems.iter().cloned());
            return None;
        }
        let k = yaml.docs.first().cloned().unwrap_or_else(|| {
            Node::map(crate::value::Src::made(yaml.index.file_location(), None))
        });
        Some((path, k))
    }

    /// Accumulates the kustomization in `dir` into `ra` (a component works
    /// on its parent's objects; a kustomization on its own, appended).
    pub fn build(&mut self, dir: &str, at: &Location, component: bool, ra: &mut Vec<Resource>) {
        if let Some(i) = self.stack.iter().position(|d| d == dir) {
            let mut chain: Vec<&str> = self.stack[i..]
                .iter()
                .map(|d| if d.is_empty() { "." } else { d.as_str() })
                .collect();
            chain.push(if dir.is_empty() { "." } else { dir });
            self.problem(
                format!("kustomization loop: {}", chain.join(" → ")),
                at.clone(),
            );
            return;
        }
        self.builds += 1;
        if self.builds > MAX_BUILDS {
            if self.builds == MAX_BUILDS + 1 {
                self.problem(
                    format!("more than {MAX_BUILDS} kustomization builds for one top"),
                    at.clone(),
                );
            }
            return;
        }
        if self.stack.len() >= MAX_NESTING {
            self.problem(
                format!("kustomizations nested deeper than {MAX_NESTING}"),
                at.clone(),
            );
            return;
        }
        let Some((_kpath, k)) = self.load_kustomization(dir, at) else {
            return;
        };
        self.stack.push(dir.to_string());
        let is_component = k.str_at(&["kind"]) == Some("Component");
        if component && !is_component {
            self.problem(
                format!("`{dir}` is used as a component but is not `kind: Component`"),
                at.clone(),
            );
        } else if !component && is_component {
            self.problem(
                format!("`{dir}` is a component, listed as a resource"),
                at.clone(),
            );
        }
        let mut own: Vec<Resource> = Vec::new();
        let target: &mut Vec<Resource> = if component { ra } else { &mut own };
        for field in ["resources", "bases"] {
            for entry in k.get(field).map(Node::items).unwrap_or_default() {
                self.add_resource(dir, entry, target);
            }
        }
        self.generate(&k, dir, target);
        for entry in k.get("components").map(Node::items).unwrap_or_default() {
            let Some(rel) = entry.str() else { continue };
            if is_remote(rel) {
                self.incomplete = true;
                self.note(
                    format!("remote component `{rel}` cannot be fetched: not rendered"),
                    entry.src.loc.clone(),
                );
                continue;
            }
            match join(dir, rel) {
                Some(path) => self.build(&path, &entry.src.loc, true, target),
                None => self.problem(
                    format!("component `{rel}` is outside the audited tree"),
                    entry.src.loc.clone(),
                ),
            }
        }
        self.transform(&k, dir, target);
        target.retain(|r| !r.deleted);
        if !component {
            ra.append(&mut own);
        }
        self.stack.pop();
        if ra.len() > MAX_OBJECTS {
            self.problem(format!("more than {MAX_OBJECTS} objects"), at.clone());
            ra.truncate(MAX_OBJECTS);
        }
    }

    fn add_resource(&mut self, dir: &str, entry: &Node, ra: &mut Vec<Resource>) {
        let Some(rel) = entry.str() else { return };
        if is_remote(rel) {
            self.incomplete = true;
            self.note(
                format!("remote resource `{rel}` cannot be fetched: not rendered"),
                entry.src.loc.clone(),
            );
            return;
        }
        let Some(path) = join(dir, rel) else {
            self.problem(
                format!("resource `{rel}` is outside the audited tree"),
                entry.src.loc.clone(),
            );
            return;
        };
        if self.files.is_dir(&path) {
            let mut sub = Vec::new();
            self.build(&path, &entry.src.loc, false, &mut sub);
            for r in sub {
                self.push_resource(r, &entry.src.loc, ra);
            }
            return;
        }
        let yaml = match self.files.yaml(&path) {
            Ok(y) => y,
            Err(e) => return self.missing(&path, &e, entry.src.loc.clone()),
        };
        self.check_inside(dir, &path, entry);
        self.consumed.insert(path.clone());
        if !yaml.problems.is_empty() {
            self.failed = true;
            self.problems.extend(yaml.problems.iter().cloned());
        }
        for doc in &yaml.docs {
            if !doc.is_map() {
                continue;
            }
            // `kind: List` holds its objects in `items`.
            if doc.str_at(&["kind"]).is_some_and(|k| k.ends_with("List"))
                && doc.get("items").is_some()
            {
                for item in doc.get("items").map(Node::items).unwrap_or_default() {
                    self.push_resource(Resource::new(item.clone()), &entry.src.loc, ra);
                }
                continue;
            }
            self.push_resource(Resource::new(doc.clone()), &entry.src.loc, ra);
        }
    }

    fn push_resource(&mut self, r: Resource, at: &Location, ra: &mut Vec<Resource>) {
        let id = r.id();
        if ra.iter().any(|o| o.id().same_object(&id)) {
            self.problem(
                format!(
                    "{} `{}` is added twice (kustomize refuses duplicate objects)",
                    id.kind, id.name
                ),
                at.clone(),
            );
            return;
        }
        ra.push(r);
    }

    /// The transformers of kustomization `k`, in kustomize's order.
    fn transform(&mut self, k: &Node, dir: &str, ra: &mut [Resource]) {
        for entry in k
            .get("patchesStrategicMerge")
            .map(Node::items)
            .unwrap_or_default()
        {
            self.patch_entry(dir, entry, ra, Kind::Strategic);
        }
        for entry in k.get("patches").map(Node::items).unwrap_or_default() {
            self.patch_entry(dir, entry, ra, Kind::Any);
        }
        self.set_namespace(k, ra);
        self.prefix_suffix(k, ra);
        self.labels(k, ra);
        self.annotations(k, ra);
        for entry in k
            .get("patchesJson6902")
            .map(Node::items)
            .unwrap_or_default()
        {
            self.patch_entry(dir, entry, ra, Kind::Json);
        }
        self.replicas(k, ra);
        self.images(k, ra);
        for entry in k.get("transformers").map(Node::items).unwrap_or_default() {
            self.transformer(dir, entry, ra);
        }
        self.vars.extend(
            k.get("vars")
                .map(Node::items)
                .unwrap_or_default()
                .iter()
                .cloned(),
        );
        if let Some(r) = k.get("replacements") {
            crate::replace::replacements(self, r, dir, ra);
        }
        // Fields seamcheck does not render. Those that change objects make the
        // render unfaithful: the top is then not audited as rendered.
        for (field, changes_objects) in [
            ("generators", true),
            ("validators", false),
            ("helmCharts", true),
            ("helmChartInflationGenerator", true),
            ("openapi", false),
            ("crds", false),
            ("configurations", false),
        ] {
            let Some((key, value)) = k.get_entry(field) else {
                continue;
            };
            if value.items().is_empty() && value.entries().is_empty() {
                continue;
            }
            if changes_objects {
                self.failed = true;
                self.note(
                    format!("`{field}` is not rendered by seamcheck: this kustomization is audited through its files only"),
                    key.src.loc.clone(),
                );
            } else {
                self.note(
                    format!("`{field}` is not read by seamcheck: the render may differ"),
                    key.src.loc.clone(),
                );
            }
        }
    }

    /// One entry of `transformers`: kustomize's built-in label and
    /// annotation transformers are rendered; anything else (a plugin, a
    /// function) is not, and the top emits no objects.
    fn transformer(&mut self, dir: &str, entry: &Node, ra: &mut [Resource]) {
        let Some(text) = entry.str() else { return };
        let docs = if text.contains('\n') {
            self.inline_docs(entry, text)
        } else {
            let Some(path) = join(dir, text) else {
                return self.problem(
                    format!("transformer `{text}` is outside the audited tree"),
                    entry.src.loc.clone(),
                );
            };
            if self.files.is_dir(&path) {
                self.failed = true;
                return self.note(format!("transformer directory `{text}` is not rendered by seamcheck: this kustomization is audited through its files only"), entry.src.loc.clone());
            }
            match self.files.yaml(&path) {
                Ok(y) => {
                    self.check_inside(dir, &path, entry);
                    self.consumed.insert(path);
                    y.docs.clone()
                }
                Err(e) => return self.missing(&path, &e, entry.src.loc.clone()),
            }
        };
        for doc in docs {
            let builtin = doc.str_at(&["apiVersion"]) == Some("builtin");
            let field = match doc.str_at(&["kind"]) {
                Some("LabelTransformer") if builtin => "labels",
                Some("AnnotationsTransformer") if builtin => "annotations",
                other => {
                    self.failed = true;
                    return self.note(
                        format!(
                            "transformer `{}` is not rendered by seamcheck: this kustomization is audited through its files only",
                            other.unwrap_or("?")
                        ),
                        entry.src.loc.clone(),
                    );
                }
            };
            let Some(pairs) = doc.get(field).filter(|p| p.is_map()) else {
                continue;
            };
            let specs = doc
                .get("fieldSpecs")
                .map(crate::fieldspec::from_node)
                .unwrap_or_default();
            for r in ra.iter_mut() {
                crate::transform::add_pairs(r, &specs, pairs.entries(), &pairs.src);
            }
        }
    }

    /// One entry of `patches`, `patchesStrategicMerge` or `patchesJson6902`.
    fn patch_entry(&mut self, dir: &str, entry: &Node, ra: &mut [Resource], kind: Kind) {
        let entry_via = via(entry, "the kustomization applies this patch");
        // The patch's documents: from a file, or written inline.
        let docs: Vec<Node> = if let Some(rel) = entry.str().or_else(|| entry.str_at(&["path"])) {
            if is_remote(rel) {
                self.incomplete = true;
                return self.note(
                    format!("remote patch `{rel}` cannot be fetched: not applied"),
                    entry.src.loc.clone(),
                );
            }
            let Some(path) = join(dir, rel) else {
                return self.problem(
                    format!("patch `{rel}` is outside the audited tree"),
                    entry.src.loc.clone(),
                );
            };
            match self.files.yaml(&path) {
                Ok(y) => {
                    self.check_inside(dir, &path, entry);
                    self.consumed.insert(path);
                    if !y.problems.is_empty() {
                        self.failed = true;
                        self.problems.extend(y.problems.iter().cloned());
                        return;
                    }
                    y.docs.clone()
                }
                Err(e) => {
                    // kustomize reads a scalar entry of patchesStrategicMerge as inline YAML too.
                    if kind == Kind::Strategic && (rel.contains('\n') || rel.contains(": ")) {
                        self.inline_docs(entry, rel)
                    } else {
                        return self.missing(&path, &e, entry.src.loc.clone());
                    }
                }
            }
        } else if let Some(text) = entry.str_at(&["patch"]) {
            let node = entry.get("patch").cloned().unwrap_or_else(|| entry.clone());
            self.inline_docs(&node, text)
        } else {
            return self.problem("a patch without `path` or `patch`", entry.src.loc.clone());
        };
        let target = entry.get("target");
        let json = kind == Kind::Json || docs.first().is_some_and(|d| !d.is_map());
        if json {
            let Some(target) = target else {
                return self.problem("a JSON patch needs a `target`", entry.src.loc.clone());
            };
            let ops: Vec<Node> = docs.first().map(|d| d.items().to_vec()).unwrap_or_default();
            let selected = self.select(target, ra, entry);
            for i in selected {
                // kustomize's objects always carry internal annotations while
                // patches run, so `/metadata/annotations/x` can be added to an
                // object written without any.
                let made_annotations = ensure_annotations(&mut ra[i].obj);
                for op in &ops {
                    let mut op = op.clone();
                    op.set_via(&entry_via);
                    if let Err(e) = json6902::apply(&mut ra[i].obj, &op) {
                        let at = op
                            .get("path")
                            .map_or(op.src.loc.clone(), |p| p.src.loc.clone());
                        self.problem(format!("JSON patch: {e}"), at);
                    }
                }
                if made_annotations {
                    drop_empty_annotations(&mut ra[i].obj);
                }
            }
            return;
        }
        for doc in docs {
            let mut patch = doc;
            patch.set_via(&entry_via);
            let selected = match target {
                Some(t) => self.select(t, ra, entry),
                None => {
                    let pid = Id::of(&patch);
                    let hits: Vec<usize> = ra
                        .iter()
                        .enumerate()
                        .filter(|(_, r)| matches_patch_id(r, &pid))
                        .map(|(i, _)| i)
                        .collect();
                    if hits.is_empty() {
                        let at = patch
                            .at(&["metadata", "name"])
                            .map_or(entry.src.loc.clone(), |n| n.src.loc.clone());
                        let message = format!(
                            "patch targets {} `{}`, which this kustomization does not have",
                            pid.kind, pid.name
                        );
                        if self.incomplete {
                            // The target may be in what could not be read.
                            self.note(format!("{message} (its resources are incomplete)"), at);
                        } else {
                            self.problem(message, at);
                        }
                    }
                    hits
                }
            };
            if kind == Kind::Strategic {
                legacy_null_labels(&mut patch);
            }
            for i in selected {
                self.apply_strategic(&mut ra[i], patch.clone(), target.is_some());
            }
        }
    }

    fn apply_strategic(&mut self, r: &mut Resource, mut patch: Node, targeted: bool) {
        if targeted {
            // The patch takes the target's identity (kustomize does the same).
            for key in ["apiVersion", "kind"] {
                if let Some(v) = r.obj.get(key).cloned() {
                    if patch.get(key).is_some() {
                        patch.set(key, v);
                    }
                }
            }
            if let Some(meta) = patch.get_mut("metadata") {
                for key in ["name", "namespace"] {
                    if meta.get(key).is_some() {
                        match r.obj.at(&["metadata", key]).cloned() {
                            Some(v) => meta.set(key, v),
                            None => {
                                meta.remove(key);
                            }
                        }
                    }
                }
            }
        }
        let mut schema = Schema {
            builtin: crate::resource::is_builtin_group(&r.group()),
            kind: r.kind().to_string(),
            unsupported: Vec::new(),
        };
        let loc = patch.src.loc.clone();
        if matches!(
            smp::merge(&mut r.obj, patch, &mut schema, &mut Vec::new()),
            Outcome::Delete
        ) {
            r.obj = Node::map(r.obj.src.clone());
            r.deleted = true;
        }
        for d in schema.unsupported {
            self.failed = true;
            self.note(
                format!("patch directive `{d}` is not rendered by seamcheck"),
                loc.clone(),
            );
        }
    }

    fn inline_docs(&mut self, node: &Node, text: &str) -> Vec<Node> {
        let path = node.src.loc.path.to_string();
        let yaml = match self.files.yaml(&path) {
            Ok(kust) => crate::inline::documents(node, text, &kust),
            Err(_) => crate::files::parse_yaml(&path, text),
        };
        if !yaml.problems.is_empty() {
            self.problem("the inline patch is not valid YAML", node.src.loc.clone());
            return Vec::new();
        }
        yaml.docs
    }

    /// The objects a `target` selects (a note when none).
    fn select(&mut self, target: &Node, ra: &[Resource], entry: &Node) -> Vec<usize> {
        match crate::select::Selector::parse(target) {
            Ok(sel) => {
                let hits: Vec<usize> = ra
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| sel.matches(r))
                    .map(|(i, _)| i)
                    .collect();
                if hits.is_empty() {
                    self.note(
                        "this patch's target selects nothing: the patch changes nothing",
                        target.src.loc.clone(),
                    );
                }
                hits
            }
            Err(e) => {
                self.problem(e, entry.src.loc.clone());
                Vec::new()
            }
        }
    }
}

fn ensure_annotations(obj: &mut Node) -> bool {
    let src = obj.src.clone();
    match obj.get_mut("metadata") {
        Some(meta) if meta.is_map() && meta.get("annotations").is_none() => {
            meta.set("annotations", Node::map(src));
            true
        }
        _ => false,
    }
}

fn drop_empty_annotations(obj: &mut Node) {
    if let Some(meta) = obj.get_mut("metadata") {
        if meta
            .get("annotations")
            .is_some_and(|a| a.is_map() && a.entries().is_empty())
        {
            meta.remove("annotations");
        }
    }
}

/// `patchesStrategicMerge` reads labels and annotations as strings: a
/// `null` there is the text `null`, not a deletion (kustomize 5.5 does so).
fn legacy_null_labels(patch: &mut Node) {
    for field in ["labels", "annotations"] {
        if let Some(map) = patch.get_mut("metadata").and_then(|m| m.get_mut(field)) {
            if let crate::value::Data::Map(entries) = &mut map.data {
                for (_, v) in entries.iter_mut().filter(|(_, v)| v.is_null()) {
                    v.rewrite("null".into(), None);
                }
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Strategic,
    Json,
    Any,
}

/// A strategic merge patch without target patches the object with its id,
/// now or before a rename.
fn matches_patch_id(r: &Resource, pid: &Id) -> bool {
    let ids = r.prev.iter().cloned().chain(std::iter::once(r.id()));
    ids.into_iter().any(|id| {
        id.kind == pid.kind
            && (pid.group.is_empty() && pid.version.is_empty() || id.group == pid.group)
            && id.name == pid.name
            && id.namespace == pid.namespace
    })
}
