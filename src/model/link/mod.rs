//! Assembles services from the facts: which Dockerfile builds the image a
//! workload runs, which source files that image holds, which Service selects
//! which pods, which Ingress routes to which Service. Every link keeps its
//! evidence; a link seamcheck is unsure of is not made.

mod compose;
mod images;
mod selectors;

pub use compose::ComposeLink;
pub use images::{ambiguous_links, split_image_tag};
pub use selectors::{selections, selects, service_backends, Selections};

use crate::inventory::{base_name, Inventory};
use serde::Serialize;
use std::collections::HashMap;

/// An explicit link from `.seamcheck.toml` (`[[services]]`), for when naming
/// conventions do not tell which Dockerfile builds which workload's image.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ServiceMapping {
    pub name: String,
    /// Path of the Dockerfile relative to the audited root.
    pub dockerfile: Option<String>,
    /// Workloads as `Kind/namespace/name` (`Deployment/shop/inventory`).
    pub workloads: Vec<String>,
    /// Compose services by name.
    pub compose: Vec<String>,
}

/// A link seamcheck did not make, and why: shown at note level, never an error.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct LinkNote {
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// One container of one workload, linked to a service.
#[derive(Debug, Clone, Serialize)]
pub struct ContainerLink {
    pub workload: usize,
    pub container: usize,
    pub evidence: String,
}

/// A service: what seamcheck believes is one deployable unit.
#[derive(Debug, Clone, Serialize)]
pub struct Service {
    pub name: String,
    /// Index into `Inventory::dockerfiles`.
    pub dockerfile: Option<usize>,
    pub dockerfile_evidence: Option<String>,
    pub containers: Vec<ContainerLink>,
    /// Compose services running the image.
    pub compose: Vec<ComposeLink>,
    /// The build context, relative to the root (`""` for the root): the
    /// Dockerfile's directory unless a compose `build.context` says otherwise.
    pub context: String,
    /// Source files inside the image's build context (indices into `Inventory::sources`).
    pub sources: Vec<usize>,
    /// Kubernetes Services selecting this service's pods.
    pub kube_services: Vec<usize>,
}

pub fn link(inv: &Inventory<'_>, root_name: &str, mappings: &[ServiceMapping]) -> Vec<Service> {
    let container_links = images::link_containers(inv, mappings);
    let compose_links = compose::link_compose(inv, mappings);
    let mut services: Vec<Service> = Vec::new();

    let mut containers_by_df: HashMap<Option<usize>, Vec<ContainerLink>> = HashMap::new();
    for (d, link) in &container_links {
        containers_by_df.entry(*d).or_default().push(link.clone());
    }
    let mut compose_by_df: HashMap<usize, Vec<ComposeLink>> = HashMap::new();
    for (d, link) in &compose_links {
        compose_by_df.entry(*d).or_default().push(link.clone());
    }
    // Sources sorted by path: the files of a directory are one range.
    let mut by_path: Vec<usize> = (0..inv.sources.len()).collect();
    by_path.sort_by(|a, b| inv.sources[*a].path.cmp(inv.sources[*b].path));
    for (d, df) in inv.dockerfiles.iter().enumerate() {
        let containers: Vec<ContainerLink> = containers_by_df.remove(&Some(d)).unwrap_or_default();
        let dir_name = if df.dir.is_empty() {
            root_name.to_string()
        } else {
            base_name(&df.dir).to_string()
        };
        let compose: Vec<ComposeLink> = compose_by_df.remove(&d).unwrap_or_default();
        let compose_name = compose
            .first()
            .and_then(|c| inv.compose_services.get(c.compose_service))
            .map(|c| c.service.name.value.clone());
        let name = containers
            .first()
            .and_then(|c| inv.workloads.get(c.workload))
            .map(|w| w.workload.name.value.clone())
            .or(compose_name)
            .unwrap_or(dir_name);
        let context = compose
            .iter()
            .find_map(|c| c.context.clone())
            .unwrap_or_else(|| df.dir.clone());
        let sources = sources_in(inv, &by_path, &context);
        services.push(Service {
            name,
            dockerfile: Some(d),
            dockerfile_evidence: None,
            containers,
            compose,
            context,
            sources,
            kube_services: Vec::new(),
        });
    }

    // Workload containers whose image is not built here are their own service,
    // one per workload.
    let mut unlinked_by_workload: HashMap<usize, Vec<ContainerLink>> = HashMap::new();
    for link in containers_by_df.remove(&None).unwrap_or_default() {
        unlinked_by_workload
            .entry(link.workload)
            .or_default()
            .push(link);
    }
    for (w, wl) in inv.workloads.iter().enumerate() {
        let unlinked = unlinked_by_workload.remove(&w).unwrap_or_default();
        if unlinked.is_empty() {
            continue;
        }
        services.push(Service {
            name: wl.workload.name.value.clone(),
            dockerfile: None,
            dockerfile_evidence: None,
            containers: unlinked,
            compose: Vec::new(),
            context: String::new(),
            sources: Vec::new(),
            kube_services: Vec::new(),
        });
    }

    let sel = selections(inv);
    for svc in &mut services {
        let mut kube: Vec<usize> = svc
            .containers
            .iter()
            .flat_map(|c| {
                sel.selected_by
                    .get(c.workload)
                    .into_iter()
                    .flatten()
                    .copied()
            })
            .collect();
        kube.sort_unstable();
        kube.dedup();
        svc.kube_services = kube;
        svc.dockerfile_evidence = svc.containers.first().map(|c| c.evidence.clone());
    }
    disambiguate_names(&mut services);
    services.sort_by(|a, b| a.name.cmp(&b.name));
    services
}

/// The sources below `dir` (all for the root), through the sorted index.
fn sources_in(inv: &Inventory<'_>, by_path: &[usize], dir: &str) -> Vec<usize> {
    if dir.is_empty() {
        return by_path.to_vec();
    }
    let prefix = format!("{dir}/");
    let path = |i: &usize| inv.sources.get(*i).map_or("", |s| s.path);
    let start = by_path.partition_point(|i| path(i) < prefix.as_str());
    by_path[start..]
        .iter()
        .take_while(|i| path(i).starts_with(&prefix))
        .copied()
        .collect()
}

/// Two services named alike (two `app/` directories) get their index appended,
/// so that reports and fingerprints tell them apart.
fn disambiguate_names(services: &mut [Service]) {
    // (services with the name, those of them seen so far); a count per name
    // keeps this linear in a monorepo of thousands of services.
    let mut counts: std::collections::HashMap<String, (usize, usize)> =
        std::collections::HashMap::new();
    for svc in services.iter() {
        counts.entry(svc.name.clone()).or_default().0 += 1;
    }
    for svc in services.iter_mut() {
        let Some((total, seen)) = counts.get_mut(&svc.name) else {
            continue;
        };
        *seen += 1;
        if *total > 1 && *seen > 1 {
            svc.name = format!("{}-{}", svc.name, seen);
        }
    }
}
