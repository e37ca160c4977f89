//! Markdown summary for pull-request comments and `$GITHUB_STEP_SUMMARY`:
//! counts by severity, a table by service and rule, and the findings in
//! collapsed `<details>` blocks (one per service).

use crate::audit::Audit;
use crate::finding::{Finding, Severity};
use crate::report::{ci_prefix, counts, plural, RenderOptions};
use std::collections::BTreeMap;

/// Findings listed in the details when `--max-findings` is not given: a step
/// summary is capped at 1 MiB by GitHub, and nobody reads further.
const DEFAULT_DETAILS: usize = 200;

pub fn render(audit: &Audit, opts: &RenderOptions) -> String {
    let prefix = ci_prefix(audit);
    let s = crate::report::json::summary(audit);
    let mut out = String::new();
    let verdict = if s.errors > 0 {
        "failed"
    } else if s.warnings + s.notes > 0 {
        "passed with findings"
    } else {
        "passed"
    };
    out.push_str(&format!("## seamcheck: {verdict}\n\n"));
    out.push_str("| severity | findings |\n|---|---:|\n");
    out.push_str(&format!(
        "| error | {} |\n| warning | {} |\n| note | {} |\n",
        s.errors, s.warnings, s.notes
    ));
    out.push_str(&format!(
        "\n{} audited, {} linked",
        plural(s.files, "file"),
        plural(s.services, "service")
    ));
    if s.suppressed + s.baselined > 0 {
        out.push_str(&format!(
            "; {} suppressed inline, {} in the baseline",
            s.suppressed, s.baselined
        ));
    }
    out.push_str(".\n");
    if audit.findings.is_empty() {
        return out;
    }

    // (service, rule) → (severity, count)
    let mut table: BTreeMap<(&str, &str), (Severity, usize)> = BTreeMap::new();
    for f in &audit.findings {
        let e = table
            .entry((f.service.as_deref().unwrap_or("—"), f.rule))
            .or_insert((f.severity, 0));
        e.0 = e.0.max(f.severity);
        e.1 += 1;
    }
    out.push_str("\n| service | rule | severity | findings |\n|---|---|---|---:|\n");
    for ((service, rule), (severity, n)) in &table {
        out.push_str(&format!(
            "| {} | `{rule}` | {} | {n} |\n",
            cell(service),
            severity.as_str()
        ));
    }

    let limit = opts.max_findings.unwrap_or(DEFAULT_DETAILS);
    let mut by_service: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in &audit.findings {
        by_service
            .entry(f.service.as_deref().unwrap_or("not tied to a service"))
            .or_default()
            .push(f);
    }
    let mut listed = 0;
    for (service, findings) in &by_service {
        if listed >= limit {
            break;
        }
        let [e, w, n] = counts(findings.iter().copied());
        out.push_str(&format!(
            "\n<details><summary><b>{}</b>: {}, {}, {}</summary>\n\n",
            html(service),
            plural(e, "error"),
            plural(w, "warning"),
            plural(n, "note")
        ));
        for f in findings.iter().take(limit - listed) {
            out.push_str(&item(f, &prefix));
            listed += 1;
        }
        out.push_str("\n</details>\n");
    }
    if listed < audit.findings.len() {
        out.push_str(&format!(
            "\n{} not listed (see the full report).\n",
            plural(audit.findings.len() - listed, "more finding")
        ));
    }
    out
}

fn item(f: &Finding, prefix: &str) -> String {
    let l = &f.location;
    let mut s = format!(
        "- **{}** `{}` {} — `{prefix}{}:{}:{}`\n",
        f.severity.as_str(),
        f.rule,
        html(&f.message),
        code(&l.path),
        l.line,
        l.column
    );
    for r in &f.related {
        s.push_str(&format!(
            "  - `{prefix}{}:{}`: {}\n",
            code(&r.loc.path),
            r.loc.line,
            html(&r.message)
        ));
    }
    if let Some(help) = &f.help {
        s.push_str(&format!("  - fix: {}\n", html(help)));
    }
    s
}

/// Text that may contain `<`, `&` (HTML inside Markdown) or newlines.
fn html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace(['\n', '\r'], " ")
}

/// A table cell: no pipe or newline may end it early.
fn cell(s: &str) -> String {
    html(s).replace('|', "\\|")
}

/// Inside backticks: a backtick would end the code span.
fn code(s: &str) -> String {
    s.replace('`', "'").replace(['\n', '\r'], " ")
}
