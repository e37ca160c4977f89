//! Helm templates are not YAML until rendered: `{{ ... }}` actions break
//! the syntax or stand where values belong. They are skipped with a note.

pub(crate) use seamcheck_yaml::template::{first_template_action, template_note};

/// A file inside a chart's `templates/` directory (any depth).
pub(crate) fn in_templates_dir(path: &str) -> bool {
    let mut parts: Vec<&str> = path.split('/').collect();
    parts.pop(); // the file name itself
    parts.contains(&"templates")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spots_template_files() {
        assert!(in_templates_dir("charts/web/templates/deployment.yaml"));
        assert!(!in_templates_dir("k8s/templates.yaml"));
        assert_eq!(first_template_action("a: {{ .Values.x }}"), Some(3));
        assert_eq!(first_template_action("a: '{{'"), None);
    }
}
