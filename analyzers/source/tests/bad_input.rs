//! Broken, binary, non-UTF-8 and pathologically nested input: a problem with
//! a location, never a panic, and every fact the rest of the file still has.

mod common;
use common::{analyze, facts, pos};
use seamcheck_facts::{Facts, ValueExpr};

const BROKEN: &str = r#"from flask import Flask

app = Flask(__name__)


def helper(:
    return 1


@app.route("/healthz")
def healthz():
    return "ok", 200


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8080)
"#;

#[test]
fn syntax_error_is_a_problem_and_the_rest_still_yields_facts() {
    let analysis = analyze("app.py", BROKEN);
    assert_eq!(analysis.problems.len(), 1, "{:?}", analysis.problems);
    let problem = &analysis.problems[0];
    assert!(
        problem.message.starts_with("python syntax error"),
        "{}",
        problem.message
    );
    assert_eq!(problem.message, "python syntax error: missing `)`");
    // The missing `)` is zero-width, right after `helper(`.
    assert_eq!(pos(&problem.loc), (6, 12, 6, 12));
    let Facts::Source(f) = analysis.facts else {
        panic!("expected facts");
    };
    assert_eq!(f.routes.len(), 1);
    assert_eq!(f.routes[0].path.value, "/healthz");
    assert_eq!(f.routes[0].returns[0].status, Some(200));
    assert_eq!(f.listens.len(), 1);
    assert_eq!(
        f.listens[0].port.as_ref().map(|p| &p.value),
        Some(&ValueExpr::literal("8080"))
    );
}

#[test]
fn an_unclosed_call_is_located() {
    let text = "from flask import Flask\napp = Flask(__name__)\napp.run(port=8080\n";
    let analysis = analyze("app.py", text);
    assert_eq!(analysis.problems.len(), 1);
    let problem = &analysis.problems[0];
    assert!(problem.message.starts_with("python syntax error"));
    assert_eq!(problem.message, "python syntax error");
    assert_eq!(pos(&problem.loc), (3, 1, 3, 17));
    assert!(!problem.message.ends_with('.'));
}

#[test]
fn truncated_file() {
    let text = &BROKEN[..BROKEN.find("def healthz").expect("marker") + 8];
    let analysis = analyze("app.py", text);
    assert_eq!(analysis.problems.len(), 1);
}

#[test]
fn non_utf8_is_a_problem() {
    let mut bytes = b"from flask import Flask\napp = Flask(__name__)\n# caf".to_vec();
    bytes.push(0xE9);
    bytes.extend_from_slice(b"\napp.run(port=8080)\n");
    let analysis = seamcheck_source::analyze("app.py", &bytes);
    assert_eq!(analysis.problems.len(), 1);
    let problem = &analysis.problems[0];
    assert!(
        problem.message.contains("not valid UTF-8"),
        "{}",
        problem.message
    );
    assert_eq!((problem.loc.line, problem.loc.column), (3, 6));
    assert!(matches!(analysis.facts, Facts::Empty));
}

#[test]
fn binary_is_a_problem() {
    let analysis = seamcheck_source::analyze("app.py", b"flask\0\x01\x02");
    assert_eq!(analysis.problems.len(), 1);
    assert!(analysis.problems[0].message.contains("binary"));
}

#[test]
fn deeply_nested_parentheses_do_not_crash() {
    let depth = 100_000;
    let text = format!(
        "from flask import Flask\napp = Flask(__name__)\nx = {}1{}\napp.run(port={}8080{})\n",
        "(".repeat(depth),
        ")".repeat(depth),
        "(".repeat(depth),
        ")".repeat(depth)
    );
    let f = facts("deep.py", &text);
    assert_eq!(f.listens.len(), 1);
    let port = f.listens[0].port.as_ref().expect("port");
    // Parentheses are stripped without recursion.
    assert_eq!(port.value, ValueExpr::literal("8080"));
    assert_eq!(port.loc.line, 4);
}

#[test]
fn deeply_nested_calls_and_unclosed_brackets_do_not_crash() {
    let depth = 100_000;
    let calls = format!(
        "from flask import Flask\napp = Flask(__name__)\napp.run(port={}8080{})\n",
        "int(".repeat(depth),
        ")".repeat(depth)
    );
    let f = facts("calls.py", &calls);
    assert_eq!(f.listens.len(), 1);
    match &f.listens[0].port.as_ref().expect("port").value {
        // Too deep to follow: unknown, with its text cut short.
        ValueExpr::Unknown { text } => assert!(text.chars().count() <= 201),
        other => panic!("expected unknown, got {other:?}"),
    }

    let unclosed = format!("import flask\nx = {}\n", "[".repeat(depth));
    let analysis = analyze("unclosed.py", &unclosed);
    assert_eq!(analysis.problems.len(), 1);

    let nested_ifs: String = (0..2_000)
        .map(|i| format!("{}if x:\n", " ".repeat(i)))
        .collect();
    let text = format!("from flask import Flask\napp = Flask(__name__)\n{nested_ifs}");
    let analysis = analyze("ifs.py", &text);
    assert!(matches!(analysis.facts, Facts::Source(_)));
}

#[test]
fn empty_file_and_crlf() {
    let analysis = analyze("empty.py", "");
    assert!(analysis.problems.is_empty());
    let text = "from flask import Flask\r\napp = Flask(__name__)\r\n\r\n@app.get(\"/x\")\r\ndef x():\r\n    return \"x\", 503\r\n";
    let f = facts("crlf.py", text);
    assert_eq!(f.routes.len(), 1);
    assert_eq!(pos(&f.routes[0].path.loc), (4, 10, 4, 13));
    assert_eq!(f.routes[0].returns[0].status, Some(503));
}

#[test]
fn deep_unary_operators_and_wrapped_responses_do_not_crash() {
    let depth = 100_000;
    let text = format!(
        "from flask import Flask, make_response\napp = Flask(__name__)\n\n\
         @app.route(\"/x\")\ndef x():\n    return make_response({}\"x\"{})\n\n\
         app.run(port={}8080)\n",
        "make_response(".repeat(depth),
        ")".repeat(depth),
        "- ".repeat(depth)
    );
    let f = facts("deep_ops.py", &text);
    assert_eq!(f.routes.len(), 1);
    assert_eq!(f.routes[0].returns.len(), 1);
    assert_eq!(f.routes[0].returns[0].status, None);
    assert_eq!(f.listens.len(), 1);
    assert!(matches!(
        f.listens[0].port.as_ref().map(|p| &p.value),
        Some(ValueExpr::Unknown { .. })
    ));
}
