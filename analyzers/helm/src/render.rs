//! One chart (with its subcharts) and one set of values to rendered files.

use crate::chart::{self, join, Chart};
use crate::template::exec::{Engine, Exec, Source, Tmpl};
use crate::template::parse;
use crate::template::value::{Files, Text, Value, V};
use seamcheck_facts::render::{OriginMap, Rendered, RenderedFile, Tree, Unit, UnitKind};
use seamcheck_facts::{LineIndex, SkipNote, Span};
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;
use std::sync::Arc;

/// The Kubernetes version `.Capabilities` reports (Helm's default is the
/// version of the client library it was built with).
pub const KUBE_VERSION: &str = "v1.32.0";
pub const HELM_VERSION: &str = "v3.17.0";

#[derive(Debug, Clone)]
pub struct HelmOptions {
    pub release_name: String,
    pub namespace: String,
    /// Extra deployment contexts: each renders its chart once more, with
    /// its values files on top of the chart's own values.
    pub extra_values: Vec<ValuesContext>,
    /// Most bytes of one file inside a packaged subchart (the tree's own
    /// files are capped by the tree).
    pub max_file_size: u64,
}

/// One extra deployment context of a chart (`--values CHART=FILE`,
/// `[[charts]]` in `.seamcheck.toml`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValuesContext {
    /// The chart directory, root-relative (`""` for the root).
    pub chart: String,
    /// Values files, root-relative, in order (later ones win).
    pub files: Vec<String>,
    /// `.Release.Name` of this context (default: the options' name).
    pub release: Option<String>,
    /// `.Release.Namespace` of this context (default: the options').
    pub namespace: Option<String>,
}

impl ValuesContext {
    /// A context of `chart` with `files` and the default release.
    pub fn new(chart: impl Into<String>, files: Vec<String>) -> Self {
        ValuesContext {
            chart: chart.into(),
            files,
            release: None,
            namespace: None,
        }
    }
}

impl Default for HelmOptions {
    fn default() -> Self {
        HelmOptions {
            release_name: "release-name".into(),
            namespace: "default".into(),
            extra_values: Vec::new(),
            max_file_size: 4 << 20,
        }
    }
}

/// Renders the charts in `chart_dirs` (root-relative directories holding
/// `Chart.yaml`). A chart inside another listed chart's `charts/` renders
/// as part of its parent only.
pub fn render_charts(
    tree: &dyn Tree,
    chart_dirs: &[String],
    options: &HelmOptions,
) -> Vec<Rendered> {
    let mut out = Vec::new();
    for dir in chart_dirs {
        let is_sub = chart_dirs.iter().any(|parent| {
            parent != dir
                && dir.starts_with(&format!(
                    "{}charts/",
                    if parent.is_empty() {
                        String::new()
                    } else {
                        format!("{parent}/")
                    }
                ))
        });
        if is_sub {
            continue;
        }
        out.extend(render_chart_dir(tree, dir, options));
    }
    out
}

/// Stack for rendering: template calls recurse (at most
/// `exec::MAX_DEPTH` deep), and the caller's thread may have a small stack.
const RENDER_STACK: usize = 256 << 20;

/// Runs `f` on a thread with [`RENDER_STACK`] of stack (inline if no thread
/// can be started).
pub(crate) fn with_render_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    let slot = std::sync::Mutex::new(Some(f));
    let take = || slot.lock().ok().and_then(|mut s| s.take());
    let from_thread = std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("helm-render".into())
            .stack_size(RENDER_STACK)
            .spawn_scoped(scope, || take().map(|f| f()));
        match spawned {
            Ok(handle) => match handle.join() {
                Ok(v) => v,
                Err(panic) => std::panic::resume_unwind(panic),
            },
            Err(_) => None,
        }
    });
    match from_thread {
        Some(v) => v,
        // No thread could be started: render here.
        None => match take() {
            Some(f) => f(),
            None => unreachable!("the render ran on its thread or runs here"),
        },
    }
}

/// Renders one chart with its own values, then once per extra values set.
pub fn render_chart_dir(tree: &dyn Tree, dir: &str, options: &HelmOptions) -> Vec<Rendered> {
    with_render_stack(|| render_chart_dir_here(tree, dir, options))
}

