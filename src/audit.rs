//! One audit: discover → render → analyze → model → check. Reports render
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
    /// Audit test data too (`--include-test-data`, `[paths] include-test-data`).
    pub include_test_data: bool,
    /// What the render stage needs besides the tree (extra renderers).
    pub render: crate::render::RenderOptions,
    /// A digest of the effective configuration, for the report's run
    /// metadata (the CLI computes it: it knows the flags that shape it).
    pub config_digest: Option<String>,
    /// Rendered manifests read from stdin (`--manifests -`), analysed as
    /// the Kubernetes file `<stdin>`.
    pub stdin_manifests: Option<Vec<u8>>,
}

/// The name `--manifests -` gives the stream in reports.
pub const STDIN_NAME: &str = "<stdin>";

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
    /// How to read each analysed file again (snippets), by report path.
    pub sources: std::collections::HashMap<String, crate::input::Snapshot>,
    /// Render units (Helm charts, kustomize overlays) rendered and failed.
    pub units_rendered: usize,
    pub units_failed: usize,
    /// See `AuditOptions::config_digest`.
    pub config_digest: Option<String>,
    /// Text that was never a file (`<stdin>`), for snippets.
    pub virtual_sources: std::collections::HashMap<String, String>,
}

/// A service as the JSON report and `graph` show it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ServiceReport {
    pub name: String,
    /// The application unit the service belongs to (kustomization, chart,
    /// compose project, skaffold config, or its directory).
    pub unit: Option<crate::model::unit::Unit>,
    pub dockerfile: Option<String>,
    pub workloads: Vec<WorkloadLink>,
    pub compose: Vec<ComposeLinkReport>,
    pub kube_services: Vec<String>,
    pub sources: Vec<String>,
    /// The code the image runs, and why seamcheck believes so.
    pub entry: Option<EntryReport>,
    /// Where the image's app listens (image alone).
    pub listen: Option<ListenReport>,
    /// Why no listen port is known for the service (image, workloads and
    /// compose services alike): `"KIND: detail"`, KIND one of
    /// `no-dockerfile`, `no-start-command`, `base-config-changed`, `not-a-known-server`,
    /// `entry-not-found`, `no-listen-in-code`, `port-env-unset`,
    /// `port-not-resolved`. Absent when a port is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen_unknown: Option<String>,
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
    let test_data = std::sync::atomic::AtomicUsize::new(0);
    let generated = std::sync::atomic::AtomicUsize::new(0);
    let keep = |rel: &str| {
        if filter.as_ref().is_some_and(|f| f.excludes(rel)) {
            return false;
        }
        if !opts.include_test_data && crate::testdata::is_test_data(rel) {
            test_data.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            return false;
        }
        if crate::generated::is_generated(rel) {
            generated.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            return false;
        }
        true
    };
    let (analysed, mut skipped) =
        discover_and_analyze(&root, &opts.paths, opts.max_file_size, &keep);
    let test_data = test_data.into_inner();
    if test_data > 0 {
        skipped.push(Skipped {
            rel: ".".to_string(),
            reason: crate::testdata::summary(test_data),
        });
    }
    let generated = generated.into_inner();
    if generated > 0 {
        skipped.push(Skipped {
            rel: ".".to_string(),
            reason: crate::generated::summary(generated),
        });
    }
    let tree = crate::render::RootTree::new(&root, opts.max_file_size);
    let renderers: Vec<_> = opts
        .render
        .extra
        .iter()
        .cloned()
        .chain(crate::render::registry(&crate::render::RenderOptions {
            max_file_size: opts.max_file_size,
            ..opts.render.clone()
        }))
        .collect();
    let stage = crate::render::render_units(&tree, &analysed.units, &renderers);
    let files_analysed = analysed.count + stage.count;
    let (units_rendered, units_failed) = (stage.units_rendered, stage.units_failed);
    let mut files = crate::render::merge(analysed.files, stage, &tree);
    let mut files_analysed = files_analysed;
    let mut virtual_sources = std::collections::HashMap::new();
    if let Some(bytes) = &opts.stdin_manifests {
        files.push(seamcheck_kube::analyze(STDIN_NAME, bytes));
        files_analysed += 1;
        if let Ok(text) = std::str::from_utf8(bytes) {
            virtual_sources.insert(STDIN_NAME.to_string(), text.to_string());
        }
    }
    let mut sources = analysed.sources;
    // Snippets of the files a renderer read (values, templates, patches)
    // come from the bytes it rendered, by the same confined route.
    for (rel, snapshot) in tree.snapshots() {
        sources.entry(rel).or_insert(snapshot);
    }
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
    let findings = crate::copies::fold_copies(dedupe_and_sort(findings), |a, b| {
        match (sources.get(a), sources.get(b)) {
            (Some(x), Some(y)) => x.same_content(y),
            _ => false,
        }
    });
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
        sources,
        units_rendered,
        units_failed,
        config_digest: opts.config_digest.clone(),
        virtual_sources,
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
    let anchor = s
        .dockerfile
        .and_then(|d| cx.inv.dockerfiles.get(d))
        .map(|d| d.path)
        .or_else(|| views.first().map(|v| v.workload.path))
        .or_else(|| {
            s.compose
                .first()
                .and_then(|c| cx.inv.compose_services.get(c.compose_service))
                .map(|c| c.path)
        });
    ServiceReport {
        name: s.name.clone(),
        unit: anchor.map(|p| cx.units.unit_of(p)),
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
        listen_unknown: None,
        ports: crate::model::chain::port_chain(cx, i),
    }
    .with_listen_unknown(cx, s, image)
}

