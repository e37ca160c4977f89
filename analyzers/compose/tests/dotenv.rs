//! `.env` files beside compose files.

mod common;
use common::pos;
use seamcheck_facts::compose::ComposeSource;
use seamcheck_facts::{Facts, FileAnalysis};

fn analyze(text: &str) -> FileAnalysis {
    seamcheck_compose::analyze_dotenv(".env", text.as_bytes())
}

fn vars(a: &FileAnalysis) -> Vec<(String, Option<String>)> {
    let facts = seamcheck_compose::compose_facts(a).unwrap_or_else(|| panic!("no facts"));
    assert_eq!(facts.source, ComposeSource::DotEnv);
    assert!(facts.services.is_empty());
    facts
        .dotenv
        .iter()
        .map(|v| (v.name.clone(), v.value.clone()))
        .collect()
}

fn pair(n: &str, v: Option<&str>) -> (String, Option<String>) {
    (n.to_string(), v.map(str::to_string))
}

const DOTENV: &str = "# ports for local runs
VOTE_PORT=5001
export TAG=1.4.2
EMPTY=
QUOTED=\"a b # not a comment\"
SINGLE='${NOT_EXPANDED}'
INLINE=value # a comment
HASH=a#b
FROM_SHELL
MULTI=\"line one
line two\"
  SPACED = padded  
ESCAPED=\"say \\\"hi\\\"\\n\"
";

#[test]
fn assignments_in_every_form() {
    let a = analyze(DOTENV);
    assert!(a.problems.is_empty(), "{:?}", a.problems);
    assert_eq!(
        vars(&a),
        [
            pair("VOTE_PORT", Some("5001")),
            pair("TAG", Some("1.4.2")),
            pair("EMPTY", Some("")),
            pair("QUOTED", Some("a b # not a comment")),
            pair("SINGLE", Some("${NOT_EXPANDED}")),
            pair("INLINE", Some("value")),
            pair("HASH", Some("a#b")),
            pair("FROM_SHELL", None),
            pair("MULTI", Some("line one\nline two")),
            pair("SPACED", Some("padded")),
            pair("ESCAPED", Some("say \"hi\"\n")),
        ]
    );
}

#[test]
fn each_variable_is_located_from_name_to_value() {
    let a = analyze(DOTENV);
    let facts = seamcheck_compose::compose_facts(&a).unwrap_or_else(|| panic!("facts"));
    assert_eq!(pos(&facts.dotenv[0].loc), (2, 1, 2, 14));
    assert_eq!(pos(&facts.dotenv[1].loc), (3, 8, 3, 16));
    assert_eq!(pos(&facts.dotenv[8].loc), (10, 1, 11, 9));
    assert_eq!(pos(&facts.dotenv[9].loc), (12, 3, 12, 17));
}

#[test]
fn bad_lines_are_problems_and_the_rest_is_kept() {
    let a = analyze("PORT=8080\nthis is not an assignment\nOPEN=\"never closed\nHOST=0.0.0.0\n");
    let messages: Vec<&str> = a.problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "expected `=` after `this`",
            "unterminated double-quoted value"
        ]
    );
    assert_eq!(pos(&a.problems[0].loc), (2, 5, 2, 25));
    assert_eq!((a.problems[1].loc.line, a.problems[1].loc.column), (3, 6));
    assert_eq!(
        vars(&a),
        [pair("PORT", Some("8080")), pair("HOST", Some("0.0.0.0"))]
    );
}

#[test]
fn binary_dotenv_is_a_problem() {
    let a = seamcheck_compose::analyze_dotenv(".env", b"A=\xff\xfe\n");
    assert_eq!(a.problems.len(), 1);
    assert!(matches!(a.facts, Facts::Empty));
}
