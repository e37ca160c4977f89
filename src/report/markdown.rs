//! Markdown summary for pull-request comments and `$GITHUB_STEP_SUMMARY`:
//! counts by severity, a table by service and rule, and the findings in
//! collapsed `<details>` blocks (one per service).

use crate::audit::Audit;
use crate::escape::{defuse_lines, terminal};
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
    out.push_str(&details(audit, opts, &prefix));
    defuse_lines(&out, |_| false)
}

/// The table by service and rule, and the findings in `<details>` blocks.
fn details(audit: &Audit, opts: &RenderOptions, prefix: &str) -> String {
    let mut out = String::new();

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
            "| {} | {} | {} | {n} |\n",
            cell(service),
            code(rule),
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
            out.push_str(&item(f, prefix));
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
        "- **{}** {} {} — {}\n",
        f.severity.as_str(),
        code(f.rule),
        message(&f.message),
        code(&format!("{prefix}{}:{}:{}", l.path, l.line, l.column)),
    );
    for r in &f.related {
        s.push_str(&format!(
            "  - {}: {}\n",
            code(&format!("{prefix}{}:{}", r.loc.path, r.loc.line)),
            message(&r.message)
        ));
    }
    if let Some(help) = &f.help {
        s.push_str(&format!("  - fix: {}\n", message(help)));
    }
    s
}

/// A message: the parts seamcheck quotes in backticks (names and values
/// from the repository) as code spans, the rest as [`text`]. A stray
/// backtick from the repository makes the quoting unclear: then all of it
/// is text.
fn message(s: &str) -> String {
    let parts: Vec<&str> = s.split('`').collect();
    if parts.len() < 3 || parts.len().is_multiple_of(2) {
        return text(s);
    }
    parts
        .iter()
        .enumerate()
        .map(|(i, p)| if i % 2 == 1 { code(p) } else { text(p) })
        .collect()
}

/// Markdown text from the repository: control characters made visible
/// (so no newline can end the line), `&`, `<` and `>` as entities (no raw
/// HTML), and every other character Markdown or GitHub gives a meaning
/// (emphasis, links and images, headings, tables, autolinks, mentions,
/// issue references, emoji codes) escaped with a backslash.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in terminal(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '(' | ')' | '#' | '!' | '|' | '~'
            | ':' | '@' | '$' => {
                out.push('\\');
                out.push(c);
            }
            // `www.` starts an autolink anywhere in GitHub's Markdown.
            '.' if out
                .as_bytes()
                .get(out.len().saturating_sub(3)..)
                .is_some_and(|w| w.eq_ignore_ascii_case(b"www")) =>
            {
                out.push_str("\\.")
            }
            c => out.push(c),
        }
    }
    out
}

/// Text inside raw HTML (`<summary>`): entities only, since Markdown's
/// backslash escapes are not read there.
fn html(s: &str) -> String {
    terminal(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A table cell: [`text`], whose escaped `|` cannot end the cell.
fn cell(s: &str) -> String {
    text(s)
}

/// A code span holding `s` exactly: fenced by a longer run of backticks
/// than any inside, padded with a space when `s` starts or ends with a
/// backtick or a space (CommonMark strips one such space each side), and
/// with control characters made visible (a newline would end the item).
/// Not for a table cell: a `|` there ends the cell even in code.
fn code(s: &str) -> String {
    let shown = terminal(s);
    let mut longest = 0;
    let mut run = 0;
    for c in shown.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = shown.starts_with(['`', ' ']) || shown.ends_with(['`', ' ']);
    let pad = if pad { " " } else { "" };
    format!("{fence}{pad}{shown}{pad}{fence}")
}