fn render_chart_dir_here(tree: &dyn Tree, dir: &str, options: &HelmOptions) -> Vec<Rendered> {
    let Some(chart) = chart::load(
        tree,
        dir,
        None,
        0,
        &crate::archive::Limits::new(options.max_file_size),
    ) else {
        return Vec::new();
    };
    let mut out = vec![render_one(tree, &chart, &ValuesContext::default(), options)];
    for context in &options.extra_values {
        if context.chart.trim_end_matches('/') == dir {
            let mut with = options.clone();
            if let Some(name) = &context.release {
                with.release_name.clone_from(name);
            }
            if let Some(ns) = &context.namespace {
                with.namespace.clone_from(ns);
            }
            out.push(render_one(tree, &chart, context, &with));
        }
    }
    out
}

/// All charts of a render (the chart and its enabled subcharts), each with
/// the values its templates see.
struct Part<'c> {
    chart: &'c Chart,
    values: Value,
}

fn collect_parts<'c>(chart: &'c Chart, values: Value, parts: &mut Vec<Part<'c>>, depth: usize) {
    let (values, subs) = chart::render_values(chart, &values);
    for (sub, key) in subs {
        let sub_values = values
            .as_map()
            .and_then(|m| m.get(&key).cloned())
            .unwrap_or_else(|| Value::map(BTreeMap::new()));
        if depth < 8 {
            // The subchart's values are already coalesced: render them as given.
            collect_parts_coalesced(sub, sub_values, parts, depth + 1);
        }
    }
    parts.insert(0, Part { chart, values });
}

fn collect_parts_coalesced<'c>(
    chart: &'c Chart,
    values: Value,
    parts: &mut Vec<Part<'c>>,
    depth: usize,
) {
    let mut sub_parts = Vec::new();
    collect_parts(chart, values, &mut sub_parts, depth);
    parts.extend(sub_parts);
}

fn render_one(
    tree: &dyn Tree,
    chart: &Chart,
    context: &ValuesContext,
    options: &HelmOptions,
) -> Rendered {
    let values_files = &context.files;
    let mut problems = chart.problems.clone();
    let mut notes = chart.notes.clone();
    let mut consumed = Vec::new();
    gather_consumed(chart, &mut consumed, &mut problems, &mut notes);
    // User values: files in order, later ones win.
    let mut user = Value::map(BTreeMap::new());
    for f in values_files {
        if let Some(v) = chart::load_values(tree, f, &mut problems) {
            user = chart::coalesce(&v, &user, 0);
            consumed.push(f.clone());
        } else {
            notes.push(SkipNote {
                message: format!("values file `{f}` could not be read"),
                loc: LineIndex::new(join(&chart.dir, "Chart.yaml").as_str(), "").file_location(),
            });
        }
    }
    let mut label = chart.name.clone();
    if !values_files.is_empty() {
        label = format!("{label} with {}", values_files.join(", "));
    }
    if context.release.is_some() || context.namespace.is_some() {
        label = format!(
            "{label} (release {} in {})",
            options.release_name, options.namespace
        );
    }
    let unit = Unit {
        kind: UnitKind::HelmChart,
        dir: chart.dir.clone(),
        context: label,
    };
    let mut rendered = Rendered {
        unit,
        files: Vec::new(),
        consumed: Vec::new(),
        problems: Vec::new(),
        notes: Vec::new(),
    };
    if chart.is_library {
        notes.push(SkipNote {
            message:
                "library chart: it renders nothing by itself, only through the charts that use it"
                    .into(),
            loc: LineIndex::new(join(&chart.dir, "Chart.yaml").as_str(), "").file_location(),
        });
    } else {
        let mut parts = Vec::new();
        collect_parts(chart, user, &mut parts, 0);
        rendered.files = render_parts(&parts, options, &mut notes);
    }
    consumed.sort();
    consumed.dedup();
    rendered.consumed = consumed;
    rendered.problems = problems;
    rendered.notes = notes;
    rendered
}

fn gather_consumed(
    chart: &Chart,
    consumed: &mut Vec<String>,
    problems: &mut Vec<seamcheck_facts::ParseProblem>,
    notes: &mut Vec<SkipNote>,
) {
    consumed.extend(chart.consumed.iter().cloned());
    for sub in &chart.subcharts {
        problems.extend(sub.problems.iter().cloned());
        notes.extend(sub.notes.iter().cloned());
        gather_consumed(sub, consumed, problems, notes);
    }
}

