// Shared by several test binaries; each uses a part.
#![allow(dead_code)]

//! A [`Tree`] over a real directory, for tests.

use seamcheck_facts::render::{Tree, TreeEntry};
use std::path::{Path, PathBuf};

pub struct DirTree {
    pub root: PathBuf,
}

impl DirTree {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        DirTree { root: root.into() }
    }

    fn resolve(&self, path: &str) -> Result<PathBuf, String> {
        let full = self.root.join(path);
        let canon = full.canonicalize().map_err(|e| format!("{e}"))?;
        let root = self.root.canonicalize().map_err(|e| format!("{e}"))?;
        if canon.starts_with(&root) {
            Ok(canon)
        } else {
            Err("outside the root".into())
        }
    }

    /// Every directory under the root holding a kustomization file.
    pub fn kustomization_dirs(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut stack = vec![String::new()];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = self.list(&dir) else {
                continue;
            };
            for e in entries {
                let rel = if dir.is_empty() {
                    e.name.clone()
                } else {
                    format!("{dir}/{}", e.name)
                };
                if e.is_dir {
                    stack.push(rel);
                } else if matches!(
                    e.name.as_str(),
                    "kustomization.yaml" | "kustomization.yml" | "Kustomization"
                ) && !out.contains(&dir)
                {
                    out.push(dir.clone());
                }
            }
        }
        out.sort();
        out
    }
}

impl Tree for DirTree {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        let p = self.resolve(path)?;
        if !p.is_file() {
            return Err("no such file".into());
        }
        std::fs::read(p).map_err(|e| e.to_string())
    }

    fn list(&self, dir: &str) -> Result<Vec<TreeEntry>, String> {
        let p = self.resolve(dir)?;
        if !p.is_dir() {
            return Err("not a directory".into());
        }
        let mut out: Vec<TreeEntry> = std::fs::read_dir(&p)
            .map_err(|e| e.to_string())?
            .filter_map(Result::ok)
            .map(|e| TreeEntry {
                name: e.file_name().to_string_lossy().into_owned(),
                is_dir: e.path().is_dir(),
            })
            .collect();
        out.sort();
        Ok(out)
    }
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/kustomize")
}

/// A tree where one file's content is replaced.
pub struct Overlay {
    base: DirTree,
    path: String,
    content: Vec<u8>,
}

impl Overlay {
    pub fn new(base: DirTree, path: &str, content: Vec<u8>) -> Self {
        Overlay {
            base,
            path: path.to_string(),
            content,
        }
    }
}

impl Tree for Overlay {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        if path == self.path {
            return Ok(self.content.clone());
        }
        self.base.read(path)
    }

    fn list(&self, dir: &str) -> Result<Vec<TreeEntry>, String> {
        self.base.list(dir)
    }
}
