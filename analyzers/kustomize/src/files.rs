//! Reading the unit's files through the confined [`Tree`]: YAML documents
//! converted to [`Node`]s once per file, and root-relative path arithmetic.

use crate::value::{convert, Node};
use seamcheck_facts::render::Tree;
use seamcheck_facts::{LineIndex, ParseProblem};
use seamcheck_yaml::{load_file, SourceMap};
use std::collections::HashMap;
use std::sync::Arc;

/// Most bytes one top may read (all its files together).
pub const MAX_BYTES_PER_TOP: usize = 64 << 20;

pub struct Yaml {
    pub text: Arc<str>,
    pub index: Arc<LineIndex>,
    pub docs: Vec<Node>,
    pub problems: Vec<ParseProblem>,
}

pub struct Files<'a> {
    tree: &'a dyn Tree,
    yaml: HashMap<String, Arc<Yaml>>,
    pub bytes_read: usize,
}

impl<'a> Files<'a> {
    pub fn new(tree: &'a dyn Tree) -> Self {
        Files {
            tree,
            yaml: HashMap::new(),
            bytes_read: 0,
        }
    }

    pub fn is_dir(&self, path: &str) -> bool {
        self.tree.list(path).is_ok()
    }

    pub fn list(&self, path: &str) -> Vec<String> {
        self.tree
            .list(path)
            .map(|l| l.into_iter().map(|e| e.name).collect())
            .unwrap_or_default()
    }

    /// The text of a file (UTF-8 required).
    pub fn text(&mut self, path: &str) -> Result<String, String> {
        let bytes = self.tree.read(path)?;
        self.bytes_read += bytes.len();
        if self.bytes_read > MAX_BYTES_PER_TOP {
            return Err(format!(
                "more than {} MiB read for one kustomization",
                MAX_BYTES_PER_TOP >> 20
            ));
        }
        String::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_string())
    }

    /// The raw bytes of a file (generator inputs may be binary).
    pub fn bytes(&mut self, path: &str) -> Result<Vec<u8>, String> {
        let bytes = self.tree.read(path)?;
        self.bytes_read += bytes.len();
        if self.bytes_read > MAX_BYTES_PER_TOP {
            return Err("too much data read for one kustomization".into());
        }
        Ok(bytes)
    }

    /// The YAML documents of a file.
    pub fn yaml(&mut self, path: &str) -> Result<Arc<Yaml>, String> {
        if let Some(y) = self.yaml.get(path) {
            return Ok(y.clone());
        }
        let text = self.text(path)?;
        let y = Arc::new(parse_yaml(path, &text));
        self.yaml.insert(path.to_string(), y.clone());
        Ok(y)
    }
}

pub fn parse_yaml(path: &str, text: &str) -> Yaml {
    let sm = SourceMap::new(path, text);
    let index = Arc::new(sm.index().clone());
    let loaded = load_file(&sm);
    let docs = loaded
        .docs
        .iter()
        .map(|d| convert(d, &sm, &index))
        .filter(|d| !d.is_null())
        .collect();
    Yaml {
        text: Arc::from(text),
        index,
        docs,
        problems: loaded.problems,
    }
}

/// `rel` resolved against the directory `dir` (both root-relative), `.`
/// and `..` folded. `None` when it leaves the root or is absolute.
pub fn join(dir: &str, rel: &str) -> Option<String> {
    if rel.starts_with('/') || rel.contains('\\') {
        return None;
    }
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// A resource that kustomize would fetch (a URL, a git repository).
pub fn is_remote(entry: &str) -> bool {
    let e = entry.trim();
    e.contains("://")
        || e.starts_with("git@")
        || e.starts_with("git::")
        || e.contains("?ref=")
        || e.contains(".git//")
        || [
            "github.com/",
            "gitlab.com/",
            "bitbucket.org/",
            "dev.azure.com/",
        ]
        .iter()
        .any(|host| e.starts_with(host))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_fold_dots_and_refuse_to_leave_the_root() {
        assert_eq!(join("a/b", "../c/./d.yaml").as_deref(), Some("a/c/d.yaml"));
        assert_eq!(join("", "x").as_deref(), Some("x"));
        assert_eq!(join("a", "../../x"), None);
        assert_eq!(join("a", "/etc/passwd"), None);
    }

    #[test]
    fn remote_resources_are_recognised() {
        assert!(is_remote("github.com/org/repo//deploy?ref=v1"));
        assert!(is_remote("https://example.com/x.yaml"));
        assert!(!is_remote("../base"));
    }
}
