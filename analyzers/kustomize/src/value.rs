//! The object model the renderer transforms: an owned YAML tree where every
//! key and value remembers where it was written ([`Src`]), and whether it is
//! still exactly as written (then the emitter copies it byte for byte).

use seamcheck_facts::render::Via;
use seamcheck_facts::{LineIndex, Location};
use seamcheck_yaml::node as yn;
use seamcheck_yaml::{Node as YNode, ScalarStyle, SourceMap};
use std::sync::Arc;

/// Where a key or value came from.
#[derive(Debug, Clone)]
pub struct Src {
    pub loc: Location,
    /// The real file and byte offset of the token, while the value is the
    /// token as written.
    pub copy: Option<(Arc<LineIndex>, usize)>,
    /// The kustomization entry that put or changed the value.
    pub via: Option<Arc<Via>>,
}

impl Src {
    pub fn made(loc: Location, via: Option<Arc<Via>>) -> Self {
        Src {
            loc,
            copy: None,
            via,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Scalar {
    pub text: String,
    /// Written in quotes (or a block scalar): always a string.
    pub quoted: bool,
    /// The token as written (one line), emitted verbatim while it stands.
    pub raw: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Key {
    pub text: String,
    pub raw: Option<String>,
    pub src: Src,
}

#[derive(Debug, Clone)]
pub enum Data {
    Map(Vec<(Key, Node)>),
    Seq(Vec<Node>),
    Scalar(Scalar),
}

#[derive(Debug, Clone)]
pub struct Node {
    pub data: Data,
    pub src: Src,
}

impl Node {
    pub fn string(text: impl Into<String>, src: Src) -> Node {
        Node {
            data: Data::Scalar(Scalar {
                text: text.into(),
                quoted: true,
                raw: None,
            }),
            src,
        }
    }

    pub fn map(src: Src) -> Node {
        Node {
            data: Data::Map(Vec::new()),
            src,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(&self.data, Data::Scalar(s) if !s.quoted && matches!(s.text.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    pub fn is_map(&self) -> bool {
        matches!(self.data, Data::Map(_))
    }

    /// The text of a non-null scalar.
    pub fn str(&self) -> Option<&str> {
        match &self.data {
            Data::Scalar(s) if !self.is_null() => Some(&s.text),
            _ => None,
        }
    }

    pub fn entries(&self) -> &[(Key, Node)] {
        match &self.data {
            Data::Map(m) => m,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Node] {
        match &self.data {
            Data::Seq(s) => s,
            _ => &[],
        }
    }

    pub fn items_mut(&mut self) -> Option<&mut Vec<Node>> {
        match &mut self.data {
            Data::Seq(s) => Some(s),
            _ => None,
        }
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries()
            .iter()
            .find(|(k, _)| k.text == key)
            .map(|(_, v)| v)
    }

    pub fn get_entry(&self, key: &str) -> Option<&(Key, Node)> {
        self.entries().iter().find(|(k, _)| k.text == key)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        match &mut self.data {
            Data::Map(m) => m.iter_mut().find(|(k, _)| k.text == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn str_at(&self, keys: &[&str]) -> Option<&str> {
        self.at(keys).and_then(Node::str)
    }

    pub fn at(&self, keys: &[&str]) -> Option<&Node> {
        let mut node = self;
        for key in keys {
            node = node.get(key)?;
        }
        Some(node)
    }

    /// Sets `key` (kept in place when present, appended otherwise). A key
    /// made here takes the value's source.
    pub fn set(&mut self, key: &str, value: Node) {
        let Data::Map(m) = &mut self.data else {
            return;
        };
        if let Some(slot) = m.iter_mut().find(|(k, _)| k.text == key) {
            slot.1 = value;
        } else {
            let src = value.src.clone();
            m.push((
                Key {
                    text: key.to_string(),
                    raw: None,
                    src: Src { copy: None, ..src },
                },
                value,
            ));
        }
    }

    pub fn remove(&mut self, key: &str) -> Option<Node> {
        let Data::Map(m) = &mut self.data else {
            return None;
        };
        let i = m.iter().position(|(k, _)| k.text == key)?;
        Some(m.remove(i).1)
    }

    /// The mapping at `key`, created (with `src`) when missing or null.
    pub fn child_map(&mut self, key: &str, src: &Src) -> Option<&mut Node> {
        let missing = self.get(key).is_none_or(Node::is_null);
        if missing {
            if !self.is_map() {
                return None;
            }
            self.set(key, Node::map(src.clone()));
        }
        self.get_mut(key).filter(|n| n.is_map())
    }

    /// Sets `via` on this node and everything under it that has none.
    pub fn set_via(&mut self, via: &Arc<Via>) {
        let mut stack: Vec<&mut Node> = vec![self];
        while let Some(node) = stack.pop() {
            if node.src.via.is_none() {
                node.src.via = Some(via.clone());
            }
            match &mut node.data {
                Data::Map(m) => {
                    for (k, v) in m.iter_mut() {
                        if k.src.via.is_none() {
                            k.src.via = Some(via.clone());
                        }
                        stack.push(v);
                    }
                }
                Data::Seq(s) => stack.extend(s.iter_mut()),
                Data::Scalar(_) => {}
            }
        }
    }

    /// Replaces a scalar's text, keeping its location; `via` says who did.
    pub fn rewrite(&mut self, text: String, via: Option<Arc<Via>>) {
        if let Data::Scalar(s) = &mut self.data {
            if s.text == text && s.quoted {
                return;
            }
            s.text = text;
            s.raw = None;
            s.quoted = true;
        }
        self.src.copy = None;
        if via.is_some() {
            self.src.via = via;
        }
    }

    /// Number of nodes, for budgets.
    pub fn size(&self) -> usize {
        let mut n = 0;
        let mut stack = vec![self];
        while let Some(node) = stack.pop() {
            n += 1;
            match &node.data {
                Data::Map(m) => stack.extend(m.iter().map(|(_, v)| v)),
                Data::Seq(s) => stack.extend(s.iter()),
                Data::Scalar(_) => {}
            }
        }
        n
    }
}

/// Converts a loaded YAML node. Trees are bounded by the loader's depth
/// limit, so recursion is bounded too.
pub fn convert(node: &YNode<'_>, sm: &SourceMap<'_>, file: &Arc<LineIndex>) -> Node {
    let loc = sm.token_loc(node);
    let start = loc.span.start;
    let src = Src {
        loc,
        copy: Some((file.clone(), start)),
        via: None,
    };
    let untagged = yn::untagged(node);
    if yn::is_mapping(untagged) {
        let mut entries = Vec::new();
        for e in yn::merged_entries(untagged) {
            let Some((text, _)) = yn::scalar(e.key) else {
                continue;
            };
            let key_src = sm.token_loc(e.key);
            let raw = raw_token(sm, &key_src);
            let key_start = key_src.span.start;
            entries.push((
                Key {
                    text: text.to_string(),
                    raw,
                    src: Src {
                        loc: key_src,
                        copy: Some((file.clone(), key_start)),
                        via: None,
                    },
                },
                convert(e.value, sm, file),
            ));
        }
        return Node {
            data: Data::Map(entries),
            src: Src { copy: None, ..src },
        };
    }
    if yn::is_sequence(untagged) {
        let items = yn::sequence(untagged)
            .iter()
            .map(|n| convert(n, sm, file))
            .collect();
        return Node {
            data: Data::Seq(items),
            src: Src { copy: None, ..src },
        };
    }
    match yn::scalar(node) {
        Some((text, style)) => {
            let quoted = style != ScalarStyle::Plain;
            let block = matches!(style, ScalarStyle::Literal | ScalarStyle::Folded);
            let raw = if block { None } else { raw_token(sm, &src.loc) };
            let mut text = text.to_string();
            if block
                && !sm.text().ends_with('\n')
                && src.loc.span.end >= sm.text().trim_end().len()
                && clipped(sm.text(), start)
            {
                // A clipped block scalar ending the file without a final line
                // break has none (saphyr adds one).
                if text.ends_with('\n') {
                    text.pop();
                }
            }
            Node {
                data: Data::Scalar(Scalar { text, quoted, raw }),
                src,
            }
        }
        None => Node {
            data: Data::Scalar(Scalar {
                text: String::new(),
                quoted: false,
                raw: None,
            }),
            src: Src { copy: None, ..src },
        },
    }
}

/// Whether the block scalar whose token starts at byte `start` (at its
/// indicator, or at its first line) uses clip chomping (`|` or `>` alone).
fn clipped(text: &str, start: usize) -> bool {
    let line_start = text
        .get(..start)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    let header = if text.get(start..).is_some_and(|t| t.starts_with(['|', '>'])) {
        text.get(start..)
            .and_then(|t| t.lines().next())
            .unwrap_or("")
    } else {
        let prev_start = text
            .get(..line_start.saturating_sub(1))
            .and_then(|t| t.rfind('\n'))
            .map_or(0, |i| i + 1);
        text.get(prev_start..line_start).unwrap_or("")
    };
    let indicator = header.split('#').next().unwrap_or("").trim_end();
    indicator.ends_with('|') || indicator.ends_with('>')
}

/// The token text at `loc` when it is on one line (emitted verbatim).
fn raw_token(sm: &SourceMap<'_>, loc: &Location) -> Option<String> {
    let raw = sm.text().get(loc.span.start..loc.span.end)?;
    (!raw.is_empty() && !raw.contains('\n') && !raw.starts_with(['&', '!', '*']))
        .then(|| raw.to_string())
}
