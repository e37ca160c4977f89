//! Renderers: one file per output format, and the atomic file writer.

pub mod dashboard;
pub mod git;
pub mod github;
pub mod gitlab;
pub mod graph;
pub mod html;
pub mod human;
pub mod json;
pub mod layout;
pub mod markdown;
pub mod sarif;
pub mod summary;
pub mod write;

/// Escaping lives below the report (`crate::escape`); its old path stays.
pub use crate::escape;

use crate::audit::Audit;
use std::io::Write;

/// An output format of `audit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
    Gitlab,
    Markdown,
    Html,
}

impl Format {
    pub const ALL: &'static [(&'static str, Format)] = &[
        ("human", Format::Human),
        ("json", Format::Json),
        ("sarif", Format::Sarif),
        ("github", Format::Github),
        ("gitlab", Format::Gitlab),
        ("markdown", Format::Markdown),
        ("html", Format::Html),
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
    /// Human: how diagnostics are grouped; with an explicit grouping,
    /// `max_findings` caps each group.
    pub group_by: Option<layout::GroupBy>,
    /// Human: the tables and the summary, no diagnostics.
    pub summary: bool,
}

pub fn render(audit: &Audit, format: Format, opts: &RenderOptions) -> String {
    match format {
        Format::Human => human::render_with(audit, opts),
        Format::Json => json::render_with(audit, opts),
        Format::Sarif => sarif::render(audit, opts),
        Format::Github => github::render(audit),
        Format::Gitlab => gitlab::render(audit),
        Format::Markdown => markdown::render(audit, opts),
        Format::Html => html::render(audit, opts),
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

pub use write::{write_atomic, write_atomic_with};

/// The prefix that turns a report path (relative to the audited root) into
/// a path relative to the current directory, for CI formats whose consumers
/// resolve paths against the repository checkout: `services/api/` when
/// `seamcheck audit services/api` ran from the repository root; empty when
/// the root is `.` or absolute.
pub fn ci_prefix(audit: &Audit) -> String {
    // Escaped as report paths are (`path_text`), never lossily.
    let root = crate::discover::relative(std::path::Path::new(""), &audit.root);
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
