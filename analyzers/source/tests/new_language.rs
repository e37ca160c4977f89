//! Adding a language is one folder, one launch module and one registry
//! line (analyzers/source/README.md). This test proves the registry side
//! with a fixture-only language, "toy", that exists nowhere else: its
//! descriptor alone makes the source analyzer pick it by extension, sniff it,
//! read its suppressions in its own comment syntax and run its analyzer.

use seamcheck_facts::source::{Framework, Listen};
use seamcheck_facts::suppress::CommentSyntax;
use seamcheck_facts::{FileKind, LineIndex, SourceFacts, ValueExpr};
use seamcheck_launch::Runtime;
use seamcheck_source::registry::SleepAdvice;
use seamcheck_source::{analyze_in, Language, LanguageAnalyzer, LanguageOutput, Sniff, LANGUAGES};

/// Toy: a line `serve PORT` starts a server on PORT.
struct ToyAnalyzer;

impl LanguageAnalyzer for ToyAnalyzer {
    fn language(&self) -> &'static str {
        "toy"
    }
    fn kind(&self) -> FileKind {
        // A real language adds its own `FileKind` variant (facts).
        FileKind::Go
    }
    fn analyze(&self, text: &str, index: &LineIndex) -> LanguageOutput {
        let mut facts = SourceFacts {
            language: "toy".into(),
            ..SourceFacts::default()
        };
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            if let Some(rest) = line.strip_prefix("serve ") {
                let port = rest.split_whitespace().next().unwrap_or("");
                let start = offset + "serve ".len();
                facts.listens.push(Listen {
                    call: "serve".into(),
                    // A real language adds its own `Framework` variant (facts).
                    framework: Framework::GoNet,
                    host: None,
                    port: Some(index.located(ValueExpr::literal(port), start..start + port.len())),
                    default_port: 80,
                    default_host: "0.0.0.0".into(),
                    debug: None,
                    in_main_guard: false,
                    loc: index.location(start - "serve ".len()..start + port.len()),
                    app_target: None,
                    reload: None,
                    port_defined_at: None,
                    host_defined_at: None,
                    via_function: None,
                });
            }
            offset += line.len();
        }
        LanguageOutput {
            facts: Some(facts),
            ..LanguageOutput::default()
        }
    }
}

static TOY_SNIFF: Sniff = Sniff::exact(&["serve "]);

/// The one registry line of the toy language.
const TOY: Language = Language {
    analyzer: &ToyAnalyzer,
    extensions: &["toy"],
    not_suffixes: &[".gen.toy"],
    sniff: &TOY_SNIFF,
    comments: CommentSyntax::HASH,
    runtime: Runtime::Native,
    sleep: SleepAdvice::PLAIN,
};

fn with_toy() -> Vec<Language> {
    let mut languages = LANGUAGES.to_vec();
    languages.push(TOY);
    languages
}

const SOURCE: &str =
    "# a toy service\nserve 8080 # seamcheck: ignore[expose-port-mismatch] -- demo\n";

#[test]
fn a_registered_language_is_analyzed_with_its_descriptor() {
    let analysis = analyze_in(&with_toy(), "svc/App.TOY", SOURCE.as_bytes());
    let seamcheck_facts::Facts::Source(facts) = &analysis.facts else {
        panic!("no facts: {analysis:?}");
    };
    assert_eq!(facts.language, "toy");
    let [listen] = facts.listens.as_slice() else {
        panic!("{:?}", facts.listens);
    };
    let port = listen.port.as_ref().expect("port");
    assert_eq!(port.value, ValueExpr::literal("8080"));
    assert_eq!((port.loc.line, port.loc.column), (2, 7));
    // `#` comments, as the descriptor says, and at the end of a line.
    let [suppression] = analysis.suppressions.as_slice() else {
        panic!("{:?}", analysis.suppressions);
    };
    assert_eq!(suppression.rules[0].value, "expose-port-mismatch");
    assert_eq!(suppression.target_line, 2);
}

#[test]
fn the_sniff_the_extension_and_the_exclusions_come_from_the_descriptor() {
    let languages = with_toy();
    // No sniff word: not parsed, nothing kept.
    let quiet = analyze_in(&languages, "svc/lib.toy", b"# helpers only\n");
    assert!(quiet.holds_nothing(), "{quiet:?}");
    // An excluded name ending is not the language.
    let generated = analyze_in(&languages, "svc/api.gen.toy", SOURCE.as_bytes());
    assert!(matches!(generated.facts, seamcheck_facts::Facts::Empty));
    // Without its registry line the language does not exist.
    let unregistered = analyze_in(LANGUAGES, "svc/App.toy", SOURCE.as_bytes());
    assert!(matches!(unregistered.facts, seamcheck_facts::Facts::Empty));
    // The registered languages are unaffected.
    let python = analyze_in(
        &languages,
        "app.py",
        b"from flask import Flask\napp = Flask(__name__)\n",
    );
    assert!(
        matches!(python.facts, seamcheck_facts::Facts::Source(ref f) if f.language == "python")
    );
}
