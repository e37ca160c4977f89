//! How the human report lays out many findings: grouped by rule, service or
//! file (`--group-by`), at most N diagnostics per group (`--max-findings`
//! with a grouping), and findings of one rule with the very same message
//! drawn once, "and N more places" listing the rest.

use crate::escape::terminal;
use crate::finding::Finding;
use crate::report::{counts, plural};
use std::collections::BTreeMap;

/// `--group-by`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GroupBy {
    /// By service, findings of no service last (the default).
    #[default]
    Service,
    Rule,
    File,
}

impl GroupBy {
    pub fn noun(self) -> &'static str {
        match self {
            GroupBy::Service => "service",
            GroupBy::Rule => "rule",
            GroupBy::File => "file",
        }
    }
}

/// A group: its title (`None`: the findings tied to no service) and its
/// members, indices into the findings in report order.
pub type Group = (Option<String>, Vec<usize>);

pub fn groups(findings: &[Finding], by: GroupBy) -> Vec<Group> {
    let mut named: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut none = Vec::new();
    for (i, f) in findings.iter().enumerate() {
        let key = match by {
            GroupBy::Service => f.service.as_deref(),
            GroupBy::Rule => Some(f.rule),
            GroupBy::File => Some(&*f.location.path),
        };
        match key {
            Some(k) => named.entry(k).or_default().push(i),
            None => none.push(i),
        }
    }
    let mut out: Vec<Group> = named
        .into_iter()
        .map(|(k, v)| (Some(k.to_string()), v))
        .collect();
    if !none.is_empty() {
        out.push((None, none));
    }
    out
}

pub fn header(findings: &[Finding], by: GroupBy, name: Option<&str>, members: &[usize]) -> String {
    let [e, w, n] = counts(members.iter().filter_map(|&i| findings.get(i)));
    let title = match name {
        Some(n) => format!("{} {}", by.noun(), terminal(n)),
        None => "not tied to a service".to_string(),
    };
    format!(
        "── {title}: {}, {}, {} ──\n\n",
        plural(e, "error"),
        plural(w, "warning"),
        plural(n, "note")
    )
}

/// The members to draw, each with the other members it stands for (same
/// rule, same message). Representatives keep report order.
pub fn collapse(findings: &[Finding], members: &[usize]) -> Vec<(usize, Vec<usize>)> {
    let mut out: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut first: std::collections::HashMap<(&str, &str), usize> = Default::default();
    for &i in members {
        let Some(f) = findings.get(i) else { continue };
        match first.get(&(f.rule, f.message.as_str())) {
            Some(&slot) => {
                if let Some(entry) = out.get_mut(slot) {
                    entry.1.push(i);
                }
            }
            None => {
                first.insert((f.rule, f.message.as_str()), out.len());
                out.push((i, Vec::new()));
            }
        }
    }
    out
}

/// Places listed after "and N more places"; the rest are counted.
const PLACES_LISTED: usize = 5;

/// `  … and 3 more places: a.yaml:4:7, b.yaml:9:7, c.yaml:2:3`.
pub fn more_places(findings: &[Finding], others: &[usize]) -> String {
    if others.is_empty() {
        return String::new();
    }
    let mut places: Vec<String> = others
        .iter()
        .filter_map(|&i| findings.get(i))
        .take(PLACES_LISTED)
        .map(|f| {
            format!(
                "{}:{}:{}",
                terminal(&f.location.path),
                f.location.line,
                f.location.column
            )
        })
        .collect();
    if others.len() > PLACES_LISTED {
        places.push("…".to_string());
    }
    format!(
        "  … and {}: {}\n\n",
        plural(others.len(), "more place"),
        places.join(", ")
    )
}

/// Findings per rule, most first: the `--summary` table.
pub fn rule_table(findings: &[Finding]) -> String {
    let mut by_rule: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        by_rule.entry(f.rule).or_default().push(f);
    }
    let mut rows: Vec<(&str, [usize; 3])> = by_rule
        .into_iter()
        .map(|(rule, fs)| (rule, counts(fs)))
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let width = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
    let mut text = String::new();
    for (rule, [e, w, n]) in rows {
        text.push_str(&format!(
            "  {rule:<width$}  {}\n",
            [(e, "error"), (w, "warning"), (n, "note")]
                .iter()
                .filter(|(c, _)| *c > 0)
                .map(|(c, word)| plural(*c, word))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;
    use seamcheck_facts::LineIndex;

    fn finding(rule: &'static str, path: &str, message: &str) -> Finding {
        let idx = LineIndex::new(path, "abc\n");
        Finding::new(rule, Severity::Warning, idx.location(0..1), message)
    }

    #[test]
    fn identical_messages_collapse_into_one() {
        let fs = vec![
            finding("missing-resources", "a.yaml", "no resources"),
            finding("missing-resources", "b.yaml", "no resources"),
            finding("runs-as-root", "a.yaml", "no resources"),
            finding("missing-resources", "c.yaml", "no resources"),
        ];
        let c = collapse(&fs, &[0, 1, 2, 3]);
        assert_eq!(c, vec![(0, vec![1, 3]), (2, vec![])]);
        assert_eq!(
            more_places(&fs, &[1, 3]),
            "  … and 2 more places: b.yaml:1:1, c.yaml:1:1\n\n"
        );
        let by_file = groups(&fs, GroupBy::File);
        assert_eq!(by_file.len(), 3);
        assert_eq!(by_file[0], (Some("a.yaml".to_string()), vec![0, 2]));
    }
}
