//! YAML that parses but is still a template: moustache, Jinja or Helm
//! braces where names, labels or whole lines belong (`name: etcd-{{cell}}`,
//! a `{% for %}` line). Such a file is not a manifest until rendered; its
//! objects would link to nothing.

use seamcheck_facts::kube::Label;
use seamcheck_facts::KubeFacts;

/// Whether a line of the text is a template control line (`{{- if … }}`,
/// `{% for … %}`), outside any value.
pub(crate) fn has_control_line(text: &str) -> bool {
    text.lines().any(|l| {
        let t = l.trim_start();
        t.starts_with("{{") || t.starts_with("{%")
    })
}

/// Whether an object's identity (name, namespace, labels, selector) holds
/// template braces.
pub(crate) fn identity_is_templated(facts: &KubeFacts) -> bool {
    let braces = |s: &str| s.contains("{{") || s.contains("{%");
    let labels = |ls: &[Label]| ls.iter().any(|l| braces(&l.key) || braces(&l.value));
    facts.workloads.iter().any(|w| {
        braces(&w.name.value) || w.namespace.as_deref().is_some_and(braces) || labels(&w.pod_labels)
    }) || facts.services.iter().any(|s| {
        braces(&s.name.value)
            || s.namespace.as_deref().is_some_and(braces)
            || s.selector.as_deref().is_some_and(labels)
    }) || facts
        .ingresses
        .iter()
        .any(|i| braces(&i.name.value) || i.backends.iter().any(|b| braces(&b.service.value)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_lines() {
        assert!(has_control_line(
            "a: 1\n{{- if .Values.x }}\nb: 2\n{{- end }}\n"
        ));
        assert!(has_control_line(
            "{% for p in ports %}\n- {{ p }}\n{% endfor %}\n"
        ));
        assert!(!has_control_line(
            "data:\n  alert: '{{ $labels.instance }} is down'\n"
        ));
    }
}
