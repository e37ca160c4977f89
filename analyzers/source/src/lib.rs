//! seamcheck analyzer for application source code.
//!
//! Turns one source file into [`SourceFacts`]: the web application objects it
//! creates, the server it starts and where that listens, its HTTP routes with
//! the statuses their handlers answer, and blocking sleeps inside handlers.
//!
//! Each language is one folder behind [`LanguageAnalyzer`], registered by one
//! descriptor in [`registry::LANGUAGES`] (extensions, sniff words, comment
//! syntax, runtime); [`analyze`] picks the language from the file name.
//! Knowledge several languages share (HTTP status names, fault-injection
//! guard words, the JVM walks) lives in `common/`.

mod common;
mod dotnet;
mod go;
mod java;
mod javascript;
mod kotlin;
mod nginx;
mod python;
pub mod registry;
mod rust;
mod treesitter;
mod words;

pub use registry::{language_of, Language, LANGUAGES};
use seamcheck_facts::suppress::CommentSyntax;
use seamcheck_facts::{
    decode_text, Facts, FileAnalysis, FileKind, LineIndex, ParseProblem, SkipNote, SourceFacts,
};
pub use words::Sniff;

pub use dotnet::{appsettings::AppSettingsAnalyzer, CSharpAnalyzer};
pub use go::GoAnalyzer;
pub use java::{config::JvmConfigAnalyzer, JavaAnalyzer};
pub use javascript::{JavaScriptAnalyzer, PackageJsonAnalyzer, TypeScriptAnalyzer};
pub use kotlin::KotlinAnalyzer;
pub use nginx::NginxAnalyzer;
pub use python::PythonAnalyzer;
pub use rust::{RocketTomlAnalyzer, RustAnalyzer};

/// What a language module learned from one file.
#[derive(Debug, Default)]
pub struct LanguageOutput {
    /// `None` when the file holds nothing this analyzer models (for Python: it
    /// mentions no web framework or server, so it is not even parsed).
    pub facts: Option<SourceFacts>,
    pub problems: Vec<ParseProblem>,
    pub notes: Vec<SkipNote>,
}

/// One language of application source. Implementations never panic on input:
/// whatever they cannot read becomes a problem, and the rest is still returned.
pub trait LanguageAnalyzer: Sync {
    /// The `SourceFacts::language` value (`python`).
    fn language(&self) -> &'static str;
    /// The `FileKind` of files this analyzer reads.
    fn kind(&self) -> FileKind;
    /// Whether this analyzer reads the file of this name (lower case, no
    /// directory): configuration files are known by name
    /// (`application-prod.yml`, `appsettings.json`). Name matches win over a
    /// language's extensions (`registry::LANGUAGES`), so `.json`/`.yml` can
    /// have several readers.
    fn reads_file_name(&self, lower_file_name: &str) -> bool {
        let _ = lower_file_name;
        false
    }
    /// A cheap test of the text before anything else: `false` when the file
    /// mentions nothing this analyzer models, and then it is neither indexed
    /// nor parsed. For a language, its descriptor's `sniff` words decide
    /// instead; the default (every file) suits configuration readers.
    fn may_hold_facts(&self, text: &str) -> bool {
        let _ = text;
        true
    }
    /// Analyzes the decoded text of one file; `index` locates byte spans in it.
    /// Called only when the sniff (or [`Self::may_hold_facts`]) holds.
    fn analyze(&self, text: &str, index: &LineIndex) -> LanguageOutput;
}

/// What reads a file: a registered language, or a configuration reader.
#[derive(Clone, Copy)]
enum Reader {
    Language(Language),
    Config(&'static dyn LanguageAnalyzer),
}

impl Reader {
    fn analyzer(self) -> &'static dyn LanguageAnalyzer {
        match self {
            Reader::Language(l) => l.analyzer,
            Reader::Config(a) => a,
        }
    }

    fn may_hold_facts(self, text: &str) -> bool {
        match self {
            Reader::Language(l) => l.sniff.in_text(text),
            Reader::Config(a) => a.may_hold_facts(text),
        }
    }

    fn comments(self, path: &str) -> Option<CommentSyntax> {
        match self {
            Reader::Language(l) => Some(l.comments),
            Reader::Config(a) => CommentSyntax::for_file(a.kind(), path),
        }
    }
}

/// The reader of a path: a configuration file by its name, else a language
/// of `languages` by its extension (case-insensitive).
fn reader_in(languages: &[Language], path: &str) -> Option<Reader> {
    let file_name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    if let Some(by_name) = registry::CONFIG_READERS
        .iter()
        .copied()
        .find(|a| a.reads_file_name(&file_name))
    {
        return Some(Reader::Config(by_name));
    }
    registry::language_in(languages, &file_name).map(Reader::Language)
}

/// The analyzer for a path, chosen by its file name, else by its extension
/// (case-insensitive).
pub fn analyzer_for(path: &str) -> Option<&'static dyn LanguageAnalyzer> {
    reader_in(LANGUAGES, path).map(Reader::analyzer)
}

/// Analyzes one source file. `path` is relative to the audited root with `/`
/// separators. A file no language module reads yet yields `Facts::Empty`
/// silently (discovery hands over every file of a known language); undecodable
/// bytes yield a problem.
pub fn analyze(path: &str, bytes: &[u8]) -> FileAnalysis {
    analyze_in(LANGUAGES, path, bytes)
}

/// [`analyze`] with the given languages instead of the registered ones (a
/// test registers a language of its own this way).
pub fn analyze_in(languages: &[Language], path: &str, bytes: &[u8]) -> FileAnalysis {
    let Some(reader) = reader_in(languages, path) else {
        return FileAnalysis::new(path, FileKind::Python, Facts::Empty);
    };
    let analyzer = reader.analyzer();
    let mut analysis = FileAnalysis::new(path, analyzer.kind(), Facts::Empty);
    let text = match decode_text(path, bytes) {
        Ok(text) => text,
        Err(problem) => {
            analysis.problems.push(problem);
            return analysis;
        }
    };
    let suppressions = |text: &str| match reader.comments(path) {
        Some(syntax) => seamcheck_facts::suppress::scan(path, text, syntax),
        None => Vec::new(),
    };
    if !reader.may_hold_facts(text) {
        analysis.suppressions = suppressions(text);
        return analysis;
    }
    let index = LineIndex::new(path, text);
    let output = analyzer.analyze(text, &index);
    if let Some(facts) = output.facts {
        analysis.facts = Facts::Source(facts);
    }
    analysis.problems = output.problems;
    analysis.notes = output.notes;
    analysis.suppressions = suppressions(text);
    analysis
}
