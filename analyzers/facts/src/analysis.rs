//! What an analyzer returns for one file.

use crate::{ComposeFacts, DockerfileFacts, KubeFacts, Location, SourceFacts, Suppression};
use serde::Serialize;

/// The kind of file, decided from its name by discovery (and confirmed by the
/// analyzer: a YAML file with no Kubernetes object in it yields no facts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Dockerfile,
    KubeYaml,
    Compose,
    /// A `.env` file: compose interpolates the compose file beside it from it.
    DotEnv,
    Python,
    JavaScript,
    TypeScript,
    Go,
    Rust,
    Java,
    Kotlin,
    CSharp,
    /// Application configuration that sets ports and routes: Spring
    /// `application.properties`/`application.yml`, ASP.NET `appsettings.json`,
    /// `package.json`, `Rocket.toml`.
    AppConfig,
    /// nginx configuration (`nginx.conf`, `conf.d/*.conf`).
    Nginx,
}

impl FileKind {
    /// Application code or configuration, read by the source analyzer.
    pub fn is_source(self) -> bool {
        !matches!(
            self,
            FileKind::Dockerfile | FileKind::KubeYaml | FileKind::Compose
        )
    }
}

/// The facts of one file, by layer.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "layer", rename_all = "snake_case")]
pub enum Facts {
    Dockerfile(DockerfileFacts),
    Kube(KubeFacts),
    /// A compose file, or the `.env` file beside one (see `ComposeFacts::source`).
    Compose(ComposeFacts),
    Source(SourceFacts),
    /// The file was read but holds nothing seamcheck models (a YAML file that
    /// is not a Kubernetes object, a skipped Helm template).
    Empty,
}

/// Something the analyzer could not read. Becomes a `parse-error` finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParseProblem {
    /// Lowercase, no trailing period, e.g. "unknown instruction `FOO`".
    pub message: String,
    pub loc: Location,
}

/// Something worth telling the user that is not a problem of the file, e.g.
/// "Helm template skipped: not YAML until rendered".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkipNote {
    pub message: String,
    pub loc: Location,
}

/// Everything one analyzer learned from one file.
#[derive(Debug, Clone, Serialize)]
pub struct FileAnalysis {
    pub path: String,
    pub kind: FileKind,
    pub facts: Facts,
    pub problems: Vec<ParseProblem>,
    pub notes: Vec<SkipNote>,
    /// Inline `seamcheck: ignore[…]` directives (see `suppress`); the audit
    /// decides which findings they silence.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suppressions: Vec<Suppression>,
}

impl FileAnalysis {
    /// Read, but nothing to keep: no facts, no problem, no note and no
    /// suppression. Most files of a monorepo are such (a helper module, a
    /// YAML file that is not a Kubernetes object); an audit counts them and
    /// drops them.
    pub fn holds_nothing(&self) -> bool {
        matches!(self.facts, Facts::Empty)
            && self.problems.is_empty()
            && self.notes.is_empty()
            && self.suppressions.is_empty()
    }

    pub fn new(path: impl Into<String>, kind: FileKind, facts: Facts) -> Self {
        FileAnalysis {
            path: path.into(),
            kind,
            facts,
            problems: Vec::new(),
            notes: Vec::new(),
            suppressions: Vec::new(),
        }
    }
}

/// Decodes a file's bytes as UTF-8 text for an analyzer. Binary content (a NUL
/// byte) and invalid UTF-8 become a `ParseProblem` located at the first bad
/// byte, so a binary file named `Dockerfile` is reported, not parsed.
pub fn decode_text<'a>(path: &str, bytes: &'a [u8]) -> Result<&'a str, ParseProblem> {
    if let Some(pos) = memchr::memchr(0, bytes) {
        return Err(problem_at_byte(
            path,
            bytes,
            pos,
            "binary content (NUL byte)",
        ));
    }
    std::str::from_utf8(bytes)
        .map_err(|e| problem_at_byte(path, bytes, e.valid_up_to(), "not valid UTF-8 text"))
}

fn problem_at_byte(path: &str, bytes: &[u8], pos: usize, what: &str) -> ParseProblem {
    // Only the valid prefix can be indexed as text; the bad byte follows it.
    let valid = std::str::from_utf8(&bytes[..pos.min(bytes.len())]).unwrap_or("");
    let index = crate::LineIndex::new(path, valid);
    let mut loc = index.location(valid.len()..valid.len());
    loc.span = crate::Span::new(pos, (pos + 1).min(bytes.len()));
    ParseProblem {
        message: format!("{what} at byte {pos}"),
        loc,
    }
}
