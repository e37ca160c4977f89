//! Finds the files to audit: a gitignore-aware walk, classified by name.

use seamcheck_facts::FileKind;
use std::path::{Path, PathBuf};

/// Files larger than this are skipped with a note: no real manifest, Dockerfile
/// or handler file is this big, and reading a 1 GiB file would dominate the run.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 4 * 1024 * 1024;

/// Directories that never hold the service's own configuration.
const SKIPPED_DIRS: &[&str] = &[
    ".git",
    "node_modules",
    "vendor",
    "target",
    "__pycache__",
    ".venv",
    "venv",
    ".tox",
    ".mypy_cache",
    ".pytest_cache",
];

#[derive(Debug, Clone)]
pub struct Candidate {
    /// Relative to the root, `/`-separated.
    pub rel: String,
    pub abs: PathBuf,
    pub kind: FileKind,
}

#[derive(Debug, Clone)]
pub struct Skipped {
    pub rel: String,
    pub reason: String,
}

#[derive(Debug, Default)]
pub struct Discovery {
    pub files: Vec<Candidate>,
    pub skipped: Vec<Skipped>,
}

/// Classifies a file by its name alone; `None` for files seamcheck does not read.
pub fn classify(rel: &str) -> Option<FileKind> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".dockerignore") {
        return None;
    }
    if name == "Dockerfile"
        || name == "Containerfile"
        || lower.ends_with(".dockerfile")
        || lower.ends_with(".containerfile")
        || name.starts_with("Dockerfile.")
        || name.starts_with("Containerfile.")
    {
        return Some(FileKind::Dockerfile);
    }
    if is_app_config(&lower) {
        return Some(FileKind::AppConfig);
    }
    if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        // Compose files get their own analyzer; they are not Kubernetes objects.
        if is_compose_name(&lower) {
            return Some(FileKind::Compose);
        }
        return Some(FileKind::KubeYaml);
    }
    if is_nginx_conf(rel, &lower) {
        return Some(FileKind::Nginx);
    }
    let ext = lower.rsplit_once('.').map_or("", |(_, e)| e);
    match ext {
        "py" => Some(FileKind::Python),
        "js" | "mjs" | "cjs" | "jsx" => Some(FileKind::JavaScript),
        "ts" | "tsx" | "mts" | "cts" if !lower.ends_with(".d.ts") => Some(FileKind::TypeScript),
        "go" => Some(FileKind::Go),
        "rs" => Some(FileKind::Rust),
        "java" => Some(FileKind::Java),
        "kt" => Some(FileKind::Kotlin),
        "cs" => Some(FileKind::CSharp),
        _ => None,
    }
}

/// Framework configuration that decides ports and routes.
fn is_app_config(lower: &str) -> bool {
    let spring = (lower.starts_with("application") || lower.starts_with("bootstrap"))
        && [".properties", ".yml", ".yaml"]
            .iter()
            .any(|e| lower.ends_with(e));
    let dotnet = lower == "launchsettings.json"
        || (lower.starts_with("appsettings") && lower.ends_with(".json"));
    spring || dotnet || lower == "package.json" || lower == "rocket.toml"
}

/// `nginx.conf`, and `*.conf` / `*.conf.template` in an nginx or `conf.d` directory.
fn is_nginx_conf(rel: &str, lower: &str) -> bool {
    if lower == "nginx.conf" || lower == "nginx.conf.template" {
        return true;
    }
    let conf = lower.ends_with(".conf") || lower.ends_with(".conf.template");
    let dir = rel.to_ascii_lowercase();
    conf && (dir.contains("nginx") || dir.contains("conf.d/"))
}

fn is_compose_name(lower: &str) -> bool {
    lower == "compose.yaml"
        || lower == "compose.yml"
        || (lower.starts_with("docker-compose")
            && (lower.ends_with(".yml") || lower.ends_with(".yaml")))
        || (lower.starts_with("compose.") && (lower.ends_with(".yml") || lower.ends_with(".yaml")))
}

