//! `if __name__ == "__main__":` at module level: the code under it runs only
//! when the file is executed as a script, never when gunicorn or uvicorn
//! imports the module.

use super::syntax::{named_children, scope_nodes, string_value, Source};
use crate::treesitter::NodeNames;
use seamcheck_facts::Location;
use tree_sitter::Node;

pub struct MainGuard<'t> {
    /// The guarded block.
    pub body: Node<'t>,
    /// From `if` to the end of the condition.
    pub loc: Location,
    /// Names of functions the guard calls directly (`main()`,
    /// `asyncio.run(main())`): code in those runs under the guard too.
    pub called_functions: Vec<String>,
}

/// The first module-level main guard, if any.
pub fn find<'t>(module: Node<'t>, source: &Source<'t>) -> Option<MainGuard<'t>> {
    named_children(module).into_iter().find_map(|statement| {
        if statement.cached_kind() != "if_statement" {
            return None;
        }
        let condition = statement.field_child("condition")?;
        if !is_main_check(condition, source) {
            return None;
        }
        let body = statement.field_child("consequence")?;
        let called_functions = scope_nodes(source, body)
            .into_iter()
            .filter(|n| n.cached_kind() == "call")
            .filter_map(|call| call.field_child("function"))
            .filter(|f| f.cached_kind() == "identifier")
            .map(|f| source.text_of(f).to_string())
            .collect();
        Some(MainGuard {
            body,
            loc: source.loc_span(statement.start_byte(), condition.end_byte()),
            called_functions,
        })
    })
}

/// `__name__ == "__main__"` or `"__main__" == __name__`.
fn is_main_check(condition: Node<'_>, source: &Source<'_>) -> bool {
    if condition.cached_kind() != "comparison_operator" {
        return false;
    }
    let operands = named_children(condition);
    let [left, right] = operands.as_slice() else {
        return false;
    };
    let is_equality = condition
        .field_child("operators")
        .is_some_and(|op| source.text_of(op) == "==");
    let is_name =
        |n: &Node<'_>| n.cached_kind() == "identifier" && source.text_of(*n) == "__name__";
    let is_main = |n: &Node<'_>| string_value(*n, source).as_deref() == Some("__main__");
    is_equality && ((is_name(left) && is_main(right)) || (is_main(left) && is_name(right)))
}
