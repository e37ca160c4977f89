//! Malformed input: one bad instruction costs only itself; bad files become
//! problems, never panics.

mod common;
use common::*;
use seamcheck_facts::Facts;

#[test]
fn unknown_instruction_in_the_middle() {
    let text =
        "FROM python:3.12-slim\nEXPOSE 5000\nFOO bar baz\nUSER app\nCMD [\"flask\", \"run\"]\n";
    let a = analyze(text);
    assert_eq!(a.problems.len(), 1);
    let p = &a.problems[0];
    assert_eq!(p.message, "unknown instruction `FOO`");
    assert_eq!(pos(&p.loc), (3, 1, 3, 3));
    let s = last_stage(facts_of(&a));
    assert_eq!(
        values(&s.instructions),
        vec!["FROM", "EXPOSE", "USER", "CMD"]
    );
    assert_eq!(s.user().map(|u| u.loc.line), Some(4));
    assert_eq!(s.cmd.as_ref().map(|c| c.loc.line), Some(5));
}

#[test]
fn malformed_known_instructions_are_located() {
    let text = "FROM alpine\nEXPOSE\nHEALTHCHECK --interval=5s\nCOPY onlyone\nENV\nCMD [\"unterminated\nUSER ok\n";
    let a = analyze(text);
    let first = a
        .problems
        .first()
        .map(|p| (p.message.as_str(), pos(&p.loc)));
    assert_eq!(
        first,
        Some(("`EXPOSE` requires at least one argument", (2, 1, 2, 6)))
    );
    let second = a.problems.get(1).map(|p| (p.message.as_str(), pos(&p.loc)));
    assert_eq!(
        second,
        Some((
            "invalid `HEALTHCHECK`: expected CMD or NONE",
            (3, 26, 3, 26)
        ))
    );
    let lines: Vec<u32> = a.problems.iter().map(|p| p.loc.line).collect();
    assert_eq!(lines, vec![2, 3, 4, 5]);
    for p in &a.problems {
        assert!(
            p.message.starts_with('`') || p.message.starts_with("invalid `"),
            "{}",
            p.message
        );
        assert!(!p.message.ends_with('.'), "{}", p.message);
    }
    // `CMD ["unterminated` is shell form for Docker too; the USER after it survives.
    let s = last_stage(facts_of(&a));
    assert_eq!(s.user().map(|u| u.value.user.as_str()), Some("ok"));
    assert_eq!(s.cmd.as_ref().map(|c| c.argv.len()), Some(1));
}

#[test]
fn a_broken_from_hides_its_stage_only() {
    let text =
        "FROM python:3.12 AS build\nEXPOSE 1\nFROM\nEXPOSE 2\nUSER root\nFROM alpine\nEXPOSE 3\n";
    let a = analyze(text);
    assert_eq!(a.problems.len(), 1);
    assert_eq!(a.problems[0].loc.line, 3);
    let f = facts_of(&a);
    assert_eq!(f.stages.len(), 2);
    // EXPOSE 2 and USER root belong to the unreadable stage, not to `build`.
    assert_eq!(f.stages[0].expose.len(), 1);
    assert!(f.stages[0].users.is_empty());
    assert_eq!(f.stages[1].expose[0].port, Some(3));
}

#[test]
fn instruction_before_from() {
    let text = "RUN echo hi\nARG X=1\nFROM alpine\n";
    let a = analyze(text);
    assert_eq!(a.problems.len(), 1);
    assert_eq!(a.problems[0].message, "`RUN` before the first FROM");
    assert_eq!(pos(&a.problems[0].loc), (1, 1, 1, 3));
    assert_eq!(facts_of(&a).global_args.len(), 1);
    assert_eq!(facts_of(&a).stages.len(), 1);
}

#[test]
fn unterminated_heredoc() {
    let text = "FROM alpine\nRUN <<EOF\necho never ends\n";
    let a = analyze(text);
    assert_eq!(a.problems.len(), 1);
    assert_eq!(
        a.problems[0].message,
        "here-document `EOF` is never terminated"
    );
    assert_eq!(a.problems[0].loc.line, 2);
    assert_eq!(last_stage(facts_of(&a)).runs.len(), 1);
}

