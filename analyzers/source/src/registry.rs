//! The registry of languages: one descriptor per language of application
//! code says everything the rest of seamcheck needs to know about it — the
//! file extensions discovery classifies by, the words a file must mention to
//! be parsed, the comment syntax suppressions are written in, the runtime
//! whose start commands run it (`seamcheck_launch`), and its analyzer.
//!
//! Adding a language is one line here (see `analyzers/source/README.md`).
//! Configuration readers known by file name (`package.json`,
//! `application.yml`, `appsettings.json`, `Rocket.toml`, nginx) are listed
//! apart, in [`CONFIG_READERS`]: they have no extension of their own.

use crate::words::Sniff;
use crate::LanguageAnalyzer;
use crate::{dotnet, go, java, javascript, kotlin, python, rust};
use seamcheck_facts::suppress::CommentSyntax;
use seamcheck_facts::FileKind;
use seamcheck_launch::Runtime;

/// What seamcheck knows of one language of application code.
#[derive(Clone, Copy)]
pub struct Language {
    /// Reads a file of this language; its `language()` is the
    /// `SourceFacts::language` value and its `kind()` the `FileKind`.
    pub analyzer: &'static dyn LanguageAnalyzer,
    /// Lower-case file extensions without the dot (`py`).
    pub extensions: &'static [&'static str],
    /// Lower-case name endings that are not this language though the
    /// extension matches (TypeScript's `.d.ts` declarations).
    pub not_suffixes: &'static [&'static str],
    /// A file that mentions none of these words (its frameworks and
    /// servers) holds nothing the analyzer models and is not parsed.
    pub sniff: &'static Sniff,
    /// How a `seamcheck: ignore[…]` comment is written.
    pub comments: CommentSyntax,
    /// The runtime whose start commands run this language's code.
    pub runtime: Runtime,
}

impl Language {
    /// The `SourceFacts::language` value (`python`).
    pub fn name(&self) -> &'static str {
        self.analyzer.language()
    }

    /// The `FileKind` of this language's files.
    pub fn kind(&self) -> FileKind {
        self.analyzer.kind()
    }

    /// Whether a file of this (lower-case) name is of this language.
    pub fn reads(&self, lower_file_name: &str) -> bool {
        let Some((_, extension)) = lower_file_name.rsplit_once('.') else {
            return false;
        };
        self.extensions.contains(&extension)
            && !self
                .not_suffixes
                .iter()
                .any(|s| lower_file_name.ends_with(s))
    }
}

/// Every language of application code, one line each.
#[rustfmt::skip]
pub static LANGUAGES: &[Language] = &[
    Language { analyzer: &python::PythonAnalyzer, extensions: &["py"], not_suffixes: &[], sniff: &python::SNIFF, comments: CommentSyntax::HASH, runtime: Runtime::Python },
    Language { analyzer: &javascript::JavaScriptAnalyzer, extensions: &["js", "mjs", "cjs", "jsx"], not_suffixes: &[], sniff: &javascript::SNIFF, comments: CommentSyntax::SLASHES, runtime: Runtime::Node },
    Language { analyzer: &javascript::TypeScriptAnalyzer, extensions: &["ts", "tsx", "mts", "cts"], not_suffixes: &[".d.ts"], sniff: &javascript::SNIFF, comments: CommentSyntax::SLASHES, runtime: Runtime::Node },
    Language { analyzer: &go::GoAnalyzer, extensions: &["go"], not_suffixes: &[], sniff: &go::SNIFF, comments: CommentSyntax::SLASHES, runtime: Runtime::Native },
    Language { analyzer: &java::JavaAnalyzer, extensions: &["java"], not_suffixes: &[], sniff: &java::SNIFF, comments: CommentSyntax::SLASHES, runtime: Runtime::Jvm },
    Language { analyzer: &kotlin::KotlinAnalyzer, extensions: &["kt"], not_suffixes: &[], sniff: &kotlin::SNIFF, comments: CommentSyntax::SLASHES, runtime: Runtime::Jvm },
    Language { analyzer: &dotnet::CSharpAnalyzer, extensions: &["cs"], not_suffixes: &[], sniff: &dotnet::SNIFF, comments: CommentSyntax::SLASHES, runtime: Runtime::Dotnet },
    Language { analyzer: &rust::RustAnalyzer, extensions: &["rs"], not_suffixes: &[], sniff: &rust::SNIFF, comments: CommentSyntax::SLASHES, runtime: Runtime::Native },
];

/// Readers of configuration files known by name (`reads_file_name`); their
/// comment syntax depends on the file's format (`CommentSyntax::for_file`).
pub static CONFIG_READERS: &[&dyn LanguageAnalyzer] = &[
    &crate::NginxAnalyzer,
    &crate::PackageJsonAnalyzer,
    &crate::JvmConfigAnalyzer,
    &crate::AppSettingsAnalyzer,
    &crate::RocketTomlAnalyzer,
];

/// The language of a file name (any case, no directory), among `languages`.
pub fn language_in(languages: &[Language], file_name: &str) -> Option<Language> {
    let lower = file_name.to_ascii_lowercase();
    languages.iter().copied().find(|l| l.reads(&lower))
}

/// The language of a file name (any case, no directory).
pub fn language_of(file_name: &str) -> Option<Language> {
    language_in(LANGUAGES, file_name)
}

/// The registered language whose files are of `kind`.
pub fn language_of_kind(kind: FileKind) -> Option<&'static Language> {
    LANGUAGES.iter().find(|l| l.kind() == kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_is_registered_once_with_its_own_kind_and_extensions() {
        let mut kinds = Vec::new();
        let mut extensions = Vec::new();
        for language in LANGUAGES {
            assert!(!kinds.contains(&language.kind()), "{}", language.name());
            kinds.push(language.kind());
            assert!(language.kind().is_source());
            assert!(!language.sniff.words().is_empty(), "{}", language.name());
            for e in language.extensions {
                assert!(!extensions.contains(e), "{e} registered twice");
                extensions.push(*e);
            }
        }
    }

    #[test]
    fn file_names_find_their_language() {
        let name = |f: &str| language_of(f).map(|l| l.name());
        assert_eq!(name("app/main.py"), Some("python"));
        assert_eq!(name("Server.JS"), Some("javascript"));
        assert_eq!(name("index.tsx"), Some("typescript"));
        assert_eq!(name("types.d.ts"), None);
        assert_eq!(name("main.go"), Some("go"));
        assert_eq!(name("App.kt"), Some("kotlin"));
        assert_eq!(name("Program.cs"), Some("csharp"));
        assert_eq!(name("main.rs"), Some("rust"));
        assert_eq!(name("README.md"), None);
        assert_eq!(name("Makefile"), None);
    }

    #[test]
    fn languages_name_their_comment_syntax_and_runtime() {
        let go = language_of("main.go").map(|l| (l.comments, l.runtime));
        assert_eq!(go, Some((CommentSyntax::SLASHES, Runtime::Native)));
        let py = language_of("main.py").map(|l| (l.comments, l.runtime));
        assert_eq!(py, Some((CommentSyntax::HASH, Runtime::Python)));
        let kt = language_of("App.kt").map(|l| l.runtime);
        assert_eq!(kt, Some(Runtime::Jvm));
        assert_eq!(
            language_of_kind(FileKind::CSharp).map(|l| l.name()),
            Some("csharp")
        );
        assert!(language_of_kind(FileKind::Dockerfile).is_none());
    }
}
