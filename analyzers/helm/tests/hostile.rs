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
