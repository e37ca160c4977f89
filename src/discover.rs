//! Finds the files to audit: a parallel, gitignore-aware walk (the `ignore`
//! crate, as ripgrep), classified by name. Nothing is read here beyond
//! directory listings and one `stat` per classified file; contents are read
//! once, by `analyze`.
//!
//! Symbolic links are never followed: a link inside the audited directory
//! needs no following (its target is audited at its own path), a link out of
//! it or into a loop is reported as a skipped-file note.

use seamcheck_facts::render::{Unit, UnitKind};
use seamcheck_facts::FileKind;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Files larger than this are skipped with a note: no real manifest, Dockerfile
/// or handler file is this big, and reading a 1 GiB file would dominate the run.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 4 * 1024 * 1024;

/// Directories that never hold the service's own configuration: version
/// control, dependencies, caches and build output. (`build/` is not among
/// them: Go projects keep their Dockerfiles in `build/package/`.)
const SKIPPED_DIRS: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    "bower_components",
    "vendor",
    "target",
    "dist",
    ".next",
    ".nuxt",
    ".svelte-kit",
    ".gradle",
    ".terraform",
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
    /// The size cap: `analyze` skips a larger file with a note, and reads at
    /// most this many bytes of one that grows while it is being read.
    pub max_size: u64,
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
    /// Directories rendered as a whole (charts, kustomizations), sorted.
    pub units: Vec<Unit>,
}

/// The kind of unit a file's name marks its directory as: `Chart.yaml`
/// makes a Helm chart, `kustomization.yaml` (`.yml`, `Kustomization`) a
/// kustomization.
pub fn unit_marker(name: &str) -> Option<UnitKind> {
    match name {
        "Chart.yaml" => Some(UnitKind::HelmChart),
        "kustomization.yaml" | "kustomization.yml" | "Kustomization" => {
            Some(UnitKind::Kustomization)
        }
        _ => None,
    }
}

/// The unit whose marker file is at `rel` (relative to the root).
pub fn unit_at(rel: &str, kind: UnitKind) -> Unit {
    unit_in(rel.rsplit_once('/').map_or("", |(dir, _)| dir), kind)
}

