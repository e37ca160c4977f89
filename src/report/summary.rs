//! The end of the human report: counts by rule and the coverage line (how
//! many services seamcheck checked end to end).

use crate::audit::{Audit, ServiceReport};
use crate::finding::Severity;
use crate::report::plural;
use std::collections::BTreeMap;

/// Findings by rule: count and severity, most severe and most frequent first.
pub fn rule_table(audit: &Audit) -> String {
    let mut by_rule: BTreeMap<(&str, Severity), usize> = BTreeMap::new();
    for f in &audit.findings {
        *by_rule.entry((f.rule, f.severity)).or_default() += 1;
    }
    if by_rule.is_empty() {
        return String::new();
    }
    let mut rows: Vec<((&str, Severity), usize)> = by_rule.into_iter().collect();
    rows.sort_by(|a, b| {
        b.0 .1
            .cmp(&a.0 .1)
            .then(b.1.cmp(&a.1))
            .then(a.0 .0.cmp(b.0 .0))
    });
    let width = rows.iter().map(|((r, _), _)| r.len()).max().unwrap_or(0);
    let mut text = String::from("\nby rule:\n");
    for ((rule, severity), count) in rows {
        text.push_str(&format!(
            "  {rule:<width$}  {:<7}  {count:>5}  ({})\n",
            severity.as_str(),
            crate::rules::category::category_of(rule)
        ));
    }
    text
}

/// A service checked end to end: the app's listen port is resolved and it
/// is linked to a manifest or a compose service.
pub fn checked_end_to_end(s: &ServiceReport) -> bool {
    let deployed = !s.workloads.is_empty() || !s.compose.is_empty();
    let listens = s.listen.as_ref().is_some_and(|l| l.port.is_some())
        || s.workloads
            .iter()
            .any(|w| w.listen.as_ref().is_some_and(|l| l.port.is_some()))
        || s.compose
            .iter()
            .any(|c| c.listen.as_ref().is_some_and(|l| l.port.is_some()));
    deployed && listens
}

pub fn coverage_line(audit: &Audit) -> String {
    let checked = audit
        .services
        .iter()
        .filter(|s| checked_end_to_end(s))
        .count();
    format!(
        "coverage: {checked} of {} checked end to end (listen address resolved and linked to a manifest or compose service)\n",
        plural(audit.services.len(), "service")
    )
}
