//! Human output: rustc-style diagnostics (ariadne) where one diagnostic shows
//! the primary place and the evidence in the other layers' files.

use crate::audit::{read_source, Audit};
use crate::escape::{defuse_lines, terminal, visible_except_layout, ShownSource};
use crate::finding::{Finding, Severity};
use crate::report::{counts, layout, plural, RenderOptions};
use crate::suppress::{Suppressed, SuppressedBy};
use ariadne::{Color, Config, IndexType, Label, Report, ReportKind};
use std::collections::BTreeMap;
use std::ops::Range;

/// Skipped-file notes shown before the summary; the rest are counted (the
/// JSON report lists them all).
const MAX_SKIPPED_SHOWN: usize = 50;
/// Rows of the per-service summary; the worst services come first.
const MAX_SERVICES_LISTED: usize = 20;

pub fn render(audit: &Audit, color: bool) -> String {
    render_with(
        audit,
        &RenderOptions {
            color,
            ..RenderOptions::default()
        },
    )
}

/// Diagnostics by severity (errors first; within one, by service and file),
/// or grouped as `--group-by` says, findings of one rule with one message
/// drawn once, then the
/// skipped files, suppressed findings if asked, a per-service summary when
/// there are several services, and the summary line. `--max-findings` keeps
/// the most severe; `--quiet` keeps only the summary.
pub fn render_with(audit: &Audit, opts: &RenderOptions) -> String {
    let by = opts.group_by.unwrap_or_default();
    let groups = layout::groups(&audit.findings, by);
    let shown = if opts.quiet || opts.summary {
        Vec::new()
    } else if opts.group_by.is_some() {
        // An explicit grouping: the cap applies to each group.
        let mut all: Vec<usize> = groups
            .iter()
            .flat_map(|(_, members)| most_severe_of(&audit.findings, members, opts.max_findings))
            .collect();
        all.sort_unstable();
        all
    } else {
        most_severe(&audit.findings, opts.max_findings)
    };
    let mut out = Vec::new();
    if !shown.is_empty() {
        let drawable = source_texts(audit, shown.iter().filter_map(|&i| audit.findings.get(i)));
        let mut cache = ariadne::sources(drawable.iter().map(|(k, v)| (k.clone(), v.text.clone())));
        match opts.group_by {
            // An explicit grouping: a header per group.
            Some(by) => {
                let several = groups.len() > 1;
                for (name, members) in &groups {
                    let visible: Vec<usize> = members
                        .iter()
                        .copied()
                        .filter(|i| shown.binary_search(i).is_ok())
                        .collect();
                    if visible.is_empty() {
                        continue;
                    }
                    if several || name.is_some() {
                        out.extend_from_slice(
                            layout::header(&audit.findings, by, name.as_deref(), members)
                                .as_bytes(),
                        );
                    }
                    for (i, others) in layout::collapse(&audit.findings, &visible) {
                        let Some(f) = audit.findings.get(i) else {
                            continue;
                        };
                        draw(f, &drawable, &mut cache, opts.color, &mut out);
                        out.extend_from_slice(
                            layout::more_places(&audit.findings, &others).as_bytes(),
                        );
                    }
                }
            }
            // The default: errors first, then warnings, then notes; within a
            // severity by service (findings of no service last) and file.
            None => {
                for severity in [Severity::Error, Severity::Warning, Severity::Note] {
                    let mut section: Vec<usize> = shown
                        .iter()
                        .copied()
                        .filter(|&i| {
                            audit
                                .findings
                                .get(i)
                                .is_some_and(|f| f.severity == severity)
                        })
                        .collect();
                    if section.is_empty() {
                        continue;
                    }
                    section.sort_by(|&a, &b| section_order(&audit.findings, a, b));
                    out.extend_from_slice(section_header(severity, section.len()).as_bytes());
                    // Copies collapse within one service (its manifest in
                    // several folders), not across services: two services
                    // with the same drift are two fixes.
                    let runs = section.chunk_by(|&a, &b| {
                        let service = |i: usize| audit.findings.get(i).map(|f| &f.service);
                        service(a) == service(b)
                    });
                    let collapsed = runs.flat_map(|run| layout::collapse(&audit.findings, run));
                    for (i, others) in collapsed {
                        let Some(f) = audit.findings.get(i) else {
                            continue;
                        };
                        draw(f, &drawable, &mut cache, opts.color, &mut out);
                        out.extend_from_slice(
                            layout::more_places(&audit.findings, &others).as_bytes(),
                        );
                    }
                }
            }
        }
    }
    let mut text = String::from_utf8_lossy(&out).into_owned();
    if !opts.color {
        // Every repository value was escaped on its way in; this is the
        // belt to those braces (ariadne's own colour codes are gone).
        text = visible_except_layout(&text).into_owned();
    }
    let hidden = audit.findings.len() - shown.len();
    if hidden > 0 && !opts.quiet && !opts.summary {
        text.push_str(&format!(
            "note: {} not shown (--max-findings {}{})\n",
            plural(hidden, "more finding"),
            opts.max_findings.unwrap_or(0),
            match opts.group_by {
                Some(by) => format!(" per {}", by.noun()),
                None => String::new(),
            }
        ));
    }
    if opts.summary && !audit.findings.is_empty() {
        text.push_str("findings by rule:\n");
        text.push_str(&layout::rule_table(&audit.findings));
    }
    if !opts.quiet && !opts.summary {
        for n in &audit.link_notes {
            text.push_str(&format!(
                "note: {}:{}:{}: {}\n",
                terminal(&n.path),
                n.line,
                n.column,
                terminal(&n.message)
            ));
        }
        for s in audit.skipped.iter().take(MAX_SKIPPED_SHOWN) {
            text.push_str(&format!(
                "note: skipped {}: {}\n",
                terminal(&s.rel),
                terminal(&s.reason)
            ));
        }
        if audit.skipped.len() > MAX_SKIPPED_SHOWN {
            text.push_str(&format!(
                "note: {} more skipped files (see --format json)\n",
                audit.skipped.len() - MAX_SKIPPED_SHOWN
            ));
        }
    }
    if opts.show_suppressed {
        for s in &audit.suppressed {
            text.push_str(&suppressed_line(s));
        }
    }
    if !opts.quiet && !opts.summary {
        text.push_str(&crate::report::summary::rule_table(audit));
    }
    let by_service = layout::groups(&audit.findings, layout::GroupBy::Service);
    if by_service.len() > 1 || (opts.summary && !by_service.is_empty()) {
        text.push_str(&service_table(audit, &by_service));
    }
    let summary = crate::report::json::summary(audit);
    if summary.suppressed + summary.baselined > 0 {
        text.push_str(&format!(
            "hidden: {} suppressed inline, {} in the baseline{}\n",
            summary.suppressed,
            summary.baselined,
            if opts.show_suppressed {
                ""
            } else {
                " (--show-suppressed lists them)"
            }
        ));
    }
    if !audit.services.is_empty() && !opts.quiet {
        text.push_str(&crate::report::summary::coverage_line(audit));
    }
    text.push_str(&summary_line(audit));
    defuse_lines(&text, |_| false)
}

