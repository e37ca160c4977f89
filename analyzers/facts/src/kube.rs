//! Facts of Kubernetes manifests.

use crate::{EnvVar, Located, Location, PortRef};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, Default)]
pub struct KubeFacts {
    pub workloads: Vec<Workload>,
    pub services: Vec<KubeService>,
    pub ingresses: Vec<Ingress>,
    /// ConfigMaps: their `data` can set a container's environment through `envFrom`.
    pub config_maps: Vec<ConfigMap>,
    /// `skaffold.yaml` build artifacts: which directory builds which image.
    pub skaffold_artifacts: Vec<SkaffoldArtifact>,
    /// Every other object (custom resources, Kustomizations, releases, a
    /// chart's `Chart.yaml`): what may create Services and pods the scan does
    /// not hold (an operator's custom resource, a Helm release).
    pub objects: Vec<KubeObject>,
}

/// An object seamcheck does not model field by field: its identity, and the
/// pod templates nested in it (an operator's `podTemplate`).
#[derive(Debug, Clone, Serialize)]
pub struct KubeObject {
    /// `group/version` as written (`elasticsearch.k8s.elastic.co/v1`).
    pub api_version: String,
    pub kind: String,
    pub name: Located<String>,
    pub namespace: Option<String>,
    pub loc: Location,
    /// Labels of the pod templates found inside the object (any depth).
    pub pod_label_sets: Vec<Vec<Label>>,
}

/// One `build.artifacts[]` entry of a skaffold `Config`.
#[derive(Debug, Clone, Serialize)]
pub struct SkaffoldArtifact {
    /// The image name as skaffold knows it (manifests reference it).
    pub image: Located<String>,
    /// Build context relative to the skaffold file (default `.`).
    pub context: Option<String>,
    /// `docker.dockerfile`, relative to the context (default `Dockerfile`).
    pub dockerfile: Option<String>,
    /// `docker.target`: the stage that runs.
    pub target: Option<String>,
}

/// `kind: ConfigMap`; each `data` key is an environment variable when a
/// container names the ConfigMap in `envFrom`.
#[derive(Debug, Clone, Serialize)]
pub struct ConfigMap {
    pub name: Located<String>,
    pub namespace: Option<String>,
    pub loc: Location,
    /// `data` entries (string values), each located at its key through its value.
    pub data: Vec<EnvVar>,
}

/// Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob or Pod.
#[derive(Debug, Clone, Serialize)]
pub struct Workload {
    pub kind: String,
    /// `metadata.name` at its token; `generateName` when there is no name;
    /// empty (located at the object) when there is neither.
    pub name: Located<String>,
    /// `metadata.namespace`; `None` means the namespace of the apply (`default`).
    pub namespace: Option<String>,
    /// The whole object (from `apiVersion`/`kind` to its last line).
    pub loc: Location,
    /// Labels of the pod template (`spec.template.metadata.labels`, or the
    /// Pod's own labels).
    pub pod_labels: Vec<Label>,
    pub containers: Vec<Container>,
    pub init_containers: Vec<Container>,
    pub pod_security: Option<SecurityContext>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    pub key: String,
    pub value: String,
    /// From the key through the value (`app: web`).
    pub loc: Location,
}

