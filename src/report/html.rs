//! The HTML report: one self-contained file a team lead opens from a CI
//! artifact. The summary and coverage first, a card per service with its
//! port wiring drawn as inline SVG (edges that disagree in red), then every
//! finding with the code excerpt of each file it involves; filters by
//! severity, rule and service.
//!
//! Nothing is loaded from anywhere: styles and script are inline, and a
//! Content-Security-Policy of `default-src 'none'` forbids any request
//! should a value ever slip through. Every repository-derived value is
//! escaped for HTML (`escape::html`); excerpts are read by the same
//! confined route the human report takes (`audit::read_source`).

use crate::audit::{read_source, Audit, ServiceReport};
use crate::escape::html as esc;
use crate::finding::Finding;
use crate::model::chain::{EdgeStatus, NodeKind, PortChain};
use crate::report::dashboard::{self, Coverage, Run};
use crate::report::{plural, RenderOptions};
use seamcheck_facts::Location;
use std::collections::{BTreeSet, HashMap};
use std::fmt::Write;

const STYLE: &str = include_str!("html/style.css");
const SCRIPT: &str = include_str!("html/script.js");
/// No request of any kind; inline styles and the inline script only.
pub const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; \
                       img-src data:; base-uri 'none'; form-action 'none'";
/// Lines of context around a span in an excerpt, and the most lines shown.
const CONTEXT: u32 = 2;
const MAX_EXCERPT_LINES: u32 = 14;

pub fn render(audit: &Audit, opts: &RenderOptions) -> String {
    let mut out = String::with_capacity(64 * 1024 + audit.findings.len() * 2048);
    let run = dashboard::run(audit);
    let coverage = dashboard::coverage(audit);
    let title = format!("seamcheck report: {}", run.root_name);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n",
        esc(&title)
    );
    header(&mut out, audit, &run, &coverage);
    filters(&mut out, audit);
    services(&mut out, audit);
    findings(&mut out, audit, opts);
    let _ = write!(out, "<script>\n{SCRIPT}</script>\n</body>\n</html>\n");
    out
}

fn header(out: &mut String, audit: &Audit, run: &Run, c: &Coverage) {
    let s = crate::report::json::summary(audit);
    let _ = writeln!(out, "<header>\n<h1>seamcheck: {}</h1>", esc(&run.root_name));
    let mut meta = vec![
        format!("seamcheck {}", esc(run.tool_version)),
        esc(&run.timestamp).into_owned(),
    ];
    if let Some(branch) = &run.git_branch {
        meta.push(format!("branch {}", esc(branch)));
    }
    if let Some(commit) = &run.git_commit {
        meta.push(format!(
            "commit {}",
            esc(commit.get(..12).unwrap_or(commit))
        ));
    }
    if let Some(hash) = &run.config_hash {
        meta.push(format!("config {}", esc(hash)));
    }
    let _ = writeln!(out, "<p class=\"meta\">{}</p>\n</header>", meta.join(" · "));
    let _ = writeln!(out, "<section id=\"summary\">\n<div class=\"tiles\">");
    for (class, n, word) in [
        ("err", s.errors, "error"),
        ("warn", s.warnings, "warning"),
        ("note", s.notes, "note"),
        ("", s.services, "service"),
        ("", s.files, "file"),
    ] {
        let label = plural(n, word);
        let label = label.split_once(' ').map_or("", |x| x.1);
        let _ = writeln!(out, "<div class=\"tile {class}\"><b>{n}</b>{label}</div>");
    }
    let _ = writeln!(out, "</div>");
    if s.suppressed + s.baselined > 0 {
        let _ = writeln!(
            out,
            "<p class=\"meta\">Hidden: {} suppressed inline, {} in the baseline.</p>",
            s.suppressed, s.baselined
        );
    }
    let _ = writeln!(
        out,
        "</section>\n<section id=\"coverage\">\n<h2>Coverage</h2>\n<table>"
    );
    for (label, n) in [
        ("Services found", c.services_found),
        ("Services checked end to end", c.services_checked_end_to_end),
        (
            "Workloads whose image is not built here",
            c.workloads_image_not_built_here,
        ),
        (
            "Dockerfiles linked to nothing",
            c.dockerfiles_linked_to_nothing,
        ),
        ("Templates rendered", c.templates_rendered),
        ("Templates that failed to render", c.templates_failed),
        ("Files skipped", audit.skipped.len()),
    ] {
        let _ = writeln!(out, "<tr><th>{label}</th><td>{n}</td></tr>");
    }
    let _ = writeln!(out, "</table>");
    if !c.not_checked.is_empty() {
        let _ = writeln!(
            out,
            "<details><summary>{} not checked end to end</summary><ul>",
            plural(c.not_checked.len(), "service")
        );
        for n in &c.not_checked {
            let _ = writeln!(
                out,
                "<li>{}: {}</li>",
                esc(&n.service),
                n.missing.join(", ")
            );
        }
        let _ = writeln!(out, "</ul></details>");
    }
    let _ = writeln!(out, "</section>");
}

