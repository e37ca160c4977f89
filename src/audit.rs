//! One audit: discover → render → analyze → link → check. Reports render
//! its result.

use crate::analyze::discover_and_analyze;
use crate::discover::Skipped;
use crate::finding::{Finding, Related};
use crate::model::inventory::Inventory;
use crate::model::link::{self, Service};
use crate::model::resolve::Resolved;
use crate::model::Model;
use crate::rules::RULES;
use seamcheck_facts::{FileAnalysis, Location};
use serde::Serialize;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

#[derive(Default)]
pub struct AuditOptions {
    pub paths: Vec<PathBuf>,
    /// Explicit links from the configuration's `[[services]]`.
    pub services: Vec<link::ServiceMapping>,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub max_file_size: u64,
    /// `[paths] exclude` globs, relative to the root (see `config::PathFilter`).
    pub exclude: Vec<String>,
    /// `[rules]` severity overrides.
    pub severity: Vec<(String, crate::finding::Severity)>,
    pub suppressions: crate::config::SuppressionPolicy,
    pub baseline: Option<crate::baseline::Baseline>,
    /// What the render stage needs besides the tree (extra renderers).
    pub render: crate::render::RenderOptions,
}

pub struct Audit {
    /// Absolute root; report paths are relative to it.
    pub root: PathBuf,
    /// The root as the user named it, for the report.
    pub root_display: String,
    /// The analyses that hold something (see `analyze::analyze_all`).
    pub files: Vec<FileAnalysis>,
    /// Files read and analysed, those that held nothing included.
    pub files_analysed: usize,
    pub skipped: Vec<Skipped>,
    /// Links seamcheck did not make (ambiguous candidates), for the user to settle.
    pub link_notes: Vec<link::LinkNote>,
    pub services: Vec<ServiceReport>,
    pub findings: Vec<Finding>,
    /// Findings hidden by inline suppressions or the baseline.
    pub suppressed: Vec<crate::suppress::Suppressed>,
}

/// A service as the JSON report and `graph` show it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ServiceReport {
    pub name: String,
    pub dockerfile: Option<String>,
    pub workloads: Vec<WorkloadLink>,
    pub compose: Vec<ComposeLinkReport>,
    pub kube_services: Vec<String>,
    pub sources: Vec<String>,
    /// The code the image runs, and why seamcheck believes so.
    pub entry: Option<EntryReport>,
    /// Where the image's app listens (image alone).
    pub listen: Option<ListenReport>,
    /// The port chain from Ingress to the app, as `seamcheck graph` draws it.
    pub ports: crate::model::chain::PortChain,
}

