//! Report paths (relative to the audited root, `/` separators) as the model
//! compares them: plain string work, never the file system.

/// `a/b/Dockerfile` -> `a/b`; `Dockerfile` -> ``.
pub fn parent_dir(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

/// Last path component: `a/b` -> `b`.
pub fn base_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_report_paths() {
        assert_eq!(parent_dir("a/b/Dockerfile"), "a/b");
        assert_eq!(parent_dir("Dockerfile"), "");
        assert_eq!(base_name("a/b"), "b");
        assert_eq!(base_name("b"), "b");
    }
}