fn options<'a>(out: &mut String, id: &str, label: &str, values: impl Iterator<Item = &'a str>) {
    let _ = write!(
        out,
        "<label>{label} <select id=\"{id}\"><option value=\"\">all</option>"
    );
    for v in values {
        let v = esc(v);
        let _ = write!(out, "<option value=\"{v}\">{v}</option>");
    }
    let _ = writeln!(out, "</select></label>");
}

fn filters(out: &mut String, audit: &Audit) {
    let rules: BTreeSet<&str> = audit.findings.iter().map(|f| f.rule).collect();
    let mut services: BTreeSet<&str> = audit.services.iter().map(|s| s.name.as_str()).collect();
    services.extend(audit.findings.iter().filter_map(|f| f.service.as_deref()));
    let _ = writeln!(out, "<nav class=\"filters\">");
    options(
        out,
        "f-severity",
        "Severity",
        ["error", "warning", "note"].into_iter(),
    );
    options(out, "f-rule", "Rule", rules.into_iter());
    options(out, "f-service", "Service", services.into_iter());
    let _ = writeln!(out, "<span id=\"f-count\" class=\"meta\"></span>\n</nav>");
}

fn services(out: &mut String, audit: &Audit) {
    let _ = writeln!(out, "<section id=\"services\">\n<h2>Services</h2>");
    if audit.services.is_empty() {
        let _ = writeln!(out, "<p class=\"empty\">No service was linked.</p>");
    }
    let mut per_service: HashMap<&str, [usize; 3]> = HashMap::new();
    for f in &audit.findings {
        if let Some(s) = &f.service {
            let c = per_service.entry(s).or_default();
            let i = match f.severity {
                crate::finding::Severity::Error => 0,
                crate::finding::Severity::Warning => 1,
                crate::finding::Severity::Note => 2,
            };
            if let Some(n) = c.get_mut(i) {
                *n += 1;
            }
        }
    }
    let _ = writeln!(out, "<div class=\"cards\">");
    for s in &audit.services {
        let [e, w, n] = per_service
            .get(s.name.as_str())
            .copied()
            .unwrap_or_default();
        let name = esc(&s.name);
        let _ = writeln!(
            out,
            "<article class=\"service\" data-service=\"{name}\">\n<h3>{name}</h3>\n\
             <p class=\"meta\">{}, {}, {}</p>",
            plural(e, "error"),
            plural(w, "warning"),
            plural(n, "note")
        );
        service_files(out, s);
        svg(out, &s.ports);
        let _ = writeln!(out, "</article>");
    }
    let _ = writeln!(out, "</div>\n</section>");
}

fn service_files(out: &mut String, s: &ServiceReport) {
    let mut items: Vec<String> = Vec::new();
    if let Some(d) = &s.dockerfile {
        items.push(format!("Dockerfile: {}", esc(d)));
    }
    for w in &s.workloads {
        items.push(format!(
            "workload {} (container {}) in {}",
            esc(&w.id),
            esc(&w.container),
            esc(&w.path)
        ));
    }
    for c in &s.compose {
        items.push(format!(
            "compose service {} in {}",
            esc(&c.compose_service),
            esc(&c.path)
        ));
    }
    for k in &s.kube_services {
        items.push(format!("Service {}", esc(k)));
    }
    if let Some(e) = &s.entry {
        items.push(format!("entry point {}", esc(&e.path)));
    }
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "<ul class=\"files\">");
    for i in items {
        let _ = writeln!(out, "<li>{i}</li>");
    }
    let _ = writeln!(out, "</ul>");
}

