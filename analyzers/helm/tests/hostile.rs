//! Hostile templates end with a note, never a hang, a crash or unbounded
//! memory.

use seamcheck_helm::testing::render_text;

fn run(text: &str) -> Result<String, String> {
    render_text(
        &[("t".to_string(), text.to_string())],
        "t",
        r#"{"Values": {"n": 3}}"#,
    )
}

#[test]
fn endless_recursion_stops() {
    let e = run(r#"{{ define "loop" }}{{ include "loop" . }}{{ end }}{{ include "loop" . }}"#)
        .unwrap_err();
    assert!(e.contains("nests more than"), "{e}");
}

#[test]
fn huge_loops_stop() {
    let e =
        run("{{ range until 1000000 }}{{ range until 1000000 }}x{{ end }}{{ end }}").unwrap_err();
    assert!(e.contains("steps") || e.contains("output"), "{e}");
}

#[test]
fn output_doubling_stops() {
    let e = run(
        r#"{{ $s := "xxxxxxxxxxxxxxxx" }}{{ range until 40 }}{{ $s = print $s $s }}{{ end }}{{ $s }}"#,
    );
    assert!(e.is_err() || e.is_ok_and(|s| s.len() <= 64 << 20));
}

#[test]
fn a_map_holding_itself_prints_without_end() {
    let out = run(
        r#"{{ $d := dict }}{{ $_ := set $d "self" $d }}{{ toJson $d | len }} {{ toYaml $d | len }} {{ $d | print | len }}"#,
    );
    assert!(out.is_ok(), "{out:?}");
}

#[test]
fn garbage_does_not_panic() {
    for t in [
        "{{",
        "}}",
        "{{ (((( }}",
        "{{ .a.b.c | | }}",
        "{{ end }}",
        "{{ else }}",
        "{{ define }}",
        "{{ 'ab' }}",
        "{{ 0x }}",
        "{{/* x",
        "\u{0}{{ .\u{0} }}",
    ] {
        let _ = run(t);
    }
}

#[test]
fn deep_nesting_is_refused() {
    let parens = format!("{{{{ {}1{} }}}}", "(".repeat(10_000), ")".repeat(10_000));
    assert!(run(&parens).unwrap_err().contains("nest"));
    let ifs = format!(
        "{}x{}",
        "{{ if 1 }}".repeat(10_000),
        "{{ end }}".repeat(10_000)
    );
    assert!(run(&ifs).unwrap_err().contains("nest"));
}

/// Fixture templates mutated at random (a fixed seed): the engine never
/// panics, whatever the text.
#[test]
fn mutated_fixture_templates_never_panic() {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/helm");
    let mut texts = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.to_string_lossy().contains("/templates/") {
                texts.push(std::fs::read_to_string(&p).unwrap_or_default());
            }
        }
    }
    assert!(texts.len() >= 10);
    let pieces = [
        "{{", "}}", "{{-", "-}}", "(", ")", "|", "$", ".", "\"", "`", "'", " ", "\n", "end",
        "else", "range", "if", ":=", "/*", "*/", "x", "0", "-",
    ];
    let mut seed: u64 = 0x5eed;
    let mut next = |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) as usize) % n.max(1)
    };
    let data = r#"{"Values": {"name": "web", "port": 80, "list": [1, 2], "map": {"a": "b"}}, "Release": {"Name": "r"}, "Chart": {"Name": "c"}}"#;
    for text in &texts {
        for _ in 0..60 {
            let mut t = text.clone();
            for _ in 0..1 + next(4) {
                let at = (0..=next(t.len() + 1))
                    .rev()
                    .find(|i| t.is_char_boundary(*i))
                    .unwrap_or(0);
                if next(2) == 0 {
                    t.insert_str(at, pieces[next(pieces.len())]);
                } else {
                    let end = (at + 1 + next(6)).min(t.len());
                    let end = (end..=t.len())
                        .find(|i| t.is_char_boundary(*i))
                        .unwrap_or(t.len());
                    t.replace_range(at..end, "");
                }
            }
            let _ = render_text(&[("t".to_string(), t)], "t", data);
        }
    }
}
