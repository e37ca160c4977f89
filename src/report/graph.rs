//! `seamcheck graph`: per service, the chain Ingress → Service port →
//! targetPort → containerPort → EXPOSE → app listen, each node with its
//! file:line, each mismatching edge marked. Text reads in a terminal, DOT
//! renders with Graphviz, Mermaid renders on GitHub, JSON is the same data as
//! the report's `services[].ports`.

use crate::audit::{Audit, ServiceReport};
use crate::model::chain::{ChainEdge, ChainNode, EdgeStatus, NodeKind};
use std::fmt::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphFormat {
    Text,
    Dot,
    Mermaid,
    Json,
}

/// Renders the linked services of an audit.
pub fn render(audit: &Audit, format: GraphFormat) -> String {
    match format {
        GraphFormat::Text => text(&audit.services),
        GraphFormat::Dot => dot(&audit.services),
        GraphFormat::Mermaid => mermaid(&audit.services),
        GraphFormat::Json => {
            let list: Vec<_> = audit
                .services
                .iter()
                .map(|s| serde_json::json!({"service": s.name, "ports": s.ports}))
                .collect();
            serde_json::to_string_pretty(&list).unwrap_or_default() + "\n"
        }
    }
}

/// Upstream first: what a request meets first is drawn first.
fn rank(kind: NodeKind) -> u8 {
    match kind {
        NodeKind::Ingress => 0,
        NodeKind::ServicePort => 1,
        NodeKind::ComposePort | NodeKind::ContainerPort => 2,
        NodeKind::Expose => 3,
        NodeKind::Listen => 4,
    }
}

fn node<'a>(s: &'a ServiceReport, id: &str) -> Option<&'a ChainNode> {
    s.ports.nodes.iter().find(|n| n.id == id)
}

fn sorted_edges(s: &ServiceReport) -> Vec<&ChainEdge> {
    let mut edges: Vec<&ChainEdge> = s.ports.edges.iter().collect();
    edges.sort_by_key(|e| {
        (
            node(s, &e.from).map_or(9, |n| rank(n.kind)),
            e.from.clone(),
            e.to.clone(),
        )
    });
    edges
}

fn place(n: &ChainNode) -> String {
    format!("{}:{}", n.path, n.line)
}

fn text(services: &[ServiceReport]) -> String {
    let mut out = String::new();
    for s in services {
        let mut links: Vec<String> = s.dockerfile.iter().cloned().collect();
        links.extend(s.workloads.iter().map(|w| w.id.clone()));
        let _ = writeln!(out, "service {} ({})", s.name, links.join(", "));
        if let Some(entry) = &s.entry {
            let _ = writeln!(out, "  runs {} ({})", entry.path, entry.evidence);
        }
        let edges = sorted_edges(s);
        if edges.is_empty() {
            out.push_str("  no port chain: nothing to link (port or manifests unknown)\n");
        }
        for e in edges {
            let (Some(from), Some(to)) = (node(s, &e.from), node(s, &e.to)) else {
                continue;
            };
            let mark = match e.status {
                EdgeStatus::Ok => "ok",
                EdgeStatus::Mismatch => "MISMATCH",
                EdgeStatus::Unknown => "unknown",
            };
            let _ = writeln!(
                out,
                "  {} [{}] --{}--> {} [{}]  {mark}",
                from.label,
                place(from),
                e.note,
                to.label,
                place(to)
            );
        }
        out.push('\n');
    }
    out
}

fn quote(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

fn dot(services: &[ServiceReport]) -> String {
    let mut out = String::from(
        "digraph seamcheck {\n  rankdir=LR;\n  node [shape=box, fontname=\"monospace\"];\n",
    );
    for (i, s) in services.iter().enumerate() {
        let _ = writeln!(
            out,
            "  subgraph cluster_{i} {{\n    label=\"{}\";",
            quote(&s.name)
        );
        for n in &s.ports.nodes {
            let _ = writeln!(
                out,
                "    \"{}_{}\" [label=\"{}\\n{}\"];",
                i,
                quote(&n.id),
                quote(&n.label),
                quote(&place(n))
            );
        }
        for e in sorted_edges(s) {
            let style = match e.status {
                EdgeStatus::Ok => "color=darkgreen",
                EdgeStatus::Mismatch => "color=red, penwidth=2",
                EdgeStatus::Unknown => "style=dashed",
            };
            let _ = writeln!(
                out,
                "    \"{i}_{}\" -> \"{i}_{}\" [label=\"{}\", {style}];",
                quote(&e.from),
                quote(&e.to),
                quote(&e.note)
            );
        }
        out.push_str("  }\n");
    }
    out.push_str("}\n");
    out
}

fn mermaid(services: &[ServiceReport]) -> String {
    let mut out = String::from("flowchart LR\n");
    let mut link = 0usize;
    let mut red = Vec::new();
    for (i, s) in services.iter().enumerate() {
        let _ = writeln!(out, "  subgraph s{i}[\"{}\"]", mermaid_text(&s.name));
        let id_of = |id: &str| -> String {
            let pos = s.ports.nodes.iter().position(|n| n.id == id).unwrap_or(0);
            format!("s{i}n{pos}")
        };
        for (k, n) in s.ports.nodes.iter().enumerate() {
            let _ = writeln!(
                out,
                "    s{i}n{k}[\"{}<br/>{}\"]",
                mermaid_text(&n.label),
                mermaid_text(&place(n))
            );
        }
        for e in sorted_edges(s) {
            let arrow = if e.status == EdgeStatus::Unknown {
                "-.->"
            } else {
                "-->"
            };
            let _ = writeln!(
                out,
                "    {} {arrow}|\"{}\"| {}",
                id_of(&e.from),
                mermaid_text(&e.note),
                id_of(&e.to)
            );
            if e.status == EdgeStatus::Mismatch {
                red.push(link);
            }
            link += 1;
        }
        out.push_str("  end\n");
    }
    for l in red {
        let _ = writeln!(out, "  linkStyle {l} stroke:red,stroke-width:3px");
    }
    out
}

/// Mermaid labels are quoted; quotes and angle brackets must be entities.
fn mermaid_text(s: &str) -> String {
    s.replace('"', "#quot;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
}