/// The columns of the wiring, left to right, as traffic flows.
const COLUMNS: [(NodeKind, &str); 6] = [
    (NodeKind::Ingress, "Ingress"),
    (NodeKind::ServicePort, "Service"),
    (NodeKind::ContainerPort, "containerPort"),
    (NodeKind::ComposePort, "compose port"),
    (NodeKind::Expose, "EXPOSE"),
    (NodeKind::Listen, "app listens"),
];
const NODE_W: u32 = 150;
const NODE_H: u32 = 34;
const COL_GAP: u32 = 40;
const ROW_GAP: u32 = 14;
const TOP: u32 = 22;
const LABEL_CHARS: usize = 24;

/// The port chain as columns of boxes (only the kinds present), edges as
/// curves from the right side of one box to the left of the next; an edge
/// whose ends disagree is red, an undecided one grey and dashed.
fn svg(out: &mut String, chain: &PortChain) {
    if chain.nodes.is_empty() {
        let _ = writeln!(out, "<p class=\"empty\">No port wiring found.</p>");
        return;
    }
    let cols: Vec<(NodeKind, &str)> = COLUMNS
        .iter()
        .copied()
        .filter(|(k, _)| chain.nodes.iter().any(|n| n.kind == *k))
        .collect();
    let mut place: HashMap<&str, (u32, u32)> = HashMap::new();
    let mut rows = 0u32;
    for (ci, (kind, _)) in cols.iter().enumerate() {
        let mut row = 0u32;
        for n in chain.nodes.iter().filter(|n| n.kind == *kind) {
            let x = ci as u32 * (NODE_W + COL_GAP);
            let y = TOP + row * (NODE_H + ROW_GAP);
            place.insert(n.id.as_str(), (x, y));
            row += 1;
        }
        rows = rows.max(row);
    }
    let width = (cols.len() as u32 * (NODE_W + COL_GAP))
        .saturating_sub(COL_GAP)
        .max(NODE_W)
        + 2;
    let height = TOP + rows * (NODE_H + ROW_GAP);
    let _ = writeln!(
        out,
        "<svg viewBox=\"0 0 {width} {height}\" \
         width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"port wiring\">"
    );
    for (ci, (_, label)) in cols.iter().enumerate() {
        let x = ci as u32 * (NODE_W + COL_GAP) + 2;
        let _ = writeln!(out, "<text class=\"col\" x=\"{x}\" y=\"12\">{label}</text>");
    }
    for e in &chain.edges {
        let (Some(&(fx, fy)), Some(&(tx, ty))) =
            (place.get(e.from.as_str()), place.get(e.to.as_str()))
        else {
            continue;
        };
        let (x1, y1) = (fx + NODE_W, fy + NODE_H / 2);
        let (x2, y2) = (tx, ty + NODE_H / 2);
        // Right to left when a chain points back (never in practice):
        // still drawn, from the box's right edge.
        let mid = (x1 + x2) / 2;
        let class = match e.status {
            EdgeStatus::Ok => "ok",
            EdgeStatus::Mismatch => "mismatch",
            EdgeStatus::Unknown => "unknown",
        };
        let _ = writeln!(
            out,
            "<path class=\"edge {class}\" data-status=\"{class}\" \
             d=\"M{x1} {y1} C{mid} {y1} {mid} {y2} {x2} {y2}\"><title>{}</title></path>",
            esc(&e.note)
        );
    }
    for n in &chain.nodes {
        let Some(&(x, y)) = place.get(n.id.as_str()) else {
            continue;
        };
        let short: String = if n.label.chars().count() > LABEL_CHARS {
            n.label.chars().take(LABEL_CHARS - 1).chain(['…']).collect()
        } else {
            n.label.clone()
        };
        let _ = writeln!(
            out,
            "<g class=\"node\"><title>{} ({}:{})</title>\
             <rect x=\"{x}\" y=\"{y}\" width=\"{NODE_W}\" height=\"{NODE_H}\" rx=\"5\"/>\
             <text x=\"{}\" y=\"{}\">{}</text></g>",
            esc(&n.label),
            esc(&n.path),
            n.line,
            x + 6,
            y + NODE_H / 2 + 4,
            esc(&short)
        );
    }
    let _ = writeln!(out, "</svg>");
}

