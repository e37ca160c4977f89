//! `docs/rules.md` is generated from the rules' doc comments; this test fails
//! when it is stale. Regenerate with `SEAMCHECK_UPDATE_DOCS=1 cargo test --test docs`.

use seamcheck::rules::RULES;

fn generated() -> String {
    let mut out = String::from(
        "# Rules\n\n<!-- Generated from the doc comments in src/rules/*.rs; do not edit by hand.\n     Regenerate: SEAMCHECK_UPDATE_DOCS=1 cargo test --test docs -->\n\n| id | severity | what it flags |\n|---|---|---|\n",
    );
    for r in RULES {
        out.push_str(&format!(
            "| [`{0}`](#{0}) | {1} | {2} |\n",
            r.meta.id,
            r.meta.severity.as_str(),
            r.meta.summary
        ));
    }
    for r in RULES {
        let doc = r.meta.doc().replace("\n## ", "\n### ");
        let doc = doc
            .strip_prefix("## ")
            .map_or(doc.clone(), |d| format!("### {d}"));
        out.push_str(&format!(
            "\n## {}\n\nDefault severity: **{}**\n\n{}\n",
            r.meta.id,
            r.meta.severity.as_str(),
            doc
        ));
    }
    out
}

#[test]
fn rules_md_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    let want = generated();
    if std::env::var_os("SEAMCHECK_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &want).expect("write docs/rules.md");
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/rules.md is stale: run SEAMCHECK_UPDATE_DOCS=1 cargo test --test docs"
    );
}

/// The rule table of README.md, between its markers, from the rules.
fn readme_table() -> String {
    let mut out = String::from("| id | severity | what it flags |\n|---|---|---|\n");
    for r in RULES {
        out.push_str(&format!(
            "| [{0}](docs/rules.md#{0}) | {1} | {2} |\n",
            r.meta.id,
            r.meta.severity.as_str(),
            r.meta.summary
        ));
    }
    out
}

const TABLE_START: &str = "<!-- rules table: generated from src/rules/*.rs by tests/docs.rs; regenerate with SEAMCHECK_UPDATE_DOCS=1 cargo test --test docs -->\n";
const TABLE_END: &str = "<!-- end of rules table -->";

#[test]
fn readme_rule_table_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).expect("README.md");
    let start = readme
        .find(TABLE_START)
        .expect("README.md has the rules table start marker");
    let body_start = start + TABLE_START.len();
    let end = body_start
        + readme[body_start..]
            .find(TABLE_END)
            .expect("README.md has the rules table end marker");
    let want = readme_table();
    if std::env::var_os("SEAMCHECK_UPDATE_DOCS").is_some() {
        let updated = format!("{}{want}{}", &readme[..body_start], &readme[end..]);
        std::fs::write(&path, updated).expect("write README.md");
        return;
    }
    assert!(
        readme[body_start..end] == want,
        "the README rule table is stale: run SEAMCHECK_UPDATE_DOCS=1 cargo test --test docs"
    );
}

#[test]
fn every_rule_doc_has_the_four_sections() {
    for r in RULES {
        let doc = r.meta.doc();
        for section in [
            "## What it does",
            "## Why it matters",
            "## Example",
            "## How to fix",
        ] {
            assert!(doc.contains(section), "{} lacks `{section}`", r.meta.id);
        }
    }
}

#[test]
fn rule_ids_are_kebab_case_and_unique() {
    let mut seen = std::collections::HashSet::new();
    for r in RULES {
        let id = r.meta.id;
        assert!(seen.insert(id), "duplicate {id}");
        assert!(
            id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "{id}"
        );
        assert!(
            !r.meta.summary.ends_with('.'),
            "{id} summary ends with a period"
        );
        // clippy's message style: no capital to start (a code span may).
        let first = r.meta.summary.chars().next();
        assert!(
            first.is_some_and(|c| c.is_lowercase() || c == '`'),
            "{id} summary"
        );
    }
}

#[test]
fn rules_match_the_design_table() {
    // IDs and default severities are a contract (design.md).
    let want = [
        ("expose-port-mismatch", "error"),
        ("container-port-mismatch", "error"),
        ("probe-port-mismatch", "error"),
        ("service-target-port-mismatch", "error"),
        ("service-selector-no-match", "error"),
        ("ingress-backend-missing", "error"),
        ("localhost-bind", "error"),
        ("probe-path-unserved", "error"),
        ("probe-handler-error-status", "error"),
        ("sleep-in-handler", "warning"),
        ("run-as-non-root-unverifiable", "error"),
        ("runs-as-root", "warning"),
        ("latest-tag-pull-policy", "warning"),
        ("missing-resources", "warning"),
        ("missing-readiness-probe", "warning"),
        ("missing-liveness-probe", "warning"),
        ("debug-mode-enabled", "warning"),
        ("full-base-image", "note"),
        ("cache-busting-copy", "note"),
        ("missing-healthcheck", "note"),
        ("parse-error", "error"),
    ];
    for (id, sev) in want {
        let r = seamcheck::rules::find(id).unwrap_or_else(|| panic!("rule {id} exists"));
        assert_eq!(r.meta.severity.as_str(), sev, "{id}");
    }
}