/// Parses every template of every part into one template set (Helm's
/// order: deeper paths first, so a parent's `define` wins), then executes
/// each renderable template.
fn render_parts(
    parts: &[Part<'_>],
    options: &HelmOptions,
    notes: &mut Vec<SkipNote>,
) -> Vec<RenderedFile> {
    let mut files = Vec::new();
    for run in execute_parts(parts, options, notes) {
        match run.result {
            Ok(text) => files.extend(to_rendered_file(run.tpl, text)),
            Err(err) => notes.push(SkipNote {
                message: format!(
                    "Helm template `{}` not rendered: {}",
                    run.tpl.path, err.message
                ),
                loc: err.loc.unwrap_or_else(|| run.tpl.index.file_location()),
            }),
        }
    }
    files
}

/// One template executed.
struct Run<'c> {
    tpl: &'c chart::Template,
    data: Value,
    result: Result<Text, crate::template::exec::ExecError>,
}

fn execute_parts<'c>(
    parts: &[Part<'c>],
    options: &HelmOptions,
    notes: &mut Vec<SkipNote>,
) -> Vec<Run<'c>> {
    struct Entry<'a> {
        part: usize,
        tpl: &'a chart::Template,
        src: Rc<Source>,
        root: Option<Rc<Vec<parse::Node>>>,
        defines: Vec<(String, Vec<parse::Node>)>,
    }
    let mut entries: Vec<Entry> = Vec::new();
    for (pi, part) in parts.iter().enumerate() {
        for tpl in &part.chart.templates {
            let src = Rc::new(Source {
                file: Some(tpl.index.clone()),
                text: tpl.text.clone(),
                origin: None,
                path: tpl.path.clone(),
            });
            match parse::parse(&tpl.text) {
                Ok(p) => entries.push(Entry {
                    part: pi,
                    tpl,
                    src,
                    root: Some(Rc::new(p.root)),
                    defines: p.defines,
                }),
                Err(e) => {
                    notes.push(SkipNote {
                        message: format!(
                            "Helm template `{}` not rendered: parse error: {}",
                            tpl.path, e.message
                        ),
                        loc: tpl.index.location(e.at..(e.at + 2).min(tpl.text.len())),
                    });
                }
            }
        }
    }
    // Helm's parse order: most `/` first; equal depth in reverse name order.
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by(|&a, &b| {
        let (na, nb) = (&entries[a].tpl.name, &entries[b].tpl.name);
        let (ca, cb) = (na.matches('/').count(), nb.matches('/').count());
        cb.cmp(&ca).then_with(|| nb.cmp(na))
    });
    let mut templates: HashMap<String, Rc<Tmpl>> = HashMap::new();
    for &i in &order {
        let e = &entries[i];
        if let Some(root) = &e.root {
            templates.insert(
                e.tpl.name.clone(),
                Rc::new(Tmpl {
                    name: e.tpl.name.clone(),
                    body: root.clone(),
                    src: e.src.clone(),
                }),
            );
        }
        for (name, body) in &e.defines {
            // An empty definition does not replace an existing one.
            let is_empty = body.iter().all(
                |n| matches!(n, parse::Node::Text(r) if e.src.text[r.clone()].trim().is_empty()),
            );
            if is_empty && templates.contains_key(name) {
                continue;
            }
            templates.insert(
                name.clone(),
                Rc::new(Tmpl {
                    name: name.clone(),
                    body: Rc::new(body.clone()),
                    src: e.src.clone(),
                }),
            );
        }
    }
    let engine = Engine::new(templates);
    let mut files = Vec::new();
    let mut ordered: Vec<&Entry> = entries.iter().collect();
    ordered.sort_by(|a, b| a.tpl.path.cmp(&b.tpl.path));
    for e in ordered {
        let base = e.tpl.path.rsplit('/').next().unwrap_or("");
        if base.starts_with('_') || base == "NOTES.txt" {
            continue;
        }
        let part = &parts[e.part];
        if part.chart.is_library {
            continue;
        }
        let data = top_data(part, &e.tpl.name, options);
        let Some(t) = engine.templates.get(&e.tpl.name).cloned() else {
            continue;
        };
        let mut ex = Exec::new(&engine, e.src.clone());
        let result = ex.run(&t, &data);
        files.push(Run {
            tpl: e.tpl,
            data,
            result,
        });
    }
    files
}