/// `── 2 errors ──` before the findings of one severity.
fn section_header(severity: Severity, count: usize) -> String {
    format!("── {} ──\n\n", plural(count, severity.as_str()))
}

/// Within a severity section: by service (findings of no service last), file,
/// line and column.
fn section_order(findings: &[Finding], a: usize, b: usize) -> std::cmp::Ordering {
    let key = |i: usize| {
        findings.get(i).map(|f| {
            (
                f.service.is_none(),
                &f.service,
                &f.location.path,
                f.location.line,
                f.location.column,
            )
        })
    };
    key(a).cmp(&key(b))
}

/// The per-service counts, worst first, at most `MAX_SERVICES_LISTED` rows.
fn service_table(audit: &Audit, groups: &[(Option<String>, Vec<usize>)]) -> String {
    let mut rows: Vec<([usize; 3], std::borrow::Cow<'_, str>)> = groups
        .iter()
        .map(|(name, members)| {
            (
                counts(members.iter().filter_map(|&i| audit.findings.get(i))),
                terminal(name.as_deref().unwrap_or("(no service)")),
            )
        })
        .collect();
    rows.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut text = String::from("\nby service:\n");
    for ([e, w, n], name) in rows.iter().take(MAX_SERVICES_LISTED) {
        text.push_str(&format!(
            "  {name}: {}, {}, {}\n",
            plural(*e, "error"),
            plural(*w, "warning"),
            plural(*n, "note")
        ));
    }
    if rows.len() > MAX_SERVICES_LISTED {
        text.push_str(&format!(
            "  … {} more with findings (--format json or markdown lists them all)\n",
            plural(rows.len() - MAX_SERVICES_LISTED, "service")
        ));
    }
    text
}

/// Indices (sorted) of the findings to draw: all of them, or the `max` most
/// severe (ties in report order).
fn most_severe(findings: &[Finding], max: Option<usize>) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..findings.len()).collect();
    if let Some(max) = max.filter(|&m| m < findings.len()) {
        idx.sort_by_key(|&i| (std::cmp::Reverse(findings.get(i).map(|f| f.severity)), i));
        idx.truncate(max);
        idx.sort_unstable();
    }
    idx
}

