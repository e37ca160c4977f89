//! Template languages (Helm, Jinja, gomplate) write `{{ ... }}` where YAML
//! values belong: such a file is not YAML until rendered, so its parse
//! errors are the template's, not the file's.

use crate::SourceMap;
use seamcheck_facts::SkipNote;

/// Where the first `{{` of the text starts, if it has a `}}` after it.
pub fn first_template_action(text: &str) -> Option<usize> {
    let open = text.find("{{")?;
    text.get(open..)?.contains("}}").then_some(open)
}

/// "`what` skipped: not yaml until rendered", located at the `{{`.
pub fn template_note(src: &SourceMap<'_>, at_byte: usize, what: &str) -> SkipNote {
    SkipNote {
        message: format!("{what} skipped: not yaml until rendered"),
        loc: src.bytes_loc(at_byte, at_byte.saturating_add(2)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_closed_action() {
        assert_eq!(first_template_action("a: {{ .Values.x }}"), Some(3));
        assert_eq!(first_template_action("a: '{{'"), None);
    }
}