/// The data a template sees: `.Values`, `.Release`, `.Chart`,
/// `.Capabilities`, `.Files`, `.Template`.
fn top_data(part: &Part<'_>, template_name: &str, options: &HelmOptions) -> Value {
    let s = |x: &str| Value::str(x);
    let mut release = BTreeMap::new();
    release.insert("Name".into(), s(&options.release_name));
    release.insert("Namespace".into(), s(&options.namespace));
    release.insert("IsInstall".into(), Value::bool(true));
    release.insert("IsUpgrade".into(), Value::bool(false));
    release.insert("Revision".into(), Value::int(1));
    release.insert("Service".into(), s("Helm"));
    let mut kube = BTreeMap::new();
    kube.insert("Version".into(), s(KUBE_VERSION));
    kube.insert("GitVersion".into(), s(KUBE_VERSION));
    kube.insert("Major".into(), s("1"));
    kube.insert("Minor".into(), s("32"));
    let mut helm = BTreeMap::new();
    helm.insert("Version".into(), s(HELM_VERSION));
    let mut caps = BTreeMap::new();
    caps.insert("KubeVersion".into(), Value::map(kube));
    caps.insert(
        "APIVersions".into(),
        V::ApiVersions(Rc::new(api_versions())).into(),
    );
    caps.insert("HelmVersion".into(), Value::map(helm));
    let mut tmpl = BTreeMap::new();
    tmpl.insert("Name".into(), s(template_name));
    let base = template_name
        .rsplit_once("/templates/")
        .map(|(a, _)| format!("{a}/templates"))
        .unwrap_or_default();
    tmpl.insert("BasePath".into(), s(&base));
    let mut m = BTreeMap::new();
    m.insert("Values".into(), part.values.clone());
    m.insert("Release".into(), Value::map(release));
    m.insert("Chart".into(), part.chart.metadata.clone());
    m.insert("Capabilities".into(), Value::map(caps));
    m.insert("Template".into(), Value::map(tmpl));
    m.insert(
        "Files".into(),
        V::Files(Rc::new(Files {
            entries: part.chart.files.clone(),
        }))
        .into(),
    );
    Value::map(m)
}

/// The API versions `.Capabilities.APIVersions.Has` knows: the built-in
/// groups of Kubernetes 1.32, with and without kinds.
pub fn api_versions() -> Vec<String> {
    let groups: &[(&str, &[&str])] = &[
        (
            "v1",
            &[
                "ConfigMap",
                "Secret",
                "Service",
                "ServiceAccount",
                "Pod",
                "PersistentVolumeClaim",
                "Namespace",
                "Endpoints",
                "LimitRange",
                "ResourceQuota",
                "PersistentVolume",
                "Node",
                "Event",
                "ReplicationController",
            ],
        ),
        (
            "apps/v1",
            &[
                "Deployment",
                "StatefulSet",
                "DaemonSet",
                "ReplicaSet",
                "ControllerRevision",
            ],
        ),
        ("batch/v1", &["Job", "CronJob"]),
        ("autoscaling/v1", &["HorizontalPodAutoscaler"]),
        ("autoscaling/v2", &["HorizontalPodAutoscaler"]),
        (
            "networking.k8s.io/v1",
            &["Ingress", "IngressClass", "NetworkPolicy"],
        ),
        ("policy/v1", &["PodDisruptionBudget"]),
        (
            "rbac.authorization.k8s.io/v1",
            &["Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"],
        ),
        (
            "storage.k8s.io/v1",
            &[
                "StorageClass",
                "CSIDriver",
                "CSINode",
                "VolumeAttachment",
                "CSIStorageCapacity",
            ],
        ),
        ("apiextensions.k8s.io/v1", &["CustomResourceDefinition"]),
        (
            "admissionregistration.k8s.io/v1",
            &[
                "MutatingWebhookConfiguration",
                "ValidatingWebhookConfiguration",
                "ValidatingAdmissionPolicy",
                "ValidatingAdmissionPolicyBinding",
            ],
        ),
        ("scheduling.k8s.io/v1", &["PriorityClass"]),
        ("coordination.k8s.io/v1", &["Lease"]),
        ("discovery.k8s.io/v1", &["EndpointSlice"]),
        ("certificates.k8s.io/v1", &["CertificateSigningRequest"]),
        ("node.k8s.io/v1", &["RuntimeClass"]),
        ("events.k8s.io/v1", &["Event"]),
        (
            "flowcontrol.apiserver.k8s.io/v1",
            &["FlowSchema", "PriorityLevelConfiguration"],
        ),
        ("apiregistration.k8s.io/v1", &["APIService"]),
        (
            "authentication.k8s.io/v1",
            &["TokenReview", "SelfSubjectReview"],
        ),
        (
            "authorization.k8s.io/v1",
            &[
                "SubjectAccessReview",
                "SelfSubjectAccessReview",
                "LocalSubjectAccessReview",
                "SelfSubjectRulesReview",
            ],
        ),
    ];
    let mut out = Vec::new();
    for (gv, kinds) in groups {
        out.push(gv.to_string());
        for k in *kinds {
            out.push(format!("{gv}/{k}"));
        }
    }
    out
}