/// Walks `paths` (files or directories) below `root`.
pub fn discover(root: &Path, paths: &[PathBuf], max_size: u64) -> Discovery {
    let mut out = Discovery::default();
    for path in paths {
        let mut builder = ignore::WalkBuilder::new(path);
        builder
            .follow_links(false)
            .hidden(false)
            .git_global(false)
            .require_git(false)
            .filter_entry(|e| {
                !(e.file_type().is_some_and(|t| t.is_dir())
                    && e.depth() > 0
                    && SKIPPED_DIRS.contains(&e.file_name().to_string_lossy().as_ref()))
            });
        for entry in builder.build() {
            let entry = match entry {
                Ok(e) => e,
                Err(err) => {
                    out.skipped.push(Skipped {
                        rel: error_path(&err, root),
                        reason: format!("cannot read: {}", first_line(&err.to_string())),
                    });
                    continue;
                }
            };
            let Some(ft) = entry.file_type() else {
                continue;
            };
            let rel = relative(root, entry.path());
            if ft.is_symlink() {
                if classify(&rel).is_some() {
                    out.skipped.push(Skipped {
                        rel,
                        reason: "symbolic link not followed".to_string(),
                    });
                }
                continue;
            }
            if !ft.is_file() {
                continue;
            }
            let Some(kind) = classify(&rel) else { continue };
            match entry.metadata() {
                Ok(m) if m.len() > max_size => out.skipped.push(Skipped {
                    rel,
                    reason: format!("{} bytes, larger than the {max_size}-byte limit", m.len()),
                }),
                Ok(_) => out.files.push(Candidate {
                    rel,
                    abs: entry.path().to_path_buf(),
                    kind,
                }),
                Err(err) => out.skipped.push(Skipped {
                    rel,
                    reason: format!("cannot read: {err}"),
                }),
            }
        }
    }
    out.files.sort_by(|a, b| a.rel.cmp(&b.rel));
    out.files.dedup_by(|a, b| a.rel == b.rel);
    out.skipped.sort_by(|a, b| a.rel.cmp(&b.rel));
    out
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

fn error_path(err: &ignore::Error, root: &Path) -> String {
    match err {
        ignore::Error::WithPath { path, .. } => relative(root, path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err, root)
        }
        _ => ".".to_string(),
    }
}

/// `root/a/b` -> `a/b`, with `/` separators whatever the platform.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    if parts.is_empty() {
        rel.to_string_lossy().replace('\\', "/")
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_name() {
        assert_eq!(classify("Dockerfile"), Some(FileKind::Dockerfile));
        assert_eq!(classify("svc/api.Dockerfile"), Some(FileKind::Dockerfile));
        assert_eq!(classify("Dockerfile.prod"), Some(FileKind::Dockerfile));
        assert_eq!(classify("Containerfile"), Some(FileKind::Dockerfile));
        assert_eq!(classify("Dockerfile.dockerignore"), None);
        assert_eq!(classify("k8s/deploy.yaml"), Some(FileKind::KubeYaml));
        assert_eq!(classify("docker-compose.prod.yml"), Some(FileKind::Compose));
        assert_eq!(classify("compose.yaml"), Some(FileKind::Compose));
        assert_eq!(classify("app/main.py"), Some(FileKind::Python));
        assert_eq!(classify("README.md"), None);
        assert_eq!(
            classify("src/main/resources/application.yml"),
            Some(FileKind::AppConfig)
        );
        assert_eq!(
            classify("appsettings.Production.json"),
            Some(FileKind::AppConfig)
        );
        assert_eq!(classify("web/package.json"), Some(FileKind::AppConfig));
        assert_eq!(classify("nginx/default.conf"), Some(FileKind::Nginx));
        assert_eq!(classify("etc/sysctl.conf"), None);
        assert_eq!(classify("src/index.d.ts"), None);
        assert_eq!(classify("src/server.ts"), Some(FileKind::TypeScript));
        assert_eq!(classify("cmd/api/main.go"), Some(FileKind::Go));
    }
}
