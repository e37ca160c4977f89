//! Records the commit seamcheck is built from, for `--version` and the
//! report's run metadata: read from `.git` (HEAD, the loose ref or
//! packed-refs, a `.git` file's `gitdir:` and a worktree's `commondir`)
//! without running git. Outside a git checkout (a crates.io package, a
//! source tarball) nothing is set and the version is the plain one.

use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    println!("cargo:rerun-if-changed=build.rs");
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let long = match commit(&manifest) {
        Some(commit) => format!("{version} ({commit})"),
        None => version,
    };
    println!("cargo:rustc-env=SEAMCHECK_LONG_VERSION={long}");
}

fn read(path: &Path) -> Option<String> {
    // Rebuild when HEAD moves or the branch gets a new commit.
    println!("cargo:rerun-if-changed={}", path.display());
    let text = fs::read_to_string(path).ok()?;
    (text.len() < 1 << 24).then(|| text.trim().to_string())
}

fn git_dir(root: &Path) -> Option<PathBuf> {
    let dot = root.join(".git");
    if dot.is_dir() {
        return Some(dot);
    }
    let text = read(&dot)?;
    let target = text.strip_prefix("gitdir:")?.trim();
    Some(root.join(target))
}

fn is_commit(s: &str) -> bool {
    (s.len() == 40 || s.len() == 64) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn commit(root: &Path) -> Option<String> {
    let dir = git_dir(root)?;
    let head = read(&dir.join("HEAD"))?;
    let full = match head.strip_prefix("ref:") {
        None => head,
        Some(name) => {
            let name = name.trim();
            if name.split('/').any(|p| p == ".." || p.is_empty()) {
                return None;
            }
            let common = read(&dir.join("commondir"))
                .map(|c| dir.join(c))
                .unwrap_or_else(|| dir.clone());
            read(&dir.join(name))
                .or_else(|| read(&common.join(name)))
                .filter(|c| is_commit(c))
                .or_else(|| {
                    read(&common.join("packed-refs"))?.lines().find_map(|l| {
                        let (c, r) = l.split_once(' ')?;
                        (r.trim() == name).then(|| c.to_string())
                    })
                })?
        }
    };
    is_commit(&full).then(|| full.chars().take(12).collect())
}