/// Splits a template's output into documents as Helm does (on
/// `(?:^|\s*\n)---\s*`), drops empty ones and test hooks, and keeps the
/// origins of every byte.
fn to_rendered_file(tpl: &chart::Template, text: Text) -> Option<RenderedFile> {
    let docs = split_documents(&text.s);
    let mut out = Text::default();
    for (start, end) in docs {
        let doc = &text.s[start..end];
        if doc.trim().is_empty() || is_test_hook(doc) {
            continue;
        }
        if !out.s.is_empty() {
            out.s.push_str("---\n");
        }
        let at = out.s.len();
        out.s.push_str(doc);
        out.segs.extend(text.segs_in(start..end, at));
        out.s.push('\n');
    }
    if out.s.is_empty() {
        return None;
    }
    let mut origins = OriginMap::new(tpl.index.file_location());
    for seg in out.segs {
        origins.push(
            Span::new(seg.range.start, seg.range.end),
            seg.origin,
            seg.via,
        );
    }
    Some(RenderedFile {
        path: tpl.path.clone(),
        text: out.s,
        origins,
    })
}

/// Document byte ranges (trimmed) of Helm's `SplitManifests`.
fn split_documents(s: &str) -> Vec<(usize, usize)> {
    let b = s.as_bytes();
    let mut seps: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while let Some(p) = s[i..].find("---") {
        let at = i + p;
        // Preceded by start of text, or by a newline (with any spaces before it).
        let mut k = at;
        let ok = if at == 0 {
            true
        } else if b[at - 1] == b'\n' {
            k = at - 1;
            while k > 0 && b[k - 1].is_ascii_whitespace() {
                k -= 1;
            }
            true
        } else {
            false
        };
        if ok {
            let mut e = at + 3;
            while e < b.len() && b[e].is_ascii_whitespace() {
                e += 1;
            }
            seps.push((if at == 0 { 0 } else { k }, e));
            i = e.max(at + 3);
        } else {
            i = at + 3;
        }
        if i >= s.len() {
            break;
        }
    }
    let mut out = Vec::new();
    let mut start = 0;
    for (a, e) in seps {
        out.push((start, a.max(start)));
        start = e;
    }
    out.push((start, s.len()));
    out.into_iter()
        .map(|(a, e)| {
            let doc = &s[a..e];
            let lead = doc.len() - doc.trim_start().len();
            let trail = doc.trim_end().len();
            (a + lead, a + trail.max(lead))
        })
        .collect()
}

/// A document annotated `helm.sh/hook: test` (or the old test-success /
/// test-failure): a test pod, not a deployed object.
fn is_test_hook(doc: &str) -> bool {
    if !doc.contains("helm.sh/hook") {
        return false;
    }
    let src = seamcheck_yaml::SourceMap::new("doc", doc);
    let loaded = seamcheck_yaml::load_file_with(&src, crate::template::codec::GO_YAML_V2);
    loaded.docs.iter().any(|d| {
        seamcheck_yaml::node::path(d, &["metadata", "annotations", "helm.sh/hook"])
            .and_then(seamcheck_yaml::node::text)
            .is_some_and(|h| {
                h.split(',')
                    .any(|x| matches!(x.trim(), "test" | "test-success" | "test-failure"))
            })
    })
}