#[test]
fn empty_and_comment_only_files() {
    for text in ["", "\n\n", "# just a comment\n", "   \t\n"] {
        let a = analyze(text);
        assert_eq!(a.problems.len(), 1, "{text:?}");
        assert_eq!(
            a.problems[0].message,
            "no FROM instruction: the file builds no image"
        );
        assert_eq!(a.problems[0].loc.line, 1);
        assert!(facts_of(&a).stages.is_empty());
    }
}

#[test]
fn binary_and_non_utf8() {
    let a = seamcheck_dockerfile::analyze("Dockerfile", b"FROM alpine\n\x00\x01\x02");
    assert_eq!(a.problems.len(), 1);
    assert!(a.problems[0].message.contains("binary"));
    assert_eq!(a.problems[0].loc.line, 2);
    assert!(matches!(a.facts, Facts::Empty));

    let a = seamcheck_dockerfile::analyze("Dockerfile", b"FROM alpine\nRUN echo \xff\xfe\n");
    assert_eq!(a.problems.len(), 1);
    assert!(a.problems[0].message.contains("UTF-8"));
    assert_eq!((a.problems[0].loc.line, a.problems[0].loc.column), (2, 10));
}

#[test]
fn crlf_and_bom() {
    let text = "\u{feff}FROM alpine\r\nEXPOSE 8080\r\nUSER app\r\n";
    let f = facts(text);
    let s = last_stage(&f);
    assert_eq!(s.expose[0].port, Some(8080));
    assert_eq!(pos(&s.expose[0].loc), (2, 8, 2, 11));
    assert_eq!(s.user().map(|u| u.value.user.as_str()), Some("app"));
}

#[test]
fn deep_nonsense_is_bounded() {
    let lines = "((((((((((\n".repeat(2_000);
    let a = analyze(&lines);
    assert_eq!(a.problems.len(), 50);
    assert_eq!(a.notes.len(), 1);

    let deep = format!(
        "FROM alpine\nENV X={}\nEXPOSE {}\n",
        "${A:-".repeat(100_000),
        "[".repeat(100_000)
    );
    let a = analyze(&deep);
    assert_eq!(facts_of(&a).stages.len(), 1);

    let long_continuation = format!("FROM alpine\nRUN {}echo\n", "a \\\n".repeat(50_000));
    let a = analyze(&long_continuation);
    assert_eq!(last_stage(facts_of(&a)).runs.len(), 1);

    let many_heredocs = format!("FROM alpine\nRUN {}\n", "<<A ".repeat(10_000));
    let _ = analyze(&many_heredocs);
}

#[test]
fn truncated_files_never_panic() {
    let full = "# escape=`\nARG V=1\nFROM python:${V} AS b\nENV A=\"x y\" `\n  B=2\nRUN <<EOF\npip install -r r.txt\nEOF\nCOPY --from=b . .\nEXPOSE 8000-8010/udp\nUSER 1:1\nHEALTHCHECK CMD [\"curl\", \"http://[::1]:80/x\"]\nCMD [\"sh\", \"-c\", \"exec gunicorn -b :8000 app:app\"]\n";
    for cut in 0..=full.len() {
        if let Some(prefix) = full.get(..cut) {
            let _ = analyze(prefix);
        }
    }
    let odd = [
        "FROM",
        "FROM \\",
        "RUN <<",
        "EXPOSE $",
        "EXPOSE ${",
        "USER :",
        "ENV =",
        "ENV A",
        "HEALTHCHECK CMD",
        "COPY <<",
        "ARG =x",
        "FROM a\nEXPOSE -",
        "FROM a\nEXPOSE 1-",
        "FROM a\nEXPOSE /udp",
        "FROM a\nWORKDIR é",
        "FROM a\nRUN \\é",
    ];
    for text in odd {
        let _ = analyze(text);
    }
}
