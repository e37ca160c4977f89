//! Patches written inline in the kustomization (`patch: |-`). A literal
//! block's lines are the kustomization's lines minus their indentation, so
//! every node of the patch is located on its real line and column; other
//! styles point every node at the kustomization's `patch` value.

use crate::files::{parse_yaml, Yaml};
use crate::value::{Data, Node};
use seamcheck_facts::Span;

/// The virtual text's line starts and the real byte each one maps to.
struct LineMap {
    lines: Vec<(usize, usize)>,
}

impl LineMap {
    fn real(&self, virtual_byte: usize) -> usize {
        let i = self
            .lines
            .partition_point(|(v, _)| *v <= virtual_byte)
            .saturating_sub(1);
        let (v, r) = self.lines.get(i).copied().unwrap_or((0, 0));
        r + (virtual_byte - v)
    }
}

/// The map of a literal block scalar starting at real byte `start` whose
/// value is `value`, when its lines can be matched one for one.
fn block_map(real: &str, start: usize, value: &str) -> Option<LineMap> {
    // The token may start at the `|` or at the first content line.
    let (header, header_end) = if real.get(start..)?.starts_with('|') {
        let end = start + real.get(start..)?.find('\n')? + 1;
        (real.get(start..end)?, end)
    } else {
        let line_start = real.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
        let prev_start = real
            .get(..line_start.checked_sub(1)?)?
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let prev = real.get(prev_start..line_start)?;
        (prev.get(prev.rfind('|')?..)?, line_start)
    };
    let header = header.trim_end();
    if !matches!(header.split('#').next()?.trim(), "|" | "|-" | "|+") {
        return None;
    }
    let mut lines = Vec::new();
    let mut indent: Option<usize> = None;
    let mut v = 0usize;
    let mut r = header_end;
    for line in value.split_inclusive('\n') {
        let real_line = real.get(r..)?.split_inclusive('\n').next()?;
        let content = line.trim_end_matches('\n');
        if content.is_empty() {
            lines.push((v, r));
        } else {
            let n = *indent
                .get_or_insert_with(|| real_line.len() - real_line.trim_start_matches(' ').len());
            if real_line.get(n..)?.trim_end_matches(['\n', '\r']) != content {
                return None;
            }
            lines.push((v, r + n));
        }
        v += line.len();
        r += real_line.len();
    }
    Some(LineMap { lines })
}

/// The documents of the inline patch held by `at` (a scalar of the
/// kustomization `kust`).
pub fn documents(at: &Node, text: &str, kust: &Yaml) -> Yaml {
    let path = at.src.loc.path.to_string();
    let mut yaml = parse_yaml(&path, text);
    match block_map(&kust.text, at.src.loc.span.start, text) {
        Some(map) => {
            for d in &mut yaml.docs {
                walk(d, &mut |src, raw| {
                    let start = map.real(src.loc.span.start);
                    let end = map.real(src.loc.span.end.max(src.loc.span.start));
                    src.loc = kust.index.location(Span::new(start, end));
                    src.copy = raw.then(|| (kust.index.clone(), start));
                });
            }
        }
        None => {
            for d in &mut yaml.docs {
                walk(d, &mut |src, _| {
                    src.loc = at.src.loc.clone();
                    src.copy = None;
                });
                strip_raw(d);
            }
        }
    }
    yaml
}

/// Calls `f` on every source of the tree (`raw`: the token is kept).
fn walk(node: &mut Node, f: &mut dyn FnMut(&mut crate::value::Src, bool)) {
    let mut stack: Vec<&mut Node> = vec![node];
    while let Some(n) = stack.pop() {
        let raw = matches!(&n.data, Data::Scalar(s) if s.raw.is_some());
        f(&mut n.src, raw);
        match &mut n.data {
            Data::Map(m) => {
                for (k, v) in m.iter_mut() {
                    let raw = k.raw.is_some();
                    f(&mut k.src, raw);
                    stack.push(v);
                }
            }
            Data::Seq(s) => stack.extend(s.iter_mut()),
            Data::Scalar(_) => {}
        }
    }
}

fn strip_raw(node: &mut Node) {
    let mut stack: Vec<&mut Node> = vec![node];
    while let Some(n) = stack.pop() {
        match &mut n.data {
            Data::Map(m) => {
                for (k, v) in m.iter_mut() {
                    k.raw = None;
                    stack.push(v);
                }
            }
            Data::Seq(s) => stack.extend(s.iter_mut()),
            Data::Scalar(s) => s.raw = None,
        }
    }
}