/// A compose service running the service's image.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ComposeLinkReport {
    /// The compose service's name.
    #[serde(rename = "service")]
    pub compose_service: String,
    /// The compose file.
    pub path: String,
    /// `build.target`: the stage that runs.
    pub target: Option<String>,
    pub evidence: String,
    pub listen: Option<ListenReport>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct WorkloadLink {
    pub id: String,
    pub path: String,
    pub container: String,
    pub evidence: String,
    pub listen: Option<ListenReport>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct EntryReport {
    pub path: String,
    pub evidence: String,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ListenReport {
    pub host: Option<String>,
    pub port: Option<u16>,
    pub chain: Vec<ChainStep>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ChainStep {
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl ChainStep {
    fn from_related(r: &Related) -> Self {
        ChainStep {
            path: r.loc.path.to_string(),
            line: r.loc.line,
            column: r.loc.column,
            message: r.message.clone(),
        }
    }
}

/// The root that report paths are relative to: the one directory audited,
/// the directory of the one file audited, or the current directory.
pub fn audit_root(paths: &[PathBuf]) -> PathBuf {
    match paths {
        [one] if one.is_dir() => one.clone(),
        [one] => one
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
        _ => PathBuf::from("."),
    }
}

pub fn run(opts: &AuditOptions) -> Audit {
    let root = audit_root(&opts.paths);
    let filter = crate::config::PathFilter::new(&opts.exclude).ok();
    let keep = |rel: &str| filter.as_ref().is_none_or(|f| !f.excludes(rel));
    let (analysed, mut skipped) =
        discover_and_analyze(&root, &opts.paths, opts.max_file_size, &keep);
    let tree = crate::render::RootTree::new(&root, opts.max_file_size);
    let renderers: Vec<_> = opts
        .render
        .extra
        .iter()
        .cloned()
        .chain(crate::render::registry(&opts.render))
        .collect();
    let stage = crate::render::render_units(&tree, &analysed.units, &renderers);
    let files_analysed = analysed.count + stage.count;
    let files = crate::render::merge(analysed.files, stage, &tree);
    for f in &files {
        for n in &f.notes {
            skipped.push(Skipped {
                rel: n.loc.path.to_string(),
                reason: n.message.clone(),
            });
        }
    }
    let root_name = root
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "app".to_string());
    let inv = Inventory::new(&files);
    let link_notes = link::ambiguous_links(&inv);
    let services = link::link(&inv, &root_name, &opts.services);
    // The model: built once, read by every rule and report.
    let cx = Model::new(&files, &inv, &services);
    let mut findings = Vec::new();
    for rule in RULES {
        if !selected(rule.meta.id, opts) {
            continue;
        }
        (rule.check)(&cx, &mut findings);
    }
    for finding in &mut findings {
        add_via_evidence(finding);
    }
    let ran = |id: &str| selected(id, opts);
    let (findings, suppressed) = crate::suppress::apply(
        &files,
        dedupe_and_sort(findings),
        &crate::suppress::Policy {
            severity: &opts.severity,
            suppressions: &opts.suppressions,
            baseline: opts.baseline.as_ref(),
            ran: &ran,
        },
    );
    let findings = dedupe_and_sort(findings);
    let service_reports = services
        .iter()
        .enumerate()
        .map(|(i, s)| service_report(&cx, i, s))
        .collect();
    Audit {
        root_display: opts
            .paths
            .first()
            .filter(|_| opts.paths.len() == 1)
            .map_or_else(
                || ".".to_string(),
                |p| p.to_string_lossy().replace('\\', "/"),
            ),
        root,
        files,
        files_analysed,
        skipped,
        link_notes,
        services: service_reports,
        findings,
        suppressed,
    }
}

/// A location inside rendered output names the real place a value was
/// written; its `via` names what put it there (the template line that used a
/// value, the kustomization line that applied a patch). Every finding shows
/// each such place once among its related evidence, whatever rule made it.
fn add_via_evidence(finding: &mut Finding) {
    let vias: Vec<_> = std::iter::once(&finding.location)
        .chain(finding.related.iter().map(|r| &r.loc))
        .filter_map(|loc| loc.via.clone())
        .collect();
    for via in vias {
        let known = finding.related.iter().any(|r| {
            r.loc.path == via.loc.path && r.loc.span == via.loc.span && r.message == via.message
        });
        if !known {
            finding.related.push(Related {
                loc: via.loc.clone(),
                message: via.message.clone(),
            });
        }
    }
}

fn selected(id: &str, opts: &AuditOptions) -> bool {
    (opts.select.is_empty() || opts.select.iter().any(|s| s == id))
        && !opts.ignore.iter().any(|s| s == id)
}

/// The same rule at the same place (two contexts resolving the same wrong
/// value) is one finding. Order: path, line, column, rule.
fn dedupe_and_sort(mut findings: Vec<Finding>) -> Vec<Finding> {
    let key = |f: &Finding| {
        (
            f.location.path.clone(),
            f.location.line,
            f.location.column,
            f.rule,
            f.message.clone(),
        )
    };
    findings.sort_by_key(key);
    let mut seen = HashSet::new();
    findings.retain(|f| seen.insert((f.rule, f.location.path.clone(), f.location.span)));
    findings
}

fn listen_report(
    port: Option<&Resolved<u16>>,
    host: Option<&Resolved<String>>,
) -> Option<ListenReport> {
    if port.is_none() && host.is_none() {
        return None;
    }
    let mut chain: Vec<ChainStep> = Vec::new();
    for r in host
        .map(|h| h.evidence())
        .into_iter()
        .chain(port.map(|p| p.evidence()))
        .flatten()
    {
        let step = ChainStep::from_related(&r);
        if !chain
            .iter()
            .any(|c| c.path == step.path && c.line == step.line && c.message == step.message)
        {
            chain.push(step);
        }
    }
    Some(ListenReport {
        host: host.map(|h| h.value.clone()),
        port: port.map(|p| p.value),
        chain,
    })
}

fn service_report(cx: &Model<'_>, i: usize, s: &Service) -> ServiceReport {
    let image = cx.image_runtime(i);
    let views = cx.containers_of(i);
    ServiceReport {
        name: s.name.clone(),
        dockerfile: s
            .dockerfile
            .and_then(|d| cx.inv.dockerfiles.get(d))
            .map(|d| d.path.to_string()),
        compose: cx
            .compose_services_of(i)
            .iter()
            .map(|v| ComposeLinkReport {
                compose_service: v.compose.service.name.value.clone(),
                path: v.compose.path.to_string(),
                target: v.link.target.clone(),
                evidence: v.link.evidence.clone(),
                listen: v
                    .runtime
                    .and_then(|r| listen_report(r.port.as_ref(), r.host.as_ref())),
            })
            .collect(),
        workloads: views
            .iter()
            .map(|v| WorkloadLink {
                id: v.workload.id(),
                path: v.workload.path.to_string(),
                container: v.container.name.value.clone(),
                evidence: v.link.evidence.clone(),
                listen: v
                    .runtime
                    .and_then(|r| listen_report(r.port.as_ref(), r.host.as_ref())),
            })
            .collect(),
        kube_services: s
            .kube_services
            .iter()
            .filter_map(|&k| cx.inv.kube_services.get(k))
            .map(|k| format!("{}/{}", k.namespace(), k.service.name.value))
            .collect(),
        sources: s
            .sources
            .iter()
            .filter_map(|&k| cx.inv.sources.get(k))
            .map(|k| k.path.to_string())
            .collect(),
        entry: image.and_then(|r| r.entry.as_ref()).and_then(|e| {
            cx.inv.sources.get(e.source).map(|src| EntryReport {
                path: src.path.to_string(),
                evidence: e.evidence.clone(),
            })
        }),
        listen: image.and_then(|r| listen_report(r.port.as_ref(), r.host.as_ref())),
        ports: crate::model::chain::port_chain(cx, i),
    }
}

/// For reports: a location's text, read again from disk (analyzers keep no
/// text). `None` for a file that is not UTF-8 text: spans into it cannot be
/// drawn on a lossy decoding, whose replacement characters shift every byte.
pub fn read_source(root: &Path, loc: &Location) -> Option<String> {
    let bytes = std::fs::read(root.join(&*loc.path)).ok()?;
    String::from_utf8(bytes).ok().filter(|t| !t.contains('\0'))
}
