//! Patches written inline in the kustomization (`patch: |-`): their nodes
//! are located at the kustomization's `patch` value, where they are written.

use crate::value::{Data, Node};

/// Points every node of an inline patch at the scalar `at` holding it.
pub fn relocate(node: &mut Node, at: &Node) {
    let mut stack: Vec<&mut Node> = vec![node];
    while let Some(n) = stack.pop() {
        n.src.loc = at.src.loc.clone();
        n.src.copy = None;
        match &mut n.data {
            Data::Map(m) => {
                for (k, v) in m.iter_mut() {
                    k.src.loc = at.src.loc.clone();
                    k.src.copy = None;
                    k.raw = None;
                    stack.push(v);
                }
            }
            Data::Seq(s) => stack.extend(s.iter_mut()),
            Data::Scalar(s) => s.raw = None,
        }
    }
}
