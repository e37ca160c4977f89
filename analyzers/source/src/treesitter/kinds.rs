//! Node kinds and field names by table lookup.
//!
//! `Node::kind` asks the grammar for the kind's C string, measures it and
//! checks it is UTF-8 on every call, and the extraction passes ask every
//! node several times: on a small web app that was a tenth of the analysis.
//! The names never change for a grammar, so each grammar's names are read
//! once into a table and a node's kind becomes an index into it.

use std::cell::Cell;
use std::sync::Mutex;
use tree_sitter::{Language, Node, TreeCursor};

/// One grammar's node kind names (indexed by kind id) and field names
/// (indexed by field id).
struct Names {
    language: &'static Language,
    kinds: Vec<&'static str>,
    fields: Vec<Option<&'static str>>,
    /// (name, id) sorted by name, for finding a child by field name.
    field_ids: Vec<(&'static str, u16)>,
}

/// Every grammar met so far. Entries are leaked on purpose: there is one
/// per grammar compiled in (fewer than ten), and `&'static` names let
/// callers keep a kind as long as they like, as they could with `kind()`.
static TABLES: Mutex<Vec<&'static Names>> = Mutex::new(Vec::new());

thread_local! {
    /// The table of the grammar this thread parses with now.
    static CURRENT: Cell<Option<&'static Names>> = const { Cell::new(None) };
}

/// Makes `grammar`'s names the ones [`NodeNames`] looks up on this thread.
pub fn use_grammar(grammar: &Language) {
    let names = {
        let mut tables = TABLES
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match tables.iter().find(|names| names.language == grammar) {
            Some(names) => *names,
            None => {
                let names: &'static Names = Box::leak(Box::new(Names::read(grammar)));
                tables.push(names);
                names
            }
        }
    };
    CURRENT.with(|current| current.set(Some(names)));
}

impl Names {
    fn read(grammar: &Language) -> Names {
        let language: &'static Language = Box::leak(Box::new(grammar.clone()));
        let kinds = (0..language.node_kind_count())
            .map(|id| {
                u16::try_from(id)
                    .ok()
                    .and_then(|id| language.node_kind_for_id(id))
                    .unwrap_or("")
            })
            .collect();
        let fields: Vec<Option<&'static str>> = (0..=language.field_count())
            .map(|id| {
                u16::try_from(id)
                    .ok()
                    .and_then(|id| language.field_name_for_id(id))
            })
            .collect();
        let mut field_ids: Vec<(&'static str, u16)> = fields
            .iter()
            .enumerate()
            .filter_map(|(id, name)| Some(((*name)?, u16::try_from(id).ok()?)))
            .collect();
        field_ids.sort_unstable();
        Names {
            language,
            kinds,
            fields,
            field_ids,
        }
    }

    /// The table for `node`'s grammar, if it is the thread's current one.
    fn of(node: &Node<'_>) -> Option<&'static Names> {
        CURRENT
            .with(Cell::get)
            .filter(|names| *node.language() == *names.language)
    }
}

/// `kind()` and the cursor's `field_name()` by table lookup; they fall back
/// to tree-sitter's own for a grammar not installed with [`use_grammar`].
pub trait NodeNames<'t>: Sized {
    fn cached_kind(&self) -> &'t str;
    /// `child_by_field_name`, with the field's id found by binary search
    /// instead of comparing the name with every field name of the grammar.
    fn field_child(&self, name: &str) -> Option<Self>;
}

impl<'t> NodeNames<'t> for Node<'t> {
    fn cached_kind(&self) -> &'t str {
        Names::of(self)
            .and_then(|names| names.kinds.get(usize::from(self.kind_id())).copied())
            .unwrap_or_else(|| self.kind())
    }

    fn field_child(&self, name: &str) -> Option<Node<'t>> {
        match Names::of(self) {
            Some(names) => {
                let i = names
                    .field_ids
                    .binary_search_by(|(field, _)| (*field).cmp(name))
                    .ok()?;
                let (_, id) = names.field_ids.get(i)?;
                self.child_by_field_id(*id)
            }
            None => self.child_by_field_name(name),
        }
    }
}

/// The field name of the cursor's current node, by table lookup.
pub fn cursor_field_name<'t>(cursor: &TreeCursor<'t>) -> Option<&'t str> {
    let id = cursor.field_id()?;
    match Names::of(&cursor.node()) {
        Some(names) => names.fields.get(usize::from(id.get())).copied().flatten(),
        None => cursor.field_name(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_names_equal_tree_sitter_names() {
        let grammar: Language = tree_sitter_python::LANGUAGE.into();
        let mut parser = tree_sitter::Parser::new();
        assert!(parser.set_language(&grammar).is_ok());
        let text =
            "import os\n@app.get('/x')\ndef f(a, *b):\n    return a if b else (1, 2) # c\nx = [\n";
        let Some(tree) = parser.parse(text, None) else {
            panic!("no tree");
        };
        use_grammar(&grammar);
        let mut cursor = tree.root_node().walk();
        let mut seen = 0;
        loop {
            let node = cursor.node();
            assert_eq!(node.cached_kind(), node.kind());
            for field in ["name", "body", "function", "arguments", "left", "nope"] {
                assert_eq!(node.field_child(field), node.child_by_field_name(field));
            }
            assert_eq!(cursor_field_name(&cursor), cursor.field_name());
            seen += 1;
            if cursor.goto_first_child() || cursor.goto_next_sibling() {
                continue;
            }
            let mut done = true;
            while cursor.goto_parent() {
                if cursor.goto_next_sibling() {
                    done = false;
                    break;
                }
            }
            if done {
                break;
            }
        }
        assert!(seen > 30, "{seen}");
    }
}
