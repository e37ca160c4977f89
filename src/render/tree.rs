//! The audited root as a renderer sees it: reads confined to the root, no
//! symbolic link followed (not even inside the root: a renderer names paths
//! the chart or kustomization wrote, which the walk never vetted), regular
//! files only, each at most the `--max-file-size` cap the analysis uses.

use seamcheck_facts::render::{Tree, TreeEntry};
use std::path::{Path, PathBuf};

pub struct RootTree {
    root: PathBuf,
    max_size: u64,
}

impl RootTree {
    pub fn new(root: &Path, max_size: u64) -> Self {
        RootTree {
            root: root.to_path_buf(),
            max_size,
        }
    }

    /// The real path of `rel`, if it is a plain relative path none of whose
    /// components is a symbolic link. `""` is the root itself.
    fn confined(&self, rel: &str) -> Result<PathBuf, String> {
        let mut path = self.root.clone();
        if rel.is_empty() {
            return Ok(path);
        }
        for part in rel.split('/') {
            if part.is_empty() || part == "." || part == ".." || part.contains('\\') {
                return Err(format!(
                    "`{rel}` is not a path inside the audited directory"
                ));
            }
            path.push(part);
            let meta = std::fs::symlink_metadata(&path)
                .map_err(|e| format!("cannot read `{rel}`: {e}"))?;
            if meta.file_type().is_symlink() {
                return Err(format!("`{rel}` is a symbolic link, not followed"));
            }
        }
        Ok(path)
    }
}

impl Tree for RootTree {
    fn read(&self, rel: &str) -> Result<Vec<u8>, String> {
        let path = self.confined(rel)?;
        crate::analyze::read_file_capped(&path, self.max_size)
            .map_err(|reason| format!("`{rel}`: {reason}"))
    }

    fn list(&self, dir: &str) -> Result<Vec<TreeEntry>, String> {
        let path = self.confined(dir)?;
        let entries = std::fs::read_dir(&path).map_err(|e| format!("cannot list `{dir}`: {e}"))?;
        let mut out = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| format!("cannot list `{dir}`: {e}"))?;
            // `file_type` does not follow links: a link is neither a file
            // nor a directory here, and is left out.
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if !(kind.is_file() || kind.is_dir()) {
                continue;
            }
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            out.push(TreeEntry {
                name,
                is_dir: kind.is_dir(),
            });
        }
        out.sort();
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_stay_inside_the_root_and_follow_no_link() {
        let Ok(dir) = tempfile::tempdir() else { return };
        let root = dir.path().join("root");
        assert!(std::fs::create_dir_all(root.join("chart/templates")).is_ok());
        assert!(std::fs::write(root.join("chart/values.yaml"), "port: 80\n").is_ok());
        assert!(std::fs::write(dir.path().join("secret"), "outside\n").is_ok());
        let tree = RootTree::new(&root, 4);
        assert!(tree.read("chart/values.yaml").is_err(), "over the cap");
        let tree = RootTree::new(&root, 100);
        assert_eq!(
            tree.read("chart/values.yaml").ok(),
            Some(b"port: 80\n".to_vec())
        );
        assert!(tree.read("../secret").is_err());
        assert!(tree.read("/etc/passwd").is_err());
        assert!(tree.read("chart/./values.yaml").is_err());
        assert!(tree.read("chart").is_err(), "a directory is not a file");
        let names: Vec<_> = tree.list("chart").unwrap_or_default();
        assert_eq!(
            names,
            [
                TreeEntry {
                    name: "templates".into(),
                    is_dir: true
                },
                TreeEntry {
                    name: "values.yaml".into(),
                    is_dir: false
                },
            ]
        );
        #[cfg(unix)]
        {
            let link = root.join("chart/leak.yaml");
            assert!(std::os::unix::fs::symlink(dir.path().join("secret"), &link).is_ok());
            assert!(tree.read("chart/leak.yaml").is_err());
            let inner = root.join("inner");
            assert!(std::os::unix::fs::symlink(root.join("chart"), &inner).is_ok());
            assert!(tree.read("inner/values.yaml").is_err());
            let listed = tree.list("chart").unwrap_or_default();
            assert!(listed.iter().all(|e| e.name != "leak.yaml"));
        }
    }
}
