//! Cheap text tests run before parsing: a file that mentions none of a
//! module's words holds nothing it models and is not parsed.
//!
//! The sniff runs on every source file of the repository (vendored bundles,
//! helpers, generated code), most of which it rejects, so it has to cost
//! about as much as reading the file: [`Words`] scans the text once for all
//! words at a time (Aho-Corasick), instead of once per word.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

/// A set of words searched for all in one pass, in any ASCII case or exactly.
pub struct Words {
    words: &'static [&'static str],
    any_case: bool,
    /// `None` only if the automaton could not be built (it always can for a
    /// handful of short words); the slow search then stands in.
    matcher: Option<AhoCorasick>,
}

impl Words {
    /// Words matched in any ASCII case (`Flask`, `flask`).
    #[cfg(test)]
    pub fn any_case(words: &'static [&'static str]) -> Words {
        Words::build(words, true)
    }

    /// Words matched exactly as written (Go's `http.ListenAndServe`).
    #[cfg(test)]
    pub fn exact(words: &'static [&'static str]) -> Words {
        Words::build(words, false)
    }

    fn build(words: &'static [&'static str], any_case: bool) -> Words {
        let matcher = AhoCorasick::builder()
            .ascii_case_insensitive(any_case)
            .match_kind(MatchKind::LeftmostFirst)
            .kind(Some(AhoCorasickKind::DFA))
            .build(words)
            .ok();
        Words {
            words,
            any_case,
            matcher,
        }
    }

    /// Whether `text` contains any of the words.
    pub fn in_text(&self, text: &str) -> bool {
        match &self.matcher {
            Some(matcher) => matcher.is_match(text),
            None if self.any_case => mentions_any(text, self.words),
            None => self.words.iter().any(|word| text.contains(word)),
        }
    }
}

/// A language's sniff words (`flask`, `springframework`): a file that
/// mentions none of them holds nothing its analyzer models and is not
/// parsed. Registered in the language's descriptor (`registry`); the
/// automaton is built on first use.
pub struct Sniff {
    words: &'static [&'static str],
    any_case: bool,
    built: std::sync::OnceLock<Words>,
}

impl Sniff {
    /// Words matched in any ASCII case.
    pub const fn any_case(words: &'static [&'static str]) -> Sniff {
        Sniff {
            words,
            any_case: true,
            built: std::sync::OnceLock::new(),
        }
    }

    /// Words matched exactly as written.
    pub const fn exact(words: &'static [&'static str]) -> Sniff {
        Sniff {
            words,
            any_case: false,
            built: std::sync::OnceLock::new(),
        }
    }

    /// The words, as registered.
    pub fn words(&self) -> &'static [&'static str] {
        self.words
    }

    /// Whether `text` mentions any of the words.
    pub fn in_text(&self, text: &str) -> bool {
        self.built
            .get_or_init(|| Words::build(self.words, self.any_case))
            .in_text(text)
    }
}

/// Case-insensitive ASCII substring search for any of `words`, for short
/// texts (a condition, an expression) where building an automaton would
/// cost more than the search.
pub fn mentions_any(text: &str, words: &[&str]) -> bool {
    let bytes = text.as_bytes();
    words.iter().any(|word| {
        let word = word.as_bytes();
        word.len() <= bytes.len()
            && bytes
                .windows(word.len())
                .any(|window| window.eq_ignore_ascii_case(word))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORDS: &[&str] = &["flask", "@nestjs", ".listen("];

    #[test]
    fn finds_any_word_in_any_case() {
        let words = Words::any_case(WORDS);
        assert!(words.in_text("from Flask import Flask"));
        assert!(words.in_text("import { Module } from '@NestJS/common'"));
        assert!(words.in_text("server.listen(3000)"));
        assert!(!words.in_text("def helper(values): return values"));
        assert!(!words.in_text(""));
    }

    #[test]
    fn agrees_with_the_slow_search() {
        let words = Words::any_case(WORDS);
        for text in [
            "flas",
            "FLASK",
            "x.listen",
            "x.listen(",
            "@nest",
            "é flask é",
        ] {
            assert_eq!(words.in_text(text), mentions_any(text, WORDS), "{text}");
        }
    }

    #[test]
    fn exact_words_keep_their_case() {
        let words = Words::exact(&["ListenAndServe"]);
        assert!(words.in_text("http.ListenAndServe(addr, nil)"));
        assert!(!words.in_text("http.listenandserve(addr, nil)"));
    }
}
