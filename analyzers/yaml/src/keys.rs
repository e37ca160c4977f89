//! Mapping keys as go-yaml checks them: a key written twice in one mapping
//! (go-yaml v3 and strict decoding refuse it; the error names the key and
//! where it was first written) and a sequence or mapping used as a key
//! (neither kubectl nor go-yaml v3 can decode it).

use saphyr::ScalarStyle;
use std::collections::HashMap;

/// A key as go-yaml compares it: a quoted key, or a plain one that resolves
/// to a string, is a string; other plain keys (`1`, `true`, `~`) keep their
/// spelling apart from strings.
#[derive(Clone, PartialEq, Eq, Hash)]
pub(crate) enum KeyText {
    Str(String),
    Plain(String),
}

impl KeyText {
    pub(crate) fn of(value: &str, style: ScalarStyle) -> Self {
        if style != ScalarStyle::Plain || plain_is_string(value) {
            KeyText::Str(value.to_string())
        } else {
            KeyText::Plain(value.to_string())
        }
    }

    pub(crate) fn shown(&self) -> &str {
        match self {
            KeyText::Str(s) | KeyText::Plain(s) => s,
        }
    }
}

/// Whether a plain scalar resolves to a string (not null, a boolean or a
/// number) in go-yaml's YAML 1.1 resolution, conservatively.
fn plain_is_string(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "" | "~"
            | "null"
            | "true"
            | "false"
            | "yes"
            | "no"
            | "on"
            | "off"
            | "y"
            | "n"
            | ".inf"
            | "-.inf"
            | "+.inf"
            | ".nan"
    ) {
        return false;
    }
    let first = value.chars().next();
    !matches!(first, Some('0'..='9' | '-' | '+' | '.'))
}

/// A node as the key tracker sees it.
pub(crate) enum KeyNode<'v> {
    /// A scalar's value and style: made a [`KeyText`] only if it is a key.
    Scalar(&'v str, ScalarStyle),
    Collection,
    Alias,
}

/// A key go-yaml refuses.
pub(crate) enum KeyError {
    /// Written a second time in one mapping, at byte `at`.
    Duplicate {
        key: String,
        first: usize,
        at: usize,
    },
    /// A sequence or mapping used as a key.
    Collection { at: usize },
}

/// Finds a key written twice in one mapping, as go-yaml v3 and strict
/// decoding do. Only scalar keys are compared; merge keys (`<<`) are not
/// keys of the mapping.
#[derive(Default)]
pub(crate) struct KeyTracker {
    /// One entry per open collection: `Some` for a mapping (its keys so far
    /// and whether the next node is a key), `None` for a sequence.
    open: Vec<Option<MappingKeys>>,
}

#[derive(Default)]
struct MappingKeys {
    seen: HashMap<KeyText, usize>,
    next_is_key: bool,
}

impl KeyTracker {
    pub(crate) fn open(&mut self, mapping: bool) {
        self.open.push(mapping.then(|| MappingKeys {
            seen: HashMap::new(),
            next_is_key: true,
        }));
    }

    pub(crate) fn close(&mut self) {
        self.open.pop();
    }

    /// A node starts at `at` (a scalar's key text, if it is a scalar). Called
    /// before a collection it starts is opened.
    pub(crate) fn node(&mut self, node: KeyNode<'_>, at: usize) -> Result<(), KeyError> {
        let Some(Some(mapping)) = self.open.last_mut() else {
            return Ok(());
        };
        let is_key = mapping.next_is_key;
        mapping.next_is_key = !is_key;
        if !is_key {
            return Ok(());
        }
        let key = match node {
            KeyNode::Scalar(value, style) => KeyText::of(value, style),
            KeyNode::Collection => return Err(KeyError::Collection { at }),
            KeyNode::Alias => return Ok(()),
        };
        if key.shown() == "<<" {
            return Ok(());
        }
        if let Some(&first) = mapping.seen.get(&key) {
            return Err(KeyError::Duplicate {
                key: key.shown().to_string(),
                first,
                at,
            });
        }
        mapping.seen.insert(key, at);
        Ok(())
    }
}
