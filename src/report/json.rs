//! The JSON report, version 1 (see design.md). Fields may be added; none is
//! removed or renamed without bumping `version`.

use crate::audit::{Audit, ServiceReport};
use crate::finding::{Finding, Severity};
use serde::Serialize;

pub const REPORT_VERSION: u32 = 1;

#[derive(Serialize)]
pub struct Report<'a> {
    pub version: u32,
    pub tool: Tool,
    pub root: &'a str,
    pub summary: Summary,
    pub services: &'a [ServiceReport],
    pub findings: Vec<JsonFinding>,
    /// Files seen but not audited (too large, a symlink, a Helm template …).
    pub skipped: Vec<JsonSkipped>,
}

#[derive(Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Serialize, Default)]
pub struct Summary {
    pub files: usize,
    pub services: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

#[derive(Serialize)]
pub struct JsonFinding {
    pub rule: &'static str,
    pub severity: &'static str,
    pub message: String,
    pub service: Option<String>,
    pub location: JsonLocation,
    pub related: Vec<JsonRelated>,
    pub help: Option<String>,
    pub fingerprint: String,
}

#[derive(Serialize)]
pub struct JsonLocation {
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

#[derive(Serialize)]
pub struct JsonRelated {
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub message: String,
}

#[derive(Serialize)]
pub struct JsonSkipped {
    pub path: String,
    pub reason: String,
}

pub fn summary(audit: &Audit) -> Summary {
    let count = |s: Severity| audit.findings.iter().filter(|f| f.severity == s).count();
    Summary {
        files: audit.files.len(),
        services: audit.services.len(),
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        notes: count(Severity::Note),
    }
}

fn finding(f: &Finding) -> JsonFinding {
    let l = &f.location;
    JsonFinding {
        rule: f.rule,
        severity: f.severity.as_str(),
        message: f.message.clone(),
        service: f.service.clone(),
        location: JsonLocation {
            path: l.path.clone(),
            line: l.line,
            column: l.column,
            end_line: l.end_line,
            end_column: l.end_column,
        },
        related: f
            .related
            .iter()
            .map(|r| JsonRelated {
                path: r.loc.path.clone(),
                line: r.loc.line,
                column: r.loc.column,
                end_line: r.loc.end_line,
                end_column: r.loc.end_column,
                message: r.message.clone(),
            })
            .collect(),
        help: f.help.clone(),
        fingerprint: f.fingerprint(),
    }
}

pub fn render(audit: &Audit) -> String {
    let report = Report {
        version: REPORT_VERSION,
        tool: Tool {
            name: "seamcheck",
            version: env!("CARGO_PKG_VERSION"),
        },
        root: &audit.root_display,
        summary: summary(audit),
        services: &audit.services,
        findings: audit.findings.iter().map(finding).collect(),
        skipped: audit
            .skipped
            .iter()
            .map(|s| JsonSkipped {
                path: s.rel.clone(),
                reason: s.reason.clone(),
            })
            .collect(),
    };
    let mut out =
        serde_json::to_string_pretty(&report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    out.push('\n');
    out
}
