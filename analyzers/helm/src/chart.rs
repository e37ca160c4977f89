//! Charts as Helm loads them: `Chart.yaml`, `values.yaml` (with the
//! location of every value), `templates/`, the other files (`.Files`) and
//! subcharts under `charts/`; and the values a render sees (Helm's
//! `CoalesceValues`: user values over chart defaults, subchart values under
//! the subchart's name or alias, `global` handed down).

use crate::template::codec;
use crate::template::value::{MapCell, Value, V};
use seamcheck_facts::render::Tree;
use seamcheck_facts::{LineIndex, Location, ParseProblem, SkipNote};
use seamcheck_yaml::node;
use seamcheck_yaml::SourceMap;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

/// Subcharts nest at most this deep.
const MAX_CHART_DEPTH: usize = 6;
/// Most files read from one chart (templates and `.Files`).
const MAX_FILES: usize = 2_000;

pub struct Template {
    /// Root-relative path.
    pub path: String,
    /// Helm's template name: `<chart name>/templates/x.yaml`, with
    /// subcharts as `<parent>/charts/<sub>/templates/x.yaml`.
    pub name: String,
    pub index: Arc<LineIndex>,
    pub text: Rc<str>,
}

pub struct Chart {
    pub dir: String,
    pub name: String,
    pub is_library: bool,
    pub metadata: Value,
    /// Raw `Chart.yaml` dependencies: (name, alias, condition, tags).
    pub dependencies: Vec<Dependency>,
    pub values: Value,
    pub templates: Vec<Template>,
    /// `.Files`: chart-relative path, content, root-relative path.
    pub files: Vec<(String, Vec<u8>, String)>,
    pub subcharts: Vec<Chart>,
    pub consumed: Vec<String>,
    pub problems: Vec<ParseProblem>,
    pub notes: Vec<SkipNote>,
}

pub struct Dependency {
    pub name: String,
    pub alias: Option<String>,
    pub condition: Option<String>,
    pub tags: Vec<String>,
    /// `import-values`, as (child path, parent path): the string form `x`
    /// is (`exports.x`, `.`).
    pub import_values: Vec<(String, String)>,
}

pub fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

fn file_loc(path: &str) -> Location {
    LineIndex::new(path, "").file_location()
}

/// Reads a values file into a value with locations. A file that does not
/// parse gives problems and whatever documents were read.
pub fn load_values(tree: &dyn Tree, path: &str, problems: &mut Vec<ParseProblem>) -> Option<Value> {
    let bytes = tree.read(path).ok()?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let src = SourceMap::new(path, &text);
    let loaded = seamcheck_yaml::load_file_with(&src, codec::GO_YAML_V2);
    problems.extend(loaded.problems);
    let doc = loaded.docs.first()?;
    let v = codec::from_node(doc, Some(&src), None);
    match v.v {
        V::Map(_) => Some(v),
        V::Nil => Some(Value::map(BTreeMap::new())),
        _ => {
            problems.push(ParseProblem {
                message: "values file is not a mapping".into(),
                loc: src.token_loc(doc),
            });
            None
        }
    }
}

