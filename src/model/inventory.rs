//! All facts of the audit, indexed by kind, so that the linker and the rules
//! can look things up without walking every file again.

use crate::model::image::ImageView;
use seamcheck_facts::compose::{ComposeFacts, ComposeService};
use seamcheck_facts::dockerfile::Stage;
use seamcheck_facts::kube::{Container, Ingress, KubeService, Workload};
use seamcheck_facts::{DockerfileFacts, Facts, FileAnalysis, SourceFacts};

pub struct DockerfileRef<'a> {
    pub path: &'a str,
    /// Directory of the Dockerfile relative to the root (`""` for the root):
    /// taken as the build context unless a compose/skaffold file says otherwise.
    pub dir: String,
    pub facts: &'a DockerfileFacts,
}

impl<'a> DockerfileRef<'a> {
    /// The stage that runs: the final one.
    pub fn runtime_stage(&self) -> Option<&'a Stage> {
        self.facts.final_stage()
    }

    /// The image that runs, with what its stage inherits from earlier stages.
    pub fn image(&self) -> Option<ImageView<'a>> {
        Some(ImageView::new(self.facts, self.runtime_stage()?))
    }

    /// The image of a build `target` (compose `build.target`), or the final
    /// stage when there is none. `None` when the target names no stage.
    pub fn image_for(&self, target: Option<&str>) -> Option<ImageView<'a>> {
        match target {
            Some(t) => Some(ImageView::new(self.facts, self.facts.stage_named(t)?)),
            None => self.image(),
        }
    }
}

pub struct WorkloadRef<'a> {
    pub path: &'a str,
    pub workload: &'a Workload,
}

impl WorkloadRef<'_> {
    /// `Deployment/ns/name`, as users name workloads in config.
    pub fn id(&self) -> String {
        format!(
            "{}/{}/{}",
            self.workload.kind,
            self.namespace(),
            self.workload.name.value
        )
    }
    pub fn namespace(&self) -> &str {
        self.workload.namespace.as_deref().unwrap_or("default")
    }
    /// Jobs and CronJobs run to completion: they serve no traffic and need no probes.
    pub fn is_batch(&self) -> bool {
        matches!(self.workload.kind.as_str(), "Job" | "CronJob")
    }
}

pub struct KubeServiceRef<'a> {
    pub path: &'a str,
    pub service: &'a KubeService,
}

impl KubeServiceRef<'_> {
    pub fn namespace(&self) -> &str {
        self.service.namespace.as_deref().unwrap_or("default")
    }
}

pub struct IngressRef<'a> {
    pub path: &'a str,
    pub ingress: &'a Ingress,
}

impl IngressRef<'_> {
    pub fn namespace(&self) -> &str {
        self.ingress.namespace.as_deref().unwrap_or("default")
    }
}

/// An object seamcheck does not model (a custom resource, a release, a
/// chart's `Chart.yaml`), with its file.
pub struct ObjectRef<'a> {
    pub path: &'a str,
    pub object: &'a seamcheck_facts::kube::KubeObject,
}

impl ObjectRef<'_> {
    pub fn namespace(&self) -> &str {
        self.object.namespace.as_deref().unwrap_or("default")
    }
    /// The API group (`""` for the core group).
    pub fn group(&self) -> &str {
        self.object
            .api_version
            .rsplit_once('/')
            .map_or("", |(g, _)| g)
    }
}

pub struct ComposeServiceRef<'a> {
    /// The compose file.
    pub path: &'a str,
    pub file: &'a ComposeFacts,
    pub service: &'a ComposeService,
}

impl ComposeServiceRef<'_> {
    /// `compose.yaml#web`, as users name compose services in config.
    pub fn id(&self) -> String {
        format!("{}#{}", self.path, self.service.name.value)
    }
}

/// A `.env` file: compose reads it for `${VAR}` interpolation of the compose
/// file beside it.
pub struct DotenvRef<'a> {
    pub path: &'a str,
    pub file: &'a ComposeFacts,
}

pub struct SourceRef<'a> {
    pub path: &'a str,
    pub facts: &'a SourceFacts,
}

#[derive(Default)]
pub struct Inventory<'a> {
    pub dockerfiles: Vec<DockerfileRef<'a>>,
    pub workloads: Vec<WorkloadRef<'a>>,
    /// Kubernetes Service objects ("service" alone means a linked
    /// service of `model::link`).
    pub kube_services: Vec<KubeServiceRef<'a>>,
    pub ingresses: Vec<IngressRef<'a>>,
    pub sources: Vec<SourceRef<'a>>,
    pub compose_services: Vec<ComposeServiceRef<'a>>,
    pub dotenvs: Vec<DotenvRef<'a>>,
    pub config_maps: Vec<&'a seamcheck_facts::kube::ConfigMap>,
    /// Objects not modelled field by field (see [`ObjectRef`]).
    pub objects: Vec<ObjectRef<'a>>,
    /// Files skipped as templates (not YAML until rendered), with the note.
    pub templates: Vec<(&'a str, &'a seamcheck_facts::Location)>,
    /// Kubernetes YAML files that could not be read (parse errors): what
    /// they hold is unknown.
    pub unreadable: Vec<(&'a str, &'a seamcheck_facts::Location)>,
    /// skaffold build artifacts, with the path of their skaffold file.
    pub skaffold: Vec<(&'a str, &'a seamcheck_facts::kube::SkaffoldArtifact)>,
    /// Dockerfiles by the name of their directory (not the root), for linking
    /// image names to Dockerfiles without comparing every pair.
    by_dir_name: std::collections::HashMap<String, Vec<usize>>,
    /// Index of every source and Dockerfile by path.
    source_by_path: std::collections::HashMap<String, usize>,
    dockerfile_by_path: std::collections::HashMap<String, usize>,
    /// Services by (namespace, name), for Ingress backends: a scan of every
    /// Service per backend was 20,000 × 50,000 comparisons.
    service_by_name: std::collections::HashMap<(String, String), Vec<usize>>,
    /// Services per namespace, for the help that lists them.
    services_by_namespace: std::collections::HashMap<String, Vec<usize>>,
}

