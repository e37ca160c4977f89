//! Go's `encoding/json` string encoding, shared by the renderers that must
//! reproduce Go's bytes exactly: Helm's `toJson` and kustomize's generator
//! hashes (a different escape is a different hash suffix).

/// Appends `s` as a JSON string the way Go's `json.Marshal` writes it:
/// `"`, `\`, `\n`, `\r`, `\t` escaped by name, other control characters and
/// the line separators U+2028/U+2029 as `\u00XX`, and with `escape_html`
/// (Go's default) `<`, `>` and `&` as `\u003c`, `\u003e`, `\u0026`.
pub fn write_string(s: &str, escape_html: bool, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' if escape_html => out.push_str(&format!("\\u{:04x}", c as u32)),
            '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::write_string;

    #[test]
    fn escapes_as_go_does() {
        let mut s = String::new();
        write_string("a<b>&\"\n\u{1}\u{2028}", true, &mut s);
        assert_eq!(s, r#""a\u003cb\u003e\u0026\"\n\u0001\u2028""#);
        let mut s = String::new();
        write_string("<&>", false, &mut s);
        assert_eq!(s, r#""<&>""#);
    }
}
