//! The import graph of `src/` between its top-level modules (discover,
//! render, analyze, model, rules, report, …) has no cycle: each stage reads
//! only the stages before it. Test code is left out (it may drive a whole
//! audit from anywhere); comments too.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn src() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// `pub use model::{chain, image};` in lib.rs: old names of moved modules.
fn aliases(lib: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in lib.lines() {
        let Some(rest) = line.trim().strip_prefix("pub use ") else {
            continue;
        };
        let rest = rest.trim_end_matches(';');
        let Some((module, names)) = rest.split_once("::") else {
            continue;
        };
        for name in names.trim_matches(['{', '}']).split(',') {
            let name = name.trim().rsplit("::").next().unwrap_or("").to_string();
            if !name.is_empty() {
                out.insert(name, module.to_string());
            }
        }
    }
    out
}

/// The code of a file without its test module and comments.
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    text.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src is readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn import_graph() -> BTreeMap<String, BTreeSet<String>> {
    let root = src();
    let aliases = aliases(&std::fs::read_to_string(root.join("lib.rs")).unwrap_or_default());
    let mut all = Vec::new();
    files(&root, &mut all);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for path in all {
        let rel = path.strip_prefix(&root).expect("under src");
        let first = rel.components().next().expect("a component");
        let module = first
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if module == "lib" || module == "main" || module.ends_with("tests") {
            continue;
        }
        let text = code(&std::fs::read_to_string(&path).unwrap_or_default());
        for (i, _) in text.match_indices("crate::") {
            let ident: String = text[i + 7..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let target = aliases.get(&ident).cloned().unwrap_or(ident);
            if target != module && !target.is_empty() {
                graph.entry(module.clone()).or_default().insert(target);
            }
        }
    }
    graph
}

fn cycle_from(
    graph: &BTreeMap<String, BTreeSet<String>>,
    node: &str,
    path: &mut Vec<String>,
    done: &mut BTreeSet<String>,
) -> Option<Vec<String>> {
    if let Some(at) = path.iter().position(|n| n == node) {
        let mut cycle = path[at..].to_vec();
        cycle.push(node.to_string());
        return Some(cycle);
    }
    if done.contains(node) {
        return None;
    }
    path.push(node.to_string());
    for next in graph.get(node).into_iter().flatten() {
        if let Some(cycle) = cycle_from(graph, next, path, done) {
            return Some(cycle);
        }
    }
    path.pop();
    done.insert(node.to_string());
    None
}

#[test]
fn the_modules_of_src_import_each_other_without_a_cycle() {
    let graph = import_graph();
    assert!(graph.contains_key("model"), "{graph:?}");
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        let cycle = cycle_from(&graph, node, &mut Vec::new(), &mut done);
        assert!(cycle.is_none(), "import cycle {cycle:?} in {graph:#?}");
    }
}

#[test]
fn the_model_reads_no_rule_report_or_audit() {
    let graph = import_graph();
    let model = graph.get("model").cloned().unwrap_or_default();
    for later in ["rules", "report", "audit", "cli", "suppress"] {
        assert!(!model.contains(later), "model imports {later}: {model:?}");
    }
}