#[derive(Debug, Clone, Serialize)]
pub struct Container {
    /// Empty (located at the container) when the container has no name.
    pub name: Located<String>,
    /// The whole container mapping.
    pub loc: Location,
    pub image: Option<Located<String>>,
    pub image_pull_policy: Option<Located<String>>,
    pub ports: Vec<ContainerPort>,
    pub env: Vec<EnvVar>,
    /// ConfigMaps/Secrets named by `envFrom` (they may set the port).
    pub env_from: Vec<Located<String>>,
    /// Replaces the image ENTRYPOINT.
    pub command: Option<Vec<Located<String>>>,
    /// Replaces the image CMD.
    pub args: Option<Vec<Located<String>>>,
    pub readiness_probe: Option<Probe>,
    pub liveness_probe: Option<Probe>,
    pub startup_probe: Option<Probe>,
    pub resources: Resources,
    pub security: Option<SecurityContext>,
    /// `ports[]` entries whose `containerPort` is not a port number (a
    /// template placeholder, a quoted or out-of-range value): the container
    /// may declare a port seamcheck cannot read, so "containerPort does not
    /// include X" is unknown when this is not empty. Each is the entry's location.
    pub unresolved_ports: Vec<Location>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContainerPort {
    pub name: Option<Located<String>>,
    pub container_port: Located<u16>,
    /// As written; `TCP` when absent.
    pub protocol: String,
    /// The whole `ports[]` entry.
    pub loc: Location,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProbeKind {
    Readiness,
    Liveness,
    Startup,
}

impl ProbeKind {
    pub fn field(self) -> &'static str {
        match self {
            ProbeKind::Readiness => "readinessProbe",
            ProbeKind::Liveness => "livenessProbe",
            ProbeKind::Startup => "startupProbe",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Probe {
    pub kind: ProbeKind,
    pub action: ProbeAction,
    /// The key of the probe (`readinessProbe:`) through its last line.
    pub loc: Location,
    /// `timeoutSeconds` (Kubernetes default 1 when absent).
    pub timeout_seconds: Option<Located<i64>>,
    /// `periodSeconds` (default 10).
    pub period_seconds: Option<Located<i64>>,
    /// `initialDelaySeconds` (default 0).
    pub initial_delay_seconds: Option<Located<i64>>,
    /// `failureThreshold` (default 3).
    pub failure_threshold: Option<Located<i64>>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ProbeAction {
    HttpGet {
        path: Option<Located<String>>,
        port: Located<PortRef>,
        scheme: Option<String>,
    },
    TcpSocket {
        port: Located<PortRef>,
    },
    Grpc {
        port: Located<PortRef>,
        service: Option<String>,
    },
    Exec {
        command: Vec<Located<String>>,
    },
    /// A probe whose handler seamcheck could not read.
    Unknown,
}

impl ProbeAction {
    pub fn port(&self) -> Option<&Located<PortRef>> {
        match self {
            ProbeAction::HttpGet { port, .. }
            | ProbeAction::TcpSocket { port }
            | ProbeAction::Grpc { port, .. } => Some(port),
            ProbeAction::Exec { .. } | ProbeAction::Unknown => None,
        }
    }
}

/// `resources:` of a container; each quantity keeps its location.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Resources {
    /// The `resources:` key, when present.
    pub loc: Option<Location>,
    pub requests_cpu: Option<Located<String>>,
    pub requests_memory: Option<Located<String>>,
    pub limits_cpu: Option<Located<String>>,
    pub limits_memory: Option<Located<String>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SecurityContext {
    pub run_as_user: Option<Located<i64>>,
    pub run_as_non_root: Option<Located<bool>>,
    /// The `securityContext:` key.
    pub loc: Location,
}

#[derive(Debug, Clone, Serialize)]
pub struct KubeService {
    pub name: Located<String>,
    pub namespace: Option<String>,
    pub loc: Location,
    /// `None` when the Service has no selector, or an empty one (endpoints
    /// managed by hand): it selects nothing and that is intended.
    pub selector: Option<Vec<Label>>,
    /// The `selector:` key through its value, whenever the key is written.
    pub selector_loc: Option<Location>,
    pub ports: Vec<ServicePort>,
    /// `spec.type` as written (`ClusterIP`, `NodePort`, `LoadBalancer`,
    /// `ExternalName`); `None` when absent (ClusterIP).
    pub service_type: Option<String>,
    /// `ports[]` entries whose `port` is not a port number (template
    /// placeholder, out of range); each is the entry's location.
    pub unresolved_ports: Vec<Location>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ServicePort {
    pub name: Option<String>,
    pub port: Located<u16>,
    /// `None` when absent: the target is then `port`.
    pub target_port: Option<Located<PortRef>>,
    /// Set (to the `targetPort` value's location) when `targetPort` is
    /// written but is neither a port number nor a port name (a template
    /// placeholder): the target is then unknown, NOT `port`.
    pub target_port_unresolved: Option<Location>,
    /// As written; `TCP` when absent.
    pub protocol: String,
    /// The whole `ports[]` entry.
    pub loc: Location,
}

impl ServicePort {
    /// The target the Service sends to: `targetPort`, or `port` when absent.
    /// Does not know about `target_port_unresolved`: see [`Self::known_target`].
    pub fn effective_target(&self) -> Located<PortRef> {
        self.target_port
            .clone()
            .unwrap_or_else(|| self.port.clone().map(PortRef::Number))
    }

    /// Like [`Self::effective_target`], but `None` when `targetPort` is
    /// written and unreadable (a template placeholder): unknown, not `port`.
    pub fn known_target(&self) -> Option<Located<PortRef>> {
        match self.target_port_unresolved {
            Some(_) => None,
            None => Some(self.effective_target()),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Ingress {
    pub name: Located<String>,
    pub namespace: Option<String>,
    pub loc: Location,
    pub backends: Vec<IngressBackend>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IngressBackend {
    pub service: Located<String>,
    /// Port number or name of the Service (`port.number` / `port.name`).
    pub port: Option<Located<PortRef>>,
    /// The rule path this backend serves; `None` for the default backend.
    pub path: Option<String>,
    /// The `backend:` / `defaultBackend:` key through its value.
    pub loc: Location,
}
