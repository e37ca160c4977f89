//! The variables compose interpolates: per value, and for the whole file.

use crate::located::ScalarText;
use seamcheck_facts::compose::{interpolations, VarRef};
use seamcheck_yaml::node::{scalar, sequence};
use seamcheck_yaml::{Node, SourceMap};
use std::collections::HashSet;

/// Most nodes visited for the file-wide list. Alias expansion is bounded by
/// the loader already; this bounds the walk of very large files too.
const MAX_NODES: usize = 200_000;

/// The references in one scalar, each located exactly when possible.
pub(crate) fn var_refs(st: &ScalarText<'_>, src: &SourceMap<'_>) -> Vec<VarRef> {
    if !st.value.contains('$') {
        return Vec::new();
    }
    interpolations(st.value)
        .into_iter()
        .map(|i| VarRef {
            raw: st
                .value
                .get(i.range.clone())
                .unwrap_or_default()
                .to_string(),
            loc: st.sub(i.range, src),
            name: i.name,
            op: i.op,
        })
        .collect()
}

/// Every reference in the values of the documents, in file order. A value
/// copied by an alias is listed once, where it is written.
pub(crate) fn file_variables(docs: &[Node<'_>], src: &SourceMap<'_>) -> Vec<VarRef> {
    let mut out: Vec<VarRef> = Vec::new();
    let mut seen: HashSet<usize> = HashSet::new();
    // Depth-first, children pushed in reverse so they pop in file order.
    let mut stack: Vec<&Node<'_>> = docs.iter().rev().collect();
    let mut visited = 0usize;
    while let Some(node) = stack.pop() {
        visited += 1;
        if visited > MAX_NODES {
            break;
        }
        let node = seamcheck_yaml::node::untagged(node);
        if let Some((value, _)) = scalar(node) {
            let start = node.span.start.index();
            if value.contains('$') && seen.insert(start) {
                out.extend(var_refs(&ScalarText::new(value, node, src), src));
            }
            continue;
        }
        let items = sequence(node);
        if !items.is_empty() {
            stack.extend(items.iter().rev());
            continue;
        }
        // Only values are interpolated, not keys.
        let values: Vec<&Node<'_>> = seamcheck_yaml::node::entries(node)
            .into_iter()
            .map(|e| e.value)
            .collect();
        stack.extend(values.into_iter().rev());
    }
    out.sort_by_key(|v| v.loc.span.start);
    out
}
