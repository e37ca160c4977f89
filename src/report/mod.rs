//! Renderers: one file per output format, and the atomic file writer.

pub mod github;
pub mod gitlab;
pub mod graph;
pub mod human;
pub mod json;
pub mod markdown;
pub mod sarif;

use crate::audit::Audit;
use std::io::Write;
use std::path::Path;

/// An output format of `audit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
    Gitlab,
    Markdown,
}

impl Format {
    pub const ALL: &'static [(&'static str, Format)] = &[
        ("human", Format::Human),
        ("json", Format::Json),
        ("sarif", Format::Sarif),
        ("github", Format::Github),
        ("gitlab", Format::Gitlab),
        ("markdown", Format::Markdown),
    ];

    pub fn parse(name: &str) -> Option<Format> {
        Self::ALL.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
    }
}

/// How to render, besides the format.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// ANSI colours (human only).
    pub color: bool,
    /// Show at most this many diagnostics (human and markdown details); the
    /// summary still counts every finding.
    pub max_findings: Option<usize>,
    /// Human: only the summary.
    pub quiet: bool,
    /// List the findings hidden by suppressions and the baseline.
    pub show_suppressed: bool,
}

pub fn render(audit: &Audit, format: Format, opts: &RenderOptions) -> String {
    match format {
        Format::Human => human::render_with(audit, opts),
        Format::Json => json::render_with(audit, opts),
        Format::Sarif => sarif::render(audit, opts),
        Format::Github => github::render(audit),
        Format::Gitlab => gitlab::render(audit),
        Format::Markdown => markdown::render(audit, opts),
    }
}

/// Writes the report to `out`. The JSON report, the one that grows with the
/// repository (the services and their port chains), is serialized straight
/// into `out`: a 5,000-service report never exists as one string in memory.
pub fn write(
    audit: &Audit,
    format: Format,
    opts: &RenderOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        Format::Json => json::write_with(audit, opts, out),
        _ => out.write_all(render(audit, format, opts).as_bytes()),
    }
}

/// Writes `bytes` to `path` atomically: a temporary file beside it, then a
/// rename, so a reader (a dashboard, an uploader) never sees half a report.
/// Missing parent directories are created.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, |out| out.write_all(bytes))
}

/// [`write_atomic`] for content produced by `fill` as it is written.
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or_else(|| "report".into(), |n| n.to_string_lossy().into_owned());
    // `--report sarif=out/seamcheck.sarif` in a fresh checkout: make `out/`.
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".{name}.seamcheck-{}.tmp", std::process::id()));
    let result = std::fs::File::create(&tmp)
        .and_then(|file| {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
            fill(&mut out)?;
            out.flush()
        })
        .and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The prefix that turns a report path (relative to the audited root) into
/// a path relative to the current directory, for CI formats whose consumers
/// resolve paths against the repository checkout: `services/api/` when
/// `seamcheck audit services/api` ran from the repository root; empty when
/// the root is `.` or absolute.
pub fn ci_prefix(audit: &Audit) -> String {
    let root = audit.root.to_string_lossy().replace('\\', "/");
    let root = root.trim_start_matches("./").trim_end_matches('/');
    if root.is_empty()
        || root == "."
        || audit.root.is_absolute()
        || root.split('/').any(|part| part == "..")
    {
        return String::new();
    }
    format!("{root}/")
}

/// Counts by severity of the reported findings: (errors, warnings, notes).
pub fn counts<'a>(findings: impl IntoIterator<Item = &'a crate::finding::Finding>) -> [usize; 3] {
    use crate::finding::Severity;
    let mut c = [0; 3];
    for f in findings {
        let i = match f.severity {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Note => 2,
        };
        if let Some(n) = c.get_mut(i) {
            *n += 1;
        }
    }
    c
}

/// "3 errors", "1 warning".
pub fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}
