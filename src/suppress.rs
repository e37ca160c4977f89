//! After the rules ran: severity overrides from the configuration, inline
//! suppressions (`seamcheck: ignore[…]`, found by the analyzers), unused
//! suppressions as `unused-suppression` notes, and the baseline.
//!
//! A directive silences findings whose *primary* location (where the fix
//! goes) starts on its target line: the line it ends, or, alone on its line,
//! the next line (see `seamcheck_facts::suppress`). A directive alone on its
//! line also covers a finding pointing at that very line, which is how a
//! whole-file finding placed on line 1 is silenced.

use crate::baseline::Baseline;
use crate::config::SuppressionPolicy;
use crate::finding::{Finding, Severity};
use crate::rules;
use seamcheck_facts::{FileAnalysis, Location, Suppression};
use serde::Serialize;
use std::collections::HashMap;

/// The rule ID of the notes about directives that silence nothing.
pub const UNUSED_RULE: &str = "unused-suppression";

/// A finding hidden from the report, and what hid it.
#[derive(Debug, Clone)]
pub struct Suppressed {
    pub finding: Finding,
    pub by: SuppressedBy,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum SuppressedBy {
    /// An inline directive, at `loc`.
    Inline {
        #[serde(skip)]
        loc: Location,
        reason: Option<String>,
    },
    /// The `--baseline` file.
    Baseline,
}

/// What post-processing needs to know besides the findings.
pub struct Policy<'a> {
    /// `(rule, severity)` overrides from `[rules]`.
    pub severity: &'a [(String, Severity)],
    pub suppressions: &'a SuppressionPolicy,
    pub baseline: Option<&'a Baseline>,
    /// Whether a rule ran (selected and not turned off): a directive for a
    /// rule that did not run is not "unused".
    pub ran: &'a dyn Fn(&str) -> bool,
}

/// Applies severity overrides, inline suppressions and the baseline. Returns
/// the findings to report (with the unused-suppression notes added) and the
/// hidden ones.
pub fn apply(
    files: &[FileAnalysis],
    mut findings: Vec<Finding>,
    policy: &Policy<'_>,
) -> (Vec<Finding>, Vec<Suppressed>) {
    override_severities(&mut findings, policy.severity);
    let mut hidden = Vec::new();
    let mut notes = Vec::new();
    if policy.suppressions.allow {
        findings = apply_inline(files, findings, policy, &mut hidden, &mut notes);
    } else if (policy.ran)(UNUSED_RULE) {
        for s in files.iter().flat_map(|f| &f.suppressions) {
            notes.push(note(
                s,
                "inline suppressions are disabled by the configuration (`[suppressions] allow = false`)",
            ));
        }
    }
    override_severities(&mut notes, policy.severity);
    findings.extend(notes);
    if let Some(baseline) = policy.baseline {
        let (kept, known) = baseline.split(findings);
        findings = kept;
        hidden.extend(known.into_iter().map(|finding| Suppressed {
            finding,
            by: SuppressedBy::Baseline,
        }));
    }
    (findings, hidden)
}

fn override_severities(findings: &mut [Finding], overrides: &[(String, Severity)]) {
    if overrides.is_empty() {
        return;
    }
    for f in findings {
        if let Some((_, s)) = overrides.iter().find(|(id, _)| id == f.rule) {
            f.severity = *s;
        }
    }
}

fn apply_inline(
    files: &[FileAnalysis],
    findings: Vec<Finding>,
    policy: &Policy<'_>,
    hidden: &mut Vec<Suppressed>,
    notes: &mut Vec<Finding>,
) -> Vec<Finding> {
    // Usable directives by (path, line) → indices into `all`.
    let all: Vec<&Suppression> = files.iter().flat_map(|f| &f.suppressions).collect();
    let mut used = vec![false; all.len()];
    let mut by_line: HashMap<(&str, u32), Vec<usize>> = HashMap::new();
    for (i, s) in all.iter().enumerate() {
        if !usable(s, policy.suppressions) {
            continue;
        }
        by_line
            .entry((&*s.loc.path, s.target_line))
            .or_default()
            .push(i);
        if s.own_line && s.loc.line != s.target_line {
            by_line
                .entry((&*s.loc.path, s.loc.line))
                .or_default()
                .push(i);
        }
    }
    let mut kept = Vec::with_capacity(findings.len());
    for f in findings {
        let key = (&*f.location.path, f.location.line);
        let hit = by_line.get(&key).and_then(|candidates| {
            candidates.iter().copied().find(|&i| {
                all.get(i)
                    .is_some_and(|s| s.rules.iter().any(|r| r.value == f.rule))
            })
        });
        match hit.and_then(|i| Some((i, *all.get(i)?))) {
            Some((i, s)) => {
                if let Some(u) = used.get_mut(i) {
                    *u = true;
                }
                hidden.push(Suppressed {
                    finding: f,
                    by: SuppressedBy::Inline {
                        loc: s.loc.clone(),
                        reason: s.reason.clone(),
                    },
                });
            }
            None => kept.push(f),
        }
    }
    if (policy.ran)(UNUSED_RULE) {
        for (i, s) in all.iter().enumerate() {
            if let Some(message) = problem(s, used.get(i) == Some(&true), policy) {
                notes.push(note(s, &message));
            }
        }
    }
    kept
}

/// Whether a directive may silence anything under the policy.
fn usable(s: &Suppression, policy: &SuppressionPolicy) -> bool {
    s.error.is_none() && (s.reason.is_some() || !policy.require_reason)
}

/// Why a directive deserves a note, if it does.
fn problem(s: &Suppression, used: bool, policy: &Policy<'_>) -> Option<String> {
    if let Some(e) = &s.error {
        return Some(format!("malformed suppression: {e}"));
    }
    if s.reason.is_none() && policy.suppressions.require_reason {
        return Some(
            "suppression without a reason is not honoured: the configuration requires `-- reason`"
                .to_string(),
        );
    }
    if used {
        return None;
    }
    let ids: Vec<&str> = rules::RULES.iter().map(|r| r.meta.id).collect();
    let mut unknown = Vec::new();
    let mut idle = Vec::new();
    for r in &s.rules {
        if rules::find(&r.value).is_none() {
            unknown.push(
                match crate::config::closest(&r.value, ids.iter().copied()) {
                    Some(c) => format!("unknown rule `{}` (did you mean `{c}`?)", r.value),
                    None => format!("unknown rule `{}`", r.value),
                },
            );
        } else if (policy.ran)(&r.value) {
            idle.push(format!("`{}`", r.value));
        }
    }
    if !unknown.is_empty() {
        return Some(format!("suppression names an {}", unknown.join(", an ")));
    }
    if idle.is_empty() {
        // Every rule it names was not run (`--select`, `--ignore`, "off").
        return None;
    }
    // No line number in the message: it feeds the fingerprint, which must
    // survive edits that shift lines.
    Some(format!(
        "suppression of {} matches no finding on the line it covers",
        idle.join(", ")
    ))
}

fn note(s: &Suppression, message: &str) -> Finding {
    Finding::new(UNUSED_RULE, Severity::Note, s.loc.clone(), message)
        .label("this suppression")
        .help("remove the comment, or fix the rule ID or the line it is on")
}
