//! clippy's message style for every finding seamcheck produces on the
//! fixtures: no trailing period, and no capital to start unless the first word
//! is a name written that way in the file (`EXPOSE`, `Service`, `PORT=…`).

use crate::common::*;

const PROPER_NAMES: &[&str] = &["Service", "Ingress", "HEALTHCHECK", "EXPOSE", "USER"];

fn fixture_roots() -> Vec<String> {
    let mut roots = vec![
        "sre-app/broken".to_string(),
        "linking/monorepo".to_string(),
        "compose/shop".to_string(),
        "bad-input".to_string(),
    ];
    let rules = fixture("rules");
    let mut dirs: Vec<_> = std::fs::read_dir(&rules)
        .expect("fixtures/rules")
        .flatten()
        .collect();
    dirs.sort_by_key(|d| d.file_name());
    for d in dirs {
        let name = d.file_name().to_string_lossy().into_owned();
        roots.push(format!("rules/{name}/fires"));
    }
    roots
}

fn well_styled(message: &str) -> bool {
    let first_word = message.split_whitespace().next().unwrap_or("");
    let starts_lower = message.chars().next().is_some_and(|c| !c.is_uppercase());
    let env_assignment = first_word.split_once('=').is_some_and(|(k, _)| {
        k.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    });
    let code_name = first_word.starts_with("containerPort") || first_word.ends_with("Probe");
    !message.ends_with('.')
        && (starts_lower || env_assignment || code_name || PROPER_NAMES.contains(&first_word))
}

#[test]
fn every_message_follows_the_style() {
    let mut seen = 0;
    for root in fixture_roots() {
        let (report, _) = audit_json(&root, &[]);
        for f in findings(&report) {
            let message = f["message"].as_str().unwrap_or_default();
            assert!(well_styled(message), "{root}: {}: {message:?}", f["rule"]);
            for r in f["related"].as_array().into_iter().flatten() {
                let m = r["message"].as_str().unwrap_or_default();
                assert!(!m.ends_with('.'), "{root}: related {m:?}");
            }
            seen += 1;
        }
    }
    assert!(seen > 50, "the fixtures produce findings to check ({seen})");
}

#[test]
fn the_style_check_itself_can_fail() {
    assert!(!well_styled("The port is wrong"));
    assert!(!well_styled("the port is wrong."));
    assert!(well_styled("EXPOSE 80 but the app listens on 8080"));
    assert!(well_styled("PORT=9000 is set by the Dockerfile ENV"));
}