/// The `max` most severe of `members` (ties in report order), or all.
fn most_severe_of(findings: &[Finding], members: &[usize], max: Option<usize>) -> Vec<usize> {
    let mut idx = members.to_vec();
    if let Some(max) = max.filter(|&m| m < idx.len()) {
        idx.sort_by_key(|&i| (std::cmp::Reverse(findings.get(i).map(|f| f.severity)), i));
        idx.truncate(max);
    }
    idx
}

/// The text of every file the given findings show, when it can be drawn.
fn source_texts<'a>(
    audit: &Audit,
    findings: impl Iterator<Item = &'a Finding>,
) -> BTreeMap<String, ShownSource> {
    let mut texts: BTreeMap<String, Option<String>> = BTreeMap::new();
    for f in findings {
        for loc in locations(f) {
            let id = terminal(&loc.path).into_owned();
            texts.entry(id).or_insert_with(|| read_source(audit, loc));
        }
    }
    texts
        .into_iter()
        .filter_map(|(k, v)| Some((k, ShownSource::new(&v?))))
        .collect()
}

fn draw(
    f: &Finding,
    drawable: &BTreeMap<String, ShownSource>,
    cache: &mut impl ariadne::Cache<String>,
    color: bool,
    out: &mut Vec<u8>,
) {
    // A snippet needs the text of every file the diagnostic shows.
    if !locations(f).all(|l| drawable.contains_key(terminal(&l.path).as_ref())) {
        out.extend_from_slice(plain(f).as_bytes());
        return;
    }
    let report = build(f, drawable, color);
    let mut drawn = Vec::new();
    if report.write(cache, &mut drawn).is_err() {
        // A report ariadne cannot draw still gets a plain line.
        out.extend_from_slice(plain(f).as_bytes());
        return;
    }
    if color {
        out.extend_from_slice(&drawn);
    } else {
        // ariadne colours a custom kind ("Note") even with colour off.
        strip_ansi(&drawn, out);
    }
}

/// Copies `bytes` without ANSI CSI sequences (`ESC [ … final-byte`).
fn strip_ansi(bytes: &[u8], out: &mut Vec<u8>) {
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == 0x1b && bytes.get(i + 1) == Some(&b'[') {
            i += 2;
            while bytes.get(i).is_some_and(|c| !(0x40..=0x7e).contains(c)) {
                i += 1;
            }
            i += 1;
            continue;
        }
        out.push(b);
        i += 1;
    }
}

