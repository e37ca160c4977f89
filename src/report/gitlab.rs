//! GitLab Code Quality report (a JSON array of issues), for
//! `artifacts:reports:codequality`.
//!
//! Each issue has `description`, `check_name` (the rule ID), `fingerprint`
//! (unique per issue, stable across line shifts), `severity` (error →
//! `critical`, warning → `major`, note → `info`) and `location.path` with
//! `location.lines.begin`, plus the optional `type`, `categories`,
//! `engine_name` and `content.body` (the suggested fix).

use crate::audit::Audit;
use crate::finding::Severity;
use crate::report::ci_prefix;
use serde_json::{json, Value};
use std::collections::HashMap;

pub fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "critical",
        Severity::Warning => "major",
        Severity::Note => "info",
    }
}

pub fn render(audit: &Audit) -> String {
    let prefix = ci_prefix(audit);
    // GitLab keys issues by fingerprint: the same problem twice in one file
    // gets `-2`, `-3` … so that neither is lost.
    let mut seen: HashMap<String, usize> = HashMap::new();
    let issues: Vec<Value> = audit
        .findings
        .iter()
        .map(|f| {
            let base = f.fingerprint();
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            let fingerprint = if *n == 1 { base } else { format!("{base}-{n}") };
            let mut description = format!("{}: {}", f.rule, f.message);
            for r in &f.related {
                description.push_str(&format!(
                    "; {prefix}{}:{}: {}",
                    r.loc.path, r.loc.line, r.message
                ));
            }
            let mut issue = json!({
                "type": "issue",
                "engine_name": "seamcheck",
                "check_name": f.rule,
                "description": description,
                "categories": ["Bug Risk"],
                "severity": severity(f.severity),
                "fingerprint": fingerprint,
                "location": {
                    "path": format!("{prefix}{}", f.location.path),
                    "lines": { "begin": f.location.line.max(1), "end": f.location.end_line.max(f.location.line).max(1) },
                },
            });
            if let (Some(help), Some(obj)) = (&f.help, issue.as_object_mut()) {
                obj.insert("content".into(), json!({ "body": help }));
            }
            issue
        })
        .collect();
    crate::report::json::to_pretty(&issues)
}
