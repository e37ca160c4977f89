//! The JSON report, version 1 (see design.md). Fields may be added; none is
//! removed or renamed without bumping `version`. docs/report.schema.json is
//! generated from these types (`schema()`); a test keeps it current.
//!
//! The report borrows from the audit and is serialized straight into one
//! buffer: no intermediate `Value` tree, no copy of every message.

use crate::audit::{Audit, ServiceReport};
use crate::finding::{Finding, Related, Severity};
use crate::report::RenderOptions;
use crate::suppress::{Suppressed, SuppressedBy};
use schemars::JsonSchema;
use serde::Serialize;

pub const REPORT_VERSION: u32 = 1;

/// A seamcheck audit report (version 1).
#[derive(Serialize, JsonSchema)]
#[schemars(title = "seamcheck report")]
pub struct Report<'a> {
    /// The report format version; fields may be added within a version.
    #[schemars(range(min = 1, max = 1))]
    pub version: u32,
    pub tool: Tool,
    /// The audited root as given on the command line; paths are relative to it.
    pub root: &'a str,
    pub summary: Summary,
    /// Where and how the audit ran (tool, time, commit, configuration).
    pub run: crate::report::dashboard::Run,
    /// The findings counted by severity, rule and service.
    pub counts: crate::report::dashboard::Counts,
    /// What could be checked: "clean" is not "not checked".
    pub coverage: crate::report::dashboard::Coverage,
    /// The linked services: files, links and their evidence, the port chain.
    pub services: &'a [ServiceReport],
    /// The findings, ordered by path, line, column and rule.
    pub findings: Vec<JsonFinding<'a>>,
    /// Files seen but not audited (too large, a symlink, a Helm template …).
    pub skipped: Vec<JsonSkipped<'a>>,
    /// Links seamcheck did not make because several candidates fit.
    pub link_notes: &'a [crate::model::link::LinkNote],
    /// Findings hidden by inline suppressions or the baseline; present only
    /// with `--show-suppressed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<Vec<JsonSuppressed<'a>>>,
}

#[derive(Serialize, JsonSchema)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

/// Counts of the reported findings, by severity.
#[derive(Serialize, JsonSchema, Default)]
pub struct Summary {
    /// Files analysed.
    pub files: usize,
    pub services: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    /// Findings hidden by inline `seamcheck: ignore[…]` comments.
    pub suppressed: usize,
    /// Findings hidden because the `--baseline` file lists them.
    pub baselined: usize,
}

/// The severities, for the schema (findings serialize `Severity::as_str`).
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
enum SeverityName {
    Error,
    Warning,
    Note,
}

#[derive(Serialize, JsonSchema)]
pub struct JsonFinding<'a> {
    /// The rule ID (`seamcheck rules`).
    pub rule: &'static str,
    #[schemars(with = "SeverityName")]
    pub severity: &'static str,
    pub message: &'a str,
    /// The service the finding belongs to, when it belongs to one.
    pub service: Option<&'a str>,
    /// Where the fix goes.
    pub location: JsonLocation<'a>,
    /// The evidence in the other layers' files.
    pub related: Vec<JsonRelated<'a>>,
    /// One-line suggestion.
    pub help: Option<&'a str>,
    /// Stable across edits that only shift lines (rule, file, facts).
    pub fingerprint: String,
}

/// 1-based lines and columns (columns count characters); `end_*` is the
/// last character of the span, inclusive.
#[derive(Serialize, JsonSchema)]
pub struct JsonLocation<'a> {
    /// Relative to the audited root, `/`-separated.
    pub path: &'a str,
    #[schemars(range(min = 1))]
    pub line: u32,
    #[schemars(range(min = 1))]
    pub column: u32,
    #[schemars(range(min = 1))]
    pub end_line: u32,
    #[schemars(range(min = 1))]
    pub end_column: u32,
}

#[derive(Serialize, JsonSchema)]
pub struct JsonRelated<'a> {
    pub path: &'a str,
    #[schemars(range(min = 1))]
    pub line: u32,
    #[schemars(range(min = 1))]
    pub column: u32,
    #[schemars(range(min = 1))]
    pub end_line: u32,
    #[schemars(range(min = 1))]
    pub end_column: u32,
    pub message: &'a str,
}

