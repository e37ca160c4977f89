//! Which module each local name comes from: `import x from 'm'`,
//! `import * as x from 'm'`, `import { a as b } from 'm'`,
//! `const x = require('m')`, `const { a } = require('m')`.

use super::syntax::{named_children, string_value, strip, Source, MAX_CHAIN};
use crate::treesitter::NodeNames;
use tree_sitter::Node;

/// A local name bound to a module (`member: None`) or to one of its exports.
#[derive(Debug, Clone)]
struct Binding {
    local: String,
    module: String,
    member: Option<String>,
}

#[derive(Debug, Default)]
pub struct Imports {
    bindings: Vec<Binding>,
}

/// `node:http` and `http` are the same module.
fn normalize(module: &str) -> String {
    module.strip_prefix("node:").unwrap_or(module).to_string()
}

impl Imports {
    pub fn collect(nodes: &[Node<'_>], source: &Source<'_>) -> Imports {
        let mut imports = Imports::default();
        for node in nodes {
            match node.cached_kind() {
                "import_statement" => imports.import_statement(*node, source),
                "variable_declarator" => {
                    let (Some(name), Some(value)) =
                        (node.field_child("name"), node.field_child("value"))
                    else {
                        continue;
                    };
                    if let Some(module) = required_module(value, source) {
                        imports.bind_pattern(name, &module, source);
                    }
                }
                _ => {}
            }
        }
        imports
    }

    fn import_statement(&mut self, node: Node<'_>, source: &Source<'_>) {
        let Some(module) = node
            .field_child("source")
            .and_then(|s| string_value(s, source))
        else {
            return;
        };
        let module = normalize(&module);
        for clause in named_children(node)
            .into_iter()
            .filter(|c| c.cached_kind() == "import_clause")
        {
            for part in named_children(clause) {
                match part.cached_kind() {
                    "identifier" => self.bind(source.text_of(part), &module, None),
                    "namespace_import" => {
                        if let Some(id) = named_children(part)
                            .into_iter()
                            .find(|c| c.cached_kind() == "identifier")
                        {
                            self.bind(source.text_of(id), &module, None);
                        }
                    }
                    "named_imports" => {
                        for spec in named_children(part) {
                            let name = spec.field_child("name");
                            let alias = spec.field_child("alias").or(name);
                            if let (Some(name), Some(alias)) = (name, alias) {
                                let member = string_value(name, source)
                                    .unwrap_or_else(|| source.text_of(name).to_string());
                                let member = if member == "default" {
                                    None
                                } else {
                                    Some(member)
                                };
                                self.bind(source.text_of(alias), &module, member);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    /// `const x = require('m')` or `const { a, b: c } = require('m')`.
    fn bind_pattern(&mut self, pattern: Node<'_>, module: &str, source: &Source<'_>) {
        match pattern.cached_kind() {
            "identifier" => self.bind(source.text_of(pattern), module, None),
            "object_pattern" => {
                for part in named_children(pattern) {
                    match part.cached_kind() {
                        "shorthand_property_identifier_pattern" => {
                            let name = source.text_of(part);
                            self.bind(name, module, Some(name.to_string()));
                        }
                        "pair_pattern" => {
                            let key = part.field_child("key");
                            let value = part.field_child("value");
                            if let (Some(key), Some(value)) = (key, value) {
                                if value.cached_kind() == "identifier" {
                                    let member = source.text_of(key).to_string();
                                    self.bind(source.text_of(value), module, Some(member));
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }

    fn bind(&mut self, local: &str, module: &str, member: Option<String>) {
        self.bindings.push(Binding {
            local: local.to_string(),
            module: normalize(module),
            member,
        });
    }

    /// The module an expression names and the member path below it:
    /// `express` -> ("express", []), `Hapi.server` -> ("@hapi/hapi", ["server"]),
    /// `require('fastify')` -> ("fastify", []), `Router` imported by name from
    /// express -> ("express", ["Router"]).
    pub fn resolve(&self, node: Node<'_>, source: &Source<'_>) -> Option<(String, Vec<String>)> {
        let mut path: Vec<String> = Vec::new();
        let mut current = strip(node);
        for _ in 0..MAX_CHAIN {
            match current.cached_kind() {
                "identifier" => {
                    let name = source.text_of(current);
                    // The last binding of a name wins, as in the module's scope.
                    let binding = self.bindings.iter().rev().find(|b| b.local == name)?;
                    let mut full: Vec<String> = binding.member.iter().cloned().collect();
                    path.reverse();
                    full.extend(path);
                    return Some((binding.module.clone(), full));
                }
                "member_expression" => {
                    let property = current.field_child("property")?;
                    path.push(source.text_of(property).to_string());
                    current = strip(current.field_child("object")?);
                }
                "call_expression" => {
                    let module = required_module(current, source)?;
                    path.reverse();
                    return Some((module, path));
                }
                _ => return None,
            }
        }
        None
    }

    /// Whether any name of the file comes from `module`.
    pub fn uses(&self, module: &str) -> bool {
        self.bindings.iter().any(|b| b.module == module)
    }
}

/// `require('m')` (also wrapped in `await import('m')`): the module name.
fn required_module(node: Node<'_>, source: &Source<'_>) -> Option<String> {
    let node = strip(node);
    if node.cached_kind() != "call_expression" {
        return None;
    }
    let callee = node.field_child("function")?;
    if source.text_of(callee) != "require" {
        return None;
    }
    let args = super::syntax::call_args(node);
    let first = args.first()?;
    string_value(*first, source).map(|m| normalize(&m))
}
