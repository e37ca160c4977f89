//! The public loading API: documents, located problems, limits, locations.

use seamcheck_yaml::node::{field, merged_entries, path, scalar, text};
use seamcheck_yaml::template::{first_template_action, template_note};
use seamcheck_yaml::{load_file, SourceMap, MAX_DEPTH};
use std::time::{Duration, Instant};

fn pos(loc: &seamcheck_facts::Location) -> (u32, u32, u32, u32) {
    (loc.line, loc.column, loc.end_line, loc.end_column)
}

#[test]
fn documents_around_a_broken_one_are_kept_and_the_error_is_located() {
    let text = "a: 1\n---\nb: [1, 2\nc: 3\n---\nd: 4\n";
    let src = SourceMap::new("x.yaml", text);
    let loaded = load_file(&src);
    assert_eq!(loaded.docs.len(), 2);
    assert_eq!(loaded.problems.len(), 1);
    let problem = &loaded.problems[0];
    assert_eq!(problem.loc.path.as_ref(), "x.yaml");
    assert_eq!(problem.loc.line, 4);
    assert_eq!(problem.message, problem.message.to_lowercase());
}

#[test]
fn tokens_are_located_in_bytes_with_character_columns() {
    let text = "name: \"café\"   # comment\nport: 8080\nlabel: é\n";
    let src = SourceMap::new("x.yaml", text);
    let loaded = load_file(&src);
    let doc = loaded.docs.first().unwrap_or_else(|| panic!("doc"));
    let name = field(doc, "name").unwrap_or_else(|| panic!("name")).value;
    let loc = src.token_loc(name);
    assert_eq!(text.get(loc.span.start..loc.span.end), Some("\"café\""));
    assert_eq!(pos(&loc), (1, 7, 1, 12));
    let port = field(doc, "port").unwrap_or_else(|| panic!("port"));
    assert_eq!(pos(&src.entry_loc(port.key, port.value)), (2, 1, 2, 10));
    let label = path(doc, &["label"]).unwrap_or_else(|| panic!("label"));
    assert_eq!(pos(&src.token_loc(label)), (3, 8, 3, 8));
}

#[test]
fn deep_nesting_is_refused_on_a_small_stack() {
    let run = || {
        for text in [
            "[".repeat(100_000),
            "{a: ".repeat(100_000),
            "- ".repeat(100_000) + "x",
        ] {
            let src = SourceMap::new("deep.yaml", &text);
            let loaded = load_file(&src);
            assert!(loaded.docs.is_empty());
            assert!(!loaded.problems.is_empty());
        }
    };
    let handle = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(run)
        .unwrap_or_else(|e| panic!("spawn: {e}"));
    assert!(handle.join().is_ok());
    assert_eq!(MAX_DEPTH, 256);
}

#[test]
fn alias_bomb_is_refused_quickly() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 9].join(", ");
        text += &format!("a{i}: &a{i} [{refs}]\n");
    }
    let started = Instant::now();
    let src = SourceMap::new("bomb.yaml", &text);
    let loaded = load_file(&src);
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(loaded.problems.iter().any(|p| p.message.contains("alias")));
}

#[test]
fn merge_keys_and_their_locations() {
    let yaml = "x-env: &env\n  A: \"1\"\nsvc:\n  <<: *env\n  B: \"2\"\n";
    let src = SourceMap::new("m.yaml", yaml);
    let loaded = load_file(&src);
    let doc = loaded.docs.first().unwrap_or_else(|| panic!("doc"));
    let svc = path(doc, &["svc"]).unwrap_or_else(|| panic!("svc"));
    let keys: Vec<&str> = merged_entries(svc)
        .iter()
        .filter_map(|e| scalar(e.key).map(|(k, _)| k))
        .collect();
    assert_eq!(keys, ["B", "A"]);
    let a = field(svc, "A").unwrap_or_else(|| panic!("A"));
    assert_eq!(text(a.value), Some("1"));
    // Located where the anchor writes it.
    assert_eq!(pos(&src.token_loc(a.value)), (2, 6, 2, 8));
}

#[test]
fn template_actions_get_a_note() {
    let text = "image: {{ .Values.image }}\n";
    let src = SourceMap::new("t.yaml", text);
    let at = first_template_action(text).unwrap_or_else(|| panic!("action"));
    let note = template_note(&src, at, "helm template");
    assert_eq!(
        note.message,
        "helm template skipped: not yaml until rendered"
    );
    assert_eq!(pos(&note.loc), (1, 8, 1, 9));
}