fn suppressed_line(s: &Suppressed) -> String {
    let f = &s.finding;
    let by = match &s.by {
        SuppressedBy::Inline { loc, reason } => format!(
            "by {}:{}{}",
            terminal(&loc.path),
            loc.line,
            reason
                .as_deref()
                .map(|r| format!(" ({})", terminal(r)))
                .unwrap_or_default()
        ),
        SuppressedBy::Baseline => "by the baseline".to_string(),
    };
    format!(
        "suppressed {}[{}]: {} at {}:{}:{} {by}\n",
        f.severity.as_str(),
        f.rule,
        terminal(&f.message),
        terminal(&f.location.path),
        f.location.line,
        f.location.column
    )
}

fn locations(f: &Finding) -> impl Iterator<Item = &seamcheck_facts::Location> {
    std::iter::once(&f.location).chain(f.related.iter().map(|r| &r.loc))
}

fn kind(s: Severity) -> ReportKind<'static> {
    match s {
        Severity::Error => ReportKind::Error,
        Severity::Warning => ReportKind::Warning,
        Severity::Note => ReportKind::Custom("Note", Color::Cyan),
    }
}

/// A span ariadne can draw: inside the text, on character boundaries, and at
/// least one character long when the text is not empty.
fn span(shown: Option<&ShownSource>, s: seamcheck_facts::Span) -> Range<usize> {
    let Some(shown) = shown.filter(|t| !t.text.is_empty()) else {
        return 0..0;
    };
    let text = &shown.text;
    let s = seamcheck_facts::Span::new(shown.map(s.start), shown.map(s.end));
    let floor = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = floor(s.start);
    let end = floor(s.end).max(start);
    if end > start {
        return start..end;
    }
    // An empty span: widen it to the character at (or before) it.
    match text[start..].chars().next() {
        Some(c) => start..start + c.len_utf8(),
        None => {
            let prev = text[..start].chars().next_back().map_or(0, char::len_utf8);
            start - prev..start
        }
    }
}

fn build<'a>(
    f: &Finding,
    texts: &BTreeMap<String, ShownSource>,
    color: bool,
) -> Report<'a, (String, Range<usize>)> {
    // Source ids are paths as shown: report paths are escaped already, and
    // this keeps any other from reaching the terminal raw.
    let path = terminal(&f.location.path).into_owned();
    let primary = span(texts.get(&path), f.location.span);
    let primary_color = match f.severity {
        Severity::Error => Color::Red,
        Severity::Warning => Color::Yellow,
        Severity::Note => Color::Cyan,
    };
    let mut b = Report::build(kind(f.severity), (path.clone(), primary.clone()))
        .with_code(f.rule)
        .with_message(terminal(&f.message))
        .with_config(
            Config::default()
                .with_index_type(IndexType::Byte)
                .with_color(color),
        )
        .with_label(
            Label::new((path, primary))
                .with_message(terminal(&f.label))
                .with_color(primary_color)
                .with_order(0),
        );
    for (i, r) in f.related.iter().enumerate() {
        let id = terminal(&r.loc.path).into_owned();
        let s = span(texts.get(&id), r.loc.span);
        b = b.with_label(
            Label::new((id, s))
                .with_message(terminal(&r.message))
                .with_color(Color::Blue)
                .with_order(i as i32 + 1),
        );
    }
    if let Some(h) = &f.help {
        b = b.with_help(terminal(h));
    }
    b.finish()
}

fn plain(f: &Finding) -> String {
    format!(
        "{}[{}]: {}\n  --> {}:{}:{}\n",
        f.severity.as_str(),
        f.rule,
        terminal(&f.message),
        terminal(&f.location.path),
        f.location.line,
        f.location.column
    )
}

pub fn summary_line(audit: &Audit) -> String {
    let s = crate::report::json::summary(audit);
    format!(
        "seamcheck: {}, {}, {} in {} ({})\n",
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        plural(s.notes, "note"),
        plural(s.files, "file"),
        plural(s.services, "service"),
    )
}
