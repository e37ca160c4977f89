//! The audited root's git commit and branch, for the report's run metadata,
//! read from `.git` without running git (nothing of the repository is ever
//! executed): `HEAD`, then the loose ref or `packed-refs`.
//!
//! Every read goes through `input::Origin` below the audited root (no link
//! followed, a regular file, size-capped). A `.git` *file* (`gitdir: …`, as
//! worktrees and submodules have) is followed only when the directory it
//! names stays inside the root; otherwise the commit is left out.

use crate::input::{Base, Origin};
use std::path::{Component, Path, PathBuf};

/// `HEAD`, a loose ref, a `.git` file: a few hundred bytes.
const MAX_SMALL: u64 = 4096;
/// `packed-refs` can list every tag of a large repository.
const MAX_PACKED_REFS: u64 = 16 * 1024 * 1024;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GitHead {
    /// The commit checked out (40 or 64 hex digits).
    pub commit: Option<String>,
    /// The branch, when HEAD names one (`main`, not `refs/heads/main`).
    pub branch: Option<String>,
}

/// The commit and branch of the repository whose `.git` is in `root`, or
/// `None` when there is none or it cannot be read safely.
pub fn read_head(root: &Path) -> Option<GitHead> {
    let base = Base::new(root.to_path_buf());
    let read = |inner: &Path, max: u64| -> Option<String> {
        let origin = Origin {
            base: std::sync::Arc::clone(&base),
            inner: inner.to_path_buf(),
        };
        String::from_utf8(origin.read(max).ok()?).ok()
    };
    let git_dir = git_dir(root, &read)?;
    let head = read(&git_dir.join("HEAD"), MAX_SMALL)?;
    let head = head.trim();
    if let Some(name) = head.strip_prefix("ref:") {
        let name = name.trim();
        if !is_safe_ref(name) {
            return None;
        }
        // A worktree's refs live in the common directory it names.
        let common = read(&git_dir.join("commondir"), MAX_SMALL)
            .and_then(|c| inside(&git_dir, c.trim()))
            .unwrap_or_else(|| git_dir.clone());
        let commit = read(&git_dir.join(name), MAX_SMALL)
            .or_else(|| read(&common.join(name), MAX_SMALL))
            .map(|s| s.trim().to_string())
            .filter(|c| is_commit(c))
            .or_else(|| {
                let packed = read(&common.join("packed-refs"), MAX_PACKED_REFS)?;
                packed_ref(&packed, name)
            });
        return Some(GitHead {
            commit,
            branch: Some(name.strip_prefix("refs/heads/").unwrap_or(name).to_string()),
        });
    }
    is_commit(head).then(|| GitHead {
        commit: Some(head.to_string()),
        branch: None,
    })
}

/// `.git` as a directory, or the directory a `.git` file names when it is
/// inside the root; relative to the root.
fn git_dir(root: &Path, read: &impl Fn(&Path, u64) -> Option<String>) -> Option<PathBuf> {
    let dot_git = Path::new(".git");
    let meta = std::fs::symlink_metadata(root.join(dot_git)).ok()?;
    if meta.is_dir() {
        return Some(dot_git.to_path_buf());
    }
    if !meta.is_file() {
        return None;
    }
    let text = read(dot_git, MAX_SMALL)?;
    let target = text.lines().next()?.strip_prefix("gitdir:")?.trim();
    inside(Path::new(""), target)
}

/// `rel` joined to `from`, when the result stays inside the root (relative,
/// no component leaving it). An absolute path never does: it would be
/// compared with the root's own absolute path, and links there are not ours.
fn inside(from: &Path, rel: &str) -> Option<PathBuf> {
    let rel = Path::new(rel);
    if rel.is_absolute() {
        return None;
    }
    let mut out: Vec<Component<'_>> = from.components().collect();
    for c in rel.components() {
        match c {
            Component::Normal(_) => out.push(c),
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop()?;
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    let path: PathBuf = out.iter().collect();
    (!path.as_os_str().is_empty()).then_some(path)
}

/// A ref name safe to join to a path: `refs/…`, plain components only.
fn is_safe_ref(name: &str) -> bool {
    name.starts_with("refs/")
        && name.len() < 256
        && name.split('/').all(|part| {
            !part.is_empty()
                && part != "."
                && part != ".."
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./+@".contains(c))
        })
}

fn is_commit(s: &str) -> bool {
    (s.len() == 40 || s.len() == 64) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The commit `packed-refs` records for `name`.
fn packed_ref(packed: &str, name: &str) -> Option<String> {
    packed.lines().find_map(|line| {
        let (commit, r) = line.split_once(' ')?;
        (r.trim() == name && is_commit(commit)).then(|| commit.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const C1: &str = "0123456789abcdef0123456789abcdef01234567";
    const C2: &str = "89abcdef0123456789abcdef0123456789abcdef";

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        assert!(std::fs::create_dir_all(p.parent().unwrap_or(root)).is_ok());
        assert!(std::fs::write(p, text).is_ok());
    }

    #[test]
    fn loose_packed_and_detached_heads() {
        let Ok(dir) = tempfile::tempdir() else { return };
        let root = dir.path();
        write(root, ".git/HEAD", "ref: refs/heads/main\n");
        write(root, ".git/refs/heads/main", &format!("{C1}\n"));
        let head = read_head(root);
        assert_eq!(
            head,
            Some(GitHead {
                commit: Some(C1.into()),
                branch: Some("main".into())
            })
        );
        write(root, ".git/HEAD", "ref: refs/heads/feature/x\n");
        write(
            root,
            ".git/packed-refs",
            &format!("# pack-refs with: peeled\n{C2} refs/heads/feature/x\n"),
        );
        assert_eq!(read_head(root).and_then(|h| h.commit), Some(C2.to_string()));
        write(root, ".git/HEAD", &format!("{C2}\n"));
        assert_eq!(
            read_head(root),
            Some(GitHead {
                commit: Some(C2.into()),
                branch: None
            })
        );
    }

    #[test]
    fn a_git_file_is_followed_only_inside_the_root() {
        let Ok(dir) = tempfile::tempdir() else { return };
        let root = dir.path().join("repo");
        write(&root, ".git", "gitdir: ../outside/.git\n");
        write(dir.path(), "outside/.git/HEAD", &format!("{C1}\n"));
        assert_eq!(read_head(&root), None);
        write(&root, ".git", "gitdir: meta/git\n");
        write(&root, "meta/git/HEAD", &format!("{C1}\n"));
        assert_eq!(
            read_head(&root).and_then(|h| h.commit),
            Some(C1.to_string())
        );
        write(&root, "meta/git/HEAD", "ref: refs/../../../etc/passwd\n");
        assert_eq!(read_head(&root), None);
    }
}
