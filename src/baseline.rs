//! Baselines: `--write-baseline FILE` records today's findings by
//! fingerprint; `--baseline FILE` hides exactly those, so a legacy repository
//! can adopt seamcheck as a gate on new problems only.
//!
//! Fingerprints (`Finding::fingerprint`) hash rule, file, service and the
//! facts involved, never line numbers, so the baseline survives edits that
//! shift lines and stops matching when the facts change. Two findings can
//! share a fingerprint (the same problem twice in one file); the baseline
//! keeps a count, so a third occurrence is new.

use crate::finding::Finding;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

pub const BASELINE_VERSION: u32 = 1;

/// The file: sorted, one entry per finding, readable in a diff.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: u32,
    findings: Vec<Entry>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
struct Entry {
    fingerprint: String,
    rule: String,
    path: String,
    /// For the reader of the file only; matching uses the fingerprint.
    message: String,
}

/// Fingerprints and how many findings of each the baseline accepts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baseline {
    counts: BTreeMap<String, usize>,
}

impl Baseline {
    pub fn from_findings<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Self {
        let mut counts = BTreeMap::new();
        for f in findings {
            *counts.entry(f.fingerprint()).or_insert(0) += 1;
        }
        Baseline { counts }
    }

    /// Loads a baseline named on the command line: a trusted path, but a
    /// regular file of at most `MAX_BASELINE_SIZE` bytes.
    pub fn load(path: &Path) -> Result<Self, String> {
        let bytes = crate::input::read_trusted(path, crate::input::MAX_BASELINE_SIZE)
            .map_err(|e| format!("{}: cannot read the baseline: {e}", path.display()))?;
        let text = std::str::from_utf8(&bytes)
            .map_err(|_| format!("{}: not a seamcheck baseline: not UTF-8", path.display()))?;
        Self::parse(text).map_err(|e| format!("{}: {e}", path.display()))
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let file: File =
            serde_json::from_str(text).map_err(|e| format!("not a seamcheck baseline: {e}"))?;
        if file.version != BASELINE_VERSION {
            return Err(format!(
                "baseline version {} is not supported (expected {BASELINE_VERSION})",
                file.version
            ));
        }
        let mut counts = BTreeMap::new();
        for e in file.findings {
            *counts.entry(e.fingerprint).or_insert(0) += 1;
        }
        Ok(Baseline { counts })
    }

    /// Splits findings into (new, known to the baseline).
    pub fn split(&self, findings: Vec<Finding>) -> (Vec<Finding>, Vec<Finding>) {
        let mut left = self.counts.clone();
        findings
            .into_iter()
            .partition(|f| match left.get_mut(&f.fingerprint()) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            })
    }

    pub fn len(&self) -> usize {
        self.counts.values().sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The baseline file for these findings.
pub fn render(findings: &[Finding]) -> String {
    let mut entries: Vec<Entry> = findings
        .iter()
        .map(|f| Entry {
            fingerprint: f.fingerprint(),
            rule: f.rule.to_string(),
            path: f.location.path.to_string(),
            message: f.message.clone(),
        })
        .collect();
    entries.sort();
    let file = File {
        version: BASELINE_VERSION,
        findings: entries,
    };
    // Escaped like every JSON output: the messages quote the repository.
    crate::json_text::to_pretty(&file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;
    use seamcheck_facts::LineIndex;

    fn finding(text: &str, line_offset: usize, key: &str) -> Finding {
        let idx = LineIndex::new("k8s/deploy.yaml", text);
        let mut f = Finding::new(
            "missing-resources",
            Severity::Warning,
            idx.location(line_offset..line_offset + 1),
            "container `web` has no memory limit",
        );
        f.key = key.to_string();
        f
    }

    #[test]
    fn round_trip_counts_and_line_independence() {
        let text = "a\nb\nc\nd\n";
        let today = vec![finding(text, 0, "web"), finding(text, 2, "web")];
        let baseline = Baseline::parse(&render(&today)).expect("parses");
        assert_eq!(baseline.len(), 2);
        // Same facts on other lines, plus a third occurrence and a new fact.
        let tomorrow = vec![
            finding(text, 4, "web"),
            finding(text, 6, "web"),
            finding(text, 6, "web"),
            finding(text, 0, "api"),
        ];
        let (new, known) = baseline.split(tomorrow);
        assert_eq!(known.len(), 2);
        assert_eq!(new.len(), 2);
        assert_eq!(new[1].key, "api");
    }

    #[test]
    fn bad_files_are_errors() {
        assert!(Baseline::parse("{").is_err());
        assert!(Baseline::parse("{\"version\": 2, \"findings\": []}").is_err());
        assert!(Baseline::parse("{\"version\": 1, \"findings\": [], \"x\": 1}").is_err());
        assert!(Baseline::parse("{\"version\": 1, \"findings\": []}")
            .expect("empty")
            .is_empty());
    }
}