fn findings(out: &mut String, audit: &Audit, opts: &RenderOptions) {
    let _ = writeln!(
        out,
        "<section id=\"findings\">\n<h2>Findings ({})</h2>",
        audit.findings.len()
    );
    if audit.findings.is_empty() {
        let _ = writeln!(out, "<p class=\"empty\">No finding.</p>");
    }
    let mut texts: HashMap<String, Option<Vec<String>>> = HashMap::new();
    // The most severe first (a stable sort keeps report order within one).
    let mut ordered: Vec<&Finding> = audit.findings.iter().collect();
    ordered.sort_by_key(|f| std::cmp::Reverse(f.severity));
    for f in ordered {
        finding(out, audit, f, &mut texts);
    }
    let _ = writeln!(out, "</section>");
    if opts.show_suppressed && !audit.suppressed.is_empty() {
        let _ = writeln!(
            out,
            "<section id=\"suppressed\">\n<h2>Suppressed ({})</h2>\n<ul>",
            audit.suppressed.len()
        );
        for s in &audit.suppressed {
            let f = &s.finding;
            let _ = writeln!(
                out,
                "<li><span class=\"rule\">{}</span> {} at {}:{}</li>",
                f.rule,
                esc(&f.message),
                esc(&f.location.path),
                f.location.line
            );
        }
        let _ = writeln!(out, "</ul>\n</section>");
    }
}

fn finding(
    out: &mut String,
    audit: &Audit,
    f: &Finding,
    texts: &mut HashMap<String, Option<Vec<String>>>,
) {
    let sev = f.severity.as_str();
    let service = f.service.as_deref().map(esc).unwrap_or_default();
    let _ = writeln!(
        out,
        "<article class=\"finding\" data-severity=\"{sev}\" data-rule=\"{}\" \
         data-service=\"{service}\" data-fingerprint=\"{}\">\n\
         <p><span class=\"sev {sev}\">{sev}</span> <span class=\"rule\">{}</span> \
         <span class=\"msg\">{}</span></p>",
        f.rule,
        f.fingerprint(),
        f.rule,
        esc(&f.message)
    );
    if let Some(s) = &f.service {
        let _ = writeln!(out, "<p class=\"meta\">service {}</p>", esc(s));
    }
    excerpt(out, audit, &f.location, &f.label, texts);
    for r in &f.related {
        excerpt(out, audit, &r.loc, &r.message, texts);
    }
    if let Some(h) = &f.help {
        let _ = writeln!(out, "<p class=\"help\">help: {}</p>", esc(h));
    }
    let _ = writeln!(out, "</article>");
}

/// `path:line:column — label`, then the lines around the span with the
/// span's lines marked.
fn excerpt(
    out: &mut String,
    audit: &Audit,
    loc: &Location,
    label: &str,
    texts: &mut HashMap<String, Option<Vec<String>>>,
) {
    let _ = writeln!(
        out,
        "<p class=\"loc\">{}:{}:{} — {}</p>",
        esc(&loc.path),
        loc.line,
        loc.column,
        esc(label)
    );
    let lines = texts.entry(loc.path.to_string()).or_insert_with(|| {
        read_source(audit, loc).map(|t| t.lines().map(|l| l.replace('\t', "    ")).collect())
    });
    let Some(lines) = lines else {
        return;
    };
    let first = loc.line.saturating_sub(CONTEXT).max(1);
    let last = loc
        .end_line
        .max(loc.line)
        .saturating_add(CONTEXT)
        .min(first + MAX_EXCERPT_LINES - 1)
        .min(lines.len() as u32);
    if first > last {
        return;
    }
    let _ = write!(out, "<pre class=\"code\">");
    for n in first..=last {
        let text = lines.get(n as usize - 1).map_or("", String::as_str);
        let hit = if (loc.line..=loc.end_line.max(loc.line)).contains(&n) {
            " class=\"hit\""
        } else {
            ""
        };
        let _ = write!(out, "<span{hit}><i>{n}</i>{}</span>", esc(text));
    }
    let _ = writeln!(out, "</pre>");
}