impl ServiceReport {
    fn port_known(&self) -> bool {
        self.listen.as_ref().is_some_and(|l| l.port.is_some())
            || self
                .workloads
                .iter()
                .any(|w| w.listen.as_ref().is_some_and(|l| l.port.is_some()))
            || self
                .compose
                .iter()
                .any(|c| c.listen.as_ref().is_some_and(|l| l.port.is_some()))
    }

    fn with_listen_unknown(
        mut self,
        cx: &Model<'_>,
        s: &Service,
        image: Option<&crate::model::resolve::Runtime<'_>>,
    ) -> Self {
        if !self.port_known() {
            self.listen_unknown = Some(listen_unknown_reason(cx, s, image));
        }
        self
    }
}

/// Why the listen port of a service is unknown, from the image's runtime:
/// the first step of command → code → listen call → value that fails.
fn listen_unknown_reason(
    cx: &Model<'_>,
    s: &Service,
    image: Option<&crate::model::resolve::Runtime<'_>>,
) -> String {
    use seamcheck_launch::ServerKind;
    if s.dockerfile.is_none() {
        return "no-dockerfile: the image is not built from a Dockerfile of the scan".into();
    }
    let Some(rt) = image else {
        return "no-start-command: the Dockerfile has no stage that runs".into();
    };
    let Some(launch) = &rt.launch else {
        return "no-start-command: no CMD or ENTRYPOINT, and the base image is not one seamcheck knows"
            .into();
    };
    if let Some(why) = &rt.base_server_unknown {
        return format!("base-config-changed: {why}");
    }
    let command: Vec<&str> = launch.argv.iter().map(|w| w.value.as_str()).collect();
    let command = command.join(" ");
    if let Some(missing) = &rt.missing_port_env {
        return format!(
            "port-env-unset: the port is read from `{}`, which nothing sets",
            missing.var
        );
    }
    let Some(entry) = &rt.entry else {
        return match &launch.server {
            ServerKind::Other { program } => format!(
                "not-a-known-server: `{program}` is not a server seamcheck models (`{command}`)"
            ),
            _ => format!(
                "entry-not-found: the code `{command}` runs is not found in the build context"
            ),
        };
    };
    let path = cx.inv.sources.get(entry.source).map_or("", |src| src.path);
    match rt.listen {
        None => format!("no-listen-in-code: `{path}` has no listen call seamcheck follows"),
        Some(listen) => {
            let text = listen
                .port
                .as_ref()
                .map(|p| crate::model::resolve::expr_text(&p.value))
                .unwrap_or_else(|| "no port argument".into());
            format!("port-not-resolved: `{path}` listens on `{text}`, not followed to a value")
        }
    }
}

/// For reports: a location's text, read again (analyzers keep no text) by
/// the same confined route analysis took, and only if the bytes are still
/// those analysed: never by a path re-derived from the report path, which
/// could name another file. `None` for a file that is not UTF-8 text: spans
/// into it cannot be drawn on a lossy decoding, whose replacement
/// characters shift every byte.
pub fn read_source(audit: &Audit, loc: &Location) -> Option<String> {
    if let Some(text) = audit.virtual_sources.get(&*loc.path) {
        return Some(text.clone()).filter(|t| !t.contains('\0'));
    }
    let bytes = audit.sources.get(&*loc.path)?.read_again()?;
    String::from_utf8(bytes).ok().filter(|t| !t.contains('\0'))
}
