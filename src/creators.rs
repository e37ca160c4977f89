//! What may create a Service or pods the scan does not hold. A selector or
//! an Ingress backend that matches nothing is not an error when something
//! near it will create the target: an operator's custom resource (a table
//! of the common ones, with the names and labels they document), a pod
//! template nested in a custom resource, a chart whose templates are not
//! rendered, a release object (HelmRelease, Argo `Application`) or a chart
//! dependency. The rules then say so at note level and name the candidate.

use crate::model::inventory::{Inventory, ObjectRef};
use crate::model::unit::Units;
use seamcheck_facts::kube::Label;
use seamcheck_facts::Location;

/// The candidate creator of a missing target, for the note.
#[derive(Debug, Clone)]
pub struct Creator {
    /// "the ECK operator from Elasticsearch `hulk`".
    pub what: String,
    pub loc: Location,
}

/// What is missing.
pub enum Want<'w> {
    /// Pods with these labels (a Service's selector).
    Pods(&'w [Label]),
    /// A Service of this name (an Ingress backend).
    Service(&'w str),
}

/// An operator: the custom resources it watches, the Services it creates
/// (`{name}` is the resource's name) and the labels it puts on its pods.
struct Operator {
    product: &'static str,
    /// API group (or a suffix of it, starting with `.`).
    group: &'static str,
    services: &'static [&'static str],
    label_keys: &'static [&'static str],
}

const OPERATORS: &[Operator] = &[
    Operator {
        product: "the ECK operator",
        group: ".k8s.elastic.co",
        services: &[
            "{name}-es-http",
            "{name}-es-transport",
            "{name}-es-internal-http",
            "{name}-kb-http",
            "{name}-apm-http",
            "{name}-ent-http",
            "{name}-agent-http",
            "{name}-maps-http",
            "{name}-ls-api",
            "{name}-beat-http",
        ],
        label_keys: &[
            "elasticsearch.k8s.elastic.co/cluster-name",
            "elasticsearch.k8s.elastic.co/statefulset-name",
            "elasticsearch.k8s.elastic.co/node-master",
            "elasticsearch.k8s.elastic.co/node-data",
            "elasticsearch.k8s.elastic.co/node-ingest",
            "kibana.k8s.elastic.co/name",
            "apm.k8s.elastic.co/name",
            "agent.k8s.elastic.co/name",
            "beat.k8s.elastic.co/name",
            "maps.k8s.elastic.co/name",
            "enterprisesearch.k8s.elastic.co/name",
            "logstash.k8s.elastic.co/name",
            "common.k8s.elastic.co/type",
        ],
    },
    Operator {
        product: "CloudNativePG",
        group: "postgresql.cnpg.io",
        services: &["{name}-rw", "{name}-ro", "{name}-r"],
        label_keys: &[
            "cnpg.io/cluster",
            "cnpg.io/instanceRole",
            "cnpg.io/podRole",
            "role",
        ],
    },
    Operator {
        product: "Strimzi",
        group: "kafka.strimzi.io",
        services: &[
            "{name}-kafka-bootstrap",
            "{name}-kafka-brokers",
            "{name}-kafka-external-bootstrap",
            "{name}-zookeeper-client",
            "{name}-zookeeper-nodes",
            "{name}-bridge-service",
            "{name}-connect-api",
        ],
        label_keys: &[
            "strimzi.io/cluster",
            "strimzi.io/kind",
            "strimzi.io/name",
            "strimzi.io/pool-name",
        ],
    },
    Operator {
        product: "the Zalando Postgres operator",
        group: "acid.zalan.do",
        services: &[
            "{name}",
            "{name}-repl",
            "{name}-pooler",
            "{name}-pooler-repl",
        ],
        label_keys: &["cluster-name", "spilo-role", "application", "team"],
    },
    Operator {
        product: "the RabbitMQ cluster operator",
        group: "rabbitmq.com",
        services: &["{name}", "{name}-nodes"],
        label_keys: &[
            "app.kubernetes.io/name",
            "app.kubernetes.io/component",
            "app.kubernetes.io/part-of",
        ],
    },
    Operator {
        product: "the Prometheus operator",
        group: "monitoring.coreos.com",
        services: &[
            "prometheus-operated",
            "alertmanager-operated",
            "thanos-ruler-operated",
        ],
        label_keys: &[
            "prometheus",
            "alertmanager",
            "thanos-ruler",
            "app.kubernetes.io/name",
            "app.kubernetes.io/instance",
            "app.kubernetes.io/managed-by",
            "operator.prometheus.io/name",
            "operator.prometheus.io/shard",
            "app",
        ],
    },
    Operator {
        product: "a Gateway API implementation (Istio)",
        group: "gateway.networking.k8s.io",
        services: &["{name}-istio", "{name}"],
        label_keys: &[
            "gateway.networking.k8s.io/gateway-name",
            "istio.io/gateway-name",
        ],
    },
    Operator {
        product: "the Spotahome Redis operator",
        group: "databases.spotahome.com",
        services: &["rfs-{name}", "rfr-{name}"],
        label_keys: &[
            "app.kubernetes.io/component",
            "app.kubernetes.io/name",
            "app.kubernetes.io/part-of",
            "redisfailovers.databases.spotahome.com/name",
            "redisfailovers-role",
        ],
    },
    Operator {
        product: "the Redis Enterprise operator",
        group: "app.redislabs.com",
        services: &["{name}", "{name}-ui", "{name}-prom", "{name}-headless"],
        label_keys: &[
            "redis.io/cluster",
            "redis.io/role",
            "redis.io/role-master",
            "app",
        ],
    },
    Operator {
        product: "the OT Redis operator",
        group: "redis.redis.opstreelabs.in",
        services: &[
            "{name}",
            "{name}-headless",
            "{name}-leader",
            "{name}-follower",
            "{name}-additional",
        ],
        label_keys: &["app", "redis_setup_type", "role"],
    },
];

