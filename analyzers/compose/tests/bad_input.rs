//! Malformed, hostile and foreign input: problems with precise locations,
//! bounded time and stack, and every fact the rest of the file still holds.

mod common;
use common::{analyze, compose, pos, service};
use seamcheck_facts::Facts;
use std::time::{Duration, Instant};

#[test]
fn truncated_file_keeps_the_services_read_before_the_break() {
    let text = "services:\n  web:\n    image: web\n    ports:\n      - \"8080:80\n";
    let analysis = analyze("compose.yaml", text);
    assert_eq!(analysis.problems.len(), 1);
    let problem = &analysis.problems[0];
    assert!(
        problem.message.contains("quoted scalar"),
        "{}",
        problem.message
    );
    assert_eq!(problem.message, problem.message.to_lowercase());
    assert!(!problem.message.ends_with('.'));
    // The unterminated string starts on line 5, column 9.
    assert_eq!((problem.loc.line, problem.loc.column), (5, 9));
}

#[test]
fn alias_bomb_is_refused_quickly() {
    let mut text = String::from("x-a0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 9].join(", ");
        text += &format!("x-a{i}: &a{i} [{refs}]\n");
    }
    text += "services:\n  web:\n    image: web\n    environment: *a9\n";
    let started = Instant::now();
    let analysis = analyze("compose.yaml", &text);
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(!analysis.problems.is_empty());
    assert!(
        analysis.problems[0].message.contains("alias"),
        "{}",
        analysis.problems[0].message
    );
}

#[test]
fn deep_nesting_does_not_overflow_a_small_stack() {
    let run = || {
        for text in [
            format!(
                "services:\n  web:\n    x: {}{}\n",
                "[".repeat(100_000),
                "]".repeat(100_000)
            ),
            format!("services:\n  web:\n    x:\n{}x\n", "  - ".repeat(100_000)),
            format!(
                "services:\n  web:\n    command: \"{}\"\n",
                "${A:-".repeat(100_000)
            ),
        ] {
            let analysis = analyze("compose.yaml", &text);
            assert!(!analysis.problems.is_empty() || matches!(analysis.facts, Facts::Compose(_)));
        }
    };
    let handle = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(run)
        .unwrap_or_else(|e| panic!("spawn: {e}"));
    assert!(handle.join().is_ok());
}

#[test]
fn non_utf8_and_binary_are_problems_at_the_bad_byte() {
    let mut bytes = b"services:\n  web:\n    image: caf".to_vec();
    bytes.push(0xE9);
    bytes.extend_from_slice(b"\n");
    let analysis = seamcheck_compose::analyze("compose.yaml", &bytes);
    assert_eq!(analysis.problems.len(), 1);
    assert_eq!(
        (
            analysis.problems[0].loc.line,
            analysis.problems[0].loc.column
        ),
        (3, 15)
    );
    assert!(matches!(analysis.facts, Facts::Empty));

    let analysis = seamcheck_compose::analyze("compose.yaml", b"\x00\x01binary");
    assert!(analysis.problems[0].message.contains("binary"));
}

#[test]
fn yaml_that_is_not_a_compose_file_is_empty_without_problem() {
    for text in [
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n",
        "",
        "# only a comment\n",
        "services: [web, db]\n",
        "- a\n- b\n",
    ] {
        let analysis = analyze("docker-compose.yml", text);
        assert!(
            analysis.problems.is_empty(),
            "{text}: {:?}",
            analysis.problems
        );
        assert!(matches!(analysis.facts, Facts::Empty), "{text}");
    }
}

#[test]
fn templated_compose_file_is_a_note_not_errors() {
    let text = "services:\n  web:\n    image: {{ image }}\n{% if expose %}\n    ports: [\"80:80\"]\n{% endif %}\n";
    let analysis = analyze("deploy/docker-compose.yml", text);
    assert!(analysis.problems.is_empty(), "{:?}", analysis.problems);
    assert_eq!(analysis.notes.len(), 1);
    assert!(analysis.notes[0]
        .message
        .contains("not yaml until rendered"));
    assert_eq!(pos(&analysis.notes[0].loc), (3, 12, 3, 13));
}

#[test]
fn a_service_that_is_not_a_mapping_is_a_problem_and_others_survive() {
    let text = "services:\n  web: nginx\n  db:\n    image: postgres:16\n  empty:\n";
    let analysis = analyze("compose.yaml", text);
    assert_eq!(analysis.problems.len(), 1);
    assert_eq!(
        analysis.problems[0].message,
        "service `web` must be a mapping"
    );
    assert_eq!(pos(&analysis.problems[0].loc), (2, 8, 2, 12));
    let facts = compose(&analysis);
    let names: Vec<&str> = facts
        .services
        .iter()
        .map(|s| s.name.value.as_str())
        .collect();
    assert_eq!(names, ["db", "empty"]);
}

#[test]
fn reset_and_null_values_mean_not_set() {
    let text = "services:\n  web:\n    image: web\n    command: !reset null\n    entrypoint: ~\n    ports: !reset []\n    user:\n";
    let analysis = analyze("compose.override.yaml", text);
    assert!(analysis.problems.is_empty(), "{:?}", analysis.problems);
    let web = service(compose(&analysis), "web");
    assert!(web.command.is_none());
    assert!(web.entrypoint.is_none());
    assert!(web.ports.is_empty() && web.unresolved_ports.is_empty());
    assert!(web.user.is_none());
}

#[test]
fn empty_command_clears_the_image_command() {
    let text = "services:\n  web:\n    image: web\n    entrypoint: []\n    command: \"\"\n";
    let analysis = analyze("compose.yaml", text);
    let web = service(compose(&analysis), "web");
    assert!(web.entrypoint.as_ref().is_some_and(|c| c.argv.is_empty()));
    assert!(web.command.as_ref().is_some_and(|c| c.argv.is_empty()));
}

#[test]
fn crlf_and_non_ascii_text_keep_exact_columns() {
    let text = "# café ☕\r\nservices:\r\n  café:\r\n    ports:\r\n      - \"8080:80\"\r\n";
    let analysis = analyze("compose.yaml", text);
    assert!(analysis.problems.is_empty(), "{:?}", analysis.problems);
    let facts = compose(&analysis);
    let svc = service(facts, "café");
    assert_eq!(pos(&svc.name.loc), (3, 3, 3, 6));
    let port = &svc.ports[0].container;
    assert_eq!(pos(&port.loc), (5, 15, 5, 16));
    assert_eq!(text.get(port.loc.span.start..port.loc.span.end), Some("80"));
}

#[test]
fn multi_line_command_is_located_at_the_whole_value() {
    let text =
        "services:\n  web:\n    command: >\n      gunicorn\n      --bind 0.0.0.0:8000 app:app\n";
    let analysis = analyze("compose.yaml", text);
    let web = service(compose(&analysis), "web");
    let command = web.command.as_ref().unwrap_or_else(|| panic!("command"));
    let words: Vec<&str> = command.argv.iter().map(|w| w.value.as_str()).collect();
    assert_eq!(words, ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]);
    // Folded text does not map byte for byte: every word gets the value's location.
    assert_eq!(pos(&command.argv[2].loc), (4, 7, 5, 33));
}
