//! Assembles services from the facts: which Dockerfile builds the image a
//! workload runs, which source files that image holds, which Service selects
//! which pods, which Ingress routes to which Service. Every link keeps its
//! evidence; a link seamcheck is unsure of is not made.

mod compose;
mod images;
mod selectors;

pub use compose::ComposeLink;
pub use images::split_image_tag;
pub use selectors::{selects, service_backends};

use crate::inventory::{base_name, Inventory};
use serde::Serialize;

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

    for (d, df) in inv.dockerfiles.iter().enumerate() {
        let containers: Vec<ContainerLink> = container_links
            .iter()
            .filter(|(dockerfile, _)| *dockerfile == Some(d))
            .map(|(_, link)| link.clone())
            .collect();
        let dir_name = if df.dir.is_empty() {
            root_name.to_string()
        } else {
            base_name(&df.dir).to_string()
        };
        let compose: Vec<ComposeLink> = compose_links
            .iter()
            .filter(|(dockerfile, _)| *dockerfile == d)
            .map(|(_, link)| link.clone())
            .collect();
        let compose_name = compose
            .first()
            .and_then(|c| inv.compose_services.get(c.service))
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
        let sources = inv
            .sources
            .iter()
            .enumerate()
            .filter(|(_, s)| in_dir(s.path, &context))
            .map(|(i, _)| i)
            .collect();
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
    for (w, wl) in inv.workloads.iter().enumerate() {
        let unlinked: Vec<ContainerLink> = container_links
            .iter()
            .filter(|(d, link)| d.is_none() && link.workload == w)
            .map(|(_, link)| link.clone())
            .collect();
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

    for svc in &mut services {
        for (s, so) in inv.services.iter().enumerate() {
            let selects_any = svc.containers.iter().any(|c| {
                inv.workloads
                    .get(c.workload)
                    .is_some_and(|w| selects(so, w))
            });
            if selects_any {
                svc.kube_services.push(s);
            }
        }
        svc.dockerfile_evidence = svc.containers.first().map(|c| c.evidence.clone());
    }
    disambiguate_names(&mut services);
    services.sort_by(|a, b| a.name.cmp(&b.name));
    services
}

fn in_dir(path: &str, dir: &str) -> bool {
    dir.is_empty()
        || path
            .strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Two services named alike (two `app/` directories) get their index appended,
/// so that reports and fingerprints tell them apart.
fn disambiguate_names(services: &mut [Service]) {
    let names: Vec<String> = services.iter().map(|s| s.name.clone()).collect();
    for (i, svc) in services.iter_mut().enumerate() {
        if names.iter().filter(|n| **n == svc.name).count() > 1 {
            let n = names[..i].iter().filter(|n| **n == svc.name).count();
            if n > 0 {
                svc.name = format!("{}-{}", svc.name, n + 1);
            }
        }
    }
}