/// Custom resources that configure, route or watch but create no Service
/// or pod: never named as a creator.
const NOT_CREATORS: &[&str] = &[
    "ServiceMonitor",
    "PodMonitor",
    "PrometheusRule",
    "Probe",
    "Certificate",
    "Issuer",
    "ClusterIssuer",
    "VirtualService",
    "DestinationRule",
    "PeerAuthentication",
    "RequestAuthentication",
    "AuthorizationPolicy",
    "Sidecar",
    "ServiceEntry",
    "EnvoyFilter",
    "Telemetry",
    "HTTPRoute",
    "GRPCRoute",
    "TCPRoute",
    "TLSRoute",
    "UDPRoute",
    "ReferenceGrant",
    "GatewayClass",
    "BackendConfig",
    "FrontendConfig",
    "ManagedCertificate",
    "ScaledObject",
    "VerticalPodAutoscaler",
    "Chart",
    "Kustomization",
    "Component",
];

/// API groups of Kubernetes itself: their objects are modelled or create
/// nothing the scan would miss.
fn is_builtin_group(group: &str) -> bool {
    group.is_empty()
        || !group.contains('.')
        || group.ends_with(".k8s.io") && !group.starts_with("gateway.") && !group.contains("sigs.")
        || group == "kustomize.config.k8s.io"
}

fn operator_of(o: &ObjectRef<'_>) -> Option<&'static Operator> {
    let group = o.group();
    OPERATORS.iter().find(|op| {
        if let Some(suffix) = op.group.strip_prefix('.') {
            group.ends_with(&format!(".{suffix}"))
        } else {
            group == op.group
        }
    })
}

/// The nearest candidate creator of `want`, for a reference in `from`
/// (namespace `namespace`), or `None` when nothing near can create it.
pub fn candidate_creator(
    inv: &Inventory<'_>,
    units: &Units,
    from: &str,
    namespace: &str,
    want: &Want<'_>,
) -> Option<Creator> {
    let mut candidates: Vec<(usize, Creator)> = Vec::new();
    let near = |path: &str| units.in_reach(from, path);
    for o in &inv.objects {
        let obj = o.object;
        let same_ns = o.object.namespace.is_none() || o.namespace() == namespace;
        let described = format!("{} `{}`", obj.kind, obj.name.value);
        if let Some(op) = operator_of(o).filter(|_| same_ns) {
            let hit = match want {
                Want::Service(name) => op
                    .services
                    .iter()
                    .any(|p| p.replace("{name}", &obj.name.value) == *name),
                Want::Pods(selector) => {
                    near(o.path)
                        && selector
                            .iter()
                            .any(|l| op.label_keys.contains(&l.key.as_str()))
                }
            };
            if hit {
                candidates.push((
                    units.distance(from, o.path),
                    Creator {
                        what: format!("{} from {described}", op.product),
                        loc: obj.name.loc.clone(),
                    },
                ));
                continue;
            }
        }
        if !near(o.path) || !same_ns {
            continue;
        }
        if let Want::Pods(selector) = want {
            let templated = obj.pod_label_sets.iter().any(|labels| {
                selector
                    .iter()
                    .all(|w| labels.iter().any(|l| l.key == w.key && l.value == w.value))
            });
            if templated {
                candidates.push((
                    units.distance(from, o.path),
                    Creator {
                        what: format!("the pod template inside {described}"),
                        loc: obj.name.loc.clone(),
                    },
                ));
                continue;
            }
        }
        let creator = obj.kind == "ChartDependency"
            || (!is_builtin_group(o.group()) && !NOT_CREATORS.contains(&obj.kind.as_str()));
        if creator {
            let what = if obj.kind == "ChartDependency" {
                format!("the chart dependency `{}`", obj.name.value)
            } else {
                format!("the controller of {described} ({})", o.group())
            };
            // Generic candidates rank after the table's and templates'.
            candidates.push((
                100 + units.distance(from, o.path),
                Creator {
                    what,
                    loc: obj.name.loc.clone(),
                },
            ));
        }
    }
    for (path, loc) in inv.templates.iter().filter(|t| near(t.0)) {
        candidates.push((
            50 + units.distance(from, path),
            Creator {
                what: format!("a template that seamcheck does not render (`{path}`)"),
                loc: (*loc).clone(),
            },
        ));
    }
    for (path, loc) in inv.unreadable.iter().filter(|t| near(t.0)) {
        candidates.push((
            60 + units.distance(from, path),
            Creator {
                what: format!("a manifest seamcheck could not read (`{path}`)"),
                loc: (*loc).clone(),
            },
        ));
    }
    candidates.sort_by_key(|(d, _)| *d);
    candidates.into_iter().next().map(|(_, c)| c)
}
