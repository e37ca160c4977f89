//! A `Tree` over a directory of the repository, for tests.

use seamcheck_facts::render::{Tree, TreeEntry};
use std::path::PathBuf;

pub struct DirTree(pub PathBuf);

impl DirTree {
    /// The repository's `fixtures/helm` directory.
    pub fn fixtures() -> Self {
        DirTree(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/helm"))
    }
}

impl Tree for DirTree {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        std::fs::read(self.0.join(path)).map_err(|e| format!("{path}: {e}"))
    }

    fn list(&self, dir: &str) -> Result<Vec<TreeEntry>, String> {
        let mut out: Vec<TreeEntry> = std::fs::read_dir(self.0.join(dir))
            .map_err(|e| format!("{dir}: {e}"))?
            .filter_map(Result::ok)
            .map(|e| TreeEntry {
                name: e.file_name().to_string_lossy().into_owned(),
                is_dir: e.file_type().map(|t| t.is_dir()).unwrap_or(false),
            })
            .collect();
        out.sort();
        Ok(out)
    }
}
