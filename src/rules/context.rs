//! What every rule reads: the inventory of facts, the linked services, and the
//! runtime of each deployment context, resolved once.

use crate::inventory::{ComposeServiceRef, Inventory, WorkloadRef};
use crate::link::{ComposeLink, ContainerLink, Service};
use crate::resolve::{self, Runtime};
use seamcheck_facts::kube::Container;
use seamcheck_facts::FileAnalysis;

pub struct Ctx<'a> {
    pub files: &'a [FileAnalysis],
    pub inv: &'a Inventory<'a>,
    pub services: &'a [Service],
    /// Which workloads each Kubernetes Service selects, and the reverse.
    pub selections: crate::link::Selections,
    /// The application units, for nearest-first resolution.
    pub units: crate::unit::Units,
    /// The service each workload's containers are linked to (the first).
    service_by_workload: std::collections::HashMap<usize, usize>,
    /// Per service: the image alone.
    image_runtimes: Vec<Option<Runtime<'a>>>,
    /// Per service, per container link: that container.
    container_runtimes: Vec<Vec<Option<Runtime<'a>>>>,
    /// Per service, per compose link: that compose service.
    compose_runtimes: Vec<Vec<Option<Runtime<'a>>>>,
}

/// One compose service running a service's image.
pub struct ComposeView<'c, 'a> {
    pub service: &'c Service,
    pub link: &'c ComposeLink,
    pub compose: &'c ComposeServiceRef<'a>,
    pub runtime: Option<&'c Runtime<'a>>,
}

/// One linked container with everything a rule needs about it.
pub struct ContainerView<'c, 'a> {
    pub service: &'c Service,
    pub link: &'c ContainerLink,
    pub workload: &'c WorkloadRef<'a>,
    pub container: &'a Container,
    pub runtime: Option<&'c Runtime<'a>>,
}

impl<'a> Ctx<'a> {
    pub fn new(files: &'a [FileAnalysis], inv: &'a Inventory<'a>, services: &'a [Service]) -> Self {
        let image_runtimes = services
            .iter()
            .map(|s| resolve::image_runtime(inv, s))
            .collect();
        let container_runtimes = services
            .iter()
            .map(|s| {
                s.containers
                    .iter()
                    .map(|c| {
                        let w = inv.workloads.get(c.workload)?;
                        let container = w.workload.containers.get(c.container)?;
                        resolve::container_runtime(inv, s, container, w)
                    })
                    .collect()
            })
            .collect();
        let compose_runtimes = services
            .iter()
            .map(|s| {
                s.compose
                    .iter()
                    .map(|c| resolve::compose_runtime(inv, s, c))
                    .collect()
            })
            .collect();
        let mut service_by_workload = std::collections::HashMap::new();
        for (s, svc) in services.iter().enumerate() {
            for c in &svc.containers {
                service_by_workload.entry(c.workload).or_insert(s);
            }
        }
        let units = crate::unit::Units::new(inv);
        Ctx {
            service_by_workload,
            selections: crate::link::selections_in(inv, &units),
            units,
            files,
            inv,
            services,
            image_runtimes,
            container_runtimes,
            compose_runtimes,
        }
    }

    pub fn image_runtime(&self, service: usize) -> Option<&Runtime<'a>> {
        self.image_runtimes.get(service)?.as_ref()
    }

    /// Every linked container of every service.
    pub fn containers(&self) -> Vec<ContainerView<'_, 'a>> {
        (0..self.services.len())
            .flat_map(|s| self.containers_of(s))
            .collect()
    }

    /// The linked containers of one service.
    pub fn containers_of(&self, s: usize) -> Vec<ContainerView<'_, 'a>> {
        let Some(service) = self.services.get(s) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, link) in service.containers.iter().enumerate() {
            let Some(workload) = self.inv.workloads.get(link.workload) else {
                continue;
            };
            let Some(container) = workload.workload.containers.get(link.container) else {
                continue;
            };
            let runtime = self
                .container_runtimes
                .get(s)
                .and_then(|v| v.get(i))
                .and_then(Option::as_ref);
            out.push(ContainerView {
                service,
                link,
                workload,
                container,
                runtime,
            });
        }
        out
    }

    /// Every runtime (image alone and each container) of a service.
    pub fn runtimes_of(&self, service: usize) -> impl Iterator<Item = &Runtime<'a>> {
        let containers = self.container_runtimes.get(service).into_iter().flatten();
        let compose = self.compose_runtimes.get(service).into_iter().flatten();
        self.image_runtimes
            .get(service)
            .into_iter()
            .chain(containers)
            .chain(compose)
            .flatten()
    }

    /// Every compose service running the image of a service of the scan.
    pub fn compose_services(&self) -> Vec<ComposeView<'_, 'a>> {
        (0..self.services.len())
            .flat_map(|s| self.compose_services_of(s))
            .collect()
    }

    /// The compose services running one service's image.
    pub fn compose_services_of(&self, s: usize) -> Vec<ComposeView<'_, 'a>> {
        let Some(service) = self.services.get(s) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, link) in service.compose.iter().enumerate() {
            let Some(compose) = self.inv.compose_services.get(link.service) else {
                continue;
            };
            let runtime = self
                .compose_runtimes
                .get(s)
                .and_then(|v| v.get(i))
                .and_then(Option::as_ref);
            out.push(ComposeView {
                service,
                link,
                compose,
                runtime,
            });
        }
        out
    }

    /// The Kubernetes Services (indices into `Inventory::services`) selecting a workload.
    pub fn selecting(&self, workload: usize) -> &[usize] {
        self.selections
            .selected_by
            .get(workload)
            .map_or(&[], Vec::as_slice)
    }

    /// The service a workload's container belongs to.
    pub fn service_of(&self, workload: usize) -> Option<&Service> {
        self.service_by_workload
            .get(&workload)
            .and_then(|&s| self.services.get(s))
    }
}