#[derive(Serialize, JsonSchema)]
pub struct JsonSkipped<'a> {
    pub path: &'a str,
    pub reason: &'a str,
}

/// A hidden finding and what hid it.
#[derive(Serialize, JsonSchema)]
pub struct JsonSuppressed<'a> {
    #[serde(flatten)]
    pub finding: JsonFinding<'a>,
    pub suppression: JsonSuppression<'a>,
}

#[derive(Serialize, JsonSchema)]
pub struct JsonSuppression<'a> {
    /// `inline` (a `seamcheck: ignore[…]` comment) or `baseline`.
    #[schemars(with = "SuppressionKind")]
    pub kind: &'static str,
    /// The comment's reason (after `--`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'a str>,
    /// Where the comment is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
enum SuppressionKind {
    Inline,
    Baseline,
}

pub fn summary(audit: &Audit) -> Summary {
    let count = |s: Severity| audit.findings.iter().filter(|f| f.severity == s).count();
    let inline = audit
        .suppressed
        .iter()
        .filter(|s| matches!(s.by, SuppressedBy::Inline { .. }))
        .count();
    Summary {
        files: audit.files_analysed,
        services: audit.services.len(),
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        notes: count(Severity::Note),
        suppressed: inline,
        baselined: audit.suppressed.len() - inline,
    }
}

fn related(r: &Related) -> JsonRelated<'_> {
    JsonRelated {
        path: &r.loc.path,
        line: r.loc.line,
        column: r.loc.column,
        end_line: r.loc.end_line,
        end_column: r.loc.end_column,
        message: &r.message,
    }
}

fn finding(f: &Finding) -> JsonFinding<'_> {
    let l = &f.location;
    JsonFinding {
        rule: f.rule,
        severity: f.severity.as_str(),
        message: &f.message,
        service: f.service.as_deref(),
        location: JsonLocation {
            path: &l.path,
            line: l.line,
            column: l.column,
            end_line: l.end_line,
            end_column: l.end_column,
        },
        related: f.related.iter().map(related).collect(),
        help: f.help.as_deref(),
        fingerprint: f.fingerprint(),
    }
}

fn suppressed(s: &Suppressed) -> JsonSuppressed<'_> {
    let suppression = match &s.by {
        SuppressedBy::Inline { loc, reason } => JsonSuppression {
            kind: "inline",
            reason: reason.as_deref(),
            path: Some(&loc.path),
            line: Some(loc.line),
        },
        SuppressedBy::Baseline => JsonSuppression {
            kind: "baseline",
            reason: None,
            path: None,
            line: None,
        },
    };
    JsonSuppressed {
        finding: finding(&s.finding),
        suppression,
    }
}

pub fn report<'a>(audit: &'a Audit, opts: &RenderOptions) -> Report<'a> {
    Report {
        version: REPORT_VERSION,
        tool: Tool {
            name: "seamcheck",
            version: env!("CARGO_PKG_VERSION"),
        },
        root: &audit.root_display,
        summary: summary(audit),
        run: crate::report::dashboard::run(audit),
        counts: crate::report::dashboard::counts(audit),
        coverage: crate::report::dashboard::coverage(audit),
        services: &audit.services,
        findings: audit.findings.iter().map(finding).collect(),
        skipped: audit
            .skipped
            .iter()
            .map(|s| JsonSkipped {
                path: &s.rel,
                reason: &s.reason,
            })
            .collect(),
        link_notes: &audit.link_notes,
        suppressed: opts
            .show_suppressed
            .then(|| audit.suppressed.iter().map(suppressed).collect()),
    }
}

pub fn render(audit: &Audit) -> String {
    render_with(audit, &RenderOptions::default())
}

pub fn render_with(audit: &Audit, opts: &RenderOptions) -> String {
    to_pretty(&report(audit, opts))
}

/// The report as pretty JSON with a final newline, serialized into `out`.
pub fn write_with(
    audit: &Audit,
    opts: &RenderOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    write_pretty(&mut *out, &report(audit, opts))?;
    out.write_all(b"\n")
}

pub use crate::json_text::{to_pretty, write_pretty};

/// The JSON Schema of the report (docs/report.schema.json).
pub fn schema() -> String {
    let schema = schemars::generate::SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<Report<'static>>();
    to_pretty(&schema)
}
