//! Reading values out of YAML nodes the way Kubernetes decodes them: the
//! generic readers of `seamcheck_yaml::node`, plus int-or-string ports.

use seamcheck_facts::PortRef;
pub(crate) use seamcheck_yaml::node::{
    boolean, entries, field, integer, is_mapping, is_null, is_sequence, path, port_number,
    sequence, text, text_field, Entry, Node,
};
use seamcheck_yaml::node::{parse_decimal, scalar, valid_port};

/// An int-or-string port (probe `port`, Service `targetPort`): a number, or a
/// name. A numeric string such as `"8080"` counts as the number.
pub(crate) fn port_ref(node: &Node<'_>) -> Option<PortRef> {
    let (text, _) = scalar(node)?;
    if is_null(node) {
        return None;
    }
    if let Some(n) = parse_decimal(text) {
        return valid_port(n).map(PortRef::Number);
    }
    is_port_name(text).then(|| PortRef::Name(text.to_string()))
}

/// Kubernetes port names are IANA service names (at most 15 lowercase
/// letters, digits and dashes, one letter at least). This is looser, so that
/// a slightly invalid name is still matched and reported, but a template
/// placeholder (`{{ .Values.port }}`) is not taken for a name.
fn is_port_name(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 63
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
        && text.chars().any(|c| c.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_numbers_and_names() {
        let text = "a: 8080\nb: \"8080\"\nc: http\nd: 70000\ne: '{{ .Values.p }}'\nf: 0\n";
        let loaded = seamcheck_yaml::load_documents(text, |b| b);
        let doc = loaded.docs.first().unwrap_or_else(|| panic!("no doc"));
        let get = |k: &str| path(doc, &[k]).and_then(port_ref);
        assert_eq!(get("a"), Some(PortRef::Number(8080)));
        assert_eq!(get("b"), Some(PortRef::Number(8080)));
        assert_eq!(get("c"), Some(PortRef::Name("http".into())));
        assert_eq!(get("d"), None);
        assert_eq!(get("e"), None);
        assert_eq!(get("f"), None);
        assert_eq!(path(doc, &["b"]).and_then(port_number), None);
    }
}
