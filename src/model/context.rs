//! The model every rule and report reads: the inventory of facts, the linked
//! services, the runtime of each deployment context and the verdict on each
//! hop of the port chains, all decided once.

use crate::inventory::{ComposeServiceRef, Inventory, WorkloadRef};
use crate::link::{ComposeLink, ContainerLink, Service};
use crate::model::verdict::{self, DeclaredPorts, Entry, TargetVerdict};
use crate::resolve::{self, Runtime};
use seamcheck_facts::kube::Container;
use seamcheck_facts::FileAnalysis;

pub struct Model<'a> {
    pub files: &'a [FileAnalysis],
    pub inv: &'a Inventory<'a>,
    pub services: &'a [Service],
    /// Which workloads each Kubernetes Service selects, and the reverse.
    pub selections: crate::link::Selections,
    /// The service each workload's containers are linked to (the first).
    service_by_workload: std::collections::HashMap<usize, usize>,
    /// Per service: the image alone.
    image_runtimes: Vec<Option<Runtime<'a>>>,
    /// Per service, per container link: that container.
    container_runtimes: Vec<Vec<Option<Runtime<'a>>>>,
    /// Per service, per compose link: that compose service.
    compose_runtimes: Vec<Vec<Option<Runtime<'a>>>>,
    /// Per service: its Dockerfile's `EXPOSE` list against the image's app.
    expose_verdicts: Vec<Option<DeclaredPorts>>,
    /// Per service, per container link: its `containerPort`s against its app.
    container_verdicts: Vec<Vec<Option<DeclaredPorts>>>,
    /// Per service, per compose link: its `ports`/`expose` against its app.
    compose_verdicts: Vec<Vec<Option<DeclaredPorts>>>,
    /// Per Kubernetes Service: the linked containers it selects, as
    /// (service, container link) pairs.
    kube_service_views: Vec<Vec<(usize, usize)>>,
    /// Per Kubernetes Service, per port: where its target goes (`None`: no
    /// container selected, or the target unresolved).
    target_verdicts: Vec<Vec<Option<TargetVerdict>>>,
}

/// One compose service running a service's image.
pub struct ComposeView<'c, 'a> {
    pub service: &'c Service,
    pub link: &'c ComposeLink,
    pub compose: &'c ComposeServiceRef<'a>,
    pub runtime: Option<&'c Runtime<'a>>,
    /// The service's `ports`/`expose` against the app's port.
    pub ports: Option<&'c DeclaredPorts>,
}

/// One linked container with everything a rule needs about it.
pub struct ContainerView<'c, 'a> {
    pub service: &'c Service,
    pub link: &'c ContainerLink,
    pub workload: &'c WorkloadRef<'a>,
    pub container: &'a Container,
    pub runtime: Option<&'c Runtime<'a>>,
    /// The `containerPort`s against the app's port.
    pub ports: Option<&'c DeclaredPorts>,
}

