//! Human output: rustc-style diagnostics (ariadne) where one diagnostic shows
//! the primary place and the evidence in the other layers' files.

use crate::audit::{read_source, Audit};
use crate::finding::{Finding, Severity};
use ariadne::{Color, Config, IndexType, Label, Report, ReportKind};
use std::collections::BTreeMap;
use std::ops::Range;

pub fn render(audit: &Audit, color: bool) -> String {
    let mut texts: BTreeMap<String, Option<String>> = BTreeMap::new();
    for f in &audit.findings {
        for loc in locations(f) {
            if !texts.contains_key(&loc.path) {
                texts.insert(loc.path.clone(), read_source(&audit.root, loc));
            }
        }
    }
    let drawable: BTreeMap<String, String> = texts
        .into_iter()
        .filter_map(|(k, v)| Some((k, v?)))
        .collect();
    let mut cache = ariadne::sources(drawable.iter().map(|(k, v)| (k.clone(), v.clone())));
    let mut out = Vec::new();
    for f in &audit.findings {
        // A snippet needs the text of every file the diagnostic shows.
        if !locations(f).all(|l| drawable.contains_key(&l.path)) {
            out.extend_from_slice(plain(f).as_bytes());
            continue;
        }
        let report = build(f, &drawable, color);
        if report.write(&mut cache, &mut out).is_err() {
            // A report ariadne cannot draw still gets a plain line.
            out.extend_from_slice(plain(f).as_bytes());
        }
    }
    let mut text = String::from_utf8_lossy(&out).into_owned();
    for s in &audit.skipped {
        text.push_str(&format!("note: skipped {}: {}\n", s.rel, s.reason));
    }
    text.push_str(&summary_line(audit));
    text
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
fn span(text: Option<&String>, s: seamcheck_facts::Span) -> Range<usize> {
    let Some(text) = text.filter(|t| !t.is_empty()) else {
        return 0..0;
    };
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
    texts: &BTreeMap<String, String>,
    color: bool,
) -> Report<'a, (String, Range<usize>)> {
    let path = f.location.path.clone();
    let primary = span(texts.get(&path), f.location.span);
    let primary_color = match f.severity {
        Severity::Error => Color::Red,
        Severity::Warning => Color::Yellow,
        Severity::Note => Color::Cyan,
    };
    let mut b = Report::build(kind(f.severity), (path.clone(), primary.clone()))
        .with_code(f.rule)
        .with_message(&f.message)
        .with_config(
            Config::default()
                .with_index_type(IndexType::Byte)
                .with_color(color),
        )
        .with_label(
            Label::new((path, primary))
                .with_message(&f.label)
                .with_color(primary_color)
                .with_order(0),
        );
    for (i, r) in f.related.iter().enumerate() {
        let s = span(texts.get(&r.loc.path), r.loc.span);
        b = b.with_label(
            Label::new((r.loc.path.clone(), s))
                .with_message(&r.message)
                .with_color(Color::Blue)
                .with_order(i as i32 + 1),
        );
    }
    if let Some(h) = &f.help {
        b = b.with_help(h);
    }
    b.finish()
}

fn plain(f: &Finding) -> String {
    format!(
        "{}[{}]: {}\n  --> {}:{}:{}\n",
        f.severity.as_str(),
        f.rule,
        f.message,
        f.location.path,
        f.location.line,
        f.location.column
    )
}

pub fn summary_line(audit: &Audit) -> String {
    let s = crate::report::json::summary(audit);
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    format!(
        "seamcheck: {}, {}, {} in {} ({})\n",
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        plural(s.notes, "note"),
        plural(s.files, "file"),
        plural(s.services, "service"),
    )
}