/// Loads the chart in `dir` (root-relative); a packaged subchart's entries
/// are read within `limits`.
pub fn load(
    tree: &dyn Tree,
    dir: &str,
    parent_name: Option<&str>,
    depth: usize,
    limits: &crate::archive::Limits,
) -> Option<Chart> {
    let chart_yaml = join(dir, "Chart.yaml");
    let bytes = tree.read(&chart_yaml).ok()?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let src = SourceMap::new(chart_yaml.as_str(), &text);
    let loaded = seamcheck_yaml::load_file_with(&src, codec::GO_YAML_V2);
    let mut problems = loaded.problems;
    let mut notes = Vec::new();
    let doc = loaded.docs.first();
    let field = |k: &str| doc.and_then(|d| node::text_field(d, k)).map(str::to_string);
    let name =
        field("name").unwrap_or_else(|| dir.rsplit('/').next().unwrap_or("chart").to_string());
    let is_library = field("type").as_deref() == Some("library");
    let metadata = metadata(doc, &src);
    let mut dependencies = Vec::new();
    if let Some(deps) = doc.and_then(|d| node::path(d, &["dependencies"])) {
        for d in node::sequence(deps) {
            let Some(dep_name) = node::text_field(d, "name") else {
                continue;
            };
            dependencies.push(Dependency {
                name: dep_name.to_string(),
                alias: node::text_field(d, "alias").map(str::to_string),
                condition: node::text_field(d, "condition").map(str::to_string),
                tags: node::field(d, "tags")
                    .map(|e| {
                        node::sequence(e.value)
                            .iter()
                            .filter_map(node::text)
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default(),
                import_values: node::field(d, "import-values")
                    .map(|e| {
                        node::sequence(e.value)
                            .iter()
                            .filter_map(|item| match node::text(item) {
                                Some(name) => {
                                    Some((format!("exports.{}", name.trim()), ".".into()))
                                }
                                None => Some((
                                    node::text_field(item, "child")?.to_string(),
                                    node::text_field(item, "parent")?.to_string(),
                                )),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            });
        }
    }
    let mut consumed = vec![chart_yaml.clone()];
    let values_path = join(dir, "values.yaml");
    let values = match load_values(tree, &values_path, &mut problems) {
        Some(v) => {
            consumed.push(values_path);
            v
        }
        None => Value::map(BTreeMap::new()),
    };
    let full_name = match parent_name {
        Some(p) => format!("{p}/charts/{name}"),
        None => name.clone(),
    };
    let mut templates = Vec::new();
    let mut files = Vec::new();
    let mut subcharts = Vec::new();
    let mut budget = MAX_FILES;
    // Templates: everything under templates/, recursively.
    let mut stack = vec![(join(dir, "templates"), "templates".to_string())];
    while let Some((real, rel)) = stack.pop() {
        let Ok(entries) = tree.list(&real) else {
            continue;
        };
        for e in entries {
            if budget == 0 {
                break;
            }
            let real_child = join(&real, &e.name);
            let rel_child = format!("{rel}/{}", e.name);
            if e.is_dir {
                stack.push((real_child, rel_child));
                continue;
            }
            budget -= 1;
            let Ok(bytes) = tree.read(&real_child) else {
                continue;
            };
            let text: Rc<str> = Rc::from(String::from_utf8_lossy(&bytes).as_ref());
            consumed.push(real_child.clone());
            templates.push(Template {
                name: format!("{full_name}/{rel_child}"),
                index: Arc::new(LineIndex::new(real_child.as_str(), &text)),
                path: real_child,
                text,
            });
        }
    }
    // Other files (.Files) and subcharts.
    let mut stack = vec![(dir.to_string(), String::new())];
    while let Some((real, rel)) = stack.pop() {
        let Ok(entries) = tree.list(&real) else {
            continue;
        };
        for e in entries {
            if budget == 0 {
                break;
            }
            let real_child = join(&real, &e.name);
            let rel_child = if rel.is_empty() {
                e.name.clone()
            } else {
                format!("{rel}/{}", e.name)
            };
            if rel.is_empty() && (e.name == "templates" || e.name.starts_with('.') && e.is_dir) {
                continue;
            }
            if rel.is_empty() && e.name == "charts" && e.is_dir {
                if depth >= MAX_CHART_DEPTH {
                    notes.push(SkipNote {
                        message: format!("subcharts nested deeper than {MAX_CHART_DEPTH} levels are not rendered"),
                        loc: file_loc(&chart_yaml),
                    });
                    continue;
                }
                for sub in tree.list(&real_child).unwrap_or_default() {
                    let sub_dir = join(&real_child, &sub.name);
                    if sub.is_dir {
                        if let Some(c) = load(tree, &sub_dir, Some(&full_name), depth + 1, limits) {
                            subcharts.push(c);
                        }
                    } else if sub.name.ends_with(".tgz") || sub.name.ends_with(".tar.gz") {
                        consumed.push(sub_dir.clone());
                        let unpacked = tree.read(&sub_dir).and_then(|bytes| {
                            crate::archive::unpack(tree, &sub_dir, &bytes, limits)
                        });
                        let loaded = unpacked.and_then(|archive| {
                            load(
                                &archive,
                                &archive.chart_dir(),
                                Some(&full_name),
                                depth + 1,
                                limits,
                            )
                            .ok_or_else(|| "it holds no Chart.yaml in its directory".to_string())
                        });
                        match loaded {
                            Ok(c) => subcharts.push(c),
                            Err(reason) => notes.push(SkipNote {
                                message: format!(
                                    "packaged subchart `{}` is not rendered: {reason}",
                                    sub.name
                                ),
                                loc: file_loc(&sub_dir),
                            }),
                        }
                    }
                }
                continue;
            }
            if e.is_dir {
                stack.push((real_child, rel_child));
                continue;
            }
            if rel.is_empty()
                && matches!(
                    e.name.as_str(),
                    "Chart.yaml"
                        | "values.yaml"
                        | "Chart.lock"
                        | "requirements.yaml"
                        | "requirements.lock"
                        | "values.schema.json"
                )
            {
                continue;
            }
            budget -= 1;
            if let Ok(bytes) = tree.read(&real_child) {
                files.push((rel_child, bytes, real_child));
            }
        }
    }
    if budget == 0 {
        notes.push(SkipNote {
            message: format!("chart has more than {MAX_FILES} files: the rest is not read"),
            loc: file_loc(&chart_yaml),
        });
    }
    templates.sort_by(|a, b| a.path.cmp(&b.path));
    Some(Chart {
        dir: dir.to_string(),
        name,
        is_library,
        metadata,
        dependencies,
        values,
        templates,
        files,
        subcharts,
        consumed,
        problems: std::mem::take(&mut problems),
        notes,
    })
}

/// `.Chart`: Helm's `chart.Metadata`, fields named as in Go.
fn metadata(doc: Option<&seamcheck_yaml::Node<'_>>, src: &SourceMap<'_>) -> Value {
    let mut m = BTreeMap::new();
    let fields = [
        ("name", "Name"),
        ("home", "Home"),
        ("version", "Version"),
        ("description", "Description"),
        ("icon", "Icon"),
        ("apiVersion", "APIVersion"),
        ("condition", "Condition"),
        ("tags", "Tags"),
        ("appVersion", "AppVersion"),
        ("kubeVersion", "KubeVersion"),
        ("type", "Type"),
    ];
    for (key, go) in fields {
        // A field keeps where it is written: `{{ .Chart.Name }}` points at
        // `Chart.yaml`'s `name:`.
        let found = doc.and_then(|d| node::path(d, &[key]));
        let text = found.and_then(node::text).unwrap_or("");
        let origin = found.filter(|n| node::text(n).is_some()).map(|n| {
            Rc::new(crate::template::value::NodeOrigin {
                value: src.token_loc(n),
                key: None,
            })
        });
        m.insert(go.to_string(), Value::str(text).with_origin(origin));
    }
    m.insert("Deprecated".into(), Value::bool(false));
    for (key, go) in [("keywords", "Keywords"), ("sources", "Sources")] {
        let items: Vec<Value> = doc
            .and_then(|d| node::path(d, &[key]))
            .map(|n| {
                node::sequence(n)
                    .iter()
                    .filter_map(node::text)
                    .map(Value::str)
                    .collect()
            })
            .unwrap_or_default();
        m.insert(
            go.to_string(),
            if items.is_empty() {
                Value::NIL
            } else {
                Value::list(items)
            },
        );
    }
    let annotations = doc
        .and_then(|d| node::path(d, &["annotations"]))
        .map(|n| codec::from_node(n, None, None))
        .unwrap_or(Value::NIL);
    m.insert("Annotations".into(), annotations);
    Value::map(m)
}

/// Helm's `coalesce`: `user` over `defaults`, recursively; a `null` in the
/// user values deletes the default.
pub fn coalesce(user: &Value, defaults: &Value, depth: usize) -> Value {
    let (Some(u), Some(d)) = (user.as_map(), defaults.as_map()) else {
        return if user.is_nil() {
            defaults.clone()
        } else {
            user.clone()
        };
    };
    if depth > 64 {
        return user.clone();
    }
    let mut out = u.as_ref().clone();
    for (k, dv) in d.iter() {
        match u.get(k) {
            None => {
                out.insert(k.clone(), dv.clone());
            }
            Some(uv) if uv.is_nil() => {
                out.remove(k);
            }
            Some(uv) => {
                if uv.as_map().is_some() && dv.as_map().is_some() {
                    out.insert(k.clone(), coalesce(uv, dv, depth + 1));
                }
            }
        }
    }
    Value {
        v: V::Map(Rc::new(MapCell::new(out))),
        origin: user.origin.clone().or_else(|| defaults.origin.clone()),
    }
}

/// Whether a dependency is enabled by its `condition` (first path that
/// resolves to a bool wins) and `tags` (any true tag enables).
pub fn enabled(dep: &Dependency, values: &Value) -> bool {
    if let Some(cond) = &dep.condition {
        for path in cond.split(',') {
            let mut cur = values.clone();
            let mut found = true;
            for k in path.trim().split('.') {
                match cur.as_map().and_then(|m| m.get(k).cloned()) {
                    Some(v) => cur = v,
                    None => {
                        found = false;
                        break;
                    }
                }
            }
            if found {
                if let V::Bool(b) = cur.v {
                    return b;
                }
            }
        }
    }
    if !dep.tags.is_empty() {
        let tags = values
            .as_map()
            .and_then(|m| m.get("tags").cloned())
            .and_then(|t| t.as_map());
        if let Some(tags) = tags {
            let states: Vec<bool> = dep
                .tags
                .iter()
                .filter_map(|t| match tags.get(t).map(|v| &v.v) {
                    Some(V::Bool(b)) => Some(*b),
                    _ => None,
                })
                .collect();
            if !states.is_empty() {
                return states.iter().any(|b| *b);
            }
        }
    }
    true
}

/// The values of a chart for rendering, with the values of every enabled
/// subchart under its name and `global` merged down. Returns the values and
/// the subcharts that are enabled, with the name they render under.
pub fn render_values<'c>(chart: &'c Chart, user: &Value) -> (Value, Vec<(&'c Chart, String)>) {
    render_values_with(chart, user, true)
}

/// [`render_values`], with the chart's `import-values` applied to its
/// defaults when `imports` (subcharts always apply theirs).
fn render_values_with<'c>(
    chart: &'c Chart,
    user: &Value,
    imports: bool,
) -> (Value, Vec<(&'c Chart, String)>) {
    let with_imports;
    let defaults = if imports
        && chart
            .dependencies
            .iter()
            .any(|d| !d.import_values.is_empty())
    {
        with_imports = import_values(chart);
        &with_imports
    } else {
        &chart.values
    };
    // A copy: templates may change maps in place (`set`), and the chart's
    // own values serve every deployment context.
    let mut values = crate::template::funcs::deep_copy(&coalesce(user, defaults, 0));
    let mut enabled_subs = Vec::new();
    for sub in &chart.subcharts {
        let dep = chart.dependencies.iter().find(|d| d.name == sub.name);
        let key = dep
            .and_then(|d| d.alias.clone())
            .unwrap_or_else(|| sub.name.clone());
        if let Some(d) = dep {
            if !enabled(d, &values) {
                continue;
            }
        }
        enabled_subs.push((sub, key));
    }
    // Subchart values: the parent's `values[key]` over the subchart's own,
    // and the parent's globals over the subchart's.
    let mut map = values
        .as_map()
        .map(|m| m.as_ref().clone())
        .unwrap_or_default();
    let parent_global = map
        .get("global")
        .cloned()
        .unwrap_or_else(|| Value::map(BTreeMap::new()));
    for (sub, key) in &enabled_subs {
        let from_parent = map
            .get(key)
            .cloned()
            .unwrap_or_else(|| Value::map(BTreeMap::new()));
        let (sub_values, _) = render_values_with(sub, &from_parent, true);
        let mut sub_map = sub_values
            .as_map()
            .map(|m| m.as_ref().clone())
            .unwrap_or_default();
        let sub_global = sub_map
            .get("global")
            .cloned()
            .unwrap_or_else(|| Value::map(BTreeMap::new()));
        sub_map.insert("global".into(), coalesce(&parent_global, &sub_global, 0));
        map.insert(
            key.clone(),
            Value {
                v: V::Map(Rc::new(MapCell::new(sub_map))),
                origin: sub_values.origin.clone(),
            },
        );
    }
    if !map.contains_key("global") && !enabled_subs.is_empty() {
        map.insert("global".into(), Value::map(BTreeMap::new()));
    }
    values = Value {
        v: V::Map(Rc::new(MapCell::new(map))),
        origin: values.origin,
    };
    (values, enabled_subs)
}

/// Helm's `processImportValues`: the chart's default values with the
/// tables its dependencies export. Each (child, parent) pair takes the
/// table at `child` in the subchart's values (its defaults under the
/// parent's values for it, user values not included: Helm imports before
/// the user's values apply) and puts it at `parent` (`.` is the top); the
/// chart's own values win over what is imported, an earlier import over a
/// later one. A path that is not a table imports nothing, as in Helm.
fn import_values(chart: &Chart) -> Value {
    let (cvals, subs) = render_values_with(chart, &Value::map(BTreeMap::new()), false);
    let mut imported = Value::map(BTreeMap::new());
    for dep in &chart.dependencies {
        let key = dep.alias.clone().unwrap_or_else(|| dep.name.clone());
        if !subs.iter().any(|(_, k)| *k == key) {
            continue;
        }
        for (child, parent) in &dep.import_values {
            let Some(table) = table_at(&cvals, &format!("{key}.{child}")) else {
                continue;
            };
            let placed = path_to_map(parent, table);
            imported = coalesce(&imported, &placed, 0);
        }
    }
    coalesce(&chart.values, &imported, 0)
}

/// The table at a dotted path (Helm's `Values.Table`).
fn table_at(values: &Value, path: &str) -> Option<Value> {
    let mut cur = values.clone();
    for k in path.split('.') {
        let next = cur.as_map()?.get(k).cloned()?;
        cur = next;
    }
    cur.as_map().is_some().then_some(cur)
}

/// `a.b` and a table → `{a: {b: table}}`; `.` → the table.
fn path_to_map(path: &str, table: Value) -> Value {
    if path == "." || path.is_empty() {
        return table;
    }
    path.split('.').rev().fold(table, |inner, k| {
        let mut m = BTreeMap::new();
        m.insert(k.to_string(), inner);
        Value::map(m)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::codec;

    fn json(v: &Value) -> String {
        codec::to_json(v, false, false)
    }

    fn parse(s: &str) -> Value {
        codec::parse_json(s).unwrap_or(Value::NIL)
    }

    #[test]
    fn user_values_win_nested_maps_merge_and_null_deletes() {
        let defaults = parse(r#"{"a": 1, "b": {"x": 1, "y": 2}, "c": "keep", "d": "drop"}"#);
        let user = parse(r#"{"a": 2, "b": {"y": 3}, "d": null}"#);
        assert_eq!(
            json(&coalesce(&user, &defaults, 0)),
            r#"{"a":2,"b":{"x":1,"y":3},"c":"keep"}"#
        );
    }

    #[test]
    fn conditions_and_tags_enable_dependencies() {
        let dep = |condition: Option<&str>, tags: &[&str]| Dependency {
            name: "db".into(),
            alias: None,
            condition: condition.map(str::to_string),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            import_values: Vec::new(),
        };
        let values = parse(r#"{"db": {"enabled": false}, "tags": {"backend": true}}"#);
        assert!(!enabled(&dep(Some("db.enabled"), &[]), &values));
        assert!(enabled(
            &dep(Some("missing.enabled"), &["backend"]),
            &values
        ));
        assert!(enabled(&dep(None, &[]), &values));
        let off = parse(r#"{"tags": {"backend": false}}"#);
        assert!(!enabled(&dep(None, &["backend"]), &off));
    }
}
