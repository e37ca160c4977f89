//! seamcheck analyzer for application source code.
//!
//! Turns one source file into [`SourceFacts`]: the web application objects it
//! creates, the server it starts and where that listens, its HTTP routes with
//! the statuses their handlers answer, and blocking sleeps inside handlers.
//!
//! Each language is one module behind [`LanguageAnalyzer`]; [`analyze`] picks
//! the module from the file extension. Only Python (Flask, FastAPI) exists today.

mod common;
mod dotnet;
mod go;
mod java;
mod javascript;
mod kotlin;
mod nginx;
mod python;
mod rust;
mod treesitter;
mod words;

use seamcheck_facts::{
    decode_text, Facts, FileAnalysis, FileKind, LineIndex, ParseProblem, SkipNote, SourceFacts,
};

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
    /// Lower-case file extensions without the dot (`py`).
    fn extensions(&self) -> &'static [&'static str];
    /// Whether this analyzer reads the file of this name (lower case, no
    /// directory) whatever its extension: configuration files are known by
    /// name (`application-prod.yml`, `appsettings.json`). Name matches win
    /// over extension matches, so `.json`/`.yml` can have several readers.
    fn reads_file_name(&self, lower_file_name: &str) -> bool {
        let _ = lower_file_name;
        false
    }
    /// A cheap test of the text before anything else: `false` when the file
    /// mentions nothing this analyzer models (no framework, no server), and
    /// then it is neither indexed nor parsed. Most source files of a
    /// repository are such; the default reads every file.
    fn may_hold_facts(&self, text: &str) -> bool {
        let _ = text;
        true
    }
    /// Analyzes the decoded text of one file; `index` locates byte spans in it.
    /// Called only when [`Self::may_hold_facts`] holds.
    fn analyze(&self, text: &str, index: &LineIndex) -> LanguageOutput;
}

static ANALYZERS: &[&dyn LanguageAnalyzer] = &[
    &PythonAnalyzer,
    &NginxAnalyzer,
    &JavaScriptAnalyzer,
    &TypeScriptAnalyzer,
    &PackageJsonAnalyzer,
    &GoAnalyzer,
    &JavaAnalyzer,
    &KotlinAnalyzer,
    &JvmConfigAnalyzer,
    &CSharpAnalyzer,
    &AppSettingsAnalyzer,
    &RustAnalyzer,
    &RocketTomlAnalyzer,
];

/// The analyzer for a path, chosen by its file name, else by its extension
/// (case-insensitive).
pub fn analyzer_for(path: &str) -> Option<&'static dyn LanguageAnalyzer> {
    let file_name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    if let Some(by_name) = ANALYZERS
        .iter()
        .copied()
        .find(|a| a.reads_file_name(&file_name))
    {
        return Some(by_name);
    }
    let (_, extension) = file_name.rsplit_once('.')?;
    ANALYZERS
        .iter()
        .copied()
        .find(|a| a.extensions().contains(&extension))
}

/// Analyzes one source file. `path` is relative to the audited root with `/`
/// separators. A file no language module reads yet yields `Facts::Empty`
/// silently (discovery hands over every file of a known language); undecodable
/// bytes yield a problem.
pub fn analyze(path: &str, bytes: &[u8]) -> FileAnalysis {
    let Some(analyzer) = analyzer_for(path) else {
        return FileAnalysis::new(path, FileKind::Python, Facts::Empty);
    };
    let mut analysis = FileAnalysis::new(path, analyzer.kind(), Facts::Empty);
    let text = match decode_text(path, bytes) {
        Ok(text) => text,
        Err(problem) => {
            analysis.problems.push(problem);
            return analysis;
        }
    };
    if !analyzer.may_hold_facts(text) {
        analysis.suppressions = seamcheck_facts::suppress::scan_file(path, text, analysis.kind);
        return analysis;
    }
    let index = LineIndex::new(path, text);
    let output = analyzer.analyze(text, &index);
    if let Some(facts) = output.facts {
        analysis.facts = Facts::Source(facts);
    }
    analysis.problems = output.problems;
    analysis.notes = output.notes;
    analysis.suppressions = seamcheck_facts::suppress::scan_file(path, text, analysis.kind);
    analysis
}