#[allow(dead_code)]
fn arc_index(path: &str, text: &str) -> Arc<LineIndex> {
    Arc::new(LineIndex::new(path, text))
}

/// What the differential test compares: every template of a chart as Helm
/// names it, and for every rendered template its data (JSON, without
/// `.Files` and the API versions, given apart), the chart files and this
/// engine's raw output or error.
#[doc(hidden)]
pub mod testing {
    use super::*;
    use crate::template::codec;

    pub struct Case {
        pub name: String,
        pub data_json: String,
        pub files: Vec<(String, String)>,
        pub ours: Result<String, String>,
    }

    pub struct Job {
        pub templates: Vec<(String, String)>,
        pub cases: Vec<Case>,
    }

    pub fn chart_job(tree: &dyn Tree, dir: &str) -> Option<Job> {
        with_render_stack(|| chart_job_here(tree, dir))
    }

    fn chart_job_here(tree: &dyn Tree, dir: &str) -> Option<Job> {
        let chart = chart::load(
            tree,
            dir,
            None,
            0,
            &crate::archive::Limits::new(HelmOptions::default().max_file_size),
        )?;
        let mut parts = Vec::new();
        collect_parts(&chart, Value::map(BTreeMap::new()), &mut parts, 0);
        let mut templates = Vec::new();
        for p in &parts {
            for t in &p.chart.templates {
                templates.push((t.name.clone(), t.text.to_string()));
            }
        }
        let mut notes = Vec::new();
        let runs = execute_parts(&parts, &HelmOptions::default(), &mut notes);
        let files_of = |path: &str| -> Vec<(String, String)> {
            parts
                .iter()
                .find(|p| p.chart.templates.iter().any(|t| t.path == path))
                .map(|p| {
                    p.chart
                        .files
                        .iter()
                        .map(|(n, c, _)| (n.clone(), String::from_utf8_lossy(c).into_owned()))
                        .collect()
                })
                .unwrap_or_default()
        };
        let cases = runs
            .into_iter()
            .map(|r| Case {
                name: r.tpl.name.clone(),
                data_json: codec::to_json(&r.data, false, false),
                files: files_of(&r.tpl.path),
                ours: r.result.map(|t| t.s).map_err(|e| e.message),
            })
            .collect();
        Some(Job { templates, cases })
    }

    /// Renders template `name` of a set of (name, text) with `data`.
    pub fn render_text(
        templates: &[(String, String)],
        name: &str,
        data_json: &str,
    ) -> Result<String, String> {
        with_render_stack(|| {
            let data = codec::parse_json(data_json).map_err(|e| format!("data: {e}"))?;
            render_text_here(templates, name, &data)
        })
    }

    fn render_text_here(
        templates: &[(String, String)],
        name: &str,
        data: &Value,
    ) -> Result<String, String> {
        let mut map = HashMap::new();
        for (n, text) in templates {
            let parsed = parse::parse(text).map_err(|e| format!("parse: {}", e.message))?;
            let src = Rc::new(Source {
                file: Some(Arc::new(LineIndex::new(n.as_str(), text))),
                text: Rc::from(text.as_str()),
                origin: None,
                path: n.clone(),
            });
            for (d, body) in parsed.defines {
                map.insert(
                    d.clone(),
                    Rc::new(Tmpl {
                        name: d,
                        body: Rc::new(body),
                        src: src.clone(),
                    }),
                );
            }
            map.insert(
                n.clone(),
                Rc::new(Tmpl {
                    name: n.clone(),
                    body: Rc::new(parsed.root),
                    src,
                }),
            );
        }
        let engine = Engine::new(map);
        let t = engine
            .templates
            .get(name)
            .cloned()
            .ok_or("no such template")?;
        let mut ex = Exec::new(&engine, t.src.clone());
        ex.run(&t, data).map(|t| t.s).map_err(|e| e.message)
    }
}