/// The unit of kind `kind` in directory `dir` (relative to the root).
pub fn unit_in(dir: &str, kind: UnitKind) -> Unit {
    let context = match dir.rsplit('/').next() {
        Some(name) if !name.is_empty() => name,
        _ => ".",
    };
    Unit {
        kind,
        dir: dir.to_string(),
        context: context.to_string(),
    }
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
    // Compose reads `.env` beside the compose file for `${VAR}` interpolation.
    if name == ".env" {
        return Some(FileKind::DotEnv);
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

/// What a file's name alone tells of its kind.
#[derive(Debug, PartialEq, Eq)]
enum ByName {
    /// The kind wherever the file is: [`classify`] of its path says the same.
    Kind(FileKind),
    /// Only the path can tell (nginx's `*.conf` in an nginx or conf.d directory).
    NeedsPath,
    /// No known kind, wherever it is.
    Nothing,
}

fn classify_by_name(name: &str) -> ByName {
    if let Some(kind) = classify(name) {
        return ByName::Kind(kind);
    }
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".conf") || lower.ends_with(".conf.template") {
        ByName::NeedsPath
    } else {
        ByName::Nothing
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

/// Where the walk hands what it finds, from several threads at once.
pub trait Found: Sync {
    fn file(&self, candidate: Candidate);
    fn skipped(&self, skipped: Skipped);
    /// A directory to render as a whole; `marker` is the file that makes
    /// it one (its report path, for the `[paths] exclude` check).
    fn unit(&self, unit: Unit, marker: &str);
}

impl Found for Mutex<Discovery> {
    fn file(&self, candidate: Candidate) {
        self.lock()
            .unwrap_or_else(|e| e.into_inner())
            .files
            .push(candidate);
    }

    fn skipped(&self, skipped: Skipped) {
        self.lock()
            .unwrap_or_else(|e| e.into_inner())
            .skipped
            .push(skipped);
    }

    fn unit(&self, unit: Unit, _marker: &str) {
        self.lock()
            .unwrap_or_else(|e| e.into_inner())
            .units
            .push(unit);
    }
}

/// Walks `paths` (files or directories) below `root`, handing each file of a
/// known kind and each skipped one to `out` as the walker's threads find
/// them, in no particular order. The same file may come twice when `paths`
/// overlap.
pub fn discover_into(root: &Path, paths: &[PathBuf], max_size: u64, out: &dyn Found) {
    for path in paths {
        walk_one(root, path, max_size, out);
    }
}

/// Walks `paths` (files or directories) below `root`. The result is sorted
/// by path, whatever order the walker's threads saw the files in.
pub fn discover(root: &Path, paths: &[PathBuf], max_size: u64) -> Discovery {
    let out = Mutex::new(Discovery::default());
    discover_into(root, paths, max_size, &out);
    let mut out = out.into_inner().unwrap_or_else(|e| e.into_inner());
    out.files.sort_by(|a, b| a.rel.cmp(&b.rel));
    out.files.dedup_by(|a, b| a.rel == b.rel);
    out.skipped
        .sort_by(|a, b| (&a.rel, &a.reason).cmp(&(&b.rel, &b.reason)));
    out.skipped
        .dedup_by(|a, b| a.rel == b.rel && a.reason == b.reason);
    out.units.sort();
    out.units.dedup();
    out
}

/// One audited path: where to walk, and how to name what is found there.
struct WalkRoot {
    /// The directory or file walked (a symbolic link named on the command line
    /// is resolved: the user asked for it explicitly).
    walk: PathBuf,
    /// `walk` with every link resolved: the boundary links may not leave.
    boundary: Option<PathBuf>,
    /// The report path of `walk` itself, relative to the audit root.
    prefix: String,
}

impl WalkRoot {
    fn new(root: &Path, path: &Path) -> Self {
        let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        let boundary = path.canonicalize().ok();
        let walk = match (&boundary, is_link) {
            (Some(target), true) => target.clone(),
            _ => path.to_path_buf(),
        };
        let prefix = if path == root {
            String::new()
        } else {
            relative(root, path)
        };
        WalkRoot {
            walk,
            boundary,
            prefix,
        }
    }

    /// The report path of `path`, found below `self.walk`.
    fn rel(&self, path: &Path) -> String {
        let inner = path.strip_prefix(&self.walk).map_or_else(
            |_| relative(Path::new(""), path),
            |p| relative(Path::new(""), p),
        );
        match (self.prefix.is_empty(), inner.is_empty()) {
            (true, _) => inner,
            (false, true) => self.prefix.clone(),
            (false, false) => format!("{}/{inner}", self.prefix),
        }
    }
}

fn walk_one(root: &Path, path: &Path, max_size: u64, out: &dyn Found) {
    let wr = WalkRoot::new(root, path);
    let mut builder = ignore::WalkBuilder::new(&wr.walk);
    builder
        .follow_links(false)
        .hidden(false)
        .git_global(false)
        .require_git(false)
        .filter_entry(|e| {
            !(e.depth() > 0
                && e.file_type().is_some_and(|t| t.is_dir())
                && SKIPPED_DIRS.contains(&e.file_name().to_string_lossy().as_ref()))
        });
    builder.build_parallel().run(|| {
        let wr = &wr;
        Box::new(move |entry| {
            match entry {
                Ok(entry) => visit(wr, max_size, &entry, out),
                Err(err) => push_skipped(
                    out,
                    Skipped {
                        rel: error_path(&err, wr),
                        reason: format!("cannot read: {}", first_line(&err.to_string())),
                    },
                ),
            }
            ignore::WalkState::Continue
        })
    });
}

fn visit(wr: &WalkRoot, max_size: u64, entry: &ignore::DirEntry, out: &dyn Found) {
    let Some(ft) = entry.file_type() else {
        return;
    };
    if ft.is_symlink() {
        if let Some(reason) = symlink_note(wr, entry.path()) {
            push_skipped(
                out,
                Skipped {
                    rel: wr.rel(entry.path()),
                    reason,
                },
            );
        }
        return;
    }
    if !ft.is_file() {
        return;
    }
    let name = entry.file_name().to_string_lossy();
    if let Some(kind) = unit_marker(&name) {
        let rel = wr.rel(entry.path());
        out.unit(unit_at(&rel, kind), &rel);
    }
    // Most files of a repository are of no known kind (docs, assets): tell
    // by the name alone before building the report path.
    let by_name = classify_by_name(&name);
    if by_name == ByName::Nothing {
        return;
    }
    let rel = wr.rel(entry.path());
    let kind = match by_name {
        ByName::Kind(kind) => kind,
        _ => match classify(&rel) {
            Some(kind) => kind,
            None => return,
        },
    };
    // No `stat` here: `analyze` checks the size on the open file, the only
    // check that cannot race with the file changing after the walk.
    let candidate = Candidate {
        rel,
        abs: entry.path().to_path_buf(),
        kind,
        max_size,
    };
    out.file(candidate);
}

/// Why a symbolic link deserves a note, if it does. A link that stays inside
/// the audited directory needs none: its target is audited at its own path.
fn symlink_note(wr: &WalkRoot, link: &Path) -> Option<String> {
    let named = || classify(&wr.rel(link)).is_some();
    match link.canonicalize() {
        Err(err) if is_loop(&err) => Some("symbolic link loop, not followed".to_string()),
        Err(_) => named().then(|| "broken symbolic link".to_string()),
        Ok(target) => {
            let inside = wr.boundary.as_ref().is_some_and(|b| target.starts_with(b));
            let encloses = target.is_dir()
                && link
                    .parent()
                    .and_then(|p| p.canonicalize().ok())
                    .is_some_and(|dir| dir.starts_with(&target));
            if encloses {
                Some("symbolic link to an enclosing directory (a loop), not followed".to_string())
            } else if inside {
                None
            } else if target.is_dir() || named() {
                Some(
                    "symbolic link to a path outside the audited directory, not followed"
                        .to_string(),
                )
            } else {
                None
            }
        }
    }
}

/// ELOOP: too many levels of symbolic links.
fn is_loop(err: &std::io::Error) -> bool {
    let eloop = if cfg!(any(
        target_os = "macos",
        target_os = "ios",
        target_os = "freebsd"
    )) {
        62
    } else {
        40
    };
    cfg!(unix) && err.raw_os_error() == Some(eloop)
}

fn push_skipped(out: &dyn Found, s: Skipped) {
    out.skipped(s);
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

fn error_path(err: &ignore::Error, wr: &WalkRoot) -> String {
    match err {
        ignore::Error::WithPath { path, .. } => wr.rel(path),
        ignore::Error::Loop { child, .. } => wr.rel(child),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err, wr)
        }
        _ => wr.rel(&wr.walk),
    }
}

/// `root/a/b` -> `a/b`, with `/` separators whatever the platform.
/// `a/b/c`: no root, no `.` or `..` or empty component, no backslash.
fn is_plain_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\\')
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    // The common case, a plain relative path in UTF-8, as it is.
    if let Some(plain) = rel.to_str().filter(|r| is_plain_relative(r)) {
        return plain.to_string();
    }
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
    fn the_name_alone_tells_what_cannot_be_classified() {
        for name in ["README.md", "logo.png", "go.sum", "Makefile"] {
            assert_eq!(classify_by_name(name), ByName::Nothing, "{name}");
        }
        assert_eq!(
            classify_by_name("Dockerfile"),
            ByName::Kind(FileKind::Dockerfile)
        );
        assert_eq!(classify_by_name("app.py"), ByName::Kind(FileKind::Python));
        assert_eq!(
            classify_by_name("deploy.yaml"),
            ByName::Kind(FileKind::KubeYaml)
        );
        assert_eq!(
            classify_by_name("nginx.conf"),
            ByName::Kind(FileKind::Nginx)
        );
        // `default.conf` is nginx's only in an nginx or conf.d directory.
        assert_eq!(classify_by_name("default.conf"), ByName::NeedsPath);
        assert_eq!(
            classify("etc/nginx/conf.d/default.conf"),
            Some(FileKind::Nginx)
        );
    }

    #[test]
    fn charts_and_kustomizations_are_units() {
        assert_eq!(unit_marker("Chart.yaml"), Some(UnitKind::HelmChart));
        assert_eq!(unit_marker("Kustomization"), Some(UnitKind::Kustomization));
        assert_eq!(unit_marker("chart.yaml"), None);
        let unit = unit_at("deploy/charts/web/Chart.yaml", UnitKind::HelmChart);
        assert_eq!(
            (unit.dir.as_str(), unit.context.as_str()),
            ("deploy/charts/web", "web")
        );
        let root = unit_at("kustomization.yml", UnitKind::Kustomization);
        assert_eq!((root.dir.as_str(), root.context.as_str()), ("", "."));
    }

    #[test]
    fn relative_paths_are_normalized() {
        let root = Path::new("/repo");
        for (path, rel) in [
            ("/repo/svc/app.py", "svc/app.py"),
            ("/repo/./svc//app.py", "svc/app.py"),
            ("svc/../app.py", "svc/app.py"),
            ("/repo", ""),
        ] {
            assert_eq!(relative(root, Path::new(path)), rel, "{path}");
        }
    }

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

    #[test]
    fn report_paths_are_relative_to_the_root() {
        let wr = WalkRoot::new(Path::new("repo"), Path::new("repo"));
        assert_eq!(wr.rel(Path::new("repo/k8s/a.yaml")), "k8s/a.yaml");
        assert_eq!(wr.rel(Path::new("repo")), "");
        let wr = WalkRoot::new(Path::new("."), Path::new("svc"));
        assert_eq!(wr.rel(Path::new("svc/Dockerfile")), "svc/Dockerfile");
    }
}