impl<'a> Model<'a> {
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
        let mut model = Model {
            service_by_workload,
            selections: crate::link::selections(inv),
            files,
            inv,
            services,
            image_runtimes,
            container_runtimes,
            compose_runtimes,
            expose_verdicts: Vec::new(),
            container_verdicts: Vec::new(),
            compose_verdicts: Vec::new(),
            kube_service_views: Vec::new(),
            target_verdicts: Vec::new(),
        };
        model.expose_verdicts = (0..services.len()).map(|s| model.judge_expose(s)).collect();
        model.container_verdicts = model.judge_containers();
        model.compose_verdicts = model.judge_compose();
        model.kube_service_views = model.views_by_kube_service();
        model.target_verdicts = model.judge_targets();
        model
    }

    fn judge_expose(&self, service: usize) -> Option<DeclaredPorts> {
        let port = self.image_runtime(service)?.port.as_ref()?;
        let image = self
            .services
            .get(service)?
            .dockerfile
            .and_then(|d| self.inv.dockerfiles.get(d))
            .and_then(|d| d.image())?;
        let entries: Vec<Entry> = image
            .expose()
            .iter()
            .map(|e| match e.port {
                Some(_) => Entry::Covers(e.covers(port.value)),
                None => Entry::Unresolved("unresolved EXPOSE"),
            })
            .collect();
        Some(verdict::judge_declared(port.value, &entries, None))
    }

    fn judge_containers(&self) -> Vec<Vec<Option<DeclaredPorts>>> {
        (0..self.services.len())
            .map(|s| {
                self.containers_of(s)
                    .iter()
                    .map(|view| {
                        let port = view.runtime?.port.as_ref()?;
                        let entries: Vec<Entry> = view
                            .container
                            .ports
                            .iter()
                            .map(|p| Entry::Covers(p.container_port.value == port.value))
                            .collect();
                        // An unreadable containerPort (a template) may be the right one.
                        let blocked = (!view.container.unresolved_ports.is_empty())
                            .then_some("another containerPort of the container is unresolved");
                        Some(verdict::judge_declared(port.value, &entries, blocked))
                    })
                    .collect()
            })
            .collect()
    }

    fn judge_compose(&self) -> Vec<Vec<Option<DeclaredPorts>>> {
        (0..self.services.len())
            .map(|s| {
                self.compose_services_of(s)
                    .iter()
                    .map(|view| {
                        let port = view.runtime?.port.as_ref()?;
                        let cs = view.compose.service;
                        let specs: Vec<_> = cs
                            .ports
                            .iter()
                            .map(|p| &p.container)
                            .chain(cs.expose.iter().map(|e| &e.port))
                            .collect();
                        let entries: Vec<Entry> = specs
                            .iter()
                            .map(|p| match p.port {
                                Some(_) => Entry::Covers(p.covers(port.value)),
                                None => Entry::Unresolved("unresolved container port"),
                            })
                            .collect();
                        // `network_mode: host` ignores `ports`; an unreadable
                        // port may be the right one.
                        let blocked = if cs.network_mode.as_ref().is_some_and(|m| m.value == "host")
                        {
                            Some("`network_mode: host` ignores ports")
                        } else if !cs.unresolved_ports.is_empty()
                            || specs.iter().any(|p| p.port.is_none())
                        {
                            Some("another port of the compose service is unresolved")
                        } else {
                            None
                        };
                        Some(verdict::judge_declared(port.value, &entries, blocked))
                    })
                    .collect()
            })
            .collect()
    }

    fn views_by_kube_service(&self) -> Vec<Vec<(usize, usize)>> {
        let mut by_workload: std::collections::HashMap<usize, Vec<(usize, usize)>> =
            std::collections::HashMap::new();
        for (s, service) in self.services.iter().enumerate() {
            for (i, link) in service.containers.iter().enumerate() {
                by_workload.entry(link.workload).or_default().push((s, i));
            }
        }
        (0..self.inv.kube_services.len())
            .map(|k| {
                self.selections
                    .selected
                    .get(k)
                    .into_iter()
                    .flatten()
                    .flat_map(|w| by_workload.get(w).into_iter().flatten().copied())
                    .collect()
            })
            .collect()
    }

    fn judge_targets(&self) -> Vec<Vec<Option<TargetVerdict>>> {
        self.inv
            .kube_services
            .iter()
            .enumerate()
            .map(|(k, kube)| {
                let views = self.selected_views(k);
                let selected: Vec<&ContainerView<'_, 'a>> = views.iter().collect();
                kube.service
                    .ports
                    .iter()
                    .map(|sp| {
                        // No pod selected is service-selector-no-match's
                        // finding; a targetPort written but unreadable (a
                        // template) is unknown, not `port`.
                        if selected.is_empty() {
                            return None;
                        }
                        let target = sp.known_target()?;
                        Some(verdict::judge_target(&target.value, &selected))
                    })
                    .collect()
            })
            .collect()
    }

    /// The linked containers a Kubernetes Service (index into
    /// `Inventory::kube_services`) selects.
    pub fn selected_views(&self, kube_service: usize) -> Vec<ContainerView<'_, 'a>> {
        let Some(pairs) = self.kube_service_views.get(kube_service) else {
            return Vec::new();
        };
        pairs
            .iter()
            .filter_map(|&(s, i)| self.container_view(s, i))
            .collect()
    }

    /// Where port `port` of a Kubernetes Service sends traffic.
    pub fn target_verdict(&self, kube_service: usize, port: usize) -> Option<&TargetVerdict> {
        self.target_verdicts.get(kube_service)?.get(port)?.as_ref()
    }

    /// A service's `EXPOSE` list against its image's app.
    pub fn expose_verdict(&self, service: usize) -> Option<&DeclaredPorts> {
        self.expose_verdicts.get(service)?.as_ref()
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
        (0..service.containers.len())
            .filter_map(|i| self.container_view(s, i))
            .collect()
    }

    /// Container link `i` of service `s`.
    fn container_view(&self, s: usize, i: usize) -> Option<ContainerView<'_, 'a>> {
        let service = self.services.get(s)?;
        let link = service.containers.get(i)?;
        let workload = self.inv.workloads.get(link.workload)?;
        let container = workload.workload.containers.get(link.container)?;
        let runtime = self
            .container_runtimes
            .get(s)
            .and_then(|v| v.get(i))
            .and_then(Option::as_ref);
        let ports = self
            .container_verdicts
            .get(s)
            .and_then(|v| v.get(i))
            .and_then(Option::as_ref);
        Some(ContainerView {
            service,
            link,
            workload,
            container,
            runtime,
            ports,
        })
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
            let Some(compose) = self.inv.compose_services.get(link.compose_service) else {
                continue;
            };
            let runtime = self
                .compose_runtimes
                .get(s)
                .and_then(|v| v.get(i))
                .and_then(Option::as_ref);
            let ports = self
                .compose_verdicts
                .get(s)
                .and_then(|v| v.get(i))
                .and_then(Option::as_ref);
            out.push(ComposeView {
                service,
                link,
                compose,
                runtime,
                ports,
            });
        }
        out
    }

    /// The Kubernetes Services (indices into `Inventory::kube_services`) selecting a workload.
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
