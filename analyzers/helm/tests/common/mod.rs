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

/// A tree with extra in-memory files over another (for archives built by
/// a test: no binary is committed).
#[allow(dead_code)]
pub struct WithFiles<T: Tree> {
    pub base: T,
    pub extra: std::collections::BTreeMap<String, Vec<u8>>,
}

impl<T: Tree> Tree for WithFiles<T> {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        match self.extra.get(path) {
            Some(b) => Ok(b.clone()),
            None => self.base.read(path),
        }
    }

    fn list(&self, dir: &str) -> Result<Vec<TreeEntry>, String> {
        let mut out = self.base.list(dir).unwrap_or_default();
        let under = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        for path in self.extra.keys() {
            let Some(rest) = path.strip_prefix(&under) else {
                continue;
            };
            let (name, is_dir) = match rest.split_once('/') {
                Some((d, _)) => (d.to_string(), true),
                None => (rest.to_string(), false),
            };
            if !out.iter().any(|e| e.name == name) {
                out.push(TreeEntry { name, is_dir });
            }
        }
        out.sort();
        Ok(out)
    }
}

/// A gzipped tar of `(path, bytes)` regular files.
#[allow(dead_code)]
pub fn tgz(files: &[(&str, &[u8])]) -> Vec<u8> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut b = tar::Builder::new(gz);
    for (path, bytes) in files {
        let mut h = tar::Header::new_gnu();
        h.set_size(bytes.len() as u64);
        h.set_mode(0o644);
        h.set_entry_type(tar::EntryType::Regular);
        // Raw names: `set_path` refuses `..`, which a hostile archive holds.
        let name = path.as_bytes();
        h.as_old_mut().name[..name.len()].copy_from_slice(name);
        h.set_cksum();
        b.append(&h, *bytes).expect("appended");
    }
    b.into_inner().expect("tar").finish().expect("gzip")
}

/// A gzipped tar holding one symbolic link `path` → `target`.
#[allow(dead_code)]
pub fn tgz_link(path: &str, target: &str) -> Vec<u8> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut b = tar::Builder::new(gz);
    let mut h = tar::Header::new_gnu();
    h.set_size(0);
    h.set_entry_type(tar::EntryType::Symlink);
    b.append_link(&mut h, path, target).expect("link");
    b.into_inner().expect("tar").finish().expect("gzip")
}