impl<'a> Inventory<'a> {
    pub fn new(files: &'a [FileAnalysis]) -> Self {
        let mut inv = Inventory::default();
        for file in files {
            let path = file.path.as_str();
            if let Some(n) = file
                .notes
                .iter()
                .find(|n| n.message.contains("not yaml until rendered"))
            {
                inv.templates.push((path, &n.loc));
            }
            // A chart's template the Helm renderer could not render (a
            // `required` value unset, an unsupported function): its note is
            // on the chart and names the template.
            for n in file.notes.iter().filter(|n| {
                n.message.starts_with("Helm template `") && n.message.contains("` not rendered")
            }) {
                inv.templates.push((&n.loc.path, &n.loc));
            }
            if file.kind == seamcheck_facts::FileKind::KubeYaml {
                if let Some(p) = file.problems.first() {
                    inv.unreadable.push((path, &p.loc));
                }
            }
            match &file.facts {
                Facts::Dockerfile(facts) => inv.dockerfiles.push(DockerfileRef {
                    path,
                    dir: parent_dir(path).to_string(),
                    facts,
                }),
                Facts::Kube(k) => {
                    inv.workloads.extend(
                        k.workloads
                            .iter()
                            .map(|workload| WorkloadRef { path, workload }),
                    );
                    inv.kube_services.extend(
                        k.services
                            .iter()
                            .map(|service| KubeServiceRef { path, service }),
                    );
                    inv.ingresses.extend(
                        k.ingresses
                            .iter()
                            .map(|ingress| IngressRef { path, ingress }),
                    );
                    inv.config_maps.extend(k.config_maps.iter());
                    inv.objects
                        .extend(k.objects.iter().map(|object| ObjectRef { path, object }));
                    inv.skaffold
                        .extend(k.skaffold_artifacts.iter().map(|a| (path, a)));
                }
                Facts::Source(facts) => inv.sources.push(SourceRef { path, facts }),
                Facts::Compose(file) => {
                    if file.source == seamcheck_facts::compose::ComposeSource::DotEnv {
                        inv.dotenvs.push(DotenvRef { path, file });
                    }
                    inv.compose_services
                        .extend(file.services.iter().map(|service| ComposeServiceRef {
                            path,
                            file,
                            service,
                        }));
                }
                Facts::Empty => {}
            }
        }
        for (i, s) in inv.sources.iter().enumerate() {
            inv.source_by_path.insert(s.path.to_string(), i);
        }
        for (i, d) in inv.dockerfiles.iter().enumerate() {
            inv.dockerfile_by_path.insert(d.path.to_string(), i);
            if !d.dir.is_empty() {
                inv.by_dir_name
                    .entry(base_name(&d.dir).to_string())
                    .or_default()
                    .push(i);
            }
        }
        for (i, so) in inv.kube_services.iter().enumerate() {
            let namespace = so.namespace().to_string();
            inv.service_by_name
                .entry((namespace.clone(), so.service.name.value.clone()))
                .or_default()
                .push(i);
            inv.services_by_namespace
                .entry(namespace)
                .or_default()
                .push(i);
        }
        inv
    }

    /// The Services (indices into `kube_services`) named `name` in `namespace`.
    pub fn services_named(&self, namespace: &str, name: &str) -> &[usize] {
        self.service_by_name
            .get(&(namespace.to_string(), name.to_string()))
            .map_or(&[], Vec::as_slice)
    }

    /// The Services (indices into `kube_services`) of `namespace`, in scan order.
    pub fn services_in(&self, namespace: &str) -> &[usize] {
        self.services_by_namespace
            .get(namespace)
            .map_or(&[], Vec::as_slice)
    }

    /// The ConfigMaps of a namespace (`default` when unset).
    pub fn config_maps_in(&self, namespace: &str) -> Vec<&'a seamcheck_facts::kube::ConfigMap> {
        self.config_maps
            .iter()
            .copied()
            .filter(|c| c.namespace.as_deref().unwrap_or("default") == namespace)
            .collect()
    }

    /// The index of the source file at `path`.
    pub fn source_at(&self, path: &str) -> Option<usize> {
        self.source_by_path.get(path).copied()
    }

    /// The index of the Dockerfile at `path`.
    pub fn dockerfile_at(&self, path: &str) -> Option<usize> {
        self.dockerfile_by_path.get(path).copied()
    }

    /// The Dockerfiles whose directory is named `name`.
    pub fn dockerfiles_in_dirs_named(&self, name: &str) -> &[usize] {
        self.by_dir_name.get(name).map_or(&[], Vec::as_slice)
    }

    /// The containers of a workload that serve (not init containers).
    pub fn container(&self, w: usize, c: usize) -> Option<&'a Container> {
        self.workloads.get(w)?.workload.containers.get(c)
    }

    pub fn source(&self, path: &str) -> Option<&SourceRef<'a>> {
        self.sources.iter().find(|s| s.path == path)
    }
}

pub use super::paths::{base_name, parent_dir};
