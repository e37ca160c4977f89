//! What the names of a module stand for: `from time import sleep` makes
//! `sleep(1)` a call of `time.sleep`; `import flask as f` makes `f.Flask`
//! mean `flask.Flask`. Calls are matched on these qualified names, so an
//! unrelated `sleep` or `run` is never mistaken for the real one.

use super::syntax::{named_children, Source};
use crate::treesitter::NodeNames;
use std::collections::HashMap;
use tree_sitter::Node;

/// Names a star import brings in that we care about. A star import binds
/// nothing else we can know of.
const STAR_EXPORTS: &[(&str, &[&str])] = &[
    ("time", &["sleep"]),
    ("os", &["environ", "getenv"]),
    (
        "flask",
        &[
            "Flask",
            "Blueprint",
            "abort",
            "jsonify",
            "make_response",
            "redirect",
            "Response",
            "render_template",
        ],
    ),
    (
        "fastapi",
        &["FastAPI", "APIRouter", "HTTPException", "Response"],
    ),
    (
        "fastapi.responses",
        &[
            "JSONResponse",
            "PlainTextResponse",
            "HTMLResponse",
            "RedirectResponse",
            "Response",
        ],
    ),
    ("uvicorn", &["run"]),
];

/// Local name -> qualified name, for every import anywhere in the file.
#[derive(Debug, Default)]
pub struct Imports {
    bindings: HashMap<String, Option<String>>,
}

impl Imports {
    pub fn collect(nodes: &[Node<'_>], source: &Source<'_>) -> Imports {
        let mut imports = Imports::default();
        for node in nodes.iter().copied() {
            match node.cached_kind() {
                "import_statement" => imports.add_import(node, source),
                "import_from_statement" => imports.add_import_from(node, source),
                _ => {}
            }
        }
        imports
    }

    /// `import a.b` binds `a`; `import a.b as c` binds `c` to `a.b`.
    fn add_import(&mut self, node: Node<'_>, source: &Source<'_>) {
        for name in named_children(node) {
            match name.cached_kind() {
                "dotted_name" => {
                    let module = source.text_of(name);
                    let first = module.split('.').next().unwrap_or(module);
                    self.bind(first, first);
                }
                "aliased_import" => {
                    let module = name.field_child("name");
                    let alias = name.field_child("alias");
                    if let (Some(module), Some(alias)) = (module, alias) {
                        self.bind(source.text_of(alias), source.text_of(module));
                    }
                }
                _ => {}
            }
        }
    }

    fn add_import_from(&mut self, node: Node<'_>, source: &Source<'_>) {
        let Some(module_node) = node.field_child("module_name") else {
            return;
        };
        let module = source.text_of(module_node);
        for child in named_children(node) {
            if child.id() == module_node.id() {
                continue;
            }
            match child.cached_kind() {
                "dotted_name" => {
                    let name = source.text_of(child);
                    self.bind(name, &format!("{module}.{name}"));
                }
                "aliased_import" => {
                    let name = child.field_child("name");
                    let alias = child.field_child("alias");
                    if let (Some(name), Some(alias)) = (name, alias) {
                        let name = source.text_of(name);
                        self.bind(source.text_of(alias), &format!("{module}.{name}"));
                    }
                }
                "wildcard_import" => {
                    let exported = STAR_EXPORTS
                        .iter()
                        .find(|(m, _)| *m == module)
                        .map_or(&[][..], |(_, names)| *names);
                    for name in exported {
                        self.bind(name, &format!("{module}.{name}"));
                    }
                }
                _ => {}
            }
        }
    }

    /// A name imported twice as different things is ambiguous: forget it
    /// rather than guess which import is in effect.
    fn bind(&mut self, local: &str, qualified: &str) {
        let entry = self
            .bindings
            .entry(local.to_string())
            .or_insert_with(|| Some(qualified.to_string()));
        if entry.as_deref() != Some(qualified) {
            *entry = None;
        }
    }

    /// Whether some import binds a name from one of `modules` (or their
    /// submodules). A finder whose every match is a qualified name from
    /// these modules need not look at a file where this is false.
    pub fn binds_any(&self, modules: &[&str]) -> bool {
        self.bindings.values().flatten().any(|qualified| {
            modules.iter().any(|m| {
                qualified
                    .strip_prefix(m)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
            })
        })
    }

    /// The qualified name of a dotted name as written: `sleep` -> `time.sleep`,
    /// `f.Flask` -> `flask.Flask`. A name no import binds is returned as is.
    pub fn qualify(&self, dotted: &str) -> String {
        let (first, rest) = match dotted.split_once('.') {
            Some((first, rest)) => (first, Some(rest)),
            None => (dotted, None),
        };
        match (self.bindings.get(first), rest) {
            (Some(Some(qualified)), Some(rest)) => format!("{qualified}.{rest}"),
            (Some(Some(qualified)), None) => qualified.clone(),
            // Ambiguous: keep a name that matches nothing qualified.
            (Some(None), _) => format!("?{dotted}"),
            (None, _) => dotted.to_string(),
        }
    }
}

/// Whether a qualified name is `name` from one of `modules` (or one of their
/// submodules), or the bare `name` when `bare_ok` (for distinctive class names
/// such as `Flask` used without a visible import).
pub fn is_one_of(qualified: &str, modules: &[&str], names: &[&str], bare_ok: bool) -> bool {
    match qualified.rsplit_once('.') {
        Some((module, name)) => {
            names.contains(&name)
                && modules
                    .iter()
                    .any(|m| module == *m || module.starts_with(&format!("{m}.")))
        }
        None => bare_ok && names.contains(&qualified),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::treesitter::{all_nodes, Source};
    use seamcheck_facts::LineIndex;

    fn imports_of(text: &str) -> Imports {
        let mut parser = tree_sitter::Parser::new();
        assert!(parser
            .set_language(&tree_sitter_python::LANGUAGE.into())
            .is_ok());
        let Some(tree) = parser.parse(text, None) else {
            panic!("no tree");
        };
        let index = LineIndex::new("app.py", text);
        let source = Source::new(text, &index);
        Imports::collect(&all_nodes(tree.root_node()), &source)
    }

    #[test]
    fn binds_any_sees_modules_and_submodules_only() {
        let imports = imports_of("import grpc.aio as rpc\nfrom django.urls import path\n");
        assert!(imports.binds_any(&["grpc"]));
        assert!(imports.binds_any(&["django"]));
        assert!(!imports.binds_any(&["aiohttp", "sanic"]));
        // `djangox` is not `django`.
        assert!(!imports_of("import djangox\n").binds_any(&["django"]));
        // An import inside a function binds too.
        assert!(imports_of("def main():\n    import tornado.web\n").binds_any(&["tornado"]));
    }
}
