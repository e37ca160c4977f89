//! Rule categories, clippy style: a category name stands for its rules
//! wherever a rule ID is accepted (`--select`, `--ignore`, `[rules]`).
//! Categories only group; each rule keeps its default severity.

/// Every category, in the order of the design.
pub const CATEGORIES: &[&str] = &["wiring", "runtime", "security", "hygiene", "input"];

/// The category of a rule ID (`wiring` for an ID of no known category:
/// every cross-layer rule is).
pub fn category_of(id: &str) -> &'static str {
    match id {
        "probe-handler-error-status"
        | "sleep-in-handler"
        | "debug-mode-enabled"
        | "localhost-bind"
        | "healthcheck-tool-missing"
        | "healthcheck-port-mismatch"
        | "port-env-required"
        | "port-env-ignored"
        | "phantom-port"
        | "liveness-depends-on-downstream" => "runtime",
        "runs-as-root" | "run-as-non-root-unverifiable" => "security",
        "missing-readiness-probe"
        | "missing-liveness-probe"
        | "missing-resources"
        | "missing-healthcheck"
        | "latest-tag-pull-policy"
        | "full-base-image"
        | "cache-busting-copy" => "hygiene",
        "parse-error" | "unused-suppression" => "input",
        _ => "wiring",
    }
}

pub fn is_category(name: &str) -> bool {
    CATEGORIES.contains(&name)
}

/// The rule IDs a name stands for: a category's rules, or the name itself.
pub fn expand(name: &str) -> Vec<String> {
    if is_category(name) {
        super::RULES
            .iter()
            .map(|r| r.meta.id)
            .filter(|id| category_of(id) == name)
            .map(str::to_string)
            .collect()
    } else {
        vec![name.to_string()]
    }
}

/// Every name of a list expanded, duplicates removed, order kept.
pub fn expand_all(names: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for id in names.iter().flat_map(|n| expand(n)) {
        if !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_a_category_and_categories_are_not_rule_ids() {
        for c in CATEGORIES {
            assert!(super::super::find(c).is_none(), "{c}");
            assert!(!expand(c).is_empty(), "{c} has rules");
        }
        assert_eq!(category_of("runs-as-root"), "security");
        assert_eq!(category_of("service-selector-no-match"), "wiring");
        assert!(expand("hygiene").contains(&"missing-resources".to_string()));
        assert_eq!(expand("parse-error"), vec!["parse-error".to_string()]);
    }
}
